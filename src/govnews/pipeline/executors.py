"""Where the per-file work runs: in this process, in a process pool, or on a Dask cluster.

The unit of work is a :class:`BatchJob`: a batch of raw files to process. :func:`store_batch_pieces`
runs the per-file chain on it, writes the batch's rows of every per-file table as pieces in the
build cache, and sends back only the corpus columns and the pieces' marks; every executor maps it
over the jobs.

Faults end in one line, never in a hang or a wrong table: pool workers die with their parent; a
worker that dies is reported as such; on Dask, every task carries the client's data fingerprint
and a worker that sees other data files or code refuses the task, naming itself; a scheduler that
cannot be reached, or has no workers, is reported within ``settings.dask_timeout_s``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from functools import lru_cache

import pyarrow as pa
import pyarrow.parquet as pq

from govnews.config import ProjectPaths
from govnews.errors import GovnewsError
from govnews.ingest.load import RawFile
from govnews.pipeline.batches import FileResult, process_batch
from govnews.pipeline.cache import (
    REFERENCE_CUTS,
    Mark,
    data_fingerprint,
    piece,
    pieces_dir,
    read_reference_cuts,
    write_marked,
    write_reference_cuts,
)
from govnews.pipeline.faults import checkpoint
from govnews.pipeline.registry import CORPUS_COLUMNS, PER_FILE_TABLES, arrow_schema
from govnews.pipeline.settings import BuildSettings
from govnews.pipeline.tables import to_arrow, write_csv_piece
from govnews.resources import load_resources


@dataclass(frozen=True)
class BatchJob:
    """A batch of files to process, the key its pieces get, and the jieba cuts of its files' last pieces.

    ``previous_cuts`` lists ``(key, mark)`` of the stored jieba cuts of the batches that held these
    files' last versions (made with the same data files).
    """

    raws: list[RawFile]
    key: str
    previous_cuts: list[tuple[str, Mark]] = field(default_factory=list)
    show_progress: bool = False  # report each step on stderr: a large file takes a while


@dataclass
class BatchResult:
    """What processing a batch returns: its corpus columns and where each file's rows are in them.

    One table per batch, not a slice per file: a pickled slice carries its whole table's buffers.
    ``pieces`` holds the mark of each piece written (``articles.parquet`` …), ``fingerprint`` the data
    fingerprint the batch was made with (checked on Dask), ``worker`` where it ran.
    """

    key: str
    sources: list[str]
    applied_overrides: list[list[str]]
    tables: dict[str, pa.Table]
    bounds: dict[str, list[int]]
    pieces: dict[str, Mark]
    fingerprint: str | None = None
    worker: str = ""

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


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return f"{socket.gethostname()} (process {os.getpid()})"


@lru_cache(maxsize=4)
def _fingerprint_of(paths: ProjectPaths, stamps: tuple) -> str:
    del stamps  # part of the cache key only
    return data_fingerprint(paths)


def _check_fingerprint(paths: ProjectPaths, expected: str) -> str:
    """This worker's data fingerprint, when it is the client's; else a one-line error naming the worker."""
    from govnews.resources import resource_files

    stamps = tuple(
        (str(path), path.stat().st_mtime_ns if path.exists() else 0)
        for path in resource_files(paths).values()
    )
    own = _fingerprint_of(paths, stamps)
    if checkpoint_active("other-data-files"):
        own = "0" * 64  # the fault tests: a worker that sees other data files
    if own != expected:
        raise GovnewsError(
            None,
            f"Dask worker {_worker_name()} sees other data files or another govnews than this machine "
            f"(fingerprint {own[:12]} ≠ {expected[:12]}): give every worker the same package and data files",
        )
    return own


def checkpoint_active(step: str) -> bool:
    """Whether the fault tests ask this worker to pretend ``step`` (see :mod:`govnews.pipeline.faults`)."""
    return os.environ.get("GOVNEWS_FAULT") == step


def store_batch_pieces(
    raws: Sequence[RawFile],
    key: str,
    paths: ProjectPaths,
    previous_cuts: Sequence[tuple[str, Mark]],
    fingerprint: str | None = None,
    show_progress: bool = False,
) -> BatchResult:
    """Process a batch of raw files and write the batch's rows of every per-file table as pieces.

    Runs in a worker process or on a Dask worker (which must share the cache folder with the client).
    Each per-file table gets a Parquet file and a header-less CSV piece per batch, named by the batch's
    ``key``; the written tables are copies of these pieces, so no process holds every row.
    ``previous_cuts`` name the jieba cuts stored with these files' last versions (same data files):
    those sentences are not cut again. With ``fingerprint`` (on Dask), the worker first checks that it
    sees the same data files and code as the client.

    Returns:
        The batch's corpus columns, each file's rows in them, each file's applied overrides, the
        pieces' marks.

    Raises:
        GovnewsError: the cache cannot be written, or the worker's data files differ from the client's.
    """
    own = _check_fingerprint(paths, fingerprint) if fingerprint is not None else None
    resources = load_resources(paths)
    segmenter = resources.segmenter
    segmenter.reference_cuts = {}
    for previous_key, mark in previous_cuts:
        segmenter.reference_cuts.update(read_reference_cuts(paths, previous_key, mark))
    report = None
    if show_progress:
        what = f"{raws[0].source}" + (f" and {len(raws) - 1} more" if len(raws) > 1 else "")
        size = sum(len(raw.text) for raw in raws)

        def report(line: str) -> None:
            print(f"govnews: {what} ({size:,} characters): {line}", file=sys.stderr, flush=True)

    try:
        made = process_batch(raws, resources, report)
        texts = set(made.tables["sentences"]["text"].tolist())
        cuts = {text: tokens for text, tokens in segmenter.reference_cuts.items() if text in texts}
    finally:
        segmenter.reference_cuts = None
    tables = {name: to_arrow(made.tables[name], name).cast(arrow_schema(name)) for name in PER_FILE_TABLES}
    marks: dict[str, Mark] = {}
    try:
        for name, table in tables.items():
            pieces_dir(paths, name).mkdir(parents=True, exist_ok=True)
            target = piece(paths, name, key, ".parquet")
            marks[f"{name}.parquet"] = write_marked(target, lambda sink, t=table: pq.write_table(t, sink))
            target = piece(paths, name, key, ".csv")
            marks[f"{name}.csv"] = write_marked(target, lambda sink, t=table: write_csv_piece(t, sink))
        if cuts:
            marks[f"{REFERENCE_CUTS}.parquet"] = write_reference_cuts(paths, key, cuts)
    except OSError as exc:
        folder = paths.cache_dir / "build"
        raise GovnewsError(folder, f"cannot write the build cache: {exc.strerror or exc}") from None
    checkpoint("pieces-written", key[:12])
    return BatchResult(
        key,
        [raw.source for raw in raws],
        made.applied_overrides,
        {name: tables[name].select(columns) for name, columns in CORPUS_COLUMNS.items()},
        {name: made.bounds[name] for name in CORPUS_COLUMNS},
        marks,
        own,
        _worker_name() if fingerprint is not None else "",
    )


def job_columns(
    jobs: Sequence[BatchJob], paths: ProjectPaths, fingerprint: str | None = None
) -> tuple[list, ...]:
    """The arguments of :func:`store_batch_pieces` for each job, as columns for ``map``."""
    return (
        [job.raws for job in jobs],
        [job.key for job in jobs],
        [paths] * len(jobs),
        [job.previous_cuts for job in jobs],
        [fingerprint] * len(jobs),
        [job.show_progress for job in jobs],
    )


def worth_workers(jobs: Sequence[BatchJob], settings: BuildSettings) -> bool:
    """Whether ``jobs`` are enough work for worker processes (a process pool or a local cluster)."""
    # A worker process pays about a second to load its dictionaries: worth it only for real work.
    n_chars = sum(len(raw.text) for job in jobs for raw in job.raws)
    return len(jobs) >= 2 and n_chars >= settings.parallel_min_chars


def _die_with_parent(parent: int) -> None:
    """Pool worker start-up: end this worker when the build that started it ends, however it ends.

    Without this, a worker whose parent was killed (SIGTERM, kill -9) waits forever for work, holding
    its dictionaries (about 180 MB).
    """
    libc_name = ctypes.util.find_library("c") if sys.platform == "linux" else None
    if libc_name is not None:
        pr_set_pdeathsig = 1
        ctypes.CDLL(libc_name, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    if libc_name is None:  # elsewhere: a thread that watches for the parent's end

        def watch() -> None:
            while os.getppid() == parent:
                threading.Event().wait(1.0)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()


def run_jobs(
    jobs: list[BatchJob],
    paths: ProjectPaths,
    workers: int,
    progress: Callable | None,
    meanwhile: Callable[[bool], None],
    settings: BuildSettings,
) -> tuple[list[BatchResult], str]:
    """Run :func:`store_batch_pieces` on each job, in worker processes when that pays.

    ``meanwhile(False)`` starts what this process does while the jobs run; the resources are loaded
    here already. It is called once the workers exist: a thread running while a worker is forked can
    leave the worker deadlocked on a lock the thread held.

    Returns:
        Each batch's result, and where the jobs ran (``"serial"`` or ``"pool"``).

    Raises:
        GovnewsError: a worker process died (killed, or out of memory).
    """
    raws, *rest = job_columns(jobs, paths)
    columns = [progress(raws) if progress else raws, *rest]
    if workers <= 1 or not worth_workers(jobs, settings):
        meanwhile(False)
        return list(map(store_batch_pieces, *columns)), "serial"
    # Loaded before the workers are forked, the resources are theirs without reading a file again (with
    # the fork start method; other start methods load them in each worker, as Dask workers do).
    load_resources(paths)
    try:
        with ProcessPoolExecutor(
            max_workers=workers, initializer=_die_with_parent, initargs=(os.getpid(),)
        ) as pool:
            done = pool.map(store_batch_pieces, *columns)  # forks every worker (map submits every job)
            checkpoint("pool-started", " ".join(str(child.pid) for child in _children()))
            meanwhile(False)
            return list(done), "pool"
    except BrokenProcessPool:
        raise GovnewsError(
            None,
            "a worker process died while processing files (killed, or out of memory); "
            "run the build again, with fewer --workers if memory is short",
        ) from None


def _children() -> list:
    import multiprocessing

    return multiprocessing.active_children()


def run_on_dask(
    jobs: list[BatchJob],
    paths: ProjectPaths,
    address: str,
    meanwhile: Callable[[bool], None],
    fingerprint: str,
    settings: BuildSettings,
) -> list[BatchResult]:
    """Map :func:`store_batch_pieces` over a Dask cluster (``local``: a two-worker LocalCluster).

    Every path is made absolute (a worker resolves a relative one in its own folder), and every task
    carries ``fingerprint``, which each worker checks against its own data files and code; each result
    carries the fingerprint it was made with, checked again here. ``meanwhile(True)`` starts what this
    process does while the cluster works, loading the resources among it.

    Raises:
        GovnewsError: the scheduler cannot be reached or has no workers within
            ``settings.dask_timeout_s``, or a worker sees other data files (naming the worker).
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise GovnewsError(None, "--dask needs the optional extra: pip install 'govnews[dask]'") from None
    paths = _absolute(paths)
    timeout = settings.dask_timeout_s
    if address != "local":
        _probe_scheduler(address, timeout)
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True) if address == "local" else None
    try:
        try:
            client = Client(cluster or address, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as exc:
            raise GovnewsError(None, _unreachable(address, timeout, _reason(exc))) from None
        with client:
            try:
                client.wait_for_workers(1, timeout=timeout)
            except TimeoutError:
                raise GovnewsError(
                    None,
                    f"the Dask scheduler at {address} has no workers (none joined within {timeout:g} s); "
                    "start workers with: dask worker " + str(address),
                ) from None
            futures = client.map(store_batch_pieces, *job_columns(jobs, paths, fingerprint), pure=False)
            meanwhile(True)
            done = client.gather(futures)
    finally:
        if cluster is not None:
            cluster.close()
    for result in done:
        if result.fingerprint != fingerprint:
            raise GovnewsError(
                None,
                f"Dask worker {result.worker} made its rows with other data files or code: "
                "give every worker the same package and data files",
            )
    return done


def _unreachable(address: str, timeout: float, reason: str) -> str:
    return (
        f"cannot reach a Dask scheduler at {address} within {timeout:g} s ({reason}); "
        "give the scheduler's address (tcp://HOST:8786), not the dashboard's"
    )


def _probe_scheduler(address: str, timeout: float) -> None:
    """Refuse, within ``timeout``, an address where no Dask scheduler answers.

    A scheduler speaks first on a new connection (its handshake); a dashboard or any other server
    waits for a request, and Dask's client would wait with it, well past its own timeout.
    """
    scheme, _, rest = address.rpartition("://")
    if scheme not in ("", "tcp"):
        return  # tls:// and others: Dask's client checks them
    host, _, port = rest.rpartition(":")
    if not port.isdigit():
        raise GovnewsError(None, _unreachable(address, timeout, "no port in the address"))
    try:
        with socket.create_connection((host.strip("[]") or "localhost", int(port)), timeout=timeout) as probe:
            probe.settimeout(timeout)
            if not probe.recv(1):
                raise GovnewsError(None, _unreachable(address, timeout, "the connection was closed at once"))
    except TimeoutError:
        raise GovnewsError(
            None, _unreachable(address, timeout, "something listens there but says nothing")
        ) from None
    except OSError as exc:
        raise GovnewsError(None, _unreachable(address, timeout, exc.strerror or str(exc))) from None


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text if len(text) < 160 else text[:157] + "…"


def _absolute(paths: ProjectPaths) -> ProjectPaths:
    """``paths`` with every path absolute: a Dask worker would resolve a relative one in its own folder."""
    return replace(paths, **{name: getattr(paths, name).absolute() for name in paths.__dataclass_fields__})


def default_workers() -> int:
    """Worker processes when none are asked for: every core."""
    return os.cpu_count() or 1
