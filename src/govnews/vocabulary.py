"""Words and lists that several layers share, defined once.

Every module that needs one of these imports it from here, so that a label read
in a notebook, a category the schema enforces and a character class a rule
matches cannot drift apart. Word lists that users edit are data files (see
:mod:`govnews.resources`); what lives here is fixed by the code's design.
"""

from __future__ import annotations

from typing import Literal

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")

# ----------------------------------------------------------------------------- characters

HAN = "\u4e00-\u9fff"
"""Body of a regex character class for the CJK Unified Ideographs block, where news text lives."""

HAN_EXTENDED = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
""":data:`HAN` with Extension A and the compatibility ideographs, for telling text from markup."""

# ----------------------------------------------------------------------------- numerals

SMALL_NUMERALS = "零〇一二两三四五六七八九十双"
"""Numerals that count items in slogans and lists (五个一, 双改, 十项)."""

NUMERALS = SMALL_NUMERALS + "百千万"

DIGIT_VALUES: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "双": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
"""Value of each single-character Chinese digit (十 and larger are multipliers, not digits)."""

# ----------------------------------------------------------------------------- figures

FIGURE_CATEGORIES = (
    "count",
    "people",
    "money",
    "area",
    "length",
    "volume",
    "weight",
    "percent",
    "ratio",
    "duration",
    "age",
    "temperature",
    "date",
    "ordinal",
    "other",
)
"""Every value of ``figures.category``; the schema refuses any other."""

NON_QUANTITY_CATEGORIES = ("date", "ordinal")
"""Categories whose figures name a point or a rank, not an amount, and are never compared."""

QUANTITY_CATEGORIES = tuple(c for c in FIGURE_CATEGORIES if c not in NON_QUANTITY_CATEGORIES)

TOTAL_WORDS = ("共", "共计", "合计", "总计", "一共", "累计", "共有")
"""Words that state a total on their own before a figure (…，共56名)."""

QUALIFIERS = ("余", "多", "近", "约", "以上", "超过", "逾", "左右", "不到", "至少", "")
"""Every value of ``figures.qualifier``: how the page hedges a number ('' when it does not)."""

APPROXIMATE_QUALIFIERS = ("余", "多", "近", "约", "左右")
"""Qualifiers that make a value approximate, so that a chart marks it as such."""

# ----------------------------------------------------------------------------- measures

MEASURE_SCOPES = ("office", "district", "city", "province", "national")
"""Every value of ``measures.scope``, from the office's own measure to a national one."""

# ----------------------------------------------------------------------------- offices

DISTRICT_LEVEL_LABELS: dict[Language, str] = {"zh": "区级/未归属", "en": "district-level"}
"""How text attributed to no office (office ``""``) is named wherever people read it."""


def district_level_label(language: Language = "zh") -> str:
    """The reader's name for text attributed to no office, in ``language``."""
    return DISTRICT_LEVEL_LABELS[language]
