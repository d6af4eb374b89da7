"""Sentences → tokens: govnews's private word segmenter and the token table.

Segmentation uses a PRIVATE tokenizer loaded with a user dictionary built from data files — the
domain word list ``data/lexicons/userdict.txt``, the office gazetteer (names and aliases) and the
measures lexicon (``govnews.extract.measure_lexicon.measure_terms``). jieba's global dictionary is
never touched, so importing govnews does not change how jieba cuts text elsewhere in a notebook.

Two engines give the same tokens: jieba (``Tokenizer.lcut(text, HMM=True)``), the reference, and
rjieba (jieba-rs), about 20× faster, used when installed. They differ in three known ways, each
handled here:

* frequencies of user words written without one: both engines suggest the smallest frequency
  that keeps the word whole, but round differently (and jieba adds a replaced word's frequency
  to its total without removing the old one). govnews resolves every frequency once, with
  rjieba, and loads the same numbers into both; the jieba reference keeps its total the way
  jieba-rs does.
* latin/digit runs joined by ``- _ .`` (``3-5年``, ``A-1地块``, ``7.5km``): jieba splits them at the
  mark, jieba-rs keeps them whole. Such text goes to jieba.
* CJK characters outside U+4E00–U+9FD5 (extension A/B…, compatibility ideographs): jieba treats
  them as symbols, jieba-rs as Chinese. Such text goes to jieba too.

Everything else goes to rjieba (slogans such as ``1+9`` and ``互联网+`` included: the engines agree on
runs of letters, digits and ``+``); ``tests/test_segment.py`` checks token identity on the whole seed
corpus and on constructed cases.

The token table (:func:`tokenize_sentences`, for analyses of your own) is long: one row per token,
punctuation and whitespace dropped, stopwords kept and flagged (keyness drops them, KWIC and theme
matching keep them). It is made in memory, each distinct sentence segmented once: the only cache
of tokens is the build's, which segments each file's sentences once (:meth:`Segmenter.cut_content`)
and keeps the file's tables, not its tokens.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from govnews.errors import GovnewsError
from govnews.resources.lexicons import (
    DictionaryEntry,
    dictionary_files,
    load_stopwords,
    load_user_dictionary,
)

TOKEN_COLUMNS: dict[str, str] = {
    "article_id": "string",
    "sentence_no": "Int64",
    "token_no": "Int64",
    "token": "string",
    "is_stopword": "boolean",
}
"""Columns of the token table and their dtypes (token_no is 1-based within the sentence)."""

ENGINES = ("auto", "rjieba", "jieba")

_LATIN_RUN = re.compile(r"[a-zA-Z0-9+#&._%\-]+")
# Latin/digit runs both engines cut alike (found by differential testing, see the module docstring).
_SAFE_LATIN_RUN = re.compile(r"[a-zA-Z0-9+]+|[0-9]+\.[0-9]+%?|[0-9]+%")
# Ideographs jieba-rs treats as Chinese and jieba does not.
_RUST_ONLY_HAN = re.compile("[\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def _rjieba_available() -> bool:
    try:
        import rjieba  # noqa: F401
    except ImportError:
        return False
    return True


def _rjieba_agrees(text: str) -> bool:
    """True when rjieba is known to cut ``text`` exactly as jieba does."""
    if _RUST_ONLY_HAN.search(text):
        return False
    return all(_SAFE_LATIN_RUN.fullmatch(run) for run in _LATIN_RUN.findall(text))


@lru_cache(maxsize=200_000)  # a corpus has far fewer distinct tokens than tokens
def _is_content(token: str) -> bool:
    """False for tokens made only of punctuation, symbols, whitespace or control characters."""
    return any(unicodedata.category(char)[0] not in "PZSC" for char in token)


class Segmenter:
    """Cuts text into words with a user dictionary loaded into private tokenizers.

    Build it with :func:`make_tokenizer`. The tokenizers are built on first use, so a segmenter
    that cuts nothing (a build whose every file is cached) costs nothing.

    Attributes:
        entries: the user dictionary as given (word, frequency or None, tag or None).
        engine: ``"rjieba"`` (fast path, with jieba for the text it cuts differently) or ``"jieba"``.
        reference_cuts: when a dict, :meth:`cut` keeps there the tokens of text the rjieba engine
            hands to jieba, by text, and looks them up first. The build fills it with a file's cuts
            from the last time the file was processed (loading jieba's dictionary takes a second)
            and stores what it holds afterwards; ``None`` (the default) keeps nothing.
    """

    def __init__(self, entries: Sequence[DictionaryEntry], engine: str) -> None:
        self.entries = tuple(entries)
        self.engine = engine
        self.reference_cuts: dict[str, list[str]] | None = None

    def __repr__(self) -> str:
        words = len(self.entries)
        return f"Segmenter(engine={self.engine!r}, words={words})"

    @cached_property
    def _fast(self) -> tuple[Any, tuple[DictionaryEntry, ...]]:
        """The rjieba tokenizer, and the entries with the frequencies it gave them."""
        import rjieba

        tokenizer = rjieba.Jieba()
        resolved = tuple((word, tokenizer.add_word(word, freq, tag), tag) for word, freq, tag in self.entries)
        return tokenizer, resolved

    @property
    def resolved_entries(self) -> tuple[DictionaryEntry, ...]:
        """The entries with every missing frequency resolved (by rjieba when installed)."""
        return self._fast[1] if _rjieba_available() else self.entries

    @property
    def jieba_tokenizer(self) -> Any:
        """The private ``jieba.Tokenizer`` with the user dictionary (for POS tagging or HMM-free cuts)."""
        return self._reference

    @cached_property
    def _reference(self) -> Any:
        import jieba

        # jieba announces its dictionary on stderr in every process that loads it (Dask workers too).
        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for word, freq, tag in self.resolved_entries:
            previous = tokenizer.FREQ.get(word, 0)
            tokenizer.add_word(word, freq, tag)
            # jieba adds a replaced word's new frequency to the total without taking out the old one;
            # jieba-rs replaces it. Doing the same keeps both engines' word probabilities identical.
            tokenizer.total -= previous
        return tokenizer

    def cut(self, text: str) -> list[str]:
        """All tokens of ``text`` in order, punctuation and whitespace included (jieba HMM mode)."""
        if self.engine != "rjieba":
            return self._reference.lcut(text, HMM=True)
        if _rjieba_agrees(text):
            return self._fast[0].cut(text, True)
        if self.reference_cuts is None:
            return self._reference.lcut(text, HMM=True)
        if text not in self.reference_cuts:
            self.reference_cuts[text] = self._reference.lcut(text, HMM=True)
        return list(self.reference_cuts[text])

    def cut_content(self, text: str) -> list[str]:
        """:meth:`cut` without tokens made only of punctuation, symbols or whitespace."""
        return list(filter(_is_content, self.cut(text)))

    def cut_words(self, text: str) -> list[str]:
        """Dictionary words only, no HMM guesses at unknown words (jieba ``lcut(text, HMM=False)``)."""
        if self.engine == "rjieba" and _rjieba_agrees(text):
            return self._fast[0].cut(text, False)
        return self._reference.lcut(text, HMM=False)

    def tag_words(self, text: str) -> list[tuple[str, str]]:
        """:meth:`cut_words` with each word's part-of-speech tag, as jieba-rs gives it.

        Tags come from jieba's dictionary; a user-dictionary word takes its own tag, else jieba's,
        else ``"n"`` (noun); other digits are ``"m"``, latin words ``"eng"``, the rest ``"x"``.
        """
        if self.engine == "rjieba" and _rjieba_agrees(text):
            return [(word, tag or "n") for word, tag in self._fast[0].tag(text, False)]
        tags = self._word_tags
        return [(word, tags.get(word) or _untagged(word)) for word in self._reference.lcut(text, HMM=False)]

    @cached_property
    def _word_tags(self) -> dict[str, str]:
        # As jieba-rs: a user word without a tag keeps the tag jieba's dictionary gives it, if any.
        untagged_user_words = {word: "n" for word, _, tag in self.entries if not tag}
        tagged_user_words = {word: tag for word, _, tag in self.entries if tag}
        return {**untagged_user_words, **_jieba_word_tags(), **tagged_user_words}


def _untagged(word: str) -> str:
    # What jieba-rs calls a word outside its dictionary: a number, a latin word, or anything else.
    if word.isascii() and word.isdigit():
        return "m"
    return "eng" if word.isascii() and word.isalnum() else "x"


@lru_cache(maxsize=1)
def _jieba_word_tags() -> dict[str, str]:
    # jieba.posseg reads the tags of jieba's own dictionary at import (about a second): only the jieba
    # engine pays for it.
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab


def make_tokenizer(user_dictionary: Iterable[DictionaryEntry], engine: str = "auto") -> Segmenter:
    """A segmenter with ``user_dictionary`` loaded into private tokenizers.

    Args:
        user_dictionary: entries (word, frequency or None, tag or None), e.g. from
            :func:`load_user_dictionary`; later entries see the earlier ones when a frequency is
            suggested, as in jieba.
        engine: ``"auto"`` (rjieba when installed, else jieba), ``"rjieba"`` or ``"jieba"``.

    Returns:
        The segmenter; the same object for the same dictionary and engine within a session.

    Raises:
        ValueError: unknown engine, or ``"rjieba"`` asked for but not installed.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if engine == "auto":
        engine = "rjieba" if _rjieba_available() else "jieba"
    elif engine == "rjieba" and not _rjieba_available():
        raise ValueError("engine 'rjieba' asked for, but rjieba is not installed")
    return _cached_segmenter(tuple(user_dictionary), engine)


@lru_cache(maxsize=4)  # each holds a jieba dictionary (tens of MB)
def _cached_segmenter(entries: tuple[DictionaryEntry, ...], engine: str) -> Segmenter:
    return Segmenter(entries, engine)


def default_segmenter() -> Segmenter:
    """The segmenter with the project's user dictionary (:func:`load_user_dictionary`).

    Read once per process and again only when a dictionary file changes.
    """
    return _segmenter_for(tuple((path, _mtime_ns(path)) for path in _default_dictionary_files()))


@lru_cache(maxsize=1)
def _default_dictionary_files() -> tuple[str, ...]:
    # Resolving the project paths costs more than the rest: line re-joins and office names ask often.
    return tuple(map(str, dictionary_files()))


def _mtime_ns(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


@lru_cache(maxsize=2)
def _segmenter_for(signature: tuple[tuple[str, int], ...]) -> Segmenter:
    return make_tokenizer(load_user_dictionary([Path(path) for path, _ in signature]))


def _token_frame(
    sentences: pd.DataFrame, token_lists: list[list[str]], stopwords: frozenset[str]
) -> pd.DataFrame:
    lengths = np.fromiter((len(tokens) for tokens in token_lists), dtype=np.int64, count=len(token_lists))
    starts = np.cumsum(lengths) - lengths
    tokens = list(itertools.chain.from_iterable(token_lists))
    frame = pd.DataFrame(
        {
            "article_id": np.repeat(sentences["article_id"].astype("string").to_numpy(dtype=object), lengths),
            "sentence_no": np.repeat(sentences["sentence_no"].to_numpy(dtype=object), lengths),
            "token_no": np.arange(len(tokens), dtype=np.int64) - np.repeat(starts, lengths) + 1,
            "token": pd.Series(tokens, dtype=object),
            "is_stopword": np.fromiter(
                (token in stopwords for token in tokens), dtype=bool, count=len(tokens)
            ),
        }
    )
    return frame.astype(TOKEN_COLUMNS)


def tokenize_sentences(
    sentences: pd.DataFrame,
    segmenter: Segmenter | None = None,
    *,
    stopwords: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The token table of a ``sentences`` table (each distinct sentence text is segmented once).

    Args:
        sentences: the ``sentences`` table (``article_id``, ``sentence_no``, ``text`` are used).
        segmenter: default :func:`default_segmenter` (the project's user dictionary).
        stopwords: words flagged ``is_stopword``; default :func:`load_stopwords`.

    Returns:
        One row per token (columns :data:`TOKEN_COLUMNS`), in sentence order; tokens made only of
        punctuation or whitespace are dropped and ``token_no`` counts the kept ones from 1.

    Raises:
        GovnewsError: a dictionary or stopword file is bad, or ``sentences`` lacks a column.
    """
    missing = [column for column in ("article_id", "sentence_no", "text") if column not in sentences.columns]
    if missing:
        raise GovnewsError(None, f"the sentences table lacks column(s) {', '.join(missing)}")
    segmenter = segmenter if segmenter is not None else default_segmenter()
    stop = load_stopwords() if stopwords is None else frozenset(stopwords)
    texts = sentences["text"].astype("string").fillna("").tolist()
    cut: dict[str, list[str]] = {}
    for text in texts:
        if text not in cut:
            cut[text] = segmenter.cut_content(text)
    return _token_frame(sentences, [cut[text] for text in texts], stop)


def tokens_per_sentence(
    tokens: pd.DataFrame, sentences: pd.DataFrame, *, drop_stopwords: bool = False
) -> list[list[str]]:
    """The tokens of each row of ``sentences``, in order, from a token table.

    Args:
        tokens: the token table (:func:`tokenize_sentences`).
        sentences: a table with ``article_id`` and ``sentence_no``.
        drop_stopwords: leave out tokens flagged ``is_stopword``.

    Returns:
        One list per row of ``sentences`` (empty for a sentence without tokens).
    """
    kept = tokens
    if drop_stopwords and len(tokens):
        kept = tokens.loc[~tokens["is_stopword"].astype("boolean").fillna(False).to_numpy(dtype=bool)]
    by_sentence: dict[tuple[str, int], list[str]] = {}
    if len(kept):
        ordered = kept.sort_values(["article_id", "sentence_no", "token_no"], kind="stable")
        grouped = ordered.groupby(["article_id", "sentence_no"], sort=False)["token"].agg(list)
        by_sentence = {(str(article), int(number)): words for (article, number), words in grouped.items()}
    return [
        by_sentence.get((str(article), int(number)), []) if pd.notna(number) else []
        for article, number in zip(
            sentences["article_id"].astype("string").fillna("").tolist(),
            sentences["sentence_no"].tolist(),
            strict=True,
        )
    ]
