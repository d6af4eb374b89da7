"""Paths and defaults: the one place where govnews learns where things are.

Every path derives from the project root, which is the folder holding ``data/``
and ``notebooks/``. It is found from the ``GOVNEWS_ROOT`` environment variable,
else from the location of this package in a source checkout, else from the
current working directory. CLI options and notebook parameters override single
paths by passing them to :func:`project_paths`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path


def _find_root() -> Path:
    env_root = os.environ.get("GOVNEWS_ROOT")
    if env_root:
        return Path(env_root).resolve()
    source_checkout = Path(__file__).resolve().parents[2]
    if (source_checkout / "data").is_dir() and (source_checkout / "src").is_dir():
        return source_checkout
    return Path.cwd().resolve()


PROJ_ROOT = _find_root()


@dataclass(frozen=True)
class ProjectPaths:
    """Every folder and data file govnews reads or writes.

    ``data_dir`` holds the data files a user edits (``lexicons/``, ``gazetteer/``): each one found
    there replaces the default that ships with govnews, file by file (see :mod:`govnews.resources`).
    """

    root: Path
    raw_dir: Path
    processed_dir: Path
    cache_dir: Path
    data_dir: Path
    overrides_file: Path
    metadata_file: Path
    gold_file: Path
    notebooks_dir: Path
    reports_dir: Path

    @property
    def lexicon_dir(self) -> Path:
        """The user's lexicon folder (a file missing there falls back to the packaged default)."""
        return self.data_dir / "lexicons"

    @property
    def gazetteer_dir(self) -> Path:
        """The user's gazetteer folder (a file missing there falls back to the packaged default)."""
        return self.data_dir / "gazetteer"

    @property
    def figures_dir(self) -> Path:
        """Where exported charts go (PNG, SVG, PDF)."""
        return self.reports_dir / "figures"


def project_paths(root: Path | str | None = None, **overrides: Path | str | None) -> ProjectPaths:
    """Paths under ``root`` (default: the project root), with single paths overridden.

    A given ``raw_dir`` also moves the default ``metadata_file`` (``metadata.csv`` beside the pages), and a
    given ``data_dir`` the default ``overrides_file``.

    Args:
        root: project root; defaults to :data:`PROJ_ROOT`.
        **overrides: any field of :class:`ProjectPaths` (``raw_dir=...``); ``None`` values are ignored.

    Returns:
        The resolved paths.
    """
    base = Path(root).resolve() if root is not None else PROJ_ROOT
    given = {key: Path(value) for key, value in overrides.items() if value is not None}
    unknown = set(given) - set(ProjectPaths.__dataclass_fields__)
    if unknown:
        raise TypeError(f"unknown path setting(s): {', '.join(sorted(unknown))}")
    data = given.get("data_dir", base / "data")
    raw = given.get("raw_dir", base / "data" / "raw")
    paths = ProjectPaths(
        root=base,
        raw_dir=raw,
        processed_dir=base / "data" / "processed",
        cache_dir=base / "data" / "interim" / "cache",
        data_dir=data,
        overrides_file=data / "overrides.yml",
        metadata_file=raw / "metadata.csv",
        gold_file=base / "data" / "validation" / "seeds.yml",
        notebooks_dir=base / "notebooks",
        reports_dir=base / "reports",
    )
    return replace(paths, **given)
