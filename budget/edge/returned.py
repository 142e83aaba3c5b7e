"""A unit's returned prognosunderlag, read cell by cell (contract §4, ``budget samla``).

The workbook's own hidden sheet says whose it is; its fingerprint of the prefilled cells
tells whether one of them was changed. Input cells must hold numbers of 0 or more (or be
empty: no forecast from the unit for that side).
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from budget.checks.cells import TOO_LARGE_EXPECTED, amount_micro, size_problem
from budget.core.collection import COLUMNS, IDENTITY_SHEET, PREFILLED, SHEET
from budget.core.money import MICRO_PER_ORE
from budget.core.names import MAX_CELL_TEXT
from budget.diagnostics import Diagnostic
from budget.edge.files import UnreadableFile
from budget.edge.workbook import inspect

KEYS = ("Nämnd", "År", "Period", "Rapport", "Ansvar", "Enhet", "Fingeravtryck")


@dataclass(frozen=True)
class ReturnedRow:
    row: int  # the sheet row, for messages
    prefilled: list[Any]
    costs: float | None  # positive kronor as entered
    revenues: float | None
    comment: str | None
    measures: str | None


@dataclass
class Returned:
    path: Path
    identity: dict[str, Any] = field(default_factory=dict)
    rows: list[ReturnedRow] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def bad(self, code: str, message: str, **where: Any) -> None:
        self.diagnostics.append(Diagnostic(code, message, file=self.path.name, **where))


_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")


def _text(value: Any) -> str | None:
    """A text cell as the unit sees it: Excel's ``_xHHHH_`` escape undone (openpyxl keeps
    it), trimmed; None when empty."""
    if value is None:
        return None
    text = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), str(value)).strip()
    return text or None


def _count(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def _free_text(
    found: Returned, row: int, index: int, value: Any, formula: str | None
) -> str | None:
    """Kommentar or Åtgärder: text that fits a cell, else an error naming the cell."""
    text = _text(value)
    if text is None and formula is not None:
        found.bad(
            "E006",
            "formeln är sparad utan sitt värde",
            sheet=SHEET,
            cell=f"{get_column_letter(index + 1)}{row}",
            column=COLUMNS[index],
            value=formula[:60],
            expected="texten; spara arbetsboken i Excel eller LibreOffice",
        )
    if text is not None and len(text) > MAX_CELL_TEXT:
        found.bad(
            "E233",
            f"texten är {_count(len(text))} tecken lång",
            sheet=SHEET,
            cell=f"{get_column_letter(index + 1)}{row}",
            column=COLUMNS[index],
            value=text[:40] + "…",
            expected=f"högst {_count(MAX_CELL_TEXT)} tecken, så mycket som en cell rymmer",
        )
        return None
    return text


def read_returned(path: Path) -> Returned:
    """Read one returned workbook; every problem becomes a diagnostic naming file and cell."""
    found = Returned(path)
    try:
        book = inspect(path, path.name)
    except UnreadableFile as exc:
        found.diagnostics.append(exc.diagnostic)
        return found
    if book.sheet(SHEET) is None or book.sheet(IDENTITY_SHEET) is None:
        missing = SHEET if book.sheet(SHEET) is None else IDENTITY_SHEET
        found.bad(
            "E211",
            f"bladet {missing} saknas",
            sheet=missing,
            expected="en arbetsbok från budget underlag",
        )
        return found
    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        found.bad("E002", f"arbetsboken kan inte läsas ({type(exc).__name__})")
        return found
    info = wb[IDENTITY_SHEET]
    found.identity = {
        str(info.cell(row=r, column=1).value): info.cell(row=r, column=2).value
        for r in range(1, len(KEYS) + 1)
    }
    ws = wb[SHEET]
    header = [_text(c.value) for c in ws[1]][: len(COLUMNS)]
    if tuple(header) != COLUMNS:
        found.bad(
            "E211",
            "rubrikraden är ändrad",
            sheet=SHEET,
            cell="A1",
            value=", ".join(h or "" for h in header),
            expected=", ".join(COLUMNS),
        )
        return found
    _outside(found, ws)
    rows = list(ws.iter_rows(min_row=2, max_col=len(COLUMNS), values_only=True))
    inputs = (PREFILLED, PREFILLED + 1)
    # A second read for formulas, only where an input cell reads empty (see _formulas).
    empty = any(
        v[c] is None
        for v in rows
        if any(x is not None for x in v)
        for c in range(PREFILLED, len(COLUMNS))
    )
    formulas = _formulas(path) if empty else {}
    for r, cells in enumerate(rows, 2):
        if all(v is None for v in cells):
            continue
        amounts = [_amount(found, r, c, cells[c], formulas.get((r, c + 1))) for c in inputs]
        found.rows.append(
            ReturnedRow(
                r,
                list(cells[:PREFILLED]),
                amounts[0],
                amounts[1],
                *(
                    _free_text(found, r, c, cells[c], formulas.get((r, c + 1)))
                    for c in (PREFILLED + 2, PREFILLED + 3)
                ),
            )
        )
    return found


def _outside(found: Returned, ws: Any) -> None:
    """What a unit wrote right of the sheet's columns is not read: said, never dropped."""
    if ws.max_column <= len(COLUMNS):
        return
    cells = [
        c
        for row in ws.iter_rows(min_col=len(COLUMNS) + 1)
        for c in row
        if c.value is not None and str(c.value).strip()
    ]
    if cells:
        found.bad(
            "W324",
            f"{len(cells)} celler till höger om kolumnen {COLUMNS[-1]} läses inte",
            sheet=SHEET,
            cell=cells[0].coordinate,
            value=str(cells[0].value)[:60],
            expected=f"prognosen i {COLUMNS[PREFILLED]} och {COLUMNS[PREFILLED + 1]}, "
            f"texten i {COLUMNS[PREFILLED + 2]} eller {COLUMNS[PREFILLED + 3]}",
        )


def _formulas(path: Path) -> dict[tuple[int, int], str]:
    """The input cells of sheet Prognos that hold a formula: (row, column) -> formula.

    Excel and LibreOffice save a formula's value with it; a program that does not leaves
    only the formula, and the cell would read as empty: no forecast, or no comment,
    silently.
    """
    try:
        ws = load_workbook(path, read_only=True)[SHEET]
        out = {}
        for row in ws.iter_rows(min_row=2, min_col=PREFILLED + 1, max_col=len(COLUMNS)):
            for cell in row:
                value = getattr(cell, "value", None)
                if isinstance(value, str) and value.startswith("="):
                    out[(cell.row, cell.column)] = value
        return out
    except Exception:  # read already once above: a second failure only loses this check
        return {}


_ERRORS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!")


def _amount(found: Returned, row: int, index: int, value: Any, formula: str | None) -> float | None:
    """An input cell: empty, or a number of 0 or more (also as Swedish text, 1 250 000,50);
    anything else names the cell."""
    cell = f"{get_column_letter(index + 1)}{row}"
    where = {"sheet": SHEET, "cell": cell, "column": COLUMNS[index]}
    if isinstance(value, str) and value.strip() in _ERRORS:
        found.bad("E006", f"formeln ger {value.strip()}", **where, value=formula or value)
        return None
    if value is None or (isinstance(value, str) and not value.strip()):
        if formula is not None:
            found.bad(
                "E006",
                "formeln är sparad utan sitt värde",
                **where,
                value=formula,
                expected="ett belopp; spara arbetsboken i Excel eller LibreOffice",
            )
        return None
    shown = str(value)
    if isinstance(value, str):
        parsed = pl.DataFrame({"v": [value]}).select(amount_micro(pl.col("v"))).item()
        value = None if parsed is None else float(parsed) / (100 * MICRO_PER_ORE)
    if isinstance(value, bool) or not isinstance(value, int | float):
        found.bad(
            "E101",
            "värdet är inte ett belopp",
            **where,
            value=shown,
            expected="ett tal i kronor, t.ex. 1250000",
        )
        return None
    size = size_problem(value)
    if size is not None:  # the one size rule of every reader (checks.cells)
        found.bad(
            size[0],
            size[1],
            **where,
            value=shown,
            expected=TOO_LARGE_EXPECTED if size[0] == "E109" else "ett tal i kronor",
        )
        return None
    if value < 0:
        found.bad(
            "E111",
            "prognosen anges som ett positivt belopp",
            **where,
            value=shown,
            expected="ett belopp som är 0 eller större",
        )
        return None
    return float(value)


# prognos.xlsx written by samla says which collection it holds in its document subject, so
# that a second run for the same period keeps the true previous forecast.
_KEY = "budget samla"
# Serialisers differ: openpyxl with lxml (installed with python-docx) declares the namespace
# on the element itself, <dc:subject xmlns:dc="…">; without lxml it is on the root.
_SUBJECT = re.compile(r"<dc:subject(?:\s[^>]*)?>([^<]*)</dc:subject>")


def collection_key(namnd: str, year: int, month: int) -> str:
    return f"{_KEY}|{namnd}|{year}|{month}"


def collected_for(path: Path) -> tuple[str, int, int] | None:
    """The nämnd, year and month of the collection a prognos.xlsx holds, if samla wrote it."""
    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo("docProps/core.xml")
            if info.file_size > 1_000_000:
                return None
            text = z.read(info).decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return None
    found = _SUBJECT.search(text)
    parts = html.unescape(found.group(1)).split("|") if found else []
    if len(parts) != 4 or parts[0] != _KEY or not (parts[2] + parts[3]).isdigit():
        return None
    return parts[1], int(parts[2]), int(parts[3])
