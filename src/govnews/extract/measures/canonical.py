"""Canonical names: which spellings of the measures of one group are one measure.

Spellings are grouped only where the text or the lexicon shows they are one measure, never because
they look alike (红色物业管家 and 绿色物业管家 are two measures):

* the same name once quotation marks, spaces and punctuation are removed
  (三项工程、一项管理 = 三项工程 一项管理 = 三项工程一项管理);
* a lexicon alias (吹哨报到 → 街乡吹哨部门报到);
* the text says so: “二马机制”（即“马上办理、马路办公”工作机制）, …（简称“…”）;
* the same components (一核三治 and “一核三治”基层治理体系 list 一核|三治);
* the same expansions (what each part stands for);
* a numbered slogan of four parts or more printed with the same numbers in the same order and
  all parts but one the same (四纵四横两区两园五景六亭十五街 = …六停十五街): a misprint of one part,
  which the numbers and the other parts show.

The canonical name of a group is its lexicon name if it has one, else its commonest spelling (the
first seen among equals).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pandas as pd

from govnews import schema
from govnews.extract.measures.text import leading_count
from govnews.resources.measure_lexicon import normalize_name

_MIN_NUMBERED_PARTS = 4


def assign_canonical(
    names: Sequence[str],
    hints: Sequence[str],
    components: Sequence[Sequence[str]] | None = None,
    expansions: Sequence[Sequence[str]] | None = None,
    same_as: Sequence[str] | None = None,
) -> list[str]:
    """Canonical name per row.

    Args:
        names: measure names.
        hints: the lexicon name of each row ('' for none).
        components: the parts of each row's slogan.
        expansions: what each part stands for (``part=meaning``).
        same_as: per row, a name the text says it is the same as ('' for none).

    Returns:
        The canonical name of each row (normalised: no punctuation or spaces).
    """
    count = len(names)
    components = components if components is not None else [()] * count
    expansions = expansions if expansions is not None else [()] * count
    same_as = same_as if same_as is not None else [""] * count
    keys = [normalize_name(hint or name) for name, hint in zip(names, hints, strict=True)]
    preferred = {normalize_name(hint) for hint in hints if hint}
    groups = _Groups(keys)
    for key, other in zip(keys, same_as, strict=True):
        if other:
            groups.join(key, normalize_name(other))
    # Most rows have no parts and no expansions: only the others are compared.
    with_parts = [(key, parts) for key, parts in zip(keys, components, strict=True) if len(parts) >= 2]
    _join_equal(groups, [(key, _signature(parts)) for key, parts in with_parts])
    _join_equal(
        groups,
        [
            (key, tuple(sorted(normalize_name(e) for e in row)))
            for key, row in zip(keys, expansions, strict=True)
            if row
        ],
    )
    _join_misprints(groups, with_parts)
    counts = Counter(keys)
    first_seen = {key: index for index, key in reversed(list(enumerate(keys)))}
    members: dict[str, list[str]] = {}
    for key in dict.fromkeys(keys):
        members.setdefault(groups.find(key), []).append(key)
    best = {
        root: min(group, key=lambda k: (k not in preferred, -counts[k], first_seen[k]))
        for root, group in members.items()
    }
    return [best[groups.find(key)] for key in keys]


def group_canonical_names(measures: pd.DataFrame) -> pd.Series:
    """Canonical names grouped across a whole ``measures`` table (all files, all offices).

    The build settles ``canonical`` within each raw file, so a file's rows never depend on the
    others; a corpus-wide view (counts by measure, charts) regroups with the same evidence across
    files: equal canonical names, equal components, equal expansions, numbered misprints.

    Args:
        measures: a ``measures`` table (canonical, name, components, expansions).

    Returns:
        The corpus-wide canonical name of each row, indexed like ``measures``.
    """

    def texts(column: str) -> list[str]:
        return measures[column].astype("string").fillna("").tolist()

    canonical = [c or n for c, n in zip(texts("canonical"), texts("name"), strict=True)]
    split = [[part for part in value.split(schema.LIST_SEPARATOR) if part] for value in texts("components")]
    expanded = [
        [part for part in value.split(schema.LIST_SEPARATOR) if part] for value in texts("expansions")
    ]
    names = assign_canonical(canonical, [""] * len(canonical), split, expanded)
    return pd.Series(names, index=measures.index, dtype="string", name="canonical")


class _Groups:
    """Union-find over normalised names."""

    def __init__(self, keys: Sequence[str]) -> None:
        self._parent = {key: key for key in keys}

    def find(self, key: str) -> str:
        root = key
        while self._parent.setdefault(root, root) != root:
            root = self._parent[root]
        while key != root:  # path compression
            self._parent[key], key = root, self._parent[key]
        return root

    def join(self, first: str, second: str) -> None:
        self._parent[self.find(first)] = self.find(second)


def _signature(parts: Sequence[str]) -> tuple[str, ...]:
    """The normalised parts of a slogan."""
    return tuple(normalize_name(part) for part in parts)


def _join_equal(groups: _Groups, signed: Sequence[tuple[str, tuple[str, ...]]]) -> None:
    """Join the keys of equal signatures."""
    first_key: dict[tuple[str, ...], str] = {}
    for key, signature in signed:
        groups.join(key, first_key.setdefault(signature, key))


def _join_misprints(groups: _Groups, with_parts: Sequence[tuple[str, Sequence[str]]]) -> None:
    """Numbered slogans of four parts or more, same numbers in order, all parts but one equal."""
    by_numbers: dict[tuple, list[tuple[str, tuple[str, ...]]]] = {}
    for key, parts in with_parts:
        if len(parts) < _MIN_NUMBERED_PARTS:
            continue
        numbers = tuple(leading_count(part) for part in parts)
        if None in numbers:
            continue
        by_numbers.setdefault(numbers, []).append((key, tuple(parts)))
    for rows in by_numbers.values():
        for i, (key, parts) in enumerate(rows):
            for other_key, other_parts in rows[:i]:
                if sum(a != b for a, b in zip(parts, other_parts, strict=True)) <= 1:
                    groups.join(key, other_key)
