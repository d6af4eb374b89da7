"""Analyst overrides (``overrides.yml``): every decision about an article can be set by hand.

Entries are keyed by raw file and a quoted snippet, never by line numbers, so they survive re-cleaning.
An entry either moves the paragraph holding the snippet to the article holding ``move_to``, starts a new
article at that paragraph (``starts_article: true``), or sets the ``office``, ``district`` or ``year``
of the article holding the snippet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from govnews.errors import GovnewsError
from govnews.resources.files import read_text
from govnews.resources.yamlfile import parse_yaml

_ENTRY_KEYS = ("source", "snippet", "move_to", "starts_article", "office", "district", "year")
_ACTIONS = ("move_to", "starts_article", "office", "district", "year")


@dataclass(frozen=True)
class Override:
    """One entry of the overrides file."""

    source: str
    snippet: str
    move_to: str = ""
    starts_article: bool = False
    office: str = ""
    district: str = ""
    year: int | None = None

    def describe(self) -> str:
        """The entry in words, as build summaries and warnings name it."""
        if self.move_to:
            action = f"move to article with “{self.move_to}”"
        elif self.starts_article:
            action = "starts an article"
        else:
            settings = [("office", self.office), ("district", self.district), ("year", self.year)]
            action = ", ".join(f"{key} {value}" for key, value in settings if value)
        return f"{self.source}: “{self.snippet}” → {action}"


def load_overrides(path: Path) -> list[Override]:
    """Read the overrides file; a missing file means no overrides.

    Raises:
        GovnewsError: broken YAML or a malformed entry (a key missing, unknown or given twice, no action or
            two, a source outside the raw folder), naming the file and the entry's line.
    """
    if not path.exists():
        return []
    entries, root = parse_yaml(read_text(path), path)
    entries = entries or []
    if not isinstance(entries, list):
        raise GovnewsError(path, "expected a list of entries (each with source, snippet and an action)")
    # A file of comments only composes to no node at all: no entries.
    nodes = root.value if isinstance(root, yaml.SequenceNode) else []
    return [
        _override(path, number, entry, node)
        for number, (entry, node) in enumerate(zip(entries, nodes, strict=True), start=1)
    ]


def _override(path: Path, number: int, entry: object, node: yaml.Node) -> Override:
    def fail(problem: str) -> GovnewsError:
        return GovnewsError(path, f"entry {number}: {problem}", line=node.start_mark.line + 1)

    if not isinstance(entry, dict) or not entry.get("source") or not entry.get("snippet"):
        raise fail("needs 'source' and 'snippet'")
    # safe_load keeps the last of two equal keys; an analyst who wrote both meant something else.
    keys = [str(key.value) for key, _value in node.value]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    if twice:
        raise fail(f"gives {', '.join(twice)} twice")
    unknown = sorted(set(map(str, entry)) - set(_ENTRY_KEYS))
    if unknown:
        raise fail(f"unknown key(s) {', '.join(unknown)}; expected {', '.join(_ENTRY_KEYS)}")
    given = [key for key in _ACTIONS if entry.get(key)]
    moving = [key for key in given if key in ("move_to", "starts_article")]
    if not given or (moving and len(given) > 1):
        raise fail("needs one of 'move_to' or 'starts_article', or any of 'office', 'district', 'year'")
    year = entry.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100):
        raise fail(f"year {year!r} is not a year")
    source = str(entry["source"])
    if Path(source).is_absolute() or ".." in Path(source).parts:
        raise fail("source must be a file name inside the raw folder")
    return Override(
        source,
        str(entry["snippet"]),
        str(entry.get("move_to") or ""),
        bool(entry.get("starts_article")),
        str(entry.get("office") or ""),
        str(entry.get("district") or ""),
        year,
    )
