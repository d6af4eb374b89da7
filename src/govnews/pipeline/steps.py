"""The per-file chain of steps, run on a batch of raw files: articles → sentences → tokens → theme hits,
figures and their checks, measures, the theme of each figure and measure → token counts per office.

A :class:`BatchSteps` holds one batch's intermediate results, each made once when a table first needs
it; the functions below it make one per-file table each and are registered in
:mod:`govnews.pipeline.registry`. Every step is a pure function of the raw files and the
:class:`~govnews.resources.Resources` it is given: no step opens a data file.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import cached_property
from typing import NamedTuple

import numpy as np
import pandas as pd

from govnews import schema
from govnews.extract.checks import check_figures
from govnews.extract.figures import extract_figures_from_sentences
from govnews.extract.measures import extract_measures_from_sentences
from govnews.ingest.articles import article_rows
from govnews.ingest.clean import removed_table
from govnews.ingest.load import RawFile
from govnews.ingest.sentences import split_article_sentences
from govnews.resources import Resources
from govnews.text.keyness import token_count_rows
from govnews.text.themes import find_theme_hits, sentence_themes, theme_of_rows


class FileRows(NamedTuple):
    """Rows of a per-file table that carry no ``article_id``, with the batch position of each row's file."""

    frame: pd.DataFrame
    files: list[int]


class BatchSteps:
    """One batch of raw files and what the steps made of it so far (each part made once, when first used)."""

    def __init__(self, raws: Sequence[RawFile], resources: Resources) -> None:
        self.raws = raws
        self.resources = resources
        self.removed_rows: list[dict] = []
        self.removed_files: list[int] = []
        self.applied: list[list[str]] = []  # each file's applied overrides
        self.file_of_article: dict[str, int] = {}

    @cached_property
    def articles(self) -> pd.DataFrame:
        """The articles of every file, in file order; also collects removed lines and applied overrides."""
        rows: list[dict] = []
        for number, raw in enumerate(self.raws):
            file_rows, removed_lines, applied_overrides = article_rows(raw, self.resources)
            self.file_of_article.update((row["article_id"], number) for row in file_rows)
            rows += file_rows
            self.removed_rows += removed_lines
            self.removed_files += [number] * len(removed_lines)
            self.applied.append(applied_overrides)
        return schema.from_rows(rows, "articles")

    @cached_property
    def sentences(self) -> pd.DataFrame:
        return split_article_sentences(self.articles, self.resources)

    @cached_property
    def sentence_files(self) -> list[int]:
        """The batch position of each sentence's file."""
        return [self.file_of_article[article_id] for article_id in self.sentences["article_id"].tolist()]

    @cached_property
    def tokens(self) -> list[list[str]]:
        """The content tokens of each sentence."""
        return [self.resources.segmenter.cut_content(text) for text in self.sentences["text"].tolist()]

    @cached_property
    def theme_hits(self) -> pd.DataFrame:
        return find_theme_hits(
            self.sentences, self.tokens, self.resources.codebook, names=self.resources.gazetteer.names
        )

    @cached_property
    def figures(self) -> pd.DataFrame:
        """The figures of every sentence, without their theme."""
        return extract_figures_from_sentences(self.sentences, units=self.resources.units)

    @cached_property
    def measures_and_candidates(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The measures (without their theme) and the measure candidates of every sentence."""
        return extract_measures_from_sentences(
            self.sentences, lexicon=self.resources.measures, groups=self.sentence_files
        )

    @cached_property
    def _sentence_themes(self) -> dict[tuple[str, int], str]:
        return sentence_themes(self.theme_hits, self.resources.codebook)

    def with_themes(self, rows: pd.DataFrame) -> pd.DataFrame:
        """``rows`` (figures or measures) with the theme of each row's sentence."""
        codebook = self.resources.codebook
        themes = theme_of_rows(rows, self.theme_hits, codebook, themes_of_sentences=self._sentence_themes)
        return rows.assign(theme=themes)

    def files_of_rows(self, table: pd.DataFrame) -> np.ndarray:
        """The batch position of the file of each row of a table keyed by ``article_id``."""
        return np.fromiter(
            (self.file_of_article[a] for a in table["article_id"].tolist()), dtype=np.int64, count=len(table)
        )


def make_articles(steps: BatchSteps) -> pd.DataFrame:
    """The ``articles`` rows of a batch."""
    return steps.articles


def make_sentences(steps: BatchSteps) -> pd.DataFrame:
    """The ``sentences`` rows of a batch."""
    return steps.sentences


def make_removed(steps: BatchSteps) -> FileRows:
    """The ``removed`` rows of a batch: lines the cleaner took out, with their reason."""
    steps.articles  # noqa: B018 (the articles step collects the removed lines)
    return FileRows(removed_table(steps.removed_rows), steps.removed_files)


def make_figures(steps: BatchSteps) -> pd.DataFrame:
    """The ``figures`` rows of a batch, each with its sentence's theme."""
    return steps.with_themes(steps.figures)


def make_figure_checks(steps: BatchSteps) -> pd.DataFrame:
    """The ``figure_checks`` rows of a batch: whether its figures add up."""
    return check_figures(steps.figures, steps.sentences)


def make_measures(steps: BatchSteps) -> pd.DataFrame:
    """The ``measures`` rows of a batch, each with its sentence's theme."""
    return steps.with_themes(steps.measures_and_candidates[0])


def make_measure_candidates(steps: BatchSteps) -> pd.DataFrame:
    """The ``measure_candidates`` rows of a batch."""
    return steps.measures_and_candidates[1]


def make_theme_hits(steps: BatchSteps) -> pd.DataFrame:
    """The ``theme_hits`` rows of a batch."""
    return steps.theme_hits


def make_token_counts(steps: BatchSteps) -> FileRows:
    """Token counts per office within each file of a batch: summed over the corpus, they make its counts."""
    offices = steps.sentences["office"].tolist()
    bounds = np.searchsorted(steps.sentence_files, np.arange(len(steps.raws) + 1)).tolist()
    rows: list[tuple[str, str, int]] = []
    files: list[int] = []
    for number, (first, stop) in enumerate(itertools.pairwise(bounds)):
        counted = token_count_rows(offices[first:stop], steps.tokens[first:stop], steps.resources.stopwords)
        rows += counted
        files += [number] * len(counted)
    return FileRows(schema.from_rows(rows, "token_counts"), files)
