"""The development corpus (``../shared/dev``: pages from about twenty provinces) end to end.

Each gold file is scored as the reference scorer does; the targets of the document layer are guarded here.
The corpus is read where it lies, never copied into the project.
"""

from __future__ import annotations

import pytest

from conftest import SHARED
from govnews.config import project_paths
from govnews.pipeline.build import build
from govnews.validate import load_gold, score_tables

DEV = SHARED / "dev"
GOLD_FILES = sorted(DEV.glob("gold-*.yml"))

pytestmark = pytest.mark.skipif(not (DEV / "pages").is_dir(), reason="development corpus not available")


@pytest.fixture(scope="module")
def dev_tables(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("dev")
    paths = project_paths(raw_dir=DEV / "pages", processed_dir=out / "tables", cache_dir=out / "cache")
    return build(paths, write=False).tables


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=[path.stem for path in GOLD_FILES])
def test_articles_and_years_meet_the_targets(dev_tables, gold_file) -> None:
    summary = score_tables(load_gold(gold_file), dev_tables).summary
    assert summary["article_accuracy"] >= 0.95
    assert summary["year_precision"] >= 0.95


def test_every_district_is_a_real_place(dev_tables, resources) -> None:
    gazetteer = resources.gazetteer
    known = set(gazetteer.forms) | {unit.name for unit in gazetteer.units}
    districts = set(dev_tables["articles"]["district"]) - {""}
    assert districts and districts <= known
