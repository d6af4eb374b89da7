"""Tokens → keyness: the words each office uses more (or less) than all other text.

For every office and every eligible term the office's text (target) is compared with all other
text (reference) in a 2×2 table of counts::

                     target      reference
    term                a            b
    other tokens      c - a        d - b

where c and d are the target's and reference's eligible tokens. Eligible tokens are content
tokens: not stopwords, not a single character, not a pure number (digits with . , %). A term is
tested when it occurs at least ``min_count`` times in the whole corpus; every office is tested on
that same set, so Benjamini–Hochberg corrections of different offices cover equal families and
under-used terms (even with count 0 in the target) are reported too.

Statistics (Rayson & Garside 2000; Hardie 2014):

* expected counts E1 = c·(a+b)/(c+d), E2 = d·(a+b)/(c+d);
* log-likelihood G² = 2·(a·ln(a/E1) + b·ln(b/E2)), a term with count 0 contributing 0; signed
  negative where the target uses the term less (a/c < b/d);
* p-value of |G²| under chi-squared with 1 df: p = erfc(√(G²/2)) (scipy-free, exact);
* Benjamini–Hochberg adjusted p within each office;
* Hardie's log ratio log2((a/c)/(b/d)), with a zero count replaced by 0.5 so that a term absent
  on one side gets a finite, conservative effect size. Log ratio 1 means twice as frequent. In a
  very small text the 0.5 can outweigh the other side (0.5 of 20 tokens is more than 5 of 10,000)
  and turn the sign around; the log ratio is then left empty (NaN): the text is too small to say
  how big the difference is.

Read G² (with p_adjusted) for how sure the difference is and log ratio for how big it is; a long
list of significant terms with log ratio near 0 says the office simply wrote a lot.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from govnews import schema

_NUMBER = re.compile(r"[\d.,%．，％]+")
_SENTENCE_KEY = ["article_id", "sentence_no"]


@lru_cache(maxsize=200_000)
def _is_eligible(token: str) -> bool:
    return len(token) > 1 and not (_NUMBER.fullmatch(token) and any(char.isdigit() for char in token))


def _benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """BH-adjusted p-values of each row of ``p_values`` (offices × terms), row by row."""
    n_tests = p_values.shape[1]
    order = np.argsort(p_values, axis=1, kind="stable")
    ranked = np.take_along_axis(p_values, order, axis=1) * n_tests / np.arange(1, n_tests + 1)
    # Step-up: each adjusted value is the smallest of those at its rank or above.
    ranked = np.minimum.accumulate(ranked[:, ::-1], axis=1)[:, ::-1]
    adjusted = np.empty_like(ranked)
    np.put_along_axis(adjusted, order, np.minimum(ranked, 1.0), axis=1)
    return adjusted


def _log_likelihood(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(observed > 0, observed * np.log(observed / expected), 0.0)


def count_office_tokens(
    offices: Sequence[str], tokens: Sequence[Sequence[str]], stopwords: Collection[str] = frozenset()
) -> pd.DataFrame:
    """The ``token_counts`` table: how often each office's text uses each eligible token.

    Counts add up: the counts of a corpus are the sums of the counts of its files, so the build
    counts file by file and :func:`keyness_from_counts` compares offices from the sums.

    Args:
        offices: each sentence's office ('' is district-level text).
        tokens: each sentence's content tokens, aligned with ``offices``.
        stopwords: words left out.

    Returns:
        The ``token_counts`` table (office, token, count) in office and token order.
    """
    return schema.from_rows(token_count_rows(offices, tokens, stopwords), "token_counts")


def token_count_rows(
    offices: Sequence[str], tokens: Sequence[Sequence[str]], stopwords: Collection[str] = frozenset()
) -> list[tuple[str, str, int]]:
    """The rows ``(office, token, count)`` of :func:`count_office_tokens`, for a build that adds rows up."""
    by_office: dict[str, Counter[str]] = {}
    for office, words in zip(offices, tokens, strict=True):
        counter = by_office.get(office)
        if counter is None:
            counter = by_office[office] = Counter()
        counter.update(words)
    # Filtered once per distinct word of an office, not once per occurrence, and before sorting.
    rows: list[tuple[str, str, int]] = []
    for office in sorted(by_office):
        counts = by_office[office]
        words = sorted(word for word in counts if word not in stopwords and _is_eligible(word))
        rows += [(office, word, counts[word]) for word in words]
    return rows


def keyness_by_office(tokens: pd.DataFrame, sentences: pd.DataFrame, min_count: int = 5) -> pd.DataFrame:
    """The ``keyness`` table: each office's text against all other text, term by term.

    Args:
        tokens: the token table (``article_id``, ``sentence_no``, ``token``, ``is_stopword``).
        sentences: the ``sentences`` table; a token takes the ``office`` of its sentence ('' is
            district-level text, compared like an office).
        min_count: a term is tested only if it occurs at least this often in the whole corpus.

    Returns:
        The ``keyness`` table, by office (name order, district-level text last) and descending G².
        Empty when the corpus has fewer than two offices with eligible tokens (no reference).
    """
    from govnews.text.segment import tokens_per_sentence

    offices = sentences["office"].astype("string").fillna("").tolist()
    token_lists = tokens_per_sentence(tokens, sentences, drop_stopwords=True)
    return keyness_from_counts(count_office_tokens(offices, token_lists), min_count)


def keyness_from_counts(token_counts: pd.DataFrame, min_count: int = 5) -> pd.DataFrame:
    """The ``keyness`` table from a ``token_counts`` table (see :func:`keyness_by_office`).

    Rows of the same office and token are added first, so the counts of several files can be
    passed as they are.
    """
    counts = (
        token_counts.astype({"office": "string", "token": "string"})
        .groupby(["office", "token"])["count"]
        .sum()
        .unstack("token", fill_value=0)
    )
    if counts.shape[0] < 2:
        return schema.empty_table("keyness")
    office_size = counts.sum(axis=1).to_numpy(dtype=float)
    corpus_size = office_size.sum()
    counts = counts.loc[:, counts.sum(axis=0) >= min_count]
    if counts.shape[1] == 0:
        return schema.empty_table("keyness")

    a = counts.to_numpy(dtype=float)
    term_total = a.sum(axis=0, keepdims=True)
    b = term_total - a
    c = office_size[:, None]
    d = corpus_size - c
    expected_target = c * term_total / corpus_size
    expected_reference = d * term_total / corpus_size
    g2 = 2 * (_log_likelihood(a, expected_target) + _log_likelihood(b, expected_reference))
    g2 = np.where(a / c < b / d, -g2, g2)
    p_value = np.vectorize(lambda g: math.erfc(math.sqrt(abs(g) / 2)), otypes=[float])(g2)
    log_ratio = np.log2((np.where(a == 0, 0.5, a) / c) / (np.where(b == 0, 0.5, b) / d))
    log_ratio = np.where(np.sign(log_ratio) * np.sign(a / c - b / d) < 0, np.nan, log_ratio)

    shape = a.shape
    frame = pd.DataFrame(
        {
            "office": np.repeat(counts.index.to_numpy(dtype=object), shape[1]),
            "term": np.tile(counts.columns.to_numpy(dtype=object), shape[0]),
            "count_target": a.ravel(),
            "count_reference": b.ravel(),
            "expected_target": np.broadcast_to(expected_target, shape).ravel(),
            "expected_reference": np.broadcast_to(expected_reference, shape).ravel(),
            "g2": g2.ravel(),
            "p_value": p_value.ravel(),
            "p_adjusted": _benjamini_hochberg(p_value).ravel(),
            "log_ratio": log_ratio.ravel(),
        }
    )
    frame["_district"] = frame["office"].eq("")
    frame = frame.sort_values(["_district", "office", "g2", "term"], ascending=[True, True, False, True])
    return schema.conform(frame, "keyness")
