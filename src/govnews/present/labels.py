"""Every word a report shows around the data, in Chinese and English: one language per report.

A report is Chinese by default and English with ``--lang en``; data (office names, measures,
sentences) stays as printed. Column headers, small words (yes/no) and the table widget's own
words live here, so that a page never mixes the two languages. Chinese is the fallback for a
header that has no English label only through :func:`column_label`, which spells the column
name out instead.
"""

from __future__ import annotations

from govnews.vocabulary import district_level_label

LANGUAGES = ("zh", "en")
"""Report languages; the first is the default."""

_COLUMNS: dict[str, tuple[str, str]] = {
    "office": ("办事处", "office"),
    "district": ("区县", "district"),
    "city": ("城市", "city"),
    "province": ("省份", "province"),
    "source": ("文件", "file"),
    "encoding": ("编码", "encoding"),
    "n_bytes": ("字节数", "bytes"),
    "n_chars": ("字数", "characters"),
    "n_articles": ("文章数", "articles"),
    "n_sentences": ("句子数", "sentences"),
    "n_lines": ("行数", "lines"),
    "n_figures": ("数字个数", "figures"),
    "n_measures": ("举措数", "measures"),
    "n_mentions": ("提及次数", "mentions"),
    "n_numeric_slogans": ("数字口号数", "numeric slogans"),
    "n_offices": ("办事处数", "offices"),
    "n_misses": ("遗漏数", "misses"),
    "n_judged": ("已判断", "judged"),
    "article_id": ("文章编号", "article"),
    "article_no": ("篇号", "article no."),
    "sentence_no": ("句号", "sentence no."),
    "office_source": ("归属依据", "office from"),
    "year": ("年份", "year"),
    "years": ("年份", "years"),
    "title": ("标题", "title"),
    "reason": ("原因", "reason"),
    "example": ("示例", "example"),
    "text": ("文本", "text"),
    "share_of_chars": ("字数占比", "share of characters"),
    "share_of_sentences": ("句子占比", "share of sentences"),
    "share_of_articles": ("文章占比", "share of articles"),
    "has_enough_text": ("文本足够比较", "enough text to compare"),
    "theme": ("主题", "theme"),
    "term": ("词语", "term"),
    "hits": ("命中数", "hits"),
    "rate_per_10k_chars": ("每万字命中", "per 10k characters"),
    "rate_ci_low": ("区间下限", "interval low"),
    "rate_ci_high": ("区间上限", "interval high"),
    "rate_ratio_to_rest": ("与其他文本之比", "ratio to the rest"),
    "rank_among_offices": ("办事处中排名", "rank among offices"),
    "rest_hits": ("其他文本命中", "hits elsewhere"),
    "rest_rate_per_10k_chars": ("其他文本每万字", "elsewhere per 10k"),
    "rank": ("排名", "rank"),
    "first_year": ("起始年", "first year"),
    "last_year": ("末年", "last year"),
    "rate_first": ("起始年每万字", "first year per 10k"),
    "rate_last": ("末年每万字", "last year per 10k"),
    "hits_first": ("起始年命中", "first year hits"),
    "hits_last": ("末年命中", "last year hits"),
    "change_per_10k_chars": ("每万字变化", "change per 10k"),
    "count_target": ("本办事处次数", "count here"),
    "count_reference": ("其他文本次数", "count elsewhere"),
    "g2": ("G²", "G²"),
    "log_ratio": ("对数比", "log ratio"),
    "p_value": ("p 值", "p"),
    "p_adjusted": ("校正 p 值", "adjusted p"),
    "weight": ("权重", "weight"),
    "span": ("原文", "as printed"),
    "value": ("数值", "value"),
    "unit": ("单位", "unit"),
    "qualifier": ("限定词", "qualifier"),
    "subject": ("统计对象", "subject"),
    "category": ("类别", "kind"),
    "ref_year": ("所指年份", "year meant"),
    "check": ("核对", "check"),
    "spans": ("涉及原文", "figures"),
    "stated_value": ("报道值", "stated"),
    "computed_value": ("推算值", "computed"),
    "is_inconsistent": ("不一致", "inconsistent"),
    "verdict": ("结论", "verdict"),
    "evidence": ("依据", "evidence"),
    "message": ("说明", "note"),
    "name": ("名称", "name"),
    "canonical": ("规范名称", "canonical name"),
    "variants": ("其他写法", "other spellings"),
    "scope": ("层级", "scope"),
    "kind": ("类型", "kind"),
    "is_numeric_slogan": ("数字口号", "numeric slogan"),
    "components": ("组成部分", "parts"),
    "expansions": ("含义", "meanings"),
    "slogan": ("口号", "slogan"),
    "part": ("部分", "part"),
    "part_no": ("序号", "no."),
    "expansion": ("含义", "meaning"),
    "offices": ("办事处", "offices"),
    "most_mentioned": ("提及最多", "most mentioned"),
    "most_mentioned_n": ("最多提及次数", "times"),
    "articles_with": ("文章数", "articles"),
    "sentences_with": ("句子数", "sentences"),
    "metric": ("指标", "score"),
    "meaning": ("含义", "meaning"),
    "count": ("数量", "count"),
    "n": ("数量", "count"),
    "share_of_reference": ("得分", "score"),
    "support": ("人工编码句数", "coded sentences"),
    "true_positives": ("一致", "agreed"),
    "false_positives": ("多判", "tool only"),
    "false_negatives": ("漏判", "coder only"),
    "is_measure": ("是举措", "is a measure"),
    "note": ("备注", "note"),
    "precision": ("准确率", "precision"),
    "recall": ("召回率", "recall"),
    "f1": ("F1", "F1"),
    "position": ("位置", "position"),
    "money": ("金额", "money"),
    "articles_without_year": ("无年份文章", "articles without a year"),
    "missing": ("缺少", "missing"),
    "own": ("本办事处", "own"),
    "national": ("国家", "national"),
    "unknown": ("不明", "unknown"),
    "check_kind": ("核对", "check"),
    "people": ("人数", "people"),
    "area": ("面积", "area"),
    "length": ("长度", "length"),
    "volume": ("体积", "volume"),
    "weight_amount": ("重量", "weight"),
    "percent": ("百分比", "percent"),
    "ratio": ("比率", "ratio"),
    "duration": ("时长", "duration"),
    "date": ("日期", "date"),
    "left": ("前文", "before"),
    "right": ("后文", "after"),
    "match": ("匹配词", "match"),
    "match_type": ("匹配方式", "match type"),
    "is_still_extracted": ("仍被抽取", "still extracted"),
    "detail": ("详情", "detail"),
    "article": ("文章", "article"),
    "why": ("原因", "why"),
}

_VALUES: dict[str, dict[str, tuple[str, str]]] = {
    # Codes the tables hold in a few columns, as a reader reads them.
    "check": {
        "growth_rate": ("增长率", "growth rate"),
        "parts_exceed_total": ("部分之和超过总数", "parts exceed the total"),
        "rate_vs_counts": ("比率与计数", "rate against counts"),
    },
    "verdict": {
        "consistent": ("一致", "consistent"),
        "contradiction": ("矛盾", "contradiction"),
        "unverifiable": ("无法核实", "cannot be checked"),
    },
    "reason": {
        "caption": ("图片说明", "caption"),
        "picture_placeholder": ("图片占位", "picture placeholder"),
        "photo_credit": ("摄影署名", "photo credit"),
        "marker": ("版面标记", "page marker"),
        "markdown_mark": ("排版符号", "markdown mark"),
    },
    "scope": {
        "office": ("本办事处", "own"),
        "district": ("区县", "district"),
        "city": ("市", "city"),
        "province": ("省", "province"),
        "national": ("国家", "national"),
        "unknown": ("不明", "unknown"),
    },
    "metric": {
        "article_accuracy": ("文章准确率", "article accuracy"),
        "figure_recall": ("数字召回率", "figure recall"),
        "figure_precision": ("数字准确率", "figure precision"),
        "figure_precision_in_file": ("数字准确率（按页）", "figure precision (by page)"),
        "qualifier_accuracy": ("限定词准确率", "qualifier accuracy"),
        "measure_recall": ("举措召回率", "measure recall"),
        "not_figures_extracted": ("误当成数字的个数", "non-figures read as figures"),
        "year_accuracy": ("年份准确率", "year accuracy"),
        "year_precision": ("年份精确率", "year precision"),
        "subject_accuracy": ("统计对象准确率", "subject accuracy"),
    },
    "category": {
        "count": ("数量", "count"),
        "people": ("人数", "people"),
        "money": ("金额", "money"),
        "area": ("面积", "area"),
        "length": ("长度", "length"),
        "volume": ("体积", "volume"),
        "weight": ("重量", "weight"),
        "percent": ("百分比", "percent"),
        "ratio": ("比率", "ratio"),
        "duration": ("时长", "duration"),
        "age": ("年龄", "age"),
        "temperature": ("温度", "temperature"),
        "date": ("日期", "date"),
        "ordinal": ("序数", "ordinal"),
        "other": ("其他", "other"),
    },
}

_WORDS: dict[str, tuple[str, str]] = {
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "district_level": (district_level_label(), "district-level"),
    "csv_link": ("完整表格（CSV）", "full table (CSV)"),
    "rows": ("行", "rows"),
    "title_of": ("：", ": "),
    "report_title": ("govnews 报告：街道办事处新闻对比", "govnews report: sub-district offices in the news"),
    "report_intro": (
        "每一页回答一个问题；图表另存于 figures/（PNG、SVG、PDF），完整表格存于 tables/（CSV）。",
        "Each page answers one question; charts are also in figures/ (PNG, SVG, PDF), full tables in "
        "tables/ (CSV).",
    ),
}

DATATABLES_LANGUAGE: dict[str, dict] = {
    "zh": {
        "search": "搜索：",
        "info": "第 _START_ 至 _END_ 行，共 _TOTAL_ 行",
        "infoEmpty": "共 0 行",
        "infoFiltered": "（从 _MAX_ 行中筛选）",
        "lengthMenu": "每页 _MENU_ 行",
        "emptyTable": "表中没有数据",
        "zeroRecords": "没有匹配的行",
        "paginate": {"first": "首页", "last": "末页", "next": "下页", "previous": "上页"},
        "aria": {"sortAscending": "：升序", "sortDescending": "：降序"},
    },
    "en": {},
}
"""The words of the sortable table widget (DataTables) per language; its own defaults are English."""


def _check(lang: str) -> int:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown report language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return LANGUAGES.index(lang)


def column_label(column: str, lang: str = "zh") -> str:
    """The header a reader sees for ``column`` in ``lang``.

    A column without a label keeps its name in English (underscores as spaces); in Chinese it
    keeps the name as is, which the report test flags as mixed language.
    """
    labels = _COLUMNS.get(column)
    if labels:
        return labels[_check(lang)]
    _check(lang)
    return column.replace("_", " ")


def word(key: str, lang: str = "zh") -> str:
    """A small word or phrase of the report's chrome in ``lang``."""
    return _WORDS[key][_check(lang)]


def value_label(column: str, value: str, lang: str = "zh") -> str:
    """A code held in ``column`` (a check, a verdict, a removal reason, a figure category) in ``lang``.

    Other values, and every value of other columns, are data and stay as printed.
    """
    labels = _VALUES.get(column, {}).get(value)
    return labels[_check(lang)] if labels else value


_VIEW_LABELS: dict[str, str] = {
    # Names the views give to rows that are not data (district-level news, pooled text …), in English.
    district_level_label(): "district-level",
    "其他文本（合计）": "all other text",
    "年份不明": "year unknown",
    "未归类": "unclassified",
    "全部": "all",
}


def view_label(text: str, lang: str = "zh") -> str:
    """A row name the views make (``区级/未归属``, ``其他文本（合计）``, ``2020年`` …) in ``lang``.

    Data (office names, measures) is returned unchanged.
    """
    if _check(lang) == 0:
        return text
    if text in _VIEW_LABELS:
        return _VIEW_LABELS[text]
    if len(text) == 5 and text.endswith("年") and text[:4].isdigit():
        return text[:4]
    return text


def in_language(text: str, lang: str = "zh") -> str:
    """A sentence with the views' row names in ``lang`` (for findings that quote them)."""
    if _check(lang) == 0:
        return text
    for chinese, english in _VIEW_LABELS.items():
        text = text.replace(chinese, english)
    return text
