"""The lexicons, the codebook and the tokenizer's word lists, each read from its file and kept.

One policy for every file: it is read through :func:`govnews.resources.files.read_text` (strict
UTF-8; every problem names the file and line) and what was parsed is kept until the file changes
(its path, modification time and size are the cache key). Without a path, each loader reads the
file :func:`govnews.resources.locate.locate` finds for the project (the user's data folder, then
the packaged defaults).

The format of a lexicon belongs to the rules that use it, so the units and the codebook are parsed
beside those rules (:func:`govnews.extract.figures.parse_units`,
:func:`govnews.text.themes.read_codebook`); this module only finds, reads and keeps them.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from govnews.config import ProjectPaths, project_paths
from govnews.errors import GovnewsError
from govnews.resources.files import read_text
from govnews.resources.locate import locate
from govnews.resources.measure_lexicon import MeasureLexicon, measure_terms, parse_measure_lexicon

if TYPE_CHECKING:
    from govnews.extract.figures import UnitLexicon
    from govnews.text.themes import Codebook

__all__ = [
    "JIEBA_WORD",
    "DictionaryEntry",
    "dictionary_files",
    "load_codebook",
    "load_measure_lexicon",
    "load_stopwords",
    "load_units",
    "load_user_dictionary",
]

DictionaryEntry = tuple[str, int | None, str | None]
"""One word of the tokenizer's user dictionary: (word, frequency or None, part-of-speech tag or None)."""

JIEBA_WORD = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")
"""What jieba accepts as one word: its ``re_han_default`` character class."""

_USERDICT_TAG = re.compile(r"[A-Za-z]+")

Parsed = TypeVar("Parsed")


def _file_stamp(path: Path) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        raise GovnewsError(path, "file not found") from None
    except OSError as error:
        raise GovnewsError(path, f"cannot read the file: {error.strerror or error}") from None
    return (stat.st_mtime_ns, stat.st_size)


def _kept(parse: Callable[[str, Path], Parsed]) -> Callable[[Path], Parsed]:
    """``parse`` applied to a file's text, kept per path until the file changes."""

    @lru_cache(maxsize=8)
    def parsed(path: Path, stamp: tuple[int, int]) -> Parsed:
        del stamp  # part of the cache key only
        return parse(read_text(path), path)

    def load(path: Path) -> Parsed:
        return parsed(path, _file_stamp(path))

    return load


def _path(path: Path | str | None, name: str) -> Path:
    return Path(path) if path is not None else locate(project_paths(), name)


def _parse_units(text: str, path: Path) -> UnitLexicon:
    from govnews.extract.figures import parse_units

    return parse_units(text, path)


def _parse_codebook(text: str, path: Path) -> Codebook:
    from govnews.text.themes import read_codebook

    return read_codebook(text, path)


def _parse_stopwords(text: str, path: Path) -> frozenset[str]:
    words: dict[str, int] = {}
    for line_no, line in enumerate(text.splitlines(), start=1):
        word = line.strip()
        if not word or word.startswith("#"):
            continue
        if word in words:
            raise GovnewsError(
                path, f"stopword {word!r} is listed twice (first on line {words[word]})", line_no
            )
        words[word] = line_no
    return frozenset(words)


def _parse_userdict(text: str, path: Path) -> tuple[DictionaryEntry, ...]:
    entries: list[DictionaryEntry] = []
    seen: dict[str, int] = {}
    for line_no, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        word, rest = fields[0], fields[1:]
        if not JIEBA_WORD.fullmatch(word):
            raise GovnewsError(
                path,
                f"{word!r} cannot be a jieba word: use only Chinese characters, "
                "latin letters, digits and + # & . % -",
                line_no,
            )
        if word in seen:
            raise GovnewsError(path, f"{word!r} is listed twice (first on line {seen[word]})", line_no)
        freq: int | None = None
        tag: str | None = None
        if rest and rest[0].isdigit():
            freq = int(rest.pop(0))
        if rest and _USERDICT_TAG.fullmatch(rest[0]):
            tag = rest.pop(0)
        if rest or freq == 0:
            raise GovnewsError(
                path,
                f"expected 'word [freq] [tag]' with freq a whole number above 0, got {line.strip()!r}",
                line_no,
            )
        seen[word] = line_no
        entries.append((word, freq, tag))
    return tuple(entries)


def _parse_office_names(text: str, path: Path) -> tuple[DictionaryEntry, ...]:
    reader = csv.DictReader(text.splitlines())
    missing = [column for column in ("office", "aliases") if column not in (reader.fieldnames or [])]
    if missing:
        raise GovnewsError(path, f"the gazetteer lacks column(s) {', '.join(missing)}", 1)
    words: list[DictionaryEntry] = []
    for row in reader:
        names = [row["office"] or "", *(row["aliases"] or "").split("|")]
        words += [(name.strip(), None, None) for name in names if name.strip()]
    return tuple(words)


_load_units = _kept(_parse_units)
_load_measure_lexicon = _kept(parse_measure_lexicon)
_load_codebook = _kept(_parse_codebook)
_load_stopwords = _kept(_parse_stopwords)
_load_userdict = _kept(_parse_userdict)
_load_office_names = _kept(_parse_office_names)


def load_units(path: Path | str | None = None) -> UnitLexicon:
    """The units lexicon of figure extraction (default: the project's ``lexicons/units.yml``).

    Raises:
        GovnewsError: the file is missing, not UTF-8 or not a valid units lexicon
            (see :func:`govnews.extract.figures.parse_units`).
    """
    return _load_units(_path(path, "units"))


def load_measure_lexicon(path: Path | str | None = None) -> MeasureLexicon:
    """The measure lexicon (default: the project's ``lexicons/measures.yml``).

    Raises:
        GovnewsError: the file is missing, not UTF-8 or not a valid measure lexicon
            (see :func:`govnews.resources.measure_lexicon.parse_measure_lexicon`).
    """
    return _load_measure_lexicon(_path(path, "measures"))


def load_codebook(path: Path | str | None = None) -> Codebook:
    """The theme codebook (default: the project's ``lexicons/themes.yml``).

    Raises:
        GovnewsError: the file is missing, not UTF-8 or not a valid codebook
            (see :func:`govnews.text.themes.read_codebook`).
    """
    return _load_codebook(_path(path, "themes"))


def load_stopwords(path: Path | str | None = None) -> frozenset[str]:
    """Stopwords: one word a line, ``#`` comments (default: the project's ``lexicons/stopwords.txt``).

    Raises:
        GovnewsError: the file is missing or not UTF-8, or a word is listed twice.
    """
    return _load_stopwords(_path(path, "stopwords"))


def dictionary_files(paths: ProjectPaths | None = None) -> list[Path]:
    """The files the user dictionary is built from, in reading order.

    Args:
        paths: project paths (default :func:`govnews.config.project_paths`).

    Returns:
        The domain word list ``userdict.txt``, the office gazetteer and the measures lexicon.
    """
    paths = paths or project_paths()
    return [locate(paths, "userdict"), locate(paths, "offices"), locate(paths, "measures")]


def load_user_dictionary(paths: Sequence[Path | str] | None = None) -> list[DictionaryEntry]:
    """The user dictionary: every word govnews's tokenizer must keep whole.

    Files are read by kind: ``.txt`` in jieba's user-dictionary format (``word [freq] [tag]``,
    ``#`` comments), ``.csv`` as the office gazetteer (columns ``office`` and ``aliases``), ``.yml``
    as the measures lexicon (its measure names). A word keeps its first entry, so the domain list
    — read first by default — decides frequency and tag. Names that jieba cannot hold as one
    word (with spaces or punctuation, or a single character) are left out.

    Args:
        paths: files to read, in order; default :func:`dictionary_files` (the domain list
            ``userdict.txt``, the office gazetteer, the measures lexicon ``measures.yml``).

    Returns:
        Entries (word, frequency or None, tag or None), each word once.

    Raises:
        GovnewsError: a file is missing, unreadable or malformed (file and line named), or a word
            is listed twice in a ``.txt`` file.
    """
    files = dictionary_files() if paths is None else [Path(path) for path in paths]
    readers: dict[str, Callable[[Path], Sequence[DictionaryEntry]]] = {
        ".txt": _load_userdict,
        ".csv": _load_office_names,
        ".yml": _measure_names,
        ".yaml": _measure_names,
    }
    entries: dict[str, DictionaryEntry] = {}
    for path in files:
        reader = readers.get(path.suffix.lower())
        if reader is None:
            raise GovnewsError(
                path,
                "cannot read a dictionary from this kind of file; use a .txt word "
                "list, the office gazetteer .csv or the measures .yml",
            )
        for word, freq, tag in reader(path):
            if len(word) > 1 and JIEBA_WORD.fullmatch(word) and word not in entries:
                entries[word] = (word, freq, tag)
    return list(entries.values())


def _measure_names(path: Path) -> list[DictionaryEntry]:
    return [(term, None, None) for term in measure_terms(_load_measure_lexicon(path))]
