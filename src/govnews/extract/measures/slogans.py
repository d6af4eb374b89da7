"""Evidence from the shape of a phrase, without quotation marks.

* ``numeric_slogan`` / ``parallel_slogan`` — numbered or parallel slogans
  (四纵四横两区两园五景六亭十五街, 定人、定岗、定责);
* ``list+kind`` — a 、-list of parallel phrases named by the kind word after it
  (坚持党建统领、网格智治的基层治理思路; 确立班子成员包社区、机关干部包小区的管理模式);
* ``paired_slogan`` — two phrases ending in a pair of ``paired_slogans`` words (基层吹哨、部门报到);
* ``one_one_slogan`` — 一X一Y after a verb that sets up measures (坚持一小区一方案, 推行一村一策);
* ``role_system`` — X长 roles set up by a verb (设置楼栋长、楼层长).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from govnews.extract.measures.found import PRIORITY, Found, Scan
from govnews.extract.measures.lists import list_item_spans, trim_leading_verb
from govnews.extract.measures.text import (
    CJK,
    COMPACT_NUMERIC,
    MASK,
    MAX_LIST_ITEMS,
    NUMERAL_UNIT,
    NUMERALS,
    SMALL_NUMERALS,
    common_infix_char,
    common_prefix,
    common_suffix,
    is_formula,
    leading_count,
    split_formula,
    starts_numeric,
)
from govnews.resources.measure_lexicon import MeasureLexicon
from govnews.vocabulary import HAN

_COMPACT_NUMERIC_HINT = re.compile(3 * rf"[{SMALL_NUMERALS}\d]+[^\W\d_{NUMERALS}]")

_CJK_WORD = re.compile(rf"[{HAN}]+")
_DATE = re.compile(r"\d+[年月日时]")
_ONE_ONE = re.compile(rf"一([{HAN}]{{1,3}}?)一([{HAN}]{{1,3}}?)(?=[^{HAN}]|$|[的等和及与])")
_ADJECTIVE_ENDINGS = ("化", "型", "性", "式")
# A run of names joined by +; group 1 is the first +, so the first part is what comes before it.
_FORMULA_RUN = re.compile(
    rf"[{HAN}0-9A-Za-z（）()]{{1,16}}(\s*[+＋])(?:\s*[{HAN}0-9A-Za-z（）()]{{1,16}}\s*[+＋]?)+"
)
_FORMULA_END = re.compile("[的等和与及]")
# What may follow the last role of a list: its count of levels or a kind word (三级联动, 制度).
_ROLE_TAIL = re.compile(rf"[{SMALL_NUMERALS}]级|制|的|等")
_LIST_TAIL = re.compile(rf"的([{HAN}]{{0,6}})")

_CLAUSE_SPLIT = re.compile(r"[，,。；;：:！？!?\n（）()《》【】\[\]…—]")


# --- clause patterns: parallel slogans, numbered lists, role systems


def listing_clauses(text: str) -> Iterable[tuple[int, int]]:
    """Start and end of each clause of ``text`` that holds a 、-list."""
    position = 0
    for clause in _CLAUSE_SPLIT.split(text):  # every separator is one character
        if "、" in clause:
            yield position, position + len(clause)
        position += len(clause) + 1


def find_clause_patterns(scan: Scan, masked: str) -> None:
    if "、" not in masked:
        return
    for start, end in listing_clauses(masked):
        items = list_item_spans(masked, start, end)
        if not 2 <= len(items) <= MAX_LIST_ITEMS:
            continue
        _find_roles(scan, masked, items)
        if not _find_named_list(scan, masked, items):
            _find_parallel(scan, masked, items)


def _find_roles(scan: Scan, masked: str, items: list[tuple[int, int]]) -> None:
    """设置楼栋长、楼层长: a verb setting up X长 roles (the 长制 family)."""
    lexicon = scan.lexicon
    last_start, last_end = items[-1]
    role_end = masked.rfind("长", last_start, last_end) + 1
    if role_end == 0:
        return  # every role ends in 长, the last one too
    if role_end < last_end and not _ROLE_TAIL.match(masked, role_end):
        return  # …中心户长三级联动 ends the list; …局长讲话 does not
    items = [*items[:-1], (last_start, role_end)]
    first_start, first_end = items[0]
    first = masked[first_start:first_end]
    trimmed = trim_leading_verb(lexicon, first)
    if trimmed == first:
        return
    spans = [(first_end - len(trimmed), first_end), *items[1:]]
    roles = [masked[s:e] for s, e in spans]
    if all(
        2 <= len(role) <= 5
        and role.endswith("长")
        and role[-2] not in lexicon.official_role_chars
        and CJK.fullmatch(role[0])
        and not re.search(r"[\d" + MASK + "]", role)
        for role in roles
    ):
        scan.found.append(
            Found(
                start=spans[0][0],
                end=spans[-1][1],
                name="、".join(roles),
                kind="",
                evidence="role_system",
                priority=PRIORITY["role"],
                components=roles,
            )
        )


def _find_parallel(scan: Scan, masked: str, items: list[tuple[int, int]]) -> None:
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
    numeric = [starts_numeric(part) for part in parts]
    if all(numeric):
        if _numbered_sequence(parts):
            _add_unquoted_slogan(scan, spans, parts, "numeric_slogan")
        return
    # Unquoted, only a shared lead word makes a slogan (定人、定岗、定责); a shared head noun makes
    # an ordinary list (市场需求、企业需求、人才需求).
    prefix = common_prefix(parts)
    if parts[0][0] in lexicon.parallel_stop_prefixes or _after_stop_prefix(lexicon, masked, spans[0][0]):
        return  # 更精细、更贴心; 建设更加宜创、宜业、宜居的新城: degrees of a quality
    if all(part.endswith(lexicon.place_suffixes) for part in parts):
        return  # 宝锦路、宝泰路、宝仁路: places
    if prefix >= 1 if len(parts) >= 3 else prefix >= 2 and size - prefix <= 2:
        _add_unquoted_slogan(scan, spans, parts, "parallel_slogan")


def _numbered_sequence(parts: list[str]) -> bool:
    """一个引领、两个先行、三方协同 (counting up from one) or 一个项目、一名领导、一个团队 (all one)."""
    values = [leading_count(part) for part in parts]
    if any(value is None for value in values):
        return False
    if values == list(range(1, len(values) + 1)):
        return True
    return len(values) >= 3 and all(value == 1 for value in values)


def _add_unquoted_slogan(scan: Scan, spans: list[tuple[int, int]], parts: list[str], evidence: str) -> None:
    scan.found.append(
        Found(
            start=spans[0][0],
            end=spans[-1][1],
            name="、".join(parts),
            kind="",
            evidence=evidence,
            priority=PRIORITY["parallel"],
            components=parts,
        )
    )


def find_compact_numeric(scan: Scan, masked: str) -> None:
    """四纵四横两区两园五景六亭十五街, 一环十横十纵: three or more numbered units in a row."""
    if not _COMPACT_NUMERIC_HINT.search(masked):
        return
    for match in COMPACT_NUMERIC.finditer(masked):
        name = match.group()
        if _DATE.search(name):
            scan.reject(name, "date")  # 三亚12月15日: a place and a date, not three numbered parts
            continue
        units = NUMERAL_UNIT.findall(name)
        scan.found.append(
            Found(
                start=match.start(),
                end=match.end(),
                name=name,
                kind="",
                evidence="numeric_slogan",
                priority=PRIORITY["numeric"],
                components=units,
            )
        )


def _after_stop_prefix(lexicon: MeasureLexicon, masked: str, position: int) -> bool:
    """True when a degree or negation word (更加, 不, 最 …) stands right before ``position``."""
    return masked.endswith(lexicon.parallel_stop_tuple, 0, position)


# --- lists named by the kind word after them


def _find_named_list(scan: Scan, masked: str, items: list[tuple[int, int]]) -> bool:
    """坚持党建统领、网格智治的基层治理思路: a list of parallel phrases, then 的 and a kind word.

    The kind word names the whole list as one practice; the phrases must look like a slogan (two
    phrases of three characters or more; no shared head noun, which makes an ordinary list:
    食品安全、药品安全的监管体系). Returns True when the list was taken.
    """
    lexicon = scan.lexicon
    last_start, last_end = items[-1]
    if masked.find("的", last_start, last_end) < 0:
        return False
    tail = _LIST_TAIL.search(masked, last_start, last_end)
    if tail is None or not tail.group(1).endswith(lexicon.list_kinds):
        return False
    boundary = lexicon.boundary_starts
    if tail.end() < last_end and (boundary is None or not boundary.match(masked, tail.end())):
        return False  # …的管理模式落到实处 is fine; …的模式化 is not a kind word
    first_start, first_end = items[0]
    first = trim_leading_verb(lexicon, masked[first_start:first_end])
    spans = [(first_end - len(first), first_end), *items[1:-1], (last_start, tail.start())]
    parts = [masked[s:e] for s, e in spans]
    if not all(3 <= len(part) <= 10 and _CJK_WORD.fullmatch(part) for part in parts):
        return False
    if all(part.endswith(_ADJECTIVE_ENDINGS) for part in parts):
        return False  # 智慧化、增值型的模式: qualities, not a slogan
    if common_suffix(parts) >= 2 or any(part[0] in lexicon.parallel_stop_prefixes for part in parts):
        return False
    if len({len(part) for part in parts}) > 1 and not common_infix_char(parts):
        return False  # unequal phrases need a shared word (班子成员包社区、机关干部包小区)
    kind_word = next(w for w in lexicon.list_kinds if tail.group(1).endswith(w))
    scan.found.append(
        Found(
            start=spans[0][0],
            end=spans[-1][1],
            name="、".join(parts),
            kind=lexicon.kind_of.get(kind_word, kind_word),
            evidence="list+kind",
            priority=PRIORITY["parallel"],
            components=parts,
            tail=tail.end(),
        )
    )
    return True


# --- formulas without quotation marks


def find_formulas(scan: Scan, masked: str) -> None:
    """推行网格员+志愿者+物业的联动模式: parts joined by + name a measure without quotation marks.

    The first part starts after the last verb before it, the last part ends before 的, 等 or a verb;
    every part is a name of eight characters or fewer (see :func:`is_formula`).
    """
    lexicon = scan.lexicon
    for match in _FORMULA_RUN.finditer(masked):
        start, end = match.start(), match.end()
        first = trim_leading_verb(lexicon, masked[start : masked.index(match.group(1), start)])
        start = masked.index(match.group(1), start) - len(first)
        last_start = max(masked.rfind("+", start, end), masked.rfind("＋", start, end)) + 1
        cut = _FORMULA_END.search(masked, last_start + 1, end)
        end = cut.start() if cut else end
        boundary = (
            lexicon.boundary_starts.search(masked, last_start + 1, end) if lexicon.boundary_starts else None
        )
        end = boundary.start() if boundary else end
        name = masked[start:end].strip()
        parts = split_formula(name)
        if not is_formula(name) or any(len(part) > 8 for part in parts):
            continue
        scan.found.append(
            Found(
                start=start,
                end=start + len(name),
                name=name,
                kind="",
                evidence="formula",
                priority=PRIORITY["parallel"],
                components=parts,
            )
        )


# --- paired slogans and 一X一Y


def find_paired_slogans(scan: Scan, masked: str) -> None:
    """基层吹哨、部门报到 (``paired_slogans``): two short phrases ending in the words of a pair."""
    lexicon = scan.lexicon
    for first, second in lexicon.paired_slogans:
        position = masked.find(first)
        while position != -1:
            match = _pair_at(lexicon, masked, position, first, second)
            if match:
                start, end, parts = match
                scan.found.append(
                    Found(
                        start=start,
                        end=end,
                        name="、".join(parts),
                        kind="",
                        evidence="paired_slogan",
                        priority=PRIORITY["parallel"],
                        components=parts,
                    )
                )
            position = masked.find(first, position + 1)


def _pair_at(
    lexicon: MeasureLexicon, masked: str, position: int, first: str, second: str
) -> tuple[int, int, list[str]] | None:
    left = _CJK_WORD.match(masked[max(0, position - 4) : position][::-1])
    if left is None:
        return None
    lead = trim_leading_verb(lexicon, left.group()[::-1])  # 按照基层 → 基层
    middle = position + len(first)
    if masked[middle : middle + 1] in "、，, ":
        middle += 1
    right = _CJK_WORD.match(masked, middle, middle + 4 + len(second))
    if not lead or right is None or second not in right.group():
        return None
    subject = right.group()[: right.group().index(second)]
    if not 1 <= len(subject) <= 4:
        return None
    start = position - len(lead)
    end = middle + len(subject) + len(second)
    return start, end, [lead + first, subject + second]


def find_one_one_slogans(scan: Scan, masked: str) -> None:
    """坚持一小区一方案, 推行一村一策: 一X一Y right after a verb that sets up measures."""
    lexicon = scan.lexicon
    for match in _ONE_ONE.finditer(masked):
        name = match.group()
        start = match.start()
        verb_end = start - 1 if masked[start - 1 : start] == "了" else start
        if name in lexicon.rejected_phrases or not masked.endswith(lexicon.introducing_verbs, 0, verb_end):
            continue
        scan.found.append(
            Found(
                start=start,
                end=match.end(),
                name=name,
                kind="",
                evidence="one_one_slogan",
                priority=PRIORITY["numeric"],
                components=["一" + match.group(1), "一" + match.group(2)],
            )
        )
