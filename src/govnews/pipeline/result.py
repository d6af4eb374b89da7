"""What a build returns: its tables (converted to pandas on first use) and the lines of its summary."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa


@dataclass
class BuildResult:
    """All tables of a build and the notes for its summary.

    ``tables`` maps each table name to its DataFrame; a table is converted from the build's Arrow
    tables (or read from the written Parquet after a build that had nothing to do) when first used.

    Attributes:
        processed: the sources this build processed (the others' rows came from the cache).
        ran_on: where the per-file work ran: ``"serial"`` (this process), ``"pool"`` (worker
            processes) or ``"dask"``; ``""`` when there was nothing to process.
        warnings: one line per problem the build repaired (a damaged cache file made again).
    """

    tables: Mapping[str, pd.DataFrame]
    applied_overrides: list[str]
    unmatched_overrides: list[str]
    counts: list[str]
    processed: list[str] = field(default_factory=list)
    ran_on: str = ""
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """A short plain-text summary: files, articles per office, removed lines by reason, warnings."""
        lines = list(self.counts) + list(self.warnings)
        lines += [f"override applied: {o}" for o in self.applied_overrides]
        lines += [f"warning: override matched nothing: {o}" for o in self.unmatched_overrides]
        return "\n".join(lines)


class LazyTables(Mapping):
    """Tables converted to conformed DataFrames on first use, from Arrow tables or Parquet files."""

    def __init__(self, load: Callable[[str], pd.DataFrame], names: list[str]) -> None:
        self._load, self._names, self._frames = load, names, {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._frames:
            self._frames[name] = self._load(name)
        return self._frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def count_lines(tables: Mapping[str, pa.Table]) -> list[str]:
    """The counting part of the build summary, from the Arrow tables (no conversion to pandas)."""

    def tally(table: pa.Table, column: str, rename: dict[str, str] | None = None) -> str:
        counts = table.group_by(column).aggregate([([], "count_all")]).to_pylist()
        ordered = sorted(counts, key=lambda row: (-row["count_all"], row[column]))
        return ", ".join(f"{(rename or {}).get(r[column], r[column])} {r['count_all']}" for r in ordered)

    lines = [
        f"files read: {tables['sources'].num_rows}, articles: {tables['articles'].num_rows}, "
        f"sentences: {tables['sentences'].num_rows}, figures: {tables['figures'].num_rows}, "
        f"measures: {tables['measures'].num_rows}",
        "articles per office: " + tally(tables["articles"], "office", {"": "(district-level)"}),
    ]
    if tables["removed"].num_rows:
        lines.append("removed lines: " + tally(tables["removed"], "reason"))
    if tables["rejected"].num_rows:
        lines.append(f"files not read: {tables['rejected'].num_rows} (in the rejected table)")
    lines += [f"rejected: {r['source']}: {r['reason']}" for r in tables["rejected"].to_pylist()]
    return lines
