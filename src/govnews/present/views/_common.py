"""What every view shares: how district-level text is named, text columns cleaned, offices ordered."""

from __future__ import annotations

import pandas as pd

from govnews.vocabulary import district_level_label

DISTRICT_LEVEL_LABEL = district_level_label()
"""How district-level text (office ``""``) is named in tables meant for reading."""


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


ALL_KINDS_LABEL = "全部"
"""The row of all kinds together in tables by kind of measure."""
UNCLASSIFIED_KIND_LABEL = "未归类"
"""How a measure without a kind word is named in tables by kind."""
