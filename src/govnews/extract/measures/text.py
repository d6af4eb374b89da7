"""Small text helpers of measure extraction: numerals, quotation marks, slogan parts.

Shared by the evidence modules of :mod:`govnews.extract.measures`; nothing here knows the lexicon.
"""

from __future__ import annotations

import functools
import re

from govnews.resources.measure_lexicon import QUOTE_MARKS, normalize_name
from govnews.vocabulary import DIGIT_VALUES, HAN, NUMERALS, SMALL_NUMERALS

MAX_QUOTED_CHARS = 40
MAX_LIST_ITEMS = 12  # longer 、-lists are inventories, not slogans, and would make spans unbounded

_NUMERAL_VALUES = DIGIT_VALUES
CLASSIFIERS = "个项条大种类点张套批级方名家支"
OPEN_CLOSE = {"“": "”", "『": "』", "「": "」", "‘": "’", '"': '"'}
_WITHOUT_QUOTE_MARKS = str.maketrans("", "", QUOTE_MARKS)
OPENING_MARKS = "“‘『「"
SENTENCE_END = "。！？!?\n"
CLAUSE_END_CHARS = "，,。；;：:！？!?\n（）()《》【】[]…—"
CJK = re.compile(f"[{HAN}]")
_NUMERAL_RUN = re.compile(f"[{SMALL_NUMERALS}]+")
_ITEM_SEPARATORS = re.compile(r"[、，,；;\s]+")
_DIGIT_SLOGAN = re.compile(r"\d+(?:[+＋][0-9A-Za-zＸ]+)+")
_DIGIT_SLOGAN_LED = re.compile(r"\d+(?:[+＋][0-9A-Za-zＸ]+)+.*")
MASK = "\x00"
COMPACT_NUMERIC = re.compile(
    rf"(?<![{SMALL_NUMERALS}\d])(?:(?:[{SMALL_NUMERALS}]++|\d++)[^\W\d_{NUMERALS}]){{3,12}}"
)
NUMERAL_UNIT = re.compile(rf"(?:[{SMALL_NUMERALS}]+|\d+)[^\W\d_{NUMERALS}]+?(?=[{SMALL_NUMERALS}\d]|$)")


# ----------------------------------------------------------------------------- small text helpers


def strip_quotes(text: str) -> str:
    return text.translate(_WITHOUT_QUOTE_MARKS).strip()


def is_name_char(ch: str) -> bool:
    return bool(CJK.match(ch)) or (ch.isascii() and (ch.isalnum() or ch == "+"))


def _parse_numeral(text: str) -> int | None:
    """Value of a small Chinese numeral (一 … 九十九, 两, 双), else None."""
    if not text or any(ch not in _NUMERAL_VALUES and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _NUMERAL_VALUES[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return None
    return (_NUMERAL_VALUES[tens] if tens else 1) * 10 + (_NUMERAL_VALUES[units] if units else 0)


def leading_count(name: str) -> int | None:
    """The number a numbered slogan announces (五个一 → 5, 四项 → 4, 双改 → 2)."""
    match = _NUMERAL_RUN.match(name)
    if not match:
        return None
    numeral = match.group()
    while numeral:
        value = _parse_numeral(numeral)
        if value:
            return value
        numeral = numeral[:-1]
    return None


def is_date_label(text: str) -> bool:
    """五一, 七一, 双十一, 三八: a holiday named by its month and day."""
    core = text[1:] if text.startswith("双") else text
    if not core or any(ch not in _NUMERAL_VALUES and ch != "十" for ch in core):
        return False
    if text.startswith("双"):
        value = _parse_numeral(core)
        return value is not None and 1 <= value <= 12
    for cut in range(1, len(core)):
        month, day = _parse_numeral(core[:cut]), _parse_numeral(core[cut:])
        if month and day and month <= 12 and day <= 31:
            return True
    return False


def starts_numeric(text: str) -> bool:
    """A numbered slogan: 四个一, 双改, 三零, 万人助万企, 1+9, 3+X."""
    if not text:
        return False
    if text[0] in SMALL_NUMERALS:
        return len(text) > 1
    if text[0] in "百千万":
        return any(ch in NUMERALS for ch in text[1:])
    return bool(_DIGIT_SLOGAN.fullmatch(text))


def numeral_units(text: str) -> int:
    return len(NUMERAL_UNIT.findall(text))


def is_numeric_slogan(name: str, kind_word: str = "") -> bool:
    """Numbered slogans: short numeral-led names or names built of two or more numbered parts."""
    core = name[: -len(kind_word)] if kind_word and name.endswith(kind_word) else name
    core = normalize_name(core)
    if _DIGIT_SLOGAN_LED.fullmatch(core):
        return True
    if not core or core[0] not in NUMERALS:
        return False
    return len(core) <= 6 or numeral_units(core) >= 2


@functools.lru_cache(maxsize=8192)  # a quoted name is split by several rules, and names recur
def split_items(text: str) -> tuple[str, ...]:
    """Parts of a parallel or numbered slogan: split at 、，, and spaces."""
    return tuple(part for part in _ITEM_SEPARATORS.split(strip_quotes(text)) if part)


def common_prefix(items: list[str]) -> int:
    length = 0
    for chars in zip(*items, strict=False):
        if len(set(chars)) != 1:
            break
        length += 1
    return length


def common_suffix(items: list[str]) -> int:
    return common_prefix([item[::-1] for item in items])


def common_infix_char(items: list[str]) -> bool:
    """True when one character of the first item is in every other (班子成员包社区、机关干部包小区)."""
    return any(all(ch in item for item in items[1:]) for ch in items[0])


def has_common_infix(items: list[str], size: int = 2) -> bool:
    first = items[0]
    return any(all(first[i : i + size] in item for item in items[1:]) for i in range(len(first) - size + 1))


_FORMULA_PLUS = re.compile(r"\s*[+＋]\s*")
_FORMULA_DASH = re.compile(r"\s*[—－―]+\s*")
_FORMULA_PLACEHOLDER = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]{1,3}")
_CJK_PAIR = re.compile(f"[{HAN}]{{2}}")


def split_formula(text: str) -> list[str]:
    """Parts of a ``+`` or dash formula (网格员+志愿者 → 网格员|志愿者; 街道—商圈—驿站), else ``[text]``.

    A trailing ``+`` (近邻党建+) leaves one part: the formula is open, the part is its base.
    """
    separator = _FORMULA_PLUS if "+" in text or "＋" in text else _FORMULA_DASH
    return [part for part in separator.split(text.strip()) if part]


@functools.lru_cache(maxsize=8192)
def is_formula(text: str) -> bool:
    """A formula that names a measure: 片区+网格, 党建+, 1+6+N, 红网格+先锋楼道+党员服务队, 街道—商圈—驿站.

    Every part is a name (Chinese characters, parentheses allowed) or a short placeholder (N, X, 1);
    one part at least is a Chinese name. Dash formulas need three parts: a dash between two phrases
    is as often a pause in speech.
    """
    has_plus = "+" in text or "＋" in text
    if not has_plus and not _FORMULA_DASH.search(text):
        return False
    parts = split_formula(text)
    if len(parts) < (1 if has_plus and text.rstrip().endswith(("+", "＋")) else 2 if has_plus else 3):
        return False
    named = False
    for part in parts:
        if _CJK_PAIR.search(part):
            if len(part) > 16 or not all(CJK.match(ch) or ch in "（）()" for ch in part):
                return False
            named = True
        elif not _FORMULA_PLACEHOLDER.fullmatch(part):
            return False
    return named
