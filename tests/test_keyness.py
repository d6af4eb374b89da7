"""Tests of govnews.text.keyness against statistics computed by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from govnews import schema
from govnews.text.keyness import count_office_tokens, keyness_by_office, keyness_from_counts


def _corpus(counts: dict[str, dict[str, int]], stopwords: frozenset[str] = frozenset()):
    """Sentences and tokens: office → {token: count}; each office's tokens form one sentence."""
    sentence_rows, token_rows = [], []
    for number, (office, tokens) in enumerate(counts.items(), start=1):
        article_id = f"a{number}"
        sentence_rows.append((article_id, 1, office))
        words = [token for token, count in tokens.items() for _ in range(count)]
        token_rows += [
            (article_id, 1, index, word, word in stopwords) for index, word in enumerate(words, start=1)
        ]
    sentences = pd.DataFrame(sentence_rows, columns=["article_id", "sentence_no", "office"])
    tokens = pd.DataFrame(
        token_rows, columns=["article_id", "sentence_no", "token_no", "token", "is_stopword"]
    )
    return tokens, sentences


# Office 甲: 100 eligible tokens, 网格 10 times, 工作 90 times; office 乙: 200 tokens, 网格 5, 工作 195.
HAND_CORPUS = {"甲": {"网格": 10, "工作": 90}, "乙": {"网格": 5, "工作": 195}}


@pytest.fixture(scope="module")
def hand_table() -> pd.DataFrame:
    return keyness_by_office(*_corpus(HAND_CORPUS), min_count=5).set_index(["office", "term"])


def test_g2_expected_and_log_ratio_by_hand(hand_table):
    # 甲 vs 乙 for 网格: a=10, b=5, c=100, d=200, N=300.
    # E1 = 100·15/300 = 5, E2 = 200·15/300 = 10.
    # G² = 2·(10·ln(10/5) + 5·ln(5/10)) = 2·(10 − 5)·ln 2 = 10·ln 2 = 6.931472 (over-used: 10/100 > 5/200).
    # p = erfc(√(G²/2)) = erfc(√(5·ln 2)) = erfc(1.861649) = 0.0084692.
    # log ratio = log2((10/100)/(5/200)) = log2(4) = 2.
    row = hand_table.loc[("甲", "网格")]
    assert row["count_target"] == 10
    assert row["count_reference"] == 5
    assert row["expected_target"] == pytest.approx(5.0)
    assert row["expected_reference"] == pytest.approx(10.0)
    assert row["g2"] == pytest.approx(10 * math.log(2))
    assert row["p_value"] == pytest.approx(0.0084692, rel=1e-4)
    assert row["log_ratio"] == pytest.approx(2.0)


def test_under_use_gets_a_negative_sign(hand_table):
    # 乙 vs 甲 for 网格: a=5, b=10, c=200, d=100; E1 = 10, E2 = 5.
    # G² = 2·(5·ln(5/10) + 10·ln(10/5)) = 10·ln 2, negative because 5/200 < 10/100.
    # log ratio = log2((5/200)/(10/100)) = log2(1/4) = −2.
    row = hand_table.loc[("乙", "网格")]
    assert row["g2"] == pytest.approx(-10 * math.log(2))
    assert row["log_ratio"] == pytest.approx(-2.0)
    assert row["p_value"] == pytest.approx(hand_table.loc[("甲", "网格"), "p_value"])


def test_benjamini_hochberg_within_the_office(hand_table):
    # 甲 for 工作: a=90, b=195, c=100, d=200; E1 = 95, E2 = 190;
    # G² = 2·(90·ln(90/95) + 195·ln(195/190)) = 2·(−4.866050 + 5.065220)
    #    = 0.398340 (under-used: 90/100 < 195/200), p = erfc(√0.199170) = 0.527948.
    # BH with m = 2: sorted p 0.0084692 (rank 1) → 0.0084692·2/1 = 0.016938; 0.527948 (rank 2) → 0.527948.
    work = hand_table.loc[("甲", "工作")]
    assert work["g2"] == pytest.approx(-0.398340, rel=1e-5)
    assert work["p_value"] == pytest.approx(0.527948, rel=1e-5)
    assert work["p_adjusted"] == pytest.approx(0.527948, rel=1e-5)
    assert hand_table.loc[("甲", "网格"), "p_adjusted"] == pytest.approx(2 * 0.0084692, rel=1e-4)


def test_zero_count_is_replaced_by_half_in_the_log_ratio():
    # 丙 never uses 网格: a=0 → 0.5; c=10, b=10, d=20: log2((0.5/10)/(10/20)) = log2(0.1) = −3.3219.
    tokens, sentences = _corpus({"丙": {"工作": 10}, "丁": {"网格": 10, "工作": 10}})
    table = keyness_by_office(tokens, sentences, min_count=1).set_index(["office", "term"])
    assert table.loc[("丙", "网格"), "count_target"] == 0
    assert table.loc[("丙", "网格"), "log_ratio"] == pytest.approx(math.log2(0.1))


def test_log_ratio_is_empty_when_the_half_count_reverses_its_sign():
    # 戊 has 2 tokens and never uses 网格; 己 uses it once in 100: a=0 → 0.5, c=2, b=1, d=100.
    # log2((0.5/2)/(1/100)) = log2(25) > 0, yet 戊 uses 网格 less (0/2 < 1/100): no log ratio.
    tokens, sentences = _corpus({"戊": {"工作": 2}, "己": {"网格": 1, "工作": 99}})
    table = keyness_by_office(tokens, sentences, min_count=1).set_index(["office", "term"])
    assert table.loc[("戊", "网格"), "g2"] < 0
    assert math.isnan(table.loc[("戊", "网格"), "log_ratio"])


@pytest.mark.parametrize(
    ("token", "kept"),
    [
        ("网格", True),
        ("的", False),  # single character
        ("2023", False),  # pure number
        ("3.5", False),
        ("95%", False),
        ("2023年", True),  # a number with a word is a word
        ("据了解", False),  # flagged stopword
    ],
)
def test_excluded_tokens(token, kept):
    tokens, sentences = _corpus(
        {"甲": {token: 6, "工作": 6}, "乙": {"工作": 6}}, stopwords=frozenset({"据了解"})
    )
    table = keyness_by_office(tokens, sentences, min_count=1)
    assert (token in set(table["term"])) is kept


def test_terms_below_min_count_in_the_corpus_are_not_tested():
    tokens, sentences = _corpus({"甲": {"网格": 2, "工作": 6}, "乙": {"网格": 2, "工作": 6}})
    assert set(keyness_by_office(tokens, sentences, min_count=5)["term"]) == {"工作"}
    assert set(keyness_by_office(tokens, sentences, min_count=4)["term"]) == {"网格", "工作"}


def test_one_office_has_no_reference():
    tokens, sentences = _corpus({"甲": {"网格": 10}})
    assert_frame_equal(keyness_by_office(tokens, sentences), schema.empty_table("keyness"))


def test_rows_sorted_by_office_then_descending_g2():
    table = keyness_by_office(*_corpus({**HAND_CORPUS, "": {"网格": 3, "工作": 30}}), min_count=5)
    assert table["office"].drop_duplicates().tolist() == ["乙", "甲", ""]
    for _, rows in table.groupby("office", sort=False):
        assert rows["g2"].is_monotonic_decreasing
    assert list(table.columns) == schema.column_names("keyness")


def _office_counts(counts: dict[str, dict[str, int]]) -> pd.DataFrame:
    """The token_counts of office → {token: count}, each office's tokens one sentence."""
    offices = list(counts)
    tokens = [[token for token, count in words.items() for _ in range(count)] for words in counts.values()]
    return count_office_tokens(offices, tokens)


def test_keyness_from_counts_of_separate_files_equals_keyness_of_the_whole():
    # Counts add up, so the build counts file by file and compares offices from the sums.
    whole = keyness_by_office(*_corpus(HAND_CORPUS), min_count=5)
    first = _office_counts({"甲": {"网格": 10, "工作": 40}, "乙": {"工作": 95}})
    second = _office_counts({"甲": {"工作": 50}, "乙": {"网格": 5, "工作": 100}})
    assert_frame_equal(keyness_from_counts(pd.concat([first, second]), min_count=5), whole)


def test_token_counts_count_eligible_tokens_per_office():
    counts = _office_counts({"甲": {"网格": 3, "的": 4}, "乙": {"网格": 1}})
    assert counts.to_dict("records") == [
        {"office": "乙", "token": "网格", "count": 1},
        {"office": "甲", "token": "网格", "count": 3},
    ]
