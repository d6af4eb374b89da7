"""Charts of govnews tables: one style, the bundled Chinese font, a matplotlib Figure out.

Every ``plot_*`` function takes a table documented in :mod:`govnews.schema` (only the columns it
needs must be present), draws into the given ``ax`` or into a new Figure, sets a Chinese title and
axis labels with units, and returns the Figure. None calls ``plt.show()``: new Figures are not
registered with pyplot, so a notebook shows a chart once, when it is the cell's last expression
(or through ``display(fig)``), and a loop over offices does not pile up open pyplot windows.
An empty table draws a short note saying there is nothing to show instead of failing, because a
notebook run over a new corpus should finish and say what is missing.

Style (:func:`chart_style`, :func:`use_style`): the bundled Noto Sans CJK SC font
(:mod:`govnews.present.fonts`), the Okabe–Ito palette for categories (distinguishable with the common
colour-vision deficiencies, and in greyscale print better than matplotlib's tab10), the
``cividis`` colormap for heatmaps (perceptually uniform and colour-blind safe), readable sizes and
no top/right spines. Charts follow quanteda's advice: raw counts are annotated beside rates.
"""

from __future__ import annotations

import functools
import math
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Normalize, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from govnews.config import project_paths
from govnews.errors import GovnewsError
from govnews.present.fonts import cjk_font_path, register_cjk_font
from govnews.present.labels import LANGUAGES, value_label, view_label
from govnews.vocabulary import district_level_label

OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "sky_blue": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
# Yellow and black come last: yellow is faint on white, black reads as text rather than a series.
PALETTE: tuple[str, ...] = tuple(OKABE_ITO.values())
HEATMAP_CMAP = "cividis"
UNATTRIBUTED_OFFICE_LABEL = district_level_label()
UNKNOWN_DISTRICT_LABEL = "未注明区域"
UNCLASSIFIED_KIND_LABEL = "未归类"
FIGURE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
PNG_DPI = 300

_P = ParamSpec("_P")

_NO_DATA_COLOUR = "#666666"
_MISSING_CELL_COLOUR = "#E6E6E6"
_NOT_SIGNIFICANT_ALPHA = 0.35
_SIGNIFICANCE_LEVEL = 0.05
_WORD_COLOURS: tuple[str, ...] = PALETTE[:6]

_THEME_VALUES: dict[str, tuple[tuple[str, str], str]] = {
    # value column → (label with unit in zh and en, how a cell is printed)
    "rate_per_10k_chars": (("每万字命中数（次/万字）", "hits per 10,000 characters"), "rate"),
    "share_of_sentences": (("含该主题的句子占比（%）", "share of sentences with the theme (%)"), "share"),
    "share_of_articles": (("含该主题的文章占比（%）", "share of articles with the theme (%)"), "share"),
    "hits": (("命中数（次）", "hits"), "count"),
}

_KEYNESS_VALUES: dict[str, tuple[str, str]] = {
    "log_ratio": (
        "对数比 log₂（本办事处 / 其他文本的相对频率）",
        "log ratio log₂ (relative frequency here / in all other text)",
    ),
    "g2": ("带符号的对数似然 G²（负值 = 少用）", "signed log-likelihood G² (negative = used less)"),
}

# The language of chart text, set with the style (use_style): "zh" or "en". Data stays as printed.
_language = {"current": LANGUAGES[0]}


def _view_label(text: str) -> str:
    # "区级/未归属（文本过少）" keeps its note: translate the name before a line break.
    name, newline, note = text.partition("\n")
    return view_label(name, _language["current"]) + newline + note


def _t(zh: str, en: str) -> str:
    """``zh`` or ``en``, in the charts' current language."""
    return zh if _language["current"] == "zh" else en


def _style_params(family: str) -> dict[str, Any]:
    return {
        # Family names, not the generic "sans-serif": matplotlib resolves a generic name when it draws,
        # from the rcParams of that moment, which may no longer be ours. DejaVu Sans stays as a
        # fallback for the rare symbol the CJK face lacks.
        "font.family": [family, "DejaVu Sans"],
        "font.sans-serif": [family, "DejaVu Sans"],
        "font.size": 10.5,
        "axes.titlesize": 13,
        "axes.titlelocation": "left",
        "axes.titlepad": 10,
        "axes.labelsize": 11,
        "xtick.labelsize": 10,
        "ytick.labelsize": 10,
        "legend.fontsize": 10,
        "legend.title_fontsize": 10,
        "legend.frameon": False,
        "figure.titlesize": 14,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": mpl.cycler(color=list(PALETTE)),
        "image.cmap": HEATMAP_CMAP,
        "figure.figsize": (8.0, 5.0),
        "figure.dpi": 100,
        "figure.facecolor": "white",
        "savefig.dpi": PNG_DPI,
        "savefig.bbox": "tight",
        "savefig.facecolor": "white",
        # Stable SVG ids so an unchanged chart gives an unchanged file.
        "svg.hashsalt": "govnews",
        "svg.fonttype": "path",
        # Type 3 embeds CFF (OpenType/PostScript) outlines correctly; Type 42 expects TrueType ones.
        "pdf.fonttype": 3,
    }


@contextmanager
def chart_style() -> Iterator[None]:
    """Apply the govnews chart style inside a ``with`` block, restoring the previous settings after.

    Example:
        >>> with chart_style():
        ...     fig = Figure()
    """
    with mpl.rc_context(_style_params(register_cjk_font())):
        yield


def use_style(lang: str = LANGUAGES[0]) -> None:
    """Apply the govnews chart style and language for the rest of the session (e.g. at the top of a notebook).

    Args:
        lang: language of titles, axis labels and legends: ``"zh"`` (default) or ``"en"``; data such as
            office names stays as printed.

    In a notebook it also turns on inline display: chart functions make Figures without pyplot, and
    IPython shows a Figure as an image only once the inline backend has registered its formatter.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    _language["current"] = lang
    mpl.rcParams.update(_style_params(register_cjk_font()))
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "kernel"):
        shell.run_line_magic("matplotlib", "inline")
        mpl.rcParams.update(_style_params(register_cjk_font()))


def save_figure(fig: Figure, name: str, out_dir: Path | str | None = None) -> list[Path]:
    """Write ``fig`` as PNG (300 dpi), SVG and PDF named ``name.png``, ``name.svg`` and ``name.pdf``.

    Args:
        fig: the Figure to save.
        name: file stem, without folder or extension (e.g. ``"theme_heatmap"``).
        out_dir: target folder; defaults to ``project_paths().figures_dir``. Created if missing.

    Returns:
        The written files, in the order PNG, SVG, PDF.

    Raises:
        ValueError: ``name`` is empty or holds a folder separator or an extension.
    """
    if (
        not name
        or Path(name).name != name
        or name in {".", ".."}
        or Path(name).suffix.lower() in {f".{fmt}" for fmt in FIGURE_FORMATS}
    ):
        raise ValueError(f"figure name must be a plain file stem such as 'theme_heatmap', got {name!r}")
    folder = Path(out_dir) if out_dir is not None else project_paths().figures_dir
    folder.mkdir(parents=True, exist_ok=True)
    # Dates in the metadata would make every re-run produce a different file.
    metadata: dict[str, dict[str, Any]] = {
        "png": {"Software": None},
        "svg": {"Date": None},
        "pdf": {"CreationDate": None, "ModDate": None},
    }
    written = []
    with chart_style():
        # Constrained layout settles on the first draw (colour bars move once); laying out before
        # the first file makes the PNG match the SVG and PDF and a re-save match the first one.
        fig.draw_without_rendering()
        for fmt in FIGURE_FORMATS:
            path = folder / f"{name}.{fmt}"
            fig.savefig(path, format=fmt, dpi=PNG_DPI, metadata=metadata[fmt])
            written.append(path)
    return written


def panel_grid(
    n_panels: int, n_columns: int, panel_width: float, panel_height: float
) -> tuple[Figure, list[Axes]]:
    """A Figure with one Axes per panel, to draw several related charts and save them as one file.

    Args:
        n_panels: how many charts; spare cells of the last row are left blank.
        n_columns: panels per row.
        panel_width: width of one panel in inches.
        panel_height: height of one panel in inches.

    Returns:
        The Figure and its ``n_panels`` Axes, row by row (pass each to a chart function's ``ax``).
    """
    n_rows = max(1, -(-n_panels // n_columns))
    fig = Figure(figsize=(panel_width * n_columns, panel_height * n_rows), layout="constrained")
    axes = fig.subplots(n_rows, n_columns, squeeze=False).ravel()
    for ax in axes[n_panels:]:
        ax.set_axis_off()
    return fig, list(axes[:n_panels])


# --- shared helpers -------------------------------------------------------------------------------


def _styled(plot: Callable[_P, Figure]) -> Callable[_P, Figure]:
    """Draw ``plot`` in the govnews style, whatever the caller's rcParams."""

    @functools.wraps(plot)
    def styled_plot(*args: _P.args, **kwargs: _P.kwargs) -> Figure:
        with chart_style():
            return plot(*args, **kwargs)

    return styled_plot


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], chart: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise GovnewsError(
            None,
            f"{chart} needs column(s) {', '.join(missing)}; "
            f"the table has {', '.join(map(str, frame.columns)) or 'no columns'}",
        )


def _require_one_row_per(frame: pd.DataFrame, keys: Sequence[str], chart: str) -> None:
    # Charts draw what views shaped: two rows for one bar or cell would have to be added up or dropped.
    repeated = frame.duplicated(list(keys), keep=False)
    if repeated.any():
        first = frame.loc[repeated, list(keys)].iloc[0].tolist()
        raise ValueError(
            f"{chart} draws one row per {'/'.join(keys)}; {first} has several (shape it in a view)"
        )


def _figure_and_axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        # The caller's Axes made its titles, axis labels and tick labels with the caller's font,
        # which may lack Chinese; setting their text later keeps that font unless it is changed here.
        family = mpl.rcParams["font.family"]
        ax.tick_params(which="both", labelfontfamily=family)
        for text in (ax.xaxis.label, ax.yaxis.label):
            text.set_fontfamily(family)
        for loc in ("left", "center", "right"):
            ax.set_title(ax.get_title(loc), loc=loc, fontfamily=family)
        return ax.get_figure(root=True), ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


NO_DATA = "govnews:no-data"
"""Label of an Axes that drew no data (see :func:`is_empty`)."""


def is_empty(fig: Figure) -> bool:
    """Whether every chart of ``fig`` had nothing to draw (such a figure is said in words, never saved)."""
    charts = [ax for ax in fig.axes if ax.get_label() != "<colorbar>" and ax.axison]
    return bool(charts) and all(ax.get_label() == NO_DATA for ax in charts)


def empty_note(fig: Figure) -> str:
    """What an empty figure would show, as a sentence: each chart's title and why it has nothing to draw."""
    notes = []
    for ax in fig.axes:
        if ax.get_label() == NO_DATA:
            why = ax.texts[0].get_text().split("\n", 1)[-1] if ax.texts else ""
            notes.append(f"{ax.get_title()}{_t('：', ': ')}{why}")
    return _t("；", "; ").join(notes) + _t("。", ".")


def _draw_no_data(ax: Axes, title: str, what: str) -> None:
    ax.set_label(NO_DATA)
    ax.set_title(title)
    ax.text(
        0.5,
        0.5,
        f"{_t('没有可显示的数据', 'Nothing to show')}\n{what}",
        transform=ax.transAxes,
        ha="center",
        va="center",
        color=_NO_DATA_COLOUR,
        fontsize=12,
    )
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def _text_column(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].astype("object").where(frame[column].notna(), "").astype(str).str.strip()


def _office_label(office: str) -> str:
    return _view_label(office) if office else _t(UNATTRIBUTED_OFFICE_LABEL, "district-level")


def _plain(number: float) -> str:
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def _format_number(value: float) -> str:
    """A number as a reader writes it: ``3,600``, ``1.5万``, ``102亿`` (``1.5 M``, ``10.2 bn`` in English).

    Never ``1e10`` or ``10⁴``: axes and labels of every chart go through here.
    """
    if not math.isfinite(value):
        return "–"
    magnitude = abs(value)
    if _language["current"] == "zh":
        if magnitude >= 1e8:
            return f"{_plain(value / 1e8)}亿"
        if magnitude >= 1e4:
            return f"{_plain(value / 1e4)}万"
    else:
        if magnitude >= 1e9:
            return f"{_plain(value / 1e9)} bn"
        if magnitude >= 1e6:
            return f"{_plain(value / 1e6)} M"
    if float(value).is_integer():
        return f"{int(value):,}"
    return _plain(value) if magnitude >= 0.01 else f"{value:.2g}"


def _plain_number_axis(axis) -> None:
    axis.set_major_formatter(mpl.ticker.FuncFormatter(lambda number, _: _format_number(number)))


def _slant_x_labels(ax: Axes) -> None:
    # "xtick" mode aligns the end of each slanted label with its tick.
    ax.tick_params(axis="x", labelrotation=40, labelrotation_mode="xtick")


def _readable_text_colour(rgba: tuple[float, ...]) -> str:
    red, green, blue = to_rgb(rgba)
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "black" if luminance > 0.5 else "white"


def _draw_heatmap(
    ax: Axes,
    matrix: pd.DataFrame,
    cell_text: pd.DataFrame,
    colourbar_label: str,
    *,
    x_label: str,
    y_label: str,
    style: str,
    scale_columns: Sequence[bool] | None = None,
) -> None:
    values = matrix.to_numpy(dtype=float)
    # Only the columns that may be compared set the colour scale; others are clipped to its top.
    scaled = values if scale_columns is None or not any(scale_columns) else values[:, list(scale_columns)]
    finite = scaled[np.isfinite(scaled)]
    upper = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    norm = Normalize(vmin=0.0, vmax=upper)
    cmap = mpl.colormaps[HEATMAP_CMAP].with_extremes(bad=_MISSING_CELL_COLOUR)
    # Vector cells (not imshow, which SVG and PDF embed as a raster picture): sharp at any size, editable.
    rows, columns = matrix.shape
    image = ax.pcolormesh(
        np.arange(columns + 1) - 0.5,
        np.arange(rows + 1) - 0.5,
        np.ma.masked_invalid(values),
        cmap=cmap,
        norm=norm,
    )
    ax.set_xlim(-0.5, columns - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_xticks(range(matrix.shape[1]), labels=[_view_label(str(c)) for c in matrix.columns])
    ax.set_yticks(range(matrix.shape[0]), labels=[_view_label(str(i)) for i in matrix.index])
    if matrix.shape[1] > 6:
        _slant_x_labels(ax)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    cell_size = 9 if max(matrix.shape) <= 8 else 7.5
    for row in range(matrix.shape[0]):
        for column in range(matrix.shape[1]):
            value = values[row, column]
            colour = _readable_text_colour(cmap(norm(value))) if math.isfinite(value) else "black"
            ax.text(
                column,
                row,
                cell_text.iat[row, column],
                ha="center",
                va="center",
                color=colour,
                fontsize=cell_size,
            )
    colourbar = ax.get_figure(root=True).colorbar(image, ax=ax, shrink=0.85, pad=0.02)
    colourbar.set_label(colourbar_label)
    # matplotlib rasterises a long colour bar; in SVG and PDF it stays vectors like the cells.
    colourbar.solids.set_rasterized(False)
    if style == "share":
        colourbar.ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(xmax=1.0, decimals=0))
    elif style == "count":
        colourbar.ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    colourbar.outline.set_visible(False)


# --- charts ---------------------------------------------------------------------------------------


@_styled
def plot_office_sizes(
    sizes: pd.DataFrame, value: str = "n_chars", ax: Axes | None = None, *, min_chars: int | None = None
) -> Figure:
    """Horizontal bars of how much each office has: characters of text or articles, most first.

    Offices without enough text to compare (``has_enough_text`` False) are drawn pale and hatched, with a
    legend saying why; district-level news (not an office) is grey. The chart draws the rows it is given
    and adds nothing up.

    Args:
        sizes: :func:`govnews.present.views.office_sizes` (office, ``value``, has_enough_text; one row each).
        value: ``"n_chars"`` or ``"n_articles"``.
        ax: Axes to draw into; a new Figure is made when ``None``.
        min_chars: the minimum of text, named in the legend.

    Returns:
        The Figure holding the chart.

    Raises:
        ValueError: ``value`` is neither column, or an office has two rows.
        GovnewsError: a needed column is missing.
    """
    if value not in ("n_chars", "n_articles"):
        raise ValueError(f"value must be 'n_chars' or 'n_articles', got {value!r}")
    _require_columns(sizes, ["office", value, "has_enough_text"], "plot_office_sizes")
    _require_one_row_per(sizes, ["office"], "plot_office_sizes")
    title = (
        _t("各办事处正文字数", "Characters of text per office")
        if value == "n_chars"
        else _t("各办事处文章数", "Articles per office")
    )
    fig, ax = _figure_and_axes(ax, (8.0, max(3.0, 0.42 * len(sizes) + 1.5)))
    if sizes.empty:
        _draw_no_data(ax, title, _t("文章表为空", "the articles table is empty"))
        return fig
    ordered = sizes.iloc[::-1]  # barh draws the first row at the bottom
    is_district = ordered["office"].eq(UNATTRIBUTED_OFFICE_LABEL).to_numpy()
    enough = ordered["has_enough_text"].astype(bool).to_numpy()
    labels = [
        _office_label("" if district else office)
        for office, district in zip(ordered["office"], is_district, strict=True)
    ]
    colours = np.where(is_district, "#999999", np.where(enough, OKABE_ITO["blue"], OKABE_ITO["sky_blue"]))
    totals = pd.to_numeric(ordered[value], errors="coerce").fillna(0).to_numpy()
    bars = ax.barh(labels, totals, color=colours.tolist(), height=0.65)
    for bar, small, district in zip(bars, ~enough, is_district, strict=True):
        if small and not district:
            bar.set_hatch("///")
            bar.set_edgecolor("white")
    ax.bar_label(bars, labels=[f"{int(total):,}" for total in totals], padding=3, fontsize=9)
    ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda number, _: _format_number(number)))
    if value == "n_articles":
        ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title)
    ax.set_xlabel(
        _t("正文字数（字，不含空白）", "Characters of text (blanks not counted)")
        if value == "n_chars"
        else _t("文章数（篇）", "Articles")
    )
    ax.set_ylabel(_t("办事处", "Office"))
    ax.margins(x=0.15)
    floor = f"{min_chars:,}" if min_chars else ""
    handles = []
    if enough.any():
        handles.append(Patch(facecolor=OKABE_ITO["blue"], label=_t("文本足够比较", "enough text to compare")))
    if (~enough & ~is_district).any():
        handles.append(
            Patch(
                facecolor=OKABE_ITO["sky_blue"],
                hatch="///",
                edgecolor="white",
                label=_t(
                    f"文本过少（< {floor} 字），不作比较", f"too little text (< {floor} chars), not compared"
                ),
            )
        )
    if is_district.any():
        handles.append(
            Patch(facecolor="#999999", label=_t("区级新闻（不是办事处）", "district-level news (no office)"))
        )
    # Beside the bars, never over them.
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


@_styled
def plot_removed_by_reason(overview: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """Horizontal bars of the lines removed during cleaning, one bar per reason.

    Args:
        overview: :func:`govnews.present.views.removed_overview` (reason, n_lines; one row per reason).
        ax: Axes to draw into; a new Figure is made when ``None``.

    Returns:
        The Figure holding the chart.

    Raises:
        GovnewsError: a needed column is missing.
    """
    _require_columns(overview, ["reason", "n_lines"], "plot_removed_by_reason")
    _require_one_row_per(overview, ["reason"], "plot_removed_by_reason")
    title = _t("清洗时删除的行（按原因）", "Lines removed by the cleaner, by reason")
    counts = overview.sort_values("n_lines", kind="stable")
    fig, ax = _figure_and_axes(ax, (7.5, max(3.0, 0.42 * len(counts) + 1.5)))
    if counts.empty:
        _draw_no_data(ax, title, _t("没有被删除的行", "no line was removed"))
        return fig
    reasons = _text_column(counts, "reason").replace("", "unknown")
    labels = [value_label("reason", reason, _language["current"]) for reason in reasons]
    bars = ax.barh(labels, counts["n_lines"].astype(int).to_numpy(), color=OKABE_ITO["blue"], height=0.65)
    ax.bar_label(bars, padding=3, fontsize=9)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title)
    ax.set_xlabel(_t("删除的行数（行）", "Lines removed"))
    ax.set_ylabel(_t("删除原因", "Reason"))
    ax.margins(x=0.12)
    return fig


def _theme_cell_text(value: float, hits: float | None, style: str) -> str:
    if not math.isfinite(value):
        return "–"
    if style == "share":
        shown = f"{value:.0%}"
    elif style == "count":
        return f"{value:.0f}"
    else:
        shown = f"{value:.1f}"
    if hits is None or not math.isfinite(hits):
        return shown
    return _t(f"{shown}\n{hits:.0f}次", f"{shown}\n{hits:.0f} hits")


@_styled
def plot_theme_heatmap(
    theme_counts: pd.DataFrame,
    value: str = "rate_per_10k_chars",
    ax: Axes | None = None,
    *,
    small_offices: Sequence[str] = (),
    column_label: tuple[str, str] | None = None,
    column_order: Sequence[str] | None = None,
) -> Figure:
    """Theme × office heatmap of a theme measure, each cell annotated with its value and raw hits.

    Themes are rows (their names are long and read best horizontally) in the order of the table,
    offices are columns, most text first; district-level text comes last.

    Args:
        theme_counts: the ``theme_counts`` table (``office``, ``theme``, ``value``; ``hits`` and
            ``n_chars`` are used when present).
        value: ``"rate_per_10k_chars"`` (default), ``"share_of_sentences"``, ``"share_of_articles"``
            or ``"hits"``.
        ax: Axes to draw into; a new Figure is made when ``None``.
        small_offices: columns with too little text to compare: their label says so and their cells
            never set the colour scale (one sentence in 800 characters would make every other office pale).
        column_label: what the columns are, in Chinese and English (default: offices); a profile's
            heatmap by year passes ("年份", "Year").
        column_order: the columns in this order (years in time order) instead of most text first.

    Returns:
        The Figure holding the chart.

    Raises:
        ValueError: ``value`` is not one of the measures above.
        GovnewsError: a needed column is missing.
    """
    if value not in _THEME_VALUES:
        raise ValueError(f"value must be one of {', '.join(_THEME_VALUES)}, got {value!r}")
    _require_columns(theme_counts, ["office", "theme", value], "plot_theme_heatmap")
    labels, style = _THEME_VALUES[value]
    label = _t(*labels)
    columns_zh, columns_en = column_label or ("办事处", "Office")
    title = _t(
        f"各{columns_zh}的主题分布：{label.split('（')[0]}", f"Themes by {columns_en.lower()}: {label}"
    )
    frame = pd.DataFrame(
        {
            "office": _text_column(theme_counts, "office"),
            "theme": _text_column(theme_counts, "theme"),
            "value": pd.to_numeric(theme_counts[value], errors="coerce").astype(float),
            "hits": (
                pd.to_numeric(theme_counts["hits"], errors="coerce").astype(float)
                if "hits" in theme_counts.columns and value != "hits"
                else np.nan
            ),
            "n_chars": (
                pd.to_numeric(theme_counts["n_chars"], errors="coerce").fillna(0).astype(float)
                if "n_chars" in theme_counts.columns
                else 0.0
            ),
        }
    )
    themes = list(dict.fromkeys(frame["theme"]))
    office_size = frame.groupby("office")["n_chars"].max()
    offices = sorted(office_size.index, key=lambda office: (office == "", -office_size[office], office))
    if column_order is not None:
        offices = [column for column in column_order if column in set(office_size.index)]
    fig, ax = _figure_and_axes(ax, (max(6.5, len(offices) + 3.5), max(3.0, 0.55 * len(themes) + 1.8)))
    if frame.empty:
        _draw_no_data(ax, title, _t("主题统计表为空", "the theme table is empty"))
        return fig
    cells = frame.drop_duplicates(["theme", "office"])
    matrix = cells.pivot(index="theme", columns="office", values="value").reindex(
        index=themes, columns=offices
    )
    hits = cells.pivot(index="theme", columns="office", values="hits").reindex(index=themes, columns=offices)
    cell_text = pd.DataFrame(
        [
            [
                _theme_cell_text(matrix.iat[row, column], hits.iat[row, column], style)
                for column in range(matrix.shape[1])
            ]
            for row in range(matrix.shape[0])
        ]
    )
    small = [office in set(small_offices) for office in matrix.columns]
    matrix.columns = [
        _office_label(office) + (_t("\n（文本过少）", "\n(too little text)") if is_small else "")
        for office, is_small in zip(matrix.columns, small, strict=True)
    ]
    _draw_heatmap(
        ax,
        matrix,
        cell_text,
        label,
        x_label=_t(columns_zh, columns_en),
        y_label=_t("主题", "Theme"),
        style=style,
        scale_columns=[not is_small for is_small in small],
    )
    ax.set_title(title)
    return fig


@_styled
def plot_theme_ranking(theme_counts: pd.DataFrame, theme: str, ax: Axes | None = None) -> Figure:
    """Offices ranked by their rate for one theme, with bootstrap intervals and raw hits annotated.

    The error bars span ``rate_ci_low`` to ``rate_ci_high`` (the 5th to 95th bootstrap percentile):
    offices whose bars overlap a lot should not be told apart on this evidence.

    Args:
        theme_counts: the ``theme_counts`` table (``office``, ``theme``, ``hits``, ``n_chars``,
            ``rate_per_10k_chars``, ``rate_ci_low``, ``rate_ci_high``; ``n_articles`` when present:
            an office with a single article gets "1 篇" in place of an interval, which would collapse
            to its rate and look like the most precise bar).
        theme: the codebook theme to rank offices by.
        ax: Axes to draw into; a new Figure is made when ``None``.

    Returns:
        The Figure holding the chart.

    Raises:
        GovnewsError: a needed column is missing.
    """
    columns = ["office", "theme", "hits", "n_chars", "rate_per_10k_chars", "rate_ci_low", "rate_ci_high"]
    _require_columns(theme_counts, columns, "plot_theme_ranking")
    title = _t(f"“{theme}”：各办事处每万字命中数", f"“{theme}”: hits per 10,000 characters by office")
    selected = theme_counts.loc[_text_column(theme_counts, "theme").eq(theme)]
    _require_one_row_per(selected, ["office"], "plot_theme_ranking")
    frame = pd.DataFrame(
        {
            "label": _text_column(selected, "office").map(_office_label),
            **{
                column: pd.to_numeric(selected[column], errors="coerce").astype(float)
                for column in columns[2:]
            },
            "n_articles": (
                pd.to_numeric(selected["n_articles"], errors="coerce").astype(float)
                if "n_articles" in selected.columns
                else np.nan
            ),
        }
    )
    frame = frame.sort_values(["rate_per_10k_chars", "label"], ascending=[True, False], kind="stable")
    fig, ax = _figure_and_axes(ax, (8.0, max(3.0, 0.45 * len(frame) + 1.6)))
    if frame.empty:
        _draw_no_data(
            ax, title, _t(f"主题统计表中没有主题“{theme}”", f"no theme “{theme}” in the theme table")
        )
        return fig
    rate = frame["rate_per_10k_chars"].to_numpy()
    single = frame["n_articles"].eq(1).to_numpy()
    below = np.where(single, 0.0, np.clip(rate - frame["rate_ci_low"].to_numpy(), 0, None))
    above = np.where(single, 0.0, np.clip(frame["rate_ci_high"].to_numpy() - rate, 0, None))
    positions = np.arange(len(frame))
    ax.barh(
        positions,
        rate,
        color=OKABE_ITO["blue"],
        height=0.6,
        label=_t("每万字命中数", "Hits per 10,000 characters"),
    )
    ax.errorbar(
        rate,
        positions,
        xerr=np.vstack([np.nan_to_num(below), np.nan_to_num(above)]),
        fmt="none",
        ecolor="black",
        elinewidth=1.2,
        capsize=3,
        label=_t("90% 自助法区间（按文章重抽样）", "90% bootstrap interval (articles resampled)"),
    )
    # Where each bar or interval ends; an office without text has no rate (NaN) and ends at 0.
    reach = np.nan_to_num(np.fmax(rate, frame["rate_ci_high"].to_numpy()), nan=0.0)
    scale = float(reach.max()) if reach.max() > 0 else 1.0
    notes = zip(positions, reach, frame["hits"], frame["n_chars"], single, strict=True)
    for position, end, hits, n_chars, is_single in notes:
        ax.text(
            end + 0.01 * scale,
            position,
            (_t(" 1 篇，无区间 ·", " 1 article, no interval ·") if is_single else "")
            + _t(
                f" {_format_number(hits)}次 / {_format_number(n_chars)}字",
                f" {_format_number(hits)} hits / {_format_number(n_chars)} chars",
            ),
            va="center",
            fontsize=9,
            color="#333333",
        )
    ax.set_yticks(positions, labels=frame["label"].tolist())
    # Room on the right for the "hits / characters" notes.
    ax.set_xlim(0, (1.8 if single.any() else 1.4) * scale)
    ax.set_title(title)
    ax.set_xlabel(_t("每万字命中数（次/万字）", "Hits per 10,000 characters"))
    ax.set_ylabel(_t("办事处", "Office"))
    ax.legend(loc="lower right")
    return fig


@_styled
def plot_keyness(
    keyness: pd.DataFrame,
    office: str,
    top_n: int = 15,
    ax: Axes | None = None,
    *,
    value: str = "log_ratio",
) -> Figure:
    """Diverging bars of the terms an office uses most above and below the rest of the corpus.

    Terms are chosen by signed G² (the strength of evidence): the ``top_n`` highest positive
    (over-used) and the ``top_n`` lowest negative (under-used). Bars show ``value``; terms whose
    Benjamini–Hochberg adjusted p-value is 0.05 or more are drawn pale. The office's raw count is
    printed at each bar.

    Args:
        keyness: the ``keyness`` table (``office``, ``term``, ``count_target``, ``g2``, ``p_adjusted``
            and ``value``).
        office: the target office (``""`` for district-level text).
        top_n: how many over-used and how many under-used terms to show.
        ax: Axes to draw into; a new Figure is made when ``None``.
        value: ``"log_ratio"`` (effect size, default) or ``"g2"``.

    Returns:
        The Figure holding the chart.

    Raises:
        ValueError: ``value`` is not ``"log_ratio"`` or ``"g2"``, or ``top_n`` is below 1.
        GovnewsError: a needed column is missing.
    """
    if value not in _KEYNESS_VALUES:
        raise ValueError(f"value must be one of {', '.join(_KEYNESS_VALUES)}, got {value!r}")
    if top_n < 1:
        raise ValueError(f"top_n must be at least 1, got {top_n}")
    columns = ["office", "term", "count_target", "g2", "p_adjusted", value]
    _require_columns(keyness, list(dict.fromkeys(columns)), "plot_keyness")
    title = _t(
        f"{_office_label(office)}的关键词：多用与少用",
        f"Key terms of {_office_label(office)}: used more and less",
    )
    selected = keyness.loc[_text_column(keyness, "office").eq(office)]
    frame = pd.DataFrame(
        {
            "term": _text_column(selected, "term"),
            "count_target": pd.to_numeric(selected["count_target"], errors="coerce").astype(float),
            "g2": pd.to_numeric(selected["g2"], errors="coerce").astype(float),
            "p_adjusted": pd.to_numeric(selected["p_adjusted"], errors="coerce").astype(float),
            "shown": pd.to_numeric(selected[value], errors="coerce").astype(float),
        }
    ).dropna(subset=["g2", "shown"])
    over = frame.loc[frame["g2"] > 0].nlargest(top_n, "g2").sort_values("shown", kind="stable")
    under = frame.loc[frame["g2"] < 0].nsmallest(top_n, "g2").sort_values("shown", kind="stable")
    # Bottom to top: most under-used at the bottom, most over-used on top.
    rows = pd.concat([under, over], ignore_index=True)
    fig, ax = _figure_and_axes(ax, (8.0, max(3.2, 0.3 * len(rows) + 1.8)))
    if rows.empty:
        _draw_no_data(
            ax,
            title,
            _t(
                f"关键词表中没有“{_office_label(office)}”的多用或少用词",
                f"no key terms for “{_office_label(office)}”",
            ),
        )
        return fig
    is_over = rows["g2"].gt(0).to_numpy()
    is_significant = rows["p_adjusted"].lt(_SIGNIFICANCE_LEVEL).to_numpy()
    colours = np.where(is_over, OKABE_ITO["vermillion"], OKABE_ITO["blue"])
    positions = np.arange(len(rows))
    bars = ax.barh(positions, rows["shown"], color=colours, height=0.7)
    for bar, significant in zip(bars, is_significant, strict=True):
        bar.set_alpha(1.0 if significant else _NOT_SIGNIFICANT_ALPHA)
    ax.bar_label(
        bars,
        labels=[_t(f"{count:.0f}次", f"{count:.0f}×") for count in rows["count_target"]],
        padding=3,
        fontsize=8.5,
    )
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(positions, labels=rows["term"].tolist())
    ax.margins(x=0.15)
    ax.set_title(title)
    ax.set_xlabel(_t(*_KEYNESS_VALUES[value]))
    ax.set_ylabel(_t("词语", "Term"))
    ax.legend(
        handles=[
            Patch(facecolor=OKABE_ITO["vermillion"], label=_t("多用", "used more")),
            Patch(facecolor=OKABE_ITO["blue"], label=_t("少用", "used less")),
            Patch(
                facecolor="#999999",
                alpha=_NOT_SIGNIFICANT_ALPHA,
                label=_t("不显著（校正 p ≥ 0.05）", "not significant (adjusted p ≥ 0.05)"),
            ),
            Line2D(
                [],
                [],
                linestyle="none",
                label=_t("柱旁：本办事处出现次数", "beside each bar: count in this office"),
            ),
        ],
        loc="best",
    )
    return fig


def _word_colour(word: str, *args: Any, **kwargs: Any) -> str:
    # Colour from the word itself (CRC, not hash(): stable across runs) so a term keeps its colour
    # across the clouds of different offices.
    return _WORD_COLOURS[zlib.crc32(word.encode("utf-8")) % len(_WORD_COLOURS)]


def _word_weights(frequencies: Mapping[str, float] | pd.DataFrame) -> dict[str, float]:
    if isinstance(frequencies, pd.DataFrame):
        _require_columns(frequencies, ["term", "weight"], "plot_wordcloud")
        pairs = zip(
            _text_column(frequencies, "term"),
            pd.to_numeric(frequencies["weight"], errors="coerce").astype(float),
            strict=True,
        )
    else:
        pairs = ((str(term).strip(), float(weight)) for term, weight in frequencies.items())
    weights: dict[str, float] = {}
    for term, weight in pairs:
        if term and math.isfinite(weight) and weight > 0:
            weights[term] = weights.get(term, 0.0) + weight
    return weights


@_styled
def plot_wordcloud(
    frequencies: Mapping[str, float] | pd.DataFrame,
    ax: Axes | None = None,
    *,
    random_state: int = 42,
    title: str | None = None,
    max_words: int = 150,
) -> Figure:
    """Word cloud drawn with the bundled Chinese font and the shared palette.

    A word cloud shows which terms dominate, not how much: use it beside a ranked chart, never
    instead of one. Each term gets a fixed colour, so it looks the same in every office's cloud.

    Args:
        frequencies: a mapping term → weight, or a DataFrame with columns ``term`` and ``weight``.
            Terms with a missing, zero or negative weight are left out; repeated terms are summed.
        ax: Axes to draw into; a new Figure is made when ``None``.
        random_state: seed of the layout, so the same input gives the same picture.
        title: title of the chart (default: says that size is weight).
        max_words: at most this many terms, the heaviest first.

    Returns:
        The Figure holding the chart.

    Raises:
        GovnewsError: a DataFrame lacks ``term`` or ``weight``, or the font package is missing.
    """
    from wordcloud import WordCloud

    weights = _word_weights(frequencies)
    title = title or _t("词云（字号表示权重）", "Word cloud (size = weight)")
    fig, ax = _figure_and_axes(ax, (8.0, 5.0))
    if not weights:
        _draw_no_data(ax, title, _t("没有权重为正的词语", "no term with a positive weight"))
        return fig
    cloud = WordCloud(
        font_path=str(cjk_font_path()),
        # Laid out at 800 × 500 and drawn at twice that: the layout is the slow part, the picture stays sharp.
        width=800,
        height=500,
        scale=2,
        background_color="white",
        max_words=max_words,
        # Chinese turned on its side is hard to read.
        prefer_horizontal=1.0,
        color_func=_word_colour,
        random_state=random_state,
    ).generate_from_frequencies(weights)
    ax.imshow(cloud.to_array(), interpolation="bilinear")
    ax.set_axis_off()
    ax.set_title(title)
    return fig


def _figure_value_label(categories: pd.Series, unit: str) -> str:
    lang = _language["current"]
    known = [value_label("category", category, lang) for category in dict.fromkeys(categories)]
    quantity = known[0] if len(set(known)) == 1 else _t("数值", "Value")
    return _t(f"{quantity}（{unit}）", f"{quantity} ({unit})") if unit else quantity


def check_comparison(comparison: pd.DataFrame) -> None:
    """Raise unless ``comparison`` is something a comparison chart may draw.

    A comparison needs at least two offices, one unit on its axis and one row per bar (so one year per
    bar: a chart never adds up or picks among figures; :func:`govnews.present.views.figure_comparison`
    shapes it).

    Raises:
        ValueError: the frame breaks one of the rules (the message says which).
    """
    _require_columns(comparison, ["subject", "office", "value", "unit"], "plot_figure_comparison")
    offices = set(_text_column(comparison, "office")) - {""}
    if len(offices) < 2:
        raise ValueError(f"a comparison needs at least two offices, got {len(offices)}: {sorted(offices)}")
    units = set(_text_column(comparison, "unit"))
    if len(units) != 1:
        raise ValueError(f"units that differ never share an axis, got {sorted(units)}")
    _require_one_row_per(comparison, ["subject", "office"], "plot_figure_comparison")


@_styled
def plot_figure_comparison(
    comparison: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None
) -> Figure:
    """Grouped bars of figures that several offices state: one group per subject, one bar per office.

    Draws exactly the rows it is given (see :func:`check_comparison`): the value axis is in the one unit
    of the frame and reads in plain numbers (``3,600``, ``1.5万``, ``102亿``); each bar is labelled with its
    value, its qualifier where the figure is approximate or a bound (``近100亿``, hatched bar) and its year
    wherever the bars' years differ or the quantity is money (``2022``; "年份不明" for none). A missing
    office is marked "无" at the foot of its place.

    Args:
        comparison: :func:`govnews.present.views.figure_comparison` (subject, office, value, unit;
            qualifier, year and category when present).
        ax: Axes to draw into; a new Figure is made when ``None``.
        title: the chart's title (default: the subjects compared).

    Returns:
        The Figure holding the chart.

    Raises:
        ValueError: fewer than two offices, several units, or several rows for one bar.
        GovnewsError: a needed column is missing.
    """
    check_comparison(comparison)
    frame = pd.DataFrame(
        {
            "subject": _text_column(comparison, "subject"),
            "office": _text_column(comparison, "office"),
            "value": pd.to_numeric(comparison["value"], errors="coerce").astype(float),
            "qualifier": _text_column(comparison, "qualifier") if "qualifier" in comparison else "",
            "year": (
                pd.to_numeric(comparison["year"], errors="coerce").astype("Int64")
                if "year" in comparison
                else pd.Series(pd.NA, index=comparison.index, dtype="Int64")
            ),
            "category": _text_column(comparison, "category") if "category" in comparison else "",
        }
    )
    unit = _text_column(comparison, "unit").iloc[0]
    subjects = list(dict.fromkeys(frame["subject"]))
    offices = sorted(dict.fromkeys(frame["office"]))
    shown = "、".join(subjects) if len(subjects) <= 4 else "、".join(subjects[:4]) + _t(" 等", " …")
    title = title or _t(f"各办事处数字对比：{shown}", f"Figures by office: {shown}")
    is_money = frame["category"].eq("money").any() or unit == "元"
    years = set(frame["year"].dropna())
    show_year = is_money or len(years) > 1 or (years and frame["year"].isna().any())
    fig, ax = _figure_and_axes(ax, (max(6.5, 0.75 * len(subjects) * len(offices) + 3.0), 5.2))
    width = 0.8 / len(offices)
    positions = np.arange(len(subjects))
    approximate = False
    for index, office in enumerate(offices):
        rows = frame.loc[frame["office"].eq(office)].set_index("subject").reindex(subjects)
        x = positions - 0.4 + width * (index + 0.5)
        heights = rows["value"].to_numpy()
        has_value = np.isfinite(heights)
        bars = ax.bar(
            x[has_value],
            heights[has_value],
            width=width * 0.92,
            color=PALETTE[index % len(PALETTE)],
            label=_office_label(office),
        )
        labels = []
        for bar, (_, row) in zip(bars, rows.loc[has_value].iterrows(), strict=True):
            qualifier = row["qualifier"] if isinstance(row["qualifier"], str) else ""
            if qualifier:
                approximate = True
                bar.set_hatch("//")
                bar.set_edgecolor("white")
            year = row["year"]
            year_text = ""
            if show_year:
                year_text = "\n" + (str(int(year)) if pd.notna(year) else _t("年份不明", "year?"))
            labels.append(_qualified(_format_number(row["value"]), qualifier) + year_text)
        ax.bar_label(bars, labels=labels, padding=2, fontsize=8.5)
        for position in x[~has_value]:
            ax.text(
                position, 0, _t("无", "none"), ha="center", va="bottom", fontsize=8.5, color=_NO_DATA_COLOUR
            )
    ax.set_xticks(positions, labels=subjects)
    if len(subjects) * len(offices) > 8:
        _slant_x_labels(ax)
    _plain_number_axis(ax.yaxis)
    ax.set_ylim(0, None)
    ax.margins(y=0.18)
    ax.set_title(title)
    ax.set_xlabel(_t("统计对象", "Subject"))
    ax.set_ylabel(_figure_value_label(frame["category"], unit))
    handles, _ = ax.get_legend_handles_labels()
    if approximate:
        handles.append(
            Patch(
                facecolor="#bbbbbb",
                hatch="//",
                edgecolor="white",
                label=_t(
                    "斜线：约数或界限（近、约、余、多……）",
                    "hatched: approximate or a bound (近, 约, 余, 多 …)",
                ),
            )
        )
    ax.legend(handles=handles, title=_t("办事处", "Office"), loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


def _qualified(number: str, qualifier: str) -> str:
    """``number`` with its qualifier where Chinese puts it: 近/约 before, 余/多/以上/左右 after."""
    if not qualifier:
        return number
    if qualifier in ("近", "约", "超过", "逾", "至少", "不到"):
        return f"{qualifier}{number}"
    return f"{number}{qualifier}"


@_styled
def plot_measure_kinds(counts: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """Office × measure-kind heatmap of how many different measures of its own each office reports.

    Args:
        counts: :func:`govnews.present.views.measure_kind_counts` (offices as the index, kinds as
            columns, counts of distinct measures), drawn as given.
        ax: Axes to draw into; a new Figure is made when ``None``.

    Returns:
        The Figure holding the chart.
    """
    unit = _t("不同举措数（项）", "Distinct measures")
    title = _t("各办事处自己的治理举措：类型", "Each office's own measures, by kind")
    fig, ax = _figure_and_axes(
        ax, (max(6.5, 0.8 * counts.shape[1] + 3.5), max(3.0, 0.5 * counts.shape[0] + 1.8))
    )
    if counts.empty:
        _draw_no_data(ax, title, _t("没有办事处自己的举措", "no office reports a measure of its own"))
        return fig
    cell_text = counts.astype(int).astype(str)
    _draw_heatmap(
        ax,
        counts.astype(float),
        cell_text,
        unit,
        x_label=_t("举措类型", "Kind of measure"),
        y_label=_t("办事处", "Office"),
        style="count",
    )
    ax.set_title(title)
    return fig


@_styled
def plot_scores(scores: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """Horizontal bars of validation scores that are shares (0–1), labelled in percent.

    Args:
        scores: :func:`govnews.present.views.score_table` rows of share scores (metric, value), one per bar.
        ax: Axes to draw into; a new Figure is made when ``None``.

    Returns:
        The Figure holding the chart.
    """
    _require_columns(scores, ["metric", "value"], "plot_scores")
    _require_one_row_per(scores, ["metric"], "plot_scores")
    title = _t("与人工标注对照的得分", "Scores against the hand-coded reference")
    fig, ax = _figure_and_axes(ax, (8.0, max(3.0, 0.4 * len(scores) + 1.5)))
    if scores.empty:
        _draw_no_data(ax, title, _t("没有得分", "no scores"))
        return fig
    values = pd.to_numeric(scores["value"], errors="coerce").astype(float)
    names = [value_label("metric", str(metric), _language["current"]) for metric in scores["metric"]]
    bars = ax.barh(names, values, color=OKABE_ITO["blue"], height=0.6)
    ax.bar_label(bars, labels=[f"{value:.0%}" for value in values], padding=3)
    ax.set_xlim(0, 1.12)
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(xmax=1.0))
    ax.set_title(title)
    ax.set_xlabel(_t("得分（占比，100% = 全部正确）", "Score (share, 100% = all right)"))
    ax.set_ylabel(_t("指标", "Score"))
    return fig
