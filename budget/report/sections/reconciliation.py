"""Avstämning: the report's figures reconciled to the öre with the ledger (``core.ledger``)."""

from __future__ import annotations

from typing import Annotated, NotRequired

from openpyxl.worksheet.worksheet import Worksheet
from pydantic import Field
from typing_extensions import TypedDict

from budget.core.ledger import Reconciliation
from budget.core.money import kronor
from budget.report.context import Context
from budget.report.model import Report
from budget.report.render.xlsx import COUNT, EXACT, table
from budget.report.sections.base import Amount, Section, Sheet

Count = Annotated[int, Field(ge=0)]


def build(ctx: Context) -> Reconciliation:
    return ctx.figures.reconciliation


class ReconciliationPartJson(TypedDict):
    ledger_rows: Count
    ledger_sum: Amount
    reported_sum: Amount
    excluded_sum: Amount
    unmapped_sum: Amount
    after_period_rows: NotRequired[
        Annotated[
            Count,
            Field(
                description="Ledger rows of the report year after the period: not in "
                "the report (contract §8)."
            ),
        ]
    ]
    after_period_sum: NotRequired[
        Annotated[Amount, Field(description="Their sum, ledger signs (contract §8).")]
    ]


class ReconciliationJson(TypedDict):
    reconciliation: ReconciliationPartJson


def to_json(report: Report) -> ReconciliationJson:
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
    table(ws, ["Avstämning", "Värde"], rows, [None, EXACT], widths=[44, 20])
    for r, (label, _) in enumerate(rows, 2):  # the counts of rows are whole numbers
        if "(kr" not in str(label):
            ws.cell(row=r, column=2).number_format = COUNT


SECTION: Section[Reconciliation] = Section(
    "reconciliation",
    build=build,
    gap=False,
    json=to_json,
    sheets=(Sheet("Avstämning", write_sheet),),
)
