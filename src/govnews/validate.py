"""Score govnews tables against a hand-coded gold file: the ``govnews validate`` step.

The gold file (``data/validation/seeds.yml``) lists, for each article a careful
reader finds in the seed corpus, a passage only that article holds (its anchor),
its office, district and year, the figures and named measures it states, and
number-bearing strings that are not quantities (``not_figures``). This module
compares the ``articles``, ``figures`` and ``measures`` tables (and, when given,
``sentences``) with it and returns ten scores and a table of every miss.

The rules are the project's reference scorer's (``shared/gold/score.py``) and
give the same numbers for the same tables:

- Text compares after NFKC with whitespace and punctuation removed.
- A gold article is found in the first predicted article whose text holds its
  anchor. It is right when that article also holds every continuation anchor,
  no other gold article's anchor, the same office by core name (沟赵街道 ==
  沟赵办事处) and a district that contains or is contained in the gold one (not
  checked where the gold leaves it empty). The year is scored on its own,
  comparing the part before any ``.`` (so ``2020.0`` is 2020): ``year_accuracy``
  over gold articles with a year, ``year_precision`` over those given a year (an
  empty year is no claim, and a wrong year is worse than none).
- Figure rows of category date, year, ordinal or time are not scored. A required
  gold figure is found when a row of its article has the same value (relative
  tolerance 1e-6) and unit (亿元, 万元 and an empty unit count as 元, the value
  being in 元 either way; ％ as %); its qualifier is right when one such row has
  the same qualifier. Gold figures marked ``optional`` are never required, but a
  predicted row equal in value to any gold figure of its article, optional or
  not, counts as correct for precision. ``figure_precision_in_file`` judges
  extraction apart from splitting: a row is right when its value equals some gold
  figure of its source file. A found figure's subject is right when the gold
  subject and the subject of one matching row contain one another
  (``subject_accuracy``; each wrong one is a ``subject_error``).
- A gold measure is found when a measure name of its article contains one of the
  gold spellings, or lies inside one and is at least two thirds of its length.
- A not_figure is hit when a scored figure's span overlaps it inside the
  figure's sentence or, without a sentences table (or that sentence), when one
  string contains the other.
"""

from __future__ import annotations

import csv
import json
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from govnews.errors import GovnewsError
from govnews.resources.yamlfile import parse_yaml
from govnews.vocabulary import NON_QUANTITY_CATEGORIES

MISS_KINDS = (
    "article_error",
    "figure_missing",
    "figure_unmatched",
    "not_figure_hit",
    "measure_missing",
    "subject_error",
)
"""Kinds of miss, in the order :func:`format_report` lists them."""

_PUNCTUATION = re.compile(r"[\s\u3000“”\"'‘’『』「」《》〈〉()（）【】\[\],，、。.;；:：!！?？·—\-_/|]+")
_OFFICE_SUFFIX = re.compile(r"(街道办事处|办事处|街道|镇|乡)$")
# Part of the scoring rule rather than an editable lexicon: changing it would change the
# scores and break their comparability with the reference scorer.
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
# The reference scorer also skips "year" and "time", categories of other extractors that ours
# never produce; listing them keeps our scores equal to its scores on any table.
_UNSCORED_CATEGORIES = frozenset(NON_QUANTITY_CATEGORIES) | {"year", "time"}
# How an empty year cell reads once written to CSV and read back: no claim of a year.
_NO_YEAR = frozenset({"", "nan", "<NA>"})
_RELATIVE_TOLERANCE = 1e-6

_REQUIRED_ARTICLE_KEYS = ("id", "anchor", "office", "figures", "measures")
_REQUIRED_COLUMNS = {
    "articles": ("article_id", "text"),
    "figures": ("article_id", "value", "unit"),
    "measures": ("article_id", "name"),
    "sentences": ("article_id", "sentence_no", "text"),
}
_MISS_COLUMNS = ["kind", "article", "detail"]


@dataclass(frozen=True)
class ScoreReport:
    """Scores of one set of tables against the gold file.

    Attributes:
        summary: ``article_accuracy``, ``figure_recall``, ``figure_precision``,
            ``figure_precision_in_file``, ``qualifier_accuracy``, ``measure_recall``,
            ``year_accuracy``, ``year_precision``, ``subject_accuracy`` (shares rounded
            to three decimals, 1.0 where nothing was scored) and
            ``not_figures_extracted`` (a count).
        misses: one row per miss: ``kind`` (one of :data:`MISS_KINDS`), ``article``
            (gold article id) and ``detail`` (what was missed, in readable words).
    """

    summary: dict[str, float | int]
    misses: pd.DataFrame


def load_gold(path: Path) -> dict:
    """Read and check a gold file.

    Args:
        path: YAML file with an ``articles`` list (see ``data/validation/seeds.yml``).

    Returns:
        The gold data as loaded.

    Raises:
        GovnewsError: the file is unreadable or broken YAML, or an article lacks one of
            id, anchor, office, figures, measures, repeats an id, or has a malformed
            figure or measure; names the file and, where known, the line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise GovnewsError(path, f"cannot read gold file: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise GovnewsError(path, f"gold file is not UTF-8: {exc.reason} at byte {exc.start}") from None
    gold, root = parse_yaml(text, path)
    problem = _find_gold_problem(gold)
    if problem is not None:
        message, location = problem
        raise GovnewsError(path, message, line=_line_of(root, location))
    return gold


def score_tables(gold: dict, tables: Mapping[str, pd.DataFrame]) -> ScoreReport:
    """Score tables against gold data.

    Args:
        gold: gold data as returned by :func:`load_gold`.
        tables: ``articles``, ``figures`` and ``measures`` tables, and optionally
            ``sentences``, as govnews builds or writes them (typed or all-text cells).

    Returns:
        The scores and every miss.

    Raises:
        GovnewsError: a table is missing or lacks a column the scoring needs.
    """
    predictions = _Predictions.from_tables(tables)
    gold_articles = gold.get("articles") or []
    tally = _Tally()
    for gold_article in gold_articles:
        _score_article(gold_article, gold_articles, predictions, tally)
    _score_figures_in_file(gold, predictions, tally)
    return ScoreReport(summary=tally.summarise(), misses=tally.misses_table())


def score_dir(gold_path: Path, tables_dir: Path) -> ScoreReport:
    """Score the CSV tables in a folder (as ``govnews build`` writes them) against a gold file.

    Args:
        gold_path: gold YAML file.
        tables_dir: folder with ``articles.csv``, ``figures.csv``, ``measures.csv`` and
            optionally ``sentences.csv`` (UTF-8, byte-order mark allowed).

    Returns:
        The scores and every miss.

    Raises:
        GovnewsError: bad gold file, or a table missing, unreadable or lacking a column.
    """
    gold = load_gold(gold_path)
    tables_dir = Path(tables_dir)
    tables = {
        name: _read_csv_table(tables_dir / f"{name}.csv", name)
        for name in ("articles", "figures", "measures")
    }
    sentences_path = tables_dir / "sentences.csv"
    if sentences_path.exists():
        tables["sentences"] = _read_csv_table(sentences_path, "sentences")
    return score_tables(gold, tables)


def format_report(report: ScoreReport) -> str:
    """The report as text: one line per miss (``kind: article: detail``), then the summary as JSON."""
    lines = [
        f"{kind}: {article}: {detail}"
        for kind, article, detail in report.misses.itertuples(index=False, name=None)
    ]
    lines.append(json.dumps(report.summary, ensure_ascii=False))
    return "\n".join(lines)


# --- matching rules -------------------------------------------------------------------------------


def _normalise(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", str(value)))


def _parse_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _same_value(predicted: float | None, gold: float) -> bool:
    return predicted is not None and abs(predicted - gold) <= _RELATIVE_TOLERANCE * max(1.0, abs(gold))


def _unit_matches(predicted_unit: str, gold_unit: object) -> bool:
    predicted, wanted = _normalise(predicted_unit), _normalise(gold_unit)
    predicted = _UNIT_ALIASES.get(predicted, predicted)
    wanted = _UNIT_ALIASES.get(wanted, wanted)
    # Money is written as 元 by govnews; a bare amount counts as money where the gold says so.
    return (
        predicted == wanted
        or (wanted == "元" and predicted == "")
        or (wanted == "%" and predicted == "percent")
    )


def _office_core(name: object) -> str:
    return _OFFICE_SUFFIX.sub("", _normalise(name))


def _subject_matches(predicted: str, gold: object) -> bool:
    predicted, gold = _normalise(predicted), _normalise(gold)
    return bool(predicted) and (gold in predicted or predicted in gold)


def _district_matches(predicted: str, gold: object) -> bool:
    predicted_core, gold_core = _normalise(predicted), _normalise(gold)
    return not gold_core or (
        bool(predicted_core) and (predicted_core in gold_core or gold_core in predicted_core)
    )


def _overlaps_negative(span: str, negative: str, sentence: str) -> bool:
    span, negative = unicodedata.normalize("NFKC", span), unicodedata.normalize("NFKC", negative)
    if not span:
        return False
    if not sentence:
        span_core, negative_core = _normalise(span), _normalise(negative)
        return negative_core in span_core or bool(span_core and span_core in negative_core)
    sentence = unicodedata.normalize("NFKC", sentence)
    span_starts = [m.start() for m in re.finditer(re.escape(span), sentence)]
    negative_starts = [m.start() for m in re.finditer(re.escape(negative), sentence)]
    return any(s < n + len(negative) and n < s + len(span) for s in span_starts for n in negative_starts)


def _measure_found(spellings: list, names: list[str]) -> bool:
    gold_spellings = [_normalise(spelling) for spelling in spellings]
    return any(
        spelling and (spelling in name or (name in spelling and len(name) * 3 >= len(spelling) * 2))
        for name in names
        if name
        for spelling in gold_spellings
    )


# --- scoring --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PredictedFigure:
    span: str
    value_text: str
    value: float | None
    unit: str
    qualifier: str
    subject: str
    sentence_no: str


@dataclass(frozen=True)
class _Predictions:
    """The predicted tables as text cells, indexed the way the scoring looks them up."""

    articles: list[dict[str, str]]
    article_texts: list[str]
    source_of_article: dict[str, str | None]
    scored_figures: dict[str, list[_PredictedFigure]]
    measure_names: dict[str, list[str]]
    sentence_texts: dict[tuple[str, str], str]

    @classmethod
    def from_tables(cls, tables: Mapping[str, pd.DataFrame]) -> _Predictions:
        articles = _records(tables, "articles")
        scored_figures: dict[str, list[_PredictedFigure]] = {}
        for row in _records(tables, "figures"):
            if row.get("category", "") in _UNSCORED_CATEGORIES:
                continue
            scored_figures.setdefault(row["article_id"], []).append(
                _PredictedFigure(
                    span=row.get("span", ""),
                    value_text=row["value"],
                    value=_parse_number(row["value"]),
                    unit=row["unit"],
                    qualifier=row.get("qualifier", ""),
                    subject=row.get("subject", ""),
                    sentence_no=row.get("sentence_no", ""),
                )
            )
        measure_names: dict[str, list[str]] = {}
        for row in _records(tables, "measures"):
            measure_names.setdefault(row["article_id"], []).append(_normalise(row["name"]))
        sentences = _records(tables, "sentences") if "sentences" in tables else []
        return cls(
            articles=articles,
            article_texts=[_normalise(row["text"]) for row in articles],
            source_of_article={row["article_id"]: row.get("source") for row in articles},
            scored_figures=scored_figures,
            measure_names=measure_names,
            sentence_texts={(row["article_id"], row["sentence_no"]): row["text"] for row in sentences},
        )


@dataclass
class _Tally:
    articles_total: int = 0
    articles_right: int = 0
    years_total: int = 0
    years_right: int = 0
    years_given: int = 0
    figures_required: int = 0
    figures_found: int = 0
    qualifiers_right: int = 0
    subjects_right: int = 0
    figures_predicted: int = 0
    figures_predicted_matched: int = 0
    measures_total: int = 0
    measures_found: int = 0
    figures_in_file: int = 0
    figures_in_file_right: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)

    def add_miss(self, kind: str, article: object, detail: str) -> None:
        self.misses.append((kind, str(article), detail))

    def summarise(self) -> dict[str, float | int]:
        return {
            "article_accuracy": _ratio(self.articles_right, self.articles_total),
            "figure_recall": _ratio(self.figures_found, self.figures_required),
            "figure_precision": _ratio(self.figures_predicted_matched, self.figures_predicted),
            "figure_precision_in_file": _ratio(self.figures_in_file_right, self.figures_in_file),
            "qualifier_accuracy": _ratio(self.qualifiers_right, self.figures_found),
            "measure_recall": _ratio(self.measures_found, self.measures_total),
            "not_figures_extracted": sum(kind == "not_figure_hit" for kind, _, _ in self.misses),
            "year_accuracy": _ratio(self.years_right, self.years_total),
            "year_precision": _ratio(self.years_right, self.years_given),
            "subject_accuracy": _ratio(self.subjects_right, self.figures_found),
        }

    def misses_table(self) -> pd.DataFrame:
        ordered = sorted(self.misses, key=lambda miss: MISS_KINDS.index(miss[0]))
        return pd.DataFrame(ordered, columns=_MISS_COLUMNS, dtype="string")


def _ratio(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 3) if denominator else 1.0


def _score_article(
    gold_article: dict, gold_articles: list[dict], predictions: _Predictions, tally: _Tally
) -> None:
    gold_id = gold_article["id"]
    tally.articles_total += 1
    anchor = _normalise(gold_article["anchor"])
    position = next((i for i, text in enumerate(predictions.article_texts) if anchor in text), None)
    if position is None:
        tally.add_miss("article_error", gold_id, "no article holds its anchor")
        for spellings in gold_article["measures"]:
            tally.measures_total += 1
            tally.add_miss("measure_missing", gold_id, str(spellings[0]))
        for figure in gold_article["figures"]:
            if not figure.get("optional"):
                tally.figures_required += 1
                tally.add_miss("figure_missing", gold_id, _describe_gold_figure(figure))
        return
    row = predictions.articles[position]
    errors = _article_errors(gold_article, gold_articles, row, predictions.article_texts[position])
    if errors:
        tally.add_miss("article_error", gold_id, "; ".join(errors))
    else:
        tally.articles_right += 1
    if gold_article.get("year"):
        tally.years_total += 1
        given_year = row.get("year", "").split(".")[0]
        tally.years_right += given_year == str(gold_article["year"])
        tally.years_given += given_year not in _NO_YEAR
    article_id = row["article_id"]
    _score_figures(
        gold_article,
        predictions.scored_figures.get(article_id, []),
        predictions.sentence_texts,
        article_id,
        tally,
    )
    _score_measures(gold_article, predictions.measure_names.get(article_id, []), tally)


def _article_errors(
    gold_article: dict, gold_articles: list[dict], row: dict[str, str], normalised_text: str
) -> list[str]:
    errors = []
    if _office_core(row.get("office", "")) != _office_core(gold_article["office"]):
        errors.append(f"office {row.get('office', '')!r} != {gold_article['office']!r}")
    if not _district_matches(row.get("district", ""), gold_article.get("district")):
        errors.append(f"district {row.get('district', '')!r} != {gold_article.get('district')!r}")
    for continuation in gold_article.get("continuation_anchors") or []:
        if _normalise(continuation) not in normalised_text:
            errors.append(f"continuation not joined: {str(continuation)[:12]}")
    for other in gold_articles:
        if other["id"] != gold_article["id"] and _normalise(other["anchor"]) in normalised_text:
            errors.append(f"also holds {other['id']}")
    return errors


def _score_figures(
    gold_article: dict,
    scored: list[_PredictedFigure],
    sentence_texts: dict[tuple[str, str], str],
    article_id: str,
    tally: _Tally,
) -> None:
    gold_id = gold_article["id"]
    gold_values = [float(figure["value"]) for figure in gold_article["figures"]]
    tally.figures_predicted += len(scored)
    for figure, gold_value in zip(gold_article["figures"], gold_values, strict=True):
        if figure.get("optional"):
            continue
        tally.figures_required += 1
        candidates = [
            predicted
            for predicted in scored
            if _same_value(predicted.value, gold_value) and _unit_matches(predicted.unit, figure["unit"])
        ]
        if not candidates:
            tally.add_miss("figure_missing", gold_id, _describe_gold_figure(figure))
            continue
        tally.figures_found += 1
        gold_qualifier = _normalise(figure.get("qualifier"))
        tally.qualifiers_right += any(_normalise(p.qualifier) == gold_qualifier for p in candidates)
        if any(_subject_matches(p.subject, figure.get("subject")) for p in candidates):
            tally.subjects_right += 1
        else:
            described = _describe_gold_figure(figure, subject_repr=True)
            got = [p.subject for p in candidates][:2]
            tally.add_miss("subject_error", gold_id, f"{described} got {got}")
    for predicted in scored:
        if any(_same_value(predicted.value, gold_value) for gold_value in gold_values):
            tally.figures_predicted_matched += 1
        else:
            tally.add_miss(
                "figure_unmatched", gold_id, f"{predicted.span} -> {predicted.value_text} {predicted.unit}"
            )
    for negative in gold_article.get("not_figures") or []:
        if any(
            _overlaps_negative(
                predicted.span, str(negative), sentence_texts.get((article_id, predicted.sentence_no), "")
            )
            for predicted in scored
        ):
            tally.add_miss("not_figure_hit", gold_id, str(negative))


def _score_measures(gold_article: dict, names: list[str], tally: _Tally) -> None:
    for spellings in gold_article["measures"]:
        tally.measures_total += 1
        if _measure_found(spellings, names):
            tally.measures_found += 1
        else:
            tally.add_miss("measure_missing", gold_article["id"], str(spellings[0]))


def _describe_gold_figure(figure: dict, subject_repr: bool = False) -> str:
    subject = figure.get("subject", "")
    shown = repr(subject) if subject_repr else subject or ""
    return f"{float(figure['value']):g}{figure['unit'] or ''} {shown}"


def _score_figures_in_file(gold: dict, predictions: _Predictions, tally: _Tally) -> None:
    """Precision apart from splitting: a row is right when its value is a gold figure of its file."""
    gold_values: dict[str, list[float]] = {}
    for article in gold.get("articles") or []:
        gold_values.setdefault(str(article.get("source", "")), []).extend(
            float(figure["value"]) for figure in article["figures"]
        )
    for article_id, figures in predictions.scored_figures.items():
        values = gold_values.get(predictions.source_of_article.get(article_id))
        if values is None:
            continue
        tally.figures_in_file += len(figures)
        tally.figures_in_file_right += sum(
            any(_same_value(figure.value, value) for value in values) for figure in figures
        )


# --- reading tables -------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    """A cell as govnews writes it to CSV, so typed and read-back tables score alike."""
    if isinstance(value, str):
        return value
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    return str(value)


def _records(tables: Mapping[str, pd.DataFrame], name: str) -> list[dict[str, str]]:
    if name not in tables:
        raise GovnewsError(None, f"no {name!r} table given to score")
    frame = tables[name]
    _check_columns(frame, name, None)
    columns = [str(column) for column in frame.columns]
    return [
        dict(zip(columns, map(_cell_text, row), strict=True))
        for row in frame.itertuples(index=False, name=None)
    ]


def _check_columns(frame: pd.DataFrame, name: str, source: Path | None) -> None:
    missing = [column for column in _REQUIRED_COLUMNS[name] if column not in frame.columns]
    if missing:
        raise GovnewsError(source, f"table {name!r} lacks column(s) {', '.join(missing)}")


def _read_csv_table(path: Path, name: str) -> pd.DataFrame:
    """Read a table with every cell as text, exactly as the csv module splits it."""
    if not path.exists():
        raise GovnewsError(path, f"missing table {name}.csv; run `govnews build` or point to its folder")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = [{key: value or "" for key, value in row.items() if key is not None} for row in reader]
            columns = list(dict.fromkeys(reader.fieldnames or []))
    except OSError as exc:
        raise GovnewsError(path, f"cannot read table: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise GovnewsError(path, f"table is not UTF-8: {exc.reason} at byte {exc.start}") from None
    except csv.Error as exc:
        raise GovnewsError(path, f"broken CSV: {exc}") from None
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    _check_columns(frame, name, path)
    return frame


# --- checking the gold file -----------------------------------------------------------------------


_Location = tuple[str | int, ...]


def _find_gold_problem(gold: object) -> tuple[str, _Location] | None:
    if not isinstance(gold, dict) or not isinstance(gold.get("articles"), list):
        return "gold file needs a top-level 'articles' list", ()
    seen_ids: set[str] = set()
    for index, article in enumerate(gold["articles"]):
        where: _Location = ("articles", index)
        if not isinstance(article, dict):
            return f"article {index + 1} is not a mapping of keys", where
        missing = [key for key in _REQUIRED_ARTICLE_KEYS if key not in article]
        if missing:
            return f"article {index + 1} lacks key(s) {', '.join(missing)}", where
        article_id = str(article["id"])
        if article_id in seen_ids:
            return f"article id {article_id!r} appears twice", (*where, "id")
        seen_ids.add(article_id)
        if not _normalise(article["anchor"]):
            return f"article {article_id}: anchor is empty once spaces and punctuation are removed", (
                *where,
                "anchor",
            )
        problem = _find_article_problem(article, article_id)
        if problem is not None:
            message, inner = problem
            return message, (*where, *inner)
    return None


def _find_article_problem(article: dict, article_id: str) -> tuple[str, _Location] | None:
    for key in ("figures", "measures", "continuation_anchors", "not_figures"):
        if not isinstance(article.get(key) or [], list):
            return f"article {article_id}: {key} must be a list", (key,)
    for index, figure in enumerate(article["figures"]):
        if not isinstance(figure, dict) or "value" not in figure or "unit" not in figure:
            return f"article {article_id}: figure {index + 1} needs at least value and unit", (
                "figures",
                index,
            )
        if not _is_number(figure["value"]):
            return (
                f"article {article_id}: figure value {figure['value']!r} is not a number "
                "(write it in digits with 万 and 亿 expanded)",
                ("figures", index),
            )
    for index, spellings in enumerate(article["measures"]):
        if not isinstance(spellings, list) or not spellings:
            return (
                f"article {article_id}: measure {spellings!r} must be a list of spellings, e.g. [九步工作法]",
                ("measures", index),
            )
    return None


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    try:
        return not math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def _line_of(node: yaml.Node | None, location: _Location) -> int | None:
    """1-based line where the YAML node at ``location`` (keys and list positions) starts under ``node``."""
    for step in location:
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        elif isinstance(node, yaml.MappingNode) and isinstance(step, str):
            node = next((value for key, value in node.value if key.value == step), None)
        else:
            return None
    return node.start_mark.line + 1 if node is not None else None
