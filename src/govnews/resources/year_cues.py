"""Year cues (``lexicons/year_cues.yml``): anniversary bases and the spans that campaigns and plans date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from govnews.errors import GovnewsError
from govnews.resources.files import read_text
from govnews.resources.yamlfile import parse_yaml

_ANNIVERSARY = r"({events})([0-9一二三四五六七八九十百]+)周年"


@dataclass(frozen=True)
class YearCues:
    """Anniversary bases (建党 → 1921) and period cues (十四五 → 2021–2025, either end optional)."""

    anniversaries: dict[str, int]
    periods: list[tuple[str, int | None, int | None]]

    @cached_property
    def anniversary_pattern(self) -> re.Pattern[str] | None:
        """``<event><N>周年`` for the listed events, or None when none is listed."""
        events = "|".join(map(re.escape, self.anniversaries))
        return re.compile(_ANNIVERSARY.format(events=events)) if events else None


def load_year_cues(path: Path) -> YearCues:
    """Read the year cue file.

    Raises:
        GovnewsError: unreadable, broken YAML, a key given twice or a malformed entry, naming the file.
    """
    data = parse_yaml(read_text(path), path)[0] or {}
    try:
        anniversaries = {str(k): int(v) for k, v in (data.get("anniversaries") or {}).items()}
        periods = [(str(p["cue"]), p.get("from"), p.get("to")) for p in data.get("periods") or []]
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise GovnewsError(
            path, f"malformed entry ({exc}); see the comments at the top of the file"
        ) from None
    return YearCues(anniversaries, periods)
