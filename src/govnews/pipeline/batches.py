"""Files in batches: cutting the raw files into batches, and running the per-file chain on a batch.

pandas and file writing cost per call, not per row, so files are processed a few dozen at a time;
each file still gets exactly the rows it gets alone (:func:`process_files`). Batch boundaries are
decided by file names, so adding or editing a file changes its own batch only, and a batch is named
by the keys of its files (:func:`batch_key`), which names its pieces in the build cache.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from govnews.collector import cycle_collector_paused
from govnews.config import ProjectPaths, project_paths
from govnews.ingest.articles import article_stem
from govnews.ingest.load import RawFile
from govnews.pipeline.registry import PER_FILE_TABLES, SPECS
from govnews.pipeline.settings import DEFAULT_SETTINGS, BuildSettings
from govnews.pipeline.steps import BatchSteps, FileRows
from govnews.resources import Resources, load_resources


@dataclass
class FileResult:
    """Every per-file table of one raw file (DataFrames, or Arrow tables inside the build), plus notes."""

    source: str
    tables: dict[str, pd.DataFrame | pa.Table]
    applied_overrides: list[str] = field(default_factory=list)


@dataclass
class BatchTables:
    """Every per-file table of a batch, each file's rows together and in file order.

    ``bounds[name]`` lists, per file, the row where its rows of table ``name`` start (and, last, the row
    count), so file ``i`` owns rows ``bounds[name][i]:bounds[name][i + 1]``.
    """

    tables: dict[str, pd.DataFrame]
    bounds: dict[str, list[int]]
    applied_overrides: list[list[str]]


def process_file(raw: RawFile, paths: ProjectPaths | None = None) -> FileResult:
    """Every per-file table of one decoded raw file (a pure function of the file and the data files)."""
    return process_files([raw], paths)[0]


def process_files(
    raws: Sequence[RawFile], paths: ProjectPaths | None = None, settings: BuildSettings = DEFAULT_SETTINGS
) -> list[FileResult]:
    """Every per-file table of each decoded raw file, as :func:`process_file` of each file alone gives.

    The files are processed in batches (pandas pays its per-table overhead once per batch, which
    for page dumps of a few thousand characters costs more than the rules themselves), and each
    file's rows are then cut out of the batch's tables.
    """
    resources = load_resources(paths or project_paths())
    results: list[FileResult] = []
    for batch in batches(raws, settings):
        made = process_batch(batch, resources)
        for number, raw in enumerate(batch):
            own = {
                name: table.iloc[made.bounds[name][number] : made.bounds[name][number + 1]].reset_index(
                    drop=True
                )
                for name, table in made.tables.items()
            }
            results.append(FileResult(raw.source, own, made.applied_overrides[number]))
    return results


def process_batch(
    raws: Sequence[RawFile], resources: Resources, report: Callable[[str], None] | None = None
) -> BatchTables:
    """Every per-file table of a batch of files, each made by its registered step.

    Args:
        raws: the batch's files, in order.
        resources: the data files.
        report: called with a line after each table is made (progress within a large file).
    """
    steps = BatchSteps(raws, resources)
    tables: dict[str, pd.DataFrame] = {}
    bounds: dict[str, list[int]] = {}
    started = time.perf_counter()
    for name in PER_FILE_TABLES:
        with cycle_collector_paused():
            made = SPECS[name].per_file(steps)
        if report is not None:
            report(f"{name} done after {time.perf_counter() - started:.1f} s")
        if isinstance(made, FileRows):
            table, files = made.frame, np.asarray(made.files, dtype=np.int64)
        else:
            table, files = made, steps.files_of_rows(made)
        if len(files) and (np.diff(files) < 0).any():
            order = np.argsort(files, kind="stable")
            table, files = table.iloc[order].reset_index(drop=True), files[order]
        tables[name] = table
        bounds[name] = np.searchsorted(files, np.arange(len(raws) + 1)).tolist()
    return BatchTables(tables, bounds, steps.applied)


def ends_batch(source: str, settings: BuildSettings = DEFAULT_SETTINGS) -> bool:
    """Whether a batch ends after file ``source``: decided by its name alone (see :class:`BuildSettings`)."""
    return int(hashlib.sha256(source.encode()).hexdigest()[:8], 16) % settings.batch_files == 0


def batches(raws: Sequence[RawFile], settings: BuildSettings = DEFAULT_SETTINGS) -> list[list[RawFile]]:
    """``raws`` in order, cut into batches of at most ``settings.batch_max_files`` files.

    A batch ends after a file whose name says so (:func:`ends_batch`), so batches stay the same from
    one build to the next except where files were added, removed or grew past the cap; a batch also
    ends when it is full, before it would exceed ``settings.batch_max_chars``, and before a file whose
    article ids would share a prefix with a file in it (``a/b.txt`` and ``a_b.txt``), so that an
    article id names one article within a batch.
    """
    cut: list[list[RawFile]] = []
    batch: list[RawFile] = []
    stems: set[str] = set()
    n_chars = 0
    for raw in raws:
        stem = article_stem(raw.source)
        full = len(batch) == settings.batch_max_files or n_chars + len(raw.text) > settings.batch_max_chars
        if batch and (full or stem in stems):
            cut.append(batch)
            batch, stems, n_chars = [], set(), 0
        batch.append(raw)
        stems.add(stem)
        n_chars += len(raw.text)
        if ends_batch(raw.source, settings):
            cut.append(batch)
            batch, stems, n_chars = [], set(), 0
    if batch:
        cut.append(batch)
    return cut


def batch_key(batch: Sequence[RawFile], keys: Mapping[str, str]) -> str:
    """Names a batch's pieces: changes when any of its files or their order does."""
    return hashlib.sha256("\0".join(keys[raw.source] for raw in batch).encode()).hexdigest()
