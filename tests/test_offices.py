"""Office and district attribution."""

from __future__ import annotations

from dataclasses import replace

import pytest

from govnews.errors import GovnewsError
from govnews.ingest.offices import (
    attribute_district,
    attribute_office,
    default_gazetteer,
    find_office_mentions,
    find_pattern_districts,
    load_gazetteer,
    office_core,
    sentence_offices,
)
from govnews.text.segment import make_tokenizer


@pytest.mark.parametrize("form", ["沟赵办事处", "沟赵街道", "沟赵街道办事处", "沟赵党工委"])
def test_gazetteer_forms_name_the_canonical_office(form: str) -> None:
    (mention,) = find_office_mentions(f"位于{form}辖区")
    assert (mention.office, mention.source, mention.district) == ("沟赵办事处", "gazetteer", "高新区")


def test_business_park_is_not_an_office() -> None:
    assert find_office_mentions("生产基地设在枫杨园区") == []


@pytest.mark.parametrize(
    ("text", "office"),
    [
        ("郑州市二七区淮河路街道办事处召开会议", "淮河路街道办事处"),
        ("杭州市上城区湖滨街道坚持党建引领", "湖滨街道"),
        ("中牟县白沙镇党委书记", "白沙镇"),
        ("來到東風路街道辦事處", "東風路街道辦事處"),
    ],
)
def test_offices_outside_the_gazetteer_are_found_by_pattern(text: str, office: str) -> None:
    assert [(m.office, m.source) for m in find_office_mentions(text)] == [(office, "pattern")]


@pytest.mark.parametrize(
    "text",
    [
        "办事处辖区街道处处美景",
        "5个办事处及智慧运营中心",
        "各办事处负责人",
        "推进城乡接合部整治",
        "全面推进乡村振兴",
        "鲲鹏软件小镇等核心板块",
        "详细了解各办事处工作",
        "难事不出街道",
    ],
)
def test_common_words_before_office_suffixes_are_not_offices(text: str) -> None:
    assert find_office_mentions(text) == []


def test_article_about_an_office_named_repeatedly() -> None:
    body = "枫杨办事处推进网格化。枫杨办事处成立党小组。石佛办事处参加。"
    assert attribute_office("", body) == ("枫杨办事处", "gazetteer")


def test_district_news_naming_offices_in_passing_has_no_office() -> None:
    body = "高新区召开双改推进会。石佛办事处石佛家属院、梧桐办事处怡景花园整治完成。"
    assert attribute_office("高新区召开推进会", body) == ("", "")


def test_office_in_the_title_decides() -> None:
    assert attribute_office("高新区枫杨办事处：", "办事处推进工作。")[0] == "枫杨办事处"


def test_district_from_office_else_from_mentions() -> None:
    assert attribute_district("潮河办事处", "", "") == "经开区"
    assert (
        attribute_district("", "", "郑州经开区滨河国际新城位于郑州经济技术开发区，毗邻郑东新区。") == "经开区"
    )


def test_sentence_naming_another_office_is_attributed_to_it() -> None:
    assert sentence_offices("石佛办事处完成整治。", "枫杨办事处") == ("石佛办事处", ["石佛办事处"])
    assert sentence_offices("办事处完成整治。", "枫杨办事处") == ("枫杨办事处", [])


def test_office_core_strips_suffixes() -> None:
    assert {office_core(n) for n in ("沟赵办事处", "沟赵街道", "沟赵街道办事处")} == {"沟赵"}


def test_gazetteer_missing_a_column_names_the_file(tmp_path) -> None:
    broken = tmp_path / "offices.csv"
    broken.write_text("office,district\n沟赵办事处,高新区\n", encoding="utf-8")
    with pytest.raises(GovnewsError, match=r"offices\.csv.*missing column\(s\) aliases, city"):
        load_gazetteer(office_file=broken)


@pytest.mark.parametrize(
    ("text", "district"),
    [
        ("杭州市上城区湖滨街道坚持党建引领。湖滨街道推出新举措。", "上城区"),
        ("金水区东风路街道召开会议，东风路街道书记讲话。", "金水区"),
        ("中牟县白沙镇党委开展活动，白沙镇群众参与。", "中牟县"),
        ("天津滨海新区泰达街道推进治理，泰达街道获评先进。", "天津滨海新区"),
    ],
)
def test_district_outside_the_gazetteer_comes_from_the_text(text: str, district: str) -> None:
    office = attribute_office("", text)[0]
    assert attribute_district(office, "", text) == district


@pytest.mark.parametrize(
    "text",
    [
        "推进核心区建设和示范区创建，区域发展",
        "全区上下共同努力，各区县积极响应",
        "郑州经济技术开发区核心区",
        "县城面貌焕然一新",
    ],
)
def test_kinds_of_zone_are_not_district_names(text: str) -> None:
    assert find_pattern_districts(text) == []


def test_pattern_names_are_judged_with_the_gazetteers_segmenter() -> None:
    # The same candidate name is a name to the default dictionary and a verb phrase to another.
    text = "走进垚鑫街道开展活动。"
    assert [m.office for m in find_office_mentions(text)] == ["垚鑫街道"]
    gazetteer = replace(default_gazetteer(), segmenter=make_tokenizer([("垚鑫", 100_000, "v")]))
    assert find_office_mentions(text, gazetteer) == []
