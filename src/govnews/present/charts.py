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

# Reason codes of govnews.ingest.clean; an unknown code is shown as it is.
_REMOVAL_REASON_LABELS: dict[str, str] = {
    "caption": "图片说明",
    "picture_placeholder": "图片占位",
    "photo_credit": "摄影署名",
    "marker": "版面标记",
    "markdown_mark": "排版符号",
}

_THEME_VALUES: dict[str, tuple[str, str]] = {
    # value column → (label with unit, how a cell is printed)
    "rate_per_10k_chars": ("每万字命中数（次/万字）", "rate"),
    "share_of_sentences": ("含该主题的句子占比（%）", "share"),
    "share_of_articles": ("含该主题的文章占比（%）", "share"),
    "hits": ("命中数（次）", "count"),
}

_KEYNESS_VALUES: dict[str, str] = {
    "log_ratio": "对数比 log₂（本办事处 / 其他文本的相对频率）",
    "g2": "带符号的对数似然 G²（负值 = 少用）",
}

_FIGURE_CATEGORY_LABELS: dict[str, str] = {
    "count": "数量",
    "people": "人数",
    "money": "金额",
    "area": "面积",
    "length": "长度",
    "volume": "体积",
    "weight": "重量",
    "percent": "比例",
    "ratio": "比例",
    "duration": "时长",
}


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


def use_style() -> None:
    """Apply the govnews chart style for the rest of the session (e.g. at the top of a notebook).

    In a notebook it also turns on inline display: chart functions make Figures without pyplot, and
    IPython shows a Figure as an image only once the inline backend has registered its formatter.
    """
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


def _draw_no_data(ax: Axes, title: str, what: str) -> None:
    ax.set_title(title)
    ax.text(
        0.5,
        0.5,
        f"没有可显示的数据\n{what}",
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
    return office if office else UNATTRIBUTED_OFFICE_LABEL


def _format_number(value: float) -> str:
    if not math.isfinite(value):
        return "–"
    magnitude = abs(value)
    if magnitude >= 1e8:
        return f"{value / 1e8:.3g}亿"
    if magnitude >= 1e4:
        return f"{value / 1e4:.3g}万"
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.3g}"


def _district_colours(districts: Sequence[str]) -> dict[str, str]:
    return {district: PALETTE[index % len(PALETTE)] for index, district in enumerate(districts)}


def _totals_by_office(articles: pd.DataFrame, value: str | None) -> pd.DataFrame:
    """Rows district, office, label, total: one per office, largest districts first."""
    frame = pd.DataFrame(
        {
            "district": _text_column(articles, "district").replace("", UNKNOWN_DISTRICT_LABEL),
            "office": _text_column(articles, "office"),
            "amount": 1 if value is None else pd.to_numeric(articles[value], errors="coerce").fillna(0),
        }
    )
    totals = frame.groupby(["district", "office"], sort=False)["amount"].sum().rename("total").reset_index()
    totals["label"] = totals["office"].map(_office_label)
    # District-level news ("") can occur under several districts: name the district to tell them apart.
    repeated = totals["label"].duplicated(keep=False)
    totals.loc[repeated, "label"] = (
        totals.loc[repeated, "label"] + "（" + totals.loc[repeated, "district"] + "）"
    )
    district_totals = totals.groupby("district")["total"].sum()
    totals["district_total"] = totals["district"].map(district_totals)
    totals["is_unattributed"] = totals["office"].eq("")
    return totals.sort_values(
        ["district_total", "district", "is_unattributed", "total", "label"],
        ascending=[False, True, True, False, True],
        kind="stable",
    ).reset_index(drop=True)


def _add_district_legend(ax: Axes, colours: Mapping[str, str]) -> None:
    handles = [Patch(facecolor=colour, label=district) for district, colour in colours.items()]
    ax.legend(handles=handles, title="区域", loc="best")


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
) -> None:
    values = matrix.to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    upper = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    norm = Normalize(vmin=0.0, vmax=upper)
    cmap = mpl.colormaps[HEATMAP_CMAP].with_extremes(bad=_MISSING_CELL_COLOUR)
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, norm=norm, aspect="auto")
    ax.set_xticks(range(matrix.shape[1]), labels=list(matrix.columns))
    ax.set_yticks(range(matrix.shape[0]), labels=list(matrix.index))
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
    if style == "share":
        colourbar.ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(xmax=1.0, decimals=0))
    elif style == "count":
        colourbar.ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    colourbar.outline.set_visible(False)


# --- charts ---------------------------------------------------------------------------------------


@_styled
def plot_articles_per_office(articles: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """Bar chart of the number of articles per office, coloured by district.

    Offices are grouped by district (largest district first) and sorted by count within it;
    district-level news (office ``""``) is shown as "区级/未归属".

    Args:
        articles: the ``articles`` table (columns ``office`` and ``district`` are used).
        ax: Axes to draw into; a new Figure is made when ``None``.

    Returns:
        The Figure holding the chart.

    Raises:
        GovnewsError: a needed column is missing.
    """
    _require_columns(articles, ["office", "district"], "plot_articles_per_office")
    title = "各办事处文章数"
    totals = _totals_by_office(articles, None) if len(articles) else pd.DataFrame()
    fig, ax = _figure_and_axes(ax, (max(6.0, 0.55 * len(totals) + 2.5), 4.8))
    if totals.empty:
        _draw_no_data(ax, title, "文章表为空")
        return fig
    colours = _district_colours(list(dict.fromkeys(totals["district"])))
    bars = ax.bar(totals["label"], totals["total"], color=totals["district"].map(colours).tolist(), width=0.7)
    ax.bar_label(bars, padding=2, fontsize=9)
    if len(totals) > 6:
        _slant_x_labels(ax)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title)
    ax.set_xlabel("办事处")
    ax.set_ylabel("文章数（篇）")
    ax.margins(y=0.12)
    _add_district_legend(ax, colours)
    return fig


@_styled
def plot_text_length_per_office(articles: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """Horizontal bars of the characters of article text per office (sum of ``n_chars``).

    Shows how unequal the amount of text is, which is why theme comparisons use rates and shares.

    Args:
        articles: the ``articles`` table (columns ``office``, ``district`` and ``n_chars``).
        ax: Axes to draw into; a new Figure is made when ``None``.

    Returns:
        The Figure holding the chart.

    Raises:
        GovnewsError: a needed column is missing.
    """
    _require_columns(articles, ["office", "district", "n_chars"], "plot_text_length_per_office")
    title = "各办事处正文字数"
    totals = _totals_by_office(articles, "n_chars") if len(articles) else pd.DataFrame()
    fig, ax = _figure_and_axes(ax, (8.0, max(3.0, 0.42 * len(totals) + 1.5)))
    if totals.empty:
        _draw_no_data(ax, title, "文章表为空")
        return fig
    colours = _district_colours(list(dict.fromkeys(totals["district"])))
    # Largest on top: barh draws the first row at the bottom.
    ordered = totals.iloc[::-1]
    bars = ax.barh(
        ordered["label"], ordered["total"], color=ordered["district"].map(colours).tolist(), height=0.65
    )
    ax.bar_label(bars, labels=[f"{int(total):,}" for total in ordered["total"]], padding=3, fontsize=9)
    ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda value, _: f"{value:,.0f}"))
    ax.set_title(title)
    ax.set_xlabel("正文字数（字，不含空白）")
    ax.set_ylabel("办事处")
    ax.margins(x=0.15)
    _add_district_legend(ax, colours)
    return fig


@_styled
def plot_removed_by_reason(removed: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """Horizontal bars of the lines removed during cleaning, by reason.

    Args:
        removed: the ``removed`` table (column ``reason``).
        ax: Axes to draw into; a new Figure is made when ``None``.

    Returns:
        The Figure holding the chart.

    Raises:
        GovnewsError: a needed column is missing.
    """
    _require_columns(removed, ["reason"], "plot_removed_by_reason")
    title = "清洗时删除的行（按原因）"
    reasons = _text_column(removed, "reason").replace("", "unknown")
    counts = reasons.value_counts(sort=False).sort_values(kind="stable")
    fig, ax = _figure_and_axes(ax, (7.5, max(3.0, 0.42 * len(counts) + 1.5)))
    if counts.empty:
        _draw_no_data(ax, title, "没有被删除的行")
        return fig
    labels = [
        f"{_REMOVAL_REASON_LABELS[reason]}（{reason}）" if reason in _REMOVAL_REASON_LABELS else reason
        for reason in counts.index
    ]
    bars = ax.barh(labels, counts.to_numpy(), color=OKABE_ITO["blue"], height=0.65)
    ax.bar_label(bars, padding=3, fontsize=9)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title)
    ax.set_xlabel("删除的行数（行）")
    ax.set_ylabel("删除原因")
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
    return f"{shown}\n{hits:.0f}次"


@_styled
def plot_theme_heatmap(
    theme_counts: pd.DataFrame, value: str = "rate_per_10k_chars", ax: Axes | None = None
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

    Returns:
        The Figure holding the chart.

    Raises:
        ValueError: ``value`` is not one of the measures above.
        GovnewsError: a needed column is missing.
    """
    if value not in _THEME_VALUES:
        raise ValueError(f"value must be one of {', '.join(_THEME_VALUES)}, got {value!r}")
    _require_columns(theme_counts, ["office", "theme", value], "plot_theme_heatmap")
    label, style = _THEME_VALUES[value]
    title = f"各办事处的主题分布：{label.split('（')[0]}"
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
    fig, ax = _figure_and_axes(ax, (max(6.5, len(offices) + 3.5), max(3.0, 0.55 * len(themes) + 1.8)))
    if frame.empty:
        _draw_no_data(ax, title, "主题统计表为空")
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
    matrix.columns = [_office_label(office) for office in matrix.columns]
    _draw_heatmap(ax, matrix, cell_text, label, x_label="办事处", y_label="主题", style=style)
    ax.set_title(title)
    return fig


@_styled
def plot_theme_ranking(theme_counts: pd.DataFrame, theme: str, ax: Axes | None = None) -> Figure:
    """Offices ranked by their rate for one theme, with bootstrap intervals and raw hits annotated.

    The error bars span ``rate_ci_low`` to ``rate_ci_high`` (the 5th to 95th bootstrap percentile):
    offices whose bars overlap a lot should not be told apart on this evidence.

    Args:
        theme_counts: the ``theme_counts`` table (``office``, ``theme``, ``hits``, ``n_chars``,
            ``rate_per_10k_chars``, ``rate_ci_low``, ``rate_ci_high``).
        theme: the codebook theme to rank offices by.
        ax: Axes to draw into; a new Figure is made when ``None``.

    Returns:
        The Figure holding the chart.

    Raises:
        GovnewsError: a needed column is missing.
    """
    columns = ["office", "theme", "hits", "n_chars", "rate_per_10k_chars", "rate_ci_low", "rate_ci_high"]
    _require_columns(theme_counts, columns, "plot_theme_ranking")
    title = f"“{theme}”：各办事处每万字命中数"
    selected = theme_counts.loc[_text_column(theme_counts, "theme").eq(theme)]
    frame = pd.DataFrame(
        {
            "label": _text_column(selected, "office").map(_office_label),
            **{
                column: pd.to_numeric(selected[column], errors="coerce").astype(float)
                for column in columns[2:]
            },
        }
    )
    frame = frame.sort_values(["rate_per_10k_chars", "label"], ascending=[True, False], kind="stable")
    fig, ax = _figure_and_axes(ax, (8.0, max(3.0, 0.45 * len(frame) + 1.6)))
    if frame.empty:
        _draw_no_data(ax, title, f"主题统计表中没有主题“{theme}”")
        return fig
    rate = frame["rate_per_10k_chars"].to_numpy()
    below = np.clip(rate - frame["rate_ci_low"].to_numpy(), 0, None)
    above = np.clip(frame["rate_ci_high"].to_numpy() - rate, 0, None)
    positions = np.arange(len(frame))
    ax.barh(positions, rate, color=OKABE_ITO["blue"], height=0.6, label="每万字命中数")
    ax.errorbar(
        rate,
        positions,
        xerr=np.vstack([np.nan_to_num(below), np.nan_to_num(above)]),
        fmt="none",
        ecolor="black",
        elinewidth=1.2,
        capsize=3,
        label="90% 自助法区间（按文章重抽样）",
    )
    # Where each bar or interval ends; an office without text has no rate (NaN) and ends at 0.
    reach = np.nan_to_num(np.fmax(rate, frame["rate_ci_high"].to_numpy()), nan=0.0)
    scale = float(reach.max()) if reach.max() > 0 else 1.0
    for position, end, hits, n_chars in zip(positions, reach, frame["hits"], frame["n_chars"], strict=True):
        ax.text(
            end + 0.01 * scale,
            position,
            f" {_format_number(hits)}次 / {_format_number(n_chars)}字",
            va="center",
            fontsize=9,
            color="#333333",
        )
    ax.set_yticks(positions, labels=frame["label"].tolist())
    # Room on the right for the "hits / characters" notes.
    ax.set_xlim(0, 1.4 * scale)
    ax.set_title(title)
    ax.set_xlabel("每万字命中数（次/万字）")
    ax.set_ylabel("办事处")
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
    title = f"{_office_label(office)}的关键词：多用与少用"
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
        _draw_no_data(ax, title, f"关键词表中没有“{_office_label(office)}”的多用或少用词")
        return fig
    is_over = rows["g2"].gt(0).to_numpy()
    is_significant = rows["p_adjusted"].lt(_SIGNIFICANCE_LEVEL).to_numpy()
    colours = np.where(is_over, OKABE_ITO["vermillion"], OKABE_ITO["blue"])
    positions = np.arange(len(rows))
    bars = ax.barh(positions, rows["shown"], color=colours, height=0.7)
    for bar, significant in zip(bars, is_significant, strict=True):
        bar.set_alpha(1.0 if significant else _NOT_SIGNIFICANT_ALPHA)
    ax.bar_label(bars, labels=[f"{count:.0f}次" for count in rows["count_target"]], padding=3, fontsize=8.5)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(positions, labels=rows["term"].tolist())
    ax.margins(x=0.15)
    ax.set_title(title)
    ax.set_xlabel(_KEYNESS_VALUES[value])
    ax.set_ylabel("词语")
    ax.legend(
        handles=[
            Patch(facecolor=OKABE_ITO["vermillion"], label="多用"),
            Patch(facecolor=OKABE_ITO["blue"], label="少用"),
            Patch(facecolor="#999999", alpha=_NOT_SIGNIFICANT_ALPHA, label="不显著（校正 p ≥ 0.05）"),
            Line2D([], [], linestyle="none", label="柱旁：本办事处出现次数"),
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
    title: str = "词云（字号表示权重）",
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
        title: Chinese title of the chart.
        max_words: at most this many terms, the heaviest first.

    Returns:
        The Figure holding the chart.

    Raises:
        GovnewsError: a DataFrame lacks ``term`` or ``weight``, or the font package is missing.
    """
    from wordcloud import WordCloud

    weights = _word_weights(frequencies)
    fig, ax = _figure_and_axes(ax, (8.0, 5.0))
    if not weights:
        _draw_no_data(ax, title, "没有权重为正的词语")
        return fig
    cloud = WordCloud(
        font_path=str(cjk_font_path()),
        width=1600,
        height=1000,
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


def _figure_value_label(categories: pd.Series, units: Sequence[str]) -> str:
    known = [_FIGURE_CATEGORY_LABELS[c] for c in dict.fromkeys(categories) if c in _FIGURE_CATEGORY_LABELS]
    quantity = known[0] if len(set(known)) == 1 else "数值"
    if len(units) == 1:
        return f"{quantity}（{units[0]}）" if units[0] else quantity
    return f"{quantity}（单位见柱顶：{'、'.join(unit or '无单位' for unit in units)}）"


@_styled
def plot_figure_comparison(
    figures: pd.DataFrame,
    subjects: str | Sequence[str],
    ax: Axes | None = None,
    *,
    log_scale: bool = False,
) -> Figure:
    """Grouped bars comparing one or several figure subjects across offices.

    One group of bars per subject (in the order given), one bar per office. A subject matches a
    figure when the figure's ``subject`` equals it exactly, so ``二级网格`` does not pick up
    ``二级网格长``. When an office states one subject several times in the same unit, the largest
    value is shown (repeated mentions of one count must not be added up). Bars are annotated with
    their value; a missing combination is marked "无" rather than drawn as zero.

    Args:
        figures: the ``figures`` table (``office``, ``subject``, ``value``, ``unit``; ``category``
            names the quantity on the axis when present).
        subjects: a subject or a list of subjects, e.g. ``["一级网格", "二级网格", "微网格"]``.
        ax: Axes to draw into; a new Figure is made when ``None``.
        log_scale: use a logarithmic value axis, for subjects of very different size.

    Returns:
        The Figure holding the chart.

    Raises:
        GovnewsError: a needed column is missing.
    """
    _require_columns(figures, ["office", "subject", "value", "unit"], "plot_figure_comparison")
    wanted = [subjects] if isinstance(subjects, str) else list(dict.fromkeys(subjects))
    shown_subjects = "、".join(wanted) if len(wanted) <= 6 else "、".join(wanted[:6]) + " 等"
    title = f"各办事处数字对比：{shown_subjects}"
    frame = pd.DataFrame(
        {
            "office": _text_column(figures, "office"),
            "subject": _text_column(figures, "subject"),
            "value": pd.to_numeric(figures["value"], errors="coerce").astype(float),
            "unit": _text_column(figures, "unit"),
            "category": (_text_column(figures, "category") if "category" in figures.columns else ""),
        }
    )
    frame = frame.loc[frame["subject"].isin(wanted) & np.isfinite(frame["value"])]
    values = frame.groupby(["subject", "office", "unit"], sort=False)["value"].max().reset_index()
    # One bar per office and subject; stated in several units, the largest value's row is kept.
    values = values.sort_values("value", ascending=False, kind="stable").drop_duplicates(
        ["subject", "office"]
    )
    offices = sorted(dict.fromkeys(values["office"]), key=lambda office: (office == "", office))
    present = [subject for subject in wanted if subject in set(values["subject"])]
    fig, ax = _figure_and_axes(ax, (max(6.5, 0.65 * len(present) * max(1, len(offices)) + 3.0), 5.0))
    if values.empty:
        _draw_no_data(ax, title, "数字表中没有这些主题词（subject 需完全一致）")
        return fig
    units = list(dict.fromkeys(values["unit"]))
    width = 0.8 / len(offices)
    positions = np.arange(len(present))
    for index, office in enumerate(offices):
        rows = values.loc[values["office"].eq(office)].set_index("subject").reindex(present)
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
        annotations = [
            _format_number(height) + (unit if len(units) > 1 else "")
            for height, unit in zip(heights[has_value], rows["unit"][has_value], strict=True)
        ]
        ax.bar_label(bars, labels=annotations, padding=2, fontsize=8.5)
        for position in x[~has_value]:
            # Placed in axes height, not data: a missing value has no place on a log axis.
            ax.text(
                position,
                0.01,
                "无",
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontsize=8.5,
                color=_NO_DATA_COLOUR,
            )
    ax.set_xticks(positions, labels=present)
    if log_scale:
        ax.set_yscale("log")
    else:
        ax.margins(y=0.12)
    ax.set_title(title)
    ax.set_xlabel("统计对象（subject）")
    ax.set_ylabel(_figure_value_label(frame["category"], units) + ("，对数刻度" if log_scale else ""))
    ax.legend(title="办事处", loc="best")
    return fig


@_styled
def plot_measure_kinds(measures: pd.DataFrame, ax: Axes | None = None, *, distinct: bool = True) -> Figure:
    """Office × measure-kind heatmap of how many governance measures each office reports.

    Args:
        measures: the ``measures`` table (``office``, ``kind``, and ``canonical``/``name`` when
            ``distinct``).
        ax: Axes to draw into; a new Figure is made when ``None``.
        distinct: count different measures (by ``canonical``, else ``name``) rather than mentions,
            so a measure repeated in every paragraph counts once.

    Returns:
        The Figure holding the chart.

    Raises:
        GovnewsError: a needed column is missing.
    """
    needed = ["office", "kind", "canonical", "name"] if distinct else ["office", "kind"]
    _require_columns(measures, needed, "plot_measure_kinds")
    unit = "不同举措数（项）" if distinct else "提及次数（次）"
    title = f"各办事处的治理举措类型：{unit.split('（')[0]}"
    frame = pd.DataFrame(
        {
            "office": _text_column(measures, "office").map(_office_label),
            "kind": _text_column(measures, "kind").replace("", UNCLASSIFIED_KIND_LABEL),
        }
    )
    if distinct:
        canonical = _text_column(measures, "canonical")
        frame["measure"] = canonical.where(canonical.ne(""), _text_column(measures, "name"))
        frame = frame.drop_duplicates(["office", "kind", "measure"])
    counts = pd.crosstab(frame["office"], frame["kind"]) if len(frame) else pd.DataFrame()
    fig, ax = _figure_and_axes(
        ax, (max(6.5, 0.8 * counts.shape[1] + 3.5), max(3.0, 0.5 * counts.shape[0] + 1.8))
    )
    if counts.empty:
        _draw_no_data(ax, title, "举措表为空")
        return fig
    # Kinds by total, unclassified last; offices by total.
    kind_totals = counts.sum(axis=0)
    kinds = sorted(
        kind_totals.index, key=lambda kind: (kind == UNCLASSIFIED_KIND_LABEL, -kind_totals[kind], kind)
    )
    office_totals = counts.sum(axis=1)
    offices = sorted(office_totals.index, key=lambda office: (-office_totals[office], office))
    counts = counts.reindex(index=offices, columns=kinds)
    cell_text = counts.astype(int).astype(str)
    _draw_heatmap(
        ax, counts.astype(float), cell_text, unit, x_label="举措类型（kind）", y_label="办事处", style="count"
    )
    ax.set_title(title)
    return fig
