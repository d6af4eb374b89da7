"""The bundled Simplified Chinese font, so charts and word clouds render Chinese on any machine.

The machines govnews runs on have no system CJK font, on purpose: a chart must not depend on what
happens to be installed. The font comes from the PyPI package ``noto-cjk-sans-otc``, which ships
``NotoSansCJK-Regular.ttc``. PIL (and so wordcloud) reads only the first face of a collection, and
that face is the Japanese one, whose glyph shapes differ from Chinese print for many characters. So
the Simplified Chinese face (Noto Sans CJK SC) is extracted once with fontTools into a cache file and
reused afterwards; matplotlib is given the same file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from govnews.config import project_paths
from govnews.errors import GovnewsError

FONT_FILE_NAME = "NotoSansCJKsc-Regular.otf"
_FONT_PACKAGE = "noto-cjk-sans-otc"


def _collection_path() -> Path:
    try:
        import noto_cjk_sans_otc
    except ImportError as error:
        raise GovnewsError(
            None,
            f"the font package {_FONT_PACKAGE} is not installed, so charts cannot show Chinese; "
            f"install it with `.venv/bin/pip install {_FONT_PACKAGE}` (see requirements.txt)",
        ) from error
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    if not path.is_file():
        raise GovnewsError(path, f"the font file of {_FONT_PACKAGE} is missing; reinstall the package")
    return path


def _is_simplified_chinese(family: str) -> bool:
    return "SC" in family.split()


def _write_simplified_chinese_face(collection_path: Path, target: Path) -> None:
    from fontTools.ttLib import TTCollection

    with TTCollection(str(collection_path), lazy=True) as collection:
        families = [font["name"].getDebugName(1) or "" for font in collection.fonts]
        candidates = [index for index, family in enumerate(families) if _is_simplified_chinese(family)]
        # The monospaced SC face also carries "SC"; prose and labels want the proportional one.
        proportional = [index for index in candidates if "Mono" not in families[index]]
        if not candidates:
            raise GovnewsError(
                collection_path, f"no Simplified Chinese (SC) face among {', '.join(families) or 'no faces'}"
            )
        chosen = proportional[0] if proportional else candidates[0]
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target and rename: another process never sees a half-written font.
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(handle)
        try:
            collection.fonts[chosen].save(temp_name)
            # mkstemp makes the file private; a font cache is ordinary shared data.
            os.chmod(temp_name, 0o644)
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise


def cjk_font_path(cache_file: Path | str | None = None) -> Path:
    """Path of the Simplified Chinese font file, extracting it on first use.

    Args:
        cache_file: where the extracted face is kept; defaults to
            ``project_paths().cache_dir / "fonts" / "NotoSansCJKsc-Regular.otf"``.

    Returns:
        The OpenType font file (Noto Sans CJK SC), usable by matplotlib, PIL and wordcloud.

    Raises:
        GovnewsError: the font package is not installed or holds no SC face, or the cache file
            cannot be written.
    """
    target = (
        Path(cache_file) if cache_file is not None else project_paths().cache_dir / "fonts" / FONT_FILE_NAME
    )
    if not target.is_file():
        collection_path = _collection_path()
        try:
            _write_simplified_chinese_face(collection_path, target)
        except OSError as error:
            raise GovnewsError(
                target,
                f"cannot write the extracted Chinese font ({error.strerror or error}); "
                "point GOVNEWS_ROOT at a project folder you can write to",
            ) from error
    return target


def register_cjk_font(cache_file: Path | str | None = None) -> str:
    """Make the Simplified Chinese font known to matplotlib.

    Registering twice is harmless: the file is added to matplotlib's font list only once.

    Args:
        cache_file: as for :func:`cjk_font_path`.

    Returns:
        The font family name to use in ``rcParams["font.family"]`` (``"Noto Sans CJK SC"``).
    """
    from matplotlib import font_manager

    path = cjk_font_path(cache_file)
    known = {Path(entry.fname).resolve() for entry in font_manager.fontManager.ttflist}
    if path.resolve() not in known:
        font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


EMBEDDED_FAMILY = "govnews CJK"
_CJK_RANGES = "U+2E80-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF, U+20000-2FA1F"


def font_face_css(text: str, family: str = EMBEDDED_FAMILY) -> str:
    """A CSS ``@font-face`` rule carrying the bundled font, cut down to the characters of ``text``.

    HTML reports are read on machines that may have no Chinese font either; embedding the few hundred
    glyphs a page uses (tens of KB) makes it render everywhere, with no file next to it to lose.

    Args:
        text: every character the page shows (its HTML will do).
        family: the font-family name the rule defines.

    Returns:
        The CSS rule (empty when ``text`` holds no character beyond Latin and punctuation).
    """
    import base64
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    characters = "".join(sorted({char for char in text if ord(char) >= 0x2E80}))
    if not characters:
        return ""
    font = TTFont(str(cjk_font_path()))
    options = subset.Options()
    options.hinting = False
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    # unicode-range keeps Latin text in the reader's own fonts although this family comes first.
    return (
        f'@font-face {{ font-family: "{family}"; src: url(data:font/otf;base64,{data}) format("opentype"); '
        f"font-display: block; unicode-range: {_CJK_RANGES}; }}"
    )
