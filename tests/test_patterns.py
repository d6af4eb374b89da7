"""Regexes built from word lists."""

from __future__ import annotations

import random
import re

import pytest

from govnews.patterns import overlapping_matches, word_alternation


def _flat(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


@pytest.mark.parametrize(
    ("words", "text", "found"),
    [
        (["党建", "党建引领", "党员"], "坚持党建引领，党员带头，党建工作", ["党建引领", "党员", "党建"]),
        (["路长", "路长制"], "推行路长制和路长", ["路长制", "路长"]),
        (["a+b", "(x)", "."], "a+b.(x)a", ["a+b", ".", "(x)"]),
    ],
)
def test_the_longest_word_wins(words: list[str], text: str, found: list[str]) -> None:
    assert re.findall(word_alternation(words), text) == found


def test_no_words_never_match() -> None:
    assert re.search(word_alternation(["", ""]), "任何文本") is None


def _random_cases(seed: int, alphabet: str = "党建引领网格+.") -> list[tuple[list[str], str]]:
    """500 random word lists over a small alphabet (so words share prefixes), each with a text."""
    rng = random.Random(seed)
    return [
        (
            ["".join(rng.choices(alphabet, k=rng.randint(1, 4))) for _ in range(rng.randint(1, 8))],
            "".join(rng.choices(alphabet, k=30)),
        )
        for _ in range(500)
    ]


def test_same_matches_as_a_flat_alternation_longest_first() -> None:
    # Overlapping (lookahead) matches, plain matches and matches that must end the text.
    for words, text in _random_cases(0):
        for wrap in ("(?=({}))", "(?:{})", r"(?:{})\Z"):
            flat = re.compile(wrap.format(_flat(words)))
            trie = re.compile(wrap.format(word_alternation(words)))
            assert [m.span(0) + m.groups() for m in trie.finditer(text)] == [
                m.span(0) + m.groups() for m in flat.finditer(text)
            ], (words, text, wrap)


def test_overlapping_matches_are_those_of_a_lookahead_finditer() -> None:
    for number, (words, text) in enumerate(_random_cases(1)):
        pos, endpos = sorted(random.Random(number).sample(range(len(text) + 1), 2))
        trie = word_alternation(words)
        lookahead = re.compile("(?=(" + trie + "))").finditer(text, pos, endpos)
        found = overlapping_matches(re.compile(trie), text, pos, endpos)
        assert [(m.start(), m.group()) for m in found] == [(m.start(), m.group(1)) for m in lookahead]


def test_overlapping_matches_report_every_start() -> None:
    found = overlapping_matches(re.compile(word_alternation(["网格", "网格化", "格化"])), "网格化网格")
    assert [(m.start(), m.group()) for m in found] == [(0, "网格化"), (1, "格化"), (3, "网格")]
