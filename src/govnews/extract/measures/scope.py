"""Whose measure it is: ``scope`` (office, district, city, province, national or unknown), and actors
that carry out no governance at all.

A measure belongs to the highest level the evidence names:

* the lexicon (``scope`` of a well-known campaign: 不忘初心、牢记使命 is national, 万人助万企 is
  Henan's);
* a scope word or place printed right before the name (全市“门前三包”, 郑州市“西美”, 高新区“智美”);
* the nearest actor before it in the sentence: a scope word (市委, 全省, 区里, 该街道 …) or a place
  followed by a verb (三亚市决定…, 玉州区着力…).

Without any of these a measure in text attributed to an office is the office's own (``office``);
elsewhere it is ``unknown``. The first two are strong evidence: they hold for every mention of the
measure in its group (see :func:`spread_scopes`). Measures whose clause names a company or a
property developer as the actor, or that are commercial concepts (“3+X”的商业体系), are no
governance measures and are rejected.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence

from govnews.extract.measures.found import Found, Scan
from govnews.extract.measures.text import CLAUSE_END_CHARS, OPENING_MARKS
from govnews.resources.measure_lexicon import SCOPES, MeasureLexicon, normalize_name
from govnews.vocabulary import HAN

UNKNOWN = "unknown"
_RANK = {scope: rank for rank, scope in enumerate(SCOPES)}
_ACTOR_WINDOW = 120  # characters before a name searched for its actor (bounds the work per name)
_CJK = re.compile(rf"[{HAN}]")


def scopes_of(
    lexicon: MeasureLexicon, text: str, found: Sequence[Found], office: str
) -> list[tuple[str, bool]]:
    """The scope of each measure of ``text`` and whether it rests on strong evidence.

    Args:
        lexicon: the measure lexicon (scope words, place suffixes, campaigns).
        text: the sentence.
        found: its measures.
        office: the office the sentence is attributed to ('' for none).

    Returns:
        (scope, strong) per measure: strong when the lexicon or a word printed with the name says it.
    """
    if not found:
        return []
    marks = _scope_marks(lexicon, text, max(measure.start for measure in found))
    default = "office" if office else UNKNOWN
    scopes = []
    for measure in found:
        lexicon_scope = _lexicon_scope(lexicon, measure)
        mention, actor = (
            _marked_scopes(marks, _mention_end(text, measure.start), measure.start) if marks else ("", "")
        )
        if not (lexicon_scope or mention or actor):
            scopes.append((default, False))
            continue
        levels = [scope for scope in (lexicon_scope, mention, actor) if scope]
        scopes.append((max(levels, key=_RANK.__getitem__), bool(lexicon_scope or mention)))
    return scopes


def _scope_marks(lexicon: MeasureLexicon, text: str, stop: int) -> list[tuple[int, str, bool]]:
    """(end, scope, is_actor) of each scope word and place before ``stop``.

    A scope word is always an actor; a place (a name before a place suffix: 郑州市, 高新区) is one
    when a verb follows it (三亚市决定…), else it only scopes a name printed right after it.
    """
    pattern = lexicon.scope_marks
    if pattern is None:
        return []
    marks = []
    for match in pattern.finditer(text, 0, stop):
        word, end = match.group(), match.end()
        scope = lexicon.scope_of_word.get(word)
        if scope:
            marks.append((end, scope, True))
        elif (
            match.start() > 0
            and _CJK.match(text[match.start() - 1])
            and not text.endswith(lexicon.not_place_words, 0, end)
        ):
            marks.append((end, lexicon.scope_of_place_suffix[word], _verb_follows(lexicon, text, end)))
    return marks


def _marked_scopes(marks: list[tuple[int, str, bool]], name_start: int, start: int) -> tuple[str, str]:
    """(mention, actor): the scope printed right before the name, and that of the nearest actor."""
    floor = start - _ACTOR_WINDOW
    mention = ""
    for end, scope, is_actor in reversed(marks):
        if end > start:
            continue
        if end <= floor:
            break
        if end == name_start:
            mention = scope  # 全市“门前三包”, 郑州市“西美”, 高新区“智美”
        if is_actor:
            return mention, scope
    return mention, ""


def spread_scopes(scopes: list[str], strong: list[bool], keys: Sequence[Hashable]) -> list[str]:
    """Each measure (rows with one key) takes the highest scope strong evidence gives any of its rows.

    郑州市“西美”战略 in one sentence makes 西美 the city's in the others too.
    """
    best: dict[Hashable, str] = {}
    for scope, is_strong, key in zip(scopes, strong, keys, strict=True):
        if is_strong and (key not in best or _RANK[scope] > _RANK[best[key]]):
            best[key] = scope
    return [
        best[key] if key in best and (scope == UNKNOWN or _RANK[best[key]] > _RANK[scope]) else scope
        for scope, key in zip(scopes, keys, strict=True)
    ]


def _lexicon_scope(lexicon: MeasureLexicon, found: Found) -> str:
    """The lexicon scope of the measure, or of the quoted campaign a modifier makes it part of."""
    if found.canonical_hint:
        return lexicon.scope_of_measure.get(found.canonical_hint, "")
    if not found.kind_word and found.evidence.startswith(("kind_suffix", "enumeration", "founded")):
        return ""  # names the lexicon would have matched carry a hint
    has_kind_word = found.kind_word and found.name.endswith(found.kind_word)
    core = found.name[: -len(found.kind_word)] if has_kind_word else ""
    for name in (found.name, core):
        canonical = lexicon.canonical_of.get(normalize_name(name)) if name else None
        if canonical:
            return lexicon.scope_of_measure.get(canonical, "")
    return ""


def _mention_end(text: str, start: int) -> int:
    """Where a word printed with the name ends: before its opening mark and a 的 (全市的“…”)."""
    end = start
    while end > 0 and text[end - 1] in OPENING_MARKS:
        end -= 1
    return end - 1 if text.startswith("的", end - 1) else end


def _verb_follows(lexicon: MeasureLexicon, text: str, position: int) -> bool:
    verb = lexicon.boundary_starts.match(text, position) if lexicon.boundary_starts else None
    return verb is not None and len(verb.group()) > 1


def reject_non_government(scan: Scan) -> None:
    """Drop measures whose actor is a company or developer, or that are commercial concepts.

    高新区万科城坚持“好房子、好服务、好社区”理念 (a developer's slogan); 搭建“3+X”的商业体系.
    """
    lexicon, text = scan.lexicon, scan.text
    actors, commercial = lexicon.non_government_pattern, lexicon.commercial_pattern
    if not scan.found:
        return
    # One look at the whole sentence first: most sentences name no company and no commerce.
    either = lexicon.non_government_or_commercial_pattern
    if either is None or not either.search(text):
        return
    kept = []
    for found in scan.found:
        if actors is not None and actors.search(text, _clause_start(text, found.start), found.start):
            scan.reject(found.name, "non_government_actor")
        elif commercial is not None and commercial.search(_noun_phrase(text, found)):
            scan.reject(found.name, "commercial")
        else:
            kept.append(found)
    scan.found = kept


def _noun_phrase(text: str, found: Found) -> str:
    """The name and up to eight characters after it in its clause (“3+X”的商业体系)."""
    end = min(len(text), max(found.end, found.after()) + 8)
    for i in range(found.end, end):
        if text[i] in CLAUSE_END_CHARS:
            return text[found.start : i]
    return text[found.start : end]


def _clause_start(text: str, position: int) -> int:
    floor = max(0, position - _ACTOR_WINDOW)
    for i in range(position - 1, floor - 1, -1):
        if text[i] in CLAUSE_END_CHARS:
            return i + 1
    return floor
