"""Bad input, one case per test: each is handled correctly or refused naming the file and the problem.

Where the user-facing message matters the test goes through the command line
(``govnews.cli.main``) and checks the one line on stderr and that no traceback is printed. The
security checks at the end read the package source: no pickle, eval or exec, YAML only through the
safe loader, caches only as Parquet or JSON, and overrides cannot name files outside the raw folder.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pandas as pd
import pyarrow.csv
import pyarrow.parquet
import pytest

import govnews.cli as cli
from conftest import REPO, SEED_FILES
from govnews.config import project_paths
from govnews.errors import GovnewsError
from govnews.ingest.clean import clean_text
from govnews.ingest.load import TRUNCATED_UTF8, load_raw_files
from govnews.ingest.offices import attribute_article
from govnews.ingest.sentences import MAX_SENTENCE_CHARS, split_sentences
from govnews.ingest.split import split_articles
from govnews.pipeline.tables import read_table
from govnews.resources import load_resources
from govnews.resources.gazetteer import load_gazetteer
from govnews.resources.lexicons import load_codebook, load_measure_lexicon
from govnews.resources.locate import locate
from govnews.resources.overrides import load_overrides
from govnews.resources.year_cues import load_year_cues

PACKAGE = REPO / "src" / "govnews"
LEXICONS = REPO / "data" / "lexicons"
GAZETTEER = REPO / "data" / "gazetteer"

TITLE = "沟赵办事处推进老旧小区改造"
BODY = "本报讯 沟赵办事处坚持党建引领，推进重点项目建设，完成老旧小区改造12个。"
PAGE = f"{TITLE}\n\n{BODY}\n\n记者 张三\n"
OTHER_PAGE = PAGE.replace("沟赵", "枫杨")
TRADITIONAL_PAGE = (
    "溝趙辦事處推進老舊小區改造\n\n"
    "本報訊 近年來，溝趙辦事處堅持黨建引領，推進老舊小區改造，轄區面貌煥然一新。\n\n記者 張三\n"
)
# The start of a real PNG file: signature, then the IHDR chunk with its NUL-padded length.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00" + bytes(256)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path / "out"


def _cli(
    capsys: pytest.CaptureFixture, raw: Path, out: Path, *options: str, cache: Path | None = None
) -> tuple[int, str, str]:
    """Run ``govnews build`` and return (exit code, stdout, stderr); a traceback is never acceptable."""
    cache = cache or out.parent / "cache"
    code = cli.main(["build", "--raw", str(raw), "--out", str(out), "--cache", str(cache), *options])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.out, captured.err


def _error_line(path: Path, problem: str, line: int | None = None) -> str:
    where = f"{path}:{line}" if line else str(path)
    return f"govnews: error: {where}: {problem}\n"


def _write(raw: Path, name: str, content: bytes | str) -> Path:
    path = raw / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the lexicons, gazetteer and an overrides file that the CLI reads instead of data/."""
    root = tmp_path / "data"
    shutil.copytree(LEXICONS, root / "lexicons")
    shutil.copytree(GAZETTEER, root / "gazetteer")
    (root / "overrides.yml").write_text("[]\n", encoding="utf-8")
    original = cli.project_paths

    def copied_paths(**paths: Path | None):
        return original(**{**paths, "data_dir": root, "metadata_file": root / "metadata.csv"})

    monkeypatch.setattr(cli, "project_paths", copied_paths)
    return root


# ----------------------------------------------------------------------------- 1–3 encodings


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (PAGE.encode("gbk"), "gb18030"),  # 1: GBK is a subset of GB18030
        (PAGE.encode("gb18030"), "gb18030"),
        (codecs.BOM_UTF8 + PAGE.encode("utf-8"), "utf-8 with BOM"),  # 2
        (codecs.BOM_UTF16_LE + PAGE.encode("utf-16-le"), "utf-16"),  # 3
        (codecs.BOM_UTF16_BE + PAGE.encode("utf-16-be"), "utf-16"),
    ],
    ids=["gbk", "gb18030", "utf-8-bom", "utf-16-le", "utf-16-be"],
)
def test_encodings_give_the_same_article_as_utf8(
    raw_dir: Path, out_dir: Path, capsys: pytest.CaptureFixture, encoded: bytes, encoding: str
) -> None:
    _write(raw_dir, "page.txt", encoded)
    code, _, err = _cli(capsys, raw_dir, out_dir)
    assert (code, err) == (0, "")
    assert read_table("sources", out_dir)["encoding"].tolist() == [encoding]
    articles = read_table("articles", out_dir)
    assert articles[["title", "text", "byline", "office"]].values.tolist() == [
        [TITLE, BODY, "记者 张三", "沟赵办事处"]
    ]


# ----------------------------------------------------------------------------- 4–7 unreadable files


BAD_FILES = [
    (b"", "file is empty; nothing to read"),  # 4
    (b" \n\t\r\n\n", "file holds only whitespace; nothing to read"),  # 5
    (PNG, "looks binary (contains NUL bytes), not a text page dump"),  # 6
]
BAD_IDS = ["empty", "whitespace-only", "png-renamed"]


@pytest.mark.parametrize(("content", "problem"), BAD_FILES, ids=BAD_IDS)
def test_bad_file_stops_the_build_with_one_line_naming_it(
    raw_dir: Path, out_dir: Path, capsys: pytest.CaptureFixture, content: bytes, problem: str
) -> None:
    _write(raw_dir, "good.txt", PAGE)
    bad = _write(raw_dir, "bad.txt", content)
    code, out, err = _cli(capsys, raw_dir, out_dir)
    assert (code, out, err) == (2, "", _error_line(bad, problem))
    assert not out_dir.exists()


@pytest.mark.parametrize(("content", "problem"), BAD_FILES, ids=BAD_IDS)
def test_skip_bad_lists_the_file_in_the_summary_and_the_rejected_table(
    raw_dir: Path, out_dir: Path, capsys: pytest.CaptureFixture, content: bytes, problem: str
) -> None:
    _write(raw_dir, "good.txt", PAGE)
    _write(raw_dir, "bad.txt", content)
    code, out, err = _cli(capsys, raw_dir, out_dir, "--skip-bad")
    assert (code, err) == (0, "")
    assert f"rejected: bad.txt: {problem}" in out.splitlines()
    expected = pd.DataFrame({"source": ["bad.txt"], "n_bytes": [len(content)], "reason": [problem]})
    pd.testing.assert_frame_equal(read_table("rejected", out_dir), expected, check_dtype=False)
    assert read_table("sources", out_dir)["source"].tolist() == ["good.txt"]


def test_utf8_cut_inside_the_last_character_loses_only_that_character(
    raw_dir: Path, out_dir: Path, capsys: pytest.CaptureFixture
) -> None:
    # 7: the page ends in 三 (three UTF-8 bytes); the dump kept only the first byte of it.
    data = PAGE.rstrip("\n").encode("utf-8")[:-2]
    _write(raw_dir, "page.txt", data)
    code, _, err = _cli(capsys, raw_dir, out_dir)
    assert (code, err) == (0, "")
    assert read_table("sources", out_dir)["encoding"].tolist() == [TRUNCATED_UTF8]
    assert read_table("articles", out_dir)["byline"].tolist() == ["记者 张"]


def test_utf8_broken_in_the_middle_is_refused_naming_the_byte(
    raw_dir: Path, out_dir: Path, capsys: pytest.CaptureFixture
) -> None:
    data = PAGE.encode("utf-8")
    bad = _write(raw_dir, "page.txt", data[:9] + b"\xff" + data[9:])  # after the third character
    code, _, err = _cli(capsys, raw_dir, out_dir)
    assert code == 2
    assert err == _error_line(bad, "cannot decode: not UTF-8 (invalid start byte at byte 9), GB18030 or Big5")


# ----------------------------------------------------------------------------- 8 one 10 MB line


def _one_line_of_seed_text(n_bytes: int) -> str:
    """Real seed sentences, every line break and space removed, repeated to ``n_bytes`` of UTF-8."""
    text = "".join("".join(path.read_text(encoding="utf-8").split()) for path in SEED_FILES)
    repeated = text * (n_bytes // len(text.encode("utf-8")) + 1)
    return repeated.encode("utf-8")[:n_bytes].decode("utf-8", errors="ignore")


def test_ten_megabyte_line_goes_through_the_text_steps_whole(raw_dir: Path) -> None:
    # 8: the per-file text steps on the whole line (the full build of it is the thorough test below).
    line = _one_line_of_seed_text(10_000_000)
    _write(raw_dir, "line.txt", line)
    (raw,), _ = load_raw_files(raw_dir)
    resources = load_resources(project_paths())
    cleaned = clean_text(raw.source, raw.text, resources)
    (article,) = split_articles(raw.source, cleaned.paragraphs, resources)
    assert Counter(article.title_text + article.body_text) == Counter("".join(cleaned.normalized_lines))
    # The lead names 沟赵办事处, and no other office is named as often in the seed text repeated.
    place = attribute_article(article.title_text, article.body_text, resources.gazetteer, resources.segmenter)
    assert place.office_evidence == "lead: 沟赵办事处"
    sentences = split_sentences(article.body_text)
    assert max(map(len, sentences)) <= MAX_SENTENCE_CHARS
    assert "".join(sentences) == article.body_text


def test_one_megabyte_line_builds_through_the_cli(raw_dir: Path, out_dir: Path, capsys) -> None:
    line = _one_line_of_seed_text(1_000_000)
    _write(raw_dir, "line.txt", line)
    code, _, err = _cli(capsys, raw_dir, out_dir, "--workers", "1")
    assert (code, err) == (0, "")
    articles = read_table("articles", out_dir)
    assert len(articles) == 1
    assert articles["n_chars"].tolist() == [len(line)]
    assert read_table("sentences", out_dir)["n_chars"].sum() == len(line)


@pytest.mark.skipif(
    os.environ.get("HYPOTHESIS_PROFILE") != "thorough",
    reason="about a minute: runs with HYPOTHESIS_PROFILE=thorough",
)
def test_ten_megabyte_line_builds_through_the_cli(raw_dir: Path, out_dir: Path, capsys) -> None:
    line = _one_line_of_seed_text(10_000_000)
    _write(raw_dir, "line.txt", line)
    code, _, err = _cli(capsys, raw_dir, out_dir, "--workers", "1")
    assert (code, err) == (0, "")
    assert read_table("articles", out_dir)["n_chars"].tolist() == [len(line)]
    assert read_table("sentences", out_dir)["n_chars"].sum() == len(line)


# ----------------------------------------------------------------------------- 9–13 unusual text


@pytest.mark.parametrize("encoding", ["utf-8", "big5"])
def test_traditional_chinese_is_text_and_its_office_is_found(
    raw_dir: Path, out_dir: Path, capsys: pytest.CaptureFixture, encoding: str
) -> None:
    # 9: the gazetteer is simplified; the general pattern X辦事處 still names the office.
    _write(raw_dir, "page.txt", TRADITIONAL_PAGE.encode(encoding))
    code, _, err = _cli(capsys, raw_dir, out_dir)
    assert (code, err) == (0, "")
    assert read_table("sources", out_dir)["encoding"].tolist() == [encoding]
    articles = read_table("articles", out_dir)
    assert articles[["title", "office", "office_source", "byline"]].values.tolist() == [
        ["溝趙辦事處推進老舊小區改造", "溝趙辦事處", "pattern", "記者 張三"]
    ]
    assert read_table("sentences", out_dir)["office"].tolist() == ["溝趙辦事處", "溝趙辦事處"]


def test_text_without_punctuation_is_cut_into_bounded_sentences(
    raw_dir: Path, out_dir: Path, capsys: pytest.CaptureFixture
) -> None:
    # 10: no sentence ends anywhere, so the 2,160-character paragraph is cut every 1,000 characters.
    body = "沟赵办事处坚持党建引领推进重点项目建设辖区面貌焕然一新群众满意度显著提高" * 60
    _write(raw_dir, "page.txt", f"{TITLE}\n\n{body}\n\n记者 张三\n")
    code, _, err = _cli(capsys, raw_dir, out_dir)
    assert (code, err) == (0, "")
    articles = read_table("articles", out_dir)
    assert articles[["title", "text", "office"]].values.tolist() == [[TITLE, body, "沟赵办事处"]]
    sentences = read_table("sentences", out_dir)
    assert sentences["text"].tolist() == [TITLE, body[:1000], body[1000:2000], body[2000:]]


def test_unbalanced_quote_does_not_swallow_the_rest_of_the_article(
    raw_dir: Path, out_dir: Path, capsys: pytest.CaptureFixture
) -> None:
    # 11: “九步工作法 is never closed; the quotation that follows is still read as its own.
    body = (
        "本报讯 沟赵办事处创新推行“九步工作法，坚持党建引领，推进重点项目建设。"
        "辖区建成“红色驿站”3个，完成老旧小区改造12个。居民群众获得感、幸福感显著提升。"
    )
    _write(raw_dir, "page.txt", f"{TITLE}\n\n{body}\n\n记者 张三\n")
    code, _, err = _cli(capsys, raw_dir, out_dir)
    assert (code, err) == (0, "")
    measures = read_table("measures", out_dir)
    # “红色驿站” is read on its own (a named station); no name runs on from the unclosed mark.
    names = measures.loc[measures["sentence_no"] > 1, "name"].tolist()
    assert names[:2] == ["九步工作法", "红色驿站"] and all(len(name) <= 8 for name in names)
    assert read_table("figures", out_dir)["span"].tolist() == ["3个", "12个"]
    assert read_table("articles", out_dir)["text"].tolist() == [body]


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "lone-cr"])
def test_crlf_and_lone_cr_give_the_same_tables_as_lf(
    tmp_path: Path, capsys: pytest.CaptureFixture, newline: str
) -> None:
    # 12
    tables = {}
    for name, page in (("lf", PAGE), ("other", PAGE.replace("\n", newline))):
        raw = tmp_path / name / "raw"
        raw.mkdir(parents=True)
        _write(raw, "page.txt", page)
        code, _, err = _cli(capsys, raw, tmp_path / name / "out")
        assert (code, err) == (0, "")
        tables[name] = {
            t: read_table(t, tmp_path / name / "out") for t in ("articles", "sentences", "removed")
        }
    for table, frame in tables["lf"].items():
        pd.testing.assert_frame_equal(tables["other"][table], frame, obj=table)


def test_page_without_an_office_goes_to_the_district_level_bucket(
    raw_dir: Path, out_dir: Path, capsys: pytest.CaptureFixture
) -> None:
    # 13
    page = "高新区召开经济工作会\n\n本报讯 高新区召开经济工作会议，部署全年重点任务。\n\n记者 张三\n"
    _write(raw_dir, "page.txt", page)
    code, out, err = _cli(capsys, raw_dir, out_dir)
    assert (code, err) == (0, "")
    assert "articles per office: (district-level) 1" in out.splitlines()
    articles = read_table("articles", out_dir)
    assert articles[["title", "office", "office_source", "district"]].values.tolist() == [
        ["高新区召开经济工作会", "", "", "高新区"]
    ]
    assert read_table("sentences", out_dir)["office"].tolist() == ["", ""]


# ----------------------------------------------------------------------------- 14 malformed data files


THEMES = (
    "themes:\n"
    "  - name: 党建\n    description: 党的建设\n    terms: [党建, 党员]\n"
    "  - name: 治理\n    description: 基层治理\n    terms: [网格, 治理]\n"
)


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        (
            THEMES.replace("[网格, 治理]", "[网格, 治理"),
            8,
            "broken YAML: did not find expected ',' or ']'",
        ),
        (THEMES.replace("    description: 基层治理\n", ""), 5, "theme no. 2 lacks key(s) description"),
        (THEMES.replace("name: 治理", "name: 党建"), 5, "theme '党建' is defined twice"),
        (
            THEMES.replace("[网格, 治理]", "[网格, 党员]"),
            7,
            "term '党员' is in two themes, '党建' and '治理'",
        ),
    ],
    ids=["syntax", "missing-key", "duplicate-theme", "term-in-two-themes"],
)
def test_malformed_themes_file_is_named_with_its_line(
    raw_dir: Path, out_dir: Path, capsys, data_copy: Path, content: str, line: int, problem: str
) -> None:
    themes = data_copy / "lexicons" / "themes.yml"
    themes.write_text(content, encoding="utf-8")
    _write(raw_dir, "page.txt", PAGE)
    code, out, err = _cli(capsys, raw_dir, out_dir)
    assert (code, out, err) == (2, "", _error_line(themes, problem, line))


MEASURES_TEXT = (LEXICONS / "measures.yml").read_text(encoding="utf-8")
N_MEASURES_LINES = len(MEASURES_TEXT.splitlines())


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        # The parser notices the unclosed list only at the end of the file, on the line after the last.
        (
            MEASURES_TEXT + "frames: [以\n",
            N_MEASURES_LINES + 2,
            "broken YAML: did not find expected ',' or ']'",
        ),
        (MEASURES_TEXT.replace("\nkinds:", "\nkind_words:", 1), None, "missing key(s): kinds"),
        (
            MEASURES_TEXT + "\nkinds: []\n",
            N_MEASURES_LINES + 2,
            f"duplicate key 'kinds' (first on line {MEASURES_TEXT.splitlines().index('kinds:') + 1})",
        ),
    ],
    ids=["syntax", "missing-key", "duplicate-key"],
)
def test_malformed_measures_file_is_named_with_its_line(
    tmp_path: Path, content: str, line: int | None, problem: str
) -> None:
    path = tmp_path / "measures.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GovnewsError) as error:
        load_measure_lexicon(path)
    assert (error.value.path, error.value.line, error.value.problem) == (path, line, problem)


OFFICES = "office,aliases,district,city\n沟赵办事处,沟赵街道,高新区,郑州\n# a comment line\n\n枫杨办事处,,高新区,郑州\n"


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        (
            OFFICES.replace("aliases", "alias"),
            1,
            "missing column(s) aliases; expected office, aliases, district, city",
        ),
        (OFFICES + "沟赵办事处,,高新区,郑州\n", 6, "office listed twice: 沟赵办事处 (first on line 2)"),
        (OFFICES + ",沟赵乡,高新区,郑州\n", 6, "empty office"),
        ("", None, "file is empty; expected the columns office, aliases, district, city"),
    ],
    ids=["missing-column", "duplicate-office", "empty-office", "empty-file"],
)
def test_malformed_gazetteer_is_named_with_its_line(tmp_path: Path, content: str, line, problem: str) -> None:
    path = tmp_path / "offices.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GovnewsError) as error:
        _load_gazetteer_with_offices(path)
    assert (error.value.path, error.value.line, error.value.problem) == (path, line, problem)


def _load_gazetteer_with_offices(offices: Path):
    paths = project_paths()
    names = ("register", "offices", "districts", "zones", "not_office_names", "not_district_names")
    files = {name: locate(paths, name) for name in names}
    return load_gazetteer(**{**files, "offices": offices})


def test_gazetteer_csv_with_too_many_cells_is_named(tmp_path: Path) -> None:
    path = tmp_path / "offices.csv"
    path.write_text(OFFICES + "石佛办事处,a,b,c,d,e\n", encoding="utf-8")
    with pytest.raises(GovnewsError) as error:
        _load_gazetteer_with_offices(path)
    assert (error.value.path, error.value.line, error.value.problem) == (
        path,
        6,
        "6 cells where the header has 4",
    )


def test_build_refuses_a_duplicated_office_in_the_gazetteer_it_is_given(
    raw_dir: Path, out_dir: Path, capsys, data_copy: Path
) -> None:
    offices = data_copy / "gazetteer" / "offices.csv"
    offices.write_text(OFFICES + "沟赵办事处,,高新区,郑州\n", encoding="utf-8")
    _write(raw_dir, "page.txt", PAGE)
    code, _, err = _cli(capsys, raw_dir, out_dir)
    assert (code, err) == (2, _error_line(offices, "office listed twice: 沟赵办事处 (first on line 2)", 6))


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        (
            "- source: page.txt\n  snippet: [沟赵\n",
            3,
            "broken YAML: did not find expected ',' or ']'",
        ),
        ("- source: page.txt\n  office: 沟赵办事处\n", 1, "entry 1: needs 'source' and 'snippet'"),
        (
            "- {source: page.txt, snippet: 沟赵, office: 沟赵办事处}\n- source: page.txt\n  snippet: 枫杨\n"
            "  offfice: 枫杨办事处\n",
            2,
            "entry 2: unknown key(s) offfice; expected source, snippet, move_to, starts_article, office, "
            "district, year",
        ),
        (
            "- source: page.txt\n  snippet: 沟赵\n  office: 沟赵办事处\n  office: 枫杨办事处\n",
            4,
            "duplicate key 'office' (first on line 3)",
        ),
        (
            "- source: page.txt\n  snippet: 沟赵\n  office: 沟赵办事处\n  move_to: 枫杨\n",
            1,
            "entry 1: needs one of 'move_to' or 'starts_article', or any of 'office', 'district', 'year'",
        ),
    ],
    ids=["syntax", "missing-key", "unknown-key", "duplicate-key", "both-actions"],
)
def test_malformed_overrides_file_is_named_with_its_line(
    raw_dir: Path, out_dir: Path, capsys, data_copy: Path, content: str, line: int, problem: str
) -> None:
    overrides = data_copy / "overrides.yml"
    overrides.write_text(content, encoding="utf-8")
    _write(raw_dir, "page.txt", PAGE)
    code, out, err = _cli(capsys, raw_dir, out_dir)
    assert (code, out, err) == (2, "", _error_line(overrides, problem, line))


@pytest.mark.parametrize(
    "content", ["", "# no overrides yet\n", "[]\n"], ids=["empty", "comments", "empty-list"]
)
def test_overrides_file_without_entries_means_no_overrides(tmp_path: Path, content: str) -> None:
    path = tmp_path / "overrides.yml"
    path.write_text(content, encoding="utf-8")
    assert load_overrides(path) == []


@pytest.mark.parametrize(
    "read",
    [load_overrides, load_year_cues, load_codebook, load_measure_lexicon],
    ids=["overrides", "year_cues", "themes", "measures"],
)
def test_data_file_saved_in_gbk_is_refused_naming_it(tmp_path: Path, read) -> None:
    path = tmp_path / "data.yml"
    path.write_bytes("- source: 页面.txt\n".encode("gbk"))
    with pytest.raises(GovnewsError) as error:
        read(path)
    assert error.value.path.name == "data.yml"
    assert "UTF-8" in error.value.problem or "utf-8" in error.value.problem


# ----------------------------------------------------------------------------- 15 unmatched override


def test_override_that_matches_nothing_is_a_warning_naming_it(
    raw_dir: Path, out_dir: Path, capsys, data_copy: Path
) -> None:
    (data_copy / "overrides.yml").write_text(
        "- {source: page.txt, snippet: 不存在的段落, office: 沟赵办事处}\n", encoding="utf-8"
    )
    _write(raw_dir, "page.txt", PAGE)
    code, out, err = _cli(capsys, raw_dir, out_dir)
    assert (code, err) == (0, "")
    assert (
        "warning: override matched nothing: page.txt: “不存在的段落” → office 沟赵办事处" in out.splitlines()
    )


# ----------------------------------------------------------------------------- 16–18 the raw folder


def test_raw_folder_without_txt_files_is_refused(raw_dir: Path, out_dir: Path, capsys) -> None:
    _write(raw_dir, "notes.md", PAGE)
    code, out, err = _cli(capsys, raw_dir, out_dir)
    problem = "no .txt files in the raw folder; put page dumps (plain text) there"
    assert (code, out, err) == (2, "", _error_line(raw_dir, problem))


def test_missing_raw_folder_is_refused(tmp_path: Path, out_dir: Path, capsys) -> None:
    code, out, err = _cli(capsys, tmp_path / "nowhere", out_dir)
    assert (code, out, err) == (2, "", _error_line(tmp_path / "nowhere", "raw folder does not exist"))


def test_skip_bad_with_every_file_rejected_names_the_rejected_files(
    raw_dir: Path, out_dir: Path, capsys
) -> None:
    _write(raw_dir, "a.txt", b"")
    _write(raw_dir, "b.txt", b" \n")
    code, out, err = _cli(capsys, raw_dir, out_dir, "--skip-bad")
    assert code == 2
    assert "a.txt: file is empty" in out + err
    assert "b.txt: file holds only whitespace" in out + err


def test_file_name_with_spaces_and_chinese_characters(raw_dir: Path, out_dir: Path, capsys) -> None:
    # 17
    _write(raw_dir, "沟赵 办事处 第1版.txt", PAGE)
    code, _, err = _cli(capsys, raw_dir, out_dir)
    assert (code, err) == (0, "")
    articles = read_table("articles", out_dir)
    assert articles[["article_id", "source", "title"]].values.tolist() == [
        ["沟赵 办事处 第1版-01", "沟赵 办事处 第1版.txt", TITLE]
    ]


def test_bad_file_with_spaces_and_chinese_characters_is_named_exactly(
    raw_dir: Path, out_dir: Path, capsys
) -> None:
    bad = _write(raw_dir, "空白 页.txt", b"")
    code, _, err = _cli(capsys, raw_dir, out_dir)
    assert (code, err) == (2, _error_line(bad, "file is empty; nothing to read"))


def test_folder_symlink_loop_is_not_followed(raw_dir: Path, out_dir: Path, capsys) -> None:
    # 18
    _write(raw_dir, "page.txt", PAGE)
    (raw_dir / "loop").symlink_to(raw_dir, target_is_directory=True)
    code, _, err = _cli(capsys, raw_dir, out_dir)
    assert (code, err) == (0, "")
    assert read_table("sources", out_dir)["source"].tolist() == ["page.txt"]


def test_looping_txt_link_is_refused_naming_it(raw_dir: Path, out_dir: Path, capsys) -> None:
    _write(raw_dir, "page.txt", PAGE)
    link = raw_dir / "self.txt"
    link.symlink_to(link)
    code, _, err = _cli(capsys, raw_dir, out_dir)
    assert (code, err) == (2, _error_line(link, "cannot read file: Too many levels of symbolic links"))


def test_looping_txt_link_is_rejected_with_skip_bad(raw_dir: Path, out_dir: Path, capsys) -> None:
    _write(raw_dir, "page.txt", PAGE)
    (raw_dir / "b.txt").symlink_to(raw_dir / "c.txt")
    (raw_dir / "c.txt").symlink_to(raw_dir / "b.txt")
    code, _, err = _cli(capsys, raw_dir, out_dir, "--skip-bad")
    assert (code, err) == (0, "")
    rejected = read_table("rejected", out_dir)
    assert rejected.values.tolist() == [
        ["b.txt", 0, "cannot read file: Too many levels of symbolic links"],
        ["c.txt", 0, "cannot read file: Too many levels of symbolic links"],
    ]


# ----------------------------------------------------------------------------- 19 output folder


def _previous_build(raw: Path, out: Path, capsys) -> dict[str, bytes]:
    """Build once, then change the input so that a second build would write different tables."""
    _write(raw, "page.txt", PAGE)
    assert _cli(capsys, raw, out)[0] == 0
    _write(raw, "other.txt", OTHER_PAGE)
    return _contents(out)


def _contents(out: Path) -> dict[str, bytes]:
    # Per-file tables are folders (Parquet datasets): compare every file below the output folder.
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in out.rglob("*") if path.is_file()}


def _assert_left_intact(out: Path, before: dict[str, bytes]) -> None:
    after = _contents(out)
    assert sorted(after) == sorted(before)  # no temporary file left behind
    assert after == before


def test_output_folder_that_is_a_file_is_refused(raw_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    out.write_text("not a folder", encoding="utf-8")
    _write(raw_dir, "page.txt", PAGE)
    code, _, err = _cli(capsys, raw_dir, out)
    assert (code, err) == (2, _error_line(out, "the output folder is a file; name a folder for the tables"))


def test_output_folder_under_a_file_is_refused(raw_dir: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    out = tmp_path / "file" / "out"
    _write(raw_dir, "page.txt", PAGE)
    code, _, err = _cli(capsys, raw_dir, out, cache=tmp_path / "cache")
    assert (code, err) == (2, _error_line(out, "cannot write tables: Not a directory"))


def test_unwritable_output_folder_is_refused_and_previous_tables_stay(
    raw_dir: Path, out_dir: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _previous_build(raw_dir, out_dir, capsys)
    real_mkstemp = tempfile.mkstemp

    def unwritable(*args, dir=None, **kwargs):  # 'dir' is tempfile.mkstemp's keyword
        # Tests run as root here, where chmod cannot make a folder unwritable: refuse as the OS would.
        if dir is not None and Path(dir) == out_dir:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(dir))
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", unwritable)
    code, _, err = _cli(capsys, raw_dir, out_dir)
    assert (code, err) == (2, _error_line(out_dir, "cannot write tables: Permission denied"))
    _assert_left_intact(out_dir, before)


def test_full_disk_while_writing_csv_leaves_previous_tables_intact(
    raw_dir: Path, out_dir: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _previous_build(raw_dir, out_dir, capsys)
    real_write_csv = pyarrow.csv.write_csv
    calls = []

    def fill_disk(table, destination, *args, **kwargs):
        written_to = Path(str(getattr(destination, "name", "")))
        if written_to.parent.name.startswith(f".{out_dir.name}.new-"):
            calls.append(1)  # the build's own pieces (in the cache) fit; the tables (beside out) do not
        if len(calls) > 3:  # a few tables fit, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write_csv(table, destination, *args, **kwargs)

    monkeypatch.setattr(pyarrow.csv, "write_csv", fill_disk)
    code, _, err = _cli(capsys, raw_dir, out_dir)
    assert (code, err) == (2, _error_line(out_dir, "cannot write tables: No space left on device"))
    _assert_left_intact(out_dir, before)


def test_full_disk_everywhere_is_a_clear_error(
    raw_dir: Path, out_dir: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _previous_build(raw_dir, out_dir, capsys)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pyarrow.parquet, "write_table", full)
    monkeypatch.setattr(pyarrow.csv, "write_csv", full)
    code, _, err = _cli(capsys, raw_dir, out_dir)
    assert code == 2
    assert err.startswith("govnews: error: ") and err.endswith(": No space left on device\n")
    _assert_left_intact(out_dir, before)


# ----------------------------------------------------------------------------- security


def _package_sources() -> list[tuple[Path, str]]:
    return [(path, path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.rglob("*.py"))]


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (
            r"\bpickle\b|\bshelve\b|\bmarshal\b|\bdill\b|\bjoblib\b|read_pickle|to_pickle",
            "unpickling runs code",
        ),
        (r"\beval\(", "eval runs code"),
        (r"\bexec\(", "exec runs code"),
        (r"yaml\.load\((?![^)]*SafeLoader)", "yaml.load without SafeLoader builds any object"),
        (r"yaml\.(?:unsafe_load|full_load|load_all|Loader\b|UnsafeLoader|FullLoader)", "unsafe YAML loader"),
        (r"shell\s*=\s*True|os\.system\(", "a shell command line"),
    ],
    ids=["pickle", "eval", "exec", "yaml-load", "yaml-unsafe", "shell"],
)
def test_package_source_has_no_code_execution_from_data(pattern: str, why: str) -> None:
    offending = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path, text in _package_sources()
        for number, line in enumerate(text.splitlines(), start=1)
        if re.search(pattern, line)
    ]
    assert offending == [], why


def test_build_caches_are_parquet_json_or_csv_only(raw_dir: Path, out_dir: Path, capsys) -> None:
    _write(raw_dir, "page.txt", PAGE)
    assert _cli(capsys, raw_dir, out_dir)[0] == 0
    cache = out_dir.parent / "cache"
    files = [path for path in cache.rglob("*") if path.is_file()]
    assert files
    assert {path.suffix for path in files} <= {".parquet", ".json", ".csv", ".lock"}  # data, never pickles
    assert all(path.stat().st_size == 0 for path in files if path.suffix == ".lock")
    assert {path.suffix for path in out_dir.iterdir()} == {".parquet", ".csv"}


@pytest.mark.parametrize("source", ["../x.txt", "sub/../../x.txt", "/etc/passwd", "/tmp/x.txt"])
def test_override_source_cannot_leave_the_raw_folder(tmp_path: Path, source: str) -> None:
    path = tmp_path / "overrides.yml"
    path.write_text(f"- source: {source}\n  snippet: 沟赵\n  office: 沟赵办事处\n", encoding="utf-8")
    with pytest.raises(GovnewsError) as error:
        load_overrides(path)
    assert (error.value.path, error.value.line) == (path, 1)
    assert error.value.problem == "entry 1: source must be a file name inside the raw folder"


def test_override_escaping_the_raw_folder_stops_the_cli(
    raw_dir: Path, out_dir: Path, capsys, data_copy
) -> None:
    overrides = data_copy / "overrides.yml"
    overrides.write_text("- {source: ../secret.txt, snippet: x, office: 沟赵办事处}\n", encoding="utf-8")
    _write(raw_dir, "page.txt", PAGE)
    code, out, err = _cli(capsys, raw_dir, out_dir)
    problem = "entry 1: source must be a file name inside the raw folder"
    assert (code, out, err) == (2, "", _error_line(overrides, problem, 1))
