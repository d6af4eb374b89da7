"""Decoded text → cleaned paragraphs, plus the lines removed and why.

Page dumps break what the printed page held together. This step

* normalises what dumps break: line endings, half-width ``, : ; ( ) ? !``
  between Chinese characters (made full-width), markdown marks (``#``, ``##``;
  kept as a heading hint and recorded as removed);
* takes out what is not article text — picture placeholders (``图一``),
  captions (``图一 …``, and short lines set apart by a layout gap among
  pictures), photo credits (``本版图片…提供``, ``X 供图``) — into the
  ``removed`` table with a reason;
* marks bylines (``记者 X 通讯员 Y``, ``□本报记者X``, ``刘地 边峰 闫彩彦``, ``闫彩彦 文/图``,
  ``(罗舒锐)``), including a byline printed at the end of a lead paragraph;
* marks date and source lines (``2023-05-12 10:32 来源：XX日报``, ``发布时间：…``, ``(来源:XX报)``),
  continuation markers (``【现场】``, ``(上接第2版)``) and separator lines (``-----``, ``***``), which
  the splitter reads as evidence of where articles start and end;
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
from typing import TYPE_CHECKING

import pandas as pd

from govnews import schema
from govnews.vocabulary import HAN, HAN_EXTENDED

if TYPE_CHECKING:
    from govnews.resources import Resources
    from govnews.text.segment import Segmenter

CJK = HAN_EXTENDED
_CJK_CHAR = re.compile(f"[{CJK}]")
_CJK_CONTEXT = re.compile(f"[{CJK}\u3000-\u303f\uff00-\uffef“”‘’…—]")
_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
_HALF_MARK = re.compile("[" + re.escape("".join(_HALF_TO_FULL)) + "]")
_HALF_RUN = re.compile("[" + re.escape("".join(_HALF_TO_FULL)) + "]+")
_FULL_WIDTH = str.maketrans(_HALF_TO_FULL)
_MARKDOWN = re.compile(r"^\s*(#{1,6})\s+")
_TITLE_LABEL = re.compile(r"^\s*((?:标题|题目)\s*[:：])\s*(?=\S)")

SENTENCE_END = "。！？!?…"
_SENTENCE_ENDS = re.compile(f"[{SENTENCE_END}]+")
# Compiled once: the module's rules run on every line of every page.
_SENTENCE_END_MARK = re.compile(f"[{SENTENCE_END}]")
_SENTENCE_PUNCTUATION = re.compile("[。！？，]")
_BYLINE_PUNCTUATION = re.compile(r"[。！？，；：“”]")
_CLAUSE_MARK = re.compile("[，；：“”]")
_LINE_END = re.compile(r"\r\n|\r|\n")
_NAME = re.compile(f"[{CJK}]{{2,4}}")
_CLOSERS = "”’」』）)"
# A line ending in one of these stops mid-sentence and continues below.
_CONTINUING_END = "，、；（(—"

_NUMERAL = "一二三四五六七八九十百0-9０-９"
_PLACEHOLDER = re.compile(rf"^[\[［【(（]?(?:图[{_NUMERAL}]{{1,3}}|图片|照片|组图)[\]］】)）]?$")
_CAPTION = re.compile(rf"^(?:图[{_NUMERAL}]{{1,3}}[\s:：、.．]+\S|图为\S)")
_CREDIT = re.compile(
    r"^本版图片|图片.{0,12}(?:提供|摄)$|(?<!文/)(?<!文／)供图[）)]?$|^(?:图|摄影)[/／:：]\s*\S{2,8}$"
)
# A photo caption that ends with its photographer: 图为…。 张伟 摄 / …现场。李冬梅摄
_CAPTION_CREDIT = re.compile(rf"[。！]\s*[{HAN}]{{2,4}}\s*摄$")
_MARKER = re.compile(
    r"^[【\[［][^】\]］]{1,10}[】\]］]$|^[（(](?:上接|下转|接上|转下|紧接)[^）)]{0,12}[）)]$"
)
_SEPARATOR = re.compile(r"^[-=*_~·—－＝＊＿～#]{3,}$")
# Date and source lines of scraped pages: 2023-05-12 10:32 来源：XX日报 / 发布时间：… / (来源:XX报)
_DATE_START = re.compile(r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?")
_FULL_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?")
# Page furniture: 第6版 区县·街镇 / 社区周刊 第2版; a running head around a date:
# 07 市县·基层 2023年6月8日 星期四.
_PAGE_LABEL = re.compile(r"第\s*[0-9０-９一二三四五六七八九十]+\s*版")
_RUNNING_HEAD_WORD = re.compile(rf"[{HAN}·]{{1,8}}")
_WEEKDAY = re.compile(r"星期[一二三四五六日天]|周[一二三四五六日]")
_MASTHEAD = re.compile(rf"^[{HAN}]{{2,8}}(?:日报|晚报|时报|早报|商报|都市报)$")
_MASTHEAD_LINES = 3  # a masthead stands among the first lines of a page
_FIELD_LABEL = re.compile(r"^(?:正文|内容|全文)\s*[:：]?$")
_SOURCE_FIELD = re.compile(
    r"^[（(]?(?:发布时间|发布日期|更新时间|时间|日期|来源|稿源|数据来源|信息来源|作者|编辑|责编|责任编辑|浏览|阅读|点击)"
    r"\s*[:：]"
)
# Simplified and Traditional forms (本报讯 / 本報訊, 记者 / 記者): reprinted pages come in either script.
_MEDIA = rf"[{HAN}A-Za-z·\-《》]{{1,16}}?(?:报|報|网|網|台|社|刊|端|在线|新闻|頻道|频道)"
_LEAD = re.compile(
    rf"^(?:本[报報刊网][讯訊]|本[报報]消息|本[报報刊网][{HAN}]{{0,6}}\d{{0,4}}年?\d{{0,2}}月?\d{{0,2}}日?[电電讯訊]"
    rf"|{_MEDIA}[{HAN}]{{0,4}}?(?:\d{{4}}年)?(?:\d{{1,2}}月\d{{1,2}}日)?(?:[讯訊]|[电電](?=[\s（(]))"
    rf"|(?:{_MEDIA})?[（(][^）)]{{0,40}}?(?:记者|記者|通讯员|通訊員)[^）)]{{0,40}}[）)]"
    r"|(?:《[^》]{1,10}》)?[（(]?[记記]者[^）)]{0,30}[报報]道[）)]?|新[华華]社)"
)

_ROLE = (
    r"(?:本[报報]|本刊)?(?:特[约約]|[见見][习習]|首席|[实實][习習])?"
    r"(?:[记記]者|通[讯訊][员員]|[实實][习習]生|[摄攝]影[记記]者|[摄攝]影|[编編][辑輯]|[责責]任[编編][辑輯])"
)
_BYLINE_START = re.compile(rf"^{_ROLE}\s*[{CJK}]")
# Printed before a byline (□本报记者 X, ■ 通讯员 Y) and around one (（罗舒锐）).
_BYLINE_MARK = re.compile(r"^[□■◇◆●○▲△★☆]\s*")
_BRACKETED = re.compile(r"^[（(]([^（）()]{2,40})[）)]$")
_ROLE_INSIDE = re.compile(rf"{_ROLE}\s*([{CJK}]{{2,4}})")
_BYLINE_END = re.compile(r"(?:文/图|文／图|图/文|图／文|摄|供图)$")
_NEWSPAPER_NAME = re.compile(rf"^[{HAN}]{{2,6}}(?:时报|日报|晚报|报社|电视台|融媒体中心)\s")
_TRAILING_BRACKETS = re.compile(r"(?<=[。！？”」』])\s*([（(][^（）()]{2,40}[）)])$")
_INLINE_BYLINE = re.compile(rf"(?<=[。！？”」』])\s*({_ROLE}\s*[{CJK}][^。！？，；：]{{1,40}})$")
_INLINE_BYLINE_CHARS = 8 + 1 + 40  # the longest role, a name's first character, the rest
_INLINE_TAIL_CHARS = 2 * _INLINE_BYLINE_CHARS
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
    kind: str  # text, byline, marker or dateline
    heading_level: int = 0  # 1 for '#', 2 for '##' in the dump; 0 when unmarked
    gap_before: int = 0  # blank lines before the first line
    inline: bool = False  # byline printed at the end of the previous paragraph's line
    is_lead: bool = False
    after_removed: bool = False  # pictures, captions or credits stand between it and the paragraph before
    after_separator: bool = False  # a separator line (-----, ***) stands right before it

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
    return _LINE_END.split(text)


def normalize_punctuation(line: str) -> str:
    """Make half-width , : ; ( ) ? ! full-width where they stand next to Chinese text.

    A mark between two ASCII letters or digits (``1,000``, ``10:30``) is left alone.
    """
    if not _CJK_CHAR.search(line) or not _HALF_MARK.search(line):
        return line
    return _HALF_RUN.sub(_full_width_run, line)


def _full_width_run(match: re.Match[str]) -> str:
    # Read left to right, a mark after Chinese text (or after a mark made full-width, which is Chinese text
    # then) becomes full-width, and so does one before Chinese text: a whole run of marks after Chinese
    # text, else only the last mark of a run before it. Chinese text is never ASCII, so a mark between ASCII
    # letters or digits stays.
    run, line = match.group(), match.string
    if match.start() and _CJK_CONTEXT.match(line, match.start() - 1):
        return run.translate(_FULL_WIDTH)
    if _CJK_CONTEXT.match(line, match.end()):
        return run[:-1] + _HALF_TO_FULL[run[-1]]
    return run


def _is_name(token: str, surnames: frozenset[str]) -> bool:
    if not _NAME.fullmatch(token):
        return False
    return token[0] in surnames or (len(token) >= 3 and token[:2] in surnames)


def is_byline(line: str, surnames: frozenset[str]) -> bool:
    """True for a standalone byline line: reporters, correspondents, photographers, names only.

    Args:
        line: one line of the page.
        surnames: Chinese family names (``lexicons/surnames.txt``): a byline of names only is told from
            a short headline by its names.
    """
    line = _BYLINE_MARK.sub("", line.strip())
    bracketed = _BRACKETED.match(line)
    if bracketed:
        line = bracketed.group(1).strip()
    if not line or len(line) > _MAX_BYLINE_CHARS or _BYLINE_PUNCTUATION.search(line):
        return False
    if _BYLINE_START.match(line):
        return True
    # A role inside the line (半岛记者陶琳通讯员管清敏, 海南日报全媒体记者 林博新) followed by a name.
    if any(
        _is_name(m.group(1)[:3], surnames) or _is_name(m.group(1)[:2], surnames)
        for m in _ROLE_INSIDE.finditer(line)
    ):
        return True
    tokens = line.split()
    if _BYLINE_END.search(line) and len(tokens) >= 2 and all(_is_name(t, surnames) for t in tokens[:-1]):
        return True
    if tokens and _BYLINE_END.search(tokens[-1]):
        tokens[-1] = _BYLINE_END.sub("", tokens[-1]) or tokens[-1]
    names_only = all(_is_name(t, surnames) and len(t) <= 3 for t in tokens)
    # One name alone is a byline only where the page marks it as one: （罗舒锐）, □张三.
    return (
        bool(tokens) and names_only and (len(tokens) >= 2 or bracketed is not None or line != line.lstrip())
    )


def is_dateline(line: str) -> bool:
    """True for a date or source line: ``2023-05-12 10:32 来源：XX日报``, ``发布时间：…``, ``(来源:XX报)``,
    or a page's running head around a date (``07 市县·基层 2023年6月8日 星期四``)."""
    if len(line) > 80 or _SENTENCE_PUNCTUATION.search(line.rstrip("）)")):
        return False
    if _DATE_START.match(line) or _SOURCE_FIELD.match(line):
        return True
    date = _FULL_DATE.search(line)
    if date is None:
        return False
    # Around the date only page numbers, short labels and the weekday: no sentence of any length.
    rest = _WEEKDAY.sub(" ", line[: date.start()] + " " + line[date.end() :])
    return all(len(word) <= 8 for word in _RUNNING_HEAD_WORD.findall(rest))


def _classify(line: str, surnames: frozenset[str]) -> str:
    if _PLACEHOLDER.match(line):
        return "picture_placeholder"
    if _FIELD_LABEL.match(line):
        return "field_label"
    if _MARKER.match(line):
        return "marker"
    if (
        _PAGE_LABEL.search(line)
        and len(line) <= 40
        and not _SENTENCE_PUNCTUATION.search(line)
        and not is_dateline(line)
    ):
        return "page_label"
    if _CAPTION.match(line) or (len(line) <= 80 and _CAPTION_CREDIT.search(line)):
        return "caption"
    # Every credit has a 图 or starts with 摄影: the unanchored pattern need not be tried on other lines.
    if ("图" in line or line.startswith("摄影")) and _CREDIT.search(line) and not _BYLINE_START.match(line):
        return "photo_credit"
    if _SEPARATOR.match(line):
        return "separator"
    if is_dateline(line):
        return "dateline"
    if is_byline(line, surnames):
        return "byline"
    return "text"


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END


def is_heading_like(text: str) -> bool:
    """Short and with no sentence-final punctuation anywhere: a headline, subhead or kicker.

    A line ending in a dash pair is a kicker (观山湖区世纪城街道——), not a sentence broken off.
    """
    return (
        len(text) <= _MAX_HEADING_CHARS
        and not _SENTENCE_END_MARK.search(text)
        and (text[-1] not in _CONTINUING_END or text.endswith("——"))
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
    clause_marks = len(_CLAUSE_MARK.findall(first))
    if _SENTENCE_END_MARK.search(first) or len(first) > 50 or (clause_marks >= 3 and len(first) > 30):
        return True
    return _word_crosses(first, second, segmenter)


def _file_lines(
    source: str, text: str, surnames: frozenset[str]
) -> tuple[list[_Line], list[dict], list[str]]:
    lines: list[_Line] = []
    removed: list[dict] = []
    normalized: list[str] = []
    blanks = 0
    for line_no, raw in enumerate(split_lines(text), start=1):
        line = raw.strip()
        heading_level = 0
        mark = _MARKDOWN.match(line) or _TITLE_LABEL.match(line)
        if mark:
            # '# 标题' and '标题：…' mark a headline; the mark itself is recorded as removed.
            heading_level = len(mark.group(1)) if mark.group(1).startswith("#") else 1
            reason = "markdown_mark" if heading_level and mark.group(1).startswith("#") else "title_label"
            removed.append({"source": source, "line_no": line_no, "text": mark.group(1), "reason": reason})
            line = line[mark.end() :].strip()
        line = normalize_punctuation(line)
        normalized.append(line)
        if not line:
            blanks += 1
            continue
        kind = _classify(line, surnames) if not heading_level else "text"
        if kind == "text" and len(lines) < _MASTHEAD_LINES and _MASTHEAD.match(line):
            kind = "masthead"
        lines.append(_Line(line_no, line, kind, heading_level, blanks))
        blanks = 0
    return lines, removed, normalized


def _split_inline_bylines(paragraph: Paragraph, surnames: frozenset[str]) -> list[Paragraph]:
    if paragraph.kind != "text":
        return [paragraph]
    bracketed = _BRACKETED_BYLINE.match(paragraph.text)
    if bracketed:
        source, line = paragraph.source, [paragraph.first_line]
        byline = Paragraph(source, line, bracketed.group(2), "byline", inline=True)
        paragraph.text = bracketed.group(1) + " " + paragraph.text[bracketed.end() :].lstrip()
        return [paragraph, byline]
    # The byline or source printed at the end of the last paragraph: …。（陈丽丽） / …。(来源:XX报 作者:X)
    trailing = _trailing_brackets(paragraph.text)
    match = _inline_byline(paragraph.text)
    if trailing and is_byline(trailing.group(1), surnames):
        kind, match = "byline", trailing
    elif trailing and is_dateline(trailing.group(1)):
        kind, match = "dateline", trailing
    elif match and is_byline(match.group(1), surnames):
        kind = "byline"
    else:
        return [paragraph]
    body = paragraph.text[: match.start()].rstrip()
    tail = Paragraph(paragraph.source, [paragraph.line_nos[-1]], match.group(1).strip(), kind, inline=True)
    paragraph.text = body
    return [paragraph, tail]


def _trailing_brackets(text: str) -> re.Match[str] | None:
    # Only a text that ends with a closing bracket (or one and a newline, as $ reads) can match.
    if not text.endswith(("）", ")", "）\n", ")\n")):
        return None
    return _TRAILING_BRACKETS.search(text)


def _inline_byline(text: str) -> re.Match[str] | None:
    """``_INLINE_BYLINE.search(text)``, read in the tail of a long paragraph only."""
    start = len(text) - _INLINE_TAIL_CHARS
    # A match ends the text and holds at most _INLINE_BYLINE_CHARS characters that are no blanks: where the
    # tail holds more, a match starts inside it (the lookbehind still sees the character before).
    if start > 0 and len("".join(text[start:].split())) > _INLINE_BYLINE_CHARS:
        return _INLINE_BYLINE.search(text, start)
    return _INLINE_BYLINE.search(text)


def _ends_with_byline(text: str, surnames: frozenset[str]) -> bool:
    """A paragraph that ends with its byline (…抓好落实。记者 张三) is complete: nothing continues it."""
    match = _inline_byline(text) or _trailing_brackets(text)
    return match is not None and is_byline(match.group(1), surnames)


def _join_lines(
    source: str, lines: list[_Line], segmenter: Segmenter, surnames: frozenset[str]
) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    for line in lines:
        previous = paragraphs[-1] if paragraphs else None
        if (
            line.kind == "text"
            and previous is not None
            and previous.kind == "text"
            and line.heading_level == 0
            and not _ends_with_byline(previous.text, surnames)
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
        result.extend(_split_inline_bylines(paragraph, surnames))
    for paragraph in result:
        paragraph.is_lead = paragraph.kind == "text" and bool(_LEAD.match(paragraph.text))
    return result


def _typical_gap(paragraphs: list[Paragraph]) -> int:
    # A byline split off the end of a paragraph has no gap of its own: it says nothing of the layout.
    gaps = [paragraph.gap_before for paragraph in paragraphs[1:] if not paragraph.inline]
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
    # Pictures and their credits, not captions: a headline may follow a caption the page printed.
    picture_lines = {
        line.line_no for line in removed_lines if line.kind in ("picture_placeholder", "photo_credit")
    }
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
    kept, between = _captions_under_headlines(kept)
    return kept, sorted(captions + between, key=lambda row: row["line_no"])


def _is_short_line(paragraph: Paragraph) -> bool:
    return (
        paragraph.kind == "text"
        and not paragraph.is_lead
        and paragraph.heading_level == 0
        and len(paragraph.line_nos) == 1
        and len(paragraph.text) <= _MAX_CAPTION_CHARS
        and _at_most_one_sentence(paragraph.text)
    )


def _captions_under_headlines(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], list[dict]]:
    """Photo captions printed between a headline and its lead, as pages print them.

    A run of three or more short lines right before a lead that starts with a headline-like line and
    holds a sentence after it is a headline followed by captions: a kicker, title and subtitle have no
    sentence among them.
    """
    removed: set[int] = set()
    for index, paragraph in enumerate(paragraphs):
        if not paragraph.is_lead:
            continue
        start = index
        while start > 0 and _is_short_line(paragraphs[start - 1]):
            start -= 1
        run = paragraphs[start:index]
        if (
            len(run) < 3
            or not is_heading_like(run[0].text)
            or not any(_ends_sentence(p.text) for p in run[1:])
        ):
            continue
        headline_lines = 2 if run[0].text.endswith(("：", ":", "——")) else 1
        removed.update(id(p) for p in run[headline_lines:])
    captions = [
        {"source": p.source, "line_no": p.first_line, "text": p.text, "reason": "caption"}
        for p in paragraphs
        if id(p) in removed
    ]
    return [p for p in paragraphs if id(p) not in removed], captions


def clean_text(source: str, text: str, resources: Resources) -> CleanedText:
    """Clean one decoded file.

    Args:
        source: file name, carried into every row.
        text: decoded file content.
        resources: the segmenter (whose dictionary tells whether a word runs across a line break) and
            the surnames (which tell a byline of names from a short headline).

    Returns:
        Paragraphs in page order and the ``removed`` table.
    """
    paragraphs, removed, normalized = clean_lines(source, text, resources)
    return CleanedText(source, paragraphs, removed_table(removed), normalized)


def removed_table(rows: list[dict]) -> pd.DataFrame:
    """The ``removed`` table of rows from :func:`clean_lines` (of one file or several in turn)."""
    return schema.from_rows(rows, "removed")


_KEPT_KINDS = ("text", "byline", "marker", "dateline")


def clean_lines(
    source: str, text: str, resources: Resources
) -> tuple[list[Paragraph], list[dict], list[str]]:
    """:func:`clean_text` as plain rows: paragraphs, removed rows in line order, normalised lines.

    The build cleans many files and makes one ``removed`` table of them all (pandas costs per table).
    """
    lines, removed, normalized = _file_lines(source, text, resources.surnames)
    non_text = [line for line in lines if line.kind not in _KEPT_KINDS]
    removed.extend(
        {"source": source, "line_no": line.line_no, "text": line.text, "reason": line.kind}
        for line in non_text
    )
    kept = [line for line in lines if line.kind in _KEPT_KINDS]
    paragraphs = _join_lines(source, kept, resources.segmenter, resources.surnames)
    separators = {line.line_no for line in non_text if line.kind == "separator"}
    paragraphs, captions = _remove_captions(
        paragraphs, [line for line in non_text if line.kind != "separator"]
    )
    for paragraph in paragraphs:
        paragraph.after_separator = paragraph.first_line - 1 - paragraph.gap_before in separators
    removed.extend(captions)
    removed.sort(key=lambda row: row["line_no"])  # stable: rows of one line keep their order
    return paragraphs, removed, normalized
