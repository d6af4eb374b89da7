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
    """Every folder and data file govnews reads or writes."""

    root: Path
    raw_dir: Path
    processed_dir: Path
    cache_dir: Path
    lexicon_dir: Path
    gazetteer_file: Path
    districts_file: Path
    overrides_file: Path
    metadata_file: Path
    gold_file: Path
    notebooks_dir: Path
    reports_dir: Path

    @property
    def figures_dir(self) -> Path:
        """Where exported charts go (PNG, SVG, PDF)."""
        return self.reports_dir / "figures"


def project_paths(root: Path | str | None = None, **overrides: Path | str | None) -> ProjectPaths:
    """Paths under ``root`` (default: the project root), with single paths overridden.

    Args:
        root: project root; defaults to :data:`PROJ_ROOT`.
        **overrides: any field of :class:`ProjectPaths` (``raw_dir=...``); ``None`` values are ignored.

    Returns:
        The resolved paths.
    """
    base = Path(root).resolve() if root is not None else PROJ_ROOT
    data = base / "data"
    paths = ProjectPaths(
        root=base,
        raw_dir=data / "raw",
        processed_dir=data / "processed",
        cache_dir=data / "interim" / "cache",
        lexicon_dir=data / "lexicons",
        gazetteer_file=data / "gazetteer" / "offices.csv",
        districts_file=data / "gazetteer" / "districts.csv",
        overrides_file=data / "overrides.yml",
        metadata_file=data / "raw" / "metadata.csv",
        gold_file=data / "validation" / "seeds.yml",
        notebooks_dir=base / "notebooks",
        reports_dir=base / "reports",
    )
    given = {key: Path(value) for key, value in overrides.items() if value is not None}
    unknown = set(given) - set(ProjectPaths.__dataclass_fields__)
    if unknown:
        raise TypeError(f"unknown path setting(s): {', '.join(sorted(unknown))}")
    return replace(paths, **given)
