"""Where the per-file work runs: in this process, in a process pool, or on a Dask cluster.

The unit of work is a :class:`BatchJob`: a batch of raw files to process. :func:`store_batch_pieces`
runs the per-file chain on it, writes the batch's rows of every per-file table as pieces in the
build cache, and sends back only the corpus columns; every executor maps it over the jobs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq

from govnews.config import ProjectPaths
from govnews.errors import GovnewsError
from govnews.ingest.load import RawFile
from govnews.pipeline.batches import FileResult, process_batch
from govnews.pipeline.cache import (
    piece,
    pieces_dir,
    read_reference_cuts,
    write_atomically,
    write_reference_cuts,
)
from govnews.pipeline.registry import CORPUS_COLUMNS, PER_FILE_TABLES, arrow_schema
from govnews.pipeline.settings import BuildSettings
from govnews.pipeline.tables import to_arrow, write_csv_piece
from govnews.resources import load_resources


@dataclass(frozen=True)
class BatchJob:
    """A batch of files to process, the key its pieces get and the keys of its files' last pieces."""

    raws: list[RawFile]
    key: str
    previous_keys: list[str]


@dataclass
class BatchResult:
    """What processing a batch returns: its corpus columns and where each file's rows are in them.

    One table per batch, not a slice per file: a pickled slice carries its whole table's buffers.
    """

    sources: list[str]
    applied_overrides: list[list[str]]
    tables: dict[str, pa.Table]
    bounds: dict[str, list[int]]

    def file_results(self) -> list[FileResult]:
        """Each file's corpus columns (slices of the batch's tables) and applied overrides."""
        return [
            FileResult(
                source,
                {
                    name: table.slice(
                        self.bounds[name][number], self.bounds[name][number + 1] - self.bounds[name][number]
                    )
                    for name, table in self.tables.items()
                },
                applied,
            )
            for number, (source, applied) in enumerate(zip(self.sources, self.applied_overrides, strict=True))
        ]


def store_batch_pieces(
    raws: Sequence[RawFile], key: str, paths: ProjectPaths, previous_keys: Sequence[str]
) -> BatchResult:
    """Process a batch of raw files and write the batch's rows of every per-file table as pieces.

    Runs in a worker process or on a Dask worker (which must share the cache folder with the client).
    Each per-file table gets a Parquet file and a header-less CSV piece per batch, named by the batch's
    ``key``; the written tables are these pieces, linked or concatenated, so no process holds every
    row. ``previous_keys`` name the pieces that held these files' last versions (same data files): the
    sentences jieba cut then are not cut again.

    Returns:
        The batch's corpus columns, each file's rows in them and each file's applied overrides.
    """
    resources = load_resources(paths)
    segmenter = resources.segmenter
    segmenter.reference_cuts = {}
    for previous_key in previous_keys:
        segmenter.reference_cuts.update(read_reference_cuts(paths, previous_key))
    try:
        made = process_batch(raws, resources)
        texts = set(made.tables["sentences"]["text"].tolist())
        cuts = {text: tokens for text, tokens in segmenter.reference_cuts.items() if text in texts}
    finally:
        segmenter.reference_cuts = None
    tables = {name: to_arrow(made.tables[name], name).cast(arrow_schema(name)) for name in PER_FILE_TABLES}
    try:
        for name, table in tables.items():
            pieces_dir(paths, name).mkdir(parents=True, exist_ok=True)
            write_atomically(piece(paths, name, key, ".parquet"), lambda p, t=table: pq.write_table(t, p))
            write_atomically(piece(paths, name, key, ".csv"), lambda p, t=table: write_csv_piece(t, p))
        if cuts:
            write_reference_cuts(paths, key, cuts)
    except OSError as exc:
        folder = paths.cache_dir / "build"
        raise GovnewsError(folder, f"cannot write the build cache: {exc.strerror or exc}") from None
    return BatchResult(
        [raw.source for raw in raws],
        made.applied_overrides,
        {name: tables[name].select(columns) for name, columns in CORPUS_COLUMNS.items()},
        {name: made.bounds[name] for name in CORPUS_COLUMNS},
    )


def job_columns(jobs: Sequence[BatchJob], paths: ProjectPaths) -> tuple[list, ...]:
    """The arguments of :func:`store_batch_pieces` for each job, as columns for ``map``."""
    return (
        [job.raws for job in jobs],
        [job.key for job in jobs],
        [paths] * len(jobs),
        [job.previous_keys for job in jobs],
    )


def worth_workers(jobs: Sequence[BatchJob], settings: BuildSettings) -> bool:
    """Whether ``jobs`` are enough work for worker processes (a process pool or a local cluster)."""
    # A worker process pays about a second to load its dictionaries: worth it only for real work.
    n_chars = sum(len(raw.text) for job in jobs for raw in job.raws)
    return len(jobs) >= 2 and n_chars >= settings.parallel_min_chars


def run_jobs(
    jobs: list[BatchJob],
    paths: ProjectPaths,
    workers: int,
    progress: Callable | None,
    meanwhile: Callable[[bool], None],
    settings: BuildSettings,
) -> tuple[list[FileResult], str]:
    """Run :func:`store_batch_pieces` on each job, in worker processes when that pays.

    ``meanwhile`` starts what this process does while the jobs run; its argument says whether they
    run in other processes. It is called once the workers exist: a thread running while a worker is
    forked can leave the worker deadlocked on a lock the thread held.

    Returns:
        Each file's corpus columns, and where the jobs ran (``"serial"`` or ``"pool"``).
    """
    raws, *rest = job_columns(jobs, paths)
    columns = [progress(raws) if progress else raws, *rest]
    if workers <= 1 or not worth_workers(jobs, settings):
        meanwhile(False)
        done = map(store_batch_pieces, *columns)
        return [result for batch in done for result in batch.file_results()], "serial"
    with ProcessPoolExecutor(max_workers=workers) as pool:
        done = pool.map(store_batch_pieces, *columns)  # forks every worker (map submits every job)
        meanwhile(True)
        return [result for batch in done for result in batch.file_results()], "pool"


def run_on_dask(
    jobs: list[BatchJob], paths: ProjectPaths, address: str, meanwhile: Callable[[bool], None]
) -> list[FileResult]:
    """Map :func:`store_batch_pieces` over a Dask cluster (``local``: a two-worker LocalCluster).

    ``meanwhile(True)`` starts what this process does while the cluster works.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise GovnewsError(None, "--dask needs the optional extra: pip install 'govnews[dask]'") from None
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True) if address == "local" else None
    try:
        with Client(cluster or address) as client:
            futures = client.map(store_batch_pieces, *job_columns(jobs, paths), pure=False)
            meanwhile(True)
            done = client.gather(futures)
            return [result for batch in done for result in batch.file_results()]
    finally:
        if cluster is not None:
            cluster.close()


def default_workers() -> int:
    """Worker processes when none are asked for: every core."""
    return os.cpu_count() or 1
