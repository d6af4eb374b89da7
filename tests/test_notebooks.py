"""Every notebook executes on the seed corpus, renders Chinese with the bundled font, and is committed clean."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from conftest import REPO
from govnews.present.report import execute_notebook, notebook_parameters

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _outputs(executed: Path) -> list[dict]:
    return [
        output for cell in nbformat.read(executed, as_version=4).cells for output in cell.get("outputs", [])
    ]


def _outputs_text(executed: Path) -> str:
    return "\n".join(json.dumps(output, ensure_ascii=False) for output in _outputs(executed))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes_without_errors_or_missing_glyphs(
    notebook: Path, seed_build, seed_paths, tmp_path
) -> None:
    parameters = {"processed_dir": str(seed_paths.processed_dir), "figures_dir": str(tmp_path / "figures")}
    accepted = notebook_parameters(notebook)
    if "office" in accepted:
        parameters["office"] = "枫杨办事处"
    executed = tmp_path / notebook.name
    execute_notebook(
        notebook, executed, {k: v for k, v in parameters.items() if k in accepted}, notebook.parent
    )
    text = _outputs_text(executed)
    assert "missing from font" not in text
    assert '"output_type": "error"' not in text
    figures = [
        o["data"]
        for o in _outputs(executed)
        if str(o.get("data", {}).get("text/plain", "")).startswith("<Figure")
    ]
    assert figures and all("image/png" in data for data in figures), "every chart is shown inline as an image"
    assert list((tmp_path / "figures").glob("*.png")), "every notebook exports at least one chart"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_without_outputs(notebook: Path) -> None:
    cells = nbformat.read(notebook, as_version=4).cells
    assert all(not c.get("outputs") and not c.get("execution_count") for c in cells if c.cell_type == "code")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_opens_with_its_question_and_has_a_parameters_cell(notebook: Path) -> None:
    cells = nbformat.read(notebook, as_version=4).cells
    assert cells[0].cell_type == "markdown" and "Question" in cells[0].source
    assert any("parameters" in c.metadata.get("tags", []) for c in cells)
