"""HTML reports carry their own Chinese font and an index of every page."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import nbformat
import pytest
from fontTools.ttLib import TTFont

from govnews.config import project_paths
from govnews.errors import GovnewsError
from govnews.present.report import NotebookRun, run_notebooks, with_embedded_font, write_index


def _embedded_cmap(page: str) -> dict[int, str]:
    data = re.search(r"base64,([A-Za-z0-9+/=]+)\)", page).group(1)
    return TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap()


def test_page_embeds_exactly_the_chinese_glyphs_it_uses() -> None:
    page = with_embedded_font("<html><head></head><body><h1>报告：街道办事处 report</h1></body></html>")
    cmap = _embedded_cmap(page)
    assert all(ord(char) in cmap for char in "报告：街道办事处")
    assert ord("枫") not in cmap
    assert "unicode-range" in page


def test_page_without_chinese_is_left_alone() -> None:
    assert with_embedded_font("<html><head></head><body>plain</body></html>") == (
        "<html><head></head><body>plain</body></html>"
    )


def test_index_links_every_page_with_its_thumbnail(tmp_path: Path) -> None:
    figures = tmp_path / "figures"
    figures.mkdir()
    (figures / "00_corpus_main.png").write_bytes(b"png")
    runs = [
        NotebookRun(
            Path("00_corpus.ipynb"),
            "00_corpus",
            tmp_path / "x.ipynb",
            tmp_path / "00_corpus.html",
            figures / "00_corpus_main.png",
            "00 · 语料概览",
        ),
        NotebookRun(
            Path("05_validation.ipynb"),
            "05_validation",
            tmp_path / "y.ipynb",
            tmp_path / "05_validation.html",
            None,
            "05 · 验证",
        ),
    ]
    page = write_index(runs, tmp_path).read_text(encoding="utf-8")
    assert page.count("<li>") == 2
    assert 'href="00_corpus.html"' in page and 'src="figures/00_corpus_main.png"' in page
    assert all(ord(char) in _embedded_cmap(page) for char in "语料概览验证")


# A 1×1 PNG: what a notebook shows as its chart.
PIXEL = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    )
).decode()


def _write_notebook(path: Path, title: str, code: str, office: bool = False) -> None:
    parameters = nbformat.v4.new_code_cell(
        'processed_dir = ""\nfigures_dir = ""' + ('\noffice = ""' if office else "")
    )
    parameters.metadata["tags"] = ["parameters"]
    cells = [nbformat.v4.new_markdown_cell(f"# {title}"), parameters, nbformat.v4.new_code_cell(code)]
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata=kernel), path)


@pytest.fixture
def tiny_project(tmp_path: Path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    show_chart = f"import base64\nfrom IPython.display import Image, display\ndisplay(Image(data=base64.b64decode('{PIXEL}')))"
    _write_notebook(notebooks / "00_overview.ipynb", "概览", show_chart)
    _write_notebook(notebooks / "01_profile.ipynb", "画像", "print(office)", office=True)
    return project_paths(
        notebooks_dir=notebooks, reports_dir=tmp_path / "reports", processed_dir=tmp_path / "out"
    )


def test_notebooks_run_side_by_side_and_come_back_in_reading_order(tiny_project) -> None:
    runs = run_notebooks(tiny_project, ["甲办事处", "乙办事处"], report=lambda line: None, workers=2)
    assert [run.label for run in runs] == ["00_overview", "01_profile_甲办事处", "01_profile_乙办事处"]
    assert [run.title for run in runs] == ["概览", "画像：甲办事处", "画像：乙办事处"]
    assert all(run.html.exists() for run in runs)
    assert runs[0].thumbnail.read_bytes() == base64.b64decode(PIXEL)
    assert runs[1].thumbnail is None
    assert "乙办事处" in runs[2].executed.read_text(encoding="utf-8")


def test_a_failing_notebook_names_the_notebook_and_the_cell(tiny_project) -> None:
    _write_notebook(tiny_project.notebooks_dir / "02_broken.ipynb", "坏", "1 / 0")
    with pytest.raises(GovnewsError) as error:
        run_notebooks(tiny_project, [], report=lambda line: None, workers=2)
    assert error.value.path.name == "02_broken.ipynb"
    assert "ZeroDivisionError" in error.value.problem


def test_a_kernel_that_dies_at_start_is_started_again(tmp_path: Path, monkeypatch) -> None:
    import papermill

    from govnews.present.report import execute_notebook

    starts: list[str] = []

    def run(failures: int, error: str):
        def execute(notebook, *args, **kwargs):
            starts.append(notebook)
            if len(starts) <= failures:
                raise RuntimeError(error)

        starts.clear()
        monkeypatch.setattr(papermill, "execute_notebook", execute)
        execute_notebook(tmp_path / "a.ipynb", tmp_path / "out" / "a.ipynb", {}, tmp_path)

    lost_port = "Kernel died before replying to kernel_info"  # a kernel that lost the race for its port
    run(failures=1, error=lost_port)
    assert len(starts) == 2
    with pytest.raises(RuntimeError, match="before replying"):
        run(failures=5, error=lost_port)
    assert len(starts) == 3
    with pytest.raises(RuntimeError, match="something else"):
        run(failures=1, error="something else")
    assert len(starts) == 1


# --- your own pages, in folders you name -----------------------------------------------------------


def _report_args(*argv: str):
    from govnews.cli import _parser

    return _parser().parse_args(["report", *argv])


def test_report_on_your_own_pages_writes_under_a_folder_named_after_them(tmp_path: Path) -> None:
    from govnews.cli import _report_paths

    pages = tmp_path / "mypages"
    paths = _report_paths(_report_args("--raw", str(pages)))
    assert paths.reports_dir == tmp_path / "mypages-report"
    assert paths.processed_dir == tmp_path / "mypages-report" / "processed"
    assert paths.cache_dir == tmp_path / "mypages-report" / "cache"
    seeds = project_paths()
    assert seeds.processed_dir not in (paths.processed_dir, *paths.processed_dir.parents)


def test_report_out_names_the_report_folder_and_moves_nothing_else(tmp_path: Path) -> None:
    from govnews.cli import _report_paths

    paths = _report_paths(_report_args("--out", str(tmp_path / "myreport")))
    assert paths.reports_dir == tmp_path / "myreport"
    assert paths.processed_dir == tmp_path / "myreport" / "processed"
    seeds = _report_paths(_report_args())
    assert (seeds.reports_dir, seeds.processed_dir) == (
        project_paths().reports_dir,
        project_paths().processed_dir,
    )


def test_readme_shows_your_own_pages_from_an_empty_folder() -> None:
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Analyse your own pages", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.+?)\n```", section)
    assert commands[0].startswith("mkdir ")
    folder = commands[0].split()[1]
    assert commands[1] == f".venv/bin/python -m govnews report --raw {folder}"
    assert f"{folder}-report/" in section


# --- a short corpus says what is missing ----------------------------------------------------------


def _sizes(rows: list[tuple[str, int, int, bool]]):
    import pandas as pd

    return pd.DataFrame(
        [
            {"office": o, "n_articles": a, "n_chars": c, "has_enough_text": e, "articles_without_year": 1}
            for o, a, c, e in rows
        ]
    )


def test_a_short_corpus_says_why_there_is_no_profile_and_no_comparison() -> None:
    from govnews.present.report import short_corpus_notes

    notes = short_corpus_notes(_sizes([("甲办事处", 1, 600, False)]), "zh")
    assert "没有办事处画像" in notes[0] and "甲办事处" in notes[0] and "600" in notes[0]
    assert "至少两个" in notes[1]
    assert "没有写明年份" in notes[2]
    english = short_corpus_notes(_sizes([("甲办事处", 1, 600, False)]), "en")
    assert english[0].startswith("No office profile")
    assert short_corpus_notes(_sizes([]), "en")[0].startswith("No article was found")


def test_a_full_corpus_has_only_the_year_note() -> None:
    from govnews.present.report import short_corpus_notes

    sizes = _sizes([("甲办事处", 2, 4000, True), ("乙办事处", 2, 3000, True)])
    assert len(short_corpus_notes(sizes, "zh")) == 1


# --- pages for readers ------------------------------------------------------------------------------


def test_reader_page_keeps_one_language_and_no_parameters_or_stderr() -> None:
    from govnews.present.report import reader_notebook

    english = nbformat.v4.new_markdown_cell("# Title")
    english.metadata["tags"] = ["en"]
    chinese = nbformat.v4.new_markdown_cell("# 标题")
    chinese.metadata["tags"] = ["zh"]
    parameters = nbformat.v4.new_code_cell("processed_dir = '/tmp/x'")
    parameters.metadata["tags"] = ["injected-parameters"]
    shown = nbformat.v4.new_code_cell("say()")
    shown.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="/tmp/x: warning"),
        nbformat.v4.new_output("display_data", data={"text/markdown": "3 个文件"}),
    ]
    notebook = nbformat.v4.new_notebook(cells=[english, chinese, parameters, shown])
    page = reader_notebook(notebook, "zh")
    assert [cell.source for cell in page.cells] == ["# 标题", "say()"]
    assert [output.output_type for output in page.cells[1].outputs] == ["display_data"]
    assert len(notebook.cells) == 4  # the executed notebook is left as it was


def test_reader_page_says_how_to_read_only_what_is_drawn() -> None:
    from govnews.present.report import reader_notebook

    def code(*outputs: dict) -> nbformat.NotebookNode:
        cell = nbformat.v4.new_code_cell("chart()")
        cell.outputs = [nbformat.v4.new_output("display_data", data=data) for data in outputs]
        return cell

    how = "**怎么读：** 行是主题。"
    said = {"text/markdown": "只有 1 个办事处，所以不画热图。"}
    cells = [
        code(said),
        nbformat.v4.new_markdown_cell(how + "\n\n## 下一节"),
        code({"image/png": "iVBORw0KGgo="}),
        nbformat.v4.new_markdown_cell(how),
        code({"text/html": "<table><tr><td>1</td></tr></table>"}),
        nbformat.v4.new_markdown_cell(how),
        code(said),
        nbformat.v4.new_markdown_cell(how),
    ]
    page = reader_notebook(nbformat.v4.new_notebook(cells=cells), "zh")
    assert [cell.source for cell in page.cells if cell.cell_type == "markdown"] == ["## 下一节", how, how]


def test_report_files_are_written_as_the_umask_allows(tiny_project) -> None:
    # Colleagues on a shared server read the report: nothing may be owner-only when the umask says otherwise.
    import os

    previous = os.umask(0o027)
    try:
        runs = run_notebooks(tiny_project, ["甲办事处"], report=lambda line: None, workers=1)
        write_index(runs, tiny_project.reports_dir)
    finally:
        os.umask(previous)
    wrong = {
        str(path): oct(path.stat().st_mode & 0o777)
        for path in tiny_project.reports_dir.rglob("*")
        if path.stat().st_mode & 0o777 != (0o750 if path.is_dir() else 0o640)
    }
    assert list(tiny_project.reports_dir.rglob("*.html")) and wrong == {}


def test_report_passes_your_theme_coding_to_the_notebooks(tmp_path: Path) -> None:
    args = _report_args("--raw", str(tmp_path / "mypages"), "--theme-coding", "coded.csv")
    assert args.theme_coding == Path("coded.csv")
