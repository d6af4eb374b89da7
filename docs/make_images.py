"""Regenerate the README images in ``docs/`` from the seed corpus.

Run from the repository folder::

    .venv/bin/python docs/make_images.py                        # build data/raw in a temporary folder first
    .venv/bin/python docs/make_images.py --tables data/processed  # draw from tables already built

It writes three small PNGs (100 dpi, well under 150 KB each) with the same chart functions the
notebooks use: the office × theme heatmap, the grid structures of the offices that report them,
and the office × measure-kind matrix. Rerun it after a change to the pipeline or the charts and
commit the images with that change.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from govnews.config import project_paths
from govnews.pipeline.tables import read_table
from govnews.present import charts, views

DOCS_DIR = Path(__file__).resolve().parent
PNG_DPI = 100
MIN_CHARS_TO_SHOW = 500
"""Offices with less text are left out of the theme heatmap, as in notebook 01."""
GRID_SUBJECT_PATTERN = "网格$"
TABLES = ("theme_counts", "figures", "measures")


def draw_images(tables: Mapping[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Draw the README images from the built tables and write them as PNG to ``out_dir``.

    Args:
        tables: the ``theme_counts``, ``figures`` and ``measures`` tables.
        out_dir: folder for the PNGs (created if missing).

    Returns:
        The written files.
    """
    grid = views.figure_comparison(tables["figures"], "个", "count", GRID_SUBJECT_PATTERN)
    images = {
        "theme_heatmap": charts.plot_theme_heatmap(
            views.drop_offices_with_little_text(tables["theme_counts"], MIN_CHARS_TO_SHOW),
            # Marked, and kept out of the colour scale: a few hundred characters would set it.
            small_offices=views.offices_with_little_text(tables["theme_counts"], views.MIN_CHARS_TO_COMPARE),
        ),
        "grid_comparison": charts.plot_figure_comparison(grid),
        "measure_kinds": charts.plot_measure_kinds(views.measure_kind_counts(tables["measures"])),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fig in images.items():
        path = out_dir / f"{name}.png"
        with charts.chart_style():
            # No software tag: an unchanged chart then gives an unchanged file.
            fig.savefig(path, dpi=PNG_DPI, metadata={"Software": None})
        written.append(path)
    return written


def _seed_tables() -> dict[str, pd.DataFrame]:
    import jieba

    from govnews.pipeline.build import build

    # jieba announces every dictionary it loads; the images are all this command has to say.
    jieba.setLogLevel(logging.WARNING)

    with tempfile.TemporaryDirectory(prefix="govnews-docs-") as scratch:
        # A scratch cache: the images must come from a fresh build, not from cached rows.
        paths = project_paths(cache_dir=Path(scratch) / "cache")
        result = build(paths, write=False)
    return {name: result.tables[name] for name in TABLES}


def main() -> None:
    """Parse the command line, get the tables and write the images."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=Path, help="folder of built tables [build data/raw afresh]")
    parser.add_argument("--out", type=Path, default=DOCS_DIR, help="folder for the PNGs [docs/]")
    args = parser.parse_args()
    tables = (
        _seed_tables() if args.tables is None else {name: read_table(name, args.tables) for name in TABLES}
    )
    for path in draw_images(tables, args.out):
        print(f"{path} ({path.stat().st_size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
