"""Tables for people: numbers as a reader writes them, one language, no codes; the boilerplate list's loader."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from govnews.errors import GovnewsError
from govnews.present.labels import column_label
from govnews.present.readable import format_number, format_p_value, readable_table
from govnews.resources.boilerplate import load_boilerplate


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (36.0, "36"),
        (3.6e10, "36,000,000,000"),
        (1234.56, "1,235"),
        (12.345, "12.3"),
        (0.1234, "0.12"),
        (math.nan, ""),
    ],
)
def test_numbers_read_as_a_person_writes_them(value: float, shown: str) -> None:
    assert format_number(value) == shown


@pytest.mark.parametrize(("value", "shown"), [(1.650826e-12, "< 0.001"), (0.0123, "0.012"), (math.nan, "")])
def test_p_values_never_show_more_precision_than_the_test_has(value: float, shown: str) -> None:
    assert format_p_value(value) == shown


def test_a_table_for_readers_has_no_codes_exponents_or_missing_markers() -> None:
    frame = pd.DataFrame(
        {
            "office": ["甲办事处", None],
            "year": pd.array([2023, None], dtype="Int64"),
            "value": [3.6e1, 1.0e10],
            "share_of_sentences": [0.125, 0.5],
            "p_adjusted": [1.65e-12, 0.2],
            "is_numeric_slogan": [True, False],
            "verdict": ["unverifiable", "consistent"],
        }
    )
    zh = readable_table(frame, "zh")
    assert zh.columns.tolist() == ["办事处", "年份", "数值", "句子占比", "校正 p 值", "数字口号", "结论"]
    assert zh.values.tolist() == [
        ["甲办事处", "2023", "36", "12.5%", "< 0.001", "是", "无法核实"],
        ["", "", "10,000,000,000", "50%", "0.200", "否", "一致"],
    ]
    en = readable_table(frame, "en")
    assert en.columns.tolist()[:3] == ["office", "year", "value"] and en.iat[0, 5] == "yes"
    text = " ".join(zh.values.ravel()) + " ".join(en.values.ravel())
    assert "e+" not in text and "<NA>" not in text and "nan" not in text.lower()


def test_a_column_without_a_label_is_spelled_out_in_english() -> None:
    assert column_label("n_widgets", "en") == "n widgets"
    with pytest.raises(ValueError, match="unknown report language"):
        column_label("office", "fr")


def test_boilerplate_list_reads_words_and_names_a_broken_line(tmp_path: Path) -> None:
    good = tmp_path / "boilerplate.txt"
    good.write_text("# comment\n今年以来\n\n  贯彻  \n", encoding="utf-8")
    assert load_boilerplate(good) == {"今年以来", "贯彻"}
    bad = tmp_path / "bad.txt"
    bad.write_text("今年以来\n有限 公司\n", encoding="utf-8")
    with pytest.raises(GovnewsError, match=r"bad.txt:2: one word a line"):
        load_boilerplate(bad)


def test_the_shipped_boilerplate_list_loads() -> None:
    from govnews.config import project_paths
    from govnews.resources.locate import locate

    assert "今年以来" in load_boilerplate(locate(project_paths(), "boilerplate"))


def test_plain_table_puts_numbers_right_and_escapes_text() -> None:
    from govnews.present.readable import html_table

    table = html_table(pd.DataFrame({"office": ["<甲>"], "n_chars": [1234]}), "zh")
    assert '<th>办事处</th><th class="num">字数</th>' in table
    assert '<td>&lt;甲&gt;</td><td class="num">1,234</td>' in table


def test_rows_the_views_name_are_in_the_reports_language_and_data_stays() -> None:
    from govnews.present.labels import in_language, view_label
    from govnews.vocabulary import district_level_label

    frame = pd.DataFrame({"office": [district_level_label(), "甲办事处"], "kind": ["未归类", "工作法"]})
    assert readable_table(frame, "en").values.tolist() == [
        ["district-level", "unclassified"],
        ["甲办事处", "工作法"],
    ]
    assert readable_table(frame, "zh").values.tolist() == frame.values.tolist()
    assert view_label("2020年", "en") == "2020" and view_label("2020年", "zh") == "2020年"
    assert in_language(f"**{district_level_label()}**: 4 measures", "en") == "**district-level**: 4 measures"
