"""Keyword in context: every place a term, a theme or a measure occurs, with the text around it.

KWIC is how a dictionary is audited (are the hits of a theme about the theme?) and how a number
in a table is traced back to the sentences behind it. Search is by substring on the sentence
text, so a plain codebook term also shows where it sits inside longer words — exactly what an
audit needs to see. Context stays within the sentence.
"""

from __future__ import annotations

import re

import pandas as pd

from govnews.errors import GovnewsError
from govnews.text.themes import Codebook

KWIC_COLUMNS: dict[str, str] = {
    "article_id": "string",
    "sentence_no": "Int64",
    "office": "string",
    "left": "string",
    "match": "string",
    "right": "string",
}
"""Columns of a KWIC table and their dtypes."""

# Measure names are stored without quotation marks; in the text they may carry them (一件“事”).
_QUOTES = "“”‘’\"'『』「」《》"


def _measure_names(term: str, measures: pd.DataFrame) -> list[str]:
    names = measures["name"].astype("string").fillna("")
    has_canonical = "canonical" in measures.columns
    canonical = measures["canonical"].astype("string").fillna("") if has_canonical else names
    groups = set(canonical[(names == term) | (canonical == term)])
    return sorted(set(names[canonical.isin(groups)]) - {""})


def _quote_tolerant(name: str) -> str:
    return f"[{re.escape(_QUOTES)}]?".join(map(re.escape, name))


def _search_pattern(term: str, codebook: Codebook | None, measures: pd.DataFrame | None) -> re.Pattern:
    if codebook is not None and term in codebook.theme_names:
        texts = [found.text for found in codebook.terms_of(term)]
        to_pattern = re.escape
    elif measures is not None and (names := _measure_names(term, measures)):
        texts, to_pattern = names, _quote_tolerant
    else:
        texts, to_pattern = [term], re.escape
    # Longest first, so that at one position the longest alternative is the match shown.
    return re.compile("|".join(to_pattern(text) for text in sorted(texts, key=len, reverse=True)))


def kwic(
    sentences: pd.DataFrame,
    term: str,
    window: int = 15,
    *,
    codebook: Codebook | None = None,
    measures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every occurrence of ``term`` in ``sentences`` with ``window`` characters either side.

    ``term`` is read as, in this order: a theme name of ``codebook`` (all its terms are searched),
    a measure ``name`` or ``canonical`` of ``measures`` (all spellings of that measure, quotation
    marks inside the text allowed), else a plain substring. Overlapping occurrences count once,
    leftmost-longest.

    Args:
        sentences: the ``sentences`` table (``article_id``, ``sentence_no``, ``office``, ``text``).
        term: what to look for.
        window: characters of context on each side, cut at the sentence's ends.
        codebook: lets ``term`` name a theme.
        measures: the ``measures`` table; lets ``term`` name a measure.

    Returns:
        One row per occurrence (columns :data:`KWIC_COLUMNS`), in sentence order.

    Raises:
        GovnewsError: ``term`` is empty or ``window`` negative.
    """
    if not term:
        raise GovnewsError(None, "kwic needs a search term")
    if window < 0:
        raise GovnewsError(None, f"kwic window must be 0 or more characters, got {window}")
    pattern = _search_pattern(term, codebook, measures)
    rows = []
    for article_id, sentence_no, office, text in zip(
        sentences["article_id"],
        sentences["sentence_no"],
        sentences["office"].astype("string").fillna(""),
        sentences["text"].astype("string").fillna(""),
        strict=True,
    ):
        for found in pattern.finditer(text):
            start, end = found.span()
            rows.append(
                (
                    article_id,
                    sentence_no,
                    office,
                    text[max(0, start - window) : start],
                    found.group(),
                    text[end : end + window],
                )
            )
    return pd.DataFrame(rows, columns=list(KWIC_COLUMNS)).astype(KWIC_COLUMNS)
