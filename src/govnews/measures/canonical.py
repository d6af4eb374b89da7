"""Canonical names: which spellings of the measures of one group are one measure."""

from __future__ import annotations

from collections import Counter

from govnews.measure_lexicon import normalize_name
from govnews.measures.text import MASK, NUMERALS

_DIGITS = "0123456789０１２３４５６７８９"


def assign_canonical(names: list[str], hints: list[str]) -> list[str]:
    """Canonical name per row: lexicon name, else the commonest spelling of a near-identical group."""
    keys = [
        normalize_name(hint) if hint else normalize_name(name)
        for name, hint in zip(names, hints, strict=True)
    ]
    parent = {key: key for key in keys}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    by_pattern: dict[str, str] = {}
    for key in dict.fromkeys(keys):
        if len(key) < 6:
            continue
        for i, ch in enumerate(key):
            if ch in NUMERALS or ch in _DIGITS:
                continue
            pattern = key[:i] + MASK + key[i + 1 :]
            if pattern in by_pattern:
                parent[find(key)] = find(by_pattern[pattern])
            else:
                by_pattern[pattern] = key
    counts = Counter(keys)
    first_seen = {key: index for index, key in reversed(list(enumerate(keys)))}
    groups: dict[str, list[str]] = {}
    for key in dict.fromkeys(keys):
        groups.setdefault(find(key), []).append(key)
    best = {root: min(members, key=lambda k: (-counts[k], first_seen[k])) for root, members in groups.items()}
    return [best[find(key)] for key in keys]
