"""Faults without wrong answers: each finding of the fault-injection review, reproduced deterministically.

Every test ends in the right tables or in one line naming the problem, never in a silent wrong answer.
Crashes are injected at named steps (``GOVNEWS_FAULT=STEP`` stops the build there as kill -9 would, see
:mod:`govnews.pipeline.faults`), renames and listings are patched, and nothing sleeps. The races run once
here; ``GOVNEWS_FAULT_REPEAT=100 .venv/bin/python -m pytest tests/test_faults.py`` repeats them 100 times.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import shutil
import socket
import time
from pathlib import Path

import pandas as pd
import pytest
from filelock import FileLock

import govnews.cli as cli
from govnews.config import project_paths
from govnews.errors import GovnewsError
from govnews.ingest.load import load_raw_files
from govnews.pipeline import folders
from govnews.pipeline.build import BuildSettings, build
from govnews.pipeline.cache import BuildCache
from govnews.pipeline.faults import FAULT_EXIT
from govnews.pipeline.tables import read_table

PAGE = "沟赵办事处推进老旧小区改造\n\n本报讯 沟赵办事处坚持党建引领，推进重点项目建设，完成老旧小区改造12个。\n\n记者 张三\n"
OTHER_PAGE = PAGE.replace("沟赵", "枫杨")


def _cli(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.out, captured.err


def _build_cli(capsys, raw: Path, out: Path, *options: str) -> tuple[int, str, str]:
    return _cli(
        capsys, "build", "--raw", str(raw), "--out", str(out), "--cache", str(out.parent / "cache"), *options
    )


# ----------------------------------------------------------------------------- files that are not read


def test_a_fifo_named_txt_is_named_and_rejected_with_skip_bad(raw_dir: Path, tmp_path: Path, capsys) -> None:
    (raw_dir / "page.txt").write_text(PAGE, encoding="utf-8")
    os.mkfifo(raw_dir / "pipe.txt")
    code, _, err = _build_cli(capsys, raw_dir, tmp_path / "out")
    assert (code, err) == (
        2,
        f"govnews: error: {raw_dir / 'pipe.txt'}: a FIFO, not a page dump; nothing to read\n",
    )
    code, out, err = _build_cli(capsys, raw_dir, tmp_path / "out", "--skip-bad")
    assert (code, err) == (0, "")
    assert "files not read: 1 (in the rejected table)" in out.splitlines()
    assert read_table("rejected", tmp_path / "out").values.tolist() == [
        ["pipe.txt", 0, "a FIFO, not a page dump; nothing to read"]
    ]


def test_an_unreadable_sub_folder_is_named(raw_dir: Path, monkeypatch) -> None:
    (raw_dir / "page.txt").write_text(PAGE, encoding="utf-8")
    locked = raw_dir / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(OTHER_PAGE, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):
        # Tests run as root, where chmod cannot hide a folder: refuse as the OS would for another user.
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(GovnewsError) as error:
        load_raw_files(raw_dir)
    assert error.value.message == f"{locked}: cannot read folder: Permission denied"
    files, rejected = load_raw_files(raw_dir, skip_bad=True)
    assert [raw.source for raw in files] == ["page.txt"]
    assert rejected.values.tolist() == [["locked", 0, "cannot read folder: Permission denied"]]


def test_pages_in_another_format_beside_the_txt_files_are_listed_as_not_read(raw_dir: Path) -> None:
    (raw_dir / "page.txt").write_text(PAGE, encoding="utf-8")
    (raw_dir / "page2.md").write_text(OTHER_PAGE, encoding="utf-8")
    (raw_dir / "metadata.csv").write_text("source\n", encoding="utf-8")  # not a page: not listed
    files, rejected = load_raw_files(raw_dir)
    assert [raw.source for raw in files] == ["page.txt"]
    assert rejected.values.tolist() == [
        [
            "page2.md",
            len(OTHER_PAGE.encode()),
            "not read: only .txt files are page dumps (save it as UTF-8 text: page2.txt)",
        ]
    ]


def test_a_raw_folder_that_is_a_file_is_named_as_such(tmp_path: Path, capsys) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    code, _, err = _build_cli(capsys, page, tmp_path / "out")
    assert (code, err) == (
        2,
        f"govnews: error: {page}: is a file, not a folder; name the folder that holds the page dumps\n",
    )


@pytest.mark.parametrize("workers", ["0", "-3", "two"])
def test_workers_must_be_a_positive_integer(tmp_path: Path, capsys, workers: str) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["build", "--raw", str(tmp_path), "--workers", workers])
    assert done.value.code == 2
    assert f"--workers: must be a positive integer, not {workers!r}" in capsys.readouterr().err


# ----------------------------------------------------------------------------- strict data files

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("relative", "key"),
    [
        ("lexicons/themes.yml", "themes"),
        ("lexicons/units.yml", "magnitudes"),
        ("lexicons/measures.yml", "kinds"),
        ("lexicons/year_cues.yml", "periods"),
    ],
)
def test_a_key_given_twice_in_a_yaml_data_file_is_refused_with_file_and_line(
    tmp_path: Path, relative: str, key: str
) -> None:
    from govnews.resources import load_resources

    text = (REPO / "data" / relative).read_text(encoding="utf-8")
    edited = tmp_path / relative
    edited.parent.mkdir(parents=True)
    edited.write_text(text + f"\n{key}: []\n", encoding="utf-8")
    with pytest.raises(GovnewsError) as error:
        load_resources(project_paths(data_dir=tmp_path))
    first = text.splitlines().index(f"{key}:") + 1
    assert (error.value.path, error.value.line) == (edited, len(text.splitlines()) + 2)
    assert error.value.problem == f"duplicate key '{key}' (first on line {first})"


def test_a_key_given_twice_in_an_override_is_refused_with_file_and_line(tmp_path: Path) -> None:
    from govnews.resources import load_resources

    overrides = tmp_path / "overrides.yml"
    overrides.write_text(
        "- source: a.txt\n  snippet: 沟赵\n  office: 沟赵办事处\n  snippet: 枫杨\n", encoding="utf-8"
    )
    with pytest.raises(GovnewsError) as error:
        load_resources(project_paths(data_dir=tmp_path))
    assert error.value.message == f"{overrides}:4: duplicate key 'snippet' (first on line 2)"


@pytest.mark.parametrize(
    ("relative", "key"),
    [
        ("gazetteer/offices.csv", "office"),
        ("gazetteer/districts.csv", "district"),
        ("gazetteer/zones.csv", "zone"),
    ],
)
def test_a_name_listed_twice_in_a_gazetteer_file_is_refused_with_file_and_line(
    tmp_path: Path, relative: str, key: str
) -> None:
    from govnews.resources import load_resources

    lines = (REPO / "data" / relative).read_text(encoding="utf-8").splitlines()
    header = next(number for number, line in enumerate(lines) if line.startswith(f"{key},"))
    first_row = next(
        number for number, line in enumerate(lines) if number > header and line and not line.startswith("#")
    )
    edited = tmp_path / relative
    edited.parent.mkdir(parents=True)
    edited.write_text("\n".join([*lines, lines[first_row]]) + "\n", encoding="utf-8")
    with pytest.raises(GovnewsError) as error:
        load_resources(project_paths(data_dir=tmp_path))
    name = lines[first_row].split(",")[0]
    assert (error.value.path, error.value.line) == (edited, len(lines) + 1)
    assert error.value.problem == f"{key} listed twice: {name} (first on line {first_row + 1})"


@pytest.mark.parametrize(
    ("relative", "text"),
    [
        ("gazetteer/not_office_names.txt", "# names that are no office\n张三办事处\n"),
        ("gazetteer/not_district_names.txt", "# names that are no district\n张三区\n"),
        ("lexicons/surnames.txt", "# surnames\n张 李\n"),
        ("gazetteer/offices.csv", "office,aliases,district,city\n沟赵办事处,,高新区,郑州\n"),
    ],
)
def test_a_data_file_in_gbk_is_refused_with_file_line_and_byte(
    tmp_path: Path, relative: str, text: str
) -> None:
    from govnews.resources import load_resources

    edited = tmp_path / relative
    edited.parent.mkdir(parents=True)
    edited.write_bytes(text.encode("gbk"))
    with pytest.raises(GovnewsError) as error:
        load_resources(project_paths(data_dir=tmp_path))
    first_line = len(text.splitlines()[0]) + 1  # ASCII: the second line starts at this byte
    assert (error.value.path, error.value.line) == (edited, 2)
    assert error.value.problem.startswith("not UTF-8 text (")
    assert error.value.problem.endswith(f" at byte {first_line}); save it as UTF-8")


# ----------------------------------------------------------------------------- crashes, races, damage

# A batch per file (two files, two batches), every lock refused at once instead of waited for.
SETTINGS = BuildSettings(batch_files=1)
REPEAT = int(os.environ.get("GOVNEWS_FAULT_REPEAT", "1"))


def _pages(raw: Path) -> None:
    (raw / "a.txt").write_text(PAGE + "\n辖区建成“红色驿站”3个。\n", encoding="utf-8")
    (raw / "b.txt").write_text(OTHER_PAGE, encoding="utf-8")


def _csvs(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.csv"))}


def _in_child(target, *args) -> int:
    """Run ``target(*args)`` in a forked process (the resources loaded here come along); its exit code."""
    process = multiprocessing.get_context("fork").Process(target=target, args=args)
    process.start()
    process.join()
    return process.exitcode


def _build_and_exit(paths, fault: str | None = None, settings: BuildSettings = SETTINGS) -> None:
    if fault:
        os.environ["GOVNEWS_FAULT"] = fault
    try:
        build(paths, settings=settings)
    except GovnewsError as error:
        print(f"govnews: error: {error.message}", flush=True)
        os._exit(2)
    os._exit(0)


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    """Two pages built once ("old"), then one page changed; the tables a fresh build of it gives ("new")."""
    root = tmp_path_factory.mktemp("faults")
    raw = root / "raw"
    raw.mkdir()
    _pages(raw)
    paths = project_paths(raw_dir=raw, processed_dir=root / "out", cache_dir=root / "cache")
    build(paths, settings=SETTINGS)
    old = _csvs(paths.processed_dir)
    with (raw / "b.txt").open("a", encoding="utf-8") as page:
        page.write("\n新增一句话：完成道路改造5条。\n")
    fresh = project_paths(raw_dir=raw, processed_dir=root / "fresh", cache_dir=root / "fresh_cache")
    build(fresh, settings=SETTINGS, use_cache=False)
    return root, old, _csvs(fresh.processed_dir)


@pytest.fixture
def corpus(built_once, tmp_path: Path):
    """A copy of the corpus built once: its paths, the old tables and the new ones."""
    root, old, new = built_once
    for name in ("raw", "out", "cache"):
        shutil.copytree(root / name, tmp_path / name)
    return (
        project_paths(raw_dir=tmp_path / "raw", processed_dir=tmp_path / "out", cache_dir=tmp_path / "cache"),
        old,
        new,
    )


def _no_leftovers(paths) -> None:
    out = paths.processed_dir
    beside = sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))
    assert beside == [f".{out.name}.lock"]
    assert [p for p in paths.cache_dir.rglob("*.tmp")] == []
    assert [p for p in out.rglob(".*")] == []


CRASH_STEPS = [
    "lock-acquired",
    "pieces-written",
    "cache-parts-written",
    "cache-manifest-written",
    "tables-staged",
    "tables-swapped",
    "outputs-recorded",
]


@pytest.mark.parametrize("step", CRASH_STEPS)
def test_a_build_killed_at_each_commit_step_leaves_one_whole_set_and_the_next_build_is_right(
    corpus, step: str
) -> None:
    paths, old, new = corpus
    assert _in_child(_build_and_exit, paths, step) == FAULT_EXIT
    assert _csvs(paths.processed_dir) in (old, new)  # the old set or the new one, never a mix
    build(paths, settings=SETTINGS)
    assert _csvs(paths.processed_dir) == new
    _no_leftovers(paths)


def test_a_build_killed_between_the_two_renames_leaves_the_old_set_whole(corpus, monkeypatch) -> None:
    # A file system without an atomic exchange: the old set is moved aside, then the new one renamed in.
    paths, old, new = corpus
    monkeypatch.setattr(folders, "_exchange", lambda first, second: False)
    assert _in_child(_build_and_exit, paths, "tables-moved-aside") == FAULT_EXIT
    assert not paths.processed_dir.exists()
    folders.remove_leftovers(paths.processed_dir)  # what the next build does first, under the lock
    assert _csvs(paths.processed_dir) == old
    build(paths, settings=SETTINGS)
    assert _csvs(paths.processed_dir) == new
    _no_leftovers(paths)


def test_a_second_build_refuses_while_the_first_holds_the_lock(corpus) -> None:
    paths, old, _ = corpus
    lock = folders.lock_path(paths.processed_dir.resolve())
    with FileLock(lock), pytest.raises(GovnewsError) as error:
        build(paths, settings=BuildSettings(batch_files=1, lock_timeout_s=0))
    assert error.value.message == (
        f"{lock}: another build is writing the output folder {paths.processed_dir.resolve()}; "
        "try again when it has finished"
    )
    assert _csvs(paths.processed_dir) == old
    cache_lock = paths.cache_dir / ".build.lock"
    with FileLock(cache_lock), pytest.raises(GovnewsError) as error:
        build(paths, settings=BuildSettings(batch_files=1, lock_timeout_s=0))
    assert error.value.path == cache_lock and "another build is writing the cache" in error.value.problem


@pytest.mark.parametrize("same_output", [False, True], ids=["two-outputs", "one-output"])
def test_two_builds_racing_on_one_cache_both_give_the_right_tables(corpus, tmp_path, same_output) -> None:
    paths, _, new = corpus
    other = project_paths(
        raw_dir=paths.raw_dir,
        processed_dir=paths.processed_dir if same_output else tmp_path / "other",
        cache_dir=paths.cache_dir,
    )
    for _ in range(REPEAT):
        context = multiprocessing.get_context("fork")
        racers = [context.Process(target=_build_and_exit, args=(p,)) for p in (paths, other)]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join()
        assert [racer.exitcode for racer in racers] == [0, 0]
        assert _csvs(paths.processed_dir) == new and _csvs(other.processed_dir) == new
        # And the cache they shared still gives the right tables after one more change.
        shutil.rmtree(paths.processed_dir)
        build(paths, settings=SETTINGS)
        assert _csvs(paths.processed_dir) == new
        _no_leftovers(paths)


def _a_piece(paths, table: str, suffix: str, source: str) -> Path:
    manifest = BuildCache(paths.cache_dir / "build").manifest
    return paths.cache_dir / "build" / "pieces" / table / f"{manifest['batches'][source]}{suffix}"


def _a_part(paths, table: str) -> Path:
    manifest = BuildCache(paths.cache_dir / "build").manifest
    return paths.cache_dir / "build" / manifest["rows"][table]["a.txt"][0]


DAMAGE = {
    "emptied": lambda data: b"",
    "truncated": lambda data: data[: len(data) // 2],
    "altered": lambda data: data[:-40] + bytes([data[-40] ^ 1]) + data[-39:],
}


@pytest.mark.parametrize(
    ("where", "damage"),
    [
        ("articles.csv piece", "emptied"),
        ("articles.csv piece", "altered"),
        ("articles.parquet piece", "truncated"),
        ("sentences part", "truncated"),
        ("sentences part", "altered"),
        ("corpus part", "emptied"),
    ],
)
def test_a_damaged_cache_file_is_made_again_with_a_warning(corpus, where: str, damage: str) -> None:
    paths, _, new = corpus
    if where.endswith("piece"):
        table, suffix = where.split()[0].split(".")
        damaged = _a_piece(paths, table, f".{suffix}", "a.txt")
    elif where == "sentences part":
        damaged = _a_part(paths, "sentences")
    else:
        damaged = next((paths.cache_dir / "build").glob("corpus_theme_counts-*.parquet"))
    damaged.write_bytes(DAMAGE[damage](damaged.read_bytes()))
    result = build(paths, settings=SETTINGS)  # b.txt changed: the tables are written again
    warnings = [line for line in result.summary().splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and str(damaged) in warnings[0] and warnings[0].endswith(": made again")
    assert _csvs(paths.processed_dir) == new
    if where != "corpus part":
        assert "a.txt" in result.processed
    again = build(paths, settings=SETTINGS, write=False)  # the cache is whole again: no warning
    assert again.warnings == []


def test_damage_to_a_written_table_does_not_reach_the_cache(corpus) -> None:
    paths, _, new = corpus
    build(paths, settings=SETTINGS)
    part = next((paths.processed_dir / "articles.parquet").iterdir())
    part.write_bytes(b"")  # a user's tool truncates a written table
    (paths.processed_dir / "articles.csv").unlink()
    build(paths, settings=SETTINGS)
    assert _csvs(paths.processed_dir) == new
    expected = pd.read_csv(io.BytesIO(new["articles.csv"]), encoding="utf-8-sig")
    assert (
        read_table("articles", paths.processed_dir)["article_id"].tolist() == expected["article_id"].tolist()
    )


@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_written_tables_follow_the_umask(corpus, mask: int) -> None:
    paths, _, _ = corpus
    previous = os.umask(mask)
    try:
        shutil.rmtree(paths.processed_dir)
        build(paths, settings=SETTINGS)
    finally:
        os.umask(previous)
    modes = {oct(p.stat().st_mode & 0o777) for p in [paths.processed_dir, *paths.processed_dir.rglob("*")]}
    assert modes == {oct(0o777 & ~mask), oct(0o666 & ~mask)}


# ----------------------------------------------------------------------------- workers


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie has ended; only its exit status waits to be collected


def test_pool_workers_die_with_a_killed_build(corpus, capfd) -> None:
    paths, _, _ = corpus
    eager = BuildSettings(batch_files=1, parallel_min_chars=0)
    shutil.rmtree(paths.cache_dir)  # both files to process: two batches for two workers
    assert _in_child(_build_and_exit, paths, "pool-started", eager) == FAULT_EXIT
    line = next(
        line for line in capfd.readouterr().err.splitlines() if "fault injected at pool-started" in line
    )
    workers = [int(pid) for pid in line.split("pool-started")[1].split()]
    assert len(workers) == 2
    deadline = time.monotonic() + 30  # the kernel ends them at once; a loaded machine may take a moment
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)


def test_a_worker_that_dies_is_reported_in_one_line(corpus, monkeypatch) -> None:
    paths, old, _ = corpus
    shutil.rmtree(paths.cache_dir)
    monkeypatch.setenv("GOVNEWS_FAULT", "pieces-written")  # the pool's workers end there, as if killed
    with pytest.raises(GovnewsError) as error:
        build(paths, workers=2, settings=BuildSettings(batch_files=1, parallel_min_chars=0))
    assert error.value.message == (
        "a worker process died while processing files (killed, or out of memory); "
        "run the build again, with fewer --workers if memory is short"
    )
    assert _csvs(paths.processed_dir) == old


def _listening_socket() -> socket.socket:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    return server


def test_a_port_that_is_not_a_dask_scheduler_is_a_one_line_error_within_seconds(corpus) -> None:
    pytest.importorskip("distributed")
    paths, _, _ = corpus
    quick = BuildSettings(batch_files=1, dask_timeout_s=1)
    with _listening_socket() as silent:  # accepts and never answers, as a dashboard's port would
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(GovnewsError) as error:
            build(paths, dask=address, settings=quick)
    assert time.monotonic() - started < 10
    assert error.value.message.startswith(f"cannot reach a Dask scheduler at {address} within 1 s (")
    assert "\n" not in error.value.message
    closed = _listening_socket()
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there any more: the connection is refused
    with pytest.raises(GovnewsError) as error:
        build(paths, dask=f"tcp://127.0.0.1:{port}", settings=quick)
    assert error.value.message.startswith(
        f"cannot reach a Dask scheduler at tcp://127.0.0.1:{port} within 1 s"
    )


def test_a_scheduler_without_workers_is_a_one_line_error_within_seconds(corpus) -> None:
    distributed = pytest.importorskip("distributed")
    paths, _, _ = corpus
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None) as empty:
        started = time.monotonic()
        with pytest.raises(GovnewsError) as error:
            build(
                paths, dask=empty.scheduler_address, settings=BuildSettings(batch_files=1, dask_timeout_s=1)
            )
    assert time.monotonic() - started < 10
    assert error.value.message == (
        f"the Dask scheduler at {empty.scheduler_address} has no workers (none joined within 1 s); "
        f"start workers with: dask worker {empty.scheduler_address}"
    )


def test_a_dask_worker_with_other_data_files_fails_the_build_naming_itself(corpus, monkeypatch) -> None:
    pytest.importorskip("distributed")
    paths, old, _ = corpus
    shutil.rmtree(paths.cache_dir)  # two batches to process: a local cluster is started for them
    # The local cluster's workers start with this variable: each pretends to see other data files.
    monkeypatch.setenv("GOVNEWS_FAULT", "other-data-files")
    with pytest.raises(GovnewsError) as error:
        build(paths, dask="local", settings=BuildSettings(batch_files=1, parallel_min_chars=0))
    assert error.value.message.startswith("Dask worker tcp://127.0.0.1:")
    assert "sees other data files or another govnews than this machine" in error.value.message
    assert _csvs(paths.processed_dir) == old  # nothing written


# ----------------------------------------------------------------------------- one large file


def test_a_large_file_reports_each_step_while_it_is_processed(corpus, capsys) -> None:
    paths, _, new = corpus
    shutil.rmtree(paths.cache_dir)
    size = len((paths.raw_dir / "b.txt").read_text(encoding="utf-8"))
    assert len((paths.raw_dir / "a.txt").read_text(encoding="utf-8")) < size
    large = BuildSettings(batch_files=1, large_file_chars=size)  # b.txt counts as large, a.txt not
    build(paths, settings=large, progress=lambda batches: batches)
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(": ")[1] for line in lines][:2] == [
        f"b.txt ({size:,} characters)",
        f"b.txt ({size:,} characters)",
    ]
    assert [line.rsplit(": ", 1)[1].split(" done")[0] for line in lines] == [
        "articles",
        "sentences",
        "removed",
        "figures",
        "figure_checks",
        "measures",
        "measure_candidates",
        "theme_hits",
        "token_counts",
    ]
    assert _csvs(paths.processed_dir) == new
