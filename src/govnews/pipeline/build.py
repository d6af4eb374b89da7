"""The pipeline: raw page dumps → every processed table. This module only orchestrates.

Per file (a pure function of the raw file and the data files, so it runs in a process pool or on a
Dask cluster and is cached by content hash) the chain of :mod:`~govnews.pipeline.steps` makes every
per-file table, batch by batch (:mod:`~govnews.pipeline.batches`); a batch's rows are written where
they are made, as pieces in the build cache (:mod:`~govnews.pipeline.cache`), by whichever executor
runs it (:mod:`~govnews.pipeline.executors`). Only a few columns of each file come back to the main
process, which runs the corpus steps (:mod:`~govnews.pipeline.corpus`). Every table, its level and
its step are registered once in :mod:`~govnews.pipeline.registry`; the tables are written by
:mod:`~govnews.pipeline.tables`. After a few files changed, only their batches are processed again,
and theme and token counts are updated for the offices of those files only.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field, replace

import pandas as pd
import pyarrow as pa

from govnews import schema
from govnews.config import ProjectPaths, project_paths
from govnews.errors import GovnewsError
from govnews.ingest.load import RawFile, load_raw_files
from govnews.pipeline.batches import FileResult, batch_key, batches, process_file, process_files
from govnews.pipeline.cache import (
    REFERENCE_CUTS,
    BuildCache,
    CacheCheck,
    Mark,
    data_fingerprint,
    file_key,
    piece_paths,
    remove_stale_pieces,
    stamp,
)
from govnews.pipeline.corpus import CorpusSteps, gather_columns, previous_corpus
from govnews.pipeline.executors import (
    BatchJob,
    BatchResult,
    default_workers,
    run_jobs,
    run_on_dask,
    worth_workers,
)
from govnews.pipeline.faults import checkpoint
from govnews.pipeline.folders import lock_path, locked, remove_leftovers, remove_temporary_files
from govnews.pipeline.registry import (
    CORPUS_COLUMNS,
    CORPUS_TABLES,
    DATASET_TABLES,
    PER_FILE_TABLES,
    SPECS,
    arrow_schema,
)
from govnews.pipeline.result import BuildResult, LazyTables, count_lines
from govnews.pipeline.settings import DEFAULT_SETTINGS, BuildSettings
from govnews.pipeline.tables import PartitionedTable, TableWriter, read_parts, read_table
from govnews.resources import load_resources
from govnews.resources.overrides import load_overrides

__all__ = [
    "CORPUS_TABLES",
    "PER_FILE_TABLES",
    "BuildResult",
    "BuildSettings",
    "FileResult",
    "build",
    "data_fingerprint",
    "process_file",
    "process_files",
    "progress_bar",
]


@dataclass
class _Plan:
    """The batches of a build, their keys, the jobs to run and the sources whose rows are cached."""

    batches: list[list[RawFile]]
    keys: list[str]
    jobs: list[BatchJob]
    unchanged: set[str]
    reused: dict[str, dict[str, Mark]] = field(default_factory=dict)  # stored batches used, their marks
    check: CacheCheck = field(default_factory=CacheCheck)


def _plan(
    raw_files: list[RawFile],
    keys: dict[str, str],
    cache: BuildCache | None,
    fingerprint: str,
    paths: ProjectPaths,
    settings: BuildSettings,
) -> _Plan:
    """Cut the files into batches and decide which must be processed: those without verified pieces."""
    cut = batches(raw_files, settings)
    cut_keys = [batch_key(batch, keys) for batch in cut]
    if cache is None:
        return _Plan(
            cut, cut_keys, [BatchJob(batch, key) for batch, key in zip(cut, cut_keys, strict=True)], set()
        )
    stored = cache.stored_batches()
    candidates = {
        key
        for batch, key in zip(cut, cut_keys, strict=True)
        if key in stored and all(cache.key_of(raw.source) == keys[raw.source] for raw in batch)
    }
    check = cache.check(paths, candidates)
    # The last versions of changed files were processed with the same data files: their jieba cuts hold.
    same_data = cache.manifest.get("fingerprint") == fingerprint
    last_batch_keys = cache.manifest.get("batches", {}) if same_data else {}
    plan = _Plan(cut, cut_keys, [], set(), check=check)
    for batch, key in zip(cut, cut_keys, strict=True):
        damaged = key in check.damaged_batches or any(raw.source in check.damaged_sources for raw in batch)
        if key in candidates and not damaged:
            plan.unchanged.update(raw.source for raw in batch)
            plan.reused[key] = stored[key]
        else:
            previous = {last_batch_keys[raw.source] for raw in batch if raw.source in last_batch_keys}
            cuts = [(old, stored.get(old, {}).get(f"{REFERENCE_CUTS}.parquet")) for old in sorted(previous)]
            plan.jobs.append(BatchJob(batch, key, [(old, mark) for old, mark in cuts if mark is not None]))
    return plan


def _with_progress(jobs: list[BatchJob], settings: BuildSettings) -> list[BatchJob]:
    """``jobs``, those with a file of at least ``settings.large_file_chars`` set to report each step."""
    return [
        replace(job, show_progress=True)
        if any(len(raw.text) >= settings.large_file_chars for raw in job.raws)
        else job
        for job in jobs
    ]


def _run(
    jobs: list[BatchJob],
    paths: ProjectPaths,
    cache: BuildCache | None,
    fingerprint: str,
    *,
    workers: int | None,
    dask: str | None,
    progress: Callable | None,
    settings: BuildSettings,
) -> tuple[list[BatchResult], str]:
    """Run the jobs where they are worth running; meanwhile read the cached rows of the other files."""
    with ThreadPoolExecutor(max_workers=1) as background:
        started: list[Future] = []

        def meanwhile(load: bool) -> None:
            # The cached rows of unchanged files are read while the changed ones are processed; while
            # other machines process them, this process loads what the corpus steps need, too.
            if cache is not None and jobs:
                started.append(background.submit(cache.preload))
            if load:
                started.append(background.submit(load_resources, paths))

        # A LocalCluster takes seconds to start: it is started only for what a process pool would be.
        if dask and jobs and (dask != "local" or worth_workers(jobs, settings)):
            done, ran_on = run_on_dask(jobs, paths, dask, meanwhile, fingerprint, settings), "dask"
        else:
            done, ran_on = run_jobs(jobs, paths, workers or default_workers(), progress, meanwhile, settings)
        for task in started:
            task.result()
    return done, ran_on if jobs else ""


def _unmatched_overrides(paths: ProjectPaths, applied: list[str]) -> list[str]:
    # Only the overrides file: a build with nothing to do must not load the gazetteer (a second).
    return [o.describe() for o in load_overrides(paths.overrides_file) if o.describe() not in applied]


def build(
    paths: ProjectPaths | None = None,
    *,
    skip_bad: bool = False,
    write: bool = True,
    progress: Callable | None = None,
    workers: int | None = None,
    use_cache: bool = True,
    dask: str | None = None,
    settings: BuildSettings = DEFAULT_SETTINGS,
) -> BuildResult:
    """Run the whole pipeline and (by default) write every table to ``paths.processed_dir``.

    Files whose content, name and data files (lexicons, gazetteer, overrides, code) are unchanged since the
    last build are not processed again: their rows come from the cache in ``paths.cache_dir``. When nothing
    changed and the tables the last build wrote are untouched, nothing is written either.

    Args:
        paths: where to read and write; defaults to :func:`govnews.config.project_paths`.
        skip_bad: list unreadable raw files in the ``rejected`` table instead of stopping.
        write: write the tables (Parquet and CSV with BOM).
        progress: wraps the list of file batches (e.g. ``tqdm``); ``None`` for no progress display.
        workers: processes for the per-file steps (default: all cores).
        use_cache: reuse the rows of unchanged files from the previous build.
        dask: scheduler address (``tcp://host:8786``) or ``local`` to process the files on a Dask cluster.
        settings: batch sizes and thresholds (the defaults suit real corpora).

    Raises:
        GovnewsError: bad input or data files, naming the file and the problem.
    """
    paths = paths or project_paths()
    raw_files, rejected = load_raw_files(paths.raw_dir, skip_bad=skip_bad)
    if not raw_files:
        reasons = "; ".join(f"{r.source}: {r.reason}" for r in rejected.itertuples())
        raise GovnewsError(paths.raw_dir, f"no readable page dump ({reasons})")
    writer = TableWriter(paths.processed_dir) if write else None
    with ExitStack() as held:
        if writer is not None:
            writer.check()  # an unwritable output folder is found before any work
            out = paths.processed_dir.resolve()
            held.enter_context(locked(lock_path(out), f"the output folder {out}", settings.lock_timeout_s))
            remove_leftovers(out)
            writer.prepare()
            held.callback(writer.discard)
        cache_dir = paths.cache_dir
        held.enter_context(
            locked(cache_dir / ".build.lock", f"the cache {cache_dir}", settings.lock_timeout_s)
        )
        remove_temporary_files(cache_dir / "build")
        checkpoint("lock-acquired")
        return _build_locked(
            paths,
            raw_files,
            rejected,
            writer,
            progress=progress,
            workers=workers,
            use_cache=use_cache,
            dask=dask,
            settings=settings,
        )


def _build_locked(
    paths: ProjectPaths,
    raw_files: list[RawFile],
    rejected: pd.DataFrame,
    writer: TableWriter | None,
    *,
    progress: Callable | None,
    workers: int | None,
    use_cache: bool,
    dask: str | None,
    settings: BuildSettings,
) -> BuildResult:
    """:func:`build`, holding the locks of the output folder and the cache."""
    fingerprint = data_fingerprint(paths)
    keys = {raw.source: file_key(raw, fingerprint) for raw in raw_files}
    rejected_notes = [f"{r.source}: {r.reason}" for r in rejected.itertuples()]
    cache = BuildCache(paths.cache_dir / "build", settings) if use_cache else None
    if (
        cache is not None
        and writer is not None
        and cache.outputs_intact(keys, rejected_notes, paths.processed_dir)
    ):
        applied = [o for source in keys for o in cache.manifest["applied_overrides"].get(source, [])]
        stored = LazyTables(
            lambda name: read_table(name, paths.processed_dir), cache.manifest["outputs"]["tables"]
        )
        return BuildResult(stored, applied, _unmatched_overrides(paths, applied), cache.manifest["counts"])

    plan = _plan(raw_files, keys, cache, fingerprint, paths, settings)
    done = _run(
        _with_progress(plan.jobs, settings) if progress is not None else plan.jobs,
        paths,
        cache,
        fingerprint,
        workers=workers,
        dask=dask,
        progress=progress,
        settings=settings,
    )
    fresh = [result for batch in done[0] for result in batch.file_results()]
    results = {result.source: result for result in fresh}
    corpus_columns: dict[str, pa.Table] = {}
    rows: dict[str, dict[str, tuple[int, int]]] = {}
    for name in CORPUS_COLUMNS:
        corpus_columns[name], rows[name] = gather_columns(name, raw_files, results, cache)

    applied_by_source = (
        {source: cache.manifest["applied_overrides"].get(source, []) for source in plan.unchanged}
        if cache is not None
        else {}
    )
    applied_by_source.update({r.source: r.applied_overrides for r in fresh})
    applied = [o for source in keys for o in applied_by_source.get(source, [])]
    tables: dict[str, pa.Table | PartitionedTable] = {
        name: PartitionedTable(
            arrow_schema(name),
            piece_paths(paths, name, plan.keys, ".parquet"),
            piece_paths(paths, name, plan.keys, ".csv"),
        )
        for name in DATASET_TABLES
    }
    with ThreadPoolExecutor(max_workers=1) as background:
        # Copying the per-file tables' pieces into place overlaps the corpus steps.
        partitioned = dict(tables)
        staging = background.submit(writer.stage, partitioned) if writer else None
        resources = load_resources(paths)
        previous = previous_corpus(cache, plan.unchanged, fresh, resources) if cache is not None else None
        corpus = CorpusSteps(corpus_columns, raw_files, rejected, resources, previous)
        tables.update({name: SPECS[name].corpus(corpus) for name in CORPUS_TABLES})
    if staging is not None:
        staging.result()
    counts = count_lines({**corpus_columns, "sources": tables["sources"], "rejected": tables["rejected"]})
    warnings = [*(cache.warnings if cache else []), *plan.check.warnings]
    if fresh:
        remove_stale_pieces(paths, set(plan.keys))
    if cache is not None and (fresh or warnings or cache.manifest.get("files") != keys):
        notes = {
            "applied_overrides": applied_by_source,
            "fingerprint": fingerprint,
            "batches": {
                raw.source: key for batch, key in zip(plan.batches, plan.keys, strict=True) for raw in batch
            },
            "pieces": {**plan.reused, **{batch.key: batch.pieces for batch in done[0]}},
        }
        reusable = {name: tables[name] for name in ("token_counts", "theme_counts")}
        cache.save(corpus_columns, rows, set(results), keys, notes, reusable)
    if writer is not None:
        writer.stage({name: table for name, table in tables.items() if name not in partitioned})
        written = writer.commit()
        if cache is not None:
            cache.manifest.update(
                rejected=rejected_notes,
                counts=counts,
                outputs={
                    "folder": str(paths.processed_dir.resolve()),
                    "tables": list(tables),
                    "stamps": {str(path): stamp(path) for path in written},
                },
            )
            cache.folder.mkdir(parents=True, exist_ok=True)
            cache.save_manifest()
            checkpoint("outputs-recorded")

    def load(name: str) -> pd.DataFrame:
        table = tables[name]
        if isinstance(table, PartitionedTable):
            table = read_parts(table.parquet_parts, table.schema)
        return schema.conform(table.to_pandas(), name)

    return BuildResult(
        LazyTables(load, list(tables)),
        applied,
        _unmatched_overrides(paths, applied),
        counts,
        processed=[result.source for result in fresh],
        ran_on=done[1],
        warnings=warnings,
    )


def progress_bar(total_threshold: int = 20) -> Callable | None:
    """A tqdm wrapper when stderr is a terminal (quiet in pipes, CI and notebooks)."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return lambda items: tqdm(items, desc="file batches", unit="batch", disable=len(items) < total_threshold)
