"""Tests of govnews.text.segment: user dictionary, private tokenizers, rjieba/jieba parity, token cache."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from govnews.config import project_paths
from govnews.errors import GovnewsError
from govnews.resources.lexicons import load_stopwords, load_user_dictionary
from govnews.text import segment
from govnews.text.segment import make_tokenizer, tokenize_sentences

# Measure names passed explicitly so these tests do not depend on the measures lexicon.
MEASURE_NAMES = ["九步工作法", "门前四包", "三级动态分析会制度", "一网通办", "河长制", "五星支部"]
# A word no dictionary holds: it shows whether a user dictionary reached a tokenizer.
TEST_WORD = "甲乙丙丁戊"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _sentences(*texts: str, article_id: str = "a-01") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": [article_id] * len(texts),
            "sentence_no": list(range(1, len(texts) + 1)),
            "text": list(texts),
        }
    )


@pytest.fixture(scope="module")
def project_dictionary() -> list[segment.DictionaryEntry]:
    paths = project_paths()
    entries = load_user_dictionary([paths.lexicon_dir / "userdict.txt", paths.gazetteer_dir / "offices.csv"])
    return entries + [(name, None, None) for name in [*MEASURE_NAMES, TEST_WORD]]


@pytest.fixture(scope="module")
def fast(project_dictionary) -> segment.Segmenter:
    return make_tokenizer(project_dictionary, engine="rjieba")


@pytest.fixture(scope="module")
def jieba_reference(fast):
    """The segmenter's private jieba tokenizer: jieba's Tokenizer with the same user dictionary loaded."""
    return fast._reference


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    lines = []
    for path in sorted(project_paths().raw_dir.glob("*.txt")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


class CountingSegmenter:
    """Wraps a segmenter and counts how many texts it was asked to cut."""

    def __init__(self, inner: segment.Segmenter) -> None:
        self.inner = inner
        self.calls = 0

    def cut_content(self, text: str) -> list[str]:
        self.calls += 1
        return self.inner.cut_content(text)


# --- user dictionary -------------------------------------------------------------------------------


def test_userdict_reads_word_freq_and_tag_and_skips_comments(tmp_path):
    path = _write(tmp_path / "userdict.txt", "# comment\n\n网格员\n网格长 500\n微网格 300 n\n一网统管 nz\n")
    assert load_user_dictionary([path]) == [
        ("网格员", None, None),
        ("网格长", 500, None),
        ("微网格", 300, "n"),
        ("一网统管", None, "nz"),
    ]


def test_gazetteer_gives_office_names_and_aliases(tmp_path):
    path = _write(
        tmp_path / "offices.csv", "office,aliases,district,city\n沟赵办事处,沟赵街道|沟赵乡,高新区,郑州\n"
    )
    assert [word for word, _, _ in load_user_dictionary([path])] == ["沟赵办事处", "沟赵街道", "沟赵乡"]


def test_first_entry_of_a_word_wins_and_unholdable_names_are_left_out(tmp_path):
    words = _write(tmp_path / "userdict.txt", "沟赵街道 900 ns\n")
    # 三项工程、一项管理 holds punctuation and 乡 is one character: jieba could never keep them as words.
    offices = _write(tmp_path / "offices.csv", "office,aliases\n沟赵办事处,沟赵街道|乡|三项工程、一项管理\n")
    assert load_user_dictionary([words, offices]) == [("沟赵街道", 900, "ns"), ("沟赵办事处", None, None)]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("网格员\n网格长\n网格员\n", 3, "listed twice"),
        ("网格员 12x\n", 1, "expected 'word [freq] [tag]'"),
        ("网格员 0\n", 1, "above 0"),
        ("网格员 5 n extra\n", 1, "expected 'word [freq] [tag]'"),
        ("# ok\n网格，员\n", 2, "cannot be a jieba word"),
    ],
)
def test_bad_userdict_line_names_file_and_line(tmp_path, text, line, fragment):
    path = _write(tmp_path / "userdict.txt", text)
    with pytest.raises(GovnewsError) as caught:
        load_user_dictionary([path])
    assert caught.value.path == path
    assert caught.value.line == line
    assert fragment in caught.value.problem


def test_gazetteer_without_aliases_column_is_an_error(tmp_path):
    path = _write(tmp_path / "offices.csv", "office,district\n沟赵办事处,高新区\n")
    with pytest.raises(GovnewsError, match="aliases"):
        load_user_dictionary([path])


@pytest.mark.parametrize("name", ["missing.txt", "words.json"])
def test_missing_or_unknown_dictionary_file_is_an_error(tmp_path, name):
    if name.endswith(".json"):
        _write(tmp_path / name, "[]")
    with pytest.raises(GovnewsError) as caught:
        load_user_dictionary([tmp_path / name])
    assert caught.value.path == tmp_path / name


def test_stopwords_are_read_without_comments(tmp_path):
    path = _write(tmp_path / "stopwords.txt", "# boilerplate\n本报讯\n\n的\n")
    assert load_stopwords(path) == frozenset({"本报讯", "的"})


def test_duplicate_stopword_names_line(tmp_path):
    path = _write(tmp_path / "stopwords.txt", "的\n了\n的\n")
    with pytest.raises(GovnewsError) as caught:
        load_stopwords(path)
    assert caught.value.line == 3


def test_project_lexicons_load():
    paths = project_paths()
    assert len(load_user_dictionary([paths.lexicon_dir / "userdict.txt"])) >= 40
    assert {"本报讯", "记者", "通讯员", "据了解", "的"} <= load_stopwords()


# --- tokenizers --------------------------------------------------------------------------------------


def test_user_words_stay_whole(fast, jieba_reference):
    text = f"社区{TEST_WORD}和网格员在城乡接合部"
    expected = ["社区", TEST_WORD, "和", "网格员", "在", "城乡接合部"]
    assert fast.cut(text) == expected
    assert jieba_reference.lcut(text, HMM=True) == expected


def test_private_tokenizers_leave_global_dictionaries_alone(fast, jieba_reference):
    import jieba
    import rjieba

    fast.cut(f"{TEST_WORD}与网格员")
    jieba_reference.lcut(f"{TEST_WORD}与网格员")
    assert TEST_WORD not in jieba.dt.FREQ
    assert not jieba.dt.user_word_tag_tab
    assert not rjieba.has_word(TEST_WORD)


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine"):
        make_tokenizer([], engine="pkuseg")


def test_same_dictionary_gives_same_segmenter():
    first = make_tokenizer([("网格员", None, None)])
    assert make_tokenizer([("网格员", None, None)]) is first
    assert make_tokenizer([("网格员", 500, None)]) is not first


def test_both_engines_load_the_same_frequencies(fast, project_dictionary):
    reference = make_tokenizer(project_dictionary, engine="jieba")
    assert reference.resolved_entries == fast.resolved_entries
    assert all(freq is not None for _, freq, _ in fast.resolved_entries)


def test_rjieba_cuts_the_seed_corpus_exactly_like_jieba(fast, jieba_reference, seed_lines):
    # The claim behind the fast path: on text routed to rjieba, its tokens equal jieba's
    # Tokenizer.lcut(text, HMM=True) with the same user dictionary; the rest goes to jieba.
    rjieba_tokenizer = fast._fast[0]
    routed = [line for line in seed_lines if segment._rjieba_agrees(line)]
    assert len(routed) >= 0.9 * len(seed_lines)
    assert [rjieba_tokenizer.cut(line, True) for line in routed] == [
        jieba_reference.lcut(line, HMM=True) for line in routed
    ]
    assert [fast.cut(line) for line in seed_lines] == [
        jieba_reference.lcut(line, HMM=True) for line in seed_lines
    ]


def test_dictionary_word_cuts_match_jieba_without_hmm_on_the_seed_corpus(fast, jieba_reference, seed_lines):
    # Cleaning (words across a line break) and office names use HMM-free cuts; rjieba must agree.
    assert [fast.cut_words(line) for line in seed_lines] == [
        jieba_reference.lcut(line, HMM=False) for line in seed_lines
    ]


def test_both_engines_tag_the_seed_corpus_alike(project_dictionary, fast, seed_lines):
    reference = make_tokenizer(project_dictionary, engine="jieba")
    assert [reference.tag_words(line) for line in seed_lines] == [fast.tag_words(line) for line in seed_lines]


def test_tags_mark_verbs_function_words_and_user_words(fast):
    assert fast.tag_words("了解各") == [("了解", "v"), ("各", "r")]
    assert fast.tag_words("九步工作法") == [("九步工作法", "n")]


@pytest.mark.parametrize(
    "text",
    [
        "用时3-5年完成改造",  # jieba-rs keeps 3-5 whole, jieba splits at the hyphen
        "A-1地块2020-2021年度",
        "道路全长7.5km",
        "新建㐀㐀社区",  # extension-A ideographs: Chinese to jieba-rs, symbols to jieba
    ],
)
def test_text_rjieba_would_cut_differently_goes_to_jieba(fast, jieba_reference, text):
    assert not segment._rjieba_agrees(text)
    assert fast.cut(text) == jieba_reference.lcut(text, HMM=True)


def test_plain_chinese_with_numbers_stays_on_the_fast_path():
    assert segment._rjieba_agrees("2023年完成投资3.5亿元，增长12%，建成5G基站")


@pytest.mark.parametrize(
    "text",
    [
        "初步形成“1+9”党建局域网",
        "搭建“3+X”的商业体系",
        "推进“互联网+政务服务”，打造1+N+X服务矩阵",
        "C++与+86号码",
    ],
)
def test_slogans_joined_by_plus_stay_on_the_fast_path_and_cut_like_jieba(fast, jieba_reference, text):
    assert segment._rjieba_agrees(text)
    assert fast._fast[0].cut(text, True) == jieba_reference.lcut(text, HMM=True)
    assert fast._fast[0].cut(text, False) == jieba_reference.lcut(text, HMM=False)


# --- token table ---------------------------------------------------------------------------------------


def test_token_table_drops_punctuation_and_flags_stopwords(tmp_path):
    segmenter = make_tokenizer([("网格员", None, None)])
    sentences = _sentences("本报讯 网格员的工作。", "“双改”！")
    tokens = tokenize_sentences(sentences, segmenter, stopwords={"本报讯", "的"})
    expected = pd.DataFrame(
        {
            "article_id": ["a-01"] * 5,
            "sentence_no": [1, 1, 1, 1, 2],
            "token_no": [1, 2, 3, 4, 1],
            "token": ["本报讯", "网格员", "的", "工作", "双改"],
            "is_stopword": [True, False, True, False, False],
        }
    ).astype(segment.TOKEN_COLUMNS)
    assert_frame_equal(tokens, expected)


def test_empty_sentences_give_an_empty_token_table(tmp_path):
    tokens = tokenize_sentences(_sentences(), make_tokenizer([]), stopwords=set())
    assert list(tokens.columns) == list(segment.TOKEN_COLUMNS)
    assert tokens.empty


def test_sentences_without_text_column_are_an_error(tmp_path):
    with pytest.raises(GovnewsError, match="text"):
        tokenize_sentences(pd.DataFrame({"article_id": [], "sentence_no": []}), make_tokenizer([]))


def test_each_distinct_sentence_is_segmented_once():
    counting = CountingSegmenter(make_tokenizer([("网格员", None, None)]))
    sentences = _sentences("网格员巡查。", "网格员巡查。", "居民议事。")
    tokens = tokenize_sentences(sentences, counting, stopwords=set())
    assert counting.calls == 2
    assert tokens["sentence_no"].tolist().count(2) == tokens["sentence_no"].tolist().count(1)


def test_stopwords_are_flagged_from_the_list_given():
    tokens = tokenize_sentences(_sentences("居民议事。"), make_tokenizer([]), stopwords={"议事"})
    assert tokens.loc[tokens["token"] == "议事", "is_stopword"].tolist() == [True]


def test_without_rjieba_jieba_does_all_the_work(monkeypatch):
    monkeypatch.setattr(segment, "_rjieba_available", lambda: False)
    assert make_tokenizer([("网格员", None, None)]).engine == "jieba"
    with pytest.raises(ValueError, match="not installed"):
        make_tokenizer([("网格员", None, None)], engine="rjieba")
