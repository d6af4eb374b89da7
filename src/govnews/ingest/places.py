"""Where a text names offices, districts, cities and provinces.

Three kinds of evidence, recorded in each mention's ``source``:

* ``gazetteer`` — a printed form of a unit of the gazetteer (the national register and the local
  layer, :mod:`govnews.resources.gazetteer`). Every form ends in one of a few characters (街道, 镇,
  区, 市 …), so the text is scanned once for those characters and only the few characters before each
  are looked up: linear in the text, and many times faster than a general multi-pattern matcher,
  since the characters are rare. Overlapping forms are resolved leftmost-longest (郑州市管城区 is one
  district mention, not a city and a district).
* ``composite`` — a district followed by the bare core of one of its offices, as headlines print
  them: 鄞州区东柳 names 东柳街道. Only where the core ends at punctuation, a space or the end of the
  text, since a district followed by a road name (金水区文化路) is an address.
* ``pattern`` — an office the gazetteer does not know, from the general forms ``X街道办事处``,
  ``X街道``, ``X办事处``, ``X镇``, ``X乡``. The name X is cut at the nearest boundary (punctuation, a
  district or city name, a digit) and refused when it is a common word (``not_office_names.txt``),
  begins with a verb or is a phrase rather than a name (the segmenter tags a function word or a verb
  inside it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from govnews.resources.gazetteer import Gazetteer, Unit
from govnews.vocabulary import HAN

if TYPE_CHECKING:
    from govnews.text.segment import Segmenter

_PATTERN_SUFFIX = re.compile(r"街道办事处|街道辦事處|街道办|街道辦|办事处|辦事處|街道|镇|鎮|乡|鄉")
_NAME_BOUNDARY = re.compile(rf"[^{HAN}]|[区市县省州旗區縣]")
_LEADING_WORDS = ("位于", "来到", "走进", "深入", "前往", "关于", "对于", "经过", "包括", "其中", "以及")
_LEADING_CHARS = set("在与和及由是为向到将从对据等了的被把让给跟同至赴")
_NOT_NAME_START = set("各本该全每此其一二三四五六七八九十两几多")
# 镇/乡 are also ordinary morphemes (城乡, 乡村, 小镇): a pattern town needs an office context after it.
_TOWN_CONTEXT = re.compile(r"(?:党委|政府|人民政府|辖区|镇区|乡区|[，、。；：:（(\s]|$)")
_COMPOSITE_END = re.compile(r"[\s，。、；：:！？!?,;—“”\"'（）()]|$")
_MAX_CORE_CHARS = 5
_LOCAL_NAME_CHARS = 6
_LOCAL_NAME = re.compile(rf"([{HAN}]{{2,{_LOCAL_NAME_CHARS}}})(社区|村)(?![委民])")
_MAX_LOCAL_CORE = 4  # 塔湾, 七里店, 政通路: a community's name is short
# Where a community's or village's name may start: after punctuation, or a particle or preposition.
_BOUNDARY_CHARS = set(" \t，。、；：！？“”‘’（）()《》—·,;:!?\"'【】的在与和及到是为向对从由")


@dataclass(frozen=True)
class PlaceMention:
    """One place in a text that names a unit.

    Attributes:
        form: the text as printed.
        start: where it starts in the text.
        end: where it ends (exclusive).
        units: indexes of the gazetteer units it may name (several for homonyms; none for a pattern office).
        source: ``gazetteer``, ``composite`` or ``pattern``.
        district_unit: for a composite, the district printed before the office core; else ``None``.
        placed: a district, city or province is printed right before it (郑州市管城区东大街街道).
        doubtful: a register office named bare whose name is a common word: a phrase unless the text
            names it for sure elsewhere (see :func:`sure_only`).
        levels: the levels of the units it may name (``office`` for a pattern office).
        name: its canonical name: the local layer's where it has the unit, else the register's, else as
            printed.
    """

    form: str
    start: int
    end: int
    units: tuple[int, ...]
    source: str
    district_unit: int | None = None
    placed: bool = False
    doubtful: bool = False
    levels: frozenset[str] = frozenset({"office"})
    name: str = ""

    @property
    def is_office(self) -> bool:
        return "office" in self.levels


def _mention(
    form: str,
    start: int,
    end: int,
    units: tuple[int, ...],
    source: str,
    gazetteer: Gazetteer,
    **flags: object,
) -> PlaceMention:
    """A mention with the levels and canonical name of its units (the local layer's name wins)."""
    levels, name = _unit_info(units, gazetteer) if units else (frozenset({"office"}), form)
    return PlaceMention(form, start, end, units, source, levels=levels, name=name, **flags)


@lru_cache(maxsize=65_536)
def _unit_info(units: tuple[int, ...], gazetteer: Gazetteer) -> tuple[frozenset[str], str]:
    found = [gazetteer.units[i] for i in units]
    local = [unit for unit in found if unit.source == "local"]
    return frozenset(unit.level for unit in found), (local or found)[0].name


def _longest_forms(text: str, gazetteer: Gazetteer) -> list[tuple[int, int, str]]:
    """(start, end, form) of the longest gazetteer form ending at each anchor character."""
    forms, suffixes = gazetteer.forms, gazetteer.suffixes
    found = []
    for match in gazetteer.anchor.finditer(text):
        end = match.end()
        longest = None
        # Walk back from the anchor while the text read so far still ends some form.
        for start in range(end - 2, -1, -1):
            ending = text[start:end]
            if ending not in suffixes:
                break
            if ending in forms:
                longest = (start, end, ending)
        if longest is not None:
            found.append(longest)
    return found


def _leftmost_longest(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    chosen: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (s[0], s[0] - s[1])):
        if not chosen or span[0] >= chosen[-1][1]:
            chosen.append(span)
    return chosen


def _composites(text: str, mentions: list[PlaceMention], gazetteer: Gazetteer) -> list[PlaceMention]:
    """Offices printed as district + bare core (鄞州区东柳：…)."""
    found = []
    starts = {mention.start for mention in mentions}
    for mention in mentions:
        if mention.end in starts:
            continue
        for district in mention.units:
            cores = gazetteer.office_cores.get(district)
            if not cores:
                continue
            for length in range(_MAX_CORE_CHARS, 1, -1):
                core = text[mention.end : mention.end + length]
                end = mention.end + length
                if core in cores and _COMPOSITE_END.match(text, end):
                    found.append(
                        _mention(
                            core,
                            mention.end,
                            end,
                            cores[core],
                            "composite",
                            gazetteer,
                            district_unit=district,
                            placed=True,
                        )
                    )
                    break
            else:
                continue
            break
    return found


def _name_before(text: str, end: int, gazetteer: Gazetteer, segmenter: Segmenter) -> str:
    """The place name that ends at ``end``, cut at the nearest boundary; '' if it is no name."""
    not_names = gazetteer.not_office_names
    window = text[max(0, end - 8) : end]
    boundaries = list(_NAME_BOUNDARY.finditer(window))
    name = window[boundaries[-1].end() :] if boundaries else window
    for word in _LEADING_WORDS:
        if name.startswith(word):
            name = name[len(word) :]
    # A place printed before the name without its suffix (高平北城街街道: 高平 is 高平市) is no part of it.
    for length in (4, 3, 2):
        if len(name) - length >= 2 and (
            name[:length] in gazetteer.context_forms or name[:length] in gazetteer.forms
        ):
            name = name[length:]
            break
    while name and name[0] in _LEADING_CHARS:
        name = name[1:]
    if len(name) > 4:
        name = name[-4:].lstrip("".join(_LEADING_CHARS))
    if len(name) < 2 or name in not_names or name[:2] in not_names or name[0] in _NOT_NAME_START:
        return ""
    return "" if _is_phrase(name, segmenter) else name


@lru_cache(maxsize=65_536)  # the same few thousand candidate names recur on every page
def _is_phrase(name: str, segmenter: Segmenter) -> bool:
    # A name is a proper noun: a function word or a verb of two or more characters inside it
    # ("了解各", "难事不出") shows a phrase, not a name. A numeral inside is no such sign (丈八, 五里):
    # names that start with one (三个, 几个) are refused before.
    return any(
        tag.startswith(("d", "r", "p", "c", "u", "q")) or (len(word) >= 2 and tag.startswith(("v", "a")))
        for word, tag in segmenter.tag_words(name)
    )


@lru_cache(maxsize=65_536)
def _suffix_in_word(name: str, suffix: str, after: str, segmenter: Segmenter) -> bool:
    """Whether 镇 or 乡 is part of a word with the characters around it (住房城乡建设: 城乡), not a suffix."""
    position = 0
    for word in segmenter.cut_words(name + suffix + after):
        end = position + len(word)
        if position < len(name) + len(suffix) <= end:
            return len(word) > 1 and position > 0 and (position < len(name) or end > len(name) + len(suffix))
        position = end
    return False


def _pattern_offices(
    text: str, taken: bytearray, higher_ends: set[int], gazetteer: Gazetteer, segmenter: Segmenter
) -> list[PlaceMention]:
    found = []
    for match in _PATTERN_SUFFIX.finditer(text):
        if taken[match.start()]:
            continue
        suffix = match.group()
        name = _name_before(text, match.start(), gazetteer, segmenter)
        start = match.start() - len(name)
        if not name or any(taken[start : match.start()]):
            continue
        # 镇/乡 are also ordinary morphemes (城乡, 小镇): a town needs an office context after it, or a
        # district printed right before it (乐都区碾伯镇) where 镇 is no part of a word (区住房城乡建设局).
        if suffix in "镇鎮乡鄉" and not _TOWN_CONTEXT.match(text, match.end()):
            after = text[match.end() : match.end() + 2]
            if start not in higher_ends or _suffix_in_word(name, suffix, after, segmenter):
                continue
        found.append(
            _mention(name + suffix, start, match.end(), (), "pattern", gazetteer, placed=start in higher_ends)
        )
    return found


def find_places(text: str, gazetteer: Gazetteer, segmenter: Segmenter) -> list[PlaceMention]:
    """Every unit the text names, in text order.

    Args:
        text: any text (a headline, a sentence, an article).
        gazetteer: the units and their forms.
        segmenter: tags the names general patterns find (a phrase is no name).

    Returns:
        Gazetteer, composite and pattern mentions, none overlapping another; offices whose name reads as
        a phrase here are left out (see :func:`sure_only`).
    """
    return sure_only([places_in(text, gazetteer, segmenter)], gazetteer)[0]


@lru_cache(maxsize=16_384)
def places_in(text: str, gazetteer: Gazetteer, segmenter: Segmenter) -> list[PlaceMention]:
    """Every mention in the text, those that may be phrases marked ``doubtful`` rather than left out.

    Remembered, since splitting, attribution and sentences read the same paragraphs: the list is shared
    between callers, never change it.
    """
    spans = _leftmost_longest(_longest_forms(text, gazetteer))
    higher_ends = {end for _, end, form in spans if _names_a_higher_unit(gazetteer.forms[form], gazetteer)}
    mentions = [
        _mention(
            form,
            start,
            end,
            gazetteer.forms[form],
            "gazetteer",
            gazetteer,
            placed=start in higher_ends,
            doubtful=_may_be_phrase(form, start in higher_ends, gazetteer, segmenter),
        )
        for start, end, form in spans
    ]
    mentions += _composites(text, mentions, gazetteer)
    if _PATTERN_SUFFIX.search(text):
        # One flag per character, not a list of spans to search: a long text has thousands of mentions.
        taken = bytearray(len(text))
        for mention in mentions:
            taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
        mentions += _pattern_offices(text, taken, higher_ends, gazetteer, segmenter)
    return sorted(mentions, key=lambda mention: mention.start)


def _names_a_higher_unit(units: tuple[int, ...], gazetteer: Gazetteer) -> bool:
    return gazetteer.units[units[0]].level != "office"


def _may_be_phrase(form: str, placed: bool, gazetteer: Gazetteer, segmenter: Segmenter) -> bool:
    """A bare register office whose name without its suffix is a common word (打造幸福街道)."""
    units = [gazetteer.units[i] for i in gazetteer.forms[form]]
    if placed or units[0].level != "office" or any(unit.source == "local" for unit in units):
        return False
    core = units[0].core
    return form in (units[0].name, core + "街道") and _is_common_word(core, segmenter)


def sure_only(texts: list[list[PlaceMention]], gazetteer: Gazetteer) -> list[list[PlaceMention]]:
    """The mentions of related texts (an article's headline and paragraphs) without phrases.

    Where an office's name without its suffix is a common word (幸福, 人民, 建设: one word the segmenter
    tags as no name), a bare mention counts only where the texts also print the office with its district
    or city before it, or in a form no phrase takes (幸福街道办事处, 幸福党工委).
    """
    if not any(m.doubtful for mentions in texts for m in mentions):
        return [list(mentions) for mentions in texts]  # nothing to make sure of (most texts)
    sure = {
        gazetteer.units[m.units[0]].core
        for mentions in texts
        for m in mentions
        if m.units and not m.doubtful and gazetteer.units[m.units[0]].level == "office"
    }
    return [
        [m for m in mentions if not m.doubtful or gazetteer.units[m.units[0]].core in sure]
        for mentions in texts
    ]


@lru_cache(maxsize=65_536)
def _is_common_word(core: str, segmenter: Segmenter) -> bool:
    words = segmenter.tag_words(core)
    # Place words (s: 城中) and proper nouns are names; adjectives, verbs and common nouns are not.
    return len(words) == 1 and not words[0][1].startswith(("ns", "nr", "nz", "nt", "s"))


@lru_cache(maxsize=4)
def _common_local_words(gazetteer: Gazetteer) -> tuple[str, ...]:
    # 农村, 乡村 … (not_office_names.txt) end common words, not names: 农业农村, 新农村.
    return tuple(
        w for w in gazetteer.not_office_names if w.endswith(("村", "社区")) and w not in ("村", "社区")
    )


def local_names(
    text: str, mentions: list[PlaceMention], gazetteer: Gazetteer, segmenter: Segmenter
) -> list[tuple[str, int]]:
    """Communities and villages the text names (塔湾社区, 荷东村) and where each starts.

    A name counts only where it starts at a boundary (the start of the text, punctuation or a space) or
    right after an office or district (大连路街道航天社区), so that words ending in 村 (农村, 农业农村)
    are no names, and only where it is no phrase (推进新型社区: a verb inside).
    """
    starts = {0} | {mention.end for mention in mentions}
    common_words = _common_local_words(gazetteer)
    found = []
    for match in _local_name_matches(text):
        # The nearest boundary before the suffix that leaves a name of two to four characters.
        for position in range(match.end(1) - 2, max(match.start(), match.end(1) - _MAX_LOCAL_CORE) - 1, -1):
            if position in starts or (position and text[position - 1] in _BOUNDARY_CHARS):
                name = text[position : match.end()]
                core = text[position : match.end(1)]
                if (
                    name[0] not in _NOT_NAME_START
                    and not name.endswith(common_words)
                    and not _is_phrase(core, segmenter)
                ):
                    found.append((name, position))
                break
    return found


def _local_name_matches(text: str) -> Iterator[re.Match[str]]:
    """``_LOCAL_NAME.finditer(text)``, searched only where a 社区 or 村 is near: most of a text has none, and
    the pattern tried at every character is what made reading communities slow."""
    position = 0
    while True:
        # A match from ``position`` on ends with a suffix at least two characters after its start: no match
        # starts more than the longest name before the first such suffix.
        found = [i for i in (text.find("村", position + 2), text.find("社区", position + 2)) if i >= 0]
        if not found:
            return
        match = _LOCAL_NAME.search(text, max(position, min(found) - _LOCAL_NAME_CHARS))
        if match is None:
            return
        yield match
        position = match.end()


def context_units(text: str, gazetteer: Gazetteer) -> set[int]:
    """Units a text points to by their short names (杭州, 浙江, 鄞州): evidence of where it is.

    Every two- and three-character window is looked up (short names are that long), so call it on a
    headline or one article, not on every sentence.
    """
    found: set[int] = set()
    for _, _, units in context_hits(text, gazetteer):
        found.update(units)
    return found


@lru_cache(maxsize=16_384)  # an article is asked about again, and its paragraphs were read by the splitter
def context_hits(text: str, gazetteer: Gazetteer) -> tuple[tuple[int, int, tuple[int, ...]], ...]:
    """(start, end, units) of every two- and three-character window of ``text`` that is a short name.

    Shared between callers, like :func:`places_in`.
    """
    forms = gazetteer.context_forms
    leads, pair = _context_leads(gazetteer)
    hits = []
    # The regex skips, in C, every place where no short name can start (nine characters in ten).
    for start in [i for m in pair.finditer(text) if text[(i := m.start()) : i + 2] in leads]:
        for end in (start + 2, start + 3):
            units = forms.get(text[start:end]) if end <= len(text) else None
            if units:
                hits.append((start, end, units))
    return tuple(hits)


@lru_cache(maxsize=4)
def _context_leads(gazetteer: Gazetteer) -> tuple[frozenset[str], re.Pattern[str]]:
    """The first two characters of every short name of two or three characters, and a pattern that finds
    (with a lookahead, so overlapping) each place where a first and a second character of them stand."""
    leads = frozenset(form[:2] for form in gazetteer.context_forms if len(form) in (2, 3))
    firsts = "".join(sorted({lead[0] for lead in leads}))
    seconds = "".join(sorted({lead[1] for lead in leads}))
    if not leads:
        return leads, re.compile(r"(?!)")
    return leads, re.compile(f"(?=[{re.escape(firsts)}][{re.escape(seconds)}])")


def unit_of(mention: PlaceMention, gazetteer: Gazetteer, level: str) -> list[Unit]:
    """The units of ``level`` a mention may name."""
    return [gazetteer.units[i] for i in mention.units if gazetteer.units[i].level == level]
