"""Offices and districts: which sub-district office a text names, and which one an article is about.

Two sources of evidence, recorded in ``office_source``:

* ``gazetteer`` — ``data/gazetteer/offices.csv`` (office, aliases, district,
  city). For each office the usual forms are generated from its core name
  (``沟赵`` → 沟赵办事处, 沟赵街道, 沟赵街道办事处, 沟赵党工委 …) and the aliases
  column adds any other; ``枫杨园区`` (a business park) is none of them.
* ``pattern`` — offices the gazetteer does not know, from the general forms of
  Chinese local news in every city: ``X街道办事处``, ``X街道``, ``X办事处``,
  ``X镇``, ``X乡``. The name X is cut at the nearest boundary (punctuation, a
  district or city name, a digit) and refused when it is a common word
  (``data/gazetteer/not_office_names.txt``) or begins with a verb.

An article is about an office when its title names it, or when the office is
mentioned repeatedly and clearly more than any other; district-level news that
names offices only in passing gets ``""``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from govnews.config import project_paths
from govnews.errors import GovnewsError

if TYPE_CHECKING:
    from govnews.text.segment import Segmenter

_OFFICE_SUFFIX = re.compile(r"(?:街道办事处|街道辦事處|街道办|街道辦|办事处|辦事處|街道|镇|鎮|乡|鄉)$")
_GENERATED_FORMS = ("街道办事处", "街道办", "办事处", "街道", "党工委", "街道党工委")
_PATTERN_SUFFIX = re.compile(r"街道办事处|街道辦事處|街道办|街道辦|办事处|辦事處|街道|镇|鎮|乡|鄉")
_NAME_BOUNDARY = re.compile(r"[^\u4e00-\u9fff]|[区市县省州旗區縣]")
_LEADING_WORDS = ("位于", "来到", "走进", "深入", "前往", "关于", "对于", "经过", "包括", "其中", "以及")
_LEADING_CHARS = set("在与和及由是为向到将从对据等了的被把让给跟同至赴")
_DISTRICT_SUFFIX = re.compile(r"新区|区|县|縣|區")
# 区域, 区位, 县城 …: the suffix character starts another word.
_NOT_AFTER_DISTRICT = set("域位别分块间城")
# 镇/乡 are also ordinary morphemes (城乡, 乡村, 小镇); only read them as offices in an office context.
_TOWN_CONTEXT = re.compile(r"(?:党委|政府|人民政府|辖区|镇区|乡区|[，、。；（(\s]|$)")


@dataclass(frozen=True)
class OfficeMention:
    """One place in a text that names an office."""

    office: str  # canonical name (gazetteer office, or the name as printed)
    source: str  # gazetteer or pattern
    start: int
    end: int
    district: str  # from the gazetteer; "" for pattern offices


@dataclass(frozen=True)
class Gazetteer:
    """Offices and districts the project knows by name.

    ``segmenter`` tags the names that general patterns find (a phrase is no name); ``None`` means
    :func:`govnews.text.segment.default_segmenter`. The build sets it to the segmenter of its own
    dictionary files.
    """

    office_forms: dict[str, str]  # printed form → canonical office
    office_district: dict[str, str]
    district_forms: dict[str, str]  # printed form → canonical district
    not_office_names: frozenset[str]
    not_district_names: frozenset[str]
    office_regex: re.Pattern
    district_regex: re.Pattern
    segmenter: Segmenter | None = None


@lru_cache(maxsize=4096)  # a corpus names a few hundred offices, asked about at every section
def office_core(name: str) -> str:
    """The office name without its suffix: 沟赵街道办事处 → 沟赵."""
    return _OFFICE_SUFFIX.sub("", name)


def _row_lines(path: Path) -> list[int]:
    """1-based file line of the header and of each data row: blank and ``#`` lines are skipped, as read."""
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    return [number for number, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")]


def _read_csv(path: Path, required: list[str]) -> pd.DataFrame:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", comment="#")
    except FileNotFoundError:
        raise GovnewsError(path, "file not found") from None
    except pd.errors.EmptyDataError:
        raise GovnewsError(path, f"file is empty; expected the columns {', '.join(required)}") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise GovnewsError(path, f"cannot parse CSV: {exc}") from None
    row_lines = _row_lines(path)
    missing = [name for name in required if name not in table.columns]
    if missing:
        raise GovnewsError(
            path, f"missing column(s) {', '.join(missing)}; expected {', '.join(required)}", line=row_lines[0]
        )
    key = table[required[0]].str.strip()
    for row_index, value in enumerate(key):
        if not value:
            raise GovnewsError(path, f"empty {required[0]}", line=row_lines[row_index + 1])
    duplicated = key.duplicated()
    if duplicated.any():
        row_index = int(duplicated.to_numpy().argmax())
        raise GovnewsError(
            path, f"{required[0]} listed twice: {key.iloc[row_index]}", line=row_lines[row_index + 1]
        )
    return table


def _word_list(path: Path) -> frozenset[str]:
    """Words of a one-per-line list (``#`` comments); empty when the file does not exist."""
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _alternation(forms: dict[str, str]) -> re.Pattern:
    ordered = sorted(forms, key=len, reverse=True)
    return re.compile("|".join(re.escape(form) for form in ordered) or r"(?!x)x")


def load_gazetteer(
    office_file: Path | None = None, district_file: Path | None = None, not_office_file: Path | None = None
) -> Gazetteer:
    """Read the gazetteer files (defaults from :func:`govnews.config.project_paths`).

    Raises:
        GovnewsError: a file is missing, unparsable, lacks a column or lists an office twice.
    """
    paths = project_paths()
    office_file = office_file or paths.gazetteer_file
    district_file = district_file or paths.districts_file
    not_office_file = not_office_file or Path(office_file).with_name("not_office_names.txt")
    offices = _read_csv(office_file, ["office", "aliases", "district", "city"])
    districts = _read_csv(district_file, ["district", "aliases", "city"])
    office_forms: dict[str, str] = {}
    office_district: dict[str, str] = {}
    for row in offices.itertuples(index=False):
        office = row.office.strip()
        core = office_core(office)
        forms = {office, *(core + suffix for suffix in _GENERATED_FORMS)}
        forms.update(alias.strip() for alias in row.aliases.split("|") if alias.strip())
        for form in forms:
            office_forms[form] = office
        office_district[office] = row.district.strip()
    district_forms: dict[str, str] = {}
    for row in districts.itertuples(index=False):
        district = row.district.strip()
        district_forms[district] = district
        district_forms.update({alias.strip(): district for alias in row.aliases.split("|") if alias.strip()})
    return Gazetteer(
        office_forms,
        office_district,
        district_forms,
        _word_list(not_office_file),
        _word_list(Path(office_file).with_name("not_district_names.txt")),
        _alternation(office_forms),
        _alternation(district_forms),
    )


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer from the project's data files, read once."""
    return load_gazetteer()


def _name_before(text: str, end: int, gazetteer: Gazetteer, not_names: frozenset[str] | None = None) -> str:
    """The place name that ends at ``end``, cut at the nearest boundary; '' if it is no name."""
    not_names = gazetteer.not_office_names if not_names is None else not_names
    window = text[max(0, end - 8) : end]
    boundaries = list(_NAME_BOUNDARY.finditer(window))
    name = window[boundaries[-1].end() :] if boundaries else window
    for word in _LEADING_WORDS:
        if name.startswith(word):
            name = name[len(word) :]
    while name and name[0] in _LEADING_CHARS:
        name = name[1:]
    if len(name) > 4:
        name = name[-4:].lstrip("".join(_LEADING_CHARS))
    if len(name) < 2 or name in not_names or name[:2] in not_names:
        return ""
    if name[0] in "各本该全每此其一二三四五六七八九十两几多":
        return ""
    segmenter = gazetteer.segmenter
    if segmenter is None:
        from govnews.text.segment import default_segmenter

        segmenter = default_segmenter()
    return "" if _is_phrase(name, segmenter) else name


@lru_cache(maxsize=65_536)  # the same few thousand candidate names recur on every page
def _is_phrase(name: str, segmenter: Segmenter) -> bool:
    # A name is a proper noun: a function word or a verb of two or more characters inside it
    # ("了解各", "难事不出") shows a phrase, not a name.
    return any(
        tag.startswith(("d", "r", "p", "c", "u", "m", "q")) or (len(word) >= 2 and tag.startswith(("v", "a")))
        for word, tag in segmenter.tag_words(name)
    )


def find_office_mentions(text: str, gazetteer: Gazetteer | None = None) -> list[OfficeMention]:
    """Every office the text names, gazetteer forms first, then general patterns, in text order."""
    gazetteer = gazetteer or default_gazetteer()
    mentions = [
        OfficeMention(
            gazetteer.office_forms[m.group()],
            "gazetteer",
            m.start(),
            m.end(),
            gazetteer.office_district.get(gazetteer.office_forms[m.group()], ""),
        )
        for m in gazetteer.office_regex.finditer(text)
    ]
    if not _PATTERN_SUFFIX.search(text):
        return mentions  # most sentences: the gazetteer's matches, already in text order
    # One flag per character, not a list of spans to search: a long text has thousands of mentions,
    # and testing each suffix against every span made a one-line page dump quadratic. Pattern matches
    # come in text order and never overlap, so only gazetteer spans can cover a later suffix.
    taken = bytearray(len(text))
    for mention in mentions:
        taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
    for match in _PATTERN_SUFFIX.finditer(text):
        if taken[match.start()]:
            continue
        suffix = match.group()
        if suffix in "镇鎮乡鄉" and not _TOWN_CONTEXT.match(text, match.end()):
            continue
        name = _name_before(text, match.start(), gazetteer)
        if not name:
            continue
        start = match.start() - len(name)
        mentions.append(OfficeMention(name + suffix, "pattern", start, match.end(), ""))
    return sorted(mentions, key=lambda m: m.start)


def find_district_mentions(text: str, gazetteer: Gazetteer | None = None) -> list[str]:
    """Canonical districts named in the text, in order, one entry per mention."""
    gazetteer = gazetteer or default_gazetteer()
    return [gazetteer.district_forms[m.group()] for m in gazetteer.district_regex.finditer(text)]


def _same_office(a: str, b: str) -> bool:
    return office_core(a) == office_core(b)


def dominant_office(text: str, gazetteer: Gazetteer | None = None) -> str:
    """The office a passage is mostly about: named more often than all others together; else ''."""
    counts = Counter(office_core(m.office) for m in find_office_mentions(text, gazetteer))
    if not counts:
        return ""
    (core, top), *rest = counts.most_common()
    if top <= sum(n for _, n in rest):
        return ""
    return next(m.office for m in find_office_mentions(text, gazetteer) if office_core(m.office) == core)


def attribute_office(title: str, text: str, gazetteer: Gazetteer | None = None) -> tuple[str, str]:
    """The office an article is about and the evidence source.

    Args:
        title: headline block (kicker, title, subtitle).
        text: article body.

    Returns:
        (office, office_source): ``("", "")`` for district-level news.
    """
    gazetteer = gazetteer or default_gazetteer()
    in_title = find_office_mentions(title, gazetteer)
    if in_title:
        return in_title[0].office, in_title[0].source
    mentions = find_office_mentions(text, gazetteer)
    counts = Counter(office_core(m.office) for m in mentions)
    if not counts:
        return "", ""
    (core, top), *rest = counts.most_common()
    runner_up = rest[0][1] if rest else 0
    if top >= 2 and top >= 2 * runner_up:
        first = next(m for m in mentions if office_core(m.office) == core)
        return first.office, first.source
    return "", ""


def find_pattern_districts(text: str, gazetteer: Gazetteer | None = None) -> list[tuple[str, int, int]]:
    """Districts and counties the gazetteer does not know: ``X区``, ``X新区``, ``X县`` as (name, start, end).

    The name X is cut like an office name (at punctuation, a city or province name, a digit) and refused when
    it is a common word before 区 (``核心区``, ``示范区``: ``data/gazetteer/not_district_names.txt``).
    """
    gazetteer = gazetteer or default_gazetteer()
    found = []
    for match in _DISTRICT_SUFFIX.finditer(text):
        if text[match.end() : match.end() + 1] in _NOT_AFTER_DISTRICT:
            continue
        name = _name_before(
            text, match.start(), gazetteer, gazetteer.not_office_names | gazetteer.not_district_names
        )
        if name:
            found.append((name + match.group(), match.start() - len(name), match.end()))
    return found


def attribute_district(office: str, title: str, text: str, gazetteer: Gazetteer | None = None) -> str:
    """The district of an article.

    Its office's district (gazetteer); else the gazetteer district it names most; else, for places the
    gazetteer does not know, the district printed right before its office (``上城区湖滨街道``) or the
    district or county it names most.
    """
    gazetteer = gazetteer or default_gazetteer()
    if office in gazetteer.office_district:
        return gazetteer.office_district[office]
    full_text = title + "\n" + text
    counts = Counter(find_district_mentions(full_text, gazetteer))
    if counts:
        return counts.most_common(1)[0][0]
    districts = find_pattern_districts(full_text, gazetteer)
    if office:
        office_starts = {m.start for m in find_office_mentions(full_text, gazetteer) if m.office == office}
        beside = [name for name, _, end in districts if end in office_starts]
        if beside:
            return Counter(beside).most_common(1)[0][0]
    pattern_counts = Counter(name for name, _, _ in districts)
    return pattern_counts.most_common(1)[0][0] if pattern_counts else ""


def sentence_offices(
    sentence: str, article_office: str, gazetteer: Gazetteer | None = None
) -> tuple[str, list[str]]:
    """The attributed office of a sentence and the offices it names.

    The sentence keeps its article's office unless it names other offices and not the article's own;
    then the first office it names is attributed.
    """
    named: list[str] = []
    for mention in find_office_mentions(sentence, gazetteer):
        if not any(_same_office(mention.office, seen) for seen in named):
            named.append(mention.office)
    if not named or any(_same_office(article_office, office) for office in named):
        return article_office, named
    return named[0], named
