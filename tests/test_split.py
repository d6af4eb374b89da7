"""Article splitting on tiny hand-made pages: one structure per test."""

from __future__ import annotations

from govnews.ingest.clean import clean_text
from govnews.ingest.offices import default_gazetteer
from govnews.ingest.split import split_articles

BODY_A = "沟赵办事处坚持党建引领，推进重点项目建设，辖区面貌焕然一新。"
BODY_B = "枫杨办事处扎实推进网格化基层治理，群众满意度显著提高。"


def _split(page: str):
    return split_articles("p.txt", clean_text("p.txt", page).paragraphs, default_gazetteer())


def test_headline_with_lead_opens_an_article_and_byline_closes_it() -> None:
    page = (
        f"沟赵召开工作会\n\n本报讯 {BODY_A}\n\n记者 张三\n\n枫杨召开工作会\n\n本报讯 {BODY_B}\n\n记者 李四\n"
    )
    articles = _split(page)
    assert [a.title_parts()[1] for a in articles] == ["沟赵召开工作会", "枫杨召开工作会"]
    assert [[b.text for b in a.bylines] for a in articles] == [["记者 张三"], ["记者 李四"]]


def test_kicker_headline_and_subtitle_are_told_apart() -> None:
    page = f"一头连着创业企业 一头对接大学资源\n\n高新区举办对接会\n\n三家企业、三名教授“喜结良缘”\n\n本报讯 {BODY_A}\n"
    (article,) = _split(page)
    assert article.title_parts() == (
        "一头连着创业企业 一头对接大学资源",
        "高新区举办对接会",
        "三家企业、三名教授“喜结良缘”",
    )


def test_subheads_stay_in_their_article() -> None:
    page = f"沟赵奋力书写新篇章\n\n本报讯 {BODY_A}\n\n强化组织领导，完善制度\n\n{BODY_A}\n\n记者 张三\n"
    (article,) = _split(page)
    assert "强化组织领导，完善制度" in article.body_text


def test_section_after_the_byline_about_the_same_office_continues_the_article() -> None:
    page = f"沟赵奋力书写新篇章\n\n本报讯 {BODY_A}\n\n记者 张三\n\n走发展之路，提升幸福感\n\n{BODY_A}\n"
    (article,) = _split(page)
    assert article.body_text.count(BODY_A) == 2


def test_section_after_the_byline_about_another_office_is_a_headless_article() -> None:
    page = f"沟赵奋力书写新篇章\n\n本报讯 {BODY_A}\n\n记者 张三\n\n{BODY_B}\n\n{BODY_B}\n"
    first, second = _split(page)
    assert second.title_parts() == ("", "", "")
    assert BODY_B in second.body_text and BODY_B not in first.body_text


def test_marked_continuation_joins_the_article_it_shares_vocabulary_with() -> None:
    page = (
        "高新区与郑州大学举办对接会\n\n本报讯 郑州大学三名教授与枫杨园区企业签约，郑州大学科研平台丰富。记者 张三\n\n"
        "高新区召开双改推进会\n\n本报讯 高新区召开双改推进会，部署老旧小区改造。记者 张三\n\n"
        "【现场】\n\n郑州大学与枫杨园区三个项目签约，郑州大学教授到场。\n"
    )
    university, renovation = _split(page)
    assert "【现场】" in university.body_text
    assert "【现场】" not in renovation.body_text


def test_headline_printed_after_its_story_goes_to_the_headless_article_of_its_office() -> None:
    page = (
        f"沟赵奋力书写新篇章\n\n本报讯 {BODY_A}\n\n记者 张三\n\n{BODY_B}\n\n{BODY_B}\n\n"
        "高新区枫杨办事处：\n\n在新征程上奋力实现高质量发展\n\n本报记者 王五\n"
    )
    _, headless = _split(page)
    assert headless.title_parts() == ("高新区枫杨办事处：", "在新征程上奋力实现高质量发展", "")
    assert [b.text for b in headless.bylines] == ["本报记者 王五"]


def test_long_section_that_never_names_the_articles_office_starts_a_new_article() -> None:
    other = "滨河国际新城位于开发区核心区，交通通达、景观水绿、配套齐全，居民幸福指数节节攀升。" * 8
    page = f"沟赵奋力书写新篇章\n\n本报讯 {BODY_A}{BODY_A}\n\n滨河国际新城 城市新中心\n\n{other}\n"
    _, second = _split(page)
    assert second.title_parts()[1] == "滨河国际新城 城市新中心"
    assert other in second.body_text
