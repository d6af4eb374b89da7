"""Sentences → figures: the quantities a text states, with unit, qualifier and subject.

A figure is a number (Arabic digits, Chinese numerals, ``百分之五``, ``三分之二``, ``1/3``)
followed by a measure word or unit from the editable lexicon ``data/lexicons/units.yml``
(``18个二级网格``, ``近500平方米``, ``1.4万名``, ``95%以上``). Magnitudes are expanded
(``近百亿元`` → 1e10 元), money is kept in the printed currency (元), and the qualifier is one of
:data:`QUALIFIERS`. A number without a unit is kept only when it carries a magnitude
(``工业总产值80亿`` → 8e9, money when a money word is near, else unit ``""``).

Rules that keep names, ordinals and slogans out (all general, none fitted to a text):

* numbers inside a quoted slogan or name (quotation marks around text without sentence
  punctuation: ``“五个之城”``, ``“211”``) and inside book titles ``《…》``;
* ordinals and fixed expressions: a number after a ``not_before`` word (``第四届``, ``最后100米``,
  ``连续3年``); a number directly followed by a numeral (``四个一``, ``五位一体``, ``1对1``);
* a Chinese numeral + unit followed at once by a programme word (``三项工程``, ``五个之城``) or
  by a slogan verb and punctuation (``两个维护、``);
* numbers glued to Latin letters, ``+`` or ``/`` (``5G``, ``M0``, ``1+9``, ``3+X``), route and line
  numbers, levels and ranks (``3号线``, ``168路``, ``三级``, ``20强``: their words are no units);
* the Chinese numeral 一 on its own (``一个中心``, ``一名领导``: an article, not a count — write ``1个``
  to count one), bare 百/千/万/亿 without a qualifier (``万人助万企``, ``千亿级``) and vague
  numbers (``数十家``, ``上万人``, ``十几个``, ``三五天``), which are skipped;
* time spans that name a planning concept (``15分钟便民圈``) or a reference period
  (``近3年来``).

Dates: a four-digit year before 年 becomes a row of category ``date`` (unit 年) and sets the
``ref_year`` of the figures after it in the same sentence; calendar months and days
(``7月18日``, ``9月份``) are recognised and left out. A range (``3至5个``) reports its low end
in ``value`` and keeps the whole range in ``span``. Numbers listed with 、 share the unit and
magnitude of the last one (``提升5.2、6.8个百分点`` gives 5.2 and 6.8 百分点). ``2个多月``/``两个月``
give unit 月: the classifier 个 is dropped from time units. Ages (岁), scores (分), shares in 成
and issues or phases (期) are not read: in this genre they are mostly thresholds (60岁以上),
project phases (二期) or slogans.
"""

from __future__ import annotations

import bisect
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
from govnews.config import project_paths
from govnews.errors import GovnewsError
from govnews.resources.yamlfile import parse_yaml

QUALIFIERS = ("余", "多", "近", "约", "以上", "超过", "逾", "左右", "不到", "至少", "")
CATEGORIES = (
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
    "date",
    "ordinal",
    "other",
)
UNIT_CATEGORIES = frozenset(CATEGORIES) - {"date", "ordinal"}

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
)
_MAP_SECTIONS = ("magnitudes", "qualifiers_before", "approximators", "qualifiers_after")

_DIGIT = "0-9０-９"
_CN_DIGITS = "〇零一二两三四五六七八九"
_CN_NUMERAL = _CN_DIGITS + "十百千万亿"
_CN_DIGIT_VALUES = dict(zip(_CN_DIGITS, (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_ARABIC = rf"[{_DIGIT}]{{1,3}}(?:,[{_DIGIT}]{{3}})+(?![{_DIGIT}])|[{_DIGIT}]+(?:[.．][{_DIGIT}]+)?"
_ANY_NUMERAL = re.compile(f"[{_CN_NUMERAL}{_DIGIT}]")
_NUMBER_TOKEN = re.compile(rf"(?P<arabic>{_ARABIC})|(?P<chinese>[{_CN_NUMERAL}]+)")
_FRACTION = re.compile(
    rf"(?P<den>[{_CN_NUMERAL}]{{1,8}}|[{_DIGIT}]{{1,6}})分之(?P<num>[{_CN_NUMERAL}]{{1,8}}|{_ARABIC})"
)
_QUOTED = re.compile(r"“[^“”]{0,60}”|‘[^‘’]{0,60}’|「[^「」]{0,60}」|『[^『』]{0,60}』|\"[^\"\n]{0,60}\"")
_BOOK_TITLE = re.compile(r"《[^《》]{0,120}》|〈[^〈〉]{0,120}〉")
_SENTENCE_PUNCT = re.compile(r"[，。！？；：,;!?]")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_SUBJECT_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z“”‘’]")
_QUOTE_CHARS = "“”‘’"
_GLUED_BEFORE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.．/+＋×*#")
_GLUED_AFTER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+＋/")
_RANGE_SEPARATORS = "至|到|~|～|-|－|—"
_VAGUE_BEFORE = ("数", "几")
_VAGUE_AFTER = ("几",)
_PERIOD_AFTER = ("来", "以来", "内", "中", "间")
_LEVEL_WORDS = ("级", "类", "等", "星", "档", "期", "号")
_RANK_WORDS = ("强",)
_ADJACENT_DIGITS = re.compile("[一二两三四五六七八九]{2}")
_MAX_INTEGER_DIGITS = 15
_UNIT_LOOKBACK = 8
_SUBJECT_WINDOW = 16
_MAX_SUBJECT_CHARS = 12
_CONCEPT_WINDOW = 5


@dataclass(frozen=True)
class Unit:
    """One measure word or unit of the lexicon.

    Attributes:
        unit: the word as printed (个, 平方米, %).
        category: what the unit measures (count, people, money, area …).
        arabic_only: the unit counts only after Arabic digits (方 in 500方 but not in 三方协同).
        classifier: ``none``, ``optional`` or ``required``: whether it may or must follow 个.
    """

    unit: str
    category: str
    arabic_only: bool = False
    classifier: str = "none"


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
        units = _alternation(self.by_unit)
        after_classifier = _alternation(u.unit for u in lexicon.units if u.classifier != "none")
        magnitudes = _alternation(lexicon.magnitudes)
        approximators = _alternation(lexicon.approximators)
        number = rf"{_ARABIC}|[{_CN_NUMERAL}]{{1,12}}"
        classifier = (
            rf"(?:(?P<ge>个)(?P<mid>{approximators}|半)?(?=(?:{after_classifier})))?"
            if after_classifier
            else ""
        )
        self.tail = re.compile(
            rf"(?:(?P<mag0>{magnitudes})?(?:{_RANGE_SEPARATORS})(?P<num2>{number}))?"
            rf"(?P<q1>{approximators})?(?P<mag>{magnitudes})?(?P<q2>{approximators})?"
            rf"{classifier}(?P<unit>{units})?"
        )
        # a number right after "numeral + unit" is the tail of a slogan (两个一百年, 五位一体)
        self.after_unit = re.compile(rf"[{_DIGIT}{_CN_NUMERAL}](?:{units})$")
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
        self.boundaries_by_length = _by_length(self.boundaries)
        self.edge_words_by_length = _by_length(self.edge_words)
        self.boundary_pattern = re.compile(_alternation(lexicon.subject_boundaries) or "(?!)")
        self.only_edge_words = re.compile(rf"(?:{_alternation(self.edge_words) or '(?!)'})+")
        self.idioms = re.compile(_alternation(lexicon.idioms)) if lexicon.idioms else None


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in _longest_first(words))


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=lambda word: (-len(word), word)))


def _by_length(words: Iterable[str]) -> tuple[tuple[int, frozenset[str]], ...]:
    """The words grouped by length, longest first."""
    lengths = sorted({len(word) for word in words}, reverse=True)
    return tuple((length, frozenset(word for word in words if len(word) == length)) for length in lengths)


# ---------------------------------------------------------------- lexicon loading


def load_units(path: Path | None = None) -> UnitLexicon:
    """Read the units lexicon (default: ``data/lexicons/units.yml``).

    The result is cached per file and modification time, so repeated calls are cheap and an
    edited file is read again.

    Args:
        path: a YAML file laid out like ``data/lexicons/units.yml``.

    Returns:
        The lexicon, ready for :func:`extract_figures`.

    Raises:
        GovnewsError: the file is missing, is not valid YAML, lacks a section, has a malformed
            entry or lists a word twice.
    """
    path = Path(path) if path is not None else project_paths().lexicon_dir / "units.yml"
    try:
        modified = path.stat().st_mtime_ns
    except OSError as error:
        raise GovnewsError(path, f"cannot read the units lexicon ({error.strerror})") from error
    return _load_units_cached(path.resolve(), modified)


@lru_cache(maxsize=8)
def _load_units_cached(path: Path, modified: int) -> UnitLexicon:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise GovnewsError(path, "the units lexicon is not UTF-8 text") from error
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
    lists = {name: _parse_list(data[name], name, path, text) for name in _LIST_SECTIONS}
    bad_qualifiers = sorted(
        {
            value
            for name in ("qualifiers_before", "approximators", "qualifiers_after")
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
    try:
        magnitudes = {word: float(value) for word, value in maps["magnitudes"].items()}
    except ValueError as error:
        raise GovnewsError(path, f"magnitudes must be numbers ({error})") from error
    implied_units = _parse_implied_units(data["implied_units"], {unit.unit for unit in units}, path, text)
    return UnitLexicon(
        units=units,
        implied_units=implied_units,
        magnitudes=magnitudes,
        qualifiers_before=maps["qualifiers_before"],
        approximators=maps["approximators"],
        qualifiers_after=maps["qualifiers_after"],
        **lists,
    )


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
        seen.add(word)
        units.append(Unit(word, category, numerals == "arabic", classifier))
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
    digits = unicodedata.normalize("NFKC", token).replace(",", "")
    if len(digits.split(".")[0]) > _MAX_INTEGER_DIGITS:
        return None
    return float(digits)


@lru_cache(maxsize=8192)
def _chinese_value(token: str) -> float | None:
    """Value of a Chinese numeral such as 两千, 一百二十, 百亿; None for vague or odd runs."""
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
        member = _list_member(text, match, grammar)
        if member is not None:
            listed.append((match, member))
            continue
        figure = _read_number(text, match, grammar)
        if figure is not None:
            if listed and figure.category != "date":
                found += [_shared_unit(m, value, figure) for m, value in listed]
            found.append(figure)
            taken_until = figure.end
        listed = []
    found.sort(key=lambda f: f.start)
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


def _blocked_mask(text: str, grammar: _Grammar) -> bytearray:
    """1 for characters inside quoted slogans, book titles and idioms."""
    mask = bytearray(len(text))
    spans = [m for m in _QUOTED.finditer(text) if not _SENTENCE_PUNCT.search(m.group()[1:-1])]
    spans += list(_BOOK_TITLE.finditer(text))
    if grammar.idioms is not None:
        spans += list(grammar.idioms.finditer(text))
    for match in spans:
        mask[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
    return mask


def _find_fractions(text: str, grammar: _Grammar, blocked: bytearray) -> list[_Found]:
    """百分之五 (→ 5 %), 三分之二 (→ 0.667), 千分之三 (→ 3 ‰)."""
    found: list[_Found] = []
    for match in _FRACTION.finditer(text):
        if blocked[match.start()] or text.endswith(grammar.not_before, 0, match.start()):
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
    """Ordinals, vague numerals, the article 一 and numbers glued to letters or symbols."""
    token, start, end = match.group(), match.start(), match.end()
    if text.endswith(grammar.not_before, 0, start):
        return True
    if match["chinese"] is not None:
        return token == "一" or text.endswith(_VAGUE_BEFORE, 0, start) or text.startswith(_VAGUE_AFTER, end)
    return text[start - 1 : start] in _GLUED_BEFORE


def _list_member(text: str, match: re.Match[str], grammar: _Grammar) -> float | None:
    """Value of a bare number that heads a 、-list sharing the last member's unit (5.2、6.8个百分点)."""
    if not text.startswith("、", match.end()) or _is_excluded_number(text, match, grammar):
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
    if is_chinese:
        year = _chinese_year(token) if text.startswith("年", end) else None
        if year is not None:
            return _date(start, end + 1, year)
    elif text.startswith("/", end):
        return _read_slash_fraction(text, match, grammar)
    value = _number_value(token)
    tail = grammar.tail.match(text, end)
    if value is None or (tail["num2"] is not None and _number_value(tail["num2"]) is None):
        return None
    if grammar.after_unit.search(text, max(0, start - _UNIT_LOOKBACK), start):
        return None
    glued = text[end : end + 1] in _GLUED_AFTER
    if not is_chinese and glued and not (tail["unit"] and tail["unit"][0].isascii()):
        return None
    magnitude = tail["mag"] or tail["mag0"]
    unit_word = tail["unit"]
    if unit_word == "年" and not is_chinese and not magnitude and len(token) == 4 and 1000 <= value <= 2100:
        return _date(start, tail.end(), int(value))
    scale = grammar.magnitudes[magnitude] if magnitude else 1.0
    if magnitude:
        value = float(Decimal(repr(value)) * Decimal(repr(scale)))
    middle = tail["mid"] if tail["mid"] != "半" else None
    approximator = _approximator(grammar, tail["q1"] or tail["q2"] or middle)
    pre_start, pre_qualifier = _qualifier_before(text, start, grammar)
    bare = is_chinese and not token.startswith("十") and not any(c in _CN_DIGITS for c in token)
    if bare and not (pre_qualifier or approximator):
        return None
    if unit_word is None:
        return _read_bare_magnitude(text, tail, token, value, scale, pre_qualifier or approximator, pre_start)
    unit = grammar.by_unit[unit_word]
    if (unit.classifier == "required" and tail["ge"] is None) or (unit.arabic_only and is_chinese):
        return None
    if not _is_quantity_context(text, tail.end(), tail.start("unit"), unit, is_chinese, grammar):
        return None
    is_duration = unit.category == "duration"
    if is_duration and pre_qualifier == "近" and _is_reference_period(text, pre_start, tail.end()):
        return None
    if tail["mid"] == "半":
        value += 0.5
    unit_end, after = _qualifier_after(text, tail.end(), grammar, is_duration=is_duration)
    qualifier = pre_qualifier or approximator or after
    return _Found(pre_start, unit_end, value, unit.unit, qualifier, unit.category, scale)


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
    return _Found(start, tail.end(), value, "", qualifier, "other", scale, unit_known=False)


def _is_quantity_context(
    text: str, tail_end: int, unit_start: int, unit: Unit, is_chinese: bool, grammar: _Grammar
) -> bool:
    """False where the words after the unit make the number a name, level or slogan."""
    if text.startswith(grammar.blocked_after, unit_start):
        return False
    following = text[tail_end : tail_end + 1]
    if unit.unit.isascii() and following.isascii() and following.isalnum():
        return False
    if following and (following in _CN_NUMERAL or following.isdigit()):
        # 1个一级网格, 5个一类社区 count grades; 四个一, 五位一体, 1对1 are slogans or formulas
        numeral = re.match(rf"[{_CN_NUMERAL}{_DIGIT}]+", text[tail_end : tail_end + 12])
        if not (numeral and text.startswith(_LEVEL_WORDS, tail_end + numeral.end())):
            return False
    if is_chinese and text.startswith(grammar.kind_words, tail_end):
        return False
    if is_chinese:
        for word in grammar.slogan_words:
            if text.startswith(word, tail_end):
                after = text[tail_end + len(word) : tail_end + len(word) + 1]
                if not after or not _SUBJECT_CHAR.match(after) or after in _QUOTE_CHARS:
                    return False
    if unit.category == "duration":
        window = "".join(_take_run(text, tail_end, tail_end + _CONCEPT_WINDOW))
        if any(suffix in window for suffix in grammar.concept_words):
            return False
    return True


def _take_run(text: str, start: int, stop: int) -> list[str]:
    run: list[str] = []
    for char in text[start:stop]:
        if not _SUBJECT_CHAR.match(char):
            break
        run.append(char)
    return run


def _qualifier_before(text: str, start: int, grammar: _Grammar) -> tuple[int, str]:
    """(start of the qualifier word, qualifier) for a number at ``start``."""
    if text.endswith(grammar.false_friends, 0, start) or not text.endswith(grammar.before_words, 0, start):
        return start, ""
    for word in grammar.before_words:
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
        after = _run_after(text, figure.end, min(right, figure.end + _SUBJECT_WINDOW))
        figure.subject = _subject_after(after, grammar) or _subject_before(before, grammar)
        if not figure.unit_known:
            context = before + after
            implied = next(
                (u for u, words in grammar.implied_units.items() if any(w in context for w in words)), None
            )
            if implied is not None:
                figure.unit, figure.category = implied, grammar.by_unit[implied].category


def _run_before(text: str, end: int, limit: int) -> str:
    start = end
    while start > limit and _SUBJECT_CHAR.match(text[start - 1]):
        start -= 1
    run = text[start:end]
    if run[:1] in ("年", "月", "日", "号") and text[start - 1 : start].isdigit():
        run = run[1:]
    return run


def _run_after(text: str, start: int, limit: int) -> str:
    return "".join(_take_run(text, start, limit))


def _subject_after(run: str, grammar: _Grammar) -> str:
    run = run.removeprefix("的")
    if not run or run.startswith(grammar.edge_words):
        return ""
    quote = run.find("“", 1)
    run = run[:quote] if quote > 0 else run
    cut = min((i for i in range(1, len(run)) if run.startswith(grammar.boundaries, i)), default=len(run))
    subject = _tidy_subject(_strip_edges(run[:cut], grammar)[:_MAX_SUBJECT_CHARS])
    return subject if len(subject) > 1 else ""


def _subject_before(run: str, grammar: _Grammar) -> str:
    run = _strip_edges(run, grammar)
    cut = 0
    for i in range(len(run)):
        boundary = grammar.boundary_pattern.match(run, i)
        if boundary and boundary.end() < len(run) - 1:
            cut = max(cut, boundary.end())
    subject = _tidy_subject(_strip_edges(run[cut:], grammar)[-_MAX_SUBJECT_CHARS:])
    return "" if grammar.only_edge_words.fullmatch(subject) else subject


def _strip_edges(run: str, grammar: _Grammar) -> str:
    """Drop edge words from the end and boundary words from the start, keeping two characters.

    Single-character edge words (在, 为, 就) also begin nouns (在职, 为民, 就业), so only the
    boundary words are dropped from the start.
    """
    for groups, at_end in ((grammar.edge_words_by_length, True), (grammar.boundaries_by_length, False)):
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
    subject = subject.strip(_QUOTE_CHARS) if subject.count("“") != subject.count("”") else subject
    return subject.strip("‘’") if subject.count("‘") != subject.count("’") else subject


def _attach_years(text: str, found: list[_Found]) -> None:
    """ref_year: the last year stated before the figure in the same sentence."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    year, year_sentence = None, -1
    for figure in found:
        sentence = bisect.bisect_right(ends, figure.start)
        if figure.category == "date":
            year, year_sentence = figure.ref_year, sentence
        elif sentence == year_sentence:
            figure.ref_year = year
