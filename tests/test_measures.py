"""Governance-measure extraction: one evidence rule or rejection per test, on hand-made sentences."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from govnews import schema
from govnews.config import project_paths
from govnews.errors import GovnewsError
from govnews.extract.measures import extract_measures, extract_measures_from_sentences
from govnews.resources.lexicons import load_measure_lexicon
from govnews.resources.measure_lexicon import measure_terms

LEXICON = project_paths().lexicon_dir / "measures.yml"


def _names(text: str) -> list[str]:
    return extract_measures(text)["name"].tolist()


def _row(text: str, name: str) -> pd.Series:
    measures = extract_measures(text)
    rows = measures[measures["name"] == name]
    assert len(rows) == 1, f"{name!r} not found once in {measures['name'].tolist()}"
    return rows.iloc[0]


def _candidates(text: str) -> pd.DataFrame:
    sentences = pd.DataFrame(
        {"article_id": ["a-01"], "sentence_no": [1], "text": [text], "office": ["某办事处"]}
    )
    return extract_measures_from_sentences(sentences)[1]


def _reason(text: str, name: str) -> str:
    candidates = _candidates(text)
    reasons = candidates.loc[candidates["name"] == name, "reason"].tolist()
    assert reasons, f"{name!r} is not among the candidates {candidates['name'].tolist()}"
    return reasons[0]


# --------------------------------------------------------------------------- table shape


def test_extract_measures_returns_the_documented_table() -> None:
    expected = schema.conform(
        pd.DataFrame(
            {
                "article_id": [""],
                "sentence_no": [pd.NA],
                "office": [""],
                "name": ["九步工作法"],
                "canonical": ["九步工作法"],
                "scope": ["office"],  # the sentence's actor is 街道
                "kind": ["工作法"],
                "is_numeric_slogan": [True],
                "components": [""],
                "expansions": [""],
                "evidence": ["quoted+kind"],
                "theme": [""],
            }
        ),
        "measures",
    )
    assert_frame_equal(extract_measures("街道首创项目推进“九步工作法”。"), expected)


def test_text_without_measures_gives_an_empty_table() -> None:
    assert_frame_equal(extract_measures("今天天气很好。"), schema.empty_table("measures"))


def test_sentences_keep_article_sentence_and_office() -> None:
    sentences = pd.DataFrame(
        {
            "article_id": ["x-01", "x-01"],
            "sentence_no": [3, 4],
            "text": ["推行“九步工作法”。", "无。"],
            "office": ["甲办事处", "乙办事处"],
            "part": ["body", "body"],
        }
    )
    measures, _ = extract_measures_from_sentences(sentences)
    assert measures[["article_id", "sentence_no", "office", "name"]].values.tolist() == [
        ["x-01", 3, "甲办事处", "九步工作法"]
    ]


def test_sentences_without_text_column_are_an_error() -> None:
    with pytest.raises(GovnewsError, match="text"):
        extract_measures_from_sentences(
            pd.DataFrame({"article_id": ["a"], "sentence_no": [1], "office": [""]})
        )


# --------------------------------------------------------------------------- quoted evidence


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("社区推行“红色议事厅”工作法。", "红色议事厅", "工作法"),  # kind word right after the quote
        ("督促商户签订“门前五包”责任书。", "门前五包", "责任书"),
        ("开展“四个一”行动，助力创建。", "四个一", "行动"),
        ("坚持“项目为王”的理念。", "项目为王", "理念"),  # 的 + kind word
        ("实行“错时延时服务”工作制度。", "错时延时服务", "制度"),
        # A short modifier before the kind word makes part of the name.
        ("围绕全市“北美”功能布局。", "北美功能布局", "格局"),
        ("成立“小太阳”党建工作者队伍。", "小太阳党建工作者队伍", "队伍"),
        ("以“双百工程”为主线。", "双百工程", "工程"),  # kind word inside the quotes
        ("打造“十五分钟便民服务区”。", "十五分钟便民服务区", "服务区"),
    ],
)
def test_quoted_name_with_kind_word(text: str, name: str, kind: str) -> None:
    row = _row(text, name)
    assert (row["kind"], row["evidence"]) == (kind, "quoted+kind")


def test_kind_word_after_a_chain_of_quotes_applies_to_each() -> None:
    measures = extract_measures("落实全市“东美”、本区“慧美”战略。")
    assert measures[["name", "kind"]].values.tolist() == [["东美", "战略"], ["慧美", "战略"]]


def test_bare_count_takes_its_kind_word_into_the_name() -> None:
    row = _row("建立会议、督办、月报、台账管理“四项”工作机制。", "四项工作机制")
    assert (row["kind"], row["components"]) == ("机制", "会议|督办|月报|台账管理")


def test_frame_yi_wei_accepts_a_quoted_name() -> None:
    row = _row("以“分类施策、共建共享”为思路。", "分类施策、共建共享")
    assert row["evidence"] == "quoted+frame"


def test_quoted_object_of_a_measure_verb_is_accepted() -> None:
    assert _row("街道推行“一村一策”，成效明显。", "一村一策")["evidence"] in (
        "quoted+verb",
        "quoted+numeric_slogan",
    )
    assert _row("坚持“项目为先”，狠抓落实。", "项目为先")["evidence"] == "quoted+verb"


@pytest.mark.parametrize(
    "slogan", ["三项工程、一项管理", "一环十横十纵", "三零", "双改", "1+9", "一网尽收、一站清零"]
)
def test_quoted_numbered_slogan_is_a_numeric_slogan(slogan: str) -> None:
    row = _row(f"全面推进“{slogan}”，成效明显。", slogan)
    assert row["is_numeric_slogan"]


@pytest.mark.parametrize(
    ("slogan", "parts"),
    [
        ("小事不出格、大事不出村社、难事不出街道", "小事不出格|大事不出村社|难事不出街道"),  # shared infix
        ("序化、洁化、绿化、亮化", "序化|洁化|绿化|亮化"),  # shared one-character suffix, equal lengths
        ("网格吹哨、部门报到", "网格吹哨|部门报到"),  # 4+4 slogan
    ],
)
def test_quoted_parallel_slogan(slogan: str, parts: str) -> None:
    row = _row(f"努力实现“{slogan}”。", slogan)
    assert (row["evidence"], row["components"], bool(row["is_numeric_slogan"])) == (
        "quoted+parallel",
        parts,
        False,
    )


# --------------------------------------------------------------------------- unquoted evidence


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("今年以来，实行三级动态分析会制度；", "三级动态分析会制度", "制度"),
        ("设置大气污染防治专班，推动改善。", "大气污染防治专班", "专班"),
        ("特别要强化领导带班制度落实。", "领导带班制度", "制度"),
        ("实行片区化管理制度、楼栋长及楼层长制度。", "楼栋长及楼层长制度", "制度"),  # 、 bounds the name
        ("全面推行河长制、湖长制。", "湖长制", "制度"),
        ("共组织开展全城清洁行动40余次。", "全城清洁行动", "行动"),
    ],
)
def test_unquoted_name_ending_in_a_strong_kind_word(text: str, name: str, kind: str) -> None:
    row = _row(text, name)
    assert (row["kind"], row["evidence"]) == (kind, "kind_suffix")


def test_unquoted_name_reaches_back_only_to_the_list_item() -> None:
    assert "政协委员企业家接待日模式" in _names("探索办事处、人大代表、政协委员企业家接待日模式。")


@pytest.mark.parametrize(
    ("text", "candidate", "reason"),
    [
        ("要进一步完善督导机制。", "督导机制", "generic_modifier"),
        ("积极开拓新思路、践行新模式。", "新模式", "generic_modifier"),  # 践行 is a verb: the name is only 新
        ("高新区迅速行动，全力推进。", "高新区迅速行动", "no_verb_before"),  # 行动 is also a verb
        ("让社区群众办事模式转变。", "社区群众办事模式", "no_verb_before"),  # 让 is a particle, not a verb
        ("完善一个模式（片区化治理）。", "一个模式", "generic_modifier"),  # a bare count
    ],
)
def test_descriptions_before_a_kind_word_are_candidates(text: str, candidate: str, reason: str) -> None:
    assert _names(text) == []
    assert _reason(text, candidate) == reason


def test_enumeration_closed_by_kind_word_gives_each_item() -> None:
    text = "正在制定和完善周观摩例会、月考核评比、信息报送、督查交办等各项工作机制。"
    measures = extract_measures(text)
    assert measures["name"].tolist() == ["周观摩例会", "月考核评比", "信息报送", "督查交办"]
    assert set(measures["kind"]) == {"机制"}


def test_enumeration_of_brands_takes_the_head_kind_word() -> None:
    text = "设置党员四必访、党建八音盒、知行讲坛等党建品牌系列活动。"
    measures = extract_measures(text)
    assert measures[["name", "kind"]].values.tolist() == [
        ["党员四必访", "活动"],
        ["党建八音盒", "活动"],
        ["知行讲坛", "活动"],
    ]


@pytest.mark.parametrize(
    "text",
    [
        "郑大副校长屈某、高新区副主任王某等参加了当天的活动。",  # a clause, not a noun phrase
        "建设内容包括道路、管网、绿化等配套工程。",  # ordinary nouns
    ],
)
def test_enumeration_that_is_not_a_list_of_measures(text: str) -> None:
    assert _names(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("以四纵四横两区两园五景六亭十五街为轴线。", "四纵四横两区两园五景六亭十五街"),
        ("针对五横六纵两区16园40路改造工程。", "五横六纵两区16园40路"),
    ],
)
def test_unquoted_compact_numbered_slogan(text: str, name: str) -> None:
    row = _row(text, name)
    assert (row["evidence"], bool(row["is_numeric_slogan"])) == ("numeric_slogan", True)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("通过严格定人、定岗、定责的纪律考核。", "定人、定岗、定责"),
        ("真正做到以考促改、以考促进，补齐短板。", "以考促改、以考促进"),
        ("与辖区群众共建、共治、共享。", "共建、共治、共享"),
    ],
)
def test_unquoted_parallel_slogan_shares_a_lead(text: str, name: str) -> None:
    assert _row(text, name)["evidence"] == "parallel_slogan"


@pytest.mark.parametrize(
    "text",
    [
        "坚持以市场需求、企业需求、人才需求为导向。",  # shared head noun: an ordinary list
        "让服务更精细、更贴心、更到位。",  # degree adverbs
        "确保每项工作不断档、不断岗。",  # negated goals
        "参观三家企业、三个学院、三名教授。",  # counts, not a numbered slogan
    ],
)
def test_unquoted_lists_that_are_not_slogans(text: str) -> None:
    assert _names(text) == []


def test_role_system_after_a_verb() -> None:
    row = _row("设置楼栋长、楼层长，充分发挥作用。", "楼栋长、楼层长")
    assert (row["evidence"], row["components"]) == ("role_system", "楼栋长|楼层长")


def test_official_titles_are_not_a_role_system() -> None:
    assert _names("明确组长、副组长，落实责任。") == []


def test_item_listed_with_a_measure_is_a_measure() -> None:
    row = _row("依托“路长制”、片区化管理，有序推进。", "片区化管理")
    assert row["evidence"] == "listed_with_measure"


# --------------------------------------------------------------------------- lexicon


def test_lexicon_matches_with_quotation_marks_removed() -> None:
    row = _row("推进一件“事”主题服务，办理时限压缩。", "一件事主题服务")
    assert (row["evidence"], row["canonical"]) == ("lexicon", "一件事一次办")


def test_lexicon_matches_without_the_enumeration_comma() -> None:
    assert _row("累计开展人人持证技能河南培训91场。", "人人持证技能河南")["canonical"] == "人人持证技能河南"


def test_quoted_lexicon_name_takes_the_lexicon_canonical() -> None:
    measures = extract_measures("建立“吹哨报到”“接诉即办”工作机制。")
    assert measures[["name", "canonical", "kind"]].values.tolist() == [
        ["吹哨报到", "街乡吹哨部门报到", "机制"],
        ["接诉即办", "接诉即办", "机制"],
    ]


def test_digit_lexicon_term_does_not_match_inside_a_longer_number() -> None:
    assert _names("编号123456的文件。") == []
    assert _names("拨打12345热线反映问题。") == ["12345热线"]


# --------------------------------------------------------------------------- non-measures


@pytest.mark.parametrize(
    ("text", "name", "reason"),
    [
        ("实现经济社会发展的“裂变”。", "裂变", "stock_phrase"),
        ("为项目早日投产开启“加速器”，多项落地。", "加速器", "stock_phrase"),
        ("也是阶段性成果的一个“高颜值样板”。", "高颜值样板", "quoted_no_kind"),
        ("三家企业与三名教授“喜结良缘”。", "喜结良缘", "stock_phrase"),
        ("让“小巷总理”的名片金光闪闪。", "小巷总理", "stock_phrase"),
        ("这是今年工作的“开篇之作”。", "开篇之作", "stock_phrase"),
        ("打造天健湖生态步道等“吸睛”项目。", "吸睛", "stock_phrase"),
        ("打通为民服务“最后一公里”。", "最后一公里", "stock_phrase"),
        ("让代表联系选民“零距离”。", "零距离", "stock_phrase"),
        ("及时破解创建中存在的“疑难杂症”。", "疑难杂症", "stock_phrase"),
        ("架起党群“连心桥”。", "连心桥", "stock_phrase"),
        ("感知服务温度的“神经末梢”。", "神经末梢", "stock_phrase"),
        ("将产业与社会发展“两手抓”，成效显著。", "两手抓", "stock_phrase"),
        ("针对区域“脏乱差”问题。", "脏乱差", "stock_phrase"),
        ("如今，道路两侧“拆围透绿”，焕发生机。", "拆围透绿", "quoted_no_kind"),
        ("让办事模式从“专程办”向“顺道办”转变。", "专程办", "quoted_no_kind"),
        ("让办事模式从“专程办”向“顺道办”转变。", "顺道办", "quoted_no_kind"),
        ("围绕“云湖新城”打造宜居片区。", "云湖新城", "place_name"),
        ("作为唯一一所“211”“双一流”建设的大学。", "211", "digits_only"),
        ("作为唯一一所“211”“双一流”建设的大学。", "双一流", "national_label"),
        ("实施“十四五”规划承前启后之年。", "十四五", "national_label"),
        ("在“七下八上”防汛关键期要高度关注雨情。", "七下八上", "time_period"),
        ("“五一”期间组织开展文明旅游宣传。", "五一", "date"),
        ("以“整洁、有序、舒适”的城市环境迎客。", "整洁、有序、舒适", "attributive"),
        ("先后获得“三八红旗集体”等荣誉。", "三八红旗集体", "honour"),
    ],
)
def test_quoted_span_that_is_not_a_measure_is_a_candidate(text: str, name: str, reason: str) -> None:
    assert name not in _names(text)
    assert _reason(text, name) == reason


def test_quoted_speech_is_a_candidate_not_a_measure() -> None:
    text = "他说：“我们要把群众的事当成自己的事，真正做到件件有着落。”"
    assert _names(text) == []
    assert _reason(text, "我们要把群众的事当成自己") == "long_or_unclosed_quote"


# --------------------------------------------------------------------------- quotes that misbehave


def test_unbalanced_quote_does_not_swallow_the_rest_of_the_text() -> None:
    text = "推行“九步工作法，实行三级动态分析会制度，设置大气污染防治专班。" + "其他内容。" * 50 + "结尾”。"
    names = _names(text)
    assert {"九步工作法", "三级动态分析会制度", "大气污染防治专班"} <= set(names)
    assert all(len(name) <= 30 for name in names)


def test_quote_never_spans_sentence_final_punctuation() -> None:
    assert _names("他说“这很好。二是推行新办法”工作法。") == []


def test_nested_single_quotes_inside_a_long_quote() -> None:
    text = "形成“领导小组牵头抓总、党政办公室统筹协调、‘一星一专班’监督落实、各村党组织积极参与”的工作格局。"
    assert _row(text, "一星一专班")["kind"] == "专班"


def test_long_adversarial_text_stays_bounded() -> None:
    # Linear-time rules: a 10,000-character run of openers, numerals or list commas gives no giant match.
    for text in ("“" * 10_000, "一" * 10_000, "、" * 10_000, "“九步工作法" + "实行三级分析会制度，" * 1000):
        names = _names(text[:10_000])
        assert all(len(name) <= 40 for name in names)


# --------------------------------------------------------------------------- canonical names


def _sentences(*rows: tuple[str, int, str]) -> pd.DataFrame:
    """A sentences table of (article_id, sentence_no, text) rows, all district-level."""
    article_ids, sentence_nos, texts = zip(*rows, strict=True)
    return pd.DataFrame({"article_id": article_ids, "sentence_no": sentence_nos, "text": texts, "office": ""})


def test_canonical_groups_punctuation_and_space_variants() -> None:
    sentences = _sentences(
        ("a", 1, "开展“三项工程、一项管理”工作。"),
        ("b", 1, "推进“三项工程 一项管理”。"),
        ("c", 1, "以“三项工程一项管理”为抓手。"),
    )
    measures, _ = extract_measures_from_sentences(sentences)
    assert set(measures["canonical"]) == {"三项工程一项管理"}


# Two spellings one character apart, the first twice.
_SPELLINGS_ONE_CHARACTER_APART = _sentences(
    ("a", 1, "以“四纵四横五景六亭”工程为轴线。"),
    ("a", 2, "推进“四纵四横五景六亭”工程。"),
    ("b", 1, "以“四纵四横五景六停”工程为轴线。"),
)


def test_canonical_groups_names_one_character_apart() -> None:
    measures, _ = extract_measures_from_sentences(_SPELLINGS_ONE_CHARACTER_APART)
    assert set(measures["canonical"]) == {"四纵四横五景六亭"}  # the commoner spelling wins


def test_canonical_names_are_assigned_within_each_group_only() -> None:
    sentences = _SPELLINGS_ONE_CHARACTER_APART
    measures, _ = extract_measures_from_sentences(sentences, groups=["file1", "file1", "file2"])
    # In its own group (the build: its own raw file) the rarer spelling is its own canonical.
    assert measures["canonical"].tolist() == ["四纵四横五景六亭", "四纵四横五景六亭", "四纵四横五景六停"]
    with pytest.raises(ValueError, match="2 group labels for 3 sentences"):
        extract_measures_from_sentences(sentences, groups=["file1", "file2"])


def test_canonical_keeps_names_one_character_apart_without_evidence() -> None:
    # 管理 and 治理 differ in one character, but nothing in the text says the two are one measure.
    sentences = _sentences(("a", 1, "推进“三项工程一项管理”。"), ("a", 2, "组织“三项工程一项治理”周观摩。"))
    measures, _ = extract_measures_from_sentences(sentences)
    assert measures["canonical"].nunique() == 2


def test_canonical_keeps_colour_variants_apart() -> None:
    sentences = _sentences(("a", 1, "推行“红色物业管家”服务。"), ("a", 2, "推行“绿色物业管家”服务。"))
    measures, _ = extract_measures_from_sentences(sentences)
    assert measures["canonical"].tolist() == ["红色物业管家", "绿色物业管家"]


def test_canonical_keeps_slogans_that_differ_in_a_numeral_apart() -> None:
    sentences = _sentences(("a", 1, "推进“一个引领两个先行”。"), ("a", 2, "推进“一个引领三个先行”。"))
    measures, _ = extract_measures_from_sentences(sentences)
    assert measures["canonical"].nunique() == 2


# --------------------------------------------------------------------------- components and expansions


def test_components_and_expansions_from_ji() -> None:
    text = (
        "坚持“一个引领、两个先行、三方协同”为实施路径（“一个引领”即党建引领，“两个先行”即西北先行，"
        "“三方协同”即条块民协同）。"
    )
    measures = extract_measures(text)
    assert measures["name"].tolist() == ["一个引领、两个先行、三方协同"]
    assert measures.loc[0, "components"] == "一个引领|两个先行|三方协同"
    assert measures.loc[0, "expansions"] == "一个引领=党建引领|两个先行=西北先行|三方协同=条块民协同"


def test_components_from_a_ji_list_with_parentheses() -> None:
    text = "实行“三个一”工程，即坚持一个引领（党建引领），围绕一个中心（人民），织密一张网络（治理网络），构建体系。"
    row = _row(text, "三个一")
    assert row["components"] == "坚持一个引领|围绕一个中心|织密一张网络"
    assert row["expansions"] == "坚持一个引领=党建引领|围绕一个中心=人民|织密一张网络=治理网络"


def test_components_from_a_ji_list_of_items() -> None:
    row = _row("打造“三个之城”，即创新之城、产业之城、文化之城，逐步实现。", "三个之城")
    assert row["components"] == "创新之城|产业之城|文化之城"


def test_components_printed_before_the_slogan() -> None:
    text = "落实好一个项目、一名领导、一个团队、一套方案、一抓到底“五个一”机制。"
    measures = extract_measures(text)
    assert measures["name"].tolist() == ["五个一"]
    assert measures.loc[0, "components"] == "一个项目|一名领导|一个团队|一套方案|一抓到底"


def test_quoted_part_of_a_slogan_is_a_component_not_a_measure() -> None:
    text = "形成“一核三治”基层治理体系，“一核”即党建引领。"
    assert _names(text) == ["一核三治基层治理体系"]
    assert _reason(text, "一核") == "component_of:一核三治基层治理体系"


# --------------------------------------------------------------------------- the lexicon file


def test_default_lexicon_is_cached() -> None:
    assert load_measure_lexicon() is load_measure_lexicon()


def test_measure_terms_are_lexicon_spellings_without_punctuation() -> None:
    terms = measure_terms(load_measure_lexicon())
    assert {"一网通办", "河长制", "街乡吹哨部门报到"} <= set(terms)
    assert not any("、" in term for term in terms)


def test_measure_terms_leave_out_entries_that_are_no_token(tmp_path: Path) -> None:
    path = _edited_lexicon(tmp_path, "  - {name: 一网协同}", "  - {name: 一网协同, token: false}")
    assert "一网协同" in measure_terms(load_measure_lexicon())
    assert "一网协同" not in measure_terms(load_measure_lexicon(path))
    # The lexicon still finds the measure in the text.
    names = extract_measures("推进一网协同。", lexicon=load_measure_lexicon(path))["name"].tolist()
    assert names == ["一网协同"]


def test_token_flag_must_be_true_or_false(tmp_path: Path) -> None:
    path = _edited_lexicon(tmp_path, "  - {name: 一网协同}", "  - {name: 一网协同, token: maybe}")
    with pytest.raises(GovnewsError, match="token of 一网协同") as error:
        load_measure_lexicon(path)
    assert error.value.line is not None


def _edited_lexicon(tmp_path: Path, old: str, new: str) -> Path:
    text = LEXICON.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "measures.yml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_lexicon_copy_loads(tmp_path: Path) -> None:
    path = tmp_path / "measures.yml"
    shutil.copy(LEXICON, path)
    assert load_measure_lexicon(path).path == path


def test_broken_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = _edited_lexicon(tmp_path, "  - {name: 一网协同}", "  - {name: 一网协同")
    with pytest.raises(GovnewsError) as error:
        load_measure_lexicon(path)
    assert error.value.path == path and error.value.line is not None


def test_missing_key_names_the_key(tmp_path: Path) -> None:
    path = _edited_lexicon(tmp_path, "frames:", "frame_words:")
    with pytest.raises(GovnewsError, match="frames") as error:
        load_measure_lexicon(path)
    assert error.value.path == path


def test_duplicate_measure_names_file_and_line(tmp_path: Path) -> None:
    path = _edited_lexicon(tmp_path, "  - {name: 一网协同}", "  - {name: 一网协同}\n  - {name: 一网 协同}")
    with pytest.raises(GovnewsError, match="duplicate measure") as error:
        load_measure_lexicon(path)
    assert error.value.path == path and error.value.line is not None


def test_duplicate_kind_word_names_file_and_line(tmp_path: Path) -> None:
    path = _edited_lexicon(tmp_path, "  工程: 工程\n", "  工程: 工程\n  工程: 项目\n")
    with pytest.raises(GovnewsError, match="duplicate key") as error:
        load_measure_lexicon(path)
    assert error.value.line is not None


def test_measure_without_name_is_an_error(tmp_path: Path) -> None:
    path = _edited_lexicon(tmp_path, "  - {name: 一网协同}", "  - {aliases: [一网协同]}")
    with pytest.raises(GovnewsError, match="name"):
        load_measure_lexicon(path)


def test_missing_lexicon_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GovnewsError) as error:
        load_measure_lexicon(tmp_path / "nothing.yml")
    assert error.value.path == tmp_path / "nothing.yml"


def test_edited_lexicon_is_used(tmp_path: Path) -> None:
    path = _edited_lexicon(tmp_path, "  - {name: 一网协同}", "  - {name: 一网协同}\n  - {name: 马上就办}")
    measures = extract_measures("坚持马上就办，提高效率。", lexicon=load_measure_lexicon(path))
    assert measures["name"].tolist() == ["马上就办"]
