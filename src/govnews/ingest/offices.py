"""Which office an article is about, and its district, city, province and township code.

**Office.** The headline decides first: the first office it names (西溪街道, or 鄞州区东柳 for 东柳街道).
A headline that names only a district, county or city makes district-level news, unless the body is
about one office clearly more than about that district (``dominated``). Without a place in the headline,
the lead decides: the first office its opening sentences name, unless the body names a district or
city more often, or another office as often (then the article is about the district). Without either,
an office named repeatedly and at least twice as often as any other (``body``). The evidence is kept
in ``office_evidence``.

**Homonyms.** 城中街道 is in eight counties. An office is resolved to one register entry by the places
the article prints: its district (婺城区城中街道), else its city (金华), else its province; an office
the register holds once needs no evidence. The local layer (``offices.csv``) always wins. Where nothing
decides, district and city stay empty rather than guessed.

**District.** As the article prints it: the district right before the office (管城区东大街街道), else a
printed district that agrees with the office (a zone such as 经开区 agrees with any city), else the
register's district of the office. District-level news gets the district its headline names, else the
one it names most. A district comes only from the register, the local layer or ``zones.csv``, never
from any word before 区.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from govnews.ingest.places import (
    PlaceMention,
    context_hits,
    context_units,
    local_names,
    places_in,
    sure_only,
)
from govnews.resources.gazetteer import Gazetteer, Unit, city_core, office_core

if TYPE_CHECKING:
    from govnews.text.segment import Segmenter

_SENTENCE_END = re.compile(r"[。！？!?]")
_LEAD_SENTENCES = 2
_HIGHER = frozenset({"district", "city"})
# What may follow a list item before the next: a count (1个), then 、 or 等.
_ITEM_AFTER = re.compile(r"[0-9０-９一二三四五六七八九十百千万]*[个处名户家座条]?[、等]")


@dataclass(frozen=True)
class Attribution:
    """Where an article is: its office and the units above it, with the evidence.

    Attributes:
        office: the office's name (the local layer's, the register's, or as printed); ``''`` for
            district-level news.
        office_source: ``gazetteer``, ``composite``, ``pattern`` or ``''`` (how the office was found).
        office_evidence: what decided, in words (``headline: 城中街道``, ``lead: 鹅山街道办事处``).
        township_code: the register code of the office, ``''`` where unknown or ambiguous.
        district: the district or county as printed (管城区, 经开区); ``''`` where nothing decides.
        city: the city (``''`` where unknown).
        province: the province (``''`` where unknown).
    """

    office: str = ""
    office_source: str = ""
    office_evidence: str = ""
    township_code: str = ""
    district: str = ""
    city: str = ""
    province: str = ""


# A text (a headline, a paragraph) with what find_places found in it; an article is a list of them.
_Segment = tuple[str, list[PlaceMention]]
_Segments = list[_Segment]


def mention_key(mention: PlaceMention) -> str:
    """What counts as the same place: an office by its core (沟赵街道 == 沟赵办事处), others by name."""
    return "office:" + office_core(mention.name) if mention.is_office else "place:" + mention.name


def _offices(mentions: list[PlaceMention], gazetteer: Gazetteer) -> list[PlaceMention]:
    return [m for m in mentions if m.is_office]


def _higher(mentions: list[PlaceMention], gazetteer: Gazetteer) -> list[PlaceMention]:
    return [m for m in mentions if m.levels & _HIGHER and not m.is_office]


def _lead_part(lead: str) -> str:
    # Read up to the last end needed, not the whole paragraph.
    last = next(itertools.islice(_SENTENCE_END.finditer(lead), _LEAD_SENTENCES - 1, None), None)
    return lead[: last.end()] if last is not None else lead


def choose_office(
    headline: _Segment, body: _Segments, gazetteer: Gazetteer, segmenter: Segmenter
) -> tuple[PlaceMention | None, str]:
    """The mention of the office an article is about, and the evidence in words (see the module docstring).

    Args:
        headline: the headline (kicker, title and subtitle) and what :func:`find_places` finds in it.
        body: each paragraph of the body (the first is the lead) and what it finds in it.
        gazetteer: units and forms.
        segmenter: tells names of communities from phrases.

    Returns:
        (the office's first decisive mention, or None for district-level news; the evidence).
    """
    _, in_headline = headline
    headline_offices = _offices(in_headline, gazetteer)
    if headline_offices:
        return headline_offices[0], f"headline: {headline_offices[0].form}"
    in_body = [mention for _, mentions in body for mention in mentions]
    # Offices listed in passing (马营乡、芦花乡等12个乡镇) are where people come from, not what is reported.
    listed = [
        [m for m in _offices(mentions, gazetteer) if not _enumerated(text, m)] for text, mentions in body
    ]
    offices = Counter(mention_key(m) for paragraph in listed for m in paragraph)
    higher = Counter(mention_key(m) for m in _higher(in_body, gazetteer))
    top_offices = offices.most_common(2)
    community = _office_of_community(headline, body, gazetteer, segmenter)
    if community is not None:
        office, name = community
        return office, f"headline names {name}, of {office.form}"
    higher_in_headline = _higher(in_headline, gazetteer)
    if higher_in_headline:
        place = higher_in_headline[0]
        if _dominates(top_offices, higher[mention_key(place)]):
            chosen = _first(in_body, top_offices[0][0], gazetteer)
            return chosen, f"body: {chosen.form} ×{top_offices[0][1]} (the headline names {place.form})"
        return None, f"district-level: the headline names {place.form}"
    lead_chars = len(_lead_part(body[0][0])) if body else 0
    lead_offices = [m for m in (listed[0] if listed else []) if m.end <= lead_chars]
    if lead_offices:
        key = mention_key(lead_offices[0])
        rivals = max((n for other, n in offices.items() if other != key), default=0)
        if offices[key] > rivals:
            return lead_offices[0], f"lead: {lead_offices[0].form}"
        return None, f"district-level: the lead names {lead_offices[0].form}, the body other offices as often"
    if _dominates(top_offices, max(higher.values(), default=0)):
        chosen = _first(in_body, top_offices[0][0], gazetteer)
        return chosen, f"body: {chosen.form} ×{top_offices[0][1]}"
    return None, "district-level: no office in the headline or lead, and none dominates the body"


def _office_of_community(
    headline: _Segment, body: _Segments, gazetteer: Gazetteer, segmenter: Segmenter
) -> tuple[PlaceMention, str] | None:
    """The office of a community or village the headline names, where the body prints the two together.

    A headline about 航天社区 is about the office the body names it under (大连路街道航天社区).
    """
    for name, _ in local_names(*headline, gazetteer, segmenter):
        for text, mentions in body:
            position = text.find(name)
            while position >= 0:
                before = next((m for m in mentions if m.end == position), None)
                if before is not None and before.is_office:
                    return before, name
                position = text.find(name, position + 1)
    return None


def _enumerated(text: str, mention: PlaceMention) -> bool:
    """Whether a mention is an item of a list: 马营乡、芦花乡等 / 黎阳镇1个、阳湖镇1个."""
    return bool(_ITEM_AFTER.match(text, mention.end)) or text[mention.start - 1 : mention.start] == "、"


def _dominates(top: list[tuple[str, int]], higher: int) -> bool:
    """An office named twice or more, at least twice as often as the next, and as often as the district."""
    if not top:
        return False
    first = top[0][1]
    runner_up = top[1][1] if len(top) > 1 else 0
    return first >= 2 and first >= 2 * runner_up and first >= higher


def _first(mentions: list[PlaceMention], key: str, gazetteer: Gazetteer) -> PlaceMention:
    return next(m for m in mentions if mention_key(m) == key)


def _printed_district(mention: PlaceMention, unit: Unit) -> str:
    """A district as printed, without the city printed before it (郑州市管城区 → 管城区)."""
    form = mention.form
    for city in (unit.city, city_core(unit.city)) if unit.city else ():
        if form.startswith(city) and len(form) > len(city) + 1:
            return form[len(city) :]
    return form


def _agrees(district: Unit, office: Unit | None) -> bool:
    """Whether a district unit can be the district of the office (any, for an office the register lacks)."""
    if office is not None and office.district_code and district.code:
        return district.code == office.district_code
    if office is None or not district.city or not office.city:
        return True  # a generic zone (经开区), or an office or zone whose city is unknown
    return city_core(district.city) == city_core(office.city)


def _context_cities(segments: _Segments, gazetteer: Gazetteer) -> tuple[dict[str, str], set[str]]:
    """Cities and provinces an article points to, by the districts and cities it names and by short names
    outside those mentions (城中 inside 城中街道 is no short name of 城中区).

    A name of places in several cities (城中区, 经开区) points to none of them.

    Returns:
        (city core → the city's name, provinces).
    """
    units: set[int] = set()
    blank_may_match = _blank_in_short_names(gazetteer)
    for text, mentions in segments:
        for mention in mentions:
            units.update(_one_city_units(mention.units, gazetteer))
        if blank_may_match:
            outside = list(text)
            for mention in mentions:
                outside[mention.start : mention.end] = " " * (mention.end - mention.start)
            units |= context_units("".join(outside), gazetteer)
            continue
        # A short name that overlaps a mention is part of it; the text's short names are read once.
        for start, end, found in context_hits(text, gazetteer):
            if not any(m.start < end and start < m.end for m in mentions):
                units.update(found)
    cities: dict[str, str] = {}
    provinces: set[str] = set()
    for index in units:
        unit = gazetteer.units[index]
        if unit.level in ("city", "district") and unit.city:
            cities.setdefault(city_core(unit.city), unit.city)
            if unit.source == "register":
                cities[city_core(unit.city)] = unit.city  # the register's full name wins
        if unit.province:
            provinces.add(unit.province)
    return cities, provinces


@lru_cache(maxsize=65_536)
def _one_city_units(units: tuple[int, ...], gazetteer: Gazetteer) -> tuple[int, ...]:
    """The districts, cities and provinces a mention names, where they are all of one city; else none."""
    named = tuple(i for i in units if gazetteer.units[i].level != "office")
    return named if len({city_core(gazetteer.units[i].city) for i in named}) == 1 else ()


@lru_cache(maxsize=4)
def _blank_in_short_names(gazetteer: Gazetteer) -> bool:
    # Only a short name with a space in it could match across a mention blanked out with spaces.
    return any(" " in form for form in gazetteer.context_forms)


def _resolve_office(office: PlaceMention, segments: _Segments, gazetteer: Gazetteer) -> Unit | None:
    """The one unit an office mention names, by the places the article prints; None where nothing decides."""
    units = [gazetteer.units[i] for i in office.units if gazetteer.units[i].level == "office"]
    if not units:
        return None
    local = [unit for unit in units if unit.source == "local"]
    if local:
        return local[0]
    if office.district_unit is not None:
        district = gazetteer.units[office.district_unit]
        units = [unit for unit in units if unit.district_code == district.code] or units
    if len(units) == 1:
        return units[0]
    printed = {
        gazetteer.units[i].code
        for _, mentions in segments
        for m in mentions
        for i in m.units
        if gazetteer.units[i].level == "district" and gazetteer.units[i].code
    }
    by_district = [unit for unit in units if unit.district_code in printed]
    if len(by_district) == 1:
        return by_district[0]
    by_city = _by_city(units, *_context_cities(segments, gazetteer))
    return by_city[0] if len(by_city) == 1 else None


def _by_city(units: list[Unit], cities: set[str], provinces: set[str]) -> list[Unit]:
    by_city = [unit for unit in units if unit.city and city_core(unit.city) in cities]
    if by_city:
        return by_city
    return [unit for unit in units if unit.province in provinces]


def _district_for_office(
    office: PlaceMention, unit: Unit | None, segments: _Segments, gazetteer: Gazetteer
) -> str:
    """The district of an article about an office, as printed (see the module docstring)."""
    if unit is not None and unit.source == "local":
        return unit.district  # the local layer wins
    core = office_core(office.name)
    # The district printed right before a mention of the office: 管城区东大街街道, 郑东新区圃田乡, 鄞州区东柳.
    for _, mentions in segments:
        for before, after in itertools.pairwise(mentions):
            if before.end != after.start or not after.is_office:
                continue
            if office_core(after.name) == core:
                district = next((d for d in _district_units(before, gazetteer) if _agrees(d, unit)), None)
                if district is not None:
                    return _printed_district(before, district)
    if unit is None:
        return ""  # an office the register does not hold, printed without its district: no guess
    agreeing: Counter[str] = Counter()
    for _, mentions in segments:
        for mention in mentions:
            district = next((d for d in _district_units(mention, gazetteer) if _agrees(d, unit)), None)
            if district is not None:
                agreeing[_printed_district(mention, district)] += 1
    return agreeing.most_common(1)[0][0] if agreeing else unit.district


def _district_level(segments: _Segments, gazetteer: Gazetteer) -> tuple[str, Unit | None]:
    """The district of district-level news: the one its headline names, else the one it names most.

    Where the name is the same in several cities (经开区, a zone of the local layer and the generic name), the
    unit of the city the article points to; none where it points nowhere.
    """
    mentions = [m for _, found in segments for m in found if _district_units(m, gazetteer)]
    candidates = [m for m in segments[0][1] if _district_units(m, gazetteer)]
    if not candidates:
        if not mentions:
            return "", None
        top = Counter(m.name for m in mentions).most_common(1)[0][0]
        candidates = [m for m in mentions if m.name == top]
    mention = candidates[0]
    units = _district_units(mention, gazetteer)
    if len({city_core(unit.city) for unit in units}) > 1:
        cities = _context_cities(segments, gazetteer)[0]
        units = [u for u in units if city_core(u.city) in cities] or [u for u in units if not u.city]
    unit = units[0] if units else None
    return (_printed_district(mention, unit) if unit is not None else mention.form), unit


def _district_units(mention: PlaceMention, gazetteer: Gazetteer) -> list[Unit]:
    units = [gazetteer.units[i] for i in mention.units]
    if any(unit.level == "office" for unit in units):
        return []
    districts = [unit for unit in units if unit.level == "district"]
    return sorted(districts, key=lambda unit: unit.source != "local")


def attribute_article(headline: str, body: str, gazetteer: Gazetteer, segmenter: Segmenter) -> Attribution:
    """Office, district, city, province and township code of one article, with the evidence.

    Args:
        headline: kicker, title and subtitle joined.
        body: the article's paragraphs joined by newlines (the first is the lead).
        gazetteer: units and forms.
        segmenter: tags names that general patterns find.
    """
    texts = [headline, *(text for text in body.split("\n") if text)]
    found = sure_only([places_in(text, gazetteer, segmenter) for text in texts], gazetteer)
    segments = list(zip(texts, found, strict=True))
    title, paragraphs = segments[0], segments[1:]
    office, evidence = choose_office(title, paragraphs, gazetteer, segmenter)
    if office is None:
        district, unit = _district_level(segments, gazetteer)
        if unit is not None and unit.city and unit.province:
            return Attribution("", "", evidence, "", district, unit.city, unit.province)
        cities, provinces = _context_cities(segments, gazetteer)
        city = unit.city if unit is not None and unit.city else _only(set(cities.values()))
        province = unit.province if unit is not None and unit.province else _only(provinces)
        return Attribution("", "", evidence, "", district, city, province)
    unit = _resolve_office(office, segments, gazetteer)
    name = unit.name if unit is not None else office.name
    district = _district_for_office(office, unit, segments, gazetteer)
    if unit is None:
        unsure = "; which one is not printed" if office.units else ""
        return Attribution(name, office.source, evidence + unsure, "", district, "", "")
    return Attribution(name, office.source, evidence, unit.code, district, unit.city, unit.province)


def _only(names: set[str]) -> str:
    return next(iter(names)) if len(names) == 1 else ""


def sentence_offices(
    mentions: list[PlaceMention], article_office: str, gazetteer: Gazetteer
) -> tuple[str, list[str]]:
    """The attributed office of a sentence and the offices it names.

    Args:
        mentions: the places the sentence names (:func:`find_places` of it, or of its paragraph within it).
        article_office: the office of its article.
        gazetteer: units and forms.

    Returns:
        The sentence keeps its article's office unless it names other offices and not the article's own;
        then the first office it names is attributed. And the offices it names, each once.
    """
    named: list[str] = []
    for mention in _offices(mentions, gazetteer):
        name = mention.name
        if not any(office_core(name) == office_core(seen) for seen in named):
            named.append(name)
    if not named or any(office_core(article_office) == office_core(office) for office in named):
        return article_office, named
    return named[0], named
