"""Views of validation: scores against a gold file, misses, the hand-judged measure sample."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from govnews.present.views._common import (
    ALL_KINDS_LABEL,
    UNCLASSIFIED_KIND_LABEL,
    _text,
)
from govnews.validate import MISS_KINDS

SCORE_MEANINGS: dict[str, str] = {
    "article_accuracy": "share of gold articles found whole, with the right office and district",
    "figure_recall": "share of required gold figures found (same value and unit)",
    "figure_precision": "share of extracted figures equal in value to a gold figure of their article",
    "figure_precision_in_file": "share of extracted figures equal in value to a gold figure of their page",
    "qualifier_accuracy": "share of found figures whose qualifier (余, 多, 约 …) is right",
    "measure_recall": "share of gold measures found among the article's measure names",
    "not_figures_extracted": "count of names, ordinals or slogans wrongly read as figures (0 is best)",
    "year_accuracy": "share of gold articles with the right publication year",
    "year_precision": "share of the years stated that are right (an empty year is no claim)",
    "subject_accuracy": "share of found figures with a subject that matches the gold subject",
}
"""What each score of :func:`govnews.validate.score_dir` measures."""


SCORE_MEANINGS_ZH: dict[str, str] = {
    "article_accuracy": "整篇找到、办事处和区县都正确的 gold 文章占比",
    "figure_recall": "找到的必需 gold 数字占比（数值和单位相同）",
    "figure_precision": "数值与本文某个 gold 数字相等的抽取数字占比",
    "figure_precision_in_file": "数值与本页某个 gold 数字相等的抽取数字占比",
    "qualifier_accuracy": "找到的数字中限定词（余、多、约……）正确的占比",
    "measure_recall": "在文章举措名称中找到的 gold 举措占比",
    "not_figures_extracted": "被误当成数字的名称、序数或口号的个数（0 最好）",
    "year_accuracy": "发表年份正确的 gold 文章占比",
    "year_precision": "给出的年份中正确的占比（空年份不算）",
    "subject_accuracy": "找到的数字中统计对象与 gold 相符的占比",
}
"""What each score measures, in Chinese (the report's default language)."""


def score_table(summary: Mapping[str, float | int], lang: str = "en") -> pd.DataFrame:
    """The scores of :func:`govnews.validate.score_dir` as a table with what each one measures.

    Args:
        summary: the scores by name.
        lang: language of the ``meaning`` column (``"zh"`` or ``"en"``).

    Returns:
        Columns metric, value, meaning, in the summary's order.
    """
    meanings = SCORE_MEANINGS_ZH if lang == "zh" else SCORE_MEANINGS
    return pd.DataFrame(
        {
            "metric": list(summary),
            "value": [float(value) for value in summary.values()],
            "meaning": [meanings.get(metric, "") for metric in summary],
        }
    )


def misses_by_kind(misses: pd.DataFrame) -> pd.DataFrame:
    """How many misses of each kind, every kind listed (0 included), known kinds first.

    Args:
        misses: the ``misses`` table of a score report (column ``kind``).

    Returns:
        Columns kind and n_misses.
    """
    counts = _text(misses["kind"]).value_counts()
    kinds = list(MISS_KINDS) + sorted(set(counts.index) - set(MISS_KINDS))
    return pd.DataFrame({"kind": kinds, "n_misses": [int(counts.get(kind, 0)) for kind in kinds]})


def measure_precision(judgements: pd.DataFrame) -> pd.DataFrame:
    """Precision of measure extraction from a judged sample: overall, then by kind.

    Args:
        judgements: as read by :func:`read_measure_judgements`.

    Returns:
        Columns kind (:data:`ALL_KINDS_LABEL` first, then each kind, '' as
        :data:`UNCLASSIFIED_KIND_LABEL`), n_judged, n_measures and precision (NaN for no rows).
    """
    kinds = _text(judgements["kind"]).replace("", UNCLASSIFIED_KIND_LABEL)
    is_measure = judgements["is_measure"].fillna(False).astype(bool)
    groups = [(ALL_KINDS_LABEL, is_measure)] + [
        (str(kind), is_measure[kinds.eq(kind)]) for kind in sorted(set(kinds))
    ]
    return pd.DataFrame(
        [
            {
                "kind": kind,
                "n_judged": len(values),
                "n_measures": int(values.sum()),
                "precision": float(values.mean()) if len(values) else np.nan,
            }
            for kind, values in groups
        ]
    )


def mark_still_extracted(judgements: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """The judgements with ``is_still_extracted``: does the current build still find that name there?

    A judged sample goes stale when the extractor changes; rows no longer extracted no longer say
    anything about the current precision.
    """
    current = set(zip(_text(measures["article_id"]), _text(measures["name"]), strict=True))
    pairs = zip(_text(judgements["article_id"]), _text(judgements["name"]), strict=True)
    return judgements.assign(is_still_extracted=[pair in current for pair in pairs])


def gold_sources_missing(gold: Mapping, sources: pd.DataFrame) -> list[str]:
    """The files a gold file describes that are not among the corpus's raw files (``sources`` table).

    Scores mean something only when this is empty: a gold file about other pages gives recall 0 and
    a list of "misses" that were never in the corpus.
    """
    described = {str(article.get("source", "")) for article in gold.get("articles", [])} - {""}
    present = set(_text(sources["source"]).map(lambda name: Path(name).name))
    return sorted(described - present)


def score_shares(scores: pd.DataFrame) -> pd.DataFrame:
    """The scores of :func:`score_table` for reading: shares as shares, the one count as a count.

    Returns:
        Columns metric, share_of_reference (NaN for counts), n (the count of non-figures read as
        figures, else missing) and meaning.
    """
    is_count = scores["metric"].eq("not_figures_extracted")
    return pd.DataFrame(
        {
            "metric": scores["metric"],
            "share_of_reference": scores["value"].where(~is_count),
            "n": pd.array(
                [int(v) if c else pd.NA for v, c in zip(scores["value"], is_count, strict=True)], "Int64"
            ),
            "meaning": scores["meaning"],
        }
    )
