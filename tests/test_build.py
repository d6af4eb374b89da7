"""The seed corpus end to end: scores, character accounting, cache and parallel builds, the CLI."""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import govnews.text.themes as themes_module
from conftest import REPO, SEED_FILES, copy_seeds
from govnews import schema
from govnews.cli import main
from govnews.config import project_paths
from govnews.ingest.clean import clean_text
from govnews.ingest.load import RawFile, read_raw_file
from govnews.pipeline.batches import batches, ends_batch
from govnews.pipeline.build import CORPUS_TABLES, PER_FILE_TABLES, BuildSettings, process_file, process_files
from govnews.pipeline.build import build as build_with_settings
from govnews.pipeline.cache import BuildCache
from govnews.pipeline.executors import BatchJob, run_jobs
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


# A batch per file, so that these tests can tell files apart (batches of several files have their own).
ONE_FILE_BATCHES = BuildSettings(batch_files=1)


def build(paths, **options):
    """A build with a batch per file unless the test gives its own settings."""
    return build_with_settings(paths, **{"settings": ONE_FILE_BATCHES, **options})


@pytest.fixture
def small_corpus(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    copy_seeds(raw)
    for extra in sorted(raw.glob("*.txt"))[:3]:
        extra.unlink()
    return project_paths(raw_dir=raw, processed_dir=tmp_path / "out", cache_dir=tmp_path / "cache")


def test_warm_build_reuses_every_file_and_gives_identical_tables(small_corpus) -> None:
    cold = build(small_corpus)
    assert len(cold.processed) == 2 and cold.ran_on == "serial"
    warm = build(small_corpus)
    assert (warm.processed, warm.ran_on) == ([], "")
    for name, table in cold.tables.items():
        pd.testing.assert_frame_equal(warm.tables[name], table, obj=name)


def test_warm_build_with_untouched_tables_writes_nothing(small_corpus) -> None:
    build(small_corpus)
    stamps = {path: path.stat().st_mtime_ns for path in small_corpus.processed_dir.iterdir()}
    warm = build(small_corpus)
    assert {path: path.stat().st_mtime_ns for path in small_corpus.processed_dir.iterdir()} == stamps
    assert "files read: 2" in warm.summary()


@pytest.mark.parametrize("damage", ["delete", "edit"])
def test_warm_build_rewrites_tables_that_were_deleted_or_edited(small_corpus, damage) -> None:
    build(small_corpus)
    measures = small_corpus.processed_dir / "measures.csv"
    written = measures.read_bytes()
    if damage == "delete":
        measures.unlink()
    else:
        measures.write_text("edited in Excel", encoding="utf-8")
    assert build(small_corpus).processed == []
    assert measures.read_bytes() == written


def test_changing_one_file_reprocesses_only_that_file(small_corpus) -> None:
    build(small_corpus)
    first, second = sorted(small_corpus.raw_dir.glob("*.txt"))
    second.write_text(second.read_text(encoding="utf-8") + "\n新增一句话。\n", encoding="utf-8")
    result = build(small_corpus)
    assert result.processed == [second.name]
    assert result.tables["articles"]["text"].str.contains("新增一句话").any()
    assert set(result.tables["articles"]["source"]) == {first.name, second.name}


def _append_line(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_cache_stores_only_the_rows_of_changed_files(small_corpus) -> None:
    build(small_corpus)
    folder = small_corpus.cache_dir / "build"
    first, second = sorted(small_corpus.raw_dir.glob("*.txt"))
    first_part = BuildCache(folder).manifest["rows"]["articles"][first.name][0]
    for n in range(2):
        _append_line(second, f"新增第{n}句话。")
        result = build(small_corpus)
        rows = BuildCache(folder).manifest["rows"]["articles"]
        assert rows[first.name][0] == first_part  # the unchanged file's rows stay where they were
        assert set(pd.read_parquet(folder / rows[second.name][0])["source"]) == {second.name}
        assert {p.name for p in folder.glob("articles-*.parquet")} == {first_part, rows[second.name][0]}
    uncached = build(small_corpus, use_cache=False, write=False)
    for name, table in uncached.tables.items():
        pd.testing.assert_frame_equal(result.tables[name], table, obj=name)


def test_cache_parts_that_pile_up_are_folded_into_one(small_corpus) -> None:
    settings = BuildSettings(batch_files=1, max_cache_parts=1)
    build(small_corpus, settings=settings)
    first, second = sorted(small_corpus.raw_dir.glob("*.txt"))
    _append_line(second, "新增一句话。")
    build(small_corpus, settings=settings)
    (part,) = (small_corpus.cache_dir / "build").glob("articles-*.parquet")
    assert set(pd.read_parquet(part)["source"]) == {first.name, second.name}


def test_editing_a_lexicon_invalidates_the_cache(small_corpus, tmp_path) -> None:
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
    assert len(build(paths).processed) == 2


def test_parallel_build_gives_the_same_tables(small_corpus) -> None:
    serial = build(small_corpus, use_cache=False, write=False, workers=1)
    eager = BuildSettings(batch_files=1, parallel_min_chars=0)
    parallel = build(small_corpus, use_cache=False, write=False, workers=2, settings=eager)
    assert (serial.ran_on, parallel.ran_on) == ("serial", "pool")
    for name, table in serial.tables.items():
        pd.testing.assert_frame_equal(parallel.tables[name], table, obj=name)


def test_threads_start_only_once_the_worker_processes_exist(small_corpus) -> None:
    # A thread running while a worker is forked can leave the worker deadlocked on a lock it held.
    from govnews.ingest.load import load_raw_files

    eager = BuildSettings(parallel_min_chars=0)
    raws, _ = load_raw_files(small_corpus.raw_dir)
    jobs = [BatchJob([raw], f"key{number}", []) for number, raw in enumerate(raws)]
    seen: list[tuple[bool, int]] = []

    def meanwhile(load: bool) -> None:
        seen.append((load, len(multiprocessing.active_children())))

    assert run_jobs(jobs, small_corpus, 2, None, meanwhile, eager)[1] == "pool"
    assert run_jobs(jobs, small_corpus, 1, None, meanwhile, eager)[1] == "serial"
    assert seen == [(False, 2), (False, 0)]


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="workers inherit only when forked")
def test_pool_workers_inherit_the_resources_instead_of_reading_them(
    small_corpus, tmp_path, monkeypatch
) -> None:
    import govnews.resources as resources_module

    readers = tmp_path / "readers.txt"
    read_gazetteer = resources_module.load_gazetteer

    def recording(*args, **kwargs):
        with readers.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return read_gazetteer(*args, **kwargs)

    monkeypatch.setattr(resources_module, "load_gazetteer", recording)
    resources_module._load.cache_clear()
    eager = BuildSettings(batch_files=1, parallel_min_chars=0)
    assert build(small_corpus, use_cache=False, write=False, workers=2, settings=eager).ran_on == "pool"
    assert readers.read_text().split() == [str(os.getpid())]


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
    together = process_files(raws)
    assert [result.source for result in together] == [raw.source for raw in raws]
    for raw, result in zip(raws, together, strict=True):
        alone = process_file(raw)
        assert result.applied_overrides == alone.applied_overrides
        for name in PER_FILE_TABLES:
            pd.testing.assert_frame_equal(result.tables[name], alone.tables[name], obj=f"{raw.source} {name}")
    assert len(together[0].tables["figures"]) > 0 and len(together[-1].tables["measures"]) > 0


# With batches of 4 files on average, a batch ends after k.txt and m.txt (their names hash to 0 mod 4).
EVERY_FOURTH = BuildSettings(batch_files=4)


def _sources(cut: list[list[RawFile]]) -> list[list[str]]:
    return [[raw.source for raw in batch] for batch in cut]


def test_batches_end_where_file_names_say_and_stay_put_when_a_file_is_added() -> None:
    names = ("a.txt", "k.txt", "l.txt", "lb.txt", "m.txt", "n.txt")
    assert [name for name in names if ends_batch(name, EVERY_FOURTH)] == ["k.txt", "m.txt"]
    raws = [_raw(name, "字" * 4) for name in names]
    before = _sources(batches(raws, EVERY_FOURTH))
    assert before == [["a.txt", "k.txt"], ["l.txt", "lb.txt", "m.txt"], ["n.txt"]]
    after = _sources(batches([*raws[:3], _raw("l2.txt", "字"), *raws[3:]], EVERY_FOURTH))
    assert after == [["a.txt", "k.txt"], ["l.txt", "l2.txt", "lb.txt", "m.txt"], ["n.txt"]]


def test_batches_are_capped_and_keep_colliding_article_ids_apart() -> None:
    settings = BuildSettings(batch_files=5, batch_max_chars=10)
    raws = [
        _raw(name, "字" * size)
        for name, size in [("a.txt", 4), ("b.txt", 4), ("c.txt", 4), ("d/e.txt", 1), ("d_e.txt", 1)]
    ]
    assert not any(ends_batch(raw.source, settings) for raw in raws)
    assert _sources(batches(raws, settings)) == [
        ["a.txt", "b.txt"],  # c.txt would take the batch past 10 characters
        ["c.txt", "d/e.txt"],
        ["d_e.txt"],  # it would give the same article ids as d/e.txt (d_e-01 …)
    ]


def test_a_batch_holds_at_most_the_maximum_number_of_files() -> None:
    # What one changed file costs to reprocess stays bounded however far apart the boundaries fall.
    settings = BuildSettings(batch_files=4, batch_max_files=2)
    raws = [_raw(name, "字") for name in ("a.txt", "b.txt", "c.txt", "d.txt", "m.txt", "n.txt")]
    assert _sources(batches(raws, settings)) == [
        ["a.txt", "b.txt"],
        ["c.txt", "d.txt"],
        ["m.txt"],
        ["n.txt"],
    ]


def test_a_changed_file_reprocesses_its_batch_only_and_each_batch_is_one_dataset_part(tmp_path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    copy_seeds(raw)
    sources = sorted(path.name for path in raw.glob("*.txt"))
    every_other = BuildSettings(batch_files=2)
    assert [ends_batch(source, every_other) for source in sources] == [True, False, False, True, False]
    paths = project_paths(raw_dir=raw, processed_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    build(paths, settings=every_other)
    parts = sorted((paths.processed_dir / "articles.parquet").glob("*.parquet"))
    assert [sorted(set(pd.read_parquet(part)["source"])) for part in parts] == [
        sources[:1],
        sources[1:4],
        sources[4:],
    ]
    _append_line(raw / sources[2], "新增一句话。")
    result = build(paths, settings=every_other)
    assert result.processed == sources[1:4]
    uncached = build(paths, use_cache=False, write=False, settings=every_other)
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


def test_dask_build_on_a_two_worker_local_cluster_gives_the_same_tables(small_corpus, tmp_path) -> None:
    pytest.importorskip("distributed")
    local = build(small_corpus, use_cache=False, workers=1)
    dask_paths = project_paths(
        raw_dir=small_corpus.raw_dir, processed_dir=tmp_path / "dask_out", cache_dir=tmp_path / "dask_cache"
    )
    eager = BuildSettings(batch_files=1, parallel_min_chars=0)
    on_dask = build(dask_paths, dask="local", settings=eager)
    assert on_dask.ran_on == "dask" and len(on_dask.processed) == 2
    for name, table in local.tables.items():
        pd.testing.assert_frame_equal(on_dask.tables[name], table, obj=name)
        pd.testing.assert_frame_equal(
            read_table(name, dask_paths.processed_dir), table, obj=f"written {name}"
        )
        written_csv = (dask_paths.processed_dir / f"{name}.csv").read_bytes()
        assert written_csv == (small_corpus.processed_dir / f"{name}.csv").read_bytes(), name
    assert on_dask.summary() == local.summary()
    # A rebuild sends only the changed file, and one batch is not worth starting a local cluster for.
    first = sorted(small_corpus.raw_dir.glob("*.txt"))[0]
    _append_line(first, "新增一句话。")
    again = build(dask_paths, dask="local", settings=eager)
    assert (again.processed, again.ran_on) == ([first.name], "serial")


def test_a_local_cluster_is_not_started_for_little_text(small_corpus) -> None:
    local = build(small_corpus, use_cache=False, write=False, workers=1)
    small = build(small_corpus, use_cache=False, write=False, dask="local")
    assert small.ran_on == "serial"
    for name, table in local.tables.items():
        pd.testing.assert_frame_equal(small.tables[name], table, obj=name)


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


def test_dataset_parts_are_copies_of_the_pieces_and_a_rebuild_swaps_in_a_whole_new_set(small_corpus) -> None:
    build(small_corpus)
    dataset = small_corpus.processed_dir / "sentences.parquet"
    pieces = small_corpus.cache_dir / "build" / "pieces" / "sentences"
    parts = sorted(dataset.iterdir())
    assert [part.stat().st_nlink for part in parts] == [1, 1]  # never a link to a cache piece
    assert {part.read_bytes() for part in parts} == {piece.read_bytes() for piece in pieces.glob("*.parquet")}
    (small_corpus.processed_dir / "notes.txt").write_text("my notes", encoding="utf-8")
    first, second = sorted(small_corpus.raw_dir.glob("*.txt"))
    _append_line(second, "新增一句话。")
    build(small_corpus)
    assert (small_corpus.processed_dir / "notes.txt").read_text(
        encoding="utf-8"
    ) == "my notes"  # carried over
    first.unlink()  # one source fewer: its part goes, the other moves to the first position
    result = build(small_corpus)
    assert [part.name for part in dataset.iterdir()] == ["part-00000.parquet"]
    pd.testing.assert_frame_equal(
        read_table("sentences", small_corpus.processed_dir), result.tables["sentences"]
    )
    assert set(read_table("articles", small_corpus.processed_dir)["source"]) == {second.name}
    leftovers = [p.name for p in small_corpus.processed_dir.parent.iterdir() if p.name.startswith(".out.")]
    assert leftovers == [".out.lock"]


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
    for name in CORPUS_TABLES:
        pd.testing.assert_frame_equal(result.tables[name], uncached.tables[name], obj=name)


def test_token_counts_after_a_file_comes_and_goes_equal_a_full_count(small_corpus) -> None:
    # The sums change by the file's rows; a word only that file had must leave, not stay at zero.
    build(small_corpus)
    added = small_corpus.raw_dir / "zz_added.txt"
    added.write_text("沟赵办事处开展鹦鹉螺巡查。\n\n鹦鹉螺巡查覆盖全部社区。\n", encoding="utf-8")
    for expect_word in (True, False):
        result = build(small_corpus)
        counts = result.tables["token_counts"]
        assert counts["token"].eq("鹦鹉螺").any() == expect_word
        uncached = build(small_corpus, use_cache=False, write=False)
        pd.testing.assert_frame_equal(counts, uncached.tables["token_counts"], obj="token_counts")
        added.unlink(missing_ok=True)


def test_a_changed_file_reuses_the_sentences_jieba_cut_last_time(small_corpus, monkeypatch) -> None:
    first = sorted(small_corpus.raw_dir.glob("*.txt"))[0]
    _append_line(first, "改造工期3-5年，A-1地块先行。")  # rjieba would cut these runs differently: jieba does
    build(small_corpus)
    cache = BuildCache(small_corpus.cache_dir / "build")
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


def test_jieba_cuts_of_other_data_files_are_not_reused(small_corpus, tmp_path) -> None:
    lexicons = tmp_path / "data" / "lexicons"
    lexicons.mkdir(parents=True)
    userdict = lexicons / "userdict.txt"
    shutil.copy(small_corpus.lexicon_dir / "userdict.txt", userdict)
    paths = project_paths(
        raw_dir=small_corpus.raw_dir,
        processed_dir=small_corpus.processed_dir,
        cache_dir=small_corpus.cache_dir,
        data_dir=tmp_path / "data",
    )
    first = sorted(small_corpus.raw_dir.glob("*.txt"))[0]
    _append_line(first, "改造工期3-5年，A-1地块先行。")  # a sentence jieba (not rjieba) cuts
    build(paths)
    userdict.write_text(userdict.read_text(encoding="utf-8") + "\n新词语\n", encoding="utf-8")
    _append_line(first, "新增一句话。")
    segmenter = load_resources(paths).segmenter  # the segmenter of the edited lexicon
    cut: list[str] = []
    reference = segmenter._reference

    class CountingJieba:
        def lcut(self, text, *args, **kwargs):
            cut.append(text)
            return reference.lcut(text, *args, **kwargs)

    segmenter.__dict__["_reference"] = CountingJieba()
    try:
        assert len(build(paths).processed) == 2
    finally:
        segmenter.__dict__["_reference"] = reference
    assert any("A-1地块" in text for text in cut)  # cut again: the last cut was made with other data files


def test_a_data_folder_replaces_only_the_files_it_holds(tmp_path) -> None:
    # A user's data folder with one lexicon: every other file comes from the packaged defaults.
    (tmp_path / "lexicons").mkdir()
    (tmp_path / "lexicons" / "stopwords.txt").write_text("的\n了\n", encoding="utf-8")
    resources = load_resources(project_paths(data_dir=tmp_path))
    assert resources.stopwords == frozenset({"的", "了"})
    assert len(resources.gazetteer.units) == len(load_resources(project_paths()).gazetteer.units)
