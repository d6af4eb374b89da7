"""Strict readers for the data files: every problem becomes one line naming the file (and line).

A data file is text a user edits. Reading it can fail because it is missing, not UTF-8, a CSV
without a needed column or with a key listed twice, or a word list with a word twice; each case
raises :class:`~govnews.errors.GovnewsError` with the file, the line or byte offset, and what to fix.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from govnews.errors import GovnewsError


def read_text(path: Path) -> str:
    """The text of a UTF-8 data file (a byte-order mark is allowed).

    Raises:
        GovnewsError: the file is missing or unreadable, or not UTF-8 (with the line and byte offset).
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise GovnewsError(path, "file not found") from None
    except OSError as exc:
        raise GovnewsError(path, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GovnewsError(
            path, f"not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8", line
        ) from None


def read_word_list(path: Path, *, missing_ok: bool = False) -> frozenset[str]:
    """The words of a one-word-a-line list; ``#`` starts a comment line, blank lines are skipped.

    Args:
        path: the list.
        missing_ok: an absent file is an empty list instead of an error.

    Raises:
        GovnewsError: the file is missing (unless ``missing_ok``) or not UTF-8.
    """
    if missing_ok and not Path(path).exists():
        return frozenset()
    lines = read_text(path).splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


@dataclass(frozen=True)
class CsvRow:
    """One data row of a CSV data file, with the file line it is on (for messages)."""

    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values[column]


def read_csv_rows(path: Path, required: tuple[str, ...], *, key: str | None = None) -> list[CsvRow]:
    """The rows of a CSV data file, cells stripped, ``#`` lines and blank lines skipped.

    Args:
        path: the file (UTF-8, a byte-order mark allowed).
        required: columns the file must have.
        key: a column that must be filled and unique.

    Raises:
        GovnewsError: unreadable or not UTF-8, broken CSV, a required column missing (naming the
            header line), or the key empty or listed twice (naming the row's line).
    """
    lines = read_text(path).splitlines()
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    numbered = [(number, line) for number, line in numbered if not line.startswith("#")]
    if not numbered:
        raise GovnewsError(path, f"file is empty; expected the columns {', '.join(required)}")
    try:
        parsed = list(csv.reader(line for _, line in numbered))
    except csv.Error as exc:
        raise GovnewsError(path, f"broken CSV: {exc}") from None
    header = [cell.strip() for cell in parsed[0]]
    missing = [column for column in required if column not in header]
    if missing:
        raise GovnewsError(
            path, f"missing column(s) {', '.join(missing)}; expected {', '.join(required)}", numbered[0][0]
        )
    rows: list[CsvRow] = []
    seen: dict[str, int] = {}
    for (line, _), cells in zip(numbered[1:], parsed[1:], strict=True):
        if len(cells) > len(header):
            raise GovnewsError(path, f"{len(cells)} cells where the header has {len(header)}", line)
        if len(cells) < len(header):
            cells = cells + [""] * (len(header) - len(cells))
        values = dict(zip(header, map(str.strip, cells), strict=True))
        if key is not None:
            value = values[key]
            if not value:
                raise GovnewsError(path, f"empty {key}", line)
            if value in seen:
                raise GovnewsError(path, f"{key} listed twice: {value} (first on line {seen[value]})", line)
            seen[value] = line
        rows.append(CsvRow(line, values))
    return rows
