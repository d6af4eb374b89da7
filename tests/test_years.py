"""Publication years only from evidence that states them (govnews.ingest.years), one rule per test."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govnews.ingest.years import (
    YearEvidence,
    YearSources,
    date_year,
    dateline_year,
    file_name_year,
    find_year_evidence,
    infer_year,
    most_stated_by_others,
)


def _text(text: str, resources) -> YearEvidence:
    return find_year_evidence(text, resources.year_cues)


@pytest.mark.parametrize(
    ("line", "year"),
    [
        ("2023-05-12 10:32 来源：杭州日报", 2023),
        ("发布时间：2019/6/15 12:03:01", 2019),
        ("2024年07月08日 星期一", 2024),
        ("来源：杭州日报", None),
        ("12月18日", None),
    ],
)
def test_a_printed_date_states_its_year(line: str, year: int | None) -> None:
    assert date_year(line) == year


@pytest.mark.parametrize(
    ("name", "year"),
    [("2023-05-12_西溪.txt", 2023), ("pages/20230512_p3.txt", 2023), ("000_58cf9602f7237e79.txt", None)],
)
def test_a_date_in_the_file_name_states_its_year(name: str, year: int | None) -> None:
    assert file_name_year(name) == year


@pytest.mark.parametrize(
    ("lead", "year"),
    [("本报2023年5月12日讯 西溪街道召开会议。", 2023), ("本报杭州8月30日讯 西溪街道召开会议。", None)],
)
def test_a_dateline_with_its_year_states_it(lead: str, year: int | None) -> None:
    assert dateline_year(lead) == year


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2023年是全面贯彻党的二十大精神开局之年。", 2023),
        ("庆祝建党99周年座谈会。", 2020),
        ("庆祝建党一百周年。", 2021),
    ],
)
def test_the_text_states_its_own_year(text: str, year: int, resources) -> None:
    assert infer_year(YearSources(article=_text(text, resources)))[0] == year


@pytest.mark.parametrize(
    "text",
    [
        "1998年撤乡建镇，2013年固定资产投资50亿元。",  # past events
        "沟赵办事处2020年“双改”工作的开篇之作。",  # a programme's year is no statement of the page's
        "推进“双改”工作，学习二十大精神。",  # period cues only bound
    ],
)
def test_past_years_and_period_cues_state_no_year(text: str, resources) -> None:
    year, evidence = infer_year(YearSources(article=_text(text, resources)))
    assert year is None and evidence.startswith("no year stated; the text allows")


def test_evidence_comes_in_order_printed_page_file_metadata_text(resources) -> None:
    text = _text("2023年是开局之年。", resources)
    full = YearSources(
        printed=[(2019, "2019-06-15")],
        page_printed=[(2020, "2020年")],
        file_name=2021,
        metadata=2022,
        article=text,
    )
    assert infer_year(full) == (2019, "printed with the article: 2019-06-15")
    assert infer_year(YearSources(page_printed=[(2020, "x")], file_name=2021))[0] == 2020
    assert infer_year(YearSources(file_name=2021, metadata=2022, article=text)) == (
        2021,
        "date in the file name",
    )
    assert infer_year(YearSources(metadata=2022, article=text)) == (2022, "metadata.csv")


def test_a_statement_contradicting_a_period_cue_gives_no_year(resources) -> None:
    year, evidence = infer_year(YearSources(article=_text("2023年是开局之年。推进十三五规划。", resources)))
    assert year is None and evidence.startswith("evidence conflicts")


def test_no_evidence_gives_no_year(resources) -> None:
    assert infer_year(YearSources(article=_text("会议召开。", resources))) == (None, "")


def test_a_year_glued_to_a_digit_is_no_year(resources) -> None:
    # 12023年 is a count of years or a code, not the year 2023; 2021年 later in the text still bounds.
    evidence = _text("累计12023年是无稽之谈，2021年完成改造。", resources)
    assert evidence.stated == []
    assert evidence.lower == (2021, "2021年")


def test_targets_in_the_future_do_not_bound(resources) -> None:
    assert _text("2019年以来成效显著，到2025年建成世界一流园区。", resources).lower == (2019, "2019年")


def _most_stated_by_others_naively(stated, groups):
    """The definition: all other texts' statements of the group, in text order, counted."""
    result = []
    for index, group in enumerate(groups):
        others = [
            s
            for other, g in enumerate(groups)
            if group and other != index and g == group
            for s in stated[other]
        ]
        result.append([Counter(others).most_common(1)[0][0]] if others else [])
    return result


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(
        st.tuples(
            st.sampled_from(["", "郑州", "洛阳"]),
            st.lists(
                st.tuples(st.sampled_from([2021, 2022, 2023]), st.sampled_from(["今年", "去年"])), max_size=4
            ),
        ),
        max_size=12,
    )
)
def test_most_stated_by_others_equals_counting_all_others(texts) -> None:
    groups = [group for group, _ in texts]
    stated = [statements for _, statements in texts]
    assert most_stated_by_others(stated, groups) == _most_stated_by_others_naively(stated, groups)
