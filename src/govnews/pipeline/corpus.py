"""The corpus-level tables: what compares offices across the whole corpus, made from per-file columns.

The per-file steps send back only the few columns these steps read (see the registry); here they are
summed in Arrow and counted per office: ``sources`` and ``rejected`` (the files), summed token
counts, per-office theme counts, codebook diagnostics and keyness. After a few files changed, the
summed token counts change by those files' rows (their old rows out, their new rows in), and only the
offices of their text have their themes counted again (:class:`PreviousCorpus`): an office's counts
depend on its own text alone, so the tables are the same as when every office is counted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from govnews import schema
from govnews.ingest.load import RawFile
from govnews.pipeline.tables import to_arrow
from govnews.resources import Resources
from govnews.text import keyness, themes

if TYPE_CHECKING:
    from govnews.pipeline.batches import FileResult
    from govnews.pipeline.cache import BuildCache


@dataclass(frozen=True)
class PreviousCorpus:
    """The last build's summed token counts and theme counts, and what changed since.

    Attributes:
        token_counts: the summed token counts of the last build.
        theme_counts: its theme counts.
        offices: the offices whose text changed (before or after the change).
        token_rows_out: the per-file token count rows of the changed and removed files, as last built
            (office, token, count: short strings, 64-bit counts).
        token_rows_in: the same rows of the files processed now.
    """

    token_counts: pa.Table
    theme_counts: pa.Table
    offices: frozenset[str]
    token_rows_out: pa.Table
    token_rows_in: pa.Table


def of_offices(table: pa.Table, offices: frozenset[str]) -> pa.Table:
    """The rows of ``table`` whose office ('' for district-level text) is in ``offices``."""
    office = pc.fill_null(table["office"], "")
    return table.filter(pc.is_in(office, value_set=pa.array(sorted(offices), type=office.type)))


def _with_short_strings(table: pa.Table) -> pa.Table:
    """``table`` with 32-bit string offsets: Arrow groups on large_string keys several times slower."""
    return table.cast(
        pa.schema(
            [
                field.with_type(pa.string()) if field.type == pa.large_string() else field
                for field in table.schema
            ]
        )
    )


_TOKEN_COUNT_COLUMNS = ["office", "token", "count"]


def _short(table: pa.Table) -> pa.Table:
    """The token count columns with 32-bit string offsets and 64-bit counts, so that tables concatenate."""
    table = _with_short_strings(table.select(_TOKEN_COUNT_COLUMNS))
    return table.set_column(2, "count", table["count"].cast(pa.int64()))


def _summed(table: pa.Table) -> pa.Table:
    """Token counts summed per office and token."""
    return (
        _short(table)
        .group_by(["office", "token"])
        .aggregate([("count", "sum")])
        .rename_columns(_TOKEN_COUNT_COLUMNS)
    )


class CorpusSteps:
    """The inputs of the corpus steps and what they made so far (each part made once, when first used).

    Args:
        columns: the corpus columns of every per-file table, every file's rows in source order.
        raw_files: the files read, in order.
        rejected: the ``rejected`` table of the files not read.
        resources: the data files.
        previous: what the last build counted, when only the offices of changed files are counted again.
    """

    def __init__(
        self,
        columns: Mapping[str, pa.Table],
        raw_files: Sequence[RawFile],
        rejected: pd.DataFrame,
        resources: Resources,
        previous: PreviousCorpus | None = None,
    ) -> None:
        self.columns, self.raw_files, self.rejected = columns, raw_files, rejected
        self.resources, self.previous = resources, previous

    @cached_property
    def counted(self) -> dict[str, pa.Table]:
        """The per-file columns of the offices whose themes to count: all, or those whose text changed."""
        per_file = {name: self.columns[name] for name in ("theme_hits", "sentences")}
        if self.previous is not None:
            per_file = {name: of_offices(table, self.previous.offices) for name, table in per_file.items()}
        return per_file

    @cached_property
    def token_counts(self) -> pa.Table:
        """Token counts summed per office over the corpus, sorted by office and token."""
        previous = self.previous
        if previous is None:
            counts = _summed(self.columns["token_counts"])
        else:
            # The last sums, less the changed files' old rows, plus their new rows: district-level text
            # is in every file, so recounting the changed offices would read a third of all rows.
            out = previous.token_rows_out
            out = out.set_column(2, "count", pc.negate(out["count"]))
            counts = _summed(pa.concat_tables([_short(previous.token_counts), out, previous.token_rows_in]))
            counts = counts.filter(pc.greater(counts["count"], 0))
        return counts.sort_by([("office", "ascending"), ("token", "ascending")])

    @cached_property
    def token_counts_frame(self) -> pd.DataFrame:
        return self.token_counts.to_pandas()

    @cached_property
    def hits(self) -> pd.DataFrame:
        """The theme hits of the offices to count, as pandas."""
        columns = ["article_id", "sentence_no", "office", "theme", "term"]
        return self.counted["theme_hits"].select(columns).to_pandas()


def make_sources(corpus: CorpusSteps) -> pa.Table:
    """The ``sources`` table: each file read, its encoding, size, checksum and number of articles."""
    per_source = corpus.columns["articles"].group_by("source").aggregate([([], "count_all")]).to_pydict()
    n_articles = dict(zip(per_source["source"], per_source["count_all"], strict=True))
    frame = pd.DataFrame(
        [
            {
                "source": raw.source,
                "encoding": raw.encoding,
                "n_bytes": raw.n_bytes,
                "n_chars": schema.count_chars(raw.text),
                "sha256": raw.sha256,
                "n_articles": n_articles.get(raw.source, 0),
            }
            for raw in corpus.raw_files
        ]
    )
    return to_arrow(frame, "sources")


def make_rejected(corpus: CorpusSteps) -> pa.Table:
    """The ``rejected`` table: every file not read, with the reason."""
    return to_arrow(corpus.rejected, "rejected")


def make_token_counts(corpus: CorpusSteps) -> pa.Table:
    """The ``token_counts`` table: each office's tokens and their counts over the corpus."""
    return to_arrow(corpus.token_counts_frame, "token_counts")


def make_theme_counts(corpus: CorpusSteps) -> pa.Table:
    """The ``theme_counts`` table: theme hits per office, rates and intervals."""
    sentences = corpus.counted["sentences"].select(["article_id", "sentence_no", "office", "n_chars"])
    sentences = sentences.to_pandas()
    codebook = corpus.resources.codebook
    if corpus.previous is None:
        counts = themes.count_themes(corpus.hits, sentences, codebook=codebook)
    else:
        previous = corpus.previous
        counts = themes.update_theme_counts(
            previous.theme_counts.to_pandas(), corpus.hits, sentences, previous.offices, codebook=codebook
        )
    return to_arrow(counts, "theme_counts")


def make_theme_diagnostics(corpus: CorpusSteps) -> pa.Table:
    """The ``theme_diagnostics`` table: which codebook terms fired anywhere, and which never did."""
    # The diagnostics ask only which terms fired anywhere: one row per theme and term is enough.
    fired = _with_short_strings(corpus.columns["theme_hits"].select(["theme", "term"])).group_by(
        ["theme", "term"]
    )
    fired = fired.aggregate([]).to_pandas()
    resources = corpus.resources
    return to_arrow(
        themes.diagnose_codebook(resources.codebook, None, resources.segmenter, hits=fired),
        "theme_diagnostics",
    )


def make_keyness(corpus: CorpusSteps) -> pa.Table:
    """The ``keyness`` table: the words each office uses more than the others."""
    return to_arrow(keyness.keyness_from_counts(corpus.token_counts.to_pandas()), "keyness")


def gather_columns(
    name: str, raw_files: Sequence[RawFile], results: Mapping[str, FileResult], cache: BuildCache | None
) -> tuple[pa.Table, dict[str, tuple[int, int]]]:
    """The corpus columns of table ``name`` for every file in order, and each file's row range in them.

    Files processed now come from ``results``, the others from the cache, where the rows of files that
    follow each other usually do too: such a run is taken as one slice instead of a slice per file.
    """
    chunks: list[pa.Table] = []
    spans: dict[str, tuple[int, int]] = {}
    run: list | None = None  # [part, start, stop] of consecutive cached rows
    position = 0
    for raw in raw_files:
        if raw.source in results:
            if run:
                chunks.append(cache.rows(name, *run))
                run = None
            chunk = results[raw.source].tables[name]
            chunks.append(chunk)
            n_rows = chunk.num_rows
        else:
            part, start, stop = cache.manifest["rows"][name][raw.source]
            if run and run[0] == part and run[2] == start:
                run[2] = stop
            else:
                if run:
                    chunks.append(cache.rows(name, *run))
                run = [part, start, stop]
            n_rows = stop - start
        spans[raw.source] = (position, position + n_rows)
        position += n_rows
    if run:
        chunks.append(cache.rows(name, *run))
    return pa.concat_tables(chunks), spans


def previous_corpus(
    cache: BuildCache, unchanged: set[str], fresh: Sequence[FileResult], resources: Resources
) -> PreviousCorpus | None:
    """What the corpus steps can reuse from the last build, or None when everything must be counted."""
    stored = cache.corpus_tables()
    if stored is None or not unchanged:
        return None
    themes = list(dict.fromkeys(stored["theme_counts"].column("theme").to_pylist()))
    if stored["theme_counts"].num_rows and themes != resources.codebook.theme_names:
        return None
    # The rows of the changed (or removed) files as last built, and of the files processed now.
    changed = [source for source in cache.manifest["files"] if source not in unchanged]
    before = {
        name: [cache.rows_of(name, source) for source in changed] for name in ("sentences", "token_counts")
    }
    after = {name: [result.tables[name] for result in fresh] for name in ("sentences", "token_counts")}
    offices = {
        office or ""
        for tables in (*before.values(), *after.values())
        for table in tables
        for office in pc.unique(table["office"]).to_pylist()
    }
    empty = _short(stored["token_counts"].schema.empty_table())
    return PreviousCorpus(
        stored["token_counts"],
        stored["theme_counts"],
        frozenset(offices),
        pa.concat_tables([empty, *map(_short, before["token_counts"])]),
        pa.concat_tables([empty, *map(_short, after["token_counts"])]),
    )
