"""One text → everything found in it: the evidence rules in order, then overlaps and components."""

from __future__ import annotations

from govnews.extract.measures.components import attach_components, resolve_overlaps
from govnews.extract.measures.found import Scan
from govnews.extract.measures.kind_heads import find_enumerations, find_founded_heads, find_kind_suffixes
from govnews.extract.measures.lexicon_terms import find_lexicon_terms, find_listed_with_measures
from govnews.extract.measures.quoted import find_quoted
from govnews.extract.measures.scope import reject_non_government
from govnews.extract.measures.slogans import (
    find_clause_patterns,
    find_compact_numeric,
    find_formulas,
    find_one_one_slogans,
    find_paired_slogans,
)
from govnews.extract.measures.text import MASK
from govnews.resources.measure_lexicon import MeasureLexicon


def scan_text(text: str, lexicon: MeasureLexicon) -> Scan:
    scan = Scan(text=text, lexicon=lexicon)
    find_quoted(scan)
    masked = _masked(scan)
    find_kind_suffixes(scan, masked)
    find_founded_heads(scan, masked)
    find_enumerations(scan)
    find_clause_patterns(scan, masked)
    find_compact_numeric(scan, masked)
    if "+" in masked or "＋" in masked:
        find_formulas(scan, masked)
    if lexicon.paired_first_pattern is not None and lexicon.paired_first_pattern.search(masked):
        find_paired_slogans(scan, masked)
    if masked.count("一") > 1:
        find_one_one_slogans(scan, masked)
    find_lexicon_terms(scan)
    find_listed_with_measures(scan)
    if scan.found:
        resolve_overlaps(scan)
        reject_non_government(scan)
        attach_components(scan)
    return scan


def _masked(scan: Scan) -> str:
    """The text with every quoted span (marks included) blanked out, positions unchanged."""
    if not scan.quoted:
        return scan.text
    text, pieces, position = scan.text, [], 0
    for start, end, _mark in scan.quoted:  # in order of start; nested spans lie inside the outer one
        first, stop = max(start - 1, position), min(end + 1, len(text))
        if stop > first:
            pieces += [text[position:first], MASK * (stop - first)]
            position = stop
    pieces.append(text[position:])
    return "".join(pieces)
