"""Benchmark `govnews build` against bare jieba on a synthetic corpus of about N characters.

    .venv/bin/python bench/build_speed.py --chars 2000000 [--workers 2] [--dask local] [--repeat 3]

Makes page dumps by resampling real paragraphs of data/raw (office names varied through the gazetteer so
that attribution has work to do), then measures, on the same machine in one run:

1. bare ``jieba.lcut`` over exactly the same text, in one process (the reference);
2. ``govnews build`` cold (empty cache);
3. ``govnews build`` warm (nothing changed);
4. ``govnews build`` after one raw file changed.

Each step runs in its own process; wall time is the median of ``--repeat`` runs, peak memory the largest
resident set of the whole process tree seen while it ran. Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import psutil

REPO = Path(__file__).resolve().parents[1]
PAGE_CHARS = 10_000

JIEBA_REFERENCE = """
import sys, pathlib, jieba, logging
jieba.setLogLevel(logging.WARNING)
jieba.initialize()
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.txt")):
    for line in path.read_text(encoding="utf-8").splitlines():
        jieba.lcut(line)
"""


def _paragraphs() -> tuple[list[str], list[str]]:
    headings, bodies = [], []
    for path in sorted((REPO / "data" / "raw").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip().lstrip("#").strip()
            if not line:
                continue
            (bodies if len(line) > 40 else headings).append(line)
    return headings, bodies


def make_corpus(folder: Path, n_chars: int, seed: int = 0) -> int:
    """Write page dumps of about ``n_chars`` characters into ``folder``; returns the characters written."""
    rng = random.Random(seed)
    headings, bodies = _paragraphs()
    offices = (
        pd.read_csv(REPO / "data" / "gazetteer" / "offices.csv", dtype=str)["office"]
        .str.replace("办事处", "", regex=False)
        .tolist()
    )
    written, page_no = 0, 0
    while written < n_chars:
        lines: list[str] = []
        page_office = rng.choice(offices)
        while sum(map(len, lines)) < PAGE_CHARS:
            lines += [rng.choice(headings), "", "本报讯 " + rng.choice(bodies), ""]
            lines += [p for _ in range(rng.randint(3, 8)) for p in (rng.choice(bodies), "")]
            lines += ["记者 张三 通讯员 李四", "", ""]
        text = "\n".join(lines)
        for office in offices:
            text = text.replace(office, page_office)
        (folder / f"page_{page_no:05d}.txt").write_text(text, encoding="utf-8")
        written += len(text)
        page_no += 1
    return written


def _run(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident bytes of the process tree of ``command``."""
    start = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{process.stderr.read().decode()[-2000:]}")
    return elapsed, peak


def _median_run(command: list[str], repeat: int, before=None) -> tuple[float, int]:
    times, peaks = [], []
    for _ in range(repeat):
        if before:
            before()
        elapsed, peak = _run(command)
        times.append(elapsed)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=2_000_000, help="size of the synthetic corpus")
    parser.add_argument("--workers", type=int, default=None, help="passed to govnews build")
    parser.add_argument("--dask", help="passed to govnews build (e.g. local: a two-worker LocalCluster)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median reported)")
    parser.add_argument("--keep", type=Path, help="keep the synthetic corpus and outputs in this folder")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="govnews_bench_"))
    raw, out, cache = work / "raw", work / "out", work / "cache"
    raw.mkdir(parents=True, exist_ok=True)
    n_chars = make_corpus(raw, args.chars)
    n_files = len(list(raw.glob("*.txt")))
    python = sys.executable
    build = [python, "-m", "govnews", "build", "--raw", str(raw), "--out", str(out), "--cache", str(cache)]
    if args.workers:
        build += ["--workers", str(args.workers)]
    if args.dask:
        build += ["--dask", args.dask]

    def clear_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    changed_file = sorted(raw.glob("*.txt"))[0]
    original = changed_file.read_text(encoding="utf-8")
    counter = iter(range(10**6))

    def change_one_file() -> None:
        changed_file.write_text(original + f"\n新增第{next(counter)}句话。\n", encoding="utf-8")

    results = {
        "jieba": _median_run([python, "-c", JIEBA_REFERENCE, str(raw)], args.repeat),
        "cold": _median_run(build, args.repeat, clear_cache),
    }
    _run(build)
    results["warm"] = _median_run(build, args.repeat)
    results["one_file_changed"] = _median_run(build, args.repeat, change_one_file)
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)

    print(f"corpus: {n_chars:,} characters in {n_files} files")
    print(f"{'step':<18}{'wall s':>10}{'chars/s':>14}{'peak MB':>10}")
    for step, (elapsed, peak) in results.items():
        print(f"{step:<18}{elapsed:>10.2f}{n_chars / elapsed:>14,.0f}{peak / 2**20:>10.0f}")
    summary = {
        "chars": n_chars,
        "files": n_files,
        **{f"{step}_s": round(elapsed, 3) for step, (elapsed, _) in results.items()},
        **{f"{step}_peak_mb": round(peak / 2**20) for step, (_, peak) in results.items()},
        "ratio_cold_to_jieba": round(results["cold"][0] / results["jieba"][0], 3),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
