"""Reading workbooks (the I/O edge): find the sheet and the header row, keep provenance.

A workbook is read once with calamine (through fastexcel), every cell as text,
so that codes keep their leading zeros and Swedish number text can be parsed
with exact rules afterwards. Each data row keeps its Excel row number in
``_row``; each column keeps its letter, so every later problem can name its
cell.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from budget.cells import column_letter, normalize_header
from budget.diagnostics import Diagnostic

ROW = "_row"
HEADER_SCAN_ROWS = 50

# A workbook that unpacks to more than this is refused before it is read.
MAX_UNPACKED_BYTES = 4 * 1024**3
MAX_RATIO_BYTES = 200 * 1024**2
MAX_RATIO = 500

READABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")

_CALAMINE_ERRORS = {
    "Div0": "#DIV/0!",
    "NA": "#N/A",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
    "GettingData": "#GETTING_DATA",
}


@dataclass(frozen=True)
class Column:
    """A column the contract names, with the header aliases we accept."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    def matches(self, header: str) -> bool:
        wanted = {normalize_header(self.name), *(normalize_header(a) for a in self.aliases)}
        return header in wanted


@dataclass
class Table:
    """The data rows of one sheet: canonical text columns plus ``_row``."""

    file: str
    sheet: str
    frame: pl.DataFrame
    letters: dict[str, str]
    header_row: int
    blank_rows: int = 0
    total_rows: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def cell(self, column: str, row: int) -> str:
        return f"{self.letters[column]}{row}"

    def has(self, column: str) -> bool:
        return column in self.letters


class UnreadableFile(Exception):
    """The file cannot be read as a workbook; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _sniff(path: Path, display: str) -> None:
    """Refuse files that are not what their name claims, before calamine sees them."""
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        raise UnreadableFile(
            Diagnostic("E002", f"filen kan inte öppnas ({exc.strerror})", file=display)
        ) from exc
    if not head:
        raise UnreadableFile(Diagnostic("E002", "filen är tom", file=display))
    suffix = path.suffix.lower()
    if head.startswith(b"\xd0\xcf\x11\xe0") and suffix in (".xlsx", ".xlsm", ".xlsb"):
        raise UnreadableFile(
            Diagnostic(
                "E007", "filen är krypterad (lösenordsskyddad) och kan inte läsas", file=display
            )
        )
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head")):
        raise UnreadableFile(
            Diagnostic(
                "E002",
                "filen är en webbsida (HTML), inte en arbetsbok",
                file=display,
                expected="en .xlsx-fil",
            )
        )
    if suffix in (".xlsx", ".xlsm", ".xlsb", ".ods"):
        if not head.startswith(b"PK\x03\x04"):
            what = "textfil (t.ex. CSV)" if _looks_like_text(head) else "okänt format"
            raise UnreadableFile(
                Diagnostic(
                    "E002",
                    f"filen är ingen arbetsbok utan en {what}",
                    file=display,
                    expected="en .xlsx-fil",
                )
            )
        _refuse_zip_bomb(path, display)


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            head.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return b"\x00" not in head


def _refuse_zip_bomb(path: Path, display: str) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFile(
            Diagnostic(
                "E002", "filen är en trasig zip-fil och ingen läsbar arbetsbok", file=display
            )
        ) from exc
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            Diagnostic(
                "E008",
                f"filen packas upp till {total // 1024**2} MB",
                file=display,
                expected=f"högst {MAX_UNPACKED_BYTES // 1024**2} MB",
            )
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_RATIO_BYTES and ratio > MAX_RATIO:
            raise UnreadableFile(
                Diagnostic(
                    "E008",
                    f"delen {info.filename} packas upp {ratio:.0f} gånger",
                    file=display,
                    expected=f"högst {MAX_RATIO} gånger för delar över "
                    f"{MAX_RATIO_BYTES // 1024**2} MB",
                )
            )


def _choose_sheet(names: list[str], wanted: str, display: str) -> str:
    key = normalize_header(wanted)
    for name in names:
        if normalize_header(name) == key:
            return name
    visible = list(names)
    if len(visible) == 1:
        return visible[0]
    raise UnreadableFile(
        Diagnostic(
            "E003",
            f"bladet {wanted!r} finns inte",
            file=display,
            value=", ".join(names),
            expected=f"ett blad som heter {wanted}",
        )
    )


def read_table(path: Path, display: str, sheet: str, columns: list[Column]) -> Table:
    """Read one sheet of a workbook into a Table of text columns.

    The sheet is parsed once by calamine; the first rows are looked at to find
    the header, then only the matched columns (and the sheet's first column,
    where total rows carry their label) are turned into text. Raises
    UnreadableFile when the file, the sheet or the header row cannot be found;
    problems in single cells (formula errors) are diagnostics on the table.
    """
    import fastexcel

    _sniff(path, display)
    # One load_sheet: calamine parses the whole sheet on each call, so the header is
    # looked for in the rows of the same load.
    try:
        reader = fastexcel.read_excel(str(path))
        name = _choose_sheet(list(reader.sheet_names), sheet, display)
        loaded = reader.load_sheet(
            name, header_row=None, skip_rows=0, dtypes="string", whitespace_as_null=True
        )
        batch, cell_errors = loaded.to_arrow_with_errors()
        infos = loaded.available_columns()
    except UnreadableFile:
        raise
    except Exception as exc:  # calamine's errors are many and untyped: all mean "unreadable"
        raise _unreadable(exc, display) from exc
    raw = pl.from_arrow(batch)
    assert isinstance(raw, pl.DataFrame)
    absolute = [info.absolute_index for info in infos]
    raw.columns = [f"a{i}" for i in absolute]
    header_idx, found = _find_header(raw, columns)
    _require_header(raw, header_idx, found, columns, display, name)
    located = {col: absolute[i] for col, i in found.items()}
    wanted = [f"a{i}" for i in sorted({absolute[0], *located.values()})]
    body = raw.slice(header_idx + 1).select(wanted)
    return _to_table(body, cell_errors, raw.columns, display, name, header_idx, located)


def _unreadable(exc: Exception, display: str) -> UnreadableFile:
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "password" in message.lower() or "encrypt" in message.lower():
        return UnreadableFile(Diagnostic("E007", "filen är lösenordsskyddad", file=display))
    return UnreadableFile(
        Diagnostic("E002", f"filen kan inte läsas som arbetsbok ({message})", file=display)
    )


def _find_header(raw: pl.DataFrame, columns: list[Column]) -> tuple[int, dict[str, int]]:
    """Index (0-based) of the header row and the matched column positions."""
    best: tuple[int, int, dict[str, int]] = (-1, -1, {})
    for r, values in enumerate(raw.head(HEADER_SCAN_ROWS).iter_rows()):
        headers = [normalize_header(v) for v in values]
        found: dict[str, int] = {}
        for col in columns:
            for i, h in enumerate(headers):
                if h and col.matches(h):
                    found[col.name] = i
                    break
        required = [c for c in columns if c.required]
        if all(c.name in found for c in required):
            return r, found
        score = sum(1 for c in required if c.name in found)
        if score > best[1]:
            best = (r, score, found)
    return best[0], best[2] if best[1] > 0 else {}


def _require_header(
    head: pl.DataFrame,
    header_idx: int,
    found: dict[str, int],
    columns: list[Column],
    display: str,
    sheet: str,
) -> None:
    missing = [c for c in columns if c.required and c.name not in found]
    if not found:
        expected = ", ".join(c.name for c in columns if c.required)
        raise UnreadableFile(
            Diagnostic(
                "E004",
                "ingen rubrikrad med de obligatoriska kolumnerna hittades bland de "
                f"första {HEADER_SCAN_ROWS} raderna",
                file=display,
                sheet=sheet,
                expected=expected,
            )
        )
    if missing:
        header_row = header_idx + 1
        raise UnreadableFile(
            Diagnostic(
                "E005",
                f"kolumnen {missing[0].name!r} saknas i rubrikraden (rad {header_row})",
                file=display,
                sheet=sheet,
                cell=f"A{header_row}",
                column=missing[0].name,
                expected=" eller ".join((missing[0].name, *missing[0].aliases)),
                value=", ".join(str(v) for v in head.row(header_idx) if v is not None),
            )
        )


def _to_table(
    body: pl.DataFrame,
    cell_errors: object,
    loaded_columns: list[str],
    display: str,
    sheet: str,
    header_idx: int,
    found: dict[str, int],
) -> Table:
    """``found``: canonical column -> absolute column index (A = 0)."""
    letters = {name: column_letter(i) for name, i in found.items()}
    body = body.with_row_index(ROW, offset=header_idx + 2).with_columns(pl.col(ROW).cast(pl.UInt32))
    data_cols = [c for c in body.columns if c != ROW]
    # Blank: every cell empty (whitespace is empty). Total: the first cell says Summa/Totalt.
    blank = pl.all_horizontal([pl.col(c).is_null() for c in data_cols])
    first_cell = pl.coalesce([pl.col(c) for c in data_cols])
    is_total = first_cell.str.contains(r"(?i)^\s*(summa|totalt|total)\b").fill_null(False)
    flags = body.select(blank.alias("blank"), (is_total & ~blank).alias("total"))
    blank_rows = int(flags["blank"].sum())
    total_rows = int(flags["total"].sum())
    kept = body.filter(~(flags["blank"] | flags["total"]))
    selected = kept.select(pl.col(ROW), *(pl.col(f"a{i}").alias(name) for name, i in found.items()))
    table = Table(display, sheet, selected, letters, header_idx + 1, blank_rows, total_rows)
    table.diagnostics.extend(_formula_errors(cell_errors, loaded_columns, found, table))
    return table


def _formula_errors(
    cell_errors: object, body_columns: list[str], found: dict[str, int], table: Table
) -> list[Diagnostic]:
    """Error cells (#REF!, #DIV/0! …) in the columns read; positions are (row, selected column)."""
    selected = [int(c[1:]) for c in body_columns if c != ROW]
    by_absolute = {i: name for name, i in found.items()}
    out = []
    for err in getattr(cell_errors, "errors", []):
        row0, col = err.position
        if col >= len(selected) or selected[col] not in by_absolute:
            continue
        absolute_col = selected[col]
        detail = str(err.detail)
        kind = detail.split("Error(")[-1].rstrip(")'") if "Error(" in detail else detail
        value = _CALAMINE_ERRORS.get(kind, kind)
        name = by_absolute[absolute_col]
        out.append(
            Diagnostic(
                "E006",
                "cellen innehåller ett formelfel",
                file=table.file,
                sheet=table.sheet,
                cell=f"{column_letter(absolute_col)}{row0 + 1}",
                column=name,
                value=value,
                expected="ett värde",
            )
        )
    return out


def find_workbook(folder: Path, stem: str) -> Path | None:
    """The workbook named ``stem`` in any readable format (.xlsx preferred)."""
    for suffix in READABLE_SUFFIXES:
        candidate = folder / f"{stem}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def find_workbooks(folder: Path, prefix: str) -> list[Path]:
    """All workbooks whose name starts with ``prefix``, sorted by name (stable order)."""
    found = [
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.name.lower().startswith(prefix)
        and p.suffix.lower() in READABLE_SUFFIXES
        and not p.name.startswith("~$")
    ]
    return sorted(found, key=lambda p: p.name)
