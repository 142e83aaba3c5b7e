"""The typed fast path for .xlsx sheets: numbers read as numbers, proven to equal the text path.

The exact path (``budget.edge.excel``) reads every cell as text, because only text keeps
a code's leading zeros, lets Swedish number text be parsed by our rules and shows a bad
cell as it stands. For a big ledger most cells are plain numbers, and turning each of
them into text costs more than the rest of the checks. Here the numeric contract
columns (amounts, integers) are read as numbers instead, and everything that could make
the result differ from the text path is looked for; where anything is found the sheet
is read by the text path instead. Nothing is ever guessed:

1. **The header** is found in a copy of the workbook that holds only the sheet's first
   rows, read by calamine like the whole sheet (so its text is calamine's own).
2. **The numbers** are read with ``dtypes`` float for the numeric columns and text for
   the others. A text cell that calamine cannot read as a number comes back as an error
   that carries its text (``String("1 234,50")``), which is decoded.
3. **Nothing was coerced.** calamine silently reads text that looks like a number
   (``12.500``, ``1e5``) and TRUE as numbers. While it parses, the other core scans the
   sheet's XML for every cell of a numeric column that is not stored as a number
   (``t="s"``, ``"str"``, ``"inlineStr"``, ``"b"``, ``"e"``, ``"d"``). Each must have come
   back as a decoded text or a formula error; one that did not means the text path.
4. **The first rows** read typed, turned back into text the way calamine does
   (``excel_text``), must equal the header copy's: the header is the one the text path
   finds.

The converter then takes a number directly where the text path would have read the
same value from its text (``plain_amount``, ``plain_integer``); any other number is
turned into calamine's text and goes through the text rules.
``tests/test_typed.py`` runs generated workbooks and every valid corpus case through
both paths and compares frames and diagnostics.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import threading
import zipfile
from pathlib import Path
from typing import BinaryIO

import polars as pl
from openpyxl.utils import get_column_letter

from budget.edge import files
from budget.edge.workbook import (
    MAX_FILE_BYTES,
    MAX_UNPACKED_BYTES,
    Workbook,
    _inflate,
    _Pieces,
    _xml_frame,
)

# The prefix of a numeric column's numbers in a Table's frame (its text column keeps
# only the cells that are not numbers).
FLOAT = "__float_"
# Set BUDGET_TEXT_PATH=1 to read every sheet by the exact text path.
ENV_TEXT_PATH = "BUDGET_TEXT_PATH"
HEAD_BYTES = 1 << 20

# Unicode White_Space, as Rust's str::trim (and so fastexcel's whitespace_as_null) has it.
_RUST_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_STRING = re.compile(r"^Expected \w+ but got 'String\(\"(.*)\"\)'$", re.DOTALL)
_ESCAPE = re.compile(r"\\(u\{([0-9a-fA-F]{1,6})\}|.)", re.DOTALL)
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "\\": "\\", '"': '"', "'": "'"}


def enabled() -> bool:
    return os.environ.get(ENV_TEXT_PATH, "").strip() not in ("1", "true", "ja")


def excel_text(x: float) -> str:
    """A number cell as calamine's text (fastexcel's ``excel_float_to_string``): nine
    decimals, trailing zeros and point dropped."""
    return f"{x:.9f}".rstrip("0").rstrip(".")


def decoded(detail: str) -> str | None:
    """The text of a cell calamine could not read as a number, from its error's detail
    (a Rust string literal); None when the cell was no text (a formula error, a date)."""
    m = _STRING.match(detail)
    if m is None:
        return None
    body = m.group(1)

    def one(esc: re.Match[str]) -> str:
        if esc.group(2) is not None:
            return chr(int(esc.group(2), 16))
        return _SIMPLE.get(esc.group(1), esc.group(0))

    return _ESCAPE.sub(one, body)


def blank(text: str) -> bool:
    return text.strip(_RUST_SPACE) == ""


# Amounts up to ten million kronor with at most two decimals (to a tenth of a micro-krona):
# the text path reads exactly round(x × 100) öre from calamine's text of such a number.
# Larger amounts carry binary noise into the micro-kronor the text path keeps, so they take
# calamine's text and the text rules, like every other number.
PLAIN_AMOUNT_LIMIT = 1e7
PLAIN_INTEGER_LIMIT = 1e12


def plain_amount(x: pl.Expr) -> pl.Expr:
    """Numbers the text path reads as round(x × 100) öre."""
    hundred = x * 100
    return (x.abs() < PLAIN_AMOUNT_LIMIT) & ((hundred - hundred.round(0)).abs() <= 1e-5)


def plain_integer(x: pl.Expr) -> pl.Expr:
    """Numbers the text path reads as the integer x."""
    return (x.abs() < PLAIN_INTEGER_LIMIT) & (x == x.round(0))


# The parts calamine reads to give a sheet's cells; the copy holds nothing else.
_PARTS = (
    "[Content_Types].xml",
    "_rels/.rels",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
)
SST = "xl/sharedStrings.xml"
# The copy's rows: past HEADER_SCAN_ROWS (50), for the header and the rows compared.
HEAD_ROWS = 60


def head(path: str, workbook: Workbook, sheet: str) -> pl.DataFrame | None:
    """The sheet's first rows read by calamine from a copy of the workbook that holds only
    them, and the start of the shared strings (whose first entries are the strings of the
    first rows: Excel and LibreOffice number them in the order they appear); None when
    that cannot be made or read (the text path reads the sheet then)."""
    import fastexcel

    part = workbook.sheet(sheet)
    if part is None or part.part is None:
        return None
    try:
        with files.opened(Path(path), "", MAX_FILE_BYTES) as fh, zipfile.ZipFile(fh) as zf:
            copy = io.BytesIO()
            with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as out:
                for info in zf.infolist():
                    name = info.filename
                    if name == part.part:
                        out.writestr(name, _first_rows(fh, info))
                    elif name == SST:
                        out.writestr(name, _first_strings(fh, info))
                    elif name in _PARTS:
                        out.writestr(name, zf.read(name))
        reader = fastexcel.read_excel(copy.getvalue())
        loaded = reader.load_sheet(
            sheet, header_row=None, skip_rows=0, dtypes="string", whitespace_as_null=True
        )
        batch = loaded.to_arrow()
        infos = loaded.available_columns()
    except Exception:  # any doubt: the text path
        return None
    frame = pl.from_arrow(batch)
    assert isinstance(frame, pl.DataFrame)
    frame.columns = [f"a{info.absolute_index}" for info in infos]
    return frame


class _Head:
    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.size = 0

    def __call__(self, data: bytes) -> None:
        if self.size < HEAD_BYTES:
            self.chunks.append(data)
            self.size += len(data)
            if self.size >= HEAD_BYTES:
                raise _Enough


class _Enough(Exception):
    pass


def _start_of(fh: BinaryIO, info: zipfile.ZipInfo) -> tuple[bytes, bool]:
    """The first ``HEAD_BYTES`` of a member's XML, and whether that is all of it."""
    sink = _Head()
    with contextlib.suppress(_Enough):
        _inflate(fh, info, "", MAX_UNPACKED_BYTES, sink)
    return b"".join(sink.chunks), sink.size < HEAD_BYTES


def _first_rows(fh: BinaryIO, info: zipfile.ZipInfo) -> bytes:
    """The sheet's XML up to its ``HEAD_ROWS``-th row, closed; no ``<dimension>`` (the
    copy is smaller than it says)."""
    text, whole = _start_of(fh, info)
    return first_rows_of(text, whole)


def first_rows_of(text: bytes, whole: bool) -> bytes:
    """``text``, the start of a sheet's XML (``whole``: all of it), cut after its
    ``HEAD_ROWS``-th row and closed, without its ``<dimension>``."""
    ends = [m.end() for m in re.finditer(rb"</row>", text)]
    if whole and len(ends) <= HEAD_ROWS:
        body, tail = text, b""
    elif ends:
        body, tail = text[: ends[min(HEAD_ROWS, len(ends)) - 1]], b"</sheetData></worksheet>"
    else:
        raise ValueError("no whole row in the head")
    return re.sub(rb"<dimension\b[^>]*/>", b"", body) + tail


def _first_strings(fh: BinaryIO, info: zipfile.ZipInfo) -> bytes:
    """The shared strings up to the last whole entry in the first ``HEAD_BYTES``."""
    text, whole = _start_of(fh, info)
    if whole:
        return text
    end = text.rfind(b"</si>")
    if end < 0:
        raise ValueError("no whole string in the head")
    return text[: end + len(b"</si>")] + b"</sst>"


# A cell of one of the given columns that is not stored as a number; the type may stand
# before or after the reference.
def not_numbers_pattern(letters: list[str]) -> str:
    cols = "|".join(letters)
    kind = r'\st="(?:s|str|inlineStr|b|e|d)"'
    return (
        rf'<c\s(?:[^>]*?\s)?r="(?:{cols})[0-9]+"[^>]*?{kind}'
        rf'|<c\s[^>]*?{kind}[^>]*?\sr="(?:{cols})[0-9]+"'
    )


class TextCells:
    """The cells of the numeric columns that the file does not store as numbers, found
    in a worker thread (polars' regex engine, outside the GIL) while calamine parses."""

    def __init__(self, path: str, workbook: Workbook, sheet: str, letters: list[str]) -> None:
        self.found: set[str] | None = None
        self._args = (path, workbook, sheet, letters)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def result(self) -> set[str] | None:
        self._thread.join()
        return self.found

    def _run(self) -> None:
        path, workbook, sheet, letters = self._args
        part = workbook.sheet(sheet)
        if part is None or part.part is None:
            return
        pattern = not_numbers_pattern(letters)
        found: set[str] = set()
        pieces = _Pieces()

        def scan(batch: list[bytes] | None) -> None:
            if not batch:
                return
            refs = (
                _xml_frame(batch)
                .select(pl.col("x").str.extract_all(pattern).alias("m"))
                .explode("m")
                .drop_nulls()
                .select(pl.col("m").str.extract(r'\sr="([A-Z]+[0-9]+)"', 1))
            )
            found.update(refs["m"].drop_nulls().to_list())

        try:
            with files.opened(Path(path), "", MAX_FILE_BYTES) as fh, zipfile.ZipFile(fh) as zf:
                _inflate(
                    fh,
                    zf.getinfo(part.part),
                    "",
                    MAX_UNPACKED_BYTES,
                    lambda data: scan(pieces.add(data)),
                )
            scan(pieces.rest())
        except Exception:  # any doubt: the text path
            return
        self.found = found


def letters_of(indices: list[int]) -> list[str]:
    return [get_column_letter(i + 1) for i in indices]


__all__ = [
    "ENV_TEXT_PATH",
    "FLOAT",
    "TextCells",
    "blank",
    "decoded",
    "enabled",
    "excel_text",
    "first_rows_of",
    "head",
    "letters_of",
    "plain_amount",
    "plain_integer",
]
