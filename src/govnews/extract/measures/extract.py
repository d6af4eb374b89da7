"""The public entry points: text or a sentences table → the ``measures`` and ``measure_candidates`` tables."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import pandas as pd

from govnews import schema
from govnews.errors import GovnewsError
from govnews.extract.measures.canonical import assign_canonical
from govnews.extract.measures.found import Scan
from govnews.extract.measures.scan import scan_text
from govnews.extract.measures.scope import scopes_of, spread_scopes
from govnews.extract.measures.text import is_numeric_slogan
from govnews.resources.lexicons import load_measure_lexicon
from govnews.resources.measure_lexicon import MeasureLexicon


def _rows_of(scan: Scan, office: str) -> tuple[list[dict], list[dict]]:
    if not scan.found and not scan.rejected:
        return [], []
    scopes = scopes_of(scan.lexicon, scan.text, scan.found, office)
    measures = [
        {
            "name": found.name,
            "scope": scope,
            "_strong_scope": strong,
            "kind": found.kind,
            "is_numeric_slogan": is_numeric_slogan(found.name, found.kind_word)
            or found.evidence == "numeric_slogan",
            "components": schema.LIST_SEPARATOR.join(found.components),
            "expansions": schema.LIST_SEPARATOR.join(found.expansions),
            "evidence": found.evidence,
            "_hint": found.canonical_hint,
            "_parts": found.components,
            "_expanded": found.expansions,
            "_same_as": found.same_as,
        }
        for found, (scope, strong) in zip(scan.found, scopes, strict=True)
    ]
    candidates = [{"name": name, "reason": reason} for name, reason in scan.rejected]
    return measures, candidates


def _measure_frame(rows: list[dict], groups: Sequence[Hashable] | None = None) -> pd.DataFrame:
    """The ``measures`` table of ``rows``; canonical names and scopes are settled within each group."""
    names, hints = [row["name"] for row in rows], [row["_hint"] for row in rows]
    members: dict[Hashable, list[int]] = {}
    for position, group in enumerate(groups if groups is not None else [None] * len(names)):
        members.setdefault(group, []).append(position)
    for positions in members.values():
        group_names = assign_canonical(
            [names[i] for i in positions],
            [hints[i] for i in positions],
            [rows[i]["_parts"] for i in positions],
            [rows[i]["_expanded"] for i in positions],
            [rows[i]["_same_as"] for i in positions],
        )
        group_scopes = spread_scopes(
            [rows[i]["scope"] for i in positions], [rows[i]["_strong_scope"] for i in positions], group_names
        )
        for position, name, scope in zip(positions, group_names, group_scopes, strict=True):
            rows[position].update(canonical=name, scope=scope, theme="")
    return schema.from_rows(rows, "measures")


def extract_measures(text: str, *, lexicon: MeasureLexicon | None = None) -> pd.DataFrame:
    """The governance measures named in a sentence or paragraph.

    Args:
        text: free text (one sentence or several).
        lexicon: measure lexicon; defaults to the project lexicon (read once, cached).

    Returns:
        The ``measures`` table (see :mod:`govnews.schema`) with ``article_id`` '',
        ``sentence_no`` <NA>, ``office`` '' and ``theme`` ''.
    """
    lexicon = lexicon or load_measure_lexicon()
    measures, _candidates = _rows_of(scan_text(text or "", lexicon), "")
    for row in measures:
        row.update(article_id="", sentence_no=pd.NA, office="")
    return _measure_frame(measures)


def extract_measures_from_sentences(
    sentences: pd.DataFrame,
    *,
    lexicon: MeasureLexicon | None = None,
    groups: Sequence[Hashable] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Measures of every sentence, and the candidates that were rejected.

    Args:
        sentences: the ``sentences`` table (needs article_id, sentence_no, text, office).
        lexicon: measure lexicon; defaults to the project lexicon.
        groups: a label per sentence; canonical names are assigned within each group (the build
            passes each sentence's raw file, so a file's measures do not depend on the files
            processed beside it). Default: one group.

    Returns:
        ``(measures, measure_candidates)`` tables. Canonical names are assigned across all
        sentences of a group, so spelling variants in different articles share one canonical.

    Raises:
        GovnewsError: a needed column is missing.
    """
    needed = ("article_id", "sentence_no", "text", "office")
    missing = [column for column in needed if column not in sentences.columns]
    if missing:
        raise GovnewsError(None, f"the sentences table lacks column(s) {', '.join(missing)}")
    lexicon = lexicon or load_measure_lexicon()
    if groups is not None and len(groups) != len(sentences):
        raise ValueError(f"{len(groups)} group labels for {len(sentences)} sentences")
    measure_rows: list[dict] = []
    candidate_rows: list[dict] = []
    measure_groups: list[Hashable] = []
    sentence_groups = groups if groups is not None else [None] * len(sentences)

    def strings(column: str) -> list[str]:
        return sentences[column].astype("string").fillna("").tolist()

    sentence_nos = sentences["sentence_no"].tolist()
    rows = zip(strings("article_id"), sentence_nos, strings("text"), strings("office"), strict=True)
    for (article_id, sentence_no, text, office), group in zip(rows, sentence_groups, strict=True):
        keys = {"article_id": article_id, "sentence_no": sentence_no}
        measures, candidates = _rows_of(scan_text(text, lexicon), office)
        for row in measures:
            row.update(keys, office=office)
        for row in candidates:
            row.update(keys)
        measure_rows += measures
        measure_groups += [group] * len(measures)
        candidate_rows += candidates
    measures_table = _measure_frame(measure_rows, measure_groups)
    return measures_table, schema.from_rows(candidate_rows, "measure_candidates")
