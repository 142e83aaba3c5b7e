"""Sammanfattning: the year's figures in brief, what they mean, and the sign rule.

Its sheet holds the totals and the förslag till beslut (the first sheet a reader opens)."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from budget.core.accuracy import GivenYear
from budget.core.money import kronor
from budget.report.context import Context
from budget.report.labels import budget_label
from budget.report.model import Report
from budget.report.render.xlsx import amount_format, put
from budget.report.sections.base import Section, Sheet


def build(ctx: Context) -> GivenYear | None:
    """The newest archived year, whose reported forecast the summary compares with."""
    reported = ctx.reported
    return reported.years[0] if reported is not None and reported.years else None


def write_sheet(ws: Worksheet, report: Report) -> None:
    put(ws, 1, 1, f"{report.namnd}: {report.title}", bold=True)
    t = report.total
    rows = [
        (f"Beslutad budget, netto ({report.unit})", kronor(t.decided.net)),
        (f"{budget_label(report.has_requests)}, netto ({report.unit})", kronor(t.budget.net)),
        (f"Utfall, netto ({report.unit})", kronor(t.actual.net)),
        (f"Helårsprognos, netto ({report.unit})", kronor(t.forecast.net)),
        (f"Avvikelse mot budget ({report.unit}), positiv = överskott", kronor(t.variance.net)),
    ]
    for r, (label, value) in enumerate(rows, 3):
        put(ws, r, 1, label)
        put(ws, r, 2, value, amount_format(report.unit))
    put(ws, 8, 1, "Förslag till beslut", bold=True)
    for i, point in enumerate(report.decision, 1):
        put(ws, 8 + i, 1, f"{i}. {point}")
    ws.column_dimensions["A"].width = 60
    ws.column_dimensions["B"].width = 20


SECTION: Section[GivenYear | None] = Section(
    "summary",
    build=build,
    title="Sammanfattning",
    anchor="sammanfattning",
    sheets=(Sheet("Sammanfattning", write_sheet),),
)
