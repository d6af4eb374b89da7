"""The gazetteer: every office, district, city and province govnews knows by name, and how each is printed.

Two layers, read by :func:`load_gazetteer`:

* the **national register** (``gazetteer/register.csv``, made by ``make_register.py`` from the National
  Bureau of Statistics codes): every township-level office (街道, 镇, 乡, 苏木) with its county, city and
  province, and through them every county-level district, city and province;
* the **local layer**, which the user edits and which wins: ``offices.csv`` (names newspapers use that the
  register spells differently, such as 沟赵办事处 for the register's 沟赵乡, and development-zone
  offices), ``districts.csv`` (districts and zones with their aliases) and ``zones.csv`` (national new
  areas and the generic names of development zones, 经开区 and 高新区, which stand for the zone of the
  article's city).

Each unit is printed in several forms, all generated here by general rules: 西溪街道 is also
西溪街道办事处, 西溪办事处 and 西溪党工委; 管城回族区 is also 管城区; 郑州高新技术产业开发区 is
also 郑州高新区; a county is also printed after its city (郑州市金水区). Every form that names a unit
ends in one of a few characters (街道, 镇, 乡, 区, 县, 市 …), which is what makes matching fast: see
:func:`govnews.ingest.places.find_places`. Short names without their suffix (杭州, 浙江, 鄞州) are kept
apart as *context forms*: evidence of where an article is, never a mention of a unit on their own.

Names that would be common words are not forms: a township whose name without its suffix has one
character (新镇), or is listed in ``not_office_names.txt`` (城区街道); a county whose core is listed in
``not_district_names.txt`` (城区, 郊区) is only read after its city.
"""

from __future__ import annotations

import gc
import operator
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass
from functools import cached_property
from pathlib import Path

from govnews.resources.files import read_csv_rows, read_word_list
from govnews.vocabulary import HAN

OFFICE_SUFFIXES = ("街道办事处", "街道办", "办事处", "街道", "镇", "乡", "苏木")
"""The suffixes of a township-level office's name, longest first."""
_OFFICE_SUFFIX = re.compile("(?:" + "|".join(OFFICE_SUFFIXES) + ")$")
# How a sub-district office (街道) is also printed: its office (办事处) and its party committee (党工委).
_STREET_FORMS = ("街道", "街道办事处", "街道办", "办事处", "党工委", "街道党工委")
_REGISTER_OFFICE_KINDS = frozenset({"街道", "镇", "乡", "苏木", "街道办事处"})
_COUNTY_SUFFIX = re.compile(r"(?:自治县|自治旗|区|县|市|旗)$")
_CITY_SUFFIX = re.compile(r"(?:自治州|地区|市|盟)$")
_PROVINCE_SUFFIX = re.compile(r"(?:壮族自治区|回族自治区|维吾尔自治区|自治区|省|市)$")
# 管城回族区 → 管城区, 长阳土家族自治县 → 长阳县: papers drop the people's name.
_ETHNIC = re.compile(rf"^(?P<core>.{{2,}}?)(?:[{HAN}]{{1,5}}族)+(?P<suffix>自治县|自治旗|区|县)$")
_ZONE_ABBREVIATIONS = (
    (re.compile(r"^(?P<place>.{2,}?)(?:国家)?高新技术产业开发区$"), "高新区"),
    (re.compile(r"^(?P<place>.{2,}?)高新技术开发区$"), "高新区"),
    (re.compile(r"^(?P<place>.{2,}?)经济技术开发区$"), "经开区"),
)
# 常德市西洞庭管理区 → 西洞庭管理区: a management zone or new area is printed without its city.
_PREFIXED_ZONE = re.compile(rf"^.{{2,}}?(?:市)?(?P<zone>[{HAN}]{{2,}}(?:管理区|新区))$")
LEVELS = ("office", "district", "city", "province")


@dataclass(frozen=True)
class Unit:
    """An office, district, city or province, with the units above it.

    Attributes:
        name: the canonical name (the register's, or the local layer's where it has the unit).
        level: ``office``, ``district``, ``city`` or ``province``.
        source: ``register``, ``local`` (offices.csv, districts.csv) or ``zone`` (zones.csv).
        code: the register code (9 digits for an office, 6 for a district, 4 for a city, 2 for a
            province); ``''`` where the register does not have the unit.
        district: an office's district; a district's own name; ``''`` above.
        district_code: the register code of that district, or ``''``.
        city: the city (``''`` where none is known or the unit is a province; 市 dropped for the
            local layer's short names).
        province: the province, or ``''``.
        core: an office's name without its suffix (西溪 for 西溪街道); otherwise the name.
    """

    name: str
    level: str
    source: str
    code: str = ""
    district: str = ""
    district_code: str = ""
    city: str = ""
    province: str = ""
    core: str = ""


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per loaded set of files
class Gazetteer:
    """Units and the printed forms that name them.

    Attributes:
        units: every unit; the indexes below point into it.
        forms: printed form → the units it may name (several for homonyms: 城中街道 is in eight counties).
        context_forms: short names without suffix (杭州, 浙江, 鄞州) → units: where an article is,
            never a mention on their own.
        office_cores: a district unit's index → {office core → office units}: 鄞州区东柳 names 东柳街道.
        anchor: the characters every form ends with.
        suffixes: every ending of every form (两 characters or more): a lookup that walks back from an
            anchor stops as soon as the text read so far ends no form.
        not_office_names: words that stand before an office suffix without naming an office.
        not_district_names: words that stand before 区 / 县 without naming a district.
    """

    units: tuple[Unit, ...]
    forms: Mapping[str, tuple[int, ...]]
    context_forms: Mapping[str, tuple[int, ...]]
    office_cores: Mapping[int, Mapping[str, tuple[int, ...]]]
    anchor: re.Pattern[str]
    suffixes: frozenset[str]
    not_office_names: frozenset[str]
    not_district_names: frozenset[str]

    @cached_property
    def names(self) -> tuple[str, ...]:
        """Every printed form of every unit, sorted: proper names inside which a word is no topic."""
        return tuple(sorted(self.forms))

    def to_record(self) -> dict:
        """The gazetteer as plain lists and mappings (JSON), which :meth:`from_record` reads back."""
        return {
            "units": [astuple(unit) for unit in self.units],
            "forms": self.forms,
            "context_forms": self.context_forms,
            "office_cores": list(self.office_cores.items()),
            "anchor": self.anchor.pattern,
            "suffixes": sorted(self.suffixes),
            "not_office_names": sorted(self.not_office_names),
            "not_district_names": sorted(self.not_district_names),
        }

    @classmethod
    def from_record(cls, record: dict) -> Gazetteer:
        """The gazetteer :meth:`to_record` wrote."""
        return cls(
            units=tuple(Unit(*fields) for fields in record["units"]),
            forms={form: tuple(ids) for form, ids in record["forms"].items()},
            context_forms={form: tuple(ids) for form, ids in record["context_forms"].items()},
            office_cores={
                district: {core: tuple(ids) for core, ids in cores.items()}
                for district, cores in record["office_cores"]
            },
            anchor=re.compile(record["anchor"]),
            suffixes=frozenset(record["suffixes"]),
            not_office_names=frozenset(record["not_office_names"]),
            not_district_names=frozenset(record["not_district_names"]),
        )


def office_core(name: str) -> str:
    """An office's name without its suffix: 沟赵街道办事处 → 沟赵."""
    return _OFFICE_SUFFIX.sub("", name)


def city_core(name: str) -> str:
    """A city's name without 市 (or its other suffix), as names are compared: 郑州市 → 郑州."""
    return _CITY_SUFFIX.sub("", name) or name


def _province_short(name: str) -> str:
    return _PROVINCE_SUFFIX.sub("", name) or name


def _county_forms(name: str, city: str, not_district_names: frozenset[str]) -> tuple[set[str], set[str]]:
    """(forms, context forms) of a county-level district."""
    forms = {city + name, city_core(city) + name} if city else set()
    core = _COUNTY_SUFFIX.sub("", name)
    if (len(core) >= 2 and core not in not_district_names) or len(name) >= 4:
        forms.add(name)
    ethnic = _ETHNIC.match(name)
    if ethnic:
        short_suffix = {"自治县": "县", "自治旗": "旗"}.get(ethnic["suffix"], ethnic["suffix"])
        forms.add(ethnic["core"] + short_suffix)
        if city:
            forms.update(prefix + ethnic["core"] + short_suffix for prefix in (city, city_core(city)))
    for pattern, abbreviation in _ZONE_ABBREVIATIONS:
        zone = pattern.match(name)
        if zone:
            forms.add(zone["place"] + abbreviation)
    prefixed = _PREFIXED_ZONE.match(name)
    if prefixed and (not city or name.startswith((city, city_core(city)))):
        forms.add(prefixed["zone"])
    context = {core} if len(core) >= 2 and core not in not_district_names else set()
    return forms, context


class _Builder:
    """Collects units and their forms while the files are read."""

    def __init__(self) -> None:
        self.units: list[Unit] = []
        self.forms: dict[str, list[int]] = defaultdict(list)
        self.context: dict[str, list[int]] = defaultdict(list)
        self.office_cores: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        self.by_code: dict[tuple[str, str], int] = {}

    def add(self, unit: Unit, forms: Iterable[str], context: Iterable[str] = ()) -> int:
        index = len(self.units)
        self.units.append(unit)
        for form in forms:
            if len(form) >= 2:
                self.forms[form].append(index)
        for form in context:
            if len(form) >= 2:
                self.context[form].append(index)
        if unit.code:
            self.by_code.setdefault((unit.level, unit.code), index)
        return index

    def _widest(self, ids: list[int]) -> tuple[int, ...]:
        # A short name that is a city's and a county's (西安: 西安市, and 西安区 of two other cities) means
        # the city, as a province's short name means the province.
        wide = [i for i in ids if self.units[i].level in ("city", "province")]
        return tuple(wide or ids)

    def freeze(self, not_office_names: frozenset[str], not_district_names: frozenset[str]) -> Gazetteer:
        finals = sorted({form[-1] for form in self.forms})
        return Gazetteer(
            units=tuple(self.units),
            forms={form: tuple(ids) for form, ids in self.forms.items()},
            context_forms={
                form: self._widest(ids) for form, ids in self.context.items() if form not in self.forms
            },
            office_cores={
                district: {core: tuple(ids) for core, ids in cores.items()}
                for district, cores in self.office_cores.items()
            },
            anchor=re.compile("[" + re.escape("".join(finals)) + "]"),
            suffixes=frozenset(form[-length:] for form in self.forms for length in range(2, len(form) + 1)),
            not_office_names=not_office_names,
            not_district_names=not_district_names,
        )


def _office_forms(name: str, core: str, not_office_names: frozenset[str]) -> set[str]:
    if len(core) < 2 or core in not_office_names:
        return set()
    if name.endswith(("街道", "办事处")):
        return {name, *(core + form for form in _STREET_FORMS)}
    return {name}


_REGISTER_COLUMNS = (
    "code",
    "name",
    "kind",
    "county_code",
    "county",
    "city_code",
    "city",
    "province_code",
    "province",
)


def _add_register(
    builder: _Builder, path: Path, not_office: frozenset[str], not_district: frozenset[str]
) -> None:
    # Tuples, not a mapping per row: the register has 41,000 rows and every process reads it.
    fields = operator.itemgetter(*_REGISTER_COLUMNS)
    by_code = builder.by_code
    for row in read_csv_rows(path, _REGISTER_COLUMNS):
        code, name, kind, county_code, county, city_code, city, province_code, province = fields(row.values)
        if ("province", province_code) not in by_code:
            builder.add(
                Unit(province, "province", "register", province_code, province=province),
                (province,),
                (_province_short(province),),
            )
        if city and ("city", city_code) not in by_code:
            builder.add(
                Unit(city, "city", "register", city_code, city=city, province=province),
                (city,),
                (city_core(city),),
            )
        county_index = by_code.get(("district", county_code))
        if county_index is None:
            forms, context = _county_forms(county, city, not_district)
            county_index = builder.add(
                Unit(
                    county, "district", "register", county_code, county, county_code, city, province, county
                ),
                forms,
                context,
            )
        if kind not in _REGISTER_OFFICE_KINDS:
            continue
        core = office_core(name)
        office = builder.add(
            Unit(name, "office", "register", code, county, county_code, city, province, core),
            _office_forms(name, core, not_office),
        )
        if len(core) >= 2:
            builder.office_cores[county_index][core].append(office)


def _aliases(cell: str) -> list[str]:
    return [alias.strip() for alias in cell.split("|") if alias.strip()]


def _add_local(builder: _Builder, offices: Path, districts: Path, zones: Path) -> None:
    register_offices: dict[tuple[str, str], int] = {}
    province_of_city: dict[str, str] = {}
    for index, unit in enumerate(builder.units):
        if unit.level == "office":
            register_offices.setdefault((unit.name, city_core(unit.city)), index)
        elif unit.level == "city":
            province_of_city[city_core(unit.name)] = unit.province
    for row in read_csv_rows(districts, ("district", "aliases", "city"), key="district"):
        name = row["district"]
        province = province_of_city.get(city_core(row["city"]), "")
        builder.add(
            Unit(name, "district", "local", district=name, city=row["city"], province=province, core=name),
            [name, *_aliases(row["aliases"])],
        )
    for row in read_csv_rows(zones, ("zone", "aliases", "city", "province"), key="zone"):
        name = row["zone"]
        unit = Unit(
            name, "district", "zone", district=name, city=row["city"], province=row["province"], core=name
        )
        builder.add(unit, [name, *_aliases(row["aliases"])])
    for row in read_csv_rows(offices, ("office", "aliases", "district", "city"), key="office"):
        name, aliases = row["office"], _aliases(row["aliases"])
        core = office_core(name)
        # The register's record of the same office (沟赵乡 for 沟赵办事处) lends its code and province.
        city = city_core(row["city"])
        same = next(
            (register_offices[a, city] for a in (name, *aliases) if (a, city) in register_offices), None
        )
        record = builder.units[same] if same is not None else Unit("", "office", "local")
        province = record.province or province_of_city.get(city, "")
        forms = {name, *aliases}
        if len(core) >= 2:
            forms.update(core + form for form in _STREET_FORMS)
        builder.add(
            Unit(name, "office", "local", record.code, row["district"], "", row["city"], province, core),
            forms,
        )


def load_gazetteer(
    register: Path,
    offices: Path,
    districts: Path,
    zones: Path,
    not_office_names: Path,
    not_district_names: Path,
) -> Gazetteer:
    """Read both layers of the gazetteer.

    Args:
        register: the national register (``register.csv``).
        offices: the local offices (``offices.csv``: office, aliases, district, city).
        districts: the local districts (``districts.csv``: district, aliases, city).
        zones: new areas and zone names (``zones.csv``: zone, aliases, city, province).
        not_office_names: words before an office suffix that name no office (may be absent).
        not_district_names: words before 区 / 县 that name no district (may be absent).

    Raises:
        GovnewsError: a file is missing, not UTF-8, lacks a column or lists a key twice (file and line named).
    """
    not_office = read_word_list(not_office_names, missing_ok=True)
    not_district = read_word_list(not_district_names, missing_ok=True) | not_office
    builder = _Builder()
    # A hundred thousand objects are made and none is garbage: the cyclic collector, woken again and
    # again while they are made, would double the time every process pays to read the register.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _add_register(builder, register, not_office, not_district)
        _add_local(builder, offices, districts, zones)
        return builder.freeze(not_office, not_district)
    finally:
        if collecting:
            gc.enable()
