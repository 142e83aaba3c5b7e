"""Resultatenheter och resultatöverföring (contract §6): each resultatenhet's budget, forecast
and result, and what carries over within the cap."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Annotated, Any, NotRequired

import plotly.graph_objects as go
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import Field
from typing_extensions import TypedDict

from budget.core.money import kronor
from budget.core.transfer import ResultUnit, UnitTotal
from budget.core.transfer import total as summed
from budget.report.context import Context
from budget.report.labels import METHOD_LABELS
from budget.report.model import Report
from budget.report.render import charts
from budget.report.render.xlsx import amount_format, table
from budget.report.sections.base import Amount, Section, Sheet, SidesJson, Text, sides


@dataclass(frozen=True)
class Transfer:
    """The resultatenheter (contract §6) and the cap on what their results carry over."""

    units: tuple[ResultUnit, ...]
    cap: Fraction | None

    @property
    def total(self) -> UnitTotal:
        return summed(self.units)


def build(ctx: Context) -> Transfer:
    return Transfer(ctx.figures.result_units, ctx.settings.transfer_cap)


def shows(report: Report) -> bool:
    return bool(SECTION.data(report).units)


class ResultUnitJson(TypedDict):
    ansvar: Text
    name: str | None
    budget: NotRequired[SidesJson]
    forecast: NotRequired[SidesJson]
    budget_net: Amount
    forecast_net: Amount
    forecast_basis: NotRequired[Text]
    result: Amount
    cap: Amount | None
    transfer: Amount
    to_namnd: NotRequired[Amount]


class ResultTransferJson(TypedDict):
    cap_share: Annotated[float | None, Field(ge=0, le=1)]
    total_result: NotRequired[Amount]
    total_transfer: Amount
    total_to_namnd: NotRequired[Amount]
    units: list[ResultUnitJson]


class TransferJson(TypedDict):
    result_transfer: NotRequired[
        Annotated[
            ResultTransferJson,
            Field(
                description=(
                    "Contract §6: each resultatenhet's result (forecast net − budget "
                    "net, + = överskott) and what carries over: the result within ± "
                    "cap_share × its gross cost budget."
                )
            ),
        ]
    ]


def to_json(report: Report) -> TransferJson:
    data = SECTION.data(report)
    return {
        "result_transfer": {
            "cap_share": None if data.cap is None else float(data.cap),
            "total_result": kronor(data.total.result),
            "total_transfer": kronor(data.total.transfer),
            "total_to_namnd": kronor(data.total.to_namnd),
            "units": [
                {
                    "ansvar": u.ansvar,
                    "name": u.name,
                    "budget": sides(u.budget),
                    "forecast": sides(u.forecast),
                    "budget_net": kronor(u.budget.net),
                    "forecast_net": kronor(u.forecast.net),
                    "forecast_basis": u.basis,
                    "result": kronor(u.result),
                    "cap": None if u.cap is None else kronor(u.cap),
                    "transfer": kronor(u.transfer),
                    "to_namnd": kronor(u.to_namnd),
                }
                for u in data.units
            ],
        }
    }


def write_sheet(ws: Worksheet, report: Report) -> None:
    """The resultatenheter: budget, forecast, result, cap and what carries over."""
    headers = [
        "Ansvar",
        "Enhet",
        f"Budget kostnader ({report.unit})",
        f"Budget netto ({report.unit})",
        f"Prognos netto ({report.unit})",
        f"Resultat ({report.unit})",
        f"Tak ± ({report.unit})",
        f"Förs över ({report.unit})",
        f"Stannar hos nämnden ({report.unit})",
        "Prognos enligt",
    ]
    data = SECTION.data(report)
    units, total = data.units, data.total
    rows: list[list[Any]] = [
        [
            ru.ansvar,
            ru.name or "",
            kronor(ru.budget.costs),
            kronor(ru.budget.net),
            kronor(ru.forecast.net),
            kronor(ru.result),
            None if ru.cap is None else kronor(ru.cap),
            kronor(ru.transfer),
            kronor(ru.to_namnd),
            METHOD_LABELS.get(ru.basis, ru.basis),
        ]
        for ru in units
    ]
    rows.append(
        [
            "Summa",
            "",
            kronor(total.budget.costs),
            kronor(total.budget.net),
            kronor(total.forecast.net),
            kronor(total.result),
            None,
            kronor(total.transfer),
            kronor(total.to_namnd),
            "",
        ]
    )
    table(
        ws,
        headers,
        rows,
        [None, None] + [amount_format(report.unit)] * 7 + [None],
        widths=[12, 36] + [18] * 7 + [20],
        total=True,
    )


def chart(report: Report) -> go.Figure | None:
    """Each resultatenhet's result beside what carries over (contract §6)."""
    units = list(reversed(SECTION.data(report).units))
    if not units:
        return None
    u = report.unit
    names = [ru.name or ru.ansvar for ru in units]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=[charts.unit_value(ru.result, u) for ru in units],
        orientation="h",
        name="Resultat",
        marker_color="#9e9e9e",
        hovertemplate="%{y}: resultat %{x:+,.2f} " + u + "<extra></extra>",
    )
    moved = [charts.unit_value(ru.transfer, u) for ru in units]
    fig.add_bar(
        y=names,
        x=moved,
        orientation="h",
        name="Förs över",
        marker_color=[charts.SURPLUS if v >= 0 else charts.DEFICIT for v in moved],
        marker_line_color="#333",
        marker_line_width=[0 if v >= 0 else 1 for v in moved],
        hovertemplate="%{y}: förs över %{x:+,.2f} " + u + "<extra></extra>",
    )
    return charts.grouped(fig, f"{u} (+ = överskott)", 120 + 48 * len(units), signed=True)


CHART_ID = "chart-resultatoverforing"


def figures(report: Report) -> dict[str, go.Figure]:
    drawn = chart(report)
    return {} if drawn is None else {CHART_ID: drawn}


def context(report: Report) -> dict[str, Any]:
    drawn = charts.maybe(figures(report).get(CHART_ID), CHART_ID)
    return {"charts": {"transfer": drawn}}


SECTION = Section(
    "transfer",
    build=build,
    shows=shows,
    json=to_json,
    sheets=(Sheet("Resultatöverföring", write_sheet),),
    context=context,
    figures=figures,
)
