"""One text → everything found in it: the evidence rules in order, then overlaps and components."""

from __future__ import annotations

from govnews.measure_lexicon import MeasureLexicon
from govnews.measures.components import attach_components, resolve_overlaps
from govnews.measures.found import Scan
from govnews.measures.kind_heads import find_enumerations, find_kind_suffixes
from govnews.measures.lexicon_terms import find_lexicon_terms, find_listed_with_measures
from govnews.measures.quoted import find_quoted
from govnews.measures.slogans import find_clause_patterns, find_compact_numeric
from govnews.measures.text import MASK


def scan_text(text: str, lexicon: MeasureLexicon) -> Scan:
    scan = Scan(text=text, lexicon=lexicon)
    find_quoted(scan)
    masked = _masked(scan)
    find_kind_suffixes(scan, masked)
    find_enumerations(scan)
    find_clause_patterns(scan, masked)
    find_compact_numeric(scan, masked)
    find_lexicon_terms(scan)
    find_listed_with_measures(scan)
    resolve_overlaps(scan)
    attach_components(scan)
    return scan


def _masked(scan: Scan) -> str:
    """The text with every quoted span (marks included) blanked out, positions unchanged."""
    if not scan.quoted:
        return scan.text
    chars = list(scan.text)
    for start, end, _mark in scan.quoted:
        for i in range(start - 1, min(end + 1, len(chars))):
            chars[i] = MASK
    return "".join(chars)
