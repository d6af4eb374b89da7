"""The evidence rules of the theme codebook: one test per rule, each passing with the rule and failing without it.

Every test matches sentences written for it against a small codebook (``EVIDENCE_YAML``) and, to show
the rule at work, against the same codebook without the rule where that is a data change.
"""

from __future__ import annotations

import pandas as pd
import pytest

import govnews.text.themes as themes_module
from govnews import schema
from govnews.errors import GovnewsError
from govnews.resources.lexicons import load_codebook
from govnews.text.segment import make_tokenizer
from govnews.text.themes import find_theme_hits, read_codebook

EVIDENCE_YAML = """
evidence:
  name_ends: [公司, 有限公司, 部门, 局, 开发区, 书记]
  award_verbs: [荣获, 被评为]
  award_words: [称号]
  list_heads: [方面, 工作]
  list_openers: [在]
themes:
  - name: 治理
    description: 网格与治理
    terms: ['"网格"', 网格员, 调解]
    weak_terms: [议事会, 走访]
  - name: 城管
    description: 城市管理
    terms: [环境整治, '"城市管理"', '"城管"']
    weak_terms: [改造, 楼道]
  - name: 项目
    description: 项目建设
    terms: [招商]
    weak_terms: [项目, 施工]
  - name: 生态
    description: 园林
    terms: [园林, '"开发"']
  - name: 党建
    description: 党的建设
    terms: [党总支]
  - name: 疫情
    description: 疫情防控
    terms: ['"疫情防控"', 隔离]
    negative_contexts: [隔离护栏]
"""


@pytest.fixture(scope="module")
def segmenter():
    return make_tokenizer([("环境整治", None, None), ("网格员", None, None)])


def _codebook(without: str = "", replace: tuple[str, str] = ("", "")):
    """The test codebook, optionally without the lines holding ``without`` or with a text replaced."""
    text = "\n".join(line for line in EVIDENCE_YAML.splitlines() if not without or without not in line)
    return read_codebook(text.replace(*replace) if replace[0] else text)


def _hits(
    segmenter, texts: list[str], codebook=None, names: tuple[str, ...] = ()
) -> list[tuple[int, str, str]]:
    """(sentence_no, term, evidence) of every hit, the texts being the sentences of one article."""
    frame = pd.DataFrame(
        {"article_id": "a", "sentence_no": range(1, len(texts) + 1), "office": "", "text": texts}
    )
    frame["n_chars"] = frame["text"].str.len()
    frame["part"], frame["paragraph_no"], frame["offices_mentioned"] = "body", 1, ""
    sentences = schema.conform(frame, "sentences")
    tokens = [segmenter.cut_content(text) for text in texts]
    hits = find_theme_hits(sentences, tokens, codebook or _codebook(), names=names)
    return list(
        zip(hits["sentence_no"].tolist(), hits["term"].tolist(), hits["evidence"].tolist(), strict=True)
    )


def _terms(segmenter, text: str, codebook=None, names: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(term, evidence) for _, term, evidence in _hits(segmenter, [text], codebook, names)]


# --- rule 1 and 2: strong and weak terms ------------------------------------------------------------------


def test_a_strong_term_counts_alone(segmenter):
    assert _terms(segmenter, "开展招商活动") == [("招商", "strong")]


def test_a_weak_term_alone_does_not_count(segmenter):
    assert _terms(segmenter, "项目进展顺利") == []
    # Listed as a strong term, the same word counts.
    strong = _codebook(
        without="weak_terms: [项目, 施工]", replace=("terms: [招商]", "terms: [招商, 项目, 施工]")
    )
    assert _terms(segmenter, "项目进展顺利", strong) == [("项目", "strong")]


def test_a_weak_term_counts_beside_a_strong_term_of_its_theme(segmenter):
    assert _terms(segmenter, "推进招商，项目进展顺利") == [("招商", "strong"), ("项目", "weak")]


def test_two_different_weak_terms_support_each_other(segmenter):
    assert _terms(segmenter, "项目顺利完成施工") == [("项目", "weak"), ("施工", "weak")]


def test_the_same_weak_term_twice_is_no_second_term(segmenter):
    assert _terms(segmenter, "项目进展顺利，项目前景广阔") == []


def test_weak_terms_side_by_side_are_one_phrase(segmenter, monkeypatch):
    assert _terms(segmenter, "施工项目进展顺利") == []
    # Without the phrase rule the two words would support each other.
    monkeypatch.setattr(themes_module, "_PHRASE_GAPS", frozenset())
    assert _terms(segmenter, "施工项目进展顺利") == [("施工", "weak"), ("项目", "weak")]


def test_a_weak_term_alone_counts_next_to_a_sentence_of_its_theme(segmenter):
    # The article is mostly about projects; 改造 follows a sentence about environment work, 楼道 does not.
    article = [
        "开展招商活动。",
        "招商签约顺利。",
        "小区开展环境整治。",
        "改造完成后居民满意。",
        "招商持续推进。",
        "楼道焕然一新。",
    ]
    hits = _hits(segmenter, article)
    assert (4, "改造", "context") in hits
    assert all(term != "楼道" for _, term, _ in hits)
    # Alone in its own article the same sentence has no evidence of the theme.
    assert _hits(segmenter, ["改造完成后居民满意。"]) == []


def test_a_weak_term_alone_counts_in_an_article_about_its_theme(segmenter):
    article = [
        "小区开展环境整治。",
        "环境整治持续推进。",
        "开展招商活动。",
        "居民纷纷点赞。",
        "楼道焕然一新。",
    ]
    assert (5, "楼道", "context") in _hits(segmenter, article)
    # In an article mostly about projects the same sentence does not count for city management.
    other = ["开展招商活动。", "招商签约顺利。", "小区开展环境整治。", "居民纷纷点赞。", "楼道焕然一新。"]
    assert all(term != "楼道" for _, term, _ in _hits(segmenter, other))


# --- rule 3: names ---------------------------------------------------------------------------------------


def test_no_term_counts_inside_a_title(segmenter):
    assert _terms(segmenter, "《环境整治实施方案》印发") == []
    assert _terms(segmenter, "环境整治实施方案印发") == [("环境整治", "strong")]


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("社区荣获环境整治示范点称号，并持续开展环境整治", ["环境整治"]),  # the title ends at its award word
        ("社区荣获环境整治示范点称号", []),
        ("社区被评为环境整治先进社区", []),  # no award word: the title runs to the end of the clause
    ],
)
def test_no_term_counts_inside_an_award_title(segmenter, text, terms):
    assert [term for term, _ in _terms(segmenter, text)] == terms
    assert "环境整治" in [term for term, _ in _terms(segmenter, text, _codebook(without="award_verbs"))]


def test_no_term_counts_inside_a_known_name(segmenter):
    assert _terms(segmenter, "网格社区居委会召开会议", names=("网格社区",)) == []
    assert _terms(segmenter, "网格社区居委会召开会议") == [("网格", "strong")]


@pytest.mark.parametrize(
    ("text", "counted"),
    [
        ("园林部门负责养护", False),  # the name ending follows the term
        ("园林养护工作", True),
        ("园林技术开发区", False),  # a word ending with a name ending of two or more characters
        ("园林格局优化", True),  # 格局 ends with 局, but a one-character ending must stand alone
        ("市城管局开展行动", False),  # a quoted term inside a word whose rest ends the name
        ("开展城管执法", True),
        ("经济技术开发区管委会", False),  # a quoted term inside a word that ends with a name ending
        ("社区党总支书记说", False),  # a post is a name too
    ],
)
def test_no_term_counts_before_a_name_ending(segmenter, text, counted):
    assert bool(_terms(segmenter, text)) is counted
    assert _terms(segmenter, text, _codebook(without="name_ends"))


def test_a_name_may_hold_one_word_between_term_and_ending(segmenter):
    codebook = _codebook(replace=("terms: [招商]", "terms: [招商, 投资]"))
    assert _terms(segmenter, "投资控股有限公司签约", codebook) == []
    assert _terms(
        segmenter,
        "投资控股有限公司签约",
        _codebook(without="name_ends", replace=("terms: [招商]", "terms: [招商, 投资]")),
    ) == [("投资", "strong")]
    # Two words between: a phrase, not a name.
    assert _terms(segmenter, "投资建设新的公司", codebook) == [("投资", "strong")]


# --- rule 4: enumerations ---------------------------------------------------------------------------------


def test_an_enumeration_of_fields_counts_for_the_sentence_head(segmenter):
    text = "发挥网格在城市管理、疫情防控、环境整治等方面的作用"
    assert _terms(segmenter, text) == [("网格", "strong")]
    without = [term for term, _ in _terms(segmenter, text, _codebook(without="list_heads"))]
    assert without == ["网格", "城市管理", "疫情防控", "环境整治"]


def test_an_enumeration_counts_when_nothing_else_does(segmenter):
    text = "重点抓好城市管理、疫情防控、环境整治等工作"
    assert _terms(segmenter, text) == [("城市管理", "list"), ("疫情防控", "list"), ("环境整治", "list")]


def test_one_item_before_deng_is_no_enumeration(segmenter):
    assert _terms(segmenter, "网格员开展环境整治等工作") == [("网格员", "strong"), ("环境整治", "strong")]


# --- rule 6: negative contexts ------------------------------------------------------------------------------


def test_no_term_counts_inside_a_negative_context(segmenter):
    text = "疫情防控期间道路两侧设置隔离护栏"
    assert _terms(segmenter, text) == [("疫情防控", "strong")]
    assert _terms(segmenter, text, _codebook(without="negative_contexts")) == [
        ("疫情防控", "strong"),
        ("隔离", "strong"),
    ]


# --- reading the codebook ------------------------------------------------------------------------------------


def test_weak_terms_of_themes_and_subthemes_are_read_as_weak():
    codebook = read_codebook(
        "themes:\n  - name: 甲\n    description: d\n    terms: [网格]\n    weak_terms: [物业]\n"
        "    subthemes:\n      - {name: 子, terms: [调解], weak_terms: [走访]}\n"
    )
    strength = codebook.to_frame().set_index("term")["strength"].to_dict()
    assert strength == {"网格": "strong", "物业": "weak", "调解": "strong", "走访": "weak"}


@pytest.mark.parametrize(
    ("text", "fragment", "line"),
    [
        (
            "evidence:\n  name_end: [公司]\nthemes:\n  - {name: 甲, description: d, terms: [a]}\n",
            "unknown key(s) name_end",
            2,
        ),
        (
            "evidence:\n  name_ends: 公司\nthemes:\n  - {name: 甲, description: d, terms: [a]}\n",
            "must be a list of non-empty words",
            2,
        ),
        (
            "evidence: [公司]\nthemes:\n  - {name: 甲, description: d, terms: [a]}\n",
            "'evidence' must be a mapping",
            1,
        ),
        (
            "themes:\n  - {name: 甲, description: d, terms: [a], negative_contexts: 隔离护栏}\n",
            "'negative_contexts' must be a list",
            2,
        ),
        (
            "themes:\n  - {name: 甲, description: d, terms: [a], weak_terms: [a]}\n",
            "listed twice in theme '甲'",
            2,
        ),
    ],
)
def test_bad_evidence_sections_name_the_problem_and_line(tmp_path, text, fragment, line):
    path = tmp_path / "themes.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GovnewsError) as caught:
        load_codebook(path)
    assert fragment in caught.value.problem
    assert caught.value.line == line
