"""What every notebook does first, in one call: ``book = open_tables(parameters)``.

The six notebooks share their set-up: paths from the papermill parameters, the built tables,
the data files (through :func:`govnews.resources.load_resources`, honouring ``data_dir``), the
chart style and the report language. :class:`Book` also shows things the way a reader's page
wants them: findings as sentences in the report's language (:meth:`Book.say`), tables formatted
for people with a link to the full CSV (:meth:`Book.show`), and charts saved under stable names
(:meth:`Book.figure`; a chart with nothing to draw is not saved).
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from govnews.config import ProjectPaths, project_paths

PARAMETERS = ("processed_dir", "figures_dir", "tables_dir", "data_dir", "lang")
"""Notebook parameters :func:`open_tables` reads; others are the notebook's own."""

SCREEN_DPI = 100
"""Pixels per inch a chart is shown at on the page (its file has 300)."""

SMALL_TABLE_ROWS = 12
"""Tables up to this many rows are shown whole and plain; longer ones get sorting and search."""


@dataclass
class Book:
    """A notebook's tables, resources and ways of showing things, from its parameters."""

    paths: ProjectPaths
    figures_dir: Path
    tables_dir: Path | None
    lang: str
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def table(self, name: str) -> pd.DataFrame:
        """The built table ``name`` (read once)."""
        from govnews.pipeline.tables import read_table

        if name not in self._tables:
            self._tables[name] = read_table(name, self.paths.processed_dir)
        return self._tables[name]

    @cached_property
    def codebook(self):  # -> govnews.text.themes.Codebook
        """The theme codebook of the notebook's ``data_dir`` (the default where it has none)."""
        from govnews.resources.lexicons import load_codebook
        from govnews.resources.locate import locate

        return load_codebook(locate(self.paths, "themes"))

    @cached_property
    def boilerplate(self) -> frozenset[str]:
        """The boilerplate words of the notebook's ``data_dir``, left out of key terms and clouds."""
        from govnews.resources.boilerplate import load_boilerplate
        from govnews.resources.locate import locate

        return load_boilerplate(locate(self.paths, "boilerplate"))

    def gold_file(self, given: str | Path | None) -> Path:
        """The gold file a notebook parameter names, else the project's default (the seeds' gold)."""
        return Path(given) if given else self.paths.gold_file

    def judgements_file(self, given: str | Path | None, gold_file: Path) -> Path:
        """The hand-judged measure sample: as given, else ``measure_judgements.csv`` beside the gold file."""
        return Path(given) if given else gold_file.with_name("measure_judgements.csv")

    def text(self, zh: str, en: str) -> str:
        """``zh`` or ``en``, whichever is the report's language."""
        return zh if self.lang == "zh" else en

    def optional_file(self, given: str | Path | None) -> Path | None:
        """The file a notebook parameter names, or ``None`` when it names none or the file is missing."""
        return Path(given) if given and Path(given).is_file() else None

    def metric(self, name: str) -> str:
        """A validation score's name in the report's language."""
        from govnews.present.labels import value_label

        return value_label("metric", name, self.lang)

    def say(self, zh: str, en: str) -> None:
        """Show a finding, a sentence made from the data, in the report's language."""
        from IPython.display import Markdown, display

        from govnews.present.labels import in_language

        display(Markdown(in_language(self.text(zh, en), self.lang)))

    def show(self, frame: pd.DataFrame, name: str) -> None:
        """Show ``frame`` formatted for people, with a link to the whole table as CSV.

        An empty table shows nothing (and writes no CSV): the finding before it says so.

        Args:
            frame: the table as the views make it (numbers, not strings).
            name: stable file name of the CSV (``tables/<name>.csv`` beside the report pages).
        """
        from IPython.display import HTML, display

        from govnews.present.labels import DATATABLES_LANGUAGE
        from govnews.present.readable import html_table, is_number_column, readable_table

        if frame.empty:
            return  # the sentence before a table says when there is nothing to list
        link = self._write_csv(frame, name)
        if len(frame) <= SMALL_TABLE_ROWS:
            display(HTML(html_table(frame, self.lang) + link))
            return
        readable = readable_table(frame, self.lang)
        import itables

        numeric = [index for index, column in enumerate(frame.columns) if is_number_column(frame[column])]
        itables.show(
            readable,
            language=DATATABLES_LANGUAGE[self.lang],
            # Numbers right, text left, as in the plain tables; the table starts at the left margin.
            columnDefs=[
                {"className": "dt-right", "targets": numeric},
                {"className": "dt-left", "targets": "_all"},
            ],
            style="table-layout:auto;width:auto;margin:0;caption-side:bottom",
            maxBytes=0,  # never cut rows: the reader sees every row, page by page
            order=[],  # keep the order the view chose
            showIndex=False,
        )
        if link:
            display(HTML(link))

    def _write_csv(self, frame: pd.DataFrame, name: str) -> str:
        from govnews.present.labels import word

        if self.tables_dir is None:
            return ""
        self.tables_dir.mkdir(parents=True, exist_ok=True)
        target = self.tables_dir / f"{name}.csv"
        frame.to_csv(target, index=False, encoding="utf-8-sig")
        href = os.path.relpath(target, self.tables_dir.parent).replace(os.sep, "/")
        label = f"{word('csv_link', self.lang)}: {target.name}"
        return f'<p class="govnews-csv"><a href="{html.escape(href)}">{html.escape(label)}</a></p>'

    def figure(self, fig, name: str) -> None:
        """Save ``fig`` as ``figures_dir/<name>.{png,svg,pdf}`` and show it.

        The page shows the saved PNG (300 dpi, drawn at the chart's size): the same picture as the file,
        sharp on any screen, and drawn once instead of twice. A chart with nothing to draw is neither
        saved nor shown: the page says in a sentence why it is missing (an empty frame is no chart).
        """
        import matplotlib.pyplot as plt
        from IPython.display import Image, Markdown, display

        from govnews.present import charts

        if charts.is_empty(fig):
            display(Markdown(charts.empty_note(fig)))
            plt.close(fig)
            return
        png = charts.save_figure(fig, name, self.figures_dir)[0]
        width, _ = fig.get_size_inches()
        display(Image(filename=str(png), width=round(width * SCREEN_DPI), alt=name))


def open_tables(parameters: Mapping[str, Any]) -> Book:
    """A notebook's :class:`Book` from its papermill parameters.

    Args:
        parameters: the notebook's parameters (e.g. ``globals()``); reads ``processed_dir``,
            ``figures_dir``, ``tables_dir``, ``data_dir`` and ``lang``, each ``None`` or missing for
            its default (``data/processed``, ``reports/figures``, no CSV copies, ``data``, Chinese).

    Returns:
        The book; the chart style and language are set, and the sortable-table library is loaded
        into the page (offline: the page works without a network).
    """
    from govnews.present.labels import LANGUAGES

    given = {key: parameters.get(key) for key in PARAMETERS}
    lang = given["lang"] or LANGUAGES[0]
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    paths = project_paths(processed_dir=given["processed_dir"], data_dir=given["data_dir"])
    figures_dir = Path(given["figures_dir"]) if given["figures_dir"] else paths.figures_dir
    tables_dir = Path(given["tables_dir"]) if given["tables_dir"] else None

    import itables

    from govnews.present import charts

    charts.use_style(lang)
    itables.init_notebook_mode(all_interactive=False, connected=False)
    return Book(paths=paths, figures_dir=figures_dir, tables_dir=tables_dir, lang=lang)
