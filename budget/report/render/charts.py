"""Plotly figures for the report, each with a fixed div id (byte-identical output)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import plotly.graph_objects as go

from budget.core import fmt
from budget.core.lines import MonthlyPath
from budget.core.volumes import Measure
from budget.report.labels import budget_label
from budget.report.model import Report

SURPLUS = "#1a7f4b"  # dark green
DEFICIT = "#e8a33d"  # light orange: differs from the green in lightness too
BUDGET = "#9aa9bd"
FORECAST = "#1f3a5f"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
# Months on chart axes as the tables write them: jan, feb, …
MONTH_TICKS = [name[:3] for name in fmt.MONTHS]


def unit_value(ore: int, unit: str) -> float:
    return float(Decimal(ore) / fmt.UNIT_DIVISOR[unit])


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


def budget_vs_forecast(report: Report) -> go.Figure:
    areas = list(reversed(report.shown_areas()))
    names = [a.area for a in areas]
    u = report.unit
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=[-unit_value(a.budget.net, u) for a in areas],
        orientation="h",
        name=budget_label(report.has_requests),
        marker_color=BUDGET,
        hovertemplate="%{y}: %{x:,.1f} " + u + "<extra>Budget</extra>",
    )
    fig.add_bar(
        y=names,
        x=[-unit_value(a.forecast.net, u) for a in areas],
        orientation="h",
        name="Helårsprognos",
        marker_color=FORECAST,
        hovertemplate="%{y}: %{x:,.1f} " + u + "<extra>Prognos</extra>",
    )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text=f"Nettokostnad, {u}", gridcolor="#e5e5e5")
    fig.update_yaxes(automargin=True)
    return layout(fig, 80 + 48 * len(areas))


def variance(report: Report) -> go.Figure:
    areas = list(reversed(report.shown_areas()))
    return variance_bars(report, [a.area for a in areas], [a.variance.net for a in areas])


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
    fig.update_xaxes(range=[min(min(values), 0) - 0.25 * reach, max(max(values), 0) + 0.25 * reach])
    against = budget_label(report.has_requests).lower()
    fig.update_xaxes(
        title_text=f"Avvikelse mot {against}, {u} (+ = överskott)",
        gridcolor="#e5e5e5",
        zeroline=False,
    )
    fig.update_yaxes(automargin=True)
    fig.update_layout(showlegend=False)
    return layout(fig, 80 + 36 * len(names))


def paths(monthly: Sequence[MonthlyPath], u: str, period: int) -> go.Figure:
    """Small multiples: cumulative net cost to date, periodised budget, forecast to December."""
    from plotly.subplots import make_subplots

    items = [p for p in monthly if any(p.actual) or any(p.budget)]
    cols = 2
    rows = max(1, (len(items) + cols - 1) // cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[p.area for p in items],
        vertical_spacing=0.5 / rows,
        horizontal_spacing=0.08,
    )
    months = list(range(1, 13))
    for i, p in enumerate(items):
        r, c = i // cols + 1, i % cols + 1
        first = i == 0
        fig.add_scatter(
            x=months,
            y=[-unit_value(v, u) for v in p.budget],
            row=r,
            col=c,
            mode="lines",
            line={"color": BUDGET, "dash": "dash", "width": 2},
            name="Periodiserad budget",
            legendgroup="b",
            showlegend=first,
            customdata=MONTH_TICKS,
            hovertemplate="%{customdata}: %{y:,.1f} " + u + "<extra>Budget</extra>",
        )
        fig.add_scatter(
            x=months[:period],
            y=[-unit_value(v, u) for v in p.actual],
            row=r,
            col=c,
            mode="lines+markers",
            line={"color": FORECAST, "width": 2.5},
            marker={"size": 5},
            name="Utfall",
            legendgroup="a",
            showlegend=first,
            customdata=MONTH_TICKS[:period],
            hovertemplate="%{customdata}: %{y:,.1f} " + u + "<extra>Utfall</extra>",
        )
        if period < 12 and p.actual:
            fig.add_scatter(
                x=[period, 12],
                y=[-unit_value(p.actual[-1], u), -unit_value(p.forecast, u)],
                row=r,
                col=c,
                mode="lines+markers",
                line={"color": FORECAST, "dash": "dot", "width": 2},
                marker={"symbol": "diamond", "size": 7},
                name="Prognos till december",
                legendgroup="f",
                showlegend=first,
                customdata=[MONTH_TICKS[period - 1], MONTH_TICKS[11]],
                hovertemplate="%{customdata}: %{y:,.1f} " + u + "<extra>Prognos</extra>",
            )
    fig.update_xaxes(
        tickmode="array",
        tickvals=list(range(1, 13)),
        ticktext=MONTH_TICKS,
        range=[0.5, 12.5],
        gridcolor="#eeeeee",
    )
    fig.update_yaxes(gridcolor="#eeeeee", rangemode="tozero")
    fig.update_annotations(font_size=12)
    layout(fig, 60 + 220 * rows)
    fig.update_layout(margin={"l": 10, "r": 20, "t": 30, "b": 40})
    return fig


def waterfall(report: Report) -> go.Figure:
    """From a budget in balance to the forecast's variance, one step per area.

    In the report's signs (+ = överskott, − = underskott), as the tables: each area adds its
    variance, the last bar is the total. The axis holds zero, where the budget stands.
    """
    u = report.unit
    areas = [a for a in report.area_lines if a.variance.net != 0]
    x = ["Budget i balans", *(a.area for a in areas), "Prognostiserad avvikelse"]
    y = [0.0, *(unit_value(a.variance.net, u) for a in areas), 0.0]
    measure = ["absolute", *("relative" for _ in areas), "total"]
    fig = go.Figure(
        go.Waterfall(
            x=x,
            y=y,
            measure=measure,
            orientation="v",
            increasing={"marker": {"color": SURPLUS}},
            decreasing={"marker": {"color": DEFICIT, "line": {"color": "#333", "width": 1}}},
            totals={"marker": {"color": FORECAST}},
            connector={"line": {"color": "#999", "width": 1}},
            text=[
                fmt.money(0, u),
                *(fmt.money(a.variance.net, u, signed=True) for a in areas),
                fmt.money(report.total.variance.net, u, signed=True),
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:+,.1f} " + u + "<extra></extra>",
        )
    )
    fig.update_yaxes(
        title_text=f"Avvikelse, {u} (+ = överskott)",
        gridcolor="#e5e5e5",
        rangemode="tozero",
        zeroline=True,
        zerolinecolor="#333",
        zerolinewidth=2,
    )
    fig.update_xaxes(tickangle=-35, automargin=True)
    fig.update_layout(showlegend=False)
    return layout(fig, 520)


def volume(m: Measure) -> go.Figure:
    """One measure: budgeted and actual volume per month."""
    # Months as numbers with named ticks and half a month of room on each side: a
    # category axis ends at its last label and cut "dec" to "d" at the edge.
    months = list(range(1, 13))
    fig = go.Figure()
    fig.add_scatter(
        x=months,
        y=list(m.budget),
        mode="lines",
        line={"color": BUDGET, "dash": "dash", "width": 2},
        name="Budgeterad volym",
        customdata=MONTH_TICKS,
        hovertemplate="%{customdata}: %{y:,.0f}<extra>Budget</extra>",
    )
    fig.add_scatter(
        x=months[: m.period],
        y=list(m.actual[: m.period]),
        mode="lines+markers",
        line={"color": FORECAST, "width": 2.5},
        name="Utfall",
        customdata=MONTH_TICKS[: m.period],
        hovertemplate="%{customdata}: %{y:,.0f}<extra>Utfall</extra>",
    )
    fig.update_xaxes(tickmode="array", tickvals=months, ticktext=MONTH_TICKS, range=[0.5, 12.5])
    # From zero: a few per cent of change must not look like a doubling.
    fig.update_yaxes(
        title_text=m.measure, gridcolor="#e5e5e5", rangemode="tozero", tickformat=",.0f"
    )
    return layout(fig, 300)


def chart_html(fig: go.Figure, div_id: str) -> str:
    """A chart's div and script; plotly.js itself is embedded once per page."""
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
