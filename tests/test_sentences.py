"""Articles → sentences (govnews.ingest.sentences), on texts written for the test."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from govnews.ingest.sentences import _SENTENCE, MAX_SENTENCE_CHARS, _pieces, split_sentences


def _sentences_match_by_match(text: str) -> list[str]:
    """The plain reading: every match of the sentence pattern, stripped and cut into pieces."""
    return [
        piece
        for paragraph in text.split("\n")
        for match in _SENTENCE.finditer(paragraph)
        for piece in _pieces(match.group().strip())
    ]


_PIECES = ["推进网格化管理", "。", "！", "?", "”", "）", "\n", " ", "，", "街道" * 200, "a"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES)))
def test_sentences_equal_the_plain_reading(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert split_sentences(text) == _sentences_match_by_match(text)


def test_a_run_without_sentence_punctuation_is_cut_into_pieces() -> None:
    text = "推进，" * MAX_SENTENCE_CHARS
    assert all(len(piece) <= MAX_SENTENCE_CHARS for piece in split_sentences(text))
    assert "".join(split_sentences(text)) == text
