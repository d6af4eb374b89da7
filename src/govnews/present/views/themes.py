"""Views of theme counts and keyness: rankings, an office against the rest, years, key terms, clouds."""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from govnews import schema
from govnews.present.views._common import (
    _label,
    _office_order,
    _text,
)
from govnews.resources.gazetteer import city_core, office_core
from govnews.text.themes import Codebook, count_themes

REST_LABEL = "其他文本（合计）"
"""The pooled row of every other office and the district-level text in :func:`office_vs_rest`."""

UNKNOWN_YEAR_LABEL = "年份不明"


def top_themes(theme_counts: pd.DataFrame, n: int = 3, office: str | None = None) -> list[str]:
    """The ``n`` themes with most hits, summed over all offices (or in one office's text).

    Themes without a hit are never returned; ties keep the table's (codebook) order.

    Args:
        theme_counts: the ``theme_counts`` table.
        n: how many themes.
        office: count only this office's hits; ``None`` counts every office and district-level text.
    """
    frame = theme_counts
    if office is not None:
        frame = frame.loc[_text(frame["office"]).eq(office)]
    hits = frame.groupby(_text(frame["theme"]), sort=False)["hits"].sum()
    hits = hits[hits > 0].sort_values(ascending=False, kind="stable")
    return [str(theme) for theme in hits.index[:n]]


def leading_themes(theme_counts: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """Each office's ``n`` themes with the highest rate, with the raw counts the rate rests on.

    Args:
        theme_counts: the ``theme_counts`` table.
        n: themes per office; themes without a hit are left out.

    Returns:
        Columns office (district-level text as :data:`DISTRICT_LEVEL_LABEL`, last), theme, hits,
        n_chars, rate_per_10k_chars, rate_ci_low, rate_ci_high, share_of_sentences; offices in
        name order, highest rate first within an office.
    """
    columns = [
        "office",
        "theme",
        "hits",
        "n_chars",
        "rate_per_10k_chars",
        "rate_ci_low",
        "rate_ci_high",
        "share_of_sentences",
    ]
    rows = theme_counts.loc[theme_counts["hits"].gt(0), columns]
    rows = rows.assign(office=_text(rows["office"]), _last=_text(rows["office"]).eq(""))
    rows = rows.sort_values(
        ["_last", "office", "rate_per_10k_chars", "hits"], ascending=[True, True, False, False], kind="stable"
    )
    rows = rows.groupby("office", sort=False).head(n)
    return rows.assign(office=rows["office"].map(_label))[columns].reset_index(drop=True)


def office_text_sizes(theme_counts: pd.DataFrame) -> pd.DataFrame:
    """How much text each office has: the denominators of its rates and shares.

    Args:
        theme_counts: the ``theme_counts`` table.

    Returns:
        Columns office (district-level text as :data:`DISTRICT_LEVEL_LABEL`), n_chars, n_sentences,
        n_articles; most text first.
    """
    columns = ["office", "n_chars", "n_sentences", "n_articles"]
    sizes = theme_counts.assign(office=_text(theme_counts["office"])).drop_duplicates("office")[columns]
    sizes = sizes.sort_values(["n_chars", "office"], ascending=[False, True], kind="stable")
    return sizes.assign(office=sizes["office"].map(_label)).reset_index(drop=True)


def offices_with_little_text(theme_counts: pd.DataFrame, min_chars: int) -> list[str]:
    """Offices (district-level text as :data:`DISTRICT_LEVEL_LABEL`) with fewer than ``min_chars`` characters.

    Args:
        theme_counts: a table with ``office`` and ``n_chars`` (e.g. ``theme_counts``).
        min_chars: the least text an office needs.
    """
    sizes = theme_counts.groupby(_text(theme_counts["office"]))["n_chars"].max()
    small = [str(office) for office, n_chars in sizes.items() if n_chars < min_chars]
    return [_label(office) for office in sorted(small, key=_office_order)]


def drop_offices_with_little_text(theme_counts: pd.DataFrame, min_chars: int) -> pd.DataFrame:
    """The rows of offices with at least ``min_chars`` characters of text.

    With a few hundred characters one sentence moves a rate per 10k characters by dozens, and the
    bootstrap interval of a single article collapses to a point: such offices crowd the colour scale
    and the rankings without saying anything.

    Args:
        theme_counts: a table with ``office`` and ``n_chars`` (e.g. ``theme_counts``).
        min_chars: the least text an office needs to stay.
    """
    return theme_counts.loc[theme_counts["n_chars"].fillna(0) >= min_chars].reset_index(drop=True)


def office_vs_rest(theme_counts: pd.DataFrame, office: str) -> pd.DataFrame:
    """One office's theme counts beside the pooled counts of all other text, as a ``theme_counts`` table.

    The pooled row (office :data:`REST_LABEL`) adds up hits, characters, sentences and articles of
    every other office and of district-level text and only then divides (group first, normalise
    second); it has no bootstrap interval.

    Args:
        theme_counts: the ``theme_counts`` table.
        office: the office to set apart.

    Returns:
        A ``theme_counts`` table with the office's rows, then the pooled rows, themes in table order.
    """
    offices = _text(theme_counts["office"])
    own = theme_counts.loc[offices.eq(office)]
    others = theme_counts.loc[offices.ne(office)]
    if others.empty:
        return schema.conform(own, "theme_counts")
    themes = _text(others["theme"])
    pooled = pd.DataFrame(
        {
            "hits": others["hits"].astype(float).groupby(themes, sort=False).sum(),
            "n_chars": others["n_chars"].astype(float).groupby(themes, sort=False).sum(),
            "n_sentences": others["n_sentences"].astype(float).groupby(themes, sort=False).sum(),
            "n_articles": others["n_articles"].astype(float).groupby(themes, sort=False).sum(),
            "sentences_with": (others["share_of_sentences"] * others["n_sentences"])
            .groupby(themes, sort=False)
            .sum(),
            "articles_with": (others["share_of_articles"] * others["n_articles"])
            .groupby(themes, sort=False)
            .sum(),
        }
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = pooled.assign(
            office=REST_LABEL,
            rate_per_10k_chars=pooled["hits"] / pooled["n_chars"] * 10_000,
            rate_ci_low=np.nan,
            rate_ci_high=np.nan,
            share_of_sentences=pooled["sentences_with"] / pooled["n_sentences"],
            share_of_articles=pooled["articles_with"] / pooled["n_articles"],
        )
    pooled = pooled.rename_axis("theme").reset_index()
    pooled[["hits", "n_chars", "n_sentences", "n_articles"]] = (
        pooled[["hits", "n_chars", "n_sentences", "n_articles"]].round().astype("Int64")
    )
    return schema.conform(
        pd.concat([schema.conform(own, "theme_counts"), schema.conform(pooled, "theme_counts")]),
        "theme_counts",
    )


def profile_themes(theme_counts: pd.DataFrame, office: str) -> pd.DataFrame:
    """An office's themes, highest rate first, against all other text and ranked among the offices.

    Args:
        theme_counts: the ``theme_counts`` table.
        office: the office to profile.

    Returns:
        Columns theme, hits, rate_per_10k_chars, rate_ci_low, rate_ci_high, share_of_sentences,
        rest_hits, rest_rate_per_10k_chars (all other text pooled, see :func:`office_vs_rest`),
        rate_ratio_to_rest (NaN where the rest has no hit), rank_among_offices (1 = highest rate
        among the offices, district-level text not ranked) and n_offices.
    """
    both = office_vs_rest(theme_counts, office)
    own = both.loc[_text(both["office"]).eq(office)].set_index("theme")
    rest = both.loc[_text(both["office"]).eq(REST_LABEL)].set_index("theme")
    named = theme_counts.loc[_text(theme_counts["office"]).ne("")]
    ranks = named.assign(
        rank=named.groupby("theme")["rate_per_10k_chars"].rank(method="min", ascending=False)
    )
    own_rank = ranks.loc[_text(ranks["office"]).eq(office)].set_index("theme")["rank"]
    rest_rate = rest["rate_per_10k_chars"].reindex(own.index).astype(float)
    frame = pd.DataFrame(
        {
            "theme": own.index.astype(str),
            "hits": own["hits"].to_numpy(),
            "rate_per_10k_chars": own["rate_per_10k_chars"].to_numpy(),
            "rate_ci_low": own["rate_ci_low"].to_numpy(),
            "rate_ci_high": own["rate_ci_high"].to_numpy(),
            "share_of_sentences": own["share_of_sentences"].to_numpy(),
            "rest_hits": rest["hits"].reindex(own.index).to_numpy(),
            "rest_rate_per_10k_chars": rest_rate.to_numpy(),
            "rate_ratio_to_rest": (
                own["rate_per_10k_chars"].astype(float) / rest_rate.where(rest_rate > 0)
            ).to_numpy(),
            "rank_among_offices": own_rank.reindex(own.index).astype("Int64").to_numpy(),
            "n_offices": named["office"].nunique(),
        }
    )
    return frame.sort_values(
        ["rate_per_10k_chars", "hits"], ascending=False, kind="stable", ignore_index=True
    )


def theme_counts_by_year(
    theme_hits: pd.DataFrame,
    sentences: pd.DataFrame,
    articles: pd.DataFrame,
    office: str,
    n_boot: int = 1000,
    *,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """An office's theme counts per publication year, as a ``theme_counts`` table with years as offices.

    The office's sentences are grouped by the year of their article and counted exactly as
    :func:`govnews.text.themes.count_themes` counts offices (rates, shares, bootstrap intervals over the
    year's articles).

    Args:
        theme_hits: the ``theme_hits`` table.
        sentences: the ``sentences`` table.
        articles: the ``articles`` table (``article_id`` and ``year``).
        office: the office whose text is split by year.
        n_boot: bootstrap replicates.
        codebook: default :func:`govnews.text.themes.load_codebook`.

    Returns:
        A ``theme_counts`` table whose ``office`` column holds ``"2020年"`` …, or
        :data:`UNKNOWN_YEAR_LABEL` for articles without a year; empty when the office has no text.
    """
    unique = articles.drop_duplicates("article_id")
    years = pd.Series(unique["year"].to_numpy(), index=_text(unique["article_id"]).to_numpy())
    own = sentences.loc[_text(sentences["office"]).eq(office)]
    year = _text(own["article_id"]).map(years)
    labels = year.map(lambda value: UNKNOWN_YEAR_LABEL if pd.isna(value) else f"{int(value)}年")
    return count_themes(theme_hits, own.assign(office=labels.astype("string")), n_boot, codebook=codebook)


def compare_years(counts_by_year: pd.DataFrame) -> pd.DataFrame:
    """Each theme's rate in the first and the last year, largest change first.

    Args:
        counts_by_year: as returned by :func:`theme_counts_by_year` (years in ``office``);
            :data:`UNKNOWN_YEAR_LABEL` rows are left out.

    Returns:
        Columns theme, first_year, last_year, hits_first, hits_last, rate_first, rate_last and
        change_per_10k_chars (last minus first); empty when fewer than two years are known.
    """
    columns = [
        "theme",
        "first_year",
        "last_year",
        "hits_first",
        "hits_last",
        "rate_first",
        "rate_last",
        "change_per_10k_chars",
    ]
    known = counts_by_year.loc[_text(counts_by_year["office"]).ne(UNKNOWN_YEAR_LABEL)]
    years = sorted(set(_text(known["office"])))
    if len(years) < 2:
        return pd.DataFrame(columns=columns)
    first = known.loc[_text(known["office"]).eq(years[0])].set_index("theme")
    last = known.loc[_text(known["office"]).eq(years[-1])].set_index("theme")
    themes = [theme for theme in first.index if theme in last.index]
    frame = pd.DataFrame(
        {
            "theme": [str(theme) for theme in themes],
            "first_year": years[0],
            "last_year": years[-1],
            "hits_first": first.loc[themes, "hits"].to_numpy(),
            "hits_last": last.loc[themes, "hits"].to_numpy(),
            "rate_first": first.loc[themes, "rate_per_10k_chars"].to_numpy(dtype=float),
            "rate_last": last.loc[themes, "rate_per_10k_chars"].to_numpy(dtype=float),
        }
    )
    frame["change_per_10k_chars"] = frame["rate_last"] - frame["rate_first"]
    order = frame["change_per_10k_chars"].abs().sort_values(ascending=False, kind="stable").index
    return frame.loc[order, columns].reset_index(drop=True)


def office_slug(office: str) -> str:
    """The office name made safe for a file name.

    Runs of characters other than word characters (letters, digits, Chinese) and ``-`` become ``_``.
    """
    slug = re.sub(r"[^\w-]+", "_", office).strip("_")
    return slug or "office"


# --- keyness ------------------------------------------------------------------------------------------


def place_names(articles: pd.DataFrame) -> list[str]:
    """Every office, district, city and province the corpus is about, with the offices' core names.

    Args:
        articles: the ``articles`` table.
    """
    offices = set(_text(articles["office"]))
    higher = (
        set(_text(articles["district"])) | set(_text(articles["city"])) | set(_text(articles["province"]))
    )
    names = offices | higher | {office_core(name) for name in offices} | {city_core(name) for name in higher}
    return sorted(name for name in names if name)


def drop_place_names(keyness: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    """Keyness rows without terms that are office or district names, or pieces of them.

    An office's own name tops its keyness list and says nothing about what it does. A term is
    dropped when it equals a name, is the beginning (two characters or more) of one — jieba cuts
    商都路 into 商都 + 路 and 郑东新区 into 郑东新 + 区 — or contains one. The offices of the table
    itself count as names too, so offices found by pattern (not in the gazetteer) lose theirs.
    The price: a common word that begins an office name (人民 of 人民路) is dropped as well.

    Args:
        keyness: the ``keyness`` table.
        names: place names, e.g. :func:`place_names`.

    Returns:
        The remaining rows, in their order.
    """
    offices = set(_text(keyness["office"])) - {""}
    every = {name.strip() for name in names} | offices | {office_core(office) for office in offices}
    every = {name for name in every if len(name) >= 2}
    if not every:
        return keyness.reset_index(drop=True)
    beginnings = {name[:end] for name in every for end in range(2, len(name) + 1)}
    inside = re.compile("|".join(re.escape(name) for name in sorted(every, key=len, reverse=True)))
    terms = _text(keyness["term"])
    is_name = terms.isin(beginnings) | terms.map(lambda term: bool(inside.search(term))).astype(bool)
    return keyness.loc[~is_name].reset_index(drop=True)


def top_keyness_terms(keyness: pd.DataFrame, office: str, n: int = 15) -> pd.DataFrame:
    """The ``n`` terms an office over-uses most, strongest evidence (G²) first.

    Args:
        keyness: the ``keyness`` table (place names dropped first, see :func:`drop_place_names`).
        office: the target office.
        n: how many terms.

    Returns:
        Columns term, count_target, count_reference, log_ratio, g2, p_adjusted.
    """
    rows = keyness.loc[_text(keyness["office"]).eq(office) & keyness["g2"].gt(0)]
    columns = ["term", "count_target", "count_reference", "log_ratio", "g2", "p_adjusted"]
    return rows.sort_values("g2", ascending=False, kind="stable").head(n)[columns].reset_index(drop=True)


def wordcloud_weights(
    keyness: pd.DataFrame, office: str, min_count: int = 2, max_terms: int = 80
) -> pd.DataFrame:
    """Terms an office over-uses, weighted by log ratio, for :func:`govnews.present.charts.plot_wordcloud`.

    The log ratio is the effect size (how much more often than elsewhere), so a word every office
    uses a lot does not fill the cloud. Terms seen fewer than ``min_count`` times in the office are
    left out: one occurrence in a small text gives a large ratio resting on nothing.

    Args:
        keyness: the ``keyness`` table (place names dropped first, see :func:`drop_place_names`).
        office: the target office.
        min_count: the least occurrences in the office's text.
        max_terms: at most this many terms, heaviest first.

    Returns:
        Columns term and weight.
    """
    rows = keyness.loc[
        _text(keyness["office"]).eq(office)
        & keyness["g2"].gt(0)
        & keyness["count_target"].ge(min_count)
        & keyness["log_ratio"].gt(0)
    ]
    frame = pd.DataFrame({"term": _text(rows["term"]), "weight": rows["log_ratio"].astype(float)})
    return frame.sort_values("weight", ascending=False, kind="stable").head(max_terms).reset_index(drop=True)


def sample_per_office(frame: pd.DataFrame, n: int = 2) -> pd.DataFrame:
    """The first ``n`` rows of each office (e.g. of a KWIC table), offices in their order of appearance."""
    return frame.groupby(_text(frame["office"]), sort=False).head(n).reset_index(drop=True)


ALIKE_MAX_LOG_RATIO = 1.0
"""A word is used alike when no office uses it more than twice or less than half as often as the rest."""


def drop_boilerplate(
    keyness: pd.DataFrame,
    words: Iterable[str] = (),
    offices: Iterable[str] | None = None,
    max_log_ratio: float = ALIKE_MAX_LOG_RATIO,
) -> pd.DataFrame:
    """``keyness`` without boilerplate: the listed words, and words every office uses alike.

    A word is used alike when every office of ``offices`` uses it (at least once) and none uses it more
    than 2**``max_log_ratio`` times more or less often than the rest (``|log_ratio|`` at most that):
    such a word says nothing about any one office, however often it occurs. The list (the user's
    ``data/lexicons/boilerplate.txt``) catches what the rule cannot: boilerplate that one office
    happens to use a lot.

    Args:
        keyness: the ``keyness`` table.
        words: boilerplate words to drop wherever they occur.
        offices: the offices compared (default: every office of the table, district-level text not
            among them); needs two or more for the rule to apply.
        max_log_ratio: the largest ``|log_ratio|`` that still counts as alike.

    Returns:
        The rows of ``keyness`` whose term is neither listed nor used alike.
    """
    terms = _text(keyness["term"])
    office = _text(keyness["office"])
    compared = set(offices) if offices is not None else set(office) - {""}
    listed = terms.isin(set(words))
    if len(compared) < 2:
        return keyness.loc[~listed]
    rows = keyness.loc[office.isin(compared)].assign(_term=terms, _office=office)
    alike_row = rows["count_target"].fillna(0).gt(0) & rows["log_ratio"].abs().le(max_log_ratio)
    n_alike = rows.loc[alike_row].groupby("_term")["_office"].nunique()
    alike = set(n_alike[n_alike >= len(compared)].index)
    return keyness.loc[~listed & ~terms.isin(alike)]


def counted_contexts(lines: pd.DataFrame, theme_hits: pd.DataFrame, theme: str) -> pd.DataFrame:
    """The keyword-in-context lines of ``theme`` whose term counted as a hit in that sentence.

    :func:`govnews.extract.kwic.kwic` finds every occurrence of a codebook term, also inside proper
    names (开发 in 经济技术开发区) and negative contexts, where :func:`govnews.text.themes.find_theme_hits`
    does not count it; the report shows what was counted.

    Args:
        lines: :func:`govnews.extract.kwic.kwic` lines of the theme (article_id, sentence_no, match …).
        theme_hits: the ``theme_hits`` table.
        theme: the theme the lines are about.

    Returns:
        The rows of ``lines`` whose article, sentence and matched term are among the theme's hits.
    """
    hits = theme_hits.loc[_text(theme_hits["theme"]).eq(theme)]
    counted = set(
        zip(
            _text(hits["article_id"]),
            pd.to_numeric(hits["sentence_no"]).astype(int),
            _text(hits["term"]),
            strict=True,
        )
    )
    keys = zip(
        _text(lines["article_id"]),
        pd.to_numeric(lines["sentence_no"]).astype(int),
        _text(lines["match"]),
        strict=True,
    )
    return lines.loc[[key in counted for key in keys]]
