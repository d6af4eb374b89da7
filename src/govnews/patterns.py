"""Regular expressions built from word lists (lexicons, codebook terms, boundary words)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def word_alternation(words: Iterable[str]) -> str:
    """A regex that matches, where it matches, the longest of ``words`` starting there.

    It matches what ``"|".join`` of the escaped words sorted longest first matches, but it is written
    as a trie (``党建(?:引领)?|网格…``): Python's ``re`` tries every branch of a flat alternation at
    each position, so a flat pattern of a few hundred lexicon words costs a few hundred tests per
    character, while a trie costs one per character of the longest word. Empty words are ignored;
    with no word left the pattern never matches.
    """
    trie: dict = {}
    for word in words:
        if word:
            node = trie
            for char in word:
                node = node.setdefault(char, {})
            node[""] = {}
    return _branches(trie) if trie else r"(?!x)x"


def _branches(node: dict) -> str:
    # Longer words first: a word's continuations are tried before the word itself ends (the empty
    # branch ``?``), so the first match found is the longest.
    branches = [re.escape(char) + _branches(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" not in node:
        return body
    return ("(?:" + body + ")" if len(branches) == 1 and len(body) > 1 else body) + "?"


def overlapping_matches(
    pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None
) -> Iterator[re.Match[str]]:
    """Each position in ``text[pos:endpos]`` where ``pattern`` matches, with the match found there.

    For a :func:`word_alternation` that is every position where a word starts, with the longest such
    word: what ``finditer`` of ``(?=(words))`` finds, but several times faster, because without the
    lookahead ``re`` skips straight to the characters a word can start with.
    """
    endpos = len(text) if endpos is None else endpos
    match = pattern.search(text, pos, endpos)
    while match is not None:
        yield match
        match = pattern.search(text, match.start() + 1, endpos)
