"""Sentences → governance measures: named systems, mechanisms, methods, campaigns and slogans.

Scope: this module finds the measures a sentence names, with the word lists of the measure lexicon
(:mod:`govnews.extract.measure_lexicon`). Every rule is local to the sentence and bounded in length, so the
work is linear in the length of the text. A measure is accepted on one piece of evidence:

* ``quoted+kind`` — a quoted name with a kind word inside or after it (“九步工作法”,
  “门前四包”责任书, “项目为王”的理念, “西美”、高新区“智美”战略);
* ``quoted+frame`` — 以“…”为主线/抓手/载体/思路 …;
* ``quoted+verb`` — the whole object of a verb that sets up measures (推行“一村一策”，);
* ``quoted+numeric_slogan`` — a quoted numbered slogan (“四个一”, “三零”, “1+9”);
* ``quoted+parallel`` — a quoted parallel slogan (“小事不出格、大事不出村社、难事不出街道”);
* ``kind_suffix`` — an unquoted name ending in a strong kind word, reaching back to a verb
  (实行三级动态分析会制度, 设置大气污染防治专班);
* ``enumeration+kind`` — each item of a list closed by 等 and a kind word
  (周观摩例会、月考核评比…等各项工作机制);
* ``numeric_slogan`` / ``parallel_slogan`` — unquoted numbered or parallel slogans
  (四纵四横两区两园五景六亭十五街, 定人、定岗、定责);
* ``role_system`` — X长 roles set up by a verb (设置楼栋长、楼层长);
* ``listed_with_measure`` — an item listed with 、 next to an accepted measure
  (依托“路长制”、片区化管理);
* ``lexicon`` — a well-known measure from the lexicon, matched with quotation marks removed.

Quoted spans and other candidates that are not measures are kept with the reason they were
rejected (``measure_candidates``). Components of a slogan come from its own parts, from a list
introduced by 即 after it or from a list printed right before it; expansions come from
“part”即meaning and from parentheses (一个引领（党建引领）).

Canonical names group spelling variants: quotation marks, spaces and punctuation are removed
(三项工程、一项管理 = 三项工程 一项管理 = 三项工程一项管理), lexicon aliases map to the lexicon name,
and two names of six or more characters that differ in exactly one character, neither of them a
numeral, are one measure (…六亭十五街 = …六停十五街). By that rule 三项工程一项治理 joins
三项工程一项管理: the articles use both for one campaign, and 管理/治理 differ in one character.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from govnews import schema
from govnews.errors import GovnewsError
from govnews.extract.measure_lexicon import (
    LEXICON_IGNORED,
    QUOTE_MARKS,
    MeasureLexicon,
    load_measure_lexicon,
    normalize_name,
)
from govnews.text.patterns import overlapping_matches

MAX_QUOTED_CHARS = 30
MAX_UNQUOTED_NAME_CHARS = 16
_MAX_LIST_ITEMS = 12  # longer 、-lists are inventories, not slogans, and would make spans unbounded

_DIGITS = "0123456789０１２３４５６７８９"
_SMALL_NUMERALS = "零〇一二两三四五六七八九十双"
_NUMERALS = _SMALL_NUMERALS + "百千万"
_NUMERAL_VALUES = {
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
_CLASSIFIERS = "个项条大种类点张套批级方名家支"
_OPEN_CLOSE = {"“": "”", "『": "』", "「": "」", "‘": "’", '"': '"'}
_WITHOUT_QUOTE_MARKS = str.maketrans("", "", QUOTE_MARKS)
_ANY_QUOTE_MARK = re.compile("[" + re.escape("".join(_OPEN_CLOSE)) + "]")
_OPENING_MARK = {opening: re.compile(re.escape(opening)) for opening in _OPEN_CLOSE}
_OPENING_MARKS = "“‘『「"
_LEXICON_IGNORED_CHAR = re.compile("[" + re.escape(LEXICON_IGNORED) + "]")
_SENTENCE_END = "。！？!?\n"
_CLAUSE_SPLIT = re.compile(r"[，,。；;：:！？!?\n（）()《》【】\[\]…—]")
_CLAUSE_END_CHARS = "，,。；;：:！？!?\n（）()《》【】[]…—"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]*")
_NUMERAL_RUN = re.compile(f"[{_SMALL_NUMERALS}]+")
_BARE_COUNT = re.compile(f"[{_SMALL_NUMERALS}]+[{_CLASSIFIERS}]")
_ITEM_SEPARATORS = re.compile(r"[、，,；;\s]+")
_CHAIN_GAP = re.compile(r"[、和及与][\u4e00-\u9fff]{0,6}")
_MODIFIER_VERB = re.compile(r"[为是的在将把对要让使向从与和]")
_DIGIT_SLOGAN = re.compile(r"\d+(?:[+＋][0-9A-Za-zＸ]+)+")
_DIGIT_SLOGAN_LED = re.compile(r"\d+(?:[+＋][0-9A-Za-zＸ]+)+.*")
_MASK = "\x00"
_QUOTED_PATTERNS = tuple(
    (
        opening,
        re.compile(
            re.escape(opening)
            + f"([^{re.escape(opening + closing)}{_SENTENCE_END}]{{1,{MAX_QUOTED_CHARS}}})"
            + re.escape(closing)
        ),
    )
    for opening, closing in _OPEN_CLOSE.items()
)
_EXPANSION = re.compile(r"[“『「]([^”』」“]{1,12})[”』」]即([^，,。；;）)\n]{1,30})")
_COMPACT_NUMERIC = re.compile(
    rf"(?<![{_SMALL_NUMERALS}\d])(?:(?:[{_SMALL_NUMERALS}]++|\d++)[^\W\d_{_NUMERALS}]){{3,12}}"
)
# What every match of _COMPACT_NUMERIC holds, tested first: with no lookbehind and no repeated group, re
# finds it three times faster.
_COMPACT_NUMERIC_HINT = re.compile(3 * rf"[{_SMALL_NUMERALS}\d]+[^\W\d_{_NUMERALS}]")
_NUMERAL_UNIT = re.compile(rf"(?:[{_SMALL_NUMERALS}]+|\d+)[^\W\d_{_NUMERALS}]+?(?=[{_SMALL_NUMERALS}\d]|$)")
_ENUMERATION_TAIL = re.compile(
    r"等(?:多个|多项|多种|各项|各类|一系列|系列|一批"
    r"|[一二三四五六七八九十两几]+[个项类种])?"
)
_INTRODUCES_LIST = re.compile(r"[，,]?(?:即|也就是|就是)[：:]?")


# ----------------------------------------------------------------------------- small text helpers


def _strip_quotes(text: str) -> str:
    return text.translate(_WITHOUT_QUOTE_MARKS).strip()


def _is_name_char(ch: str) -> bool:
    return bool(_CJK.match(ch)) or (ch.isascii() and (ch.isalnum() or ch == "+"))


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


def _leading_count(name: str) -> int | None:
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


def _is_date_label(text: str) -> bool:
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


def _starts_numeric(text: str) -> bool:
    """A numbered slogan: 四个一, 双改, 三零, 万人助万企, 1+9, 3+X."""
    if not text:
        return False
    if text[0] in _SMALL_NUMERALS:
        return len(text) > 1
    if text[0] in "百千万":
        return any(ch in _NUMERALS for ch in text[1:])
    return bool(_DIGIT_SLOGAN.fullmatch(text))


def _numeral_units(text: str) -> int:
    return len(_NUMERAL_UNIT.findall(text))


def _is_numeric_slogan(name: str, kind_word: str = "") -> bool:
    """Numbered slogans: short numeral-led names or names built of two or more numbered parts."""
    core = name[: -len(kind_word)] if kind_word and name.endswith(kind_word) else name
    core = normalize_name(core)
    if _DIGIT_SLOGAN_LED.fullmatch(core):
        return True
    if not core or core[0] not in _NUMERALS:
        return False
    return len(core) <= 6 or _numeral_units(core) >= 2


def _split_items(text: str) -> list[str]:
    """Parts of a parallel or numbered slogan: split at 、，, and spaces."""
    return [part for part in _ITEM_SEPARATORS.split(_strip_quotes(text)) if part]


def _common_prefix(items: list[str]) -> int:
    length = 0
    for chars in zip(*items, strict=False):
        if len(set(chars)) != 1:
            break
        length += 1
    return length


def _common_suffix(items: list[str]) -> int:
    return _common_prefix([item[::-1] for item in items])


def _has_common_infix(items: list[str], size: int = 2) -> bool:
    first = items[0]
    return any(all(first[i : i + size] in item for item in items[1:]) for i in range(len(first) - size + 1))


# ----------------------------------------------------------------------------- scanning


@dataclass
class _Found:
    start: int
    end: int
    name: str
    kind: str
    evidence: str
    priority: int
    kind_word: str = ""
    components: list[str] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    canonical_hint: str = ""
    tail: int = -1  # where text after the measure (kind word included) starts; -1 = end

    def after(self) -> int:
        return self.end if self.tail < 0 else self.tail


@dataclass
class _Scan:
    """Everything found in one text: accepted measures and rejected candidates."""

    text: str
    lexicon: MeasureLexicon
    found: list[_Found] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    quoted: list[tuple[int, int, str]] = field(default_factory=list)  # content start, end, opening mark

    def reject(self, name: str, reason: str) -> None:
        name = _strip_quotes(name)
        if name:
            self.rejected.append((name, reason))


_PRIORITY = {
    "quoted": 0,
    "enumeration": 1,
    "kind_suffix": 2,
    "parallel": 3,
    "numeric": 3,
    "role": 4,
    "listed": 5,
    "lexicon": 6,
}


def _scan_text(text: str, lexicon: MeasureLexicon) -> _Scan:
    scan = _Scan(text=text, lexicon=lexicon)
    _find_quoted(scan)
    masked = _masked(scan)
    _find_kind_suffixes(scan, masked)
    _find_enumerations(scan)
    _find_clause_patterns(scan, masked)
    _find_compact_numeric(scan, masked)
    _find_lexicon_terms(scan)
    _find_listed_with_measures(scan)
    _resolve_overlaps(scan)
    _attach_components(scan)
    return scan


def _masked(scan: _Scan) -> str:
    """The text with every quoted span (marks included) blanked out, positions unchanged."""
    if not scan.quoted:
        return scan.text
    chars = list(scan.text)
    for start, end, _mark in scan.quoted:
        for i in range(start - 1, min(end + 1, len(chars))):
            chars[i] = _MASK
    return "".join(chars)


# --- quoted spans


def _find_quoted(scan: _Scan) -> None:
    text = scan.text
    if not _ANY_QUOTE_MARK.search(text):
        return
    spans: list[tuple[int, int, str]] = []
    for opening, pattern in _QUOTED_PATTERNS:
        if opening not in text:
            continue
        matched_openers: set[int] = set()
        for match in pattern.finditer(text):
            spans.append((match.start(1), match.end(1), opening))
            matched_openers.add(match.start())
        if opening == '"':
            continue
        for position in (m.start() for m in _OPENING_MARK[opening].finditer(text)):
            if position not in matched_openers:
                # Quoted speech or an unbalanced mark: bounded, so it never swallows the sentence.
                scan.reject(text[position + 1 : position + 1 + 12], "long_or_unclosed_quote")
    spans.sort()
    scan.quoted = spans
    chains = _quote_chains(text, spans)
    for index, (start, end, _opening) in enumerate(spans):
        _judge_quoted(scan, start, end, chains[index])


def _quote_chains(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """For each quoted span, the last span of its chain.

    Chains: “一网通办”“一网统管”改革; “西美”、高新区“智美”战略.
    """
    last = list(spans)
    for index in range(len(spans) - 2, -1, -1):
        end = spans[index][1]
        next_start = spans[index + 1][0]
        gap = text[end + 1 : next_start - 1]
        if spans[index + 1][2] not in "“『「" or spans[index][2] not in "“『「":
            continue
        if gap == "" or _CHAIN_GAP.fullmatch(gap):
            last[index] = last[index + 1]
    return last


def _kind_at(lexicon: MeasureLexicon, text: str, position: int) -> tuple[str, int] | None:
    """The kind word starting exactly at ``position`` (longest first) and its end."""
    if not text.startswith(lexicon.kind_words_longest_first, position):
        return None
    for word in lexicon.kind_words_longest_first:
        if text.startswith(word, position):
            return word, position + len(word)
    return None


def _kind_after(lexicon: MeasureLexicon, text: str, position: int) -> tuple[str, int, str] | None:
    """A kind word right after ``position``: (kind word, end, how) with how in direct/modifier/de/deng."""
    direct = _kind_at(lexicon, text, position)
    if direct:
        return direct[0], direct[1], "direct"
    window = text[position : position + 24]
    deng = _ENUMERATION_TAIL.match(window)
    if deng:
        found = _last_kind_in(lexicon, window, deng.end(), 8)
        if found and re.search(r"[的了在是为和与把将被]", window[deng.end() : found[1] - len(found[0])]):
            return None  # 等参加了当天的活动: a clause, not a noun phrase headed by the kind word
        return (found[0], position + found[1], "deng") if found else None
    if window.startswith("的"):
        # “项目为王”的理念, “统一设计”的原则: a longer modifier makes the quote an attribute
        # (“数字化、智慧化”的数智园区平台).
        found = _last_kind_in(lexicon, window, 1, 2)
        return (found[0], position + found[1], "de") if found else None
    run = _CJK_RUN.match(window, 0, 12).group()
    if not run:
        return None
    for match in lexicon.kind_pattern.finditer(run):
        # A short modifier may stand between name and kind word (“小太阳”党建工作者队伍), but no verb.
        if match.start() > 6 or _MODIFIER_VERB.search(run, 0, match.start()):
            return None
        return match.group(), position + match.end(), "modifier"
    return None


def _last_kind_in(
    lexicon: MeasureLexicon, window: str, start: int, max_modifier: int
) -> tuple[str, int] | None:
    """The last kind word of the CJK run starting at ``start`` (the head of the noun phrase)."""
    run = _CJK_RUN.match(window, start).group()
    best = None
    for match in lexicon.kind_pattern.finditer(run):
        if match.start() <= max_modifier:
            best = (match.group(), start + match.end())
    return best


def _kind_inside(lexicon: MeasureLexicon, content: str) -> str:
    if not content.endswith(lexicon.kind_words_longest_first):
        return ""
    for word in lexicon.kind_words_longest_first:
        if content.endswith(word) and len(content) > len(word):
            return word
    return ""


def _judge_quoted(scan: _Scan, start: int, end: int, chain_last: tuple[int, int, str]) -> None:
    lexicon, text = scan.lexicon, scan.text
    content = text[start:end].strip()
    name = _strip_quotes(content)
    key = normalize_name(name)
    after = end + 1  # past the closing mark
    if len(key) < 2:
        scan.reject(name, "too_short")
        return
    if key in lexicon.rejected_phrases:
        scan.reject(name, lexicon.rejected_phrases[key])
        return
    if key.isdigit() and key not in lexicon.canonical_of:
        scan.reject(name, "digits_only")
        return
    if _is_date_label(key):
        scan.reject(name, "date")
        return
    head = _rejecting_head(lexicon, text, after)
    if not head and chain_last[1] + 1 != after:
        head = _rejecting_head(lexicon, text, chain_last[1] + 1)
    if head:
        scan.reject(name, head)
        return

    inside = _kind_inside(lexicon, key)
    if inside:
        _accept_quoted(scan, start, end, name, inside, "quoted+kind", inside)
        return
    kind = _kind_after(lexicon, text, after)
    if kind is None and chain_last[0] != start:
        chain_end = chain_last[1] + 1
        kind = _kind_after(lexicon, text, chain_end)
    if kind:
        word, kind_end, how = kind
        if how in ("direct", "modifier") and _is_bare_count(key) and chain_last[0] == start:
            full = name + text[after:kind_end]
            _accept_quoted(
                scan, start, kind_end, full, word, "quoted+kind", word, tail=kind_end, span_end=kind_end
            )
        else:
            tail = kind_end if chain_last[0] == start and how in ("direct", "modifier") else after
            _accept_quoted(scan, start, end, name, word, "quoted+kind", "", tail=tail)
        return
    if _framed(lexicon, text, start - 1, after):
        _accept_quoted(scan, start, end, name, "", "quoted+frame", "")
        return
    if key in lexicon.canonical_of:
        _accept_quoted(scan, start, end, name, "", "quoted+lexicon", "")
        return
    suffix_reason = _rejecting_suffix(lexicon, name)
    if suffix_reason:
        scan.reject(name, suffix_reason)
        return
    if _introduced_by_verb(lexicon, text, start - 1, chain_last[1] + 1):
        _accept_quoted(scan, start, end, name, "", "quoted+verb", "")
        return
    if _starts_numeric(key) or _numeric_parallel(name):
        _accept_quoted(scan, start, end, name, "", "quoted+numeric_slogan", "")
        return
    if text.startswith("的", after):
        scan.reject(name, "attributive")
        return
    if _quoted_parallel(lexicon, name):
        _accept_quoted(scan, start, end, name, "", "quoted+parallel", "")
        return
    scan.reject(name, "quoted_speech" if len(key) > 12 else "quoted_no_kind")


def _accept_quoted(
    scan: _Scan,
    start: int,
    end: int,
    name: str,
    kind_word: str,
    evidence: str,
    name_kind_word: str,
    *,
    tail: int = -1,
    span_end: int | None = None,
) -> None:
    lexicon = scan.lexicon
    kind = lexicon.kind_of.get(kind_word, "") if kind_word else ""
    found = _Found(
        start=start,
        end=span_end if span_end is not None else end,
        name=name,
        kind=kind,
        evidence=evidence,
        priority=_PRIORITY["quoted"],
        kind_word=name_kind_word,
        tail=tail if tail >= 0 else end + 1,
    )
    parts = _split_items(name)
    if len(parts) == 1 and _numeral_units(parts[0]) >= 2:
        parts = _NUMERAL_UNIT.findall(parts[0])  # 一核三治 → 一核|三治
    if len(parts) >= 2:
        found.components = parts
    scan.found.append(found)


def _is_bare_count(key: str) -> bool:
    """四项, 三个: a numeral and a classifier that only make sense with the kind word after them."""
    return bool(_BARE_COUNT.fullmatch(key))


def _rejecting_suffix(lexicon: MeasureLexicon, name: str) -> str:
    """The reason when a one-part name ends like a place or an honour (“智美新城”, “三八红旗集体”)."""
    if len(_split_items(name)) != 1:
        return ""
    key = normalize_name(name)
    for reason, suffixes in lexicon.not_measure_suffixes:
        if key.endswith(tuple(suffixes)):
            return reason
    return ""


def _rejecting_head(lexicon: MeasureLexicon, text: str, position: int) -> str:
    """The reason when the quoted name is followed by a word naming a period or a goal, else ''."""
    window = _CJK_RUN.match(text, position, position + 8).group()
    for reason, pattern in lexicon.head_patterns:
        # A word whose first occurrence starts within 4 characters: the leftmost match of any word.
        found = pattern.search(window)
        if found and found.start() <= 4:
            return reason
    return ""


def _framed(lexicon: MeasureLexicon, text: str, opening: int, after: int) -> bool:
    """以“…”为主线 / 以“…”创建为载体."""
    if "以" not in text[max(0, opening - 8) : opening]:
        return False
    window = text[after : after + 14]
    match = re.match(r"[\u4e00-\u9fff]{0,6}?为[\u4e00-\u9fff]{0,3}?", window)
    if not match:
        return False
    rest = window[match.end() :]
    return rest.startswith(lexicon.frames)


def _introduced_by_verb(lexicon: MeasureLexicon, text: str, opening: int, after: int) -> bool:
    """推行“一村一策”，/ 开展“我为群众办实事”。: the whole object of a verb that sets up measures."""
    if after < len(text) and text[after] not in _CLAUSE_END_CHARS + "、":
        return False
    return text.endswith(lexicon.introducing_verbs, 0, opening)


def _numeric_parallel(name: str) -> bool:
    items = _split_items(name)
    return len(items) >= 2 and sum(_starts_numeric(item) for item in items) * 2 > len(items)


def _quoted_parallel(lexicon: MeasureLexicon, name: str) -> bool:
    """序化、洁化、绿化、亮化; 小事不出格、大事不出村社、难事不出街道; 以考促改、以考促进."""
    items = _split_items(name)
    if len(items) < 2 or any(not 2 <= len(item) <= 8 for item in items):
        return False
    if items[0][0] in lexicon.parallel_stop_prefixes:
        return False
    lengths = {len(item) for item in items}
    prefix, suffix = _common_prefix(items), _common_suffix(items)
    if max(prefix, suffix) >= 2 or _has_common_infix(items) or lengths == {4}:
        return True  # 4+4 slogans (网格吹哨、部门报到) need no shared character
    return len(lengths) == 1 and len(items) >= 3 and (prefix >= 1 or suffix >= 1)


# --- unquoted names ending in a kind word


def _boundary_ending_at(lexicon: MeasureLexicon, text: str, position: int) -> str:
    """The longest boundary word ending at ``position``, or ''."""
    pattern = lexicon.boundary_at_end
    match = pattern.search(text, max(0, position - lexicon.max_boundary_len), position) if pattern else None
    return match.group() if match else ""


def _left_name(lexicon: MeasureLexicon, text: str, end: int, max_chars: int) -> tuple[int, str] | None:
    """Start of the name ending at ``end`` and what bounds it.

    The bound is one of verb, particle, list (、), quote (an opening mark), after_quote (a quoted
    span), punct or start.
    """
    position = end
    while True:
        if end - position > max_chars:
            return None
        boundary = _boundary_ending_at(lexicon, text, position)
        if boundary:
            return position, "verb" if len(boundary) > 1 else "particle"
        if position == 0:
            return 0, "start"
        previous = text[position - 1]
        if previous == "、" or (previous in "和与及" and _ends_with_kind_word(lexicon, text, position - 1)):
            return position, "list"  # 三方协同机制和群众参与机制: two names, not one
        if previous in _OPENING_MARKS:
            return position, "quote"
        if previous == _MASK:
            return position, "after_quote"
        if not _is_name_char(previous):
            return position, "punct"
        position -= 1


def _ends_with_kind_word(lexicon: MeasureLexicon, text: str, position: int) -> bool:
    return text.endswith(lexicon.unquoted_kind_suffixes, 0, position)


def _is_generic(lexicon: MeasureLexicon, name: str) -> bool:
    """True when ``name`` is made only of generic modifiers (工作新, 社会治理, 开发建设)."""
    if not name:
        return True
    reachable = [True] + [False] * len(name)
    for i in range(len(name)):
        if not reachable[i]:
            continue
        for j in range(i + 1, len(name) + 1):
            if name[i:j] in lexicon.generic_modifiers:
                reachable[j] = True
    if reachable[-1]:
        return True
    # 科技创新与商业模式: the conjunct next to the kind word decides (楼栋长及楼层长制度 is specific).
    last_conjunct = re.split(r"[与和及]", name)[-1]
    return len(last_conjunct) >= 2 and last_conjunct != name and _is_generic(lexicon, last_conjunct)


def _find_kind_suffixes(scan: _Scan, masked: str) -> None:
    lexicon = scan.lexicon
    for match in lexicon.unquoted_kind_pattern.finditer(masked):
        word, kind_start, kind_end = match.group(), match.start(), match.end()
        if masked[kind_end : kind_end + 1] == "化":
            continue  # 制度化, 模式化: an adjective, not the name of a measure
        min_chars, max_chars = (1, 4) if word == "长制" else (2, MAX_UNQUOTED_NAME_CHARS)
        bounded = _left_name(lexicon, masked, kind_start, max_chars)
        if bounded is None:
            scan.reject(scan.text[kind_start - max_chars : kind_end], "no_left_boundary")
            continue
        start, how = bounded
        modifier = masked[start:kind_start]
        name = masked[start:kind_end]
        if not modifier or how == "after_quote":
            continue  # “两代表一委员”联系群众制度: the quoted name owns this kind word
        if len(modifier) < min_chars or _is_generic(lexicon, modifier) or _is_bare_count(modifier):
            scan.reject(name, "generic_modifier")
            continue
        if word in lexicon.needs_verb_before and how not in ("verb", "list", "quote"):
            scan.reject(name, "no_verb_before")
            continue
        if how in ("punct", "start") and len(modifier) < 4:
            scan.reject(name, "no_verb_before")
            continue
        scan.found.append(
            _Found(
                start=start,
                end=kind_end,
                name=name,
                kind=lexicon.kind_of[word],
                evidence="kind_suffix",
                priority=_PRIORITY["kind_suffix"],
                kind_word=word,
            )
        )


# --- enumerations closed by 等 + kind word


def _clause_start(text: str, position: int, limit: int = 150) -> int:
    floor = max(0, position - limit)
    for i in range(position - 1, floor - 1, -1):
        if text[i] in _CLAUSE_END_CHARS:
            return i + 1
    return floor


def _trim_leading_verb(lexicon: MeasureLexicon, item: str) -> str:
    """The part of a list's first item after its last boundary word (制定和完善周观摩例会 → 周观摩例会)."""
    # The last place before the item's last character where a boundary word ends: at each start the
    # pattern takes the longest word that ends in time.
    pattern = lexicon.boundary_starts
    ends = [m.end() for m in overlapping_matches(pattern, item, 0, len(item) - 1)] if pattern else []
    return item[max(ends) :] if ends else item


def _find_enumerations(scan: _Scan) -> None:
    lexicon, text = scan.lexicon, scan.text
    if "等" not in text:
        return
    for match in re.finditer("等", text):
        kind = _kind_after(lexicon, text, match.start())
        if not kind or kind[2] != "deng":
            continue
        clause_start = _clause_start(text, match.start())
        items = _list_items(text, clause_start, match.start())
        if len(items) < 2:
            continue
        items[0] = _trim_first_item(lexicon, text, items[0])
        longest_other = max(e - s for s, e in items[1:])
        if items[0][1] - items[0][0] > max(6, 2 * longest_other):
            items = items[1:]  # 志愿者们为居民提供义诊、理发…: the first item still holds its clause
        for item in items:
            start, end = _without_marks(text, *item)
            name = text[start:end]
            key = normalize_name(name)
            if not 3 <= len(key) <= 12 or (re.search(r"\d", key) and not re.search(r"[+＋]", key)):
                scan.reject(name, "enumeration_item")
                continue
            if key.endswith(lexicon.place_suffixes) or _is_generic(lexicon, key):
                scan.reject(name, "enumeration_item")
                continue
            scan.found.append(
                _Found(
                    start=start,
                    end=end,
                    name=name,
                    kind=lexicon.kind_of[kind[0]],
                    evidence="enumeration+kind",
                    priority=_PRIORITY["enumeration"],
                )
            )


def _without_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """The span with surrounding quotation marks and spaces left out."""
    while start < end and (text[start] in QUOTE_MARKS or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in QUOTE_MARKS or text[end - 1].isspace()):
        end -= 1
    return start, end


def _list_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Offsets of the 、-separated items of text[start:end]."""
    items = []
    position = start
    for part in text[start:end].split("、"):
        items.append((position, position + len(part)))
        position += len(part) + 1
    return [(s, e) for s, e in items if e > s]


def _trim_first_item(lexicon: MeasureLexicon, text: str, item: tuple[int, int]) -> tuple[int, int]:
    start, end = item
    trimmed = _trim_leading_verb(lexicon, text[start:end])
    return end - len(trimmed), end


# --- clause patterns: parallel slogans, numbered lists, role systems


def _listing_clauses(text: str) -> Iterable[tuple[int, int]]:
    """Start and end of each clause of ``text`` that holds a 、-list."""
    position = 0
    for clause in _CLAUSE_SPLIT.split(text):  # every separator is one character
        if "、" in clause:
            yield position, position + len(clause)
        position += len(clause) + 1


def _find_clause_patterns(scan: _Scan, masked: str) -> None:
    if "、" not in masked:
        return
    for start, end in _listing_clauses(masked):
        items = _list_items(masked, start, end)
        if not 2 <= len(items) <= _MAX_LIST_ITEMS:
            continue
        _find_roles(scan, masked, items)
        _find_parallel(scan, masked, items)


def _find_roles(scan: _Scan, masked: str, items: list[tuple[int, int]]) -> None:
    """设置楼栋长、楼层长: a verb setting up X长 roles (the 长制 family)."""
    lexicon = scan.lexicon
    if not masked.endswith("长", 0, items[-1][1]):
        return  # every role ends in 长, the last one too
    first_start, first_end = items[0]
    first = masked[first_start:first_end]
    trimmed = _trim_leading_verb(lexicon, first)
    if trimmed == first:
        return
    spans = [(first_end - len(trimmed), first_end), *items[1:]]
    roles = [masked[s:e] for s, e in spans]
    if all(
        2 <= len(role) <= 5
        and role.endswith("长")
        and role[-2] not in lexicon.official_role_chars
        and _CJK.fullmatch(role[0])
        and not re.search(r"[\d" + _MASK + "]", role)
        for role in roles
    ):
        scan.found.append(
            _Found(
                start=spans[0][0],
                end=spans[-1][1],
                name="、".join(roles),
                kind="",
                evidence="role_system",
                priority=_PRIORITY["role"],
                components=roles,
            )
        )


def _find_parallel(scan: _Scan, masked: str, items: list[tuple[int, int]]) -> None:
    """定人、定岗、定责; 以考促改、以考促进; 一个引领、两个先行、三方协同 (unquoted)."""
    lexicon = scan.lexicon
    texts = [masked[s:e] for s, e in items]
    if len(items) >= 3:
        lengths = {len(t) for t in texts[1:-1]}
        if len(lengths) != 1:
            return
        size = lengths.pop()
    else:
        size = len(texts[-1])
    if not 2 <= size <= 6 or len(texts[0]) < size or len(texts[-1]) < size:
        return
    spans = [(items[0][1] - size, items[0][1]), *items[1:-1], (items[-1][0], items[-1][0] + size)]
    parts = [masked[s:e] for s, e in spans]
    if any(not _CJK_WORD.fullmatch(part) for part in parts):
        return
    numeric = [_starts_numeric(part) for part in parts]
    if all(numeric):
        if _numbered_sequence(parts):
            _add_unquoted_slogan(scan, spans, parts, "numeric_slogan")
        return
    # Unquoted, only a shared lead word makes a slogan (定人、定岗、定责); a shared head noun makes
    # an ordinary list (市场需求、企业需求、人才需求).
    prefix = _common_prefix(parts)
    if parts[0][0] in lexicon.parallel_stop_prefixes:
        return
    if prefix >= 1 if len(parts) >= 3 else prefix >= 2 and size - prefix <= 2:
        _add_unquoted_slogan(scan, spans, parts, "parallel_slogan")


def _numbered_sequence(parts: list[str]) -> bool:
    """一个引领、两个先行、三方协同 (counting up from one) or 一个项目、一名领导、一个团队 (all one)."""
    values = [_leading_count(part) for part in parts]
    if any(value is None for value in values):
        return False
    if values == list(range(1, len(values) + 1)):
        return True
    return len(values) >= 3 and all(value == 1 for value in values)


def _add_unquoted_slogan(scan: _Scan, spans: list[tuple[int, int]], parts: list[str], evidence: str) -> None:
    scan.found.append(
        _Found(
            start=spans[0][0],
            end=spans[-1][1],
            name="、".join(parts),
            kind="",
            evidence=evidence,
            priority=_PRIORITY["parallel"],
            components=parts,
        )
    )


def _find_compact_numeric(scan: _Scan, masked: str) -> None:
    """四纵四横两区两园五景六亭十五街, 一环十横十纵: three or more numbered units in a row."""
    if not _COMPACT_NUMERIC_HINT.search(masked):
        return
    for match in _COMPACT_NUMERIC.finditer(masked):
        name = match.group()
        units = _NUMERAL_UNIT.findall(name)
        scan.found.append(
            _Found(
                start=match.start(),
                end=match.end(),
                name=name,
                kind="",
                evidence="numeric_slogan",
                priority=_PRIORITY["numeric"],
                components=units,
            )
        )


# --- lexicon


def _find_lexicon_terms(scan: _Scan) -> None:
    """Leftmost-longest lexicon matches in the text with quotation marks, spaces and 、 removed."""
    text, terms, starts = scan.text, scan.lexicon.spellings_by_first_char, scan.lexicon.spelling_starts
    stripped = _LEXICON_IGNORED_CHAR.sub("", text)
    if starts is None or not starts.search(stripped):
        return
    positions = [i for i, ch in enumerate(text) if ch not in LEXICON_IGNORED]
    i = 0
    for match in overlapping_matches(starts, stripped):
        if match.start() < i:
            continue
        i = match.start()
        for spelling, canonical in terms[stripped[i]]:
            if not stripped.startswith(spelling, i):
                continue
            end = i + len(spelling)
            if _touches_alnum(stripped, i, end, spelling):
                continue
            scan.found.append(
                _Found(
                    start=positions[i],
                    end=positions[end - 1] + 1,
                    name=_strip_quotes(text[positions[i] : positions[end - 1] + 1]),
                    kind=scan.lexicon.entry_kind.get(canonical, ""),
                    evidence="lexicon",
                    priority=_PRIORITY["lexicon"],
                    canonical_hint=canonical,
                )
            )
            i = end
            break


def _touches_alnum(text: str, start: int, end: int, spelling: str) -> bool:
    """A spelling that starts or ends with a digit or letter must not run into another (12345 ≠ 123456)."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return (spelling[0].isascii() and spelling[0].isalnum() and before.isascii() and before.isalnum()) or (
        spelling[-1].isascii() and spelling[-1].isalnum() and after.isascii() and after.isalnum()
    )


# --- items listed with an accepted measure


def _find_listed_with_measures(scan: _Scan) -> None:
    """依托“路长制”、片区化管理: the other items of a 、-list that holds an accepted measure."""
    lexicon, text = scan.lexicon, scan.text
    anchor_spans = [f for f in scan.found if f.evidence.startswith("quoted") or f.evidence == "lexicon"]
    if not anchor_spans or "、" not in text:
        return
    anchors = _SpanIndex(anchor_spans)
    for clause_start, clause_end in _listing_clauses(text):
        if not anchors.overlapping(clause_start, clause_end):
            continue
        items = _list_items(text, clause_start, clause_end)
        if len(items) > _MAX_LIST_ITEMS:
            continue
        items[0] = _trim_first_item(lexicon, text, items[0])
        last_start, last_end = items[-1]
        de = text.find("的", last_start, last_end)
        if de != -1:
            items[-1] = (last_start, de)
        holds = {
            index
            for index, (s, e) in enumerate(items)
            if any(_item_is_anchor(text, s, e, anchor) for anchor in anchors.overlapping(s, e))
        }
        if not holds:
            continue
        for index, (start, end) in enumerate(items):
            name = text[start:end].strip()
            if index in holds or any(mark in name for mark in QUOTE_MARKS):
                continue
            if not 2 <= len(name) <= 8 or not re.fullmatch(r"[\u4e00-\u9fff]+", name):
                continue
            if _is_generic(lexicon, name) or name.endswith(lexicon.place_suffixes):
                continue
            scan.found.append(
                _Found(
                    start=start,
                    end=end,
                    name=name,
                    kind="",
                    evidence="listed_with_measure",
                    priority=_PRIORITY["listed"],
                )
            )


def _item_is_anchor(text: str, start: int, end: int, anchor: _Found) -> bool:
    core = normalize_name(text[start:end])
    name = normalize_name(anchor.name)
    return (
        anchor.start >= start - 1
        and anchor.end <= end + 1
        and (core == name or (core.startswith(name) and core[len(name) :] in _kind_words_of(anchor)))
    )


# --- overlaps, components, expansions


def _kind_words_of(found: _Found) -> set[str]:
    return {found.kind_word, found.kind} - {""}


class _SpanIndex:
    """Spans (anything with start and end) in order of start, for overlap look-ups.

    A sentence holds a handful of spans: a scan of the list beats any index.
    """

    def __init__(self, spans: Iterable[_Found | _Region] = ()) -> None:
        self._spans: list = []
        for span in spans:
            self.add(span)

    def add(self, span: _Found | _Region) -> None:
        # After the spans with the same start: look-ups see equal starts in the order they were added.
        bisect.insort_right(self._spans, span, key=lambda indexed: indexed.start)

    def overlapping(self, start: int, end: int) -> list:
        """The spans that share a character with ``start:end``, by start."""
        return [span for span in self._spans if span.start < end and span.end > start]

    def containing(self, start: int, end: int) -> _Found | _Region | None:
        """The first span (by start) that covers ``start:end``."""
        return next((span for span in self._spans if span.start <= start and span.end >= end), None)


def _resolve_overlaps(scan: _Scan) -> None:
    """One row per span: a span inside another accepted span is dropped; lexicon hints are kept."""
    ordered = sorted(scan.found, key=lambda f: (f.priority, -(f.end - f.start), f.start))
    kept = _SpanIndex()
    kept_list: list[_Found] = []
    for candidate in ordered:
        container = kept.containing(candidate.start, candidate.end)
        if container is None and candidate.evidence == "lexicon":
            # “五星”支部创建: the lexicon term runs over a measure already found; it names its canonical.
            container = next(iter(kept.overlapping(candidate.start, candidate.end)), None)
        if container is None:
            kept.add(candidate)
            kept_list.append(candidate)
            continue
        _merge_hint(container, candidate)
        if (container.start, container.end) != (candidate.start, candidate.end):
            scan.reject(candidate.name, "inside_measure")
    kept_list.sort(key=lambda f: (f.start, f.end))
    scan.found = kept_list


def _merge_hint(keeper: _Found, other: _Found) -> None:
    """A lexicon term that is the keeper's name (or its name before the kind word) names its canonical."""
    if not other.canonical_hint or keeper.canonical_hint:
        return
    core = normalize_name(keeper.name)
    term = normalize_name(other.name)
    if core in term or any(core == term + normalize_name(w) for w in _kind_words_of(keeper)):
        keeper.canonical_hint = other.canonical_hint


def _attach_components(scan: _Scan) -> None:
    """Components and expansions; measures that are parts of another measure become candidates."""
    # “一个引领”即党建引领: the quoted part expands a component of a slogan found in the text.
    owners: dict[str, _Found] = {}
    for found in scan.found:
        for part in found.components:
            owners.setdefault(part, found)
    claimed: list[_Region] = []
    for match in _EXPANSION.finditer(scan.text):
        part = _strip_quotes(match.group(1))
        owner = owners.get(part)
        if owner is not None and owner.start != match.start(1):
            owner.expansions.append(f"{part}={_strip_quotes(match.group(2))}")
            claimed.append(_Region(match.start(1), match.start(1) + len(match.group(1)), owner.name))
    _drop_claimed(scan, claimed)
    claimed = []
    for found in scan.found:
        span = _components_after(scan, found) or _components_before(scan, found)
        if span:
            claimed.append(_Region(span[0], span[1], found.name))
    _drop_claimed(scan, claimed)


@dataclass
class _Region:
    """Text that holds the parts of the measure named ``owner``."""

    start: int
    end: int
    owner: str


def _drop_claimed(scan: _Scan, claimed: list[_Region]) -> None:
    if not claimed:
        return
    regions = _SpanIndex(claimed)
    remaining = []
    for found in scan.found:
        owner = next(
            (
                region.owner
                for region in regions.overlapping(found.start, found.end)
                if region.start <= found.start and found.end <= region.end and region.owner != found.name
            ),
            None,
        )
        if owner is None:
            remaining.append(found)
        else:
            scan.reject(found.name, f"component_of:{owner}")
    scan.found = remaining


def _components_after(scan: _Scan, found: _Found) -> tuple[int, int] | None:
    """“五个之城”，即创新之城、产业之城… / “五个一”工程，即坚持一个引领（党建引领），…."""
    text = scan.text
    intro = _INTRODUCES_LIST.match(text, found.after())
    if not intro:
        return None
    list_start = intro.end()
    list_end = list_start
    while list_end < len(text) and list_end - list_start < 200 and text[list_end] not in "。；;！？!?\n":
        list_end += 1
    body = text[list_start:list_end]
    count = _leading_count(normalize_name(found.name))
    first_clause = _top_level_items(body, "，,")
    items = _top_level_items(body[: first_clause[0][1]], "、") if first_clause else []
    if count and len(items) != count:
        # 即坚持一个引领（党建引领），围绕一个中心（人民），…: numbered parts over several clauses.
        items = _top_level_items(body, "，,、")[:count]
        numbered = all(re.search(f"[{_SMALL_NUMERALS}（(]", item) for _s, _e, item in items)
        if len(items) < count or not numbered:
            return None
    if len(items) < 2:
        return None
    components, expansions = [], []
    for _start, _end, item in items:
        part, meaning = _split_parenthetical(item)
        components.append(part)
        if meaning:
            expansions.append(f"{part}={meaning}")
    found.components = components
    found.expansions.extend(expansions)
    return list_start, list_start + items[-1][1]


def _top_level_items(body: str, separators: str) -> list[tuple[int, int, str]]:
    """Items of ``body`` split at ``separators`` outside parentheses: (start, end, text)."""
    items: list[tuple[int, int, str]] = []
    depth = 0
    start = 0
    for i, ch in enumerate(body):
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif ch in separators and depth == 0:
            if i > start:
                items.append((start, i, body[start:i].strip()))
            start = i + 1
    if len(body) > start:
        items.append((start, len(body), body[start:].strip()))
    return [item for item in items if item[2]]


def _split_parenthetical(item: str) -> tuple[str, str]:
    match = re.fullmatch(r"(.+?)[（(]([^（）()]+)[）)]\s*", item)
    if match:
        return _strip_quotes(match.group(1)), _strip_quotes(match.group(2))
    return _strip_quotes(item), ""


def _components_before(scan: _Scan, found: _Found) -> tuple[int, int] | None:
    """Components printed right before a numbered slogan.

    一个项目、一名领导、一个团队、一套方案、一抓到底“五个一”机制; 会议、督办、月报、台账管理“四项”工作机制.
    """
    text = scan.text
    if not found.evidence.startswith("quoted") or not found.kind or found.start < 2 or found.components:
        return None
    count = _leading_count(normalize_name(found.name))
    opening = found.start - 1
    if not count or text[opening] not in _OPENING_MARKS:
        return None
    clause_start = _clause_start(text, opening)
    items = _list_items(text, clause_start, opening)
    if len(items) < count or count < 2:
        return None
    items = items[-count:]
    middle = {e - s for s, e in items[1:-1]}
    first_start, first_end = items[0]
    if len(middle) == 1 and first_end - first_start > (size := middle.pop()):
        items[0] = (first_end - size, first_end)
    else:
        items[0] = _trim_first_item(scan.lexicon, text, items[0])
    parts = [_strip_quotes(text[s:e]) for s, e in items]
    if any(not part or len(part) > 8 for part in parts):
        return None
    found.components = parts
    return items[0][0], items[-1][1]


# ----------------------------------------------------------------------------- tables


def _rows_of(scan: _Scan) -> tuple[list[dict], list[dict]]:
    measures = [
        {
            "name": found.name,
            "kind": found.kind,
            "is_numeric_slogan": _is_numeric_slogan(found.name, found.kind_word)
            or found.evidence == "numeric_slogan",
            "components": schema.LIST_SEPARATOR.join(found.components),
            "expansions": schema.LIST_SEPARATOR.join(found.expansions),
            "evidence": found.evidence,
            "_hint": found.canonical_hint,
        }
        for found in scan.found
    ]
    candidates = [{"name": name, "reason": reason} for name, reason in scan.rejected]
    return measures, candidates


def _assign_canonical(names: list[str], hints: list[str]) -> list[str]:
    """Canonical name per row: lexicon name, else the commonest spelling of a near-identical group."""
    keys = [
        normalize_name(hint) if hint else normalize_name(name)
        for name, hint in zip(names, hints, strict=True)
    ]
    parent = {key: key for key in keys}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    by_pattern: dict[str, str] = {}
    for key in dict.fromkeys(keys):
        if len(key) < 6:
            continue
        for i, ch in enumerate(key):
            if ch in _NUMERALS or ch in _DIGITS:
                continue
            pattern = key[:i] + _MASK + key[i + 1 :]
            if pattern in by_pattern:
                parent[find(key)] = find(by_pattern[pattern])
            else:
                by_pattern[pattern] = key
    counts = Counter(keys)
    first_seen = {key: index for index, key in reversed(list(enumerate(keys)))}
    groups: dict[str, list[str]] = {}
    for key in dict.fromkeys(keys):
        groups.setdefault(find(key), []).append(key)
    best = {root: min(members, key=lambda k: (-counts[k], first_seen[k])) for root, members in groups.items()}
    return [best[find(key)] for key in keys]


def _measure_frame(rows: list[dict], groups: Sequence[Hashable] | None = None) -> pd.DataFrame:
    """The ``measures`` table of ``rows``; canonical names are assigned within each group of rows."""
    names, hints = [row["name"] for row in rows], [row["_hint"] for row in rows]
    members: dict[Hashable, list[int]] = {}
    for position, group in enumerate(groups if groups is not None else [None] * len(names)):
        members.setdefault(group, []).append(position)
    for positions in members.values():
        group_names = _assign_canonical([names[i] for i in positions], [hints[i] for i in positions])
        for position, name in zip(positions, group_names, strict=True):
            rows[position].update(canonical=name, theme="")
    return schema.from_rows(rows, "measures")


def extract_measures(text: str, *, lexicon: MeasureLexicon | None = None) -> pd.DataFrame:
    """The governance measures named in a sentence or paragraph.

    Args:
        text: free text (one sentence or several).
        lexicon: measure lexicon; defaults to the project lexicon (read once, cached).

    Returns:
        The ``measures`` table (see :mod:`govnews.schema`) with ``article_id`` '',
        ``sentence_no`` <NA>, ``office`` '' and ``theme`` ''.
    """
    lexicon = lexicon or load_measure_lexicon()
    measures, _candidates = _rows_of(_scan_text(text or "", lexicon))
    for row in measures:
        row.update(article_id="", sentence_no=pd.NA, office="")
    return _measure_frame(measures)


def extract_measures_from_sentences(
    sentences: pd.DataFrame,
    *,
    lexicon: MeasureLexicon | None = None,
    groups: Sequence[Hashable] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Measures of every sentence, and the candidates that were rejected.

    Args:
        sentences: the ``sentences`` table (needs article_id, sentence_no, text, office).
        lexicon: measure lexicon; defaults to the project lexicon.
        groups: a label per sentence; canonical names are assigned within each group (the build
            passes each sentence's raw file, so a file's measures do not depend on the files
            processed beside it). Default: one group.

    Returns:
        ``(measures, measure_candidates)`` tables. Canonical names are assigned across all
        sentences of a group, so spelling variants in different articles share one canonical.

    Raises:
        GovnewsError: a needed column is missing.
    """
    needed = ("article_id", "sentence_no", "text", "office")
    missing = [column for column in needed if column not in sentences.columns]
    if missing:
        raise GovnewsError(None, f"the sentences table lacks column(s) {', '.join(missing)}")
    lexicon = lexicon or load_measure_lexicon()
    if groups is not None and len(groups) != len(sentences):
        raise ValueError(f"{len(groups)} group labels for {len(sentences)} sentences")
    measure_rows: list[dict] = []
    candidate_rows: list[dict] = []
    measure_groups: list[Hashable] = []
    sentence_groups = groups if groups is not None else [None] * len(sentences)

    def strings(column: str) -> list[str]:
        return sentences[column].astype("string").fillna("").tolist()

    sentence_nos = sentences["sentence_no"].tolist()
    rows = zip(strings("article_id"), sentence_nos, strings("text"), strings("office"), strict=True)
    for (article_id, sentence_no, text, office), group in zip(rows, sentence_groups, strict=True):
        keys = {"article_id": article_id, "sentence_no": sentence_no}
        measures, candidates = _rows_of(_scan_text(text, lexicon))
        for row in measures:
            row.update(keys, office=office)
        for row in candidates:
            row.update(keys)
        measure_rows += measures
        measure_groups += [group] * len(measures)
        candidate_rows += candidates
    measures_table = _measure_frame(measure_rows, measure_groups)
    return measures_table, schema.from_rows(candidate_rows, "measure_candidates")
