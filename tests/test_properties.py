"""Property tests: generated page dumps and free text never break the pipeline, and no text is lost.

Pages are built from REAL sentences of the seed corpus, broken and decorated the way page dumps are:
line breaks anywhere (mid-word too), runs of blank lines, captions, picture placeholders, bylines,
markers, markdown marks, leads and noise characters. The central invariant is character accounting:
every non-blank character of the normalised text ends up in exactly one article title, kicker,
subtitle, body or byline, or in one removed row.

Run many more examples with ``HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest tests/test_properties.py``
(profiles are registered in ``conftest.py``).
"""

from __future__ import annotations

import math
import signal
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from conftest import SEED_FILES
from govnews.config import ProjectPaths, project_paths
from govnews.extract.figures import extract_figures
from govnews.extract.measures import extract_measures
from govnews.ingest.clean import CleanedText, clean_text
from govnews.ingest.load import RawFile
from govnews.ingest.sentences import split_sentences
from govnews.ingest.split import split_articles
from govnews.pipeline.build import process_file
from govnews.resources import load_resources
from govnews.vocabulary import QUALIFIERS

SOURCE = "page.txt"
# A hang guard, not a speed assertion: far above the few milliseconds one text takes.
HANG_GUARD_SECONDS = 120
QUOTE_MARKS = "“”‘’『』「」\"'"

SEED_SENTENCES = sorted(
    {
        sentence
        for path in SEED_FILES
        for line in path.read_text(encoding="utf-8").splitlines()
        for sentence in split_sentences(line.strip())
        if len(sentence) >= 2
    }
)
SURNAMES = "王李张刘陈杨黄赵吴周孙马朱胡郭何高林罗郑"
GIVEN_CHARS = "庆辉静然地峰彩彦燕盼霖宝岭新亭红军良才"
NUMERALS = "一二三四五六七八九十"
# Characters page dumps carry besides text: stray ASCII, half-width punctuation (normalised next to
# Chinese), full-width spaces, tabs, form feeds, zero-width and line-separator characters, BOMs.
NOISE = ",:;()?!#*-_/|<>~·•…—\t\f\v\u3000\u00a0\u200b\u2028\u0085\ufeffabcXYZ0123456789"


def _non_blank(texts: list[str]) -> Counter:
    return Counter(ch for text in texts for ch in text if not ch.isspace())


def _accounting(cleaned: CleanedText, articles: pd.DataFrame) -> tuple[Counter, Counter]:
    """(characters of the normalised text, characters of the articles and removed rows)."""
    removed = cleaned.removed
    # Markdown marks are taken off before normalising, so the normalised text no longer holds them.
    kept_removed = removed.loc[~removed["reason"].isin(["markdown_mark", "title_label"]), "text"].tolist()
    parts = [
        text
        for column in ("kicker", "title", "subtitle", "text", "byline", "dateline")
        for text in articles[column]
    ]
    return _non_blank(cleaned.normalized_lines), _non_blank([*parts, *kept_removed])


def _article_table(cleaned: CleanedText) -> pd.DataFrame:
    articles = split_articles(cleaned.source, cleaned.paragraphs, _resources())
    rows = []
    for article in articles:
        kicker, title, subtitle = article.title_parts()
        rows.append(
            {
                "kicker": kicker,
                "title": title,
                "subtitle": subtitle,
                "text": article.body_text,
                "byline": " ".join(p.text for p in article.bylines),
                "dateline": " ".join(p.text for p in article.datelines),
            }
        )
    return pd.DataFrame(rows, columns=["kicker", "title", "subtitle", "text", "byline", "dateline"])


@lru_cache(maxsize=1)
def _resources():
    return load_resources(project_paths())


@contextmanager
def _hang_guard(seconds: int = HANG_GUARD_SECONDS) -> Iterator[None]:
    def _raise(signum: int, frame: object) -> None:
        raise TimeoutError(f"no result after {seconds} s: the extractor hangs on this input")

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# ----------------------------------------------------------------------------- strategies


@st.composite
def _broken(draw: st.DrawFn, text: str) -> str:
    """``text`` with line breaks (and blank-line runs) inserted anywhere, mid-word included."""
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(text) - 1)), max_size=3)))
    pieces = [text[i:j] for i, j in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    breaks = [draw(st.sampled_from(["\n", "\n\n", "\n\n\n\n", "\r\n", "\r"])) for _ in pieces[1:]]
    return "".join(piece + br for piece, br in zip(pieces, [*breaks, ""], strict=True))


@st.composite
def _noisy(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few noise characters put anywhere."""
    chars = list(text)
    for _ in range(draw(st.integers(0, 3))):
        chars.insert(draw(st.integers(0, len(chars))), draw(st.sampled_from(NOISE)))
    return "".join(chars)


_sentence = st.sampled_from(SEED_SENTENCES)
_name = st.builds(
    lambda surname, given: surname + given,
    st.sampled_from(SURNAMES),
    st.text(alphabet=GIVEN_CHARS, min_size=1, max_size=2),
)
_numeral = st.sampled_from(NUMERALS)
_block = st.one_of(
    st.lists(_sentence, min_size=1, max_size=4).map("".join).flatmap(_broken),  # paragraph
    _sentence.map(lambda s: s.rstrip("。！？")[:24]),  # headline-like line
    _sentence.map(lambda s: "本报讯 " + s),  # lead
    _sentence.map(lambda s: "# " + s[:20]),  # markdown heading
    st.builds(lambda n, s: f"图{n} {s}", _numeral, _sentence),  # caption
    st.builds(lambda n: f"图{n}", _numeral),  # picture placeholder
    st.sampled_from(
        ["【现场】", "[图片]", "（图片）", "组图", "本版图片由办事处提供", "高新区枫杨办事处 供图"]
    ),
    st.builds(lambda a, b: f"记者 {a} 通讯员 {b}", _name, _name),  # byline
    st.builds(lambda a, b: f"{a} {b} 文/图", _name, _name),  # byline of names only
    st.builds(
        lambda a, b, s: f"本报讯（记者 {a} 通讯员 {b}）{s}", _name, _name, _sentence
    ),  # dateline byline
    st.builds(lambda s, a: f"{s}记者 {a}", _sentence, _name),  # byline printed at the end of a paragraph
    st.just(""),  # blank line
)
_page = st.lists(_block, min_size=1, max_size=14).map("\n".join).flatmap(_noisy)

_FIGURE_ALPHABET = (
    "0123456789０１２３.．,、%％‰~～-—至到余多近约超过逾左右以上不到至少第"
    "一二两三四五六七八九十百千万亿〇零个名人户家条平方米公里亩元万元吨年月日次项件套处分之"
    "沟赵办事处社区网格道路投资完成工作，。；：“”‘’《》（）() \n"
)
_figure_text = st.one_of(
    st.text(alphabet=_FIGURE_ALPHABET, max_size=10_000),
    st.lists(_sentence, max_size=40).map("".join).flatmap(_noisy),
)
_MEASURE_ALPHABET = (
    "一二三四五六七八九十个项条大小事不出格村社街道定人岗责党建引领工作法制度机制模式行动工程平台"
    "“”‘’「」『』\"'、，。；：（）() 等推行实行建立探索以为抓手即长"
)
_measure_text = st.one_of(
    st.text(alphabet=_MEASURE_ALPHABET, max_size=400),
    st.lists(_sentence, max_size=6).map("".join).flatmap(_noisy),
)


@pytest.fixture(scope="module")
def page_paths(tmp_path_factory: pytest.TempPathFactory) -> ProjectPaths:
    """Paths with no overrides and no metadata, and outputs in a temporary folder."""
    folder = tmp_path_factory.mktemp("properties")
    return project_paths(
        raw_dir=folder / "raw",
        processed_dir=folder / "processed",
        cache_dir=folder / "cache",
        overrides_file=folder / "overrides.yml",
        metadata_file=folder / "metadata.csv",
    )


# ----------------------------------------------------------------------------- page dumps


@given(_page)
def test_cleaning_and_splitting_account_for_every_character(page: str) -> None:
    cleaned = clean_text(SOURCE, page, _resources())
    normalised, accounted = _accounting(cleaned, _article_table(cleaned))
    assert accounted == normalised


@given(_page)
def test_markdown_marks_are_the_only_removed_text_outside_the_normalised_text(page: str) -> None:
    removed = clean_text(SOURCE, page, _resources()).removed
    marks = removed.loc[removed["reason"] == "markdown_mark", "text"]
    assert all(set(mark) == {"#"} for mark in marks)


@given(_page)
def test_process_file_accounts_for_every_character(page_paths: ProjectPaths, page: str) -> None:
    raw = RawFile(SOURCE, Path(SOURCE), "utf-8", page, len(page.encode()), "0" * 64)
    result = process_file(raw, page_paths)
    normalised, accounted = _accounting(clean_text(SOURCE, page, _resources()), result.tables["articles"])
    # The removed table of the build is the cleaning step's: compare it too.
    pd.testing.assert_frame_equal(result.tables["removed"], clean_text(SOURCE, page, _resources()).removed)
    assert accounted == normalised


@given(_page)
def test_sentences_hold_exactly_the_text_of_their_articles(page_paths: ProjectPaths, page: str) -> None:
    raw = RawFile(SOURCE, Path(SOURCE), "utf-8", page, len(page.encode()), "0" * 64)
    tables = process_file(raw, page_paths).tables
    articles, sentences = tables["articles"], tables["sentences"]
    for article in articles.itertuples():
        own = sentences.loc[sentences["article_id"] == article.article_id, "text"].tolist()
        title_and_body = [article.kicker, article.title, article.subtitle, article.text]
        assert _non_blank(own) == _non_blank(title_and_body)


@given(st.text(max_size=3000))
def test_sentence_splitting_keeps_every_character_and_bounds_length(text: str) -> None:
    sentences = split_sentences(text)
    assert _non_blank(sentences) == _non_blank([text])
    assert all(0 < len(sentence) <= 1000 for sentence in sentences)


# ----------------------------------------------------------------------------- figures and measures


@given(_figure_text)
def test_figure_rows_are_spans_of_the_input_with_finite_values_and_known_qualifiers(text: str) -> None:
    with _hang_guard():
        figures = extract_figures(text)
    assert all(span and span in text for span in figures["span"])
    assert all(math.isfinite(value) for value in figures["value"])
    assert set(figures["qualifier"]) <= set(QUALIFIERS)


@given(_measure_text)
def test_measure_names_come_from_the_input(text: str) -> None:
    with _hang_guard():
        measures = extract_measures(text)
    unquoted = "".join(ch for ch in text if ch not in QUOTE_MARKS and not ch.isspace())
    for name in measures["name"]:
        assert name
        assert "".join(ch for ch in name if not ch.isspace()) in unquoted


@given(st.lists(_sentence, min_size=1, max_size=3).map("".join))
def test_unbalanced_opening_quote_does_not_swallow_the_text(tail: str) -> None:
    assume("工作法" not in tail)
    text = "推行“九步工作法，" + tail
    with _hang_guard():
        names = extract_measures(text)["name"].tolist()
    assert all(len(name) <= 30 for name in names)


# ----------------------------------------------------------------------------- the seed corpus


@pytest.mark.parametrize("path", SEED_FILES, ids=[path.name for path in SEED_FILES])
def test_every_seed_character_is_accounted_for_in_the_build(seed_build, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    articles = seed_build.tables["articles"]
    removed = seed_build.tables["removed"]
    cleaned = clean_text(path.name, text, _resources())
    own_removed = removed.loc[removed["source"] == path.name].reset_index(drop=True)
    pd.testing.assert_frame_equal(own_removed, cleaned.removed)
    normalised, accounted = _accounting(cleaned, articles.loc[articles["source"] == path.name])
    assert accounted == normalised
