"""Canonical names: spellings are one measure only where the text or the lexicon says so."""

from __future__ import annotations

import pandas as pd

from govnews.extract.measures import extract_measures_from_sentences, group_canonical_names
from govnews.extract.measures.canonical import assign_canonical


def _canonical(*texts: str) -> list[str]:
    sentences = pd.DataFrame(
        {"article_id": "a", "sentence_no": range(len(texts)), "text": texts, "office": ""}
    )
    return extract_measures_from_sentences(sentences)[0]["canonical"].tolist()


def test_the_text_says_two_names_are_one_measure() -> None:
    canonical = _canonical("推行“三快机制”（即“快受理、快处置、快反馈”工作机制），群众满意。")
    assert canonical == ["三快机制", "三快机制"]


def test_same_components_are_one_measure() -> None:
    assert _canonical("形成“一核两翼”格局。", "推进“一核两翼”发展战略。") == ["一核两翼", "一核两翼"]


def test_numbered_slogan_misprinted_in_one_part_is_one_measure() -> None:
    canonical = _canonical(
        "推进“一轴两带三区四园”工程。", "推进“一轴两带三区四园”工程。", "推进“一轴两带三区四圆”工程。"
    )
    assert set(canonical) == {"一轴两带三区四园"}  # the commoner spelling


def test_numbered_slogans_with_other_numbers_stay_apart() -> None:
    canonical = _canonical("推进“一轴两带三区四园”工程。", "推进“一轴两带三区五园”工程。")
    assert len(set(canonical)) == 2


def test_short_slogans_one_part_apart_stay_apart() -> None:
    # Two numbered parts: one misprint or two slogans? Nothing says, so two measures.
    assert len(set(_canonical("推进“三项工程一项管理”。", "推进“三项工程一项服务”。"))) == 2


def test_lexicon_name_is_the_canonical_of_its_group() -> None:
    assert (
        assign_canonical(["吹哨报到", "街乡吹哨、部门报到"], ["街乡吹哨、部门报到", ""])
        == ["街乡吹哨部门报到"] * 2
    )


def test_group_canonical_names_across_files() -> None:
    # Rows of two files: the build settles canonical names within each file only.
    measures = pd.DataFrame(
        {
            "name": ["四纵四横五景六亭", "四纵四横五景六停", "红色物业管家"],
            "canonical": ["四纵四横五景六亭", "四纵四横五景六停", "红色物业管家"],
            "components": ["四纵|四横|五景|六亭", "四纵|四横|五景|六停", ""],
            "expansions": ["", "", ""],
        }
    )
    assert group_canonical_names(measures).tolist() == [
        "四纵四横五景六亭",
        "四纵四横五景六亭",
        "红色物业管家",
    ]
