"""The request to kommunstyrelsen (begäran): requested budget changes as their own workbook.

One row per change requested in this report, a sum row, Swedish number formats,
frozen header and column widths; ready to attach to the tjänsteutlåtande.
Texts from the inputs are string cells, never formulas.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from budget.core import changes as ch
from budget.core import fmt
from budget.core.money import kronor
from budget.report.labels import CHANGE_COSTS, CHANGE_NET, CHANGE_REVENUES
from budget.report.model import Report
from budget.report.render.xlsx import HEADER_FILL, HEADER_FONT, KRONOR, put, to_bytes

HEADERS = [
    "Typ",
    "Verksamhetsområde",
    "Delområde",
    CHANGE_COSTS,
    CHANGE_REVENUES,
    CHANGE_NET,
    "Finansiär",
    "Diarienummer",
    "Motivering",
]
WIDTHS = [24, 40, 28, 16, 16, 16, 28, 18, 70]
FIRST_ROW = 5


def requested(report: Report) -> list[ch.Change]:
    return [c for c in report.changes if c.status == ch.REQUESTED]


def workbook(report: Report) -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Begäran"
    put(ws, 1, 1, f"Begäran om budgetförändringar till kommunstyrelsen: {report.namnd}", bold=True)
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    put(ws, 2, 1, f"{report.title}. Belopp i kronor; positivt belopp = budgeten ökar.")
    put(ws, 3, 1, f"Upprättad {report.generated_at.strftime('%Y-%m-%d')}.")
    header = FIRST_ROW - 1
    for col, h in enumerate(HEADERS, 1):
        put(ws, header, col, h)
        cell = ws.cell(row=header, column=col)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    items = requested(report)
    row = FIRST_ROW
    for item in items:
        values = [
            ch.KIND_LABELS[item.kind],
            item.area,
            item.subarea or "",
            kronor(item.costs),
            kronor(item.revenues),
            kronor(item.effect.net),
            item.financier or "",
            item.diarienummer or "",
            item.description,
        ]
        for col, value in enumerate(values, 1):
            put(ws, row, col, value, KRONOR if 4 <= col <= 6 else None)
            ws.cell(row=row, column=col).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    if not items:
        put(ws, row, 1, "Inga budgetförändringar begärs i denna rapport.")
        row += 1
    sums = [
        "Summa",
        "",
        "",
        kronor(sum(c.costs for c in items)),
        kronor(sum(c.revenues for c in items)),
        kronor(sum(c.effect.net for c in items)),
    ]
    for col, value in enumerate(sums, 1):
        put(ws, row, col, value, KRONOR if col >= 4 else None, bold=True)
    put(
        ws,
        row + 2,
        1,
        f"Omslutningsförändringar: {fmt.money_with_unit(report.requested_turnover, report.unit)}. "
        f"Budgetjusteringar, nettoeffekt: "
        f"{fmt.money_with_unit(report.requested_adjustment, report.unit, signed=True)}.",
    )
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=1)
    ws.auto_filter.ref = f"A{header}:I{max(row - 1, FIRST_ROW)}"
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.print_options.gridLines = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    return wb


def render(report: Report) -> bytes:
    return to_bytes(workbook(report), report.generated_at)
