"""Where a text names offices, districts, cities and provinces (govnews.ingest.places), on tiny texts.

The national register is the project's (data/gazetteer/register.csv); names below are chosen from its
general rules (suffixes, homonyms), not from any page of the corpora.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govnews.ingest.places import _LOCAL_NAME, _local_name_matches, context_units, find_places, local_names


def _found(text: str, resources) -> list[tuple[str, str]]:
    return [(m.form, m.source) for m in find_places(text, resources.gazetteer, resources.segmenter)]


def _names(text: str, resources) -> list[str]:
    gazetteer = resources.gazetteer
    return [
        sorted({gazetteer.units[i].name for i in m.units}) or [m.form]
        for m in find_places(text, gazetteer, resources.segmenter)
    ]


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("西溪街道推进工作", "西溪街道"),
        ("西溪街道办事处推进工作", "西溪街道办事处"),  # the longest form wins
        ("西溪办事处推进工作", "西溪办事处"),
        ("西溪党工委推进工作", "西溪党工委"),
    ],
)
def test_a_register_office_is_found_in_each_of_its_printed_forms(text: str, form: str, resources) -> None:
    assert _found(text, resources) == [(form, "gazetteer")]
    assert _names(text, resources) == [["西溪街道"]]


def test_a_homonym_mention_keeps_every_office_it_may_name(resources) -> None:
    (mention,) = find_places("城中街道开展活动", resources.gazetteer, resources.segmenter)
    counties = {resources.gazetteer.units[i].district for i in mention.units}
    assert len(counties) > 1 and "婺城区" in counties


@pytest.mark.parametrize("text", ["郑州市管城区东大街街道开展活动", "杭州市西湖区西溪街道开展活动"])
def test_a_city_prefixed_district_is_one_mention_and_places_the_office(text: str, resources) -> None:
    mentions = find_places(text, resources.gazetteer, resources.segmenter)
    assert [m.form for m in mentions] == [text[:6], text[6:-4]]
    assert [m.placed for m in mentions] == [False, True]


@pytest.mark.parametrize(
    ("text", "district"),
    [
        ("管城区召开会议", "管城回族区"),  # the people's name dropped
        ("郑州高新区召开会议", "郑州高新技术产业开发区"),  # a zone abbreviated
        ("西洞庭管理区召开会议", "常德市西洞庭管理区"),  # printed without its city
    ],
)
def test_districts_are_found_in_the_forms_papers_print(text: str, district: str, resources) -> None:
    assert district in _names(text, resources)[0]


def test_a_district_with_a_one_character_core_needs_its_city(resources) -> None:
    # 城区 is a district of several cities and an ordinary word: alone it names nothing.
    assert _found("城区道路整治完成", resources) == []


def test_a_bare_office_core_after_its_district_is_an_office_at_a_break(resources) -> None:
    assert ("东柳", "composite") in _found("鄞州区东柳：违建启动拆除", resources)
    # A district followed by a road is an address, not an office.
    assert all(source != "composite" for _, source in _found("鄞州区东柳路两侧", resources))


@pytest.mark.parametrize(
    ("text", "office"),
    [
        ("杭州市上城区垚鑫街道坚持党建引领", "垚鑫街道"),
        ("中牟县垚鑫镇党委书记", "垚鑫镇"),
        ("来到垚鑫街道办事处", "垚鑫街道办事处"),  # a verb before the name is cut off
        ("來到東風路街道辦事處", "東風路街道辦事處"),  # traditional script
        ("乐都区垚鑫镇七里店社区", "垚鑫镇"),  # a town without office context, placed after its district
    ],
)
def test_offices_outside_the_register_are_found_by_pattern(text: str, office: str, resources) -> None:
    assert (office, "pattern") in _found(text, resources)


@pytest.mark.parametrize(
    "text",
    [
        "各办事处负责人",
        "推进城乡接合部整治",
        "全面推进乡村振兴",
        "鲲鹏软件小镇等核心板块",
        "难事不出街道",
        "垚鑫镇七里店社区",
    ],
)
def test_common_words_and_unplaced_towns_are_no_offices(text: str, resources) -> None:
    assert _found(text, resources) == []


def test_a_pattern_name_drops_a_place_printed_before_it(resources) -> None:
    assert ("北城街街道", "pattern") in _found("高平北城街街道38个小区", resources)


def test_an_office_whose_name_is_a_common_word_needs_its_place(resources) -> None:
    # 幸福街道 is in the register, and "打造幸福街道" is a phrase: bare, it is no mention …
    assert _found("打造幸福街道", resources) == []
    # … printed after its district, or in a form no phrase takes, it is one.
    assert ("幸福街道", "gazetteer") in _found("望花区幸福街道打造示范点", resources)
    assert ("幸福街道办事处", "gazetteer") in _found("幸福街道办事处召开会议", resources)


def test_local_names_start_at_a_boundary_or_after_a_place(resources) -> None:
    gazetteer, segmenter = resources.gazetteer, resources.segmenter
    text = "汇川区大连路街道航天社区、荷东村和推进农业农村现代化，推进新型社区建设"
    names = [
        name for name, _ in local_names(text, find_places(text, gazetteer, segmenter), gazetteer, segmenter)
    ]
    assert names == ["航天社区", "荷东村"]


def test_context_units_point_to_places_by_short_names(resources) -> None:
    gazetteer = resources.gazetteer
    units = {gazetteer.units[i].name for i in context_units("无锡工商业先驱", gazetteer)}
    assert "无锡市" in units


def test_a_numeral_inside_a_pattern_name_is_no_sign_of_a_phrase(resources) -> None:
    assert ("丈八街道", "pattern") in _found("在西安高新区丈八街道，项目封顶", resources)


def test_a_town_suffix_inside_a_word_is_no_town(resources) -> None:
    # 城乡 is one word: 住房城 is no town, even printed after a district.
    assert _found("鄞州区住房城乡建设局", resources) == [("鄞州区", "gazetteer")]


def _context_units_by_every_window(text: str, gazetteer) -> set[int]:
    """The plain reading of :func:`context_units`: every two- and three-character window looked up."""
    found: set[int] = set()
    for length in (2, 3):
        for start in range(len(text) - length + 1):
            found.update(gazetteer.context_forms.get(text[start : start + length], ()))
    return found


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["杭州", "浙江", "鄞州", "无锡", "内蒙古", "西溪", "工商", "，", " ", "州", "杭"])
    )
)
def test_context_units_equal_every_window_looked_up(resources, pieces: list[str]) -> None:
    text = "".join(pieces)
    gazetteer = resources.gazetteer
    assert context_units(text, gazetteer) == _context_units_by_every_window(text, gazetteer)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["社区", "村", "社", "区", "委", "民", "塔湾", "七里店", "荷东", "，", " ", "新", "a"]
        )
    )
)
def test_local_names_are_searched_for_only_near_a_suffix(pieces: list[str]) -> None:
    text = "".join(pieces)
    expected = [(m.span(), m.groups()) for m in _LOCAL_NAME.finditer(text)]
    assert [(m.span(), m.groups()) for m in _local_name_matches(text)] == expected
