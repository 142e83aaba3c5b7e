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
from pathlib import Path

import polars as pl

from budget.diagnostics import Diagnostic
from budget.edge.workbook import UnreadableFile

SUFFIXES = (".csv",)
MAX_BYTES = 2 * 1024**3
MAX_COLUMNS = 16_384
_SEPARATORS = {";": "semikolon", ",": "komma", "\t": "tabb"}


def read_raw(path: Path, display: str) -> tuple[pl.DataFrame, str]:
    """The file's cells as text columns ``a0, a1, …`` (whitespace is null) and a note
    saying which encoding and separator were found."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UnreadableFile(
                Diagnostic(
                    "E008",
                    f"filen är större än {MAX_BYTES // 1024**2} MB",
                    file=display,
                    expected=f"högst {MAX_BYTES // 1024**2} MB",
                )
            )
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(
            Diagnostic("E015", f"filen kan inte läsas ({exc.strerror or exc})", file=display)
        ) from exc
    if b"\x00" in data[:4096]:
        raise UnreadableFile(
            Diagnostic(
                "E002",
                "filen är ingen textfil (CSV) utan binär",
                file=display,
                expected="en CSV-fil med semikolon eller komma",
            )
        )
    try:
        text, encoding = data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        text, encoding = data.decode("cp1252", errors="replace"), "Windows-1252"
    head = [line for line in text[: 1 << 16].splitlines() if line.strip()][:50]
    separator = max(
        _SEPARATORS, key=lambda s: (max((line.count(s) for line in head), default=0), s == ";")
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        rows = list(reader)
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
    width = max((len(r) for r in rows), default=0)
    if width > MAX_COLUMNS:
        line = next(n for n, r in enumerate(rows, 1) if len(r) == width)
        raise UnreadableFile(
            Diagnostic(
                "E012",
                f"raden har {width} fält",
                file=display,
                cell=f"rad {line}",
                expected=f"högst {MAX_COLUMNS} kolumner, som i Excel",
            )
        )
    columns = {
        f"a{i}": [(r[i].strip() or None) if i < len(r) else None for r in rows]
        for i in range(width)
    }
    frame = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
    return frame, f"CSV, {_SEPARATORS[separator]}, {encoding}"
