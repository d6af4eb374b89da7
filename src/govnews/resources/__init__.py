"""Every data file govnews reads, read once: ``load_resources(paths) -> Resources``.

The pipeline steps never open a data file: they take what they need from a :class:`Resources`
(the gazetteer, the segmenter, the lexicons, the codebook, the year cues, the overrides, what
``metadata.csv`` states). Each file is found by :func:`govnews.resources.locate.locate`: the user's
data folder first, then the defaults that ship with govnews. A loaded set is kept per process and
read again only when one of its files changes.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from govnews.config import ProjectPaths
from govnews.resources.files import read_text
from govnews.resources.gazetteer import Gazetteer, load_gazetteer
from govnews.resources.lexicons import (
    load_codebook,
    load_measure_lexicon,
    load_stopwords,
    load_units,
    load_user_dictionary,
)
from govnews.resources.locate import DATA_FILES
from govnews.resources.locate import locate as _locate
from govnews.resources.metadata import SourceMetadata, load_metadata
from govnews.resources.overrides import Override, load_overrides
from govnews.resources.stored import stored
from govnews.resources.year_cues import YearCues, load_year_cues

if TYPE_CHECKING:
    from govnews.extract.figures import UnitLexicon
    from govnews.resources.measure_lexicon import MeasureLexicon
    from govnews.text.segment import Segmenter
    from govnews.text.themes import Codebook

__all__ = ["Resources", "load_resources", "resource_contents", "resource_files"]


@dataclass(frozen=True)
class Resources:
    """What the per-file steps read, loaded from the data files."""

    gazetteer: Gazetteer
    segmenter: Segmenter
    units: UnitLexicon
    measures: MeasureLexicon
    codebook: Codebook
    stopwords: frozenset[str]
    surnames: frozenset[str]
    year_cues: YearCues
    overrides: list[Override]
    metadata: dict[str, SourceMetadata]


def resource_files(paths: ProjectPaths) -> dict[str, Path]:
    """Every file a build reads besides the pages, by name: the data files as located, overrides, metadata."""
    files = {name: _locate(paths, name) for name in DATA_FILES}
    files["overrides"] = paths.overrides_file
    files["metadata"] = paths.metadata_file
    return files


def resource_contents(paths: ProjectPaths) -> list[tuple[str, bytes]]:
    """The file name and bytes of every file :func:`resource_files` names (``b"-"`` for an absent one).

    The build's cache fingerprint hashes them: an edited data file makes every page be processed again.
    """
    return [
        (path.name, path.read_bytes() if path.is_file() else b"-") for path in resource_files(paths).values()
    ]


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


def load_resources(paths: ProjectPaths) -> Resources:
    """The resources of ``paths``, read once per process and again after one of their files changed.

    Raises:
        GovnewsError: a data file is missing, unreadable or malformed, naming the file (and line).
    """
    files = resource_files(paths)
    kept = paths.cache_dir / "resources"
    return _load(tuple(files.items()), tuple(_stamp(path) for path in files.values()), kept)


@lru_cache(maxsize=2)
def _load(files: tuple[tuple[str, Path], ...], stamps: tuple[tuple[int, int], ...], kept: Path) -> Resources:
    del stamps  # part of the cache key only
    from govnews.text.segment import make_tokenizer

    file = dict(files)
    gazetteer_files = [file[name] for name in _GAZETTEER_FILES]
    gazetteer = stored(
        "gazetteer",
        gazetteer_files,
        lambda: load_gazetteer(*gazetteer_files),
        kept,
        Gazetteer.to_record,
        Gazetteer.from_record,
    )
    segmenter = make_tokenizer(load_user_dictionary([file["userdict"], file["offices"], file["measures"]]))
    resources = Resources(
        gazetteer=gazetteer,
        segmenter=segmenter,
        units=load_units(file["units"]),
        measures=load_measure_lexicon(file["measures"]),
        codebook=load_codebook(file["themes"]),
        stopwords=load_stopwords(file["stopwords"]),
        surnames=_read_surnames(file["surnames"]),
        year_cues=load_year_cues(file["year_cues"]),
        overrides=load_overrides(file["overrides"]),
        metadata=load_metadata(file["metadata"]),
    )
    # The gazetteer alone is some hundred thousand objects and sets that live as long as the process: every
    # full collection would walk them again (a tenth of a build's CPU). Set them apart from the collector.
    gc.collect()
    gc.freeze()
    return resources


_GAZETTEER_FILES = ("register", "offices", "districts", "zones", "not_office_names", "not_district_names")


def _read_surnames(path: Path) -> frozenset[str]:
    words: set[str] = set()
    for line in read_text(path).splitlines():
        if not line.startswith("#"):
            words.update(line.split())
    return frozenset(words)
