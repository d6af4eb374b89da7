"""Sentences → governance measures: named systems, mechanisms, methods, campaigns, bodies and slogans.

Scope: this package finds the measures a sentence names, with the word lists of the measure lexicon
(:mod:`govnews.extract.measure_lexicon`), says whose measure each is (``scope``) and which spellings are one
measure (``canonical``). Every rule is local to the sentence and bounded in length, so the work is
linear in the length of the text. A measure is accepted on one piece of evidence:

* quoted names (:mod:`.quoted`): a kind word inside or after them (“九步工作法”,
  “门前四包”责任书, “邻里管家团”, “太湖红帆”党建联盟), a frame (以“…”为抓手), a verb that sets up
  measures (推行“一村一策”), a numbered, parallel or ``+`` formula shape (“四个一”,
  “小事不出格、大事不出村社”, “党建+物业”), a chain with an accepted name or a series of names with
  one head (‘便民链’、‘安全链’、‘文明链’);
* unquoted names ending in a kind word (:mod:`.kind_heads`): strong kind words after a
  verb (实行三级动态分析会制度), institutions, roles and schemes founded by a verb (组建全域党建联盟,
  搭建起四级联动体系), and lists closed by 等 and a kind word of named practices;
* the shape of a phrase (:mod:`.slogans`): numbered and parallel slogans, lists named
  by the kind word after them (坚持党建统领、网格智治的基层治理思路), paired slogans (基层吹哨、部门报到),
  一X一Y after a verb (坚持一小区一方案), X长 role systems;
* the lexicon (:mod:`.lexicon_terms`): well-known measures matched with quotation
  marks removed, and items listed with an accepted measure.

Quoted spans and other candidates that are not measures are kept with the reason they were
rejected (``measure_candidates``); so are measures whose actor is a company or a developer and
commercial concepts (:mod:`.scope`). :mod:`.components` keeps one
row per span and finds the parts and expansions of slogans; :mod:`.scope` gives each
measure its ``scope`` (the lexicon's campaigns, the scope word or place printed with the name, the
actor of the sentence); :mod:`.canonical` groups spellings only where the text or the
lexicon shows they are one measure. :mod:`.scan` runs the rules on one text and
:mod:`.extract` builds the tables.
"""

from govnews.extract.measures.canonical import group_canonical_names
from govnews.extract.measures.extract import extract_measures, extract_measures_from_sentences

__all__ = ["extract_measures", "extract_measures_from_sentences", "group_canonical_names"]
