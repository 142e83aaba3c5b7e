"""Per verksamhetsområde: budget, outcome, forecast and deviation per area and delområde, with
the total; costs and revenues per area. The JSON keeps every line (contract §2)."""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from budget.core.money import kronor
from budget.report.labels import METHOD_LABELS, REVIEW_LABELS
from budget.report.model import Line, Report
from budget.report.render.xlsx import amount_format, table
from budget.report.sections.base import JsonSchema, Section, Sheet


def _line(line: Line) -> dict[str, Any]:
    return {
        "area": line.area,
        "subarea": line.subarea,
        "budget": line.budget.as_kronor(),
        # The decided budget: without the changes requested in this report.
        "decided_budget": line.decided.as_kronor(),
        "actual": line.actual.as_kronor(),
        "forecast": line.forecast.as_kronor(),
        "variance": kronor(line.variance.net),
        "variance_sides": {
            "costs": kronor(line.variance.costs),
            "revenues": kronor(line.variance.revenues),
        },
        "method": line.method,
        "notes": list(line.notes),
        "comments": [{"subarea": c.subarea, "text": c.text, "by": c.by} for c in line.comments],
    }


def to_json(report: Report) -> dict[str, Any]:
    return {
        "areas": [_line(ln) for ln in report.lines],
        "total": {
            "budget": report.total.budget.as_kronor(),
            "decided_budget": report.total.decided.as_kronor(),
            "actual": report.total.actual.as_kronor(),
            "forecast": report.total.forecast.as_kronor(),
            "variance": kronor(report.total.variance.net),
        },
    }


def write_sheet(ws: Worksheet, report: Report) -> None:
    headers = [
        "Verksamhetsområde",
        "Delområde",
        f"Budget kostnader ({report.unit})",
        f"Budget intäkter ({report.unit})",
        f"Budget netto ({report.unit})",
        f"Utfall kostnader ({report.unit})",
        f"Utfall intäkter ({report.unit})",
        f"Utfall netto ({report.unit})",
        f"Prognos kostnader ({report.unit})",
        f"Prognos intäkter ({report.unit})",
        f"Prognos netto ({report.unit})",
        f"Avvikelse netto ({report.unit})",
        "Prognosmetod",
        # Without the changes requested in this report (the budget columns include them).
        f"Beslutad budget netto ({report.unit})",
    ]

    def row(ln: Line) -> list[Any]:
        return [
            ln.area,
            ln.subarea or "",
            kronor(ln.budget.costs),
            kronor(ln.budget.revenues),
            kronor(ln.budget.net),
            kronor(ln.actual.costs),
            kronor(ln.actual.revenues),
            kronor(ln.actual.net),
            kronor(ln.forecast.costs),
            kronor(ln.forecast.revenues),
            kronor(ln.forecast.net),
            kronor(ln.variance.net),
            METHOD_LABELS.get(ln.method or "", ""),
            kronor(ln.decided.net),
        ]

    rows = [row(ln) for ln in report.shown_lines(net_only=False)] + [row(report.total)]
    table(
        ws,
        headers,
        rows,
        [None, None] + [amount_format(report.unit)] * 10 + [None, amount_format(report.unit)],
        widths=[44, 30] + [18] * 10 + [18, 18],
        total=True,
    )


# Its part of the JSON Schema (budget/schemas/report.schema.json, made by
# scripts/make_schema.py): optional where older reports lack it.
SCHEMA = JsonSchema(
    properties={
        "areas": {
            "type": "array",
            "items": {
                "$ref": "#/$defs/line",
            },
        },
        "total": {
            "type": "object",
            "required": [
                "budget",
                "actual",
                "forecast",
                "variance",
            ],
            "properties": {
                "budget": {
                    "$ref": "#/$defs/sides",
                },
                "actual": {
                    "$ref": "#/$defs/sides",
                },
                "forecast": {
                    "$ref": "#/$defs/sides",
                },
                "variance": {
                    "$ref": "#/$defs/amount",
                },
            },
        },
    },
    required=("areas", "total"),
    defs={
        "line": {
            "type": "object",
            "required": [
                "area",
                "subarea",
                "budget",
                "actual",
                "forecast",
                "variance",
                "method",
            ],
            "properties": {
                "area": {
                    "allOf": [
                        {
                            "$ref": "#/$defs/text",
                        },
                        {
                            "minLength": 1,
                        },
                    ],
                },
                "subarea": {
                    "anyOf": [
                        {
                            "$ref": "#/$defs/text",
                        },
                        {
                            "type": "null",
                        },
                    ],
                },
                "budget": {
                    "$ref": "#/$defs/sides",
                },
                "actual": {
                    "$ref": "#/$defs/sides",
                },
                "forecast": {
                    "$ref": "#/$defs/sides",
                },
                "variance": {
                    "$ref": "#/$defs/amount",
                },
                "method": {
                    "type": [
                        "string",
                        "null",
                    ],
                },
            },
        },
    },
)


def context(report: Report) -> dict[str, Any]:
    return {"review_labels": REVIEW_LABELS}


SECTION: Section[None] = Section(
    "areas",
    schema=SCHEMA,
    gap=False,
    json=to_json,
    sheets=(Sheet("Ekonomi", write_sheet),),
    context=context,
)
