"""Every table govnews writes: its columns, their dtypes and what they mean.

This module is the single reference for table layouts. Pipeline steps build
their output with :func:`conform` so that column order and dtypes are always
those documented here, and notebooks read tables knowing what each column
holds. Column names carry their unit (``n_chars``, ``rate_per_10k_chars``,
``share_of_sentences``); keys end in ``_id`` or ``_no``.

List-valued cells (several offices, several components) are stored as strings
joined with ``|`` so that the CSV and Parquet copies hold the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from govnews.errors import GovnewsError
from govnews.vocabulary import FIGURE_CATEGORIES, MEASURE_SCOPES, QUALIFIERS

LIST_SEPARATOR = "|"


@dataclass(frozen=True)
class Column:
    """One column of a table."""

    name: str
    dtype: str
    meaning: str
    values: tuple[str, ...] = ()
    """The only values a ``string`` column may hold, where it is an enumeration; () for free text."""


def _cols(*rows: tuple) -> tuple[Column, ...]:
    return tuple(Column(*row) for row in rows)


def _one_of(values: Sequence[str]) -> str:
    return ", ".join(value or "''" for value in values)


MEASURE_SCOPE_VALUES = (*MEASURE_SCOPES, "unknown")


TABLES: dict[str, tuple[Column, ...]] = {
    "sources": _cols(
        ("source", "string", "raw file name relative to the raw folder"),
        ("encoding", "string", "detected text encoding of the raw file"),
        ("n_bytes", "Int64", "size of the raw file in bytes"),
        ("n_chars", "Int64", "non-blank characters of the decoded text"),
        ("sha256", "string", "hash of the raw bytes; keys the per-file cache"),
        ("n_articles", "Int64", "articles found in the file"),
    ),
    "rejected": _cols(
        ("source", "string", "raw file name relative to the raw folder"),
        ("n_bytes", "Int64", "size of the raw file in bytes"),
        ("reason", "string", "why the file could not be read (empty, binary, undecodable …)"),
    ),
    "articles": _cols(
        ("article_id", "string", "stable key: file stem + '-' + two-digit article number"),
        ("source", "string", "raw file name"),
        ("article_no", "Int64", "1-based position of the article in its file (by first line)"),
        ("title", "string", "main headline as printed; '' where the page dump lost it"),
        ("kicker", "string", "line(s) printed above the headline (引题, column label)"),
        ("subtitle", "string", "line(s) printed below the headline (副题)"),
        (
            "boundary_evidence",
            "string",
            "why the article starts where it does (lead, headline over a byline …)",
        ),
        ("office", "string", "sub-district office or town the article is about; '' for district-level news"),
        ("office_source", "string", "how office was found: gazetteer, composite, pattern, override or ''"),
        ("office_evidence", "string", "what decided the office (headline: X, lead: X, body: X ×3 …)"),
        (
            "township_code",
            "string",
            "register code of the office (统计用区划代码); '' where unknown or ambiguous",
        ),
        (
            "district",
            "string",
            "district, county or zone as printed (管城区, 经开区); '' where nothing decides",
        ),
        ("city", "string", "city of the office or district; '' where unknown"),
        ("province", "string", "province of the office or district; '' where unknown"),
        ("year", "Int64", "publication year, only where stated (date line, file name, metadata.csv, text)"),
        ("year_evidence", "string", "what states the year, or what the text allows when nothing does"),
        ("byline", "string", "reporters, correspondents and photo credits as printed"),
        ("dateline", "string", "date and source lines printed with the article (发布时间, 来源 …)"),
        ("text", "string", "article body: paragraphs (subheads included) joined by newlines"),
        ("n_chars", "Int64", "non-blank characters of text"),
        ("line_nos", "string", "raw line numbers the article was assembled from, '|'-joined"),
    ),
    "sentences": _cols(
        ("article_id", "string", "article the sentence belongs to"),
        ("sentence_no", "Int64", "1-based position in the article; title sentences come first"),
        ("part", "string", "'title' (headline, kicker, subtitle) or 'body'"),
        ("paragraph_no", "Int64", "1-based paragraph of the article body (0 for the title)"),
        ("text", "string", "the sentence, ending punctuation included"),
        ("n_chars", "Int64", "non-blank characters of text"),
        ("office", "string", "attributed office: the article's, unless the sentence names another"),
        ("offices_mentioned", "string", "offices the sentence names, '|'-joined"),
    ),
    "removed": _cols(
        ("source", "string", "raw file name"),
        ("line_no", "Int64", "1-based line in the raw file"),
        ("text", "string", "what was removed"),
        ("reason", "string", "caption, picture_placeholder, photo_credit, markdown_mark, separator …"),
    ),
    "figures": _cols(
        ("article_id", "string", "article of the sentence ('' for free text)"),
        ("sentence_no", "Int64", "sentence within the article"),
        ("office", "string", "attributed office of the sentence"),
        ("span", "string", "exact text matched, a substring of the sentence"),
        ("value", "float64", "number with magnitudes expanded (1.4万 → 14000; percent as 95)"),
        ("unit", "string", "measure word or unit as printed (个 名 米 平方米 % …); money as 元"),
        (
            "qualifier",
            "string",
            f"how the page hedges the number: {_one_of(QUALIFIERS)} ('' exact)",
            QUALIFIERS,
        ),
        ("subject", "string", "what is counted (二级网格, 道路, 固定资产投资)"),
        ("category", "string", f"kind of quantity: {_one_of(FIGURE_CATEGORIES)}", FIGURE_CATEGORIES),
        ("ref_year", "Int64", "year the sentence ties the figure to, if any"),
        ("theme", "string", "codebook theme of the figure's sentence ('' if none)"),
    ),
    "figure_checks": _cols(
        ("article_id", "string", "article the figures come from"),
        ("check", "string", "growth_rate, growth_ratio, parts_exceed_total, rate_vs_counts"),
        ("spans", "string", "the figures involved, '|'-joined spans"),
        ("stated_value", "float64", "value as printed (e.g. the stated growth in percent)"),
        ("computed_value", "float64", "value computed from the other figures"),
        ("is_inconsistent", "boolean", "True for a real contradiction: verdict == 'contradiction'"),
        (
            "verdict",
            "string",
            "consistent, contradiction (the text ties the figures together and they disagree) or "
            "unverifiable (a rate the text does not tie to the span of the two values)",
        ),
        ("total_growth_pct", "float64", "growth from the first to the second value, in percent"),
        (
            "annual_growth_pct_per_year",
            "float64",
            "compound annual growth between their years, percent a year",
        ),
        ("message", "string", "one sentence a reader can check against the text"),
    ),
    "measures": _cols(
        ("article_id", "string", "article of the sentence ('' for free text)"),
        ("sentence_no", "Int64", "sentence within the article"),
        ("office", "string", "attributed office of the sentence"),
        ("name", "string", "surface form without quotation marks"),
        ("canonical", "string", "groups the spellings the text or the lexicon shows to be one measure"),
        (
            "scope",
            "string",
            f"whose measure, from the lexicon and the text: {_one_of(MEASURE_SCOPE_VALUES)}",
            MEASURE_SCOPE_VALUES,
        ),
        ("kind", "string", "工作法 工程 制度 机制 模式 行动 活动 专班 平台 队伍 品牌 路径 原则 … or ''"),
        ("is_numeric_slogan", "boolean", "True for 四个一, 三项工程、一项管理 …"),
        ("components", "string", "the parts of a slogan, '|'-joined"),
        ("expansions", "string", "what each part stands for where the text says so, '|'-joined"),
        (
            "evidence",
            "string",
            "why it was accepted: quoted+kind, quoted+formula, founded+head, kind_suffix, list+kind, "
            "numeric_slogan, paired_slogan, lexicon … (see govnews.extract.measures)",
        ),
        ("theme", "string", "codebook theme of the measure ('' if none)"),
    ),
    "measure_candidates": _cols(
        ("article_id", "string", "article of the sentence"),
        ("sentence_no", "Int64", "sentence within the article"),
        ("name", "string", "candidate surface form"),
        ("reason", "string", "why it was rejected"),
    ),
    "theme_hits": _cols(
        ("article_id", "string", "article of the sentence"),
        ("sentence_no", "Int64", "sentence within the article"),
        ("office", "string", "attributed office of the sentence"),
        ("theme", "string", "codebook theme"),
        ("term", "string", "codebook term that matched"),
        ("match_type", "string", "token (jieba token equals term) or substring (quoted raw term)"),
        (
            "evidence",
            "string",
            "why the term counts: strong, weak (beside another term of its theme), "
            "context (a weak term in a passage or article about its theme), list (enumeration item)",
        ),
    ),
    "theme_counts": _cols(
        ("office", "string", "office ('' = district-level text)"),
        ("theme", "string", "codebook theme"),
        ("hits", "Int64", "theme hits in the office's attributed text"),
        ("n_chars", "Int64", "non-blank characters attributed to the office"),
        ("rate_per_10k_chars", "float64", "hits per 10,000 characters of the office's text"),
        ("rate_ci_low", "float64", "bootstrap 5th percentile of the rate, resampling articles"),
        ("rate_ci_high", "float64", "bootstrap 95th percentile of the rate, resampling articles"),
        ("share_of_sentences", "float64", "share of the office's sentences with at least one hit"),
        ("share_of_articles", "float64", "share of the office's articles with at least one hit"),
        ("n_sentences", "Int64", "sentences attributed to the office"),
        ("n_articles", "Int64", "articles with text attributed to the office"),
    ),
    "theme_diagnostics": _cols(
        ("theme", "string", "codebook theme"),
        ("term", "string", "codebook term"),
        ("problem", "string", "never_fires, split_by_jieba or false_hits (against a human coding)"),
        ("detail", "string", "how jieba splits the term, how often it fires falsely, or ''"),
        ("n_hits", "Int64", "false_hits: coded sentences where the term counts"),
        ("n_false_hits", "Int64", "false_hits: of those, sentences the coder gave another theme"),
        ("precision", "float64", "false_hits: share of the term's hits the coder agrees with"),
    ),
    "token_counts": _cols(
        ("office", "string", "office; '' for district-level text"),
        ("token", "string", "content token (no stopword, single character or pure number)"),
        ("count", "Int64", "occurrences in the office's text"),
    ),
    "keyness": _cols(
        ("office", "string", "target office (compared against all other text)"),
        ("term", "string", "token"),
        ("count_target", "Int64", "occurrences in the office's text"),
        ("count_reference", "Int64", "occurrences in all other text"),
        ("expected_target", "float64", "expected count in the target under no difference"),
        ("expected_reference", "float64", "expected count in the reference under no difference"),
        ("g2", "float64", "log-likelihood G², signed: negative where the term is under-used"),
        ("p_value", "float64", "chi-squared(1) p-value of |G²|"),
        ("p_adjusted", "float64", "Benjamini–Hochberg adjusted p-value within the office"),
        ("log_ratio", "float64", "Hardie's log ratio (binary log of the ratio of relative frequencies)"),
    ),
}


_DTYPES = {name: pd.Series(dtype=name).dtype for name in ("string", "Int64", "float64", "boolean")}


def column_names(table: str) -> list[str]:
    """Column names of ``table`` in their documented order."""
    return [column.name for column in TABLES[table]]


def count_chars(text: str) -> int:
    """The ``n_chars`` of ``text``: its non-blank characters."""
    # str.split() drops exactly what the regex \s matches (str.isspace), without a match object per run.
    return sum(map(len, text.split()))


def empty_table(table: str) -> pd.DataFrame:
    """A table with no rows and the documented columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=c.dtype) for c in TABLES[table]})


def from_rows(rows: Sequence[Mapping[str, object]] | Sequence[Sequence[object]], table: str) -> pd.DataFrame:
    """Table ``table`` of ``rows``, with the documented columns, in order, and their dtypes.

    What :func:`conform` gives for a frame of the rows, except that a number in a string column is
    written as it is (``5``), not as the float pandas makes of a column with gaps (``5.0``).

    Args:
        rows: mappings by column name (other keys are left out) or tuples in column order.
        table: a key of :data:`TABLES`.

    Raises:
        GovnewsError: a documented column is missing from the rows, or an enumerated column holds
            another value.
    """
    # Column by column: half the cost of a frame of rows that is then conformed.
    if not rows:
        return empty_table(table)
    columns = TABLES[table]
    if isinstance(rows[0], Mapping):
        missing = [c.name for c in columns if c.name not in rows[0]]
        if missing:
            raise GovnewsError(None, f"table {table!r} lacks column(s) {', '.join(missing)}")
        values = [[row[c.name] for row in rows] for c in columns]
    else:
        if set(map(len, rows)) != {len(columns)}:
            raise ValueError(f"rows of table {table!r} need {len(columns)} values each")
        # Not zip(*rows): an iterator per row would wake the garbage collector thousands of times.
        values = [[row[position] for row in rows] for position in range(len(columns))]
    data = {}
    for column, column_values in zip(columns, values, strict=True):
        if column.dtype == "string":
            data[column.name] = _string_array(column_values)
            if column.values:
                _check_values(pd.Series(data[column.name]), column, table, None)
        else:
            data[column.name] = pd.array(column_values, dtype=column.dtype)
    return pd.DataFrame(data)


def _string_array(values: list) -> pd.api.extensions.ExtensionArray:
    """A ``string`` column of ``values`` with '' for missing ones."""
    try:
        # Through Arrow: a third of what pandas takes to check every value first.
        strings = pa.array(values, type=pa.large_string(), from_pandas=True)
    except pa.ArrowTypeError:
        return pd.array(values, dtype="string").fillna("")  # numbers among them: pandas writes them out
    return pd.array(pc.fill_null(strings, ""), dtype="string")


def conform(frame: pd.DataFrame, table: str, *, source: str | None = None) -> pd.DataFrame:
    """Return ``frame`` with exactly the documented columns, in order, with their dtypes.

    Args:
        frame: rows of ``table``; extra columns are dropped.
        table: a key of :data:`TABLES`.
        source: file the frame was read from, named in the error if a column is missing.

    Raises:
        GovnewsError: a documented column is missing, or an enumerated column holds another value.
    """
    missing = [name for name in column_names(table) if name not in frame.columns]
    if missing:
        raise GovnewsError(source, f"table {table!r} lacks column(s) {', '.join(missing)}")
    columns = {}
    for column in TABLES[table]:
        series = frame[column.name]
        if series.dtype != _DTYPES[column.dtype]:
            if column.dtype == "string":
                series = series.astype("string").fillna("")
            else:
                series = series.astype(column.dtype)
        if column.values:
            _check_values(series, column, table, source)
        columns[column.name] = series.array
    # A new frame from the column arrays: pandas copies on write, so the input stays as it is.
    return pd.DataFrame(columns)


def _check_values(series: pd.Series, column: Column, table: str, source: str | None) -> None:
    unknown = sorted(set(series.unique()) - set(column.values))
    if unknown:
        raise GovnewsError(
            source,
            f"table {table!r}: column {column.name} holds {_one_of(unknown)}, "
            f"not one of {_one_of(column.values)}",
        )


def conforms(frame: pd.DataFrame, table: str) -> bool:
    """True when ``frame`` already has exactly the documented columns, in order, with their dtypes."""
    columns = TABLES[table]
    return (
        list(frame.columns) == [c.name for c in columns]
        and all(frame[c.name].dtype == _DTYPES[c.dtype] for c in columns)
        and all(frame[c.name].isin(c.values).all() for c in columns if c.values)
    )


def describe(table: str) -> str:
    """A readable list of a table's columns and meanings (for ``--help`` and notebooks)."""
    return "\n".join(f"{c.name} ({c.dtype}): {c.meaning}" for c in TABLES[table])
