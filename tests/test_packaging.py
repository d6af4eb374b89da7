"""The package works when installed from a wheel, outside the checkout, from an empty folder.

The defaults (lexicons, gazetteers, codebook) ship inside the wheel; a data folder overrides them file by file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, SEED_FILES


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built wheel, installed into a folder of its own (its dependencies come from the test's environment)."""
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", folder, REPO],
        check=True,
        capture_output=True,
    )
    (wheel,) = folder.glob("govnews-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(folder / "site")
    assert "govnews/_data/lexicons/units.yml" in names
    assert "govnews/_data/gazetteer/register.csv" in names
    return folder / "site"


def _run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "GOVNEWS_ROOT"}
    env["PYTHONPATH"] = str(site)  # before the checkout's editable install
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_figures_are_read_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    code = (
        "import govnews; from govnews import extract_figures;"
        "print(govnews.__file__); print(extract_figures('辖区58条道路')[['value', 'unit']].values.tolist())"
    )
    result = _run(installed, tmp_path, "-c", code)
    assert result.returncode == 0, result.stderr
    where, figures = result.stdout.splitlines()
    assert where.startswith(str(installed))
    assert figures == "[[58.0, '条']]"


def test_the_cli_builds_pages_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    raw = tmp_path / "pages"
    raw.mkdir()
    (raw / SEED_FILES[0].name).write_bytes(SEED_FILES[0].read_bytes())
    result = _run(installed, tmp_path, "-m", "govnews", "build", "--raw", "pages", "--out", "tables")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "tables" / "articles.csv").exists()
    assert "articles per office: 沟赵办事处" in result.stdout
