"""The request to kommunstyrelsen (begäran): requested budget changes as their own workbook.

One row per change requested in this report, a sum row, Swedish number formats,
frozen header and column widths; ready to attach to the tjänsteutlåtande.
Texts from the inputs are string cells, never formulas.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

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


def _investments(ws: Worksheet, report: Report, row: int) -> None:
    """The investment projects that need the nämnd's decision (contract §6): the same
    points as the förslag till beslut."""
    points = report.investment_decisions
    if points:
        put(ws, row, 1, "Investeringar som behöver beslut", bold=True)
        for i, text in enumerate(points, 1):
            put(ws, row + i, 1, text)


def workbook(report: Report) -> Workbook:
    """The begäran; with more than one anslag each change names its anslag, and the sum
    is given per anslag too (kommunstyrelsen decides per anslag)."""
    by_anslag = len(report.anslag) > 1
    anslag_of = {area: a.name for a in report.anslag for area in a.areas}
    headers = [HEADERS[0], "Anslag", *HEADERS[1:]] if by_anslag else HEADERS
    widths = [WIDTHS[0], 26, *WIDTHS[1:]] if by_anslag else WIDTHS
    money = range(4 + by_anslag, 7 + by_anslag)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Begäran"
    put(ws, 1, 1, f"Begäran om budgetförändringar till kommunstyrelsen: {report.namnd}", bold=True)
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    put(ws, 2, 1, f"{report.title}. Belopp i kronor; positivt belopp = budgeten ökar.")
    put(
        ws,
        3,
        1,
        f"Upprättad {report.date.isoformat()}."
        if report.date
        else "Datum: ange datum i namnd.toml.",
    )
    header = FIRST_ROW - 1
    for col, h in enumerate(headers, 1):
        put(ws, header, col, h)
        cell = ws.cell(row=header, column=col)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    items = requested(report)
    row = FIRST_ROW
    for item in items:
        values: list[object] = [
            ch.KIND_LABELS[item.kind],
            *([anslag_of.get(item.area, "")] if by_anslag else []),
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
            put(ws, row, col, value, KRONOR if col in money else None)
            ws.cell(row=row, column=col).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    if not items:
        put(ws, row, 1, "Inga budgetförändringar begärs i denna rapport.")
        row += 1
    groups = [("Summa", items)]
    if by_anslag:
        groups += [
            (f"varav {a.name}", held)
            for a in report.anslag
            if (held := [c for c in items if anslag_of.get(c.area) == a.name])
        ]
    for label, group in groups:
        sums: list[object] = [
            label,
            *([""] if by_anslag else []),
            "",
            "",
            kronor(sum(c.costs for c in group)),
            kronor(sum(c.revenues for c in group)),
            kronor(sum(c.effect.net for c in group)),
        ]
        for col, value in enumerate(sums, 1):
            put(ws, row, col, value, KRONOR if col in money else None, bold=label == "Summa")
        row += 1
    row -= 1
    put(
        ws,
        row + 2,
        1,
        f"Omslutningsförändringar: {fmt.money_with_unit(report.requested_turnover, report.unit)}. "
        f"Budgetjusteringar, nettoeffekt: "
        f"{fmt.money_with_unit(report.requested_adjustment, report.unit, signed=True)}.",
    )
    _investments(ws, report, _pending(ws, report, row + 4))
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=1)
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A{header}:{last}{max(row - len(groups), FIRST_ROW)}"
    for i, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    ws.print_options.gridLines = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    return wb


def _pending(ws: Worksheet, report: Report, row: int) -> int:
    """The changes asked for in an earlier report and not yet granted, from ``row``: named
    so that kommunstyrelsen sees them, never asked for again (contract §8). The first free
    row after them (one left empty)."""
    pending = report.pending_changes()
    if not pending:
        return row
    put(
        ws,
        row,
        1,
        "Väntande: begärda i en tidigare rapport och ännu inte beviljade. De ingår inte i "
        "denna begäran.",
        bold=True,
    )
    for i, item in enumerate(pending, row + 1):
        put(ws, i, 1, ch.KIND_LABELS[item.kind])
        put(ws, i, 2, item.area)
        put(ws, i, 3, kronor(item.costs), KRONOR)
        put(ws, i, 4, kronor(item.revenues), KRONOR)
        put(ws, i, 5, ch.STATUS_LABELS[item.status])
        put(ws, i, 6, item.diarienummer or "")
        put(ws, i, 7, item.description)
    return row + len(pending) + 2


def render(report: Report) -> bytes:
    return to_bytes(workbook(report), report.generated_at)
