"""The publication year of an article, only from evidence that states it.

A wrong year is worse than none, so a year is given only where something states it, strongest first:

1. a **date printed with the article**: a date or source line (``2023-05-12 10:32 来源：XX日报``,
   ``发布时间：…``, ``2024年07月08日 星期一``) or a dateline with its year (``本报2023年5月12日讯``);
2. a date line printed at the **top of the page**, before any article (the page's date);
3. a **date in the file name** (``2023-05-12_…txt``, ``20230512…``);
4. what ``metadata.csv`` states for the file;
5. a **statement in the text** of the year it is written in: ``2023年是…之年``, ``今年是…`` with an
   anniversary, an anniversary (``建党99周年`` → 1920 + 99 … with the base year of year_cues.yml); in
   the article, else on its page, but only from articles of the same city (a dump that gathers articles
   of several cities is no single issue of one paper).

Years of past events (``1998年撤乡建镇``, ``2013年固定资产投资…``) and of plans (``到2025年``) only bound the
year, as the period cues of ``year_cues.yml`` do (``二十大精神`` → 2022 or later); bounds never state a
year, but they are reported in ``year_evidence`` so a reader sees what the text allows.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from govnews.resources.year_cues import YearCues

_FULL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)\s*(?:[-/.年]\s*)(0?[1-9]|1[0-2])\s*(?:[-/.月]\s*)(0?[1-9]|[12]\d|3[01])(?!\d)"
)
_FILE_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_DATELINE_YEAR = re.compile(r"^[^，。]{0,24}?((?:19|20)\d\d)年\d{1,2}月\d{1,2}日[^，。]{0,8}?[讯電电]")
# A year, and 是 when the text states it as the current one (2023年是…). A year right after another
# digit (12023年) is none: tested in code, since a leading lookbehind would slow every position.
_YEAR = re.compile(r"((?:19|20)\d\d)年(，?是)?")
_FUTURE_BEFORE = re.compile(r"(?:到|至|力争|计划|预计|争取|截至|将于|将在|于)$")
_FUTURE_AFTER = re.compile(r"^.{0,12}(?:将|建成|目标|计划|力争|实现|前)")


@dataclass(frozen=True)
class YearEvidence:
    """What a text says about the year it was written in.

    Attributes:
        stated: (year, evidence) the text states as its own year.
        lower: the latest year the text reports as past or a period cue starts, with its evidence.
        upper: the earliest year a period cue ends, with its evidence.
    """

    stated: list[tuple[int, str]] = field(default_factory=list)
    lower: tuple[int, str] | None = None
    upper: tuple[int, str] | None = None


def date_year(line: str) -> int | None:
    """The year of a full date printed in a line (2023-05-12, 2023年5月12日, 2023/5/12), or None."""
    match = _FULL_DATE.search(line)
    return int(match.group(1)) if match else None


def file_name_year(source: str) -> int | None:
    """The year of a date in a file name (2023-05-12_x.txt, 20230512x.txt), or None."""
    name = source.rsplit("/", 1)[-1]
    match = _FILE_DATE.search(name)
    return int(match.group(1)) if match else None


def dateline_year(lead: str) -> int | None:
    """The year of a lead's dateline that prints one (本报2023年5月12日讯), or None."""
    match = _DATELINE_YEAR.match(lead)
    return int(match.group(1)) if match else None


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    import cn2an  # on first use: importing it reads its YAML config three times (half a second)

    try:
        return int(cn2an.cn2an(token, "smart"))
    except ValueError:
        return None


def find_year_evidence(text: str, cues: YearCues) -> YearEvidence:
    """What ``text`` says about the year it was written in: statements, and bounds."""
    stated: list[tuple[int, str]] = []
    lower: tuple[int, str] | None = None
    upper: tuple[int, str] | None = None
    for match in _YEAR.finditer(text):
        start, end = match.start(), match.end(1) + 1
        if start and text[start - 1] in "0123456789":
            continue
        year = int(match.group(1))
        if match.group(2):
            stated.append((year, match.group()))
        before, after = text[max(0, start - 4) : start], text[end : end + 14]
        if _FUTURE_BEFORE.search(before) or _FUTURE_AFTER.match(after):
            continue
        if lower is None or year > lower[0]:
            lower = (year, text[start:end])
    pattern = cues.anniversary_pattern
    if pattern is not None and "周年" in text:
        for match in pattern.finditer(text):
            count = _number(match.group(2))
            if count is not None:
                stated.append((cues.anniversaries[match.group(1)] + count, match.group()))
    for cue, start, end in cues.periods:
        if cue not in text:
            continue
        if start is not None and (lower is None or start > lower[0]):
            lower = (int(start), cue)
        if end is not None and (upper is None or end < upper[0]):
            upper = (int(end), cue)
    return YearEvidence(stated, lower, upper)


@dataclass(frozen=True)
class YearSources:
    """Every kind of evidence for one article, strongest first (see the module docstring).

    Attributes:
        printed: years of the date and source lines printed with the article, and of its dateline.
        page_printed: years of the date lines at the top of its page.
        file_name: the year of a date in the file name.
        metadata: the year metadata.csv states for the file.
        article: what the article's text says.
        page: what the texts of the page's other articles of the same city say.
    """

    printed: list[tuple[int, str]] = field(default_factory=list)
    page_printed: list[tuple[int, str]] = field(default_factory=list)
    file_name: int | None = None
    metadata: int | None = None
    article: YearEvidence = field(default_factory=YearEvidence)
    page: YearEvidence = field(default_factory=YearEvidence)


def _most_stated(stated: list[tuple[int, str]]) -> tuple[int, str]:
    return Counter(stated).most_common(1)[0][0]


Statement = tuple[int, str]


def most_stated_by_others(stated: list[list[Statement]], groups: list[str]) -> list[list[Statement]]:
    """For each text, the statement the other texts of its group make most often ([] if they make none).

    The statement is the one :func:`infer_year` would take from all the others' statements in text
    order (the most frequent; of equal ones, the first made), found in time linear in the number of
    statements: a dump of a whole newspaper run holds thousands of articles of one city.

    Args:
        stated: each text's statements of its year, in text order.
        groups: each text's group ('' for a text in no group, which gets []).
    """
    members: dict[str, list[int]] = {}
    for index, group in enumerate(groups):
        if group:
            members.setdefault(group, []).append(index)
    result: list[list[Statement]] = [[] for _ in stated]
    for indexes in members.values():
        counts: Counter[Statement] = Counter()
        first: dict[Statement, tuple[int, int]] = {}  # position and text of the first time it is made
        first_by_another: dict[Statement, int] = {}  # position of the first time another text makes it
        position = 0
        for index in indexes:
            for statement in stated[index]:
                counts[statement] += 1
                if statement not in first:
                    first[statement] = (position, index)
                elif statement not in first_by_another and first[statement][1] != index:
                    first_by_another[statement] = position
                position += 1
        ranking = sorted(counts, key=lambda s: (-counts[s], first[s][0]))
        for index in indexes:
            own = Counter(stated[index])
            candidates = []
            for statement, own_count in own.items():
                rest = counts[statement] - own_count
                if rest:
                    made_first, by = first[statement]
                    made = made_first if by != index else first_by_another[statement]
                    candidates.append((-rest, made, statement))
            # the best statement this text does not make: the first of the ranking it does not make
            other = next((s for s in ranking if s not in own), None)
            if other is not None:
                candidates.append((-counts[other], first[other][0], other))
            result[index] = [min(candidates)[2]] if candidates else []
    return result


def _bounds(sources: YearSources) -> str:
    lowers = [b for b in (sources.article.lower, sources.page.lower) if b is not None]
    uppers = [b for b in (sources.article.upper, sources.page.upper) if b is not None]
    if not lowers and not uppers:
        return ""
    low = max(lowers) if lowers else None
    high = min(uppers) if uppers else None
    span = f"{low[0] if low else '…'}–{high[0] if high else '…'}"
    because = " and ".join(f"“{b[1]}”" for b in (low, high) if b)
    return f"no year stated; the text allows {span} ({because})"


def infer_year(sources: YearSources) -> tuple[int | None, str]:
    """The year of an article and the evidence in words; (None, what the text allows) without a statement."""
    for stated, where in ((sources.printed, "printed with the article"), (sources.page_printed, "page date")):
        if stated:
            year, text = _most_stated(stated)
            return year, f"{where}: {text}"
    if sources.file_name is not None:
        return sources.file_name, "date in the file name"
    if sources.metadata is not None:
        return sources.metadata, "metadata.csv"
    for evidence, where in ((sources.article, "the article states"), (sources.page, "its page states")):
        if evidence.stated:
            year, text = _most_stated(evidence.stated)
            upper = min((b for b in (sources.article.upper, sources.page.upper) if b), default=None)
            if upper is not None and upper[0] < year:
                return None, f"evidence conflicts: {text} vs {upper[1]}"
            return year, f"{where} {text}"
    return None, _bounds(sources)
