"""One raw file → its ``articles`` rows: clean, split, overrides, office and place, year.

This is the first step of the pipeline and a pure function of the file and the resources; the build
runs it on every file (in worker processes when that pays).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from govnews import schema
from govnews.ingest.clean import clean_lines
from govnews.ingest.offices import Attribution, attribute_article
from govnews.ingest.overrides import ArticleSettings, apply_overrides
from govnews.ingest.split import Article, split_articles
from govnews.ingest.years import (
    YearEvidence,
    YearSources,
    date_year,
    dateline_year,
    file_name_year,
    find_year_evidence,
    infer_year,
    most_stated_by_others,
)

if TYPE_CHECKING:
    from govnews.ingest.load import RawFile
    from govnews.resources import Resources


def article_stem(source: str) -> str:
    """The prefix of the ids of a raw file's articles."""
    return Path(source).with_suffix("").as_posix().replace("/", "_")


def _printed_years(article: Article) -> list[tuple[int, str]]:
    printed = [(date_year(p.text), p.text) for p in article.datelines]
    lead = article.paragraphs[0].text if article.paragraphs else ""
    printed.append((dateline_year(lead), lead[:20]))
    return [(year, text) for year, text in printed if year is not None]


def _page_printed(articles: list[Article]) -> list[tuple[int, str]]:
    """Date lines printed at the top of the page, before any article's text: the page's own date."""
    if not articles:
        return []
    first = articles[0]
    text_lines = [p.first_line for p in [*first.headline, *first.paragraphs]]
    top = min(text_lines, default=0)
    return [(year, p.text) for p in first.datelines if p.first_line < top and (year := date_year(p.text))]


def _with_settings(attribution: Attribution, settings: ArticleSettings | None) -> Attribution:
    if settings is None:
        return attribution
    office = settings.office or attribution.office
    district = settings.district or attribution.district
    if settings.office:
        return Attribution(
            office, "override", "override", "", district, attribution.city, attribution.province
        )
    if settings.district:
        return Attribution(
            office,
            attribution.office_source,
            attribution.office_evidence,
            attribution.township_code,
            district,
            attribution.city,
            attribution.province,
        )
    return attribution


def article_rows(raw: RawFile, resources: Resources) -> tuple[list[dict], list[dict], list[str]]:
    """The ``articles`` rows of one decoded raw file, its ``removed`` rows and the overrides applied to it.

    Args:
        raw: the decoded file.
        resources: gazetteer, segmenter, surnames, year cues, overrides and metadata.

    Returns:
        (article rows in page order, removed rows in line order, descriptions of the applied overrides).
    """
    paragraphs, removed, _ = clean_lines(raw.source, raw.text, resources)
    articles = split_articles(raw.source, paragraphs, resources)
    articles, settings, applied = apply_overrides(raw.source, articles, resources.overrides)
    attributions = [
        _with_settings(
            attribute_article(a.title_text, a.body_text, resources.gazetteer, resources.segmenter),
            settings.get(number),
        )
        for number, a in enumerate(articles)
    ]
    evidence = [find_year_evidence(a.title_text + "\n" + a.body_text, resources.year_cues) for a in articles]
    page_printed = _page_printed(articles)
    stated = resources.metadata.get(raw.source)
    stem = article_stem(raw.source)
    # A page's statements of its year hold for its articles of the same city only: a dump that
    # gathers articles of several cities is no single issue of one paper.
    page_statements = most_stated_by_others(
        [e.stated for e in evidence], [place.city for place in attributions]
    )
    rows = []
    for number, (article, place) in enumerate(zip(articles, attributions, strict=True)):
        page = YearEvidence(page_statements[number])
        sources = YearSources(
            printed=_printed_years(article),
            page_printed=page_printed,
            file_name=file_name_year(raw.source),
            metadata=stated.year if stated is not None else None,
            article=evidence[number],
            page=page,
        )
        year, year_evidence = infer_year(sources)
        override_year = settings[number].year if number in settings else None
        if override_year is not None:
            year, year_evidence = override_year, "override"
        kicker, title, subtitle = article.title_parts()
        body = article.body_text
        rows.append(
            {
                "article_id": f"{stem}-{number + 1:02d}",
                "source": raw.source,
                "article_no": number + 1,
                "title": title,
                "kicker": kicker,
                "subtitle": subtitle,
                "boundary_evidence": article.boundary_evidence,
                "office": place.office,
                "office_source": place.office_source,
                "office_evidence": place.office_evidence,
                "township_code": place.township_code,
                "district": place.district,
                "city": place.city,
                "province": place.province,
                "year": year,
                "year_evidence": year_evidence,
                "byline": " ".join(p.text for p in article.bylines),
                "dateline": " ".join(p.text for p in article.datelines),
                "text": body,
                "n_chars": schema.count_chars(body),
                "line_nos": schema.LIST_SEPARATOR.join(map(str, article.line_nos)),
            }
        )
    return rows, removed, [o.describe() for o in applied]
