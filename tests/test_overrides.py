"""Analyst overrides and metadata: applied and reported, never silently ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from govnews.config import project_paths
from govnews.errors import GovnewsError
from govnews.pipeline.build import build
from govnews.resources.overrides import load_overrides

PAGE = (
    "沟赵召开工作会\n\n本报讯 沟赵办事处召开工作会，部署重点工作。沟赵办事处要求抓好落实。记者 张三\n\n"
    "枫杨召开推进会\n\n本报讯 枫杨办事处召开推进会，部署网格化工作。枫杨办事处要求压实责任。记者 李四\n\n"
    "会议还对沟赵片区的项目建设作出安排。\n"
)


@pytest.fixture
def page_paths(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "page.txt").write_text(PAGE, encoding="utf-8")
    return project_paths(
        raw_dir=raw,
        processed_dir=tmp_path / "out",
        cache_dir=tmp_path / "cache",
        overrides_file=tmp_path / "overrides.yml",
        metadata_file=raw / "metadata.csv",
    )


def test_override_moves_a_paragraph_to_another_article(page_paths) -> None:
    page_paths.overrides_file.write_text(
        "- {source: page.txt, snippet: 沟赵片区的项目建设, move_to: 沟赵办事处召开工作会}\n", encoding="utf-8"
    )
    result = build(page_paths, write=False)
    texts = result.tables["articles"].set_index("title")["text"]
    assert "沟赵片区的项目建设" in texts["沟赵召开工作会"]
    assert "沟赵片区的项目建设" not in texts["枫杨召开推进会"]
    assert result.applied_overrides == [
        "page.txt: “沟赵片区的项目建设” → move to article with “沟赵办事处召开工作会”"
    ]


def test_override_sets_an_office(page_paths) -> None:
    page_paths.overrides_file.write_text(
        "- {source: page.txt, snippet: 枫杨召开推进会, office: 石佛办事处}\n", encoding="utf-8"
    )
    articles = build(page_paths, write=False).tables["articles"].set_index("title")
    assert articles.loc["枫杨召开推进会", ["office", "office_source"]].tolist() == ["石佛办事处", "override"]


def test_override_matching_nothing_is_a_warning(page_paths) -> None:
    page_paths.overrides_file.write_text(
        "- {source: page.txt, snippet: 不存在的话, office: 石佛办事处}\n", encoding="utf-8"
    )
    result = build(page_paths, write=False)
    assert result.unmatched_overrides == ["page.txt: “不存在的话” → office 石佛办事处"]
    assert "warning: override matched nothing: page.txt: “不存在的话”" in result.summary()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("- {source: page.txt, snippet: x}\n", "needs one of 'move_to' or 'starts_article'"),
        ("- {source: page.txt, snippet: x, move_to: y, office: z}\n", "needs one of 'move_to'"),
        ("- {source: page.txt, snippet: x, year: 20}\n", "year 20 is not a year"),
        ("- {source: ../etc/passwd, snippet: x, office: y}\n", "inside the raw folder"),
        ("- [unclosed\n", "broken YAML"),
    ],
)
def test_malformed_overrides_name_the_file(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "overrides.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GovnewsError, match=problem) as error:
        load_overrides(path)
    assert "overrides.yml" in error.value.message


def test_override_sets_district_and_year(page_paths) -> None:
    page_paths.overrides_file.write_text(
        "- {source: page.txt, snippet: 枫杨召开推进会, district: 经开区, year: 2018}\n", encoding="utf-8"
    )
    articles = build(page_paths, write=False).tables["articles"].set_index("title")
    assert articles.loc["枫杨召开推进会", ["district", "year", "year_evidence"]].tolist() == [
        "经开区",
        2018,
        "override",
    ]
    assert articles.loc["沟赵召开工作会", "district"] == "高新区"


def test_override_starts_an_article(page_paths) -> None:
    page_paths.overrides_file.write_text(
        "- {source: page.txt, snippet: 沟赵片区的项目建设, starts_article: true}\n", encoding="utf-8"
    )
    articles = build(page_paths, write=False).tables["articles"]
    assert articles["text"].tolist()[-1] == "会议还对沟赵片区的项目建设作出安排。"
    assert articles["boundary_evidence"].tolist()[-1] == "override"


def test_metadata_year_overrides_the_inferred_year(page_paths) -> None:
    page_paths.metadata_file.write_text("source,year\npage.txt,2019\n", encoding="utf-8")
    articles = build(page_paths, write=False).tables["articles"]
    assert articles["year"].tolist() == [2019, 2019]
    assert set(articles["year_evidence"]) == {"metadata.csv"}
