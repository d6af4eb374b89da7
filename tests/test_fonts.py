"""The bundled Simplified Chinese font: extracted once, cached, and usable by matplotlib."""

from __future__ import annotations

import io
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont
from matplotlib import font_manager
from matplotlib.figure import Figure

from govnews.errors import GovnewsError
from govnews.present import fonts


@pytest.fixture(scope="module")
def extracted_font(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fonts.cjk_font_path(tmp_path_factory.mktemp("font_cache") / "fonts" / fonts.FONT_FILE_NAME)


def _missing_glyph_warnings(family: str, text: str) -> list[str]:
    fig = Figure()
    fig.text(0.1, 0.5, text, fontfamily=family)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    return [str(warning.message) for warning in caught if "missing from font" in str(warning.message)]


def _tiny_font(family: str) -> TTFont:
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef"])
    builder.setupCharacterMap({})
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph()})
    builder.setupHorizontalMetrics({".notdef": (500, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    return builder.font


def _collection_of(families: list[str], path: Path) -> Path:
    collection = TTCollection()
    collection.fonts = [_tiny_font(family) for family in families]
    collection.save(str(path))
    return path


def test_extracted_face_is_simplified_chinese(extracted_font: Path) -> None:
    assert TTFont(extracted_font)["name"].getDebugName(1) == "Noto Sans CJK SC"


@pytest.mark.parametrize("word", ["网格化", "街道", "办事处", "沟赵", "枫杨", "潮河"])
def test_extracted_face_covers_office_vocabulary(extracted_font: Path, word: str) -> None:
    cmap = TTFont(extracted_font).getBestCmap()
    assert [char for char in word if ord(char) not in cmap] == []


def test_second_call_reuses_the_cached_file(extracted_font: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = extracted_font.stat()

    def fail_if_called(*args: object) -> None:
        raise AssertionError("the font was extracted again")

    monkeypatch.setattr(fonts, "_write_simplified_chinese_face", fail_if_called)
    again = fonts.cjk_font_path(extracted_font)
    assert again == extracted_font
    assert (again.stat().st_mtime_ns, again.stat().st_ino) == (before.st_mtime_ns, before.st_ino)


def test_extraction_leaves_only_the_font_file(extracted_font: Path) -> None:
    assert [path.name for path in extracted_font.parent.iterdir()] == [fonts.FONT_FILE_NAME]


def test_missing_font_package_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes `import noto_cjk_sans_otc` fail as if the package were not installed.
    monkeypatch.setitem(sys.modules, "noto_cjk_sans_otc", None)
    with pytest.raises(GovnewsError, match="noto-cjk-sans-otc is not installed"):
        fonts.cjk_font_path(tmp_path / "font.otf")


def test_unwritable_cache_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    with pytest.raises(GovnewsError, match="cannot write the extracted Chinese font") as error:
        fonts.cjk_font_path(blocker / "fonts" / "font.otf")
    assert error.value.path == blocker / "fonts" / "font.otf"


def test_collection_without_sc_face_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    collection = _collection_of(["Test Sans JP", "Test Sans KR"], tmp_path / "faces.ttc")
    monkeypatch.setattr(fonts, "_collection_path", lambda: collection)
    with pytest.raises(GovnewsError, match="no Simplified Chinese") as error:
        fonts.cjk_font_path(tmp_path / "cache" / "font.otf")
    assert error.value.path == collection
    assert not (tmp_path / "cache" / "font.otf").exists()


def test_proportional_sc_face_is_preferred_over_mono(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    collection = _collection_of(["Test Mono SC", "Test Sans JP", "Test Sans SC"], tmp_path / "faces.ttc")
    monkeypatch.setattr(fonts, "_collection_path", lambda: collection)
    extracted = fonts.cjk_font_path(tmp_path / "font.ttf")
    assert TTFont(extracted)["name"].getDebugName(1) == "Test Sans SC"


def test_register_returns_the_family_and_adds_the_font_once() -> None:
    first = fonts.register_cjk_font()
    second = fonts.register_cjk_font()
    path = fonts.cjk_font_path().resolve()
    entries = [entry for entry in font_manager.fontManager.ttflist if Path(entry.fname).resolve() == path]
    assert (first, second, len(entries)) == ("Noto Sans CJK SC", "Noto Sans CJK SC", 1)


def test_matplotlib_renders_chinese_with_the_registered_font() -> None:
    family = fonts.register_cjk_font()
    assert _missing_glyph_warnings(family, "沟赵办事处 网格化管理 枫杨街道") == []


def test_default_font_lacks_chinese_so_the_check_can_fail() -> None:
    assert _missing_glyph_warnings("DejaVu Sans", "沟赵办事处 网格化管理 枫杨街道") != []
