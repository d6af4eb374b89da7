"""Theme codebook → theme hits per sentence, theme counts per office, codebook diagnostics.

The codebook (``data/lexicons/themes.yml``) lists themes, each with terms. A PLAIN term matches a
token that equals it; a QUOTED term (written ``'"三项工程"'`` in the YAML: double quotes inside the
string) matches anywhere in the sentence text, for phrases jieba splits or that hold punctuation.
Both kinds compare after folding full-width ASCII to half-width (clause punctuation such as
，and ：aside) and latin letters to lower case.
Overlapping matches resolve leftmost-longest: scanning a sentence from the left, the longest term
starting at a position wins and the text it covers cannot match again, so ``网格化管理`` is one
hit, not also one for ``网格化`` (as a token) or ``网格`` (as a quoted term).

Not every term found is evidence of its theme. The codebook's header states the evidence rules
and its ``evidence:`` section holds their word lists; :func:`find_theme_hits` applies them: strong
terms count alone, weak terms need company (another term of the theme, or a neighbouring sentence
or an article about the theme), no term counts inside a proper name or a negative context, and an
enumeration of fields counts for the sentence's head. ``theme_hits.evidence`` says which rule let
each hit count; :mod:`govnews.theme_validation` measures the result against a human coding.

:func:`count_themes` turns hits into comparable numbers per office: rates per 10,000 characters
and shares of sentences and articles, with a bootstrap interval of the rate. See its docstring for
how to read them.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from govnews import schema
from govnews.collector import cycle_collector_paused
from govnews.errors import GovnewsError
from govnews.patterns import overlapping_matches, word_alternation
from govnews.resources.lexicons import load_codebook
from govnews.resources.yamlfile import parse_yaml
from govnews.vocabulary import HAN

if TYPE_CHECKING:
    from govnews.text.segment import Segmenter

MATCH_TOKEN = "token"
MATCH_SUBSTRING = "substring"
STRONG = "strong"
WEAK = "weak"
CONTEXT = "context"
LIST = "list"

_THEME_KEYS = {"name", "description", "terms", "weak_terms", "negative_contexts", "subthemes"}
_SUBTHEME_KEYS = {"name", "terms", "weak_terms"}
_SENTENCE_KEY = ["article_id", "sentence_no"]
# The marks that end or break a clause stay as they are: no term holds one, and nearly every
# sentence has several, each of which would cost a replacement.
_CLAUSE_MARKS = "，：；！？（）"
# Full-width ASCII to ASCII, latin letters to lower case: one character to one, so offsets survive.
_FOLD_CHARS = (
    {
        chr(code): chr(code - 0xFEE0).lower()
        for code in range(0xFF01, 0xFF5F)
        if chr(code) not in _CLAUSE_MARKS
    }
    | {chr(code): chr(code).lower() for code in range(ord("A"), ord("Z") + 1)}
    | {"\u3000": " "}
)
_FOLDABLE = re.compile("[" + re.escape("".join(_FOLD_CHARS)) + "]")


def _fold(text: str) -> str:
    # Most sentences have nothing to fold: replacing the few characters that need it is several
    # times faster than str.translate, which looks up every character.
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
        strength: ``"strong"`` (one is evidence enough) or ``"weak"`` (counts only beside another
            term of its theme in the sentence).
    """

    text: str
    theme: str
    subtheme: str
    match_type: str
    strength: str = STRONG


@dataclass(frozen=True)
class Theme:
    """One theme: name, description, terms (sub-theme terms included) and negative contexts."""

    name: str
    description: str
    terms: tuple[Term, ...]
    negative_contexts: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvidenceRules:
    """The word lists of the codebook's ``evidence:`` section (see the codebook's header).

    Attributes:
        name_ends: words that end the name of an organisation, place or post (公司, 管理局, 书记):
            a term right before one, or one word before one, is part of a name and does not count.
        award_verbs: words that introduce an award title (荣获, 被评为): terms after one, up to the
            first of ``award_words`` or the end of the clause, do not count.
        award_words: words that end an award title (称号, 先进集体).
        list_heads: what an enumeration is a list of (方面, 工作): ``A、B、C等方面``.
        list_openers: words before an enumeration's first item (在, 围绕).
    """

    name_ends: tuple[str, ...] = ()
    award_verbs: tuple[str, ...] = ()
    award_words: tuple[str, ...] = ()
    list_heads: tuple[str, ...] = ()
    list_openers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """Themes in codebook order; the order breaks ties (:func:`theme_of_rows`) and orders tables."""

    themes: tuple[Theme, ...]
    source: Path | None = None
    rules: EvidenceRules = EvidenceRules()

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
        """The codebook as a table: theme, subtheme, term, match_type, strength, description."""
        rows = [
            {
                "theme": theme.name,
                "subtheme": term.subtheme,
                "term": term.text,
                "match_type": term.match_type,
                "strength": term.strength,
                "description": theme.description,
            }
            for theme in self.themes
            for term in theme.terms
        ]
        columns = ["theme", "subtheme", "term", "match_type", "strength", "description"]
        return pd.DataFrame(rows, columns=columns).astype("string")

    @cached_property
    def _matcher(self) -> _Matcher:
        return _Matcher(self)


# An award title or an enumeration never runs past the end of its clause.
_CLAUSE_END = re.compile(r"[，,；;：:。！？!?]")
_TITLE = re.compile(r"《[^《》]*》")
# What may stand between two weak terms that form one phrase.
_PHRASE_GAPS = frozenset(["", "、", "和", "与", "及", "或"])
# 等 may carry a count before an enumeration's head: 等9项职责, 等七个专项行动.
_LIST_COUNT = r"(?:[0-9一二三四五六七八九十两多几]+[项个类种大件条支])?"
_ALL_HAN = re.compile(f"[{HAN}]+")


def _is_name_word(token: str) -> bool:
    # The one word a name may hold between a term and its ending (投资·控股·有限公司): two or more
    # Chinese characters; function words (的, 和, 在) are single characters and end the name.
    return len(token) >= 2 and _ALL_HAN.fullmatch(token) is not None


class _Matcher:
    """A codebook's terms found in a sentence, and the evidence rules that decide which count.

    ``names`` (offices, districts) and the themes' negative contexts are blockers: they take part in
    leftmost-longest resolution like terms, so one that starts at or before a term and covers it
    wins, and no term counts inside it.
    """

    def __init__(self, codebook: Codebook, names: Iterable[str] = ()) -> None:
        self.by_text = {_fold(term.text): term for term in codebook.terms}
        self.theme_of = {text: term.theme for text, term in self.by_text.items()}
        kinds = {text: (term.match_type, term.strength) for text, term in self.by_text.items()}
        self.plain = frozenset(text for text, (kind, _) in kinds.items() if kind == MATCH_TOKEN)
        self.quoted = frozenset(text for text, (kind, _) in kinds.items() if kind == MATCH_SUBSTRING)
        self.weak_texts = frozenset(text for text, (_, strength) in kinds.items() if strength == WEAK)
        self.any_substring = self._pattern(self.by_text)
        contexts = {_fold(context) for theme in codebook.themes for context in theme.negative_contexts}
        # Only a name that holds a term can hide one: the others need no searching.
        names = {name for name in map(_fold, names) if self.any_substring and self.any_substring.search(name)}
        self.blockers = frozenset((names | contexts) - set(self.by_text))
        self.substring = self._pattern([*self.quoted, *self.blockers])
        rules = codebook.rules
        ends = [_fold(end) for end in rules.name_ends]
        self.name_ends = frozenset(ends)
        # A word that ends with a name ending of two or more characters ends a name too (技术开发区);
        # one character must stand alone (自然资源·局), or 格局 would end a name.
        self.long_name_ends = tuple(end for end in ends if len(end) >= 2)
        # A name ending within a word of a term's end: where a plain term may begin a name.
        self.name_end_near = (
            re.compile(rf"[{HAN}]{{0,4}}?(?:" + word_alternation(ends) + ")") if ends else None
        )
        # The same from a quoted term's start: the ending may overlap the term (技术开发区 for 开发).
        self.name_end_from = (
            re.compile(rf"[{HAN}]{{0,8}}?(?:" + word_alternation(ends) + ")") if ends else None
        )
        self.award_verb = self._pattern(map(_fold, rules.award_verbs))
        self.award_word = self._pattern(map(_fold, rules.award_words))
        heads = [_fold(head) for head in rules.list_heads]
        # 等 may carry a count, and a word or two, before the enumeration's head: 等9项职责, 等社区事务.
        self.list_end = (
            re.compile("等" + _LIST_COUNT + f"[{HAN}]{{0,2}}?(?:" + word_alternation(heads) + ")")
            if heads
            else None
        )
        self.list_opener = self._pattern(map(_fold, rules.list_openers))

    @staticmethod
    def _pattern(texts: Iterable[str]) -> re.Pattern | None:
        # At each position the regex reports the longest text starting there; overlapping_matches
        # lets matches overlap so that resolution sees every candidate.
        texts = list(texts)
        return re.compile(word_alternation(texts)) if texts else None

    def find(self, folded: str, tokens: Sequence[str]) -> tuple[list[tuple[int, int]], list[str]]:
        """Spans and texts of the terms in the folded text (plain ones among the folded ``tokens``).

        Overlaps resolve leftmost-longest; blockers and the plain terms that begin a name (园林·部门)
        take part in the resolution and are then left out.
        """
        quoted: list[tuple[int, int]] = []
        if self.substring is not None:
            # overlapping_matches, written out: this runs for every sentence.
            search = self.substring.search
            match = search(folded)
            while match is not None:
                quoted.append(match.span())
                match = search(folded, match.start() + 1)
        plain = self.plain
        found: list[tuple[int, int]] = []
        texts: list[str] = []
        named: list[tuple[int, int]] = []
        if not plain.isdisjoint(tokens):
            # A token starts at least as far into the text as the tokens before it are long, plus
            # the punctuation already passed (``shift``): searching from there locates each plain
            # term without a search for every token of the sentence.
            offsets = list(itertools.accumulate(map(len, tokens), initial=0))
            shift = 0
            near = self.name_end_near
            for index in itertools.compress(range(len(tokens)), map(plain.__contains__, tokens)):
                token = tokens[index]
                start = folded.find(token, offsets[index] + shift)
                if start >= 0:
                    shift = start - offsets[index]
                    end = start + len(token)
                    found.append((start, end))
                    texts.append(token)
                    # A cheap look at the next few characters first: few terms have a name ending there.
                    if (
                        near is not None
                        and near.match(folded, end)
                        and self._name_follows(folded, tokens, index + 1, end)
                    ):
                        named.append((start, end))
        if quoted:
            # Leftmost-longest: by start, and at one start the longest (sorted last, so it replaces
            # a shorter one just chosen).
            candidates = sorted(quoted + found) if found else quoted
            found, end, chosen_start = [], 0, -1
            for span in candidates:
                if span[0] >= end:
                    found.append(span)
                    end, chosen_start = span[1], span[0]
                elif span[0] == chosen_start and span[1] > end:
                    found[-1] = span
                    end = span[1]
            texts = [folded[start:end] for start, end in found]
        if named or (quoted and self.blockers and not self.blockers.isdisjoint(texts)):
            kept = [
                index
                for index, (span, text) in enumerate(zip(found, texts, strict=True))
                if text not in self.blockers and span not in named
            ]
            found, texts = [found[index] for index in kept], [texts[index] for index in kept]
        return found, texts

    def _name_follows(self, folded: str, tokens: Sequence[str], following: int, end: int) -> bool:
        """True when the words from ``tokens[following]`` on, at ``end`` of a term, end a name with it.

        The name ends with the next word (园林·部门) or the one after a name word (投资·控股·有限公司),
        with no punctuation between.
        """
        if following >= len(tokens) or not folded.startswith(tokens[following], end):
            return False
        word = tokens[following]
        if self._is_name_end(word):
            return True
        after = following + 1
        return (
            after < len(tokens)
            and self._is_name_end(tokens[after])
            and folded.startswith(tokens[after], end + len(word))
            and _is_name_word(word)
        )

    def _is_name_end(self, word: str) -> bool:
        return word in self.name_ends or word.endswith(self.long_name_ends)

    def match(self, text: str, tokens: Sequence[str]) -> list[tuple[Term, str]]:
        """The terms found in ``text`` that may count as evidence, in reading order, with their evidence.

        Evidence is ``"strong"`` (a strong term), ``"weak"`` (a weak term beside another term of its
        theme), ``"list"`` (a term inside an enumeration, counted because nothing outside it is) or
        ``""`` (a weak term alone: it counts only if a neighbouring sentence or its article is about
        its theme, which :func:`find_theme_hits` decides).
        """
        folded = _fold(text)
        # The tokens are pieces of the text: when it had nothing to fold (re.sub then returns the
        # very string), neither have they. Else one search over them, not a fold per token.
        if folded is not text and _FOLDABLE.search("".join(tokens)):
            tokens = [_fold(token) for token in tokens]
        spans, texts = self.find(folded, tokens)
        if not spans:
            return []
        if "《" in folded or (self.award_verb is not None and self.award_verb.search(folded)):
            spans, texts = self._outside_titles(folded, spans, texts)
        if self.name_end_from is not None and not self.quoted.isdisjoint(texts):
            spans, texts = self._outside_names(folded, tokens, spans, texts)
        if not spans:
            return []
        lists = self._lists(folded)
        if not lists:
            return self._with_evidence(folded, spans, texts)
        in_list = [_inside(span, lists) for span in spans]
        outside = [index for index, listed in enumerate(in_list) if not listed]
        found = self._with_evidence(folded, [spans[i] for i in outside], [texts[i] for i in outside])
        if len(outside) < len(spans) and not any(evidence for _, evidence in found):
            # Nothing outside the enumerations counts: the sentence is about what they list.
            listed = [index for index, is_listed in enumerate(in_list) if is_listed]
            evidence = self._with_evidence(folded, [spans[i] for i in listed], [texts[i] for i in listed])
            counted = [(term, LIST) for term, evidence in evidence if evidence]
            found = counted + found if counted else found
        return found

    def _outside_titles(
        self, folded: str, spans: list[tuple[int, int]], texts: list[str]
    ) -> tuple[list[tuple[int, int]], list[str]]:
        """The spans and texts outside ``《…》`` titles and award titles."""
        blocked = [match.span() for match in _TITLE.finditer(folded)]
        if self.award_verb is not None:
            for verb in self.award_verb.finditer(folded):
                clause_end = _CLAUSE_END.search(folded, verb.end())
                stop = clause_end.start() if clause_end else len(folded)
                word = None
                if self.award_word is not None:
                    word = self.award_word.search(folded, verb.end(), stop)
                blocked.append((verb.end(), word.end() if word else stop))
        kept = [index for index, span in enumerate(spans) if not _inside(span, blocked)]
        return [spans[index] for index in kept], [texts[index] for index in kept]

    def _outside_names(
        self, folded: str, tokens: Sequence[str], spans: list[tuple[int, int]], texts: list[str]
    ) -> tuple[list[tuple[int, int]], list[str]]:
        """The spans and texts without the quoted terms that begin a name.

        find() looked at the plain terms; a quoted one may sit inside a word or across words, so the
        words are consulted where a name ending stands within a few characters.
        """
        token_spans = None
        kept = []
        for index, (span, text) in enumerate(zip(spans, texts, strict=True)):
            if text in self.quoted and self.name_end_from.match(folded, span[0]):
                token_spans = token_spans or _token_spans(folded, tokens)
                if self._ends_a_name(span, tokens, token_spans):
                    continue
            kept.append(index)
        return [spans[index] for index in kept], [texts[index] for index in kept]

    def _ends_a_name(
        self, span: tuple[int, int], tokens: Sequence[str], token_spans: list[tuple[int, int]]
    ) -> bool:
        """True when a quoted term ends inside a word ending a name, or begins a name with the next words."""
        start, end = span
        for index, (token_start, token_end) in enumerate(token_spans):
            if token_end <= start or (token_start < end and token_end <= end):
                continue
            if token_start < end:
                # The term ends inside a word: the rest of the word may end the name (城管局, 文化路),
                # the word may end with a name ending (技术开发区), or the rest may be the name word
                # before its ending (园林·绿化有限公司 cut as 园林绿化 / 有限公司).
                rest = tokens[index][end - token_start :]
                return (
                    self._is_name_end(rest)
                    or tokens[index].endswith(self.long_name_ends)
                    or (
                        _is_name_word(rest)
                        and index + 1 < len(tokens)
                        and token_spans[index + 1][0] == token_end
                        and self._is_name_end(tokens[index + 1])
                    )
                )
            return token_start == end and self._name_follows_at(tokens, token_spans, index)
        return False

    def _name_follows_at(self, tokens: Sequence[str], token_spans: list[tuple[int, int]], index: int) -> bool:
        if self._is_name_end(tokens[index]):
            return True
        after = index + 1
        return (
            after < len(tokens)
            and token_spans[after][0] == token_spans[index][1]
            and self._is_name_end(tokens[after])
            and _is_name_word(tokens[index])
        )

    def _lists(self, folded: str) -> list[tuple[int, int]]:
        """(start, end) of the items of each enumeration of fields in the text (``在A、B、C等方面``)."""
        if self.list_end is None or "、" not in folded or "等" not in folded:
            return []
        lists = []
        for head in self.list_end.finditer(folded):
            stop = head.start()
            clause_start = 0
            for clause_end in _CLAUSE_END.finditer(folded, 0, stop):
                clause_start = clause_end.end()
            first_item_end = folded.find("、", clause_start, stop)
            if first_item_end < 0:
                continue  # one item is the topic itself: 开展环境整治等工作
            start = clause_start
            if self.list_opener is not None:
                for opener in overlapping_matches(self.list_opener, folded, clause_start, first_item_end):
                    start = opener.end()
            lists.append((start, stop))
        return lists

    def _with_evidence(
        self, folded: str, spans: list[tuple[int, int]], texts: list[str]
    ) -> list[tuple[Term, str]]:
        """Each text's term with its evidence: strong, weak (supported) or '' (a weak term alone)."""
        by_text, weak_texts = self.by_text, self.weak_texts
        if weak_texts.isdisjoint(texts):
            return [(by_text[text], STRONG) for text in texts]
        theme_of = self.theme_of
        supported = {theme_of[text] for text in texts if text not in weak_texts}
        alone = [index for index, text in enumerate(texts) if theme_of[text] not in supported]
        for position, first in enumerate(alone):
            for second in alone[position + 1 :]:
                # Two different weak terms support each other, unless they stand side by side as
                # one phrase (施工项目, 生态宜居): that is one piece of evidence, not two.
                if (
                    theme_of[texts[first]] == theme_of[texts[second]]
                    and texts[first] != texts[second]
                    and folded[spans[first][1] : spans[second][0]] not in _PHRASE_GAPS
                ):
                    supported.add(theme_of[texts[first]])
        return [
            (by_text[text], (WEAK if text in weak_texts else STRONG) if theme_of[text] in supported else "")
            for text in texts
        ]

    def match_anywhere(self, text: str) -> list[Term]:
        """Terms of either kind found as substrings of ``text`` (for short names, which have no tokens)."""
        if self.any_substring is None:
            return []
        folded = _fold(text)
        matches = overlapping_matches(self.any_substring, folded)
        found = sorted((match.span() for match in matches), key=_by_start_then_longest)
        terms, end = [], 0
        for start, stop in found:
            if start >= end:
                terms.append(self.by_text[folded[start:stop]])
                end = stop
        return terms


def _by_start_then_longest(span: tuple[int, int]) -> tuple[int, int]:
    return span[0], -span[1]


def _token_spans(folded: str, tokens: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) of each token in the text it was cut from."""
    spans, cursor = [], 0
    for token in tokens:
        start = folded.find(token, cursor)
        if start < 0:
            spans.append((cursor, cursor))
            continue
        cursor = start + len(token)
        spans.append((start, cursor))
    return spans


def _inside(span: tuple[int, int], blocks: list[tuple[int, int]]) -> bool:
    start, end = span
    return any(block_start <= start and end <= block_end for block_start, block_end in blocks)


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
        return Codebook(tuple(themes), self.source, self._evidence(data.get("evidence")))

    def fail_at_key(self, problem: str, key: str) -> GovnewsError:
        """An error on the line where the mapping key ``key`` first appears."""
        pattern = re.compile(r"(?:^|[\s{,])" + re.escape(key) + r"\s*:")
        line = next(
            (number for number, text in enumerate(self.text.splitlines(), start=1) if pattern.search(text)),
            None,
        )
        return GovnewsError(self.source, problem, line)

    def _words(self, raw: Any, problem: str, error: Callable[[str], GovnewsError]) -> tuple[str, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list) or not all(isinstance(word, str) and word.strip() for word in raw):
            raise error(f"{problem} must be a list of non-empty words")
        return tuple(word.strip() for word in raw)

    def _evidence(self, entry: Any) -> EvidenceRules:
        if entry is None:
            return EvidenceRules()
        if not isinstance(entry, Mapping):
            raise self.fail_at_key("'evidence' must be a mapping of word lists", "evidence")
        known = {field.name for field in fields(EvidenceRules)}
        unknown = sorted(set(map(str, entry)) - known)
        if unknown:
            raise self.fail_at_key(f"'evidence' has unknown key(s) {', '.join(unknown)}", unknown[0])
        return EvidenceRules(
            **{
                key: self._words(
                    entry[key], f"evidence {key!r}", lambda problem, key=key: self.fail_at_key(problem, key)
                )
                for key in known & set(entry)
            }
        )

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
        terms = self._terms(entry["terms"], name, "") + self._terms(entry.get("weak_terms"), name, "", WEAK)
        negative = self._words(
            entry.get("negative_contexts"),
            f"theme {name!r}: 'negative_contexts'",
            lambda problem: self.fail(problem, name),
        )
        subthemes = entry.get("subthemes") or []
        if not isinstance(subthemes, list):
            raise self.fail(f"theme {name!r}: 'subthemes' must be a list", name)
        subtheme_names: set[str] = set()
        for sub_position, subentry in enumerate(subthemes, start=1):
            sub_what = f"sub-theme no. {sub_position} of theme {name!r}"
            self._check_keys(subentry, _SUBTHEME_KEYS, {"name", "terms"}, sub_what)
            subname = self._name(subentry, sub_what)
            if subname in subtheme_names:
                raise self.fail(f"theme {name!r} has sub-theme {subname!r} twice", subname, 2)
            subtheme_names.add(subname)
            terms += self._terms(subentry["terms"], name, subname)
            terms += self._terms(subentry.get("weak_terms"), name, subname, WEAK)
        if not terms:
            raise self.fail(f"theme {name!r} has no terms", name)
        return Theme(name, entry["description"].strip(), tuple(terms), negative)

    def _terms(self, raw_terms: Any, theme: str, subtheme: str, strength: str = STRONG) -> list[Term]:
        where = f"theme {theme!r}" + (f", sub-theme {subtheme!r}" if subtheme else "")
        key = "terms" if strength == STRONG else "weak_terms"
        if raw_terms is None:
            return []
        if not isinstance(raw_terms, list):
            raise self.fail(f"{where}: '{key}' must be a list", subtheme or theme)
        terms = []
        for raw in raw_terms:
            if not isinstance(raw, str | int) or isinstance(raw, bool) or not str(raw).strip():
                raise self.fail(f"{where}: every term must be non-empty text, got {raw!r}", subtheme or theme)
            terms.append(self._term(str(raw).strip(), theme, subtheme, where, strength))
        return terms

    def _term(self, raw: str, theme: str, subtheme: str, where: str, strength: str) -> Term:
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
        return Term(text, theme, subtheme, MATCH_SUBSTRING if quoted else MATCH_TOKEN, strength)


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


def find_theme_hits(
    sentences: pd.DataFrame,
    tokens: Sequence[Sequence[str]],
    codebook: Codebook | None = None,
    *,
    names: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The ``theme_hits`` table: one row per codebook term that counts as evidence in a sentence.

    A term counts by the evidence rules of the codebook's header: a weak term needs another term
    of its theme in the sentence, or a neighbouring sentence or an article about its theme; no term
    counts inside a proper name (a ``《…》`` title, an award title, a known office or district, a
    name ended by one of the codebook's ``name_ends``) or inside a negative context; the items of an
    enumeration (``在A、B、C等方面``) count only when nothing else in the sentence does.

    Args:
        sentences: the ``sentences`` table (``article_id``, ``sentence_no``, ``text``, ``office``), the
            sentences of an article in consecutive rows and in reading order, as the table has them.
        tokens: the content tokens of each sentence, aligned with its rows (:meth:`Segmenter.cut_content`;
            from a token table, :func:`govnews.text.segment.tokens_per_sentence`).
        codebook: default :func:`load_codebook`.
        names: proper names inside which no term counts; default the office and district names
            of the project's gazetteer.

    Returns:
        The ``theme_hits`` table, in sentence order and reading order within a sentence.
    """
    codebook = codebook if codebook is not None else load_codebook()
    matcher = _matcher_for(codebook, tuple(names) if names is not None else _gazetteer_names())
    if len(tokens) != len(sentences):
        raise ValueError(f"{len(tokens)} token lists for {len(sentences)} sentences")
    article_ids = sentences["article_id"].astype("string").fillna("").tolist()
    texts = sentences["text"].astype("string").fillna("").tolist()
    with cycle_collector_paused():
        found = [matcher.match(text, words) for text, words in zip(texts, tokens, strict=True)]
    main_themes: dict[str, set[str]] = {}
    rows = []
    for index, (article_id, sentence_no, office, hits) in enumerate(
        zip(
            article_ids,
            sentences["sentence_no"].tolist(),
            sentences["office"].astype("string").fillna("").tolist(),
            found,
            strict=True,
        )
    ):
        for term, evidence in hits:
            if not evidence:
                # A weak term alone counts where the passage or the article is about its theme.
                if article_id not in main_themes:
                    main_themes[article_id] = _main_themes(index, article_ids, found)
                if term.theme not in main_themes[article_id] and not _neighbour_has(
                    term.theme, index, article_ids, found
                ):
                    continue
                evidence = CONTEXT
            rows.append((article_id, sentence_no, office, term.theme, term.text, term.match_type, evidence))
    return schema.from_rows(rows, "theme_hits")


def _main_themes(index: int, article_ids: list[str], found: list[list[tuple[Term, str]]]) -> set[str]:
    """The main themes of the article of sentence ``index``, whose sentences are consecutive rows.

    They are the themes with evidence in the most of the article's sentences (ties: all of them).
    """
    article_id = article_ids[index]
    first = index
    while first > 0 and article_ids[first - 1] == article_id:
        first -= 1
    sentences_with: Counter[str] = Counter()
    for other in range(first, len(found)):
        if article_ids[other] != article_id:
            break
        sentences_with.update({term.theme for term, evidence in found[other] if evidence})
    most = max(sentences_with.values(), default=0)
    return {theme for theme, count in sentences_with.items() if count == most}


def _neighbour_has(
    theme: str, index: int, article_ids: list[str], found: list[list[tuple[Term, str]]]
) -> bool:
    """True when the sentence before or after sentence ``index``, in the same article, counts ``theme``."""
    for other in (index - 1, index + 1):
        if (
            0 <= other < len(found)
            and article_ids[other] == article_ids[index]
            and any(term.theme == theme and evidence for term, evidence in found[other])
        ):
            return True
    return False


def _gazetteer_names() -> tuple[str, ...]:
    """Every printed form of the places in the project's gazetteer."""
    from govnews.config import project_paths
    from govnews.resources import load_resources

    return load_resources(project_paths()).gazetteer.names


@lru_cache(maxsize=4)
def _matcher_for(codebook: Codebook, names: tuple[str, ...]) -> _Matcher:
    return _Matcher(codebook, names)


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
    coding: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The ``theme_diagnostics`` table: codebook terms to look at before trusting the counts.

    Three problems are reported: ``never_fires`` (the term counts nowhere in the corpus),
    ``split_by_jieba`` (a plain term the segmenter cuts into several tokens when it stands alone,
    so a token match misses it; quote it) and, when a human coding is given, ``false_hits``: the
    terms that count in coded sentences the coder gave another theme, most false hits first, with
    the term's precision (:func:`govnews.theme_validation.term_precision`).

    Args:
        codebook: the codebook to check.
        tokens: the token table of the corpus; not needed (``None``) when ``hits`` are given.
        segmenter: the segmenter the tokens came from (default the project's).
        sentences: the ``sentences`` table; without it sentence texts are rebuilt from the tokens,
            which lack punctuation, so quoted terms holding punctuation are reported as never firing.
        hits: the ``theme_hits`` of these sentences when already found (the build has them).
        coding: a human coding matched to the sentences
            (:func:`govnews.theme_validation.match_coding`); needs the full ``hits`` (or the
            sentences and tokens to find them).

    Returns:
        The ``theme_diagnostics`` table: never_fires and split_by_jieba in codebook order, then
        false_hits.
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
        from govnews.text.segment import tokens_per_sentence

        hits = find_theme_hits(sentences, tokens_per_sentence(tokens, sentences), codebook)
    fired = set(
        zip(hits["theme"].astype("string").tolist(), hits["term"].astype("string").tolist(), strict=True)
    )
    rows = []
    for term in codebook.terms:
        if (term.theme, term.text) not in fired:
            rows.append((term.theme, term.text, "never_fires", "", None, None, None))
        if term.match_type == MATCH_TOKEN:
            pieces = [piece for piece in segmenter.cut(term.text) if piece.strip()]
            if pieces != [term.text]:
                rows.append((term.theme, term.text, "split_by_jieba", " / ".join(pieces), None, None, None))
    if coding is not None:
        from govnews.theme_validation import term_precision

        precision = term_precision(coding, hits)
        for theme, term, n_hits, n_false, share in precision.loc[precision["n_false_hits"] > 0].itertuples(
            index=False, name=None
        ):
            detail = f"{n_false} of {n_hits} coded sentences with the term are not {theme} to the coder"
            rows.append((theme, term, "false_hits", detail, n_hits, n_false, share))
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
