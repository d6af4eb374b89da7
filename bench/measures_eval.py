"""Dev evaluation of measure extraction on the seed corpus, per source file.

The article splitter is developed separately, so this script does not depend on it: it reads
each raw file, re-joins text lines that end without sentence-final punctuation with the next
non-blank line (the page dumps break sentences across lines), splits sentences at 。！？ and
newlines, runs :func:`govnews.measures.extract_measures` on each sentence and checks every gold
measure of every article of that file against all names found in the file, with the gold
scorer's rule (``measure_hit`` of score.py, repeated below).

usage: .venv/bin/python bench/measures_eval.py [--names]
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from govnews.config import project_paths
from govnews.measures import extract_measures, load_measure_lexicon

# The gold scorer's normal form and matching rule (score.py: norm, measure_hit).
_PUNCT = re.compile(r"[\s\u3000“”\"'‘’『』「」《》〈〉()（）【】\[\],，、。.;；:：!！?？·—\-_/|]+")
_SENTENCE_END = "。！？!?"
_CLOSERS = "”’」』）)"


def norm(text: object) -> str:
    """NFKC, whitespace and punctuation removed (as score.py)."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(text)))


def measure_hit(spellings: list[str], names: list[str]) -> bool:
    """score.py's rule: a name contains a gold spelling, or is inside it and ≥ 2/3 of its length."""
    gold = [norm(s) for s in spellings]
    for name in names:
        if not name:
            continue
        for g in gold:
            if g and (g in name or (name in g and len(name) * 3 >= len(g) * 2)):
                return True
    return False


def rejoin_lines(text: str) -> list[str]:
    """Paragraphs: a line not ending in sentence punctuation continues on the next non-blank line."""
    paragraphs: list[str] = []
    current = ""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        current += line
        if current.rstrip(_CLOSERS)[-1:] in _SENTENCE_END:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def split_sentences(paragraph: str) -> list[str]:
    """Sentences ending at 。！？ (closing marks kept with their sentence)."""
    pattern = f"[^{_SENTENCE_END}]*(?:[{_SENTENCE_END}]+[{_CLOSERS}]*|$)"
    return [s.strip() for s in re.findall(pattern, paragraph) if s.strip()]


@dataclass
class FileResult:
    """Measures found in one raw file and the gold measures they were scored against."""

    source: str
    measures: pd.DataFrame
    found: list[tuple[str, str]]
    missed: list[tuple[str, str]]


def evaluate_file(path: Path, gold_articles: list[dict]) -> FileResult:
    """Extract measures from one raw file and score the gold measures of its articles."""
    lexicon = load_measure_lexicon()
    text = path.read_text(encoding="utf-8")
    frames = [
        extract_measures(sentence, lexicon=lexicon)
        for paragraph in rejoin_lines(text)
        for sentence in split_sentences(paragraph)
    ]
    measures = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["name"])
    names = [norm(name) for name in measures["name"]]
    found, missed = [], []
    for article in gold_articles:
        for spellings in article["measures"]:
            (found if measure_hit(spellings, names) else missed).append((article["id"], spellings[0]))
    return FileResult(path.name, measures, found, missed)


def evaluate(raw_dir: Path | None = None, gold_file: Path | None = None) -> list[FileResult]:
    """Evaluate every raw file that the gold file annotates."""
    paths = project_paths()
    raw_dir = raw_dir or paths.raw_dir
    gold = yaml.safe_load((gold_file or paths.gold_file).read_text(encoding="utf-8"))
    by_source: dict[str, list[dict]] = {}
    for article in gold["articles"]:
        by_source.setdefault(article["source"], []).append(article)
    return [evaluate_file(raw_dir / source, articles) for source, articles in sorted(by_source.items())]


def recall(results: list[FileResult]) -> float:
    """Share of gold measures found."""
    found = sum(len(r.found) for r in results)
    total = found + sum(len(r.missed) for r in results)
    return found / total if total else 1.0


def main(argv: list[str] | None = None) -> int:
    """Print misses, extracted names and recall."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", action="store_true", help="list every extracted name with its evidence")
    args = parser.parse_args(argv)
    results = evaluate()
    for result in results:
        print(
            f"== {result.source}: {len(result.found)} found, {len(result.missed)} missed, "
            f"{len(result.measures)} measures extracted"
        )
        for article_id, spelling in result.missed:
            print(f"   MISS {article_id}: {spelling}")
        if args.names:
            for row in result.measures.itertuples(index=False):
                extra = f" [{row.components}]" if row.components else ""
                extra += f" {{{row.expansions}}}" if row.expansions else ""
                print(f"   {row.evidence:22} {row.kind or '-':4} {row.name}{extra}")
    n_gold = sum(len(r.found) + len(r.missed) for r in results)
    n_extracted = sum(len(r.measures) for r in results)
    print(f"recall {recall(results):.3f} over {n_gold} gold measures; {n_extracted} measures extracted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
