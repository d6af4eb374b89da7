"""Spans of 、-lists and clauses, shared by the evidence rules."""

from __future__ import annotations

from govnews.extract.measures.text import CLAUSE_END_CHARS
from govnews.patterns import overlapping_matches
from govnews.resources.measure_lexicon import QUOTE_MARKS, MeasureLexicon


def clause_start_of(text: str, position: int, limit: int = 150) -> int:
    floor = max(0, position - limit)
    for i in range(position - 1, floor - 1, -1):
        if text[i] in CLAUSE_END_CHARS:
            return i + 1
    return floor


def trim_leading_verb(lexicon: MeasureLexicon, item: str) -> str:
    """The part of a list's first item after its last boundary word (制定和完善周观摩例会 → 周观摩例会)."""
    # The last place before the item's last character where a boundary word ends: at each start the
    # pattern takes the longest word that ends in time.
    pattern = lexicon.boundary_starts
    ends = [m.end() for m in overlapping_matches(pattern, item, 0, len(item) - 1)] if pattern else []
    return item[max(ends) :] if ends else item


def without_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """The span with surrounding quotation marks and spaces left out."""
    while start < end and (text[start] in QUOTE_MARKS or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in QUOTE_MARKS or text[end - 1].isspace()):
        end -= 1
    return start, end


def list_item_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Offsets of the 、-separated items of text[start:end]."""
    items = []
    position = start
    for part in text[start:end].split("、"):
        items.append((position, position + len(part)))
        position += len(part) + 1
    return [(s, e) for s, e in items if e > s]


def trim_first_item(lexicon: MeasureLexicon, text: str, item: tuple[int, int]) -> tuple[int, int]:
    start, end = item
    trimmed = trim_leading_verb(lexicon, text[start:end])
    return end - len(trimmed), end
