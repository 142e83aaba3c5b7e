"""The empty workbooks of a new inputs folder (``budget init``): headers and instructions.

Each workbook has its data sheets with the contract's headers on row 1 (bold, frozen, wide
enough to read) and a sheet ``Instruktioner`` that says, in Swedish, what the workbook is for
and what each column holds. What the columns are comes from the caller (the sheet specs of
``edge.sheets``); this module only lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from budget.report.render.xlsx import put, table, to_bytes

TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    """One column as the instructions describe it."""

    header: str
    required: str  # "ja", "nej", or when the value may be left empty
    kind: str
    aliases: str
    example: str


@dataclass(frozen=True)
class DataSheet:
    name: str
    note: str
    columns: tuple[Column, ...]


def workbook(
    file_name: str, purpose: Sequence[str], sheets: Sequence[DataSheet], stamp: datetime
) -> bytes:
    """A workbook with one empty data sheet per entry of ``sheets`` and its instructions."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        headers = [c.header for c in sheet.columns]
        table(ws, headers, [], [], widths=[max(14, len(h) + 6) for h in headers])
    _instructions(book.create_sheet("Instruktioner"), file_name, purpose, sheets)
    book.active = 0
    return to_bytes(book, stamp)


def _instructions(
    ws: Worksheet, file_name: str, purpose: Sequence[str], sheets: Sequence[DataSheet]
) -> None:
    put(ws, 1, 1, f"Så fyller du i {file_name}")
    ws.cell(row=1, column=1).font = TITLE
    row = 3
    for line in purpose:
        put(ws, row, 1, line)
        ws.cell(row=row, column=1).alignment = WRAP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        ws.row_dimensions[row].height = 30
        row += 1
    for sheet in sheets:
        row += 1
        put(ws, row, 1, f"Bladet {sheet.name}", bold=True)
        row += 1
        if sheet.note:
            put(ws, row, 1, sheet.note)
            ws.cell(row=row, column=1).alignment = WRAP
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
            ws.row_dimensions[row].height = 45
            row += 1
        rows = [[c.header, c.required, c.kind, c.aliases, c.example] for c in sheet.columns]
        row = table(
            ws,
            ["Kolumn", "Krävs", "Innehåll", "Andra rubriker som godtas", "Exempel"],
            rows,
            [],
            start=row,
            widths=[24, 22, 48, 30, 22],
        )
        for r in range(row - len(rows), row):
            for c in range(1, 6):
                ws.cell(row=r, column=c).alignment = WRAP
