"""Reading and writing the processed tables: Parquet plus CSV in UTF-8 with BOM.

Every table is written next to a temporary file and renamed into place, so an
interrupted or failed build (a full disk, an unwritable folder) leaves the
previous tables intact. CSV gets a byte-order mark so that Excel opens the
Chinese text correctly.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from govnews import schema
from govnews.config import project_paths
from govnews.errors import GovnewsError


def to_arrow(frame: pd.DataFrame, name: str) -> pa.Table:
    """``frame`` conformed to the documented schema of table ``name``, as an Arrow table."""
    if not schema.conforms(frame, name):
        frame = schema.conform(frame, name)
    return pa.Table.from_pandas(frame, preserve_index=False)


def write_tables(tables: Mapping[str, pd.DataFrame | pa.Table], out_dir: Path) -> list[Path]:
    """Write each table as ``name.parquet`` and ``name.csv`` (UTF-8 with BOM) in ``out_dir``.

    DataFrames are conformed to their documented schema first; Arrow tables (what the build passes)
    are written as they are. All files are first written to temporary names; only when every one
    was written are they renamed, so a failure leaves the previous set untouched.

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
                handle, temporary = tempfile.mkstemp(dir=out_dir, prefix=f".{name}{suffix}.", suffix=".tmp")
                os.close(handle)
                staged.append((temporary, out_dir / f"{name}{suffix}"))
                writer(table, temporary)
        for temporary, target in staged:
            os.replace(temporary, target)
            written.append(target)
    except OSError as exc:
        raise GovnewsError(
            getattr(exc, "filename", None) or out_dir, f"cannot write tables: {exc.strerror or exc}"
        ) from None
    finally:
        for temporary, _ in staged:
            if os.path.exists(temporary):
                os.unlink(temporary)
    return written


def _write_parquet(table: pa.Table, path: str) -> None:
    pq.write_table(table, path)


def _write_csv(table: pa.Table, path: str) -> None:
    with open(path, "wb") as stream:
        stream.write(codecs.BOM_UTF8)  # so that Excel reads the file as UTF-8
        pa_csv.write_csv(table, stream, pa_csv.WriteOptions(quoting_style="needed"))


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
        frame = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise GovnewsError(path, f"cannot read table: {exc}") from None
    return schema.conform(frame, name, source=str(path)) if name in schema.TABLES else frame
