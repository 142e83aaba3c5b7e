"""Nämndens rapporterade prognoser: earlier years' T1 and T2 forecasts, read from archived
reports, against the year's outcome (net, report signs); error = forecast − outcome, in per
cent of the budget that report gave."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from openpyxl.worksheet.worksheet import Worksheet

from budget.core.accuracy import Given, Reported
from budget.core.money import kronor
from budget.report.context import Context
from budget.report.model import Report
from budget.report.render import charts
from budget.report.render.xlsx import BOLD, amount_format, table
from budget.report.sections.base import JsonSchema, Section, Sheet


def build(ctx: Context) -> Reported | None:
    return ctx.reported


def shows(report: Report) -> bool:
    return SECTION.data(report) is not None


def to_json(report: Report) -> dict[str, Any]:
    rep = SECTION.data(report)
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


def context(report: Report) -> dict[str, Any]:
    drawn = charts.maybe(chart(report), "chart-rapporterade-prognoser")
    return {"charts": {"reported": drawn}}


# Its part of the JSON Schema (budget/schemas/report.schema.json, made by
# scripts/make_schema.py): optional where older reports lack it.
SCHEMA = JsonSchema(
    properties={
        "reported_accuracy": {
            "description": (
                "Earlier years' reported forecasts (archived T1 and T2 reports) "
                "against the year's outcome, net in report signs; error = "
                "forecast − actual, error_percent of the budget that report gave. "
                "actual is null for an area this year's structure does not have."
            ),
            "type": [
                "object",
                "null",
            ],
            "required": [
                "years",
                "not_compared",
            ],
            "properties": {
                "years": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": [
                            "year",
                            "actual_from",
                            "reports",
                            "rows",
                            "total",
                            "not_in_structure",
                        ],
                        "properties": {
                            "year": {
                                "type": "integer",
                            },
                            "actual_from": {
                                "$ref": "#/$defs/text",
                            },
                            "reports": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": [
                                        "tertial",
                                        "file",
                                    ],
                                    "properties": {
                                        "tertial": {
                                            "enum": [
                                                "T1",
                                                "T2",
                                            ],
                                        },
                                        "file": {
                                            "$ref": "#/$defs/text",
                                        },
                                    },
                                },
                            },
                            "rows": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": [
                                        "area",
                                        "tertial",
                                        "forecast",
                                        "budget",
                                        "actual",
                                        "error",
                                        "error_percent",
                                    ],
                                    "properties": {
                                        "area": {
                                            "$ref": "#/$defs/text",
                                        },
                                        "tertial": {
                                            "enum": [
                                                "T1",
                                                "T2",
                                            ],
                                        },
                                        "forecast": {
                                            "$ref": "#/$defs/amount",
                                        },
                                        "budget": {
                                            "$ref": "#/$defs/amount",
                                        },
                                        "actual": {
                                            "oneOf": [
                                                {
                                                    "$ref": "#/$defs/amount",
                                                },
                                                {
                                                    "type": "null",
                                                },
                                            ],
                                        },
                                        "error": {
                                            "oneOf": [
                                                {
                                                    "$ref": "#/$defs/amount",
                                                },
                                                {
                                                    "type": "null",
                                                },
                                            ],
                                        },
                                        "error_percent": {
                                            "type": [
                                                "number",
                                                "null",
                                            ],
                                        },
                                    },
                                },
                            },
                            "total": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": [
                                        "tertial",
                                        "forecast",
                                        "budget",
                                        "actual",
                                        "error",
                                        "error_percent",
                                    ],
                                    "properties": {
                                        "tertial": {
                                            "enum": [
                                                "T1",
                                                "T2",
                                            ],
                                        },
                                        "forecast": {
                                            "$ref": "#/$defs/amount",
                                        },
                                        "budget": {
                                            "$ref": "#/$defs/amount",
                                        },
                                        "actual": {
                                            "oneOf": [
                                                {
                                                    "$ref": "#/$defs/amount",
                                                },
                                                {
                                                    "type": "null",
                                                },
                                            ],
                                        },
                                        "error": {
                                            "oneOf": [
                                                {
                                                    "$ref": "#/$defs/amount",
                                                },
                                                {
                                                    "type": "null",
                                                },
                                            ],
                                        },
                                        "error_percent": {
                                            "type": [
                                                "number",
                                                "null",
                                            ],
                                        },
                                    },
                                },
                            },
                            "not_in_structure": {
                                "type": "array",
                                "items": {
                                    "$ref": "#/$defs/text",
                                },
                            },
                        },
                    },
                },
                "not_compared": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": [
                            "file",
                            "reason",
                        ],
                        "properties": {
                            "file": {
                                "$ref": "#/$defs/text",
                            },
                            "reason": {
                                "$ref": "#/$defs/text",
                            },
                        },
                    },
                },
            },
        },
    },
)

SECTION: Section[Reported | None] = Section(
    "reported",
    build=build,
    schema=SCHEMA,
    shows=shows,
    gap=False,
    json=to_json,
    sheets=(Sheet("Rapporterade prognoser", write_sheet),),
    context=context,
)
