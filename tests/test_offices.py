"""Which office an article is about, and its district, city, province and code (govnews.ingest.offices).

One rule per test, on tiny articles written for the test. Office names come from the national register
(several are homonyms on purpose) or are invented (垚鑫) where a test needs an office it does not know.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govnews.ingest.offices import _context_cities, attribute_article, sentence_offices
from govnews.ingest.places import find_places, places_in, sure_only
from govnews.resources.gazetteer import city_core


def _attribute(headline: str, body: str, resources):
    return attribute_article(headline, body, resources.gazetteer, resources.segmenter)


def test_the_office_a_headline_names_decides(resources) -> None:
    place = _attribute(
        "城中街道网格员工作法见实效", "婺城区城中街道西市街社区推出新做法。东柳街道也来学习。", resources
    )
    assert (place.office, place.office_evidence) == ("城中街道", "headline: 城中街道")


def test_a_headline_naming_only_a_district_makes_district_level_news(resources) -> None:
    body = "区内玉城街道北辰社区安排网格员入户。玉州区推进党建，玉州区划分网格。"
    place = _attribute("玉林玉州区基层党建温暖人心", body, resources)
    assert (place.office, place.district) == ("", "玉州区")
    assert place.office_evidence.startswith("district-level")


def test_a_body_dominated_by_one_office_wins_over_a_headline_district(resources) -> None:
    body = "常德市西洞庭管理区金凤街道白芷湖社区推出网格地图。金凤街道党委书记表示，该街道已全部绘好。"
    place = _attribute("西洞庭管理区：用网格地图把治理做细", body, resources)
    assert place.office == "金凤街道"
    assert place.office_evidence.startswith("body:")


def test_without_a_place_in_the_headline_the_lead_decides(resources) -> None:
    body = "日前，鹅山街道办事处借助“城市管理提升年”活动开展整治。柳南区、柳州市领导到场。\n整治持续推进。"
    place = _attribute("“门前三包”整出新面貌", body, resources)
    assert (place.office, place.office_evidence) == ("鹅山街道", "lead: 鹅山街道办事处")


def test_a_lead_office_named_as_often_as_another_office_gives_district_level(resources) -> None:
    body = "公主岭市河北街道朝阳社区网格长张立敏忙个不停。\n公主岭市民政局推行“三长制”。\n岭西街道新民社区网格长王迪分管两个小区。"
    assert _attribute("“三长”协同发力", body, resources).office == ""


def test_offices_listed_in_passing_do_not_compete(resources) -> None:
    body = "乐都区碾伯镇七里店社区是搬迁安置点，安置群众涵盖马营乡、芦花乡等12个乡镇。"
    assert _attribute("小社区扛起大担当", body, resources).office == "碾伯镇"


def test_an_office_only_listed_is_no_subject(resources) -> None:
    body = "2019年黄山市共实施51个老旧小区改造项目，具体分布为：黎阳镇1个、阳湖镇1个、昱东街道24个。"
    assert _attribute("", body, resources).office == ""


def test_a_community_in_the_headline_gives_its_office(resources) -> None:
    body = "本报讯 遵义市汇川区大连路街道航天社区辖区内老人多，航天社区为此成立服务站。"
    place = _attribute("遵义市汇川区航天社区 生活服务更便利", body, resources)
    assert (place.office, place.district) == ("大连路街道", "汇川区")


def test_an_office_named_repeatedly_and_clearly_most_is_the_subject(resources) -> None:
    body = "春日里花开鸟鸣。\n这些天，汾口镇环境整治项目工地繁忙。汾口镇计划投资5000万元。东柳街道前来观摩。"
    assert _attribute("", body, resources).office == "汾口镇"


@pytest.mark.parametrize(
    ("body", "district", "city"),
    [
        ("婺城区城中街道推出新做法。", "婺城区", "金华市"),  # the district printed before the office
        ("金华城中街道推出新做法。", "婺城区", "金华市"),  # the city decides among homonyms
        ("城中街道推出新做法。", "", ""),  # nothing decides: no guess
    ],
)
def test_homonyms_are_resolved_by_the_places_the_article_prints(
    body: str, district: str, city: str, resources
) -> None:
    place = _attribute("城中街道推出新做法", body, resources)
    assert (place.district, place.city) == (district, city)
    assert bool(place.township_code) == bool(city)


def test_the_printed_district_beats_the_registers(resources) -> None:
    # 圃田乡 is under 管城回族区 in the register; the paper prints it under 郑东新区.
    place = _attribute("", "本报讯 郑东新区圃田乡推行党建新模式。圃田乡各社区积极参与。", resources)
    assert (place.office, place.district) == ("圃田乡", "郑东新区")


def test_a_generic_zone_printed_in_the_article_is_its_district(resources) -> None:
    body = "无锡工商业先驱在今天太湖街道所在的地方建镇办厂。太湖街道围绕经开区“中心城区”的定位用力。"
    place = _attribute("太湖街道：瞄准奋斗方向", body, resources)
    assert (place.office, place.district, place.city) == ("太湖街道", "经开区", "无锡市")


def test_a_district_is_never_made_from_a_word_before_qu(resources) -> None:
    body = "本报讯 柳街道辖区老旧小区集中，南昌社区开放式小区占了不少，示范区建设加快。"
    assert _attribute("", body, resources).district == ""


def test_the_local_layer_wins_over_the_register(resources) -> None:
    place = _attribute("高新区沟赵办事处奋力书写新篇章", "沟赵办事处推进项目建设。", resources)
    assert (place.office, place.district, place.township_code) == ("沟赵办事处", "高新区", "410172360")


def test_sentence_naming_another_office_is_attributed_to_it(resources) -> None:
    gazetteer, segmenter = resources.gazetteer, resources.segmenter

    def attributed(sentence: str) -> tuple[str, list[str]]:
        return sentence_offices(find_places(sentence, gazetteer, segmenter), "枫杨办事处", gazetteer)

    assert attributed("石佛办事处完成整治。") == ("石佛办事处", ["石佛办事处"])
    assert attributed("办事处完成整治。") == ("枫杨办事处", [])
    assert attributed("石佛办事处和枫杨街道联合整治。") == ("枫杨办事处", ["石佛办事处", "枫杨办事处"])


def test_a_zone_name_of_several_cities_is_read_in_the_city_the_article_names(resources) -> None:
    # 高新区 is Zhengzhou's in the local layer and any city's as a generic zone: here it is Xi'an's.
    place = _attribute("", "本报讯 眼下，西安高新区推进重点项目建设，高新区各街道积极参与。", resources)
    assert (place.office, place.district, place.city) == ("", "高新区", "西安市")


def test_the_local_layer_gives_its_district_whatever_else_the_article_names(resources) -> None:
    body = "沟赵办事处与金水区、二七区交流经验，金水区、二七区代表到场。沟赵办事处介绍做法。"
    assert _attribute("", body, resources).district == "高新区"


def test_an_office_the_register_lacks_gets_the_district_printed_before_it(resources) -> None:
    place = _attribute("", "本报讯 海东市乐都区垚鑫镇七里店社区开展活动。垚鑫镇群众踊跃参与。", resources)
    assert (place.office, place.district, place.township_code) == ("垚鑫镇", "乐都区", "")


def _context_cities_by_blanking(segments, gazetteer) -> tuple[dict[str, str], set[str]]:
    """The plain reading of the city context: mentions blanked out, then every short window looked up."""
    units: set[int] = set()
    for text, mentions in segments:
        outside = list(text)
        for mention in mentions:
            outside[mention.start : mention.end] = " " * (mention.end - mention.start)
            named = [i for i in mention.units if gazetteer.units[i].level != "office"]
            if len({city_core(gazetteer.units[i].city) for i in named}) == 1:
                units.update(named)
        outside_text = "".join(outside)
        for length in (2, 3):
            for start in range(len(outside_text) - length + 1):
                units.update(gazetteer.context_forms.get(outside_text[start : start + length], ()))
    cities: dict[str, str] = {}
    provinces: set[str] = set()
    for index in units:
        unit = gazetteer.units[index]
        if unit.level in ("city", "district") and unit.city:
            cities.setdefault(city_core(unit.city), unit.city)
            if unit.source == "register":
                cities[city_core(unit.city)] = unit.city
        if unit.province:
            provinces.add(unit.province)
    return cities, provinces


_PLACE_PIECES = [
    "杭州",
    "杭州市",
    "鄞州区",
    "城中街道",
    "西溪街道",
    "经开区",
    "浙江",
    "无锡",
    "城中",
    "，",
    "推进",
    "州",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PLACE_PIECES), max_size=8), min_size=1, max_size=3))
def test_the_city_context_skips_short_names_inside_mentions(resources, texts: list[list[str]]) -> None:
    gazetteer = resources.gazetteer
    joined = ["".join(pieces) for pieces in texts]
    found = sure_only([places_in(text, gazetteer, resources.segmenter) for text in joined], gazetteer)
    segments = list(zip(joined, found, strict=True))
    assert _context_cities(segments, gazetteer) == _context_cities_by_blanking(segments, gazetteer)
