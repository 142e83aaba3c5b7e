"""Avstämning: the report's figures reconciled to the öre with the ledger (``core.ledger``)."""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from budget.core.ledger import Reconciliation
from budget.core.money import kronor
from budget.report.context import Context
from budget.report.model import Report
from budget.report.render.xlsx import KRONOR, table
from budget.report.sections.base import JsonSchema, Section, Sheet


def build(ctx: Context) -> Reconciliation:
    return ctx.figures.reconciliation


def to_json(report: Report) -> dict[str, Any]:
    rec = SECTION.data(report)
    return {
        "reconciliation": {
            "ledger_rows": rec.ledger_rows,
            "ledger_sum": kronor(rec.ledger_sum),
            "reported_sum": kronor(rec.reported_sum),
            "excluded_sum": kronor(rec.excluded_sum),
            "unmapped_sum": kronor(rec.unmapped_sum),
            "after_period_rows": rec.after_period_rows,
            "after_period_sum": kronor(rec.after_period_sum),
        }
    }


def write_sheet(ws: Worksheet, report: Report) -> None:
    rec = SECTION.data(report)
    rows = [
        ["Huvudboksrader t.o.m. perioden", rec.ledger_rows],
        ["Summa huvudbok (kr, bokföringstecken)", kronor(rec.ledger_sum)],
        ["Redovisat i rapporten (kr)", kronor(rec.reported_sum)],
        ["Exkluderat, kontoklass 1, 2, 8 (kr)", kronor(rec.excluded_sum)],
        ["Varav Ej fördelat (kr)", kronor(rec.unmapped_sum)],
        ["Huvudboksrader efter perioden, ingår inte", rec.after_period_rows],
        ["Summa efter perioden, ingår inte (kr)", kronor(rec.after_period_sum)],
    ]
    table(ws, ["Avstämning", "Värde"], rows, [None, KRONOR], widths=[44, 20])


# Its part of the JSON Schema (budget/schemas/report.schema.json, made by
# scripts/make_schema.py): optional where older reports lack it.
SCHEMA = JsonSchema(
    properties={
        "reconciliation": {
            "type": "object",
            "required": [
                "ledger_rows",
                "ledger_sum",
                "reported_sum",
                "excluded_sum",
                "unmapped_sum",
            ],
            "properties": {
                "ledger_rows": {
                    "type": "integer",
                    "minimum": 0,
                },
                "ledger_sum": {
                    "$ref": "#/$defs/amount",
                },
                "reported_sum": {
                    "$ref": "#/$defs/amount",
                },
                "excluded_sum": {
                    "$ref": "#/$defs/amount",
                },
                "unmapped_sum": {
                    "$ref": "#/$defs/amount",
                },
                "after_period_rows": {
                    "description": "Ledger rows of the report year after the period: not in "
                    "the report (contract §8).",
                    "type": "integer",
                    "minimum": 0,
                },
                "after_period_sum": {
                    "description": "Their sum, ledger signs (contract §8).",
                    "$ref": "#/$defs/amount",
                },
            },
        },
    },
    required=("reconciliation",),
)

SECTION: Section[Reconciliation] = Section(
    "reconciliation",
    build=build,
    schema=SCHEMA,
    gap=False,
    json=to_json,
    sheets=(Sheet("Avstämning", write_sheet),),
)
