"""Notebooks → executed notebooks, HTML pages and an index: the one-command rerun.

Every notebook in ``notebooks/`` is executed headless with papermill, with the
project's paths as parameters; a notebook whose parameters include ``office``
(the office profile) runs once per office with enough text. Notebooks only read
the tables, so they run side by side, one kernel per core. Each executed
notebook is exported to HTML, and ``reports/index.html`` links them all in
reading order with a thumbnail of each notebook's main chart (the first chart
it shows). A failing notebook stops the report with an error naming the
notebook and the cell.
"""

from __future__ import annotations

import base64
import html
import os
import re
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from govnews.config import ProjectPaths
from govnews.errors import GovnewsError
from govnews.present.labels import LANGUAGES, word
from govnews.vocabulary import HAN

KERNEL_NAME = "python3"


@dataclass(frozen=True)
class NotebookRun:
    """One executed notebook and what it produced."""

    notebook: Path
    label: str
    executed: Path
    html: Path
    thumbnail: Path | None
    title: str


def list_notebooks(notebooks_dir: Path) -> list[Path]:
    """Notebooks in reading order (by their number prefix)."""
    notebooks = sorted(p for p in Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        raise GovnewsError(notebooks_dir, "no numbered notebooks (NN_name.ipynb) found")
    return notebooks


def notebook_parameters(notebook: Path) -> set[str]:
    """Names in the notebook's papermill ``parameters`` cell."""
    import papermill

    return set(papermill.inspect_notebook(str(notebook)))


def _slug(text: str) -> str:
    return re.sub(rf"[^\w{HAN}-]+", "_", text).strip("_")


def in_language(cell: dict, lang: str) -> bool:
    """Whether ``cell`` belongs in a report in ``lang``: cells tagged with another language do not."""
    tags = set(cell.get("metadata", {}).get("tags", []))
    return lang in tags or not tags & set(LANGUAGES)


def _title_of(executed: Path, lang: str = LANGUAGES[0]) -> str:
    import nbformat

    notebook = nbformat.read(executed, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and in_language(cell, lang):
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return executed.stem


# Starts of a notebook's kernel before giving up (see execute_notebook).
_KERNEL_STARTS = 3


def execute_notebook(notebook: Path, executed: Path, parameters: dict, cwd: Path) -> None:
    """Run one notebook headless with papermill.

    Raises:
        GovnewsError: a cell failed (names the notebook, the cell and the error).
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    executed.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, _KERNEL_STARTS + 1):
        try:
            papermill.execute_notebook(
                str(notebook),
                str(executed),
                parameters=parameters,
                kernel_name=KERNEL_NAME,
                cwd=str(cwd),
                progress_bar=False,
                log_output=False,
                # The kernel's own log (e.g. "Kernel is running over TCP without encryption" on every
                # start, on a local loopback port) is noise on the user's console; cell errors still
                # come back through papermill.
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            )
            return
        except PapermillExecutionError as exc:
            raise GovnewsError(notebook, f"cell {exc.exec_count} failed: {exc.ename}: {exc.evalue}") from None
        except RuntimeError as exc:
            # Kernels started side by side can pick the same free port; the loser dies at start-up
            # (jupyter_client's "Kernel died before replying to kernel_info"). A new start picks again.
            if "before replying" not in str(exc) or attempt == _KERNEL_STARTS:
                raise


def with_embedded_font(page: str) -> str:
    """``page`` with the bundled Chinese font embedded (only the glyphs it uses) as the fallback font."""
    from govnews.present.fonts import EMBEDDED_FAMILY, font_face_css

    # Scripts (the sortable tables) carry their words as \uXXXX escapes: those glyphs are needed too.
    escaped = "".join(chr(int(code, 16)) for code in re.findall(r"\\u([0-9a-fA-F]{4})", page))
    face = font_face_css(page + escaped)
    if not face:
        return page
    # The embedded family comes first in JupyterLab's font variables; its unicode-range limits it to Chinese.
    sans = f"\"{EMBEDDED_FAMILY}\", system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"
    mono = f"\"{EMBEDDED_FAMILY}\", 'Source Code Pro', monospace"
    style = (
        f"<style>{face}\n:root {{ --jp-content-font-family: {sans}; --jp-ui-font-family: {sans}; "
        f"--jp-code-font-family: {mono}; }}\nbody {{ font-family: {sans}; }}\n"
        # Buttons and inputs do not inherit the page's font by default: the table widget's pager would
        # show its Chinese words in a font without them.
        "button, input, select, textarea { font-family: inherit; }</style>"
    )
    return page.replace("</head>", style + "\n</head>", 1)


# Cells a reader never sees: the papermill parameters (they hold the run's paths).
_HIDDEN_TAGS = frozenset({"parameters", "injected-parameters"})


# The paragraph after a chart or table that says how to read it, in either language.
_HOW_TO_READ = re.compile(r"^\*\*(?:怎么读：|How to read:)\*\*.*?(?:\n[ \t]*\n|\Z)", re.S | re.M)


def _shows_something_to_read(cell) -> bool:
    """Whether a code cell's outputs hold a chart or a table (not only a sentence saying why not)."""
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/png" in data or "image/svg+xml" in data or "<table" in "".join(data.get("text/html", "")):
            return True
    return False


def reader_notebook(notebook, lang: str = LANGUAGES[0]):
    """A copy of an executed notebook as a reader's page shows it.

    Keeps the cells of ``lang`` (cells tagged with the other language go), drops the parameter cells and
    what cells wrote to stderr (warnings are for the analyst, who has the executed notebook). A "how to
    read" paragraph goes too where the code cell before it drew no chart and showed no table: a small
    corpus leaves some charts undrawn, and the reader would be told how to read what is not there.
    """
    import copy

    shown = copy.deepcopy(notebook)
    cells = []
    something_to_read = True
    for cell in shown.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & _HIDDEN_TAGS or not in_language(cell, lang):
            continue
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if o.get("name") != "stderr"]
            something_to_read = _shows_something_to_read(cell)
        elif cell.cell_type == "markdown" and not something_to_read:
            cell.source = _HOW_TO_READ.sub("", cell.source).strip()
            if not cell.source:
                continue
        cells.append(cell)
    shown.cells = cells
    return shown


# Page style: the reader's tables (plain and sortable) look alike and numbers line up.
_READER_CSS = """<style>
.govnews-table { border-collapse: collapse; margin: .4rem 0; font-size: 13px; }
.jp-RenderedHTMLCommon table.govnews-table th, .jp-RenderedHTMLCommon table.govnews-table td {
  padding: 3px 8px; border-bottom: 1px solid #ddd; text-align: left; }
.jp-RenderedHTMLCommon table.govnews-table .num { text-align: right; }
.jp-RenderedHTMLCommon table.govnews-table th { border-bottom: 2px solid #999; }
.govnews-csv { font-size: 12px; margin: .2rem 0 1rem; }
</style>"""


def export_html(executed: Path, target: Path, lang: str = LANGUAGES[0], title: str | None = None) -> None:
    """Export an executed notebook to a standalone page for readers: no code, one language.

    Images and the Chinese font are embedded; input cells, prompts, parameter cells and stderr are left out.
    """
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab", exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    notebook = reader_notebook(nbformat.read(executed, as_version=4), lang)
    resources = {"metadata": {"name": title or _title_of(executed, lang)}}
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    body = re.sub(r"<html[^>]*>", f'<html lang="{_HTML_LANG[lang]}">', body, count=1)
    body = body.replace("</head>", _READER_CSS + "\n</head>", 1)
    target.write_text(with_embedded_font(body), encoding="utf-8")


_HTML_LANG = {"zh": "zh-CN", "en": "en"}


def save_thumbnail(executed: Path, target: Path) -> Path | None:
    """Save the first chart an executed notebook shows as ``target`` (PNG); ``None`` if it shows none."""
    import nbformat

    for cell in nbformat.read(executed, as_version=4).cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get("image/png")
            if data:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(base64.b64decode(data))
                return target
    return None


@dataclass(frozen=True)
class ReportSettings:
    """What every notebook of one report is given besides the paths."""

    lang: str = LANGUAGES[0]
    extra: tuple[tuple[str, str], ...] = ()
    """Further parameters by name (e.g. the gold file), passed to the notebooks that take them."""


def _run_notebook(
    notebook: Path, label: str, parameters: dict, paths: ProjectPaths, lang: str, office: str
) -> NotebookRun:
    executed = paths.reports_dir / "notebooks" / f"{label}.ipynb"
    execute_notebook(notebook, executed, parameters, paths.notebooks_dir)
    title = _title_of(executed, lang) + (f"{word('title_of', lang)}{office}" if office else "")
    page = paths.reports_dir / f"{label}.html"
    export_html(executed, page, lang, title)
    thumbnail = save_thumbnail(executed, paths.reports_dir / "thumbnails" / f"{label}.png")
    return NotebookRun(notebook, label, executed, page, thumbnail, title)


def notebook_jobs(
    paths: ProjectPaths, offices: list[str], settings: ReportSettings
) -> list[tuple[Path, str, dict, str]]:
    """Every notebook run of a report: (notebook, page label, parameters it accepts, office or "")."""
    jobs = []
    for notebook in list_notebooks(paths.notebooks_dir):
        parameters = {
            "processed_dir": str(paths.processed_dir),
            "figures_dir": str(paths.figures_dir),
            "tables_dir": str(paths.reports_dir / "tables"),
            "data_dir": str(paths.data_dir),
            "lang": settings.lang,
            **dict(settings.extra),
        }
        accepted = notebook_parameters(notebook)
        variants = [""] if "office" not in accepted else offices
        for office in variants:
            label = notebook.stem + (f"_{_slug(office)}" if office else "")
            given = {k: v for k, v in {**parameters, "office": office}.items() if k in accepted}
            jobs.append((notebook, label, given, office))
    return jobs


def run_notebooks(
    paths: ProjectPaths,
    offices: list[str],
    report: Callable[[str], None] = print,
    workers: int | None = None,
    settings: ReportSettings | None = None,
) -> list[NotebookRun]:
    """Execute every notebook (office profiles once per office) and export each to a page for readers.

    Notebooks only read the tables, so they run side by side, one kernel per worker process.

    Args:
        paths: project paths; tables are read from ``processed_dir``, output goes to ``reports_dir``.
        offices: offices to profile (notebooks with an ``office`` parameter run once for each).
        report: called with a progress line per notebook.
        workers: notebooks run at the same time (default: all cores).
        settings: the report's language and further notebook parameters.

    Returns:
        The runs in reading order.

    Raises:
        GovnewsError: a notebook failed (names the notebook and the cell).
    """
    settings = settings or ReportSettings()
    jobs = [(*job, settings.lang) for job in notebook_jobs(paths, offices, settings)]
    workers = max(1, min(len(jobs), workers or os.cpu_count() or 1))
    if workers == 1:
        runs = []
        for notebook, label, given, office, lang in jobs:
            report(f"running {label} …")
            runs.append(_run_notebook(notebook, label, given, paths, lang, office))
        return runs
    with ProcessPoolExecutor(max_workers=workers) as pool:
        started = time.perf_counter()
        futures = {
            pool.submit(_run_notebook, notebook, label, given, paths, lang, office): label
            for notebook, label, given, office, lang in jobs
        }
        report(f"running {len(jobs)} notebooks, {workers} at a time …")
        for future in as_completed(futures):
            future.result()  # the first failure stops the report
            report(f"done {futures[future]} ({time.perf_counter() - started:.0f} s)")
        return [future.result() for future in futures]


def write_index(
    runs: list[NotebookRun], reports_dir: Path, lang: str = LANGUAGES[0], notes: list[str] | None = None
) -> Path:
    """Write ``index.html`` linking every notebook page with its thumbnail.

    Args:
        runs: the pages, in reading order.
        reports_dir: where the pages are.
        lang: language of the page.
        notes: sentences about what the report leaves out and why (a short corpus), shown first.
    """
    cards = []
    for run in runs:
        thumbnail = (
            f'<img src="{html.escape(run.thumbnail.relative_to(reports_dir).as_posix())}" alt="">'
            if run.thumbnail
            else ""
        )
        cards.append(
            f'<li><a href="{html.escape(run.html.name)}">{thumbnail}'
            f"<span>{html.escape(run.title)}</span></a></li>"
        )
    notes_html = "".join(f"<p class=note>{html.escape(note)}</p>" for note in notes or [])
    title = html.escape(word("report_title", lang))
    page = f"""<!DOCTYPE html>
<html lang="{_HTML_LANG[lang]}"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ margin: 2rem; color: #222; }}
ul {{ list-style: none; padding: 0; display: grid; gap: 1.2rem;
     grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); }}
li a {{ display: block; border: 1px solid #ddd; border-radius: 6px; padding: .6rem; text-decoration: none;
        color: inherit; }}
li img {{ width: 100%; height: 170px; object-fit: contain; background: #fafafa; }}
li span {{ display: block; margin-top: .4rem; font-weight: 600; }}
.note {{ background: #fff6e0; border-left: 4px solid #E69F00; padding: .5rem .8rem; }}
</style></head><body>
<h1>{title}</h1>
<p>{html.escape(word("report_intro", lang))}</p>
{notes_html}
<ul>
{chr(10).join(cards)}
</ul></body></html>
"""
    target = reports_dir / "index.html"
    target.write_text(with_embedded_font(page), encoding="utf-8")
    return target


def short_corpus_notes(sizes, lang: str = LANGUAGES[0]) -> list[str]:
    """What a report on this corpus leaves out, and why, as sentences for the index page.

    Args:
        sizes: the offices' text (:func:`govnews.present.views.office_sizes`).
        lang: language of the sentences.

    Returns:
        One sentence per gap (no articles, no office to profile, fewer than two offices to compare,
        articles without a year); empty for a corpus that gives a full report.
    """
    from govnews.present.views import DISTRICT_LEVEL_LABEL, MIN_CHARS_TO_COMPARE

    def say(zh: str, en: str) -> str:
        return zh if lang == "zh" else en

    if sizes.empty or int(sizes["n_articles"].sum()) == 0:
        return [
            say(
                "没有找到任何文章：原始文件夹中没有可读的 .txt 页面，所以各页都是空的。",
                "No article was found: the raw folder holds no readable .txt page, so every page is empty.",
            )
        ]
    notes = []
    offices = sizes.loc[sizes["office"].ne(DISTRICT_LEVEL_LABEL)]
    enough = offices.loc[offices["has_enough_text"]]
    floor = f"{MIN_CHARS_TO_COMPARE:,}"
    if enough.empty:
        if offices.empty:
            notes.append(
                say(
                    "没有办事处画像：文章都没有归属到某个办事处（均为区级新闻）。",
                    "No office profile: no article is about a single office (all are district-level news).",
                )
            )
        else:
            top = offices.iloc[0]
            notes.append(
                say(
                    f"没有办事处画像：没有一个办事处的文本达到 {floor} 字"
                    f"（最多的是{top['office']}，{int(top['n_chars']):,} 字），比率会被一两句话左右。",
                    f"No office profile: no office has {floor} characters of text (the most is "
                    f"{top['office']} with {int(top['n_chars']):,}); one sentence more or less would move "
                    "its rates.",
                )
            )
    if len(enough) < 2:
        notes.append(
            say(
                f"对比图需要至少两个文本足够（≥ {floor} 字）的办事处，本语料只有 {len(enough)} 个，"
                "所以各页只列出数据，不画对比图。",
                f"Comparison charts need at least two offices with enough text (≥ {floor} characters); this "
                f"corpus has {len(enough)}, so the pages list the data without comparison charts.",
            )
        )
    no_year = int(sizes["articles_without_year"].sum())
    if no_year:
        notes.append(
            say(
                f"{no_year} 篇文章的正文和文件名都没有写明年份，不计入按年份的比较。",
                f"{no_year} article(s) state no year in their text or file name and are left out of "
                "comparisons by year.",
            )
        )
    return notes
