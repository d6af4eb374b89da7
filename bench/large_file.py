"""Benchmark one large page dump against the same text split into pages.

    .venv/bin/python bench/large_file.py --mb 20            # the issue-19 check: ratio must stay under 2
    .venv/bin/python bench/large_file.py --scaling 0.5 1 2 4 8   # cold build time of one file of each size

Makes page dumps as ``build_speed.py`` does (real paragraphs of data/raw resampled into pages of about
10,000 characters), then writes the same text once as one file (pages separated by blank lines, as a
dump of a whole newspaper run comes) and once as one file per page, and times a cold ``govnews build``
(its own process, empty cache) of each. Prints a table and one JSON line. ``--scaling`` times the single
file at each size: a build linear in the size of one file takes about twice as long for twice the text.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_speed import make_corpus


def _pages(folder: Path, n_bytes: int) -> list[str]:
    """Pages of about ``n_bytes`` of UTF-8 in all."""
    make_corpus(folder, n_bytes // 3 + 1)  # Chinese text: three bytes a character
    return [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))]


def _cold_build(raw: Path, work: Path, workers: int | None) -> float:
    out, cache = work / "out", work / "cache"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "govnews",
        "build",
        "--raw",
        str(raw),
        "--out",
        str(out),
        "--cache",
        str(cache),
    ]
    if workers:
        command += ["--workers", str(workers)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"build failed:\n{done.stderr[-2000:]}")
    return elapsed


def _layouts(work: Path, n_bytes: int) -> tuple[Path, Path, int]:
    pages = _pages(work / "source", n_bytes)
    single, split = work / "single", work / "split"
    single.mkdir()
    split.mkdir()
    (single / "dump.txt").write_text("\n\n\n".join(pages), encoding="utf-8")
    for number, page in enumerate(pages):
        (split / f"page_{number:05d}.txt").write_text(page, encoding="utf-8")
    return single, split, sum(map(len, pages))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20, help="megabytes of UTF-8 text")
    parser.add_argument("--scaling", type=float, nargs="*", help="time one file of each of these sizes (MB)")
    parser.add_argument("--workers", type=int, help="passed to govnews build")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (the best is reported)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="govnews_large_"))
    try:
        if args.scaling:
            rows = []
            for size in args.scaling:
                folder = work / f"{size}"
                (folder / "source").mkdir(parents=True)
                single, _, n_chars = _layouts(folder, int(size * 1_000_000))
                elapsed = min(_cold_build(single, folder, args.workers) for _ in range(args.repeat))
                rows.append({"mb": size, "chars": n_chars, "single_file_s": round(elapsed, 2)})
                print(f"{size:>6} MB {n_chars:>12,} characters  one file {elapsed:8.2f} s", flush=True)
            print(json.dumps(rows))
            return
        (work / "source").mkdir()
        single, split, n_chars = _layouts(work, int(args.mb * 1_000_000))
        one = min(_cold_build(single, work, args.workers) for _ in range(args.repeat))
        pages = min(_cold_build(split, work, args.workers) for _ in range(args.repeat))
        n_pages = len(list(split.glob("*.txt")))
        print(f"text: {args.mb} MB, {n_chars:,} characters, {n_pages} pages")
        print(f"one file        {one:8.2f} s")
        print(f"{n_pages} pages {pages:8.2f} s")
        print(f"ratio           {one / pages:8.2f} (target < 2)")
        print(
            json.dumps(
                {
                    "mb": args.mb,
                    "chars": n_chars,
                    "pages": n_pages,
                    "one_file_s": round(one, 2),
                    "pages_s": round(pages, 2),
                    "ratio": round(one / pages, 3),
                }
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
