"""``python -m govnews`` / ``govnews``: build the tables, validate them, make the reports.

Bad input ends with one line naming the file and the problem and exit code 2,
never a traceback; ``--debug`` shows the traceback of an unexpected error.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from govnews.config import project_paths
from govnews.errors import GovnewsError


def _add_path_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--raw", type=Path, help="folder of raw page dumps (.txt) [data/raw]")
    parser.add_argument("--out", type=Path, help="folder for the processed tables [data/processed]")
    parser.add_argument("--cache", type=Path, help="folder for caches [data/interim/cache]")
    parser.add_argument(
        "--data",
        type=Path,
        help="folder of your own lexicons/ and gazetteer/ files, each replacing its default [data]",
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govnews",
        description="Compare Chinese sub-district offices in page dumps: themes, figures, measures.",
    )
    parser.add_argument("--debug", action="store_true", help="show the traceback of unexpected errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser(
        "build",
        help="read the raw page dumps and write every table",
        description="Read every .txt under --raw and write the tables (Parquet and "
        "CSV in UTF-8 with BOM) to --out.",
    )
    _add_path_options(build)
    build.add_argument(
        "--skip-bad",
        action="store_true",
        help="list unreadable files in the summary and the 'rejected' table instead of stopping",
    )
    build.add_argument(
        "--workers", type=_positive_int, metavar="N", help="processes for the per-file steps [all cores]"
    )
    build.add_argument("--no-cache", action="store_true", help="process every file again, ignoring the cache")
    build.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="process files on a Dask cluster: tcp://SCHEDULER:8786, or 'local' for a two-worker "
        "LocalCluster, started only for enough changed text (needs pip install 'govnews[dask]')",
    )

    report = commands.add_parser(
        "report",
        help="build the tables, run every notebook headless, write HTML pages and charts",
        description="Build the tables from --raw, execute every notebook with papermill (one office profile "
        "per office with enough text) and write pages for readers with an index.html. With --raw DIR "
        "everything goes under DIR-report/ beside DIR (tables in DIR-report/processed), with --out OUT "
        "under OUT; the seed corpus's outputs are written only when neither is given.",
    )
    report.add_argument("--raw", type=Path, help="folder of raw page dumps (.txt) [data/raw]")
    report.add_argument(
        "--out",
        type=Path,
        help="folder for the report (pages, charts, tables, cache) [DIR-report or reports]",
    )
    report.add_argument("--tables", type=Path, help="folder for the built tables [OUT/processed]")
    report.add_argument("--cache", type=Path, help="folder for caches [OUT/cache]")
    report.add_argument(
        "--data",
        type=Path,
        help="folder of your own lexicons/ and gazetteer/ files, each replacing its default [data]",
    )
    report.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the report [zh]")
    report.add_argument(
        "--gold",
        type=Path,
        help="gold YAML file describing these pages, for the validation page [data/validation/seeds.yml]",
    )
    report.add_argument(
        "--theme-coding",
        type=Path,
        help="your coding of sampled sentences (see 'sample'), for the themes' validity on the themes page",
    )
    report.add_argument("--skip-bad", action="store_true", help="as for build")

    validate = commands.add_parser(
        "validate",
        help="score built tables against a hand-coded gold file",
        description="Print the scores of the built tables against a gold file, "
        "every miss first, the JSON summary last.",
    )
    validate.add_argument("--gold", type=Path, help="gold YAML file [data/validation/seeds.yml]")
    validate.add_argument("--tables", type=Path, help="folder of built tables [data/processed]")

    sample = commands.add_parser(
        "sample",
        help="draw a random sample of the built sentences for a human to code with themes",
        description="Write N random sentences of the built tables as source,sentence,themes (CSV, UTF-8 "
        "with BOM): fill 'themes' with theme names separated by |, then run validate-themes.",
    )
    sample.add_argument("--n", type=int, default=200, help="sentences to draw [200]")
    sample.add_argument("--out", type=Path, required=True, help="the CSV to write")
    sample.add_argument("--tables", type=Path, help="folder of built tables [data/processed]")
    sample.add_argument("--seed", type=int, default=0, help="seed of the random draw [0]")

    validate_themes = commands.add_parser(
        "validate-themes",
        help="score the theme hits against a human coding (see 'sample')",
        description="Print per-theme precision, recall and F1 against the coding, each office's theme rates "
        "by the coder and by the tool with their rank agreement, and the terms that fire most often "
        "where the coder saw another theme.",
    )
    validate_themes.add_argument("--gold", type=Path, required=True, help="the coded CSV")
    validate_themes.add_argument("--tables", type=Path, help="folder of built tables [data/processed]")
    return parser


def _run_build(args: argparse.Namespace) -> int:
    from govnews.pipeline.build import build, progress_bar

    paths = project_paths(raw_dir=args.raw, processed_dir=args.out, cache_dir=args.cache, data_dir=args.data)
    result = build(
        paths,
        skip_bad=args.skip_bad,
        progress=progress_bar(),
        workers=args.workers,
        dask=args.dask,
        use_cache=not args.no_cache,
    )
    print(result.summary())
    print(f"tables written to {paths.processed_dir}")
    return 0


def _report_paths(args: argparse.Namespace):
    """Where ``report`` reads and writes: under the folder the user named, or named after --raw."""
    defaults = project_paths()
    out = args.out
    if out is None and args.raw is not None and args.raw.resolve() != defaults.raw_dir.resolve():
        # Your own pages never write over the seed corpus's tables and pages.
        out = args.raw.resolve().parent / f"{args.raw.resolve().name}-report"
    if out is None:
        return project_paths(
            raw_dir=args.raw,
            processed_dir=args.tables,
            cache_dir=args.cache,
            data_dir=args.data,
            gold_file=args.gold,
        )
    return project_paths(
        raw_dir=args.raw,
        processed_dir=args.tables or out / "processed",
        cache_dir=args.cache or out / "cache",
        reports_dir=out,
        data_dir=args.data,
        gold_file=args.gold,
    )


def _run_report(args: argparse.Namespace) -> int:
    from govnews.pipeline.build import build, progress_bar
    from govnews.present.report import ReportSettings, run_notebooks, short_corpus_notes, write_index
    from govnews.present.views import office_sizes, offices_to_compare

    paths = _report_paths(args)
    result = build(paths, skip_bad=args.skip_bad, progress=progress_bar())
    print(result.summary())
    sizes = office_sizes(result.tables["articles"], result.tables["sentences"])
    offices = offices_to_compare(sizes)
    extra = (("gold_file", str(paths.gold_file)),)
    if args.theme_coding:
        extra += (("theme_coding_file", str(args.theme_coding.resolve())),)
    settings = ReportSettings(lang=args.lang, extra=extra)
    runs = run_notebooks(paths, offices, report=lambda line: print(line, flush=True), settings=settings)
    index = write_index(runs, paths.reports_dir, args.lang, short_corpus_notes(sizes, args.lang))
    print(f"{len(runs)} pages in {paths.reports_dir}; tables in {paths.processed_dir}; open {index}")
    return 0


def _run_validate(args: argparse.Namespace) -> int:
    from govnews.validate import format_report, score_dir

    paths = project_paths(processed_dir=args.tables, gold_file=args.gold)
    print(format_report(score_dir(paths.gold_file, paths.processed_dir)))
    return 0


def _run_sample(args: argparse.Namespace) -> int:
    from govnews.theme_validation import sample_tables

    print(sample_tables(args.tables, args.n, args.out, seed=args.seed))
    return 0


def _run_validate_themes(args: argparse.Namespace) -> int:
    from govnews.theme_validation import validate_tables

    print(validate_tables(args.gold, args.tables))
    return 0


_COMMANDS = {
    "build": _run_build,
    "report": _run_report,
    "validate": _run_validate,
    "sample": _run_sample,
    "validate-themes": _run_validate_themes,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        with warnings.catch_warnings():
            # jieba's dictionary loader warns through pkg_resources; users need not see it.
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            return _COMMANDS[args.command](args)
    except GovnewsError as exc:
        print(f"govnews: error: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("govnews: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: say so plainly
        if args.debug:
            raise
        print(
            f"govnews: internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
