"""Consistency checks: growth rates, parts of a total, rates against their counts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from govnews import schema
from govnews.errors import GovnewsError
from govnews.extract import checks as checks_module
from govnews.extract.checks import check_figures
from govnews.extract.figures import extract_figures_from_sentences

CHAOHE = (
    "2013年固定资产投资50亿元，2022年固定资产投资达到102亿元，增速50%，综合实力显著提升；"
    "2013年规模以上工业总产值49亿元，2022年工业总产值80亿，增速38%，工业发展突飞猛进；"
    "2013年限额以上贸易销售额27亿元，2022年限额以上贸易销售额231亿元，增速88%。"
)
DISPUTES = "今年以来，各村社区共调解矛盾纠纷220余起，成功调解210余起，调解成功率达到95%以上。"


def _checks(*texts: str) -> pd.DataFrame:
    sentences = pd.DataFrame(
        {
            "article_id": "a-01",
            "sentence_no": range(1, len(texts) + 1),
            "text": list(texts),
            "office": "",
        }
    )
    return check_figures(extract_figures_from_sentences(sentences), sentences)


def test_rates_not_tied_to_the_span_are_unverifiable_not_contradictions() -> None:
    # 增速50% beside 2013 and 2022 values matches neither the total (+104%) nor the annual rate
    # (+8.2% a year): most likely one year's rate, which the figures cannot confirm or refute
    checks = _checks(CHAOHE)
    growth = checks[checks["check"] == "growth_rate"]
    assert growth["spans"].tolist() == ["50亿元|102亿元|50%", "49亿元|80亿|38%", "27亿元|231亿元|88%"]
    assert growth["verdict"].tolist() == ["unverifiable"] * 3
    assert growth["is_inconsistent"].tolist() == [False, False, False]
    assert growth["total_growth_pct"].round(1).tolist() == [104.0, 63.3, 755.6]
    assert growth["annual_growth_pct_per_year"].round(1).tolist() == [8.2, 5.6, 26.9]


@pytest.mark.parametrize(
    ("rate", "verdict"),
    [
        ("比2013年增长50%", "contradiction"),  # tied to the whole span: +104% in total
        ("比2013年增长104%", "consistent"),
        ("年均增长20%", "contradiction"),  # tied to a year: +8.2% a year
        ("年均增长8.2%", "consistent"),
        ("增速8.2%", "consistent"),  # untied, but it matches the annual reading
        ("增速50%", "unverifiable"),
    ],
)
def test_a_rate_is_judged_against_the_span_the_text_ties_it_to(rate: str, verdict: str) -> None:
    checks = _checks(f"2013年固定资产投资50亿元，2022年固定资产投资达到102亿元，{rate}。")
    assert checks[["check", "verdict"]].values.tolist() == [["growth_rate", verdict]]
    assert checks["is_inconsistent"].tolist() == [verdict == "contradiction"]


@pytest.mark.parametrize(("multiple", "verdict"), [("2倍", "consistent"), ("3倍", "contradiction")])
def test_a_stated_multiple_is_checked(multiple: str, verdict: str) -> None:
    checks = _checks(f"2015年村集体收入40万元，2023年村集体收入82万元，是2015年的{multiple}。")
    assert checks[["check", "verdict"]].values.tolist() == [["growth_ratio", verdict]]
    assert checks["total_growth_pct"].round(1).tolist() == [105.0]


def test_growth_row_holds_evidence() -> None:
    checks = _checks("2013年固定资产投资50亿元，2022年固定资产投资达到102亿元，增速50%。")
    expected = schema.conform(
        pd.DataFrame(
            [
                {
                    "article_id": "a-01",
                    "check": "growth_rate",
                    "spans": "50亿元|102亿元|50%",
                    "stated_value": 50.0,
                    "computed_value": 104.0,
                    "is_inconsistent": False,
                    "verdict": "unverifiable",
                    "total_growth_pct": 104.0,
                    "annual_growth_pct_per_year": 100 * (102 / 50) ** (1 / 9) - 100,
                    "message": "Stated growth 50% vs 50亿元 (2013) → 102亿元 (2022): +104.0% in total, +8.2% a year "
                    "over 9 years; the text does not say over which span it was measured, and it matches "
                    "neither the total nor the annual rate.",
                }
            ]
        ),
        "figure_checks",
    )
    assert_frame_equal(checks, expected)


@pytest.mark.parametrize(
    "text",
    [
        "企业数量由100家增长到120家，增长20%。",  # total growth
        "2018年营业收入10亿元，2022年营业收入14.6亿元，年均增长10%。",  # compound annual growth
        "2021年产值12.3亿元，2022年产值13.5亿元，同比增长9.8%。",  # rounded inputs
        "2019年一般公共预算收入8.2亿元，2023年达到12.6亿元，年均增长11.3%。",  # subject not repeated
    ],
)
def test_consistent_growth_rate_is_not_flagged(text: str) -> None:
    checks = _checks(text)
    assert checks["check"].tolist() == ["growth_rate"]
    assert not checks["is_inconsistent"].any()


@pytest.mark.parametrize(
    "text",
    [
        "2022年完成投资50亿元，2023年完成投资60亿元，其中工业投资增长15%。",  # the rate is about another quantity
        "2013年绿化覆盖率30%，2022年绿化覆盖率提高到45%。",  # a new level, not a growth rate
        "全年营业收入14.6亿元，同比增长10%。",  # nothing to grow from
    ],
)
def test_growth_rate_without_a_clear_pair_is_not_checked(text: str) -> None:
    assert (_checks(text)["check"] != "growth_rate").all()


def test_rate_that_follows_from_its_counts_is_not_flagged() -> None:
    checks = _checks(DISPUTES)
    assert checks[["check", "spans", "is_inconsistent", "verdict"]].values.tolist() == [
        ["rate_vs_counts", "220余起|210余起|95%以上", False, "consistent"]
    ]
    assert checks["computed_value"].round(1).tolist() == [95.5]


def test_rate_that_contradicts_its_counts_is_flagged() -> None:
    checks = _checks("排查隐患126处，整改到位120处，整改率75%。")
    assert checks[["check", "is_inconsistent"]].values.tolist() == [["rate_vs_counts", True]]


def test_parts_within_the_total_are_consistent() -> None:
    checks = _checks(
        "目前园区共有企业10696家分属21个产业链。",
        "其中，规模以上企业近300家，高新技术企业259家，科技雏鹰企业78家。",
    )
    assert checks[["check", "stated_value", "computed_value", "is_inconsistent"]].values.tolist() == [
        ["parts_exceed_total", 10696.0, 637.0, False]
    ]


def test_part_larger_than_its_total_is_flagged() -> None:
    checks = _checks("辖区共有企业100家，其中规模以上企业120家。")
    assert checks[["check", "spans", "is_inconsistent"]].values.tolist() == [
        ["parts_exceed_total", "100家|120家", True]
    ]


def test_total_named_by_its_subject_is_checked() -> None:
    checks = _checks("街道辖区企业总数达到1268家，其中规上企业86家，高新技术企业41家。")
    assert checks[["check", "computed_value", "is_inconsistent"]].values.tolist() == [
        ["parts_exceed_total", 127.0, False]
    ]


def test_overlapping_parts_summing_above_the_total_are_not_flagged() -> None:
    checks = _checks("园区共有企业100家，其中高新技术企业60家，规模以上企业70家。")
    assert checks["is_inconsistent"].tolist() == [False]
    assert "may overlap" in checks["message"].iloc[0]


def test_parts_of_another_kind_are_ignored() -> None:
    assert _checks("共有企业100家，其中党员120名。").empty


def test_no_figures_give_an_empty_table() -> None:
    assert_frame_equal(_checks("没有数字的句子。"), schema.empty_table("figure_checks"))


def test_missing_column_is_an_error() -> None:
    with pytest.raises(GovnewsError, match="span"):
        check_figures(
            pd.DataFrame({"article_id": []}), pd.DataFrame({"article_id": [], "sentence_no": [], "text": []})
        )


@pytest.mark.parametrize(
    "value",
    [
        None,
        pd.NA,
        pd.NaT,
        math.nan,
        np.float64("nan"),
        np.nan,
        0,
        3,
        -1,
        2.5,
        0.0,
        np.int64(3),
        "x",
        "",
        True,
    ],
)
def test_missing_cells_are_those_pd_isna_finds(value: object) -> None:
    assert checks_module._is_missing(value) == bool(pd.isna(value))
