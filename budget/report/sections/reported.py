"""Nämndens rapporterade prognoser: earlier years' T1 and T2 forecasts, read from archived
reports, against the year's outcome (net, report signs); error = forecast − outcome, in per
cent of the budget that report gave."""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from budget.core.accuracy import Given
from budget.core.money import kronor
from budget.report.model import Report
from budget.report.render import charts
from budget.report.render.xlsx import BOLD, amount_format, table
from budget.report.sections.base import Section, Sheet


def shows(report: Report) -> bool:
    return report.reported is not None


def to_json(report: Report) -> dict[str, Any]:
    rep = report.reported
    if rep is None:
        return {"reported_accuracy": None}

    def given(g: Given) -> dict[str, Any]:
        return {
            "tertial": g.tertial,
            "forecast": kronor(g.forecast),
            "budget": kronor(g.budget),
            "actual": None if g.actual is None else kronor(g.actual),
            "error": None if g.error is None else kronor(g.error),
            "error_percent": g.error_pct,
        }

    return {
        "reported_accuracy": {
            "years": [
                {
                    "year": y.year,
                    "actual_from": y.outcome,
                    "reports": [{"tertial": t, "file": f} for t, f in y.reports],
                    "rows": [{"area": g.area, **given(g)} for g in y.rows],
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
    rep = report.reported
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


def context(report: Report) -> dict[str, Any]:
    chart = charts.maybe(charts.reported(report), "chart-rapporterade-prognoser")
    return {"charts": {"reported": chart}}


SECTION = Section(
    "reported",
    shows=shows,
    gap=False,
    json=to_json,
    sheets=(Sheet("Rapporterade prognoser", write_sheet),),
    context=context,
)
