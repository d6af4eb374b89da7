"""Tables → the small tables the notebooks show: selections, rankings and summaries, one call each.

Every function takes govnews tables (columns as documented in :mod:`govnews.schema`) and returns a
new DataFrame (or a short list) without changing its inputs, so that a notebook cell holds a call
and no wrangling. Comparisons follow :func:`govnews.text.themes.count_themes`: group first, normalise
second, and keep raw counts beside every rate. District-level text (office ``""``) is kept as its
own row where a table lists offices and left out where offices are compared with each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from govnews import schema
from govnews.errors import GovnewsError
from govnews.resources.gazetteer import city_core, office_core
from govnews.text.themes import Codebook, count_themes
from govnews.validate import MISS_KINDS
from govnews.vocabulary import NON_QUANTITY_CATEGORIES, district_level_label

"""Figure categories that are no amounts (years, ranks): left out of every figure view."""

DISTRICT_LEVEL_LABEL = district_level_label()
"""How district-level text (office ``""``) is named in tables meant for reading."""

REST_LABEL = "其他文本（合计）"
"""The pooled row of every other office and the district-level text in :func:`office_vs_rest`."""

UNKNOWN_YEAR_LABEL = "年份不明"
EVIDENCE_MAX_CHARS = 120
"""Longest excerpt of a sentence shown as the evidence of a figure check."""
EVIDENCE_MARGIN = 20
"""Characters kept either side of the figures when their clause is longer than that."""
LOG_SCALE_RATIO = 100.0
"""A comparison whose largest value is more than this many times its smallest gets a log axis."""
ALL_KINDS_LABEL = "全部"
UNCLASSIFIED_KIND_LABEL = "未归类"

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

JUDGEMENT_COLUMNS = ("article_id", "name", "kind", "is_measure", "note")

_TRUE_WORDS = frozenset({"true", "yes", "1", "y", "t", "是", "对"})
_FALSE_WORDS = frozenset({"false", "no", "0", "n", "f", "否", "错"})


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string").fillna("").str.strip()


def _office_order(office: str) -> tuple[bool, str]:
    # District-level text ("") last, offices by name.
    return office == "", office


def _label(office: str) -> str:
    return office if office else DISTRICT_LEVEL_LABEL


def _mode(values: pd.Series) -> str:
    """The most frequent non-empty value; ties go to the one seen first; '' when there is none."""
    present = values[values.ne("")]
    if present.empty:
        return ""
    return str(present.value_counts(sort=False).sort_values(ascending=False, kind="stable").index[0])


# --- offices -------------------------------------------------------------------------------------


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


# --- themes --------------------------------------------------------------------------------------


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


# --- keyness -------------------------------------------------------------------------------------


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


# --- figures -------------------------------------------------------------------------------------


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


# --- measures ------------------------------------------------------------------------------------


def _measure_key(measures: pd.DataFrame) -> pd.Series:
    canonical = _text(measures["canonical"])
    return canonical.where(canonical.ne(""), _text(measures["name"]))


def _n_parts(text: str) -> int:
    return len([part for part in text.split(schema.LIST_SEPARATOR) if part]) if text else 0


def measure_catalogue(measures: pd.DataFrame, office: str | None = None) -> pd.DataFrame:
    """One row per office and measure (spelling variants grouped by ``canonical``).

    Args:
        measures: the ``measures`` table.
        office: keep one office; ``None`` keeps all (district-level text last).

    Returns:
        Columns office (district-level text as :data:`DISTRICT_LEVEL_LABEL`), name (the most
        frequent spelling), variants (the other spellings, '|'-joined), kind and theme (the most
        frequent non-empty ones), is_numeric_slogan, components and expansions (the mention that
        lists most), n_mentions and n_articles; by office, most mentioned first.
    """
    frame = measures if office is None else measures.loc[_text(measures["office"]).eq(office)]
    columns = [
        "office",
        "name",
        "variants",
        "kind",
        "theme",
        "is_numeric_slogan",
        "components",
        "expansions",
        "n_mentions",
        "n_articles",
    ]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame = frame.assign(
        _key=_measure_key(frame),
        **{column: _text(frame[column]) for column in ["office", "name", "kind", "theme", "components"]},
        expansions=_text(frame["expansions"]),
    )
    rows = []
    for (office_name, _), group in frame.groupby(["office", "_key"], sort=False):
        name = _mode(group["name"])
        richest = group.assign(
            _parts=group["expansions"].map(_n_parts) * 100 + group["components"].map(_n_parts)
        ).sort_values("_parts", ascending=False, kind="stable")
        rows.append(
            {
                "office": office_name,
                "name": name,
                "variants": schema.LIST_SEPARATOR.join(dict.fromkeys(group["name"][group["name"].ne(name)])),
                "kind": _mode(group["kind"]),
                "theme": _mode(group["theme"]),
                "is_numeric_slogan": bool(group["is_numeric_slogan"].fillna(False).any()),
                "components": richest["components"].iloc[0],
                "expansions": richest["expansions"].iloc[0],
                "n_mentions": len(group),
                "n_articles": group["article_id"].nunique(),
            }
        )
    catalogue = pd.DataFrame(rows, columns=columns)
    catalogue = catalogue.assign(_last=catalogue["office"].eq("")).sort_values(
        ["_last", "office", "n_mentions"], ascending=[True, True, False], kind="stable"
    )
    catalogue = catalogue.assign(office=catalogue["office"].map(_label))
    return catalogue.drop(columns="_last").reset_index(drop=True)


def summarise_measures(catalogue: pd.DataFrame) -> pd.DataFrame:
    """Per office: how many measures and numeric slogans, how many mentions, and the most mentioned one.

    Args:
        catalogue: as returned by :func:`measure_catalogue`.

    Returns:
        Columns office, n_measures, n_numeric_slogans, n_mentions, most_mentioned and
        most_mentioned_n, offices in the catalogue's order.
    """
    columns = [
        "office",
        "n_measures",
        "n_numeric_slogans",
        "n_mentions",
        "most_mentioned",
        "most_mentioned_n",
    ]
    rows = []
    for office, group in catalogue.groupby("office", sort=False):
        top = group.sort_values("n_mentions", ascending=False, kind="stable").iloc[0]
        rows.append(
            {
                "office": office,
                "n_measures": len(group),
                "n_numeric_slogans": int(group["is_numeric_slogan"].astype(bool).sum()),
                "n_mentions": int(group["n_mentions"].sum()),
                "most_mentioned": top["name"],
                "most_mentioned_n": int(top["n_mentions"]),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def slogan_expansions(measures: pd.DataFrame) -> pd.DataFrame:
    """The parts of every numeric slogan and what each stands for, one row per part.

    Parts come from ``components``; ``expansions`` (``part=meaning``, '|'-joined) gives the meaning
    where the text spells it out. Mentions of one slogan in one office are merged: a part takes
    the first meaning any mention gives.

    Returns:
        Columns office (district-level text as :data:`DISTRICT_LEVEL_LABEL`), slogan, part_no, part,
        expansion ('' where the text gives none); slogans
        without parts are left out (see :func:`measure_catalogue` for all of them).
    """
    columns = ["office", "slogan", "part_no", "part", "expansion"]
    slogans = measures.loc[measures["is_numeric_slogan"].fillna(False).astype(bool)]
    if slogans.empty:
        return pd.DataFrame(columns=columns)
    slogans = slogans.assign(_key=_measure_key(slogans), office=_text(slogans["office"]))
    rows = []
    for (office_name, _), group in slogans.groupby(["office", "_key"], sort=False):
        meanings: dict[str, str] = {}
        parts: list[str] = []
        for components, expansions in zip(
            _text(group["components"]), _text(group["expansions"]), strict=True
        ):
            parts += [part for part in components.split(schema.LIST_SEPARATOR) if part]
            for item in expansions.split(schema.LIST_SEPARATOR):
                part, separator, meaning = item.partition("=")
                if separator and part:
                    parts.append(part)
                    meanings.setdefault(part, meaning)
        name = _mode(_text(group["name"]))
        for number, part in enumerate(dict.fromkeys(parts), start=1):
            rows.append((_label(office_name), name, number, part, meanings.get(part, "")))
    return pd.DataFrame(rows, columns=columns)


def shared_measures(measures: pd.DataFrame, min_offices: int = 2) -> pd.DataFrame:
    """Measures (same ``canonical``) that several offices report; district-level text is no office.

    Returns:
        Columns name, variants, kind, n_offices, offices ("、"-joined) and n_mentions (in those
        offices); most offices first, then most mentions.
    """
    columns = ["name", "variants", "kind", "n_offices", "offices", "n_mentions"]
    named = measures.loc[_text(measures["office"]).ne("")]
    if named.empty:
        return pd.DataFrame(columns=columns)
    named = named.assign(
        _key=_measure_key(named),
        office=_text(named["office"]),
        name=_text(named["name"]),
        kind=_text(named["kind"]),
    )
    rows = []
    for _, group in named.groupby("_key", sort=False):
        offices = sorted(set(group["office"]))
        if len(offices) < min_offices:
            continue
        name = _mode(group["name"])
        rows.append(
            {
                "name": name,
                "variants": schema.LIST_SEPARATOR.join(dict.fromkeys(group["name"][group["name"].ne(name)])),
                "kind": _mode(group["kind"]),
                "n_offices": len(offices),
                "offices": "、".join(offices),
                "n_mentions": len(group),
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["n_offices", "n_mentions"], ascending=False, kind="stable", ignore_index=True)


# --- validation ----------------------------------------------------------------------------------


def score_table(summary: Mapping[str, float | int]) -> pd.DataFrame:
    """The scores of :func:`govnews.validate.score_dir` as a table with what each one measures.

    Returns:
        Columns metric, value, meaning, in the summary's order.
    """
    return pd.DataFrame(
        {
            "metric": list(summary),
            "value": [float(value) for value in summary.values()],
            "meaning": [SCORE_MEANINGS.get(metric, "") for metric in summary],
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


def read_measure_judgements(path: Path | str) -> pd.DataFrame:
    """Read the hand-judged sample of extracted measures (``measure_judgements.csv``).

    Args:
        path: CSV (UTF-8, byte-order mark allowed) with columns article_id, name, kind, is_measure
            (true/false) and note.

    Returns:
        The judgements, ``is_measure`` as booleans.

    Raises:
        GovnewsError: the file is unreadable, lacks a column, or an ``is_measure`` cell is neither true
            nor false (names the line).
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise GovnewsError(path, "file not found") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise GovnewsError(path, f"cannot parse CSV: {exc}") from None
    missing = [column for column in JUDGEMENT_COLUMNS if column not in frame.columns]
    if missing:
        raise GovnewsError(
            path, f"missing column(s) {', '.join(missing)}; expected {', '.join(JUDGEMENT_COLUMNS)}"
        )
    answers = frame["is_measure"].str.strip().str.lower()
    unknown = ~answers.isin(_TRUE_WORDS | _FALSE_WORDS)
    if unknown.any():
        position = int(np.flatnonzero(unknown.to_numpy())[0])
        raise GovnewsError(
            path,
            f"is_measure must be true or false, got {frame['is_measure'].iloc[position]!r}",
            line=position + 2,
        )
    frame = frame.loc[:, list(JUDGEMENT_COLUMNS)].astype("string")
    return frame.assign(is_measure=answers.isin(_TRUE_WORDS).astype("boolean").to_numpy())


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
