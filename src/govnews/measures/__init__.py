"""Sentences → governance measures: named systems, mechanisms, methods, campaigns and slogans.

Scope: this package finds the measures a sentence names, with the word lists of the measure lexicon
(:mod:`govnews.measure_lexicon`). Every rule is local to the sentence and bounded in length, so the
work is linear in the length of the text. A measure is accepted on one piece of evidence:

* ``quoted+kind`` — a quoted name with a kind word inside or after it (“九步工作法”,
  “门前四包”责任书, “项目为王”的理念, “西美”、高新区“智美”战略);
* ``quoted+frame`` — 以“…”为主线/抓手/载体/思路 …;
* ``quoted+verb`` — the whole object of a verb that sets up measures (推行“一村一策”，);
* ``quoted+numeric_slogan`` — a quoted numbered slogan (“四个一”, “三零”, “1+9”);
* ``quoted+parallel`` — a quoted parallel slogan (“小事不出格、大事不出村社、难事不出街道”);
* ``kind_suffix`` — an unquoted name ending in a strong kind word, reaching back to a verb
  (实行三级动态分析会制度, 设置大气污染防治专班);
* ``enumeration+kind`` — each item of a list closed by 等 and a kind word
  (周观摩例会、月考核评比…等各项工作机制);
* ``numeric_slogan`` / ``parallel_slogan`` — unquoted numbered or parallel slogans
  (四纵四横两区两园五景六亭十五街, 定人、定岗、定责);
* ``role_system`` — X长 roles set up by a verb (设置楼栋长、楼层长);
* ``listed_with_measure`` — an item listed with 、 next to an accepted measure
  (依托“路长制”、片区化管理);
* ``lexicon`` — a well-known measure from the lexicon, matched with quotation marks removed.

Quoted spans and other candidates that are not measures are kept with the reason they were
rejected (``measure_candidates``). Components of a slogan come from its own parts, from a list
introduced by 即 after it or from a list printed right before it; expansions come from
“part”即meaning and from parentheses (一个引领（党建引领）).

Canonical names group spelling variants: quotation marks, spaces and punctuation are removed
(三项工程、一项管理 = 三项工程 一项管理 = 三项工程一项管理), lexicon aliases map to the lexicon name,
and two names of six or more characters that differ in exactly one character, neither of them a
numeral, are one measure (…六亭十五街 = …六停十五街). By that rule 三项工程一项治理 joins
三项工程一项管理: the articles use both for one campaign, and 管理/治理 differ in one character.

Modules, by kind of evidence: :mod:`~govnews.measures.quoted`, :mod:`~govnews.measures.kind_heads`,
:mod:`~govnews.measures.slogans`, :mod:`~govnews.measures.lexicon_terms`; then
:mod:`~govnews.measures.components` (overlaps, parts, expansions) and
:mod:`~govnews.measures.canonical`. :mod:`~govnews.measures.scan` runs them in order on one text and
:mod:`~govnews.measures.extract` builds the tables.
"""

from govnews.measures.extract import extract_measures, extract_measures_from_sentences

__all__ = ["extract_measures", "extract_measures_from_sentences"]
