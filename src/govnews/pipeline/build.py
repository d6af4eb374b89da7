"""The pipeline: raw page dumps → every processed table.

Per file (a pure function of the raw file and the data files, so it runs in a
process pool or on a Dask cluster and is cached by content hash): load → clean →
split → offices, years → sentences → tokens → theme hits, figures, figure
checks, measures, the theme of each figure and measure, token counts. Files are
processed in batches of a few consecutive files (pandas and file writing cost
per call, not per row), which give each file exactly the rows it gets alone. A
batch's rows of these tables are written where they are made, as one Parquet and
one CSV piece per table, and the written tables are those pieces (a Parquet
dataset partitioned by source, a part per batch, and one CSV). Only a few
columns of each file come back to the main process, which runs the corpus steps:
per-office theme counts, codebook diagnostics, summed token counts and keyness.
After a few files changed, only their batches are processed again, and theme and
token counts are updated for the offices of those files only.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from govnews import __version__, schema
from govnews.config import ProjectPaths, project_paths
from govnews.errors import GovnewsError
from govnews.ingest.articles import article_rows, article_stem
from govnews.ingest.clean import removed_table
from govnews.ingest.load import RawFile, load_raw_files
from govnews.ingest.sentences import split_article_sentences
from govnews.pipeline.tables import (
    PartitionedTable,
    TableWriter,
    read_parts,
    read_table,
    to_arrow,
    write_csv_piece,
)
from govnews.resources import load_resources, resource_files

PER_FILE_TABLES = (
    "articles",
    "sentences",
    "removed",
    "figures",
    "figure_checks",
    "measures",
    "measure_candidates",
    "theme_hits",
    "token_counts",
)
CORPUS_TABLES = ("token_counts", "theme_counts", "theme_diagnostics", "keyness")
# Below this many characters of changed text, starting worker processes costs more than it saves.
_PARALLEL_MIN_CHARS = 400_000
# Parts of the build cache before they are folded into one.
_MAX_CACHE_PARTS = 8


@dataclass
class FileResult:
    """Every per-file table of one raw file (DataFrames, or Arrow tables inside the build), plus notes."""

    source: str
    tables: dict[str, pd.DataFrame | pa.Table]
    applied_overrides: list[str] = field(default_factory=list)


@dataclass
class BuildResult:
    """All tables of a build and the notes for its summary.

    ``tables`` maps each table name to its DataFrame; a table is converted from the build's Arrow
    tables (or read from the written Parquet after a build that had nothing to do) when first used.
    """

    tables: Mapping[str, pd.DataFrame]
    applied_overrides: list[str]
    unmatched_overrides: list[str]
    counts: list[str]

    def summary(self) -> str:
        """A short plain-text summary: files, articles per office, removed lines by reason, warnings."""
        lines = list(self.counts)
        lines += [f"override applied: {o}" for o in self.applied_overrides]
        lines += [f"warning: override matched nothing: {o}" for o in self.unmatched_overrides]
        return "\n".join(lines)


class _LazyTables(Mapping):
    """Tables converted to conformed DataFrames on first use, from Arrow tables or Parquet files."""

    def __init__(self, load: Callable[[str], pd.DataFrame], names: list[str]) -> None:
        self._load, self._names, self._frames = load, names, {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._frames:
            self._frames[name] = self._load(name)
        return self._frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def _count_lines(tables: Mapping[str, pa.Table]) -> list[str]:
    """The counting part of the build summary, from the Arrow tables (no conversion to pandas)."""

    def tally(table: pa.Table, column: str, rename: dict[str, str] | None = None) -> str:
        counts = table.group_by(column).aggregate([([], "count_all")]).to_pylist()
        ordered = sorted(counts, key=lambda row: (-row["count_all"], row[column]))
        return ", ".join(f"{(rename or {}).get(r[column], r[column])} {r['count_all']}" for r in ordered)

    lines = [
        f"files read: {tables['sources'].num_rows}, articles: {tables['articles'].num_rows}, "
        f"sentences: {tables['sentences'].num_rows}, figures: {tables['figures'].num_rows}, "
        f"measures: {tables['measures'].num_rows}",
        "articles per office: " + tally(tables["articles"], "office", {"": "(district-level)"}),
    ]
    if tables["removed"].num_rows:
        lines.append("removed lines: " + tally(tables["removed"], "reason"))
    lines += [f"rejected: {r['source']}: {r['reason']}" for r in tables["rejected"].to_pylist()]
    return lines


def process_file(raw: RawFile, paths: ProjectPaths | None = None) -> FileResult:
    """Every per-file table of one decoded raw file (a pure function of the file and the data files)."""
    return process_files([raw], paths)[0]


def process_files(raws: Sequence[RawFile], paths: ProjectPaths | None = None) -> list[FileResult]:
    """Every per-file table of each decoded raw file, as :func:`process_file` of each file alone gives.

    The files are processed in batches (pandas pays its per-table overhead once per batch, which
    for page dumps of a few thousand characters costs more than the rules themselves), and each
    file's rows are then cut out of the batch's tables.
    """
    paths = paths or project_paths()
    results: list[FileResult] = []
    for batch in _batches(raws):
        tables, bounds, applied = _process_batch(batch, paths)
        for number, raw in enumerate(batch):
            own = {
                name: table.iloc[bounds[name][number] : bounds[name][number + 1]].reset_index(drop=True)
                for name, table in tables.items()
            }
            results.append(FileResult(raw.source, own, applied[number]))
    return results


# Files between batch boundaries on average (see _batches). A batch holds at most _BATCH_MAX_FILES files
# (what one changed file costs to reprocess), and no more characters than the cap unless one file alone
# is larger.
_BATCH_FILES = 32
_BATCH_MAX_FILES = 40
_BATCH_MAX_CHARS = 800_000


def _ends_batch(source: str) -> bool:
    # Decided by the file's name alone, so editing or adding a file changes only its own batch.
    return int(hashlib.sha256(source.encode()).hexdigest()[:8], 16) % _BATCH_FILES == 0


def _batches(raws: Sequence[RawFile]) -> list[list[RawFile]]:
    """``raws`` in order, cut into batches of at most :data:`_BATCH_MAX_FILES` files.

    A batch ends after a file whose name says so (:func:`_ends_batch`), so batches stay the same from
    one build to the next except where files were added, removed or grew past the cap; a batch also
    ends when it is full, before it would exceed :data:`_BATCH_MAX_CHARS`, and before a file whose
    article ids would share a prefix with a file in it (``a/b.txt`` and ``a_b.txt``), so that an
    article id names one article within a batch.
    """
    batches: list[list[RawFile]] = []
    batch: list[RawFile] = []
    stems: set[str] = set()
    n_chars = 0
    for raw in raws:
        stem = article_stem(raw.source)
        full = len(batch) == _BATCH_MAX_FILES or n_chars + len(raw.text) > _BATCH_MAX_CHARS
        if batch and (full or stem in stems):
            batches.append(batch)
            batch, stems, n_chars = [], set(), 0
        batch.append(raw)
        stems.add(stem)
        n_chars += len(raw.text)
        if _ends_batch(raw.source):
            batches.append(batch)
            batch, stems, n_chars = [], set(), 0
    if batch:
        batches.append(batch)
    return batches


def _batch_key(batch: Sequence[RawFile], keys: Mapping[str, str]) -> str:
    """Names a batch's pieces: changes when any of its files or their order does."""
    return hashlib.sha256("\0".join(keys[raw.source] for raw in batch).encode()).hexdigest()


def _process_batch(
    raws: Sequence[RawFile], paths: ProjectPaths
) -> tuple[dict[str, pd.DataFrame], dict[str, list[int]], list[list[str]]]:
    """Every per-file table of a batch of files, each file's rows together and in file order.

    Returns:
        The tables; per table, the row where each file's rows start (and, last, the row count), so
        file ``i`` owns rows ``bounds[i]:bounds[i + 1]``; each file's applied overrides.
    """
    from govnews.extract.checks import check_figures
    from govnews.extract.figures import extract_figures_from_sentences
    from govnews.extract.measures import extract_measures_from_sentences
    from govnews.text.keyness import office_token_counts
    from govnews.text.themes import find_theme_hits, sentence_themes, theme_of_rows

    resources = load_resources(paths)
    batch_article_rows: list[dict] = []
    removed_rows: list[dict] = []
    removed_files: list[int] = []
    applied: list[list[str]] = []
    file_of_article: dict[str, int] = {}
    for number, raw in enumerate(raws):
        rows, removed_lines, applied_overrides = article_rows(raw, resources)
        file_of_article.update((row["article_id"], number) for row in rows)
        batch_article_rows += rows
        removed_rows += removed_lines
        removed_files += [number] * len(removed_lines)
        applied.append(applied_overrides)
    articles = schema.from_rows(batch_article_rows, "articles")
    sentences = split_article_sentences(articles, resources)
    sentence_files = [file_of_article[article_id] for article_id in sentences["article_id"].tolist()]
    tokens = [resources.segmenter.cut_content(text) for text in sentences["text"].tolist()]
    hits = find_theme_hits(sentences, tokens, resources.codebook, names=resources.gazetteer.names)
    figures = extract_figures_from_sentences(sentences, units=resources.units)
    measures, candidates = extract_measures_from_sentences(
        sentences, lexicon=resources.measures, groups=sentence_files
    )
    # Token counts are per office within each file: summed over the corpus, they make its counts.
    offices = sentences["office"].tolist()
    sentence_bounds = np.searchsorted(sentence_files, np.arange(len(raws) + 1)).tolist()
    token_rows: list[tuple[str, str, int]] = []
    token_files: list[int] = []
    for number, (first, stop) in enumerate(itertools.pairwise(sentence_bounds)):
        counted = office_token_counts(offices[first:stop], tokens[first:stop], resources.stopwords)
        token_rows += counted
        token_files += [number] * len(counted)
    token_counts = schema.from_rows(token_rows, "token_counts")
    themes = sentence_themes(hits, resources.codebook)

    def with_themes(rows: pd.DataFrame) -> pd.DataFrame:
        return rows.assign(theme=theme_of_rows(rows, hits, resources.codebook, themes_of_sentences=themes))

    tables = {
        "articles": articles,
        "sentences": sentences,
        "removed": removed_table(removed_rows),
        "figures": with_themes(figures),
        "figure_checks": check_figures(figures, sentences),
        "measures": with_themes(measures),
        "measure_candidates": candidates,
        "theme_hits": hits,
        "token_counts": token_counts,
    }
    files_of_rows = {"removed": removed_files, "token_counts": token_files}
    bounds: dict[str, list[int]] = {}
    for name, table in tables.items():
        if name in files_of_rows:
            files = np.asarray(files_of_rows[name], dtype=np.int64)
        else:
            files = np.fromiter(
                (file_of_article[a] for a in table["article_id"].tolist()), dtype=np.int64, count=len(table)
            )
        if len(files) and (np.diff(files) < 0).any():
            order = np.argsort(files, kind="stable")
            tables[name], files = table.iloc[order].reset_index(drop=True), files[order]
        bounds[name] = np.searchsorted(files, np.arange(len(raws) + 1)).tolist()
    return tables, bounds, applied


@dataclass(frozen=True)
class _PreviousCorpus:
    """The last build's summed token counts and theme counts, and the offices whose text changed since."""

    token_counts: pa.Table
    theme_counts: pa.Table
    offices: frozenset[str]


def _of_offices(table: pa.Table, offices: frozenset[str], keep: bool = True) -> pa.Table:
    """The rows of ``table`` whose office ('' for district-level text) is in ``offices`` (or is not)."""
    office = pc.fill_null(table["office"], "")
    inside = pc.is_in(office, value_set=pa.array(sorted(offices), type=office.type))
    return table.filter(inside if keep else pc.invert(inside))


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


def _corpus_tables(
    tables: Mapping[str, pa.Table], paths: ProjectPaths, previous: _PreviousCorpus | None = None
) -> dict[str, pa.Table]:
    """The tables that compare offices across the whole corpus, from the per-file tables.

    Only the columns these steps need are converted to pandas, and counts are summed in Arrow. With
    ``previous``, only the offices whose text changed are counted again (an office's counts depend on
    its own text alone); the tables are the same as when every office is counted.
    """
    from govnews.text.keyness import keyness_from_counts
    from govnews.text.themes import count_themes, diagnose_codebook, update_theme_counts

    resources = load_resources(paths)
    per_file = {name: tables[name] for name in ("token_counts", "theme_hits", "sentences")}
    if previous is not None:
        per_file = {name: _of_offices(table, previous.offices) for name, table in per_file.items()}
    token_counts = (
        _with_short_strings(per_file["token_counts"].select(["office", "token", "count"]))
        .group_by(["office", "token"])
        .aggregate([("count", "sum")])
        .rename_columns(["office", "token", "count"])
    )
    if previous is not None:
        kept = _of_offices(previous.token_counts, previous.offices, keep=False)
        token_counts = pa.concat_tables(
            [kept.select(token_counts.column_names).cast(token_counts.schema), token_counts]
        )
    token_counts = token_counts.sort_by([("office", "ascending"), ("token", "ascending")])
    hits = per_file["theme_hits"].select(["article_id", "sentence_no", "office", "theme", "term"]).to_pandas()
    sentences = per_file["sentences"].select(["article_id", "sentence_no", "office", "n_chars"]).to_pandas()
    if previous is None:
        theme_counts = count_themes(hits, sentences, codebook=resources.codebook)
    else:
        theme_counts = update_theme_counts(
            previous.theme_counts.to_pandas(), hits, sentences, previous.offices, codebook=resources.codebook
        )
    # The diagnostics ask only which terms fired anywhere: one row per theme and term is enough.
    fired = _with_short_strings(tables["theme_hits"].select(["theme", "term"])).group_by(["theme", "term"])
    fired = fired.aggregate([]).to_pandas()
    corpus = {
        "token_counts": token_counts.to_pandas(),
        "theme_counts": theme_counts,
        "theme_diagnostics": diagnose_codebook(resources.codebook, None, resources.segmenter, hits=fired),
        "keyness": keyness_from_counts(token_counts.to_pandas()),
    }
    return {name: to_arrow(frame, name) for name, frame in corpus.items()}


def _previous_corpus(
    cache: _BuildCache, unchanged: set[str], fresh: list[FileResult], paths: ProjectPaths
) -> _PreviousCorpus | None:
    """What the corpus steps can reuse from the last build, or None when everything must be counted."""
    stored = cache.corpus_tables()
    if stored is None or not unchanged:
        return None
    themes = list(dict.fromkeys(stored["theme_counts"].column("theme").to_pylist()))
    if stored["theme_counts"].num_rows and themes != load_resources(paths).codebook.theme_names:
        return None
    # The offices of the changed (or removed) files' text, before and after the change.
    before = [
        cache.rows(name, *cache.manifest["rows"][name][source])
        for source in cache.manifest["files"]
        if source not in unchanged
        for name in ("sentences", "token_counts")
    ]
    after = [result.tables[name] for result in fresh for name in ("sentences", "token_counts")]
    offices = {office or "" for table in before + after for office in pc.unique(table["office"]).to_pylist()}
    return _PreviousCorpus(stored["token_counts"], stored["theme_counts"], frozenset(offices))


def data_fingerprint(paths: ProjectPaths) -> str:
    """Hash of everything besides a raw file that shapes its tables: code, lexicons, gazetteer, overrides.

    Editing a lexicon or upgrading govnews or a segmenter invalidates the per-file cache; editing a
    notebook does not.
    """
    from importlib import metadata

    digest = hashlib.sha256(__version__.encode())
    for library in ("jieba", "rjieba", "pyarrow"):  # tokens and written bytes depend on their versions
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=-".encode())
    package = Path(__file__).parents[1]
    inputs = sorted(package.rglob("*.py")) + list(resource_files(paths).values())
    for path in inputs:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


def _file_key(raw: RawFile, fingerprint: str) -> str:
    return hashlib.sha256(f"{raw.source}\0{raw.sha256}\0{fingerprint}".encode()).hexdigest()


class _BuildCache:
    """The previous builds' corpus columns of every file, reused for files whose key has not changed.

    (The full rows of each file are its pieces, see :func:`_store_batch_pieces`; these are the few
    columns the corpus steps read, kept together so that a rebuild does not open thousands of pieces.)

    Rows live in Parquet parts, one file per table and part, each holding the rows of several raw files
    in source order; the manifest records each file's key and, per table, the part and row range of its
    rows, so a warm build of thousands of files reads a few files and slices them without copying. A
    build that processed a few files writes only their rows, as a new part; when parts pile up they
    are folded into one. The manifest also records the tables that build wrote (size and modification
    time), so a build with nothing to do can stop early.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        manifest = folder / "manifest.json"
        try:
            self.manifest = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else {}
        except (OSError, ValueError):
            self.manifest = {}  # a damaged manifest only costs a cold build
        self._parts: dict[tuple[str, int], pa.Table] = {}

    def key_of(self, source: str) -> str | None:
        return self.manifest.get("files", {}).get(source)

    def _part(self, name: str, part: int) -> Path:
        return self.folder / f"{name}-{part}.parquet"

    def rows(self, name: str, part: int, start: int, stop: int) -> pa.Table:
        """Rows ``start:stop`` of cached part ``part`` of table ``name``."""
        if (name, part) not in self._parts:
            self._parts[name, part] = pq.read_table(self._part(name, part))
        return self._parts[name, part].slice(start, stop - start)

    def preload(self) -> None:
        """Read every part the manifest names (in a thread, while files are processed).

        A rebuild after a few files changed needs the rows of nearly all the others; reading them
        while the changed files are processed takes the reading off the critical path (Parquet
        decoding releases the GIL).
        """
        for name, spans in self.manifest.get("rows", {}).items():
            for part in sorted({span[0] for span in spans.values()}):
                self.rows(name, part, 0, 0)

    def corpus_tables(self) -> dict[str, pa.Table] | None:
        """The summed token counts and the theme counts the last build stored, if any."""
        try:
            return {
                name: pq.read_table(self._part(f"corpus_{name}", part))
                for name, part in self.manifest["corpus"].items()
            }
        except (KeyError, OSError, pa.ArrowException):
            return None

    def outputs_intact(self, keys: dict[str, str], rejected: list[str], out_dir: Path) -> bool:
        """True when the last build read exactly these files and its tables in ``out_dir`` are untouched."""
        outputs = self.manifest.get("outputs", {})
        return (
            self.manifest.get("files") == keys
            and self.manifest.get("rejected") == rejected
            and outputs.get("folder") == str(out_dir.resolve())
            and bool(outputs.get("stamps"))
            and all(_stamp(Path(path)) == stamp for path, stamp in outputs["stamps"].items())
        )

    def save(
        self,
        tables: Mapping[str, pa.Table],
        rows: dict[str, dict[str, tuple[int, int]]],
        fresh: set[str],
        keys: dict[str, str],
        notes: dict[str, object],
        corpus: Mapping[str, pa.Table],
    ) -> None:
        """Store the rows of the ``fresh`` sources (or fold everything into one part) and the manifest.

        Args:
            tables: every per-file table of this build, rows in source order.
            rows: per table, each source's row range in ``tables``.
            fresh: sources processed by this build; the others' rows are already stored.
            keys: each source's cache key.
            notes: more manifest entries (applied overrides).
            corpus: corpus tables the next build can update instead of computing (token and theme counts).

        The manifest is written after the rows and before old parts are removed, so an interrupted
        save never leaves a manifest pointing at missing rows.

        Raises:
            GovnewsError: the cache folder cannot be written (named in the message).
        """
        stored = self.manifest.get("rows", {})
        kept = {source for source in keys if source not in fresh}
        live_parts = {stored[name][source][0] for name in stored for source in kept if source in stored[name]}
        fold = not live_parts or len(live_parts) >= _MAX_CACHE_PARTS
        part = self.manifest.get("next_part", 0)
        new_rows: dict[str, dict[str, list[int]]] = {}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, table in tables.items():
                if fold:
                    new_rows[name] = {source: [part, *span] for source, span in rows[name].items()}
                    _write_atomically(self._part(name, part), lambda p, t=table: pq.write_table(t, p))
                    continue
                new_rows[name] = {source: stored[name][source] for source in kept}
                pieces, position = [], 0
                for source in (s for s in rows[name] if s in fresh):
                    start, stop = rows[name][source]
                    pieces.append(table.slice(start, stop - start))
                    new_rows[name][source] = [part, position, position + stop - start]
                    position += stop - start
                if pieces:
                    delta = pa.concat_tables(pieces)
                    _write_atomically(self._part(name, part), lambda p, t=delta: pq.write_table(t, p))
            for name, table in corpus.items():
                _write_atomically(self._part(f"corpus_{name}", part), lambda p, t=table: pq.write_table(t, p))
            corpus_parts = dict.fromkeys(corpus, part)
            self.manifest = {
                "files": keys,
                "rows": new_rows,
                "corpus": corpus_parts,
                "next_part": part + 1,
                **notes,
            }
            self.save_manifest()
            referenced = {
                f"{name}-{entry[0]}.parquet" for name in new_rows for entry in new_rows[name].values()
            } | {f"corpus_{name}-{part}.parquet" for name in corpus}
            for path in self.folder.glob("*-*.parquet"):
                if path.name not in referenced:
                    path.unlink(missing_ok=True)
        except OSError as exc:
            raise GovnewsError(self.folder, f"cannot write the build cache: {exc.strerror or exc}") from None

    def save_manifest(self) -> None:
        text = json.dumps(self.manifest, ensure_ascii=False)
        _write_atomically(self.folder / "manifest.json", lambda p: Path(p).write_text(text, encoding="utf-8"))


def _stamp(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def _write_atomically(target: Path, write: Callable[[str], object]) -> None:
    # A name no other process or thread writes: cheaper than mkstemp, and pieces are written often.
    temporary = f"{target.parent}/.{target.name}.{os.getpid()}-{threading.get_ident()}.tmp"
    try:
        write(temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@lru_cache(maxsize=32)
def _arrow_schema(name: str) -> pa.Schema:
    return to_arrow(schema.empty_table(name), name).schema


# The columns of the per-file tables that the corpus steps and the summary read. Only these travel
# back from the workers and live in the build cache, so the main process never holds the text of
# the corpus: the full rows stay on disk as one piece per batch of raw files.
_CORPUS_COLUMNS = {
    "articles": ["source", "office"],
    "sentences": ["article_id", "sentence_no", "office", "n_chars"],
    "removed": ["reason"],
    "figures": ["article_id"],
    "measures": ["article_id"],
    "theme_hits": ["article_id", "sentence_no", "office", "theme", "term"],
    "token_counts": ["office", "token", "count"],
}


# Beside a file's table pieces: the tokens of its sentences that jieba (not rjieba) cut.
_REFERENCE_CUTS = "reference_cuts"


def _pieces_dir(paths: ProjectPaths, name: str) -> Path:
    """Where the build keeps every raw file's rows of table ``name``: a Parquet and a CSV piece each."""
    return paths.cache_dir / "build" / "pieces" / name


def _piece(paths: ProjectPaths, name: str, key: str, suffix: str) -> Path:
    return _pieces_dir(paths, name) / f"{key}{suffix}"


@dataclass
class _BatchResult:
    """What processing a batch returns: its corpus columns and where each file's rows are in them.

    One table per batch, not a slice per file: a pickled slice carries its whole table's buffers.
    """

    sources: list[str]
    applied_overrides: list[list[str]]
    tables: dict[str, pa.Table]
    bounds: dict[str, list[int]]

    def file_results(self) -> list[FileResult]:
        """Each file's corpus columns (slices of the batch's tables) and applied overrides."""
        return [
            FileResult(
                source,
                {
                    name: table.slice(
                        self.bounds[name][number], self.bounds[name][number + 1] - self.bounds[name][number]
                    )
                    for name, table in self.tables.items()
                },
                applied,
            )
            for number, (source, applied) in enumerate(zip(self.sources, self.applied_overrides, strict=True))
        ]


def _store_batch_pieces(
    raws: Sequence[RawFile], key: str, paths: ProjectPaths, previous_keys: Sequence[str]
) -> _BatchResult:
    """Process a batch of raw files and write the batch's rows of every per-file table as pieces.

    Runs in a worker process or on a Dask worker (which must share the cache folder with the client).
    Each per-file table gets a Parquet file and a header-less CSV piece per batch, named by the batch's
    ``key``; the written tables are these pieces, linked or concatenated, so no process holds every
    row. ``previous_keys`` name the pieces that held these files' last versions (same data files): the
    sentences jieba cut then are not cut again.

    Returns:
        The batch's corpus columns, each file's rows in them and each file's applied overrides.
    """
    segmenter = load_resources(paths).segmenter
    segmenter.reference_cuts = {}
    for previous_key in previous_keys:
        segmenter.reference_cuts.update(_read_reference_cuts(paths, previous_key))
    try:
        frames, bounds, applied = _process_batch(raws, paths)
        texts = set(frames["sentences"]["text"].tolist())
        cuts = {text: tokens for text, tokens in segmenter.reference_cuts.items() if text in texts}
    finally:
        segmenter.reference_cuts = None
    tables = {name: to_arrow(frames[name], name).cast(_arrow_schema(name)) for name in PER_FILE_TABLES}
    try:
        for name, table in tables.items():
            _pieces_dir(paths, name).mkdir(parents=True, exist_ok=True)
            _write_atomically(_piece(paths, name, key, ".parquet"), lambda p, t=table: pq.write_table(t, p))
            _write_atomically(_piece(paths, name, key, ".csv"), lambda p, t=table: write_csv_piece(t, p))
        if cuts:
            _pieces_dir(paths, _REFERENCE_CUTS).mkdir(parents=True, exist_ok=True)
            cut_table = pa.table({"text": list(cuts), "tokens": list(cuts.values())})
            target = _piece(paths, _REFERENCE_CUTS, key, ".parquet")
            _write_atomically(target, lambda p: pq.write_table(cut_table, p))
    except OSError as exc:
        folder = paths.cache_dir / "build"
        raise GovnewsError(folder, f"cannot write the build cache: {exc.strerror or exc}") from None
    return _BatchResult(
        [raw.source for raw in raws],
        applied,
        {name: tables[name].select(columns) for name, columns in _CORPUS_COLUMNS.items()},
        {name: bounds[name] for name in _CORPUS_COLUMNS},
    )


def _read_reference_cuts(paths: ProjectPaths, key: str) -> dict[str, list[str]]:
    """The jieba cuts stored with the pieces of ``key`` (none when that file needed none)."""
    try:
        stored = pq.read_table(_piece(paths, _REFERENCE_CUTS, key, ".parquet")).to_pydict()
    except (OSError, pa.ArrowException):
        return {}  # absent or damaged: the sentences are cut again
    return dict(zip(stored["text"], stored["tokens"], strict=True))


def _stored_keys(paths: ProjectPaths) -> set[str]:
    """The keys of the batches whose every piece is on disk (one listing per folder, not a stat each)."""
    complete: set[str] | None = None
    for name in PER_FILE_TABLES:
        folder = _pieces_dir(paths, name)
        names = os.listdir(folder) if folder.is_dir() else []
        for suffix in (".parquet", ".csv"):
            keys = {entry.removesuffix(suffix) for entry in names if entry.endswith(suffix)}
            complete = keys if complete is None else complete & keys
    return complete or set()


def _pieces(paths: ProjectPaths, name: str, keys: list[str], suffix: str) -> list[str]:
    # Plain strings: thousands of pathlib joins cost a second on a rebuild.
    folder = str(_pieces_dir(paths, name))
    return [f"{folder}/{key}{suffix}" for key in keys]


def _remove_stale_pieces(paths: ProjectPaths, keys: set[str]) -> None:
    """Drop the pieces of batches that are gone or changed (written tables keep their own links)."""
    for name in (*PER_FILE_TABLES, _REFERENCE_CUTS):
        folder = _pieces_dir(paths, name)
        for entry in os.listdir(folder) if folder.is_dir() else []:
            if entry.split(".")[0] not in keys:
                Path(folder, entry).unlink(missing_ok=True)


@dataclass(frozen=True)
class _BatchJob:
    """A batch of files to process, the key its pieces get and the keys of its files' last pieces."""

    raws: list[RawFile]
    key: str
    previous_keys: list[str]


def _process_on_dask(
    jobs: list[_BatchJob], paths: ProjectPaths, address: str, meanwhile: Callable[[bool], None]
) -> list[FileResult]:
    """Map :func:`_store_batch_pieces` over a Dask cluster (``local``: a two-worker LocalCluster).

    ``meanwhile(True)`` starts what this process does while the cluster works.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise GovnewsError(None, "--dask needs the optional extra: pip install 'govnews[dask]'") from None
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True) if address == "local" else None
    try:
        with Client(cluster or address) as client:
            futures = client.map(_store_batch_pieces, *_job_columns(jobs, paths), pure=False)
            meanwhile(True)
            done = client.gather(futures)
            return [result for batch in done for result in batch.file_results()]
    finally:
        if cluster is not None:
            cluster.close()


def _job_columns(jobs: Sequence[_BatchJob], paths: ProjectPaths) -> tuple[list, ...]:
    """The arguments of :func:`_store_batch_pieces` for each job, as columns for ``map``."""
    return (
        [job.raws for job in jobs],
        [job.key for job in jobs],
        [paths] * len(jobs),
        [job.previous_keys for job in jobs],
    )


def _worth_workers(jobs: Sequence[_BatchJob]) -> bool:
    """Whether ``jobs`` are enough work for worker processes (a process pool or a local cluster)."""
    # A worker process pays about a second to load its dictionaries: worth it only for real work.
    return len(jobs) >= 2 and sum(len(raw.text) for job in jobs for raw in job.raws) >= _PARALLEL_MIN_CHARS


def _process_files(
    jobs: list[_BatchJob],
    paths: ProjectPaths,
    workers: int,
    progress: Callable | None,
    meanwhile: Callable[[bool], None],
) -> list[FileResult]:
    """Run :func:`_store_batch_pieces` on each job, in worker processes when that pays.

    ``meanwhile`` starts what this process does while the jobs run; its argument says whether they
    run in other processes. It is called once the workers exist: a thread running while a worker is
    forked can leave the worker deadlocked on a lock the thread held.
    """
    raws, *rest = _job_columns(jobs, paths)
    columns = [progress(raws) if progress else raws, *rest]
    if workers <= 1 or not _worth_workers(jobs):
        meanwhile(False)
        done = map(_store_batch_pieces, *columns)
        return [result for batch in done for result in batch.file_results()]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        done = pool.map(_store_batch_pieces, *columns)  # forks every worker (map submits every job)
        meanwhile(True)
        return [result for batch in done for result in batch.file_results()]


def _gather_columns(
    name: str, raw_files: list[RawFile], results: Mapping[str, FileResult], cache: _BuildCache | None
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


def _sources_table(raw_files: list[RawFile], articles: pa.Table) -> pa.Table:
    per_source = articles.group_by("source").aggregate([([], "count_all")]).to_pydict()
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
            for raw in raw_files
        ]
    )
    return to_arrow(frame, "sources")


def _unmatched_overrides(paths: ProjectPaths, applied: list[str]) -> list[str]:
    return [o.describe() for o in load_resources(paths).overrides if o.describe() not in applied]


def build(
    paths: ProjectPaths | None = None,
    *,
    skip_bad: bool = False,
    write: bool = True,
    progress: Callable | None = None,
    workers: int | None = None,
    use_cache: bool = True,
    dask: str | None = None,
) -> BuildResult:
    """Run the whole pipeline and (by default) write every table to ``paths.processed_dir``.

    Files whose content, name and data files (lexicons, gazetteer, overrides, code) are unchanged since the
    last build are not processed again: their rows come from the cache in ``paths.cache_dir``. When nothing
    changed and the tables the last build wrote are untouched, nothing is written either.

    Args:
        paths: where to read and write; defaults to :func:`govnews.config.project_paths`.
        skip_bad: list unreadable raw files in the ``rejected`` table instead of stopping.
        write: write the tables (Parquet and CSV with BOM).
        progress: wraps the list of file batches (e.g. ``tqdm``); ``None`` for no progress display.
        workers: processes for the per-file steps (default: all cores).
        use_cache: reuse the rows of unchanged files from the previous build.
        dask: scheduler address (``tcp://host:8786``) or ``local`` to process the files on a Dask cluster.

    Raises:
        GovnewsError: bad input or data files, naming the file and the problem.
    """
    paths = paths or project_paths()
    raw_files, rejected = load_raw_files(paths.raw_dir, skip_bad=skip_bad)
    if not raw_files:
        reasons = "; ".join(f"{r.source}: {r.reason}" for r in rejected.itertuples())
        raise GovnewsError(paths.raw_dir, f"no readable page dump ({reasons})")
    fingerprint = data_fingerprint(paths)
    keys = {raw.source: _file_key(raw, fingerprint) for raw in raw_files}
    rejected_notes = [f"{r.source}: {r.reason}" for r in rejected.itertuples()]
    cache = _BuildCache(paths.cache_dir / "build") if use_cache else None
    if cache is not None and write and cache.outputs_intact(keys, rejected_notes, paths.processed_dir):
        applied = [o for source in keys for o in cache.manifest["applied_overrides"].get(source, [])]
        stored = _LazyTables(
            lambda name: read_table(name, paths.processed_dir), cache.manifest["outputs"]["tables"]
        )
        return BuildResult(stored, applied, _unmatched_overrides(paths, applied), cache.manifest["counts"])

    batches = _batches(raw_files)
    batch_keys = [_batch_key(batch, keys) for batch in batches]
    stored = _stored_keys(paths) if cache is not None else set()
    # The last versions of changed files were processed with the same data files: their jieba cuts hold.
    same_data = cache is not None and cache.manifest.get("fingerprint") == fingerprint
    last_batch_keys = cache.manifest.get("batches", {}) if same_data else {}
    unchanged: set[str] = set()
    jobs: list[_BatchJob] = []
    for batch, batch_key in zip(batches, batch_keys, strict=True):
        if batch_key in stored and all(cache.key_of(raw.source) == keys[raw.source] for raw in batch):
            unchanged.update(raw.source for raw in batch)
        else:
            previous = {last_batch_keys[raw.source] for raw in batch if raw.source in last_batch_keys}
            jobs.append(_BatchJob(batch, batch_key, sorted(previous)))
    changed = [raw for job in jobs for raw in job.raws]
    with ThreadPoolExecutor(max_workers=1) as background:
        started: list[Future] = []

        def meanwhile(elsewhere: bool) -> None:
            # The cached rows of unchanged files are read while the changed ones are processed; when
            # that happens in other processes, this one loads what the corpus steps need, too.
            if cache is not None and jobs:
                started.append(background.submit(cache.preload))
            if elsewhere:
                started.append(background.submit(load_resources, paths))

        # A LocalCluster takes seconds to start: it is started only for what a process pool would be.
        if dask and jobs and (dask != "local" or _worth_workers(jobs)):
            fresh = _process_on_dask(jobs, paths, dask, meanwhile)
        else:
            fresh = _process_files(jobs, paths, workers or os.cpu_count() or 1, progress, meanwhile)
        for task in started:
            task.result()
    results = {result.source: result for result in fresh}

    corpus_columns: dict[str, pa.Table] = {}
    rows: dict[str, dict[str, tuple[int, int]]] = {}
    for name in _CORPUS_COLUMNS:
        corpus_columns[name], rows[name] = _gather_columns(name, raw_files, results, cache)

    applied_by_source = (
        {source: cache.manifest["applied_overrides"].get(source, []) for source in unchanged}
        if cache is not None
        else {}
    )
    applied_by_source.update({r.source: r.applied_overrides for r in fresh})
    applied = [o for source in keys for o in applied_by_source.get(source, [])]
    tables: dict[str, pa.Table | PartitionedTable] = {
        name: PartitionedTable(
            _arrow_schema(name),
            _pieces(paths, name, batch_keys, ".parquet"),
            _pieces(paths, name, batch_keys, ".csv"),
        )
        for name in PER_FILE_TABLES
        if name not in CORPUS_TABLES
    }
    writer = TableWriter(paths.processed_dir) if write else None
    try:
        with ThreadPoolExecutor(max_workers=1) as background:
            # Linking and copying the per-file tables' pieces into place overlaps the corpus steps.
            partitioned = dict(tables)
            staging = background.submit(writer.stage, partitioned) if writer else None
            tables["sources"] = _sources_table(raw_files, corpus_columns["articles"])
            tables["rejected"] = to_arrow(rejected, "rejected")
            previous = _previous_corpus(cache, unchanged, fresh, paths) if cache is not None else None
            tables.update(_corpus_tables(corpus_columns, paths, previous))
        if staging is not None:
            staging.result()
        counts = _count_lines(
            {**corpus_columns, "sources": tables["sources"], "rejected": tables["rejected"]}
        )
        if changed:
            _remove_stale_pieces(paths, set(batch_keys))
        if cache is not None and (changed or cache.manifest.get("files") != keys):
            notes = {
                "applied_overrides": applied_by_source,
                "fingerprint": fingerprint,
                "batches": {
                    raw.source: key for batch, key in zip(batches, batch_keys, strict=True) for raw in batch
                },
            }
            reusable = {name: tables[name] for name in ("token_counts", "theme_counts")}
            cache.save(corpus_columns, rows, set(results), keys, notes, reusable)
        if writer is not None:
            writer.stage({name: table for name, table in tables.items() if name not in partitioned})
            written = writer.commit()
            if cache is not None:
                cache.manifest.update(
                    rejected=rejected_notes,
                    counts=counts,
                    outputs={
                        "folder": str(paths.processed_dir.resolve()),
                        "tables": list(tables),
                        "stamps": {str(path): _stamp(path) for path in written},
                    },
                )
                cache.folder.mkdir(parents=True, exist_ok=True)
                cache.save_manifest()
    finally:
        if writer is not None:
            writer.discard()

    def load(name: str) -> pd.DataFrame:
        table = tables[name]
        if isinstance(table, PartitionedTable):
            table = read_parts(table.parquet_parts, table.schema)
        return schema.conform(table.to_pandas(), name)

    return BuildResult(_LazyTables(load, list(tables)), applied, _unmatched_overrides(paths, applied), counts)


def progress_bar(total_threshold: int = 20) -> Callable | None:
    """A tqdm wrapper when stderr is a terminal (quiet in pipes, CI and notebooks)."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return lambda items: tqdm(items, desc="file batches", unit="batch", disable=len(items) < total_threshold)
