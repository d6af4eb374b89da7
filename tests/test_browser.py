"""Every report page, rendered in headless Chromium, is a page for readers.

A page fails when it shows a code cell, a /tmp, /home or /root path, ``e+``/``e-``/``<NA>`` in a table,
chrome (headers, headings, the table widget's words) in the other language, or a character that the
page's embedded font lacks (the test machine has no Chinese font of its own, so such a character
would be drawn as an empty box). Skips where Chromium is not installed (Debian: ``apt-get install -y
chromium``; CI installs it in ``.ci/run``).
"""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from conftest import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed: the report pages are rendered with it (Debian: apt-get install -y chromium)",
)

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Let the sortable tables finish setting up (they start after the page has loaded).
    "--virtual-time-budget=15000",
]
NOTEBOOKS = sorted(path.stem for path in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")
# Words of the chrome that are the same in Chinese text: file formats, statistics, names of files.
LATIN_ALLOWED = {"csv", "png", "svg", "pdf", "kwic", "gold", "govnews"}
_CHROME_CLASSES = {"dt-info", "dt-search", "dt-length", "dt-paging"}
_SKIPPED = {"script", "style", "head", "title", "noscript"}


class _Page(HTMLParser):
    """What a reader sees on a rendered page, by kind of element."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, set[str]]] = []
        self.classes: set[str] = set()
        self.code_cells = 0
        self.text: list[str] = []
        self.cells: list[str] = []
        self.headers: list[str] = []
        self.headings: list[str] = []
        self.chrome: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        self.classes |= classes
        # A code cell whose input is shown (markdown cells render in an input area too: they are fine).
        self.code_cells += "jp-CodeCell" in classes and "jp-mod-noInput" not in classes
        if "hidden" in attributes:
            classes = classes | {"hidden"}
        if tag not in {"br", "img", "input", "meta", "link", "hr", "col"}:
            self.stack.append((tag, classes))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        tags = {tag for tag, _ in self.stack}
        classes = set().union(*(classes for _, classes in self.stack)) if self.stack else set()
        # What the page hides (the table widget's no-script fallback) is not seen.
        if not data.strip() or tags & _SKIPPED or "hidden" in classes:
            return
        self.text.append(data)
        if "td" in tags:
            self.cells.append(data)
        if "th" in tags:
            self.headers.append(data)
        if tags & {"h2", "h3"}:
            self.headings.append(data)
        if classes & _CHROME_CLASSES:
            self.chrome.append(data)


def _render(page: Path, tmp_path: Path) -> _Page:
    profile = tmp_path / f"chromium-{page.stem}"
    profile.mkdir()
    dom = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    ).stdout
    parsed = _Page()
    parsed.feed(dom)
    return parsed


def _embedded_glyphs(page: Path) -> set[int]:
    found = re.search(r"data:font/otf;base64,([A-Za-z0-9+/=]+)\)", page.read_text(encoding="utf-8"))
    if not found:
        return set()
    return set(TTFont(io.BytesIO(base64.b64decode(found.group(1)))).getBestCmap())


def page_problems(page: Path, lang: str, tmp_path: Path) -> list[str]:
    """Everything on ``page`` that a reader should not see (empty when the page is fine)."""
    seen = _render(page, tmp_path)
    problems = []
    if seen.code_cells or seen.classes & {"jp-InputPrompt", "jp-OutputPrompt", "jp-CodeMirrorEditor"}:
        problems.append("a code cell or prompt is shown")
    text = "".join(seen.text)
    if "Loading ITables" in text:
        problems.append("a sortable table did not load")
    paths = re.findall(r"/(?:tmp|home|root)/\S*", text)
    if paths:
        problems.append(f"paths shown: {paths[:3]}")
    bad_cells = [cell for cell in seen.cells if re.search(r"\d[eE][+-]\d|<NA>|\bNaN\b|\bnan\b", cell)]
    if bad_cells:
        problems.append(f"unreadable table cells: {bad_cells[:3]}")
    chrome = seen.headers + seen.headings + seen.chrome
    if lang == "zh":
        latin = [
            part
            for part in chrome
            if not CJK.search(part)
            and any(word.lower() not in LATIN_ALLOWED for word in re.findall(r"[A-Za-z]{3,}", part))
        ]
        if latin:
            problems.append(f"English chrome on a Chinese page: {latin[:5]}")
    else:
        chinese = [part for part in seen.headers + seen.chrome if CJK.search(part)]
        if chinese:
            problems.append(f"Chinese chrome on an English page: {chinese[:5]}")
    glyphs = _embedded_glyphs(page)
    missing = sorted({char for char in text if CJK.match(char) and ord(char) not in glyphs})
    if missing:
        problems.append(f"characters missing from the embedded font: {''.join(missing[:20])}")
    return problems


def _page_of(runs, notebook: str) -> Path:
    return next(run.html for run in runs if run.notebook.stem == notebook)


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_chinese_report_page_is_for_readers(notebook: str, seed_report, tmp_path: Path) -> None:
    assert page_problems(_page_of(seed_report, notebook), "zh", tmp_path) == []


def test_chinese_index_is_for_readers(seed_report, seed_paths, tmp_path: Path) -> None:
    assert page_problems(seed_paths.reports_dir / "index.html", "zh", tmp_path) == []


@pytest.mark.parametrize("notebook", ["00_corpus", "02_figures"])
def test_english_report_page_is_english_throughout(notebook: str, seed_report_en, tmp_path: Path) -> None:
    assert page_problems(_page_of(seed_report_en, notebook), "en", tmp_path) == []


def test_the_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text(
        "<html><head></head><body><div class='jp-Cell jp-CodeCell'>import x</div><p>/tmp/x/tables</p>"
        "<table><tr><th>office</th></tr><tr><td>3.6e+01</td></tr><tr><td>&lt;NA&gt;</td></tr></table>"
        "<h2>办事处</h2><p>Loading ITables v2</p></body></html>",
        encoding="utf-8",
    )
    problems = " | ".join(page_problems(page, "zh", tmp_path))
    expected_problems = (
        "code cell",
        "did not load",
        "paths shown",
        "unreadable table cells",
        "English chrome",
        "missing from",
    )
    for expected in expected_problems:
        assert expected in problems
