"""Reading and writing the processed tables: Parquet plus CSV in UTF-8 with BOM.

Every table is written next to a temporary file and renamed into place, so an
interrupted or failed build (a full disk, an unwritable folder) leaves the
previous tables intact. CSV gets a byte-order mark so that Excel opens the
Chinese text correctly.

A per-file table is a :class:`PartitionedTable`: one Parquet file and one
header-less CSV piece per batch of consecutive raw files, written by the worker
that processed it. It is written as a Parquet dataset partitioned by source,
``name.parquet/`` holding ``part-00000.parquet`` … in source order (linked, not
copied, where the file system allows), and as one CSV, the pieces concatenated;
no process holds the whole table.
"""

from __future__ import annotations

import codecs
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.dataset as pa_dataset
import pyarrow.parquet as pq

from govnews import schema
from govnews.config import project_paths
from govnews.errors import GovnewsError


def to_arrow(frame: pd.DataFrame, name: str) -> pa.Table:
    """``frame`` conformed to the documented schema of table ``name``, as an Arrow table."""
    if not schema.conforms(frame, name):
        frame = schema.conform(frame, name)
    return pa.Table.from_pandas(frame, preserve_index=False)


@dataclass(frozen=True)
class PartitionedTable:
    """A table stored as a Parquet file and a header-less CSV piece per batch of files, in source order."""

    schema: pa.Schema
    parquet_parts: Sequence[Path | str]
    csv_parts: Sequence[Path | str]


class TableWriter:
    """Writes tables into ``out_dir`` under temporary names, then renames them all into place.

    :meth:`stage` may be called several times (from another thread too, one call at a time), so
    that writing the big tables overlaps other work; :meth:`commit` renames everything staged.
    Until then the previous tables are untouched, and :meth:`discard` removes what is left over.

    Raises:
        GovnewsError: the folder is a file or cannot be created or written (named in the message).
    """

    def __init__(self, out_dir: Path | str) -> None:
        self.out_dir = Path(out_dir)
        if self.out_dir.exists() and not self.out_dir.is_dir():
            raise GovnewsError(self.out_dir, "the output folder is a file; name a folder for the tables")
        self._staged: list[tuple[str, Path]] = []
        self._updates: dict[str, list[str] | None] = {}  # dataset folders staged with only changed parts

    def stage(self, tables: Mapping[str, pd.DataFrame | pa.Table | PartitionedTable]) -> None:
        """Write each table as ``name.parquet`` and ``name.csv`` under temporary names."""
        with self._errors():
            self.out_dir.mkdir(parents=True, exist_ok=True)
            for name, table in tables.items():
                if isinstance(table, pd.DataFrame):
                    table = to_arrow(table, name) if name in schema.TABLES else pa.Table.from_pandas(table)
                for suffix in (".parquet", ".csv"):
                    prefix, target = f".{name}{suffix}.", self.out_dir / f"{name}{suffix}"
                    if isinstance(table, PartitionedTable) and suffix == ".parquet":
                        temporary = tempfile.mkdtemp(dir=self.out_dir, prefix=prefix, suffix=".tmp")
                        self._staged.append((temporary, target))
                        self._updates[temporary] = _stage_dataset(table, temporary, target)
                        continue
                    handle, temporary = tempfile.mkstemp(dir=self.out_dir, prefix=prefix, suffix=".tmp")
                    os.close(handle)
                    self._staged.append((temporary, target))
                    (_write_parquet if suffix == ".parquet" else _write_csv)(table, temporary)

    def commit(self) -> list[Path]:
        """Rename every staged table into place; returns the paths written."""
        written = []
        with self._errors():
            for temporary, target in self._staged:
                if self._updates.get(temporary) is not None:
                    _update_dataset(temporary, target, self._updates[temporary])
                else:
                    _move_into_place(temporary, target)
                written.append(target)
        self._staged = []
        return written

    def discard(self) -> None:
        """Remove whatever was staged and not committed."""
        for temporary, _ in self._staged:
            _remove(temporary)
        self._staged = []

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except OSError as exc:
            raise GovnewsError(
                getattr(exc, "filename", None) or self.out_dir, f"cannot write tables: {exc.strerror or exc}"
            ) from None


def write_tables(
    tables: Mapping[str, pd.DataFrame | pa.Table | PartitionedTable], out_dir: Path
) -> list[Path]:
    """Write each table as ``name.parquet`` and ``name.csv`` (UTF-8 with BOM) in ``out_dir``.

    DataFrames are conformed to their documented schema first; Arrow tables (what the build passes)
    are written as they are; a :class:`PartitionedTable` becomes the dataset folder ``name.parquet/``
    and one CSV. All files are first written to temporary names; only when every one was written are
    they renamed, so a failure leaves the previous set untouched (see :class:`TableWriter`).

    Raises:
        GovnewsError: the folder is a file or cannot be created or written (named in the message).
    """
    writer = TableWriter(out_dir)
    try:
        writer.stage(tables)
        return writer.commit()
    finally:
        writer.discard()


def _move_into_place(temporary: str, target: Path) -> None:
    """Rename ``temporary`` to ``target``; a folder (a dataset) and a file may replace each other."""
    if target.is_dir() and not target.is_symlink():
        aside = tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old")
        os.replace(target, Path(aside) / target.name)
        os.replace(temporary, target)
        shutil.rmtree(aside, ignore_errors=True)
    elif Path(temporary).is_dir() and target.exists():
        target.unlink()
        os.replace(temporary, target)
    else:
        os.replace(temporary, target)


def _remove(path: str) -> None:
    if os.path.isdir(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.exists(path):
        os.unlink(path)


def _write_parquet(table: pa.Table, path: str) -> None:
    pq.write_table(table, path)


def _stage_dataset(table: PartitionedTable, folder: str, current: Path) -> list[str] | None:
    """Put the parts of ``table`` in the new ``folder``, or only those that differ from ``current``.

    Parts are links to the workers' pieces (copies where the file system has no links). When
    ``current`` is a dataset folder whose parts link to the same pieces at the same positions, as
    after a rebuild that changed a few files, only the other parts are staged and the names of all
    parts are returned (for :func:`_update_dataset`); otherwise every part is staged and None returned.
    """
    width = max(5, len(str(len(table.parquet_parts))))
    names = [f"part-{number:0{width}d}.parquet" for number in range(len(table.parquet_parts))]
    in_place: dict[str, int] = {}
    if current.is_dir() and not current.is_symlink():
        # Directory entries carry their inode: no stat per part to see which are links to a piece.
        in_place = {entry.name: entry.inode() for entry in os.scandir(current)}
    pieces = (
        {
            os.path.join(folder_name, entry.name): entry.inode()
            for folder_name in {os.path.dirname(str(part)) for part in table.parquet_parts}
            for entry in os.scandir(folder_name)
        }
        if in_place
        else {}
    )
    kept = 0
    for name, part in zip(names, table.parquet_parts, strict=True):
        if in_place.get(name) is not None and in_place[name] == pieces.get(str(part)):
            kept += 1
            continue
        target = os.path.join(folder, name)
        try:
            os.link(part, target)  # the workers' file itself: no bytes copied
        except OSError:
            shutil.copyfile(part, target)
    return names if kept else None


def _update_dataset(staged: str, target: Path, names: list[str]) -> None:
    """Move the staged parts into the dataset folder ``target`` and drop its parts beyond ``names``."""
    for entry in os.listdir(staged):
        os.replace(os.path.join(staged, entry), target / entry)
    wanted = set(names)
    for entry in os.listdir(target):
        if entry not in wanted:
            _remove(str(target / entry))
    os.rmdir(staged)


# Pieces are copied in large chunks: each chunk takes the GIL back from the corpus steps running meanwhile
# (staging the CSVs of 20 M characters: 0.47 s in 64 KiB chunks, 0.33 s in these).
_COPY_CHUNK_BYTES = 16 << 20


def _write_csv(table: pa.Table | PartitionedTable, path: str) -> None:
    options = pa_csv.WriteOptions(quoting_style="needed")
    with open(path, "wb") as stream:
        stream.write(codecs.BOM_UTF8)  # so that Excel reads the file as UTF-8
        if not isinstance(table, PartitionedTable):
            pa_csv.write_csv(_one_chunk(table), stream, options)
            return
        pa_csv.write_csv(table.schema.empty_table(), stream, options)
        for part in table.csv_parts:
            with open(part, "rb") as piece:
                shutil.copyfileobj(piece, stream, _COPY_CHUNK_BYTES)


def write_csv_piece(table: pa.Table, path: Path | str) -> None:
    """Write the rows of ``table`` as CSV without a header: one piece of a :class:`PartitionedTable`."""
    options = pa_csv.WriteOptions(include_header=False, quoting_style="needed")
    pa_csv.write_csv(_one_chunk(table), str(path), options)


def _one_chunk(table: pa.Table) -> pa.Table:
    # pyarrow's CSV writer (26.0.1) writes stray bytes for a string column whose chunks include an empty
    # one without a data buffer, as pandas makes when it concatenates an empty frame: write one chunk.
    return table.combine_chunks()


def read_parts(parts: Sequence[Path | str], table_schema: pa.Schema | None = None) -> pa.Table:
    """The Parquet files ``parts`` (all of one schema) as one Arrow table, rows in the order of the files."""
    if not parts:
        return (table_schema or pa.schema([])).empty_table()
    # A dataset of the listed files reads them on all cores and keeps their order.
    return pa_dataset.dataset([str(part) for part in parts], format="parquet", schema=table_schema).to_table()


def read_table(name: str, processed_dir: Path | str | None = None) -> pd.DataFrame:
    """Read one processed table (Parquet) with its documented dtypes.

    Args:
        name: table name, e.g. ``"articles"``.
        processed_dir: folder written by ``govnews build``; defaults to ``data/processed``.

    Raises:
        GovnewsError: the table is missing (run ``govnews build`` first) or lacks a documented column.
    """
    folder = Path(processed_dir) if processed_dir is not None else project_paths().processed_dir
    path = folder / f"{name}.parquet"
    if not path.exists():
        raise GovnewsError(path, f"table {name!r} not found; run `python -m govnews build` first")
    try:
        if path.is_dir():  # a per-file table: a dataset of one file per batch of raw files
            frame = read_parts(sorted(path.glob("*.parquet"))).to_pandas()
        else:
            frame = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise GovnewsError(path, f"cannot read table: {exc}") from None
    return schema.conform(frame, name, source=str(path)) if name in schema.TABLES else frame
