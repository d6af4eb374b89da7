"""HTML reports carry their own Chinese font and an index of every page."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

from fontTools.ttLib import TTFont

from govnews.report import NotebookRun, with_embedded_font, write_index


def _embedded_cmap(page: str) -> dict[int, str]:
    data = re.search(r"base64,([A-Za-z0-9+/=]+)\)", page).group(1)
    return TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap()


def test_page_embeds_exactly_the_chinese_glyphs_it_uses() -> None:
    page = with_embedded_font("<html><head></head><body><h1>报告：街道办事处 report</h1></body></html>")
    cmap = _embedded_cmap(page)
    assert all(ord(char) in cmap for char in "报告：街道办事处")
    assert ord("枫") not in cmap
    assert "unicode-range" in page


def test_page_without_chinese_is_left_alone() -> None:
    assert with_embedded_font("<html><head></head><body>plain</body></html>") == (
        "<html><head></head><body>plain</body></html>"
    )


def test_index_links_every_page_with_its_thumbnail(tmp_path: Path) -> None:
    figures = tmp_path / "figures"
    figures.mkdir()
    (figures / "00_corpus_main.png").write_bytes(b"png")
    runs = [
        NotebookRun(
            Path("00_corpus.ipynb"),
            "00_corpus",
            tmp_path / "x.ipynb",
            tmp_path / "00_corpus.html",
            figures / "00_corpus_main.png",
            "00 · 语料概览",
        ),
        NotebookRun(
            Path("05_validation.ipynb"),
            "05_validation",
            tmp_path / "y.ipynb",
            tmp_path / "05_validation.html",
            None,
            "05 · 验证",
        ),
    ]
    page = write_index(runs, tmp_path).read_text(encoding="utf-8")
    assert page.count("<li>") == 2
    assert 'href="00_corpus.html"' in page and 'src="figures/00_corpus_main.png"' in page
    assert all(ord(char) in _embedded_cmap(page) for char in "语料概览验证")
