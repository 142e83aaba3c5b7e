"""The economy's charts: budget against forecast, the deviation, the way from budget to
forecast (waterfall) and the cumulative outcome per month, with its table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from budget.core import fmt
from budget.core.ledger import UNMAPPED
from budget.core.lines import MonthlyPath
from budget.report.context import Context
from budget.report.labels import budget_label
from budget.report.model import Report
from budget.report.render import charts
from budget.report.sections.base import Section

# The template's name of each chart and its id in the document.
IDS = {
    "budget": "chart-budget-prognos",
    "variance": "chart-avvikelse",
    "paths": "chart-manadsutfall",
    "waterfall": "chart-vattenfall",
}


@dataclass(frozen=True)
class Paths:
    """Each area's cumulative outcome per month, periodised budget and forecast."""

    paths: tuple[MonthlyPath, ...]

    def shown(self) -> list[MonthlyPath]:
        """The areas the table shows: Ej fördelat only where it has figures."""
        return [
            p
            for p in self.paths
            if p.area != UNMAPPED or any(p.actual) or any(p.budget) or p.forecast
        ]


def build(ctx: Context) -> Paths:
    return Paths(ctx.figures.paths)


def budget_vs_forecast(report: Report) -> go.Figure:
    areas = list(reversed(report.shown_areas()))
    names = [a.area for a in areas]
    u = report.unit
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=[-charts.unit_value(a.budget.net, u) for a in areas],
        orientation="h",
        name=budget_label(report.has_requests),
        marker_color=charts.BUDGET,
        hovertemplate="%{y}: %{x:,.1f} " + u + "<extra>Budget</extra>",
    )
    fig.add_bar(
        y=names,
        x=[-charts.unit_value(a.forecast.net, u) for a in areas],
        orientation="h",
        name="Helårsprognos",
        marker_color=charts.FORECAST,
        hovertemplate="%{y}: %{x:,.1f} " + u + "<extra>Prognos</extra>",
    )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text=f"Nettokostnad, {u}", gridcolor="#e5e5e5")
    fig.update_yaxes(automargin=True)
    return charts.layout(fig, 80 + 48 * len(areas))


def variance(report: Report) -> go.Figure:
    areas = list(reversed(report.shown_areas()))
    return charts.variance_bars(report, [a.area for a in areas], [a.variance.net for a in areas])


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
            y=[-charts.unit_value(v, u) for v in p.budget],
            row=r,
            col=c,
            mode="lines",
            line={"color": charts.BUDGET, "dash": "dash", "width": 2},
            name="Periodiserad budget",
            legendgroup="b",
            showlegend=first,
            customdata=charts.MONTH_TICKS,
            hovertemplate="%{customdata}: %{y:,.1f} " + u + "<extra>Budget</extra>",
        )
        fig.add_scatter(
            x=months[:period],
            y=[-charts.unit_value(v, u) for v in p.actual],
            row=r,
            col=c,
            mode="lines+markers",
            line={"color": charts.FORECAST, "width": 2.5},
            marker={"size": 5},
            name="Utfall",
            legendgroup="a",
            showlegend=first,
            customdata=charts.MONTH_TICKS[:period],
            hovertemplate="%{customdata}: %{y:,.1f} " + u + "<extra>Utfall</extra>",
        )
        if period < 12 and p.actual:
            fig.add_scatter(
                x=[period, 12],
                y=[-charts.unit_value(p.actual[-1], u), -charts.unit_value(p.forecast, u)],
                row=r,
                col=c,
                mode="lines+markers",
                line={"color": charts.FORECAST, "dash": "dot", "width": 2},
                marker={"symbol": "diamond", "size": 7},
                name="Prognos till december",
                legendgroup="f",
                showlegend=first,
                customdata=[charts.MONTH_TICKS[period - 1], charts.MONTH_TICKS[11]],
                hovertemplate="%{customdata}: %{y:,.1f} " + u + "<extra>Prognos</extra>",
            )
    fig.update_xaxes(
        tickmode="array",
        tickvals=list(range(1, 13)),
        ticktext=charts.MONTH_TICKS,
        range=[0.5, 12.5],
        gridcolor="#eeeeee",
    )
    fig.update_yaxes(gridcolor="#eeeeee", rangemode="tozero")
    fig.update_annotations(font_size=12)
    charts.layout(fig, 60 + 220 * rows)
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
    y = [0.0, *(charts.unit_value(a.variance.net, u) for a in areas), 0.0]
    measure = ["absolute", *("relative" for _ in areas), "total"]
    fig = go.Figure(
        go.Waterfall(
            x=x,
            y=y,
            measure=measure,
            orientation="v",
            increasing={"marker": {"color": charts.SURPLUS}},
            decreasing={"marker": {"color": charts.DEFICIT, "line": {"color": "#333", "width": 1}}},
            totals={"marker": {"color": charts.FORECAST}},
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
    return charts.layout(fig, 520)


def figures(report: Report) -> dict[str, go.Figure]:
    monthly = SECTION.data(report).paths
    return {
        IDS["budget"]: budget_vs_forecast(report),
        IDS["variance"]: variance(report),
        IDS["paths"]: paths(monthly, report.unit, report.period.month),
        IDS["waterfall"]: waterfall(report),
    }


def context(report: Report) -> dict[str, Any]:
    drawn = figures(report)
    return {"charts": {name: charts.chart_html(drawn[id_], id_) for name, id_ in IDS.items()}}


SECTION = Section("area_charts", build=build, context=context, figures=figures)
