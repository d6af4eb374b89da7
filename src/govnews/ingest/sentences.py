"""Articles → sentences, each with the offices it names and the office it is attributed to.

Sentences end at 。！？ (with any closing quotation mark kept on the sentence);
a paragraph break always ends one. The headline lines (kicker, title,
subtitle) come first as sentences of part ``title``. A run of text with no
sentence punctuation at all is cut into pieces of at most
:data:`MAX_SENTENCE_CHARS` so that later steps stay linear in the text length.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

from govnews import schema
from govnews.ingest.offices import sentence_offices
from govnews.ingest.places import places_in, sure_only

if TYPE_CHECKING:
    from govnews.resources import Resources

MAX_SENTENCE_CHARS = 1000
_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` (one paragraph or several), blank ones dropped."""
    sentences: list[str] = []
    for paragraph in text.split("\n"):
        for sentence in _SENTENCE.findall(paragraph):
            sentence = sentence.strip()
            if len(sentence) > MAX_SENTENCE_CHARS:
                sentences.extend(_pieces(sentence))
            elif sentence:
                sentences.append(sentence)
    return sentences


def _pieces(sentence: str) -> list[str]:
    """``sentence`` cut after a comma (else hard) into pieces of at most :data:`MAX_SENTENCE_CHARS`."""
    pieces: list[str] = []
    # Walk an offset instead of re-slicing the rest: slicing made a page with no 。 quadratic.
    start = 0
    while len(sentence) - start > MAX_SENTENCE_CHARS:
        comma = sentence.rfind("，", start, start + MAX_SENTENCE_CHARS)
        cut = comma + 1 if comma >= 0 else start + MAX_SENTENCE_CHARS
        pieces.append(sentence[start:cut])
        start = cut
        while start < len(sentence) and sentence[start].isspace():
            start += 1
    if start < len(sentence):
        pieces.append(sentence[start:])
    return pieces


def split_article_sentences(articles: pd.DataFrame, resources: Resources) -> pd.DataFrame:
    """The ``sentences`` table of the given ``articles`` table (offices named by ``resources.gazetteer``).

    The offices a sentence names are read from its paragraph's places (each paragraph is read once, and the
    splitting step has read it already), so that a name the article makes sure of counts in every sentence.
    """
    gazetteer, segmenter = resources.gazetteer, resources.segmenter
    rows: list[dict] = []
    # Plain lists of the columns read: a row tuple of Arrow-backed columns costs more than the rules.
    columns = [
        articles[name].tolist() for name in ("article_id", "kicker", "title", "subtitle", "text", "office")
    ]
    for article_id, kicker, title, subtitle, body, article_office in zip(*columns, strict=True):
        sentence_no = 0
        title_lines = [line for line in (kicker, title, subtitle) if line]
        paragraphs = [("title", 0, line) for line in title_lines]
        paragraphs += [("body", no, p) for no, p in enumerate(body.split("\n"), start=1) if p.strip()]
        found = sure_only([places_in(text, gazetteer, segmenter) for _, _, text in paragraphs], gazetteer)
        for (part, paragraph_no, paragraph), mentions in zip(paragraphs, found, strict=True):
            position = 0
            for sentence in split_sentences(paragraph):
                start = paragraph.find(sentence, position)
                position = start + len(sentence)
                sentence_no += 1
                if mentions:
                    within = [m for m in mentions if start <= m.start and m.end <= position]
                    office, named = sentence_offices(within, article_office, gazetteer)
                else:  # what sentence_offices gives a sentence that names no place
                    office, named = article_office, []
                rows.append(
                    {
                        "article_id": article_id,
                        "sentence_no": sentence_no,
                        "part": part,
                        "paragraph_no": paragraph_no,
                        "text": sentence,
                        "n_chars": schema.count_chars(sentence),
                        "office": office,
                        "offices_mentioned": schema.LIST_SEPARATOR.join(named),
                    }
                )
    return schema.from_rows(rows, "sentences")
