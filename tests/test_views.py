"""The notebooks' data-shaping steps: each on a tiny hand-made table, one behaviour per test."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from conftest import make_table
from govnews.errors import GovnewsError
from govnews.present import views
from govnews.text.themes import Codebook, Term, Theme


def _sentences(*offices: str) -> pd.DataFrame:
    return make_table(
        "sentences",
        [{"article_id": "a-01", "sentence_no": n, "office": o} for n, o in enumerate(offices, start=1)],
    )


def _counts(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    """theme_counts rows from (office, theme, hits, n_chars); rates and shares computed from them."""
    return make_table(
        "theme_counts",
        [
            {
                "office": office,
                "theme": theme,
                "hits": hits,
                "n_chars": n_chars,
                "rate_per_10k_chars": hits / n_chars * 10_000,
                "rate_ci_low": hits / n_chars * 5_000,
                "rate_ci_high": hits / n_chars * 20_000,
                "share_of_sentences": 0.5 if hits else 0.0,
                "share_of_articles": 1.0 if hits else 0.0,
                "n_sentences": 10,
                "n_articles": 2,
            }
            for office, theme, hits, n_chars in rows
        ],
    )


# --- offices -------------------------------------------------------------------------------------


def test_known_offices_leaves_out_district_level_text() -> None:
    assert views.known_offices(_sentences("潮河办事处", "", "枫杨办事处", "潮河办事处")) == [
        "枫杨办事处",
        "潮河办事处",
    ]


@pytest.mark.parametrize("asked", ["枫杨办事处", "枫杨", "枫杨街道", " 枫杨街道办事处 "])
def test_check_office_accepts_the_name_or_its_core(asked: str) -> None:
    assert views.check_office(asked, _sentences("枫杨办事处", "潮河办事处")) == "枫杨办事处"


def test_check_office_names_the_file_and_lists_the_known_offices() -> None:
    with pytest.raises(GovnewsError) as error:
        views.check_office("须水办事处", _sentences("枫杨办事处", "潮河办事处"), "tables/sentences.parquet")
    assert error.value.path == Path("tables/sentences.parquet")
    assert "须水办事处" in error.value.problem
    assert "枫杨办事处、潮河办事处" in error.value.problem


def test_check_office_refuses_a_core_shared_by_two_offices() -> None:
    # 东风 could be either office: guessing would profile the wrong one.
    with pytest.raises(GovnewsError, match="东风办事处、东风镇"):
        views.check_office("东风", _sentences("东风办事处", "东风镇"))


def test_check_office_refuses_an_empty_name() -> None:
    with pytest.raises(GovnewsError):
        views.check_office("", _sentences("枫杨办事处", ""))


# --- themes --------------------------------------------------------------------------------------


def test_top_themes_sums_hits_over_offices_and_skips_themes_without_hits() -> None:
    counts = _counts(
        [("甲", "党建", 5, 1000), ("甲", "网格", 4, 1000), ("乙", "网格", 3, 500), ("乙", "防汛", 0, 500)]
    )
    assert views.top_themes(counts, n=5) == ["网格", "党建"]


def test_top_themes_of_one_office() -> None:
    counts = _counts([("甲", "党建", 5, 1000), ("甲", "网格", 4, 1000), ("乙", "网格", 30, 500)])
    assert views.top_themes(counts, n=1, office="甲") == ["党建"]


def test_leading_themes_keeps_the_highest_rates_per_office_district_level_last() -> None:
    counts = _counts(
        [("", "党建", 9, 1000), ("甲", "党建", 1, 1000), ("甲", "网格", 3, 1000), ("甲", "防汛", 0, 1000)]
    )
    leading = views.leading_themes(counts, n=2)
    assert leading[["office", "theme", "hits"]].values.tolist() == [
        ["甲", "网格", 3],
        ["甲", "党建", 1],
        [views.DISTRICT_LEVEL_LABEL, "党建", 9],
    ]


def test_office_text_sizes_lists_each_office_once_most_text_first() -> None:
    counts = _counts([("甲", "党建", 1, 800), ("甲", "网格", 2, 800), ("", "党建", 0, 3000)])
    sizes = views.office_text_sizes(counts)
    assert sizes[["office", "n_chars"]].values.tolist() == [[views.DISTRICT_LEVEL_LABEL, 3000], ["甲", 800]]


def test_offices_with_little_text_names_district_level_text_readably() -> None:
    counts = _counts([("甲", "党建", 1, 3000), ("乙", "党建", 1, 400), ("", "党建", 1, 200)])
    assert views.offices_with_little_text(counts, 500) == ["乙", views.DISTRICT_LEVEL_LABEL]


def test_drop_offices_with_little_text_keeps_offices_at_the_threshold() -> None:
    counts = _counts([("甲", "党建", 1, 500), ("乙", "党建", 1, 499)])
    assert views.drop_offices_with_little_text(counts, 500)["office"].tolist() == ["甲"]


def test_office_vs_rest_pools_counts_before_dividing() -> None:
    counts = _counts([("甲", "党建", 2, 1000), ("乙", "党建", 10, 1000), ("丙", "党建", 0, 9000)])
    pooled = views.office_vs_rest(counts, "甲").set_index("office")
    # (10 + 0) / (1000 + 9000): the mean of the two rates (50) would overweight the small office.
    assert pooled.loc[views.REST_LABEL, "rate_per_10k_chars"] == pytest.approx(10.0)
    assert pooled.loc[views.REST_LABEL, "hits"] == 10
    assert pooled.loc[views.REST_LABEL, "n_chars"] == 10_000
    assert math.isnan(pooled.loc[views.REST_LABEL, "rate_ci_low"])
    assert pooled.loc["甲", "rate_per_10k_chars"] == pytest.approx(20.0)


def test_office_vs_rest_recomputes_the_share_of_sentences_from_counts() -> None:
    counts = _counts([("甲", "党建", 2, 1000), ("乙", "党建", 10, 1000)])
    counts.loc[1, ["share_of_sentences", "n_sentences"]] = [0.25, 40]
    counts.loc[0, "n_sentences"] = 10
    extra = _counts([("丙", "党建", 0, 1000)])
    extra.loc[0, ["share_of_sentences", "n_sentences"]] = [0.0, 60]
    pooled = views.office_vs_rest(pd.concat([counts, extra], ignore_index=True), "甲")
    assert pooled.iloc[1]["share_of_sentences"] == pytest.approx(10 / 100)


def test_office_vs_rest_does_not_change_its_input() -> None:
    counts = _counts([("甲", "党建", 2, 1000), ("乙", "党建", 10, 1000)])
    before = counts.copy()
    views.office_vs_rest(counts, "甲")
    assert_frame_equal(counts, before)


def test_profile_themes_ranks_among_offices_only() -> None:
    counts = _counts([("甲", "党建", 5, 1000), ("乙", "党建", 8, 1000), ("", "党建", 90, 1000)])
    row = views.profile_themes(counts, "甲").iloc[0]
    # District-level text has the highest rate but is no office to rank against.
    assert row["rank_among_offices"] == 2
    assert row["n_offices"] == 2
    assert row["rest_rate_per_10k_chars"] == pytest.approx((8 + 90) / 2000 * 10_000)


def test_profile_themes_orders_by_rate_and_leaves_the_ratio_empty_when_the_rest_has_no_hit() -> None:
    counts = _counts(
        [("甲", "党建", 1, 1000), ("甲", "防汛", 4, 1000), ("乙", "党建", 2, 1000), ("乙", "防汛", 0, 1000)]
    )
    profile = views.profile_themes(counts, "甲")
    assert profile["theme"].tolist() == ["防汛", "党建"]
    assert math.isnan(profile.iloc[0]["rate_ratio_to_rest"])
    assert profile.iloc[1]["rate_ratio_to_rest"] == pytest.approx(0.5)


def _codebook() -> Codebook:
    return Codebook(
        (
            Theme("党建", "", (Term("党建", "党建", "", "token"),)),
            Theme("网格", "", (Term("网格", "网格", "", "token"),)),
        )
    )


def test_theme_counts_by_year_counts_one_office_per_year() -> None:
    articles = make_table(
        "articles",
        [
            {"article_id": "a-01", "office": "甲", "year": 2020},
            {"article_id": "b-01", "office": "甲", "year": 2023},
            {"article_id": "c-01", "office": "乙", "year": 2023},
        ],
    )
    sentences = make_table(
        "sentences",
        [
            {"article_id": "a-01", "sentence_no": 1, "office": "甲", "n_chars": 100},
            {"article_id": "b-01", "sentence_no": 1, "office": "甲", "n_chars": 200},
            {"article_id": "c-01", "sentence_no": 1, "office": "乙", "n_chars": 300},
        ],
    )
    hits = make_table(
        "theme_hits",
        [
            {"article_id": "a-01", "sentence_no": 1, "theme": "党建"},
            {"article_id": "b-01", "sentence_no": 1, "theme": "网格"},
            {"article_id": "c-01", "sentence_no": 1, "theme": "网格"},
        ],
    )
    by_year = views.theme_counts_by_year(hits, sentences, articles, "甲", n_boot=0, codebook=_codebook())
    assert by_year[["office", "theme", "hits", "n_chars"]].values.tolist() == [
        ["2020年", "党建", 1, 100],
        ["2020年", "网格", 0, 100],
        ["2023年", "党建", 0, 200],
        ["2023年", "网格", 1, 200],
    ]


def test_theme_counts_by_year_labels_articles_without_a_year() -> None:
    articles = make_table("articles", [{"article_id": "a-01", "office": "甲", "year": pd.NA}])
    sentences = make_table(
        "sentences", [{"article_id": "a-01", "sentence_no": 1, "office": "甲", "n_chars": 50}]
    )
    hits = make_table("theme_hits", [])
    by_year = views.theme_counts_by_year(hits, sentences, articles, "甲", n_boot=0, codebook=_codebook())
    assert set(by_year["office"]) == {views.UNKNOWN_YEAR_LABEL}


def test_compare_years_sorts_themes_by_the_size_of_the_change() -> None:
    counts = _counts(
        [
            ("2020年", "党建", 1, 1000),
            ("2020年", "网格", 5, 1000),
            ("2023年", "党建", 2, 1000),
            ("2023年", "网格", 1, 1000),
            (views.UNKNOWN_YEAR_LABEL, "党建", 50, 1000),
            (views.UNKNOWN_YEAR_LABEL, "网格", 50, 1000),
        ]
    )
    change = views.compare_years(counts)
    assert change["theme"].tolist() == ["网格", "党建"]
    assert change.iloc[0]["change_per_10k_chars"] == pytest.approx(-40.0)
    assert (change.iloc[0]["first_year"], change.iloc[0]["last_year"]) == ("2020年", "2023年")


def test_compare_years_is_empty_with_a_single_year() -> None:
    assert views.compare_years(_counts([("2020年", "党建", 1, 1000)])).empty


@pytest.mark.parametrize(
    ("office", "slug"), [("枫杨办事处", "枫杨办事处"), ("A/B 街道", "A_B_街道"), ("///", "office")]
)
def test_office_slug_is_safe_in_a_file_name(office: str, slug: str) -> None:
    assert views.office_slug(office) == slug


# --- keyness -------------------------------------------------------------------------------------


def _keyness(rows: list[tuple[str, str, int, float, float]]) -> pd.DataFrame:
    """keyness rows from (office, term, count_target, g2, log_ratio)."""
    return make_table(
        "keyness",
        [
            {
                "office": o,
                "term": t,
                "count_target": c,
                "count_reference": 1,
                "g2": g,
                "p_adjusted": 0.01,
                "log_ratio": r,
            }
            for o, t, c, g, r in rows
        ],
    )


def test_place_names_are_the_corpus_offices_their_cores_and_the_places_above_them() -> None:
    articles = make_table(
        "articles",
        [
            {"office": "商都路办事处", "district": "郑东新区", "city": "郑州市", "province": "河南省"},
            {"office": "", "district": "鄞州区", "city": "宁波市", "province": "浙江省"},
        ],
    )
    names = set(views.place_names(articles))
    assert {"商都路办事处", "商都路", "郑东新区", "郑州市", "郑州", "鄞州区", "宁波", "河南省"} <= names
    assert "" not in names


@pytest.mark.parametrize(
    ("term", "is_dropped"),
    [
        ("商都路办事处", True),  # the name itself
        ("商都", True),  # jieba's first piece of 商都路
        ("郑东新", True),  # jieba's first piece of 郑东新区
        ("郑东新区管委会", True),  # holds a name
        ("潮河", True),  # the table's own office, not in the names given
        ("党群服务中心", False),
        ("都路", False),  # the middle of a name is no name
    ],
)
def test_drop_place_names(term: str, is_dropped: bool) -> None:
    keyness = _keyness([("潮河办事处", term, 3, 5.0, 2.0)])
    kept = views.drop_place_names(keyness, ["商都路办事处", "商都路", "郑东新区"])
    assert kept.empty is is_dropped


def test_top_keyness_terms_keeps_over_used_terms_strongest_first() -> None:
    keyness = _keyness(
        [
            ("甲", "社区", 9, 10.0, 2.0),
            ("甲", "企业", 0, -8.0, -3.0),
            ("甲", "支部", 5, 20.0, 4.0),
            ("乙", "园区", 9, 30.0, 5.0),
        ]
    )
    assert views.top_keyness_terms(keyness, "甲")["term"].tolist() == ["支部", "社区"]


def test_wordcloud_weights_leave_out_rare_and_unsized_terms() -> None:
    keyness = _keyness(
        [
            ("甲", "社区", 9, 10.0, 2.0),
            ("甲", "偶然", 1, 6.0, 5.0),  # once only
            ("甲", "稀少", 3, 4.0, float("nan")),  # no effect size: text too small
            ("甲", "企业", 0, -8.0, -3.0),
        ]
    )
    expected = pd.DataFrame({"term": pd.Series(["社区"], dtype="string"), "weight": [2.0]})
    assert_frame_equal(views.wordcloud_weights(keyness, "甲"), expected)


def test_sample_per_office_takes_the_first_rows_of_each_office() -> None:
    frame = pd.DataFrame({"office": ["甲", "甲", "甲", "乙", ""], "match": list("abcde")})
    assert views.sample_per_office(frame, 2)["match"].tolist() == ["a", "b", "d", "e"]


# --- figures -------------------------------------------------------------------------------------


def _figures(rows: list[dict]) -> pd.DataFrame:
    return make_table("figures", [{"article_id": "a-01", "sentence_no": 1, **row} for row in rows])


def test_quantity_figures_leave_out_dates_and_ordinals_and_put_the_largest_first() -> None:
    figures = _figures(
        [
            {"office": "甲", "value": 2020, "unit": "年", "category": "date"},
            {"office": "甲", "value": 18, "unit": "个", "category": "count", "subject": "二级网格"},
            {"office": "甲", "value": 460, "unit": "个", "category": "count", "subject": "微网格"},
            {"office": "甲", "value": 3, "unit": "", "category": "ordinal"},
        ]
    )
    assert views.quantity_figures(figures)["value"].tolist() == [460.0, 18.0]


def test_figure_overview_counts_categories_per_office_district_level_last() -> None:
    figures = _figures(
        [
            {"office": "", "category": "count"},
            {"office": "甲", "category": "count"},
            {"office": "甲", "category": "money"},
            {"office": "甲", "category": "date"},
        ]
    )
    overview = views.figure_overview(figures)
    assert overview[["office", "count", "money", "n_figures"]].values.tolist() == [
        ["甲", 1, 1, 2],
        [views.DISTRICT_LEVEL_LABEL, 1, 0, 1],
    ]


def test_comparable_subjects_need_the_same_unit_and_show_the_largest_value() -> None:
    figures = _figures(
        [
            {"office": "甲", "subject": "二级网格", "value": 18, "unit": "个", "category": "count"},
            {"office": "甲", "subject": "二级网格", "value": 12, "unit": "个", "category": "count"},
            {"office": "乙", "subject": "二级网格", "value": 9, "unit": "个", "category": "count"},
            {"office": "甲", "subject": "一级网格", "value": 1, "unit": "人", "category": "people"},
            {"office": "乙", "subject": "一级网格", "value": 1, "unit": "个", "category": "count"},
        ]
    )
    table = views.comparable_subjects(figures)
    assert table[["subject", "unit", "n_offices", "甲", "乙"]].values.tolist() == [
        ["二级网格", "个", 2, 18.0, 9.0]
    ]


def test_comparable_subjects_leave_out_district_level_text_by_default() -> None:
    figures = _figures(
        [
            {"office": "甲", "subject": "企业", "value": 50, "unit": "家", "category": "count"},
            {"office": "", "subject": "企业", "value": 300, "unit": "家", "category": "count"},
        ]
    )
    assert views.comparable_subjects(figures).empty
    assert len(views.comparable_subjects(figures, include_district_level=True)) == 1


def test_select_figures_puts_shared_subjects_first_then_reading_order() -> None:
    figures = _figures(
        [
            {"office": "甲", "subject": "二级网格", "value": 18, "unit": "个", "category": "count"},
            {"office": "甲", "subject": "微网格", "value": 460, "unit": "个", "category": "count"},
            {"office": "乙", "subject": "一级网格", "value": 1, "unit": "个", "category": "count"},
            {"office": "乙", "subject": "微网格", "value": 329, "unit": "个", "category": "count"},
            {"office": "乙", "subject": "网格员", "value": 96, "unit": "人", "category": "people"},
        ]
    )
    rows = views.select_figures(figures, "count", "网格$")
    assert rows["subject"].unique().tolist() == ["微网格", "二级网格", "一级网格"]


@pytest.mark.parametrize(
    ("options", "subjects"),
    [
        ({"unit": "平方公里"}, ["辖区"]),
        ({"max_subjects": 1}, ["绿化"]),
        ({"subject_pattern": "辖"}, ["辖区"]),
    ],
)
def test_select_figures_filters(options: dict, subjects: list[str]) -> None:
    figures = _figures(
        [
            {"office": "甲", "subject": "绿化", "value": 8000, "unit": "平方米", "category": "area"},
            {"office": "乙", "subject": "辖区", "value": 36, "unit": "平方公里", "category": "area"},
        ]
    )
    assert views.select_figures(figures, "area", **options)["subject"].tolist() == subjects


@pytest.mark.parametrize(("values", "is_log"), [([1, 460], True), ([2.7e9, 2.31e10], False), ([0, 5], False)])
def test_needs_log_scale_when_values_span_more_than_a_hundredfold(values: list[float], is_log: bool) -> None:
    assert views.needs_log_scale(pd.DataFrame({"value": values})) is is_log


def test_inconsistent_checks_quote_the_clause_holding_the_figures() -> None:
    text = "2013年投资50亿元，2022年投资达到102亿元，增速50%；工业产值也在增长。"
    sentences = make_table(
        "sentences", [{"article_id": "a-01", "sentence_no": 3, "office": "乙", "text": text}]
    )
    figures = make_table(
        "figures",
        [
            {"article_id": "a-01", "sentence_no": 3, "office": "乙", "span": span}
            for span in ("50亿元", "102亿元", "50%")
        ],
    )
    checks = make_table(
        "figure_checks",
        [
            {
                "article_id": "a-01",
                "check": "growth_rate",
                "spans": "50亿元|102亿元|50%",
                "is_inconsistent": True,
            },
            {"article_id": "a-01", "check": "rate_vs_counts", "spans": "50%", "is_inconsistent": False},
        ],
    )
    flagged = views.inconsistent_checks(checks, figures, sentences)
    assert flagged[["office", "check", "evidence"]].values.tolist() == [
        ["乙", "growth_rate", "2013年投资50亿元，2022年投资达到102亿元，增速50%；…"]
    ]


# --- measures ------------------------------------------------------------------------------------


def _measures(rows: list[dict]) -> pd.DataFrame:
    return make_table("measures", [{"sentence_no": 1, **row} for row in rows])


def test_measure_catalogue_groups_spellings_and_counts_mentions() -> None:
    measures = _measures(
        [
            {
                "article_id": "a-01",
                "office": "甲",
                "name": "三项工程、一项管理",
                "canonical": "三项工程一项管理",
            },
            {
                "article_id": "a-02",
                "office": "甲",
                "name": "三项工程一项管理",
                "canonical": "三项工程一项管理",
                "kind": "工程",
            },
            {
                "article_id": "a-02",
                "office": "甲",
                "name": "三项工程、一项管理",
                "canonical": "三项工程一项管理",
            },
            {"article_id": "a-02", "office": "", "name": "路长制", "canonical": "路长制", "kind": "制度"},
        ]
    )
    catalogue = views.measure_catalogue(measures)
    assert catalogue[["office", "name", "variants", "kind", "n_mentions", "n_articles"]].values.tolist() == [
        ["甲", "三项工程、一项管理", "三项工程一项管理", "工程", 3, 2],
        [views.DISTRICT_LEVEL_LABEL, "路长制", "", "制度", 1, 1],
    ]


def test_measure_catalogue_keeps_the_mention_that_explains_most() -> None:
    measures = _measures(
        [
            {
                "article_id": "a-01",
                "office": "甲",
                "name": "五个一",
                "canonical": "五个一",
                "components": "一个引领",
            },
            {
                "article_id": "a-01",
                "office": "甲",
                "name": "五个一",
                "canonical": "五个一",
                "components": "一个引领|一张网络",
                "expansions": "一个引领=党建引领",
            },
        ]
    )
    row = views.measure_catalogue(measures, "甲").iloc[0]
    assert (row["components"], row["expansions"]) == ("一个引领|一张网络", "一个引领=党建引领")


def test_summarise_measures_names_the_most_mentioned_measure() -> None:
    catalogue = pd.DataFrame(
        {
            "office": ["甲", "甲", "乙"],
            "name": ["双改", "五个一", "路长制"],
            "is_numeric_slogan": [True, True, False],
            "n_mentions": [2, 5, 1],
        }
    )
    summary = views.summarise_measures(catalogue)
    assert summary.values.tolist() == [["甲", 2, 2, 7, "五个一", 5], ["乙", 1, 0, 1, "路长制", 1]]


def test_slogan_expansions_list_every_part_with_its_meaning_where_given() -> None:
    measures = _measures(
        [
            {
                "article_id": "a-01",
                "office": "甲",
                "name": "一个引领、两个先行",
                "canonical": "一个引领两个先行",
                "is_numeric_slogan": True,
                "components": "一个引领|两个先行",
                "expansions": "两个先行=西、北先行",
            },
            {"article_id": "a-01", "office": "甲", "name": "路长制", "canonical": "路长制"},
        ]
    )
    assert views.slogan_expansions(measures).values.tolist() == [
        ["甲", "一个引领、两个先行", 1, "一个引领", ""],
        ["甲", "一个引领、两个先行", 2, "两个先行", "西、北先行"],
    ]


def test_shared_measures_count_offices_not_district_level_text() -> None:
    measures = _measures(
        [
            {"article_id": "a-01", "office": "甲", "name": "双改", "canonical": "双改"},
            {"article_id": "b-01", "office": "乙", "name": "“双改”", "canonical": "双改"},
            {"article_id": "b-01", "office": "乙", "name": "双改", "canonical": "双改"},
            {"article_id": "c-01", "office": "", "name": "路长制", "canonical": "路长制"},
            {"article_id": "a-01", "office": "甲", "name": "路长制", "canonical": "路长制"},
        ]
    )
    shared = views.shared_measures(measures)
    assert shared[["name", "n_offices", "offices", "n_mentions"]].values.tolist() == [
        ["双改", 2, "乙、甲", 3]
    ]


# --- validation ----------------------------------------------------------------------------------


def test_score_table_explains_each_score() -> None:
    table = views.score_table({"figure_recall": 0.9, "not_figures_extracted": 2})
    assert table["value"].tolist() == [0.9, 2.0]
    assert table["meaning"].str.len().gt(0).all()


def test_misses_by_kind_lists_every_kind_with_zeros() -> None:
    misses = pd.DataFrame(
        {"kind": ["measure_missing", "measure_missing"], "article": ["1", "2"], "detail": ["", ""]}
    )
    counts = views.misses_by_kind(misses).set_index("kind")["n_misses"]
    assert counts["measure_missing"] == 2
    assert counts["article_error"] == 0
    assert len(counts) == 6


def test_measure_precision_overall_then_by_kind() -> None:
    judgements = pd.DataFrame(
        {"kind": ["制度", "制度", "", ""], "is_measure": pd.array([True, False, True, True], dtype="boolean")}
    )
    precision = views.measure_precision(judgements)
    assert precision.values.tolist() == [
        [views.ALL_KINDS_LABEL, 4, 3, 0.75],
        ["制度", 2, 1, 0.5],
        [views.UNCLASSIFIED_KIND_LABEL, 2, 2, 1.0],
    ]


def test_mark_still_extracted_matches_article_and_name() -> None:
    judgements = pd.DataFrame({"article_id": ["a-01", "a-01", "b-01"], "name": ["路长制", "双改", "路长制"]})
    measures = _measures([{"article_id": "a-01", "office": "甲", "name": "路长制"}])
    marked = views.mark_still_extracted(judgements, measures)
    assert marked["is_still_extracted"].tolist() == [True, False, False]


# --- one definition of an office's text ---------------------------------------------------------


def test_office_sizes_count_characters_by_sentence_and_merge_district_level_news() -> None:
    articles = make_table(
        "articles",
        [
            {"article_id": "a", "office": "甲办事处", "district": "高新区", "year": 2020, "n_chars": 90},
            {"article_id": "b", "office": "", "district": "高新区", "n_chars": 50},
            {"article_id": "c", "office": "", "district": "经开区", "n_chars": 50},
        ],
    )
    # A sentence naming 甲 inside district-level article b counts for 甲: the same number every rate uses.
    sentences = make_table(
        "sentences",
        [
            {"article_id": "a", "office": "甲办事处", "n_chars": 90},
            {"article_id": "b", "office": "甲办事处", "n_chars": 20},
            {"article_id": "b", "office": "", "n_chars": 30},
            {"article_id": "c", "office": "", "n_chars": 50},
        ],
    )
    sizes = views.office_sizes(articles, sentences, min_chars=100)
    assert sizes["office"].tolist() == ["甲办事处", views.DISTRICT_LEVEL_LABEL]
    assert sizes["n_chars"].tolist() == [110, 80]
    assert sizes["n_articles"].tolist() == [1, 2]
    assert sizes["articles_without_year"].tolist() == [0, 2]
    assert sizes["district"].tolist() == ["高新区", "经开区、高新区"]
    assert sizes["has_enough_text"].tolist() == [True, False]  # district-level news is never "an office"
    assert views.offices_to_compare(sizes) == ["甲办事处"]
    assert views.offices_with_too_little_text(views.office_sizes(articles, sentences, 200)) == ["甲办事处"]


# --- comparisons that cannot mislead -------------------------------------------------------------


def _figures(rows: list[dict]) -> pd.DataFrame:
    return make_table("figures", [{"category": "count", **row} for row in rows])


def test_figure_comparison_keeps_subjects_two_offices_state_in_one_unit() -> None:
    figures = _figures(
        [
            {"office": "甲办事处", "subject": "网格", "value": 10, "unit": "个"},
            {"office": "乙办事处", "subject": "网格", "value": 12, "unit": "个"},
            {"office": "甲办事处", "subject": "面积", "value": 36, "unit": "个"},  # one office: no comparison
            {
                "office": "乙办事处",
                "subject": "网格",
                "value": 99,
                "unit": "人",
            },  # another unit, another chart
            {"office": "", "subject": "网格", "value": 50, "unit": "个"},  # district-level news is no office
        ]
    )
    comparison = views.figure_comparison(figures, "个")
    assert comparison[["subject", "office", "value"]].values.tolist() == [
        ["网格", "乙办事处", 12.0],
        ["网格", "甲办事处", 10.0],
    ]
    assert views.comparison_units(figures) == ["个"]


def test_figure_comparison_takes_the_latest_year_of_an_office_and_keeps_it() -> None:
    figures = _figures(
        [
            {"office": "甲办事处", "subject": "投资", "value": 5e9, "unit": "元", "ref_year": 2013},
            {"office": "甲办事处", "subject": "投资", "value": 1.02e10, "unit": "元", "ref_year": 2022},
            {"office": "乙办事处", "subject": "投资", "value": 1e10, "unit": "元", "qualifier": "近"},
        ]
    )
    comparison = views.figure_comparison(figures, "元")
    rows = comparison.set_index("office")
    assert rows.loc["甲办事处", "value"] == 1.02e10 and rows.loc["甲办事处", "year"] == 2022
    assert rows.loc["乙办事处", "qualifier"] == "近" and pd.isna(rows.loc["乙办事处", "year"])
    # One row per bar: a chart needs to pick or add nothing.
    assert not comparison.duplicated(["subject", "office"]).any()


def test_check_verdicts_count_each_verdict() -> None:
    checks = make_table(
        "figure_checks",
        [
            {"check": "growth_rate", "verdict": "unverifiable"},
            {"check": "growth_rate", "verdict": "unverifiable"},
            {"check": "rate_vs_counts", "verdict": "consistent"},
        ],
    )
    assert views.check_verdicts(checks).values.tolist() == [
        ["growth_rate", "unverifiable", 2],
        ["rate_vs_counts", "consistent", 1],
    ]


# --- measures by scope ---------------------------------------------------------------------------


def test_measure_kinds_count_an_offices_own_measures_once_by_canonical_name() -> None:
    measures = make_table(
        "measures",
        [
            {
                "office": "甲办事处",
                "name": "九步工作法",
                "canonical": "九步工作法",
                "kind": "工作法",
                "scope": "office",
            },
            {
                "office": "甲办事处",
                "name": "九步工作法",
                "canonical": "九步工作法",
                "kind": "工作法",
                "scope": "office",
            },
            {
                "office": "甲办事处",
                "name": "“九步”工作法",
                "canonical": "九步工作法",
                "kind": "工作法",
                "scope": "office",
            },
            {
                "office": "甲办事处",
                "name": "河长制",
                "canonical": "河长制",
                "kind": "制度",
                "scope": "national",
            },
            {"office": "乙办事处", "name": "四个一", "canonical": "四个一", "kind": "", "scope": "unknown"},
        ],
    )
    counts = views.measure_kind_counts(measures)
    assert counts.to_dict() == {
        "工作法": {"甲办事处": 1, "乙办事处": 0},
        views.UNCLASSIFIED_KIND_LABEL: {"甲办事处": 0, "乙办事处": 1},
    }
    scopes = views.measure_scopes(measures)
    assert scopes.columns.tolist() == ["office", "own", "national", "unknown"]
    assert scopes.set_index("office").loc["甲办事处"].tolist() == [1, 1, 0]


# --- keywords without boilerplate ----------------------------------------------------------------


def _alike_keyness(rows: list[tuple]) -> pd.DataFrame:
    return make_table(
        "keyness",
        [
            {"office": o, "term": t, "count_target": c, "log_ratio": r, "g2": r, "p_adjusted": 0.5}
            for o, t, c, r in rows
        ],
    )


def test_words_every_office_uses_alike_are_dropped_and_the_list_too() -> None:
    keyness = _alike_keyness(
        [
            ("甲办事处", "工作", 9, 0.2),  # everyone, alike: boilerplate by the rule
            ("乙办事处", "工作", 8, -0.3),
            ("甲办事处", "网格", 9, 2.5),  # 甲 uses it six times as often: a key term
            ("乙办事处", "网格", 1, -2.5),
            ("甲办事处", "今年以来", 6, 3.0),  # listed boilerplate, though 甲 uses it more
            ("乙办事处", "今年以来", 1, -3.0),
        ]
    )
    kept = views.drop_boilerplate(keyness, {"今年以来"})
    assert sorted(set(kept["term"])) == ["网格"]
    # With one office compared, "alike" means nothing: only the list applies.
    assert sorted(set(views.drop_boilerplate(keyness, {"今年以来"}, offices=["甲办事处"])["term"])) == [
        "工作",
        "网格",
    ]


# --- validation only where it applies --------------------------------------------------------------


def test_gold_about_other_pages_is_recognised() -> None:
    gold = {"articles": [{"source": "000_a.txt"}, {"source": "001_b.txt"}]}
    sources = make_table("sources", [{"source": "000_a.txt"}, {"source": "mine.txt"}])
    assert views.gold_sources_missing(gold, sources) == ["001_b.txt"]
    assert (
        views.gold_sources_missing(
            gold, make_table("sources", [{"source": "000_a.txt"}, {"source": "001_b.txt"}])
        )
        == []
    )


def test_score_shares_keep_the_count_apart_from_the_shares() -> None:
    shares = views.score_shares(views.score_table({"figure_recall": 0.9, "not_figures_extracted": 2}))
    assert shares["share_of_reference"].tolist()[0] == 0.9 and pd.isna(shares["share_of_reference"].iloc[1])
    assert pd.isna(shares["n"].iloc[0]) and shares["n"].iloc[1] == 2


def test_keyword_in_context_shows_only_terms_that_counted() -> None:
    lines = pd.DataFrame(
        {
            "article_id": ["a", "a"],
            "sentence_no": [1, 2],
            "office": ["甲办事处", "甲办事处"],
            "left": ["郑州经济技术", "加快"],
            "match": ["开发", "开发"],
            "right": ["区历经30年", "建设"],
        }
    )
    # Sentence 1 has 开发 only inside a zone's name: no hit was counted there.
    hits = make_table(
        "theme_hits", [{"article_id": "a", "sentence_no": 2, "theme": "项目建设与招商", "term": "开发"}]
    )
    assert views.counted_contexts(lines, hits, "项目建设与招商")["sentence_no"].tolist() == [2]


def test_measure_catalogue_keeps_the_highest_scope_of_a_measure() -> None:
    measures = make_table(
        "measures",
        [
            {"article_id": "a", "office": "甲", "name": "河长制", "canonical": "河长制", "scope": "office"},
            {"article_id": "b", "office": "甲", "name": "河长制", "canonical": "河长制", "scope": "national"},
            {
                "article_id": "b",
                "office": "甲",
                "name": "九步工作法",
                "canonical": "九步工作法",
                "scope": "unknown",
            },
        ],
    )
    scopes = dict(views.measure_catalogue(measures)[["name", "scope"]].values.tolist())
    assert scopes == {"河长制": "national", "九步工作法": "unknown"}
