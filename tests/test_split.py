"""Article splitting on tiny hand-made pages: one rule per test, each page built so that the rule decides it.

Offices are from the national register (a few are homonyms); the texts are written for these tests.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govnews.ingest.clean import clean_text
from govnews.ingest.split import _opening, split_articles

BODY_A = "西溪街道坚持党建引领，推进重点项目建设，辖区面貌焕然一新。"
BODY_B = "东柳街道扎实推进网格化基层治理，群众满意度显著提高。"
LONG_C = "滨河新城交通通达、景观水绿、配套齐全，居民幸福指数节节攀升，学校医院商场一应俱全。" * 8


def _split(page: str, resources):
    return split_articles("p.txt", clean_text("p.txt", page, resources).paragraphs, resources)


def _titles(articles) -> list[str]:
    return [a.title_parts()[1] for a in articles]


def test_headline_with_lead_opens_an_article_and_byline_closes_it(resources) -> None:
    page = (
        f"西溪召开工作会\n\n本报讯 {BODY_A}\n\n记者 张三\n\n东柳召开工作会\n\n本报讯 {BODY_B}\n\n记者 李四\n"
    )
    articles = _split(page, resources)
    assert _titles(articles) == ["西溪召开工作会", "东柳召开工作会"]
    assert [[b.text for b in a.bylines] for a in articles] == [["记者 张三"], ["记者 李四"]]
    assert [a.boundary_evidence for a in articles] == [
        "headline at the top of the page",
        "headline over a lead",
    ]


@pytest.mark.parametrize(
    "lead",
    [
        "本报讯 ",
        "东南网12月18日讯（本网记者 李霖）",
        "大众网淄博5月20日讯（记者 孙奉娟）",
        "（记者 赵雅静 通讯员 唐英）",
    ],
)
def test_a_lead_starts_an_article_without_a_headline(lead: str, resources) -> None:
    page = f"西溪召开工作会\n\n{BODY_A}\n\n{lead}{BODY_A}\n"
    articles = _split(page, resources)
    assert [a.boundary_evidence for a in articles] == ["headline at the top of the page", "lead"]


def test_kicker_headline_and_subtitle_are_told_apart(resources) -> None:
    page = f"一头连着创业企业 一头对接大学资源\n\n西溪举办对接会\n\n三家企业、三名教授“喜结良缘”\n\n本报讯 {BODY_A}\n"
    (article,) = _split(page, resources)
    assert article.title_parts() == (
        "一头连着创业企业 一头对接大学资源",
        "西溪举办对接会",
        "三家企业、三名教授“喜结良缘”",
    )


def test_subheads_stay_in_their_article(resources) -> None:
    page = f"西溪奋力书写新篇章\n\n本报讯 {BODY_A}\n\n强化组织领导，完善制度\n\n{BODY_A}\n\n记者 张三\n"
    (article,) = _split(page, resources)
    assert "强化组织领导，完善制度" in article.body_text


def test_a_headline_naming_another_office_opens_an_article_without_a_lead(resources) -> None:
    page = f"西溪召开工作会\n\n{BODY_A}\n\n东柳街道推进网格治理\n\n{BODY_B}\n"
    articles = _split(page, resources)
    assert [a.boundary_evidence for a in articles] == [
        "headline at the top of the page",
        "headline names 东柳",
    ]


def test_a_headline_over_a_paragraph_about_another_district_opens_an_article(resources) -> None:
    page = f"西溪召开工作会\n\n{BODY_A}\n\n探索基层治理新路径\n\n10月9日，兴国县城区网格收到一面锦旗。\n"
    second = _split(page, resources)[1]
    assert second.boundary_evidence == "headline over a paragraph about 兴国县"


def test_a_long_section_under_a_headline_that_never_names_the_office_opens_an_article(resources) -> None:
    page = f"西溪奋力书写新篇章\n\n本报讯 {BODY_A}{BODY_A}\n\n滨河新城 城市新中心\n\n{LONG_C}\n"
    _, second = _split(page, resources)
    assert second.title_parts()[1] == "滨河新城 城市新中心"
    assert LONG_C in second.body_text


def test_a_paragraph_opening_with_another_placed_office_starts_a_headless_article(resources) -> None:
    page = f"西溪召开工作会\n\n{BODY_A}\n\n今年以来，鄞州区东柳街道把老旧小区改造作为重点。{BODY_B}\n"
    _, second = _split(page, resources)
    assert second.boundary_evidence == "paragraph opens with 东柳" and not second.headline


def test_a_bare_office_within_a_story_does_not_start_one(resources) -> None:
    # Within a story an office is named bare; a new story places it (鄞州区东柳街道).
    page = f"西溪召开工作会\n\n{BODY_A}\n\n东柳街道社区网格长分管两个小区，开展走访。\n"
    assert len(_split(page, resources)) == 1


def test_section_after_the_byline_about_the_same_office_continues_the_article(resources) -> None:
    page = f"西溪奋力书写新篇章\n\n本报讯 {BODY_A}\n\n记者 张三\n\n走发展之路，提升幸福感\n\n{BODY_A}\n"
    (article,) = _split(page, resources)
    assert article.body_text.count(BODY_A) == 2


def test_section_after_the_byline_about_another_office_is_a_headless_article(resources) -> None:
    page = f"西溪奋力书写新篇章\n\n本报讯 {BODY_A}\n\n记者 张三\n\n{BODY_B}\n\n{BODY_B}\n"
    first, second = _split(page, resources)
    assert second.title_parts() == ("", "", "")
    assert second.boundary_evidence == "paragraph after a byline about 东柳"
    assert BODY_B not in first.body_text


def test_a_long_section_after_a_byline_that_never_names_the_articles_places_is_new(resources) -> None:
    page = f"西溪奋力书写新篇章\n\n本报讯 {BODY_A}\n\n记者 张三\n\n{LONG_C}\n"
    assert _split(page, resources)[1].boundary_evidence.startswith("long section after a byline")


def test_a_section_after_a_byline_goes_to_the_story_that_names_its_community(resources) -> None:
    page = (
        f"西溪召开工作会\n\n本报讯 西溪街道塔湾社区开展整治。{BODY_A}\n\n"
        f"东柳召开工作会\n\n本报讯 {BODY_B}\n\n记者 李四\n\n截至目前，塔湾社区已累计清除小广告600余条。\n"
    )
    first, second = _split(page, resources)
    assert "小广告" in first.body_text and "小广告" not in second.body_text


def test_a_subhead_naming_what_only_an_earlier_story_names_continues_that_story(resources) -> None:
    page = (
        f"西溪召开工作会\n\n本报讯 西溪街道塔湾社区开展整治。{BODY_A}\n\n"
        f"东柳召开工作会\n\n本报讯 {BODY_B}\n\n众人齐用力，整治见成效\n\n截至目前，塔湾社区已累计清除小广告600余条。\n"
    )
    first, second = _split(page, resources)
    assert "众人齐用力" in first.body_text and "众人齐用力" not in second.body_text


@pytest.mark.parametrize("marker", ["【现场】", "（上接第2版）"])
def test_marked_continuation_joins_the_article_it_shares_vocabulary_with(marker: str, resources) -> None:
    page = (
        "西溪与浙江大学举办对接会\n\n本报讯 浙江大学三名教授与西溪企业签约，浙江大学科研平台丰富。记者 张三\n\n"
        "东柳召开双改推进会\n\n本报讯 东柳街道召开推进会，部署老旧小区改造。记者 张三\n\n"
        f"{marker}\n\n浙江大学与西溪三个项目签约，浙江大学教授到场。\n"
    )
    university, renovation = _split(page, resources)
    assert marker in university.body_text and marker not in renovation.body_text


def test_headline_printed_after_its_story_goes_to_the_headless_article_of_its_office(resources) -> None:
    page = (
        f"西溪奋力书写新篇章\n\n本报讯 {BODY_A}\n\n记者 张三\n\n{BODY_B}\n\n{BODY_B}\n\n"
        "鄞州区东柳街道：\n\n在新征程上奋力实现高质量发展\n\n本报记者 王五\n"
    )
    _, headless = _split(page, resources)
    assert headless.title_parts() == ("鄞州区东柳街道：", "在新征程上奋力实现高质量发展", "")
    assert [b.text for b in headless.bylines] == ["本报记者 王五"]


def test_a_headline_and_byline_sharing_more_with_the_story_before_are_its_late_headline(resources) -> None:
    story = "卫滨区解放路街道无主庭院长期无人管护，无主庭院共有38个，街道逐一破解无主庭院难题。"
    page = (
        f"西溪召开工作会\n\n本报讯 {BODY_A}\n\n{story}\n\n无主庭院不再没人管\n\n□本报记者戴晓涵\n\n"
        "为营造干净整洁的环境，6月29日上午，桃城区中华大街街道组织干部开展志愿服务活动。\n"
    )
    _, late, new = _split(page, resources)
    assert late.title_parts()[1] == "无主庭院不再没人管" and story in late.body_text
    assert new.boundary_evidence == "paragraph after a byline about 中华大街"


@pytest.mark.parametrize(
    ("separator", "evidence"),
    [("-----", "headline after a separator"), ("标题：", "marked headline")],
)
def test_separators_and_labelled_headlines_open_articles(separator: str, evidence: str, resources) -> None:
    line = f"{separator}\n\n西溪推进网格化" if separator == "-----" else "标题：西溪推进网格化"
    page = f"西溪召开工作会\n\n{BODY_A}\n\n{line}\n\n{BODY_A}\n"
    assert _split(page, resources)[1].boundary_evidence == evidence


def test_date_and_source_lines_belong_to_the_article_they_head(resources) -> None:
    page = f"西溪召开工作会\n\n2023-05-12 10:32 来源：杭州日报\n\n{BODY_A}\n\n东柳召开工作会\n\n发布时间：2019-06-15\n\n{BODY_B}\n"
    first, second = _split(page, resources)
    assert [[d.text for d in a.datelines] for a in (first, second)] == [
        ["2023-05-12 10:32 来源：杭州日报"],
        ["发布时间：2019-06-15"],
    ]
    assert second.boundary_evidence == "headline over a date line"


def test_a_file_of_one_article_without_headline_is_one_article(resources) -> None:
    (article,) = _split(f"{BODY_A}\n\n{BODY_A}\n", resources)
    assert article.boundary_evidence == "text at the top of the page" and not article.headline


def test_captions_between_a_headline_and_its_lead_are_removed(resources) -> None:
    page = (
        "聚焦重点项目：西溪织密四网\n\n各社区轮流展出道德模范展板\n\n社区服务中心里，居民收看报告会。\n\n"
        f"居民开辟的休闲娱乐空间\n\n本报讯 {BODY_A}\n"
    )
    cleaned = clean_text("p.txt", page, resources)
    (article,) = split_articles("p.txt", cleaned.paragraphs, resources)
    assert article.title_parts()[1] == "聚焦重点项目：西溪织密四网"
    assert cleaned.removed["reason"].tolist() == ["caption"] * 3


def test_a_section_that_points_back_continues_the_story_after_a_byline(resources) -> None:
    # 社区依托… names no place of its own: it goes on about the community of the story before the byline.
    section = "社区依托网格化管理平台，健全三级组织体系，让服务延伸到楼栋。" * 12
    page = f"西溪召开工作会\n\n本报讯 西溪街道政通路社区推进网格治理。{BODY_A}\n\n记者 张三\n\n组织织密打牢根基\n\n{section}\n"
    (article,) = _split(page, resources)
    assert section in article.body_text


def test_date_lines_above_the_first_article_go_with_it(resources) -> None:
    page = f"2023年6月8日 星期四\n\n西溪召开工作会\n\n本报讯 {BODY_A}\n\n东柳召开工作会\n\n本报讯 {BODY_B}\n"
    first, second = _split(page, resources)
    assert [d.text for d in first.datelines] == ["2023年6月8日 星期四"] and not second.datelines
    assert first.boundary_evidence == "headline at the top of the page"


def test_a_headline_after_a_closing_byline_opens_an_article(resources) -> None:
    page = f"西溪召开工作会\n\n本报讯 {BODY_A}\n\n记者 张三\n\n筑牢安全防线\n\n入汛以来，各方力量持续加强巡查值守。\n"
    second = _split(page, resources)[1]
    assert second.boundary_evidence == "headline after a closing byline or source line"


def test_an_office_in_the_district_a_district_level_story_is_about_stays_in_it(resources) -> None:
    page = (
        "郑东新区召开千人大会\n\n本报讯 郑东新区召开动员大会，部署城市管理工作。\n\n"
        "郑东新区如意湖办事处的学理街是城市社区的典型代表，居民路长集体上阵。\n"
    )
    (article,) = _split(page, resources)
    assert "学理街" in article.body_text


def test_a_continuation_is_matched_only_with_the_articles_of_the_last_pages() -> None:
    from govnews.ingest.clean import Paragraph
    from govnews.ingest.split import _SIMILAR_WINDOW, Article, _most_similar

    def article(number: int, text: str) -> Article:
        return Article("p.txt", paragraphs=[Paragraph("p.txt", [number], text, "text")])

    continued = "老旧小区加装电梯工作稳步推进，居民议事会协商出资比例。"
    filler = [
        article(n, f"第{n}篇：春季植树活动在河畔举行，志愿者种下树苗。") for n in range(_SIMILAR_WINDOW)
    ]
    far = [article(-1, continued), *filler]
    assert _most_similar(continued, far) is not far[0]  # beyond the window
    assert _most_similar(continued, far[:-1]) is far[0]  # within it


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["推进", "。", "！", "?", "街道", "，"])))
def test_the_opening_is_read_up_to_its_second_sentence_end(pieces: list[str]) -> None:
    text = "".join(pieces)
    ends = [m.end() for m in re.finditer("[。！？!?]", text)]
    assert _opening(text) == (text[: ends[1]] if len(ends) >= 2 else text)
