"""CSV ledger exports (the I/O edge): encoding and separator found, every cell as text.

Municipal ledger systems export CSV: semicolon-separated with decimal commas in
Swedish settings, comma-separated elsewhere; UTF-8 (often with a byte-order
mark) or Windows-1252. The encoding is UTF-8 when the bytes decode as such,
else Windows-1252; the separator is the one of ``;``, ``,`` and tab that the
header line holds most of. Both are reported. Rows keep their line number and
columns their letter, as the file shows when opened in Excel, so every bad cell
is named like a workbook's.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from openpyxl.utils import get_column_letter

from budget.diagnostics import Diagnostic
from budget.edge import files
from budget.edge.files import UnreadableFile

SUFFIXES = (".csv",)
MAX_BYTES = 2 * 1024**3
MAX_COLUMNS = 16_384
_SEPARATORS = {";": "semikolon", ",": "komma", "\t": "tabb"}


@dataclass(frozen=True)
class Raw:
    """A CSV file's records: the cells as text columns ``a0, a1, …`` (whitespace is null),
    the number of fields and the first line in the file of each record, and a note saying
    which encoding and separator were found."""

    frame: pl.DataFrame
    note: str
    widths: list[int]
    lines: list[int]
    # The last line in the file of each record (a quoted field may run over several).
    ends: list[int] | None = None
    separator: str = ";"
    display: str = ""


def read_raw(path: Path, display: str) -> Raw:
    """Read a CSV file whole; raises UnreadableFile when it cannot be read as CSV."""
    data = files.read_bytes(path, display, MAX_BYTES)
    kind = files.sniff(data[:4096])
    if kind in (files.ZIP, files.OLE, files.BINARY):
        raise UnreadableFile(
            Diagnostic(
                "E002",
                f"filen är {files.FOUND[kind]}, inte en CSV-fil",
                file=display,
                expected="en CSV-fil med semikolon eller komma",
            )
        )
    text, encoding = _decode(data, display)
    head = [line for line in text[: 1 << 16].splitlines() if line.strip()][:50]
    separator = max(
        _SEPARATORS, key=lambda s: (max((line.count(s) for line in head), default=0), s == ";")
    )
    note = f"CSV, {_SEPARATORS[separator]}, {encoding}"
    columnar = _columnar(text, separator, display)
    if columnar is not None:
        frame, widths = columnar
        lines = list(range(1, len(widths) + 1))
        return Raw(frame, note, widths, lines, lines, separator, display)
    frame, widths, lines, ends = by_records(text, separator, display)
    return Raw(frame, note, widths, lines, ends, separator, display)


def by_records(
    text: str, separator: str, display: str
) -> tuple[pl.DataFrame, list[int], list[int], list[int]]:
    """The records as ``csv.reader`` reads them, one by one: the cells, each record's
    width, first and last line."""
    lines_read = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows: list[list[str]] = []
    lines: list[int] = []
    ends: list[int] = []
    try:
        for row in reader:
            lines.append(lines_read + 1)
            rows.append(row)
            lines_read = reader.line_num
            ends.append(lines_read)
    except csv.Error as exc:  # a field over the size limit, a NUL byte, a broken quote
        raise UnreadableFile(
            Diagnostic(
                "E002",
                f"filen kan inte läsas som CSV ({exc})",
                file=display,
                cell=f"rad {reader.line_num}",
                expected="en CSV-fil med semikolon eller komma",
            )
        ) from exc
    widths = [len(r) for r in rows]
    _refuse_width(widths, display)
    columns = {
        f"a{i}": [(r[i].strip() or None) if i < len(r) else None for r in rows]
        for i in range(max(widths, default=0))
    }
    frame = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
    return frame, widths, lines, ends


def _refuse_width(widths: list[int], display: str) -> None:
    width = max(widths, default=0)
    if width > MAX_COLUMNS:
        line = widths.index(width) + 1
        raise UnreadableFile(
            Diagnostic(
                "E012",
                f"raden har {width} fält",
                file=display,
                cell=f"rad {line}",
                expected=f"högst {MAX_COLUMNS} kolumner, som i Excel",
            )
        )


# What Python's str.strip() takes away (str.isspace): the csv path strips each cell so.
PY_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_LINE_END = re.compile(r"\r\n|\r|\n")


def _columnar(text: str, separator: str, display: str) -> tuple[pl.DataFrame, list[int]] | None:
    """The records of a file without quotes, split by polars: what ``csv.reader`` gives
    there (a record a line, ended by CR LF, CR or LF; fields split at every separator; an
    empty line no field), column by column instead of cell by cell. None where the csv
    module must read it: a quote (a field may then hold separators and line breaks), a
    NUL, or a line longer than the module's field limit (its error is the message)."""
    if '"' in text or "\x00" in text:
        return None
    records = _LINE_END.split(text)
    if records and records[-1] == "":
        records.pop()
    if max(map(len, records), default=0) > csv.field_size_limit():
        return None
    lines = pl.Series("x", records, dtype=pl.String)
    fields = lines.str.split(separator)
    widths = (
        pl.select(pl.when(lines == "").then(0).otherwise(fields.list.len())).to_series().to_list()
    )
    _refuse_width(widths, display)
    split = fields.to_frame("f")
    frame = split.select(
        pl.col("f").list.get(i, null_on_oob=True).str.strip_chars(PY_SPACE).alias(f"a{i}")
        for i in range(max(widths, default=0))
    )
    frame = frame.with_columns(
        pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in frame.columns
    )
    return frame, widths


def _decode(data: bytes, display: str) -> tuple[str, str]:
    """UTF-8 (with or without a byte-order mark) when the bytes are UTF-8, UTF-16 when a
    byte-order mark says so (Excel's Unicode text), else Windows-1252. A byte that
    Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) means the file is neither:
    an error naming its line, never a replacement character in a code."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise _undecodable(data, exc.start, "UTF-16", display) from exc
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError as exc:
        if _UTF8_CHARACTER.search(data):
            # Mostly UTF-8 (å written as two bytes) with a byte that is not: read as
            # Windows-1252 every å would silently become Ã¥, in codes too.
            raise _undecodable(data, exc.start, None, display) from exc
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise _undecodable(data, exc.start, "Windows-1252", display) from exc


# A two-byte UTF-8 letter of a Swedish text (å ä ö é and their capitals: C3 xx).
_UTF8_CHARACTER = re.compile(rb"\xc3[\x80-\xbf]")


def _undecodable(data: bytes, at: int, encoding: str | None, display: str) -> UnreadableFile:
    """E002 at the byte that cannot be read (``encoding`` None: a UTF-8 file with a byte
    that is not UTF-8, a mixed encoding)."""
    line = data.count(b"\n", 0, at) + 1
    why = (
        f"filen är varken UTF-8 eller {encoding}"
        if encoding
        else "filen är UTF-8 men har tecken i en annan kodning"
    )
    return UnreadableFile(
        Diagnostic(
            "E002",
            f"{why}: byten 0x{data[at]:02X} på rad {line} kan inte läsas som ett tecken",
            file=display,
            cell=f"rad {line}",
            value=f"0x{data[at]:02X}",
            expected="en CSV-fil sparad som UTF-8 eller Windows-1252 (ANSI)",
        )
    )


def _swallowed(raw: Raw, index: int) -> Diagnostic | None:
    """A quoted field that runs over line breaks and holds the separator after one: a quote
    left open has taken the next lines into one field, and their amounts with them."""
    over_lines = raw.ends is not None and raw.ends[index] > raw.lines[index]
    for i, value in enumerate(raw.frame.row(index)):
        # The cells are stripped: a line break at a field's end is gone, the span is not.
        if value is None or not (over_lines or "\n" in value):
            continue
        rest = value.split("\n", 1)[1] if "\n" in value else value
        if raw.separator not in rest:
            continue
        record, line = index + 1, raw.lines[index]
        span = raw.ends[index] - line + 1 if raw.ends is not None else value.count("\n") + 1
        return Diagnostic(
            "E117",
            f"fältet i kolumn {get_column_letter(i + 1)} börjar med ett citattecken och "
            f"fortsätter över {span} textrader (från textrad {line}) med avgränsaren i: "
            "raderna i det läses inte som egna rader",
            file=raw.display,
            cell=f"rad {record}",
            value=value,
            expected='ett citattecken som stänger fältet på samma rad ("Hyra")',
        )
    return None


def check_widths(raw: Raw, header_index: int, display: str) -> list[Diagnostic]:
    """E117: a record after the header with more or fewer fields than the header line.

    An unquoted decimal comma (``4010,1234,50,Leverans`` under eight headers) splits an
    amount in two and shifts every field after it: the record cannot be read as it was
    meant, whatever its fields say. A blank record is no data and is left to the reader;
    a header's own trailing empty fields (``…;Text;``) may be left out by a record."""
    header = raw.widths[header_index]
    names = raw.frame.row(header_index)
    filled = max((i + 1 for i, v in enumerate(names[:header]) if v is not None), default=0)
    out = []
    for index in _looked_at(raw, header_index, filled, header):
        width = raw.widths[index]
        if filled <= width <= header:
            swallowed = _swallowed(raw, index)
            if swallowed is not None:
                out.append(swallowed)
            continue
        values = raw.frame.row(index)
        if all(v is None for v in values):
            continue  # a blank line (or one of separators only): no data
        line, record = raw.lines[index], index + 1
        starts = "" if record == line else f" (den börjar på textrad {line})"
        shown = " | ".join("" if v is None else str(v) for v in values[:width])
        out.append(
            Diagnostic(
                "E117",
                f"raden har {width} fält men rubrikraden (rad {header_index + 1}) har "
                f"{header}{starts}",
                file=display,
                cell=f"rad {record}",
                value=shown,
                expected=f"{header} fält som i rubrikraden; ett fält med avgränsaren i (t.ex. "
                'decimalkomma) står inom citattecken: "1234,50"',
            )
        )
    return out


def _looked_at(raw: Raw, header_index: int, filled: int, header: int) -> list[int]:
    """The records after the header that ``check_widths`` must look at, found column by
    column: a width outside the header's, or a record that runs over lines or holds a
    line break (a quote left open). Every other record passes both checks."""
    widths = pl.Series(raw.widths, dtype=pl.Int64)
    flag = (widths < filled) | (widths > header)
    if raw.ends is not None:
        flag = flag | (pl.Series(raw.ends) > pl.Series(raw.lines))
    if raw.frame.width:
        broken = raw.frame.select(
            pl.any_horizontal(pl.col(c).str.contains("\n", literal=True) for c in raw.frame.columns)
            .fill_null(False)
            .alias("x")
        ).to_series()
        if broken.len() == flag.len():
            flag = flag | broken
    return [i for i in flag.arg_true().to_list() if i > header_index]
