"""Apply the analyst's overrides (``overrides.yml``, :mod:`govnews.resources.overrides`) to a page's articles.

Each entry reports whether it matched; one that matches nothing becomes a warning naming it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govnews.ingest.split import Article
from govnews.resources.overrides import Override


@dataclass
class ArticleSettings:
    """What overrides set for one article: any of office, district, year."""

    office: str = ""
    district: str = ""
    year: int | None = None
    entries: list[Override] = field(default_factory=list)


def _holding(articles: list[Article], snippet: str) -> Article | None:
    for article in articles:
        if snippet in article.title_text or snippet in article.body_text:
            return article
    return None


def _move(articles: list[Article], override: Override) -> bool:
    target = _holding(articles, override.move_to)
    for article in articles:
        moving = [p for p in article.paragraphs if override.snippet in p.text]
        if moving and target is not None and article is not target:
            article.paragraphs = [p for p in article.paragraphs if p not in moving]
            target.paragraphs = sorted([*target.paragraphs, *moving], key=lambda p: p.first_line)
            return True
    return False


def _start_article(articles: list[Article], override: Override) -> bool:
    for article in articles:
        position = next((i for i, p in enumerate(article.paragraphs) if override.snippet in p.text), None)
        if position is None or (position == 0 and not article.headline):
            continue
        if position == 0:
            return False  # it starts an article already
        new = Article(article.source, paragraphs=article.paragraphs[position:], boundary_evidence="override")
        article.paragraphs = article.paragraphs[:position]
        articles.insert(articles.index(article) + 1, new)
        return True
    return False


def apply_overrides(
    source: str, articles: list[Article], overrides: list[Override]
) -> tuple[list[Article], dict[int, ArticleSettings], list[Override]]:
    """Apply the overrides of one file.

    Moves and new articles change ``articles`` (the list is returned in page order); settings are returned
    per article index, for the attribution to use instead of its own.

    Returns:
        (the articles, settings per article index, the overrides that matched).
    """
    applied: list[Override] = []
    own = [o for o in overrides if o.source == source]
    for override in own:
        if (override.move_to and _move(articles, override)) or (
            override.starts_article and _start_article(articles, override)
        ):
            applied.append(override)
    articles = sorted(articles, key=lambda a: a.first_line)
    settings: dict[int, ArticleSettings] = {}
    for override in own:
        if override.move_to or override.starts_article:
            continue
        article = _holding(articles, override.snippet)
        if article is None:
            continue
        entry = settings.setdefault(articles.index(article), ArticleSettings())
        entry.office = override.office or entry.office
        entry.district = override.district or entry.district
        entry.year = override.year if override.year is not None else entry.year
        entry.entries.append(override)
        applied.append(override)
    return articles, settings, applied
