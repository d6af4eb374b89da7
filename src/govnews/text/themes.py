"""Theme codebook → theme hits per sentence, theme counts per office, codebook diagnostics.

The codebook (``data/lexicons/themes.yml``) lists themes, each with terms. A PLAIN term matches a
token that equals it; a QUOTED term (written ``'"三项工程"'`` in the YAML: double quotes inside the
string) matches anywhere in the sentence text, for phrases jieba splits or that hold punctuation.
Both kinds compare after folding full-width ASCII to half-width and latin letters to lower case.
Overlapping matches resolve leftmost-longest: scanning a sentence from the left, the longest term
starting at a position wins and the text it covers cannot match again, so ``网格化管理`` is one
hit, not also one for ``网格化`` (as a token) or ``网格`` (as a quoted term).

:func:`count_themes` turns hits into comparable numbers per office: rates per 10,000 characters
and shares of sentences and articles, with a bootstrap interval of the rate. See its docstring for
how to read them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from govnews import schema
from govnews.config import project_paths
from govnews.errors import GovnewsError
from govnews.resources.locate import locate
from govnews.resources.yamlfile import parse_yaml
from govnews.text.patterns import overlapping_matches, word_alternation

if TYPE_CHECKING:
    from govnews.text.segment import Segmenter

MATCH_TOKEN = "token"
MATCH_SUBSTRING = "substring"

_THEME_KEYS = {"name", "description", "terms", "subthemes"}
_SUBTHEME_KEYS = {"name", "terms"}
_SENTENCE_KEY = ["article_id", "sentence_no"]
# Full-width ASCII to ASCII, latin letters to lower case: one character to one, so offsets survive.
_FOLD_CHARS = (
    {chr(code): chr(code - 0xFEE0).lower() for code in range(0xFF01, 0xFF5F)}
    | {chr(code): chr(code).lower() for code in range(ord("A"), ord("Z") + 1)}
    | {"\u3000": " "}
)
_FOLDABLE = re.compile("[" + re.escape("".join(_FOLD_CHARS)) + "]")


def _fold(text: str) -> str:
    # A sentence has a few characters to fold at most (full-width commas): replacing just those is
    # several times faster than str.translate, which looks up every character.
    return _FOLDABLE.sub(_folded_char, text)


def _folded_char(match: re.Match[str]) -> str:
    return _FOLD_CHARS[match.group()]


@dataclass(frozen=True)
class Term:
    """One codebook term.

    Attributes:
        text: the term as matched (without the quotes of a quoted term).
        theme: its theme.
        subtheme: its sub-theme, or ``""``.
        match_type: ``"token"`` (plain word) or ``"substring"`` (quoted term).
    """

    text: str
    theme: str
    subtheme: str
    match_type: str


@dataclass(frozen=True)
class Theme:
    """One theme: name, description and terms (sub-theme terms included)."""

    name: str
    description: str
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Codebook:
    """Themes in codebook order; the order breaks ties (:func:`theme_of_rows`) and orders tables."""

    themes: tuple[Theme, ...]
    source: Path | None = None

    @property
    def theme_names(self) -> list[str]:
        """Theme names in codebook order."""
        return [theme.name for theme in self.themes]

    @property
    def terms(self) -> list[Term]:
        """Every term, theme by theme."""
        return [term for theme in self.themes for term in theme.terms]

    def terms_of(self, theme: str) -> list[Term]:
        """The terms of one theme.

        Raises:
            KeyError: no theme of that name.
        """
        for candidate in self.themes:
            if candidate.name == theme:
                return list(candidate.terms)
        raise KeyError(theme)

    def to_frame(self) -> pd.DataFrame:
        """The codebook as a table: theme, subtheme, term, match_type, description."""
        rows = [
            {
                "theme": theme.name,
                "subtheme": term.subtheme,
                "term": term.text,
                "match_type": term.match_type,
                "description": theme.description,
            }
            for theme in self.themes
            for term in theme.terms
        ]
        columns = ["theme", "subtheme", "term", "match_type", "description"]
        return pd.DataFrame(rows, columns=columns).astype("string")

    @cached_property
    def _matcher(self) -> _Matcher:
        return _Matcher(self.terms)


class _Matcher:
    """Leftmost-longest matching of a codebook's terms in a sentence."""

    def __init__(self, terms: Sequence[Term]) -> None:
        self.by_text = {_fold(term.text): term for term in terms}
        self.plain = {text for text, term in self.by_text.items() if term.match_type == MATCH_TOKEN}
        self.substring = self._pattern(
            t for t, term in self.by_text.items() if term.match_type == MATCH_SUBSTRING
        )
        self.any_substring = self._pattern(self.by_text)

    @staticmethod
    def _pattern(texts: Iterable[str]) -> re.Pattern | None:
        # At each position the regex reports the longest term starting there; overlapping_matches
        # lets matches overlap so that resolution sees every candidate.
        texts = list(texts)
        return re.compile(word_alternation(texts)) if texts else None

    @staticmethod
    def _substrings(pattern: re.Pattern, text: str) -> list[tuple[int, int, str]]:
        """(start, length, term) of the longest term starting at each position where one does."""
        return [(m.start(), len(m.group()), m.group()) for m in overlapping_matches(pattern, text)]

    @staticmethod
    def _resolve(candidates: list[tuple[int, int, str]]) -> list[str]:
        candidates.sort(key=lambda candidate: (candidate[0], -candidate[1]))
        chosen, end = [], 0
        for start, length, text in candidates:
            if start >= end:
                chosen.append(text)
                end = start + length
        return chosen

    def match(self, text: str, tokens: Sequence[str]) -> list[Term]:
        """Terms found in ``text`` (plain ones among ``tokens``), in reading order."""
        folded = _fold(text)
        candidates: list[tuple[int, int, str]] = []
        if self.substring is not None:
            candidates += self._substrings(self.substring, folded)
        # One search over the sentence's tokens instead of a fold per token: most have nothing to fold.
        folded_tokens = [_fold(token) for token in tokens] if _FOLDABLE.search("".join(tokens)) else tokens
        if not self.plain.isdisjoint(folded_tokens):
            # Tokens after the last plain term move the cursor for nothing.
            last = len(folded_tokens) - 1
            while folded_tokens[last] not in self.plain:
                last -= 1
            cursor = 0
            for token in folded_tokens[: last + 1]:
                start = folded.find(token, cursor)
                if start < 0:
                    continue
                cursor = start + len(token)
                if token in self.plain:
                    candidates.append((start, len(token), token))
        return [self.by_text[found] for found in self._resolve(candidates)]

    def match_anywhere(self, text: str) -> list[Term]:
        """Terms of either kind found as substrings of ``text`` (for short names, which have no tokens)."""
        if self.any_substring is None:
            return []
        found = self._substrings(self.any_substring, _fold(text))
        return [self.by_text[text] for text in self._resolve(found)]


def _line_of(text: str, needle: str, occurrence: int = 1) -> int | None:
    """Line (1-based) of the ``occurrence``-th appearance of ``needle`` as a YAML scalar, if found."""
    pattern = re.compile(r"(?<![^\s\[{,:'\"-])['\"]?" + re.escape(needle) + r"['\"]?(?=\s*(?:$|[,\]#]))")
    seen = 0
    for line_no, line in enumerate(text.splitlines(), start=1):
        seen += len(pattern.findall(line))
        if seen >= occurrence:
            return line_no
    return None


def _is_plain_word(text: str) -> bool:
    return all(unicodedata.category(char)[0] not in "PZSC" for char in text)


class _CodebookReader:
    """Validates the parsed YAML of a codebook and builds the :class:`Codebook`."""

    def __init__(self, source: Path | None, text: str) -> None:
        self.source = source
        self.text = text
        self.term_owner: dict[str, str] = {}

    def fail(self, problem: str, needle: str | None = None, occurrence: int = 1) -> GovnewsError:
        line = _line_of(self.text, needle, occurrence) if needle else None
        return GovnewsError(self.source, problem, line)

    def read(self, data: Any) -> Codebook:
        if not isinstance(data, Mapping) or not isinstance(data.get("themes"), list):
            raise self.fail("the codebook needs a top-level 'themes:' list")
        themes: list[Theme] = []
        for position, entry in enumerate(data["themes"], start=1):
            theme = self._theme(entry, position)
            if theme.name in {known.name for known in themes}:
                raise self.fail(f"theme {theme.name!r} is defined twice", f"name: {theme.name}", 2)
            themes.append(theme)
        if not themes:
            raise self.fail("the codebook has no themes")
        return Codebook(tuple(themes), self.source)

    def _check_keys(self, entry: Any, allowed: set[str], required: set[str], what: str) -> None:
        if not isinstance(entry, Mapping):
            raise self.fail(f"{what} must be a mapping with keys {', '.join(sorted(required))}")
        missing = sorted(required - set(entry))
        if missing:
            raise self.fail(f"{what} lacks key(s) {', '.join(missing)}", str(entry.get("name", "")) or None)
        unknown = sorted(set(map(str, entry)) - allowed)
        if unknown:
            raise self.fail(f"{what} has unknown key(s) {', '.join(unknown)}", str(entry.get("name", "")))

    def _name(self, entry: Mapping, what: str) -> str:
        name = entry["name"]
        if not isinstance(name, str) or not name.strip():
            raise self.fail(f"{what} needs a non-empty text 'name'")
        return name.strip()

    def _theme(self, entry: Any, position: int) -> Theme:
        what = f"theme no. {position}"
        self._check_keys(entry, _THEME_KEYS, {"name", "description", "terms"}, what)
        name = self._name(entry, what)
        if not isinstance(entry["description"], str):
            raise self.fail(f"theme {name!r}: 'description' must be text", name)
        terms = self._terms(entry["terms"], name, "")
        subthemes = entry.get("subthemes") or []
        if not isinstance(subthemes, list):
            raise self.fail(f"theme {name!r}: 'subthemes' must be a list", name)
        subtheme_names: set[str] = set()
        for sub_position, subentry in enumerate(subthemes, start=1):
            sub_what = f"sub-theme no. {sub_position} of theme {name!r}"
            self._check_keys(subentry, _SUBTHEME_KEYS, _SUBTHEME_KEYS, sub_what)
            subname = self._name(subentry, sub_what)
            if subname in subtheme_names:
                raise self.fail(f"theme {name!r} has sub-theme {subname!r} twice", subname, 2)
            subtheme_names.add(subname)
            terms += self._terms(subentry["terms"], name, subname)
        if not terms:
            raise self.fail(f"theme {name!r} has no terms", name)
        return Theme(name, entry["description"].strip(), tuple(terms))

    def _terms(self, raw_terms: Any, theme: str, subtheme: str) -> list[Term]:
        where = f"theme {theme!r}" + (f", sub-theme {subtheme!r}" if subtheme else "")
        if raw_terms is None:
            return []
        if not isinstance(raw_terms, list):
            raise self.fail(f"{where}: 'terms' must be a list", subtheme or theme)
        terms = []
        for raw in raw_terms:
            if not isinstance(raw, str | int) or isinstance(raw, bool) or not str(raw).strip():
                raise self.fail(f"{where}: every term must be non-empty text, got {raw!r}", subtheme or theme)
            terms.append(self._term(str(raw).strip(), theme, subtheme, where))
        return terms

    def _term(self, raw: str, theme: str, subtheme: str, where: str) -> Term:
        quoted = len(raw) > 2 and raw.startswith('"') and raw.endswith('"')
        text = raw[1:-1] if quoted else raw
        if not quoted and '"' in raw:
            raise self.fail(
                f"{where}: term {raw!r} has an unbalanced quote; write '\"…\"' for substring matching", raw
            )
        if not quoted and not _is_plain_word(text):
            raise self.fail(
                f"{where}: plain term {raw!r} holds spaces or punctuation and can never equal a "
                "token; quote it ('\"…\"') for substring matching",
                raw,
            )
        key = _fold(text)
        owner = self.term_owner.get(key)
        if owner is not None:
            problem = (
                f"term {text!r} is listed twice in theme {theme!r}"
                if owner == theme
                else f"term {text!r} is in two themes, {owner!r} and {theme!r}"
            )
            raise self.fail(problem, raw, 2)
        self.term_owner[key] = theme
        return Term(text, theme, subtheme, MATCH_SUBSTRING if quoted else MATCH_TOKEN)


def read_codebook(text: str, source: Path | str | None = None) -> Codebook:
    """A codebook from YAML text (the format of ``data/lexicons/themes.yml``).

    Args:
        text: the YAML.
        source: the file it came from, named in errors.

    Raises:
        GovnewsError: broken YAML, missing or unknown keys, a duplicate theme, a term listed twice
            or in two themes, a plain term that can never be a token.
    """
    path = Path(source) if source is not None else None
    data, _ = parse_yaml(text, path)
    return _CodebookReader(path, text).read(data)


def load_codebook(path: Path | str | None = None) -> Codebook:
    """The theme codebook of ``path`` (default ``data/lexicons/themes.yml``), cached until the file changes.

    Raises:
        GovnewsError: the file is missing, not UTF-8 or not a valid codebook (see :func:`read_codebook`).
    """
    path = Path(path) if path is not None else locate(project_paths(), "themes")
    try:
        stat = path.stat()
    except OSError as error:
        raise GovnewsError(path, "codebook file not found") from error
    return _cached_codebook(path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _cached_codebook(path: Path, mtime_ns: int, size: int) -> Codebook:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise GovnewsError(path, f"not UTF-8 text ({error.reason})") from error
    return read_codebook(text, path)


def find_theme_hits(
    sentences: pd.DataFrame, tokens: pd.DataFrame | Sequence[Sequence[str]], codebook: Codebook | None = None
) -> pd.DataFrame:
    """The ``theme_hits`` table: one row per codebook term found in a sentence.

    Args:
        sentences: the ``sentences`` table (``article_id``, ``sentence_no``, ``text``, ``office``).
        tokens: the token table of those sentences (:func:`govnews.text.segment.tokenize_sentences`), or
            the content tokens of each sentence as lists aligned with its rows.
        codebook: default :func:`load_codebook`.

    Returns:
        The ``theme_hits`` table, in sentence order and reading order within a sentence.
    """
    from govnews.text.segment import tokens_per_sentence

    codebook = codebook if codebook is not None else load_codebook()
    matcher = codebook._matcher
    token_lists = tokens_per_sentence(tokens, sentences) if isinstance(tokens, pd.DataFrame) else tokens
    if len(token_lists) != len(sentences):
        raise ValueError(f"{len(token_lists)} token lists for {len(sentences)} sentences")
    rows = []
    for article_id, sentence_no, office, text, words in zip(
        sentences["article_id"].astype("string").fillna("").tolist(),
        sentences["sentence_no"].tolist(),
        sentences["office"].astype("string").fillna("").tolist(),
        sentences["text"].astype("string").fillna("").tolist(),
        token_lists,
        strict=True,
    ):
        rows += [
            (article_id, sentence_no, office, term.theme, term.text, term.match_type)
            for term in matcher.match(text, list(words))
        ]
    return schema.from_rows(rows, "theme_hits")


def _theme_order(theme_hits: pd.DataFrame, codebook: Codebook | None) -> list[str]:
    named = (codebook if codebook is not None else load_codebook()).theme_names
    extra = [theme for theme in theme_hits["theme"].astype(str).unique().tolist() if theme not in named]
    return named + extra


# Article draws per batch of bootstrap replicates (8 bytes each, twice over).
_BOOTSTRAP_BATCH_DRAWS = 2_000_000


def _bootstrap_rates(
    hits: np.ndarray, chars: np.ndarray, n_boot: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """5th and 95th percentiles of the rate per 10k chars, resampling rows (articles) with replacement.

    ``hits`` is articles × themes, ``chars`` the characters per article.
    """
    n_articles = len(chars)
    if not chars.any():
        return np.full(hits.shape[1], np.nan), np.full(hits.shape[1], np.nan)
    rates = np.empty((n_boot, hits.shape[1]))
    # A replicate draws n_articles articles with replacement; how often each was drawn weights it, so
    # a batch of replicates is one matrix product. Counting uniform draws gives those (multinomial)
    # weights several times faster than drawing them as multinomials; batches bound the memory.
    batch = max(1, _BOOTSTRAP_BATCH_DRAWS // n_articles)
    for first in range(0, n_boot, batch):
        size = min(batch, n_boot - first)
        draws = rng.integers(0, n_articles, size=(size, n_articles))
        draws += (np.arange(size) * n_articles)[:, None]
        weights = np.bincount(draws.ravel(), minlength=size * n_articles).reshape(size, n_articles)
        weights = weights.astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            rates[first : first + size] = (weights @ hits) / (weights @ chars)[:, None] * 10_000
    low, high = np.nanquantile(rates, [0.05, 0.95], axis=0)
    return low, high


def _office_rng(seed: int, office: str) -> np.random.Generator:
    # Seeded by office as well, so an office's interval does not move when other offices are added.
    return np.random.default_rng([seed, *office.encode("utf-8")])


def count_themes(
    theme_hits: pd.DataFrame,
    sentences: pd.DataFrame,
    n_boot: int = 1000,
    seed: int = 0,
    *,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """The ``theme_counts`` table: one row per office × theme, zero-filled.

    Offices have very different amounts of text, so raw hits do not compare. Read the table this way:

    * Group first, normalise second: hits and characters are summed per office, then divided. The
      rate ``rate_per_10k_chars`` compares how much an office's text dwells on a theme; the shares
      say how widespread the theme is across its sentences and articles. Never sum or average
      shares (or rates) across offices or themes — recompute from ``hits`` and ``n_chars``.
    * Always report ``hits`` (and ``n_articles``) beside a rate: 2 hits in 600 characters is a high
      rate resting on almost nothing.
    * ``rate_ci_low``/``rate_ci_high`` are a 90% percentile bootstrap interval, resampling the
      office's articles (the unit that was written and chosen by editors). Where two offices'
      intervals overlap widely, do not rank them. With one article the interval collapses to the
      rate itself: that is no evidence of precision.

    Args:
        theme_hits: the ``theme_hits`` table. Each hit takes the office of its sentence in
            ``sentences``; hits of sentences not in ``sentences`` are left out.
        sentences: the ``sentences`` table (its ``office`` '' is district-level text).
        n_boot: bootstrap replicates (0 leaves the interval empty).
        seed: seed of the random generator; the same inputs and seed give the same intervals.
        codebook: gives the themes and their order (default :func:`load_codebook`); themes found in
            ``theme_hits`` but not in the codebook are added at the end.

    Returns:
        The ``theme_counts`` table, offices in name order (district-level text last), themes in
        codebook order.
    """
    if sentences.empty:
        return schema.empty_table("theme_counts")
    themes = _theme_order(theme_hits, codebook)
    units = pd.DataFrame(
        {
            "article_id": sentences["article_id"].astype("string").fillna("").astype(str),
            "sentence_no": sentences["sentence_no"].astype("Int64"),
            "office": sentences["office"].astype("string").fillna("").astype(str),
            "n_chars": sentences["n_chars"].astype("Int64").fillna(0).astype(np.int64),
        }
    ).drop_duplicates(_SENTENCE_KEY)
    hits = theme_hits.loc[:, [*_SENTENCE_KEY, "theme"]].astype({"article_id": str, "sentence_no": "Int64"})
    hits = hits.merge(units[[*_SENTENCE_KEY, "office"]], on=_SENTENCE_KEY, how="inner")
    # Arrow finds each hit's theme among the themes many times faster than pandas' Categorical does.
    theme_of_hit = pa.array(hits["theme"].astype("string"), from_pandas=True)
    positions = pc.index_in(theme_of_hit, value_set=pa.array(themes, pa.string()))
    hits["theme"] = pd.Categorical.from_codes(positions.fill_null(-1).to_numpy(), categories=themes)
    # hits per article of an office, articles × themes
    per_article = hits.groupby(["office", "article_id", "theme"], observed=False).size().unstack("theme")
    sentence_hit = hits.drop_duplicates([*_SENTENCE_KEY, "theme"])
    article_hit = sentence_hit.drop_duplicates(["office", "article_id", "theme"])
    sentences_with = sentence_hit.groupby(["office", "theme"], observed=False).size()
    articles_with = article_hit.groupby(["office", "theme"], observed=False).size()
    chars_per_article = units.groupby(["office", "article_id"])["n_chars"].sum()
    sentences_per_office = units["office"].value_counts()

    rows = []
    offices = sorted(units["office"].unique(), key=lambda office: (office == "", office))
    offices_with_hits = set(per_article.index.get_level_values("office"))
    for office in offices:
        office_chars = chars_per_article.loc[office]
        articles = office_chars.index
        matrix = np.zeros((len(articles), len(themes)))
        if office in offices_with_hits:
            counted = per_article.loc[office].reindex(index=articles, columns=themes, fill_value=0)
            matrix = counted.fillna(0).to_numpy(dtype=float)
        chars = office_chars.to_numpy(dtype=float)
        n_chars = int(chars.sum())
        n_sentences = int(sentences_per_office[office])
        total_hits = matrix.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = total_hits / n_chars * 10_000 if n_chars else np.full(len(themes), np.nan)
        if n_boot > 0:
            low, high = _bootstrap_rates(matrix, chars, n_boot, _office_rng(seed, office))
        else:
            low = high = np.full(len(themes), np.nan)
        for index, theme in enumerate(themes):
            rows.append(
                {
                    "office": office,
                    "theme": theme,
                    "hits": int(total_hits[index]),
                    "n_chars": n_chars,
                    "rate_per_10k_chars": rate[index],
                    "rate_ci_low": low[index],
                    "rate_ci_high": high[index],
                    "share_of_sentences": sentences_with.get((office, theme), 0) / n_sentences,
                    "share_of_articles": articles_with.get((office, theme), 0) / len(articles),
                    "n_sentences": n_sentences,
                    "n_articles": len(articles),
                }
            )
    return schema.from_rows(rows, "theme_counts")


def update_theme_counts(
    previous: pd.DataFrame,
    theme_hits: pd.DataFrame,
    sentences: pd.DataFrame,
    offices: Collection[str],
    n_boot: int = 1000,
    seed: int = 0,
    *,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """``previous`` (a ``theme_counts`` table) with the rows of ``offices`` counted again.

    An office's rows depend only on its own sentences and hits (its bootstrap is seeded by its
    name), so after a few raw files change only the offices of those files need counting: the
    result equals :func:`count_themes` over the whole corpus.

    Args:
        previous: the ``theme_counts`` of the corpus before the change, for the same codebook.
        theme_hits: hits of (at least) the sentences of ``offices``; other offices' rows are ignored.
        sentences: the sentences of (at least) ``offices``.
        offices: the offices whose text changed; one with no sentences left loses its rows.
        n_boot, seed, codebook: as for :func:`count_themes`, and as ``previous`` was counted.

    Raises:
        ValueError: ``previous`` counts other themes than the codebook has.
    """
    themes = _theme_order(theme_hits, codebook)
    if not previous.empty and list(dict.fromkeys(previous["theme"].astype(str))) != themes:
        raise ValueError("previous theme counts are of another codebook; count all offices again")
    office = sentences["office"].astype("string").fillna("")
    fresh = count_themes(
        theme_hits, sentences[office.isin(list(offices)).to_numpy()], n_boot, seed, codebook=codebook
    )
    kept = previous[~previous["office"].astype("string").fillna("").isin(list(offices)).to_numpy()]
    merged = pd.concat([kept, fresh], ignore_index=True)
    # count_themes's order: offices by name, district-level text ('') last, themes as counted.
    district_last = merged["office"].eq("").to_numpy()
    order = pd.DataFrame({"district": district_last, "office": merged["office"].astype(str)})
    merged = merged.iloc[order.sort_values(["district", "office"], kind="stable").index]
    return schema.conform(merged.reset_index(drop=True), "theme_counts")


def diagnose_codebook(
    codebook: Codebook,
    tokens: pd.DataFrame | None,
    segmenter: Segmenter | None = None,
    *,
    sentences: pd.DataFrame | None = None,
    hits: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The ``theme_diagnostics`` table: codebook terms to look at before trusting the counts.

    Two problems are reported: ``never_fires`` (the term matches nowhere in the corpus, after
    leftmost-longest resolution) and ``split_by_jieba`` (a plain term the segmenter cuts into
    several tokens when it stands alone, so a token match misses it; add it to ``userdict.txt`` or
    quote it).

    Args:
        codebook: the codebook to check.
        tokens: the token table of the corpus; not needed (``None``) when ``hits`` are given.
        segmenter: the segmenter the tokens came from (default the project's).
        sentences: the ``sentences`` table; without it sentence texts are rebuilt from the tokens,
            which lack punctuation, so quoted terms holding punctuation are reported as never firing.
        hits: the ``theme_hits`` of these sentences when already found (the build has them).

    Returns:
        The ``theme_diagnostics`` table in codebook order.
    """
    if segmenter is None:
        from govnews.text.segment import default_segmenter

        segmenter = default_segmenter()
    if hits is None and sentences is None and tokens is None:
        raise ValueError("diagnose_codebook needs the hits, the sentences or the tokens")
    if hits is None and sentences is None:
        ordered = tokens.sort_values([*_SENTENCE_KEY, "token_no"], kind="stable")
        sentences = ordered.groupby(_SENTENCE_KEY, sort=False)["token"].agg("".join).reset_index()
        sentences = sentences.rename(columns={"token": "text"}).assign(office="")
    if hits is None:
        hits = find_theme_hits(sentences, tokens, codebook)
    fired = set(
        zip(hits["theme"].astype("string").tolist(), hits["term"].astype("string").tolist(), strict=True)
    )
    rows = []
    for term in codebook.terms:
        if (term.theme, term.text) not in fired:
            rows.append((term.theme, term.text, "never_fires", ""))
        if term.match_type == MATCH_TOKEN:
            pieces = [piece for piece in segmenter.cut(term.text) if piece.strip()]
            if pieces != [term.text]:
                rows.append((term.theme, term.text, "split_by_jieba", " / ".join(pieces)))
    return schema.from_rows(rows, "theme_diagnostics")


def sentence_themes(theme_hits: pd.DataFrame, codebook: Codebook | None = None) -> dict[tuple[str, int], str]:
    """The theme of each sentence with a hit, keyed by ``(article_id, sentence_no)``.

    A sentence's theme is the theme with most hits there; ties go to the theme listed first in the
    codebook.
    """
    codebook = codebook if codebook is not None else load_codebook()
    hits_by_sentence: dict[tuple[str, int], Counter[str]] = {}
    sentence_nos = theme_hits["sentence_no"]
    known = sentence_nos.notna().tolist()
    for article_id, sentence_no, theme, is_known in zip(
        theme_hits["article_id"].astype("string").fillna("").tolist(),
        sentence_nos.tolist(),
        theme_hits["theme"].astype("string").fillna("").tolist(),
        known,
        strict=True,
    ):
        if is_known:
            hits_by_sentence.setdefault((article_id, int(sentence_no)), Counter())[theme] += 1
    most_hit = _most_hit(codebook)
    return {sentence: most_hit(counts) for sentence, counts in hits_by_sentence.items()}


def _most_hit(codebook: Codebook) -> Callable[[Counter[str]], str]:
    rank = {theme: position for position, theme in enumerate(codebook.theme_names)}
    return lambda counts: min(counts, key=lambda theme: (-counts[theme], rank.get(theme, len(rank)), theme))


def theme_of_rows(
    rows: pd.DataFrame,
    theme_hits: pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    themes_of_sentences: Mapping[tuple[str, int], str] | None = None,
) -> pd.Series:
    """The theme of each figure or measure row, for their ``theme`` column.

    A row takes the theme of its sentence (see :func:`sentence_themes`); a row whose sentence has no
    hit takes the theme its ``subject`` (figures) or ``name`` (measures) matches, by the same rule
    with every term matched as a substring; otherwise ``""``.

    Args:
        rows: a table with ``article_id``, ``sentence_no`` and ``subject`` or ``name``.
        theme_hits: the ``theme_hits`` table of the corpus.
        codebook: default :func:`load_codebook`.
        themes_of_sentences: :func:`sentence_themes` of ``theme_hits``, when the caller already has it.

    Returns:
        Themes as a string Series aligned with ``rows``.
    """
    codebook = codebook if codebook is not None else load_codebook()
    if themes_of_sentences is None:
        themes_of_sentences = sentence_themes(theme_hits, codebook)
    most_hit = _most_hit(codebook)
    label_column = "subject" if "subject" in rows.columns else "name" if "name" in rows.columns else None
    labels = rows[label_column].astype("string").fillna("").tolist() if label_column else [""] * len(rows)
    themes = []
    for article_id, sentence_no, label in zip(
        rows["article_id"].tolist(), rows["sentence_no"].tolist(), labels, strict=True
    ):
        theme = ""
        if pd.notna(article_id) and pd.notna(sentence_no):
            theme = themes_of_sentences.get((str(article_id), int(sentence_no)), "")
        if not theme and label:
            found = codebook._matcher.match_anywhere(label)
            if found:
                theme = most_hit(Counter(term.theme for term in found))
        themes.append(theme)
    return pd.Series(themes, index=rows.index, dtype="string", name="theme")
