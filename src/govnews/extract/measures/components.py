"""After the evidence rules: one row per span, and the parts and expansions of slogans.

Components of a slogan come from its own parts, from a list introduced by 即 after it or from a list
printed right before it; expansions come from “part”即meaning and from parentheses
(一个引领（党建引领）). Measures that are parts of another measure become candidates.
"""

from __future__ import annotations

import re

from govnews.extract.measures.found import Found, Region, Scan, SpanIndex, kind_words_of
from govnews.extract.measures.lists import clause_start_of, list_item_spans, trim_first_item
from govnews.extract.measures.text import OPENING_MARKS, leading_count, strip_quotes
from govnews.resources.measure_lexicon import MeasureLexicon, normalize_name
from govnews.vocabulary import SMALL_NUMERALS

# A numbered part: 一个幼儿园, 两个先行 (a numeral and a classifier).
_NUMBERED_PART = re.compile(rf"[{SMALL_NUMERALS}]+[个项条种张套名支级方]")
_QUOTED_MEANING = re.compile(r"[“『「]([^”』」]{2,})[”』」]")
_SAME_AS = re.compile(r"\s*[（(](?:即|简称|又称|也称|亦称)[：:]?")
_INTRODUCES_LIST = re.compile(r"[，,]?(?:即|也就是|就是)[：:]?")

_EXPANSION = re.compile(r"[“『「]([^”』」“]{1,12})[”』」]即([^，,。；;）)\n]{1,30})")


def resolve_overlaps(scan: Scan) -> None:
    """One row per span: a span inside another accepted span is dropped; lexicon hints are kept."""
    if len(scan.found) < 2:
        return
    ordered = sorted(scan.found, key=lambda f: (f.priority, -(f.end - f.start), f.start))
    kept = SpanIndex()
    kept_list: list[Found] = []
    for candidate in ordered:
        container = kept.containing(candidate.start, candidate.end)
        if container is None and candidate.evidence == "lexicon":
            # “五星”支部创建: the lexicon term runs over a measure already found; it names its canonical.
            container = next(iter(kept.overlapping(candidate.start, candidate.end)), None)
        if container is None or _nested_quote(container, candidate):
            kept.add(candidate)
            kept_list.append(candidate)
            continue
        _merge_hint(scan.lexicon, container, candidate)
        if (container.start, container.end) != (candidate.start, candidate.end):
            scan.reject(candidate.name, "inside_measure")
    kept_list.sort(key=lambda f: (f.start, f.end))
    scan.found = kept_list


def _nested_quote(container: Found, candidate: Found) -> bool:
    """“…、‘一星一专班’监督落实、…”的工作格局: a quoted measure inside a quoted slogan is a measure too."""
    return (
        candidate.evidence.startswith("quoted")
        and container.evidence.startswith("quoted")
        and container.start < candidate.start - 1
        and candidate.end < container.end
    )


def _merge_hint(lexicon: MeasureLexicon, keeper: Found, other: Found) -> None:
    """A lexicon term that is the keeper's name (or its name before a kind word) names its canonical.

    Not across a modifier (门前三包综合整治行动 is a campaign of its own, not the rule 门前三包), nor
    across the head of an institution or role (红色物业管家 is a role, 红色物业 a programme).
    """
    if not other.canonical_hint or keeper.canonical_hint:
        return
    core = normalize_name(keeper.name)
    term = normalize_name(other.name)
    kind_words = (
        w
        for w in kind_words_of(keeper)
        if w in lexicon.kind_of and len(w) > 1 and w not in lexicon.unquoted_heads
    )
    if core in term or any(core == term + normalize_name(w) for w in kind_words):
        keeper.canonical_hint = other.canonical_hint


def attach_components(scan: Scan) -> None:
    """Components and expansions; measures that are parts of another measure become candidates."""
    # “一个引领”即党建引领: the quoted part expands a component of a slogan found in the text.
    owners: dict[str, Found] = {}
    for found in scan.found:
        for part in found.components:
            owners.setdefault(part, found)
    claimed: list[Region] = []
    for match in _EXPANSION.finditer(scan.text) if owners and "即" in scan.text else ():
        part = strip_quotes(match.group(1))
        owner = owners.get(part)
        if owner is not None and owner.start != match.start(1):
            owner.expansions.append(f"{part}={_meaning(match.group(2))}")
            claimed.append(Region(match.start(1), match.start(1) + len(match.group(1)), owner.name))
    _drop_claimed(scan, claimed)
    claimed = []
    for found in scan.found:
        span = _components_after(scan, found) or _components_before(scan, found)
        if span:
            claimed.append(Region(span[0], span[1], found.name))
    _drop_claimed(scan, claimed)
    _link_same_measures(scan)


def _meaning(text: str) -> str:
    """What a part stands for: the quoted phrase when there is one (完善“真绿、真美”长效目标 → 真绿、真美).

    Removing the marks instead would run the phrase into the words around it.
    """
    quoted = _QUOTED_MEANING.search(text)
    return quoted.group(1) if quoted else strip_quotes(text)


def _numbered_parts(parts: list[str]) -> list[str]:
    """Parts cut to start at their number when the others start with one.

    即走进一个幼儿园、一个小学、一个中学: the verb belongs to the list, not to its first part.
    """
    starts = [_NUMBERED_PART.search(part) for part in parts]
    if sum(bool(s) and s.start() == 0 for s in starts) * 2 <= len(parts):
        return parts
    return [
        part[s.start() :] if s and s.start() <= 3 else part for part, s in zip(parts, starts, strict=True)
    ]


def _link_same_measures(scan: Scan) -> None:
    """“二马机制”（即“马上办理、马路办公”工作机制）, X（简称“Y”）: the text says two names are one measure."""
    if len(scan.found) < 2 or ("（" not in scan.text and "(" not in scan.text):
        return
    for found in scan.found:
        intro = _SAME_AS.match(scan.text, found.after())
        if intro is None:
            continue
        close = scan.text.find("）", intro.end(), intro.end() + 40)
        for other in scan.found:
            if other is not found and intro.end() <= other.start and (close < 0 or other.end <= close):
                other.same_as = found.name
                break


def _drop_claimed(scan: Scan, claimed: list[Region]) -> None:
    if not claimed:
        return
    regions = SpanIndex(claimed)
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


def _components_after(scan: Scan, found: Found) -> tuple[int, int] | None:
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
    count = leading_count(normalize_name(found.name))
    first_clause = _top_level_items(body, "，,")
    items = _top_level_items(body[: first_clause[0][1]], "、") if first_clause else []
    if count and len(items) != count:
        # 即坚持一个引领（党建引领），围绕一个中心（人民），…: numbered parts over several clauses.
        items = _top_level_items(body, "，,、")[:count]
        numbered = all(re.search(f"[{SMALL_NUMERALS}（(]", item) for _s, _e, item in items)
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
    found.components = _numbered_parts(components)
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
        return strip_quotes(match.group(1)), strip_quotes(match.group(2))
    return strip_quotes(item), ""


def _components_before(scan: Scan, found: Found) -> tuple[int, int] | None:
    """Components printed right before a numbered slogan.

    一个项目、一名领导、一个团队、一套方案、一抓到底“五个一”机制; 会议、督办、月报、台账管理“四项”工作机制.
    """
    text = scan.text
    if not found.evidence.startswith("quoted") or not found.kind or found.start < 2 or found.components:
        return None
    count = leading_count(normalize_name(found.name))
    opening = found.start - 1
    if not count or text[opening] not in OPENING_MARKS:
        return None
    clause_start = clause_start_of(text, opening)
    items = list_item_spans(text, clause_start, opening)
    if len(items) < count or count < 2:
        return None
    items = items[-count:]
    middle = {e - s for s, e in items[1:-1]}
    first_start, first_end = items[0]
    if len(middle) == 1 and first_end - first_start > (size := middle.pop()):
        items[0] = (first_end - size, first_end)
    else:
        items[0] = trim_first_item(scan.lexicon, text, items[0])
    parts = [strip_quotes(text[s:e]) for s, e in items]
    if any(not part or len(part) > 8 for part in parts):
        return None
    found.components = parts
    return items[0][0], items[-1][1]
