"""Every notebook executes on the seed corpus, renders Chinese with the bundled font, and is committed clean."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from conftest import REPO
from govnews.present.report import in_language

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# The stem of the charts each notebook saves (the profile names its charts after its office).
CHART_PREFIX = {"04_office_profile": "04_profile_"}


def _outputs(executed: Path) -> list[dict]:
    return [
        output for cell in nbformat.read(executed, as_version=4).cells for output in cell.get("outputs", [])
    ]


def _run_of(runs, notebook: Path):
    return next(run for run in runs if run.notebook.name == notebook.name)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes_without_errors_or_missing_glyphs(notebook: Path, seed_report, seed_paths) -> None:
    executed = _run_of(seed_report, notebook).executed
    text = "\n".join(json.dumps(output, ensure_ascii=False) for output in _outputs(executed))
    assert "missing from font" not in text
    assert '"output_type": "error"' not in text
    images = [o["data"] for o in _outputs(executed) if "image/png" in o.get("data", {})]
    assert images, "every chart is shown inline as an image"
    assert not [
        o
        for o in _outputs(executed)
        if str(o.get("data", {}).get("text/plain", "")).startswith("<Figure") and "image/png" not in o["data"]
    ], "no chart is shown as text"
    prefix = CHART_PREFIX.get(notebook.stem, notebook.stem + "_")
    assert list(seed_paths.figures_dir.glob(f"{prefix}*.png")), "every notebook exports at least one chart"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_shows_each_chart_once(notebook: Path, seed_report) -> None:
    images = [
        o["data"]["image/png"]
        for o in _outputs(_run_of(seed_report, notebook).executed)
        if "image/png" in o.get("data", {})
    ]
    assert len(images) == len(set(images))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_without_outputs(notebook: Path) -> None:
    cells = nbformat.read(notebook, as_version=4).cells
    assert all(not c.get("outputs") and not c.get("execution_count") for c in cells if c.cell_type == "code")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
@pytest.mark.parametrize(("lang", "question"), [("en", "**Question:**"), ("zh", "**问题：**")])
def test_notebook_opens_with_its_question_in_each_language(notebook: Path, lang: str, question: str) -> None:
    cells = [c for c in nbformat.read(notebook, as_version=4).cells if in_language(c, lang)]
    assert cells[0].cell_type == "markdown" and question in cells[0].source
    assert any("parameters" in c.metadata.get("tags", []) for c in cells)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_text_cell_exists_in_both_languages(notebook: Path) -> None:
    markdown = [c for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "markdown"]
    tags = [tuple(c.metadata.get("tags", [])) for c in markdown]
    assert tags.count(("en",)) == tags.count(("zh",)) == len(markdown) // 2
