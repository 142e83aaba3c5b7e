"""Volymer (contract §5): each measure's budgeted and actual volume per month, its forecast
for the year and what it costs at its price."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from budget.core.methods import VolumeRest
from budget.core.money import kronor
from budget.core.volumes import Measure
from budget.report.context import Context
from budget.report.labels import REST_LABELS
from budget.report.model import Report
from budget.report.render import charts
from budget.report.render.xlsx import table
from budget.report.sections.base import Section, Sheet


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


def to_json(report: Report) -> dict[str, Any]:
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


def context(report: Report) -> dict[str, Any]:
    return {
        "rest_labels": REST_LABELS,
        "charts": {
            "volumes": [
                charts.chart_html(charts.volume(m), f"chart-volym-{i + 1}")
                for i, m in enumerate(SECTION.data(report).measures)
            ]
        },
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
)
