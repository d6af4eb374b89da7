"""Cleaned paragraphs → articles, each start with the evidence for it (``boundary_evidence``).

A page dump holds several articles and scrambles them: headlines without a lead, leads without a
headline, a headline printed after its body with the byline at the very end, bylines at the start or
the end, continuations moved to the end of the page (``【现场】``, ``(上接)``, or unmarked). The splitter
reads the page once, in order, and decides at each block whether an article starts there, from
evidence found in news pages of every city, never from positions:

* **lead** — a paragraph that opens with a lead marker (``本报讯``, ``东南网12月18日讯``, ``(记者 … 通讯员
  …)``) starts an article, unless it is the first paragraph under a headline;
* **headline** — a headline block (kicker, title, subtitle: short lines without sentence punctuation)
  starts an article when it leads into a lead, a byline or a date line; when it is the first text of
  the page or follows a closing byline, source line or separator; when it is a marked headline
  (``# …``, ``标题：…``); or when it, or the paragraph under it, names another office or district than
  the article before and never the one that article is about. Otherwise it is a subhead;
* **new subject** — a paragraph whose opening sentences name another office or district, and which
  never names the running article's own, starts a headless article;
* **after a byline** — the paragraphs after a closing byline or source line (up to the next block)
  go to an earlier article they name (an office, district, community or village only it names);
  else they start an article when they name a new subject or are long, and continue the article before
  otherwise;
* **marked continuation** — a section under ``【现场】`` or ``(上接…)`` joins the article it shares most
  names and distinctive words with;
* **headline after its body** — a headline block followed by a byline and no body of its own is given
  to the headless article it names or shares most words with.

Where automation cannot decide, ``data/overrides.yml`` moves a paragraph or starts an article (see
:mod:`govnews.ingest.overrides`).
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from govnews.ingest.clean import Paragraph, is_heading_like
from govnews.ingest.offices import mention_key
from govnews.ingest.places import find_places, local_names
from govnews.vocabulary import HAN

if TYPE_CHECKING:
    from govnews.resources import Resources
    from govnews.resources.gazetteer import Gazetteer
    from govnews.text.segment import Segmenter

_LONG_SECTION_CHARS = 300
# How far the text under a headline is read to decide whether it still names the article's office.
_SECTION_CHARS = 3000
_MIN_SIMILARITY = 0.05
_SIMILAR_WINDOW = 80  # articles: about eight pages of a newspaper
_MAX_HEADLINE_LINES = 4
_LEAD_SENTENCES = 2
_OPENING_CHARS = 20
_NOT_CJK = re.compile(rf"[^{HAN}]")
# A paragraph that opens by pointing back (该街道…, 社区依托…, 此外…) goes on with the story before it: a new
# story introduces its place by name.
_POINTS_BACK = re.compile(
    r"^(?:该(?:街道|镇|乡|社区|村|区|县|市)|社区|街道|办事处|这里|此外|同时|与此同时|另外|其中)"
)
_SENTENCE_END = re.compile(r"[。！？!?]")


@dataclass
class Article:
    """An article being assembled from paragraphs."""

    source: str
    headline: list[Paragraph] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    bylines: list[Paragraph] = field(default_factory=list)
    datelines: list[Paragraph] = field(default_factory=list)
    boundary_evidence: str = ""

    @property
    def first_line(self) -> int:
        return min(p.first_line for p in [*self.headline, *self.paragraphs, *self.bylines, *self.datelines])

    @property
    def title_text(self) -> str:
        return " ".join(p.text for p in self.headline)

    @property
    def body_text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    @property
    def line_nos(self) -> list[int]:
        parts = [*self.headline, *self.paragraphs, *self.bylines, *self.datelines]
        return sorted({n for p in parts for n in p.line_nos})

    def title_parts(self) -> tuple[str, str, str]:
        """(kicker, title, subtitle) from the headline lines."""
        lines = [p.text for p in self.headline]
        if not lines:
            return "", "", ""
        if len(lines) == 1:
            return "", lines[0], ""
        if len(lines) == 2:
            first, second = lines
            if first.endswith(("：", ":", "——", "—")) or len(first) <= 8:
                return first, second, ""
            return "", first, second
        return lines[0], lines[1], " ".join(lines[2:])


def _is_heading(paragraph: Paragraph) -> bool:
    return (
        paragraph.kind == "text"
        and not paragraph.is_lead
        and (paragraph.heading_level > 0 or is_heading_like(paragraph.text))
    )


def _opening(text: str) -> str:
    """The opening sentences of a paragraph, where its subject is named."""
    # Read up to the last end needed, not the whole paragraph.
    last = next(itertools.islice(_SENTENCE_END.finditer(text), _LEAD_SENTENCES - 1, None), None)
    return text[: last.end()] if last is not None else text


@dataclass(frozen=True)
class _Named:
    """The offices and districts a text names (keys of :func:`mention_key`), where, and what they imply.

    The sets asked for at every decision (a page's paragraphs are read again and again) are made once.
    """

    mentions: tuple[tuple[str, int, str], ...]  # (key, start, level) in text order
    placed: frozenset[int]  # where an office printed after its district or city starts
    implied: frozenset[str]  # the districts of the offices named
    local: frozenset[str]  # communities and villages named
    keys: frozenset[str]  # every key of the mentions
    _offices: frozenset[str]  # the keys of the offices
    _distinctive: frozenset[str]  # offices, communities and villages

    def offices(self) -> frozenset[str]:
        return self._offices

    def distinctive(self) -> frozenset[str]:
        """Names that mark what a passage is about: offices, communities, villages ."""
        return self._distinctive


@lru_cache(maxsize=65_536)
def _districts_of(units: tuple[int, ...], gazetteer: Gazetteer) -> frozenset[str]:
    """The keys of the districts of an office mention's units."""
    return frozenset("place:" + gazetteer.units[i].district for i in units if gazetteer.units[i].district)


class _Places:
    """What texts name (a page asks about the same paragraphs again and again: see :func:`_named`)."""

    def __init__(self, resources: Resources) -> None:
        self._gazetteer, self._segmenter = resources.gazetteer, resources.segmenter

    def named(self, text: str) -> _Named:
        return _named(text, self._gazetteer, self._segmenter)


@lru_cache(maxsize=16_384)  # like places_in: pages repeat bylines, headings and reprinted paragraphs too
def _named(text: str, gazetteer: Gazetteer, segmenter: Segmenter) -> _Named:
    mentions, implied = [], set()
    found = find_places(text, gazetteer, segmenter)
    for mention in found:
        levels = mention.levels
        level = "office" if "office" in levels else "district" if "district" in levels else ""
        if level:
            mentions.append((mention_key(mention), mention.start, level))
        if level == "office":
            implied |= _districts_of(mention.units, gazetteer)
    placed = frozenset(m.start for m in found if m.placed)
    local = frozenset(name for name, _ in local_names(text, found, gazetteer, segmenter))
    offices = frozenset(key for key, _, level in mentions if level == "office")
    keys = frozenset(key for key, _, _ in mentions)
    return _Named(tuple(mentions), placed, frozenset(implied), local, keys, offices, offices | local)


@dataclass
class _ArticleNames:
    """What an article named so far, gathered paragraph by paragraph (never by reading it whole again)."""

    keys: set[str] = field(default_factory=set)
    implied: set[str] = field(default_factory=set)
    offices: set[str] = field(default_factory=set)
    distinctive: set[str] = field(default_factory=set)

    @property
    def own(self) -> set[str]:
        """The offices and districts it names, and the districts of its offices."""
        return self.keys | self.implied


@lru_cache(maxsize=256)  # asked again for every article of the page at each undecided section
def _bigrams(text: str) -> Counter:
    cjk = _NOT_CJK.sub("", text)
    return Counter(map(operator.add, cjk, cjk[1:]))


def _most_similar(text: str, articles: list[Article]) -> Article | None:
    """The article sharing the most distinctive vocabulary with ``text`` (TF-IDF cosine of bigrams),
    among the last :data:`_SIMILAR_WINDOW` articles: a continued article is a few pages back, and
    a dump of a whole newspaper run must not make every continuation compare with all before it."""
    articles = articles[-_SIMILAR_WINDOW:]
    documents = [_bigrams(a.title_text + a.body_text) for a in articles]
    if not documents:
        return None
    target = _bigrams(text)
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


@dataclass
class _Block:
    """A run of the page: a headline block, or one paragraph (text, byline, date line or marker)."""

    paragraphs: list[Paragraph]
    heading: bool = False

    @property
    def first(self) -> Paragraph:
        return self.paragraphs[0]

    @property
    def kind(self) -> str:
        return "heading" if self.heading else self.first.kind

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.paragraphs)


def _blocks(paragraphs: list[Paragraph]) -> list[_Block]:
    blocks: list[_Block] = []
    for paragraph in paragraphs:
        previous = blocks[-1] if blocks else None
        if _is_heading(paragraph):
            joins = (
                previous is not None
                and previous.heading
                and len(previous.paragraphs) < _MAX_HEADLINE_LINES
                and paragraph.heading_level == 0
                and not paragraph.after_separator
                and not previous.paragraphs[-1].text.endswith(("：", ":"))
            )
            # A kicker ending in a colon (高新区枫杨办事处：) joins the title under it.
            joins = joins or (
                previous is not None and previous.heading and previous.text.endswith(("：", ":"))
            )
            if joins:
                previous.paragraphs.append(paragraph)
            else:
                blocks.append(_Block([paragraph], heading=True))
        else:
            blocks.append(_Block([paragraph]))
    return blocks


def _names_of(shared: set[str]) -> str:
    return "、".join(sorted(name.split(":")[-1] for name in shared))


class _Splitter:
    """One pass over a page's blocks (see the module docstring).

    What each article names is gathered as paragraphs join it, and an index points from each distinctive
    name to the articles that name it, so that a page of any length is read in time linear in its size.
    """

    def __init__(self, source: str, resources: Resources) -> None:
        self.source = source
        self.places = _Places(resources)
        self.articles: list[Article] = []
        self.names: dict[int, _ArticleNames] = {}  # by id of the article
        self.named_by: dict[str, list[Article]] = {}  # distinctive name → articles that name it
        self.late_headlines: list[tuple[Article, int]] = []  # printed after their body; where they stood
        self.current: Article | None = None
        self.closed = False  # a closing byline, source line or separator came after the current body
        self.page_datelines: list[Paragraph] = []  # date lines above the first article

    # --- what articles name ---------------------------------------------------------------------

    def _note(self, article: Article, paragraphs: list[Paragraph]) -> None:
        names = self.names.get(id(article))
        if names is None:
            names = self.names[id(article)] = _ArticleNames()
        for paragraph in paragraphs:
            named = self.places.named(paragraph.text)
            names.keys |= named.keys
            names.implied |= named.implied
            names.offices |= named.offices()
            for name in named.distinctive() - names.distinctive:
                self.named_by.setdefault(name, []).append(article)
            names.distinctive |= named.distinctive()

    def _named(self, article: Article) -> _ArticleNames:
        return self.names.get(id(article)) or _ArticleNames()

    def _append(self, article: Article, paragraphs: list[Paragraph]) -> None:
        article.paragraphs.extend(paragraphs)
        self._note(article, paragraphs)

    def _set_headline(self, article: Article, headline: list[Paragraph]) -> None:
        article.headline = list(headline)
        self._note(article, headline)

    # --- evidence -------------------------------------------------------------------------------

    def _new_subject(
        self,
        text: str,
        article: Article | None,
        opening_chars: int | None = _OPENING_CHARS,
        placed: bool = False,
    ) -> str:
        """The office or district ``text`` opens with, if it is not what ``article`` is about; else ''.

        Only a place named at the very start of the text (within ``opening_chars``) is its subject: one
        named later in the sentence is usually an example or a comparison (借鉴郑东新区…的模式). An office is
        new when the article never names it and the text never names the article's offices; a district when
        neither the article nor its offices are in it and the text names none of the article's places.
        With ``placed``, an office opens a new story only where the text places it, printing its district
        or city before it (抚顺望花区和平街道): within a story an office is named bare (岭西街道新民社区…).
        """
        if article is None:
            return ""
        named = self.places.named(text)
        opening_end = len(_opening(text))
        opening = [mention for mention in named.mentions if mention[1] < opening_end]
        first = next((mention for mention in opening if mention[2] == "office"), None)
        first = first or next(iter(opening), None)
        if first is None or (opening_chars is not None and first[1] > opening_chars):
            return ""
        key, start, level = first
        if placed and level == "office" and start not in named.placed:
            return ""
        own = self._named(article)
        if level == "office":
            if key in own.offices or own.offices & named.offices():
                return ""
            # An office in a district the district-level article is about is part of its story.
            if not own.offices and named.implied & own.keys:
                return ""
        elif not own.own or key in own.own or named.keys & own.own:
            return ""
        return key.split(":", 1)[1]

    def _owner(self, text: str, exclude: Article | None = None) -> tuple[Article | None, set[str]]:
        """The one earlier article (other than ``exclude``) that shares distinctive names with ``text``."""
        names = self.places.named(text).distinctive()
        if exclude is not None and names & self._named(exclude).distinctive:
            return None, set()
        owners: dict[int, tuple[Article, set[str]]] = {}
        for name in names:
            for article in self.named_by.get(name, ()):
                if article is not exclude:
                    owners.setdefault(id(article), (article, set()))[1].add(name)
        return next(iter(owners.values())) if len(owners) == 1 else (None, set())

    def _section_text(self, blocks: list[_Block], index: int, through_subheads: bool = True) -> str:
        """The text under a headline block up to a byline, date line, marker, lead or a headline over one of
        them (or up to the next headline, without ``through_subheads``); at most :data:`_SECTION_CHARS`."""
        parts, size = [], 0
        for position in range(index, len(blocks)):
            block = blocks[position]
            if _opens_story(block) or (block.heading and not through_subheads):
                break
            after = blocks[position + 1] if position + 1 < len(blocks) else None
            if block.heading and after is not None and _opens_story(after):
                break
            parts.append(block.text)
            size += len(block.text)
            if size >= _SECTION_CHARS:
                break
        return "\n".join(parts)

    def _heading_opens(self, blocks: list[_Block], index: int) -> str:
        """Why the headline block at ``index`` starts an article, or '' when it is a subhead."""
        block = blocks[index]
        after = blocks[index + 1] if index + 1 < len(blocks) else None
        if self.current is None:
            return "headline at the top of the page"
        if any(p.heading_level == 1 for p in block.paragraphs):
            return "marked headline"
        if after is not None and after.kind in ("byline", "dateline"):
            return f"headline over a {'byline' if after.kind == 'byline' else 'date line'}"
        if after is not None and after.kind == "text" and after.first.is_lead:
            return "headline over a lead"
        own = self._named(self.current)
        under = after.first.text if after is not None and after.kind == "text" else ""
        if _POINTS_BACK.match(under):
            return ""
        if self.closed and not self.places.named(block.text + "\n" + under).keys & own.own:
            return "headline after a closing byline or source line"
        if block.first.after_separator:
            return "headline after a separator"
        subject = self._new_subject(block.text, self.current, opening_chars=None)
        if subject:
            return f"headline names {subject}"
        if under and not self.places.named(block.text).keys & own.own:
            subject = self._new_subject(under, self.current)
            if subject:
                return f"headline over a paragraph about {subject}"
        run = self._section_text(blocks, index + 1)
        if (
            own.offices
            and len(run) >= _LONG_SECTION_CHARS
            and not self.places.named(block.text + "\n" + run).offices() & own.offices
        ):
            return "long section under a headline that never names the article's office"
        return ""

    def _section_target(self, section: list[Paragraph], after_byline: bool) -> tuple[Article | None, str]:
        """Where paragraphs after a byline or pictures go: (an article, or None for a new one; why)."""
        text = "\n".join(p.text for p in section)
        # After a byline the first place a paragraph names is its subject, wherever the sentence names it.
        subject = self._new_subject(text, self.current, opening_chars=None)
        if subject:
            return None, f"paragraph after a byline about {subject}"
        owner, shared = self._owner(text)
        if owner is not None and owner is not self.current:
            return owner, f"; continued where it names {_names_of(shared)}"
        if _POINTS_BACK.match(text):
            return self.current, ""
        own = self._named(self.current).own
        if (
            after_byline
            and len(text) >= _LONG_SECTION_CHARS
            and own
            and not self.places.named(text).keys & own
        ):
            return None, "long section after a byline that never names the article's places"
        return self.current, ""

    # --- assembly -------------------------------------------------------------------------------

    def _start(self, evidence: str, headline: list[Paragraph] | None = None) -> Article:
        article = Article(self.source, datelines=self.page_datelines, boundary_evidence=evidence)
        self.page_datelines = []
        self.articles.append(article)
        self._set_headline(article, headline or [])
        self.current, self.closed = article, False
        return article

    def _add(self, paragraph: Paragraph) -> None:
        """Add a body paragraph to the running article, or start one where it opens a new subject."""
        if self.current.paragraphs and (
            subject := self._new_subject(paragraph.text, self.current, placed=True)
        ):
            self._start(f"paragraph opens with {subject}")
        self._append(self.current, [paragraph])

    def split(self, paragraphs: list[Paragraph]) -> list[Article]:
        blocks = _blocks(paragraphs)
        index = 0
        while index < len(blocks):
            block = blocks[index]
            if block.first.after_separator:
                self.closed = True
            if block.heading:
                index = self._heading(blocks, index)
            elif block.kind in ("byline", "dateline"):
                index = self._byline(blocks, index)
            elif block.kind == "marker":
                index = self._continuation(blocks, index)
            else:
                index = self._text(blocks, index)
        self._place_late_headlines()
        if self.page_datelines:  # a page of date lines only
            self.articles.append(
                Article(self.source, datelines=self.page_datelines, boundary_evidence="date lines only")
            )
        for article in self.articles:
            article.paragraphs.sort(key=lambda p: p.first_line)
        return sorted(self.articles, key=lambda a: a.first_line)

    def _heading(self, blocks: list[_Block], index: int) -> int:
        block = blocks[index]
        end = index + 1
        while end < len(blocks) and blocks[end].kind in ("byline", "dateline"):
            end += 1
        bylines = [blocks[position].first for position in range(index + 1, end)]
        rest = blocks[end] if end < len(blocks) else None
        if self.current is not None and bylines and (rest is None or _opens_story(rest) or rest.heading):
            # A headline and byline with no body of their own: printed after their story.
            late = Article(self.source, headline=list(block.paragraphs))
            _attach_bylines(late, bylines)
            self.late_headlines.append((late, len(self.articles)))
            self.closed = True
            return end
        headless = self.current if self.current is not None and not self.current.headline else None
        if headless is not None and bylines and rest is not None and rest.kind == "text":
            # Headline and byline over a paragraph that is no lead: the headline may still be the one of
            # the headless story before it, printed after its body, if it shares more words with it.
            own_body = Article(self.source, paragraphs=rest.paragraphs)
            if _most_similar(block.text, [headless, own_body]) is headless:
                self._set_headline(headless, block.paragraphs)
                _attach_bylines(headless, bylines)
                headless.boundary_evidence += "; its headline is printed after it"
                self.closed = True
                return end
        evidence = self._heading_opens(blocks, index)
        if evidence:
            self._start(evidence, block.paragraphs)
            return index + 1
        # A subhead whose section names what only an earlier story names continues that story.
        section = self._section_text(blocks, index + 1, through_subheads=False)
        owner, shared = self._owner(block.text + "\n" + section, self.current)
        if owner is not None:
            self.current = owner
            owner.boundary_evidence += f"; continued where it names {_names_of(shared)}"
        self._append(self.current, block.paragraphs)
        self.closed = False  # a subhead: the story goes on
        return index + 1

    def _byline(self, blocks: list[_Block], index: int) -> int:
        paragraph = blocks[index].first
        if self.current is None and paragraph.kind == "dateline":
            self.page_datelines.append(paragraph)  # the page's date: it goes with the first article
            return index + 1
        if self.current is None:
            self._start("byline at the top of the page")
        if self.current.paragraphs and not paragraph.inline:
            self.closed = True
        _attach_bylines(self.current, [paragraph])
        return index + 1

    def _run(self, blocks: list[_Block], index: int) -> tuple[list[Paragraph], int]:
        """The text paragraphs from ``index`` to the next lead, byline, date line, marker or headline."""
        section: list[Paragraph] = []
        while index < len(blocks) and blocks[index].kind == "text":
            if section and blocks[index].first.is_lead:
                break
            section.append(blocks[index].first)
            index += 1
        return section, index

    def _continuation(self, blocks: list[_Block], index: int) -> int:
        marker = blocks[index].first
        start = index + 1
        # A subhead under the marker belongs to the continued section.
        if start < len(blocks) and blocks[start].heading:
            start += 1
        section, end = self._run(blocks, start)
        heads = [p for block in blocks[index + 1 : start] for p in block.paragraphs]
        text = "\n".join(p.text for p in [*heads, *section])
        target = _most_similar(text, self.articles) or self.current
        if target is None:
            target = self._start("continuation marker at the top of the page")
        self._append(target, [marker, *heads, *section])
        self.current, self.closed = target, False
        return end

    def _text(self, blocks: list[_Block], index: int) -> int:
        paragraph = blocks[index].first
        if self.current is None:
            self._start("lead" if paragraph.is_lead else "text at the top of the page")
        elif paragraph.is_lead and self.current.paragraphs:
            self._start("lead")
        elif self.closed or paragraph.after_removed:
            section, end = self._run(blocks, index)
            target, evidence = self._section_target(section, after_byline=self.closed)
            if target is None:
                self._start(evidence)
            else:
                target.boundary_evidence += evidence
                self.current, self.closed = target, False
            for part in section:
                self._add(part)
            return end
        self._add(paragraph)
        return index + 1

    def _place_late_headlines(self) -> None:
        for late, position in self.late_headlines:
            earlier = [a for a in self.articles[:position] if not a.headline and a.paragraphs]
            named = self.places.named(late.title_text).offices()
            matching = [a for a in earlier if named & self._named(a).offices]
            target = matching[-1] if matching else _most_similar(late.title_text, earlier)
            target = target or (earlier[-1] if earlier else None)
            if target is None:
                late.boundary_evidence = "headline with no body"
                self.articles.append(late)
                continue
            target.headline = late.headline
            _attach_bylines(target, [*late.bylines, *late.datelines])
            target.boundary_evidence += "; its headline is printed after it"


def _opens_story(block: _Block) -> bool:
    """A byline, date line, marker or lead: what ends the section before it."""
    return block.kind in ("byline", "dateline", "marker") or (block.kind == "text" and block.first.is_lead)


def _attach_bylines(article: Article, paragraphs: list[Paragraph]) -> None:
    for paragraph in paragraphs:
        (article.datelines if paragraph.kind == "dateline" else article.bylines).append(paragraph)


def split_articles(source: str, paragraphs: list[Paragraph], resources: Resources) -> list[Article]:
    """Assemble the articles of one page from its cleaned paragraphs.

    Args:
        source: file name.
        paragraphs: cleaned paragraphs in page order (:func:`govnews.ingest.clean.clean_text`).
        resources: the gazetteer and segmenter, which tell what a passage is about.

    Returns:
        Articles ordered by their first line on the page, each with its ``boundary_evidence``.
    """
    return _Splitter(source, resources).split(paragraphs)
