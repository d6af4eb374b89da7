"""Evidence from the shape of a phrase, without quotation marks.

* ``numeric_slogan`` / ``parallel_slogan`` — numbered or parallel slogans
  (四纵四横两区两园五景六亭十五街, 定人、定岗、定责);
* ``role_system`` — X长 roles set up by a verb (设置楼栋长、楼层长).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from govnews.measures.found import PRIORITY, Found, Scan
from govnews.measures.lists import list_item_spans, trim_leading_verb
from govnews.measures.text import (
    CJK,
    COMPACT_NUMERIC,
    MASK,
    MAX_LIST_ITEMS,
    NUMERAL_UNIT,
    NUMERALS,
    SMALL_NUMERALS,
    common_prefix,
    leading_count,
    starts_numeric,
)

_COMPACT_NUMERIC_HINT = re.compile(3 * rf"[{SMALL_NUMERALS}\d]+[^\W\d_{NUMERALS}]")

_CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")

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
        _find_parallel(scan, masked, items)


def _find_roles(scan: Scan, masked: str, items: list[tuple[int, int]]) -> None:
    """设置楼栋长、楼层长: a verb setting up X长 roles (the 长制 family)."""
    lexicon = scan.lexicon
    if not masked.endswith("长", 0, items[-1][1]):
        return  # every role ends in 长, the last one too
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
    if parts[0][0] in lexicon.parallel_stop_prefixes:
        return
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
