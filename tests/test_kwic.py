"""Tests of govnews.extract.kwic: terms, theme names and measure names in context."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from govnews.errors import GovnewsError
from govnews.extract.kwic import KWIC_COLUMNS, kwic
from govnews.text.themes import read_codebook

SENTENCES = pd.DataFrame(
    {
        "article_id": ["a", "a", "b"],
        "sentence_no": [1, 2, 1],
        "office": ["甲办事处", "甲办事处", ""],
        "text": ["推行网格化管理，网格员每天巡查。", "推进一件“事”主题服务。", "网格长带队。"],
    }
)

CODEBOOK = read_codebook(
    """
themes:
  - name: 基层治理
    description: d
    terms: [网格, 网格员, '"网格化管理"']
"""
)


def _expected(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(KWIC_COLUMNS)).astype(KWIC_COLUMNS)


def test_substring_with_context_cut_at_the_sentence_ends():
    expected = _expected(
        [
            ("a", 1, "甲办事处", "推行", "网格", "化管理，"),
            ("a", 1, "甲办事处", "化管理，", "网格", "员每天巡"),
            ("b", 1, "", "", "网格", "长带队。"),
        ]
    )
    assert_frame_equal(kwic(SENTENCES, "网格", window=4), expected)


def test_theme_name_searches_all_its_terms_longest_first():
    found = kwic(SENTENCES, "基层治理", window=2, codebook=CODEBOOK)
    assert found["match"].tolist() == ["网格化管理", "网格员", "网格"]


def test_theme_name_without_codebook_is_a_plain_search():
    assert kwic(SENTENCES, "基层治理").empty


def test_measure_name_finds_quoted_spellings_and_variants():
    measures = pd.DataFrame(
        {
            "name": ["一件事主题服务", "一件事"],
            "canonical": ["一件事主题服务", "一件事主题服务"],
        }
    )
    found = kwic(SENTENCES, "一件事", window=2, measures=measures)
    assert_frame_equal(found, _expected([("a", 2, "甲办事处", "推进", "一件“事”主题服务", "。")]))


@pytest.mark.parametrize(("term", "window"), [("", 15), ("网格", -1)])
def test_bad_arguments_are_refused(term, window):
    with pytest.raises(GovnewsError):
        kwic(SENTENCES, term, window=window)


def test_no_occurrence_gives_an_empty_table():
    assert_frame_equal(kwic(SENTENCES, "防汛"), _expected([]))
