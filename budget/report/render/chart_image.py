"""A report chart as a PNG image for the Word document, drawn by matplotlib.

Each chart is defined once, as the plotly figure a section gives (``Section.figures``): its
traces are the data (categories, series, values, colours, signs) and its layout the titles,
ticks and reference lines. The HTML draws the figure with plotly.js; here the same figure is
read and drawn with matplotlib, so both show the same data. What the report's charts use is
read: horizontal and vertical bars (grouped or stacked, with their value labels), lines
with markers, waterfalls, reference lines at zero and small multiples; a trace of another
kind is a bug (``ValueError``), not a chart left out.

The subplots are laid out by measuring their labels once (``_fit``), then drawn once:
matplotlib's constrained layout found the same margins with two more passes over every
chart's ticks and texts and a second draw (issue 32). The image is the same bytes for the
same figure: the Agg renderer, a fixed size and resolution, and no metadata (matplotlib
writes its version as "Software"; here Pillow writes the PNG, with none). An opaque image
(every chart: a white figure) is written as RGB at zlib level ``PNG_LEVEL``: the same
pixels as matplotlib's RGBA at the default level, in 6 % fewer bytes and less than half its
time. Text is drawn as it is: no mathtext (``$`` in a name is a dollar sign).
"""

from __future__ import annotations

import io
import itertools
import math
import textwrap
import warnings
from collections.abc import Sequence
from typing import Any

import matplotlib
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.gridspec import GridSpec
from matplotlib.legend import Legend
from matplotlib.ticker import FuncFormatter, MultipleLocator

from budget.core import fmt

WIDTH_INCHES = 6.5  # the text width of the A4 page (formats/docx.py), 16,5 cm
DPI = 150
# zlib's level for the PNGs: 3 compresses these charts as well as 4 and 5 and about as fast
# as 1 (measured on the bench report's 22 charts: 1,03 MB in 0,24 s; level 6 0,99 MB in
# 0,39 s).
PNG_LEVEL = 3
FONT_SIZE = 8
# Plotly's charts are drawn about 680 px wide on paper: their heights scale to the image.
PLOTLY_WIDTH = 680
MAX_HEIGHT_INCHES = 8.5  # a chart of many bars fits a page with its caption
LABEL_WIDTH = 34  # characters of a category's name on one line of the axis
LABEL_LINES = 3
PAD_POINTS = 3.0  # room round the subplots' labels and between them (constrained layout's)
# Where the subplots stand before their labels are measured: near where they end up, so that
# a value axis gets about as many ticks when measured as when drawn.
_FIRST_GUESS = {"left": 0.2, "right": 0.97, "bottom": 0.15, "top": 0.95}

_DASHES = {"dash": (0, (5, 3)), "dot": (0, (1, 2)), "dashdot": (0, (5, 2, 1, 2))}
_MARKERS = {"diamond": "D", "circle": "o", "square": "s"}
RC: dict[str, Any] = {
    "font.size": FONT_SIZE,
    "font.family": "DejaVu Sans",
    "text.parse_math": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": FONT_SIZE + 1,
    "svg.hashsalt": "budget",
}


def label(text: Any) -> str:
    """A category's name as an axis shows it: wrapped, at most a few lines (the table beside
    the chart holds the whole name)."""
    lines = textwrap.wrap(str(text), LABEL_WIDTH, break_long_words=True) or [""]
    if len(lines) > LABEL_LINES:
        lines = [*lines[: LABEL_LINES - 1], lines[LABEL_LINES - 1][: LABEL_WIDTH - 1] + "…"]
    return "\n".join(lines)


def _values(seq: Any) -> list[float]:
    return [math.nan if v is None else float(v) for v in (seq if seq is not None else [])]


def _each(value: Any, n: int, default: Any) -> list[Any]:
    """A marker property given once or per point, as a list of ``n``."""
    if value is None:
        return [default] * n
    if isinstance(value, (list, tuple)):
        return [default if v is None else v for v in value]
    return [value] * n


def _width(px: Any, default: float) -> float:
    """A line width or marker size in plotly's pixels as points."""
    return (default if px is None else float(px)) * 0.75


def _axis_key(ref: str, axis: str) -> str:
    """``x2`` -> ``xaxis2``; ``x`` -> ``xaxis``."""
    return axis + "axis" + ref[1:]


def _title(axis: dict[str, Any]) -> str:
    title = axis.get("title") or {}
    return str(title.get("text") or "") if isinstance(title, dict) else str(title)


def _grid(layout: dict[str, Any], pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    """Where each subplot stands: (row, column) in a grid of the figure's axis domains."""
    spots = {}
    for xref, yref in pairs:
        xdom = (layout.get(_axis_key(xref, "x")) or {}).get("domain") or [0, 1]
        ydom = (layout.get(_axis_key(yref, "y")) or {}).get("domain") or [0, 1]
        spots[(xref, yref)] = (round(float(xdom[0]), 3), round(float(ydom[0]), 3))
    cols = sorted({x for x, _ in spots.values()})
    rows = sorted({y for _, y in spots.values()}, reverse=True)
    return {
        pair: (rows.index(y), cols.index(x), len(rows), len(cols)) for pair, (x, y) in spots.items()
    }


def _number_axis(axis: Any, values: Sequence[float]) -> None:
    """Swedish numbers on a value axis (core.fmt), with the decimals the ticks need."""
    finite = [v for v in values if math.isfinite(v)]
    step = min((abs(b - a) for a, b in itertools.pairwise(finite) if b != a), default=1)
    decimals = 0 if step >= 1 else 1 if step >= 0.1 else 2
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt.number(v, decimals)))


INK = "#1b1b1b"


def ink_on(colour: str) -> str:
    """White or near-black, whichever reads better on ``colour`` (WCAG contrast ratio): a
    label inside a pale or yellow bar is dark, inside a dark one white."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(colour))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    ink = 0.0110  # the relative luminance of INK
    return "white" if (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / (ink + 0.05)) else INK


def _bar_labels(
    ax: Any, bars: Any, trace: dict[str, Any], colours: list[Any], *, hatched: bool
) -> None:
    """The trace's texts on its bars: inside in the ink that reads on each bar's colour (on
    a ground of that colour where the bar is hatched), or beyond the bar's end."""
    texts = trace.get("text")
    if not isinstance(texts, (list, tuple)) or not any(texts):
        return
    inside = trace.get("textposition") == "inside"
    drawn = ax.bar_label(
        bars,
        labels=["" if s is None else str(s) for s in texts],
        label_type="center" if inside else "edge",
        padding=0 if inside else 3,
        fontsize=FONT_SIZE - 1,
        color=INK,
    )
    if not inside:
        return
    for text, colour in zip(drawn, colours, strict=False):
        text.set_color(ink_on(colour))
        if hatched:  # the hatch lines would run through the label
            text.set_bbox({"facecolor": colour, "edgecolor": "none", "pad": 1})


def _bars(ax: Any, traces: list[dict[str, Any]], layout: dict[str, Any]) -> tuple[bool, list[str]]:
    """Bar traces on one subplot: grouped or stacked. Returns (horizontal, categories)."""
    horizontal = traces[0].get("orientation") == "h"
    cat_key, val_key = ("y", "x") if horizontal else ("x", "y")
    categories: list[str] = []
    for t in traces:
        for c in t.get(cat_key) or []:
            if str(c) not in categories:
                categories.append(str(c))
    stacked = layout.get("barmode") == "stack"
    n = 1 if stacked else len(traces)
    size = 0.8 / n
    base = {c: [0.0, 0.0] for c in categories}  # stacked: the positive and negative ends
    for i, t in enumerate(traces):
        cats = [str(c) for c in t.get(cat_key) or []]
        values = _values(t.get(val_key))
        marker = t.get("marker") or {}
        line = marker.get("line") or {}
        colours = _each(marker.get("color"), len(values), "#1f3a5f")
        edges = _each(line.get("color"), len(values), "#333333")
        widths = _each(line.get("width"), len(values), 0)
        hatch = "///" if (marker.get("pattern") or {}).get("shape") == "/" else None
        where = [categories.index(c) + (0 if stacked else -0.4 + (i + 0.5) * size) for c in cats]
        starts = []
        for c, v in zip(cats, values, strict=False):
            if not stacked or not math.isfinite(v):
                starts.append(0.0)
                continue
            side = 0 if v >= 0 else 1
            starts.append(base[c][side])
            base[c][side] += v
        draw = ax.barh if horizontal else ax.bar
        kwargs: dict[str, Any] = {"height" if horizontal else "width": size * 0.95}
        kwargs["left" if horizontal else "bottom"] = starts
        bars = draw(
            where,
            values,
            color=colours,
            edgecolor=edges,
            linewidth=[_width(w, 0) for w in widths],
            hatch=hatch,
            label=t.get("name") or "",
            **kwargs,
        )
        _bar_labels(ax, bars, t, colours, hatched=hatch is not None)
    ticks = list(range(len(categories)))
    names = [label(c) for c in categories]
    if horizontal:
        ax.set_yticks(ticks, names)
        ax.set_ylim(-0.6, len(categories) - 0.4)
    else:
        ax.set_xticks(ticks, names)
    return horizontal, categories


def _waterfall(ax: Any, t: dict[str, Any]) -> None:
    """Steps from zero: an absolute bar, relative steps, a total; connectors between."""
    names = [str(x) for x in t.get("x") or []]
    values = _values(t.get("y"))
    measures = list(t.get("measure") or ["relative"] * len(values))
    colour = {
        key: ((t.get(key) or {}).get("marker") or {}).get("color", "#1f3a5f")
        for key in ("increasing", "decreasing", "totals")
    }
    edge = ((t.get("decreasing") or {}).get("marker") or {}).get("line") or {}
    running = 0.0
    ends = []
    for i, (v, m) in enumerate(zip(values, measures, strict=False)):
        if m == "absolute":
            start, running = 0.0, v
            key = "totals"
        elif m == "total":
            start = 0.0
            key = "totals"
        else:
            start, running = running, running + v
            key = "increasing" if v >= 0 else "decreasing"
        top = running
        height = top - start
        down = key == "decreasing"
        ax.bar(
            i,
            height,
            bottom=start,
            width=0.7,
            color=colour[key],
            edgecolor=edge.get("color", "#333333") if down else colour[key],
            linewidth=_width(edge.get("width"), 0) if down else 0,
        )
        ends.append(top)
    for i in range(len(ends) - 1):
        ax.plot([i + 0.35, i + 0.65], [ends[i], ends[i]], color="#999999", linewidth=0.75)
    texts = t.get("text") or []
    for i, s in enumerate(texts):
        if i < len(ends) and s:
            below = ends[i] < 0 or (measures[i] == "relative" and values[i] < 0)
            y = (
                min(ends[i], ends[i] - values[i])
                if below and measures[i] == "relative"
                else ends[i]
            )
            ax.annotate(
                str(s),
                (i, y),
                xytext=(0, -3 if below else 3),
                textcoords="offset points",
                ha="center",
                va="top" if below else "bottom",
                fontsize=FONT_SIZE - 1,
            )
    ax.set_xticks(range(len(names)), [label(n) for n in names])


def _lines(ax: Any, t: dict[str, Any], legend: bool) -> None:
    x = _values(t.get("x"))
    y = _values(t.get("y"))
    mode = str(t.get("mode") or "lines")
    line = t.get("line") or {}
    marker = t.get("marker") or {}
    ax.plot(
        x,
        y,
        color=line.get("color") or "#1f3a5f",
        linestyle=_DASHES.get(line.get("dash") or "", "-") if "lines" in mode else "none",
        linewidth=_width(line.get("width"), 2),
        marker=_MARKERS.get(marker.get("symbol") or "circle", "o") if "markers" in mode else None,
        markersize=_width(marker.get("size"), 6),
        label=(t.get("name") or "") if legend else "_nolegend_",
    )


def _axis_setup(ax: Any, axis: dict[str, Any], which: str, values: list[float]) -> None:
    """An axis as the layout gives it: title, ticks, range, from zero, grid."""
    target = ax.xaxis if which == "x" else ax.yaxis
    title = _title(axis)
    if title:
        (ax.set_xlabel if which == "x" else ax.set_ylabel)(title)
    if axis.get("tickmode") == "array" and axis.get("tickvals") is not None:
        vals = [float(v) for v in axis["tickvals"]]
        texts = [str(s) for s in axis.get("ticktext") or vals]
        (ax.set_xticks if which == "x" else ax.set_yticks)(vals, texts)
    elif axis.get("dtick") is not None:
        target.set_major_locator(MultipleLocator(float(axis["dtick"])))
    if axis.get("range") is not None:
        lo, hi = (float(v) for v in axis["range"])
        (ax.set_xlim if which == "x" else ax.set_ylim)(lo, hi)
    elif axis.get("rangemode") == "tozero":
        lo, hi = ax.get_xlim() if which == "x" else ax.get_ylim()
        (ax.set_xlim if which == "x" else ax.set_ylim)(min(lo, 0), max(hi, 0))
    if axis.get("gridcolor"):
        ax.grid(True, axis=which, color=axis["gridcolor"], linewidth=0.6)
        ax.set_axisbelow(True)
    if axis.get("tickangle"):
        for tick in target.get_ticklabels():
            tick.set_rotation(-float(axis["tickangle"]))
            tick.set_horizontalalignment("right")
    if axis.get("tickmode") != "array" and values:
        _number_axis(target, list(target.get_ticklocs()))


def _pairs(data: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The subplots (x and y axis) the traces stand on, in order; a trace of a kind this
    module cannot draw is a bug."""
    pairs: list[tuple[str, str]] = []
    for t in data:
        if t.get("type") not in ("bar", "scatter", "waterfall"):
            raise ValueError(f"a chart of kind {t.get('type')!r} cannot be drawn for Word")
        pair = (t.get("xaxis") or "x", t.get("yaxis") or "y")
        if pair not in pairs:
            pairs.append(pair)
    return pairs or [("x", "y")]


def _shapes(ax: Any, layout: dict[str, Any], pair: tuple[str, str]) -> None:
    """Reference lines (plotly's add_vline and add_hline) on their subplot."""
    for shape in layout.get("shapes") or []:
        if shape.get("type") != "line":
            continue
        colour = (shape.get("line") or {}).get("color") or "#333333"
        width = _width((shape.get("line") or {}).get("width"), 1)
        if str(shape.get("yref", "")).endswith("domain") and shape.get("xref") == pair[0]:
            ax.axvline(float(shape.get("x0", 0)), color=colour, linewidth=width)
        if str(shape.get("xref", "")).endswith("domain") and shape.get("yref") == pair[1]:
            ax.axhline(float(shape.get("y0", 0)), color=colour, linewidth=width)


def _subplot(
    ax: Any,
    traces: list[dict[str, Any]],
    layout: dict[str, Any],
    pair: tuple[str, str],
    legend: bool,
) -> None:
    """One subplot: its bars, waterfall and lines, reference lines and axes."""
    bars = [t for t in traces if t.get("type") == "bar"]
    waterfall = any(t.get("type") == "waterfall" for t in traces)
    xs: list[float] = []
    ys: list[float] = []
    horizontal = False
    if bars:
        horizontal, _ = _bars(ax, bars, layout)
        for t in bars:
            (xs if horizontal else ys).extend(_values(t.get("x" if horizontal else "y")))
    for t in traces:
        if t.get("type") == "waterfall":
            _waterfall(ax, t)
            ys.extend(_values(t.get("y")))
        elif t.get("type") == "scatter":
            _lines(ax, t, legend and t.get("showlegend") is not False)
            xs.extend(_values(t.get("x")))
            ys.extend(_values(t.get("y")))
    _shapes(ax, layout, pair)
    xaxis = layout.get(_axis_key(pair[0], "x")) or {}
    yaxis = layout.get(_axis_key(pair[1], "y")) or {}
    categorical_x = (bool(bars) and not horizontal) or waterfall
    _axis_setup(ax, xaxis, "x", [] if categorical_x else xs)
    _axis_setup(ax, yaxis, "y", [] if (bars and horizontal) else ys)
    if waterfall and yaxis.get("zeroline"):
        ax.axhline(0, color=yaxis.get("zerolinecolor") or "#333333", linewidth=1.5)


def _legend(canvas: FigureCanvasAgg, axes: list[Any]) -> Legend | None:
    """One legend below the plots: each named series once, in at most three columns, fewer
    when three would be wider than the image (long names)."""
    handles, labels = [], []
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=False):
            if lab and lab not in labels and not lab.startswith("_"):
                handles.append(h)
                labels.append(lab)
    if not labels:
        return None
    fig = canvas.figure
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    room = fig.bbox.width - 2 * PAD_POINTS * DPI / 72
    for ncols in range(min(3, len(labels)), 0, -1):
        key = fig.legend(
            handles,
            [label(s) for s in labels],
            loc="lower center",
            bbox_to_anchor=(0.5, 0.0),
            borderaxespad=PAD_POINTS / FONT_SIZE,
            ncols=ncols,
            frameon=False,
        )
        if ncols == 1 or key.get_window_extent(renderer).width <= room:
            break
        key.remove()
    return key


def pngs(specs: list[dict[str, Any]]) -> list[bytes]:
    """Each plotly figure's JSON (``Figure.to_plotly_json``) drawn as a PNG, in order: the
    Word document's charts, drawn here one after the other. A pool's map over ``png`` gives
    the same bytes (each chart is drawn alone)."""
    return [png(spec) for spec in specs]


def png(figure: Any) -> bytes:
    """The plotly ``figure`` (or its JSON) drawn as a PNG (see the module)."""
    with matplotlib.rc_context(RC), warnings.catch_warnings():  # type: ignore[arg-type]
        # A character DejaVu Sans lacks is drawn as a box, not an error; the tables hold the text.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        canvas = draw(figure).canvas
        assert isinstance(canvas, FigureCanvasAgg)
        # No layout engine: the figure is drawn once (constrained layout drew it twice), as
        # savefig would at the figure's own resolution.
        canvas.draw()  # type: ignore[no-untyped-call]
        rgba = canvas.buffer_rgba()  # type: ignore[no-untyped-call]
        size = canvas.get_width_height()
        pixels = PIL.Image.frombuffer("RGBA", size, rgba, "raw", "RGBA", 0, 1)
    return encode(pixels)


def encode(pixels: PIL.Image.Image) -> bytes:
    """An RGBA image as PNG bytes: as RGB where every pixel is opaque (the same picture),
    at ``DPI`` and zlib level ``PNG_LEVEL``, without metadata."""
    if pixels.getchannel("A").getextrema() == (255, 255):
        pixels = pixels.convert("RGB")
    out = io.BytesIO()
    pixels.save(out, format="png", dpi=(DPI, DPI), compress_level=PNG_LEVEL)
    return out.getvalue()


def draw(figure: Any) -> Figure:
    """The plotly ``figure`` (or its JSON) as a matplotlib figure, its subplots laid out
    (``_fit``), not yet rendered (``png`` renders it once)."""
    spec = figure if isinstance(figure, dict) else figure.to_plotly_json()
    data: list[dict[str, Any]] = spec["data"]
    layout: dict[str, Any] = spec["layout"]
    pairs = _pairs(data)
    grid = _grid(layout, pairs)
    height = float(layout.get("height") or 450) * WIDTH_INCHES / PLOTLY_WIDTH
    show_legend = layout.get("showlegend")
    named = [t for t in data if t.get("name") and t.get("showlegend") is not False]
    legend = show_legend is not False and (show_legend is True or len(named) > 1)
    with matplotlib.rc_context(RC):  # type: ignore[arg-type]
        size = (WIDTH_INCHES, min(MAX_HEIGHT_INCHES, max(2.2, height)))
        fig = Figure(figsize=size, dpi=DPI)
        canvas = FigureCanvasAgg(fig)
        _, _, nrows, ncols = next(iter(grid.values()))
        gs = fig.add_gridspec(nrows, ncols, **_FIRST_GUESS)
        axes = {}
        for pair in pairs:
            r, c, _, _ = grid[pair]
            axes[pair] = ax = fig.add_subplot(gs[r, c])
            traces = [t for t in data if (t.get("xaxis") or "x", t.get("yaxis") or "y") == pair]
            _subplot(ax, traces, layout, pair, legend)
        _subplot_titles(layout, axes)
        key = _legend(canvas, list(axes.values())) if legend else None
        _fit(canvas, gs, {grid[p][:2]: ax for p, ax in axes.items()}, key)
    return fig


def _fit(
    canvas: FigureCanvasAgg,
    gs: GridSpec,
    axes: dict[tuple[int, int], Any],
    key: Legend | None,
) -> None:
    """The subplots' margins and gaps as wide as their labels need, measured once.

    matplotlib's constrained layout finds the same by drawing the figure twice more (it cost
    two thirds of a chart's time); here each subplot's labels, ticks and titles are measured
    once (``get_tightbbox``) where the first guess put it, and the grid is set so that the
    widest of them fits beside its neighbours, the legend below them all. The one draw is
    then the PNG's."""
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    width, height = canvas.get_width_height()
    pad = PAD_POINTS * DPI / 72
    nrows, ncols = gs.get_geometry()
    # Per column and row, the widest overhang of a subplot's labels past its frame (pixels).
    left, right = [0.0] * ncols, [0.0] * ncols
    top, bottom = [0.0] * nrows, [0.0] * nrows
    for (r, c), ax in axes.items():
        frame = ax.get_window_extent(renderer)
        tight = ax.get_tightbbox(renderer, for_layout_only=True)
        if tight is None:
            continue
        left[c] = max(left[c], frame.x0 - tight.x0)
        right[c] = max(right[c], tight.x1 - frame.x1)
        top[r] = max(top[r], tight.y1 - frame.y1)
        bottom[r] = max(bottom[r], frame.y0 - tight.y0)
    below = key.get_window_extent(renderer).height + pad if key is not None else 0.0
    gap_x = max((right[c] + left[c + 1] + 2 * pad for c in range(ncols - 1)), default=0.0)
    gap_y = max((bottom[r] + top[r + 1] + 2 * pad for r in range(nrows - 1)), default=0.0)
    x0, x1 = left[0] + pad, width - right[-1] - pad
    y0, y1 = bottom[-1] + below + pad, height - top[0] - pad
    # A subplot keeps at least a fifth of the figure, whatever its labels (they then overlap
    # rather than the chart vanishing).
    x0 = min(x0, 0.8 * width)
    x1 = max(x1, x0 + 0.2 * width)
    y0 = min(y0, 0.8 * height)
    y1 = max(y1, y0 + 0.2 * height)
    cell_w = max(1.0, (x1 - x0 - (ncols - 1) * gap_x) / ncols)
    cell_h = max(1.0, (y1 - y0 - (nrows - 1) * gap_y) / nrows)
    gs.update(
        left=x0 / width,
        right=x1 / width,
        bottom=y0 / height,
        top=y1 / height,
        wspace=gap_x / cell_w,
        hspace=gap_y / cell_h,
    )
    for ax in axes.values():  # update() moves only pyplot's figures' subplots
        ax.set_position(ax.get_subplotspec().get_position(canvas.figure))


def _subplot_titles(layout: dict[str, Any], axes: dict[tuple[str, str], Any]) -> None:
    """Small multiples' titles: each annotation of the layout over the subplot it stands on."""
    if len(axes) < 2:
        return
    centres = {}
    for pair in axes:
        xdom = (layout.get(_axis_key(pair[0], "x")) or {}).get("domain") or [0, 1]
        ydom = (layout.get(_axis_key(pair[1], "y")) or {}).get("domain") or [0, 1]
        centres[pair] = ((float(xdom[0]) + float(xdom[1])) / 2, float(ydom[1]))
    for note in layout.get("annotations") or []:
        if note.get("xref") != "paper" or not note.get("text"):
            continue
        x, y = float(note.get("x", 0)), float(note.get("y", 0))
        pair = min(centres, key=lambda p: abs(centres[p][0] - x) + abs(centres[p][1] - y))
        if abs(centres[pair][0] - x) + abs(centres[pair][1] - y) < 0.05:
            axes[pair].set_title(label(note["text"]))
