"""Raw files → decoded text with provenance.

Reads every ``.txt`` file under the raw folder in a deterministic order (sorted
relative path) and decodes it. Encodings: a byte-order mark decides first
(UTF-8, UTF-16 LE/BE); then strict UTF-8 (a file cut off inside its last
character loses only that character); then charset-normalizer, restricted to
the encodings Chinese page dumps actually come in, decides between GB18030 and
Big5. A file that is empty, binary or undecodable raises :class:`GovnewsError`
naming the file; with ``skip_bad`` it becomes a row of the ``rejected`` table
instead, so nothing is dropped silently. A ``.txt`` name that is not a regular
file (a FIFO, a socket) and a folder that cannot be listed are bad input of the
same kind; a ``.md`` or ``.html`` page beside the ``.txt`` files is never read
but always listed in ``rejected``, so that the user sees it was left out.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from charset_normalizer import from_bytes

from govnews import schema
from govnews.errors import GovnewsError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Chinese page dumps come in these; letting charset-normalizer consider every
# codec makes it pick exotic single-byte ones for short texts.
_CHINESE_ENCODINGS = ["gb18030", "big5"]
# The encoding recorded for a UTF-8 file that ends inside a character (the partial character is dropped).
TRUNCATED_UTF8 = "utf-8 (incomplete last character dropped)"
# Share of C0 control characters (other than tab/newline/CR/form feed) above
# which decoded "text" is really binary data.
_MAX_CONTROL_SHARE = 0.01


@dataclass(frozen=True)
class RawFile:
    """One decoded raw file."""

    source: str
    path: Path
    encoding: str
    text: str
    n_bytes: int
    sha256: str


# Pages saved in another format: never read, but listed in ``rejected`` so that nobody thinks they were.
_OTHER_PAGE_SUFFIXES = (".md", ".markdown", ".html", ".htm")


@dataclass(frozen=True)
class RawListing:
    """What a raw folder holds: the ``.txt`` files to read, the bad entries and the pages not read.

    Attributes:
        files: every ``.txt`` file (and ``.txt`` link that leads nowhere, so that reading it fails with
            a message), sorted by relative path.
        bad: ``(path, problem)`` of entries that should be page dumps but cannot be read: a ``.txt``
            name that is not a regular file, a folder that cannot be listed.
        not_read: ``(path, reason)`` of pages in another format (``.md``, ``.html``) beside them.
    """

    files: list[Path]
    bad: list[tuple[Path, str]]
    not_read: list[tuple[Path, str]]


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def list_raw_folder(raw_dir: Path) -> RawListing:
    """Every entry under ``raw_dir`` that a build reads or must tell about; symlink loops are not followed.

    Raises:
        GovnewsError: the folder does not exist, is a file, or holds no ``.txt`` file.
    """
    raw_dir = Path(raw_dir)
    if raw_dir.is_file():
        raise GovnewsError(raw_dir, "is a file, not a folder; name the folder that holds the page dumps")
    if not raw_dir.is_dir():
        raise GovnewsError(raw_dir, "raw folder does not exist")
    found: list[Path] = []
    others: list[Path] = []
    bad: list[tuple[Path, str]] = []

    def unreadable(error: OSError) -> None:
        # os.walk skips a folder it cannot list unless told: say so instead.
        bad.append((Path(error.filename or raw_dir), f"cannot read folder: {error.strerror or error}"))

    # os.walk without followlinks never enters a symlinked folder, so a link loop cannot hang the build.
    for folder, subfolders, names in os.walk(raw_dir, onerror=unreadable):
        subfolders.sort()
        for name in names:
            lower = name.lower()
            if lower.endswith(".txt"):
                found.append(Path(folder) / name)
            elif lower.endswith(_OTHER_PAGE_SUFFIXES):
                others.append(Path(folder) / name)
    files: list[Path] = []
    for path in found:
        try:
            mode = path.stat().st_mode
        except OSError:
            files.append(path)  # a dangling or looping link: reading it fails with a message
            continue
        if stat.S_ISREG(mode):
            files.append(path)
        else:
            bad.append((path, f"{_kind(mode)}, not a page dump; nothing to read"))

    def relative(path: Path) -> str:
        return path.relative_to(raw_dir).as_posix()

    if not files and not bad:
        raise GovnewsError(raw_dir, "no .txt files in the raw folder; put page dumps (plain text) there")
    not_read = [
        (path, f"not read: only .txt files are page dumps (save it as UTF-8 text: {path.stem}.txt)")
        for path in others
    ]
    return RawListing(
        sorted(files, key=relative),
        sorted(bad, key=lambda entry: relative(entry[0])),
        sorted(not_read, key=lambda entry: relative(entry[0])),
    )


def list_raw_files(raw_dir: Path) -> list[Path]:
    """Every ``.txt`` file under ``raw_dir``, sorted by relative path (see :func:`list_raw_folder`).

    Raises:
        GovnewsError: the folder does not exist or holds no ``.txt`` file.
    """
    return list_raw_folder(raw_dir).files


def decode_bytes(data: bytes, path: Path | str) -> tuple[str, str]:
    """Decode raw bytes to text.

    Returns:
        (text, encoding name).

    Raises:
        GovnewsError: empty, binary or undecodable data, naming ``path``.
    """
    if not data.strip():
        problem = "file is empty" if not data else "file holds only whitespace"
        raise GovnewsError(path, f"{problem}; nothing to read")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data.decode(encoding), path), encoding.replace("-sig", " with BOM")
            except UnicodeDecodeError as exc:
                raise GovnewsError(
                    path,
                    f"starts with a {encoding} byte-order mark but is not valid {encoding}: "
                    f"{exc.reason} at byte {exc.start}",
                ) from None
    if b"\x00" in data:
        raise GovnewsError(path, "looks binary (contains NUL bytes), not a text page dump")
    try:
        return _check_text(data.decode("utf-8"), path), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = f"{exc.reason} at byte {exc.start}"
        if exc.reason == "unexpected end of data" and exc.end == len(data) and data[: exc.start].strip():
            # A dump cut off inside its last character: everything before it is valid UTF-8 (the
            # decoder stops at the first error), and only that character is lost, which the
            # encoding recorded in the sources table says.
            return _check_text(data[: exc.start].decode("utf-8"), path), TRUNCATED_UTF8
    best = from_bytes(data, cp_isolation=_CHINESE_ENCODINGS).best()
    if best is None:
        raise GovnewsError(path, f"cannot decode: not UTF-8 ({utf8_error}), GB18030 or Big5")
    return _check_text(str(best), path), best.encoding


# Control characters (below U+0020) other than tab, line feed, form feed and carriage return.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def _check_text(text: str, path: Path | str) -> str:
    controls = len(_CONTROL_CHARS.findall(text))
    if controls > _MAX_CONTROL_SHARE * max(len(text), 1):
        raise GovnewsError(path, f"looks binary ({controls} control characters), not a text page dump")
    return text


def read_raw_file(path: Path, raw_dir: Path) -> RawFile:
    """Read and decode one raw file.

    Raises:
        GovnewsError: unreadable, empty, binary or undecodable file.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise GovnewsError(path, f"cannot read file: {exc.strerror}") from None
    text, encoding = decode_bytes(data, path)
    return RawFile(
        source=Path(path).relative_to(raw_dir).as_posix(),
        path=Path(path),
        encoding=encoding,
        text=text,
        n_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def load_raw_files(raw_dir: Path, *, skip_bad: bool = False) -> tuple[list[RawFile], pd.DataFrame]:
    """Read every raw file under ``raw_dir``.

    Args:
        raw_dir: folder of page dumps.
        skip_bad: list bad files in the returned ``rejected`` table instead of stopping.

    Returns:
        (decoded files, ``rejected`` table).

    Raises:
        GovnewsError: a bad file when ``skip_bad`` is False, or no usable file at all.
    """
    raw_dir = Path(raw_dir)
    listing = list_raw_folder(raw_dir)
    files: list[RawFile] = []
    rejected: list[dict] = []

    def reject(path: Path, reason: str) -> None:
        size = path.stat().st_size if path.is_file() else 0
        source = path.relative_to(raw_dir).as_posix() if path != raw_dir else "."
        rejected.append({"source": source, "n_bytes": size, "reason": reason})

    for path, problem in listing.bad:
        if not skip_bad:
            raise GovnewsError(path, problem)
        reject(path, problem)
    # One thread: with the files in the page cache (a rebuild, a benchmark), threads reading ahead
    # make this one wait for the GIL after every hash and decode, and the whole takes half again as long.
    for path in listing.files:
        try:
            files.append(read_raw_file(path, raw_dir))
        except GovnewsError as problem:
            if not skip_bad:
                raise
            reject(path, problem.problem)
    for path, reason in listing.not_read:
        reject(path, reason)
    rejected.sort(key=lambda row: row["source"])
    return files, schema.from_rows(rejected, "rejected")
