"""Cleaning rules, one behaviour per test, on tiny hand-made pages."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govnews.config import project_paths
from govnews.ingest.clean import (
    _CREDIT,
    _INLINE_BYLINE,
    _INLINE_BYLINE_CHARS,
    _ROLE,
    _TRAILING_BRACKETS,
    _inline_byline,
    _trailing_brackets,
    clean_text,
    is_byline,
    is_dateline,
    normalize_punctuation,
)
from govnews.resources import load_resources
from govnews.text.segment import make_tokenizer

RESOURCES = load_resources(project_paths())


def _clean(page: str, resources=RESOURCES):
    return clean_text("p.txt", page, resources)


def _texts(page: str) -> list[tuple[str, str]]:
    return [(p.kind, p.text) for p in _clean(page).paragraphs]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("沟赵办事处锐意进取,开拓创新", "沟赵办事处锐意进取，开拓创新"),
        ("王新亭强调:一是", "王新亭强调：一是"),
        ("老旧小区改造(石佛家属院)、示范路段", "老旧小区改造（石佛家属院）、示范路段"),
        ("总额1,000万元,其中", "总额1,000万元，其中"),  # digits on both sides: a thousands separator
        ("时间10:30开始", "时间10:30开始"),
        ("plain ascii, untouched", "plain ascii, untouched"),
    ],
)
def test_half_width_punctuation_next_to_chinese_becomes_full_width(line: str, expected: str) -> None:
    assert normalize_punctuation(line) == expected


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "坚持以人民为中心的发展思想和人民至",
            "上、群众至上的理念，实现从群众信访到主要负责人主动约谈的转变。",
        ),
        ("目前园区共有企业10696家分属21个产业链。其中河南省“科", "技小巨人”企业29家。"),
        ("采取错时、轮班、设立综合服务岗、", "上门服务、帮办代办等方式，确保每项工作不断档。"),
        ("观摩组一行先后来到老", "旧小区改造（石佛家属院）、示范路段（金菊街），实地察看了推进情况。"),
    ],
)
def test_lines_broken_by_layout_are_rejoined_across_blank_lines(first: str, second: str) -> None:
    assert _texts(f"{first}\n\n\n\n{second}\n") == [("text", first + second)]


@pytest.mark.parametrize(
    "heading",
    ["走发展之路，加强社会治理，提升群众幸福感", "深学彻悟 筑牢思想根基", "强化组织领导，完善制度"],
)
def test_a_heading_is_not_joined_to_the_body_below(heading: str) -> None:
    body = "沟赵办事处从满足群众切身利益、更好服务群众需求出发，加强社会治理模式创新。"
    assert _texts(f"{heading}\n\n{body}\n") == [("text", heading), ("text", body)]


def test_a_finished_sentence_is_not_joined() -> None:
    page = "第一段讲完了。\n\n第二段，也讲完了。\n"
    assert len(_texts(page)) == 2


@pytest.mark.parametrize(
    "line",
    [
        "记者 孙庆辉 通讯员 王静然",
        "本报记者 刘地 通讯员 贾霖",
        "刘地 边峰 闫彩彦",
        "闫彩彦 文/图",
        "记者 马燕 通讯员 李盼 文/图",
        "□本报记者戴晓涵",  # a mark before the byline
        "■ 海南日报全媒体记者 林博新 通讯员 莫华慧",  # the paper's name before the role
        "半岛记者陶琳通讯员管清敏",  # roles and names run together
        "（罗舒锐）",  # one name, but bracketed alone on its line
    ],
)
def test_bylines_are_recognised(line: str) -> None:
    assert is_byline(line, RESOURCES.surnames)


@pytest.mark.parametrize(
    "line",
    [
        "党旗如帜 风帆劲 务实笃行 谋新篇",
        "郑东新区 召开防汛会商会议",
        "深学彻悟 筑牢思想根基",
        "记者发现，这里的道路已经修好。",
    ],
)
def test_headlines_and_sentences_are_not_bylines(line: str) -> None:
    assert not is_byline(line, RESOURCES.surnames)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2023-05-12 10:32 来源：杭州日报", True),
        ("发布时间：2019-06-15 12:03:01 来源:鄞州日报", True),
        ("（来源：珠海特区报）", True),
        ("2024年07月08日 星期一", True),
        ("2023年是全面贯彻党的二十大精神开局之年。", False),
        ("来源广泛的志愿者队伍不断壮大", False),
    ],
)
def test_date_and_source_lines_are_recognised(line: str, expected: bool) -> None:
    assert is_dateline(line) is expected


@pytest.mark.parametrize(
    ("page", "kinds"),
    [
        ("正文一句。\n\n（上接第2版）\n\n续文一句。\n", ["text", "marker", "text"]),
        ("正文一句。\n\n2023-05-12 来源：杭州日报\n", ["text", "dateline"]),
        ("正文一句。\n\n-----\n\n续文一句。\n", ["text", "text"]),
    ],
)
def test_markers_date_lines_and_separators_are_told_from_text(page: str, kinds: list[str]) -> None:
    cleaned = _clean(page)
    assert [p.kind for p in cleaned.paragraphs] == kinds
    assert cleaned.paragraphs[-1].after_separator is ("-----" in page)
    assert cleaned.removed["reason"].tolist() == (["separator"] if "-----" in page else [])


@pytest.mark.parametrize(
    "lead",
    [
        "本报讯 近日，街道召开会议。",
        "本报杭州8月30日讯（通讯员 沈志清）8月30日清晨，街道开启新的一天。",
        "东南网12月18日讯（本网记者 李霖）12月18日，大赛举行。",
        "随州日报讯（通讯员晨光）过去脏乱不堪的空地变了样。",
        "浙江在线-兰溪新闻网（记者 冯亦柔） 6月14日上午，现场会召开。",
        "《祖国》记者程东建 谢源报道 在新闻发布会上，记者了解到。",
        "（记者 赵雅静 通讯员 唐英）为迎接复检，街道发动干部。",
    ],
)
def test_leads_of_many_papers_are_recognised(lead: str) -> None:
    assert _clean(lead).paragraphs[0].is_lead


@pytest.mark.parametrize("line", ["通讯员队伍不断壮大，服务更加贴心。", "国网供电公司上门服务。"])
def test_sentences_holding_xun_or_dian_are_no_leads(line: str) -> None:
    assert not _clean(line).paragraphs[0].is_lead


@pytest.mark.parametrize(
    ("page", "tail_kind"),
    [
        ("村规民约落到实处。（陈丽丽）\n", "byline"),
        ("活动覆盖800多人次。（来源：广西日报 作者：庞昂）\n", "dateline"),
    ],
)
def test_a_byline_or_source_in_brackets_at_the_end_of_a_paragraph_is_split_off(
    page: str, tail_kind: str
) -> None:
    body, tail = _clean(page).paragraphs
    assert (tail.kind, tail.inline) == (tail_kind, True) and body.text.endswith("。")


def test_a_paragraph_ending_with_its_byline_is_not_joined_with_the_next() -> None:
    page = "本报讯 枫杨办事处召开推进会。记者 李四\n\n会议还对项目建设作出安排。\n"
    assert [p.kind for p in _clean(page).paragraphs] == ["text", "byline", "text"]


def test_a_labelled_headline_is_a_marked_headline() -> None:
    cleaned = _clean("标题：西溪推进网格化\n\n正文一句。\n")
    assert [(p.text, p.heading_level) for p in cleaned.paragraphs] == [
        ("西溪推进网格化", 1),
        ("正文一句。", 0),
    ]
    assert cleaned.removed["reason"].tolist() == ["title_label"]


def test_a_headline_after_a_caption_is_not_taken_for_a_caption() -> None:
    page = "正文一句。\n\n图为义务体检服务场景。李冬梅摄\n\n绣花功夫绣出新面貌\n\n正文第二段，接着写。\n"
    cleaned = _clean(page)
    assert "绣花功夫绣出新面貌" in [p.text for p in cleaned.paragraphs]
    assert cleaned.removed["reason"].tolist() == ["caption"]


def test_byline_block_over_several_lines_is_one_byline() -> None:
    page = "正文一句。\n\n记者 孙庆辉\n高新时报 方宝岭\n通讯员 边峰\n"
    assert _texts(page) == [("text", "正文一句。"), ("byline", "记者 孙庆辉 高新时报 方宝岭 通讯员 边峰")]


def test_byline_at_the_end_of_a_lead_is_split_off_and_marked_inline() -> None:
    cleaned = _clean("本报讯 高新区日前组织开展周观摩。记者 孙庆辉\n")
    lead, byline = cleaned.paragraphs
    assert (lead.text, lead.is_lead) == ("本报讯 高新区日前组织开展周观摩。", True)
    assert (byline.kind, byline.text, byline.inline) == ("byline", "记者 孙庆辉", True)


def test_pictures_captions_and_credits_are_removed_with_reasons() -> None:
    page = (
        "正文一句。\n\n\n\n图一\n\n图一 端午节当天，锦华苑小区邀请医疗专家义诊。\n\n\n\n"
        "6月29日，办事处开展企业家接待日活动。\n\n\n\n图二\n\n本版图片除署名外均由办事处提供\n\n"
        "高新区枫杨办事处 供图\n"
    )
    cleaned = _clean(page)
    assert [p.text for p in cleaned.paragraphs] == ["正文一句。"]
    assert cleaned.removed["reason"].tolist() == [
        "picture_placeholder",
        "caption",
        "caption",
        "picture_placeholder",
        "photo_credit",
        "photo_credit",
    ]


def test_short_line_after_a_layout_gap_is_a_caption_unless_it_opens_an_article() -> None:
    page = (
        "正文第一段。\n\n正文第二段。\n\n\n\n经开区滨河国际新城\n\n正文第三段，继续。\n\n\n\n"
        "高新区召开工作会\n\n本报讯 近日，高新区召开工作会。\n"
    )
    cleaned = _clean(page)
    assert cleaned.removed["text"].tolist() == ["经开区滨河国际新城"]
    assert "高新区召开工作会" in [p.text for p in cleaned.paragraphs]


def test_markdown_marks_are_removed_and_kept_as_heading_level() -> None:
    cleaned = _clean("# 大标题\n\n## 小标题\n\n正文。\n")
    assert [(p.text, p.heading_level) for p in cleaned.paragraphs] == [
        ("大标题", 1),
        ("小标题", 2),
        ("正文。", 0),
    ]
    assert cleaned.removed[["text", "reason"]].values.tolist() == [
        ["#", "markdown_mark"],
        ["##", "markdown_mark"],
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_every_line_ending_splits_lines(newline: str) -> None:
    page = newline.join(["第一句。", "", "第二句。"])
    assert [p.line_nos for p in _clean(page).paragraphs] == [[1], [3]]


def test_every_non_blank_character_is_kept_or_removed() -> None:
    page = "# 标题\n\n本报讯 正文,一句。记者 张三\n\n图一\n\n图一 说明文字。\n\n刘地 边峰\n"
    cleaned = _clean(page)
    kept = "".join(p.text for p in cleaned.paragraphs) + "".join(cleaned.removed["text"])
    normalized = "".join(cleaned.normalized_lines) + "#"

    def chars(s: str) -> list[str]:
        return sorted(re.sub(r"\s", "", s))

    assert chars(kept) == chars(normalized)


def test_bracketed_byline_after_the_dateline_goes_to_the_byline() -> None:
    lead, byline = _clean("本报讯（记者 王明 通讯员 李华）今年以来，街道推出新举措。\n").paragraphs
    assert (lead.text, lead.is_lead) == ("本报讯 今年以来，街道推出新举措。", True)
    assert (byline.kind, byline.text, byline.inline) == ("byline", "（记者 王明 通讯员 李华）", True)


def test_a_picture_description_starting_with_tu_wei_is_a_caption() -> None:
    cleaned = _clean("正文一句。\n\n图为改造后的小区一角。 张伟 摄\n")
    assert cleaned.removed["reason"].tolist() == ["caption"]


def test_line_rejoins_use_the_given_dictionary() -> None:
    # 垚鑫 is a word only in the second dictionary: only there does it run across the break.
    page = "观摩组一行先后来到垚\n\n鑫社区察看了推进情况。\n"
    assert len(_clean(page).paragraphs) == 2
    joined = _clean(page, replace(RESOURCES, segmenter=make_tokenizer([("垚鑫", 100_000, "n")]))).paragraphs
    assert [p.text for p in joined] == ["观摩组一行先后来到垚鑫社区察看了推进情况。"]


def test_page_furniture_is_removed_with_its_reason() -> None:
    page = "西安日报\n第6版 区县·街镇\n\n西溪召开工作会\n\n正文：\n\n正文一句。\n"
    cleaned = _clean(page)
    assert [p.text for p in cleaned.paragraphs] == ["西溪召开工作会", "正文一句。"]
    assert cleaned.removed["reason"].tolist() == ["masthead", "page_label", "field_label"]


def test_a_masthead_is_only_one_at_the_top_of_the_page() -> None:
    page = "正文一句。\n\n正文二句。\n\n正文三句。\n\n杭州日报\n"
    assert [p.kind for p in _clean(page).paragraphs] == ["text"] * 4


@pytest.mark.parametrize(
    ("line", "expected"),
    [("07　市县·基层　　2023年6月8日　星期四", True), ("2023年6月8日，街道召开了全体干部会议", False)],
)
def test_a_running_head_around_a_date_is_a_date_line(line: str, expected: bool) -> None:
    assert is_dateline(line) is expected


_LINE_PIECES = [
    "图",
    "图片",
    "供图",
    "摄影",
    "摄",
    "提供",
    "本版",
    "文/",
    "：",
    "/",
    "（",
    "）",
    ")",
    "\n",
    " ",
    "张三",
    "。",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_LINE_PIECES)))
def test_only_lines_with_a_picture_word_are_tried_as_credits(pieces: list[str]) -> None:
    line = "".join(pieces)
    if _CREDIT.search(line):
        assert "图" in line or line.startswith("摄影")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_LINE_PIECES)))
def test_trailing_brackets_are_looked_for_only_before_a_closing_bracket(pieces: list[str]) -> None:
    text = "".join(pieces)
    expected = _TRAILING_BRACKETS.search(text)
    found = _trailing_brackets(text)
    assert (found and found.span()) == (expected and expected.span())


def _normalize_mark_by_mark(line: str) -> str:
    """The plain reading of normalize_punctuation: each half-width mark in turn, by its two neighbours."""
    half_to_full = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
    chinese = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’…—]")
    if not re.search("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]", line):
        return line
    chars = list(line)
    for i, ch in enumerate(line):
        if ch not in half_to_full:
            continue
        left = chars[i - 1] if i > 0 else ""
        right = chars[i + 1] if i + 1 < len(chars) else ""
        if left.isascii() and left.isalnum() and right.isascii() and right.isalnum():
            continue
        if chinese.match(left or " ") or chinese.match(right or " "):
            chars[i] = half_to_full[ch]
    return "".join(chars)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([",", ":", ";", "(", ")", "?", "!", "中", "1", "a", " ", "，", "“", "。"])))
def test_punctuation_is_normalised_as_mark_by_mark(pieces: list[str]) -> None:
    line = "".join(pieces)
    assert normalize_punctuation(line) == _normalize_mark_by_mark(line)


def test_the_longest_inline_byline_is_counted_right() -> None:
    role_width = re._parser.parse(_ROLE).getwidth()[1]  # the pattern's own longest match
    assert role_width + 1 + 40 <= _INLINE_BYLINE_CHARS


_BYLINE_PIECES = [
    "。",
    "”",
    "记者",
    "本报见习摄影记者",
    "通讯员",
    "张三",
    " ",
    "\n",
    " " * 60,
    "，",
    "推进工作" * 10,
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_BYLINE_PIECES)))
def test_an_inline_byline_is_found_in_the_tail_as_in_the_whole(pieces: list[str]) -> None:
    text = "".join(pieces)
    expected = _INLINE_BYLINE.search(text)
    found = _inline_byline(text)
    assert (found and found.span()) == (expected and expected.span())
