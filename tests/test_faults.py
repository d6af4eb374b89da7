"""Faults without wrong answers: each finding of the fault-injection review, reproduced deterministically.

Every test ends in the right tables or in one line naming the problem, never in a silent wrong answer.
Crashes are injected at named steps (``GOVNEWS_FAULT=STEP`` stops the build there as kill -9 would, see
:mod:`govnews.pipeline.faults`), renames and listings are patched, and nothing sleeps. The races run once
here; ``GOVNEWS_FAULT_REPEAT=100 .venv/bin/python -m pytest tests/test_faults.py`` repeats them 100 times.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import govnews.cli as cli
from govnews.config import project_paths
from govnews.errors import GovnewsError
from govnews.ingest.load import load_raw_files
from govnews.pipeline.tables import read_table

PAGE = "沟赵办事处推进老旧小区改造\n\n本报讯 沟赵办事处坚持党建引领，推进重点项目建设，完成老旧小区改造12个。\n\n记者 张三\n"
OTHER_PAGE = PAGE.replace("沟赵", "枫杨")


def _cli(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.out, captured.err


def _build_cli(capsys, raw: Path, out: Path, *options: str) -> tuple[int, str, str]:
    return _cli(
        capsys, "build", "--raw", str(raw), "--out", str(out), "--cache", str(out.parent / "cache"), *options
    )


# ----------------------------------------------------------------------------- files that are not read


def test_a_fifo_named_txt_is_named_and_rejected_with_skip_bad(raw_dir: Path, tmp_path: Path, capsys) -> None:
    (raw_dir / "page.txt").write_text(PAGE, encoding="utf-8")
    os.mkfifo(raw_dir / "pipe.txt")
    code, _, err = _build_cli(capsys, raw_dir, tmp_path / "out")
    assert (code, err) == (
        2,
        f"govnews: error: {raw_dir / 'pipe.txt'}: a FIFO, not a page dump; nothing to read\n",
    )
    code, out, err = _build_cli(capsys, raw_dir, tmp_path / "out", "--skip-bad")
    assert (code, err) == (0, "")
    assert "files not read: 1 (in the rejected table)" in out.splitlines()
    assert read_table("rejected", tmp_path / "out").values.tolist() == [
        ["pipe.txt", 0, "a FIFO, not a page dump; nothing to read"]
    ]


def test_an_unreadable_sub_folder_is_named(raw_dir: Path, monkeypatch) -> None:
    (raw_dir / "page.txt").write_text(PAGE, encoding="utf-8")
    locked = raw_dir / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(OTHER_PAGE, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):
        # Tests run as root, where chmod cannot hide a folder: refuse as the OS would for another user.
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(GovnewsError) as error:
        load_raw_files(raw_dir)
    assert error.value.message == f"{locked}: cannot read folder: Permission denied"
    files, rejected = load_raw_files(raw_dir, skip_bad=True)
    assert [raw.source for raw in files] == ["page.txt"]
    assert rejected.values.tolist() == [["locked", 0, "cannot read folder: Permission denied"]]


def test_pages_in_another_format_beside_the_txt_files_are_listed_as_not_read(raw_dir: Path) -> None:
    (raw_dir / "page.txt").write_text(PAGE, encoding="utf-8")
    (raw_dir / "page2.md").write_text(OTHER_PAGE, encoding="utf-8")
    (raw_dir / "metadata.csv").write_text("source\n", encoding="utf-8")  # not a page: not listed
    files, rejected = load_raw_files(raw_dir)
    assert [raw.source for raw in files] == ["page.txt"]
    assert rejected.values.tolist() == [
        [
            "page2.md",
            len(OTHER_PAGE.encode()),
            "not read: only .txt files are page dumps (save it as UTF-8 text: page2.txt)",
        ]
    ]


def test_a_raw_folder_that_is_a_file_is_named_as_such(tmp_path: Path, capsys) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    code, _, err = _build_cli(capsys, page, tmp_path / "out")
    assert (code, err) == (
        2,
        f"govnews: error: {page}: is a file, not a folder; name the folder that holds the page dumps\n",
    )


@pytest.mark.parametrize("workers", ["0", "-3", "two"])
def test_workers_must_be_a_positive_integer(tmp_path: Path, capsys, workers: str) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["build", "--raw", str(tmp_path), "--workers", workers])
    assert done.value.code == 2
    assert f"--workers: must be a positive integer, not {workers!r}" in capsys.readouterr().err


# ----------------------------------------------------------------------------- strict data files

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("relative", "key"),
    [
        ("lexicons/themes.yml", "themes"),
        ("lexicons/units.yml", "magnitudes"),
        ("lexicons/measures.yml", "kinds"),
        ("lexicons/year_cues.yml", "periods"),
    ],
)
def test_a_key_given_twice_in_a_yaml_data_file_is_refused_with_file_and_line(
    tmp_path: Path, relative: str, key: str
) -> None:
    from govnews.resources import load_resources

    text = (REPO / "data" / relative).read_text(encoding="utf-8")
    edited = tmp_path / relative
    edited.parent.mkdir(parents=True)
    edited.write_text(text + f"\n{key}: []\n", encoding="utf-8")
    with pytest.raises(GovnewsError) as error:
        load_resources(project_paths(data_dir=tmp_path))
    first = text.splitlines().index(f"{key}:") + 1
    assert (error.value.path, error.value.line) == (edited, len(text.splitlines()) + 2)
    assert error.value.problem == f"duplicate key '{key}' (first on line {first})"


def test_a_key_given_twice_in_an_override_is_refused_with_file_and_line(tmp_path: Path) -> None:
    from govnews.resources import load_resources

    overrides = tmp_path / "overrides.yml"
    overrides.write_text(
        "- source: a.txt\n  snippet: 沟赵\n  office: 沟赵办事处\n  snippet: 枫杨\n", encoding="utf-8"
    )
    with pytest.raises(GovnewsError) as error:
        load_resources(project_paths(data_dir=tmp_path))
    assert error.value.message == f"{overrides}:4: duplicate key 'snippet' (first on line 2)"


@pytest.mark.parametrize(
    ("relative", "key"),
    [
        ("gazetteer/offices.csv", "office"),
        ("gazetteer/districts.csv", "district"),
        ("gazetteer/zones.csv", "zone"),
    ],
)
def test_a_name_listed_twice_in_a_gazetteer_file_is_refused_with_file_and_line(
    tmp_path: Path, relative: str, key: str
) -> None:
    from govnews.resources import load_resources

    lines = (REPO / "data" / relative).read_text(encoding="utf-8").splitlines()
    header = next(number for number, line in enumerate(lines) if line.startswith(f"{key},"))
    first_row = next(
        number for number, line in enumerate(lines) if number > header and line and not line.startswith("#")
    )
    edited = tmp_path / relative
    edited.parent.mkdir(parents=True)
    edited.write_text("\n".join([*lines, lines[first_row]]) + "\n", encoding="utf-8")
    with pytest.raises(GovnewsError) as error:
        load_resources(project_paths(data_dir=tmp_path))
    name = lines[first_row].split(",")[0]
    assert (error.value.path, error.value.line) == (edited, len(lines) + 1)
    assert error.value.problem == f"{key} listed twice: {name} (first on line {first_row + 1})"


@pytest.mark.parametrize(
    ("relative", "text"),
    [
        ("gazetteer/not_office_names.txt", "# names that are no office\n张三办事处\n"),
        ("gazetteer/not_district_names.txt", "# names that are no district\n张三区\n"),
        ("lexicons/surnames.txt", "# surnames\n张 李\n"),
        ("gazetteer/offices.csv", "office,aliases,district,city\n沟赵办事处,,高新区,郑州\n"),
    ],
)
def test_a_data_file_in_gbk_is_refused_with_file_line_and_byte(
    tmp_path: Path, relative: str, text: str
) -> None:
    from govnews.resources import load_resources

    edited = tmp_path / relative
    edited.parent.mkdir(parents=True)
    edited.write_bytes(text.encode("gbk"))
    with pytest.raises(GovnewsError) as error:
        load_resources(project_paths(data_dir=tmp_path))
    first_line = len(text.splitlines()[0]) + 1  # ASCII: the second line starts at this byte
    assert (error.value.path, error.value.line) == (edited, 2)
    assert error.value.problem.startswith("not UTF-8 text (")
    assert error.value.problem.endswith(f" at byte {first_line}); save it as UTF-8")
