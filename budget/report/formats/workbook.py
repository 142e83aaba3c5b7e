"""The report workbook: one sheet per section that has one, in the order of
``sections.WORKBOOK`` (the cells are written by ``render.xlsx``'s primitives)."""

from __future__ import annotations

from openpyxl import Workbook

from budget.report.model import Report
from budget.report.render.xlsx import to_bytes
from budget.report.sections import WORKBOOK


def workbook(report: Report) -> Workbook:
    wb = Workbook()
    first = wb.active
    assert first is not None
    for section in WORKBOOK:
        for sheet in section.sheets:
            if not section.sheet_visible(sheet, report):
                continue
            if first is not None:
                ws, first = first, None
                ws.title = sheet.title
            else:
                ws = wb.create_sheet(sheet.title)
            sheet.write(ws, report)
    return wb


def render(report: Report) -> bytes:
    return to_bytes(workbook(report), report.generated_at)
