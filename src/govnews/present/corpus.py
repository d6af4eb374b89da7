"""Overview tables of a built corpus: what the first notebook shows and the report warns about.

An office needs enough text before its theme rates mean anything: with a few
hundred characters one sentence more or less moves a rate per 10k characters a
great deal. :data:`MIN_CHARS_TO_COMPARE` is the default threshold below which an
office is flagged (notebooks take it as a parameter).
"""

from __future__ import annotations

import pandas as pd

from govnews.vocabulary import district_level_label

MIN_CHARS_TO_COMPARE = 2000
DISTRICT_LEVEL = district_level_label()


def office_overview(articles: pd.DataFrame, min_chars: int = MIN_CHARS_TO_COMPARE) -> pd.DataFrame:
    """One row per office: district, articles, characters, years, and whether it has enough text.

    Args:
        articles: the ``articles`` table.
        min_chars: offices with fewer characters get ``has_enough_text`` False.

    Returns:
        Columns office, district, n_articles, n_chars, share_of_chars, years, has_enough_text;
        district-level news (office ``""``) is shown as :data:`DISTRICT_LEVEL`; most text first.
    """
    frame = articles.assign(office=articles["office"].replace("", DISTRICT_LEVEL))
    grouped = frame.groupby("office", sort=False)
    overview = pd.DataFrame(
        {
            "district": grouped["district"].agg(lambda d: "、".join(sorted(set(d) - {""}))),
            "n_articles": grouped.size(),
            "n_chars": grouped["n_chars"].sum(),
            "years": grouped["year"].agg(lambda y: "、".join(str(v) for v in sorted(y.dropna().unique()))),
        }
    ).reset_index()
    total = overview["n_chars"].sum()
    overview["share_of_chars"] = overview["n_chars"] / total if total else 0.0
    overview["has_enough_text"] = overview["n_chars"] >= min_chars
    columns = ["office", "district", "n_articles", "n_chars", "share_of_chars", "years", "has_enough_text"]
    return overview[columns].sort_values("n_chars", ascending=False, ignore_index=True)


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


def offices_with_too_little_text(articles: pd.DataFrame, min_chars: int = MIN_CHARS_TO_COMPARE) -> list[str]:
    """Offices (not district-level news) whose text is below ``min_chars``."""
    overview = office_overview(articles, min_chars)
    return overview.loc[
        ~overview["has_enough_text"] & (overview["office"] != DISTRICT_LEVEL), "office"
    ].tolist()
