"""Evidence from quotation marks.

* ``quoted+kind`` — a quoted name with a kind word inside or after it (“九步工作法”,
  “门前四包”责任书, “项目为王”的理念, “西美”、高新区“智美”战略);
* ``quoted+frame`` — 以“…”为主线/抓手/载体/思路 …;
* ``quoted+verb`` — the whole object of a verb that sets up measures (推行“一村一策”，);
* ``quoted+role`` — a counted X长 role that is no official title (推选出19名“楼道长”);
* ``quoted+numeric_slogan`` — a quoted numbered slogan (“四个一”, “三零”, “1+9”);
* ``quoted+parallel`` — a quoted parallel slogan (“小事不出格、大事不出村社、难事不出街道”).

Quoted spans that are none of these are kept as candidates with the reason.
"""

from __future__ import annotations

import re

from govnews.extract.measures.found import PRIORITY, Found, Scan
from govnews.extract.measures.text import (
    CLASSIFIERS,
    CLAUSE_END_CHARS,
    MAX_QUOTED_CHARS,
    NUMERAL_UNIT,
    OPEN_CLOSE,
    SENTENCE_END,
    SMALL_NUMERALS,
    common_prefix,
    common_suffix,
    has_common_infix,
    is_date_label,
    is_formula,
    leading_count,
    numeral_units,
    split_formula,
    split_items,
    starts_numeric,
    strip_quotes,
)
from govnews.resources.measure_lexicon import MeasureLexicon, normalize_name
from govnews.vocabulary import HAN

_ENUMERATION_TAIL = re.compile(
    r"等(?:多个|多项|多种|各项|各类|一系列|系列|一批"
    r"|[一二三四五六七八九十两几]+[个项类种])?"
)

_QUOTED_PATTERNS = tuple(
    (
        opening,
        re.compile(
            re.escape(opening)
            + f"([^{re.escape(opening + closing)}{SENTENCE_END}]{{1,{MAX_QUOTED_CHARS}}})"
            + re.escape(closing)
        ),
    )
    for opening, closing in OPEN_CLOSE.items()
)

_MODIFIER_VERB = re.compile(r"[为是的在将把对要让使向从与和及]")

_CHAIN_GAP = re.compile(rf"[、和及与][{HAN}]{{0,6}}")

_BARE_COUNT = re.compile(rf"(?:[{SMALL_NUMERALS}]+|\d+)[{CLASSIFIERS}]")

_CJK_RUN = re.compile(rf"[{HAN}]*")
# 一星至五星: one unit on both sides (双报到双服务 is a slogan).
_RANGE = re.compile(rf"[{SMALL_NUMERALS}\d]+([{HAN}]{{0,2}})[至到][{SMALL_NUMERALS}\d]+\1")
_CLAUSE_WORD = re.compile(r"[的了在是为和与把将被]")
_CHAIN_OPENERS = "“‘『「"  # not the ASCII mark: it opens and closes alike, so chains of it are guesses

_OPENING_MARK = {opening: re.compile(re.escape(opening)) for opening in OPEN_CLOSE}

_ANY_QUOTE_MARK = re.compile("[" + re.escape("".join(OPEN_CLOSE)) + "]")

# a number of people right before a quotation mark: 19名, 二十余位
_BETWEEN_VERB_AND_NAME = re.compile(r"(?:[了起出的]|[一两二三四五六七八九十首]?[次场期轮届])\Z")
# 每月一题, 每周一访: one thing a period, a named routine
_ROUTINE_SLOGAN = re.compile(r"每[日天周月季年][一两二三四五六七八九十][^\W\d_]{1,3}")
_PEOPLE_COUNT_BEFORE = re.compile(r"[0-9０-９一二两三四五六七八九十百千]+[余多]?[名位]\Z")


# --- quoted spans


def find_quoted(scan: Scan) -> None:
    text = scan.text
    if not _ANY_QUOTE_MARK.search(text):
        return
    spans: list[tuple[int, int, str]] = []
    for opening, pattern in _QUOTED_PATTERNS:
        if opening not in text:
            continue
        matched_openers: set[int] = set()
        for match in pattern.finditer(text):
            spans.append((match.start(1), match.end(1), opening))
            matched_openers.add(match.start())
        if opening == '"' or text.count(opening) == len(matched_openers):
            continue
        for position in (m.start() for m in _OPENING_MARK[opening].finditer(text)):
            if position not in matched_openers:
                # Quoted speech or an unbalanced mark: bounded, so it never swallows the sentence.
                scan.reject(text[position + 1 : position + 1 + 12], "long_or_unclosed_quote")
    spans.sort()
    scan.quoted = spans
    chains = _quote_chains(text, spans)
    if len(set(chains)) == len(chains):  # no two names printed together: the usual case
        for index, (start, end, _opening) in enumerate(spans):
            _judge_quoted(scan, start, end, chains[index])
        return
    verdicts: list[Found | int] = []  # per span: what was accepted, or the index of its rejection
    for index, (start, end, _opening) in enumerate(spans):
        found_before, rejected_before = len(scan.found), len(scan.rejected)
        _judge_quoted(scan, start, end, chains[index])
        if len(scan.found) > found_before:
            verdicts.append(scan.found[-1])
        else:
            verdicts.append(rejected_before if len(scan.rejected) > rejected_before else -1)
    _judge_chains(scan, spans, chains, verdicts)


# Rejections that a chain of quoted names can overturn: the name had no evidence of its own.
_WEAK_REJECTIONS = ("quoted_no_kind", "attributive")


def _weakly_rejected(scan: Scan, verdict: Found | int) -> bool:
    return isinstance(verdict, int) and verdict >= 0 and scan.rejected[verdict][1] in _WEAK_REJECTIONS


def _accepted_as(verdict: Found | int, evidence: str) -> bool:
    return isinstance(verdict, Found) and verdict.evidence == evidence


def _judge_chains(
    scan: Scan,
    spans: list[tuple[int, int, str]],
    chains: list[tuple[int, int, str]],
    verdicts: list[Found | int],
) -> None:
    """Quoted names printed together: “四当五服务”、“真情七送”、“八到家”工作; ‘连心网’、‘平安网’、‘便民网’.

    A name without evidence of its own that is chained to an accepted measure is a measure
    (``listed_with_measure``); three names or more without evidence of their own that share their
    last character are one series (``quoted+series``: 连心网、平安网、便民网).
    """
    overturned: set[int] = set()
    series: list[Found] = []
    index = 0
    while index < len(spans):
        stop = index + 1
        while stop < len(spans) and chains[stop] == chains[index]:
            stop += 1
        members = range(index, stop)
        index = stop
        if len(members) < 2:
            continue
        weak = [i for i in members if _weakly_rejected(scan, verdicts[i])]
        names = [strip_quotes(scan.text[spans[i][0] : spans[i][1]]) for i in members]
        # The verb before the chain introduces all of it (织起‘连心网’、‘平安网’…).
        loose = [i for i in members if i in weak or _accepted_as(verdicts[i], "quoted+verb")]
        if (
            len(loose) == len(members) >= 3
            and all(2 <= len(name) <= 6 for name in names)
            and common_suffix(names) >= 1
        ):
            first, last = spans[members[0]], spans[members[-1]]
            series.append(
                Found(
                    first[0],
                    last[1],
                    "、".join(names),
                    "",
                    "quoted+series",
                    PRIORITY["quoted"],
                    components=names,
                    tail=last[1] + 1,
                )
            )
            overturned.update(verdicts[i] for i in weak)
            continue
        if weak and any(isinstance(verdicts[i], Found) for i in members):
            for i in weak:
                start, end, _opening = spans[i]
                scan.found.append(
                    Found(
                        start,
                        end,
                        names[i - members[0]],
                        "",
                        "listed_with_measure",
                        PRIORITY["quoted"],
                        tail=end + 1,
                    )
                )
                overturned.add(verdicts[i])
    if series:
        covered = [(found.start, found.end) for found in series]
        scan.found = [f for f in scan.found if not any(s <= f.start and f.end <= e for s, e in covered)]
        scan.found += series
    if overturned:
        scan.rejected = [row for i, row in enumerate(scan.rejected) if i not in overturned]


def _quote_chains(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """For each quoted span, the last span of its chain.

    Chains: “一网通办”“一网统管”改革; “西美”、高新区“智美”战略.
    """
    last = list(spans)
    for index in range(len(spans) - 2, -1, -1):
        end = spans[index][1]
        next_start = spans[index + 1][0]
        gap = text[end + 1 : next_start - 1]
        if spans[index + 1][2] not in _CHAIN_OPENERS or spans[index][2] not in _CHAIN_OPENERS:
            continue
        if gap == "" or _CHAIN_GAP.fullmatch(gap):
            last[index] = last[index + 1]
    return last


def kind_after(
    lexicon: MeasureLexicon, text: str, position: int, name: str = ""
) -> tuple[str, int, str] | None:
    """A kind word right after ``position``: (kind word, end, how) with how in direct/modifier/de/deng.

    Kind words of one character (站, 会, 日 …) never count here: after a closing mark they are too
    often the first character of another word (“…”社会, “…”日常).
    """
    direct = _kind_at(lexicon, text, position)
    if direct:
        return direct[0], direct[1], "direct"
    window = text[position : position + 24]
    deng = _ENUMERATION_TAIL.match(window)
    if deng:
        found = _last_kind_in(lexicon, window, deng.end(), 8)
        modifier = window[deng.end() : found[1] - len(found[0])] if found else ""
        if found and (_CLAUSE_WORD.search(modifier) or _holds_verb(lexicon, modifier)):
            # 等参加了当天的活动, 等内容开展联合行动: a clause, not a noun phrase headed by the kind word.
            return None
        return (found[0], position + found[1], "deng") if found else None
    if window.startswith("的"):
        # “项目为王”的理念, “党建引领、多元共治”的社区治理格局: only words for a way of working take
        # a name this way; before other nouns the quote is an attribute (“数字化、智慧化”的数智园区平台,
        # “脚下有泥、心中有光”的队伍 describes a team).
        run = _CJK_RUN.match(window, 1).group()
        for match in lexicon.long_kind_pattern.finditer(run):
            if match.start() > 6 or _holds_verb(lexicon, run[: match.start()]):
                break
            if match.group() in lexicon.list_kinds:
                # A longer modifier needs a name that is a slogan of its own: 社区治理格局 takes
                # “党建引领、多元共治”, but “指尖上”的新型管理模式 is a figure of speech.
                if match.start() > 2 and not _slogan_shaped(name):
                    break
                return match.group(), position + 1 + match.end(), "de"
        return None
    run = _CJK_RUN.match(window, 0, 12).group()
    if not run:
        return None
    head = None
    for match in lexicon.long_kind_pattern.finditer(run):
        # A short modifier may stand between name and kind word (“小太阳”党建工作者队伍), but no verb;
        # the last kind word of the run is the head (“清存量、控新增”违法建设攻坚战).
        if match.start() > 6 or _MODIFIER_VERB.search(run, 0, match.start()):
            break
        head = match
    return (head.group(), position + head.end(), "modifier") if head else None


def _holds_verb(lexicon: MeasureLexicon, text: str) -> bool:
    """True when ``text`` holds a verb of two characters or more from ``boundary_words``."""
    pattern = lexicon.boundary_starts
    return pattern is not None and any(len(m.group()) > 1 for m in pattern.finditer(text))


def _kind_at(lexicon: MeasureLexicon, text: str, position: int) -> tuple[str, int] | None:
    """The kind word of two characters or more starting exactly at ``position`` (longest first)."""
    match = lexicon.long_kind_pattern.match(text, position)
    return (match.group(), match.end()) if match else None


def _slogan_shaped(name: str) -> bool:
    """A name of two parts or more, a formula or a numbered slogan."""
    return len(split_items(name)) >= 2 or is_formula(name) or starts_numeric(normalize_name(name))


def _last_kind_in(
    lexicon: MeasureLexicon, window: str, start: int, max_modifier: int
) -> tuple[str, int] | None:
    """The last kind word of the CJK run starting at ``start`` (the head of the noun phrase)."""
    run = _CJK_RUN.match(window, start).group()
    best = None
    for match in lexicon.long_kind_pattern.finditer(run):
        if match.start() <= max_modifier:
            best = (match.group(), start + match.end())
    return best


def _head_of_run_is_kind(lexicon: MeasureLexicon, text: str, position: int) -> bool:
    """True when the noun run starting at ``position`` ends in a kind word (区域作战方式, 新思路)."""
    run = _CJK_RUN.match(text, position, position + 12).group()
    return bool(run) and run.endswith(lexicon.kind_words_longest_first)


def _kind_inside(lexicon: MeasureLexicon, content: str) -> str:
    """The kind word that ends a quoted name (“九步工作法”, “邻里管家团”), or ''.

    A kind word of one character needs two characters before it (“场子会”, not “大会”).
    """
    if not content.endswith(lexicon.kind_words_longest_first):
        return ""
    for word in lexicon.kind_words_longest_first:
        if content.endswith(word) and len(content) > len(word) + (len(word) == 1):
            if len(word) == 1 and content.endswith(lexicon.not_head_words):
                return ""  # “和谐社会”: 社会 is a word of its own, 会 is not its head
            return word
    return ""


def _judge_quoted(scan: Scan, start: int, end: int, chain_last: tuple[int, int, str]) -> None:
    lexicon, text = scan.lexicon, scan.text
    content = text[start:end].strip()
    name = strip_quotes(content)
    key = normalize_name(name)
    after = end + 1  # past the closing mark
    if len(key) < 2:
        scan.reject(name, "too_short")
        return
    if key in lexicon.rejected_phrases:
        scan.reject(name, lexicon.rejected_phrases[key])
        return
    if key.isdigit() and key not in lexicon.canonical_of and not _kind_at(lexicon, text, after):
        scan.reject(name, "digits_only")  # “211”; but “135”工作法 is a numbered method
        return
    if is_date_label(key):
        scan.reject(name, "date")
        return
    if ("至" in key or "到" in key) and _RANGE.fullmatch(key):
        scan.reject(name, "range")  # “一星至五星”: a scale, not a slogan
        return
    head = _rejecting_head(lexicon, text, after)
    if not head and chain_last[1] + 1 != after:
        head = _rejecting_head(lexicon, text, chain_last[1] + 1)
    if head == "goal" and (leading_count(key) or 0) >= 2:
        head = ""  # a numbered slogan set as a goal is still a slogan (把“六个看不见”定为目标)
    if head:
        scan.reject(name, head)
        return

    inside = _kind_inside(lexicon, key)
    if inside and not _kind_at(lexicon, text, after):
        # “九步工作法”; but “红色议事厅”工作法 is a working method, named after the place it uses.
        _accept_quoted(scan, start, end, name, inside, "quoted+kind", inside)
        return
    kind = kind_after(lexicon, text, after, name)
    if kind is None and chain_last[0] != start:
        chain_end = chain_last[1] + 1
        kind = kind_after(lexicon, text, chain_end, name)
    if kind:
        word, kind_end, how = kind
        own = chain_last[0] == start  # the kind word follows this name, not a later name of its chain
        if own and (how == "modifier" or (how == "direct" and is_bare_count(key))):
            # “门前三包”综合整治行动, “三长”联动机制, “四项”工作机制: the modifier makes a measure of its
            # own (门前三包综合整治行动 is a campaign, “门前三包”责任制 a rule), so the name holds it.
            _accept_quoted(
                scan,
                start,
                end,
                name + text[after:kind_end],
                word,
                "quoted+kind",
                text[after:kind_end],
                tail=kind_end,
                span_end=kind_end,
            )
        else:
            tail = kind_end if own and how == "direct" else after
            _accept_quoted(scan, start, end, name, word, "quoted+kind", "", tail=tail)
        return
    if _framed(lexicon, text, start - 1, after):
        _accept_quoted(scan, start, end, name, "", "quoted+frame", "")
        return
    if key in lexicon.canonical_of:
        _accept_quoted(scan, start, end, name, "", "quoted+lexicon", "")
        return
    suffix_reason = _rejecting_suffix(lexicon, name)
    if suffix_reason:
        scan.reject(name, suffix_reason)
        return
    if is_formula(name):
        if text.startswith("的", after) and not _head_of_run_is_kind(lexicon, text, after + 1):
            scan.reject(name, "attributive")  # “生态+科技”的智慧新城: a description of the town
        else:
            _accept_quoted(scan, start, end, name, "", "quoted+formula", "")
        return
    if _introduced_by_verb(lexicon, text, start - 1, chain_last[1] + 1):
        _accept_quoted(scan, start, end, name, "", "quoted+verb", "")
        return
    if _counted_role(lexicon, text, start - 1, key):
        _accept_quoted(scan, start, end, name, "", "quoted+role", "")
        return
    if starts_numeric(key) or _numeric_parallel(name) or _ROUTINE_SLOGAN.fullmatch(key):
        _accept_quoted(scan, start, end, name, "", "quoted+numeric_slogan", "")
        return
    if text.startswith("的", after) and not _long_parallel(lexicon, name):
        scan.reject(name, "attributive")
        return
    if _quoted_parallel(lexicon, name):
        _accept_quoted(scan, start, end, name, "", "quoted+parallel", "")
        return
    scan.reject(name, "quoted_speech" if len(key) > 12 else "quoted_no_kind")


def _accept_quoted(
    scan: Scan,
    start: int,
    end: int,
    name: str,
    kind_word: str,
    evidence: str,
    name_kind_word: str,
    *,
    tail: int = -1,
    span_end: int | None = None,
) -> None:
    lexicon = scan.lexicon
    kind = lexicon.kind_of.get(kind_word, "") if kind_word else ""
    found = Found(
        start=start,
        end=span_end if span_end is not None else end,
        name=name,
        kind=kind,
        evidence=evidence,
        priority=PRIORITY["quoted"],
        kind_word=name_kind_word,
        tail=tail if tail >= 0 else end + 1,
    )
    core = scan.text[start:end]
    parts = split_formula(strip_quotes(core)) if evidence == "quoted+formula" else list(split_items(core))
    if len(parts) == 1 and numeral_units(parts[0]) >= 2:
        parts = NUMERAL_UNIT.findall(parts[0])  # 一核三治 → 一核|三治
    if len(parts) >= 2:
        found.components = parts
    scan.found.append(found)


def is_bare_count(key: str) -> bool:
    """四项, 三个: a numeral and a classifier that only make sense with the kind word after them."""
    return bool(_BARE_COUNT.fullmatch(key))


def _rejecting_suffix(lexicon: MeasureLexicon, name: str) -> str:
    """The reason when a one-part name ends like a place or an honour (“智美新城”, “三八红旗集体”)."""
    if len(split_items(name)) != 1:
        return ""
    key = normalize_name(name)
    for reason, suffixes in lexicon.not_measure_suffixes:
        if key.endswith(tuple(suffixes)) and not (reason == "place_name" and starts_numeric(key)):
            return reason  # (“三个之路” is a numbered slogan, not a road)
    return ""


def _rejecting_head(lexicon: MeasureLexicon, text: str, position: int) -> str:
    """The reason when the quoted name is followed by a word naming a period or a goal, else ''."""
    window = _CJK_RUN.match(text, position, position + 8).group()
    pattern = lexicon.head_pattern
    # The leftmost head word, when it starts within 4 characters.
    found = pattern.search(window) if window and pattern is not None else None
    if found and found.start() <= 4 and not _kind_at(lexicon, window, found.end()):
        return lexicon.head_reason[found.group()]  # 的目标定位: 目标 modifies 定位, it is not the head
    return ""


def _framed(lexicon: MeasureLexicon, text: str, opening: int, after: int) -> bool:
    """以“…”为主线 / 以“…”创建为载体."""
    if "以" not in text[max(0, opening - 8) : opening]:
        return False
    window = text[after : after + 14]
    match = re.match(rf"[{HAN}]{{0,6}}?为[{HAN}]{{0,3}}?", window)
    if not match:
        return False
    rest = window[match.end() :]
    return rest.startswith(lexicon.frames)


def _introduced_by_verb(lexicon: MeasureLexicon, text: str, opening: int, after: int) -> bool:
    """推行“一村一策”，/ 开展“我为群众办实事”。: the whole object of a verb that sets up measures
    (推行“积分制”管理，: with a noun that names its kind of practice)."""
    after += len(next((noun for noun in lexicon.practice_nouns if text.startswith(noun, after)), ""))
    if after < len(text) and text[after] not in CLAUSE_END_CHARS + "、等":
        return False
    if text.endswith(lexicon.introducing_verbs, 0, opening):
        return True
    # 设立了“村庄清洁日”, 合作开展的“…”, 每周开展一次“…”: a particle or a count of the event
    # may stand between verb and name.
    between = _BETWEEN_VERB_AND_NAME.search(text, 0, opening)
    return between is not None and text.endswith(lexicon.introducing_verbs, 0, between.start())


def _counted_role(lexicon: MeasureLexicon, text: str, opening: int, key: str) -> bool:
    """推选出19名“楼道长”: people counted into an X长 role make a chief system (the 长制 family);
    局长, 组长, 村长 are official titles, not such roles."""
    return (
        2 <= len(key) <= 5
        and key.endswith("长")
        and key[-2] not in lexicon.official_role_chars
        and _PEOPLE_COUNT_BEFORE.search(text, 0, opening) is not None
    )


def _numeric_parallel(name: str) -> bool:
    items = split_items(name)
    return len(items) >= 2 and sum(starts_numeric(item) for item in items) * 2 > len(items)


def _long_parallel(lexicon: MeasureLexicon, name: str) -> bool:
    """Three parts or more of four characters or more (“商户自治、社会监督、政府监管”的局面).

    Such a slogan names a way of working even as an attribute; short parts before 的 are adjectives
    (“整洁、有序、舒适”的城市环境).
    """
    items = split_items(name)
    return len(items) >= 3 and all(4 <= len(item) <= 8 for item in items) and _quoted_parallel(lexicon, name)


def _same_position_char(items: list[str]) -> bool:
    """Parts of one length sharing a character at one position (小事一格解决、大事全网联动)."""
    return len({len(item) for item in items}) == 1 and any(
        len(set(chars)) == 1 for chars in zip(*items, strict=True)
    )


def _quoted_parallel(lexicon: MeasureLexicon, name: str) -> bool:
    """序化、洁化、绿化、亮化; 小事不出格、大事不出村社、难事不出街道; 以考促改、以考促进."""
    items = split_items(name)
    if len(items) < 2 or any(not 2 <= len(item) <= 8 for item in items):
        return False
    if items[0][0] in lexicon.parallel_stop_prefixes:
        return False
    lengths = {len(item) for item in items}
    prefix, suffix = common_prefix(items), common_suffix(items)
    if max(prefix, suffix) >= 2 or has_common_infix(items) or lengths == {4}:
        return True  # 4+4 slogans (网格吹哨、部门报到) need no shared character
    if min(lengths) >= 3 and _same_position_char(items):
        return True
    return len(lengths) == 1 and len(items) >= 3 and (prefix >= 1 or suffix >= 1)
