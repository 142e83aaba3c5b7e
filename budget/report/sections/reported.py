"""Nämndens rapporterade prognoser: earlier years' T1 and T2 forecasts, read from archived
reports, against the year's outcome (net, report signs); error = forecast − outcome, in per
cent of the budget that report gave."""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired

import plotly.graph_objects as go
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import Field
from typing_extensions import TypedDict

from budget.core.accuracy import Given, Reported
from budget.core.money import kronor
from budget.core.period import Tertial
from budget.report.context import Context
from budget.report.model import Report
from budget.report.render import charts
from budget.report.render.xlsx import BOLD, amount_format, table
from budget.report.sections.base import Amount, Section, Sheet, Text, member


def build(ctx: Context) -> Reported | None:
    return ctx.reported


def shows(report: Report) -> bool:
    return SECTION.data(report) is not None


# An earlier year's tertial reports: T1 and T2.
ReportedTertial = Literal[Tertial.T1, Tertial.T2]
REPORTED: tuple[ReportedTertial, ...] = (Tertial.T1, Tertial.T2)


class ComparedJson(TypedDict):
    tertial: ReportedTertial
    file: Text


class GivenJson(TypedDict):
    tertial: ReportedTertial
    forecast: Amount
    budget: Amount
    actual: Amount | None
    error: Amount | None
    error_percent: float | None


class GivenAreaJson(GivenJson):
    area: Text


class GivenYearJson(TypedDict):
    year: int
    actual_from: Text
    reports: list[ComparedJson]
    rows: list[GivenAreaJson]
    total: list[GivenJson]
    not_in_structure: list[Text]


class NotComparedJson(TypedDict):
    file: Text
    reason: Text


class ReportedAccuracyJson(TypedDict):
    years: list[GivenYearJson]
    not_compared: list[NotComparedJson]


class ReportedJson(TypedDict):
    reported_accuracy: NotRequired[
        Annotated[
            ReportedAccuracyJson | None,
            Field(
                description=(
                    "Earlier years' reported forecasts (archived T1 and T2 reports) "
                    "against the year's outcome, net in report signs; error = "
                    "forecast − actual, error_percent of the budget that report gave. "
                    "actual is null for an area this year's structure does not have."
                )
            ),
        ]
    ]


def to_json(report: Report) -> ReportedJson:
    rep = SECTION.data(report)
    if rep is None:
        return {"reported_accuracy": None}

    def given(g: Given) -> GivenJson:
        return {
            "tertial": member(g.tertial, REPORTED),
            "forecast": kronor(g.forecast),
            "budget": kronor(g.budget),
            "actual": None if g.actual is None else kronor(g.actual),
            "error": None if g.error is None else kronor(g.error),
            "error_percent": g.error_pct,
        }

    def given_area(g: Given) -> GivenAreaJson:
        assert g.area is not None  # an area's row; the nämnd's are the totals
        return {"area": g.area, **given(g)}

    return {
        "reported_accuracy": {
            "years": [
                {
                    "year": y.year,
                    "actual_from": y.outcome,
                    "reports": [{"tertial": member(t, REPORTED), "file": f} for t, f in y.reports],
                    "rows": [given_area(g) for g in y.rows],
                    "total": [given(g) for g in y.totals],
                    "not_in_structure": list(y.unmatched),
                }
                for y in rep.years
            ],
            "not_compared": [{"file": f, "reason": why} for f, why in rep.not_compared],
        }
    }


def write_sheet(ws: Worksheet, report: Report) -> None:
    """One row per year, tertial and area (and the nämnd in all), so that a filter picks a
    year or an area."""
    rep = SECTION.data(report)
    assert rep is not None
    headers = [
        "År",
        "Tertial",
        "Verksamhetsområde",
        f"Prognos netto ({report.unit})",
        f"Budget netto i rapporten ({report.unit})",
        f"Utfall netto ({report.unit})",
        f"Fel ({report.unit})",
        "Fel i % av budget",
        "Rapport",
        "Utfallet från",
    ]
    rows: list[list[Any]] = []
    for y in rep.years:
        files = dict(y.reports)
        for tertial in y.tertials:
            given = [g for g in y.rows if g.tertial == tertial]
            total_row = y.total(tertial)
            assert total_row is not None
            for g in [*given, total_row]:
                rows.append(
                    [
                        y.year,
                        tertial,
                        g.area or "Nämnden totalt",
                        kronor(g.forecast),
                        kronor(g.budget),
                        None if g.actual is None else kronor(g.actual),
                        None if g.error is None else kronor(g.error),
                        g.error_pct,
                        files[tertial],
                        y.outcome,
                    ]
                )
    rows += [
        [None, None, None, None, None, None, None, None, f, f"jämförs inte: {why}"]
        for f, why in rep.not_compared
    ]
    table(
        ws,
        headers,
        rows,
        [
            None,
            None,
            None,
            amount_format(report.unit),
            amount_format(report.unit),
            amount_format(report.unit),
            amount_format(report.unit),
            "0.0",
            None,
            None,
        ],
        widths=[8, 8, 44, 20, 20, 20, 16, 12, 36, 40],
    )
    for r, row in enumerate(rows, 2):
        if row[2] == "Nämnden totalt":
            for c in range(1, len(headers) + 1):
                ws.cell(row=r, column=c).font = BOLD


def chart(report: Report) -> go.Figure | None:
    """The newest archived year's reported forecasts: error per area at T1 and T2."""
    rep = SECTION.data(report)
    if rep is None or not rep.years:
        return None
    year = rep.years[0]
    u = report.unit
    names = ["Nämnden totalt", *(a for a in year.areas if a not in year.unmatched)]
    fig = go.Figure()
    # Plotly draws a group's first trace lowest: T2 first puts T1 on top, as in the table.
    for tertial in reversed(year.tertials):
        errors = [year.total(tertial)] + [year.row(a, tertial) for a in names[1:]]
        values = [
            None if g is None or g.error is None else charts.unit_value(g.error, u) for g in errors
        ]
        fig.add_bar(
            y=list(reversed(names)),
            x=list(reversed(values)),
            orientation="h",
            name=f"Fel {tertial}",
            marker_color="#9bb5d6" if tertial == "T1" else "#1f3a60",
            hovertemplate="%{y}: fel " + tertial + " %{x:+,.2f} " + u + "<extra></extra>",
        )
    title = f"prognos − utfall, {u} (+ = bättre än utfallet)"
    return charts.grouped(fig, title, 120 + 40 * len(names), signed=True)


CHART_ID = "chart-rapporterade-prognoser"


def figures(report: Report) -> dict[str, go.Figure]:
    drawn = chart(report)
    return {} if drawn is None else {CHART_ID: drawn}


def context(report: Report) -> dict[str, Any]:
    drawn = charts.maybe(figures(report).get(CHART_ID), CHART_ID)
    return {"charts": {"reported": drawn}}


SECTION: Section[Reported | None] = Section(
    "reported",
    build=build,
    shows=shows,
    gap=False,
    json=to_json,
    sheets=(Sheet("Rapporterade prognoser", write_sheet),),
    context=context,
    figures=figures,
)
