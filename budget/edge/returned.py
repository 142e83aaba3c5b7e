"""A unit's returned prognosunderlag, read cell by cell (contract §4, ``budget samla``).

The workbook's own hidden sheet says whose it is; its fingerprint of the prefilled cells
tells whether one of them was changed. Input cells must hold numbers of 0 or more (or be
empty: no forecast from the unit for that side).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from budget.core.collection import COLUMNS, IDENTITY_SHEET, PREFILLED, SHEET
from budget.diagnostics import Diagnostic
from budget.edge.workbook import UnreadableFile, inspect

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


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


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
    for r, cells in enumerate(ws.iter_rows(min_row=2, max_col=len(COLUMNS), values_only=True), 2):
        if all(v is None for v in cells):
            continue
        amounts = [_amount(found, r, c, cells[c]) for c in (PREFILLED, PREFILLED + 1)]
        found.rows.append(
            ReturnedRow(
                r,
                list(cells[:PREFILLED]),
                amounts[0],
                amounts[1],
                _text(cells[PREFILLED + 2]),
                _text(cells[PREFILLED + 3]),
            )
        )
    return found


def _amount(found: Returned, row: int, index: int, value: Any) -> float | None:
    """An input cell: empty, or a number of 0 or more; anything else names the cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    cell = f"{get_column_letter(index + 1)}{row}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        found.bad(
            "E101",
            "värdet är inte ett belopp",
            sheet=SHEET,
            cell=cell,
            column=COLUMNS[index],
            value=str(value),
            expected="ett tal i kronor, t.ex. 1250000",
        )
        return None
    if value < 0:
        found.bad(
            "E111",
            "prognosen anges som ett positivt belopp",
            sheet=SHEET,
            cell=cell,
            column=COLUMNS[index],
            value=str(value),
            expected="ett belopp som är 0 eller större",
        )
        return None
    return float(value)
