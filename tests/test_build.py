"""The seed corpus end to end: scores, character accounting, cache and parallel builds, the CLI."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import govnews.pipeline.build as build_module
import govnews.text.themes as themes_module
from conftest import REPO, SEED_FILES, copy_seeds
from govnews import schema
from govnews.cli import main
from govnews.config import project_paths
from govnews.ingest.clean import clean_text
from govnews.ingest.load import RawFile, read_raw_file
from govnews.pipeline.build import build
from govnews.pipeline.tables import read_table, to_arrow
from govnews.resources import load_resources
from govnews.validate import score_tables

GOLD = REPO / "data" / "validation" / "seeds.yml"


def _chars(text: str) -> list[str]:
    return sorted(re.sub(r"\s", "", text))


def test_seed_scores_meet_the_targets(seed_build) -> None:
    from govnews.validate import load_gold

    summary = score_tables(load_gold(GOLD), seed_build.tables).summary
    assert summary["article_accuracy"] == 1.0
    # A year is stated only where the text states one: articles dated by a period cue alone get none.
    assert summary["year_precision"] == 1.0
    assert summary["figure_recall"] >= 0.97
    assert summary["figure_precision"] >= 0.95
    assert summary["qualifier_accuracy"] >= 0.97
    assert summary["measure_recall"] >= 0.95
    assert summary["not_figures_extracted"] == 0


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.stem for p in SEED_FILES])
def test_every_character_of_a_seed_file_is_in_an_article_or_removed(
    path: Path, seed_build, resources
) -> None:
    raw = read_raw_file(path, path.parent)
    normalized = "".join(clean_text(raw.source, raw.text, resources).normalized_lines)
    articles = seed_build.tables["articles"].query("source == @raw.source")
    removed = seed_build.tables["removed"].query("source == @raw.source")
    kept = "".join(
        "".join(row)
        for row in articles[["kicker", "title", "subtitle", "text", "byline", "dateline"]].itertuples(
            index=False
        )
    )
    marks = removed["reason"].isin(["markdown_mark", "title_label"])
    markdown = "".join(removed.loc[removed["reason"] == "markdown_mark", "text"])
    others = "".join(removed.loc[~marks, "text"])
    assert _chars(kept + others) == _chars(normalized)
    assert set(markdown) <= {"#"}


def test_seed_articles_are_attributed(seed_build) -> None:
    articles = seed_build.tables["articles"].set_index("article_id")
    assert articles.loc["003_bba0e5877815e03d-02", ["office", "district", "year"]].tolist() == [
        "潮河办事处",
        "经开区",
        2023,
    ]
    assert (articles["office_source"].isin(["gazetteer", "pattern", ""])).all()


def test_tables_are_written_as_parquet_and_csv_with_bom(seed_build, seed_paths) -> None:
    for name in ("articles", "sentences", "figures", "measures", "removed", "theme_counts"):
        csv = seed_paths.processed_dir / f"{name}.csv"
        assert csv.read_bytes().startswith(b"\xef\xbb\xbf")
        pd.testing.assert_frame_equal(
            pd.read_parquet(seed_paths.processed_dir / f"{name}.parquet"),
            seed_build.tables[name],
            check_dtype=False,
        )


@pytest.fixture
def small_corpus(tmp_path: Path, monkeypatch):
    # A batch per file, so that these tests can tell files apart (batches of several files have their own).
    monkeypatch.setattr(build_module, "_BATCH_FILES", 1)
    raw = tmp_path / "raw"
    raw.mkdir()
    copy_seeds(raw)
    for extra in sorted(raw.glob("*.txt"))[:3]:
        extra.unlink()
    return project_paths(raw_dir=raw, processed_dir=tmp_path / "out", cache_dir=tmp_path / "cache")


def test_warm_build_reuses_every_file_and_gives_identical_tables(small_corpus, monkeypatch) -> None:
    cold = build(small_corpus)
    calls = []
    monkeypatch.setattr(
        build_module, "_process_batch", lambda *a: calls.append(a) or pytest.fail("reprocessed")
    )
    warm = build(small_corpus)
    assert calls == []
    for name, table in cold.tables.items():
        pd.testing.assert_frame_equal(warm.tables[name], table, obj=name)


def test_warm_build_with_untouched_tables_writes_nothing(small_corpus) -> None:
    build(small_corpus)
    stamps = {path: path.stat().st_mtime_ns for path in small_corpus.processed_dir.iterdir()}
    warm = build(small_corpus)
    assert {path: path.stat().st_mtime_ns for path in small_corpus.processed_dir.iterdir()} == stamps
    assert "files read: 2" in warm.summary()


@pytest.mark.parametrize("damage", ["delete", "edit"])
def test_warm_build_rewrites_tables_that_were_deleted_or_edited(small_corpus, damage, monkeypatch) -> None:
    build(small_corpus)
    measures = small_corpus.processed_dir / "measures.csv"
    written = measures.read_bytes()
    if damage == "delete":
        measures.unlink()
    else:
        measures.write_text("edited in Excel", encoding="utf-8")
    monkeypatch.setattr(build_module, "_process_batch", lambda *a: pytest.fail("reprocessed"))
    build(small_corpus)
    assert measures.read_bytes() == written


def _record_processed_files(monkeypatch) -> list[str]:
    """The sources each later build processes, in order (the build itself is unchanged)."""
    processed: list[str] = []
    original = build_module._process_batch

    def recording(raws, paths):
        processed.extend(raw.source for raw in raws)
        return original(raws, paths)

    monkeypatch.setattr(build_module, "_process_batch", recording)
    return processed


def test_changing_one_file_reprocesses_only_that_file(small_corpus, monkeypatch) -> None:
    build(small_corpus)
    first, second = sorted(small_corpus.raw_dir.glob("*.txt"))
    second.write_text(second.read_text(encoding="utf-8") + "\n新增一句话。\n", encoding="utf-8")
    processed = _record_processed_files(monkeypatch)
    result = build(small_corpus)
    assert processed == [second.name]
    assert result.tables["articles"]["text"].str.contains("新增一句话").any()
    assert set(result.tables["articles"]["source"]) == {first.name, second.name}


def _append_line(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_cache_stores_only_the_rows_of_changed_files(small_corpus) -> None:
    build(small_corpus)
    cache = small_corpus.cache_dir / "build"
    second = sorted(small_corpus.raw_dir.glob("*.txt"))[1]
    parts = []
    for n in range(2):
        _append_line(second, f"新增第{n}句话。")
        result = build(small_corpus)
        parts.append(sorted(p.name for p in cache.glob("articles-*.parquet")))
        assert set(pd.read_parquet(cache / parts[-1][-1])["source"]) == {second.name}
    assert parts == [
        ["articles-0.parquet", "articles-1.parquet"],
        ["articles-0.parquet", "articles-2.parquet"],
    ]
    uncached = build(small_corpus, use_cache=False, write=False)
    for name, table in uncached.tables.items():
        pd.testing.assert_frame_equal(result.tables[name], table, obj=name)


def test_cache_parts_that_pile_up_are_folded_into_one(small_corpus, monkeypatch) -> None:
    monkeypatch.setattr(build_module, "_MAX_CACHE_PARTS", 1)
    build(small_corpus)
    first, second = sorted(small_corpus.raw_dir.glob("*.txt"))
    _append_line(second, "新增一句话。")
    build(small_corpus)
    (part,) = (small_corpus.cache_dir / "build").glob("articles-*.parquet")
    assert set(pd.read_parquet(part)["source"]) == {first.name, second.name}


def test_editing_a_lexicon_invalidates_the_cache(small_corpus, tmp_path, monkeypatch) -> None:
    lexicons = tmp_path / "data" / "lexicons"
    lexicons.mkdir(parents=True)
    shutil.copy(small_corpus.lexicon_dir / "userdict.txt", lexicons / "userdict.txt")
    paths = project_paths(
        raw_dir=small_corpus.raw_dir,
        processed_dir=small_corpus.processed_dir,
        cache_dir=small_corpus.cache_dir,
        data_dir=tmp_path / "data",
    )
    build(paths)
    (lexicons / "userdict.txt").write_text(
        (lexicons / "userdict.txt").read_text(encoding="utf-8") + "\n新词语\n", encoding="utf-8"
    )
    processed = _record_processed_files(monkeypatch)
    build(paths)
    assert len(processed) == 2


def test_parallel_build_gives_the_same_tables(small_corpus, monkeypatch) -> None:
    serial = build(small_corpus, use_cache=False, write=False, workers=1)
    monkeypatch.setattr(build_module, "_PARALLEL_MIN_CHARS", 0)
    parallel = build(small_corpus, use_cache=False, write=False, workers=2)
    for name, table in serial.tables.items():
        pd.testing.assert_frame_equal(parallel.tables[name], table, obj=name)


def test_threads_start_only_once_the_worker_processes_exist(small_corpus, monkeypatch) -> None:
    # A thread running while a worker is forked can leave the worker deadlocked on a lock it held.
    import multiprocessing

    monkeypatch.setattr(build_module, "_PARALLEL_MIN_CHARS", 0)
    raws, _ = build_module.load_raw_files(small_corpus.raw_dir)
    jobs = [build_module._BatchJob([raw], f"key{number}", []) for number, raw in enumerate(raws)]
    seen: list[tuple[bool, int]] = []

    def meanwhile(elsewhere: bool) -> None:
        seen.append((elsewhere, len(multiprocessing.active_children())))

    build_module._process_files(jobs, small_corpus, 2, None, meanwhile)
    build_module._process_files(jobs, small_corpus, 1, None, meanwhile)
    assert seen == [(True, 2), (False, 0)]


def test_csv_of_a_table_whose_first_chunk_is_empty_holds_only_its_rows(tmp_path) -> None:
    from govnews.pipeline.tables import write_csv_piece

    empty = schema.empty_table("removed")  # its string arrays have no data buffer
    rows = pd.DataFrame(
        {
            "source": ["a.txt"] * 2,
            "line_no": [1, 2],
            "text": ["图一 桥", "图为 路"],
            "reason": ["caption"] * 2,
        }
    )
    table = to_arrow(schema.conform(pd.concat([empty, rows], ignore_index=True), "removed"), "removed")
    assert table.column("text").num_chunks == 2
    write_csv_piece(table, tmp_path / "piece.csv")
    assert (tmp_path / "piece.csv").read_text(
        encoding="utf-8"
    ) == '"a.txt",1,"图一 桥","caption"\n"a.txt",2,"图为 路","caption"\n'


def _raw(source: str, text: str) -> RawFile:
    return RawFile(source, Path(source), "utf-8", text, len(text.encode()), "0" * 64)


def test_files_processed_together_give_each_file_its_own_tables(tmp_path) -> None:
    raws = [read_raw_file(path, REPO / "data" / "raw") for path in SEED_FILES]
    # Two more files whose article ids would collide with each other inside one batch.
    page = raws[0].text
    raws += [_raw("extra/page.txt", page), _raw("extra_page.txt", page.replace("枫杨", "沟赵"))]
    together = build_module.process_files(raws)
    assert [result.source for result in together] == [raw.source for raw in raws]
    for raw, result in zip(raws, together, strict=True):
        alone = build_module.process_file(raw)
        assert result.applied_overrides == alone.applied_overrides
        for name in build_module.PER_FILE_TABLES:
            pd.testing.assert_frame_equal(result.tables[name], alone.tables[name], obj=f"{raw.source} {name}")
    assert len(together[0].tables["figures"]) > 0 and len(together[-1].tables["measures"]) > 0


def test_batches_end_where_file_names_say_and_stay_put_when_a_file_is_added(monkeypatch) -> None:
    monkeypatch.setattr(build_module, "_ends_batch", lambda source: source in {"b.txt", "e.txt"})
    raws = [_raw(name, "字" * 4) for name in ("a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt")]
    before = [[raw.source for raw in batch] for batch in build_module._batches(raws)]
    assert before == [["a.txt", "b.txt"], ["c.txt", "d.txt", "e.txt"], ["f.txt"]]
    after = [
        [raw.source for raw in batch]
        for batch in build_module._batches([*raws[:3], _raw("cc.txt", "字"), *raws[3:]])
    ]
    assert after == [["a.txt", "b.txt"], ["c.txt", "cc.txt", "d.txt", "e.txt"], ["f.txt"]]


def test_batches_are_capped_and_keep_colliding_article_ids_apart(monkeypatch) -> None:
    monkeypatch.setattr(build_module, "_ends_batch", lambda source: False)
    monkeypatch.setattr(build_module, "_BATCH_MAX_CHARS", 10)
    raws = [
        _raw(name, "字" * size)
        for name, size in [("a.txt", 4), ("b.txt", 4), ("c.txt", 4), ("d/e.txt", 1), ("d_e.txt", 1)]
    ]
    assert [[raw.source for raw in batch] for batch in build_module._batches(raws)] == [
        ["a.txt", "b.txt"],  # c.txt would take the batch past 10 characters
        ["c.txt", "d/e.txt"],
        ["d_e.txt"],  # it would give the same article ids as d/e.txt (d_e-01 …)
    ]


def test_a_batch_holds_at_most_the_maximum_number_of_files(monkeypatch) -> None:
    # What one changed file costs to reprocess stays bounded however far apart the boundaries fall.
    monkeypatch.setattr(build_module, "_ends_batch", lambda source: source == "e.txt")
    monkeypatch.setattr(build_module, "_BATCH_MAX_FILES", 2)
    raws = [_raw(name, "字") for name in ("a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt")]
    assert [[raw.source for raw in batch] for batch in build_module._batches(raws)] == [
        ["a.txt", "b.txt"],
        ["c.txt", "d.txt"],
        ["e.txt"],
        ["f.txt"],
    ]


def test_a_changed_file_reprocesses_its_batch_only_and_each_batch_is_one_dataset_part(
    tmp_path, monkeypatch
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    copy_seeds(raw)
    sources = sorted(path.name for path in raw.glob("*.txt"))
    monkeypatch.setattr(build_module, "_ends_batch", lambda source: source in {sources[1], sources[4]})
    paths = project_paths(raw_dir=raw, processed_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    build(paths)
    parts = sorted((paths.processed_dir / "articles.parquet").glob("*.parquet"))
    assert [sorted(set(pd.read_parquet(part)["source"])) for part in parts] == [sources[:2], sources[2:]]
    _append_line(raw / sources[3], "新增一句话。")
    processed = _record_processed_files(monkeypatch)
    result = build(paths)
    assert processed == sources[2:]
    uncached = build(paths, use_cache=False, write=False)
    for name, table in uncached.tables.items():
        pd.testing.assert_frame_equal(result.tables[name], table, obj=name)


def test_cli_build_prints_a_summary(small_corpus, capsys) -> None:
    code = main(
        [
            "build",
            "--raw",
            str(small_corpus.raw_dir),
            "--out",
            str(small_corpus.processed_dir),
            "--cache",
            str(small_corpus.cache_dir),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "files read: 2" in out and "articles per office:" in out and "removed lines:" in out


def test_cli_reports_bad_input_in_one_line_without_traceback(tmp_path, capsys) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "空 文件.txt").write_bytes(b"")
    code = main(
        ["build", "--raw", str(raw), "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache")]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("govnews: error: ") and "空 文件.txt" in err and "empty" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", [[], ["build"], ["report"], ["validate"]])
def test_every_command_has_help(command, capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    assert "usage: govnews" in capsys.readouterr().out


def test_dask_build_on_a_two_worker_local_cluster_gives_the_same_tables(
    small_corpus, tmp_path, monkeypatch
) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr(build_module, "_PARALLEL_MIN_CHARS", 0)
    local = build(small_corpus, use_cache=False, workers=1)
    dask_paths = project_paths(
        raw_dir=small_corpus.raw_dir, processed_dir=tmp_path / "dask_out", cache_dir=tmp_path / "dask_cache"
    )
    on_dask = build(dask_paths, dask="local")
    for name, table in local.tables.items():
        pd.testing.assert_frame_equal(on_dask.tables[name], table, obj=name)
        pd.testing.assert_frame_equal(
            read_table(name, dask_paths.processed_dir), table, obj=f"written {name}"
        )
        written_csv = (dask_paths.processed_dir / f"{name}.csv").read_bytes()
        assert written_csv == (small_corpus.processed_dir / f"{name}.csv").read_bytes(), name
    assert on_dask.summary() == local.summary()


def test_a_local_cluster_is_not_started_for_little_text(small_corpus, monkeypatch) -> None:
    monkeypatch.setattr(build_module, "_process_on_dask", lambda *a: pytest.fail("started a cluster"))
    local = build(small_corpus, use_cache=False, write=False, workers=1)
    small = build(small_corpus, use_cache=False, write=False, dask="local")
    for name, table in local.tables.items():
        pd.testing.assert_frame_equal(small.tables[name], table, obj=name)
    monkeypatch.setattr(build_module, "_PARALLEL_MIN_CHARS", 0)
    with pytest.raises(pytest.fail.Exception, match="started a cluster"):
        build(small_corpus, use_cache=False, write=False, dask="local")


def test_per_file_tables_are_parquet_datasets_partitioned_by_source(small_corpus) -> None:
    result = build(small_corpus)
    sources = sorted(p.name for p in small_corpus.raw_dir.glob("*.txt"))
    for name in ("articles", "sentences", "removed", "figures", "figure_checks", "measures", "theme_hits"):
        dataset = small_corpus.processed_dir / f"{name}.parquet"
        parts = sorted(dataset.glob("*.parquet"))
        assert dataset.is_dir() and [p.name for p in parts] == ["part-00000.parquet", "part-00001.parquet"]
        if "source" in result.tables[name]:
            for part, source in zip(parts, sources, strict=True):
                assert set(pd.read_parquet(part)["source"]) <= {source}  # a file may have no removed lines
    for name in ("sources", "token_counts", "theme_counts", "keyness"):
        assert (small_corpus.processed_dir / f"{name}.parquet").is_file()


def test_a_changed_file_gets_new_pieces_and_its_old_ones_go(small_corpus) -> None:
    build(small_corpus)
    pieces = small_corpus.cache_dir / "build" / "pieces" / "sentences"
    before = {p.name for p in pieces.glob("*.parquet")}
    first = sorted(small_corpus.raw_dir.glob("*.txt"))[0]
    _append_line(first, "新增一句话。")
    changed = build(small_corpus)
    after = {p.name for p in pieces.glob("*.parquet")}
    assert len(before) == len(after) == 2 and len(before & after) == 1
    fresh = build(small_corpus, use_cache=False, write=False, workers=1)
    for name in ("sentences", "theme_counts"):
        pd.testing.assert_frame_equal(changed.tables[name], fresh.tables[name], obj=name)
        pd.testing.assert_frame_equal(
            read_table(name, small_corpus.processed_dir), fresh.tables[name], obj=name
        )


def test_a_rebuild_replaces_only_the_dataset_parts_of_changed_files(small_corpus) -> None:
    build(small_corpus)
    dataset = small_corpus.processed_dir / "sentences.parquet"
    inodes = {part.name: part.stat().st_ino for part in dataset.iterdir()}
    folder = dataset.stat().st_ino
    first, second = sorted(small_corpus.raw_dir.glob("*.txt"))
    _append_line(second, "新增一句话。")
    build(small_corpus)
    after = {part.name: part.stat().st_ino for part in dataset.iterdir()}
    assert dataset.stat().st_ino == folder  # updated in place, not staged whole and swapped
    assert after.keys() == inodes.keys()
    assert after["part-00000.parquet"] == inodes["part-00000.parquet"]
    assert after["part-00001.parquet"] != inodes["part-00001.parquet"]
    first.unlink()  # one source fewer: its part goes, the other moves to the first position
    result = build(small_corpus)
    assert [part.name for part in dataset.iterdir()] == ["part-00000.parquet"]
    pd.testing.assert_frame_equal(
        read_table("sentences", small_corpus.processed_dir), result.tables["sentences"]
    )
    assert set(read_table("articles", small_corpus.processed_dir)["source"]) == {second.name}


def test_tables_of_an_older_build_are_replaced_file_by_folder_and_back(small_corpus) -> None:
    from govnews.pipeline.tables import write_tables

    result = build(small_corpus)
    articles = small_corpus.processed_dir / "articles.parquet"
    write_tables({"articles": result.tables["articles"]}, small_corpus.processed_dir)  # one file, as before
    assert articles.is_file()
    (small_corpus.cache_dir / "build" / "manifest.json").unlink()
    build(small_corpus)
    assert articles.is_dir()
    pd.testing.assert_frame_equal(
        read_table("articles", small_corpus.processed_dir), result.tables["articles"]
    )
    write_tables({"articles": result.tables["articles"]}, small_corpus.processed_dir)
    assert articles.is_file()


def test_dask_build_sends_only_changed_files(small_corpus, monkeypatch) -> None:
    sent: list[str] = []

    def process_inline(jobs, paths, address, meanwhile):
        sent.extend(raw.source for job in jobs for raw in job.raws)
        meanwhile(False)
        done = map(build_module._store_batch_pieces, *build_module._job_columns(jobs, paths))
        return [result for batch in done for result in batch.file_results()]

    monkeypatch.setattr(build_module, "_process_on_dask", process_inline)
    build(small_corpus, dask="tcp://scheduler:8786")
    assert len(sent) == 2
    first = sorted(small_corpus.raw_dir.glob("*.txt"))[0]
    _append_line(first, "新增一句话。")
    sent.clear()
    build(small_corpus, dask="tcp://scheduler:8786")
    assert sent == [first.name]


def test_a_rebuild_counts_themes_again_only_for_the_offices_of_changed_files(
    small_corpus, monkeypatch
) -> None:
    build(small_corpus)
    first = sorted(small_corpus.raw_dir.glob("*.txt"))[0]
    first_offices = set(
        read_table("articles", small_corpus.processed_dir).query("source == @first.name")["office"]
    )
    _append_line(first, "新增一句话。")
    counted: list[set[str]] = []
    update = themes_module.update_theme_counts
    monkeypatch.setattr(
        themes_module, "update_theme_counts", lambda *a, **k: counted.append(set(a[3])) or update(*a, **k)
    )
    result = build(small_corpus)
    assert len(counted) == 1
    assert first_offices <= counted[0]
    all_offices = set(result.tables["theme_counts"]["office"])
    assert counted[0] < all_offices  # the other file's offices were not counted again
    uncached = build(small_corpus, use_cache=False, write=False)
    for name in build_module.CORPUS_TABLES:
        pd.testing.assert_frame_equal(result.tables[name], uncached.tables[name], obj=name)


def test_a_changed_file_reuses_the_sentences_jieba_cut_last_time(small_corpus, monkeypatch) -> None:
    first = sorted(small_corpus.raw_dir.glob("*.txt"))[0]
    _append_line(first, "改造工期3-5年，A-1地块先行。")  # rjieba would cut these runs differently: jieba does
    build(small_corpus)
    cache = build_module._BuildCache(small_corpus.cache_dir / "build")
    stored = {
        p.stem for p in (small_corpus.cache_dir / "build" / "pieces" / "reference_cuts").glob("*.parquet")
    }
    source = next(source for source, key in cache.manifest["batches"].items() if key in stored)
    _append_line(small_corpus.raw_dir / source, "新增一句话。")

    class NoJieba:
        def lcut(self, *args, **kwargs):
            pytest.fail("a sentence was cut by jieba again")

    segmenter = load_resources(small_corpus).segmenter
    monkeypatch.setitem(segmenter.__dict__, "_reference", NoJieba())
    result = build(small_corpus)
    monkeypatch.undo()
    uncached = build(small_corpus, use_cache=False, write=False)
    pd.testing.assert_frame_equal(result.tables["token_counts"], uncached.tables["token_counts"])


def test_jieba_cuts_of_other_data_files_are_not_reused(small_corpus, monkeypatch) -> None:
    build(small_corpus)
    first = sorted(small_corpus.raw_dir.glob("*.txt"))[0]
    _append_line(first, "新增一句话。")
    monkeypatch.setattr(build_module, "data_fingerprint", lambda paths: "edited lexicons")
    monkeypatch.setattr(build_module, "_read_reference_cuts", lambda *a: pytest.fail("reused"))
    build(small_corpus)


def test_a_data_folder_replaces_only_the_files_it_holds(tmp_path) -> None:
    # A user's data folder with one lexicon: every other file comes from the packaged defaults.
    (tmp_path / "lexicons").mkdir()
    (tmp_path / "lexicons" / "stopwords.txt").write_text("的\n了\n", encoding="utf-8")
    resources = load_resources(project_paths(data_dir=tmp_path))
    assert resources.stopwords == frozenset({"的", "了"})
    assert len(resources.gazetteer.units) == len(load_resources(project_paths()).gazetteer.units)
