"""Tables for people: numbers as a reader writes them, headers in the report's language.

A report page never shows ``1.650826e-12``, ``3.600000e+01``, ``<NA>`` or a rate with six
decimals. :func:`readable_table` turns any table into one of strings: thousands separators,
one or two decimals, shares as percentages, p-values as ``< 0.001``, missing values blank,
yes/no in words, and each column header in the report's language (see
:mod:`govnews.present.labels`).
"""

from __future__ import annotations

import math

import pandas as pd
from pandas.api import types

from govnews.present.labels import column_label, value_label, view_label, word

P_VALUE_FLOOR = 0.001
"""p-values below this are written as ``< 0.001``: more digits claim a precision the test has not."""

_P_COLUMNS = ("p", "p_value", "p_adjusted")
_SHARE_PREFIXES = ("share_of_", "precision", "recall", "f1")


def _is_p_value(column: str) -> bool:
    return column in _P_COLUMNS or column.startswith("p_")


def _is_year(column: str) -> bool:
    # A year is a name, not an amount: 2023, never 2,023.
    return column in ("year", "ref_year") or column.endswith("_year")


def is_number_column(values: pd.Series) -> bool:
    """Whether a column holds numbers (shown right-aligned), not text or yes/no."""
    return types.is_numeric_dtype(values) and not types.is_bool_dtype(values)


def _is_share(column: str) -> bool:
    return column.startswith(_SHARE_PREFIXES) or column.endswith(("_share", "_accuracy"))


def format_number(value: float) -> str:
    """``value`` for a reader: thousands separators, two decimals below 10, one below 1,000, none above.

    Whole numbers keep no decimals (``1,234``); ``nan`` becomes an empty string.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return ""
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}"
    size = abs(number)
    if size >= 1000:
        return f"{number:,.0f}"
    if size >= 10:
        return f"{number:,.1f}"
    return f"{number:.2f}"


def format_p_value(value: float) -> str:
    """A p-value as ``< 0.001`` or with three decimals; missing is empty."""
    if pd.isna(value):
        return ""
    return f"< {P_VALUE_FLOOR}" if value < P_VALUE_FLOOR else f"{value:.3f}"


def format_share(value: float) -> str:
    """A share (0–1) as a percentage with one decimal (``12.5%``); missing is empty."""
    if pd.isna(value):
        return ""
    return f"{value * 100:.1f}%".replace(".0%", "%")


def _format_column(column: str, values: pd.Series, lang: str) -> pd.Series:
    if types.is_bool_dtype(values):
        yes, no = word("yes", lang), word("no", lang)
        return values.map(lambda v: "" if pd.isna(v) else (yes if v else no))
    if types.is_numeric_dtype(values):
        if _is_p_value(column):
            return values.map(format_p_value)
        if _is_year(column):
            return values.map(lambda v: "" if pd.isna(v) else str(int(v)))
        if _is_share(column):
            return values.map(format_share)
        return values.map(format_number)

    def shown(value: object) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        return view_label(value_label(column, str(value), lang), lang)

    return values.map(shown)


def readable_table(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """``frame`` as strings a reader can read, with headers in ``lang`` (``"zh"`` or ``"en"``).

    Args:
        frame: any table; numeric columns are formatted by what their name says they hold
            (``p_*``: p-values; ``share_of_*``, ``precision``, ``recall``: shares; else counts and rates).
        lang: language of the headers and of yes/no.

    Returns:
        A new frame of strings with the same rows, its index dropped.
    """
    formatted = pd.DataFrame(
        {column: _format_column(str(column), frame[column], lang) for column in frame.columns}
    ).reset_index(drop=True)
    formatted.columns = [column_label(str(column), lang) for column in frame.columns]
    return formatted


def html_table(frame: pd.DataFrame, lang: str = "zh") -> str:
    """``frame`` as a plain HTML table for people (:func:`readable_table`), numbers right, text left."""
    import html

    readable = readable_table(frame, lang)
    numeric = [is_number_column(frame[column]) for column in frame.columns]

    def cell(tag: str, text: str, is_number: bool) -> str:
        opening = f'<{tag} class="num">' if is_number else f"<{tag}>"
        return f"{opening}{html.escape(text)}</{tag}>"

    head = "".join(cell("th", str(c), n) for c, n in zip(readable.columns, numeric, strict=True))
    body = "".join(
        "<tr>" + "".join(cell("td", value, n) for value, n in zip(row, numeric, strict=True)) + "</tr>"
        for row in readable.itertuples(index=False)
    )
    return f'<table class="govnews-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
