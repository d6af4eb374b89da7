"""Views of the corpus as a whole: which offices, how much text each has, what the cleaner removed.

One definition of each quantity for every notebook: an office's characters are the characters of the
sentences attributed to it (the denominator of every rate, so a profile, the theme page and the
overview print the same number); offices counted are the offices with text, district-level news not
among them (it is one row, whatever its district); an office has too little text to compare below
:data:`MIN_CHARS_TO_COMPARE` characters.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from govnews.errors import GovnewsError
from govnews.present.views._common import DISTRICT_LEVEL_LABEL, _text
from govnews.resources.gazetteer import office_core


def known_offices(sentences: pd.DataFrame) -> list[str]:
    """Offices that have text attributed to them, in name order (district-level text left out).

    Args:
        sentences: the ``sentences`` table (its ``office`` column is used).
    """
    return sorted(set(_text(sentences["office"])) - {""})


def check_office(office: str, sentences: pd.DataFrame, source: Path | str | None = None) -> str:
    """The office as the tables spell it, or an error listing the offices that exist.

    An exact name is returned as it is; otherwise a name with the same core (``枫杨``, ``枫杨街道`` for
    ``枫杨办事处``) is accepted when exactly one known office has that core.

    Args:
        office: the office asked for (e.g. a notebook parameter).
        sentences: the ``sentences`` table; offices with attributed text are the known ones.
        source: file the sentences were read from, named in the error.

    Returns:
        The known office's name.

    Raises:
        GovnewsError: no known office matches; the message lists every known office.
    """
    known = known_offices(sentences)
    wanted = str(office).strip()
    if wanted in known:
        return wanted
    same_core = [name for name in known if wanted and office_core(name) == office_core(wanted)]
    if len(same_core) == 1:
        return same_core[0]
    listing = "、".join(known) if known else "none (the sentences table has no office)"
    raise GovnewsError(source, f"unknown office {office!r}; known offices: {listing}")


MIN_CHARS_TO_COMPARE = 2000
"""Characters an office needs before its rates are compared with other offices' (notebooks take it as
a parameter): with a few hundred characters one sentence more or less moves a rate by dozens."""


def _joined(values: pd.Series) -> str:
    return "、".join(str(value) for value in sorted(set(values.dropna()) - {""}))


def office_sizes(
    articles: pd.DataFrame, sentences: pd.DataFrame, min_chars: int = MIN_CHARS_TO_COMPARE
) -> pd.DataFrame:
    """One row per office: how many articles and characters it has, which years, and whether that is enough.

    Args:
        articles: the ``articles`` table (articles, districts and years per office).
        sentences: the ``sentences`` table (characters per office: each sentence counts for its office).
        min_chars: offices with fewer characters get ``has_enough_text`` False.

    Returns:
        Columns office, district, n_articles, n_chars, share_of_chars, years, articles_without_year,
        has_enough_text; most text first, district-level news last (one row named
        :data:`DISTRICT_LEVEL_LABEL`, never "enough": it is not an office to compare).
    """
    article_office = _text(articles["office"])
    grouped = articles.assign(office=article_office).groupby("office", sort=False)
    chars = sentences.assign(office=_text(sentences["office"])).groupby("office")["n_chars"].sum()
    offices = sorted(set(article_office) | set(chars.index))
    frame = pd.DataFrame({"office": offices})
    frame["district"] = frame["office"].map(grouped["district"].agg(_joined)).fillna("")
    frame["n_articles"] = frame["office"].map(grouped.size()).fillna(0).astype(int)
    frame["n_chars"] = frame["office"].map(chars).fillna(0).astype(int)
    total = int(frame["n_chars"].sum())
    frame["share_of_chars"] = frame["n_chars"] / total if total else 0.0
    frame["years"] = frame["office"].map(grouped["year"].agg(_joined)).fillna("")
    frame["articles_without_year"] = (
        frame["office"].map(grouped["year"].agg(lambda years: int(years.isna().sum()))).fillna(0).astype(int)
    )
    frame["has_enough_text"] = frame["n_chars"].ge(min_chars) & frame["office"].ne("")
    frame = frame.assign(_last=frame["office"].eq(""))
    frame = frame.sort_values(["_last", "n_chars", "office"], ascending=[True, False, True], kind="stable")
    frame["office"] = frame["office"].replace("", DISTRICT_LEVEL_LABEL)
    return frame.drop(columns="_last").reset_index(drop=True)


def offices_to_compare(sizes: pd.DataFrame) -> list[str]:
    """Offices with enough text to compare, most text first (``sizes`` from :func:`office_sizes`)."""
    return sizes.loc[sizes["has_enough_text"], "office"].tolist()


def offices_with_too_little_text(sizes: pd.DataFrame) -> list[str]:
    """Offices (not district-level news) below the minimum of text (``sizes`` from :func:`office_sizes`)."""
    rows = sizes.loc[~sizes["has_enough_text"] & sizes["office"].ne(DISTRICT_LEVEL_LABEL)]
    return rows["office"].tolist()


def removed_overview(removed: pd.DataFrame) -> pd.DataFrame:
    """Removed lines per reason: count, characters and one example of each."""
    if removed.empty:
        return pd.DataFrame(columns=["reason", "n_lines", "n_chars", "example"])
    grouped = removed.groupby("reason")
    return (
        pd.DataFrame(
            {
                "n_lines": grouped.size(),
                "n_chars": grouped["text"].agg(
                    lambda t: int(t.str.replace(r"\s", "", regex=True).str.len().sum())
                ),
                "example": grouped["text"].first(),
            }
        )
        .reset_index()
        .sort_values("n_lines", ascending=False, ignore_index=True)
    )
