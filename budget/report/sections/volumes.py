"""Volymer (contract §5): each measure's budgeted and actual volume per month, its forecast
for the year and what it costs at its price."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NotRequired

import plotly.graph_objects as go
from openpyxl.worksheet.worksheet import Worksheet
from typing_extensions import TypedDict

from budget.core.methods import VolumeRest
from budget.core.money import kronor
from budget.core.volumes import Measure
from budget.report.context import Context
from budget.report.labels import REST_LABELS
from budget.report.model import Report
from budget.report.render import charts
from budget.report.render.xlsx import table
from budget.report.sections.base import Amount, Section, Sheet, Text


@dataclass(frozen=True)
class Volumes:
    """Each measure's volumes by month and its forecast, and how the rest of the year's
    volume is forecast (``[volym] rest``)."""

    measures: tuple[Measure, ...]
    rest: VolumeRest


def build(ctx: Context) -> Volumes:
    return Volumes(ctx.figures.volumes, ctx.settings.volume_rest)


def shows(report: Report) -> bool:
    return bool(SECTION.data(report).measures)


class MeasureJson(TypedDict):
    area: Text
    subarea: Text | None
    measure: Text
    # Per month, January to December; null: no volume (budget) or no outcome yet.
    budget: list[float | None]
    actual: list[float | None]
    price: float
    forecast_volume: float
    forecast_cost: Amount
    rest: VolumeRest


class VolumesJson(TypedDict):
    # The volume method's measures (contract §9).
    volumes: NotRequired[list[MeasureJson]]


def to_json(report: Report) -> VolumesJson:
    return {
        "volumes": [
            {
                "area": m.area,
                "subarea": m.subarea,
                "measure": m.measure,
                "budget": list(m.budget),
                "actual": list(m.actual),
                "price": m.price,
                "forecast_volume": round(float(m.forecast_volume), 2),
                "forecast_cost": kronor(m.forecast_cost),
                "rest": m.rest,
            }
            for m in SECTION.data(report).measures
        ]
    }


def write_sheet(ws: Worksheet, report: Report) -> None:
    headers = [
        "Verksamhetsområde",
        "Delområde",
        "Mått",
        "Månad",
        "Budgeterad volym",
        "Utfall volym",
        "Pris (kr)",
    ]
    rows: list[list[Any]] = []
    for m in SECTION.data(report).measures:
        for month in range(12):
            rows.append(
                [
                    m.area,
                    m.subarea or "",
                    m.measure,
                    month + 1,
                    m.budget[month],
                    m.actual[month],
                    m.price,
                ]
            )
    table(
        ws,
        headers,
        rows,
        [None, None, None, "0", "#,##0.0", "#,##0.0", "#,##0"],
        widths=[30, 30, 22, 8, 18, 14, 12],
    )


def chart(m: Measure) -> go.Figure:
    """One measure: budgeted and actual volume per month."""
    # Months as numbers with named ticks and half a month of room on each side: a
    # category axis ends at its last label and cut "dec" to "d" at the edge.
    months = list(range(1, 13))
    fig = go.Figure()
    charts.volume_lines(fig, m.budget, m.actual, m.period, "Utfall")
    fig.update_xaxes(
        tickmode="array", tickvals=months, ticktext=charts.MONTH_TICKS, range=[0.5, 12.5]
    )
    # From zero: a few per cent of change must not look like a doubling.
    fig.update_yaxes(
        title_text=m.measure, gridcolor="#e5e5e5", rangemode="tozero", tickformat=",.0f"
    )
    return charts.layout(fig, 300)


def figures(report: Report) -> dict[str, go.Figure]:
    return {f"chart-volym-{i + 1}": chart(m) for i, m in enumerate(SECTION.data(report).measures)}


def context(report: Report) -> dict[str, Any]:
    return {
        "rest_labels": REST_LABELS,
        "charts": {"volumes": [charts.chart_html(f, id_) for id_, f in figures(report).items()]},
    }


SECTION = Section(
    "volumes",
    build=build,
    shows=shows,
    title="Volymer",
    anchor="volymer",
    json=to_json,
    sheets=(Sheet("Volymer", write_sheet),),
    context=context,
    figures=figures,
)
