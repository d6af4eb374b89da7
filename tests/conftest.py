"""Shared fixtures: the seed corpus and one build of it, reused by every end-to-end test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, settings

from govnews import schema
from govnews.config import ProjectPaths, project_paths

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED_FILES = sorted((REPO / "data" / "raw").glob("*.txt"))

# Property tests: "default" keeps the normal suite fast; HYPOTHESIS_PROFILE=thorough runs ≥ 1000 examples.
# No deadline: the first example of a run loads jieba's dictionary, which is slow but not a failure.
settings.register_profile(
    "default", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def resources():
    """The data files of the project (gazetteer, segmenter, lexicons, codebook …), read once."""
    from govnews.resources import load_resources

    return load_resources(project_paths())


@pytest.fixture(scope="session")
def seed_paths(tmp_path_factory: pytest.TempPathFactory) -> ProjectPaths:
    """Project paths whose outputs (tables, caches, reports) go to a temporary folder."""
    out = tmp_path_factory.mktemp("seed_build")
    return project_paths(
        processed_dir=out / "processed", cache_dir=out / "cache", reports_dir=out / "reports"
    )


@pytest.fixture(scope="session")
def seed_build(seed_paths: ProjectPaths):
    """One build of the seed corpus, written to a temporary folder."""
    from govnews.pipeline.build import build

    return build(seed_paths)


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    """An empty raw folder to put hand-made page dumps in."""
    folder = tmp_path / "raw"
    folder.mkdir()
    return folder


def copy_seeds(target: Path) -> None:
    """Copy the seed corpus into ``target``."""
    for path in SEED_FILES:
        shutil.copy(path, target / path.name)


_SCHEMA_DEFAULTS = {"string": "", "Int64": pd.NA, "float64": np.nan, "boolean": False}


def make_table(name: str, rows: list[dict]) -> pd.DataFrame:
    """A schema table from rows that give only the columns a test cares about."""
    frame = pd.DataFrame(rows)
    for column in schema.TABLES[name]:
        if column.name not in frame.columns:
            # An enumerated column gets its last value: 'other', 'unknown' or '' (no qualifier).
            frame[column.name] = column.values[-1] if column.values else _SCHEMA_DEFAULTS[column.dtype]
    return schema.conform(frame, name)
