"""Reading and writing the processed tables: Parquet plus CSV in UTF-8 with BOM.

Every table is written next to a temporary file and renamed into place, so an
interrupted or failed build (a full disk, an unwritable folder) leaves the
previous tables intact. CSV gets a byte-order mark so that Excel opens the
Chinese text correctly.

A per-file table is a :class:`PartitionedTable`: one Parquet file and one
header-less CSV piece per raw file, written by the worker that processed it. It
is written as a Parquet dataset partitioned by source, ``name.parquet/`` holding
``part-00000.parquet`` … in source order (linked, not copied, where the file
system allows), and as one CSV, the pieces concatenated; no process holds the
whole table.
"""

from __future__ import annotations

import codecs
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
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
    """A table stored as one Parquet file and one header-less CSV piece per raw file, in source order."""

    schema: pa.Schema
    parquet_parts: Sequence[Path | str]
    csv_parts: Sequence[Path | str]


def write_tables(
    tables: Mapping[str, pd.DataFrame | pa.Table | PartitionedTable], out_dir: Path
) -> list[Path]:
    """Write each table as ``name.parquet`` and ``name.csv`` (UTF-8 with BOM) in ``out_dir``.

    DataFrames are conformed to their documented schema first; Arrow tables (what the build passes)
    are written as they are; a :class:`PartitionedTable` becomes the dataset folder ``name.parquet/``
    and one CSV. All files are first written to temporary names; only when every one was written are
    they renamed, so a failure leaves the previous set untouched.

    Raises:
        GovnewsError: the folder is a file or cannot be created or written (named in the message).
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise GovnewsError(out_dir, "the output folder is a file; name a folder for the tables")
    written: list[Path] = []
    staged: list[tuple[str, Path]] = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            if isinstance(table, pd.DataFrame):
                table = to_arrow(table, name) if name in schema.TABLES else pa.Table.from_pandas(table)
            for suffix, writer in ((".parquet", _write_parquet), (".csv", _write_csv)):
                prefix = f".{name}{suffix}."
                if isinstance(table, PartitionedTable) and suffix == ".parquet":
                    temporary = tempfile.mkdtemp(dir=out_dir, prefix=prefix, suffix=".tmp")
                else:
                    handle, temporary = tempfile.mkstemp(dir=out_dir, prefix=prefix, suffix=".tmp")
                    os.close(handle)
                staged.append((temporary, out_dir / f"{name}{suffix}"))
                writer(table, temporary)
        for temporary, target in staged:
            _move_into_place(temporary, target)
            written.append(target)
    except OSError as exc:
        raise GovnewsError(
            getattr(exc, "filename", None) or out_dir, f"cannot write tables: {exc.strerror or exc}"
        ) from None
    finally:
        for temporary, _ in staged:
            _remove(temporary)
    return written


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


def _write_parquet(table: pa.Table | PartitionedTable, path: str) -> None:
    if not isinstance(table, PartitionedTable):
        pq.write_table(table, path)
        return
    width = max(5, len(str(len(table.parquet_parts))))
    for number, part in enumerate(table.parquet_parts):
        target = os.path.join(path, f"part-{number:0{width}d}.parquet")
        try:
            os.link(part, target)  # the workers' file itself: no bytes copied
        except OSError:
            shutil.copyfile(part, target)


def _write_csv(table: pa.Table | PartitionedTable, path: str) -> None:
    options = pa_csv.WriteOptions(quoting_style="needed")
    with open(path, "wb") as stream:
        stream.write(codecs.BOM_UTF8)  # so that Excel reads the file as UTF-8
        if not isinstance(table, PartitionedTable):
            pa_csv.write_csv(table, stream, options)
            return
        pa_csv.write_csv(table.schema.empty_table(), stream, options)
        for part in table.csv_parts:
            with open(part, "rb") as piece:
                shutil.copyfileobj(piece, stream)


def write_csv_piece(table: pa.Table, path: Path | str) -> None:
    """Write the rows of ``table`` as CSV without a header: one piece of a :class:`PartitionedTable`."""
    pa_csv.write_csv(table, str(path), pa_csv.WriteOptions(include_header=False, quoting_style="needed"))


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
        if path.is_dir():  # a per-file table: a dataset of one file per raw file
            frame = read_parts(sorted(path.glob("*.parquet"))).to_pandas()
        else:
            frame = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise GovnewsError(path, f"cannot read table: {exc}") from None
    return schema.conform(frame, name, source=str(path)) if name in schema.TABLES else frame
