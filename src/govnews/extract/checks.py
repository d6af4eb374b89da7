"""Figures → figure_checks: do the numbers an article states add up?

Three checks, each kept conservative because a false alarm costs more trust than a miss. Every
check compares intervals, not points: a printed figure stands for every value it could have
been rounded from or that its qualifier allows, so a check only fires when no such values agree.

* ``growth_rate`` - a stated growth rate (增速/增长/提高 … N%) and the two values it grows from
  and to, found earlier in the same sentence: same unit, matching subjects, and either two
  different ``ref_year`` (2013年…50亿元，2022年…102亿元) or a 从/由 A … 到/至 B phrasing. Both the
  total growth B/A − 1 and the compound annual rate (B/A)^(1/years) − 1 are computed and kept
  (``total_growth_pct``, ``annual_growth_pct_per_year``). Only a rate the text ties to the span is
  judged: 年均增长 against the annual rate, 比2013年增长 / 从A增长到B / 同比 over one year against
  the total. Such a rate that disagrees is a ``contradiction``; an untied rate (增速50% beside 2013
  and 2022 values may be any single year's rate) that matches neither reading is ``unverifiable``.
  A decline (下降/减少 …) is compared as a negative rate.
* ``growth_ratio`` - 是2013年的2.5倍: the stated multiple against B/A.
* ``parts_exceed_total`` - a total (共有/共计/合计/累计/总数 … before it in its clause) followed by
  其中 (in its sentence or at the start of the next one) and parts of the same unit whose
  subject shares the total's head noun (企业 → 规模以上企业). Flagged when one part exceeds the
  total. The sum of the parts is reported but never flagged on its own: categories such as
  高新技术企业 and 规模以上企业 overlap, so their sum may exceed the total legitimately.
* ``rate_vs_counts`` - a rate (调解成功率 95%) and the two counts it is computed from, earlier in
  the same sentence: the numerator is the count whose clause contains the rate's stem (成功调解
  210余起), the denominator the count before it in the same unit (调解矛盾纠纷220余起).

Interval of a printed value: an exact figure stands for ± half its last printed digit (50亿 →
[49.5亿, 50.5亿], 95.2% → [95.15, 95.25]); with a qualifier the step is the place of the last
non-zero digit (220余 → step 10): 余/多 [v, v + step]; 近/不到 [v − step, v]; 约/左右
± max(step, 10 %); 以上/超过/逾/至少 [v, ∞) (at most 100 for a percentage). One row is written
per check performed, with a ``verdict`` (consistent, contradiction or unverifiable) and
``is_inconsistent`` True for a contradiction only.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import pandas as pd

from govnews import schema
from govnews.errors import GovnewsError
from govnews.vocabulary import HAN, NON_QUANTITY_CATEGORIES

_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?、]")
_GROWTH_UP = ("增速", "增长", "增幅", "增加", "提高", "提升", "上升", "涨幅", "增")
_GROWTH_DOWN = ("下降", "减少", "降低", "下滑", "回落", "降幅", "减")
_ANNUAL = ("年均", "年平均", "每年")
# 提高到45% / 增至45% state the new level, not the growth
_LEVEL_ENDINGS = ("到", "至", "为", "达")
# words a growth rate's clause may hold besides the subject of the values it compares
_RATE_FILLERS = (
    *_GROWTH_UP,
    *_GROWTH_DOWN,
    *_ANNUAL,
    "同比",
    "环比",
    "较上年",
    "比上年",
    "较",
    "比",
    "是",
    "的",
    "为",
    "了",
    "达到",
    "达",
    "约",
    "近",
    "分别",
    "幅度",
    "率",
    "总体",
    "整体",
    "全年",
)
_FROM = ("从", "由")
_YEAR_ON_YEAR = ("同比", "比上年", "较上年", "比去年", "较去年", "环比")
_SINCE_YEAR = re.compile(r"(?:比|较|与|相比|对比)([12][0-9]{3})年")
_YEAR = re.compile(r"[12][0-9]{3}年")
_TIMES_OF = re.compile(r"[是为].{0,12}的$")  # 是2013年的2.5倍
_CONSISTENT, _CONTRADICTION, _UNVERIFIABLE = "consistent", "contradiction", "unverifiable"
_TO = ("到", "至")
_TOTAL_CUES = ("共", "合计", "累计", "总")  # 共有/共计, 总计/总数/总量/总共 included
_TOTAL_CUE = re.compile("|".join(map(re.escape, _TOTAL_CUES)))
_TOTAL_WORDS = ("总数", "总量", "数量", "总计", "总")
_PARTS_CUE = "其中"
_RATE_STEM = re.compile(rf"([{HAN}]{{2}})率")
_UNCHECKED_CATEGORIES = (*NON_QUANTITY_CATEGORIES, "percent", "ratio")
_ABOVE = ("以上", "超过", "逾", "至少")
_BELOW = ("近", "不到")
_ABOUT = ("约", "左右")
_ROUGH = ("余", "多")
_ABOUT_SHARE = 0.1
_FIGURE_COLUMNS = (
    "article_id",
    "sentence_no",
    "span",
    "value",
    "unit",
    "qualifier",
    "subject",
    "category",
    "ref_year",
)
_PRINTED_NUMBER = re.compile(r"([0-9][0-9,]*(?:\.([0-9]+))?)")


@dataclass(frozen=True)
class _Figure:
    """A figure row located in its sentence."""

    article_id: str
    sentence_no: int
    sentence: str
    start: int
    end: int
    span: str
    value: float
    unit: str
    qualifier: str
    subject: str
    category: str
    ref_year: int | None

    @cached_property  # asked by several checks for every pair of figures
    def clause_before(self) -> str:
        """Text of the figure's clause before the figure (增速50% → 增速)."""
        head = self.sentence[: self.start]
        breaks = list(_CLAUSE_BREAK.finditer(head))
        return head[breaks[-1].end() :] if breaks else head

    @property
    def clause(self) -> str:
        """The figure's clause up to the end of the figure."""
        return self.clause_before + self.span


def check_figures(figures: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Consistency checks of the figures each article states.

    Args:
        figures: the ``figures`` table.
        sentences: the ``sentences`` table the figures were extracted from.

    Returns:
        The ``figure_checks`` table: one row per check performed (growth_rate,
        parts_exceed_total, rate_vs_counts), with the spans involved, the stated and the
        computed value and whether they disagree beyond the rounding the text allows.

    Raises:
        GovnewsError: a table lacks a column the checks need.
    """
    _require(figures, "figures", _FIGURE_COLUMNS)
    _require(sentences, "sentences", ("article_id", "sentence_no", "text"))
    rows: list[dict] = []
    columns = [sentences[name].tolist() for name in ("article_id", "sentence_no", "text")]
    texts = {(str(a), int(n)): str(t) for a, n, t in zip(*columns, strict=True) if not _is_missing(n)}
    located = _locate(figures, texts)
    for article_id, article_figures in located.items():
        by_sentence: dict[int, list[_Figure]] = {}
        for figure in article_figures:
            by_sentence.setdefault(figure.sentence_no, []).append(figure)
        for sentence_no, in_sentence in sorted(by_sentence.items()):
            rows += _check_growth_rates(in_sentence)
            rows += _check_rates_against_counts(in_sentence)
            next_text = texts.get((article_id, sentence_no + 1), "")
            rows += _check_parts(in_sentence, by_sentence.get(sentence_no + 1, []), next_text)
    return schema.from_rows(rows, "figure_checks")


def _is_missing(value: object) -> bool:
    """``pd.isna`` of one cell, without its dispatch for the ints and floats most cells are."""
    if value is None or value is pd.NA:
        return True
    kind = type(value)
    if kind is int:
        return False
    if kind is float:
        return value != value  # NaN
    return bool(pd.isna(value))


def _require(frame: pd.DataFrame, name: str, columns: tuple[str, ...]) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise GovnewsError(None, f"the {name} table lacks column(s) {', '.join(missing)}")


def _locate(figures: pd.DataFrame, texts: dict[tuple[str, int], str]) -> dict[str, list[_Figure]]:
    """Figures by article, each placed at its span in its sentence (in table order)."""
    located: dict[str, list[_Figure]] = {}
    cursor: dict[tuple[str, int], int] = {}
    rows = zip(*(figures[column].tolist() for column in _FIGURE_COLUMNS), strict=True)
    for article_id, sentence_no, span, value, unit, qualifier, subject, category, ref_year in rows:
        if _is_missing(sentence_no) or _is_missing(value) or not span:
            continue
        key = (str(article_id), int(sentence_no))
        sentence = texts.get(key)
        if sentence is None:
            continue
        start = sentence.find(span, cursor.get(key, 0))
        if start < 0:
            start = sentence.find(span)
        if start < 0:
            continue
        cursor[key] = start + len(span)
        located.setdefault(key[0], []).append(
            _Figure(
                article_id=key[0],
                sentence_no=key[1],
                sentence=sentence,
                start=start,
                end=start + len(span),
                span=str(span),
                value=float(value),
                unit=str(unit),
                qualifier=str(qualifier),
                subject=str(subject),
                category=str(category),
                ref_year=None if _is_missing(ref_year) else int(ref_year),
            )
        )
    return located


# ---------------------------------------------------------------- intervals


def _last_digit_step(value: float) -> float:
    """Place value of the last non-zero digit (220 → 10, 35.97 → 0.01, 1.02e10 → 1e8)."""
    if value == 0 or not math.isfinite(value):
        return 1.0
    exponent = Decimal(repr(abs(value))).normalize().as_tuple().exponent
    return float(Decimal(1).scaleb(int(exponent)))


def _printed_step(figure: _Figure) -> float:
    """Place value of the last printed digit, magnitudes included (50亿 → 1e8, 95.2% → 0.1, 100家 → 1).

    Chinese numerals carry no printed precision, so they fall back to the last non-zero digit.
    """
    number = _PRINTED_NUMBER.search(unicodedata.normalize("NFKC", figure.span))
    if number is None:
        return _last_digit_step(figure.value)
    printed = float(number[1].replace(",", ""))
    decimals = len(number[2] or "")
    magnitude = figure.value / printed if printed else 1.0
    return 10.0**-decimals * magnitude


def _bounds(figure: _Figure) -> tuple[float, float]:
    """Every value the printed figure may stand for."""
    value, qualifier = figure.value, figure.qualifier
    step = _printed_step(figure) if not qualifier else max(_printed_step(figure), _last_digit_step(value))
    if qualifier in _ROUGH:
        low, high = value, value + step
    elif qualifier in _ABOVE:
        low, high = value, math.inf
    elif qualifier in _BELOW:
        low, high = value - step, value
    elif qualifier in _ABOUT:
        spread = max(step, _ABOUT_SHARE * abs(value))
        low, high = value - spread, value + spread
    else:
        low, high = value - step / 2, value + step / 2
    if figure.category == "percent" and qualifier in _ABOVE:
        high = 100.0
    return low, high


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _ratio_bounds(numerator: tuple[float, float], denominator: tuple[float, float]) -> tuple[float, float]:
    low_den, high_den = max(denominator[0], 1e-12), max(denominator[1], 1e-12)
    return numerator[0] / high_den, numerator[1] / low_den


def _percent(value: float) -> str:
    return f"{value:+.1f}%"


# ---------------------------------------------------------------- growth rates


def _growth_sign(figure: _Figure) -> int:
    """+1 for a stated increase, -1 for a decrease, 0 when the percentage is no growth rate."""
    clause = figure.clause_before
    if clause.endswith(_LEVEL_ENDINGS):
        return 0
    if any(word in clause for word in _GROWTH_DOWN):
        return -1
    if any(word in clause for word in _GROWTH_UP):
        return 1
    return 0


def _is_amount(figure: _Figure) -> bool:
    return figure.category not in _UNCHECKED_CATEGORIES


def _same_subject(a: _Figure, b: _Figure) -> bool:
    """Subjects that name the same thing (工业总产值 and 规模以上工业总产值)."""
    x, y = a.subject, b.subject
    if not x or not y:
        return False
    return x in y or y in x or (len(x) >= 2 and len(y) >= 2 and x[-2:] == y[-2:])


def _is_from_to(a: _Figure, b: _Figure) -> bool:
    """从/由 A … 到/至 B within one stretch of text."""
    before = a.sentence[max(0, a.start - 8) : a.start]
    between = a.sentence[a.end : b.start]
    return (
        any(word in before for word in _FROM) and any(word in between for word in _TO) and len(between) <= 12
    )


def _check_growth_rates(figures: list[_Figure]) -> list[dict]:
    rows = []
    since = 0
    for index, rate in enumerate(figures):
        is_percent = rate.category == "percent" and rate.unit in ("%", "％")
        is_multiple = rate.unit == "倍" and _TIMES_OF.search(rate.clause_before) is not None
        if not (is_percent or is_multiple):
            continue
        sign = 1 if is_multiple else _growth_sign(rate)
        if not sign:
            continue
        candidates = [f for f in figures[since:index] if _is_amount(f)]
        since = index + 1
        pair = _growth_pair(candidates)
        if pair is None or not _rate_names_pair(rate, *pair):
            continue
        row = _multiple_row(rate, *pair) if is_multiple else _growth_row(rate, sign, *pair)
        if row is not None:
            rows.append(row)
    return rows


def _rate_names_pair(rate: _Figure, before: _Figure, after: _Figure) -> bool:
    """True when the rate's clause names nothing but the pair's subject (增速50%, 投资增长5%).

    其中工业投资增长15% names another quantity than the totals before it, so it is not checked.
    """
    rest = _YEAR.sub("", rate.clause_before)  # 比2013年增长 names the span, not another quantity
    for word in sorted(_RATE_FILLERS, key=len, reverse=True):
        rest = rest.replace(word, "")
    return not rest or rest in after.subject or rest in before.subject


def _growth_pair(candidates: list[_Figure]) -> tuple[_Figure, _Figure] | None:
    """The latest (before, after) pair among the amounts that precede a growth rate."""
    for j in range(len(candidates) - 1, 0, -1):
        after = candidates[j]
        for i in range(j - 1, -1, -1):
            before = candidates[i]
            if before.unit != after.unit or before.category != after.category:
                continue
            dated = (
                before.ref_year is not None
                and after.ref_year is not None
                and before.ref_year < after.ref_year
            )
            # 2019年收入8.2亿元，2023年达到12.6亿元: the later value often repeats no subject
            continues = i == j - 1 and not after.subject
            if (dated and (_same_subject(before, after) or continues)) or _is_from_to(before, after):
                return before, after
    return None


def _span_tie(rate: _Figure, before: _Figure, after: _Figure, years: int) -> str:
    """Which span the text ties a stated rate to: ``annual``, ``total`` or ``""`` (none).

    年均增长 ties it to a year; 比2013年增长, 从A增长到B and, over one year, 同比增长 tie it to the
    whole span. A bare 增速50% beside two years' values may be any year's rate.
    """
    clause = rate.clause_before
    if any(word in clause for word in _ANNUAL):
        return "annual"
    since = _SINCE_YEAR.search(clause)
    if since is not None and before.ref_year is not None and int(since[1]) == before.ref_year:
        return "total"
    if _is_from_to(before, after) or (years == 1 and any(word in clause for word in _YEAR_ON_YEAR)):
        return "total"
    return ""


def _growth_row(rate: _Figure, sign: int, before: _Figure, after: _Figure) -> dict | None:
    if not before.value:
        return None
    years = after.ref_year - before.ref_year if before.ref_year and after.ref_year else 0
    tie = _span_tie(rate, before, after, years)
    if tie == "annual" and not years:
        return None
    low, high = _bounds(rate)
    stated_bounds = (low, high) if sign > 0 else (-high, -low)
    factor = _ratio_bounds(_bounds(after), _bounds(before))
    total = 100 * (after.value / before.value - 1)
    agrees_total = _overlap(stated_bounds, (100 * (factor[0] - 1), 100 * (factor[1] - 1)))
    annual, agrees_annual, annual_text, when = math.nan, False, "", ("", "")
    if years:
        annual = 100 * ((after.value / before.value) ** (1 / years) - 1)
        annual_bounds = (100 * (factor[0] ** (1 / years) - 1), 100 * (factor[1] ** (1 / years) - 1))
        agrees_annual = _overlap(stated_bounds, annual_bounds)
        annual_text = f", {_percent(annual)} a year over {years} years"
        when = (f" ({before.ref_year})", f" ({after.ref_year})")
    agrees = {"annual": agrees_annual, "total": agrees_total}.get(tie, agrees_total or agrees_annual)
    verdict = _verdict(agrees, tie)
    explanation = {
        _CONSISTENT: "consistent",
        _CONTRADICTION: f"the text ties the rate to the {'year' if tie == 'annual' else 'whole span'} "
        "and it does not follow from the figures",
        _UNVERIFIABLE: "the text does not say over which span it was measured, and it matches neither "
        "the total nor the annual rate",
    }[verdict]
    message = (
        f"Stated {'growth' if sign > 0 else 'decline'} {rate.span} vs {before.span}{when[0]} → "
        f"{after.span}{when[1]}: {_percent(total)} in total{annual_text}; {explanation}."
    )
    computed = annual if tie == "annual" else total
    row = _row(
        rate.article_id, "growth_rate", (before, after, rate), sign * rate.value, computed, verdict, message
    )
    return row | {"total_growth_pct": total, "annual_growth_pct_per_year": annual}


def _multiple_row(rate: _Figure, before: _Figure, after: _Figure) -> dict | None:
    """2022年产值是2013年的2.5倍: the later value over the earlier one."""
    if not before.value:
        return None
    years = after.ref_year - before.ref_year if before.ref_year and after.ref_year else 0
    factor = _ratio_bounds(_bounds(after), _bounds(before))
    ratio = after.value / before.value
    agrees = _overlap(_bounds(rate), factor)
    verdict = _verdict(agrees, "total")
    message = (
        f"Stated {rate.span} of {before.span} → {after.span}: the figures give {ratio:.2f}×; "
        f"{'consistent' if agrees else 'the stated multiple does not follow from the figures'}."
    )
    annual = 100 * (ratio ** (1 / years) - 1) if years else math.nan
    row = _row(rate.article_id, "growth_ratio", (before, after, rate), rate.value, ratio, verdict, message)
    return row | {"total_growth_pct": 100 * (ratio - 1), "annual_growth_pct_per_year": annual}


def _verdict(agrees: bool, tie: str) -> str:
    if agrees:
        return _CONSISTENT
    return _CONTRADICTION if tie else _UNVERIFIABLE


# ---------------------------------------------------------------- rate against counts


def _check_rates_against_counts(figures: list[_Figure]) -> list[dict]:
    rows = []
    for index, rate in enumerate(figures):
        if rate.category != "percent" or rate.unit not in ("%", "％") or _growth_sign(rate):
            continue
        stems = _RATE_STEM.findall(rate.clause_before)
        if not stems:
            continue
        stem = stems[-1]
        counts = [f for f in figures[:index] if _is_amount(f) and f.category in ("count", "people")]
        numerators = [i for i, f in enumerate(counts) if stem in f.clause]
        if not numerators:
            continue
        numerator = counts[numerators[-1]]
        denominators = [
            f for f in counts[: numerators[-1]] if f.unit == numerator.unit and stem not in f.clause
        ]
        if not denominators:
            continue
        denominator = denominators[-1]
        if _bounds(numerator)[0] > _bounds(denominator)[1]:
            continue  # more successes than cases: the counts are not numerator and denominator
        ratio = _ratio_bounds(_bounds(numerator), _bounds(denominator))
        computed = 100 * numerator.value / denominator.value if denominator.value else math.inf
        agrees = _overlap(_bounds(rate), (100 * ratio[0], 100 * ratio[1]))
        message = (
            f"Stated {stem}率 {rate.span}; {numerator.span} of {denominator.span} is {computed:.1f}% "
            f"(the printed counts allow {100 * ratio[0]:.1f}–{min(100 * ratio[1], 100.0):.1f}%): "
            f"{'consistent' if agrees else 'the rate does not follow from the counts'}."
        )
        rows.append(
            _row(
                rate.article_id,
                "rate_vs_counts",
                (denominator, numerator, rate),
                rate.value,
                computed,
                _verdict(agrees, "counts"),
                message,
            )
        )
    return rows


# ---------------------------------------------------------------- parts of a total


def _is_total(figure: _Figure) -> bool:
    if not _TOTAL_CUE.search(figure.sentence, 0, figure.start):
        return False  # no cue before the figure at all: its clause need not be cut out
    return _is_amount(figure) and any(cue in figure.clause_before for cue in _TOTAL_CUES)


def _same_family(total: _Figure, part: _Figure) -> bool:
    """The part's subject holds the total's head noun (企业总数 → 企业 → 规模以上企业)."""
    subject = total.subject
    for word in _TOTAL_WORDS:
        subject = subject.removesuffix(word)
    head = subject[-2:]
    return len(head) == 2 and head in part.subject


def _check_parts(figures: list[_Figure], next_figures: list[_Figure], next_text: str) -> list[dict]:
    rows = []
    for index, total in enumerate(figures):
        if not _is_total(total):
            continue
        cue = total.sentence.find(_PARTS_CUE, total.end)
        if cue >= 0:
            pool = [f for f in figures[index + 1 :] if f.start > cue]
        elif next_text.lstrip("，, ").startswith(_PARTS_CUE):
            pool = next_figures
        else:
            continue
        parts = [f for f in pool if f.unit == total.unit and _is_amount(f) and _same_family(total, f)]
        if not parts:
            continue
        total_bounds = _bounds(total)
        largest = max(parts, key=lambda f: _bounds(f)[0])
        exceeded = _bounds(largest)[0] > total_bounds[1]
        parts_sum = sum(f.value for f in parts)
        status = _CONTRADICTION if exceeded else _CONSISTENT
        if exceeded:
            verdict = f"the part {largest.span} alone exceeds the total"
        elif parts_sum > total_bounds[1]:
            status = _UNVERIFIABLE
            verdict = "their sum exceeds the total, but the categories may overlap, so this is not flagged"
        else:
            verdict = "consistent"
        message = (
            f"Total {total.span} ({total.subject}) vs {len(parts)} part(s) summing to {parts_sum:g}"
            f"{total.unit}: {verdict}."
        )
        rows.append(
            _row(
                total.article_id,
                "parts_exceed_total",
                (total, *parts),
                total.value,
                parts_sum,
                status,
                message,
            )
        )
    return rows


def _row(
    article_id: str,
    check: str,
    figures: tuple[_Figure, ...],
    stated: float,
    computed: float,
    verdict: str,
    message: str,
) -> dict:
    return {
        "article_id": article_id,
        "check": check,
        "spans": schema.LIST_SEPARATOR.join(f.span for f in figures),
        "stated_value": stated,
        "computed_value": computed if math.isfinite(computed) else math.nan,
        "is_inconsistent": verdict == _CONTRADICTION,
        "verdict": verdict,
        "total_growth_pct": math.nan,
        "annual_growth_pct_per_year": math.nan,
        "message": message,
    }
