"""Reading workbooks (the I/O edge): find the sheet and the header row, keep provenance.

A workbook is read once with calamine (through fastexcel), every cell as text,
so that codes keep their leading zeros and Swedish number text can be parsed
with exact rules afterwards. Each data row keeps its Excel row number in
``_row``; each column keeps its letter, so every later problem can name its
cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from openpyxl.utils import get_column_letter

from budget.checks.cells import TOTAL_ROW_PATTERN
from budget.core.names import normalize_header, unshowable
from budget.diagnostics import Diagnostic
from budget.edge import csvfile, files, split, typed
from budget.edge.files import UnreadableFile
from budget.edge.workbook import Workbook, column_number, inspect

ROW = "_row"
HEADER_SCAN_ROWS = 50

READABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
# Binary workbooks cannot be checked before calamine reads them (see budget.edge.workbook).
REFUSED_SUFFIXES = (".xlsb",)
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")

# The contract's code and label columns: only these can make a row a total row.
LABEL_COLUMNS = frozenset(
    {"Ansvar", "Verksamhet", "Konto", "Verksamhetsområde", "Delområde", "Typ", "År", "Period"}
)
CODE_COLUMNS = frozenset({"Ansvar", "Verksamhet", "Konto"})

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

__all__ = ["ROW", "Column", "SkippedRow", "Table", "UnreadableFile", "read_table"]


@dataclass(frozen=True)
class Column:
    """A column the contract names, with the header aliases we accept."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    def matches(self, header: str) -> bool:
        wanted = {normalize_header(self.name), *(normalize_header(a) for a in self.aliases)}
        return header in wanted


@dataclass(frozen=True)
class SkippedRow:
    """A total row: not data, listed in the validation summary with its cell."""

    row: int
    cell: str
    label: str


@dataclass
class Table:
    """The data rows of one sheet: canonical text columns plus ``_row``.

    ``totals`` holds the total rows (same columns), kept out of the data but
    checked against the rows they sum; ``workbook`` and ``path`` let a check
    ask how the file stored a cell (text or number).
    """

    file: str
    sheet: str
    frame: pl.DataFrame
    letters: dict[str, str]
    header_row: int
    blank_rows: int = 0
    total_rows: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    totals: pl.DataFrame | None = None
    path: Path | None = None
    workbook: Workbook | None = None
    # A text file of records (SIE): a place is a line, and numbers are typed by the format.
    line_based: bool = False
    # How a text file was read ("CSV, semikolon, UTF-8"), for the validation summary.
    note: str | None = None
    # Columns read as numbers (typed fast path): the frame's ``FLOAT + column`` holds the
    # number, the text column only the cells that are no number calamine's text reads alike.
    numbers: frozenset[str] = frozenset()

    def cell(self, column: str, row: int) -> str:
        return f"rad {row}" if self.line_based else f"{self.letters[column]}{row}"

    def has(self, column: str) -> bool:
        return column in self.letters


def _sniff(path: Path, display: str) -> Workbook | None:
    """Refuse files that are not what their name claims, before calamine sees them."""
    head = files.read_head(path, display, 512)
    kind = files.sniff(head)
    if kind == files.EMPTY:
        raise UnreadableFile(Diagnostic("E002", "filen är tom", file=display))
    suffix = path.suffix.lower()
    if suffix in REFUSED_SUFFIXES:
        raise UnreadableFile(
            Diagnostic(
                "E009",
                "binära arbetsböcker (.xlsb) läses inte",
                file=display,
                value=suffix,
                expected=".xlsx, .xlsm, .xls eller .ods",
            )
        )
    if kind == files.OLE and suffix in (".xlsx", ".xlsm"):
        raise UnreadableFile(
            Diagnostic(
                "E007", "filen är krypterad (lösenordsskyddad) och kan inte läsas", file=display
            )
        )
    if kind == files.HTML:
        raise UnreadableFile(
            Diagnostic(
                "E002",
                f"filen är {files.FOUND[kind]}, inte en arbetsbok",
                file=display,
                expected="en .xlsx-fil",
            )
        )
    if suffix in ZIP_SUFFIXES:
        if kind != files.ZIP:
            raise UnreadableFile(
                Diagnostic(
                    "E002",
                    f"filen är ingen arbetsbok utan {files.FOUND[kind]}",
                    file=display,
                    expected="en .xlsx-fil",
                )
            )
        return inspect(path, display)
    return None


def _visibility(path: Path, workbook: Workbook | None, names: list[str]) -> dict[str, bool]:
    """Which sheets are visible: from the checked zip, else asked of calamine (.xls)."""
    if workbook is not None and workbook.sheets:
        return {s.name: s.visible for s in workbook.sheets}
    import fastexcel

    reader = fastexcel.read_excel(str(path))
    out = {}
    for name in names:
        out[name] = str(reader.load_sheet(name, header_row=None, n_rows=1).visible) == "visible"
    return out


def choose_sheet(
    names: list[str], visible: dict[str, bool], wanted: str, display: str, optional: bool = False
) -> str | None:
    """The sheet to read (contract §1): the visible one with the expected name; else the
    single visible sheet; a hidden sheet with the expected name is an error naming both.

    With ``optional``, a workbook without such a sheet gives None.
    """
    key = normalize_header(wanted)
    named = [n for n in names if normalize_header(n) == key]
    shown = [n for n in names if visible.get(n, True)]
    shown_named = [n for n in named if visible.get(n, True)]
    if len(shown_named) > 1:
        raise UnreadableFile(
            Diagnostic(
                "E018",
                f"{len(shown_named)} blad heter {wanted}: "
                + ", ".join(repr(n) for n in shown_named),
                file=display,
                sheet=shown_named[1],
                value=", ".join(names),
                expected=f"ett blad som heter {wanted}",
            )
        )
    if shown_named:
        return shown_named[0]
    if named:
        others = [n for n in shown if n not in named]
        raise UnreadableFile(
            Diagnostic(
                "E013",
                f"bladet {named[0]!r} är dolt"
                + (
                    f" bredvid {'det synliga bladet' if len(others) == 1 else 'de synliga bladen'} "
                    + ", ".join(others)
                    if others
                    else ""
                ),
                file=display,
                sheet=named[0],
                value=", ".join(names),
                expected=f"ett synligt blad som heter {wanted}",
            )
        )
    if optional:
        return None
    if len(shown) == 1:
        return shown[0]
    raise UnreadableFile(
        Diagnostic(
            "E003",
            f"bladet {wanted!r} finns inte",
            file=display,
            value=", ".join(names),
            expected=f"ett blad som heter {wanted}",
        )
    )


def has_sheet(path: Path, display: str, sheet: str) -> bool:
    """Whether the workbook has a visible sheet named ``sheet`` (hidden: an error, raised)."""
    import fastexcel

    workbook = _sniff(path, display)
    if workbook is not None and workbook.sheets:  # the checked zip already lists them
        names = [s.name for s in workbook.sheets]
        visible = {s.name: s.visible for s in workbook.sheets}
        return choose_sheet(names, visible, sheet, display, optional=True) is not None
    try:
        names = list(fastexcel.read_excel(str(path)).sheet_names)
        visible = _visibility(path, workbook, names)
    except Exception as exc:  # calamine's errors are many and untyped: all mean "unreadable"
        raise _unreadable(exc, display) from exc
    return choose_sheet(names, visible, sheet, display, optional=True) is not None


def read_table(
    path: Path,
    display: str,
    sheet: str,
    columns: list[Column],
    numeric: Mapping[str, str] | None = None,
) -> Table:
    """Read one sheet of a workbook into a Table of text columns.

    The sheet is parsed once by calamine; the first rows are looked at to find
    the header, then only the matched columns (and the sheet's first column,
    where total rows carry their label) are turned into text. Raises
    UnreadableFile when the file, the sheet or the header row cannot be found;
    problems in single cells (formula errors) are diagnostics on the table.

    ``numeric`` (column -> "amount" or "integer") names the columns an .xlsx sheet may
    have read as numbers by the typed fast path (``budget.edge.typed``), which gives the
    same Table in less time or, when it cannot prove that, leaves the sheet to this path.
    """
    import fastexcel

    if path.suffix.lower() in csvfile.SUFFIXES:
        return _read_csv(path, display, columns)
    if path.suffix.lower() in (".xlsx", ".xlsm") and split.enabled():
        split_table = _read_split(path, display, sheet, columns, numeric)
        if split_table is not None:
            return split_table
    workbook = _sniff(path, display)
    # One load_sheet: calamine parses the whole sheet on each call, so the header is
    # looked for in the rows of the same load.
    try:
        reader = fastexcel.read_excel(str(path))
        names = list(reader.sheet_names)
        name = choose_sheet(names, _visibility(path, workbook, names), sheet, display)
        assert name is not None
        if numeric and workbook is not None and workbook.kind == "xlsx" and typed.enabled():
            fast = _read_typed(reader, path, display, workbook, name, columns, numeric)
            if fast is not None:
                return fast
        loaded = reader.load_sheet(
            name, header_row=None, skip_rows=0, dtypes="string", whitespace_as_null=True
        )
        batch, cell_errors = loaded.to_arrow_with_errors()
        infos = loaded.available_columns()
    except UnreadableFile:
        raise
    except Exception as exc:  # calamine's errors are many and untyped: all mean "unreadable"
        raise _unreadable(exc, display) from exc
    except BaseException as exc:
        # A Rust panic in calamine reaches Python as pyo3's PanicException, a BaseException.
        # The one known: a date-formatted cell whose value is far outside Excel's dates.
        if type(exc).__name__ != "PanicException":
            raise
        raise UnreadableFile(
            Diagnostic(
                "E019",
                "ett värde med datum- eller tidsformat ligger utanför det Excel kan visa "
                f"({str(exc).splitlines()[0] if str(exc) else 'panik i läsaren'})",
                file=display,
                sheet=sheet,
                expected="ett datum mellan år 1900 och 9999, eller talet utan datumformat",
            )
        ) from None
    loaded_frame = pl.from_arrow(batch)
    assert isinstance(loaded_frame, pl.DataFrame)
    raw = loaded_frame
    absolute = [info.absolute_index for info in infos]
    raw.columns = [f"a{i}" for i in absolute]
    table = _from_raw(raw, cell_errors, [f"a{i}" for i in absolute], columns, display, name)
    table.path, table.workbook = path, workbook
    return table


@dataclass(frozen=True)
class _TypedPlan:
    """What the typed path reads, decided from the header copy."""

    header_idx: int
    located: dict[str, int]
    kinds: dict[int, str]
    use: list[int]
    dtypes: dict[int, str]

    @property
    def letters(self) -> list[str]:
        return typed.letters_of(sorted(self.kinds))


def _typed_plan(
    head: pl.DataFrame | None,
    display: str,
    name: str,
    columns: list[Column],
    numeric: Mapping[str, str],
) -> _TypedPlan | None:
    """The typed path's columns and types from the header copy; None where the text path
    must read the sheet (it finds the header, or says why it cannot)."""
    if head is None or not head.height:
        return None
    header_idx, found = _find_header(head, columns)
    if any(c.required and c.name not in found for c in columns) or header_idx >= head.height:
        return None
    try:
        _refuse_twice_named(head, header_idx, columns, display, name, list(head.columns))
    except UnreadableFile:
        return None
    located = {col: int(head.columns[i][1:]) for col, i in found.items()}
    kinds = {located[c]: k for c, k in numeric.items() if c in located}
    if not kinds:
        return None
    use = sorted(set(located.values()))
    dtypes = {i: "float" if i in kinds else "string" for i in use}
    return _TypedPlan(header_idx, located, kinds, use, dtypes)


def _read_csv(path: Path, display: str, columns: list[Column]) -> Table:
    records = csvfile.read_raw(path, display)
    frame = records.frame
    table = _from_raw(frame, None, list(frame.columns), columns, display, "")
    table.path, table.note = path, records.note
    broken = csvfile.check_widths(records, table.header_row - 1, display)
    if broken:
        # A broken record's cells are not where its header says: its E117 is all
        # there is to say about it (no cell errors of a shifted field beside it).
        rows = [int(d.cell[4:]) for d in broken if d.cell]
        table.frame = table.frame.filter(~pl.col(ROW).is_in(rows))
        table.diagnostics.extend(broken)
    return table


def _read_typed(
    reader: Any,
    path: Path,
    display: str,
    workbook: Workbook,
    name: str,
    columns: list[Column],
    numeric: Mapping[str, str],
) -> Table | None:
    """The sheet by the typed fast path (see ``budget.edge.typed``), or None where it
    cannot be proven to give what the text path gives."""
    head = typed.head(str(path), workbook, name)
    plan = _typed_plan(head, display, name, columns, numeric)
    if plan is None or head is None:
        return None
    scan = typed.TextCells(str(path), workbook, name, plan.letters)
    loaded = reader.load_sheet(
        name,
        header_row=None,
        skip_rows=0,
        use_columns=plan.use,
        dtypes=plan.dtypes,
        whitespace_as_null=True,
    )
    batch, cell_errors = loaded.to_arrow_with_errors()
    selected = [info.absolute_index for info in loaded.selected_columns]
    frame = pl.from_arrow(batch)
    assert isinstance(frame, pl.DataFrame)
    if selected != plan.use:
        return None
    frame.columns = [f"a{i}" for i in plan.use]
    errors = list(getattr(cell_errors, "errors", []))
    table = _typed_table(plan, head, frame, errors, scan.result(), display, name)
    if table is not None:
        table.path, table.workbook = path, workbook
    return table


def _typed_table(
    plan: _TypedPlan,
    head: pl.DataFrame,
    frame: pl.DataFrame,
    cell_errors: list[Any],
    not_numbers: set[str] | None,
    display: str,
    name: str,
) -> Table | None:
    """The typed read's Table, or None where it cannot be proven to be the text path's."""
    use, kinds, header_idx = plan.use, plan.kinds, plan.header_idx
    texts, errors = _texts(_Errors(cell_errors), use, kinds)
    if texts is None:
        return None
    if not_numbers is None or not _none_coerced(not_numbers, texts, errors, use, header_idx):
        return None
    frame = _with_texts(frame, kinds, texts)
    first = head.select(f"a{i}" for i in use)
    if not _spelled_out(frame.head(first.height)).select(first.columns).equals(first):
        return None
    body = frame.slice(header_idx + 1)
    return _to_table(
        body, _Errors(errors), [f"a{i}" for i in use], display, name, header_idx, plan.located
    )


def _read_split(
    path: Path,
    display: str,
    sheet: str,
    columns: list[Column],
    numeric: Mapping[str, str] | None,
) -> Table | None:
    """The sheet read in one inflate pass and in parts on both cores (``budget.edge.split``);
    None where the plain path must read it. Every figure is the plain path's: the same
    plans, the same post-processing, on a frame equal to one read's."""

    def choose(names: list[str], visible: dict[str, bool]) -> str:
        name = choose_sheet(names, visible, sheet, display)
        assert name is not None
        return name

    def plan(name: str, head: pl.DataFrame) -> split.Plan:
        if numeric and typed.enabled():
            found = _typed_plan(head, display, name, columns, numeric)
            if found is not None:
                return split.Plan(found.use, found.dtypes, found.letters, found)
        return split.Plan(None, "string")

    try:
        with split.read(path, display, choose, plan) as parsed:
            route = parsed.route
            typed_plan = parsed.plan.extra
            table = None
            if isinstance(typed_plan, _TypedPlan):
                table = _typed_table(
                    typed_plan,
                    parsed.head,
                    parsed.frame,
                    parsed.errors,
                    parsed.not_numbers,
                    display,
                    parsed.name,
                )
                if table is None:  # the text path, on the same parts
                    frame, errors, _selected = parsed.load(split.Plan(None, "string"))
                    route += ", som text"
                    table = _from_raw(
                        frame, _Errors(errors), list(frame.columns), columns, display, parsed.name
                    )
            else:
                raw = parsed.frame
                table = _from_raw(
                    raw, _Errors(parsed.errors), list(raw.columns), columns, display, parsed.name
                )
    except split.Fallback as exc:
        split.log(display, f"vanlig läsning: {exc}")
        return None
    split.log(display, route)
    table.path, table.workbook = path, parsed.workbook
    return table


@dataclass
class _Errors:
    """Cell errors in the shape ``_formula_errors`` reads (``.errors``)."""

    errors: list[Any]


def _texts(
    cell_errors: Any, use: list[int], kinds: Mapping[int, str]
) -> tuple[dict[tuple[int, int], str | None] | None, list[Any]]:
    """The text of each cell of a numeric column calamine could not read as a number
    ((row, column) -> text, None for blank), and the formula errors. None when a cell
    is neither (a date in an amount column): the text path reads that sheet."""
    texts: dict[tuple[int, int], str | None] = {}
    errors = []
    for err in getattr(cell_errors, "errors", []):
        row, position = err.position
        column = use[position]
        detail = str(err.detail)
        if column not in kinds:
            errors.append(err)
            continue
        text = typed.decoded(detail)
        if text is not None:
            texts[(row, column)] = None if typed.blank(text) else text
        elif "got 'Error(" in detail:
            errors.append(err)
        else:
            return None, []
    return texts, errors


def _none_coerced(
    not_numbers: set[str],
    texts: Mapping[tuple[int, int], str | None],
    errors: list[Any],
    use: list[int],
    header_idx: int,
) -> bool:
    """Every cell below the header that the file stores as no number came back as its
    text or as a formula error: calamine read none of them as a number."""
    error_cells = {(e.position[0], use[e.position[1]]) for e in errors}
    for ref in not_numbers:
        letters = ref.rstrip("0123456789")
        cell = (int(ref[len(letters) :]) - 1, column_number(letters) - 1)
        if cell[0] > header_idx and cell not in texts and cell not in error_cells:
            return False  # rows up to the header are compared with the header copy
    return True


def _with_texts(
    frame: pl.DataFrame, kinds: Mapping[int, str], texts: Mapping[tuple[int, int], str | None]
) -> pl.DataFrame:
    """Each numeric column as its number (``FLOAT``) and its text: the decoded text of a
    cell that is no number, and calamine's text of a number the converter would not take
    as it stands (a fourth decimal, a year 2017.5): where that text is null, the number
    is read directly."""
    out = []
    for column, kind in kinds.items():
        name = f"a{column}"
        x = frame[name]
        plain = (
            typed.plain_amount(pl.col(name))
            if kind == "amount"
            else typed.plain_integer(pl.col(name))
        )
        odd = frame.select(pl.col(name).is_not_null() & ~plain.fill_null(False)).to_series()
        text: list[str | None] = [None] * frame.height
        for i in odd.arg_true().to_list():
            text[i] = typed.excel_text(x[i])
        for (row, col), value in texts.items():
            if col == column:
                text[row] = value
        out.append(pl.Series(name, text, dtype=pl.String))
        out.append(x.alias(f"{typed.FLOAT}{name}"))
    return frame.with_columns(out)


def _from_raw(
    raw: pl.DataFrame,
    cell_errors: object,
    loaded: list[str],
    columns: list[Column],
    display: str,
    sheet: str,
) -> Table:
    """The header found in the first rows, then the data rows as a Table."""
    header_idx, found = _find_header(raw, columns)
    _require_header(raw, header_idx, found, columns, display, sheet)
    _refuse_twice_named(raw, header_idx, columns, display, sheet, loaded)
    absolute = [int(c[1:]) for c in loaded]
    located = {col: absolute[i] for col, i in found.items()}
    wanted = [f"a{i}" for i in sorted(located.values())]
    body = raw.slice(header_idx + 1).select(wanted)
    return _to_table(body, cell_errors, raw.columns, display, sheet, header_idx, located)


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


def _refuse_twice_named(
    raw: pl.DataFrame,
    header_idx: int,
    columns: list[Column],
    display: str,
    sheet: str,
    loaded: list[str],
) -> None:
    """E018: two header cells that both name one contract column (``Belopp`` and its
    alias ``Utfall``). Reading one of them would leave the other's figures out unseen."""
    headers = [normalize_header(v) for v in raw.row(header_idx)]
    absolute = [int(c[1:]) for c in loaded]
    for col in columns:
        hits = [i for i, h in enumerate(headers) if h and col.matches(h)]
        if len(hits) > 1:
            cells = [f"{get_column_letter(absolute[i] + 1)}{header_idx + 1}" for i in hits]
            raise UnreadableFile(
                Diagnostic(
                    "E018",
                    f"kolumnen {col.name!r} finns {len(hits)} gånger i rubrikraden "
                    f"({', '.join(cells)})",
                    file=display,
                    sheet=sheet,
                    cell=cells[1],
                    column=col.name,
                    value=", ".join(str(raw.row(header_idx)[i]) for i in hits),
                    expected="en kolumn per namn",
                )
            )


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
        wanted = missing[0]
        headers = [str(v) for v in head.row(header_idx) if v is not None]
        taken = set(found.values())
        free = [
            str(v) for i, v in enumerate(head.row(header_idx)) if v is not None and i not in taken
        ]
        guess = closest_header(wanted, free)
        hint = (
            f'. Menade du {guess!r}? Lägg till i namnd.toml: [kolumner] {wanted.name} = ["{guess}"]'
            if guess
            else ". Heter kolumnen något annat, lägg till i namnd.toml: "
            f'[kolumner] {wanted.name} = ["…"]'
        )
        raise UnreadableFile(
            Diagnostic(
                "E005",
                f"kolumnen {wanted.name!r} saknas i rubrikraden (rad {header_row}){hint}",
                file=display,
                sheet=sheet,
                cell=f"A{header_row}",
                column=wanted.name,
                expected=" eller ".join((wanted.name, *wanted.aliases)),
                value=", ".join(headers),
            )
        )


def _abbreviates(short: str, long: str) -> bool:
    """``kst`` abbreviates ``kostnadsstalle``: same first letter, letters in order."""
    if short[0] != long[0] or len(short) >= len(long):
        return False
    rest = iter(long)
    return all(ch in rest for ch in short)


def closest_header(column: Column, headers: list[str]) -> str | None:
    """The header most like a missing column (``Kontonr`` for Konto), if any is close."""
    import difflib

    names = [normalize_header(n) for n in (column.name, *column.aliases)]
    best: tuple[float, str] | None = None
    for header in headers:
        folded = normalize_header(header)
        if not folded:
            continue
        score = max(difflib.SequenceMatcher(None, n, folded).ratio() for n in names)
        if any(folded.startswith(n) or n.startswith(folded) for n in names if len(n) >= 3):
            score = max(score, 0.8)
        if len(folded) >= 3 and any(_abbreviates(folded, n) for n in names):
            score = max(score, 0.7)  # Kst for Kostnadsställe
        if score >= 0.6 and (best is None or score > best[0]):
            best = (score, header)
    return best[1] if best else None


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
    letters = {name: get_column_letter(i + 1) for name, i in found.items()}
    body = body.with_row_index(ROW, offset=header_idx + 2).with_columns(pl.col(ROW).cast(pl.UInt32))
    data_cols = [c for c in body.columns if c != ROW]
    blank = pl.all_horizontal([pl.col(c).is_null() for c in data_cols])
    total, label = _total_row({name: f"a{i}" for name, i in found.items()})
    flags = body.select(blank.alias("blank"), (total & ~blank).alias("total"), label)
    blank_rows = int(flags["blank"].sum())
    is_total = flags["total"]
    rename = [pl.col(ROW), *(pl.col(f"a{i}").alias(name) for name, i in found.items())]
    rename += [
        pl.col(f"{typed.FLOAT}a{i}").alias(typed.FLOAT + name)
        for name, i in found.items()
        if f"{typed.FLOAT}a{i}" in body.columns
    ]
    selected = body.filter(~(flags["blank"] | is_total)).select(rename)
    totals = _spelled_out(body.filter(is_total).select(rename))
    skipped = [
        SkippedRow(row, f"{letters[column]}{row}", str(values[column]))
        for row, column, values in zip(
            totals[ROW].to_list(),
            flags.filter(is_total)["label"].to_list(),
            totals.iter_rows(named=True),
            strict=True,
        )
    ]
    table = Table(
        display,
        sheet,
        selected,
        letters,
        header_idx + 1,
        blank_rows,
        len(skipped),
        [],
        skipped,
        totals,
        numbers=frozenset(
            c[len(typed.FLOAT) :] for c in selected.columns if c.startswith(typed.FLOAT)
        ),
    )
    table.diagnostics.extend(_formula_errors(cell_errors, loaded_columns, found, table))
    return table


def _spelled_out(rows: pl.DataFrame) -> pl.DataFrame:
    """Rows whose numbers are written back as calamine's text (total rows, checked by
    their text): the frame the text path would have."""
    floats = [c for c in rows.columns if c.startswith(typed.FLOAT)]
    out = rows.with_columns(
        pl.coalesce(
            pl.col(c[len(typed.FLOAT) :]),
            pl.col(c).map_elements(typed.excel_text, return_dtype=pl.String, skip_nulls=True),
        ).alias(c[len(typed.FLOAT) :])
        for c in floats
    )
    return out.drop(floats)


def _total_row(columns: dict[str, str]) -> tuple[pl.Expr, pl.Expr]:
    """Contract §1: a total row has a code or label column starting with Summa, Totalt
    or Total, and no code column holding a code. Free-text columns never count.

    ``columns``: canonical name -> loaded column. Returns the flag and the name of
    the column that holds the label.
    """
    said = {
        name: pl.col(c).str.contains(TOTAL_ROW_PATTERN).fill_null(False)
        for name, c in columns.items()
        if name in LABEL_COLUMNS
    }
    if not said:
        return pl.lit(False), pl.lit(None, pl.String).alias("label")
    has_code = [
        pl.col(columns[name]).is_not_null() & ~said[name] for name in said if name in CODE_COLUMNS
    ]
    total = pl.any_horizontal(list(said.values()))
    if has_code:
        total = total & ~pl.any_horizontal(has_code)
    label = pl.coalesce([pl.when(flag).then(pl.lit(name)) for name, flag in said.items()])
    return total, label.alias("label")


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
                cell=f"{get_column_letter(absolute_col + 1)}{row0 + 1}",
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
        if files.present(candidate):
            return candidate
    return None


def find_workbooks(folder: Path, prefix: str, also: tuple[str, ...] = ()) -> list[Path]:
    """All workbooks (and files with the suffixes ``also``) whose name starts with
    ``prefix``, sorted by name (stable order).

    A refused format (.xlsb) is listed too, so that its reader says why it is refused.
    """
    found = [
        p
        for p in folder.iterdir()
        if files.present(p)
        and p.name.lower().startswith(prefix)
        and p.suffix.lower() in (*READABLE_SUFFIXES, *REFUSED_SUFFIXES, *also)
        and not p.name.startswith("~$")
        and not unshowable(p.name)  # named in E020 by edge.inputs
    ]
    return sorted(found, key=lambda p: p.name)
