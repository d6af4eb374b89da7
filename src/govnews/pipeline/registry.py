"""Every table a build makes, registered once: its name, the step that makes it, and its level.

A table is **per-file** when the per-file chain (:mod:`govnews.pipeline.steps`) makes its rows for
each batch of raw files: it is stored as a piece per batch and written as a Parquet dataset
partitioned by source. It is **corpus-level** when a corpus step (:mod:`govnews.pipeline.corpus`)
makes it once from the whole corpus. ``token_counts`` is both: each batch counts its own offices'
tokens, and the corpus step sums those counts into the written table.

A per-file table also names its **corpus columns**: the columns the corpus steps and the build
summary read. Only those travel back from the workers and live in the build cache; the full rows
stay on disk as pieces.

Adding a table takes its schema (:mod:`govnews.schema`), its step, and one :class:`TableSpec` here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import pyarrow as pa

from govnews import schema
from govnews.pipeline import corpus, steps
from govnews.pipeline.tables import to_arrow


@dataclass(frozen=True)
class TableSpec:
    """One table of the build.

    Attributes:
        name: the table's name in :data:`govnews.schema.TABLES` and on disk.
        per_file: the step that makes a batch's rows (per-file tables), or None.
        corpus: the step that makes the written table from the whole corpus (corpus-level tables), or None.
        corpus_columns: the columns of a per-file table that the corpus steps and the summary read.
    """

    name: str
    per_file: Callable[[steps.BatchSteps], pd.DataFrame | steps.FileRows] | None = None
    corpus: Callable[[corpus.CorpusSteps], pa.Table] | None = None
    corpus_columns: tuple[str, ...] = ()

    @property
    def level(self) -> str:
        """``"file"`` (written as a dataset of per-batch pieces) or ``"corpus"`` (written whole)."""
        return "corpus" if self.corpus is not None else "file"


TABLES: tuple[TableSpec, ...] = (
    TableSpec("articles", per_file=steps.make_articles, corpus_columns=("source", "office")),
    TableSpec(
        "sentences",
        per_file=steps.make_sentences,
        corpus_columns=("article_id", "sentence_no", "office", "n_chars"),
    ),
    TableSpec("removed", per_file=steps.make_removed, corpus_columns=("reason",)),
    TableSpec("figures", per_file=steps.make_figures, corpus_columns=("article_id",)),
    TableSpec("figure_checks", per_file=steps.make_figure_checks),
    TableSpec("measures", per_file=steps.make_measures, corpus_columns=("article_id",)),
    TableSpec("measure_candidates", per_file=steps.make_measure_candidates),
    TableSpec(
        "theme_hits",
        per_file=steps.make_theme_hits,
        corpus_columns=("article_id", "sentence_no", "office", "theme", "term"),
    ),
    TableSpec("sources", corpus=corpus.make_sources),
    TableSpec("rejected", corpus=corpus.make_rejected),
    TableSpec(
        "token_counts",
        per_file=steps.make_token_counts,
        corpus=corpus.make_token_counts,
        corpus_columns=("office", "token", "count"),
    ),
    TableSpec("theme_counts", corpus=corpus.make_theme_counts),
    TableSpec("theme_diagnostics", corpus=corpus.make_theme_diagnostics),
    TableSpec("keyness", corpus=corpus.make_keyness),
)
"""Every table, in the order they are written and listed."""

SPECS: dict[str, TableSpec] = {spec.name: spec for spec in TABLES}
PER_FILE_TABLES: tuple[str, ...] = tuple(spec.name for spec in TABLES if spec.per_file is not None)
"""The tables the per-file chain makes for each batch (stored as pieces)."""
CORPUS_TABLES: tuple[str, ...] = tuple(spec.name for spec in TABLES if spec.corpus is not None)
"""The tables made once from the whole corpus."""
DATASET_TABLES: tuple[str, ...] = tuple(spec.name for spec in TABLES if spec.level == "file")
"""The per-file tables written as Parquet datasets partitioned by source."""
CORPUS_COLUMNS: dict[str, list[str]] = {
    spec.name: list(spec.corpus_columns) for spec in TABLES if spec.corpus_columns
}
"""The columns of each per-file table that travel back from the workers and live in the build cache."""


@lru_cache(maxsize=32)
def arrow_schema(name: str) -> pa.Schema:
    """The Arrow schema of table ``name`` (every per-file piece is cast to it)."""
    return to_arrow(schema.empty_table(name), name).schema


def _check_registry() -> None:
    unknown = [spec.name for spec in TABLES if spec.name not in schema.TABLES]
    if unknown:
        raise RuntimeError(f"tables without a schema in govnews.schema: {', '.join(unknown)}")


_check_registry()
