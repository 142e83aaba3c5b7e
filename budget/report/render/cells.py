"""The one way a workbook the toolkit writes gets a value: ``put`` and ``append``.

Every workbook (the report, the begäran, the units' underlag, samla's prognos.xlsx and
status list, ``budget sie``'s ledger) writes its cells here, so that text from the inputs is
always a text cell and never a formula, whatever it looks like. openpyxl alone turns text
beginning with ``=`` into a formula, text such as ``#N/A`` into an error cell, refuses control
characters (an exception, not a message) and writes what no program can read back (U+FFFE, a
lone surrogate). Here:

- text is a string cell (``data_type "s"``); text that a spreadsheet program would read as a
  formula when the cell is edited (``= + - @`` first, also after leading blanks) is also
  marked quote-prefixed, as Excel marks text typed with a leading apostrophe;
- text of blanks only is an empty cell (openpyxl drops the blanks of such text anyway);
- a line break is LF (CR LF and CR become LF: XML reads a raw CR as LF anyway);
- characters XML 1.0 cannot carry (C0 controls other than tab and LF, U+FFFE, U+FFFF, lone
  surrogates) become U+FFFD, visibly;
- ``_xHHHH_`` in text is escaped as Excel does (``_x005F_xHHHH_``), so that Excel, LibreOffice
  and calamine read the characters written, not the character the sequence names;
- text beyond Excel's 32 767 characters a cell is cut to fit and ends in a visible note of
  its length (``… [avkortad, 40 000 tecken]``): never silently. Readers of user files refuse
  such text with a message where it is read (``edge.returned``), so the note is a last guard;
- text in a printed page's header (``page_text``) and in the document's properties goes
  through the same rules; the Word document (``formats/docx.py``) takes ``xml_text``, the same
  replacement without Excel's limit of a cell;
- a number that is not finite is refused (a bug: a workbook with ``inf`` does not open).

``tests/test_cells_writer.py`` runs every writer over hostile text and re-reads the saved
workbooks with openpyxl and calamine; it also holds that no module of ``budget`` outside this
one gives a worksheet a value any other way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from budget.core.names import MAX_CELL_TEXT

MAX_TEXT = MAX_CELL_TEXT  # Excel's limit of characters in one cell
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ESCAPE = re.compile("_(x[0-9A-Fa-f]{4}_)")
_FORMULA_LIKE = re.compile(r"^[\s\u00a0]*[=+\-@]")


def truncation_note(length: int) -> str:
    digits = f"{length:,}".replace(",", "\u00a0")
    return f" … [avkortad, {digits} tecken]"


def xml_text(value: str) -> str:
    """``value`` as XML 1.0 can carry it, visibly: line breaks as LF, every character XML
    cannot hold as U+FFFD. The one rule for text from the inputs in any Office file we write
    (the workbooks' cells here, the Word tjänsteutlåtande in ``formats/docx.py``)."""
    return _ILLEGAL.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n"))


def text(value: str) -> str:
    """The characters a text cell holds for ``value``, as a program reading it shows them
    (before the ``_x`` escape, which ``escaped`` adds)."""
    shown = xml_text(value)
    if len(shown) > MAX_TEXT:
        note = truncation_note(len(shown))
        shown = shown[: MAX_TEXT - len(note)] + note
    return shown


def escaped(shown: str) -> str:
    """``shown`` as stored in the file: a literal ``_xHHHH_`` escaped as Excel writes it."""
    return _ESCAPE.sub(r"_x005F_\1", shown)


MAX_PAGE_TEXT = 255  # Excel's limit of a page header or footer


def page_text(value: str) -> str:
    """Text for a printed page's header or footer: as ``text``, on one line, ``&`` as the
    literal ampersand (alone it starts a code: ``&P`` is the page number), within Excel's
    255 characters (cut with an ellipsis)."""
    shown = " ".join(text(value).split())
    if len(shown.replace("&", "&&")) > MAX_PAGE_TEXT:
        shown = shown[: MAX_PAGE_TEXT // 2 - 1] + "…"
    return shown.replace("&", "&&")


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one value; text is always a text cell. Returns the cell for its style."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str) and not text(value).strip():
        cell.value = None  # blank text is a blank cell (openpyxl would not keep the blanks)
    elif isinstance(value, str):
        cell.value = escaped(text(value))
        cell.data_type = "s"  # after the value: openpyxl made "=…" a formula, "#N/A" an error
        if _FORMULA_LIKE.match(value):
            cell.quotePrefix = True
    elif isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"a number that is not finite cannot be written: {value!r}")
    else:
        cell.value = value
    return cell


def put_row(ws: Worksheet, row: int, values: Iterable[Any]) -> list[Cell]:
    """Write ``values`` to ``row`` from column A; the cells, for their style."""
    return [put(ws, row, column, value) for column, value in enumerate(values, 1)]
