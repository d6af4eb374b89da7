"""Theme hits checked against a human coding of the user's own sentences (sample, validate-themes).

A dictionary is only as good as its agreement with a careful reader. The workflow:

1. :func:`draw_sample` takes a random sample of the built ``sentences`` (``govnews sample --n 200
   --out sample.csv``); :func:`write_coding` saves it as ``source,sentence,themes`` in UTF-8 with a
   byte-order mark, so Excel opens it.
2. A coder who has read only the theme descriptions fills ``themes`` with 0, 1 or several theme
   names separated by ``|``.
3. :func:`read_coding` reads it back (a broken file stops with its name and line);
   :func:`match_coding` finds each coded sentence among the built sentences, by the rule of the
   project's reference scorer (``shared/gold/score_themes.py``): the sentence of the same source
   file that shares the longest normalised text with it, at least half of the coded sentence.
4. :func:`score_coding` gives per-theme precision, recall and F1 and their micro average, the
   numbers the reference scorer prints (:func:`format_scores` prints them the same way);
   :func:`compare_office_themes` sets the coder's theme rates of each office beside the tool's,
   with their rank agreement; :func:`term_precision` lists the terms that fire where the coder saw
   another theme, the first candidates for a weak term or a negative context.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np
import pandas as pd

from govnews.errors import GovnewsError
from govnews.vocabulary import HAN

CODING_COLUMNS = ["source", "sentence", "themes"]
"""Columns of a coding file, in order."""

THEME_SEPARATOR = "|"

# The reference scorer's normalisation: NFKC, then whitespace and punctuation removed.
_PUNCTUATION = re.compile(r"[\s\u3000“”\"'‘’『』「」《》〈〉()（）【】\[\],，、。.;；:：!！?？·—\-_/|=]+")
_CJK = re.compile(rf"[{HAN}]")


def _normalise(text: str) -> str:
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", text or ""))


def _texts(column: pd.Series) -> list[str]:
    return column.astype("string").fillna("").astype(str).tolist()


def draw_sample(sentences: pd.DataFrame, articles: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    """A random sample of ``n`` sentences to code, in the form of a coding file.

    Sentences without a Chinese character (numbers, stray punctuation) are not drawn. The sample
    keeps reading order (source file, article, sentence), so a coder sees the sentences of one
    article together.

    Args:
        sentences: the ``sentences`` table.
        articles: the ``articles`` table (gives each sentence its source file).
        n: sentences to draw (all of them when there are fewer).
        seed: seed of the random draw; the same tables and seed give the same sample.

    Returns:
        Columns ``source``, ``sentence`` and ``themes`` (empty, for the coder).

    Raises:
        ValueError: ``n`` is not positive.
    """
    if n <= 0:
        raise ValueError(f"the sample needs at least one sentence, got n={n}")
    source_of = dict(zip(_texts(articles["article_id"]), _texts(articles["source"]), strict=True))
    texts = _texts(sentences["text"])
    codable = np.flatnonzero([_CJK.search(text) is not None for text in texts])
    rng = np.random.default_rng(seed)
    chosen = np.sort(rng.choice(codable, size=min(n, len(codable)), replace=False))
    article_ids = _texts(sentences["article_id"])
    return pd.DataFrame(
        {
            "source": [source_of.get(article_ids[index], "") for index in chosen],
            "sentence": [texts[index] for index in chosen],
            "themes": [""] * len(chosen),
        },
        columns=CODING_COLUMNS,
    ).astype("string")


def write_coding(coding: pd.DataFrame, path: Path | str) -> None:
    """Write a coding file: CSV in UTF-8 with a byte-order mark (Excel reads it as UTF-8)."""
    coding.loc[:, CODING_COLUMNS].to_csv(path, index=False, encoding="utf-8-sig")


def read_coding(path: Path | str, theme_names: Iterable[str] | None = None) -> pd.DataFrame:
    """A coding file as a table: ``source``, ``sentence`` and ``themes`` (a frozenset per row).

    Args:
        path: the CSV (UTF-8, a byte-order mark allowed), columns ``source,sentence,themes``;
            themes are separated by ``|``.
        theme_names: the themes a coder may use; a theme outside them is an error (a typo would
            otherwise count as a theme the tool never finds). ``None`` accepts any name.

    Raises:
        GovnewsError: the file is missing, not UTF-8, broken CSV, lacks a column, or names an
            unknown theme (the line is named).
    """
    path = Path(path)
    known = set(theme_names) if theme_names is not None else None
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in CODING_COLUMNS if column not in (reader.fieldnames or [])]
            if missing:
                raise GovnewsError(path, f"the coding lacks column(s) {', '.join(missing)}", 1)
            rows = []
            for row in reader:
                themes = frozenset(
                    theme.strip() for theme in (row["themes"] or "").split(THEME_SEPARATOR) if theme.strip()
                )
                unknown = sorted(themes - known) if known is not None else []
                if unknown:
                    raise GovnewsError(
                        path,
                        f"unknown theme {unknown[0]!r}; use the codebook's theme names, separated by "
                        f"'{THEME_SEPARATOR}': {', '.join(sorted(known or ()))}",
                        reader.line_num,
                    )
                rows.append((row["source"] or "", row["sentence"] or "", themes))
    except FileNotFoundError:
        raise GovnewsError(path, "coding file not found") from None
    except UnicodeDecodeError as exc:
        raise GovnewsError(path, f"not UTF-8 text ({exc.reason}); save it as CSV UTF-8") from None
    except csv.Error as exc:
        raise GovnewsError(path, f"broken CSV: {exc}") from None
    frame = pd.DataFrame(rows, columns=CODING_COLUMNS)
    return frame.astype({"source": "string", "sentence": "string"})


def match_coding(coding: pd.DataFrame, sentences: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Each coded sentence with the built sentence it is (the reference scorer's rule).

    The built sentence is the one of the same source file that shares the longest normalised text
    with the coded one (containment counts as the shorter length; ties go to the earlier sentence);
    it must share at least half of the coded sentence, else the row is unmatched.

    Args:
        coding: a table as :func:`read_coding` returns.
        sentences: the ``sentences`` table the coding is compared with.
        articles: the ``articles`` table (the source file of each article).

    Returns:
        ``coding`` with ``article_id`` and ``sentence_no`` (missing where unmatched).
    """
    source_of = dict(zip(_texts(articles["article_id"]), _texts(articles["source"]), strict=True))
    by_source: dict[str, list[tuple[str, str, int]]] = {}
    for article_id, sentence_no, text in zip(
        _texts(sentences["article_id"]),
        sentences["sentence_no"].tolist(),
        _texts(sentences["text"]),
        strict=True,
    ):
        by_source.setdefault(source_of.get(article_id, ""), []).append(
            (_normalise(text), article_id, sentence_no)
        )
    article_ids: list[str | None] = []
    sentence_nos: list[int | None] = []
    for source, sentence in zip(_texts(coding["source"]), _texts(coding["sentence"]), strict=True):
        found = _best_sentence(_normalise(sentence), by_source.get(source, []))
        article_ids.append(found[0] if found else None)
        sentence_nos.append(found[1] if found else None)
    return coding.assign(
        article_id=pd.array(article_ids, dtype="string"), sentence_no=pd.array(sentence_nos, dtype="Int64")
    )


def _best_sentence(text: str, candidates: Sequence[tuple[str, str, int]]) -> tuple[str, int] | None:
    best, best_length = None, 0
    for candidate, article_id, sentence_no in candidates:
        if not text:
            break
        if text in candidate or candidate in text:
            length = min(len(text), len(candidate))
        else:
            matcher = SequenceMatcher(None, text, candidate, autojunk=False)
            length = matcher.find_longest_match(0, len(text), 0, len(candidate)).size
        if length > best_length:
            best, best_length = (article_id, sentence_no), length
    if best is None or best_length * 2 < len(text):
        return None
    return best


def _tool_themes(matched: pd.DataFrame, theme_hits: pd.DataFrame) -> list[frozenset[str]]:
    """The themes the tool gives each matched row's sentence (empty where unmatched)."""
    themes_of: dict[tuple[str, int], set[str]] = {}
    for article_id, sentence_no, theme in zip(
        _texts(theme_hits["article_id"]),
        theme_hits["sentence_no"].tolist(),
        _texts(theme_hits["theme"]),
        strict=True,
    ):
        if pd.notna(sentence_no):
            themes_of.setdefault((article_id, int(sentence_no)), set()).add(theme)
    return [
        frozenset(themes_of.get((str(article_id), int(sentence_no)), ()))
        if pd.notna(sentence_no)
        else frozenset()
        for article_id, sentence_no in zip(
            matched["article_id"].tolist(), matched["sentence_no"].tolist(), strict=True
        )
    ]


def _prf(true: int, false: int, missed: int) -> tuple[float, float, float]:
    # As the reference scorer: an empty denominator scores 1.0, rounded to three places.
    precision = true / (true + false) if true + false else 1.0
    recall = true / (true + missed) if true + missed else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, 3), round(recall, 3), round(f1, 3)


def score_coding(matched: pd.DataFrame, theme_hits: pd.DataFrame) -> pd.DataFrame:
    """Per-theme precision, recall and F1 of the theme hits against the coding, and their micro average.

    Sentences are the unit: for each matched coded sentence, a theme both the coder and the tool
    give it is a true positive, one only the tool gives a false positive, one only the coder gives
    a false negative. Unmatched rows are left out (they count in the summary's ``unmatched_share``).

    Args:
        matched: :func:`match_coding` of the coding.
        theme_hits: the ``theme_hits`` table of the same build.

    Returns:
        One row per theme found by either side (in name order), then a row ``theme == ""`` with the
        micro average: ``theme, precision, recall, f1, support, true_positives, false_positives,
        false_negatives``. The values equal the reference scorer's (rounded to three places).
    """
    tool = _tool_themes(matched, theme_hits)
    counts: dict[str, list[int]] = {}
    for coded, found, sentence_no in zip(
        matched["themes"].tolist(), tool, matched["sentence_no"].tolist(), strict=True
    ):
        if pd.isna(sentence_no):
            continue
        for theme in coded | found:
            tally = counts.setdefault(theme, [0, 0, 0])
            tally[0 if theme in coded and theme in found else 1 if theme in found else 2] += 1
    rows = [
        (theme, *_prf(*counts[theme]), counts[theme][0] + counts[theme][2], *counts[theme])
        for theme in sorted(counts)
    ]
    totals = [sum(tally[index] for tally in counts.values()) for index in range(3)]
    rows.append(("", *_prf(*totals), totals[0] + totals[2], *totals))
    columns = [
        "theme",
        "precision",
        "recall",
        "f1",
        "support",
        "true_positives",
        "false_positives",
        "false_negatives",
    ]
    return pd.DataFrame(rows, columns=columns).astype({"theme": "string"})


def format_scores(scores: pd.DataFrame, matched: pd.DataFrame) -> str:
    """The scores as the reference scorer prints them: a line per theme, then a JSON summary."""
    lines = [
        f"{theme:12s} P {precision:.2f} R {recall:.2f} F1 {f1:.2f} support {support}"
        for theme, precision, recall, f1, support in scores.loc[
            scores["theme"] != "", ["theme", "precision", "recall", "f1", "support"]
        ].itertuples(index=False, name=None)
    ]
    micro = scores.loc[scores["theme"] == ""].iloc[0]
    total = len(matched)
    unmatched = int(matched["sentence_no"].isna().sum())
    summary = {
        "theme_precision": float(micro["precision"]),
        "theme_recall": float(micro["recall"]),
        "theme_f1": float(micro["f1"]),
        "sentences": total,
        "unmatched_share": round(unmatched / total, 3) if total else 0.0,
    }
    lines.append(json.dumps(summary, ensure_ascii=False))
    return "\n".join(lines)


def compare_office_themes(
    matched: pd.DataFrame,
    sentences: pd.DataFrame,
    theme_hits: pd.DataFrame,
    themes: Sequence[str],
) -> pd.DataFrame:
    """Each office's theme rates by the coder beside the tool's, with their rank agreement.

    Both rates count the same coded sentences of the office, so the comparison measures the
    coding, not the sample: ``*_sentences`` are coded sentences with the theme, by the coder and
    by the tool, and the rates are those counts per 10,000 characters of the office's coded
    sentences. (``theme_counts`` counts every term hit instead; the ranking of themes within an
    office is what both share.)

    ``rank_agreement`` is Spearman's rank correlation between the coder's and the tool's rates over
    ``themes`` within the office (ties ranked by their mean), repeated on each of its rows; it is
    missing where either side gives every theme the same rate. Near 1 the tool ranks the office's
    themes as the coder does; read it only for offices with enough coded text (``n_chars``).

    Args:
        matched: :func:`match_coding` of the coding (unmatched rows are left out).
        sentences: the ``sentences`` table (``office``, ``n_chars``).
        theme_hits: the ``theme_hits`` table.
        themes: the themes to compare, in order (the codebook's).

    Returns:
        Columns ``office, theme, n_sentences, n_chars, human_sentences, tool_sentences,
        human_rate_per_10k_chars, tool_rate_per_10k_chars, rank_agreement``; offices by name,
        district-level text ('') last.
    """
    coded = matched.loc[matched["sentence_no"].notna()]
    tool = _tool_themes(coded, theme_hits)
    keys = list(zip(_texts(sentences["article_id"]), sentences["sentence_no"].tolist(), strict=True))
    office_of = dict(zip(keys, _texts(sentences["office"]), strict=True))
    chars_of = dict(zip(keys, sentences["n_chars"].fillna(0).astype(int).tolist(), strict=True))
    per_office: dict[str, dict] = {}
    seen: set[tuple[str, int]] = set()
    for article_id, sentence_no, human, found in zip(
        coded["article_id"].tolist(),
        coded["sentence_no"].tolist(),
        coded["themes"].tolist(),
        tool,
        strict=True,
    ):
        key = (str(article_id), int(sentence_no))
        if key in seen:  # two coded rows matched one built sentence: count its text once
            continue
        seen.add(key)
        office = per_office.setdefault(
            office_of.get(key, ""), {"n_sentences": 0, "n_chars": 0, "human": {}, "tool": {}}
        )
        office["n_sentences"] += 1
        office["n_chars"] += chars_of.get(key, 0)
        for theme in human:
            office["human"][theme] = office["human"].get(theme, 0) + 1
        for theme in found:
            office["tool"][theme] = office["tool"].get(theme, 0) + 1
    rows = []
    for name in sorted(per_office, key=lambda office: (office == "", office)):
        office = per_office[name]
        scale = 10_000 / office["n_chars"] if office["n_chars"] else np.nan
        human = np.array([office["human"].get(theme, 0) for theme in themes], dtype=float)
        found = np.array([office["tool"].get(theme, 0) for theme in themes], dtype=float)
        agreement = _spearman(human, found)
        rows += [
            (
                name,
                theme,
                office["n_sentences"],
                office["n_chars"],
                int(human[index]),
                int(found[index]),
                human[index] * scale,
                found[index] * scale,
                agreement,
            )
            for index, theme in enumerate(themes)
        ]
    columns = [
        "office",
        "theme",
        "n_sentences",
        "n_chars",
        "human_sentences",
        "tool_sentences",
        "human_rate_per_10k_chars",
        "tool_rate_per_10k_chars",
        "rank_agreement",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype(
        {
            "office": "string",
            "theme": "string",
            "n_sentences": "Int64",
            "n_chars": "Int64",
            "human_sentences": "Int64",
            "tool_sentences": "Int64",
            "human_rate_per_10k_chars": "float64",
            "tool_rate_per_10k_chars": "float64",
            "rank_agreement": "float64",
        }
    )


def _spearman(first: np.ndarray, second: np.ndarray) -> float:
    if len(first) < 2 or np.ptp(first) == 0 or np.ptp(second) == 0:
        return float("nan")
    ranks = pd.DataFrame({"first": first, "second": second}).rank(method="average")
    return float(np.corrcoef(ranks["first"], ranks["second"])[0, 1])


def term_precision(matched: pd.DataFrame, theme_hits: pd.DataFrame) -> pd.DataFrame:
    """How often each term that counted was right, on the coded sentences.

    A term's hit is false where the coder did not give the sentence the term's theme. A term that
    fires often and falsely is the first candidate for a weak term, a negative context or removal.

    Args:
        matched: :func:`match_coding` of the coding.
        theme_hits: the ``theme_hits`` table.

    Returns:
        Columns ``theme, term, n_hits, n_false_hits, precision`` (hits counted once per sentence),
        most false hits first.
    """
    coded = matched.loc[matched["sentence_no"].notna()]
    human = {
        (str(article_id), int(sentence_no)): themes
        for article_id, sentence_no, themes in zip(
            coded["article_id"].tolist(), coded["sentence_no"].tolist(), coded["themes"].tolist(), strict=True
        )
    }
    counts: dict[tuple[str, str], list[int]] = {}
    seen: set[tuple[str, int, str, str]] = set()
    for article_id, sentence_no, theme, term in zip(
        _texts(theme_hits["article_id"]),
        theme_hits["sentence_no"].tolist(),
        _texts(theme_hits["theme"]),
        _texts(theme_hits["term"]),
        strict=True,
    ):
        if pd.isna(sentence_no):
            continue
        key = (article_id, int(sentence_no))
        if key not in human or (*key, theme, term) in seen:
            continue
        seen.add((*key, theme, term))
        tally = counts.setdefault((theme, term), [0, 0])
        tally[0] += 1
        tally[1] += theme not in human[key]
    frame = pd.DataFrame(
        [
            (theme, term, hits, false, (hits - false) / hits)
            for (theme, term), (hits, false) in counts.items()
        ],
        columns=["theme", "term", "n_hits", "n_false_hits", "precision"],
    )
    frame = frame.sort_values(
        ["n_false_hits", "precision", "theme", "term"], ascending=[False, True, True, True]
    )
    return frame.reset_index(drop=True).astype(
        {
            "theme": "string",
            "term": "string",
            "n_hits": "Int64",
            "n_false_hits": "Int64",
            "precision": "float64",
        }
    )


def theme_rank_agreement(comparison: pd.DataFrame, min_chars: int = 2000) -> pd.DataFrame:
    """For each theme, how well the tool ranks the offices as the coder does.

    Args:
        comparison: :func:`compare_office_themes`.
        min_chars: offices with fewer coded characters are left out (their rates are noise).

    Returns:
        Columns ``theme, n_offices, rank_agreement`` (Spearman over the offices' rates; missing
        with fewer than three offices or where a side ranks every office alike).
    """
    kept = comparison.loc[comparison["n_chars"] >= min_chars]
    rows = []
    for theme in dict.fromkeys(comparison["theme"].tolist()):
        rates = kept.loc[kept["theme"] == theme]
        human = rates["human_rate_per_10k_chars"].to_numpy(dtype=float)
        tool = rates["tool_rate_per_10k_chars"].to_numpy(dtype=float)
        rows.append((theme, len(rates), _spearman(human, tool) if len(rates) >= 3 else float("nan")))
    frame = pd.DataFrame(rows, columns=["theme", "n_offices", "rank_agreement"])
    return frame.astype({"theme": "string", "n_offices": "Int64", "rank_agreement": "float64"})


def sample_tables(tables_dir: Path | str | None, n: int, out: Path | str, seed: int = 0) -> str:
    """Draw a sample of the built sentences in ``tables_dir`` and write it to ``out`` (``govnews sample``).

    Returns:
        What was written and how to code it, for the user.
    """
    from govnews.pipeline.tables import read_table
    from govnews.resources.lexicons import load_codebook

    sample = draw_sample(read_table("sentences", tables_dir), read_table("articles", tables_dir), n, seed)
    write_coding(sample, out)
    themes = THEME_SEPARATOR.join(load_codebook().theme_names)
    return (
        f"wrote {len(sample)} sentences to {out}\n"
        f"fill the 'themes' column with 0, 1 or more of these names, separated by '{THEME_SEPARATOR}' "
        f"(code from the theme descriptions in data/lexicons/themes.yml, not from its terms):\n{themes}\n"
        f"then run: govnews validate-themes --gold {out}"
    )


def validate_tables(coding_path: Path | str, tables_dir: Path | str | None, min_chars: int = 2000) -> str:
    """The ``govnews validate-themes`` report of the built tables in ``tables_dir`` against a coding.

    Returns:
        The per-theme scores (as the reference scorer prints them), the office comparison for offices
        with at least ``min_chars`` coded characters, and the terms with the most false hits.
    """
    from govnews.pipeline.tables import read_table
    from govnews.resources.lexicons import load_codebook

    codebook = load_codebook()
    sentences, articles = read_table("sentences", tables_dir), read_table("articles", tables_dir)
    theme_hits = read_table("theme_hits", tables_dir)
    matched = match_coding(read_coding(coding_path, codebook.theme_names), sentences, articles)
    lines = [format_scores(score_coding(matched, theme_hits), matched), ""]
    comparison = compare_office_themes(matched, sentences, theme_hits, codebook.theme_names)
    offices = comparison.loc[comparison["n_chars"] >= min_chars]
    lines.append(f"Offices with at least {min_chars} coded characters: coder's and tool's theme rates")
    if offices.empty:
        lines.append("  none (code more sentences: rates of smaller offices are noise)")
    for office, rows in offices.groupby("office", sort=False):
        first = rows.iloc[0]
        name = office or "(district-level text)"
        lines.append(
            f"{name}: {first['n_sentences']} sentences, {first['n_chars']} characters, "
            f"rank agreement {first['rank_agreement']:.2f}"
        )
        for theme, human, tool in rows[
            ["theme", "human_rate_per_10k_chars", "tool_rate_per_10k_chars"]
        ].itertuples(index=False, name=None):
            lines.append(f"  {theme:12s} coder {human:7.1f}  tool {tool:7.1f}  per 10k characters")
    by_theme = theme_rank_agreement(comparison, min_chars).dropna(subset=["rank_agreement"])
    if not by_theme.empty:
        lines.append("Rank agreement of the offices' rates, theme by theme:")
        lines += [
            f"  {theme:12s} {rho:.2f} over {count} offices"
            for theme, count, rho in by_theme.itertuples(index=False, name=None)
        ]
    precision = term_precision(matched, theme_hits)
    false = precision.loc[precision["n_false_hits"] > 0].head(15)
    lines.append("")
    lines.append("Terms that count most often where the coder saw another theme (candidates for weak_terms):")
    lines += [
        f"  {term} ({theme}): {n_false} of {n_hits} sentences"
        for theme, term, n_hits, n_false, _ in false.itertuples(index=False, name=None)
    ] or ["  none"]
    return "\n".join(lines)
