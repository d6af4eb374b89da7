"""Dev evaluation of figure extraction on the seed corpus, one source file at a time.

The article splitter is not used here: each raw file is cut into sentences directly (a text line
that ends without sentence-final punctuation is re-joined with the next non-blank line, since page
dumps break lines mid-word, e.g. ``拆除面积近`` / ``500平方米``; photo captions listed in the gold
file are dropped), :func:`govnews.figures.extract_figures_from_sentences` runs on every sentence, and the rows
are compared with all gold figures of the articles of that file, with the scorer's rules
(same value within a relative 1e-6, same unit after aliases; date rows are not scored):

* recall - share of required gold figures found;
* qualifier accuracy - share of found gold figures with a matching row of the same qualifier;
* precision proxy - share of non-date rows whose value equals some gold value of the file;
* negatives hit - ``not_figures`` strings that a non-date row's span overlaps in its sentence.

usage: .venv/bin/python bench/figures_eval.py [RAW_DIR] [GOLD_FILE]
(defaults: the project's raw folder and ``data/validation/seeds.yml``)
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from govnews.config import project_paths
from govnews.figures import UnitLexicon, extract_figures_from_sentences

_SENTENCE_FINAL = re.compile(r"[。！？!?][”’」』）)]*\s*$")
_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")
_PUNCT = re.compile(r"[\s\u3000“”\"'‘’『』「」《》〈〉()（）【】\[\],，、。.;；:：!！?？·—\-_/|]+")
_UNIT_ALIASES = {
    "％": "%",
    "百分之": "%",
    "个月": "月",
    "m2": "平方米",
    "m²": "平方米",
    "km2": "平方公里",
    "亿元": "元",
    "万元": "元",
    "亿": "元",
}
_UNSCORED_CATEGORIES = ("date", "year", "ordinal", "time")


@dataclass
class FileScore:
    """Evaluation counts of one source file, with the lines to print."""

    source: str
    required: int = 0
    found: int = 0
    qualifier_right: int = 0
    predicted: int = 0
    predicted_matched: int = 0
    misses: list[str] = field(default_factory=list)
    wrong_qualifiers: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    negatives_hit: list[str] = field(default_factory=list)


def split_dump_sentences(text: str, captions: frozenset[str] = frozenset()) -> list[str]:
    """Sentences of a raw page dump: broken lines re-joined, caption lines dropped."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and line not in captions]
    paragraphs: list[str] = []
    pending = ""
    for line in lines:
        pending += line
        if _SENTENCE_FINAL.search(pending):
            paragraphs.append(pending)
            pending = ""
    if pending:
        paragraphs.append(pending)
    return [m.group().strip() for p in paragraphs for m in _SENTENCE.finditer(p) if m.group().strip()]


def _norm(text: object) -> str:
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(text or "")))


def _same_value(predicted: float, gold: float) -> bool:
    return abs(predicted - gold) <= 1e-6 * max(1.0, abs(gold))


def _unit_ok(predicted: str, gold: str) -> bool:
    p, g = _norm(predicted), _norm(gold)
    p, g = _UNIT_ALIASES.get(p, p), _UNIT_ALIASES.get(g, g)
    return p == g or (g == "元" and p in ("", "元"))


def _overlaps(span: str, negative: str, sentence: str) -> bool:
    span, negative, sentence = (unicodedata.normalize("NFKC", s) for s in (span, negative, sentence))
    starts = [m.start() for m in re.finditer(re.escape(span), sentence)]
    negs = [m.start() for m in re.finditer(re.escape(negative), sentence)]
    return any(s < n + len(negative) and n < s + len(span) for s in starts for n in negs)


def evaluate_file(
    path: Path, articles: list[dict], captions: frozenset[str], units: UnitLexicon | None = None
) -> FileScore:
    """Score the figures of one raw file against the gold articles of that file."""
    score = FileScore(path.name)
    texts = split_dump_sentences(path.read_text(encoding="utf-8"), captions)
    sentences = pd.DataFrame(
        {"article_id": path.stem, "sentence_no": range(len(texts)), "text": texts, "office": ""}
    )
    figures = extract_figures_from_sentences(sentences, units=units)
    rows = [
        (texts[row["sentence_no"]], row)
        for row in figures.to_dict("records")
        if row["category"] not in _UNSCORED_CATEGORIES
    ]
    gold = [(a["id"], f) for a in articles for f in a["figures"]]
    score.predicted = len(rows)
    for article_id, figure in gold:
        if figure.get("optional"):
            continue
        score.required += 1
        label = (
            f"{article_id}: {figure['value']:g}{figure['unit']} {figure['qualifier']} ({figure['subject']})"
        )
        candidates = [
            row
            for _, row in rows
            if _same_value(row["value"], float(figure["value"])) and _unit_ok(row["unit"], figure["unit"])
        ]
        if not candidates:
            score.misses.append(label)
            continue
        score.found += 1
        if any(_norm(row["qualifier"]) == _norm(figure["qualifier"]) for row in candidates):
            score.qualifier_right += 1
        else:
            score.wrong_qualifiers.append(f"{label} got {[row['qualifier'] for row in candidates]}")
    for _, row in rows:
        if any(_same_value(row["value"], float(f["value"])) for _, f in gold):
            score.predicted_matched += 1
        else:
            score.unmatched.append(f"{row['span']} -> {row['value']:g} {row['unit']} [{row['subject']}]")
    for article in articles:
        for negative in article.get("not_figures", []):
            hits = [row["span"] for sentence, row in rows if _overlaps(row["span"], str(negative), sentence)]
            if hits:
                score.negatives_hit.append(f"{article['id']}: {negative} (spans {hits})")
    return score


def evaluate(
    raw_dir: Path, gold_file: Path, units: UnitLexicon | None = None
) -> tuple[dict, list[FileScore]]:
    """Per-file scores of every raw file named in the gold file, and the pooled summary."""
    gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
    scores = []
    for source in sorted({a["source"] for a in gold["articles"]}):
        articles = [a for a in gold["articles"] if a["source"] == source]
        captions = frozenset(c["text"].strip() for c in gold.get("captions", []) if c["source"] == source)
        scores.append(evaluate_file(raw_dir / source, articles, captions, units))

    def ratio(numerator: int, denominator: int) -> float:
        return round(numerator / denominator, 3) if denominator else 1.0

    summary = {
        "figure_recall": ratio(sum(s.found for s in scores), sum(s.required for s in scores)),
        "precision_proxy": ratio(sum(s.predicted_matched for s in scores), sum(s.predicted for s in scores)),
        "qualifier_accuracy": ratio(sum(s.qualifier_right for s in scores), sum(s.found for s in scores)),
        "negatives_hit": sum(len(s.negatives_hit) for s in scores),
        "required": sum(s.required for s in scores),
        "predicted": sum(s.predicted for s in scores),
    }
    return summary, scores


def main(argv: list[str]) -> int:
    """Print misses per file, then the pooled numbers."""
    paths = project_paths()
    raw_dir = Path(argv[0]) if argv else paths.raw_dir
    gold_file = Path(argv[1]) if len(argv) > 1 else paths.gold_file
    summary, scores = evaluate(raw_dir, gold_file)
    for score in scores:
        print(
            f"== {score.source}: found {score.found}/{score.required}, "
            f"precision {score.predicted_matched}/{score.predicted}"
        )
        for kind in ("misses", "wrong_qualifiers", "unmatched", "negatives_hit"):
            for line in getattr(score, kind):
                print(f"  {kind}: {line}")
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
