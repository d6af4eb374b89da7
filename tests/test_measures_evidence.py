"""Measure evidence beyond the quoted kind word: formulas, heads of named bodies, chains, lists and
slogans. One rule per test, on sentences written for the test."""

from __future__ import annotations

import pandas as pd
import pytest

from govnews.extract.measures import extract_measures, extract_measures_from_sentences


def _names(text: str) -> list[str]:
    return extract_measures(text)["name"].tolist()


def _evidence(text: str) -> dict[str, str]:
    measures = extract_measures(text)
    return dict(zip(measures["name"], measures["evidence"], strict=True))


def _reasons(text: str) -> dict[str, str]:
    sentences = pd.DataFrame({"article_id": ["a"], "sentence_no": [1], "text": [text], "office": [""]})
    candidates = extract_measures_from_sentences(sentences)[1]
    return dict(zip(candidates["name"], candidates["reason"], strict=True))


# --------------------------------------------------------------------------- quoted names


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("社区探索“党建+物业”，服务更贴心。", "党建+物业"),  # a + formula needs no kind word
        ("推行“邻里+网格+志愿者”，小事不出楼。", "邻里+网格+志愿者"),
        ("构建“村委—片区—农户”，层层压实责任。", "村委—片区—农户"),  # three parts joined by dashes
        ("打响“文明+”，引领新风。", "文明+"),  # an open formula
    ],
)
def test_quoted_formula_is_a_measure(text: str, name: str) -> None:
    assert _evidence(text)[name] == "quoted+formula"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("镇里推行“积分兑换”管理，村民踊跃参与。", "积分兑换"),  # a practice noun after the name
        ("社区开展“爱心代购”服务。", "爱心代购"),
        ("街道推行“片组联动”治理，问题就地解决。", "片组联动"),
    ],
)
def test_quoted_name_and_its_practice_noun_as_the_object_of_a_verb(text: str, name: str) -> None:
    assert _evidence(text)[name] == "quoted+verb"


@pytest.mark.parametrize(
    ("text", "name", "evidence"),
    [
        ("两村建立“村企联建”关系，共同发展。", "村企联建", "quoted+verb"),  # 关系 names a practice
        ("社区每月开展一次“敲门问暖”，走访独居老人。", "敲门问暖", "quoted+verb"),  # a count between
        ("与高校合作推行的“银龄互助”，已办了三年。", "银龄互助", "quoted+verb"),  # 的 between
        ("社区每年都会举办“睦邻美食节”。", "睦邻美食节", "quoted+verb"),  # an event held
        ("社区坚持“每周一访”，掌握居民需求。", "每周一访", "quoted+verb"),
        ("居民围绕“每周一访”提出建议。", "每周一访", "quoted+numeric_slogan"),  # a routine's name
        ("以“治乱、增绿、亮灯、通路”为重点，整治背街小巷。", "治乱、增绿、亮灯、通路", "quoted+frame"),
    ],
)
def test_more_contexts_that_introduce_a_quoted_practice(text: str, name: str, evidence: str) -> None:
    assert _evidence(text)[name] == evidence


def test_quoted_speech_after_a_verb_with_a_particle_is_no_practice() -> None:
    assert _reasons("他说起“我们的日子越来越红火”。") == {"我们的日子越来越红火": "quoted_no_kind"}


def test_a_practice_noun_needs_the_introducing_verb() -> None:
    assert _reasons("居民说“积分兑换”管理很方便。")["积分兑换"] == "quoted_no_kind"


def test_people_counted_into_a_chief_role_make_a_role_system() -> None:
    assert _evidence("小区推选出16名“单元长”，帮助物业收集意见。")["单元长"] == "quoted+role"
    assert _evidence("聘请了8位“巷道长”。")["巷道长"] == "quoted+role"


@pytest.mark.parametrize(
    "text",
    ["全村选出12名“组长”。", "“单元长”帮助物业收集意见。", "小区推选出16名“热心人”。"],
)
def test_an_official_title_an_uncounted_role_or_no_role_is_no_role_system(text: str) -> None:
    assert _evidence(text) == {}


def test_two_phrases_joined_by_a_dash_are_speech_not_a_formula() -> None:
    assert _names("他笑着说“这回好了—终于通了”。") == []


def test_formula_before_de_and_an_ordinary_noun_is_an_attribute() -> None:
    text = "打造“文化+旅游”的特色小镇。"
    assert _names(text) == []
    assert _reasons(text)["文化+旅游"] == "attributive"


def test_formula_before_de_and_a_kind_word_is_a_measure() -> None:
    assert "片区+小组" in _names("推行“片区+小组”的联合巡查方式，效果明显。")


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("每月召开“院坝会”，听取意见。", "院坝会", "会议"),  # one-character head inside the quotes
        ("村里定下“邻里互助日”。", "邻里互助日", "活动日"),
        ("成立“银发守望团”。", "银发守望团", "队伍"),
    ],
)
def test_quoted_name_ending_in_a_head_word(text: str, name: str, kind: str) -> None:
    row = extract_measures(text).set_index("name").loc[name]
    assert (row["kind"], row["evidence"]) == (kind, "quoted+kind")


def test_ordinary_word_ending_in_a_head_character_is_no_head() -> None:
    assert "和谐社会" not in _names("大家都盼着“和谐社会”。")


def test_one_character_head_after_the_closing_mark_does_not_count() -> None:
    # 日 after the quote starts 日常; it is no kind word of the quoted name.
    assert _names("这是“老张”日常的工作。") == []


def test_kind_word_after_a_modifier_makes_part_of_the_name() -> None:
    measures = extract_measures("开展“门前五包”集中整治行动。")
    assert measures[["name", "kind"]].values.tolist() == [["门前五包集中整治行动", "行动"]]


def test_the_head_of_the_noun_phrase_is_its_last_kind_word() -> None:
    # 建设 is a kind word, but 违法建设 modifies the head 攻坚战.
    assert _names("打好“拆旧、控新”违法建设攻坚战。") == ["拆旧、控新违法建设攻坚战"]


def test_name_chained_to_a_measure_is_a_measure() -> None:
    evidence = _evidence("围绕“三个到位”、“红色家园”工作，化解难题。")
    assert evidence["红色家园"] == "listed_with_measure"


def test_chain_of_names_sharing_their_head_is_one_series() -> None:
    measures = extract_measures("“我们要编织‘便民链’、‘安全链’、‘文明链’。”")
    assert measures[["name", "evidence", "components"]].values.tolist() == [
        ["便民链、安全链、文明链", "quoted+series", "便民链|安全链|文明链"]
    ]


def test_chain_closed_by_deng_and_a_kind_word() -> None:
    names = _names("各村介绍了“积分兑换”“红白理事会”等一系列创新做法。")
    assert names == ["积分兑换", "红白理事会"]


def test_introducing_verb_may_take_a_particle() -> None:
    assert _evidence("社区设立了“睦邻议事角”，居民有了说事的地方。")["睦邻议事角"] == "quoted+verb"


def test_numbered_slogan_set_as_a_goal_is_a_slogan() -> None:
    assert "五个不发生" in _names("把“五个不发生”作为目标。")
    assert _reasons("以“零事故”为目标。")["零事故"] == "goal"


def test_goal_word_before_a_kind_word_is_no_goal() -> None:
    assert "生态强镇，产业新城" in _names("紧扣“生态强镇，产业新城”的目标定位。")


def test_long_parallel_slogan_before_de_is_a_measure() -> None:
    text = "形成“居民提议、支部审议、群众决议”的议事流程。"
    assert _evidence(text)["居民提议、支部审议、群众决议"] == "quoted+parallel"


def test_parallel_parts_sharing_characters_at_the_same_places() -> None:
    assert _evidence("做到“急事马上办、难事合力办”。")["急事马上办、难事合力办"] == "quoted+parallel"


def test_a_numbered_range_is_a_scale_not_a_slogan() -> None:
    text = "按“一星到五星”评定档次。"
    assert _names(text) == []
    assert _reasons(text)["一星到五星"] == "range"


def test_digit_code_with_a_kind_word_is_a_measure() -> None:
    assert _names("推行“246”工作法，提升效率。") == ["246"]


def test_numbered_road_slogan_is_no_road() -> None:
    assert "三条之路" in _names("走好“三条之路”，推动发展。")


# --------------------------------------------------------------------------- unquoted names


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("街道组建社区应急志愿服务队，随时待命。", "社区应急志愿服务队", "队伍"),
        ("搭建起三级联动网络，问题就地解决。", "三级联动网络", "体系"),
        ("成立5支巾帼宣讲团，走进楼院。", "巾帼宣讲团", "队伍"),  # the count is no part of the name
        ("全力打赢秸秆禁烧攻坚战。", "秸秆禁烧攻坚战", "行动"),
    ],
)
def test_body_founded_by_a_verb(text: str, name: str, kind: str) -> None:
    row = extract_measures(text).set_index("name").loc[name]
    assert (row["kind"], row["evidence"]) == (kind, "founded+head")


def test_body_a_sentence_relies_on_is_named() -> None:
    assert _evidence("社区依托睦邻议事厅，每月召开议事会。")["睦邻议事厅"] == "founded+head"


def test_founded_bodies_joined_by_he_are_two() -> None:
    assert _names("设立调解工作室和老兵服务站。") == ["调解工作室", "老兵服务站"]


@pytest.mark.parametrize(
    "text",
    [
        "构建以人民为中心的发展格局。",  # a clause, not a name
        "建立和谐社会。",  # 社会 is no head
        "建立新型服务中心。",  # a generic modifier
    ],
)
def test_no_founded_body(text: str) -> None:
    assert [name for name in _names(text) if not name.endswith("格局")] == []


def test_kind_word_before_a_document_word_is_no_measure() -> None:
    assert _names("依照既定行动方案推进。") == []


def test_year_before_an_unquoted_rule_is_no_part_of_its_name() -> None:
    assert _names("落实2023年度网格积分管理制度。") == ["网格积分管理制度"]


def test_quote_before_de_names_a_way_of_working_only() -> None:
    assert _names("坚持“群众点单”的理念。") == ["群众点单"]
    assert _names("建设一支“能吃苦、敢担当”的队伍。") == []


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("坚持支部引领、党员带头的工作思路。", "支部引领、党员带头", "理念"),
        ("确立书记包村、干部包户、党员包人的管理模式。", "书记包村、干部包户、党员包人", "模式"),
    ],
)
def test_list_named_by_the_kind_word_after_it(text: str, name: str, kind: str) -> None:
    row = extract_measures(text).set_index("name").loc[name]
    assert (row["kind"], row["evidence"]) == (kind, "list+kind")


@pytest.mark.parametrize(
    "text",
    [
        "健全食品安全、药品安全的监管体系。",  # a shared head noun: an ordinary list
        "打造智慧化、精细化的服务模式。",  # qualities
        "搭建互相学习、共同进步的平台。",  # 平台 does not name a way of working
    ],
)
def test_list_before_a_kind_word_that_is_no_slogan(text: str) -> None:
    assert _names(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("街道推行网格员+志愿者+物业的联动模式。", "网格员+志愿者+物业"),
        ("探索党建+物业，提升服务。", "党建+物业"),
    ],
)
def test_unquoted_formula(text: str, name: str) -> None:
    assert _evidence(text)[name] == "formula"


def test_sum_of_numbers_is_no_formula() -> None:
    assert _names("推动1+1大于2。") == []


def test_role_system_followed_by_its_levels() -> None:
    assert (
        _evidence("社区实行楼栋长、单元长、中心户长三级联动。")["楼栋长、单元长、中心户长"] == "role_system"
    )


def test_quote_before_de_and_a_longer_modifier_of_a_way_of_working() -> None:
    assert _names("社区着力构建“居民议事、多方共治”的社区治理格局。") == ["居民议事、多方共治"]
    # A longer modifier needs a slogan-shaped name: one phrase is a figure of speech.
    assert _names("形成“掌心里”的新型服务模式。") == []
    # The first kind word for a way of working heads the phrase, not a later one (开发建设).
    assert _names("按照“统一规划、分步实施”的原则进行开发建设。") == ["统一规划、分步实施"]


def test_paired_slogan() -> None:
    assert _evidence("实行村级吹哨、部门报到，问题当天解决。")["村级吹哨、部门报到"] == "paired_slogan"


def test_one_one_slogan_after_a_verb() -> None:
    measures = extract_measures("推行一户一档，建立台账。")
    assert measures[["name", "evidence", "components"]].values.tolist() == [
        ["一户一档", "one_one_slogan", "一户|一档"]
    ]


def test_one_one_idiom_is_no_slogan() -> None:
    assert _names("坚持一点一滴，久久为功。") == []


def test_date_is_no_numbered_slogan() -> None:
    assert _names("本报长沙3月15日讯，全市开展检查。") == []


@pytest.mark.parametrize(
    "text",
    [
        "建设更加宜居、宜业、宜游的城区。",  # qualities after a degree adverb
        "改造幸福路、和平路、建设路，方便出行。",  # places
    ],
)
def test_unquoted_list_that_is_no_parallel_slogan(text: str) -> None:
    assert _names(text) == []


def test_enumeration_of_tasks_is_no_list_of_measures() -> None:
    text = "实施道路改造、管网铺设、绿化提升等项目。"
    assert _names(text) == []
    assert _reasons(text)["道路改造、管网铺设、绿化提升"] == "enumeration_of_tasks"


def test_enumeration_items_joined_by_yiji_are_two() -> None:
    names = _names("完善村民议事以及邻里评理等工作机制。")
    assert names == ["村民议事", "邻里评理"]


# --------------------------------------------------------------------------- parts and expansions


def test_expansion_with_a_quoted_phrase_is_the_phrase() -> None:
    text = "落实“一核两翼、完善三真”（“完善三真”即完善“真绿、真美、真长效”长效目标）。"
    measures = extract_measures(text)
    assert measures.loc[0, "expansions"] == "完善三真=真绿、真美、真长效"


def test_numbered_parts_start_at_their_number() -> None:
    row = extract_measures("开展“三个一”活动，即走进一个工地、一个车间、一个班组，听取意见。").iloc[0]
    assert row["components"] == "一个工地|一个车间|一个班组"


# --------------------------------------------------------------------------- not governance


def test_a_developer_slogan_is_no_measure() -> None:
    text = "某某地产集团坚持“品质生活、贴心服务”理念。"
    assert _names(text) == []
    assert _reasons(text)["品质生活、贴心服务"] == "non_government_actor"


def test_a_commercial_concept_is_no_measure() -> None:
    text = "片区致力于搭建“2+N”的商业体系。"
    assert _names(text) == []
    assert _reasons(text)["2+N"] == "commercial"
