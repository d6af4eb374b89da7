"""Articles → sentences, each with the offices it names and the office it is attributed to.

Sentences end at 。！？ (with any closing quotation mark kept on the sentence);
a paragraph break always ends one. The headline lines (kicker, title,
subtitle) come first as sentences of part ``title``. A run of text with no
sentence punctuation at all is cut into pieces of at most
:data:`MAX_SENTENCE_CHARS` so that later steps stay linear in the text length.
"""

from __future__ import annotations

import re

import pandas as pd

from govnews import schema
from govnews.offices import Gazetteer, sentence_offices

MAX_SENTENCE_CHARS = 1000
_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` (one paragraph or several), blank ones dropped."""
    sentences: list[str] = []
    for paragraph in text.split("\n"):
        for match in _SENTENCE.finditer(paragraph):
            sentence = match.group().strip()
            while len(sentence) > MAX_SENTENCE_CHARS:
                cut = sentence.rfind("，", 0, MAX_SENTENCE_CHARS) + 1 or MAX_SENTENCE_CHARS
                sentences.append(sentence[:cut])
                sentence = sentence[cut:].strip()
            if sentence:
                sentences.append(sentence)
    return sentences


def _non_blank(text: str) -> int:
    return len(re.sub(r"\s", "", text))


def split_article_sentences(articles: pd.DataFrame, gazetteer: Gazetteer) -> pd.DataFrame:
    """The ``sentences`` table of the given ``articles`` table."""
    rows: list[dict] = []
    for article in articles.itertuples(index=False):
        sentence_no = 0
        title_lines = [line for line in (article.kicker, article.title, article.subtitle) if line]
        paragraphs = [("title", 0, line) for line in title_lines]
        paragraphs += [("body", no, p) for no, p in enumerate(article.text.split("\n"), start=1) if p.strip()]
        for part, paragraph_no, paragraph in paragraphs:
            for sentence in split_sentences(paragraph):
                sentence_no += 1
                office, named = sentence_offices(sentence, article.office, gazetteer)
                rows.append(
                    {
                        "article_id": article.article_id,
                        "sentence_no": sentence_no,
                        "part": part,
                        "paragraph_no": paragraph_no,
                        "text": sentence,
                        "n_chars": _non_blank(sentence),
                        "office": office,
                        "offices_mentioned": schema.LIST_SEPARATOR.join(named),
                    }
                )
    return schema.conform(pd.DataFrame(rows), "sentences") if rows else schema.empty_table("sentences")
