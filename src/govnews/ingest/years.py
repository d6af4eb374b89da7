"""The publication year of an article, from evidence in its text and on its page.

Evidence, strongest first:

1. a statement of the current year (``2023年是…开局之年``) or an anniversary
   (``建党99周年`` → 1921 + 99), in the article, else elsewhere on its page
   (a page is one issue of a paper, so its articles share a year);
2. bounds: every year the text reports as past (``2013年…``, but not a target
   such as ``到2025年建成``) is a lower bound, and the period cues of
   ``data/lexicons/year_cues.yml`` (``二十大精神`` → 2022 or later) bound it
   from both sides; the year is the lowest year the bounds allow.

``data/raw/metadata.csv`` (columns source, year) overrides the inference per file.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from govnews.config import project_paths
from govnews.errors import GovnewsError
from govnews.resources.yamlfile import parse_yaml

# A year, and 是 when the text states it as the current one (2023年是…). A year right after another
# digit (12023年) is none: tested in code, since a leading lookbehind would slow every position.
_YEAR = re.compile(r"((?:19|20)\d\d)年(，?是)?")
_FUTURE_BEFORE = re.compile(r"(?:到|至|力争|计划|预计|争取|截至|将于|将在|于)$")
_FUTURE_AFTER = re.compile(r"^.{0,12}(?:将|建成|目标|计划|力争|实现|前)")
_ANNIVERSARY = re.compile(r"({events})([0-9一二三四五六七八九十百]+)周年")


@dataclass(frozen=True)
class YearCues:
    """Anniversary bases and period cues."""

    anniversaries: dict[str, int]
    periods: list[tuple[str, int | None, int | None]]

    @cached_property
    def _anniversary_pattern(self) -> re.Pattern[str] | None:
        events = "|".join(map(re.escape, self.anniversaries))
        return re.compile(_ANNIVERSARY.pattern.format(events=events)) if events else None


@dataclass(frozen=True)
class YearEvidence:
    """What one text says about its year."""

    stated: list[tuple[int, str]]  # (year, evidence)
    lower: tuple[int, str] | None
    upper: tuple[int, str] | None


def load_year_cues(path: Path | None = None) -> YearCues:
    """Read the year cue file.

    Raises:
        GovnewsError: broken YAML or a malformed entry, naming the file.
    """
    path = path or project_paths().lexicon_dir / "year_cues.yml"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GovnewsError(path, "file not found") from None
    except UnicodeDecodeError as exc:
        raise GovnewsError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    data = parse_yaml(text, path)[0] or {}
    try:
        anniversaries = {str(k): int(v) for k, v in (data.get("anniversaries") or {}).items()}
        periods = [(str(p["cue"]), p.get("from"), p.get("to")) for p in data.get("periods") or []]
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise GovnewsError(
            path, f"malformed entry ({exc}); see the comments at the top of the file"
        ) from None
    return YearCues(anniversaries, periods)


@lru_cache(maxsize=1)
def default_year_cues() -> YearCues:
    """The project's year cues, read once."""
    return load_year_cues()


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    import cn2an  # on first use: importing it reads its YAML config three times (half a second)

    try:
        return int(cn2an.cn2an(token, "smart"))
    except ValueError:
        return None


def find_year_evidence(text: str, cues: YearCues | None = None) -> YearEvidence:
    """What ``text`` says about the year it was written in."""
    cues = cues or default_year_cues()
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
    pattern = cues._anniversary_pattern
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


def infer_year(article: YearEvidence, page: YearEvidence) -> tuple[int | None, str]:
    """The year of an article from its own evidence and its page's.

    Returns:
        (year or None, the evidence in words).
    """
    for evidence, where in ((article, "article"), (page, "page")):
        if evidence.stated:
            year, text = Counter(evidence.stated).most_common(1)[0][0]
            return year, f"{where} states {text}"
    # A page is one issue of a paper: its bounds hold for every article on it.
    lowers = [b for b in (article.lower, page.lower) if b is not None]
    uppers = [b for b in (article.upper, page.upper) if b is not None]
    if lowers:
        year, text = max(lowers)
        if uppers and min(uppers)[0] < year:
            return None, f"evidence conflicts: {text} vs {min(uppers)[1]}"
        return year, f"mentions {text} (the earliest year the evidence on its page allows)"
    return None, ""
