"""The user's list of boilerplate words: left out of key terms and word clouds by the report."""

from __future__ import annotations

from pathlib import Path

from govnews.errors import GovnewsError
from govnews.resources.files import read_text


def load_boilerplate(path: Path) -> frozenset[str]:
    """The words of ``data/lexicons/boilerplate.txt`` (one a line; ``#`` starts a comment).

    Raises:
        GovnewsError: the file is missing, not UTF-8, or a line holds more than one word (names the
            file and the line).
    """
    words = set()
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        word = line.strip()
        if not word or word.startswith("#"):
            continue
        if len(word.split()) > 1:
            raise GovnewsError(path, f"one word a line, found {word!r}", number)
        words.add(word)
    return frozenset(words)
