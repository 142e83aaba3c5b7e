"""Excel output with openpyxl: the cell and table primitives every workbook is written with.

The report workbook's sheets are written by their sections (``report/sections``) and put
together by ``render/workbook.py``.

Amounts are written in kronor (exact to the öre) with a Swedish-looking
thousands format; the unit is stated in each header. Every text cell that
comes from the inputs is written as a string, never as a formula, even when
it begins with ``=``, ``+``, ``-`` or ``@``. Output is byte-identical for the
same report: fixed document dates and fixed zip timestamps.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from budget.report.render import cells
from budget.report.render.paper import print_setup

KRONOR = "#,##0"
# An amount kept in kronor in the cell and shown in the report's unit, as the document shows
# it: each comma after the last digit of a number format divides the value shown by 1 000
# (Excel and LibreOffice alike), so a reader sees −1 100,5 where the cell holds −1 100 522 155.
UNIT_FORMATS = {"mnkr": "#,##0.0,,", "tkr": "#,##0,", "kr": KRONOR}


def amount_format(unit: str) -> str:
    """The number format that shows kronor in ``unit`` (mnkr with one decimal, tkr whole)."""
    return UNIT_FORMATS[unit]


DECIMAL = "#,##0.0"
# The reconciliation's point is the öre: its amounts show öre, whatever the report's unit.
# Every other amount of the report workbook shows in the unit (amount_format), never KRONOR:
# tests/test_sections.py holds that no section module uses KRONOR.
EXACT = "#,##0.00"
COUNT = "#,##0"  # a number of rows or units, not an amount
HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
BOLD = Font(bold=True)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def put(
    ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None, bold: bool = False
) -> None:
    """Write one cell (through ``cells.put``: text is always a text cell, never a formula)."""
    cell = cells.put(ws, row, col, value)
    if fmt and not isinstance(value, str):
        cell.number_format = fmt
    if bold:
        cell.font = BOLD


def table(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: Sequence[str | None],
    start: int = 1,
    widths: Sequence[int] = (),
    total: bool = False,
) -> int:
    """A header row, data rows, frozen header, autofilter, widths; returns the next free row.
    ``total``: the last row is a sum, in bold."""
    for c, h in enumerate(headers, 1):
        put(ws, start, c, h)
        cell = ws.cell(row=start, column=c)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start + 1):
        for c, value in enumerate(row, 1):
            put(ws, r, c, value, formats[c - 1] if c - 1 < len(formats) else None)
    if start == 1:
        ws.freeze_panes = ws.cell(row=2, column=1)
        last = get_column_letter(len(headers))
        ws.auto_filter.ref = f"A1:{last}{max(1, len(rows)) + 1}"
    for c, h in enumerate(headers, 1):
        width = widths[c - 1] if c - 1 < len(widths) else max(12, min(60, len(h) + 4))
        ws.column_dimensions[get_column_letter(c)].width = width
    if total and rows:
        for c in range(1, len(headers) + 1):
            ws.cell(row=start + len(rows), column=c).font = BOLD
    return start + len(rows) + 1


def to_bytes(wb: Workbook, generated_at: datetime) -> bytes:
    """Serialise deterministically: fixed document dates and zip entry times."""
    stamp = generated_at.replace(tzinfo=None, microsecond=0)
    for ws in wb.worksheets:
        print_setup(ws)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "budget"
    wb.properties.lastModifiedBy = "budget"
    raw = io.BytesIO()
    wb.save(raw)
    return normalise_zip(raw.getvalue(), stamp)


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def normalise_zip(data: bytes, stamp: datetime) -> bytes:
    """Rewrite a zip with fixed timestamps and a stable entry order.

    openpyxl stamps ``dcterms:modified`` with the wall clock at save time; it
    is replaced by ``stamp`` so that the same report gives the same bytes.

    Our own code, because no kept library does it: openpyxl (3.1) has no option for the
    zip entries' times (its writer takes them from the clock, and ``save_workbook`` sets
    ``modified`` to now whatever the properties say), and the standard ``zipfile`` honours
    no SOURCE_DATE_EPOCH. XlsxWriter pins them, but it writes only new workbooks and is
    no dependency of ours. See docs/arkitektur.md ("Deterministic bytes").
    """
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + iso + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, content)
    return out.getvalue()


def ledger_workbook(sheet: str, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> bytes:
    """Rows as a plain workbook with the contract's headers (``budget sie``): amounts as
    numbers with two decimals, codes as text, the same bytes for the same rows."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    formats = [
        "0" if c in ("År", "Period") else "#,##0.00" if c == "Belopp" else None for c in columns
    ]
    table(ws, columns, [[row.get(c) for c in columns] for row in rows], formats)
    return to_bytes(book, datetime(1980, 1, 1))
