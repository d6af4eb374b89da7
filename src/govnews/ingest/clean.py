"""Decoded text → cleaned paragraphs, plus the lines removed and why.

Page dumps break what the printed page held together. This step

* normalises what dumps break: line endings, half-width ``, : ; ( ) ? !``
  between Chinese characters (made full-width), markdown marks (``#``, ``##``;
  kept as a heading hint and recorded as removed);
* takes out what is not article text — picture placeholders (``图一``),
  captions (``图一 …``, and short lines set apart by a layout gap among
  pictures), photo credits (``本版图片…提供``, ``X 供图``) — into the
  ``removed`` table with a reason;
* marks bylines (``记者 X 通讯员 Y``, ``刘地 边峰 闫彩彦``, ``闫彩彦 文/图``),
  including a byline printed at the end of a lead paragraph;
* re-joins text lines that page layout broke (``人民至`` / ``上、群众至上…``),
  from evidence: the first part ends mid-sentence (a comma, a sentence already
  begun, a length no headline has, or a word running across the break) and
  the second part is not itself a heading.

Every non-blank character of the normalised text ends up in exactly one
paragraph or one removed row.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

from govnews import schema
from govnews.config import project_paths

if TYPE_CHECKING:
    from govnews.text.segment import Segmenter

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{CJK}]")
_CJK_CONTEXT = re.compile(f"[{CJK}\u3000-\u303f\uff00-\uffef“”‘’…—]")
_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
_HALF_MARK = re.compile("[" + re.escape("".join(_HALF_TO_FULL)) + "]")
_MARKDOWN = re.compile(r"^\s*(#{1,6})\s+")

SENTENCE_END = "。！？!?…"
_SENTENCE_ENDS = re.compile(f"[{SENTENCE_END}]+")
_CLOSERS = "”’」』）)"
# A line ending in one of these stops mid-sentence and continues below.
_CONTINUING_END = "，、；（(—"

_NUMERAL = "一二三四五六七八九十百0-9０-９"
_PLACEHOLDER = re.compile(rf"^[\[［【(（]?(?:图[{_NUMERAL}]{{1,3}}|图片|照片|组图)[\]］】)）]?$")
_CAPTION = re.compile(rf"^(?:图[{_NUMERAL}]{{1,3}}[\s:：、.．]+\S|图为\S)")
_CREDIT = re.compile(
    r"^本版图片|图片.{0,12}(?:提供|摄)$|(?<!文/)(?<!文／)供图$|^(?:图|摄影)[/／:：]\s*\S{2,8}$"
)
_MARKER = re.compile(r"^[【\[［][^】\]］]{1,10}[】\]］]$")
# Simplified and Traditional forms (本报讯 / 本報訊, 记者 / 記者): reprinted pages come in either script.
_LEAD = re.compile(
    r"^(?:本[报報][讯訊]|本[报報]消息|本[报報][\u4e00-\u9fff]{0,6}[电電]|[（(]?[记記]者[^）)]{0,30}[报報]道[）)]?|新[华華]社)"
)

_ROLE = (
    r"(?:本[报報]|本刊)?(?:特[约約]|[见見][习習]|首席|[实實][习習])?"
    r"(?:[记記]者|通[讯訊][员員]|[实實][习習]生|[摄攝]影[记記]者|[摄攝]影|[编編][辑輯]|[责責]任[编編][辑輯])"
)
_BYLINE_START = re.compile(rf"^{_ROLE}\s*[{CJK}]")
_BYLINE_END = re.compile(r"(?:文/图|文／图|图/文|图／文|摄|供图)$")
_NEWSPAPER_NAME = re.compile(r"^[\u4e00-\u9fff]{2,6}(?:时报|日报|晚报|报社|电视台|融媒体中心)\s")
_INLINE_BYLINE = re.compile(rf"(?<=[。！？”」』])\s*({_ROLE}\s*[{CJK}][^。！？，；：]{{1,40}})$")
# 本报讯（记者 王明 通讯员 李华）… : the byline in brackets right after the dateline.
_DATELINE = rf"本[报報][讯訊]|本[报報]消息|本[报報][{CJK}]{{0,6}}[电電]"
_BRACKETED_BYLINE = re.compile(rf"^({_DATELINE})\s*([（(]{_ROLE}[^）)]{{1,40}}[）)])")
_MAX_BYLINE_CHARS = 45
_MAX_HEADING_CHARS = 40
_MAX_CAPTION_CHARS = 60


@dataclass
class Paragraph:
    """A cleaned paragraph: one or more raw lines joined, or a byline or marker line."""

    source: str
    line_nos: list[int]
    text: str
    kind: str  # text, byline or marker
    heading_level: int = 0  # 1 for '#', 2 for '##' in the dump; 0 when unmarked
    gap_before: int = 0  # blank lines before the first line
    inline: bool = False  # byline printed at the end of the previous paragraph's line
    is_lead: bool = False
    after_removed: bool = False  # pictures, captions or credits stand between it and the paragraph before

    @property
    def first_line(self) -> int:
        return self.line_nos[0]


@dataclass
class CleanedText:
    """The cleaning result of one file."""

    source: str
    paragraphs: list[Paragraph]
    removed: pd.DataFrame
    normalized_lines: list[str] = field(default_factory=list)


@dataclass
class _Line:
    line_no: int
    text: str
    kind: str
    heading_level: int
    gap_before: int


def split_lines(text: str) -> list[str]:
    """Lines of ``text``; CRLF, lone CR and LF all end a line (and nothing else does)."""
    return re.split(r"\r\n|\r|\n", text)


def normalize_punctuation(line: str) -> str:
    """Make half-width , : ; ( ) ? ! full-width where they stand next to Chinese text.

    A mark between two ASCII letters or digits (``1,000``, ``10:30``) is left alone.
    """
    if not _CJK_CHAR.search(line) or not _HALF_MARK.search(line):
        return line
    chars = list(line)
    for match in _HALF_MARK.finditer(line):
        i, ch = match.start(), match.group()
        left = chars[i - 1] if i > 0 else ""
        right = chars[i + 1] if i + 1 < len(chars) else ""
        if left.isascii() and left.isalnum() and right.isascii() and right.isalnum():
            continue
        if _CJK_CONTEXT.match(left or " ") or _CJK_CONTEXT.match(right or " "):
            chars[i] = _HALF_TO_FULL[ch]
    return "".join(chars)


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    path = project_paths().lexicon_dir / "surnames.txt"
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.update(line.split())
    return frozenset(words)


def _is_name(token: str) -> bool:
    if not re.fullmatch(f"[{CJK}]{{2,4}}", token):
        return False
    surnames = _surnames()
    return token[0] in surnames or (len(token) >= 3 and token[:2] in surnames)


def is_byline(line: str) -> bool:
    """True for a standalone byline line: reporters, correspondents, photographers, names only."""
    line = line.strip()
    if not line or len(line) > _MAX_BYLINE_CHARS or re.search(r"[。！？，；：“”]", line):
        return False
    if _BYLINE_START.match(line):
        return True
    tokens = line.split()
    if _BYLINE_END.search(line) and len(tokens) >= 2 and all(_is_name(t) for t in tokens[:-1]):
        return True
    if tokens and _BYLINE_END.search(tokens[-1]):
        tokens[-1] = _BYLINE_END.sub("", tokens[-1]) or tokens[-1]
    return len(tokens) >= 2 and all(_is_name(t) and len(t) <= 3 for t in tokens)


def _classify(line: str) -> str:
    if _PLACEHOLDER.match(line):
        return "picture_placeholder"
    if _CAPTION.match(line):
        return "caption"
    if _CREDIT.search(line) and not _BYLINE_START.match(line):
        return "photo_credit"
    if _MARKER.match(line):
        return "marker"
    if is_byline(line):
        return "byline"
    return "text"


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END


def is_heading_like(text: str) -> bool:
    """Short and with no sentence-final punctuation anywhere: a headline, subhead or kicker."""
    return (
        len(text) <= _MAX_HEADING_CHARS
        and not re.search(f"[{SENTENCE_END}]", text)
        and (text[-1] not in _CONTINUING_END)
    )


def _word_crosses(left: str, right: str, segmenter: Segmenter) -> bool:
    """True when a dictionary word runs across the break (``来到老`` / ``旧小区`` → 老旧)."""
    if not (left and right and _CJK_CHAR.match(left[-1]) and _CJK_CHAR.match(right[0])):
        return False
    head, tail = left[-6:], right[:6]
    position = 0
    # Dictionary words only (no HMM guesses): the project's domain words (老旧小区 …) are what page
    # layout most often breaks in this genre.
    for token in segmenter.cut_words(head + tail):
        end = position + len(token)
        if position < len(head) < end:
            return True
        position = end
    return False


def _continues(first: str, second: str, segmenter: Segmenter) -> bool:
    """Whether text line ``second`` continues ``first`` (a break made by page layout)."""
    if _ends_sentence(first) or _LEAD.match(second) or is_heading_like(second):
        return False
    last = first[-1]
    if last in _CONTINUING_END or (last in "：:" and len(first) > 25):
        return True
    clause_marks = len(re.findall("[，；：“”]", first))
    if re.search(f"[{SENTENCE_END}]", first) or len(first) > 50 or (clause_marks >= 3 and len(first) > 30):
        return True
    return _word_crosses(first, second, segmenter)


def _file_lines(source: str, text: str) -> tuple[list[_Line], list[dict], list[str]]:
    lines: list[_Line] = []
    removed: list[dict] = []
    normalized: list[str] = []
    blanks = 0
    for line_no, raw in enumerate(split_lines(text), start=1):
        line = raw.strip()
        heading_level = 0
        mark = _MARKDOWN.match(line)
        if mark:
            heading_level = len(mark.group(1))
            removed.append(
                {"source": source, "line_no": line_no, "text": mark.group(1), "reason": "markdown_mark"}
            )
            line = line[mark.end() :].strip()
        line = normalize_punctuation(line)
        normalized.append(line)
        if not line:
            blanks += 1
            continue
        lines.append(_Line(line_no, line, _classify(line), heading_level, blanks))
        blanks = 0
    return lines, removed, normalized


def _split_inline_bylines(paragraph: Paragraph) -> list[Paragraph]:
    bracketed = _BRACKETED_BYLINE.match(paragraph.text) if paragraph.kind == "text" else None
    if bracketed:
        source, line = paragraph.source, [paragraph.first_line]
        byline = Paragraph(source, line, bracketed.group(2), "byline", inline=True)
        paragraph.text = bracketed.group(1) + " " + paragraph.text[bracketed.end() :].lstrip()
        return [paragraph, byline]
    match = _INLINE_BYLINE.search(paragraph.text)
    if paragraph.kind != "text" or not match or not is_byline(match.group(1)):
        return [paragraph]
    body = paragraph.text[: match.start()].rstrip()
    byline = Paragraph(
        paragraph.source, [paragraph.line_nos[-1]], match.group(1).strip(), "byline", inline=True
    )
    paragraph.text = body
    return [paragraph, byline]


def _join_lines(source: str, lines: list[_Line], segmenter: Segmenter) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    for line in lines:
        previous = paragraphs[-1] if paragraphs else None
        if (
            line.kind == "text"
            and previous is not None
            and previous.kind == "text"
            and line.heading_level == 0
            and _continues(previous.text, line.text, segmenter)
        ):
            previous.text += line.text
            previous.line_nos.append(line.line_no)
            continue
        # Lines of one byline block (no blank between) stay one byline: 记者 X / 高新时报 Y / 通讯员 Z.
        if (
            line.kind in ("byline", "text")
            and previous is not None
            and previous.kind == "byline"
            and line.gap_before == 0
            and len(line.text) <= 20
            and (line.kind == "byline" or len(line.text.split()) >= 2)
        ):
            previous.text += " " + line.text
            previous.line_nos.append(line.line_no)
            continue
        paragraphs.append(
            Paragraph(source, [line.line_no], line.text, line.kind, line.heading_level, line.gap_before)
        )
    result: list[Paragraph] = []
    for paragraph in paragraphs:
        result.extend(_split_inline_bylines(paragraph))
    for paragraph in result:
        paragraph.is_lead = paragraph.kind == "text" and bool(_LEAD.match(paragraph.text))
    return result


def _typical_gap(paragraphs: list[Paragraph]) -> int:
    gaps = [paragraph.gap_before for paragraph in paragraphs[1:]]
    return statistics.mode(gaps) if gaps else 1


def _headline_opens(items: list[Paragraph | _Line], index: int) -> bool:
    """True when the heading-like run starting at ``index`` leads into a lead paragraph or byline."""
    for item in items[index + 1 :]:
        if isinstance(item, _Line):
            return False
        if item.kind == "byline" or item.is_lead:
            return True
        if item.kind != "text" or not is_heading_like(item.text) or item.text.endswith(("：", ":")):
            return False
    return False


def _at_most_one_sentence(text: str) -> bool:
    sentences = len(_SENTENCE_ENDS.findall(text))
    return sentences == 0 or (sentences == 1 and _ends_sentence(text))


def _remove_captions(
    paragraphs: list[Paragraph], removed_lines: list[_Line]
) -> tuple[list[Paragraph], list[dict]]:
    """Take out short lines that stand among pictures or after a layout gap: captions the dump kept."""
    if not paragraphs:
        return paragraphs, []
    layout_gap = _typical_gap(paragraphs) + 1
    picture_lines = {line.line_no for line in removed_lines if line.kind != "markdown_mark"}
    items: list[Paragraph | _Line] = sorted(
        [*paragraphs, *removed_lines],
        key=lambda item: item.first_line if isinstance(item, Paragraph) else item.line_no,
    )
    kept: list[Paragraph] = []
    captions: list[dict] = []
    removed_since_kept = False
    for index, item in enumerate(items):
        if not isinstance(item, Paragraph):
            removed_since_kept = removed_since_kept or item.line_no in picture_lines
            continue
        previous = items[index - 1] if index > 0 else None
        following = items[index + 1] if index + 1 < len(items) else None
        beside_picture = any(
            isinstance(n, _Line) and n.line_no in picture_lines for n in (previous, following)
        )
        candidate = (
            item.kind == "text"
            and len(item.line_nos) == 1
            and len(item.text) <= _MAX_CAPTION_CHARS
            and _at_most_one_sentence(item.text)
            and not item.is_lead
            and not item.text.endswith(("：", ":"))
            and item.heading_level == 0
            and index > 0
            and (beside_picture or item.gap_before >= layout_gap)
            and not _headline_opens(items, index)
        )
        if candidate:
            captions.append(
                {"source": item.source, "line_no": item.first_line, "text": item.text, "reason": "caption"}
            )
            removed_since_kept = True
        else:
            item.after_removed = removed_since_kept and bool(kept)
            removed_since_kept = False
            kept.append(item)
    return kept, captions


def clean_text(source: str, text: str, segmenter: Segmenter | None = None) -> CleanedText:
    """Clean one decoded file.

    Args:
        source: file name, carried into every row.
        text: decoded file content.
        segmenter: whose dictionary tells whether a word runs across a line break (default
            :func:`govnews.text.segment.default_segmenter`).

    Returns:
        Paragraphs in page order and the ``removed`` table.
    """
    paragraphs, removed, normalized = clean_lines(source, text, segmenter)
    return CleanedText(source, paragraphs, removed_table(removed), normalized)


def removed_table(rows: list[dict]) -> pd.DataFrame:
    """The ``removed`` table of rows from :func:`clean_lines` (of one file or several in turn)."""
    return schema.from_rows(rows, "removed")


def clean_lines(
    source: str, text: str, segmenter: Segmenter | None = None
) -> tuple[list[Paragraph], list[dict], list[str]]:
    """:func:`clean_text` as plain rows: paragraphs, removed rows in line order, normalised lines.

    The build cleans many files and makes one ``removed`` table of them all (pandas costs per table).
    """
    if segmenter is None:
        from govnews.text.segment import default_segmenter

        segmenter = default_segmenter()
    lines, removed, normalized = _file_lines(source, text)
    non_text = [line for line in lines if line.kind not in ("text", "byline", "marker")]
    removed.extend(
        {"source": source, "line_no": line.line_no, "text": line.text, "reason": line.kind}
        for line in non_text
    )
    kept = [line for line in lines if line.kind in ("text", "byline", "marker")]
    paragraphs = _join_lines(source, kept, segmenter)
    paragraphs, captions = _remove_captions(paragraphs, non_text)
    removed.extend(captions)
    removed.sort(key=lambda row: row["line_no"])  # stable: rows of one line keep their order
    return paragraphs, removed, normalized
