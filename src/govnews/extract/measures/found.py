"""What a scan of one text holds: accepted measures (:class:`Found`) and rejected candidates."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field

from govnews.extract.measures.text import strip_quotes
from govnews.resources.measure_lexicon import MeasureLexicon

# ----------------------------------------------------------------------------- scanning


@dataclass
class Found:
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
    same_as: str = ""  # a measure the text says this one is (“二马机制”（即“马上办理、马路办公”…）)
    tail: int = -1  # where text after the measure (kind word included) starts; -1 = end

    def after(self) -> int:
        return self.end if self.tail < 0 else self.tail


@dataclass
class Scan:
    """Everything found in one text: accepted measures and rejected candidates."""

    text: str
    lexicon: MeasureLexicon
    found: list[Found] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    quoted: list[tuple[int, int, str]] = field(default_factory=list)  # content start, end, opening mark

    def reject(self, name: str, reason: str) -> None:
        name = strip_quotes(name)
        if name:
            self.rejected.append((name, reason))


PRIORITY = {
    "quoted": 0,
    "enumeration": 1,
    "kind_suffix": 2,
    "parallel": 3,
    "numeric": 3,
    "role": 4,
    "listed": 5,
    "lexicon": 6,
}


def kind_words_of(found: Found) -> set[str]:
    return {found.kind_word, found.kind} - {""}


class SpanIndex:
    """Spans (anything with start and end) in order of start, for overlap look-ups.

    A sentence holds a handful of spans: a scan of the list beats any index.
    """

    def __init__(self, spans: Iterable[Found | Region] = ()) -> None:
        self._spans: list = []
        for span in spans:
            self.add(span)

    def add(self, span: Found | Region) -> None:
        # After the spans with the same start: look-ups see equal starts in the order they were added.
        bisect.insort_right(self._spans, span, key=lambda indexed: indexed.start)

    def overlapping(self, start: int, end: int) -> list:
        """The spans that share a character with ``start:end``, by start."""
        return [span for span in self._spans if span.start < end and span.end > start]

    def containing(self, start: int, end: int) -> Found | Region | None:
        """The first span (by start) that covers ``start:end``."""
        return next((span for span in self._spans if span.start <= start and span.end >= end), None)


@dataclass
class Region:
    """Text that holds the parts of the measure named ``owner``."""

    start: int
    end: int
    owner: str
