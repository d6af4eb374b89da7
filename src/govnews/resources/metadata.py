"""What the user states about each raw file (``metadata.csv`` beside the pages): its date or year."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from govnews.errors import GovnewsError
from govnews.resources.files import read_csv_rows


@dataclass(frozen=True)
class SourceMetadata:
    """A file's publication year (and date, where given)."""

    year: int
    date: str = ""


def load_metadata(path: Path) -> dict[str, SourceMetadata]:
    """Per raw file, its year and date from ``metadata.csv`` (columns ``source`` and ``year`` or ``date``).

    A missing file states nothing.

    Raises:
        GovnewsError: unreadable, no ``source`` column, neither ``year`` nor ``date``, a file listed twice,
            or a year or date that is not one, naming the line.
    """
    if not path.exists():
        return {}
    rows = read_csv_rows(path, ("source",), key="source")
    if rows and not {"year", "date"} & set(rows[0].values):
        raise GovnewsError(path, "missing column year (or date); expected source, year", 1)
    stated: dict[str, SourceMetadata] = {}
    for row in rows:
        year, date = row.values.get("year", ""), row.values.get("date", "")
        if date:
            try:
                parsed = datetime.date.fromisoformat(date)
            except ValueError:
                raise GovnewsError(path, f"date {date!r} is not a date like 2023-05-12", row.line) from None
            if year and (not year.isdigit() or int(year) != parsed.year):
                raise GovnewsError(path, f"year {year!r} and date {date} disagree", row.line)
            stated[row["source"]] = SourceMetadata(parsed.year, date)
        elif year:
            if not year.isdigit():
                raise GovnewsError(path, f"year {year!r} is not a number", row.line)
            stated[row["source"]] = SourceMetadata(int(year))
    return stated
