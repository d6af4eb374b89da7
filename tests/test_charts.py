"""Every chart renders Chinese, draws where asked, survives empty tables and saves three formats."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from PIL import Image

from conftest import make_table
from govnews import schema
from govnews.config import project_paths
from govnews.errors import GovnewsError
from govnews.present import charts, views

CJK = re.compile(r"[\u4e00-\u9fff]")


def _render(fig: Figure) -> list[str]:
    """Draw ``fig`` and return the messages of any missing-glyph warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png", dpi=50)
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def _texts(ax: Axes) -> list[str]:
    return [text.get_text() for text in ax.texts]


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    articles = make_table(
        "articles",
        [
            {"article_id": "a-01", "office": "沟赵办事处", "district": "高新区", "n_chars": 3000},
            {"article_id": "a-02", "office": "沟赵办事处", "district": "高新区", "n_chars": 1000},
            {"article_id": "a-03", "office": "枫杨办事处", "district": "高新区", "n_chars": 2500},
            {"article_id": "b-01", "office": "潮河办事处", "district": "经开区", "n_chars": 1800},
            {"article_id": "b-02", "office": "", "district": "经开区", "n_chars": 700},
        ],
    )
    removed = make_table(
        "removed",
        [
            {"source": "a.txt", "line_no": 1, "reason": "caption"},
            {"source": "a.txt", "line_no": 2, "reason": "caption"},
            {"source": "a.txt", "line_no": 9, "reason": "photo_credit"},
            {"source": "b.txt", "line_no": 4, "reason": "picture_placeholder"},
        ],
    )
    theme_counts = make_table(
        "theme_counts",
        [
            {
                "office": office,
                "theme": theme,
                "hits": hits,
                "n_chars": n_chars,
                "rate_per_10k_chars": hits / n_chars * 1e4,
                "rate_ci_low": hits / n_chars * 0.7e4,
                "rate_ci_high": hits / n_chars * 1.4e4,
                "share_of_sentences": share,
            }
            for office, n_chars in [("沟赵办事处", 4000), ("枫杨办事处", 2500), ("", 700)]
            for theme, hits, share in [("党建引领", 5, 0.25), ("基层治理与网格化", 2, 0.1)]
        ],
    )
    keyness_rows = [
        # office, term, count in the office, signed G², BH-adjusted p
        ("枫杨办事处", "网格化", 12, 9.0, 0.01),
        ("枫杨办事处", "双改", 8, 6.0, 0.02),
        ("枫杨办事处", "微网格", 3, 2.0, 0.3),
        ("枫杨办事处", "招商", 0, -7.0, 0.01),
        ("枫杨办事处", "项目", 1, -3.0, 0.2),
        ("枫杨办事处", "企业", 2, -1.0, 0.5),
        ("沟赵办事处", "九步工作法", 4, 5.0, 0.01),
    ]
    keyness = make_table(
        "keyness",
        [
            {
                "office": office,
                "term": term,
                "count_target": count,
                "g2": g2,
                "p_adjusted": p,
                "log_ratio": g2 / 4,
            }
            for office, term, count, g2, p in keyness_rows
        ],
    )
    figures = make_table(
        "figures",
        [
            {"office": office, "subject": subject, "value": value, "unit": "个", "category": "count"}
            for office, values in {"枫杨办事处": [2, 18, 460], "潮河办事处": [1, 12, None]}.items()
            for subject, value in zip(["一级网格", "二级网格", "微网格"], values, strict=True)
            if value is not None
        ],
    )
    measures = make_table(
        "measures",
        [
            {"office": "沟赵办事处", "name": "九步工作法", "canonical": "九步工作法", "kind": "工作法"},
            {"office": "沟赵办事处", "name": "九步工作法", "canonical": "九步工作法", "kind": "工作法"},
            {
                "office": "沟赵办事处",
                "name": "三级动态分析会制度",
                "canonical": "三级动态分析会制度",
                "kind": "制度",
            },
            {"office": "枫杨办事处", "name": "四个一", "canonical": "四个一", "kind": ""},
        ],
    )
    sentences = make_table(
        "sentences",
        [
            {"article_id": row["article_id"], "office": row["office"], "n_chars": row["n_chars"]}
            for _, row in articles.iterrows()
        ],
    )
    comparison_figures = make_table(
        "figures",
        [
            {"office": office, "subject": subject, "value": value, "unit": "个", "category": "count"}
            for office, values in {"枫杨办事处": [2, 18, 460], "潮河办事处": [1, 12, None]}.items()
            for subject, value in zip(["一级网格", "二级网格", "微网格"], values, strict=True)
            if value is not None
        ]
        + [{"office": "潮河办事处", "subject": "微网格长", "value": 5, "unit": "个", "category": "count"}],
    )
    return {
        "articles": articles,
        "sizes": views.office_sizes(articles, sentences, 2000),
        "removed_overview": views.removed_overview(removed),
        "comparison": views.figure_comparison(comparison_figures, "个"),
        "kind_counts": views.measure_kind_counts(measures),
        "removed": removed,
        "theme_counts": theme_counts,
        "keyness": keyness,
        "figures": figures,
        "measures": measures,
        "frequencies": pd.DataFrame({"term": ["网格化", "双改", "党群服务中心"], "weight": [9.0, 5.0, 2.0]}),
    }


CHARTS: dict[str, tuple[str, Callable[..., Figure]]] = {
    # name → (input table, call with that table and an optional ax)
    "articles_per_office": ("sizes", lambda t, ax=None: charts.plot_office_sizes(t, "n_articles", ax)),
    "text_length_per_office": ("sizes", lambda t, ax=None: charts.plot_office_sizes(t, "n_chars", ax)),
    "removed_by_reason": ("removed_overview", lambda t, ax=None: charts.plot_removed_by_reason(t, ax)),
    "theme_heatmap_rate": ("theme_counts", lambda t, ax=None: charts.plot_theme_heatmap(t, ax=ax)),
    "theme_heatmap_share": (
        "theme_counts",
        lambda t, ax=None: charts.plot_theme_heatmap(t, value="share_of_sentences", ax=ax),
    ),
    "theme_ranking": ("theme_counts", lambda t, ax=None: charts.plot_theme_ranking(t, "党建引领", ax)),
    "keyness": ("keyness", lambda t, ax=None: charts.plot_keyness(t, "枫杨办事处", top_n=2, ax=ax)),
    "wordcloud": ("frequencies", lambda t, ax=None: charts.plot_wordcloud(t, ax)),
    "figure_comparison": ("comparison", lambda t, ax=None: charts.plot_figure_comparison(t, ax)),
    "measure_kinds": ("kind_counts", lambda t, ax=None: charts.plot_measure_kinds(t, ax)),
}
EMPTY_INPUTS = {
    "articles": schema.empty_table("articles"),
    "sizes": views.office_sizes(schema.empty_table("articles"), schema.empty_table("sentences")),
    "removed_overview": views.removed_overview(schema.empty_table("removed")),
    "kind_counts": views.measure_kind_counts(schema.empty_table("measures")),
    "removed": schema.empty_table("removed"),
    "theme_counts": schema.empty_table("theme_counts"),
    "keyness": schema.empty_table("keyness"),
    "frequencies": pd.DataFrame({"term": pd.Series(dtype="string"), "weight": pd.Series(dtype=float)}),
    "figures": schema.empty_table("figures"),
    "measures": schema.empty_table("measures"),
}


@pytest.fixture(scope="module")
def figures(tables: dict[str, pd.DataFrame]) -> dict[str, Figure]:
    """Each chart drawn once on the hand-made tables, shared by the read-only checks below."""
    return {chart: plot(tables[table]) for chart, (table, plot) in CHARTS.items()}


@pytest.mark.parametrize("chart", CHARTS)
def test_chart_renders_chinese_without_missing_glyphs(figures: dict[str, Figure], chart: str) -> None:
    assert isinstance(figures[chart], Figure)
    assert _render(figures[chart]) == []


@pytest.mark.parametrize("chart", CHARTS)
def test_chart_has_a_chinese_title(figures: dict[str, Figure], chart: str) -> None:
    assert CJK.search(figures[chart].axes[0].get_title(loc="left"))


@pytest.mark.parametrize("chart", sorted(set(CHARTS) - {"wordcloud"}))
def test_chart_axis_labels_name_a_unit_or_category(figures: dict[str, Figure], chart: str) -> None:
    main, *colourbars = figures[chart].axes
    labels = [main.get_xlabel(), main.get_ylabel()]
    assert all(CJK.search(label) for label in labels)
    # Value axes carry their unit in full-width brackets: 文章数（篇）, 每万字命中数（次/万字）…
    assert any("（" in label for label in labels + [axes.get_ylabel() for axes in colourbars])


@pytest.mark.parametrize("chart", CHARTS)
def test_chart_draws_into_the_given_axes(tables: dict[str, pd.DataFrame], chart: str) -> None:
    table, plot = CHARTS[chart]
    # Made outside the govnews style: its own font lacks Chinese, the chart must fix its labels.
    fig = Figure(figsize=(12, 5))
    untouched, target = fig.subplots(1, 2)
    returned = plot(tables[table], ax=target)
    assert returned is fig
    assert target.patches or target.images or target.collections
    assert not (untouched.patches or untouched.images or untouched.texts)
    assert _render(fig) == []


# A comparison with no office is not drawn at all (see test_comparison_chart_refuses_…).
@pytest.mark.parametrize("chart", sorted(set(CHARTS) - {"figure_comparison"}))
def test_chart_with_empty_input_draws_a_no_data_note(chart: str) -> None:
    table, plot = CHARTS[chart]
    fig = plot(EMPTY_INPUTS[table])
    assert any("没有可显示的数据" in text for text in _texts(fig.axes[0]))
    assert _render(fig) == []


def test_an_empty_chart_is_said_in_a_sentence_not_shown(tmp_path, monkeypatch) -> None:
    from IPython import display as ipython_display

    from govnews.notebook import open_tables

    shown: list = []
    monkeypatch.setattr(ipython_display, "display", lambda *objects, **kwargs: shown.extend(objects))
    book = open_tables({"processed_dir": str(tmp_path), "figures_dir": str(tmp_path / "figures")})
    empty = charts.plot_removed_by_reason(EMPTY_INPUTS["removed_overview"])
    assert charts.empty_note(empty).endswith("：没有被删除的行。")
    shown.clear()
    book.figure(empty, "removed")
    assert [type(item).__name__ for item in shown] == ["Markdown"]
    assert "没有被删除的行" in shown[0].data
    assert not (tmp_path / "figures").exists()


@pytest.mark.parametrize("chart", CHARTS)
def test_chart_does_not_modify_its_input(tables: dict[str, pd.DataFrame], chart: str) -> None:
    table, plot = CHARTS[chart]
    given = tables[table].copy()
    plot(given)
    pd.testing.assert_frame_equal(given, tables[table])


@pytest.mark.parametrize(
    ("plot", "table"),
    [
        (charts.plot_office_sizes, "sizes"),
        (charts.plot_removed_by_reason, "removed_overview"),
        (lambda t: charts.plot_theme_ranking(t, "党建引领"), "articles"),
        (charts.plot_figure_comparison, "comparison"),
    ],
)
def test_missing_column_is_a_govnews_error(
    tables: dict[str, pd.DataFrame], plot: Callable[[pd.DataFrame], Figure], table: str
) -> None:
    with pytest.raises(GovnewsError, match="needs column"):
        plot(tables[table].drop(columns=["office", "reason"], errors="ignore"))


def test_charts_leave_global_rcparams_alone(tables: dict[str, pd.DataFrame]) -> None:
    before = mpl.rcParams["font.family"]
    charts.plot_office_sizes(tables["sizes"])
    assert mpl.rcParams["font.family"] == before


def test_use_style_sets_the_cjk_font_and_palette() -> None:
    with mpl.rc_context():
        charts.use_style()
        assert mpl.rcParams["font.family"][0] == "Noto Sans CJK SC"
        assert mpl.rcParams["axes.prop_cycle"].by_key()["color"][:2] == ["#0072B2", "#E69F00"]
        assert (mpl.rcParams["axes.spines.top"], mpl.rcParams["axes.spines.right"]) == (False, False)


def test_chart_style_is_undone_after_the_block() -> None:
    before = mpl.rcParams["font.family"]
    with charts.chart_style():
        assert mpl.rcParams["font.family"][0] == "Noto Sans CJK SC"
    assert mpl.rcParams["font.family"] == before


# --- what each chart shows ------------------------------------------------------------------------


def test_office_sizes_draw_the_given_rows_and_name_district_level_news(
    tables: dict[str, pd.DataFrame],
) -> None:
    ax = charts.plot_office_sizes(tables["sizes"], "n_chars").axes[0]
    labels = [label.get_text() for label in ax.get_yticklabels()]
    widths = dict(zip(labels, (bar.get_width() for bar in ax.patches), strict=True))
    assert widths == {"沟赵办事处": 4000, "枫杨办事处": 2500, "潮河办事处": 1800, "区级/未归属": 700}


def test_offices_below_the_minimum_are_marked_as_too_small(tables: dict[str, pd.DataFrame]) -> None:
    ax = charts.plot_office_sizes(tables["sizes"], "n_chars", min_chars=2000).axes[0]
    hatched = {
        label.get_text(): bool(bar.get_hatch())
        for label, bar in zip(ax.get_yticklabels(), ax.patches, strict=True)
    }
    # 潮河 (1,800 characters) is below 2,000; district-level news is no office and is not marked.
    assert hatched == {"沟赵办事处": False, "枫杨办事处": False, "潮河办事处": True, "区级/未归属": False}
    assert any("文本过少" in text.get_text() for text in ax.get_legend().get_texts())


def test_office_sizes_refuse_two_rows_for_one_office(tables: dict[str, pd.DataFrame]) -> None:
    doubled = pd.concat([tables["sizes"], tables["sizes"].head(1)])
    with pytest.raises(ValueError, match="one row per office"):
        charts.plot_office_sizes(doubled)


def test_removed_by_reason_draws_one_bar_per_reason(tables: dict[str, pd.DataFrame]) -> None:
    ax = charts.plot_removed_by_reason(tables["removed_overview"]).axes[0]
    labels = [label.get_text() for label in ax.get_yticklabels()]
    widths = dict(zip(labels, (bar.get_width() for bar in ax.patches), strict=True))
    assert widths == {"图片说明": 2, "摄影署名": 1, "图片占位": 1}


@pytest.mark.parametrize(
    ("value", "expected_cell"),
    [("rate_per_10k_chars", "12.5\n5次"), ("share_of_sentences", "25%\n5次"), ("hits", "5")],
)
def test_theme_heatmap_annotates_value_and_hits(
    tables: dict[str, pd.DataFrame], value: str, expected_cell: str
) -> None:
    ax = charts.plot_theme_heatmap(tables["theme_counts"], value=value).axes[0]
    # 沟赵: 5 hits in 4,000 characters = 12.5 per 10k, 25 % of sentences.
    assert expected_cell in _texts(ax)


def test_theme_heatmap_orders_offices_by_text_and_district_level_last(
    tables: dict[str, pd.DataFrame],
) -> None:
    ax = charts.plot_theme_heatmap(tables["theme_counts"]).axes[0]
    assert [label.get_text() for label in ax.get_xticklabels()] == ["沟赵办事处", "枫杨办事处", "区级/未归属"]
    assert [label.get_text() for label in ax.get_yticklabels()] == ["党建引领", "基层治理与网格化"]


def test_theme_heatmap_rejects_an_unknown_value(tables: dict[str, pd.DataFrame]) -> None:
    with pytest.raises(ValueError, match="value must be one of"):
        charts.plot_theme_heatmap(tables["theme_counts"], value="n_sentences")


def test_theme_ranking_ranks_offices_with_intervals_and_hits(tables: dict[str, pd.DataFrame]) -> None:
    ax = charts.plot_theme_ranking(tables["theme_counts"], "党建引领").axes[0]
    # barh draws bottom-up: the highest rate is the last label.
    assert [label.get_text() for label in ax.get_yticklabels()] == ["沟赵办事处", "枫杨办事处", "区级/未归属"]
    assert len(ax.containers) == 2  # bars and error bars
    assert " 5次 / 4,000字" in _texts(ax)


def test_theme_ranking_of_an_absent_theme_says_so(tables: dict[str, pd.DataFrame]) -> None:
    ax = charts.plot_theme_ranking(tables["theme_counts"], "疫情防控").axes[0]
    assert any("疫情防控" in text for text in _texts(ax))


@pytest.mark.parametrize(
    "plot",
    [lambda t: charts.plot_theme_ranking(t, "党建引领"), charts.plot_theme_heatmap],
)
def test_office_without_text_gives_no_rate_and_no_warning(plot: Callable[[pd.DataFrame], Figure]) -> None:
    # An office with no characters has an undefined rate (NaN), not 0; it must not break the chart.
    theme_counts = make_table(
        "theme_counts",
        [
            {"office": "沟赵办事处", "theme": "党建引领", "hits": 0, "n_chars": 0},
            {
                "office": "枫杨办事处",
                "theme": "党建引领",
                "hits": 2,
                "n_chars": 100,
                "rate_per_10k_chars": 200.0,
            },
        ],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plot(theme_counts)
        fig.savefig(io.BytesIO(), format="png", dpi=50)


def test_keyness_shows_top_n_over_and_under_used_terms(tables: dict[str, pd.DataFrame]) -> None:
    ax = charts.plot_keyness(tables["keyness"], "枫杨办事处", top_n=2).axes[0]
    terms = [label.get_text() for label in ax.get_yticklabels()]
    values = [bar.get_width() for bar in ax.patches]
    assert terms == ["招商", "项目", "双改", "网格化"]
    assert values == [-1.75, -0.75, 1.5, 2.25]


def test_keyness_draws_non_significant_terms_pale(tables: dict[str, pd.DataFrame]) -> None:
    ax = charts.plot_keyness(tables["keyness"], "枫杨办事处", top_n=2).axes[0]
    # 项目 has p_adjusted 0.2.
    assert [bar.get_alpha() for bar in ax.patches] == [1.0, charts._NOT_SIGNIFICANT_ALPHA, 1.0, 1.0]


def test_keyness_can_show_signed_g2(tables: dict[str, pd.DataFrame]) -> None:
    ax = charts.plot_keyness(tables["keyness"], "沟赵办事处", value="g2").axes[0]
    assert [bar.get_width() for bar in ax.patches] == [5.0]
    assert "G²" in ax.get_xlabel()


def test_wordcloud_accepts_a_mapping_and_is_reproducible() -> None:
    weights = {"网格化": 9.0, "双改": 5.0, "党群服务中心": 2.0, "": 4.0, "负数": -1.0}
    first = charts.plot_wordcloud(weights, random_state=7).axes[0].images[0].get_array()
    second = charts.plot_wordcloud(weights, random_state=7).axes[0].images[0].get_array()
    np.testing.assert_array_equal(first, second)


def test_wordcloud_without_positive_weights_draws_a_no_data_note() -> None:
    fig = charts.plot_wordcloud({"网格化": 0.0, "双改": float("nan")})
    assert len(fig.axes[0].images) == 0
    assert any("没有可显示的数据" in text for text in _texts(fig.axes[0]))


def test_figure_comparison_draws_one_bar_per_row(tables: dict[str, pd.DataFrame]) -> None:
    ax = charts.plot_figure_comparison(tables["comparison"]).axes[0]
    # 微网格 and 微网格长 are each stated by one office only: they compare nothing and are not drawn.
    assert [label.get_text() for label in ax.get_xticklabels()] == ["一级网格", "二级网格"]
    assert [bar.get_height() for bar in ax.patches] == [2, 18, 1, 12]
    assert ax.get_ylabel() == "数量（个）"


def _comparison(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows).assign(**{c: "" for c in ("qualifier",) if c not in rows[0]})


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"subject": "网格", "office": "甲办事处", "value": 3, "unit": "个"}], "at least two offices"),
        (
            [
                {"subject": "群众", "office": "甲办事处", "value": 3, "unit": "人"},
                {"subject": "群众", "office": "乙办事处", "value": 5, "unit": "人次"},
            ],
            "units that differ",
        ),
        (
            [
                {"subject": "投资", "office": "甲办事处", "value": 3e9, "unit": "元", "year": 2013},
                {"subject": "投资", "office": "甲办事处", "value": 9e9, "unit": "元", "year": 2022},
                {"subject": "投资", "office": "乙办事处", "value": 5e9, "unit": "元", "year": 2022},
            ],
            "one row per subject/office",
        ),
    ],
)
def test_comparison_chart_refuses_what_would_mislead(rows: list[dict], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        charts.plot_figure_comparison(_comparison(rows))


def test_comparison_marks_approximate_values_and_years_of_money_on_the_bar() -> None:
    rows = [
        {
            "subject": "投资",
            "office": "甲办事处",
            "value": 1e10,
            "unit": "元",
            "qualifier": "近",
            "year": None,
            "category": "money",
        },
        {
            "subject": "投资",
            "office": "乙办事处",
            "value": 1.02e10,
            "unit": "元",
            "qualifier": "",
            "year": 2022,
            "category": "money",
        },
    ]
    ax = charts.plot_figure_comparison(pd.DataFrame(rows)).axes[0]
    assert {"近100亿\n年份不明", "102亿\n2022"} <= set(_texts(ax))
    hatched = [bool(bar.get_hatch()) for bar in ax.patches]
    assert hatched == [False, True]  # offices in name order: 乙 (exact), then 甲 (近)


def test_comparison_axis_reads_in_plain_numbers() -> None:
    rows = [
        {"subject": "投资", "office": "甲办事处", "value": 1e10, "unit": "元"},
        {"subject": "投资", "office": "乙办事处", "value": 2.5e9, "unit": "元"},
    ]
    fig = charts.plot_figure_comparison(_comparison(rows))
    fig.draw_without_rendering()
    ticks = [label.get_text() for label in fig.axes[0].get_yticklabels() if label.get_text()]
    assert ticks and all("e" not in tick and "1e" not in tick for tick in ticks)
    assert any(tick.endswith("亿") for tick in ticks)


def test_heatmap_colour_scale_is_set_by_offices_with_enough_text() -> None:
    theme_counts = make_table(
        "theme_counts",
        [
            {
                "office": "甲办事处",
                "theme": "党建引领",
                "hits": 10,
                "n_chars": 10000,
                "rate_per_10k_chars": 10.0,
            },
            {
                "office": "乙办事处",
                "theme": "党建引领",
                "hits": 8,
                "n_chars": 800,
                "rate_per_10k_chars": 100.0,
            },
        ],
    )
    marked = charts.plot_theme_heatmap(theme_counts, small_offices=["乙办事处"]).axes[0]
    unmarked = charts.plot_theme_heatmap(theme_counts).axes[0]
    assert marked.collections[0].norm.vmax == 10.0 and unmarked.collections[0].norm.vmax == 100.0
    assert "乙办事处\n（文本过少）" in [label.get_text() for label in marked.get_xticklabels()]


def test_office_with_one_article_shows_that_in_place_of_an_interval() -> None:
    theme_counts = make_table(
        "theme_counts",
        [
            {
                "office": "甲办事处",
                "theme": "党建引领",
                "hits": 4,
                "n_chars": 4000,
                "rate_per_10k_chars": 10.0,
                "rate_ci_low": 10.0,
                "rate_ci_high": 10.0,
                "n_articles": 1,
            },
            {
                "office": "乙办事处",
                "theme": "党建引领",
                "hits": 8,
                "n_chars": 4000,
                "rate_per_10k_chars": 20.0,
                "rate_ci_low": 12.0,
                "rate_ci_high": 30.0,
                "n_articles": 3,
            },
        ],
    )
    ax = charts.plot_theme_ranking(theme_counts, "党建引领").axes[0]
    notes = _texts(ax)
    assert any(note.startswith(" 1 篇") for note in notes)
    assert sum("1 篇" in note for note in notes) == 1


def test_measure_kinds_draw_the_given_counts(tables: dict[str, pd.DataFrame]) -> None:
    ax = charts.plot_measure_kinds(tables["kind_counts"]).axes[0]
    assert [label.get_text() for label in ax.get_yticklabels()] == ["沟赵办事处", "枫杨办事处"]
    assert [label.get_text() for label in ax.get_xticklabels()][-1] == "未归类"
    assert _texts(ax) == ["1", "1", "0", "0", "0", "1"]


def test_charts_speak_english_when_asked(tables: dict[str, pd.DataFrame]) -> None:
    try:
        charts.use_style("en")
        fig = charts.plot_office_sizes(tables["sizes"], "n_chars")
    finally:
        charts.use_style("zh")
    ax = fig.axes[0]
    chrome = [
        ax.get_title(loc="left"),
        ax.get_xlabel(),
        ax.get_ylabel(),
        *(t.get_text() for t in ax.get_legend().get_texts()),
    ]
    assert not any(CJK.search(text) for text in chrome)
    assert "district-level" in [label.get_text() for label in ax.get_yticklabels()]


# --- saving ---------------------------------------------------------------------------------------


def test_save_figure_writes_png_svg_pdf(tables: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    fig = charts.plot_office_sizes(tables["sizes"], "n_articles")
    written = charts.save_figure(fig, "articles_per_office", tmp_path / "figures")
    assert [path.name for path in written] == [f"articles_per_office.{fmt}" for fmt in ("png", "svg", "pdf")]
    assert written[1].read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert written[2].read_bytes().startswith(b"%PDF")
    with Image.open(written[0]) as image:
        assert tuple(round(dpi) for dpi in image.info["dpi"]) == (300, 300)


def test_heatmap_svg_is_drawn_in_vectors_not_a_picture(
    tables: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    svg = charts.save_figure(charts.plot_theme_heatmap(tables["theme_counts"]), "heatmap", tmp_path)[1]
    assert "<image" not in svg.read_text(encoding="utf-8")


def test_save_figure_defaults_to_the_project_figures_folder(
    tables: dict[str, pd.DataFrame], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(charts, "project_paths", lambda: project_paths(reports_dir=tmp_path / "reports"))
    written = charts.save_figure(charts.plot_removed_by_reason(tables["removed_overview"]), "removed")
    assert {path.parent for path in written} == {tmp_path / "reports" / "figures"}
    assert all(path.stat().st_size > 0 for path in written)


def test_save_figure_gives_identical_files_on_a_rerun(
    tables: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    fig = charts.plot_theme_heatmap(tables["theme_counts"])
    first = [path.read_bytes() for path in charts.save_figure(fig, "heatmap", tmp_path / "one")]
    second = [path.read_bytes() for path in charts.save_figure(fig, "heatmap", tmp_path / "two")]
    assert first == second


@pytest.mark.parametrize("name", ["", "sub/chart", "chart.png", ".."])
def test_save_figure_rejects_names_that_are_not_plain_stems(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="plain file stem"):
        charts.save_figure(Figure(), name, tmp_path)


@pytest.mark.parametrize(
    ("n_panels", "n_columns", "shape", "blank"),
    [(3, 2, (2, 2), 1), (2, 2, (1, 2), 0), (0, 2, (1, 2), 2), (4, 1, (4, 1), 0)],
)
def test_panel_grid_gives_one_axes_per_panel_and_blanks_the_rest(n_panels, n_columns, shape, blank) -> None:
    fig, axes = charts.panel_grid(n_panels, n_columns, 6, 4)
    assert len(axes) == n_panels
    assert len(fig.axes) == shape[0] * shape[1]
    assert sum(not ax.axison for ax in fig.axes) == blank
    assert tuple(fig.get_size_inches()) == (6 * shape[1], 4 * shape[0])
