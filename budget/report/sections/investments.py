"""Investeringar (contract §6): budget, spending to date, forecast and deviation per project,
and the projects that need a decision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, NotRequired

import plotly.graph_objects as go
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import Field
from typing_extensions import TypedDict

from budget.core.investments import Project, ProjectTotal
from budget.core.investments import total as summed
from budget.core.money import kronor
from budget.report.context import Context
from budget.report.model import Report
from budget.report.render import charts
from budget.report.render.xlsx import amount_format, table
from budget.report.sections.base import Amount, Section, Sheet, Text


@dataclass(frozen=True)
class Investments:
    """investeringar.xlsx: budget, spending and forecast per project (contract §6)."""

    projects: tuple[Project, ...]

    @property
    def total(self) -> ProjectTotal:
        return summed(self.projects)


def build(ctx: Context) -> Investments:
    return Investments(ctx.projects)


def shows(report: Report) -> bool:
    return bool(SECTION.data(report).projects)


class ProjectJson(TypedDict):
    project: Text
    name: Text
    area: NotRequired[str | None]
    budget: Amount
    spent: Amount
    spent_from_ledger: NotRequired[bool]
    forecast: Amount
    variance: Amount
    decision: NotRequired[str | None]
    comment: NotRequired[str | None]


class InvestmentTotalJson(TypedDict):
    budget: Amount
    spent: Amount
    forecast: Amount
    variance: Amount


class InvestmentsPartJson(TypedDict):
    projects: list[ProjectJson]
    total: InvestmentTotalJson


class InvestmentsJson(TypedDict):
    investments: NotRequired[
        Annotated[
            InvestmentsPartJson,
            Field(
                description=(
                    "Contract §6: per project budget, spending to date and forecast "
                    "(expenditure, positive kronor); variance = budget − forecast "
                    "(positive = less spent than budgeted)."
                )
            ),
        ]
    ]


def to_json(report: Report) -> InvestmentsJson:
    data = SECTION.data(report)
    return {
        "investments": {
            "projects": [
                {
                    "project": pr.project,
                    "name": pr.name,
                    "area": pr.area,
                    "budget": kronor(pr.budget),
                    "spent": kronor(pr.spent),
                    "spent_from_ledger": pr.spent_from_ledger,
                    "forecast": kronor(pr.forecast),
                    "variance": kronor(pr.variance),
                    "decision": pr.decision,
                    "comment": pr.comment,
                }
                for pr in data.projects
            ],
            "total": {
                "budget": kronor(data.total.budget),
                "spent": kronor(data.total.spent),
                "forecast": kronor(data.total.forecast),
                "variance": kronor(data.total.variance),
            },
        }
    }


def write_sheet(ws: Worksheet, report: Report) -> None:
    """Budget, spending and forecast per investment project (expenditure, positive)."""
    headers = [
        "Projekt",
        "Benämning",
        "Verksamhetsområde",
        f"Budget ({report.unit})",
        f"Utgifter hittills ({report.unit})",
        f"Helårsprognos ({report.unit})",
        f"Avvikelse ({report.unit})",
        "Behöver beslut",
        "Kommentar",
        "Utgifter ur huvudboken",
    ]
    data = SECTION.data(report)
    items, summed = data.projects, data.total
    rows: list[list[Any]] = [
        [
            p.project,
            p.name,
            p.area or "",
            kronor(p.budget),
            kronor(p.spent),
            kronor(p.forecast),
            kronor(p.variance),
            p.decision or "",
            p.comment or "",
            "Ja" if p.spent_from_ledger else "Nej",
        ]
        for p in items
    ]
    rows.append(
        [
            "Summa",
            "",
            "",
            kronor(summed.budget),
            kronor(summed.spent),
            kronor(summed.forecast),
            kronor(summed.variance),
            "",
            "",
            "",
        ]
    )
    formats = [None, None, None] + [amount_format(report.unit)] * 4 + [None, None, None]
    table(ws, headers, rows, formats, widths=[12, 36, 28] + [18] * 4 + [28, 40, 14], total=True)


def chart(report: Report) -> go.Figure | None:
    """Budget, spending to date and forecast per investment project (contract §6)."""
    projects = list(reversed(SECTION.data(report).projects))
    if not projects:
        return None
    u = report.unit
    names = [p.name for p in projects]
    fig = go.Figure()
    for label, values, colour in (
        ("Budget", [p.budget for p in projects], "#c8c8c8"),
        ("Utgifter hittills", [p.spent for p in projects], "#1f3a60"),
        ("Helårsprognos", [p.forecast for p in projects], "#5b8cc9"),
    ):
        fig.add_bar(
            y=names,
            x=[charts.unit_value(v, u) for v in values],
            orientation="h",
            name=label,
            marker_color=colour,
            hovertemplate="%{y}: " + label.lower() + " %{x:,.2f} " + u + "<extra></extra>",
        )
    return charts.grouped(fig, f"{u}", 120 + 60 * len(projects), signed=False)


CHART_ID = "chart-investeringar"


def figures(report: Report) -> dict[str, go.Figure]:
    drawn = chart(report)
    return {} if drawn is None else {CHART_ID: drawn}


def context(report: Report) -> dict[str, Any]:
    drawn = charts.maybe(figures(report).get(CHART_ID), CHART_ID)
    return {"charts": {"investments": drawn}}


SECTION = Section(
    "investments",
    build=build,
    shows=shows,
    title="Investeringar",
    anchor="investeringar",
    json=to_json,
    sheets=(Sheet("Investeringar", write_sheet),),
    context=context,
    figures=figures,
)
