"""Tests for govnews.validate: each scoring rule on tiny tables, and equality with the reference scorer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from govnews import schema
from govnews.errors import GovnewsError
from govnews.validate import ScoreReport, format_report, load_gold, score_dir, score_tables

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "data" / "validation" / "seeds.yml"
REFERENCE_SCORER = REPO.parent / "shared" / "gold" / "score.py"

ANCHOR = "沟赵办事处首创九步工作法"
ARTICLE_TEXT = f"今年，{ANCHOR}，推进项目建设。"


def _gold_article(**changes: object) -> dict:
    article = {
        "id": "g1",
        "anchor": ANCHOR,
        "office": "沟赵办事处",
        "district": "高新区",
        "year": 2020,
        "figures": [],
        "measures": [],
    }
    article.update(changes)
    return article


def _gold(*articles: dict) -> dict:
    return {"articles": list(articles) or [_gold_article()]}


def _table(name: str, rows: list[dict]) -> pd.DataFrame:
    # Not conformed: validate scores any tool's tables, as the reference scorer does, so these may
    # hold categories ours never write (year, time) and leave cells empty.
    return pd.DataFrame(rows, columns=schema.column_names(name))


def _article_row(**changes: object) -> dict:
    row = {
        "article_id": "p-01",
        "text": ARTICLE_TEXT,
        "office": "沟赵办事处",
        "district": "高新区",
        "year": 2020,
    }
    row.update(changes)
    return row


def _figure_row(value: float, unit: str, **changes: object) -> dict:
    row = {
        "article_id": "p-01",
        "sentence_no": 1,
        "span": f"{value:g}{unit}",
        "value": value,
        "unit": unit,
        "qualifier": "",
        "category": "count",
    }
    row.update(changes)
    return row


def _tables(
    articles: list[dict] | None = None,
    figures: list[dict] = (),
    measures: list[str] = (),
    sentences: list[dict] | None = None,
) -> dict[str, pd.DataFrame]:
    tables = {
        "articles": _table("articles", articles if articles is not None else [_article_row()]),
        "figures": _table("figures", list(figures)),
        "measures": _table("measures", [{"article_id": "p-01", "name": name} for name in measures]),
    }
    if sentences is not None:
        tables["sentences"] = _table("sentences", sentences)
    return tables


def _misses(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["kind", "article", "detail"], dtype="string")


# --- articles -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("office", "expected"),
    [
        ("沟赵办事处", 1.0),
        ("沟赵街道", 1.0),
        ("沟赵街道办事处", 1.0),
        ("枫杨办事处", 0.0),
        ("", 0.0),
    ],
)
def test_offices_compare_by_core_name(office: str, expected: float) -> None:
    report = score_tables(_gold(), _tables([_article_row(office=office)]))
    assert report.summary["article_accuracy"] == expected


def test_wrong_office_is_listed_as_article_error() -> None:
    report = score_tables(_gold(), _tables([_article_row(office="枫杨办事处")]))
    assert_frame_equal(report.misses, _misses(("article_error", "g1", "office '枫杨办事处' != '沟赵办事处'")))


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        ("郑州高新区", "高新区", 1.0),
        ("高新区", "郑州高新区", 1.0),
        ("经开区", "高新区", 0.0),
        ("", "高新区", 0.0),
        ("经开区", "", 1.0),  # the gold leaves the district unchecked
    ],
)
def test_districts_match_by_containment(predicted: str, gold: str, expected: float) -> None:
    report = score_tables(_gold(_gold_article(district=gold)), _tables([_article_row(district=predicted)]))
    assert report.summary["article_accuracy"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ARTICLE_TEXT + "另外，协调20套人才公寓。", 1.0),
        (ARTICLE_TEXT + "另外，协调 20 套“人才公寓”。", 1.0),  # spaces and quotation marks do not matter
        (ARTICLE_TEXT, 0.0),
    ],
)
def test_continuation_anchors_must_be_joined(text: str, expected: float) -> None:
    gold = _gold(_gold_article(continuation_anchors=["协调20套人才公寓"]))
    report = score_tables(gold, _tables([_article_row(text=text)]))
    assert report.summary["article_accuracy"] == expected


def test_article_holding_another_gold_anchor_is_wrong_for_both() -> None:
    gold = _gold(_gold_article(), _gold_article(id="g2", anchor="枫杨办事处开展清洁行动"))
    merged = _article_row(text=ARTICLE_TEXT + "枫杨办事处开展清洁行动。")
    report = score_tables(gold, _tables([merged]))
    assert report.summary["article_accuracy"] == 0.0
    assert_frame_equal(
        report.misses,
        _misses(
            ("article_error", "g1", "also holds g2"),
            ("article_error", "g2", "also holds g1"),
        ),
    )


def test_first_article_holding_the_anchor_is_the_one_scored() -> None:
    rows = [_article_row(office="枫杨办事处"), _article_row(article_id="p-02")]
    report = score_tables(_gold(), _tables(rows))
    assert report.summary["article_accuracy"] == 0.0


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2020, 1.0),
        (2020.0, 1.0),
        ("2020.0", 1.0),
        ("2019", 0.0),
        (None, 0.0),
    ],
)
def test_year_compares_the_part_before_the_decimal_point(year: object, expected: float) -> None:
    articles = pd.DataFrame(
        {
            "article_id": ["p-01"],
            "text": [ARTICLE_TEXT],
            "office": ["沟赵办事处"],
            "district": ["高新区"],
            "year": [year],
        }
    )
    tables = {**_tables(), "articles": articles}
    assert score_tables(_gold(), tables).summary["year_accuracy"] == expected


@pytest.mark.parametrize(
    ("year", "accuracy", "precision"),
    [
        (2020, 1.0, 1.0),
        (2019, 0.0, 0.0),
        (None, 0.0, 1.0),  # no year given is no claim: it costs accuracy, never precision
    ],
)
def test_year_precision_counts_only_years_given(year: int | None, accuracy: float, precision: float) -> None:
    report = score_tables(_gold(), _tables([_article_row(year=year)]))
    assert (report.summary["year_accuracy"], report.summary["year_precision"]) == (accuracy, precision)


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("道路", 1.0),
        ("辖区道路总数", 1.0),  # contains the gold subject
        ("路", 1.0),  # lies inside it
        ("长度", 0.0),
        ("", 0.0),  # an empty subject is never right
    ],
)
def test_subject_is_right_when_one_contains_the_other(subject: str, expected: float) -> None:
    gold = _gold(_gold_article(figures=[{"value": 58, "unit": "条", "qualifier": "", "subject": "道路"}]))
    report = score_tables(gold, _tables(figures=[_figure_row(58, "条", subject=subject)]))
    assert report.summary["subject_accuracy"] == expected
    assert (report.misses["kind"] == "subject_error").sum() == (expected == 0.0)


def test_figure_precision_in_file_ignores_which_article_holds_the_figure() -> None:
    gold = _gold(
        _gold_article(
            source="p.txt", figures=[{"value": 58, "unit": "条", "qualifier": "", "subject": "道路"}]
        ),
        _gold_article(id="g2", anchor="另一篇文章的锚", source="p.txt", figures=[]),
    )
    articles = [
        _article_row(source="p.txt"),
        _article_row(article_id="p-02", text="另一篇文章的锚。", source="p.txt"),
        _article_row(article_id="q-01", text="别处。", source="q.txt"),
    ]
    figures = [
        _figure_row(58, "条", article_id="p-02"),  # right value, wrong article: right in its file
        _figure_row(7, "条", article_id="p-02"),  # no gold figure of p.txt has this value
        _figure_row(9, "条", article_id="q-01"),  # a file the gold does not describe is not scored
    ]
    report = score_tables(gold, _tables(articles, figures))
    assert report.summary["figure_precision_in_file"] == 0.5
    assert report.summary["figure_precision"] == 0.0


def test_unfound_article_counts_its_required_figures_and_measures_as_missing() -> None:
    gold = _gold(
        _gold_article(
            figures=[
                {"value": 36, "unit": "平方公里", "qualifier": "", "subject": "面积"},
                {"value": 6, "unit": "片区", "qualifier": "", "subject": "片区", "optional": True},
            ],
            measures=[["九步工作法"]],
        )
    )
    report = score_tables(gold, _tables([_article_row(text="别的文章。")]))
    assert report.summary == {
        "article_accuracy": 0.0,
        "figure_recall": 0.0,
        "figure_precision": 1.0,
        "figure_precision_in_file": 1.0,
        "qualifier_accuracy": 1.0,
        "measure_recall": 0.0,
        "not_figures_extracted": 0,
        "year_accuracy": 1.0,
        "year_precision": 1.0,
        "subject_accuracy": 1.0,
    }
    assert_frame_equal(
        report.misses,
        _misses(
            ("article_error", "g1", "no article holds its anchor"),
            ("figure_missing", "g1", "36平方公里 面积"),
            ("measure_missing", "g1", "九步工作法"),
        ),
    )


# --- figures --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "gold_value", "gold_unit", "expected"),
    [
        (36.0, "平方公里", 36, "平方公里", 1.0),
        (10000000000.0, "亿元", 10000000000, "元", 1.0),
        (5000000.0, "万元", 5000000, "元", 1.0),
        (5000000.0, "", 5000000, "元", 1.0),  # a bare amount counts as money
        (95.0, "％", 95, "%", 1.0),
        (95.0, "percent", 95, "%", 1.0),
        (2000.0, "m²", 2000, "平方米", 1.0),
        (2.0, "个月", 2, "月", 1.0),
        (10000000001.0, "元", 10000000000, "元", 1.0),  # within the relative tolerance of 1e-6
        (36.01, "平方公里", 36, "平方公里", 0.0),
        (300.0, "个", 300, "名", 0.0),
        (3.0, "", 3, "个", 0.0),
    ],
)
def test_figures_match_by_value_and_unit_alias(
    value: float, unit: str, gold_value: float, gold_unit: str, expected: float
) -> None:
    gold = _gold(
        _gold_article(figures=[{"value": gold_value, "unit": gold_unit, "qualifier": "", "subject": "x"}])
    )
    report = score_tables(gold, _tables(figures=[_figure_row(value, unit)]))
    assert report.summary["figure_recall"] == expected


def test_optional_figure_is_not_required() -> None:
    gold = _gold(
        _gold_article(
            figures=[
                {"value": 36, "unit": "平方公里", "qualifier": "", "subject": "面积"},
                {"value": 6, "unit": "片区", "qualifier": "", "subject": "片区", "optional": True},
            ]
        )
    )
    report = score_tables(gold, _tables(figures=[_figure_row(36.0, "平方公里")]))
    assert (report.summary["figure_recall"], report.summary["figure_precision"]) == (1.0, 1.0)


def test_figure_equal_to_an_optional_gold_value_counts_as_correct() -> None:
    gold = _gold(
        _gold_article(
            figures=[
                {"value": 36, "unit": "平方公里", "qualifier": "", "subject": "面积"},
                {"value": 6, "unit": "片区", "qualifier": "", "subject": "片区", "optional": True},
            ]
        )
    )
    report = score_tables(gold, _tables(figures=[_figure_row(36.0, "平方公里"), _figure_row(6.0, "个")]))
    assert report.summary["figure_precision"] == 1.0


def test_unmatched_figure_lowers_precision_and_is_listed() -> None:
    gold = _gold(
        _gold_article(figures=[{"value": 36, "unit": "平方公里", "qualifier": "", "subject": "面积"}])
    )
    figures = [_figure_row(36.0, "平方公里", subject="面积"), _figure_row(8.0, "号", span="八号线")]
    report = score_tables(gold, _tables(figures=figures))
    assert report.summary["figure_precision"] == 0.5
    assert_frame_equal(report.misses, _misses(("figure_unmatched", "g1", "八号线 -> 8.0 号")))


@pytest.mark.parametrize(
    ("category", "expected_recall"),
    [
        ("date", 0.0),
        ("year", 0.0),
        ("ordinal", 0.0),
        ("time", 0.0),
        ("count", 1.0),
    ],
)
def test_date_year_ordinal_and_time_rows_are_not_scored(category: str, expected_recall: float) -> None:
    gold = _gold(_gold_article(figures=[{"value": 18, "unit": "个", "qualifier": "", "subject": "网格"}]))
    report = score_tables(gold, _tables(figures=[_figure_row(18.0, "个", category=category)]))
    assert report.summary["figure_recall"] == expected_recall


def test_unscored_rows_do_not_count_against_precision() -> None:
    gold = _gold(_gold_article(figures=[{"value": 18, "unit": "个", "qualifier": "", "subject": "网格"}]))
    figures = [_figure_row(18.0, "个"), _figure_row(2020.0, "年", category="year")]
    assert score_tables(gold, _tables(figures=figures)).summary["figure_precision"] == 1.0


@pytest.mark.parametrize(
    ("qualifiers", "expected"),
    [
        (["余"], 1.0),
        (["", "余"], 1.0),  # one matching row with the right qualifier is enough
        ([""], 0.0),
        (["多"], 0.0),
    ],
)
def test_qualifier_accuracy_among_found_figures(qualifiers: list[str], expected: float) -> None:
    gold = _gold(_gold_article(figures=[{"value": 30, "unit": "对", "qualifier": "余", "subject": "共建"}]))
    figures = [_figure_row(30.0, "对", qualifier=qualifier) for qualifier in qualifiers]
    assert score_tables(gold, _tables(figures=figures)).summary["qualifier_accuracy"] == expected


@pytest.mark.parametrize(
    ("span", "sentence", "expected"),
    [
        ("20", "入选20强企业。", 1),
        ("20", "建成20个站点。", 0),  # the negative is not in the figure's sentence
        ("20个", "建成20个站点，入选20强。", 0),  # both occur, but apart
        ("20", "建成20个站点，入选20强。", 1),  # the second occurrence of the span overlaps
        ("20", None, 1),  # without a sentences table, one string containing the other is a hit
        ("20个", None, 0),
    ],
)
def test_negative_is_hit_when_the_span_overlaps_it_in_the_sentence(
    span: str, sentence: str | None, expected: int
) -> None:
    gold = _gold(_gold_article(not_figures=["20强"]))
    sentences = None if sentence is None else [{"article_id": "p-01", "sentence_no": 1, "text": sentence}]
    tables = _tables(figures=[_figure_row(20.0, "个", span=span)], sentences=sentences)
    assert score_tables(gold, tables).summary["not_figures_extracted"] == expected


def test_negative_hit_is_listed() -> None:
    gold = _gold(_gold_article(not_figures=["三项工程"]))
    report = score_tables(gold, _tables(figures=[_figure_row(3.0, "项", span="三项")]))
    assert report.misses.loc[report.misses["kind"] == "not_figure_hit", "detail"].tolist() == ["三项工程"]


# --- measures -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("九步工作法", 1.0),
        ("推行九步工作法", 1.0),  # holds the gold spelling
        ("“九步”工作法", 1.0),  # quotation marks removed before comparing
        ("步工作法", 1.0),  # inside it and 4/5 of its length
        ("工作法", 0.0),  # inside it but only 3/5 of its length
        ("片区化管理", 0.0),
    ],
)
def test_measure_name_holds_or_covers_two_thirds_of_a_spelling(name: str, expected: float) -> None:
    gold = _gold(_gold_article(measures=[["九步工作法"]]))
    assert score_tables(gold, _tables(measures=[name])).summary["measure_recall"] == expected


def test_any_listed_spelling_counts() -> None:
    gold = _gold(_gold_article(measures=[["三项工程、一项管理", "三项工程一项管理"]]))
    assert score_tables(gold, _tables(measures=["三项工程一项管理"])).summary["measure_recall"] == 1.0


def test_measure_of_another_article_does_not_count() -> None:
    gold = _gold(_gold_article(measures=[["九步工作法"]]))
    tables = _tables(measures=[])
    tables["measures"] = _table("measures", [{"article_id": "p-02", "name": "九步工作法"}])
    assert score_tables(gold, tables).summary["measure_recall"] == 0.0


# --- report and tables ----------------------------------------------------------------------------


def test_summary_has_the_reference_keys_in_order() -> None:
    assert list(score_tables(_gold(), _tables()).summary) == [
        "article_accuracy",
        "figure_recall",
        "figure_precision",
        "figure_precision_in_file",
        "qualifier_accuracy",
        "measure_recall",
        "not_figures_extracted",
        "year_accuracy",
        "year_precision",
        "subject_accuracy",
    ]


def test_misses_are_grouped_by_kind_in_reference_order() -> None:
    gold = _gold(
        _gold_article(
            measures=[["九步工作法"]],
            figures=[{"value": 36, "unit": "平方公里", "qualifier": "", "subject": "面积"}],
        )
    )
    report = score_tables(
        gold, _tables([_article_row(office="")], figures=[_figure_row(1.0, "个", span="1个")])
    )
    assert report.misses["kind"].tolist() == [
        "article_error",
        "figure_missing",
        "figure_unmatched",
        "measure_missing",
    ]


def test_format_report_lists_misses_then_the_json_summary() -> None:
    misses = _misses(("measure_missing", "g1", "九步工作法"))
    summary = {"article_accuracy": 1.0, "not_figures_extracted": 0}
    text = format_report(ScoreReport(summary=summary, misses=misses))
    assert text == 'measure_missing: g1: 九步工作法\n{"article_accuracy": 1.0, "not_figures_extracted": 0}'


def test_missing_table_is_an_error() -> None:
    tables = _tables()
    del tables["measures"]
    with pytest.raises(GovnewsError, match="measures"):
        score_tables(_gold(), tables)


def test_table_without_a_needed_column_is_an_error() -> None:
    tables = {**_tables(), "figures": pd.DataFrame({"article_id": ["p-01"], "value": [1.0]})}
    with pytest.raises(GovnewsError, match=r"lacks column.*unit"):
        score_tables(_gold(), tables)


def test_score_dir_reads_csv_with_byte_order_mark(tmp_path: Path) -> None:
    gold_path = tmp_path / "gold.yml"
    gold_path.write_text(
        f"articles:\n  - {{id: g1, anchor: {ANCHOR}, office: 沟赵街道, district: 高新区, year: 2020,\n"
        "     figures: [{value: 36, unit: 平方公里, qualifier: '', subject: 面积}],\n"
        "     measures: [[九步工作法]]}\n",
        encoding="utf-8",
    )
    tables = _tables(figures=[_figure_row(36.0, "平方公里")], measures=["九步工作法"])
    for name, frame in tables.items():
        frame.to_csv(tmp_path / f"{name}.csv", index=False, encoding="utf-8-sig")
    report = score_dir(gold_path, tmp_path)
    assert report.summary == score_tables(load_gold(gold_path), tables).summary
    assert report.summary["measure_recall"] == 1.0


def test_score_dir_names_the_missing_table(tmp_path: Path) -> None:
    _tables()["articles"].to_csv(tmp_path / "articles.csv", index=False)
    with pytest.raises(GovnewsError, match=r"figures\.csv"):
        score_dir(SEEDS, tmp_path)


# --- gold file ------------------------------------------------------------------------------------


def test_load_gold_reads_the_shipped_seeds() -> None:
    gold = load_gold(SEEDS)
    ids = [article["id"] for article in gold["articles"]]
    assert ids and len(ids) == len(set(ids))


_GOOD_ARTICLE = "  - id: a\n    anchor: 甲\n    office: ''\n    figures: []\n    measures: []\n"


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("articles:\n  - id: a\n    anchor: [unclosed\n", 4, "broken YAML"),
        (
            _GOOD_ARTICLE + "  - id: b\n    anchor: 乙\n    figures: []\n    measures: []\n",
            7,
            "lacks key.*office",
        ),
        (_GOOD_ARTICLE + _GOOD_ARTICLE.replace("甲", "乙"), 7, "'a' appears twice"),
        (_GOOD_ARTICLE.replace("measures: []", "measures: [九步工作法]"), 6, "list of spellings"),
        (_GOOD_ARTICLE.replace("figures: []", "figures: [{value: 3万, unit: 元}]"), 5, "not a number"),
        (_GOOD_ARTICLE.replace("figures: []", "figures: [{value: 3}]"), 5, "value and unit"),
        (_GOOD_ARTICLE.replace("甲", "“”"), 3, "anchor is empty"),
    ],
)
def test_load_gold_names_file_and_line_of_a_problem(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    path = tmp_path / "gold.yml"
    path.write_text(text if text.startswith("articles") else "articles:\n" + text, encoding="utf-8")
    with pytest.raises(GovnewsError, match=problem) as caught:
        load_gold(path)
    assert (caught.value.path, caught.value.line) == (path, line)


def test_load_gold_needs_an_articles_list(tmp_path: Path) -> None:
    path = tmp_path / "gold.yml"
    path.write_text("captions: []\n", encoding="utf-8")
    with pytest.raises(GovnewsError, match="'articles' list"):
        load_gold(path)


def test_load_gold_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GovnewsError, match="cannot read") as caught:
        load_gold(tmp_path / "absent.yml")
    assert caught.value.path == tmp_path / "absent.yml"


# --- equality with the reference scorer -----------------------------------------------------------


def _tables_from_gold(gold: dict) -> dict[str, pd.DataFrame]:
    """Tables a perfect build would write for the gold articles (ids renumbered)."""
    articles, sentences, figures, measures = [], [], [], []
    for number, article in enumerate(gold["articles"], start=1):
        article_id = f"t-{number:02d}"
        text = "\n".join([article["anchor"], *article.get("continuation_anchors", [])])
        articles.append(
            {
                "article_id": article_id,
                "source": article["source"],
                "text": text,
                "office": article["office"],
                "district": article["district"],
                "year": article["year"],
            }
        )
        sentences.append({"article_id": article_id, "sentence_no": 1, "text": text})
        for figure in article["figures"]:
            figures.append(
                {
                    "article_id": article_id,
                    "sentence_no": 1,
                    "span": f"{figure['value']:g}{figure['unit']}",
                    "value": float(figure["value"]),
                    "unit": figure["unit"],
                    "qualifier": figure["qualifier"],
                    "subject": figure.get("subject", ""),
                    "category": "count",
                }
            )
        measures.extend({"article_id": article_id, "name": spellings[0]} for spellings in article["measures"])
    rows = {"articles": articles, "sentences": sentences, "figures": figures, "measures": measures}
    return {name: _table(name, table_rows) for name, table_rows in rows.items()}


def _degrade(gold: dict, tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A flawed copy exercising every rule.

    Wrong office, district and year, lost and merged articles, a lost continuation, dropped,
    re-united, re-qualified and wrong figures, date rows, negatives in and out of sentences,
    clipped and dropped measures.
    """
    articles = tables["articles"].copy()
    articles["year"] = articles["year"].astype("float64")  # written as 2020.0
    articles.loc[0, "office"] = "某某办事处"
    articles.loc[2, "text"] = articles.loc[2, "text"] + "\n" + gold["articles"][3]["anchor"]
    with_continuation = [i for i, a in enumerate(gold["articles"]) if a.get("continuation_anchors")]
    articles.loc[with_continuation[-1], "text"] = gold["articles"][with_continuation[-1]]["anchor"]
    articles.loc[1, "district"] = ""
    articles.loc[5, "year"] = 2019.0
    articles.loc[6, "year"] = None  # no claim: counts against year_accuracy, not year_precision
    articles.loc[7, "source"] = "elsewhere.txt"  # its figures leave figure_precision_in_file
    articles = articles.drop(index=4)

    figures = tables["figures"].copy()
    figures.loc[figures["unit"] == "元", "unit"] = "亿元"
    figures.loc[figures.index % 5 == 1, "qualifier"] = "约"
    figures.loc[figures.index % 7 == 2, "category"] = "date"
    figures.loc[figures.index % 11 == 3, "value"] = 123456.0
    figures.loc[figures.index % 6 == 4, "subject"] = "努力"
    figures.loc[figures.index % 13 == 5, "subject"] = ""
    figures = figures[figures.index % 3 != 0]
    sentences = tables["sentences"].copy()
    extra_figures, extra_sentences = [], []
    for number, article in enumerate(gold["articles"], start=1):
        for position, negative in enumerate(article.get("not_figures", [])[:3]):
            # 0: the negative itself in its sentence; 1: part of it, in a sentence without the whole
            # negative (a hit only by containment); 2: no sentence row, so containment decides.
            span = str(negative)[:2] if position == 1 else str(negative)
            extra_figures.append(
                {
                    "article_id": f"t-{number:02d}",
                    "sentence_no": 2 + position,
                    "span": span,
                    "value": 1.0,
                    "unit": "个",
                    "qualifier": "",
                    "category": "count",
                }
            )
            if position < 2:
                extra_sentences.append(
                    {
                        "article_id": f"t-{number:02d}",
                        "sentence_no": 2 + position,
                        "text": f"其中“{span}”也在推进。",
                    }
                )
    figures = pd.concat([figures, _table("figures", extra_figures)], ignore_index=True)
    sentences = pd.concat([sentences, _table("sentences", extra_sentences)], ignore_index=True)

    measures = tables["measures"].copy()
    measures["name"] = [name[1:] if i % 2 else name for i, name in enumerate(measures["name"])]
    measures = measures[measures.index % 4 != 0]
    return {"articles": articles, "sentences": sentences, "figures": figures, "measures": measures}


def _write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> Path:
    folder.mkdir()
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8-sig")
    return folder


def _run_reference_scorer(folder: Path) -> tuple[list[str], dict]:
    result = subprocess.run(
        [sys.executable, str(REFERENCE_SCORER), str(SEEDS), str(folder)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    *miss_lines, summary_line = result.stdout.strip().splitlines()
    return miss_lines, json.loads(summary_line)


_REFERENCE_KINDS = {
    "article_errors": "article_error",
    "fig_missing": "figure_missing",
    "fig_unmatched": "figure_unmatched",
    "not_figures_hit": "not_figure_hit",
    "meas_missing": "measure_missing",
    "subject_errors": "subject_error",
}


def _as_reference_lines(report: ScoreReport) -> list[str]:
    labels = {kind: label for label, kind in _REFERENCE_KINDS.items()}
    return [
        f"{labels[kind]}: {article}: {detail}"
        for kind, article, detail in report.misses.itertuples(index=False, name=None)
    ]


@pytest.mark.skipif(
    not REFERENCE_SCORER.exists(), reason="reference scorer not available outside the workspace"
)
@pytest.mark.parametrize("variant", ["perfect", "degraded", "degraded_without_sentences", "empty"])
def test_scores_equal_the_reference_scorer(tmp_path: Path, variant: str) -> None:
    gold = load_gold(SEEDS)
    tables = _tables_from_gold(gold)
    if variant.startswith("degraded"):
        tables = _degrade(gold, tables)
    if variant == "degraded_without_sentences":
        del tables["sentences"]
    if variant == "empty":
        tables = {name: frame.iloc[0:0] for name, frame in tables.items()}
    folder = _write_tables(tables, tmp_path / variant)

    reference_lines, reference_summary = _run_reference_scorer(folder)
    report = score_dir(SEEDS, folder)

    assert report.summary == reference_summary
    assert _as_reference_lines(report) == reference_lines
    assert score_tables(gold, tables).summary == reference_summary
