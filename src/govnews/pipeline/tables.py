"""Reading and writing the processed tables: Parquet plus CSV in UTF-8 with BOM.

A table set is written as one unit: every table goes into a new folder beside the output folder,
which is swapped in when all are written (see :mod:`govnews.pipeline.folders`), so an interrupted or
failed build (a crash, a full disk, an unwritable folder) leaves the previous set whole, and a
reader never sees tables of two builds side by side. CSV gets a byte-order mark so that Excel opens
the Chinese text correctly.

A per-file table is a :class:`PartitionedTable`: one Parquet file and one header-less CSV piece per
batch of consecutive raw files, written by the worker that processed it. It is written as a Parquet
dataset partitioned by source, ``name.parquet/`` holding ``part-00000.parquet`` … in source order
(copies of the pieces, never links: damage to the cache must not reach the tables), and as one CSV,
the pieces concatenated; no process holds the whole table.
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
from govnews.pipeline.faults import checkpoint
from govnews.pipeline.folders import new_folder, swap_in


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
    """Writes a set of tables into a new folder beside ``out_dir``, then swaps it in as one unit.

    :meth:`prepare` makes the new folder (so an unwritable place is found before any work is done);
    :meth:`stage` may be called several times (from another thread too, one call at a time), so
    that writing the big tables overlaps other work; :meth:`commit` swaps the set in. Until then
    the previous tables are untouched, and :meth:`discard` removes what was staged.

    Raises:
        GovnewsError: the folder is a file or cannot be created or written (named in the message).
    """

    def __init__(self, out_dir: Path | str) -> None:
        self.out_dir = Path(out_dir)
        if self.out_dir.exists() and not self.out_dir.is_dir():
            raise GovnewsError(self.out_dir, "the output folder is a file; name a folder for the tables")
        self._staging: Path | None = None
        self._names: list[str] = []

    def check(self) -> None:
        """Make the output folder if needed and check that it can be written (before any work is done)."""
        with self._errors():
            self.out_dir.mkdir(parents=True, exist_ok=True)
            # The new set goes beside the folder, but a folder the user cannot write is refused all the same.
            handle, probe = tempfile.mkstemp(dir=self.out_dir, prefix=".govnews-probe-", suffix=".tmp")
            os.close(handle)
            os.unlink(probe)

    def prepare(self) -> None:
        """Make the folder the new set is written to (beside the output folder)."""
        self.check()
        with self._errors():
            if self._staging is None:
                self._staging = new_folder(self.out_dir)

    def stage(self, tables: Mapping[str, pd.DataFrame | pa.Table | PartitionedTable]) -> None:
        """Write each table as ``name.parquet`` and ``name.csv`` into the new folder."""
        if self._staging is None:
            self.prepare()
        with self._errors():
            for name, table in tables.items():
                if isinstance(table, pd.DataFrame):
                    table = to_arrow(table, name) if name in schema.TABLES else pa.Table.from_pandas(table)
                if isinstance(table, PartitionedTable):
                    _write_dataset(table, self._staging / f"{name}.parquet")
                else:
                    _write_parquet(table, str(self._staging / f"{name}.parquet"))
                _write_csv(table, str(self._staging / f"{name}.csv"))
                self._names += [f"{name}.parquet", f"{name}.csv"]

    def commit(self) -> list[Path]:
        """Swap the new set in; returns the paths written."""
        if self._staging is None:
            return []
        with self._errors():
            checkpoint("tables-staged")
            swap_in(self._staging, self.out_dir)
        self._staging = None
        written, self._names = [self.out_dir / name for name in self._names], []
        return written

    def discard(self) -> None:
        """Remove whatever was staged and not committed."""
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
        self._staging, self._names = None, []

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
    and one CSV. The tables are written to a new folder and swapped in together (other files of
    ``out_dir`` are kept), so a failure leaves the previous set untouched (see :class:`TableWriter`).

    Raises:
        GovnewsError: the folder is a file or cannot be created or written (named in the message).
    """
    writer = TableWriter(out_dir)
    try:
        writer.stage(tables)
        return writer.commit()
    finally:
        writer.discard()


def _write_parquet(table: pa.Table, path: str) -> None:
    pq.write_table(table, path)


def _write_dataset(table: PartitionedTable, folder: Path) -> None:
    """The dataset folder of ``table``: a copy of each Parquet piece, ``part-00000.parquet`` … in order."""
    folder.mkdir()
    width = max(5, len(str(len(table.parquet_parts))))
    for number, part in enumerate(table.parquet_parts):
        # A copy, never a link: the cache's pieces and the written tables must not share damage.
        shutil.copyfile(part, folder / f"part-{number:0{width}d}.parquet")


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


def write_csv_piece(table: pa.Table, destination: Path | str | pa.NativeFile) -> None:
    """Write the rows of ``table`` as CSV without a header: one piece of a :class:`PartitionedTable`."""
    options = pa_csv.WriteOptions(include_header=False, quoting_style="needed")
    target = str(destination) if isinstance(destination, str | Path) else destination
    pa_csv.write_csv(_one_chunk(table), target, options)


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
