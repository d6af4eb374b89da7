"""Sentences → figures: the quantities a text states, with unit, qualifier and subject.

A figure is a number (Arabic digits, Chinese numerals, ``百分之五``, ``三分之二``, ``1/3``)
followed by a measure word or unit from the editable lexicon ``data/lexicons/units.yml``
(``18个二级网格``, ``近500平方米``, ``1.4万名``, ``95%以上``). Magnitudes are expanded
(``近百亿元`` → 1e10 元), money is kept in the printed currency (元), and the qualifier is one of
:data:`QUALIFIERS`. A number without a unit is kept only when it carries a magnitude
(``工业总产值80亿`` → 8e9, money when a money word is near, else unit ``""``).

Rules that keep names, ordinals, addresses and slogans out (all general, none fitted to a text):

* numbers inside a quoted slogan or name (quotation marks around text without sentence
  punctuation: ``“五个之城”``, ``“211”``) and inside book titles ``《…》``;
* ordinals and fixed expressions: a number after a ``not_before`` word (``第四届``, ``最后100米``,
  ``连续3年``); a number directly followed by a numeral (``四个一``, ``五位一体``, ``1对1``);
* a Chinese numeral + unit followed at once by a programme word (``三项工程``, ``五个之城``) or
  by a slogan verb and punctuation (``两个维护、``);
* numbers glued to Latin letters, ``+`` or ``/`` (``5G``, ``M0``, ``1+9``, ``3+X``), route and line
  numbers, levels and ranks (``3号线``, ``168路``, ``三级``, ``20强``: their words are no units);
* the Chinese numeral 一 on its own before a classifier (``一个中心``, ``一名领导``: an article, not a
  count — write ``1个`` to count one; ``近一吨``, ``一美元`` measure), bare 百/千/万/亿 without a
  qualifier (``万人助万企``, ``千亿级``) and runs of neighbouring digits (``三五天``);
* addresses (``胜利街176号5幢``, ``3栋2单元``), village teams (``黄龙社区三组``) and Chinese
  numerals that spell out a formula of the sentence (``“1+6+N”`` explained as ``六个机构``);
* time spans that name a planning concept (``15分钟便民圈``) or a reference period
  (``近3年来``).

Dates: a four-digit year before 年 becomes a row of category ``date`` (unit 年) and sets the
``ref_year`` of the figures after it in the same sentence; calendar months and days
(``7月18日``, ``9月份``) are recognised and left out. A range (``3至5个``) reports its low end
in ``value`` and keeps the whole range in ``span``. Numbers listed with 、 share the unit and
magnitude of the last one (``提升5.2、6.8个百分点`` gives 5.2 and 6.8 百分点). ``2个多月``/``两个月``
give unit 月: the classifier 个 is dropped from time units. Scores (分) are not read; issues
and phases (期) only after a word the units lexicon gives (培训班26期, 已举办8期), since in this genre
they are mostly project phases (二期).

Quantity families (units and words in ``units.yml``): halves (``两吨半`` → 2.5), ages, temperatures
and signs (``零下5摄氏度`` → −5, ``负2.5%``), foreign currencies kept as printed (``200万美元``), a
currency before the number (``港币三千元`` → 港元), yuan with 角/毛/分 (``三块五毛`` → 3.5 元),
shares in 成 (``近三成`` → 30 %, 近), round approximations (``上百名`` → 100 以上, ``数十家`` → 10 多,
``十几个`` → 10 多), Chinese decimals (``百分之三点五``), financial numerals (``壹万贰仟元``),
back-to-back figures (``2345户8028人``), spaces as scraped pages print them (``300 余名``), and
thousands separators and full-width digits (``1,234``, ``１２３``).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pandas as pd

from govnews import schema
from govnews.errors import GovnewsError
from govnews.resources.lexicons import load_units
from govnews.resources.yamlfile import parse_yaml
from govnews.vocabulary import DIGIT_VALUES, HAN, QUALIFIERS, QUANTITY_CATEGORIES, TOTAL_WORDS

UNIT_CATEGORIES = frozenset(QUANTITY_CATEGORIES)

_LIST_SECTIONS = (
    "qualifier_false_friends",
    "not_before",
    "blocked_after",
    "slogan_kind_words",
    "slogan_words",
    "concept_words",
    "idioms",
    "subject_boundaries",
    "subject_edge_words",
    "negative_before",
    "vague_false_friends",
    "address_words",
    "team_units",
    "place_suffixes",
    "people_verbs",
    "purpose_words",
)
_MAP_SECTIONS = (
    "magnitudes",
    "qualifiers_before",
    "approximators",
    "qualifiers_after",
    "vague_before",
    "vague_after",
    "coins",
    "coin_bases",
    "currency_before",
)

_DIGIT = "0-9０-９"
# 双 counts items in slogans (双改), never a digit of a reported figure
_CN_DIGIT_VALUES = {digit: value for digit, value in DIGIT_VALUES.items() if digit != "双"}
_CN_DIGITS = "".join(_CN_DIGIT_VALUES)
# financial numerals (壹万贰仟元) read as their plain forms; a single one is a surname (陆家, 伍家岗)
_FINANCIAL = "壹贰叁肆伍陆柒捌玖拾佰仟萬億"
_TO_PLAIN = str.maketrans(_FINANCIAL, "一二三四五六七八九十百千万亿")
_CN_NUMERAL = _CN_DIGITS + "十百千万亿" + _FINANCIAL
_CN_DIGIT_SET = frozenset(_CN_DIGITS)
# an Arabic number after its first digit: 1,234.5 or 1234.5
_ARABIC_REST = (
    rf"[{_DIGIT}]{{0,2}}(?:[,，][{_DIGIT}]{{3}})+(?:[.．][{_DIGIT}]+)?(?![{_DIGIT}])"
    rf"|[{_DIGIT}]*(?:[.．][{_DIGIT}]+)?"
)
_ARABIC = rf"[{_DIGIT}](?:{_ARABIC_REST})"
# 三点五, 一百二十点五: a Chinese decimal is digits after 点
_CHINESE_REST = rf"[{_CN_NUMERAL}]*(?:点[{_CN_DIGITS}]+)?"
_CHINESE = rf"[{_CN_NUMERAL}]{_CHINESE_REST}"
_ANY_NUMERAL = re.compile(f"[{_CN_NUMERAL}{_DIGIT}]")
# An Arabic or a Chinese number; the empty group ``chinese`` is set for a Chinese one. The
# pattern opens with one character class so that the regex engine skips quickly to the next
# numeral (an alternation of the two kinds would be tried at every character of the text).
_NUMBER_TOKEN = re.compile(
    rf"[{_DIGIT}{_CN_NUMERAL}](?:(?<=[{_DIGIT}])(?:{_ARABIC_REST})|(?P<chinese>){_CHINESE_REST})"
)
_FRACTION = re.compile(rf"(?P<den>[{_CN_NUMERAL}]{{1,8}}|[{_DIGIT}]{{1,6}})分之(?P<num>{_CHINESE}|{_ARABIC})")
# scraped pages print a space between number, qualifier and unit (12 个, 300 余名, 3 万余条)
_SPACE = "[ \u3000\u00a0]?"
_SPACES = (" ", "\u3000", "\u00a0")
_MINUS_SIGNS = "-－−"
_FORMULA = re.compile(r"[0-9A-Za-z]+(?:\+[0-9A-Za-z]+)+")
_ANY_CN = re.compile(f"[近约超逾不至多余上数几]*[{_CN_DIGITS}十百千万亿]")
_ROUND_CHARS = frozenset("十百千万亿拾佰仟萬億")
_QUOTED = re.compile(r"“[^“”]{0,60}”|‘[^‘’]{0,60}’|「[^「」]{0,60}」|『[^『』]{0,60}』|\"[^\"\n]{0,60}\"")
_BOOK_TITLE = re.compile(r"《[^《》]{0,120}》|〈[^〈〉]{0,120}〉")
_QUOTE_OPENING = re.compile(r"[“‘「『\"]")  # the first character of every _QUOTED
_SENTENCE_PUNCT = re.compile(r"[，。！？；：,;!?]")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
# Quotation marks belong to a subject (“网格员”); scraped pages often print them as ASCII ".
_SUBJECT_CHAR = re.compile(rf"[{HAN}A-Za-z“”‘’\"]")
_SUBJECT_RUN = re.compile(rf"[{HAN}A-Za-z“”‘’\"]+")  # a run of _SUBJECT_CHAR
_SUBJECT_RUN_BEFORE = re.compile(rf"[{HAN}A-Za-z“”‘’\"]+\Z")  # … that ends where the search ends
_QUOTE_CHARS = '“”‘’"'
_GLUED_BEFORE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.．/+＋×*#")
_GLUED_AFTER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+＋/")
_RANGE_SEPARATORS = "至|到|~|～|-|－|—"
_PERIOD_AFTER = ("来", "以来", "内", "中", "间")
_LEVEL_WORDS = ("级", "类", "等", "星", "档", "期", "号")
_RANK_WORDS = ("强",)
_ADJACENT_DIGITS = re.compile("[一二两三四五六七八九]{2}")
# categories in which 一 counts (近一吨, 一美元); elsewhere it is an article (一个中心, 一名领导)
_MEASURED_BY_ONE = frozenset(
    ("money", "area", "length", "volume", "weight", "temperature", "percent", "other")
)
_MAX_INTEGER_DIGITS = 15
_UNIT_LOOKBACK = 8
_SUBJECT_WINDOW = 16
_MAX_SUBJECT_CHARS = 12
_MAX_BRACKET = 4
_OPENER_WINDOW = 6
_OPENING_BRACKETS = "(（"
_CLOSING_BRACKETS = ")）"
_BRACKET_CLOSE = re.compile(rf"[(（][{HAN}]{{1,{_MAX_BRACKET}}}[)）]")
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_TOPIC_START = re.compile(r"[，,；;：:。！？!?\n“”]")
_CLAUSE_END = re.compile(r"[，,；;：:。！？!?\n]")
_FREQUENCY_END = re.compile(rf"每[{HAN}]{{0,2}}$")
_CONCEPT_WINDOW = 5
# the verb of a change between two figures: 增加到, 提升至, 降至 (由A增加到B, 从A提升至B)
_CHANGE_TO = re.compile(rf"[{HAN}]{{0,2}}[到至]")
_MAX_COORDINATED = 2  # a modifier (独居, 高龄), not an item of a list (现场调研、督查)


@dataclass(frozen=True)
class Unit:
    """One measure word or unit of the lexicon.

    Attributes:
        unit: the word as printed (个, 平方米, %).
        category: what the unit measures (count, people, money, area …).
        arabic_only: the unit counts only after Arabic digits (方 in 500方 but not in 三方协同).
        classifier: ``none``, ``optional`` or ``required``: whether it may or must follow 个.
        output: the unit written in the output ('' keeps ``unit``: 成 → %, 块钱 → 元).
        factor: what the value is multiplied by (10 for 成: 三成 → 30 %).
        after_words: the unit counts only where one of these words stands right before the
            number (期 counts sessions after 培训班 or 举办, and is a project phase in 二期项目).
    """

    unit: str
    category: str
    arabic_only: bool = False
    classifier: str = "none"
    output: str = ""
    factor: float = 1.0
    after_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitLexicon:
    """Everything figure extraction reads from ``units.yml`` (see the comments in that file)."""

    units: tuple[Unit, ...]
    magnitudes: dict[str, float]
    qualifiers_before: dict[str, str]
    qualifier_false_friends: tuple[str, ...]
    approximators: dict[str, str]
    qualifiers_after: dict[str, str]
    not_before: tuple[str, ...]
    blocked_after: tuple[str, ...]
    slogan_kind_words: tuple[str, ...]
    slogan_words: tuple[str, ...]
    concept_words: tuple[str, ...]
    idioms: tuple[str, ...]
    implied_units: dict[str, tuple[str, ...]]
    subject_boundaries: tuple[str, ...]
    subject_edge_words: tuple[str, ...]
    negative_before: tuple[str, ...] = ()
    vague_before: dict[str, str] = field(default_factory=dict)
    vague_false_friends: tuple[str, ...] = ()
    vague_after: dict[str, str] = field(default_factory=dict)
    coins: dict[str, str] = field(default_factory=dict)
    coin_bases: dict[str, str] = field(default_factory=dict)
    currency_before: dict[str, str] = field(default_factory=dict)
    address_words: tuple[str, ...] = ()
    team_units: tuple[str, ...] = ()
    place_suffixes: tuple[str, ...] = ()
    people_verbs: tuple[str, ...] = ()
    purpose_words: tuple[str, ...] = ()
    _grammar: _Grammar = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_grammar", _Grammar(self))


class _Grammar:
    """Compiled patterns and lookup tables derived from a lexicon."""

    def __init__(self, lexicon: UnitLexicon) -> None:
        self.by_unit = {unit.unit: unit for unit in lexicon.units}
        self.magnitudes = lexicon.magnitudes
        self.approximators = lexicon.approximators
        self.qualifiers_before = lexicon.qualifiers_before
        self.qualifiers_after = lexicon.qualifiers_after
        units = _first_chars(self.by_unit) + _alternation(self.by_unit)
        after_classifier = _alternation(u.unit for u in lexicon.units if u.classifier != "none")
        # a unit that starts with a magnitude word wins over it (12千米 is 12 km)
        magnitude = (
            rf"(?:{_first_chars(lexicon.magnitudes)}(?!{units})(?:{_alternation(lexicon.magnitudes)}))"
        )
        approximators = _alternation(lexicon.approximators)
        number = rf"{_ARABIC}|[{_CN_NUMERAL}]{{1,12}}"
        classifier = (
            rf"(?:(?P<ge>个)(?P<mid>{approximators}|半)?(?=(?:{after_classifier})))?"
            if after_classifier
            else ""
        )
        self.tail = re.compile(
            rf"(?:{_SPACE}(?P<mag0>{magnitude}+)?(?:{_RANGE_SEPARATORS})(?P<num2>{number}))?"
            rf"{_SPACE}(?P<q1>{approximators})?{_SPACE}(?P<mag>{magnitude}+)?(?P<q2>{approximators})?"
            rf"{_SPACE}{classifier}(?P<unit>{units})?"
        )
        self.magnitude_words = _longest_first(lexicon.magnitudes)
        # a number right after "numeral + unit" is the tail of a slogan (两个一百年, 五位一体)
        self.after_unit = re.compile(rf"[{_DIGIT}{_CN_NUMERAL}](?:{units})$")
        self.negative_before = tuple(lexicon.negative_before)
        self.vague_before = lexicon.vague_before
        self.vague_before_words = _longest_first(lexicon.vague_before)
        self.vague_false_friends = tuple(lexicon.vague_false_friends)
        self.vague_after = lexicon.vague_after
        self.vague_after_words = _longest_first(lexicon.vague_after)
        self.coin_bases = lexicon.coin_bases
        coin_digit = rf"[{_DIGIT}{_CN_DIGITS}]"
        coin_words = _alternation(lexicon.coins) or "(?!)"
        # 三毛, 六角七分, 零五分: up to two coins, never the 分 of 分钟 or 分之
        self.coins = re.compile(
            rf"零?(?P<d1>{coin_digit})(?P<c1>{coin_words})(?:(?P<d2>{coin_digit})(?P<c2>{coin_words}))?"
            rf"(?![钟之])"
        )
        self.coin_values = {word: float(value) for word, value in lexicon.coins.items()}
        self.currency_before = lexicon.currency_before
        self.currency_words = _longest_first(lexicon.currency_before)
        address = _alternation(lexicon.address_words) or "(?!)"
        self.address_words = frozenset(lexicon.address_words)
        self.address_before = re.compile(rf"[{_DIGIT}{_CN_NUMERAL}](?:{address})$")
        self.address_after = re.compile(rf"[{_DIGIT}]+(?:{address})")
        self.team_units = frozenset(lexicon.team_units)
        self.place_suffixes = tuple(lexicon.place_suffixes)
        self.people_verbs = _longest_first(lexicon.people_verbs)
        self.purpose_words = _longest_first(lexicon.purpose_words)
        self.before_words = _longest_first(lexicon.qualifiers_before)
        self.after_words = _longest_first(lexicon.qualifiers_after)
        self.approximator_words = _longest_first(lexicon.approximators)
        self.false_friends = tuple(lexicon.qualifier_false_friends)
        self.not_before = tuple(lexicon.not_before)
        self.blocked_after = tuple(lexicon.blocked_after)
        self.kind_words = tuple(lexicon.slogan_kind_words)
        self.slogan_words = tuple(lexicon.slogan_words)
        self.concept_words = tuple(lexicon.concept_words)
        self.implied_units = lexicon.implied_units
        self.boundaries = _longest_first(lexicon.subject_boundaries)
        self.edge_words = _longest_first((*lexicon.subject_boundaries, *lexicon.subject_edge_words))
        self.edge_word_set = frozenset(self.edge_words)
        # str.endswith(tuple) tests every word of a list; only the words that end (start) with the
        # text's last (first) character can match, so the tests below look those up first
        self.edge_words_ending = _by_char(self.edge_words, -1)
        self.edge_words_starting = _by_char(self.edge_words, 0)
        self.boundaries_starting = _by_char(self.boundaries, 0)
        self.not_before_ending = _by_char(self.not_before, -1)
        self.false_friends_ending = _by_char(self.false_friends, -1)
        self.before_words_ending = _by_char(self.before_words, -1)
        self.blocked_after_starting = _by_char(self.blocked_after, 0)
        self.kind_words_starting = _by_char(self.kind_words, 0)
        self.slogan_words_starting = _by_char(self.slogan_words, 0)
        self.boundaries_by_length = _by_length(self.boundaries)
        self.edge_words_by_length = _by_length(self.edge_words)
        self.boundary_pattern = re.compile(_alternation(lexicon.subject_boundaries) or "(?!)")
        self.only_edge_words = re.compile(rf"(?:{_alternation(self.edge_words) or '(?!)'})+")
        self.idioms = re.compile(_alternation(lexicon.idioms)) if lexicon.idioms else None


def _alternation(words: Iterable[str]) -> str:
    """A pattern that matches any of ``words``, the longest first where several match.

    The words are laid out as a trie (人次|人 → 人次?) rather than one alternative per word: the
    regex engine tries alternatives one by one, so a unit list of 170 words costs 170 tests at
    every position; the trie costs one per distinct first character. At any position the words
    that match are prefixes of one another, and the trie tries them longest first like
    ``longest|…|shortest`` does, so every match, backtracking included, is the same.
    """
    trie: dict[str, dict] = {}
    for word in set(words):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, dict]) -> str:
    branches = [re.escape(char) + _trie_pattern(node[char]) for char in sorted(node) if char]
    if not branches:
        return ""
    group = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{group})?" if "" in node else group


def _first_chars(words: Iterable[str]) -> str:
    """A look-ahead for the first characters of ``words``: one quick test before an alternation."""
    chars = "".join(sorted({re.escape(word[0]) for word in words}))
    return f"(?=[{chars}])" if chars else "(?!)"


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=lambda word: (-len(word), word)))


def _by_char(words: tuple[str, ...], index: int) -> dict[str, tuple[str, ...]]:
    """The words by their first (``index`` 0) or last (-1) character, in their order."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[index], []).append(word)
    return {char: tuple(group) for char, group in groups.items()}


def _by_length(words: Iterable[str]) -> tuple[tuple[int, frozenset[str]], ...]:
    """The words grouped by length, longest first."""
    lengths = sorted({len(word) for word in words}, reverse=True)
    return tuple((length, frozenset(word for word in words if len(word) == length)) for length in lengths)


# ---------------------------------------------------------------- lexicon loading


def parse_units(text: str, path: Path | None = None) -> UnitLexicon:
    """The units lexicon written in ``text`` (read from its file by
    :func:`govnews.resources.lexicons.load_units`).

    Args:
        text: the YAML of a file laid out like ``data/lexicons/units.yml``.
        path: the file it came from, named in errors.

    Returns:
        The lexicon, ready for :func:`extract_figures`.

    Raises:
        GovnewsError: the text is not valid YAML, lacks a section, has a malformed entry or lists
            a word twice.
    """
    data, _ = parse_yaml(text, path)
    if not isinstance(data, dict):
        raise GovnewsError(path, "expected a mapping of sections (units, magnitudes, …) at the top level")
    missing = [
        name for name in ("units", "implied_units", *_MAP_SECTIONS, *_LIST_SECTIONS) if name not in data
    ]
    if missing:
        raise GovnewsError(path, f"missing section(s): {', '.join(missing)}")
    units = _parse_units(data["units"], path, text)
    maps = {name: _parse_map(data[name], name, path) for name in _MAP_SECTIONS}
    for name in ("coins", "magnitudes"):
        for word, value in maps[name].items():
            try:
                float(value)
            except ValueError as error:
                raise GovnewsError(
                    path, f"{name}: {word!r} must map to a number", line=_line_of(text, word, 1)
                ) from error
    lists = {name: _parse_list(data[name], name, path, text) for name in _LIST_SECTIONS}
    bad_qualifiers = sorted(
        {
            value
            for name in (
                "qualifiers_before",
                "approximators",
                "qualifiers_after",
                "vague_before",
                "vague_after",
            )
            for value in maps[name].values()
        }
        - set(QUALIFIERS)
    )
    if bad_qualifiers:
        raise GovnewsError(
            path,
            f"unknown qualifier(s) {', '.join(bad_qualifiers)}; use one of "
            f"{' '.join(q for q in QUALIFIERS if q)}",
        )
    magnitudes = {word: float(value) for word, value in maps.pop("magnitudes").items()}
    known = {unit.unit for unit in units}
    unknown = sorted(set(maps["coin_bases"]) - known)
    if unknown:
        raise GovnewsError(
            path,
            f"coin_bases: unit {unknown[0]!r} is not listed under 'units'",
            line=_line_of(text, unknown[0], 2),
        )
    implied_units = _parse_implied_units(data["implied_units"], known, path, text)
    return UnitLexicon(units=units, implied_units=implied_units, magnitudes=magnitudes, **maps, **lists)


def _line_of(text: str, word: str, occurrence: int) -> int | None:
    """1-based line of the ``occurrence``-th line that lists ``word`` (for error messages)."""
    pattern = re.compile(rf"(?<![^\s\[{{,:'\"]){re.escape(word)}(?![^\s\]}},:'\"])")
    seen = 0
    for line_no, line in enumerate(text.splitlines(), start=1):
        seen += len(pattern.findall(line.split("#", 1)[0]))
        if seen >= occurrence:
            return line_no
    return None


def _parse_units(entries: object, path: Path, text: str) -> tuple[Unit, ...]:
    if not isinstance(entries, list) or not entries:
        raise GovnewsError(path, "section 'units' must be a non-empty list of {unit:, category:} entries")
    units: list[Unit] = []
    seen: set[str] = set()
    for entry in entries:
        if not isinstance(entry, dict) or "unit" not in entry or "category" not in entry:
            raise GovnewsError(path, f"unit entry {entry!r} needs 'unit' and 'category'")
        word, category = str(entry["unit"] or ""), str(entry["category"])
        if not word:
            raise GovnewsError(path, f"unit entry {entry!r} has an empty unit")
        numerals = str(entry.get("numerals", "any"))
        classifier = str(entry.get("classifier", "none"))
        line = _line_of(text, word, 1)
        try:
            factor = float(entry.get("factor", 1))
        except (TypeError, ValueError) as error:
            raise GovnewsError(path, f"unit {word!r}: factor must be a number", line=line) from error
        if category not in UNIT_CATEGORIES:
            raise GovnewsError(path, f"unit {word!r} has unknown category {category!r}", line=line)
        if numerals not in ("any", "arabic") or classifier not in ("none", "optional", "required"):
            raise GovnewsError(
                path,
                f"unit {word!r}: numerals must be any/arabic and classifier none/optional/required",
                line=line,
            )
        if word in seen:
            raise GovnewsError(path, f"unit {word!r} is listed twice", line=_line_of(text, word, 2))
        after_words = entry.get("after", [])
        if not isinstance(after_words, list) or not all(isinstance(w, str) and w for w in after_words):
            raise GovnewsError(path, f"unit {word!r}: 'after' must be a list of words", line=line)
        seen.add(word)
        units.append(
            Unit(
                word,
                category,
                numerals == "arabic",
                classifier,
                str(entry.get("as") or ""),
                factor,
                tuple(after_words),
            )
        )
    return tuple(units)


def _parse_implied_units(
    entries: object, known: set[str], path: Path, text: str
) -> dict[str, tuple[str, ...]]:
    if not isinstance(entries, dict):
        raise GovnewsError(path, "section 'implied_units' must map a unit to a list of words")
    implied: dict[str, tuple[str, ...]] = {}
    for unit, words in entries.items():
        if str(unit) not in known:
            raise GovnewsError(
                path, f"implied unit {unit!r} is not listed under 'units'", line=_line_of(text, str(unit), 2)
            )
        implied[str(unit)] = _parse_list(words, f"implied_units: {unit}", path, text)
    return implied


def _parse_map(entries: object, name: str, path: Path) -> dict[str, str]:
    if not isinstance(entries, dict) or not entries:
        raise GovnewsError(path, f"section {name!r} must be a non-empty mapping")
    return {str(key): str(value) for key, value in entries.items()}


def _parse_list(entries: object, name: str, path: Path, text: str) -> tuple[str, ...]:
    if entries is None:
        return ()
    if not isinstance(entries, list):
        raise GovnewsError(path, f"section {name!r} must be a list of words")
    words = [str(word) for word in entries]
    duplicates = sorted({word for word in words if words.count(word) > 1})
    if duplicates:
        raise GovnewsError(
            path, f"section {name!r} lists {duplicates[0]!r} twice", line=_line_of(text, duplicates[0], 2)
        )
    if "" in words:
        raise GovnewsError(path, f"section {name!r} holds an empty word")
    return tuple(words)


# ---------------------------------------------------------------- numerals


def _arabic_value(token: str) -> float | None:
    digits = (token if token.isascii() else unicodedata.normalize("NFKC", token)).replace(",", "")
    if len(digits.split(".")[0]) > _MAX_INTEGER_DIGITS:
        return None
    return float(digits)


@lru_cache(maxsize=8192)
def _chinese_value(token: str) -> float | None:
    """Value of a Chinese numeral such as 两千, 一百二十, 百亿, 三点五, 壹万; None for vague or odd runs."""
    token = token.translate(_TO_PLAIN)
    if "点" in token:
        whole, decimals = token.split("点", 1)
        integer = 0.0 if whole in ("零", "〇") else _chinese_value(whole)
        if integer is None:
            return None
        return float(f"{int(integer)}.{''.join(str(_cn_digit(char)) for char in decimals)}")
    if token[0] in "〇零" or _ADJACENT_DIGITS.search(token):
        return None
    if not any(char in "十百千万亿" for char in token):
        return float(_cn_digit(token)) if len(token) == 1 else None
    text = "一" + token if token[0] in "百千万亿" else token
    import cn2an  # on first use: importing it reads its YAML config three times (half a second)

    try:
        value = float(cn2an.cn2an(text, "normal"))
    except (ValueError, KeyError, IndexError):
        return None
    return value


def _cn_digit(char: str) -> int:
    return _CN_DIGIT_VALUES[char]


def _chinese_year(token: str) -> int | None:
    """二〇二二 → 2022 (digit by digit, as years are written)."""
    if len(token) == 4 and all(char in _CN_DIGITS and char != "两" for char in token):
        return int("".join(str(_cn_digit(char)) for char in token))
    return None


def _number_value(token: str) -> float | None:
    if token[0] in _CN_NUMERAL:
        return _chinese_value(token)
    return _arabic_value(token)


# ---------------------------------------------------------------- extraction


@dataclass
class _Found:
    start: int
    end: int
    value: float
    unit: str
    qualifier: str
    category: str
    scale: float = 1.0
    unit_known: bool = True
    subject: str = ""
    ref_year: int | None = None
    subject_after: bool = False  # the subject is the noun after the figure
    verb_before: bool = False  # no noun stands right before the figure (共出动100人, 涉及3342户)
    object_after: str = ""  # the object of a verb right after the figure (每隔3米设置标砖立柱)


def extract_figures(text: str, *, units: UnitLexicon | None = None) -> pd.DataFrame:
    """The figures a free text states, as a ``figures`` table.

    Args:
        text: a sentence, paragraph or article.
        units: the lexicon to use; the default is ``data/lexicons/units.yml``.

    Returns:
        The ``figures`` table of :mod:`govnews.schema` with ``article_id`` and ``office`` empty,
        ``sentence_no`` missing and ``theme`` empty; one row per figure in text order, years as
        rows of category ``date``.
    """
    rows = _figure_rows(text, units or load_units())
    for row in rows:
        row.update(article_id="", sentence_no=None, office="", theme="")
    return schema.from_rows(rows, "figures")


def extract_figures_from_sentences(
    sentences: pd.DataFrame, *, units: UnitLexicon | None = None
) -> pd.DataFrame:
    """The figures of every sentence of a ``sentences`` table.

    Args:
        sentences: the ``sentences`` table (``article_id``, ``sentence_no``, ``text``, ``office`` …).
        units: the lexicon to use; the default is ``data/lexicons/units.yml``.

    Returns:
        The ``figures`` table, with ``article_id``, ``sentence_no`` and ``office`` taken from the
        sentence each figure was found in and ``theme`` left empty.

    Raises:
        GovnewsError: ``sentences`` lacks one of the columns named above.
    """
    missing = [c for c in ("article_id", "sentence_no", "text", "office") if c not in sentences.columns]
    if missing:
        raise GovnewsError(None, f"the sentences table lacks column(s) {', '.join(missing)}")
    lexicon = units or load_units()
    rows: list[dict] = []
    # Lists, not the columns: iterating an Arrow-backed column costs a Python call per value.
    article_ids, sentence_nos, offices = (
        sentences[name].tolist() for name in ("article_id", "sentence_no", "office")
    )
    texts = sentences["text"].astype("string").fillna("").tolist()
    for article_id, sentence_no, text, office in zip(article_ids, sentence_nos, texts, offices, strict=True):
        for row in _figure_rows(text, lexicon):
            row.update(article_id=article_id, sentence_no=sentence_no, office=office, theme="")
            rows.append(row)
    return schema.from_rows(rows, "figures")


def _figure_rows(text: str, lexicon: UnitLexicon) -> list[dict]:
    if not _ANY_NUMERAL.search(text):
        return []  # every figure, fractions too, holds a digit or a Chinese numeral
    grammar = lexicon._grammar
    blocked = _blocked_mask(text, grammar)
    found = _find_fractions(text, grammar, blocked)
    for fraction in found:
        blocked[fraction.start : fraction.end] = b"\x01" * (fraction.end - fraction.start)
    taken_until = 0
    listed: list[tuple[re.Match[str], float]] = []  # 5.2、6.8个百分点: numbers waiting for a shared unit
    for match in _NUMBER_TOKEN.finditer(text):
        if match.start() < taken_until or blocked[match.start()]:
            continue
        if listed and match.start() != listed[-1][0].end() + 1:
            listed = []
        member = _list_member(text, match, grammar) if text.startswith("、", match.end()) else None
        if member is not None:
            listed.append((match, member))
            continue
        figure = _read_number(text, match, grammar)
        if figure is not None:
            _apply_prefixes(text, figure, grammar)
            if listed and figure.category != "date":
                found += [_shared_unit(m, value, figure) for m, value in listed]
            found.append(figure)
            taken_until = figure.end
        listed = []
    found.sort(key=lambda f: f.start)
    if "+" in text or "＋" in text:
        found = _without_formula_parts(text, found)
    _attach_subjects(text, found, grammar)
    _attach_years(text, found)
    return [
        {
            "span": text[f.start : f.end],
            "value": f.value,
            "unit": f.unit,
            "qualifier": f.qualifier,
            "subject": f.subject,
            "category": f.category,
            "ref_year": f.ref_year,
        }
        for f in found
        if math.isfinite(f.value)
    ]


def _without_formula_parts(text: str, found: list[_Found]) -> list[_Found]:
    """Drop counts in Chinese numerals that spell out a numbered formula of the sentence.

    “1+6+N”模式 explained as 一个中心统筹、六个机构协同 states no count of six: the 六 names the
    formula's second part.
    """
    parts = {
        value
        for formula in _FORMULA.finditer(unicodedata.normalize("NFKC", text))
        for value in (_arabic_value(part) for part in re.findall(r"[0-9]+", formula.group()))
        if value is not None
    }
    if not parts:
        return found
    return [
        f
        for f in found
        if not (f.value in parts and f.category in ("count", "people") and _ANY_CN.match(text, f.start))
    ]


def _blocked_mask(text: str, grammar: _Grammar) -> bytearray:
    """1 for characters inside quoted slogans, book titles and idioms."""
    mask = bytearray(len(text))
    spans: list[re.Match[str]] = []
    # Each scan only where its first character stands: most sentences hold none of them.
    if _QUOTE_OPENING.search(text):
        spans += [
            m for m in _QUOTED.finditer(text) if not _SENTENCE_PUNCT.search(text, m.start() + 1, m.end() - 1)
        ]
    if "《" in text or "〈" in text:
        spans += _BOOK_TITLE.finditer(text)
    idiom = grammar.idioms.search(text) if grammar.idioms is not None else None
    if idiom is not None:
        spans += [idiom, *grammar.idioms.finditer(text, idiom.end())]
    for match in spans:
        mask[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
    return mask


def _find_fractions(text: str, grammar: _Grammar, blocked: bytearray) -> list[_Found]:
    """百分之五 (→ 5 %), 三分之二 (→ 0.667), 千分之三 (→ 3 ‰)."""
    found: list[_Found] = []
    if "分之" not in text:  # the fraction pattern would be tried at every character
        return found
    for match in _FRACTION.finditer(text):
        start = match.start()
        ordinal_words = grammar.not_before_ending.get(text[start - 1 : start], ())
        if blocked[start] or text.endswith(ordinal_words, 0, start):
            continue
        numerator = _number_value(match["num"])
        if numerator is None:
            continue
        den = match["den"]
        if den == "百":
            value, unit, category = numerator, "%", "percent"
        elif den == "千":
            value, unit, category = numerator, "‰", "ratio"
        else:
            denominator = _number_value(den)
            if not denominator:
                continue
            value, unit, category = numerator / denominator, "", "ratio"
        start, qualifier = _qualifier_before(text, match.start(), grammar)
        end, after = _qualifier_after(text, match.end(), grammar, is_duration=False)
        found.append(_Found(start, end, value, unit, qualifier or after, category))
    return found


def _is_excluded_number(text: str, match: re.Match[str], grammar: _Grammar) -> bool:
    """Ordinals, non-round numerals in vague phrases and numbers glued to letters or symbols."""
    token, start, end = match.group(), match.start(), match.end()
    before = start - 1 if text[start - 1 : start] in _SPACES else start
    if text.endswith(grammar.not_before_ending.get(text[before - 1 : before], ()), 0, before):
        return True
    if match["chinese"] is not None:
        # 三五天, 三几个: only round numbers take part in vague phrases (十几个, 数十家)
        if text.startswith(grammar.vague_after_words, end) and token[-1] not in _ROUND_CHARS:
            return True
        return not _ROUND_CHARS.issuperset(token) and _vague_word_before(text, start, grammar) is not None
    return text[start - 1 : start] in _GLUED_BEFORE


def _skip_space_back(text: str, start: int) -> int:
    return start - 1 if text[start - 1 : start] in _SPACES else start


def _vague_word_before(text: str, start: int, grammar: _Grammar) -> str | None:
    """The vague word (上, 数, 几) right before ``start``, unless it ends another word (总数, 以上)."""
    if not text.endswith(grammar.vague_before_words, 0, start):
        return None
    if text.endswith(grammar.vague_false_friends, 0, start):
        return None
    return next(word for word in grammar.vague_before_words if text.endswith(word, 0, start))


def _list_member(text: str, match: re.Match[str], grammar: _Grammar) -> float | None:
    """Value of a bare number that heads a 、-list sharing the last member's unit (5.2、6.8个百分点)."""
    if not text.startswith("、", match.end()) or _is_excluded_number(text, match, grammar):
        return None
    if match.group() == "一":  # 一、二、三 number the sections of a text
        return None
    following = text[match.end() + 1 : match.end() + 2]
    if not following or not (following.isdigit() or following in _CN_NUMERAL):
        return None
    if (match["chinese"] is not None) != (following in _CN_NUMERAL):
        return None
    return _number_value(match.group())


def _shared_unit(match: re.Match[str], value: float, last: _Found) -> _Found:
    scaled = float(Decimal(repr(value)) * Decimal(repr(last.scale)))
    return _Found(
        match.start(), match.end(), scaled, last.unit, "", last.category, last.scale, last.unit_known
    )


def _read_number(text: str, match: re.Match[str], grammar: _Grammar) -> _Found | None:
    """The figure that starts with the number ``match``, or None when it is no quantity."""
    token, start, end = match.group(), match.start(), match.end()
    is_chinese = match["chinese"] is not None
    if _is_excluded_number(text, match, grammar):
        return None
    vague, vague_start = "", start
    if is_chinese:
        if len(token) == 1 and token in _FINANCIAL:
            return None
        year = _chinese_year(token) if text.startswith("年", end) else None
        if year is not None:
            return _date(start, end + 1, year)
        vague, vague_start, end = _vague_reading(text, token, start, end, grammar)
        if token[-1] in "千百" and len(token) > 1 and _number_value(token) is None:
            token, end = token[:-1], end - 1  # 一百千瓦: the 千 belongs to the unit
    elif text.startswith("/", end):
        return _read_slash_fraction(text, match, grammar)
    tail = grammar.tail.match(text, end)
    # Most numbers are no quantity; say so before the costlier tests below, which would all
    # come to the same: no unit and no magnitude (一起, 统一), a unit that needs 个 (7月) or
    # Arabic digits (三方), the article 一 (一名领导).
    if tail["unit"] is None:
        if not (tail["mag"] or tail["mag0"] or token[-1] in "万亿"):
            return None
    elif tail["unit"] != "年":  # 2013年 is a date before it is a duration
        unit = grammar.by_unit[tail["unit"]]
        if (unit.classifier == "required" and tail["ge"] is None) or (unit.arabic_only and is_chinese):
            return None
        if (
            token == "一"
            and unit.category not in _MEASURED_BY_ONE
            and tail["mid"] != "半"  # 一个半月 is a month and a half
            and not _qualifier_before(text, vague_start, grammar)[1]
        ):
            return None
    value = _number_value(token)
    if value is None or (tail["num2"] is not None and _number_value(tail["num2"]) is None):
        return None
    slogan_tail = grammar.after_unit.search(text, max(0, start - _UNIT_LOOKBACK), start)
    # 2345户8028人 states two figures; 两个一百年 and 五位一体 are slogans
    if slogan_tail and (is_chinese or not slogan_tail.group()[0].isdigit()):
        return None
    glued = text[end : end + 1] in _GLUED_AFTER
    if not is_chinese and glued and not (tail["unit"] and tail["unit"][0].isascii()):
        return None
    magnitude = tail["mag"] or tail["mag0"]
    unit_word = tail["unit"]
    if unit_word == "年" and not is_chinese and not magnitude and len(token) == 4 and 1000 <= value <= 2100:
        return _date(start, tail.end(), int(value))
    scale = _scale(magnitude, grammar) if magnitude else _range_scale(token, tail["num2"], is_chinese)
    if scale != 1.0:
        value = float(Decimal(repr(value)) * Decimal(repr(scale)))
    middle = tail["mid"] if tail["mid"] != "半" else None
    approximator = _approximator(grammar, tail["q1"] or tail["q2"] or middle)
    pre_start, pre_qualifier = _qualifier_before(text, vague_start, grammar)
    plain = token.translate(_TO_PLAIN) if is_chinese else token
    bare = is_chinese and not plain.startswith("十") and _CN_DIGIT_SET.isdisjoint(plain)
    if bare and not (pre_qualifier or approximator or vague):
        return None
    if unit_word is None:
        qualifier = pre_qualifier or approximator or vague
        return _read_bare_magnitude(text, tail, token, value, scale, qualifier, pre_start)
    unit = grammar.by_unit[unit_word]
    if (unit.classifier == "required" and tail["ge"] is None) or (unit.arabic_only and is_chinese):
        return None
    # 一 is an article (一个中心, 一名领导) unless it measures something (近一吨, 一美元)
    if token == "一" and not (pre_qualifier or unit.category in _MEASURED_BY_ONE or tail["mid"] == "半"):
        return None
    if unit.after_words and not _after_unit_words(text, pre_start, unit.after_words):
        return None
    if not _is_quantity_context(text, tail.end(), tail.start("unit"), unit, is_chinese, grammar):
        return None
    if _is_address(text, start, tail.end(), unit, grammar) or (
        is_chinese and unit.unit in grammar.team_units and _follows_place(text, start, grammar)
    ):
        return None
    is_duration = unit.category == "duration"
    if is_duration and pre_qualifier == "近" and _is_reference_period(text, pre_start, tail.end()):
        return None
    if tail["mid"] == "半":
        value += 0.5
    unit_end, output, category = tail.end(), unit.output or unit.unit, unit.category
    if text.startswith("半", unit_end) and scale == 1.0 and _ends_half(text, unit_end + 1, grammar):
        value, unit_end = value + 0.5, unit_end + 1  # 两吨半, 三成半
    if unit.unit in grammar.coin_bases:
        coins = grammar.coins.match(text, unit_end)
        if coins is not None:  # 五元三毛, 一百三十五块六角七分钱
            value += _coin_value(coins, grammar)
            unit_end, output, category = coins.end(), grammar.coin_bases[unit.unit], "money"
            unit_end += text.startswith("钱", unit_end)
    if unit.factor != 1.0:
        value = float(Decimal(repr(value)) * Decimal(repr(unit.factor)))
    unit_end, after = _qualifier_after(text, unit_end, grammar, is_duration=is_duration)
    qualifier = pre_qualifier or approximator or vague or after
    return _Found(pre_start, unit_end, value, output, qualifier, category, scale)


def _vague_reading(text: str, token: str, start: int, end: int, grammar: _Grammar) -> tuple[str, int, int]:
    """(qualifier, start, end) of a round number in a vague phrase: 上百, 数十, 几万, 十几, 二十几."""
    qualifier = ""
    if _ROUND_CHARS.issuperset(token):
        word = _vague_word_before(text, start, grammar)
        if word is not None:
            qualifier, start = grammar.vague_before[word], start - len(word)
    if token[-1] in _ROUND_CHARS:
        after = next((word for word in grammar.vague_after_words if text.startswith(word, end)), None)
        if after is not None:
            qualifier, end = qualifier or grammar.vague_after[after], end + len(after)
    return qualifier, start, end


def _scale(magnitude: str, grammar: _Grammar) -> float:
    """千万亿 → 1e15: the product of the magnitude words, longest first."""
    scale, rest = 1.0, magnitude
    while rest:
        word = next(w for w in grammar.magnitude_words if rest.startswith(w))
        scale, rest = scale * grammar.magnitudes[word], rest[len(word) :]
    return scale


def _range_scale(token: str, high: str | None, is_chinese: bool) -> float:
    """两到三万: the low end of a Chinese range takes the magnitude that ends the high end."""
    if not is_chinese or not high or token[-1] in "万亿":
        return 1.0
    scale = 1.0
    for char in reversed(high):
        if char not in "万亿":
            break
        scale *= 1e4 if char == "万" else 1e8
    return scale


def _ends_half(text: str, after: int, grammar: _Grammar) -> bool:
    """半 after a unit is a half (两吨半) unless it begins a word (3米半径)."""
    following = text[after : after + 1]
    return (
        not following
        or not _SUBJECT_CHAR.match(following)
        or following in "的了多"
        or (text.startswith(grammar.after_words, after))
    )


def _coin_value(coins: re.Match[str], grammar: _Grammar) -> float:
    value = 0.0
    for digit, coin in ((coins["d1"], coins["c1"]), (coins["d2"], coins["c2"])):
        if digit is not None:
            amount = _arabic_value(digit) if digit.isdigit() else float(_cn_digit(digit))
            value += (amount or 0.0) * grammar.coin_values[coin]
    return round(value, 2)


def _is_address(text: str, start: int, end: int, unit: Unit, grammar: _Grammar) -> bool:
    """176号5幢 and 3栋2单元: building numbers, not counts."""
    if unit.unit not in grammar.address_words:
        return False
    return bool(grammar.address_before.search(text, max(0, start - 4), start)) or bool(
        grammar.address_after.match(text, end)
    )


def _follows_place(text: str, start: int, grammar: _Grammar) -> bool:
    """黄龙社区三组, 在黄龙三组 (黄龙社区 elsewhere in the sentence): a village team's name."""
    if text.endswith(grammar.place_suffixes, 0, start):
        return True
    name = text[max(0, start - 2) : start]
    return (
        len(name) == 2
        and all(_SUBJECT_CHAR.match(c) for c in name)
        and any(name + suffix in text for suffix in grammar.place_suffixes)
    )


def _apply_prefixes(text: str, figure: _Found, grammar: _Grammar) -> None:
    """A currency named before the number (港币两千九百六十元) and a sign (负2.5%, 零下5摄氏度)."""
    start = _skip_space_back(text, figure.start)
    if text.endswith(grammar.currency_words, 0, start) and (
        figure.unit in ("元", "") and figure.category in ("money", "other")
    ):
        word = next(w for w in grammar.currency_words if text.endswith(w, 0, start))
        figure.unit, figure.category, figure.unit_known = grammar.currency_before[word], "money", True
    start = figure.start
    sign = None
    if text.endswith(grammar.negative_before, 0, start):
        sign = next(word for word in grammar.negative_before if text.endswith(word, 0, start))
    if sign is None and start and text[start - 1] in _MINUS_SIGNS:
        before = text[start - 2 : start - 1] if start >= 2 else ""
        # 1-5月, 3~-2 and 20%-30% are ranges: a sign stands at the start or after a word
        joined = before.isdigit() or before in _GLUED_BEFORE or before in _MINUS_SIGNS + "~～%％‰"
        sign = None if before and joined else "-"
    if sign is not None and figure.value > 0:
        figure.value, figure.start = -figure.value, start - len(sign)


def _is_reference_period(text: str, start: int, end: int) -> bool:
    """近3年来 / ，近三年… name the recent past, not a span that lasted nearly three years."""
    opens_clause = start == 0 or not _SUBJECT_CHAR.match(text[start - 1]) or text[start - 1] in "在的这"
    return opens_clause or text.startswith(_PERIOD_AFTER, end)


def _approximator(grammar: _Grammar, word: str | None) -> str:
    return grammar.approximators.get(word, "") if word else ""


def _date(start: int, end: int, year: int) -> _Found:
    return _Found(start, end, float(year), "年", "", "date", ref_year=year)


def _read_slash_fraction(text: str, match: re.Match[str], grammar: _Grammar) -> _Found | None:
    """1/3 → 0.333 (unit "", category ratio); dates such as 2020/7/1 are skipped."""
    denominator = re.match(rf"/([{_DIGIT}]{{1,6}})(?![{_DIGIT}/.．])", text[match.end() : match.end() + 8])
    if denominator is None or text[match.start() - 1 : match.start()] == "/":
        return None
    numerator, den = _arabic_value(match.group()), _arabic_value(denominator[1])
    if numerator is None or not den or numerator >= den:
        return None
    start, qualifier = _qualifier_before(text, match.start(), grammar)
    end, after = _qualifier_after(text, match.end() + denominator.end(), grammar, is_duration=False)
    return _Found(start, end, numerator / den, "", qualifier or after, "ratio")


def _read_bare_magnitude(
    text: str, tail: re.Match[str], token: str, value: float, scale: float, qualifier: str, start: int
) -> _Found | None:
    """80亿 with no unit: money or a plain number, decided once the subject is known."""
    has_magnitude = tail["mag"] or tail["mag0"] or token[-1] in "万亿"
    if not has_magnitude or text.startswith(_LEVEL_WORDS + _RANK_WORDS, tail.end()):
        return None
    end = tail.end()
    while text[end - 1] in " \u3000\u00a0":
        end -= 1  # the space the tail allowed before a unit that did not come
    return _Found(start, end, value, "", qualifier, "other", scale, unit_known=False)


def _is_quantity_context(
    text: str, tail_end: int, unit_start: int, unit: Unit, is_chinese: bool, grammar: _Grammar
) -> bool:
    """False where the words after the unit make the number a name, level or slogan."""
    if text.startswith(grammar.blocked_after_starting.get(text[unit_start : unit_start + 1], ()), unit_start):
        return False
    following = text[tail_end : tail_end + 1]
    if unit.unit.isascii() and following.isascii() and following.isalnum():
        return False
    if unit.unit in grammar.coin_bases and grammar.coins.match(text, tail_end):
        return True  # 五元三毛
    if following and (following in _CN_NUMERAL or following.isdigit()):
        # 1个一级网格, 5个一类社区 count grades; 四个一, 五位一体, 1对1 are slogans or formulas;
        # 2345户8028人 states two figures back to back
        numeral = re.match(rf"[{_CN_NUMERAL}{_DIGIT}]+", text[tail_end : tail_end + 12])
        if not (numeral and text.startswith(_LEVEL_WORDS, tail_end + numeral.end())) and not (
            not is_chinese and following.isdigit() and _has_unit(text, tail_end + numeral.end(), grammar)
        ):
            return False
    if is_chinese and text.startswith(grammar.kind_words_starting.get(following, ()), tail_end):
        return False
    slogan_words = grammar.slogan_words_starting.get(following, ())
    if is_chinese and text.startswith(slogan_words, tail_end):
        for word in slogan_words:
            if text.startswith(word, tail_end):
                after = text[tail_end + len(word) : tail_end + len(word) + 1]
                if not after or not _SUBJECT_CHAR.match(after) or after in _QUOTE_CHARS:
                    return False
    if unit.category == "duration":
        window = "".join(_take_run(text, tail_end, tail_end + _CONCEPT_WINDOW))
        if any(suffix in window for suffix in grammar.concept_words):
            return False
    return True


def _has_unit(text: str, at: int, grammar: _Grammar) -> bool:
    """A unit follows ``at`` (after a qualifier or magnitude: 500余人)."""
    return grammar.tail.match(text, at)["unit"] is not None


def _take_run(text: str, start: int, stop: int) -> list[str]:
    run: list[str] = []
    for char in text[start:stop]:
        if not _SUBJECT_CHAR.match(char):
            break
        run.append(char)
    return run


def _qualifier_before(text: str, start: int, grammar: _Grammar) -> tuple[int, str]:
    """(start of the qualifier word, qualifier) for a number at ``start``."""
    last = text[start - 1 : start]
    words = grammar.before_words_ending.get(last, ())
    false_friends = grammar.false_friends_ending.get(last, ())
    if not text.endswith(words, 0, start) or text.endswith(false_friends, 0, start):
        return start, ""
    for word in words:
        if text.endswith(word, 0, start):
            return start - len(word), grammar.qualifiers_before[word]
    return start, ""


def _qualifier_after(text: str, end: int, grammar: _Grammar, *, is_duration: bool) -> tuple[int, str]:
    """(end of the qualifier word, qualifier) right after a unit (95%以上, 1年多)."""
    if not text.startswith(grammar.after_words, end) and not is_duration:
        return end, ""
    for word in grammar.after_words:
        if text.startswith(word, end):
            return end + len(word), grammar.qualifiers_after[word]
    if is_duration:
        for word in grammar.approximator_words:
            if text.startswith(word, end):
                return end + len(word), grammar.approximators[word]
    return end, ""


# ---------------------------------------------------------------- subjects and years


def _attach_subjects(text: str, found: list[_Found], grammar: _Grammar) -> None:
    for index, figure in enumerate(found):
        if figure.category == "date":
            continue
        left = found[index - 1].end if index else 0
        right = found[index + 1].start if index + 1 < len(found) else len(text)
        before = _run_before(text, figure.start, max(left, figure.start - _SUBJECT_WINDOW))
        after, complete = _run_after(text, figure.end, min(right, figure.end + _SUBJECT_WINDOW))
        figure.verb_before = not before or before.endswith(grammar.edge_words_ending.get(before[-1], ()))
        purpose = _first_prefix(after, grammar.purpose_words)
        subject = _subject_after(after[len(purpose) :], complete, figure, grammar)
        if not subject and figure.category == "people" and (not after or complete):
            # 本次行动共出动100余人: the people who did it (a clause that opens with the verb,
            # 此次活动，共投入70人, counts the people of the topic before it)
            verb = _first_suffix(before, grammar.people_verbs)
            topic = _strip_edges(before[: len(before) - len(verb)], grammar) if verb else ""
            has_topic = len(topic) >= 2 and not grammar.only_edge_words.fullmatch(topic)
            subject = f"{verb}人员" if has_topic else ""
        if not subject and not purpose:
            # 每隔3米设置标砖立柱: the object of the verb after the figure
            verb = _first_prefix(after, grammar.boundaries_starting.get(after[:1], ()))
            figure.object_after = (
                _subject_after(after[len(verb) :], complete, figure, grammar) if verb else ""
            )
        figure.subject_after = bool(subject)
        figure.subject = subject or _subject_before(before, grammar)
        if not figure.unit_known:
            context = before + after
            implied = next(
                (u for u, words in grammar.implied_units.items() if any(w in context for w in words)), None
            )
            if implied is not None:
                figure.unit, figure.category = implied, grammar.by_unit[implied].category
    _split_shared_phrases(text, found)
    _share_subjects(text, found, grammar)
    _share_changes(text, found, grammar)


def _share_changes(text: str, found: list[_Found], grammar: _Grammar) -> None:
    """解决率从年初的83%提升至95.6%: both ends of a change count what stands before 由 or 从."""
    quantities = [f for f in found if f.category != "date"]
    for first, second in itertools.pairwise(quantities):
        if first.unit != second.unit or not _CHANGE_TO.fullmatch(text, first.end, second.start):
            continue
        opening = max((m.end() for m in _TOPIC_START.finditer(text, 0, first.start)), default=0)
        marker = max(text.rfind("由", opening, first.start), text.rfind("从", opening, first.start))
        if marker <= opening:
            continue
        subject = _subject_before(_run_before(text, marker, opening), grammar)
        if len(subject) >= 2:
            first.subject = second.subject = subject


def _split_shared_phrases(text: str, found: list[_Found]) -> None:
    """辖区58条道路总长度为53570米: the first word counts 58条, the whole phrase measures 53570米."""
    for first, second in itertools.pairwise(found):
        if (
            first.subject_after
            and not second.subject_after
            and first.subject == second.subject
            and first.subject in text[first.end : second.start]
        ):
            import rjieba  # loaded for segmentation already

            words = rjieba.cut(first.subject)
            if len(words) > 1:
                head = words[0] if len(words[0]) >= 2 else words[0] + words[1]
                first.subject = head if len(head) < len(first.subject) else first.subject


def _after_unit_words(text: str, start: int, words: tuple[str, ...]) -> bool:
    """One of ``words`` ends right before ``start``, a total word (共, 累计 …) or 了 allowed between."""
    before = text[max(0, start - _SUBJECT_WINDOW) : start]
    before = before.removesuffix(_first_suffix(before, TOTAL_WORDS)).removesuffix("了")
    return before.endswith(words)


def _first_prefix(text: str, words: tuple[str, ...]) -> str:
    """The first of ``words`` (longest first) that ``text`` starts with, or ''."""
    if not text.startswith(words):  # one C-level test for the common case
        return ""
    return next(word for word in words if text.startswith(word))


def _first_suffix(text: str, words: tuple[str, ...]) -> str:
    if not text.endswith(words):
        return ""
    return next(word for word in words if text.endswith(word))


def _share_subjects(text: str, found: list[_Found], grammar: _Grammar) -> None:
    """Subjects that neighbouring figures share, and what a figure without a noun counts.

    ``居民2923户、10642人`` and ``2345户8028人``: the second figure counts the same residents;
    ``5000余名、1398户居民`` and ``此前排查出的34处、1662平方米存量违建``: the noun after the
    second figure is the first one's too, where no noun stands right before the first.
    """
    quantities = [f for f in found if f.category != "date"]
    for index, figure in enumerate(quantities):
        following = quantities[index + 1] if index + 1 < len(quantities) else None
        if (
            following is not None
            and not figure.subject_after
            and (figure.verb_before or not figure.subject)
            and following.subject_after
            and text[figure.end : following.start] in ("", "、")
        ):
            figure.subject = following.subject
        if figure.subject:
            continue
        previous = quantities[index - 1] if index else None
        if (
            previous is not None
            and text[previous.end : figure.start] in ("", "、")
            and previous.subject
            and not previous.subject_after
        ):
            figure.subject = previous.subject  # the noun before a chain counts for all of it
        elif figure.category == "duration":
            figure.subject = text[figure.start : figure.end]  # 两个月，…: the span of time itself
        elif previous is not None and figure.verb_before and _in_next_clause(text, previous, figure):
            figure.subject = previous.subject  # 老旧小区共有22个，涉及3342户
        else:
            figure.subject = figure.object_after or _topic_before(text, figure, grammar)


def _topic_before(text: str, figure: _Found, grammar: _Grammar) -> str:
    """此次全城清洁活动，共投入70多人: a short noun-phrase clause that a verb-only clause comments on."""
    if not figure.verb_before:
        return ""
    head = text[max(0, figure.start - 2 * _SUBJECT_WINDOW) : figure.start]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    if not breaks or _SUBJECT_CHAR.match(head[breaks[-1].end() :].rstrip() or "x") is None:
        return ""
    own = head[breaks[-1].end() :]
    if not grammar.only_edge_words.fullmatch(own or "的"):
        return ""  # the figure's own clause names something: no topic needed
    if own in TOTAL_WORDS:
        # a total alone counts the object that ends the clause before: 选聘了“供暖监督员”，共56名
        clause = head[: breaks[-1].start()]
        opening = max((m.end() for m in _CLAUSE_END.finditer(clause)), default=0)
        return _subject_before(_run_before(clause, len(clause), opening), grammar)
    opening = max((m.end() for m in _TOPIC_START.finditer(head, 0, breaks[-1].start())), default=0)
    topic = head[opening : breaks[-1].start()]
    if not topic or len(topic) > _MAX_SUBJECT_CHARS or not all(_SUBJECT_CHAR.match(c) for c in topic):
        return ""
    if grammar.boundary_pattern.search(topic):
        return ""  # a clause with a verb is no topic
    return topic


def _in_next_clause(text: str, previous: _Found, figure: _Found) -> bool:
    """The figure stands in the clause right after the one that ends with ``previous``."""
    between = text[previous.end : figure.start]
    return (
        len(between) <= _SUBJECT_WINDOW
        and len(_CLAUSE_BREAK.findall(between)) == 1
        and not (_SENTENCE_END.search(between))
    )


def _run_before(text: str, end: int, limit: int) -> str:
    ending = _SUBJECT_RUN_BEFORE.search(text, limit, end)
    start = ending.start() if ending is not None else end
    run = text[start:end]
    if not run and end > 0 and text[end - 1] in _CLOSING_BRACKETS:
        # 研发中心(实验室)65家: the noun stands before the bracket
        opening = max(text.rfind("(", limit, end), text.rfind("（", limit, end))
        if opening > 0 and end - opening <= _MAX_BRACKET + 2:
            return _run_before(text, opening, limit)
    if run[:1] in ("年", "月", "日", "号") and text[start - 1 : start].isdigit():
        run = run[1:]
    return run


def _run_after(text: str, start: int, limit: int) -> tuple[str, bool]:
    """The run of word characters after a figure (short brackets kept: 镇(街道)), and whether
    it ends at punctuation or the end of the text rather than at the window or the next figure."""
    run: list[str] = []
    index = start
    while index < limit:
        words = _SUBJECT_RUN.match(text, index, limit)
        if words is not None:
            run.append(words.group())
            index = words.end()
            continue
        if text[index] in _OPENING_BRACKETS and run:
            close = _BRACKET_CLOSE.match(text, index)
            if close is not None and close.end() <= limit:
                run.append(close.group())
                index = close.end()
                continue
        if (
            text[index] == "、"
            and len(run) == 1
            and len(run[0]) <= _MAX_COORDINATED
            and index + 1 < limit
            and _SUBJECT_CHAR.match(text, index + 1)
            and not _ANY_NUMERAL.match(text, index + 1)
        ):
            # 320名独居、空巢老人: modifiers joined by 、 before one head noun
            run.append("、")
            index += 1
            continue
        return "".join(run), True
    return "".join(run), index >= len(text)


def _subject_after(run: str, complete: bool, figure: _Found, grammar: _Grammar) -> str:
    run = run.removeprefix("的")
    if not run:
        return ""
    opener = run.startswith(grammar.edge_words_starting.get(run[0], ()))
    if opener and not _opens_noun(run, grammar):
        return ""
    quote = run.find("“", 1)
    run = run[:quote] if quote > 0 else run
    cut = _first_boundary(run, grammar)
    phrase = run[:cut]
    if figure.category == "people" and run.startswith("的", cut):
        # 500名来自不同岗位的志愿者: what is counted is the head after the relative clause
        head = run[cut + 1 :]
        head_cut = _first_boundary(head, grammar)
        if head_cut >= 2:
            phrase = head[:head_cut]
    phrase = _strip_edges(phrase, grammar, keep_start=opener)
    close = phrase.find("”")
    if phrase.startswith("“") and phrase[close + 1 : close + 2] == "之":
        return ""  # 36平方公里“裂变”之路: a headline's metaphor, not what is measured
    if len(phrase) > _MAX_SUBJECT_CHARS and phrase.startswith("“") and len(phrase) - close > 2:
        phrase = phrase[close + 1 :]  # “五星”支部创建专题学习交流会: the quoted name is a modifier
    subject = _tidy_subject(phrase[:_MAX_SUBJECT_CHARS])
    if len(subject) == 1:
        # 105个村1944户, 116栋楼的楼梯间: a one-character noun right before a break
        # …or before a verb of two characters or more (在11个村设立服务点)
        boundary = grammar.boundary_pattern.match(run, cut)
        alone = cut == len(run) or run.startswith("的", cut) or len(boundary.group()) >= 2
        return subject if alone and subject not in grammar.edge_word_set else ""
    return subject


def _first_boundary(run: str, grammar: _Grammar) -> int:
    """Where the first boundary word after the first character starts (len(run) if none does)."""
    boundary = grammar.boundary_pattern.search(run, 1)
    return boundary.start() if boundary is not None else len(run)


def _opens_noun(run: str, grammar: _Grammar) -> bool:
    """共建关系, 总部企业, 在职党员, 和谐家庭: a word that starts with a function character."""
    import rjieba  # on first use; the build has it loaded for segmentation already

    first = rjieba.cut(run[:_OPENER_WINDOW])[0]
    return len(first) >= 2 and first not in grammar.edge_word_set


def _subject_before(run: str, grammar: _Grammar) -> str:
    run = _strip_edges(run, grammar)
    # 活动每月至少开展8次: frequency and qualifier words end the run, not the noun
    while run.endswith(grammar.before_words) or "每" in run[-3:]:
        trimmed = _FREQUENCY_END.sub("", run)
        if not trimmed:
            return ""  # 每隔3米: no noun before the figure
        trimmed = _strip_edges(trimmed.removesuffix(_longest_suffix(trimmed, grammar.before_words)), grammar)
        if trimmed == run or len(trimmed) < 2:
            break
        run = trimmed
    cut, index = 0, 0
    # the boundary word that starts at each index (search finds the next index that has one)
    while (boundary := grammar.boundary_pattern.search(run, index)) is not None:
        if boundary.end() < len(run) - 1:
            cut = max(cut, boundary.end())
        index = boundary.start() + 1
    subject = _tidy_subject(_strip_edges(run[cut:], grammar)[-_MAX_SUBJECT_CHARS:])
    return "" if grammar.only_edge_words.fullmatch(subject) else subject


def _longest_suffix(run: str, words: tuple[str, ...]) -> str:
    if not run.endswith(words):
        return ""
    return next((word for word in words if run.endswith(word) and len(run) > len(word)), "")


def _strip_edges(run: str, grammar: _Grammar, *, keep_start: bool = False) -> str:
    """Drop edge words from the end and boundary words from the start, keeping two characters.

    Single-character edge words (在, 为, 就) also begin nouns (在职, 为民, 就业), so only the
    boundary words are dropped from the start, and none where the run opens with such a noun
    (``keep_start``: 和睦家庭).
    """
    sides = (
        ((grammar.edge_words_by_length, True),)
        if keep_start
        else (
            (grammar.edge_words_by_length, True),
            (grammar.boundaries_by_length, False),
        )
    )
    for groups, at_end in sides:
        # most runs hold no such word at that edge: test the few words that could be there
        if at_end:
            if not run.endswith(grammar.edge_words_ending.get(run[-1:], ())):
                continue
        elif not run.startswith(grammar.boundaries_starting.get(run[:1], ())):
            continue
        while True:
            # The longest word that leaves two characters: one set look-up per word length.
            for length, words in groups:
                if len(run) > length + 1 and (run[-length:] if at_end else run[:length]) in words:
                    run = run[:-length] if at_end else run[length:]
                    break
            else:
                break
    return run


def _tidy_subject(subject: str) -> str:
    subject = subject.rstrip("、")
    subject = subject.strip(_QUOTE_CHARS) if subject.count("“") != subject.count("”") else subject
    subject = subject.strip('"') if subject.count('"') % 2 else subject
    return subject.strip("‘’") if subject.count("‘") != subject.count("’") else subject


def _attach_years(text: str, found: list[_Found]) -> None:
    """ref_year: the last year stated before the figure in the same sentence."""
    if all(figure.category != "date" for figure in found):
        return
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    year, year_sentence = None, -1
    for figure in found:
        sentence = bisect.bisect_right(ends, figure.start)
        if figure.category == "date":
            year, year_sentence = figure.ref_year, sentence
        elif sentence == year_sentence:
            figure.ref_year = year
