"""Prognosens utveckling: each area's full-year forecast in every report of the year so far
(the earlier reports' JSON in the output folder and the arkiv folders), this one last, as a
table and as a chart of how each forecast moved since the year's first report
(``core.register.history``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, NotRequired

import plotly.graph_objects as go
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import Field
from typing_extensions import TypedDict

from budget.core import fmt
from budget.core.ledger import UNMAPPED
from budget.core.money import kronor
from budget.core.register import WORSENING, HistoryPoint
from budget.report.context import Context
from budget.report.model import Report
from budget.report.render import charts
from budget.report.render.xlsx import amount_format, table
from budget.report.sections.base import Amount, Section, Sheet, Text

# Distinct line colours, in the order of the areas (no random colours: same bytes).
COLOURS = (
    "#1f3a5f",
    "#e8a33d",
    "#1a7f4b",
    "#b03a48",
    "#6a4c93",
    "#2a9d8f",
    "#8d6e63",
    "#c2185b",
    "#5c6bc0",
    "#7cb342",
    "#9aa9bd",
    "#333333",
)


@dataclass(frozen=True)
class History:
    """Each area's forecast in every report of the year so far, this one last (§8)."""

    points: tuple[HistoryPoint, ...]


def build(ctx: Context) -> History:
    return History(ctx.history)


def periods(report: Report) -> list[int]:
    """The periods of the year's reports so far, this one last."""
    return sorted({p.period for p in SECTION.data(report).points})


def series(report: Report) -> dict[str, dict[int, int]]:
    """Area -> period -> forecast net (öre), in the report's order of areas; Ej fördelat
    only where it has a forecast."""
    out: dict[str, dict[int, int]] = {}
    for p in SECTION.data(report).points:
        out.setdefault(p.area, {})[p.period] = p.forecast_net
    if UNMAPPED in out and not any(out[UNMAPPED].values()):
        del out[UNMAPPED]
    return out


def shows(report: Report) -> bool:
    return len(periods(report)) > 1


class HistoryPointJson(TypedDict):
    period: Annotated[int, Field(ge=1, le=12)]
    area: Text
    forecast_net: Amount


class HistoryJson(TypedDict):
    forecast_history: NotRequired[
        Annotated[
            list[HistoryPointJson],
            Field(
                description=(
                    "Each area's full-year forecast (net, report signs) in every "
                    "earlier report of the same nämnd and year found in the output "
                    "folder and the arkiv folders, and in this one (contract §8)."
                )
            ),
        ]
    ]


def to_json(report: Report) -> HistoryJson:
    return {
        "forecast_history": [
            {"period": p.period, "area": p.area, "forecast_net": kronor(p.forecast_net)}
            for p in SECTION.data(report).points
        ]
    }


def _label(period: int) -> str:
    return str(fmt.MONTHS[period - 1][:3])


def write_sheet(ws: Worksheet, report: Report) -> None:
    shown = periods(report)
    headers = ["Verksamhetsområde", *(f"Prognos {_label(p)} netto (kr)" for p in shown)]
    rows: list[list[Any]] = [
        [area, *(kronor(by[p]) if p in by else None for p in shown)]
        for area, by in series(report).items()
    ]
    table(
        ws,
        headers,
        rows,
        [None] + [amount_format(report.unit)] * len(shown),
        widths=[44] + [20] * len(shown),
    )


def chart(report: Report) -> go.Figure:
    """Each area's change in forecast net since the year's first report, per report."""
    u = report.unit
    fig = go.Figure()
    for i, (area, by) in enumerate(series(report).items()):
        shown = sorted(by)
        first = by[shown[0]]
        fig.add_scatter(
            x=shown,
            y=[charts.unit_value(by[p] - first, u) for p in shown],
            mode="lines+markers",
            name=area,
            line={"color": COLOURS[i % len(COLOURS)], "width": 2},
            marker={"size": 7},
            customdata=[_label(p) for p in shown],
            hovertemplate="%{customdata}: %{y:+,.1f} " + u + "<extra>" + area + "</extra>",
        )
    fig.add_hline(y=0, line_color="#333", line_width=1)
    fig.update_xaxes(
        tickmode="array",
        tickvals=list(range(1, 13)),
        ticktext=charts.MONTH_TICKS,
        range=[0.5, 12.5],
        gridcolor="#eeeeee",
    )
    fig.update_yaxes(title_text=f"{u} sedan första rapporten", gridcolor="#eeeeee")
    # The legend below the plot, one area a line: its height is given, not guessed.
    plot, legend = 300, 24 * len(fig.data)
    fig = charts.layout(fig, plot + legend + 60)
    fig.update_layout(
        legend={"orientation": "v", "yanchor": "top", "y": -0.12, "x": 0},
        margin={"l": 10, "r": 20, "t": 10, "b": legend + 40},
    )
    return fig


CHART_ID = "chart-prognosutveckling"


def figures(report: Report) -> dict[str, go.Figure]:
    return {CHART_ID: chart(report)}


def context(report: Report) -> dict[str, Any]:
    return {
        "history_review": [i for i in report.review if i.code == WORSENING],
        "history_periods": periods(report),
        "history_series": series(report),
        "history_chart": charts.chart_html(chart(report), CHART_ID),
    }


SECTION = Section(
    "history",
    build=build,
    shows=shows,
    title="Prognosens utveckling under året",
    anchor="prognosens-utveckling",
    json=to_json,
    sheets=(Sheet("Prognosutveckling", write_sheet),),
    context=context,
    figures=figures,
)

__all__ = ["SECTION", "HistoryPoint"]
