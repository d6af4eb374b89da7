"""The pipeline: raw page dumps → every processed table.

Per file (a pure function of the raw file and the data files, so it can run in
a process pool or on a Dask cluster and be cached by content hash):
load → clean → split → offices, years → sentences → figures, figure checks,
measures. Then over the whole corpus: tokens → theme hits → per-office theme
counts, codebook diagnostics and keyness, and the theme of each figure and
measure.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from govnews import __version__, schema
from govnews.clean import clean_text
from govnews.config import ProjectPaths, project_paths
from govnews.errors import GovnewsError
from govnews.load import RawFile, load_raw_files
from govnews.offices import Gazetteer, attribute_district, attribute_office, load_gazetteer
from govnews.overrides import Override, apply_overrides, load_overrides
from govnews.sentences import split_article_sentences
from govnews.split import split_articles
from govnews.tables import write_tables
from govnews.years import find_year_evidence, infer_year

if TYPE_CHECKING:
    from govnews.figures import UnitLexicon
    from govnews.measures import MeasureLexicon

PER_FILE_TABLES = (
    "articles",
    "sentences",
    "removed",
    "figures",
    "figure_checks",
    "measures",
    "measure_candidates",
)
CORPUS_TABLES = ("theme_hits", "theme_counts", "theme_diagnostics", "keyness")
# Below this many characters of changed text, starting worker processes costs more than it saves.
_PARALLEL_MIN_CHARS = 400_000


@dataclass
class FileResult:
    """Every per-file table of one raw file, plus what the build should report about it."""

    source: str
    tables: dict[str, pd.DataFrame]
    applied_overrides: list[str] = field(default_factory=list)


@dataclass
class BuildResult:
    """All tables of a build and the notes for its summary."""

    tables: dict[str, pd.DataFrame]
    applied_overrides: list[str]
    unmatched_overrides: list[str]

    def summary(self) -> str:
        """A short plain-text summary: files, articles per office, removed lines by reason, warnings."""
        articles, removed = self.tables["articles"], self.tables["removed"]
        rejected = self.tables["rejected"]
        lines = [
            f"files read: {len(self.tables['sources'])}, articles: {len(articles)}, "
            f"sentences: {len(self.tables['sentences'])}, figures: {len(self.tables['figures'])}, "
            f"measures: {len(self.tables['measures'])}"
        ]
        per_office = (
            articles.assign(office=articles["office"].replace("", "(district-level)"))
            .groupby("office")
            .size()
            .sort_values(ascending=False)
        )
        lines.append("articles per office: " + ", ".join(f"{o} {n}" for o, n in per_office.items()))
        if len(removed):
            by_reason = removed.groupby("reason").size().sort_values(ascending=False)
            lines.append("removed lines: " + ", ".join(f"{r} {n}" for r, n in by_reason.items()))
        lines += [f"rejected: {r.source}: {r.reason}" for r in rejected.itertuples()]
        lines += [f"override applied: {o}" for o in self.applied_overrides]
        lines += [f"warning: override matched nothing: {o}" for o in self.unmatched_overrides]
        return "\n".join(lines)


def _read_metadata_years(path: Path) -> dict[str, int]:
    if not path.exists():
        return {}
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise GovnewsError(path, f"cannot parse CSV: {exc}") from None
    missing = {"source", "year"} - set(table.columns)
    if missing:
        raise GovnewsError(path, f"missing column(s) {', '.join(sorted(missing))}; expected source, year")
    years: dict[str, int] = {}
    for line_no, row in enumerate(table.itertuples(index=False), start=2):
        if row.year.strip():
            if not row.year.strip().isdigit():
                raise GovnewsError(path, f"year {row.year!r} is not a number", line=line_no)
            years[row.source.strip()] = int(row.year)
    return years


def _article_rows(
    raw: RawFile, gazetteer: Gazetteer, overrides: list[Override], metadata_years: dict[str, int]
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    cleaned = clean_text(raw.source, raw.text)
    articles = split_articles(raw.source, cleaned.paragraphs, gazetteer)
    override_offices, applied = apply_overrides(raw.source, articles, overrides)
    page_evidence = find_year_evidence("\n".join(cleaned.normalized_lines))
    stem = Path(raw.source).with_suffix("").as_posix().replace("/", "_")
    rows = []
    for number, article in enumerate(articles, start=1):
        kicker, title, subtitle = article.title_parts()
        body = article.body_text
        if number - 1 in override_offices:
            office, office_source = override_offices[number - 1], "override"
        else:
            office, office_source = attribute_office(article.title_text, body, gazetteer)
        if raw.source in metadata_years:
            year, year_evidence = metadata_years[raw.source], "metadata.csv"
        else:
            year, year_evidence = infer_year(
                find_year_evidence(article.title_text + "\n" + body), page_evidence
            )
        rows.append(
            {
                "article_id": f"{stem}-{number:02d}",
                "source": raw.source,
                "article_no": number,
                "title": title,
                "kicker": kicker,
                "subtitle": subtitle,
                "office": office,
                "office_source": office_source,
                "district": attribute_district(office, article.title_text, body, gazetteer),
                "year": year,
                "year_evidence": year_evidence,
                "byline": " ".join(p.text for p in article.bylines),
                "text": body,
                "n_chars": sum(not ch.isspace() for ch in body),
                "line_nos": schema.LIST_SEPARATOR.join(map(str, article.line_nos)),
            }
        )
    table = schema.conform(pd.DataFrame(rows), "articles") if rows else schema.empty_table("articles")
    return table, cleaned.removed, [o.describe() for o in applied]


@dataclass(frozen=True)
class _Resources:
    """The data files every per-file step reads, loaded once per process and again when one changes."""

    gazetteer: Gazetteer
    units: UnitLexicon
    measures: MeasureLexicon


def _resources(paths: ProjectPaths) -> _Resources:
    files = (
        paths.gazetteer_file,
        paths.districts_file,
        paths.lexicon_dir / "units.yml",
        paths.lexicon_dir / "measures.yml",
    )
    return _load_resources(files, tuple(f.stat().st_mtime_ns if f.exists() else 0 for f in files))


@lru_cache(maxsize=2)
def _load_resources(files: tuple[Path, ...], stamps: tuple[int, ...]) -> _Resources:
    from govnews.figures import load_units
    from govnews.measures import load_measure_lexicon

    office_file, district_file, units_file, measures_file = files
    return _Resources(
        load_gazetteer(office_file, district_file),
        load_units(units_file),
        load_measure_lexicon(measures_file),
    )


def process_file(raw: RawFile, paths: ProjectPaths | None = None) -> FileResult:
    """Every per-file table of one decoded raw file (a pure function of the file and the data files)."""
    from govnews.checks import check_figures
    from govnews.figures import extract_figures_from_sentences
    from govnews.measures import extract_measures_from_sentences

    paths = paths or project_paths()
    resources = _resources(paths)
    overrides = load_overrides(paths.overrides_file)
    metadata_years = _read_metadata_years(paths.metadata_file)
    articles, removed, applied = _article_rows(raw, resources.gazetteer, overrides, metadata_years)
    sentences = split_article_sentences(articles, resources.gazetteer)
    figures = extract_figures_from_sentences(sentences, units=resources.units)
    measures, candidates = extract_measures_from_sentences(sentences, lexicon=resources.measures)
    tables = {
        "articles": articles,
        "sentences": sentences,
        "removed": removed,
        "figures": figures,
        "figure_checks": check_figures(figures, sentences),
        "measures": measures,
        "measure_candidates": candidates,
    }
    return FileResult(raw.source, tables, applied)


def _concat(frames: list[pd.DataFrame], table: str) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return (
        schema.conform(pd.concat(frames, ignore_index=True), table) if frames else schema.empty_table(table)
    )


def _corpus_tables(tables: dict[str, pd.DataFrame], paths: ProjectPaths) -> dict[str, pd.DataFrame]:
    from govnews.keyness import keyness_by_office
    from govnews.segment import (
        dictionary_files,
        load_stopwords,
        load_user_dictionary,
        make_tokenizer,
        tokenize_sentences,
    )
    from govnews.themes import count_themes, diagnose_codebook, find_theme_hits, load_codebook, theme_of_rows

    sentences = tables["sentences"]
    codebook = load_codebook(paths.lexicon_dir / "themes.yml")
    segmenter = make_tokenizer(load_user_dictionary(dictionary_files(paths)))
    tokens = tokenize_sentences(
        sentences,
        segmenter,
        cache_dir=paths.cache_dir / "tokens",
        stopwords=load_stopwords(paths.lexicon_dir / "stopwords.txt"),
    )
    hits = find_theme_hits(sentences, tokens, codebook)
    figures, measures = tables["figures"].copy(), tables["measures"].copy()
    figures["theme"] = theme_of_rows(figures, hits, codebook).to_numpy() if len(figures) else []
    measures["theme"] = theme_of_rows(measures, hits, codebook).to_numpy() if len(measures) else []
    tables = {
        "figures": figures,
        "measures": measures,
        "theme_hits": hits,
        "theme_counts": count_themes(hits, sentences, codebook=codebook),
        "theme_diagnostics": diagnose_codebook(codebook, tokens, segmenter, hits=hits),
        "keyness": keyness_by_office(tokens, sentences),
    }
    return {name: schema.conform(frame, name) for name, frame in tables.items()}


def data_fingerprint(paths: ProjectPaths) -> str:
    """Hash of everything besides a raw file that shapes its tables: code, lexicons, gazetteer, overrides.

    Editing a lexicon or upgrading govnews invalidates the per-file cache; editing a notebook does not.
    """
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    inputs = sorted(package.glob("*.py"))
    for folder in (paths.lexicon_dir, paths.gazetteer_file.parent):
        inputs += sorted(p for p in Path(folder).glob("*") if p.is_file())
    inputs += [paths.overrides_file, paths.metadata_file]
    for path in inputs:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


def _file_key(raw: RawFile, fingerprint: str) -> str:
    return hashlib.sha256(f"{raw.source}\0{raw.sha256}\0{fingerprint}".encode()).hexdigest()


class _BuildCache:
    """The previous build's per-file rows and corpus tables, reused for files whose key has not changed.

    Rows are kept in one Parquet file per table (with a ``_source`` column), not one file per raw file,
    so a warm build of thousands of files reads a dozen files.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        manifest = folder / "manifest.json"
        self.manifest = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else {}

    def key_of(self, source: str) -> str | None:
        return self.manifest.get("files", {}).get(source)

    def rows(self, table: str, sources: set[str]) -> pd.DataFrame:
        path = self.folder / f"{table}.parquet"
        if not sources or not path.exists():
            return schema.empty_table(table)
        frame = pd.read_parquet(path, filters=[("_source", "in", sorted(sources))])
        return schema.conform(frame, table)

    def corpus_tables(self, keys: dict[str, str]) -> dict[str, pd.DataFrame] | None:
        if self.manifest.get("files") != keys or not self.manifest.get("has_corpus_tables"):
            return None
        return {
            name: schema.conform(pd.read_parquet(self.folder / f"{name}.parquet"), name)
            for name in (*CORPUS_TABLES, "figures", "measures")
        }

    def applied_overrides(self, source: str) -> list[str]:
        return self.manifest.get("applied_overrides", {}).get(source, [])

    def save(
        self, tables: dict[str, pd.DataFrame], keys: dict[str, str], applied: dict[str, list[str]]
    ) -> None:
        """Write the rows and the manifest; the manifest goes last, so a half-written cache is never trusted.

        Raises:
            GovnewsError: the cache folder cannot be written (named in the message).
        """
        source_of_article = dict(
            zip(tables["articles"]["article_id"], tables["articles"]["source"], strict=True)
        )
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / "manifest.json").unlink(missing_ok=True)
            for name, frame in tables.items():
                if name in PER_FILE_TABLES:
                    sources = (
                        frame["source"] if "source" in frame else frame["article_id"].map(source_of_article)
                    )
                    frame = frame.assign(_source=sources.astype("string"))
                if name in (*PER_FILE_TABLES, *CORPUS_TABLES):
                    _write_atomically(
                        self.folder / f"{name}.parquet", lambda p, f=frame: f.to_parquet(p, index=False)
                    )
            manifest = json.dumps(
                {"files": keys, "applied_overrides": applied, "has_corpus_tables": True}, ensure_ascii=False
            )
            _write_atomically(
                self.folder / "manifest.json", lambda p: Path(p).write_text(manifest, encoding="utf-8")
            )
        except OSError as exc:
            raise GovnewsError(self.folder, f"cannot write the build cache: {exc.strerror or exc}") from None


def _write_atomically(target: Path, write: Callable[[str], object]) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _process_files_on_dask(raw_files: list[RawFile], paths: ProjectPaths, address: str) -> list[FileResult]:
    """Map :func:`process_file` over a Dask cluster (``local`` starts a two-worker LocalCluster).

    Each worker receives one decoded file and the paths (workers must see the same data files, e.g. a shared
    checkout); the results come back to this process, which runs the corpus-level steps.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise GovnewsError(None, "--dask needs the optional extra: pip install 'govnews[dask]'") from None
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True) if address == "local" else None
    try:
        with Client(cluster or address) as client:
            return client.gather(client.map(process_file, raw_files, paths=paths, pure=False))
    finally:
        if cluster is not None:
            cluster.close()


def _process_files(
    raw_files: list[RawFile], paths: ProjectPaths, workers: int, progress: Callable | None
) -> list[FileResult]:
    iterable = progress(raw_files) if progress else raw_files
    # A worker process pays about two seconds to load its dictionaries: worth it only for real work.
    if workers <= 1 or sum(len(r.text) for r in raw_files) < _PARALLEL_MIN_CHARS:
        return [process_file(raw, paths) for raw in iterable]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        chunksize = max(1, len(raw_files) // (workers * 8))
        return list(pool.map(process_file, iterable, [paths] * len(raw_files), chunksize=chunksize))


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
    last build are not processed again: their rows come from the cache in ``paths.cache_dir``.

    Args:
        paths: where to read and write; defaults to :func:`govnews.config.project_paths`.
        skip_bad: list unreadable raw files in the ``rejected`` table instead of stopping.
        write: write the tables (Parquet and CSV with BOM).
        progress: wraps the per-file iterable (e.g. ``tqdm``); ``None`` for no progress display.
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
    cache = _BuildCache(paths.cache_dir / "build") if use_cache else _BuildCache(Path(tempfile.mkdtemp()))
    unchanged = {source for source, key in keys.items() if cache.key_of(source) == key}
    changed = [raw for raw in raw_files if raw.source not in unchanged]
    if dask and changed:
        results = _process_files_on_dask(changed, paths, dask)
    else:
        results = _process_files(changed, paths, workers or os.cpu_count() or 1, progress)
    tables = {
        name: _concat([cache.rows(name, unchanged), *(r.tables[name] for r in results)], name)
        for name in PER_FILE_TABLES
    }
    tables = {name: _sorted_by_source(frame) for name, frame in tables.items()}
    n_articles = tables["articles"].groupby("source").size()
    tables["sources"] = schema.conform(
        pd.DataFrame(
            [
                {
                    "source": raw.source,
                    "encoding": raw.encoding,
                    "n_bytes": raw.n_bytes,
                    "n_chars": sum(not ch.isspace() for ch in raw.text),
                    "sha256": raw.sha256,
                    "n_articles": int(n_articles.get(raw.source, 0)),
                }
                for raw in raw_files
            ]
        ),
        "sources",
    )
    tables["rejected"] = rejected
    tables.update(cache.corpus_tables(keys) or _corpus_tables(tables, paths))
    applied_by_source = {source: cache.applied_overrides(source) for source in unchanged}
    applied_by_source.update({r.source: r.applied_overrides for r in results})
    applied = [o for source in keys for o in applied_by_source.get(source, [])]
    unmatched = [o.describe() for o in load_overrides(paths.overrides_file) if o.describe() not in applied]
    if use_cache and (changed or cache.manifest.get("files") != keys):
        cache.save(tables, keys, applied_by_source)
    result = BuildResult(tables, applied, unmatched)
    if write:
        write_tables(tables, paths.processed_dir)
    return result


def _sorted_by_source(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in a stable order whatever came from the cache: by article id (file stem first), then position."""
    order = [c for c in ("article_id", "source", "sentence_no", "line_no") if c in frame.columns]
    return frame.sort_values(order, kind="stable", ignore_index=True) if order and len(frame) else frame


def progress_bar(total_threshold: int = 20) -> Callable | None:
    """A tqdm wrapper when stderr is a terminal (quiet in pipes, CI and notebooks)."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return lambda items: tqdm(items, desc="files", unit="file", disable=len(items) < total_threshold)
