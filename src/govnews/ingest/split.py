"""Cleaned paragraphs → articles.

A page holds several articles, and the dump scrambles them: a continuation is
printed later on the page (``【现场】``, or unmarked paragraphs), a headline can
come after its body with the byline at the very end, a headline may be lost.
The splitter works in two passes, both driven by evidence in the text, never
by positions:

1. **Sections.** The page is cut into sections: a *headline block* (kicker,
   headline, subtitle: short lines without sentence punctuation) that leads
   into a lead paragraph (``本报讯``) or a byline opens an article; a subhead,
   a marker (``【现场】``) or the first paragraph after a closing byline starts
   a section whose article is still to be decided.
2. **Assembly.** Each undecided section joins an article by evidence:
   a marked continuation goes to the article on the page it shares most
   vocabulary with; an unmarked section continues the article before it
   unless it is about another office (a new article whose headline was lost,
   or the continuation of the article about that office), or — when the
   article before is about an office — it is long and never names that office.
   A headline block with a byline but no body (a headline printed after its
   story) is given to the headless article about the office it names.

Where automation cannot decide, ``data/overrides.yml`` pins a paragraph to
another article (see :mod:`govnews.ingest.overrides`).
"""

from __future__ import annotations

import math
import operator
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from govnews.ingest.clean import Paragraph, is_heading_like
from govnews.ingest.offices import (
    Gazetteer,
    attribute_office,
    dominant_office,
    find_office_mentions,
    office_core,
)

_LONG_SECTION_CHARS = 300
_MIN_SIMILARITY = 0.05
_MAX_HEADLINE_LINES = 4
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]")


@dataclass
class Article:
    """An article being assembled from paragraphs."""

    source: str
    headline: list[Paragraph] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    bylines: list[Paragraph] = field(default_factory=list)
    office: str = ""
    office_state: tuple[int, int] | None = None

    @property
    def first_line(self) -> int:
        return min(p.first_line for p in [*self.headline, *self.paragraphs, *self.bylines])

    @property
    def title_text(self) -> str:
        return " ".join(p.text for p in self.headline)

    @property
    def body_text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    @property
    def line_nos(self) -> list[int]:
        return sorted({n for p in [*self.headline, *self.paragraphs, *self.bylines] for n in p.line_nos})

    def title_parts(self) -> tuple[str, str, str]:
        """(kicker, title, subtitle) from the headline lines."""
        lines = [p.text for p in self.headline]
        if not lines:
            return "", "", ""
        if len(lines) == 1:
            return "", lines[0], ""
        if len(lines) == 2:
            first, second = lines
            if first.endswith(("：", ":")) or len(first) <= 8:
                return first, second, ""
            return "", first, second
        return lines[0], lines[1], " ".join(lines[2:])


@dataclass
class _Section:
    paragraphs: list[Paragraph] = field(default_factory=list)
    headline: list[Paragraph] = field(default_factory=list)
    bylines: list[Paragraph] = field(default_factory=list)
    opens_article: bool = False
    marker: bool = False
    after_close: bool = False

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    @property
    def is_orphan_headline(self) -> bool:
        return self.opens_article and not self.paragraphs


def _is_heading(paragraph: Paragraph) -> bool:
    return (
        paragraph.kind == "text"
        and not paragraph.is_lead
        and (paragraph.heading_level > 0 or is_heading_like(paragraph.text))
    )


def _headline_blocks(paragraphs: list[Paragraph]) -> dict[int, int]:
    """Start index → end index (exclusive) of each headline block."""
    blocks: dict[int, int] = {}
    for index, paragraph in enumerate(paragraphs):
        opener = paragraph.is_lead or (paragraph.kind == "byline" and not paragraph.inline)
        if not opener or index == 0 or not _is_heading(paragraphs[index - 1]):
            continue
        start = index - 1
        while (
            start > 0
            and index - start < _MAX_HEADLINE_LINES
            and _is_heading(paragraphs[start - 1])
            and not paragraphs[start].text.endswith(("：", ":"))
        ):
            start -= 1
        blocks[start] = index
    for index, paragraph in enumerate(paragraphs):
        if paragraph.heading_level == 1 and not any(s <= index < e for s, e in blocks.items()):
            blocks[index] = index + 1
    if paragraphs and _is_heading(paragraphs[0]) and not any(s <= 0 < e for s, e in blocks.items()):
        end = 2 if paragraphs[0].text.endswith(("：", ":")) and len(paragraphs) > 1 else 1
        blocks[0] = end
    return blocks


def _sections(paragraphs: list[Paragraph]) -> list[_Section]:
    blocks = _headline_blocks(paragraphs)
    sections: list[_Section] = []
    current: _Section | None = None
    closed = False
    index = 0
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        if index in blocks:
            end = blocks[index]
            current = _Section(headline=paragraphs[index:end], opens_article=True, after_close=closed)
            sections.append(current)
            closed = False
            index = end
            continue
        if paragraph.kind == "byline":
            if current is None:
                current = _Section(after_close=closed)
                sections.append(current)
            current.bylines.append(paragraph)
            # A byline right under the headline opens the article; one after the body closes it.
            if not paragraph.inline and current.paragraphs:
                closed = True
            index += 1
            continue
        starts_section = (
            current is None
            or paragraph.kind == "marker"
            or (closed and paragraph.kind == "text")
            or paragraph.after_removed
            or (
                _is_heading(paragraph)
                and current.paragraphs
                and not _is_heading(current.paragraphs[-1])
                and current.paragraphs[-1].kind != "marker"
            )
        )
        if starts_section:
            current = _Section(marker=paragraph.kind == "marker", after_close=closed)
            sections.append(current)
            closed = False
        current.paragraphs.append(paragraph)
        index += 1
    return sections


@lru_cache(maxsize=256)  # asked again for every article of the page at each undecided section
def _bigrams(text: str) -> Counter:
    cjk = _NOT_CJK.sub("", text)
    return Counter(map(operator.add, cjk, cjk[1:]))


def _most_similar(section: _Section, articles: list[Article]) -> Article | None:
    """The article sharing the most distinctive vocabulary with the section (TF-IDF cosine of bigrams)."""
    documents = [_bigrams(a.title_text + a.body_text) for a in articles]
    if not documents:
        return None
    target = _bigrams(section.text)
    document_frequency: Counter[str] = Counter()
    for document in [*documents, target]:
        document_frequency.update(document.keys())
    n_docs = len(documents) + 1
    # A gram's weight depends only on its document frequency: one log per distinct frequency.
    idf_of_frequency = {count: math.log(1 + n_docs / count) for count in set(document_frequency.values())}

    def weigh(counts: Counter) -> dict[str, float]:
        return {g: c * idf_of_frequency[document_frequency[g]] for g, c in counts.items()}

    target_weights = weigh(target)
    target_norm = math.sqrt(sum(w * w for w in target_weights.values())) or 1.0
    best, best_score = None, _MIN_SIMILARITY
    for article, document in zip(articles, documents, strict=True):
        weights = weigh(document)
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        score = sum(w * weights[g] for g, w in target_weights.items() if g in weights) / (norm * target_norm)
        if score > best_score:
            best, best_score = article, score
    return best


def _office_of(article: Article, gazetteer: Gazetteer) -> str:
    # Asked for every article at every section: remember the answer until the article grows.
    state = (len(article.headline), len(article.paragraphs))
    if article.office_state != state:
        article.office = attribute_office(article.title_text, article.body_text, gazetteer)[0]
        article.office_state = state
    return article.office


def _names_office(text: str, office: str, gazetteer: Gazetteer) -> bool:
    return any(office_core(m.office) == office_core(office) for m in find_office_mentions(text, gazetteer))


def _article_for(section: _Section, articles: list[Article], gazetteer: Gazetteer) -> Article | None:
    """The existing article an undecided section continues, or None for a new (headless) article."""
    if not articles:
        return None
    if section.marker:
        return _most_similar(section, articles) or articles[-1]
    previous = articles[-1]
    previous_office = _office_of(previous, gazetteer)
    section_office = dominant_office(section.text, gazetteer)
    long_section = len(section.text) >= _LONG_SECTION_CHARS
    if section_office:
        section_core = office_core(section_office)
        same_office = [a for a in articles if office_core(_office_of(a, gazetteer)) == section_core]
        if same_office:
            return same_office[-1]
        if _names_office(previous.title_text + previous.body_text, section_office, gazetteer) or (
            not previous_office and not section.after_close
        ):
            return previous
        return None
    if previous_office and long_section and not _names_office(section.text, previous_office, gazetteer):
        return None
    if section.after_close and long_section:
        return None
    return previous


def _place_orphan_headlines(
    orphans: list[_Section], articles: list[Article], source: str, gazetteer: Gazetteer
) -> None:
    for orphan in orphans:
        headless = [a for a in articles if not a.headline]
        title = " ".join(p.text for p in orphan.headline)
        named = [m.office for m in find_office_mentions(title, gazetteer)]
        matching = [
            a for a in headless if named and office_core(_office_of(a, gazetteer)) == office_core(named[0])
        ]
        earlier = [a for a in headless if a.first_line < orphan.headline[0].first_line]
        if matching:
            target = matching[0]
        elif earlier:
            target = earlier[-1]
        else:
            target = headless[0] if headless else None
        if target is None:
            target = Article(source)
            articles.append(target)
        target.headline = orphan.headline
        target.bylines.extend(orphan.bylines)


def split_articles(source: str, paragraphs: list[Paragraph], gazetteer: Gazetteer) -> list[Article]:
    """Assemble the articles of one page from its cleaned paragraphs.

    Args:
        source: file name.
        paragraphs: cleaned paragraphs in page order (:func:`govnews.ingest.clean.clean_text`).
        gazetteer: office names, used as evidence of what a section is about.

    Returns:
        Articles ordered by their first line on the page.
    """
    articles: list[Article] = []
    orphans: list[_Section] = []
    for section in _sections(paragraphs):
        if section.is_orphan_headline:
            orphans.append(section)
            continue
        target = None if section.opens_article else _article_for(section, articles, gazetteer)
        paragraphs = list(section.paragraphs)
        if target is None:
            headline = list(section.headline)
            # A new article that begins with a heading lost its lead or byline, not its headline.
            if not headline and paragraphs and _is_heading(paragraphs[0]):
                headline = [paragraphs.pop(0)]
            target = Article(source, headline=headline)
            articles.append(target)
        target.paragraphs.extend(paragraphs)
        target.bylines.extend(section.bylines)
    _place_orphan_headlines(orphans, articles, source, gazetteer)
    for article in articles:
        article.paragraphs.sort(key=lambda p: p.first_line)
    return sorted(articles, key=lambda a: a.first_line)
