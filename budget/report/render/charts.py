"""What the sections draw their plotly figures with: colours, layout, bar groups, the
deviation bars, each chart as HTML with a fixed div id (byte-identical output). A section's
own charts are in its module."""

from __future__ import annotations

import html as html_escape
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go

from budget.core import fmt
from budget.report.labels import budget_label
from budget.report.model import Report

SURPLUS = "#1a7f4b"  # dark green
DEFICIT = "#e8a33d"  # light orange: differs from the green in lightness too
BUDGET = "#9aa9bd"
FORECAST = "#1f3a5f"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
# A horizontal axis title is centred under the plot area, which long row names on the left
# leave narrow on a printed page (680 px): a longer title ran past the chart's right edge and
# was cut ("…, mnkr (+"). Titles are wrapped at this many characters.
AXIS_TITLE_CHARS = 30
# Months on chart axes as the tables write them: jan, feb, …
MONTH_TICKS = [name[:3] for name in fmt.MONTHS]


def unit_value(ore: int, unit: str) -> float:
    return float(Decimal(ore) / fmt.UNIT_DIVISOR[unit])


def volume_lines(
    fig: go.Figure,
    budget: Sequence[float | None],
    actual: Sequence[float | None],
    period: int,
    actual_name: str,
    **where: Any,
) -> None:
    """A measure's volume per month on ``fig`` (at ``where``: row and col of a subplot):
    the budget dashed over the year, the outcome solid up to the period."""
    months = list(range(1, 13))
    fig.add_scatter(
        x=months,
        y=list(budget),
        mode="lines",
        line={"color": BUDGET, "dash": "dash", "width": 2},
        name="Budgeterad volym",
        customdata=MONTH_TICKS,
        hovertemplate="%{customdata}: %{y:,.0f}<extra>Budget</extra>",
        **where,
    )
    fig.add_scatter(
        x=months[:period],
        y=list(actual[:period]),
        mode="lines+markers",
        line={"color": FORECAST, "width": 2.5},
        name=actual_name,
        customdata=MONTH_TICKS[:period],
        hovertemplate="%{customdata}: %{y:,.0f}<extra>Utfall</extra>",
        **where,
    )


def layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 20, "t": 10, "b": 40},
        font={"family": FONT, "size": 13},
        plot_bgcolor="white",
        paper_bgcolor="white",
        separators=", ",
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


def grouped(fig: go.Figure, x_title: str, height: int, signed: bool) -> go.Figure:
    """Finish a chart of horizontal bar groups. No legend: the caption says which bar is
    which. ``signed``: values either side of a zero line, else amounts from zero."""
    if signed:
        fig.add_vline(x=0, line_color="#333", line_width=1)
        fig.update_xaxes(title_text=x_title, gridcolor="#e5e5e5", zeroline=False)
    else:
        fig.update_xaxes(title_text=x_title, gridcolor="#e5e5e5", rangemode="tozero")
    fig.update_yaxes(automargin=True)
    fig.update_layout(barmode="group", showlegend=False)
    return layout(fig, height)


def variance_bars(report: Report, names: list[str], variances: list[int]) -> go.Figure:
    """Horizontal bars of net deviations (öre), överskott green, underskott outlined red."""
    u = report.unit
    values = [unit_value(v, u) for v in variances]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=values,
        orientation="h",
        marker_color=[SURPLUS if v >= 0 else DEFICIT for v in values],
        marker_line_color="#333",
        marker_line_width=[0 if v >= 0 else 1 for v in values],
        text=[fmt.money(v, u, signed=True) for v in variances],
        textposition="outside",
        cliponaxis=False,
        name="Avvikelse",
        hovertemplate="%{y}: %{x:+,.1f} " + u + "<extra></extra>",
    )
    fig.add_vline(x=0, line_color="#333", line_width=1)
    reach = max([abs(v) for v in values] + [0.1])
    # Room beyond the longest bar for its label ("−9,0"), also on a printed page's narrow
    # plot area, where a quarter of the reach let it run into the row names.
    pad = 0.4 * reach
    fig.update_xaxes(range=[min(min(values), 0) - pad, max(max(values), 0) + pad])
    against = budget_label(report.has_requests).lower()
    fig.update_xaxes(
        title_text=f"Avvikelse mot {against}, {u} (+ = överskott)",
        gridcolor="#e5e5e5",
        zeroline=False,
    )
    fig.update_yaxes(automargin=True)
    fig.update_layout(showlegend=False)
    return layout(fig, 80 + 36 * len(names))


def title_lines(text: str) -> list[str]:
    """``text`` in lines of at most ``AXIS_TITLE_CHARS`` characters (a longer word alone); a
    parenthesis, the sign rule "(+ = överskott)", is kept on one line."""
    lines: list[str] = []
    for word in re.findall(r"\([^)]*\)\S*|\S+", text):
        if lines and len(lines[-1]) + 1 + len(word) <= AXIS_TITLE_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def wrap_axis_titles(fig: go.Figure) -> go.Figure:
    """Every horizontal axis title in lines of at most ``AXIS_TITLE_CHARS`` characters, so
    that none runs past the chart's edge; the axis makes room for the extra lines."""

    def wrap(axis: go.layout.XAxis) -> None:
        text = axis.title.text
        if text and len(text) > AXIS_TITLE_CHARS and "<br>" not in text:
            axis.update(title_text="<br>".join(title_lines(text)), automargin=True)

    fig.for_each_xaxis(wrap)
    return fig


# While a Word document reads the sections' HTML (``collected``): the charts by their div id.
_COLLECTED: ContextVar[dict[str, go.Figure] | None] = ContextVar("collected", default=None)


@contextmanager
def collected() -> Iterator[dict[str, go.Figure]]:
    """Charts as their bare div: within this, ``chart_html`` writes only the chart's empty
    div (no plotly JSON) and puts its figure in the dict given, by its div id. The Word
    document reads the sections' HTML so: it draws each figure where the template places
    it, built once, and serialises none (issue 32)."""
    charts: dict[str, go.Figure] = {}
    token = _COLLECTED.set(charts)
    try:
        yield charts
    finally:
        _COLLECTED.reset(token)


def chart_html(fig: go.Figure, div_id: str) -> str:
    """A chart's div and script; plotly.js itself is embedded once per page."""
    charts = _COLLECTED.get()
    if charts is not None:
        charts[div_id] = fig
        return f'<div id="{html_escape.escape(div_id)}" class="plotly-graph-div"></div>'
    wrap_axis_titles(fig)
    html = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        # No toolbar: it is noise to a reader and would print on the page.
        config={"displayModeBar": False, "displaylogo": False, "responsive": True},
    )
    return str(html)


def maybe(fig: go.Figure | None, div_id: str) -> str | None:
    """A chart that a report may not have (no anslag, no projects…)."""
    return None if fig is None else chart_html(fig, div_id)
