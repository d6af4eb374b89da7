"""Views of figures: amounts by office, subjects offices share, comparisons a chart may draw, checks."""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from govnews import schema
from govnews.present.views._common import (
    DISTRICT_LEVEL_LABEL,
    _label,
    _mode,
    _text,
)
from govnews.vocabulary import NON_QUANTITY_CATEGORIES

EVIDENCE_MAX_CHARS = 120
"""Longest excerpt of a sentence shown as the evidence of a figure check."""
EVIDENCE_MARGIN = 20
"""Characters kept either side of the figures when their clause is longer than that."""
LOG_SCALE_RATIO = 100.0
"""A comparison whose largest value is more than this many times its smallest gets a log axis."""


_QUANTITY_COLUMNS = [
    "office",
    "category",
    "subject",
    "value",
    "unit",
    "qualifier",
    "span",
    "ref_year",
    "article_id",
    "sentence_no",
]


def _amounts(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures that are amounts, with ``_position``: the row's place in the table (reading order)."""
    rows = figures.assign(_position=np.arange(len(figures)))
    return rows.loc[~_text(rows["category"]).isin(NON_QUANTITY_CATEGORIES)]


def quantity_figures(figures: pd.DataFrame, office: str | None = None) -> pd.DataFrame:
    """The figures that are amounts (dates and ordinals left out), largest first in each category.

    Args:
        figures: the ``figures`` table.
        office: keep one office's figures; ``None`` keeps all (district-level text last).

    Returns:
        Columns office, category, subject, value, unit, qualifier, span, ref_year, article_id,
        sentence_no.
    """
    rows = _amounts(figures)
    if office is not None:
        rows = rows.loc[_text(rows["office"]).eq(office)]
    rows = rows.assign(_last=_text(rows["office"]).eq(""))
    rows = rows.sort_values(
        ["_last", "office", "category", "value"], ascending=[True, True, True, False], kind="stable"
    )
    return rows[_QUANTITY_COLUMNS].reset_index(drop=True)


def figure_overview(figures: pd.DataFrame) -> pd.DataFrame:
    """How many figures of each category every office states (dates and ordinals left out).

    Returns:
        One row per office (district-level text as :data:`DISTRICT_LEVEL_LABEL`, last), one column
        per category (most frequent first) and ``n_figures``, most figures first.
    """
    rows = quantity_figures(figures)
    if rows.empty:
        return pd.DataFrame(columns=["office", "n_figures"])
    counts = pd.crosstab(_text(rows["office"]), _text(rows["category"]))
    counts = counts[counts.sum().sort_values(ascending=False, kind="stable").index]
    counts["n_figures"] = counts.sum(axis=1)
    counts = counts.rename_axis(index="office", columns=None).reset_index()
    counts = counts.assign(_last=counts["office"].eq("")).sort_values(
        ["_last", "n_figures", "office"], ascending=[True, False, True], kind="stable"
    )
    counts["office"] = counts["office"].map(_label)
    return counts.drop(columns="_last").reset_index(drop=True)


def _comparable_amounts(figures: pd.DataFrame, include_district_level: bool) -> pd.DataFrame:
    rows = _amounts(figures)
    rows = rows.assign(subject=_text(rows["subject"]), unit=_text(rows["unit"]), office=_text(rows["office"]))
    rows = rows.loc[rows["subject"].ne("")]
    if not include_district_level:
        rows = rows.loc[rows["office"].ne("")]
    return rows


def comparable_subjects(
    figures: pd.DataFrame, min_offices: int = 2, *, include_district_level: bool = False
) -> pd.DataFrame:
    """Subjects that several offices state in the same unit, with each office's value side by side.

    An office stating a subject several times shows its largest value (repeated mentions of one
    count must not be added up).

    Args:
        figures: the ``figures`` table.
        min_offices: the least number of offices stating a subject.
        include_district_level: count district-level text as an office.

    Returns:
        Columns subject, unit, n_offices, then one column per office (NaN where it states nothing);
        most offices first, then in reading order of first mention.
    """
    rows = _comparable_amounts(figures, include_district_level)
    if rows.empty:
        return pd.DataFrame(columns=["subject", "unit", "n_offices"])
    rows = rows.assign(office=rows["office"].map(_label))
    best = rows.groupby(["subject", "unit", "office"], sort=False)["value"].max().reset_index()
    n_offices = best.groupby(["subject", "unit"], sort=False)["office"].nunique().rename("n_offices")
    position = rows.groupby(["subject", "unit"], sort=False)["_position"].min()
    wide = best.pivot(index=["subject", "unit"], columns="office", values="value")
    offices = sorted(wide.columns, key=lambda office: (office == DISTRICT_LEVEL_LABEL, office))
    table = pd.concat([n_offices, position, wide[offices]], axis=1)
    table = table.loc[table["n_offices"] >= min_offices]
    # Offices that state none of the shared subjects add only empty columns.
    table = table.drop(columns=[office for office in offices if table[office].isna().all()])
    table = table.sort_values(["n_offices", "_position"], ascending=[False, True], kind="stable")
    return table.drop(columns="_position").rename_axis(columns=None).reset_index()


def select_figures(
    figures: pd.DataFrame,
    category: str | Iterable[str] | None = None,
    subject_pattern: str | None = None,
    max_subjects: int = 8,
    *,
    unit: str | Iterable[str] | None = None,
    include_district_level: bool = False,
) -> pd.DataFrame:
    """Figures to compare across offices with :func:`govnews.present.charts.plot_figure_comparison`.

    Subjects stated by more offices come first, then in reading order of first mention; rows are
    sorted so that ``rows["subject"].unique()`` gives that order (offices by name within a subject).

    Args:
        figures: the ``figures`` table.
        category: keep these categories (``"count"``, ``["money"]`` …); ``None`` keeps every amount.
        subject_pattern: regular expression the subject must contain (``"网格$"``); ``None`` keeps all.
        max_subjects: at most this many subjects.
        unit: keep these units only (``"平方公里"``), so that bars on one axis share a unit.
        include_district_level: keep district-level figures (office ``""``).

    Returns:
        The selected rows, columns as :func:`quantity_figures`.
    """
    rows = _comparable_amounts(figures, include_district_level)
    if category is not None:
        wanted = [category] if isinstance(category, str) else list(category)
        rows = rows.loc[_text(rows["category"]).isin(wanted)]
    if unit is not None:
        rows = rows.loc[rows["unit"].isin([unit] if isinstance(unit, str) else list(unit))]
    if subject_pattern:
        rows = rows.loc[rows["subject"].str.contains(subject_pattern, regex=True)]
    rank = pd.DataFrame(
        {
            "n_offices": rows.groupby("subject")["office"].nunique(),
            "position": rows.groupby("subject")["_position"].min(),
        }
    ).sort_values(["n_offices", "position"], ascending=[False, True], kind="stable")
    order = {subject: position for position, subject in enumerate(rank.index[:max_subjects])}
    kept = rows.loc[rows["subject"].isin(order)]
    kept = kept.assign(_order=kept["subject"].map(order))
    kept = kept.sort_values(["_order", "office", "value"], ascending=[True, True, False], kind="stable")
    return kept[_QUANTITY_COLUMNS].reset_index(drop=True)


def needs_log_scale(rows: pd.DataFrame, max_ratio: float = LOG_SCALE_RATIO) -> bool:
    """Whether the values of a comparison span so much that a linear axis would flatten the small ones.

    Args:
        rows: figures to be drawn together (column ``value``).
        max_ratio: largest ratio of the largest to the smallest positive value a linear axis shows well.
    """
    values = pd.to_numeric(rows["value"], errors="coerce")
    values = values[values > 0]
    return bool(len(values)) and float(values.max()) > max_ratio * float(values.min())


_CLAUSE_END = re.compile(r"[；;。！？!?]")


def _excerpt(text: str, spans: list[str]) -> str:
    """The clauses of ``text`` holding ``spans`` (each found after the one before).

    Clauses end at ；。！？; where they run longer than :data:`EVIDENCE_MAX_CHARS`, the excerpt keeps
    :data:`EVIDENCE_MARGIN` characters either side of the spans instead.
    """
    starts, ends, cursor = [], [], 0
    for span in spans:
        position = text.find(span, cursor)
        if position < 0:
            position = text.find(span)
        if position >= 0:
            starts.append(position)
            ends.append(position + len(span))
            cursor = position + len(span)
    if not starts:
        return text
    first, last = min(starts), max(ends)
    start = max((found.end() for found in _CLAUSE_END.finditer(text, 0, first)), default=0)
    following = _CLAUSE_END.search(text, last)
    end = following.end() if following else len(text)
    if end - start > EVIDENCE_MAX_CHARS:
        start, end = max(0, first - EVIDENCE_MARGIN), min(len(text), last + EVIDENCE_MARGIN)
    return ("…" if start > 0 else "") + text[start:end] + ("…" if end < len(text) else "")


def inconsistent_checks(
    figure_checks: pd.DataFrame, figures: pd.DataFrame, sentences: pd.DataFrame
) -> pd.DataFrame:
    """The figure checks flagged inconsistent, each with the sentences its figures come from.

    Args:
        figure_checks: the ``figure_checks`` table.
        figures: the ``figures`` table (finds the sentence and office of each span).
        sentences: the ``sentences`` table (gives the sentence text).

    Returns:
        Columns office, article_id, check, spans, stated_value, computed_value, message and
        evidence: the clauses of each sentence that hold the spans (sentences joined with " … ").
    """
    flagged = figure_checks.loc[figure_checks["is_inconsistent"].fillna(False).astype(bool)]
    texts = dict(
        zip(
            zip(_text(sentences["article_id"]), sentences["sentence_no"].astype("Int64"), strict=True),
            _text(sentences["text"]),
            strict=True,
        )
    )
    located = figures.assign(
        article_id=_text(figures["article_id"]), span=_text(figures["span"]), office=_text(figures["office"])
    )
    rows = []
    for check in flagged.itertuples(index=False):
        spans = [span for span in str(check.spans).split(schema.LIST_SEPARATOR) if span]
        found = located.loc[located["article_id"].eq(str(check.article_id)) & located["span"].isin(spans)]
        sentence_nos = sorted({int(no) for no in found["sentence_no"].dropna()})
        evidence = " … ".join(
            _excerpt(texts.get((str(check.article_id), no), ""), spans) for no in sentence_nos
        )
        rows.append(
            {
                "office": _mode(found["office"]) if len(found) else "",
                "article_id": check.article_id,
                "check": check.check,
                "spans": check.spans,
                "stated_value": check.stated_value,
                "computed_value": check.computed_value,
                "message": check.message,
                "evidence": evidence,
            }
        )
    columns = [
        "office",
        "article_id",
        "check",
        "spans",
        "stated_value",
        "computed_value",
        "message",
        "evidence",
    ]
    return pd.DataFrame(rows, columns=columns)


COMPARISON_COLUMNS = [
    "subject",
    "office",
    "value",
    "unit",
    "category",
    "qualifier",
    "year",
    "span",
    "article_id",
]
"""The columns of a comparison a chart draws: one row per bar."""


def comparison_units(
    figures: pd.DataFrame,
    category: str | None = None,
    subject_pattern: str | None = None,
    min_offices: int = 2,
) -> list[str]:
    """Units in which at least one subject is stated by ``min_offices`` offices: one chart each.

    Units that differ never share an axis: 名, 人 and 人次 make three charts (fewer where an office is alone).
    """
    rows = _comparable_amounts(figures, include_district_level=False)
    if category is not None:
        rows = rows.loc[_text(rows["category"]).eq(category)]
    if subject_pattern:
        rows = rows.loc[rows["subject"].str.contains(subject_pattern, regex=True)]
    n_offices = rows.groupby(["unit", "subject"], sort=False)["office"].nunique()
    shared = n_offices[n_offices >= min_offices].reset_index()
    return list(dict.fromkeys(shared["unit"]))


def figure_comparison(
    figures: pd.DataFrame,
    unit: str,
    category: str | None = None,
    subject_pattern: str | None = None,
    max_subjects: int = 8,
    min_offices: int = 2,
) -> pd.DataFrame:
    """What a comparison chart draws: one row per subject and office, in one unit, for subjects offices share.

    An office that states a subject several times shows its latest figure (by ``ref_year``; figures
    without a year count as oldest), the largest of that year: repeated mentions of one count are never
    added up, and the year goes with the value. District-level text is no office.

    Args:
        figures: the ``figures`` table.
        unit: the one unit of the chart (see :func:`comparison_units`).
        category: keep one category (``"money"``); ``None`` keeps every amount.
        subject_pattern: regular expression the subject must contain; ``None`` keeps all.
        max_subjects: at most this many subjects (most offices first, then reading order).
        min_offices: subjects stated by fewer offices are left out: a bar alone compares nothing.

    Returns:
        Columns :data:`COMPARISON_COLUMNS` (``year`` Int64, missing where the text ties the figure
        to no year); by subject, then office.
    """
    rows = _comparable_amounts(figures, include_district_level=False)
    rows = rows.loc[rows["unit"].eq(unit)]
    if category is not None:
        rows = rows.loc[_text(rows["category"]).eq(category)]
    if subject_pattern:
        rows = rows.loc[rows["subject"].str.contains(subject_pattern, regex=True)]
    rows = rows.assign(
        year=pd.to_numeric(rows["ref_year"], errors="coerce").astype("Int64"),
        qualifier=_text(rows["qualifier"]),
        value=pd.to_numeric(rows["value"], errors="coerce").astype(float),
    )
    rows = rows.sort_values(["year", "value"], ascending=[False, False], na_position="last", kind="stable")
    best = rows.drop_duplicates(["subject", "office"])
    n_offices = best.groupby("subject")["office"].nunique()
    position = best.groupby("subject")["_position"].min()
    rank = pd.DataFrame({"n_offices": n_offices, "position": position})
    rank = rank.loc[rank["n_offices"] >= min_offices].sort_values(
        ["n_offices", "position"], ascending=[False, True], kind="stable"
    )
    order = {subject: number for number, subject in enumerate(rank.index[:max_subjects])}
    kept = best.loc[best["subject"].isin(order)]
    kept = kept.assign(_order=kept["subject"].map(order)).sort_values(["_order", "office"], kind="stable")
    return kept[COMPARISON_COLUMNS].reset_index(drop=True)


def check_verdicts(figure_checks: pd.DataFrame) -> pd.DataFrame:
    """How many figure checks of each kind ended in each verdict (consistent, contradiction, unverifiable …).

    Returns:
        Columns check, verdict, n; most frequent first.
    """
    if figure_checks.empty:
        return pd.DataFrame(columns=["check", "verdict", "n"])
    frame = pd.DataFrame({"check": _text(figure_checks["check"]), "verdict": _text(figure_checks["verdict"])})
    counts = frame.value_counts(sort=False).rename("n").reset_index()
    return counts.sort_values(["n", "check", "verdict"], ascending=[False, True, True], ignore_index=True)
