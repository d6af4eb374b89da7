"""Publication year from evidence."""

from __future__ import annotations

import pytest

from govnews.ingest.years import find_year_evidence, infer_year


def _year(article: str, page: str = "") -> int | None:
    return infer_year(find_year_evidence(article), find_year_evidence(page or article))[0]


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2023年是全面贯彻党的二十大精神开局之年。", 2023),
        ("庆祝建党99周年座谈会。", 2020),
        ("庆祝建党一百周年。", 2021),
        ("2013年固定资产投资50亿元，2022年达到102亿元。", 2022),
        ("沟赵办事处2020年“双改”工作的开篇之作。", 2020),
    ],
)
def test_year_from_the_article(text: str, year: int) -> None:
    assert _year(text) == year


def test_targets_in_the_future_are_not_evidence() -> None:
    assert _year("2019年以来成效显著，到2025年建成世界一流园区。") == 2019


def test_page_statement_dates_an_article_without_evidence() -> None:
    assert _year("潮河办事处2013年固定资产投资50亿元。", page="2023年是开局之年。") == 2023


def test_period_cue_raises_the_lower_bound() -> None:
    assert _year("自2019年7月份以来开展对接。", page="推进“双改”工作。") == 2020


def test_no_evidence_gives_no_year() -> None:
    assert infer_year(find_year_evidence("会议召开。"), find_year_evidence("会议召开。")) == (None, "")


def test_a_year_glued_to_a_digit_is_no_year() -> None:
    # 12023年 is a count of years or a code, not the year 2023; 2021年 later in the text still counts.
    evidence = find_year_evidence("累计12023年是无稽之谈，2021年完成改造。")
    assert evidence.stated == []
    assert evidence.lower == (2021, "2021年")


def test_stated_years_come_before_anniversaries_in_text_order() -> None:
    evidence = find_year_evidence("建党100周年之际。2021年是开局之年，2022年，是关键之年。")
    assert evidence.stated == [(2021, "2021年是"), (2022, "2022年，是"), (2021, "建党100周年")]
