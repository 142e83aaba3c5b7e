"""Ekonomi per anslag (contract §6): budget, outcome, forecast and deviation per anslag, shown
when the nämnd has more than one."""

from __future__ import annotations

from typing import Annotated, Any, NotRequired

import plotly.graph_objects as go
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import Field
from typing_extensions import TypedDict

from budget.core.money import kronor
from budget.report.model import Report
from budget.report.render import charts
from budget.report.render.xlsx import amount_format, table
from budget.report.sections.base import Amount, Section, Sheet, SidesJson, Text, sides


def shows(report: Report) -> bool:
    return len(report.anslag) > 1


class AnslagLineJson(TypedDict):
    name: Text
    areas: list[Text]
    budget: SidesJson
    decided_budget: NotRequired[SidesJson]
    actual: SidesJson
    forecast: SidesJson
    variance: Amount


class AnslagJson(TypedDict):
    anslag: NotRequired[
        Annotated[
            list[AnslagLineJson],
            Field(
                description=(
                    "Contract §6: the area lines summed per anslag, Nämndens "
                    "verksamhet first; every area in exactly one."
                )
            ),
        ]
    ]


def to_json(report: Report) -> AnslagJson:
    return {
        "anslag": [
            {
                "name": a.name,
                "areas": list(a.areas),
                "budget": sides(a.budget),
                "decided_budget": sides(a.budget - a.requested),
                "actual": sides(a.actual),
                "forecast": sides(a.forecast),
                "variance": kronor(a.variance.net),
            }
            for a in report.anslag
        ]
    }


def write_sheet(ws: Worksheet, report: Report) -> None:
    """One row per anslag and the total, costs, revenues and net."""
    headers = [
        "Anslag",
        "Verksamhetsområden",
        f"Budget kostnader ({report.unit})",
        f"Budget intäkter ({report.unit})",
        f"Budget netto ({report.unit})",
        f"Utfall netto ({report.unit})",
        f"Prognos kostnader ({report.unit})",
        f"Prognos intäkter ({report.unit})",
        f"Prognos netto ({report.unit})",
        f"Avvikelse netto ({report.unit})",
    ]
    t = report.total
    rows = [
        [
            a.name,
            ", ".join(a.areas),
            kronor(a.budget.costs),
            kronor(a.budget.revenues),
            kronor(a.budget.net),
            kronor(a.actual.net),
            kronor(a.forecast.costs),
            kronor(a.forecast.revenues),
            kronor(a.forecast.net),
            kronor(a.variance.net),
        ]
        for a in report.anslag
    ]
    rows.append(
        [
            "Totalt",
            "",
            kronor(t.budget.costs),
            kronor(t.budget.revenues),
            kronor(t.budget.net),
            kronor(t.actual.net),
            kronor(t.forecast.costs),
            kronor(t.forecast.revenues),
            kronor(t.forecast.net),
            kronor(t.variance.net),
        ]
    )
    table(
        ws,
        headers,
        rows,
        [None, None] + [amount_format(report.unit)] * 8,
        widths=[28, 50] + [18] * 8,
        total=True,
    )


def chart(report: Report) -> go.Figure | None:
    """The deviation per anslag, when the nämnd has more than one (contract §6)."""
    if len(report.anslag) < 2:
        return None
    held = list(reversed(report.anslag))
    return charts.variance_bars(report, [a.name for a in held], [a.variance.net for a in held])


CHART_ID = "chart-anslag"


def figures(report: Report) -> dict[str, go.Figure]:
    drawn = chart(report)
    return {} if drawn is None else {CHART_ID: drawn}


def context(report: Report) -> dict[str, Any]:
    return {"charts": {"anslag": charts.maybe(figures(report).get(CHART_ID), CHART_ID)}}


SECTION: Section[None] = Section(
    "anslag",
    shows=shows,
    gap=False,
    json=to_json,
    sheets=(Sheet("Anslag", write_sheet),),
    context=context,
    figures=figures,
)
