"""The build cache: the fingerprint of the data files, each batch's pieces, and the corpus columns.

Everything in the cache is immutable and named by a hash of what made it, and the manifest records
the size and checksum of every file; a file is verified before it is used, and one that fails (emptied,
truncated, altered) is made again, with a one-line warning naming it. Two kinds of things live under
``cache_dir/build``:

- **pieces**: every row of every per-file table of a batch of raw files, as one Parquet file and one
  header-less CSV per table, named by the batch's key (a hash of its files' contents and names and
  of the data fingerprint). The written per-file tables are copies of these pieces, so no process
  holds every row. Beside them, the sentences of the batch that jieba cut (reused when a file of
  the batch changes, with the same data files).
- **corpus columns** (:class:`BuildCache`): the few columns of every file that the corpus steps
  read, kept together in a few Parquet parts (named by the keys of the files they hold), so that a
  rebuild does not open thousands of pieces; and the last summed token counts and theme counts.

A build holds the cache's lock (see :mod:`govnews.pipeline.folders`) from start to end.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import zlib
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from govnews.config import ProjectPaths
from govnews.errors import GovnewsError
from govnews.ingest.load import RawFile
from govnews.pipeline.faults import checkpoint
from govnews.pipeline.registry import PER_FILE_TABLES
from govnews.pipeline.settings import DEFAULT_SETTINGS, BuildSettings
from govnews.resources import resource_contents
from govnews.resources.stored import code_fingerprint

# A file's mark in the manifest: [size in bytes, CRC-32 as 8 hex digits].
Mark = list
MANIFEST_VERSION = 2

# Beside a batch's table pieces: the tokens of its sentences that jieba (not rjieba) cut.
REFERENCE_CUTS = "reference_cuts"


def data_fingerprint(paths: ProjectPaths) -> str:
    """Hash of everything besides a raw file that shapes its tables: code, lexicons, gazetteer, overrides.

    Editing a lexicon or upgrading govnews or a segmenter invalidates the per-file cache; editing a
    notebook does not.
    """
    digest = hashlib.sha256(code_fingerprint().encode())
    for name, content in resource_contents(paths):
        digest.update(name.encode())
        digest.update(content)
    return digest.hexdigest()


def file_key(raw: RawFile, fingerprint: str) -> str:
    """The cache key of a raw file: its name, its content and the data fingerprint."""
    return hashlib.sha256(f"{raw.source}\0{raw.sha256}\0{fingerprint}".encode()).hexdigest()


def stamp(path: Path) -> list[int] | None:
    """Size and modification time of ``path`` (None when it is gone): how a written table is recognised."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def checksum(data: bytes | memoryview) -> str:
    """The CRC-32 of ``data``: finds an emptied, truncated or altered file at a gigabyte a second."""
    return f"{zlib.crc32(data):08x}"


def write_marked(target: Path, make: Callable[[pa.NativeFile], object]) -> Mark:
    """Write what ``make(stream)`` writes to ``target`` (atomically); returns the file's mark."""
    sink = pa.BufferOutputStream()
    make(sink)
    data = sink.getvalue()
    view = memoryview(data)
    write_atomically(target, lambda path: Path(path).write_bytes(view))
    return [data.size, checksum(view)]


def read_verified(path: Path | str, mark: Mark) -> tuple[bytes | None, str]:
    """The bytes of ``path`` if they match ``mark``; else None and what is wrong."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return None, f"cannot be read: {exc.strerror or exc}"
    size, crc = mark
    if len(data) != size:
        return None, f"{len(data):,} bytes where {size:,} were written"
    if checksum(data) != crc:
        return None, "its checksum differs from the one written"
    return data, ""


def verify_files(
    marks: Mapping[str, Mark], keep: set[str] = frozenset()
) -> tuple[dict[str, str], dict[str, bytes]]:
    """The files of ``marks`` that fail verification, with what is wrong (read on all cores).

    Returns:
        The problems by file, and the bytes of the files in ``keep`` that verified.
    """
    names = list(marks)

    def verify(name: str) -> tuple[bytes | None, str]:
        data, problem = read_verified(name, marks[name])
        return (data if name in keep else None), problem

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # CRC-32 releases the GIL
        results = dict(zip(names, pool.map(verify, names), strict=True))
    problems = {name: problem for name, (_, problem) in results.items() if problem}
    kept = {name: data for name, (data, _) in results.items() if data is not None}
    return problems, kept


def write_atomically(target: Path, write: Callable[[str], object]) -> None:
    """Write ``target`` through ``write(temporary_path)`` and rename it into place."""
    # A name no other process or thread writes: cheaper than mkstemp, and pieces are written often.
    temporary = f"{target.parent}/.{target.name}.{os.getpid()}-{threading.get_ident()}.tmp"
    try:
        write(temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def pieces_dir(paths: ProjectPaths, name: str) -> Path:
    """Where the build keeps every batch's rows of table ``name``: a Parquet and a CSV piece each."""
    return paths.cache_dir / "build" / "pieces" / name


def piece(paths: ProjectPaths, name: str, key: str, suffix: str) -> Path:
    """The piece of table ``name`` of the batch ``key`` (``.parquet`` or ``.csv``)."""
    return pieces_dir(paths, name) / f"{key}{suffix}"


def piece_paths(paths: ProjectPaths, name: str, keys: list[str], suffix: str) -> list[str]:
    """The pieces of table ``name`` of the batches ``keys``, in order."""
    # Plain strings: thousands of pathlib joins cost a second on a rebuild.
    folder = str(pieces_dir(paths, name))
    return [f"{folder}/{key}{suffix}" for key in keys]


def remove_stale_pieces(paths: ProjectPaths, keys: set[str]) -> None:
    """Drop the pieces of batches that are gone or changed (written tables keep their own links)."""
    for name in (*PER_FILE_TABLES, REFERENCE_CUTS):
        folder = pieces_dir(paths, name)
        for entry in os.listdir(folder) if folder.is_dir() else []:
            if entry.split(".")[0] not in keys:
                Path(folder, entry).unlink(missing_ok=True)


def piece_marks(paths: ProjectPaths, key: str, marks: Mapping[str, Mark]) -> dict[str, Mark]:
    """The marks of batch ``key``'s pieces by path (``marks`` names them ``articles.parquet`` …)."""
    root = str(paths.cache_dir / "build" / "pieces")
    return {
        f"{root}/{name.rsplit('.', 1)[0]}/{key}.{name.rsplit('.', 1)[1]}": mark
        for name, mark in marks.items()
    }


def write_reference_cuts(paths: ProjectPaths, key: str, cuts: dict[str, list[str]]) -> Mark:
    """Store the jieba cuts of batch ``key``'s sentences beside its pieces; returns the file's mark."""
    pieces_dir(paths, REFERENCE_CUTS).mkdir(parents=True, exist_ok=True)
    table = pa.table({"text": list(cuts), "tokens": list(cuts.values())})
    return write_marked(
        piece(paths, REFERENCE_CUTS, key, ".parquet"), lambda sink: pq.write_table(table, sink)
    )


def read_reference_cuts(paths: ProjectPaths, key: str, mark: Mark) -> dict[str, list[str]]:
    """The jieba cuts stored with the pieces of ``key``, if they verify (else the sentences are cut again)."""
    data, _ = read_verified(piece(paths, REFERENCE_CUTS, key, ".parquet"), mark)
    if data is None:
        return {}
    stored = pq.read_table(pa.BufferReader(data)).to_pydict()
    return dict(zip(stored["text"], stored["tokens"], strict=True))


@dataclass
class CacheCheck:
    """What verifying the cache found: batches and sources whose stored rows cannot be used, and why."""

    damaged_batches: set[str] = field(default_factory=set)
    damaged_sources: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)


def _part_name(name: str, keys: Iterable[str]) -> str:
    """A cache part is named by the keys of the files whose rows it holds: same rows, same name."""
    return f"{name}-{hashlib.sha256(chr(0).join(keys).encode()).hexdigest()[:24]}.parquet"


class BuildCache:
    """The previous builds' corpus columns of every file, reused for files whose key has not changed.

    (The full rows of each file are its pieces; these are the few columns the corpus steps read,
    kept together so that a rebuild does not open thousands of pieces.)

    Rows live in Parquet parts, one file per table and part, each holding the rows of several raw files
    in source order; the manifest records each file's key and, per table, the part and row range of its
    rows, so a warm build of thousands of files reads a few files and slices them without copying. A
    build that processed a few files writes only their rows, as a new part; when parts pile up they
    are folded into one. The manifest records the mark (size, checksum) of every part and piece, and
    the tables the last build wrote (size and modification time), so a build with nothing to do can
    stop early.
    """

    def __init__(self, folder: Path, settings: BuildSettings = DEFAULT_SETTINGS) -> None:
        self.folder = folder
        self.settings = settings
        self.warnings: list[str] = []
        manifest = folder / "manifest.json"
        try:
            self.manifest = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else {}
        except (OSError, ValueError):
            self.manifest = {}
            self.warnings.append(f"warning: {manifest} is damaged: every file is processed again")
        if not isinstance(self.manifest, dict) or self.manifest.get("version") != MANIFEST_VERSION:
            self.manifest = {}  # an older govnews's cache, or no cache: a cold build
        self._bytes: dict[str, bytes] = {}
        self._parts: dict[tuple[str, str], pa.Table] = {}
        self._damaged: set[str] = set()

    def key_of(self, source: str) -> str | None:
        """The key ``source`` had when its rows were stored."""
        return self.manifest.get("files", {}).get(source)

    def stored_batches(self) -> dict[str, dict[str, Mark]]:
        """The batches whose pieces the manifest records, with their pieces' marks."""
        return self.manifest.get("pieces", {})

    def check(self, paths: ProjectPaths, reuse: Iterable[str]) -> CacheCheck:
        """Verify the pieces of the batches to ``reuse`` and every part the manifest names.

        The bytes of the parts that verify are kept, so they are read once. A damaged piece makes its
        batch be processed again; a damaged part, the files whose rows it holds.
        """
        found = CacheCheck()
        marks: dict[str, Mark] = {}
        batch_of: dict[str, str] = {}
        for key in reuse:
            for path, mark in piece_marks(paths, key, self.stored_batches()[key]).items():
                marks[path], batch_of[path] = mark, key
        part_marks = {str(self.folder / name): mark for name, mark in self.manifest.get("parts", {}).items()}
        problems, kept = verify_files({**marks, **part_marks}, keep=set(part_marks))
        self._bytes.update((Path(path).name, data) for path, data in kept.items())
        for path, problem in sorted(problems.items()):
            found.warnings.append(f"warning: damaged cache file {path} ({problem}): made again")
            if path in batch_of:
                found.damaged_batches.add(batch_of[path])
        damaged_parts = {Path(path).name for path in problems if path in part_marks}
        for spans in self.manifest.get("rows", {}).values():
            found.damaged_sources.update(source for source, span in spans.items() if span[0] in damaged_parts)
        self._damaged = damaged_parts
        return found

    def _table(self, part: str) -> pa.Table:
        """Cached part ``part`` (verified by :meth:`check`, or now)."""
        if part in self._damaged:
            raise GovnewsError(self.folder / part, "damaged cache part used (a bug: it was not made again)")
        data = self._bytes.pop(part, None)
        if data is None:
            data, problem = read_verified(self.folder / part, self.manifest["parts"][part])
            if data is None:
                raise GovnewsError(self.folder / part, f"damaged cache part: {problem}; run the build again")
        return pq.read_table(pa.BufferReader(data))

    def rows(self, name: str, part: str, start: int, stop: int) -> pa.Table:
        """Rows ``start:stop`` of cached part ``part`` of table ``name``."""
        if (name, part) not in self._parts:
            self._parts[name, part] = self._table(part)
        return self._parts[name, part].slice(start, stop - start)

    def rows_of(self, name: str, source: str) -> pa.Table:
        """The stored rows of ``source`` in table ``name``."""
        return self.rows(name, *self.manifest["rows"][name][source])

    def preload(self) -> None:
        """Read every part the manifest names (in a thread, while files are processed).

        A rebuild after a few files changed needs the rows of nearly all the others; reading them
        while the changed files are processed takes the reading off the critical path (Parquet
        decoding releases the GIL).
        """
        damaged = self._damaged
        for name, spans in self.manifest.get("rows", {}).items():
            for part in sorted({span[0] for span in spans.values()} - damaged):
                self.rows(name, part, 0, 0)

    def corpus_tables(self) -> dict[str, pa.Table] | None:
        """The summed token counts and the theme counts the last build stored, if any and undamaged."""
        corpus = self.manifest.get("corpus")
        if not corpus or set(corpus.values()) & self._damaged:
            return None
        try:
            return {name: self._table(part) for name, part in corpus.items()}
        except (KeyError, OSError, pa.ArrowException, GovnewsError):
            return None

    def outputs_intact(self, keys: dict[str, str], rejected: list[str], out_dir: Path) -> bool:
        """True when the last build read exactly these files and its tables in ``out_dir`` are untouched."""
        outputs = self.manifest.get("outputs", {})
        return (
            self.manifest.get("files") == keys
            and self.manifest.get("rejected") == rejected
            and outputs.get("folder") == str(out_dir.resolve())
            and bool(outputs.get("stamps"))
            and all(stamp(Path(path)) == mark for path, mark in outputs["stamps"].items())
        )

    def save(
        self,
        tables: Mapping[str, pa.Table],
        rows: dict[str, dict[str, tuple[int, int]]],
        fresh: set[str],
        keys: dict[str, str],
        notes: dict[str, object],
        corpus: Mapping[str, pa.Table],
    ) -> None:
        """Store the rows of the ``fresh`` sources (or fold everything into one part) and the manifest.

        Args:
            tables: every per-file table of this build, rows in source order.
            rows: per table, each source's row range in ``tables``.
            fresh: sources processed by this build; the others' rows are already stored.
            keys: each source's cache key.
            notes: more manifest entries (applied overrides, pieces).
            corpus: corpus tables the next build can update instead of computing (token and theme counts).

        The manifest is written after the rows and before old parts are removed, so an interrupted
        save never leaves a manifest pointing at missing rows.

        Raises:
            GovnewsError: the cache folder cannot be written (named in the message).
        """
        stored = self.manifest.get("rows", {})
        kept = {source for source in keys if source not in fresh}
        live_parts = {stored[name][source][0] for name in stored for source in kept if source in stored[name]}
        fold = not live_parts or len(live_parts) >= self.settings.max_cache_parts
        old_marks = self.manifest.get("parts", {})
        part_marks: dict[str, Mark] = {}
        new_rows: dict[str, dict[str, list]] = {}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, table in tables.items():
                if fold:
                    part = _part_name(name, (keys[source] for source in rows[name]))
                    new_rows[name] = {source: [part, *span] for source, span in rows[name].items()}
                    part_marks[part] = self._write(part, table)
                    continue
                new_rows[name] = {source: stored[name][source] for source in kept}
                part_marks.update({entry[0]: old_marks[entry[0]] for entry in new_rows[name].values()})
                slices, position = [], 0
                new_sources = [source for source in rows[name] if source in fresh]
                part = _part_name(name, (keys[source] for source in new_sources))
                for source in new_sources:
                    start, stop = rows[name][source]
                    slices.append(table.slice(start, stop - start))
                    new_rows[name][source] = [part, position, position + stop - start]
                    position += stop - start
                if slices:
                    part_marks[part] = self._write(part, pa.concat_tables(slices))
            corpus_parts = {name: _part_name(f"corpus_{name}", keys.values()) for name in corpus}
            for name, table in corpus.items():
                part_marks[corpus_parts[name]] = self._write(corpus_parts[name], table)
            checkpoint("cache-parts-written")
            self.manifest = {
                "version": MANIFEST_VERSION,
                "files": keys,
                "rows": new_rows,
                "corpus": corpus_parts,
                "parts": part_marks,
                **notes,
            }
            self.save_manifest()
            checkpoint("cache-manifest-written")
            for path in self.folder.glob("*.parquet"):
                if path.name not in part_marks:
                    path.unlink(missing_ok=True)
        except OSError as exc:
            raise GovnewsError(self.folder, f"cannot write the build cache: {exc.strerror or exc}") from None

    def _write(self, part: str, table: pa.Table) -> Mark:
        return write_marked(self.folder / part, lambda sink: pq.write_table(table, sink))

    def save_manifest(self) -> None:
        """Write the manifest (atomically)."""
        text = json.dumps(self.manifest, ensure_ascii=False)
        write_atomically(self.folder / "manifest.json", lambda p: Path(p).write_text(text, encoding="utf-8"))
