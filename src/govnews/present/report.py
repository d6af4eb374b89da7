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


def _title_of(executed: Path) -> str:
    import nbformat

    notebook = nbformat.read(executed, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
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

    face = font_face_css(page)
    if not face:
        return page
    # The embedded family comes first in JupyterLab's font variables; its unicode-range limits it to Chinese.
    sans = f"\"{EMBEDDED_FAMILY}\", system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"
    mono = f"\"{EMBEDDED_FAMILY}\", 'Source Code Pro', monospace"
    style = (
        f"<style>{face}\n:root {{ --jp-content-font-family: {sans}; --jp-ui-font-family: {sans}; "
        f"--jp-code-font-family: {mono}; }}\nbody {{ font-family: {sans}; }}</style>"
    )
    return page.replace("</head>", style + "\n</head>", 1)


def export_html(executed: Path, target: Path) -> None:
    """Export an executed notebook to a standalone HTML page (images and the Chinese font embedded)."""
    import nbformat
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nbformat.read(executed, as_version=4))
    target.write_text(with_embedded_font(body), encoding="utf-8")


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


def _run_notebook(notebook: Path, label: str, parameters: dict, paths: ProjectPaths) -> NotebookRun:
    executed = paths.reports_dir / "notebooks" / f"{label}.ipynb"
    execute_notebook(notebook, executed, parameters, paths.notebooks_dir)
    page = paths.reports_dir / f"{label}.html"
    export_html(executed, page)
    thumbnail = save_thumbnail(executed, paths.reports_dir / "thumbnails" / f"{label}.png")
    return NotebookRun(notebook, label, executed, page, thumbnail, _title_of(executed))


def run_notebooks(
    paths: ProjectPaths,
    offices: list[str],
    report: Callable[[str], None] = print,
    workers: int | None = None,
) -> list[NotebookRun]:
    """Execute every notebook (office profiles once per office) and export each to HTML.

    Notebooks only read the tables, so they run side by side, one kernel per worker process.

    Args:
        paths: project paths; tables are read from ``processed_dir``, output goes to ``reports_dir``.
        offices: offices to profile (notebooks with an ``office`` parameter run once for each).
        report: called with a progress line per notebook.
        workers: notebooks run at the same time (default: all cores).

    Returns:
        The runs in reading order.

    Raises:
        GovnewsError: a notebook failed (names the notebook and the cell).
    """
    jobs = []
    for notebook in list_notebooks(paths.notebooks_dir):
        parameters = {"processed_dir": str(paths.processed_dir), "figures_dir": str(paths.figures_dir)}
        accepted = notebook_parameters(notebook)
        variants = [("", {})] if "office" not in accepted else [(o, {"office": o}) for o in offices]
        for office, extra in variants:
            label = notebook.stem + (f"_{_slug(office)}" if office else "")
            given = {k: v for k, v in {**parameters, **extra}.items() if k in accepted}
            jobs.append((notebook, label, given))
    workers = max(1, min(len(jobs), workers or os.cpu_count() or 1))
    if workers == 1:
        runs = []
        for notebook, label, given in jobs:
            report(f"running {label} …")
            runs.append(_run_notebook(notebook, label, given, paths))
        return runs
    with ProcessPoolExecutor(max_workers=workers) as pool:
        started = time.perf_counter()
        futures = {
            pool.submit(_run_notebook, notebook, label, given, paths): label
            for notebook, label, given in jobs
        }
        report(f"running {len(jobs)} notebooks, {workers} at a time …")
        for future in as_completed(futures):
            future.result()  # the first failure stops the report
            report(f"done {futures[future]} ({time.perf_counter() - started:.0f} s)")
        return [future.result() for future in futures]


def write_index(runs: list[NotebookRun], reports_dir: Path) -> Path:
    """Write ``index.html`` linking every notebook page with its thumbnail."""
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
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>govnews 报告</title>
<style>
body {{ margin: 2rem; color: #222; }}
ul {{ list-style: none; padding: 0; display: grid; gap: 1.2rem;
     grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); }}
li a {{ display: block; border: 1px solid #ddd; border-radius: 6px; padding: .6rem; text-decoration: none;
        color: inherit; }}
li img {{ width: 100%; height: 170px; object-fit: contain; background: #fafafa; }}
li span {{ display: block; margin-top: .4rem; font-weight: 600; }}
</style></head><body>
<h1>govnews 报告：街道办事处新闻对比</h1>
<p>Each page is a notebook executed on the current tables; charts are also in <code>figures/</code>
(PNG, SVG, PDF).</p>
<ul>
{chr(10).join(cards)}
</ul></body></html>
"""
    target = reports_dir / "index.html"
    target.write_text(with_embedded_font(page), encoding="utf-8")
    return target
