"""A unit's prognosunderlag workbook (contract §4): prefilled, locked, with input cells.

The sheet ``Prognos`` has one header row and one row per verksamhet. Only the input cells
(the unit's full-year forecast, comment and åtgärder) are unlocked, and the amounts are
validated as numbers of 0 or more. A hidden sheet identifies the nämnd, year, period and
ansvar and fingerprints the prefilled cells, so that ``samla`` can tell a changed prefilled
cell or a workbook for another unit or period.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from budget.core.collection import COLUMNS, IDENTITY_SHEET, PREFILLED, SHEET, UnitLine
from budget.core.money import Sides, kronor
from budget.report.render import cells
from budget.report.render.xlsx import HEADER_FILL, HEADER_FONT, KRONOR, to_bytes

WIDTHS = (9, 11, 26, 13, 13, 13, 13, 13, 13, 13, 13, 14, 14, 32, 32)
INPUT_FILL = PatternFill("solid", fgColor="FFF7D6")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
INSTRUCTION_WIDTH = 80  # column A of Instruktioner: narrower than a landscape A4 page,
# because a program splits pages between columns and clips a column wider than the page
INSTRUCTION_CHARS = 84  # what fits on one line of it (seen in LibreOffice's print)


@dataclass(frozen=True)
class Identity:
    """Whose workbook this is: written to the hidden sheet and checked by ``samla``."""

    namnd: str
    year: int
    period: int
    suffix: str  # T1, T2, P05, …
    ansvar: str
    unit: str | None
    manager: str | None = None


def _positive(sides: Sides | None) -> tuple[float | None, float | None]:
    """Costs and revenues as the units enter them: positive kronor."""
    if sides is None:
        return None, None
    return kronor(-sides.costs), kronor(sides.revenues)


def _given(sides: tuple[int | None, int | None]) -> tuple[float | None, float | None]:
    """A forecast whose sides may be missing, as positive kronor."""
    costs, revenues = sides
    return (
        None if costs is None else kronor(-costs),
        None if revenues is None else kronor(revenues),
    )


def prefilled_rows(lines: list[UnitLine]) -> list[list[Any]]:
    """The locked part of each row, as written to the sheet."""
    rows = []
    for ln in lines:
        area = ln.area if ln.subarea is None else f"{ln.area} › {ln.subarea}"
        rows.append(
            [
                ln.ansvar,
                ln.verksamhet,
                area,
                *_positive(ln.budget),
                *_positive(ln.actual),
                *_given(ln.previous),
                *_positive(ln.suggestion),
            ]
        )
    return rows


def canonical(value: Any) -> Any:
    """A prefilled cell as fingerprinted: numbers as öre-precise text, so that a
    spreadsheet program that saves 0.0 as 0 changes nothing."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{float(value):.2f}"
    return value


def fingerprint(identity: Identity, rows: list[list[Any]]) -> str:
    """SHA-256 of the identity and the prefilled cells, in a canonical text form."""
    cells = [[canonical(v) for v in row] for row in rows]
    text = json.dumps(
        [identity.namnd, identity.year, identity.period, identity.ansvar, cells],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def render(identity: Identity, lines: list[UnitLine], title: str, generated_at: datetime) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    rows = prefilled_rows(lines)
    _prognos(ws, rows, identity, title)
    _instructions(wb.create_sheet("Instruktioner"), identity, title)
    hidden = wb.create_sheet(IDENTITY_SHEET)
    for r, (key, value) in enumerate(
        [
            ("Nämnd", identity.namnd),
            ("År", identity.year),
            ("Period", identity.period),
            ("Rapport", identity.suffix),
            ("Ansvar", identity.ansvar),
            ("Enhet", identity.unit or ""),
            ("Fingeravtryck", fingerprint(identity, rows)),
        ],
        1,
    ):
        cells.put_row(hidden, r, (key, value))
    hidden.sheet_state = "hidden"
    hidden.protection.sheet = True
    return to_bytes(wb, generated_at)


def _prognos(ws: Any, rows: list[list[Any]], identity: Identity, title: str) -> None:
    for c, (name, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True), 1):
        cell = cells.put(ws, 1, c, name)
        cell.font = HEADER_FONT if c <= PREFILLED else Font(bold=True)
        cell.fill = HEADER_FILL if c <= PREFILLED else INPUT_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        ws.column_dimensions[cell.column_letter].width = width
    ws.row_dimensions[1].height = 48  # room for the wrapped headers
    amounts = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Ange ett belopp",
        error="Ange helårsprognosen i kronor som ett positivt tal, t.ex. 1250000.",
        promptTitle="Helårsprognos",
        prompt="Hela årets belopp i kronor, positivt tal. Tom cell = ingen prognos.",
        showInputMessage=True,
    )
    ws.add_data_validation(amounts)
    for r, row in enumerate(rows, 2):
        for c, value in enumerate(row, 1):
            cell = cells.put(ws, r, c, value)  # codes stay text: 0412 is not 412
            if isinstance(value, str):
                cell.alignment = WRAP  # a long area name wraps in its column
            elif c > 3:
                cell.number_format = KRONOR
                cell.alignment = TOP  # level with the wrapped area name
        for c in range(PREFILLED + 1, len(COLUMNS) + 1):
            cell = ws.cell(row=r, column=c)
            cell.protection = Protection(locked=False)
            cell.fill = INPUT_FILL
            if c <= PREFILLED + 2:
                cell.number_format = KRONOR
                cell.alignment = TOP
            else:
                cell.alignment = WRAP
        ws.row_dimensions[r].height = 45  # room to write a comment
    if rows:
        amounts.add(f"L2:M{len(rows) + 1}")
    ws.freeze_panes = "D2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # the unit may widen a column
    ws.protection.formatRows = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"
    unit = f"{identity.ansvar} {identity.unit}" if identity.unit else identity.ansvar
    ws.oddHeader.center.text = cells.page_text(
        f"{identity.namnd} · Prognosunderlag {title} · {unit}"
    )
    ws.oddFooter.center.text = "Sida &P av &N"


def _instructions(ws: Any, identity: Identity, title: str) -> None:
    unit = f"{identity.ansvar} {identity.unit}" if identity.unit else identity.ansvar
    text = [
        f"Prognosunderlag {title}: {unit}",
        f"Ansvarig chef: {identity.manager}" if identity.manager else "",
        f"{identity.namnd} samlar in enheternas helårsprognos inför {title.lower()}.",
        "",
        "Så här fyller du i bladet Prognos:",
        "1. Varje rad är en verksamhet som enheten har budget eller utfall för.",
        "2. Skriv hela årets prognos i kronor i Prognos kostnader och Prognos intäkter, "
        "som positiva tal.",
        "3. Förslag kostnader och Förslag intäkter är verktygets prognos för raden; skriv "
        "in den om du delar bedömningen, annars din egen.",
        "4. Lämnar du en prognoscell tom räknas raden med verktygets prognos i rapporten.",
        "   Föregående prognos är enhetens egen prognos från förra insamlingen (tom om "
        "enheten inte lämnade någon).",
        "5. Skriv i Kommentar vad prognosen bygger på. Prognostiserar du ett underskott, "
        "skriv i Åtgärder vad enheten gör för att nå en budget i balans.",
        "6. Ändra inte de förifyllda cellerna, rader eller bladens namn: de är låsta och "
        "kontrolleras när underlaget samlas in.",
        "7. Spara som Excel-arbetsbok (.xlsx) och skicka tillbaka filen. Filnamnet får ändras.",
        "",
        "Belopp i kronor. Utfall avser januari till och med periodens sista månad. Budget "
        "är enhetens årsbudget enligt budgetfilen; budgetförändringar under året som "
        "nämnden har beslutat per område ingår inte.",
    ]
    ws.column_dimensions["A"].width = INSTRUCTION_WIDTH
    for r, line in enumerate(text, 1):
        cell = cells.put(ws, r, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if r == 1:
            cell.font = Font(bold=True, size=14)
            ws.row_dimensions[r].height = 20 * max(1, -(-len(line) // (INSTRUCTION_CHARS * 2 // 3)))
        else:
            # A spreadsheet program does not always grow a row for wrapped text (LibreOffice
            # printed a wrapped line over the next): each row is as tall as its lines.
            ws.row_dimensions[r].height = 15 * max(1, -(-len(line) // INSTRUCTION_CHARS))
    ws.page_setup.orientation = "landscape"  # as the sheet Prognos
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.protection.sheet = True
