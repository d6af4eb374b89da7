"""Figure extraction: values, units, qualifiers, subjects, years, negatives and the lexicon file."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from govnews import schema
from govnews.config import project_paths
from govnews.errors import GovnewsError
from govnews.extract import figures as figures_module
from govnews.extract.figures import extract_figures, extract_figures_from_sentences
from govnews.resources.lexicons import load_units
from govnews.vocabulary import QUALIFIERS


def _quantities(text: str) -> pd.DataFrame:
    figures = extract_figures(text)
    return figures[figures["category"] != "date"].reset_index(drop=True)


def _only(text: str) -> dict:
    figures = _quantities(text)
    assert len(figures) == 1, figures[["span", "value", "unit"]].to_dict("records")
    return figures.iloc[0].to_dict()


@pytest.mark.parametrize(
    ("text", "span", "value", "unit", "qualifier"),
    [
        ("已分配到辖区1.4万名群众手中", "1.4万名", 14000, "名", ""),
        ("共计投资近百亿元的项目", "近百亿元", 1e10, "元", "近"),
        ("2022年固定资产投资达到102亿元", "102亿元", 1.02e10, "元", ""),
        ("服务群众5.8万余人", "5.8万余人", 58000, "人", "余"),
        ("调解成功率达到95%以上", "95%以上", 95, "%", "以上"),
        ("走进学校80多个科研平台", "80多个", 80, "个", "多"),
        ("通过2个多月的努力", "2个多月", 2, "月", "多"),
        ("两个月，公园蝶变", "两个月", 2, "月", ""),
        ("占据高新区约1/3面积", "约1/3", 1 / 3, "", "约"),
        ("比例为百分之五", "百分之五", 5, "%", ""),
        ("三分之二的居民", "三分之二", 2 / 3, "", ""),
        ("满意率百分之九十五以上", "百分之九十五以上", 95, "%", "以上"),
        ("三名教授参加", "三名", 3, "名", ""),
        ("成立了两支夜班中队", "两支", 2, "支", ""),
        ("下设四个指挥部", "四个", 4, "个", ""),
        ("辖区十二个乡镇", "十二个", 12, "个", ""),
        ("一百二十人参加", "一百二十人", 120, "人", ""),
        ("每户3至5个", "3至5个", 3, "个", ""),
        ("拆除面积近500平方米", "近500平方米", 500, "平方米", "近"),
        ("逾千户家庭受益", "逾千户", 1000, "户", "逾"),
        ("服务万余人次", "万余人次", 10000, "人次", "余"),
        ("两千余名志愿者", "两千余名", 2000, "名", "余"),
        ("投入1200余万元", "1200余万元", 1.2e7, "元", "余"),
        ("新增1.2万平方米绿地", "1.2万平方米", 12000, "平方米", ""),
        ("建筑面积120㎡", "120㎡", 120, "㎡", ""),
        ("总投资3.5亿元", "3.5亿元", 3.5e8, "元", ""),
        ("面积35.97平方公里", "35.97平方公里", 35.97, "平方公里", ""),
        ("清运垃圾约800立方米", "约800立方米", 800, "立方米", "约"),
        ("每周至少两次现场调研", "至少两次", 2, "次", "至少"),
        ("办理时限压缩了80%", "80%", 80, "%", ""),
        ("同比下降12.5个百分点", "12.5个百分点", 12.5, "百分点", ""),
        ("参与人数超过3000人", "超过3000人", 3000, "人", "超过"),
        ("耗时3年多", "3年多", 3, "年", "多"),
        ("等待不到10分钟", "不到10分钟", 10, "分钟", "不到"),
        ("会议持续2小时左右", "2小时左右", 2, "小时", "左右"),
    ],
)
def test_reads_value_unit_and_qualifier(
    text: str, span: str, value: float, unit: str, qualifier: str
) -> None:
    figure = _only(text)
    assert (figure["span"], figure["unit"], figure["qualifier"]) == (span, unit, qualifier)
    assert math.isclose(figure["value"], value, rel_tol=1e-9)


@pytest.mark.parametrize(
    ("text", "span", "value", "unit", "qualifier"),
    [
        ("运来的沙子有两吨半", "两吨半", 2.5, "吨", ""),  # a half after the unit
        ("这根管子长三米半", "三米半", 3.5, "米", ""),
        ("他的父亲今年六十周岁", "六十周岁", 60, "周岁", ""),  # ages
        ("王大爷已经82岁了", "82岁", 82, "岁", ""),
        ("夜里最低温度零下8摄氏度", "零下8摄氏度", -8, "摄氏度", ""),  # temperatures and signs
        ("孩子发烧到39℃", "39℃", 39, "℃", ""),
        ("室外温度降到-3°C", "-3°C", -3, "°C", ""),
        ("出口额同比负3.4%", "负3.4%", -3.4, "%", ""),
        ("利润率同比－12.5％", "－12.5％", -12.5, "％", ""),
        ("每人发放五公斤面粉", "五公斤", 5, "公斤", ""),  # mass and power
        ("每袋重250克", "250克", 250, "克", ""),
        ("光伏电站装机2.5万千瓦", "2.5万千瓦", 25000, "千瓦", ""),
        ("一百千瓦的发电机", "一百千瓦", 100, "千瓦", ""),
        ("全程12千米", "12千米", 12, "千米", ""),  # the unit wins over the magnitude 千
        ("项目吸引外资300万美元", "300万美元", 3e6, "美元", ""),  # foreign currencies stay themselves
        ("成交额达4.5亿日元", "4.5亿日元", 4.5e8, "日元", ""),
        ("汇款折合800英镑", "800英镑", 800, "英镑", ""),
        ("补贴港币三千五百元", "三千五百元", 3500, "港元", ""),  # currency written before the number
        ("门票十五块钱", "十五块钱", 15, "元", ""),  # 块 钱 角 分
        ("买菜花了两块三毛", "两块三毛", 2.3, "元", ""),
        ("车费共计八元五角六分", "八元五角六分", 8.56, "元", ""),
        ("全长1500m的步道", "1500m", 1500, "m", ""),  # abbreviations
        ("新修道路8km", "8km", 8, "km", ""),
        ("每户住房约90㎡", "约90㎡", 90, "㎡", "约"),
        ("孩子身高135cm", "135cm", 135, "cm", ""),
        ("近四成的居民参与", "近四成", 40, "%", "近"),  # 成 is a tenth
        ("满意度提升了两成半", "两成半", 25, "%", ""),
        ("吸引数十家商户入驻", "数十家", 10, "家", "多"),  # round approximations
        ("上百名党员参加", "上百名", 100, "名", "以上"),
        ("节日期间上万人次游览", "上万人次", 10000, "人次", "以上"),
        ("捐款几十万元", "几十万元", 1e5, "元", "多"),
        ("整改十几处隐患", "十几处", 10, "处", "多"),
        ("出动三十几辆车", "三十几辆", 30, "辆", "多"),
        ("增幅为百分之四点二", "百分之四点二", 4.2, "%", ""),  # spelled-out decimals
        ("年增长率七点五个百分点", "七点五个百分点", 7.5, "百分点", ""),
        ("新设便民摊点15 个", "15 个", 15, "个", ""),  # spaces as scraped pages print them
        ("发动群众400 余名", "400 余名", 400, "名", "余"),
        ("收集意见2 万余条", "2 万余条", 20000, "条", "余"),
        ("交付安置房86间套", "86间套", 86, "间套", ""),  # compound measure words
        ("采购消防设备12台套", "12台套", 12, "台套", ""),
        ("接待群众3000人次", "3000人次", 3000, "人次", ""),
        ("辖区常住人口23,456人", "23,456人", 23456, "人", ""),  # thousands separators, full width
        ("新增车位３４５个", "３４５个", 345, "个", ""),
        ("资金１，２３４，５６７元", "１，２３４，５６７元", 1234567, "元", ""),
        ("投资5千万元", "5千万元", 5e7, "元", ""),
        ("预算两到三万元", "两到三万元", 20000, "元", ""),  # the low end takes the high end's 万
        ("壹万贰仟元整", "壹万贰仟元", 12000, "元", ""),
    ],
)
def test_reads_quantity_families(text: str, span: str, value: float, unit: str, qualifier: str) -> None:
    figure = _only(text)
    assert (figure["span"], figure["unit"], figure["qualifier"]) == (span, unit, qualifier)
    assert math.isclose(figure["value"], value, rel_tol=1e-9)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("该小区住着居民1520户4736人。", [1520, 4736]),  # back-to-back figures
        ("涵盖8个乡镇96个村2211户7354人", [8, 96, 2211, 7354]),
        ("组建6支300余人的党员先锋队", [6, 300]),
    ],
)
def test_reads_back_to_back_figures(text: str, values: list[float]) -> None:
    assert _quantities(text)["value"].tolist() == values


@pytest.mark.parametrize(
    ("text", "negative"),
    [
        ("家住和平路88号3幢的居民", "3幢"),  # addresses
        ("走访了12栋3单元", "12栋"),
        ("在5号楼2单元门口", "2单元"),
        ("住在长江路12号院", "12号院"),
        ("家在701室", "701室"),
        ("乘坐21路公交", "21路"),
        ("和平村二组的村民", "二组"),  # village teams
        ("东升社区共有3个小组，在东升二组召开会议", "二组"),
        ("以一个平台统筹、五支队伍协同为内容的“1+5”工作法", "五支"),  # parts of a formula slogan
        ("严查电动三轮车违规上路", "三轮车"),
        ("一个中心", "一个"),
        ("做到三五成群", "三五"),
        ("在线上千人参加的直播中", "上千人"),
    ],
)
def test_never_extracts_addresses_teams_or_formula_parts(text: str, negative: str) -> None:
    figures = _quantities(text)
    start = text.index(negative)
    for span in figures["span"]:
        at = text.index(span)
        assert not (at < start + len(negative) and start < at + len(span)), (span, negative)


def test_keeps_counts_of_buildings_and_households_beside_addresses() -> None:
    figures = _quantities("6号楼120户居民和新建的3栋住宅楼")
    assert figures[["value", "unit"]].values.tolist() == [[120, "户"], [3, "栋"]]


@pytest.mark.parametrize(
    ("text", "value", "subject"),
    [
        ("办事处将辖区划分为18个二级网格", 18, "二级网格"),  # number and unit, then what is counted
        ("成立62个楼院小区党小组", 62, "楼院小区党小组"),
        ("划分为48个三级网格、微网格460个、98个专属网格", 460, "微网格"),  # what is counted comes first
        ("枫杨办事处一级网格长2人，", 2, "一级网格长"),
        ("目前园区共有企业10696家分属21个产业链", 10696, "企业"),
        ("河南省“科技小巨人”企业29家。", 29, "河南省“科技小巨人”企业"),
    ],
)
def test_finds_subject_in_both_word_orders(text: str, value: float, subject: str) -> None:
    figures = _quantities(text)
    found = figures.loc[figures["value"] == value, "subject"].tolist()
    assert len(found) == 1 and found[0].endswith(subject)  # a place name may lead: 枫杨办事处一级网格长


@pytest.mark.parametrize(
    ("text", "value", "subject"),
    [
        ("双方签订12份共建协议，", 12, "共建协议"),  # a noun that opens with a function character
        ("引进9家总部企业，", 9, "总部企业"),
        ("动员320名在职党员，", 320, "在职党员"),
        ("评出15户和睦家庭、", 15, "和睦家庭"),
        ("全村共有企业20家和个体户35家", 20, "企业"),  # 和 as a conjunction is no subject
        ("社区里近300名来自各行各业的志愿者", 300, "志愿者"),  # the head after a relative clause
        ("建成便民服务站(点)24个", 24, "便民服务站"),  # the noun before a bracket
        ("辖区9个乡(镇)和街道", 9, "乡(镇)"),  # a short bracket inside the noun
        ("涵盖6个镇31个村", 31, "村"),  # a one-character noun before the next figure
        ("对48栋楼的外墙进行粉刷", 48, "楼"),
        ("开展了两场“红色之声”主题宣讲报告会，", 2, "主题宣讲报告会"),  # a quoted modifier
        ("共有住户3100户、9870人。", 9870, "住户"),  # a chain shares the noun before it
        ("户籍居民1320户4105人", 4105, "户籍居民"),
        ("累计惠及800余名、260户困难群众", 800, "困难群众"),  # the noun after the chain
        ("排查出的17处、900平方米违章搭建已拆除", 17, "违章搭建"),
        ("城区已改造的背街小巷共有14条，涉及居民2100户", 14, "背街小巷"),
        ("三个月，一片荒地变成了花园", 3, "三个月"),  # a span of time on its own
        ("当天的志愿活动共出动80余人，", 80, "出动人员"),  # the people who did it
        ("此次义诊活动，共投入40多人，", 40, "此次义诊活动"),  # the topic of a verb-only clause
        ("区财政拨出30万元用于道路修缮", 300000, "道路修缮"),  # what the money is spent on
        ("每隔50米设置路灯，", 50, "路灯"),  # the object of the verb after the figure
        ("绿化工作每年至少开展4次", 4, "绿化工作"),  # frequency and qualifier words are no noun
        ("小区内14条道路总长度为3200米", 14, "道路"),  # the right noun for the right number
        ("小区内14条道路总长度为3200米", 3200, "道路总长度"),
        ("全乡52平方公里“蝶变”之路", 52, "全乡"),  # a headline's metaphor is no subject
        ("物资送到2000余名老人手中", 2000, "老人"),  # place fillers end the noun
        ("小区停车位由去年的120个增加到310个，", 120, "小区停车位"),  # both ends of a change
        ("小区停车位由去年的120个增加到310个，", 310, "小区停车位"),
        ("投诉量下降，办结率从上月的71%提高至88%，", 88, "办结率"),
        ("走访慰问了80名留守、困难儿童。", 80, "留守、困难儿童"),  # modifiers joined by 、
        ("建成4个议事厅、6个书屋", 4, "议事厅"),  # a list item is no modifier
        ("组织了3次现场调研、督查。", 3, "现场调研"),
        ("镇里在14个村设立“老年食堂”，", 14, "村"),  # a one-character noun before a verb
        ("今年有6名社工被评为优秀社工，", 6, "社工"),  # 被 ends the noun
        ('社区聘请了30名"楼道管家",', 30, '"楼道管家"'),  # ASCII quotation marks
        ("镇里聘请了“河道巡查员”，共计28名，", 28, "“河道巡查员”"),  # a total alone
    ],
)
def test_subject_is_the_counted_noun_phrase(text: str, value: float, subject: str) -> None:
    figures = _quantities(text)
    assert figures.loc[figures["value"] == value, "subject"].tolist()[0] == subject


def test_ties_figures_to_the_year_stated_before_them() -> None:
    figures = _quantities(
        "2013年固定资产投资50亿元，2022年固定资产投资达到102亿元，增速50%。今年新增企业3家。"
    )
    assert figures["ref_year"].tolist()[:3] == [2013, 2022, 2022]
    assert pd.isna(figures["ref_year"].iloc[3])


def test_list_members_share_the_unit_of_the_last() -> None:
    figures = _quantities("分别较去年同期提升5.2、6.8个百分点，投资3、4.5亿元")
    assert figures[["span", "value", "unit"]].values.tolist() == [
        ["5.2", 5.2, "百分点"],
        ["6.8个百分点", 6.8, "百分点"],
        ["3", 3e8, "元"],
        ["4.5亿元", 4.5e8, "元"],
    ]


def test_years_are_date_rows() -> None:
    figures = extract_figures("2013年规模以上工业总产值49亿元")
    assert figures[["span", "category", "ref_year"]].iloc[0].tolist() == ["2013年", "date", 2013]


@pytest.mark.parametrize("text", ["7月18日，会议召开", "9月份，比赛举行", "自2019年7月份以来", "1-6月"])
def test_calendar_dates_are_no_quantities(text: str) -> None:
    assert _quantities(text).empty


@pytest.mark.parametrize(
    ("text", "value", "unit", "category"),
    [
        ("2022年工业总产值80亿，增长显著", 8e9, "元", "money"),
        ("辖区总人口12万，", 120000, "人", "people"),
        ("辖区面积达1.2万，", 12000, "", "other"),
    ],
)
def test_number_without_unit_takes_the_unit_its_words_imply(
    text: str, value: float, unit: str, category: str
) -> None:
    figure = _only(text)
    assert (figure["value"], figure["unit"], figure["category"]) == (value, unit, category)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("3名教授", "people"),
        ("5家企业", "count"),
        ("58条道路", "count"),
        ("7100亩公共绿地", "area"),
        ("53570米", "length"),
        ("44666立方米垃圾", "volume"),
        ("300吨", "weight"),
        ("24小时值守", "duration"),
        ("增速50%", "percent"),
        ("102亿元", "money"),
        ("增长1.5倍", "ratio"),
        ("约1/3面积", "ratio"),
    ],
)
def test_assigns_category_from_unit(text: str, category: str) -> None:
    assert _only(text)["category"] == category


@pytest.mark.parametrize(
    ("text", "negative"),
    [
        ("位于地铁八号线梧桐街站", "八号线"),
        ("地铁3号线二期", "3号线"),
        ("地铁3号线二期", "二期"),
        ("3号线2期开通在即", "2期"),
        ("168路、292路、游51路", "168路"),
        ("游51路共同为居民架构", "游51路"),
        ("第四届“强网杯”", "第四届"),
        ("东区“双改”第十四次暨第八次推进会", "第十四次"),
        ("第二家区域型党群服务中心", "第二家"),
        ("构建第四大主导产业", "第四大"),
        ("学习党的二十大精神", "二十大"),
        ("实施“十四五”规划", "十四五"),
        ("打造“五个之城”", "五个之城"),
        ("开展“四个一”行动", "四个一"),
        ("实行“五个一”工程", "五个一"),
        ("首创实施“九步工作法”", "九步工作法"),
        ("针对“五横六纵两区16园40路”改造工程", "五横六纵两区16园40路"),
        ("不涉及“一环十横十纵”道路改造", "一环十横十纵"),
        ("“1+9”党建局域网", "1+9"),
        ("搭建“3+X”的商业体系", "3+X"),
        ("新闻1+1", "新闻1+1"),
        ("开展“三项工程、一项管理”等重点工作", "三项工程"),
        ("“两个先行”即西北先行", "两个先行"),
        ("围绕一个中心（人民）", "一个中心"),
        ("郑州市第二中学经开区校区", "第二中学"),
        ("郑州市第七人民医院滨河院区", "第七人民医院"),
        ("经开二中、滨河一小", "经开二中"),
        ("经开二中、滨河一小", "滨河一小"),
        ("与中建七局合作", "中建七局"),
        ("新华三大数据技术有限公司", "新华三"),
        ("来自省、市、区三级人大代表", "三级人大代表"),
        ("实行三级动态分析会制度", "三级动态分析会"),
        ("综合实力20强", "20强"),
        ("以世界500强为标准", "世界500强"),
        ("百强企业总部港", "百强"),
        ("庆祝建党99周年", "99周年"),
        ("运用5G、大数据", "5G"),
        ("均是M0用地", "M0"),
        ("河南唯一一所“211”“双一流”建设的大学", "211"),
        ("河南唯一一所“211”“双一流”建设的大学", "唯一一所"),
        ("打通服务群众“最后100米”", "最后100米"),
        ("打通为民服务最后一公里", "最后一公里"),
        ("让人大代表联系选民零距离", "零距离"),
        ("在“七下八上”防汛关键期", "七下八上"),
        ("在七下八上防汛关键期", "七下八上"),
        ("打造千亿级先进生物医药产业集群", "千亿级"),
        ("连续3年增长", "连续3年"),
        ("以西四环区域为己任", "西四环"),
        ("紧邻三环、四环快速路", "三环"),
        ("在四环整治方面", "四环"),
        ("一头连着创业企业 一头对接大学资源", "一头"),
        ("经济社会双统筹如一体两面密不可分", "一体两面"),
        ("将产业项目与社会发展两手抓", "两手抓"),
        ("以只争朝夕、不负韶华的奋斗姿态", "只争朝夕"),
        ("落实好一个项目、一名领导、一个团队", "一名领导"),
        ("围绕一个产业、出台一套政策", "一个产业"),
        ("打造“十分钟便民服务区”", "十分钟便民服务区"),
        ("十分钟便民服务区全覆盖", "十分钟"),
        ("结合“万人助万企”活动部署", "万人助万企"),
        ("万人助万企活动", "万人助万企"),
        ("坚定两个维护、四个意识", "两个维护"),
        ("为实现两个一百年奋斗目标", "两个一百年"),
        ("实施三年行动计划", "三年"),
        ("落实中央八项规定精神", "八项规定"),
        ("15分钟便民圈、15分钟就医圈", "15分钟"),
        ("近三年来累计完成投资", "近三年"),
        ("每10万人拥有医生", "10万人"),
        ("三五天即可办结", "三五天"),
        ("门前三包责任书", "三包"),
        ("三门峡市", "三门"),
        ("排名前3名", "3名"),
        ("7×24小时服务", "24小时"),
        ("开展1对1帮扶", "1对1"),
        ("五位一体总体布局", "五位一体"),
        ("深化“一网通办”“一网统管”改革", "一网统管"),
        ("实现一网统管", "一网统管"),
    ],
)
def test_never_extracts_names_ordinals_or_slogans(text: str, negative: str) -> None:
    figures = _quantities(text)
    start = text.index(negative)
    for span in figures["span"]:
        at = text.index(span)
        assert not (at < start + len(negative) and start < at + len(span)), (span, negative)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("科学划分1个一级网格", 1, "个"),  # a level name after a counted one stays a figure
        ("一级网格1人、二级第一网格长7人", 1, "人"),
        ("河南省重大新型研发机构1家", 1, "家"),
        ("郑州大学三个学院、三名教授", 3, "个"),
        ("历时近两年", 2, "年"),
    ],
)
def test_keeps_counts_next_to_negative_patterns(text: str, value: float, unit: str) -> None:
    figures = _quantities(text)
    assert ((figures["value"] == value) & (figures["unit"] == unit)).any()


def test_uses_a_private_numeral_parser_not_free_text_conversion() -> None:
    figures = extract_figures("深化一网统管，推进一件“事”主题服务，三个强化")
    assert figures.empty


def test_free_text_rows_have_empty_article_fields() -> None:
    figures = extract_figures("清扫卫生死角2700处")
    expected = schema.conform(
        pd.DataFrame(
            [
                {
                    "article_id": "",
                    "sentence_no": pd.NA,
                    "office": "",
                    "span": "2700处",
                    "value": 2700.0,
                    "unit": "处",
                    "qualifier": "",
                    "subject": "卫生死角",
                    "category": "count",
                    "ref_year": pd.NA,
                    "theme": "",
                }
            ]
        ),
        "figures",
    )
    assert_frame_equal(figures, expected)


def test_empty_text_gives_an_empty_table_with_the_schema_columns() -> None:
    assert_frame_equal(extract_figures(""), schema.empty_table("figures"))


def test_sentence_rows_carry_article_sentence_and_office() -> None:
    sentences = pd.DataFrame(
        {
            "article_id": ["003-01", "003-01"],
            "sentence_no": [4, 5],
            "office": ["枫杨办事处", "潮河办事处"],
            "text": ["共调解矛盾纠纷220余起。", "没有数字。"],
        }
    )
    figures = extract_figures_from_sentences(sentences)
    assert figures[["article_id", "sentence_no", "office", "span"]].values.tolist() == [
        ["003-01", 4, "枫杨办事处", "220余起"]
    ]


def test_sentences_table_without_text_is_an_error() -> None:
    with pytest.raises(GovnewsError, match="text"):
        extract_figures_from_sentences(pd.DataFrame({"article_id": [], "sentence_no": [], "office": []}))


_NUMERIC_TEXT = st.text(
    alphabet=st.sampled_from(
        list(
            "0123456789.,/%％-~至到一二两三四五六七八九十百千万亿零〇个名家元人次年月日"
            "余多近约逾超以上左右不到至少第分之级“”《》，。企业网格"
        )
    ),
    max_size=200,
)


@settings(max_examples=150, deadline=None)
@given(_NUMERIC_TEXT)
def test_spans_are_substrings_values_finite_qualifiers_documented(text: str) -> None:
    figures = extract_figures(text)
    for row in figures.itertuples():
        assert row.span in text
        assert math.isfinite(row.value)
        assert row.qualifier in QUALIFIERS


def test_handles_long_adversarial_text() -> None:
    text = "三个" * 2500 + "1" * 2500 + "万余" * 1250
    figures = extract_figures(text)
    assert all(span in text for span in figures["span"])


def test_default_lexicon_is_cached() -> None:
    assert load_units() is load_units()


@pytest.mark.parametrize(
    ("content", "problem", "line"),
    [
        ("units: [\n  {unit: 个, category: count\n", "broken YAML", 3),
        ("units:\n  - {unit: 个, category: count}\n", "missing section", None),
    ],
)
def test_broken_lexicon_names_file_and_line(tmp_path, content: str, problem: str, line: int | None) -> None:
    path = tmp_path / "units.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GovnewsError, match=problem) as error:
        load_units(path)
    assert error.value.path == path
    assert error.value.line == line


def test_duplicate_unit_is_an_error_naming_its_line(tmp_path) -> None:
    default = (project_paths().lexicon_dir / "units.yml").read_text(encoding="utf-8")
    path = tmp_path / "units.yml"
    path.write_text(
        default.replace(
            "  - {unit: 家, category: count}\n",
            "  - {unit: 家, category: count}\n  - {unit: 家, category: count}\n",
        ),
        encoding="utf-8",
    )
    with pytest.raises(GovnewsError, match="listed twice") as error:
        load_units(path)
    assert error.value.line == default.splitlines().index("  - {unit: 家, category: count}") + 2


def test_edited_lexicon_adds_a_unit(tmp_path) -> None:
    default = (project_paths().lexicon_dir / "units.yml").read_text(encoding="utf-8")
    path = tmp_path / "units.yml"
    path.write_text(
        default.replace("units:\n", "units:\n  - {unit: 枚, category: count}\n", 1), encoding="utf-8"
    )
    assert extract_figures("发放纪念章300枚").empty
    assert extract_figures("发放纪念章300枚", units=load_units(path))["unit"].tolist() == ["枚"]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("自然增长率为3‰，", 3, "‰"),  # per mille
        ("每瓶550ml，", 550, "ml"),  # volume abbreviations
        ("每桶水18.9L，", 18.9, "L"),
        ("工期一个半月，", 1.5, "月"),  # 一 with a half is a count, not an article
    ],
)
def test_more_quantity_forms(text: str, value: float, unit: str) -> None:
    figures = extract_figures(text)
    assert figures[["value", "unit"]].values.tolist() == [[value, unit]]


def test_a_dash_after_a_percent_sign_joins_a_range() -> None:
    assert extract_figures("占比为15%-25%，")["value"].tolist() == [15, 25]
    assert extract_figures("气温为-3℃，")["value"].tolist() == [-3]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("全年开办家政培训班14期，", [14]),  # sessions: a session word before the number
        ("社区已举办5期，", [5]),
        ("累计开展讲座共计11期，", [11]),  # a total word may stand between
        ("科技园三期项目开工，", []),  # a project's phase
        ("轻轨2期正在施工，", []),
    ],
)
def test_a_unit_with_after_words_counts_only_after_them(text: str, values: list[float]) -> None:
    assert extract_figures(text)["value"].tolist() == values


def test_after_words_must_be_a_list(tmp_path) -> None:
    default = (project_paths().lexicon_dir / "units.yml").read_text(encoding="utf-8")
    path = tmp_path / "units.yml"
    path.write_text(
        default.replace("units:\n", "units:\n  - {unit: 枚, category: count, after: 发放}\n", 1), "utf-8"
    )
    with pytest.raises(GovnewsError, match="'after' must be a list"):
        load_units(path)


# ---------------------------------------------------------------- compiled patterns (speed, same matches)


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.text(alphabet="人次平方米k", min_size=1, max_size=4), min_size=1, max_size=8),
    text=st.text(alphabet="人次平方米kx", max_size=8),
)
def test_word_trie_matches_like_longest_first_alternatives(words: list[str], text: str) -> None:
    """The trie a word list is compiled to finds what ``longest|…|shortest`` finds, backtracking too."""
    plain = "|".join(re.escape(word) for word in sorted(set(words), key=lambda word: (-len(word), word)))
    trie = figures_module._alternation(words)
    for wrapper in ("(?:{})", "(?:{})+", "(?:{})次", "(?:{})+米$", "x(?:{})?k"):
        expected, compiled = re.compile(wrapper.format(plain)), re.compile(wrapper.format(trie))
        for start in range(len(text) + 1):
            want, got = expected.match(text, start), compiled.match(text, start)
            assert (want and want.span()) == (got and got.span()), (wrapper, start)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="12３,，.．一二两十百万亿壹点半个x", max_size=14))
def test_number_tokens_are_those_of_the_two_kinds(text: str) -> None:
    """The number pattern that opens with one character class finds the Arabic and Chinese numbers
    the plain alternation of the two kinds finds."""
    plain = re.compile(rf"(?P<arabic>{figures_module._ARABIC})|(?P<chinese>{figures_module._CHINESE})")
    want = [(m.span(), m["chinese"] is not None) for m in plain.finditer(text)]
    got = [(m.span(), m["chinese"] is not None) for m in figures_module._NUMBER_TOKEN.finditer(text)]
    assert got == want
