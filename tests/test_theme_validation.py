"""Tests of govnews.theme_validation: sampling, reading and matching a coding, scores, office comparison."""

from __future__ import annotations

import csv
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from govnews import schema
from govnews.cli import main
from govnews.errors import GovnewsError
from govnews.text.segment import make_tokenizer
from govnews.text.themes import diagnose_codebook, read_codebook
from govnews.theme_validation import (
    compare_office_themes,
    draw_sample,
    format_scores,
    match_coding,
    read_coding,
    score_coding,
    term_precision,
    theme_rank_agreement,
    write_coding,
)

REFERENCE_SCORER = Path(__file__).resolve().parents[2] / "shared" / "gold" / "score_themes.py"
THEMES = ["党建", "网格", "安全"]

# Two source files; article a1 (office 甲) has three sentences, a2 (office 乙) two, b1 (district level) one.
SENTENCE_ROWS = [
    ("a1", 1, "甲", "社区党支部组织党员学习。"),
    ("a1", 2, "甲", "网格员每天走访居民。"),
    ("a1", 3, "甲", "天气晴朗。"),
    ("a2", 1, "乙", "网格员排查安全隐患。"),
    ("a2", 2, "乙", "居民纷纷点赞，表示满意。"),
    ("b1", 1, "", "2023"),
]
HIT_ROWS = [
    ("a1", 1, "甲", "党建", "党支部"),
    ("a1", 1, "甲", "党建", "党员"),
    ("a1", 2, "甲", "网格", "网格员"),
    ("a2", 1, "乙", "网格", "网格员"),
    ("a2", 1, "乙", "安全", "安全隐患"),
    ("a2", 2, "乙", "安全", "满意"),
]


def _sentences(rows=SENTENCE_ROWS) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["article_id", "sentence_no", "office", "text"])
    frame["n_chars"] = frame["text"].str.len()
    frame["part"], frame["paragraph_no"], frame["offices_mentioned"] = "body", 1, ""
    return schema.conform(frame, "sentences")


def _articles() -> pd.DataFrame:
    frame = pd.DataFrame({"article_id": ["a1", "a2", "b1"], "source": ["x.txt", "x.txt", "y.txt"]})
    return frame.astype("string")


def _hits(rows=HIT_ROWS) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["article_id", "sentence_no", "office", "theme", "term"])
    return schema.conform(frame.assign(match_type="token", evidence="strong"), "theme_hits")


def _coding(rows: list[tuple[str, str, str]], tmp_path: Path) -> Path:
    path = tmp_path / "coding.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "sentence", "themes"])
        writer.writerows(rows)
    return path


# The coder: a1/1 党建; a1/2 网格|安全; a1/3 nothing; a2/1 网格|安全; a2/2 nothing; one row of another
# source matches nothing; one row is only partly the built sentence (more than half: it matches).
CODED_ROWS = [
    ("x.txt", "社区党支部组织党员学习。", "党建"),
    ("x.txt", "网格员每天走访居民", "网格|安全"),
    ("x.txt", "天气晴朗。", ""),
    ("x.txt", "网格员排查安全隐患，", " 网格 | 安全 "),
    ("x.txt", "居民纷纷点赞，表示满意啊", ""),
    ("z.txt", "社区党支部组织党员学习。", "党建"),
]


@pytest.fixture
def matched(tmp_path) -> pd.DataFrame:
    return match_coding(read_coding(_coding(CODED_ROWS, tmp_path), THEMES), _sentences(), _articles())


# --- sample -----------------------------------------------------------------------------------------------


def test_sample_draws_codable_sentences_in_reading_order():
    sample = draw_sample(_sentences(), _articles(), n=10)
    # b1's "2023" has no Chinese character: it is never drawn; all five others are, in order.
    assert sample["sentence"].tolist() == [row[3] for row in SENTENCE_ROWS[:5]]
    assert sample["source"].tolist() == ["x.txt"] * 5
    assert sample["themes"].tolist() == [""] * 5


def test_sample_is_random_but_reproducible():
    sentences = _sentences([("a1", number, "甲", f"第{number}句话。") for number in range(1, 201)])
    first = draw_sample(sentences, _articles(), n=20, seed=1)
    assert_frame_equal(first, draw_sample(sentences, _articles(), n=20, seed=1))
    assert (
        first["sentence"].tolist() != draw_sample(sentences, _articles(), n=20, seed=2)["sentence"].tolist()
    )
    numbers = [int(text[1:-3]) for text in first["sentence"]]
    assert numbers == sorted(numbers) and len(set(numbers)) == 20


def test_sample_needs_a_positive_size():
    with pytest.raises(ValueError, match="at least one"):
        draw_sample(_sentences(), _articles(), n=0)


def test_a_written_sample_opens_as_utf8_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "sample.csv"
    write_coding(draw_sample(_sentences(), _articles(), n=2), path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfsource,sentence,themes")
    assert read_coding(path, THEMES)["themes"].tolist() == [frozenset(), frozenset()]


# --- reading and matching a coding -------------------------------------------------------------------------


def test_coding_themes_are_split_at_bars_and_stripped(tmp_path):
    coding = read_coding(_coding(CODED_ROWS, tmp_path), THEMES)
    assert coding["themes"].tolist()[:4] == [{"党建"}, {"网格", "安全"}, set(), {"网格", "安全"}]


@pytest.mark.parametrize(
    ("content", "fragment", "line"),
    [
        ("source,sentence,themes\nx.txt,一句话,党建\nx.txt,又一句,党件\n", "unknown theme '党件'", 3),
        ("source,sentence\nx.txt,一句话\n", "lacks column(s) themes", 1),
    ],
)
def test_a_broken_coding_names_file_problem_and_line(tmp_path, content, fragment, line):
    path = tmp_path / "coding.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GovnewsError) as caught:
        read_coding(path, THEMES)
    assert caught.value.path == path
    assert fragment in caught.value.problem
    assert caught.value.line == line


def test_a_coding_in_another_encoding_is_an_error(tmp_path):
    path = tmp_path / "coding.csv"
    path.write_bytes("source,sentence,themes\nx.txt,一句话,党建\n".encode("gb18030"))
    with pytest.raises(GovnewsError, match="not UTF-8"):
        read_coding(path, THEMES)


def test_coded_sentences_find_their_built_sentence(matched):
    assert matched["article_id"].tolist() == ["a1", "a1", "a1", "a2", "a2", pd.NA]
    assert matched["sentence_no"].tolist() == [1, 2, 3, 1, 2, pd.NA]


def test_a_coded_sentence_sharing_less_than_half_is_unmatched():
    coding = pd.DataFrame(
        {"source": ["x.txt"], "sentence": ["网格员走访了辖区内的每一户居民家庭"], "themes": [set()]}
    )
    assert match_coding(coding, _sentences(), _articles())["sentence_no"].isna().all()


# --- scores -------------------------------------------------------------------------------------------------


def test_scores_by_hand(matched):
    scores = score_coding(matched, _hits()).set_index("theme")
    # 党建: tool a1/1, coder a1/1 → tp 1. 网格: tool a1/2 a2/1, coder a1/2 a2/1 → tp 2.
    # 安全: tool a2/1 a2/2, coder a1/2 a2/1 → tp 1 (a2/1), fp 1 (a2/2), fn 1 (a1/2).
    assert scores.loc["安全", ["true_positives", "false_positives", "false_negatives"]].tolist() == [1, 1, 1]
    assert scores.loc["安全", ["precision", "recall", "f1", "support"]].tolist() == [0.5, 0.5, 0.5, 2]
    assert scores.loc["网格", ["precision", "recall", "f1"]].tolist() == [1.0, 1.0, 1.0]
    micro = scores.loc[""]
    assert (micro["true_positives"], micro["false_positives"], micro["false_negatives"]) == (4, 1, 1)
    assert micro["precision"] == 0.8 and micro["f1"] == 0.8
    summary = format_scores(score_coding(matched, _hits()), matched).splitlines()[-1]
    assert '"sentences": 6, "unmatched_share": 0.167' in summary


@pytest.mark.skipif(not REFERENCE_SCORER.exists(), reason="the reference scorer is not in ../shared/gold")
def test_scores_equal_the_reference_scorer(tmp_path, matched):
    tables = tmp_path / "tables"
    tables.mkdir()
    _sentences().to_csv(tables / "sentences.csv", index=False, encoding="utf-8-sig")
    _articles().to_csv(tables / "articles.csv", index=False, encoding="utf-8-sig")
    _hits().to_csv(tables / "theme_hits.csv", index=False, encoding="utf-8-sig")
    coding = _coding(CODED_ROWS, tmp_path)
    reference = subprocess.run(
        [sys.executable, str(REFERENCE_SCORER), str(coding), str(tables)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert format_scores(score_coding(matched, _hits()), matched) == reference.stdout.strip()


# --- office comparison and term precision ---------------------------------------------------------------


def test_office_comparison_by_hand(matched):
    comparison = compare_office_themes(matched, _sentences(), _hits(), THEMES)
    assert comparison["office"].drop_duplicates().tolist() == ["乙", "甲"]
    jia = comparison.loc[comparison["office"] == "甲"].set_index("theme")
    # 甲's coded text: a1/1-3, 12 + 10 + 5 characters.
    assert jia["n_chars"].tolist() == [27] * 3
    assert jia["human_sentences"].tolist() == [1, 1, 1]
    assert jia["tool_sentences"].tolist() == [1, 1, 0]
    assert np.allclose(jia["human_rate_per_10k_chars"], np.array([1, 1, 1]) * 10_000 / 27)
    # The coder ranks the three themes alike: no rank agreement can be read.
    assert jia["rank_agreement"].isna().all()
    yi = comparison.loc[comparison["office"] == "乙"].set_index("theme")
    # 乙: coder (0, 1, 1), tool (0, 1, 2): ranks (1, 2.5, 2.5) and (1, 2, 3).
    assert yi["tool_sentences"].tolist() == [0, 1, 2]
    assert math.isclose(yi["rank_agreement"].iloc[0], 0.8660254, rel_tol=1e-6)


def test_rank_agreement_across_offices_needs_enough_text_and_offices(matched):
    comparison = compare_office_themes(matched, _sentences(), _hits(), THEMES)
    agreement = theme_rank_agreement(comparison, min_chars=0)
    assert agreement["n_offices"].tolist() == [2, 2, 2]
    assert agreement["rank_agreement"].isna().all()  # two offices are too few to rank
    assert theme_rank_agreement(comparison, min_chars=100)["n_offices"].tolist() == [0, 0, 0]


def test_term_precision_lists_the_terms_that_fire_where_the_coder_saw_another_theme(matched):
    precision = term_precision(matched, _hits())
    assert precision.iloc[0].tolist() == ["安全", "满意", 1, 1, 0.0]
    assert precision.set_index("term").loc["网格员", ["n_hits", "n_false_hits"]].tolist() == [2, 0]


def test_diagnostics_gain_the_false_hits_of_a_coding(matched):
    codebook = read_codebook(
        "themes:\n  - {name: 党建, description: d, terms: [党支部, 党员]}\n"
        "  - {name: 网格, description: d, terms: [网格员]}\n  - {name: 安全, description: d, terms: [安全隐患, 满意]}\n"
    )
    segmenter = make_tokenizer([("网格员", None, None), ("党支部", None, None)])
    diagnostics = diagnose_codebook(codebook, None, segmenter, hits=_hits(), coding=matched)
    false = diagnostics.loc[diagnostics["problem"] == "false_hits"]
    assert false[["term", "n_hits", "n_false_hits", "precision"]].values.tolist() == [["满意", 1, 1, 0.0]]
    assert diagnose_codebook(codebook, None, segmenter, hits=_hits())["problem"].tolist() == []


# --- the command line ----------------------------------------------------------------------------------------


def test_sample_and_validate_themes_from_the_command_line(tmp_path, capsys):
    tables = tmp_path / "tables"
    tables.mkdir()
    _sentences().to_parquet(tables / "sentences.parquet")
    articles = pd.DataFrame({column.name: [None] * 3 for column in schema.TABLES["articles"]})
    articles[["article_id", "source"]] = _articles()[["article_id", "source"]]
    schema.conform(articles, "articles").to_parquet(tables / "articles.parquet")
    # Themes of the project's codebook, so that the coding below names known themes.
    hits = _hits([("a1", 2, "甲", "基层治理与网格化", "网格员"), ("a2", 1, "乙", "安全与防汛", "安全隐患")])
    hits.to_parquet(tables / "theme_hits.parquet")
    sample = tmp_path / "sample.csv"
    assert main(["sample", "--n", "3", "--out", str(sample), "--tables", str(tables)]) == 0
    assert "wrote 3 sentences" in capsys.readouterr().out
    coded = _coding(
        [
            ("x.txt", "网格员每天走访居民。", "基层治理与网格化"),
            ("x.txt", "网格员排查安全隐患。", "安全与防汛"),
        ],
        tmp_path,
    )
    assert main(["validate-themes", "--gold", str(coded), "--tables", str(tables)]) == 0
    out = capsys.readouterr().out
    assert '"theme_f1": 1.0' in out
    assert "基层治理与网格化" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("source,sentence,themes\nx.txt,一句,没有这个主题\n", encoding="utf-8")
    assert main(["validate-themes", "--gold", str(bad), "--tables", str(tables)]) == 2
    assert "unknown theme '没有这个主题'" in capsys.readouterr().err
