"""Evidence from kind words without quotation marks.

* ``kind_suffix`` — an unquoted name ending in a strong kind word, reaching back to a verb
  (实行三级动态分析会制度, 设置大气污染防治专班);
* ``founded+head`` — an unquoted institution, role or scheme named by its head word, right after a
  verb that founds it (组建全域党建联盟, 搭建起四级联动体系, 打赢治水拆违百日攻坚战);
* ``enumeration+kind`` — each item of a list closed by 等 and a kind word
  (周观摩例会、月考核评比…等各项工作机制).
"""

from __future__ import annotations

import re

from govnews.extract.measures.found import PRIORITY, Found, Scan
from govnews.extract.measures.lists import clause_start_of, list_item_spans, trim_first_item, without_marks
from govnews.extract.measures.quoted import is_bare_count, kind_after
from govnews.extract.measures.text import MASK, OPENING_MARKS, is_name_char
from govnews.resources.measure_lexicon import MeasureLexicon, normalize_name
from govnews.vocabulary import HAN, SMALL_NUMERALS

MAX_UNQUOTED_NAME_CHARS = 16


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
        if previous in OPENING_MARKS:
            return position, "quote"
        if previous == MASK:
            return position, "after_quote"
        if not is_name_char(previous):
            return position, "punct"
        position -= 1


def _ends_with_kind_word(lexicon: MeasureLexicon, text: str, position: int) -> bool:
    return text.endswith(lexicon.unquoted_kind_suffixes, 0, position)


def is_generic(lexicon: MeasureLexicon, name: str) -> bool:
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
    return len(last_conjunct) >= 2 and last_conjunct != name and is_generic(lexicon, last_conjunct)


def find_kind_suffixes(scan: Scan, masked: str) -> None:
    lexicon = scan.lexicon
    for match in lexicon.unquoted_kind_pattern.finditer(masked):
        word, kind_start, kind_end = match.group(), match.start(), match.end()
        if masked[kind_end : kind_end + 1] == "化":
            continue  # 制度化, 模式化: an adjective, not the name of a measure
        if masked.startswith(lexicon.document_words, kind_end):
            continue  # 依照既定行动方案: the head is the document, not the kind word
        min_chars, max_chars = (1, 4) if word == "长制" else (2, MAX_UNQUOTED_NAME_CHARS)
        bounded = _left_name(lexicon, masked, kind_start, max_chars)
        if bounded is None:
            scan.reject(scan.text[kind_start - max_chars : kind_end], "no_left_boundary")
            continue
        start, how = bounded
        year = _YEAR.match(masked, start, kind_start)
        if year:  # 2021年度目标责任制: the year dates the rule, it does not name it
            start = year.end()
        modifier = masked[start:kind_start]
        name = masked[start:kind_end]
        if not modifier or how == "after_quote":
            continue  # “两代表一委员”联系群众制度: the quoted name owns this kind word
        if len(modifier) < min_chars or is_generic(lexicon, modifier) or is_bare_count(modifier):
            scan.reject(name, "generic_modifier")
            continue
        if word in lexicon.needs_verb_before and how not in ("verb", "list", "quote"):
            scan.reject(name, "no_verb_before")
            continue
        if how in ("punct", "start") and len(modifier) < 4:
            scan.reject(name, "no_verb_before")
            continue
        scan.found.append(
            Found(
                start=start,
                end=kind_end,
                name=name,
                kind=lexicon.kind_of[word],
                evidence="kind_suffix",
                priority=PRIORITY["kind_suffix"],
                kind_word=word,
            )
        )


# --- unquoted names of institutions, roles and schemes after a founding verb

_MAX_HEAD_NAME_CHARS = 12
_CONJUNCTION = re.compile("[和与及]")
_YEAR = re.compile(r"\d{4}年度?")
_LEADING_COUNT = re.compile(rf"(?:\d+|[{SMALL_NUMERALS}]+)[个支名家所处座项条批](?=.)")
_PARTICLE = re.compile("[以为的在把被将对让使]")
_NAME_RUN = re.compile(rf"[{HAN}0-9A-Za-z+＋]{{2,{_MAX_HEAD_NAME_CHARS}}}")


def find_founded_heads(scan: Scan, masked: str) -> None:
    """组建全域党建联盟, 设立了网格议事日, 搭建起四级联动体系: a verb founds a named body or scheme.

    The name runs from the verb (and one particle: 了, 起, 出) to the next boundary word or
    punctuation, and must end in one of ``unquoted_heads``; its modifier must not be generic.
    """
    lexicon = scan.lexicon
    pattern = lexicon.founding_verb_pattern
    if pattern is None:
        return
    for verb in pattern.finditer(masked):
        start = verb.end()
        if masked.startswith(("起了", "出了"), start):
            start += 2
        elif masked[start : start + 1] in ("了", "起", "出"):
            start += 1
        run = _NAME_RUN.match(masked, start)
        if run is None:
            continue
        name = _cut_at_boundary(lexicon, run.group())
        if _CONJUNCTION.search(name):
            for offset, part in _conjuncts(name):
                _add_founded(scan, start + offset, part)
        elif name.endswith(lexicon.unquoted_heads):
            _add_founded(scan, start, name)


def _conjuncts(run: str) -> list[tuple[int, str]]:
    """(offset, name) of each part of 社区服务中心和党群服务站: split at 和, 与, 及."""
    parts, offset = [], 0
    for part in _CONJUNCTION.split(run):
        parts.append((offset, part))
        offset += len(part) + 1
    return parts


def _add_founded(scan: Scan, start: int, name: str) -> None:
    lexicon = scan.lexicon
    head = _head_ending(lexicon, name)
    if not head:
        return
    count = _LEADING_COUNT.match(name)
    if count:  # 组建12支党员突击队: the count is not part of the name
        start, name = start + count.end(), name[count.end() :]
    modifier = name[: -len(head)]
    if _PARTICLE.search(modifier):
        return  # 构建以居民为中心的…: a clause, not a name
    if len(modifier) < 2 or is_generic(lexicon, modifier) or is_bare_count(modifier):
        scan.reject(name, "generic_modifier")
        return
    scan.found.append(
        Found(
            start=start,
            end=start + len(name),
            name=name,
            kind=lexicon.kind_of.get(head, ""),
            evidence="founded+head",
            priority=PRIORITY["kind_suffix"],
            kind_word=head,
        )
    )


def _cut_at_boundary(lexicon: MeasureLexicon, run: str) -> str:
    """``run`` up to the first boundary word after its first character (党建联盟服务群众 stays whole)."""
    pattern = lexicon.boundary_starts
    match = pattern.search(run, 1) if pattern else None
    return run[: match.start()] if match else run


def _head_ending(lexicon: MeasureLexicon, name: str) -> str:
    """The head word of ``unquoted_heads`` that ends ``name`` (the longest), or ''."""
    if not name.endswith(lexicon.unquoted_heads) or name.endswith(lexicon.not_head_words):
        return ""
    return max((head for head in lexicon.unquoted_heads if name.endswith(head)), key=len)


# --- enumerations closed by 等 + kind word


def _split_at_yiji(text: str, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Items joined by 以及 are two items (镇中村整治以及线乱拉整治)."""
    spans = []
    for start, end in items:
        cut = text.find("以及", start, end)
        spans += [(start, cut), (cut + 2, end)] if cut > start else [(start, end)]
    return spans


def find_enumerations(scan: Scan) -> None:
    lexicon, text = scan.lexicon, scan.text
    if "等" not in text:
        return
    for match in re.finditer("等", text):
        kind = kind_after(lexicon, text, match.start())
        if not kind or kind[2] != "deng":
            continue
        clause_start = clause_start_of(text, match.start())
        items = list_item_spans(text, clause_start, match.start())
        if not items:
            continue
        items = _split_at_yiji(text, items)
        items[0] = trim_first_item(lexicon, text, items[0])
        if len(items) < 2:
            continue
        head = text[match.start() : kind[1]]
        if kind[0] not in lexicon.enumeration_kinds and not any(
            m in head for m in lexicon.enumeration_markers
        ):
            # 道路改造、管网铺设等项目, 走访慰问、安全排查等行动: lists of tasks, not of named measures.
            scan.reject(text[items[0][0] : items[-1][1]], "enumeration_of_tasks")
            continue
        longest_other = max(e - s for s, e in items[1:])
        if items[0][1] - items[0][0] > max(6, 2 * longest_other):
            items = items[1:]  # 志愿者们为居民提供义诊、理发…: the first item still holds its clause
        for item in items:
            start, end = without_marks(text, *item)
            name = text[start:end]
            key = normalize_name(name)
            if not 3 <= len(key) <= 12 or (re.search(r"\d", key) and not re.search(r"[+＋]", key)):
                scan.reject(name, "enumeration_item")
                continue
            if key.endswith(lexicon.place_suffixes) or is_generic(lexicon, key):
                scan.reject(name, "enumeration_item")
                continue
            scan.found.append(
                Found(
                    start=start,
                    end=end,
                    name=name,
                    kind=lexicon.kind_of[kind[0]],
                    evidence="enumeration+kind",
                    priority=PRIORITY["enumeration"],
                )
            )
