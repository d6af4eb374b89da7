"""The build cache: the fingerprint of the data files, each batch's pieces, and the corpus columns.

Two kinds of things live under ``cache_dir/build``:

- **pieces**: every row of every per-file table of a batch of raw files, as one Parquet file and one
  header-less CSV per table, named by the batch's key (a hash of its files' contents and names and
  of the data fingerprint). The written per-file tables are made of these pieces, so no process
  holds every row. Beside them, the sentences of the batch that jieba cut (reused when a file of
  the batch changes, with the same data files).
- **corpus columns** (:class:`BuildCache`): the few columns of every file that the corpus steps
  read, kept together in a few Parquet parts, so that a rebuild does not open thousands of pieces;
  and the last summed token counts and theme counts.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from govnews import __version__
from govnews.config import ProjectPaths
from govnews.errors import GovnewsError
from govnews.ingest.load import RawFile
from govnews.pipeline.registry import PER_FILE_TABLES
from govnews.pipeline.settings import DEFAULT_SETTINGS, BuildSettings
from govnews.resources import resource_files

# Beside a batch's table pieces: the tokens of its sentences that jieba (not rjieba) cut.
REFERENCE_CUTS = "reference_cuts"


def data_fingerprint(paths: ProjectPaths) -> str:
    """Hash of everything besides a raw file that shapes its tables: code, lexicons, gazetteer, overrides.

    Editing a lexicon or upgrading govnews or a segmenter invalidates the per-file cache; editing a
    notebook does not.
    """
    digest = hashlib.sha256(__version__.encode())
    for library in ("jieba", "rjieba", "pyarrow"):  # tokens and written bytes depend on their versions
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=-".encode())
    package = Path(__file__).parents[1]
    inputs = sorted(package.rglob("*.py")) + list(resource_files(paths).values())
    for path in inputs:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes() if path.is_file() else b"-")
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


def stored_keys(paths: ProjectPaths) -> set[str]:
    """The keys of the batches whose every piece is on disk (one listing per folder, not a stat each)."""
    complete: set[str] | None = None
    for name in PER_FILE_TABLES:
        folder = pieces_dir(paths, name)
        names = os.listdir(folder) if folder.is_dir() else []
        for suffix in (".parquet", ".csv"):
            keys = {entry.removesuffix(suffix) for entry in names if entry.endswith(suffix)}
            complete = keys if complete is None else complete & keys
    return complete or set()


def remove_stale_pieces(paths: ProjectPaths, keys: set[str]) -> None:
    """Drop the pieces of batches that are gone or changed (written tables keep their own links)."""
    for name in (*PER_FILE_TABLES, REFERENCE_CUTS):
        folder = pieces_dir(paths, name)
        for entry in os.listdir(folder) if folder.is_dir() else []:
            if entry.split(".")[0] not in keys:
                Path(folder, entry).unlink(missing_ok=True)


def write_reference_cuts(paths: ProjectPaths, key: str, cuts: dict[str, list[str]]) -> None:
    """Store the jieba cuts of batch ``key``'s sentences beside its pieces."""
    pieces_dir(paths, REFERENCE_CUTS).mkdir(parents=True, exist_ok=True)
    table = pa.table({"text": list(cuts), "tokens": list(cuts.values())})
    write_atomically(piece(paths, REFERENCE_CUTS, key, ".parquet"), lambda p: pq.write_table(table, p))


def read_reference_cuts(paths: ProjectPaths, key: str) -> dict[str, list[str]]:
    """The jieba cuts stored with the pieces of ``key`` (none when that batch needed none)."""
    try:
        stored = pq.read_table(piece(paths, REFERENCE_CUTS, key, ".parquet")).to_pydict()
    except (OSError, pa.ArrowException):
        return {}  # absent or damaged: the sentences are cut again
    return dict(zip(stored["text"], stored["tokens"], strict=True))


class BuildCache:
    """The previous builds' corpus columns of every file, reused for files whose key has not changed.

    (The full rows of each file are its pieces; these are the few columns the corpus steps read,
    kept together so that a rebuild does not open thousands of pieces.)

    Rows live in Parquet parts, one file per table and part, each holding the rows of several raw files
    in source order; the manifest records each file's key and, per table, the part and row range of its
    rows, so a warm build of thousands of files reads a few files and slices them without copying. A
    build that processed a few files writes only their rows, as a new part; when parts pile up they
    are folded into one. The manifest also records the tables that build wrote (size and modification
    time), so a build with nothing to do can stop early.
    """

    def __init__(self, folder: Path, settings: BuildSettings = DEFAULT_SETTINGS) -> None:
        self.folder = folder
        self.settings = settings
        manifest = folder / "manifest.json"
        try:
            self.manifest = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else {}
        except (OSError, ValueError):
            self.manifest = {}  # a damaged manifest only costs a cold build
        self._parts: dict[tuple[str, int], pa.Table] = {}

    def key_of(self, source: str) -> str | None:
        """The key ``source`` had when its rows were stored."""
        return self.manifest.get("files", {}).get(source)

    def _part(self, name: str, part: int) -> Path:
        return self.folder / f"{name}-{part}.parquet"

    def rows(self, name: str, part: int, start: int, stop: int) -> pa.Table:
        """Rows ``start:stop`` of cached part ``part`` of table ``name``."""
        if (name, part) not in self._parts:
            self._parts[name, part] = pq.read_table(self._part(name, part))
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
        for name, spans in self.manifest.get("rows", {}).items():
            for part in sorted({span[0] for span in spans.values()}):
                self.rows(name, part, 0, 0)

    def corpus_tables(self) -> dict[str, pa.Table] | None:
        """The summed token counts and the theme counts the last build stored, if any."""
        try:
            return {
                name: pq.read_table(self._part(f"corpus_{name}", part))
                for name, part in self.manifest["corpus"].items()
            }
        except (KeyError, OSError, pa.ArrowException):
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
            notes: more manifest entries (applied overrides).
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
        part = self.manifest.get("next_part", 0)
        new_rows: dict[str, dict[str, list[int]]] = {}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, table in tables.items():
                if fold:
                    new_rows[name] = {source: [part, *span] for source, span in rows[name].items()}
                    write_atomically(self._part(name, part), lambda p, t=table: pq.write_table(t, p))
                    continue
                new_rows[name] = {source: stored[name][source] for source in kept}
                slices, position = [], 0
                for source in (s for s in rows[name] if s in fresh):
                    start, stop = rows[name][source]
                    slices.append(table.slice(start, stop - start))
                    new_rows[name][source] = [part, position, position + stop - start]
                    position += stop - start
                if slices:
                    delta = pa.concat_tables(slices)
                    write_atomically(self._part(name, part), lambda p, t=delta: pq.write_table(t, p))
            for name, table in corpus.items():
                write_atomically(self._part(f"corpus_{name}", part), lambda p, t=table: pq.write_table(t, p))
            corpus_parts = dict.fromkeys(corpus, part)
            self.manifest = {
                "files": keys,
                "rows": new_rows,
                "corpus": corpus_parts,
                "next_part": part + 1,
                **notes,
            }
            self.save_manifest()
            referenced = {
                f"{name}-{entry[0]}.parquet" for name in new_rows for entry in new_rows[name].values()
            } | {f"corpus_{name}-{part}.parquet" for name in corpus}
            for path in self.folder.glob("*-*.parquet"):
                if path.name not in referenced:
                    path.unlink(missing_ok=True)
        except OSError as exc:
            raise GovnewsError(self.folder, f"cannot write the build cache: {exc.strerror or exc}") from None

    def save_manifest(self) -> None:
        """Write the manifest (atomically)."""
        text = json.dumps(self.manifest, ensure_ascii=False)
        write_atomically(self.folder / "manifest.json", lambda p: Path(p).write_text(text, encoding="utf-8"))
