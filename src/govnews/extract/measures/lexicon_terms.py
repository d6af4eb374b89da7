"""Evidence from the lexicon and from lists.

* ``lexicon`` — a well-known measure from the lexicon, matched with quotation marks removed;
* ``listed_with_measure`` — an item listed with 、 next to an accepted measure
  (依托“路长制”、片区化管理).
"""

from __future__ import annotations

import re

from govnews.extract.measures.found import PRIORITY, Found, Scan, SpanIndex, kind_words_of
from govnews.extract.measures.kind_heads import is_generic
from govnews.extract.measures.lists import list_item_spans, trim_first_item
from govnews.extract.measures.slogans import listing_clauses
from govnews.extract.measures.text import MAX_LIST_ITEMS, strip_quotes
from govnews.patterns import overlapping_matches
from govnews.resources.measure_lexicon import LEXICON_IGNORED, QUOTE_MARKS, normalize_name
from govnews.vocabulary import HAN

_LEXICON_IGNORED_CHAR = re.compile("[" + re.escape(LEXICON_IGNORED) + "]")


# --- lexicon


def find_lexicon_terms(scan: Scan) -> None:
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
                Found(
                    start=positions[i],
                    end=positions[end - 1] + 1,
                    name=strip_quotes(text[positions[i] : positions[end - 1] + 1]),
                    kind=scan.lexicon.entry_kind.get(canonical, ""),
                    evidence="lexicon",
                    priority=PRIORITY["lexicon"],
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


def find_listed_with_measures(scan: Scan) -> None:
    """依托“路长制”、片区化管理: the other items of a 、-list that holds an accepted measure."""
    lexicon, text = scan.lexicon, scan.text
    anchor_spans = [f for f in scan.found if f.evidence.startswith("quoted") or f.evidence == "lexicon"]
    if not anchor_spans or "、" not in text:
        return
    anchors = SpanIndex(anchor_spans)
    for clause_start, clause_end in listing_clauses(text):
        if not anchors.overlapping(clause_start, clause_end):
            continue
        items = list_item_spans(text, clause_start, clause_end)
        if len(items) > MAX_LIST_ITEMS:
            continue
        items[0] = trim_first_item(lexicon, text, items[0])
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
            if not 2 <= len(name) <= 8 or not re.fullmatch(rf"[{HAN}]+", name):
                continue
            if is_generic(lexicon, name) or name.endswith(lexicon.place_suffixes):
                continue
            scan.found.append(
                Found(
                    start=start,
                    end=end,
                    name=name,
                    kind="",
                    evidence="listed_with_measure",
                    priority=PRIORITY["listed"],
                )
            )


def _item_is_anchor(text: str, start: int, end: int, anchor: Found) -> bool:
    core = normalize_name(text[start:end])
    name = normalize_name(anchor.name)
    return (
        anchor.start >= start - 1
        and anchor.end <= end + 1
        and (core == name or (core.startswith(name) and core[len(name) :] in kind_words_of(anchor)))
    )
