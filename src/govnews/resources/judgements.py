"""The hand-judged samples of extracted measures (``data/validation/measure_judgements*.csv``)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from govnews.errors import GovnewsError
from govnews.resources.files import read_text

JUDGEMENT_COLUMNS = ("article_id", "name", "kind", "is_measure", "note")
"""The columns of a judged sample."""

_TRUE_WORDS = frozenset({"true", "yes", "1", "y", "t", "是", "对"})
_FALSE_WORDS = frozenset({"false", "no", "0", "n", "f", "否", "错"})


def read_measure_judgements(path: Path | str) -> pd.DataFrame:
    """Read the hand-judged sample of extracted measures (``measure_judgements.csv``).

    Args:
        path: CSV (UTF-8, byte-order mark allowed) with columns article_id, name, kind, is_measure
            (true/false) and note.

    Returns:
        The judgements, ``is_measure`` as booleans.

    Raises:
        GovnewsError: the file is unreadable, lacks a column, or an ``is_measure`` cell is neither true
            nor false (names the line).
    """
    path = Path(path)
    try:
        frame = pd.read_csv(io.StringIO(read_text(path)), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        raise GovnewsError(path, f"cannot parse CSV: {exc}") from None
    missing = [column for column in JUDGEMENT_COLUMNS if column not in frame.columns]
    if missing:
        raise GovnewsError(
            path, f"missing column(s) {', '.join(missing)}; expected {', '.join(JUDGEMENT_COLUMNS)}"
        )
    answers = frame["is_measure"].str.strip().str.lower()
    unknown = ~answers.isin(_TRUE_WORDS | _FALSE_WORDS)
    if unknown.any():
        position = int(np.flatnonzero(unknown.to_numpy())[0])
        raise GovnewsError(
            path,
            f"is_measure must be true or false, got {frame['is_measure'].iloc[position]!r}",
            line=position + 2,
        )
    frame = frame.loc[:, list(JUDGEMENT_COLUMNS)].astype("string")
    return frame.assign(is_measure=answers.isin(_TRUE_WORDS).astype("boolean").to_numpy())
