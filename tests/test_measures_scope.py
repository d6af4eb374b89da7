"""Measure scope: whose measure it is (office, district, city, province, national or unknown)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from govnews.config import project_paths
from govnews.errors import GovnewsError
from govnews.extract.measures import extract_measures_from_sentences
from govnews.resources.lexicons import load_measure_lexicon

LEXICON = project_paths().lexicon_dir / "measures.yml"


def _scopes(*texts: str, office: str = "某某街道") -> dict[str, str]:
    sentences = pd.DataFrame(
        {"article_id": "a", "sentence_no": range(len(texts)), "text": texts, "office": office}
    )
    measures = extract_measures_from_sentences(sentences)[0]
    return dict(zip(measures["name"], measures["scope"], strict=True))


@pytest.mark.parametrize(
    ("text", "name", "scope"),
    [
        ("社区党支部开展“不忘初心、牢记使命”主题教育。", "不忘初心、牢记使命", "national"),  # lexicon
        ("街道结合“万人助万企”活动走访企业。", "万人助万企", "province"),  # lexicon
        ("街道落实全市“门前五包”责任制。", "门前五包", "city"),  # scope word printed with the name
        ("围绕洛阳市“河洛行”战略谋划工作。", "河洛行", "city"),  # place printed with the name
        ("对接开发区“智造谷”布局。", "智造谷", "district"),
        ("区委推出“夜巡十条”，街道抓好落实。", "夜巡十条", "district"),  # the actor is 区委
        ("宁波市推行“阳光议事”，各地跟进。", "阳光议事", "city"),  # a place before a verb
        ("街道推行“红色议事厅”工作法。", "红色议事厅", "office"),  # the office's own
    ],
)
def test_scope_from_the_lexicon_and_the_text(text: str, name: str, scope: str) -> None:
    assert _scopes(text)[name] == scope


def test_measure_without_evidence_in_district_text_is_of_unknown_scope() -> None:
    assert _scopes("推行“红色议事厅”工作法。", office="")["红色议事厅"] == "unknown"


def test_measure_without_evidence_in_office_text_is_the_office_s() -> None:
    assert _scopes("推行“红色议事厅”工作法。")["红色议事厅"] == "office"


def test_nearest_actor_decides() -> None:
    # 全市 is further away than the office that carries the measure out.
    assert _scopes("全市召开会议后，某某街道推行“巷长议事”制度。")["巷长议事"] == "office"


def test_a_place_word_that_is_no_place_is_no_actor() -> None:
    assert _scopes("城市推行“巷长议事”制度。")["巷长议事"] == "office"


def test_higher_level_evidence_in_one_sentence_holds_for_every_mention() -> None:
    scopes = extract_measures_from_sentences(
        pd.DataFrame(
            {
                "article_id": "a",
                "sentence_no": [1, 2],
                "text": ["落实杭州市“美丽河道”行动。", "街道推进“美丽河道”行动。"],
                "office": "某某街道",
            }
        )
    )[0]["scope"].tolist()
    assert scopes == ["city", "city"]


def _edited_lexicon(tmp_path: Path, old: str, new: str) -> Path:
    text = LEXICON.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "measures.yml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_lexicon_scope_of_a_user_entry(tmp_path: Path) -> None:
    path = _edited_lexicon(
        tmp_path, "  - {name: 一网协同}", "  - {name: 一网协同}\n  - {name: 马上就办, scope: city}"
    )
    sentences = pd.DataFrame(
        {"article_id": ["a"], "sentence_no": [1], "text": ["街道坚持马上就办。"], "office": ["某"]}
    )
    measures = extract_measures_from_sentences(sentences, lexicon=load_measure_lexicon(path))[0]
    assert measures["scope"].tolist() == ["city"]


def test_unknown_lexicon_scope_names_file_and_line(tmp_path: Path) -> None:
    path = _edited_lexicon(tmp_path, "  - {name: 一网协同}", "  - {name: 一网协同, scope: planet}")
    with pytest.raises(GovnewsError, match="scope of 一网协同") as error:
        load_measure_lexicon(path)
    assert error.value.path == path and error.value.line is not None


def test_unknown_scope_of_scope_words_names_file_and_line(tmp_path: Path) -> None:
    path = _edited_lexicon(tmp_path, "  city: [全市,", "  town: [全市,")
    with pytest.raises(GovnewsError, match="town") as error:
        load_measure_lexicon(path)
    assert error.value.line is not None


def test_malformed_paired_slogans_name_file_and_line(tmp_path: Path) -> None:
    path = _edited_lexicon(tmp_path, "  - [吹哨, 报到]", "  - [吹哨]")
    with pytest.raises(GovnewsError, match="pair") as error:
        load_measure_lexicon(path)
    assert error.value.line is not None
