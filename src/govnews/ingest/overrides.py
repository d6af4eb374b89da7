"""Analyst overrides (``data/overrides.yml``): pin a paragraph to an article, or set an article's office.

Entries are keyed by raw file and a quoted snippet, never by line numbers, so
they survive re-cleaning. Each entry reports whether it matched; one that
matches nothing becomes a warning naming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from govnews.errors import GovnewsError
from govnews.ingest.split import Article
from govnews.resources.yamlfile import parse_yaml


@dataclass(frozen=True)
class Override:
    """One entry of the overrides file."""

    source: str
    snippet: str
    move_to: str = ""
    office: str = ""

    def describe(self) -> str:
        action = f"move to article with “{self.move_to}”" if self.move_to else f"office {self.office}"
        return f"{self.source}: “{self.snippet}” → {action}"


_ENTRY_KEYS = ("source", "snippet", "move_to", "office")


def load_overrides(path: Path) -> list[Override]:
    """Read the overrides file; a missing file means no overrides.

    Raises:
        GovnewsError: broken YAML or a malformed entry (a key missing, unknown or given twice, a source
            outside the raw folder), naming the file and the entry's line.
    """
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise GovnewsError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    entries, root = parse_yaml(text, path)
    entries = entries or []
    if not isinstance(entries, list):
        raise GovnewsError(
            path, "expected a list of entries (each with source, snippet and move_to or office)"
        )
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
    if bool(entry.get("move_to")) == bool(entry.get("office")):
        raise fail("needs exactly one of 'move_to' or 'office'")
    source = str(entry["source"])
    if Path(source).is_absolute() or ".." in Path(source).parts:
        raise fail("source must be a file name inside the raw folder")
    return Override(
        source, str(entry["snippet"]), str(entry.get("move_to") or ""), str(entry.get("office") or "")
    )


def _holding(articles: list[Article], snippet: str) -> Article | None:
    for article in articles:
        if snippet in article.title_text or snippet in article.body_text:
            return article
    return None


def apply_overrides(
    source: str, articles: list[Article], overrides: list[Override]
) -> tuple[dict[int, str], list[Override]]:
    """Apply the overrides of one file in place.

    Returns:
        (office set by override per article index, overrides that matched).
    """
    offices: dict[int, str] = {}
    applied: list[Override] = []
    for override in (o for o in overrides if o.source == source):
        if override.office:
            article = _holding(articles, override.snippet)
            if article is not None:
                offices[articles.index(article)] = override.office
                applied.append(override)
            continue
        target = _holding(articles, override.move_to)
        for article in articles:
            moving = [p for p in article.paragraphs if override.snippet in p.text]
            if moving and target is not None and article is not target:
                article.paragraphs = [p for p in article.paragraphs if p not in moving]
                target.paragraphs = sorted([*target.paragraphs, *moving], key=lambda p: p.first_line)
                applied.append(override)
                break
    return offices, applied
