"""Tests of govnews.text.themes: codebook loading and validation, hits, counts per office, diagnostics."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal, assert_series_equal

from govnews import schema
from govnews.config import project_paths
from govnews.errors import GovnewsError
from govnews.resources.lexicons import load_codebook, load_user_dictionary
from govnews.text.segment import make_tokenizer, tokenize_sentences
from govnews.text.themes import (
    count_themes,
    diagnose_codebook,
    find_theme_hits,
    read_codebook,
    sentence_themes,
    theme_of_rows,
    update_theme_counts,
)

CODEBOOK_YAML = """
themes:
  - name: 基层治理
    description: 网格与治理
    terms: [网格, 网格化, 网格员, '"网格化管理"']
  - name: 党建
    description: 党的建设
    terms: [党建]
    subthemes:
      - name: 学习
        terms: [党课, '"学习强国"']
  - name: 安全
    description: 安全与防汛
    terms: [防汛, '"5g"']
"""


@pytest.fixture(scope="module")
def codebook():
    return read_codebook(CODEBOOK_YAML)


@pytest.fixture(scope="module")
def segmenter():
    return make_tokenizer([("网格员", None, None), ("网格化", None, None), ("党课", None, None)])


def _sentences(rows: list[tuple[str, int, str, str]]) -> pd.DataFrame:
    """Sentences from (article_id, sentence_no, office, text); n_chars counts non-blank characters."""
    frame = pd.DataFrame(rows, columns=["article_id", "sentence_no", "office", "text"])
    frame["n_chars"] = frame["text"].str.replace(r"\s", "", regex=True).str.len()
    frame["part"], frame["paragraph_no"], frame["offices_mentioned"] = "body", 1, ""
    return schema.conform(frame, "sentences")


def _hits(rows: list[tuple[str, int, str, str]]) -> pd.DataFrame:
    """theme_hits from (article_id, sentence_no, office, theme); the term is irrelevant to counting."""
    frame = pd.DataFrame(rows, columns=["article_id", "sentence_no", "office", "theme"])
    return schema.conform(frame.assign(term="x", match_type="token", evidence="strong"), "theme_hits")


def _tokens(sentences: pd.DataFrame, segmenter) -> list[list[str]]:
    return [segmenter.cut_content(text) for text in sentences["text"]]


def _token_table(sentences: pd.DataFrame, segmenter) -> pd.DataFrame:
    return tokenize_sentences(sentences, segmenter, stopwords=set())


# --- codebook ------------------------------------------------------------------------------------------


def test_codebook_reads_plain_quoted_and_subtheme_terms(codebook):
    expected = pd.DataFrame(
        {
            "theme": ["基层治理"] * 4 + ["党建"] * 3 + ["安全"] * 2,
            "subtheme": [""] * 5 + ["学习"] * 2 + [""] * 2,
            "term": ["网格", "网格化", "网格员", "网格化管理", "党建", "党课", "学习强国", "防汛", "5g"],
            "match_type": ["token"] * 3 + ["substring", "token", "token", "substring", "token", "substring"],
            "strength": ["strong"] * 9,
            "description": ["网格与治理"] * 4 + ["党的建设"] * 3 + ["安全与防汛"] * 2,
        }
    ).astype("string")
    assert_frame_equal(codebook.to_frame(), expected)
    assert codebook.theme_names == ["基层治理", "党建", "安全"]


@pytest.mark.parametrize(
    ("text", "fragment", "line"),
    [
        ("themes: [\n  - name: x\n", "broken YAML", 2),
        ("themes:\n  - name: 甲\n    terms: [a]\n", "lacks key(s) description", 2),
        ("themes:\n  - name: 甲\n    description: d\n    term: [a]\n", "lacks key(s) terms", 2),
        ("themes:\n  - {name: 甲, description: d, terms: [a], colour: red}\n", "unknown key(s) colour", 2),
        (
            "themes:\n  - {name: 甲, description: d, terms: [a]}\n  - {name: 甲, description: d, terms: [b]}\n",
            "theme '甲' is defined twice",
            3,
        ),
        (
            "themes:\n  - {name: 甲, description: d, terms: [网格]}\n  - {name: 乙, description: d, terms: [网格]}\n",
            "term '网格' is in two themes, '甲' and '乙'",
            3,
        ),
        (
            "themes:\n  - name: 甲\n    description: d\n    terms: [网格]\n    subthemes:\n"
            "      - {name: 子, terms: [网格]}\n",
            "listed twice in theme '甲'",
            6,
        ),
        ("themes:\n  - {name: 甲, description: d, terms: ['三项工程、一项管理']}\n", "quote it", 2),
        ("themes:\n  - {name: 甲, description: d, terms: ['\"网格']}\n", "unbalanced quote", 2),
        ("themes:\n  - {name: 甲, description: d, terms: []}\n", "has no terms", 2),
        ("topics: []\n", "top-level 'themes:' list", None),
    ],
)
def test_bad_codebook_names_file_problem_and_line(tmp_path, text, fragment, line):
    path = tmp_path / "themes.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GovnewsError) as caught:
        load_codebook(path)
    assert caught.value.path == path.resolve()
    assert fragment in caught.value.problem
    assert caught.value.line == line


def test_codebook_is_read_again_after_an_edit(tmp_path):
    path = tmp_path / "themes.yml"
    path.write_text("themes:\n  - {name: 甲, description: d, terms: [网格]}\n", encoding="utf-8")
    assert load_codebook(path) is load_codebook(path)
    path.write_text("themes:\n  - {name: 乙, description: d, terms: [网格, 党建]}\n", encoding="utf-8")
    assert load_codebook(path).theme_names == ["乙"]


def test_missing_codebook_file_is_an_error(tmp_path):
    with pytest.raises(GovnewsError, match="not found"):
        load_codebook(tmp_path / "themes.yml")


def test_project_codebook_has_about_ten_themes_each_with_strong_terms():
    codebook = load_codebook()
    assert 8 <= len(codebook.themes) <= 12
    for theme in codebook.themes:
        strong = [term for term in theme.terms if term.strength == "strong"]
        assert 15 <= len(strong) <= len(theme.terms) <= 150, theme.name
    assert all(theme.description for theme in codebook.themes)


def test_project_codebook_plain_terms_stay_whole_with_the_project_dictionary():
    paths = project_paths()
    segmenter = make_tokenizer(
        load_user_dictionary([paths.lexicon_dir / "userdict.txt", paths.gazetteer_dir / "offices.csv"])
    )
    no_tokens = pd.DataFrame({"article_id": [], "sentence_no": [], "token_no": [], "token": []})
    diagnostics = diagnose_codebook(load_codebook(), no_tokens, segmenter, sentences=_sentences([]))
    assert diagnostics.loc[diagnostics["problem"] == "split_by_jieba", "term"].tolist() == []


# --- hits ----------------------------------------------------------------------------------------------


def test_plain_terms_match_whole_tokens_and_quoted_terms_match_text(codebook, segmenter, tmp_path):
    sentences = _sentences([("a", 1, "甲办事处", "网格员学习强国，党课。")])
    hits = find_theme_hits(sentences, _tokens(sentences, segmenter), codebook)
    expected = schema.conform(
        pd.DataFrame(
            {
                "article_id": ["a"] * 3,
                "sentence_no": [1] * 3,
                "office": ["甲办事处"] * 3,
                "theme": ["基层治理", "党建", "党建"],
                "term": ["网格员", "学习强国", "党课"],
                "match_type": ["token", "substring", "token"],
                "evidence": ["strong"] * 3,
            }
        ),
        "theme_hits",
    )
    assert_frame_equal(hits, expected)


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("网格员", ["网格员"]),  # 网格 does not fire inside the token 网格员
        ("网格化", ["网格化"]),
        ("网格化管理", ["网格化管理"]),  # the quoted longer term wins over the token 网格化 at the same place
        ("网格化和网格化管理", ["网格化", "网格化管理"]),
        ("ＰＵＳＨ５Ｇ防汛", ["5g", "防汛"]),  # full-width and upper case fold before matching
    ],
)
def test_overlapping_terms_resolve_leftmost_longest(codebook, segmenter, tmp_path, text, terms):
    sentences = _sentences([("a", 1, "", text)])
    hits = find_theme_hits(sentences, _tokens(sentences, segmenter), codebook)
    assert hits["term"].tolist() == terms


def test_sentence_without_tokens_still_gets_quoted_hits(codebook):
    sentences = _sentences([("a", 1, "", "网格化管理")])
    no_tokens = [[] for _ in range(len(sentences))]
    assert find_theme_hits(sentences, no_tokens, codebook)["term"].tolist() == ["网格化管理"]


def test_no_hits_give_an_empty_table(codebook, segmenter, tmp_path):
    sentences = _sentences([("a", 1, "", "天气晴朗。")])
    hits = find_theme_hits(sentences, _tokens(sentences, segmenter), codebook)
    assert_frame_equal(hits, schema.empty_table("theme_hits"))


# --- counts --------------------------------------------------------------------------------------------

# Office 甲 has two articles: a1 (sentences of 10 and 20 chars) and a2 (30 chars); office 乙 has one
# article b1 of 50 chars. Hits: 基层治理 twice in a1/1 and once in a2/1; 党建 once in b1/1.
COUNT_SENTENCES = [
    ("a1", 1, "甲", "一" * 10),
    ("a1", 2, "甲", "二" * 20),
    ("a2", 1, "甲", "三" * 30),
    ("b1", 1, "乙", "四" * 50),
]
COUNT_HITS = [
    ("a1", 1, "甲", "基层治理"),
    ("a1", 1, "甲", "基层治理"),
    ("a2", 1, "甲", "基层治理"),
    ("b1", 1, "乙", "党建"),
]


def test_counts_rates_and_shares_by_hand(codebook):
    counts = count_themes(_hits(COUNT_HITS), _sentences(COUNT_SENTENCES), codebook=codebook)
    # 甲/基层治理: 3 hits in 60 chars → 500 per 10k; sentences with a hit 2 of 3; articles 2 of 2.
    # Bootstrap of 甲's two articles (a1: 2 hits/30 chars, a2: 1 hit/30 chars): a draw of (a1, a1)
    # gives 4/60 → 666.7, (a1, a2) 3/60 → 500, (a2, a2) 2/60 → 333.3, with chances ¼, ½, ¼, so the
    # 5th and 95th percentiles of 1000 draws are 333.3 and 666.7.
    # 乙/党建: 1 hit in 50 chars → 200; one article, so the interval is the rate itself.
    expected = schema.conform(
        pd.DataFrame(
            {
                "office": ["乙"] * 3 + ["甲"] * 3,
                "theme": ["基层治理", "党建", "安全"] * 2,
                "hits": [0, 1, 0, 3, 0, 0],
                "n_chars": [50] * 3 + [60] * 3,
                "rate_per_10k_chars": [0.0, 200.0, 0.0, 500.0, 0.0, 0.0],
                "rate_ci_low": [0.0, 200.0, 0.0, 20_000 / 60, 0.0, 0.0],
                "rate_ci_high": [0.0, 200.0, 0.0, 40_000 / 60, 0.0, 0.0],
                "share_of_sentences": [0.0, 1.0, 0.0, 2 / 3, 0.0, 0.0],
                "share_of_articles": [0.0, 1.0, 0.0, 1.0, 0.0, 0.0],
                "n_sentences": [1] * 3 + [3] * 3,
                "n_articles": [1] * 3 + [2] * 3,
            }
        ),
        "theme_counts",
    )
    assert_frame_equal(counts, expected)


def test_district_level_text_comes_last():
    sentences = _sentences([("a", 1, "", "一二三"), ("b", 1, "乙", "一二三"), ("c", 1, "甲", "一二三")])
    counts = count_themes(_hits([]), sentences, n_boot=0, codebook=read_codebook(CODEBOOK_YAML))
    assert counts["office"].drop_duplicates().tolist() == ["乙", "甲", ""]


def test_hits_take_the_office_of_their_sentence():
    # The hit row says 乙, but its sentence is 甲's: counts follow the sentences table, the denominator.
    sentences = _sentences([("a", 1, "甲", "一二三四五")])
    counts = count_themes(
        _hits([("a", 1, "乙", "党建")]), sentences, n_boot=0, codebook=read_codebook(CODEBOOK_YAML)
    )
    assert counts.set_index(["office", "theme"]).loc[("甲", "党建"), "hits"] == 1
    assert counts["office"].unique().tolist() == ["甲"]


def test_bootstrap_is_reproducible_and_depends_on_the_seed():
    rows = [(f"a{number}", 1, "甲", "字" * (10 + number)) for number in range(8)]
    hits = _hits([(f"a{number}", 1, "甲", "党建") for number in range(0, 8, 3)])
    codebook = read_codebook(CODEBOOK_YAML)
    first = count_themes(hits, _sentences(rows), n_boot=200, seed=1, codebook=codebook)
    assert_frame_equal(first, count_themes(hits, _sentences(rows), n_boot=200, seed=1, codebook=codebook))
    other = count_themes(hits, _sentences(rows), n_boot=200, seed=2, codebook=codebook)
    assert not np.allclose(first["rate_ci_low"], other["rate_ci_low"]) or not np.allclose(
        first["rate_ci_high"], other["rate_ci_high"]
    )


def test_bootstrap_in_small_batches_still_brackets_the_rate(monkeypatch):
    import govnews.text.themes as themes_module

    monkeypatch.setattr(themes_module, "_BOOTSTRAP_BATCH_DRAWS", 7)  # one replicate per batch
    rows = [(f"a{number}", 1, "甲", "字" * (10 + number)) for number in range(8)]
    hits = _hits([(f"a{number}", 1, "甲", "党建") for number in range(0, 8, 2)])
    counts = count_themes(hits, _sentences(rows), n_boot=300, codebook=read_codebook(CODEBOOK_YAML))
    party = counts.set_index("theme").loc["党建"]
    assert party["rate_ci_low"] < party["rate_per_10k_chars"] < party["rate_ci_high"]
    assert counts.set_index("theme").loc["安全", ["rate_ci_low", "rate_ci_high"]].tolist() == [0, 0]


def test_an_office_interval_does_not_move_when_other_offices_are_added():
    codebook = read_codebook(CODEBOOK_YAML)
    rows = [(f"a{number}", 1, "甲", "字" * (10 + number)) for number in range(6)]
    hits = _hits([("a0", 1, "甲", "党建"), ("a4", 1, "甲", "党建")])
    alone = count_themes(hits, _sentences(rows), n_boot=300, codebook=codebook)
    with_other = count_themes(
        hits, _sentences([*rows, ("b", 1, "乙", "字字")]), n_boot=300, codebook=codebook
    )
    assert_frame_equal(with_other.loc[with_other["office"] == "甲"].reset_index(drop=True), alone)


def test_updating_the_offices_whose_text_changed_equals_counting_everything_again():
    codebook = read_codebook(CODEBOOK_YAML)
    before = [
        ("a", 1, "甲", "一二三"),
        ("b", 1, "乙", "一二三四"),
        ("c", 1, "", "一二"),
        ("d", 1, "丙", "一"),
    ]
    # 乙's article grows and gains a hit, 丙's article goes, 丁 is new; 甲 and '' are untouched.
    after = [
        ("a", 1, "甲", "一二三"),
        ("b", 1, "乙", "一二三四五六"),
        ("c", 1, "", "一二"),
        ("e", 1, "丁", "一"),
    ]
    hits_before = _hits([("a", 1, "甲", "党建"), ("b", 1, "乙", "党建"), ("d", 1, "丙", "党建")])
    hits_after = _hits(
        [("a", 1, "甲", "党建"), ("b", 1, "乙", "党建"), ("b", 1, "乙", "安全"), ("e", 1, "丁", "党建")]
    )
    previous = count_themes(hits_before, _sentences(before), n_boot=50, codebook=codebook)
    touched = {"乙", "丙", "丁"}
    changed_rows = [row for row in after if row[2] in touched]
    updated = update_theme_counts(
        previous, hits_after, _sentences(changed_rows), touched, n_boot=50, codebook=codebook
    )
    assert_frame_equal(updated, count_themes(hits_after, _sentences(after), n_boot=50, codebook=codebook))
    assert updated["office"].drop_duplicates().tolist() == ["丁", "乙", "甲", ""]


def test_updating_counts_of_another_codebook_is_refused():
    codebook = read_codebook(CODEBOOK_YAML)
    previous = count_themes(_hits([]), _sentences([("a", 1, "甲", "一")]), n_boot=0, codebook=codebook)
    with pytest.raises(ValueError, match="another codebook"):
        update_theme_counts(previous.iloc[1:], _hits([]), _sentences([]), {"甲"}, codebook=codebook)


def test_no_bootstrap_leaves_the_interval_empty():
    counts = count_themes(
        _hits([]), _sentences(COUNT_SENTENCES), n_boot=0, codebook=read_codebook(CODEBOOK_YAML)
    )
    assert counts["rate_ci_low"].isna().all()
    assert counts["rate_ci_high"].isna().all()


def test_themes_outside_the_codebook_are_appended():
    counts = count_themes(
        _hits([("a1", 1, "甲", "其他")]),
        _sentences(COUNT_SENTENCES[:1]),
        n_boot=0,
        codebook=read_codebook(CODEBOOK_YAML),
    )
    assert counts["theme"].tolist() == ["基层治理", "党建", "安全", "其他"]


def test_no_sentences_give_an_empty_table():
    assert_frame_equal(count_themes(_hits([]), _sentences([])), schema.empty_table("theme_counts"))


# --- diagnostics and themes of rows ---------------------------------------------------------------------


def test_diagnostics_report_silent_and_split_terms(codebook, tmp_path):
    # This segmenter lacks 网格员, so jieba cuts it into 网格 / 员: the term never fires (网格 does).
    # 网格化管理 does not occur at all.
    bare = make_tokenizer([("网格化", None, None)])
    sentences = _sentences([("a", 1, "", "网格化网格员防汛党建学习强国党课5G")])
    diagnostics = diagnose_codebook(codebook, _token_table(sentences, bare), bare, sentences=sentences)
    expected = schema.conform(
        pd.DataFrame(
            {
                "theme": ["基层治理"] * 3,
                "term": ["网格员", "网格员", "网格化管理"],
                "problem": ["never_fires", "split_by_jieba", "never_fires"],
                "detail": ["", "网格 / 员", ""],
                "n_hits": [None] * 3,
                "n_false_hits": [None] * 3,
                "precision": [None] * 3,
            }
        ),
        "theme_diagnostics",
    )
    assert_frame_equal(diagnostics, expected)


def test_diagnostics_without_sentences_rebuild_text_from_tokens(codebook, segmenter, tmp_path):
    sentences = _sentences([("a", 1, "", "网格化管理。")])
    diagnostics = diagnose_codebook(codebook, _token_table(sentences, segmenter), segmenter)
    assert "网格化管理" not in diagnostics.loc[diagnostics["problem"] == "never_fires", "term"].tolist()


def test_rows_take_their_sentence_theme_then_their_name():
    codebook = read_codebook(CODEBOOK_YAML)
    hits = schema.conform(
        pd.DataFrame(
            {
                "article_id": ["a", "a", "a", "a", "a"],
                "sentence_no": [1, 1, 1, 2, 2],
                "office": "",
                "theme": ["安全", "党建", "党建", "安全", "基层治理"],
                "term": "x",
                "match_type": "token",
                "evidence": "strong",
            }
        ),
        "theme_hits",
    )
    rows = pd.DataFrame(
        {
            "article_id": ["a", "a", "a", "", "a"],
            "sentence_no": pd.array([1, 2, 3, None, 3], dtype="Int64"),
            "name": ["网格化管理", "防汛", "党课制度", "网格员队伍", "不相干"],
        },
        index=[10, 11, 12, 13, 14],
    )
    expected = pd.Series(
        # most hits; a 1–1 tie goes to 基层治理, listed first; no sentence hits: by name; nothing: ''.
        ["党建", "基层治理", "党建", "基层治理", ""],
        index=rows.index,
        dtype="string",
        name="theme",
    )
    assert_series_equal(theme_of_rows(rows, hits, codebook), expected)
    themes = sentence_themes(hits, codebook)
    assert themes == {("a", 1): "党建", ("a", 2): "基层治理"}
    # The build works out the sentence themes once for figures and measures.
    assert_series_equal(theme_of_rows(rows, hits, codebook, themes_of_sentences=themes), expected)


def test_figure_rows_use_their_subject():
    codebook = read_codebook(CODEBOOK_YAML)
    rows = pd.DataFrame(
        {"article_id": ["a"], "sentence_no": pd.array([1], dtype="Int64"), "subject": ["防汛物资"]}
    )
    assert theme_of_rows(rows, schema.empty_table("theme_hits"), codebook).tolist() == ["安全"]


# --- acceptance on the seed corpus ------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_sentences() -> pd.DataFrame:
    """Sentences of the seed corpus, built here until the real splitter lands (the lead swaps in the build).

    Each raw file is cut into sections at short lines without sentence punctuation (headlines,
    sub-heads, captions); a section is one article and takes the first gazetteer office it names
    ('' if none).
    """
    paths = project_paths()
    gazetteer = pd.read_csv(paths.gazetteer_dir / "offices.csv", dtype=str, keep_default_na=False)
    office_of = {
        name: office
        for office, aliases in zip(gazetteer["office"], gazetteer["aliases"], strict=True)
        for name in [office, *aliases.split("|")]
    }
    naming = re.compile("|".join(sorted(map(re.escape, office_of), key=len, reverse=True)))
    rows = []
    for path in sorted(paths.raw_dir.glob("*.txt")):
        sections: list[list[str]] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and (not sections or (len(line) <= 40 and not re.search("[。！？]", line))):
                sections.append([])
            if line:
                sections[-1].append(line)
        for section_no, section in enumerate(sections, start=1):
            named = naming.search("\n".join(section))
            sentences = [s for line in section for s in re.findall(r"[^。！？]+[。！？]*[”’]?", line)]
            rows += [
                (f"{path.stem[:3]}-{section_no:02d}", number, office_of[named.group()] if named else "", text)
                for number, text in enumerate(sentences, start=1)
            ]
    return _sentences(rows)


@pytest.fixture(scope="module")
def seed_counts(seed_sentences, tmp_path_factory) -> pd.DataFrame:
    paths = project_paths()
    segmenter = make_tokenizer(
        load_user_dictionary([paths.lexicon_dir / "userdict.txt", paths.gazetteer_dir / "offices.csv"])
    )
    tokens = _tokens(seed_sentences, segmenter)
    hits = find_theme_hits(seed_sentences, tokens, load_codebook())
    # File 003 (2023): the 枫杨 and 潮河 features.
    return count_themes(
        hits, seed_sentences.loc[seed_sentences["article_id"].str.startswith("003")], n_boot=200
    )


def _ranked_themes(counts: pd.DataFrame, office: str) -> list[str]:
    rows = counts.loc[counts["office"] == office]
    return rows.sort_values("rate_per_10k_chars", ascending=False, kind="stable")["theme"].tolist()


def test_fengyang_2023_leans_on_party_building_and_grid_governance(seed_counts):
    assert set(_ranked_themes(seed_counts, "枫杨办事处")[:2]) == {"党建引领", "基层治理与网格化"}


def test_chaohe_leans_on_projects_and_business_environment(seed_counts):
    ranked = _ranked_themes(seed_counts, "潮河办事处")
    assert ranked[0] == "项目建设与招商"
    assert "营商环境与政务服务" in ranked[:3]


def test_seed_counts_cover_every_office_and_theme(seed_counts):
    offices = seed_counts["office"].nunique()
    assert len(seed_counts) == offices * len(load_codebook().themes)
    assert np.allclose(
        seed_counts["rate_per_10k_chars"], seed_counts["hits"] / seed_counts["n_chars"] * 10_000
    )


# --- the project codebook on sentences written for each theme's description -----------------------------

PROJECT_CASES = [
    ("社区为辖区80岁以上老人提供上门助餐服务。", {"民生服务"}),
    ("街道举办专场招聘会，帮助失业人员实现再就业。", {"民生服务"}),
    ("春节前夕，社区走访慰问困难群众，送上米面油。", {"民生服务"}),
    ("街道组织专业人员对辖区餐饮店开展燃气安全检查。", {"安全与防汛"}),
    ("汛期来临前，社区对地下车库、低洼地段开展隐患排查。", {"安全与防汛"}),
    ("城管执法队员集中清理背街小巷的占道经营摊点。", {"城市管理与环境整治"}),
    ("今年计划完成12个老旧小区改造，惠及居民3000余户。", {"城市管理与环境整治"}),
    ("社区将辖区划分为18个网格，每个网格配备一名专职网格员。", {"基层治理与网格化"}),
    ("人民调解员上门调解邻里纠纷，化解矛盾于萌芽状态。", {"基层治理与网格化"}),
    ("街道党工委组织党员干部开展主题党日活动。", {"党建引领"}),
    ("街道新签约亿元以上项目5个，总投资23亿元。", {"项目建设与招商"}),
    ("辖区新增高新技术企业8家，科技型中小企业15家。", {"科技创新与产业"}),
    ("便民服务中心推行“一网通办”，企业开办实现一天办结。", {"营商环境与政务服务"}),
    ("社区新建口袋公园一处，绿化面积达2000平方米。", {"生态与公园"}),
    ("社区组织志愿者开展核酸检测秩序维护工作。", {"疫情防控"}),
    # No theme: the weather; a speaker's post; a company's name; a weak word alone.
    ("天气晴朗，气温适宜。", set()),
    ("某社区党总支书记王某说。", set()),
    ("该工程由某某投资控股有限公司承建。", set()),
    ("项目负责人介绍了有关情况。", set()),
]


def test_the_project_codebook_codes_sentences_written_for_its_descriptions():
    paths = project_paths()
    segmenter = make_tokenizer(
        load_user_dictionary([paths.lexicon_dir / "userdict.txt", paths.gazetteer_dir / "offices.csv"])
    )
    # Each sentence is an article of its own, so no neighbour lends it a theme.
    sentences = _sentences([(f"a{number}", 1, "", text) for number, (text, _) in enumerate(PROJECT_CASES)])
    hits = find_theme_hits(
        sentences, [segmenter.cut_content(text) for text in sentences["text"]], load_codebook()
    )
    found: dict[str, set[str]] = {}
    for article_id, theme in zip(hits["article_id"], hits["theme"], strict=True):
        found.setdefault(article_id, set()).add(theme)
    assert [found.get(f"a{number}", set()) for number in range(len(PROJECT_CASES))] == [
        themes for _, themes in PROJECT_CASES
    ]
