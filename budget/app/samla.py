"""``budget samla``: the units' returned underlag, checked and gathered into prognos.xlsx.

Every .xlsx in the returned folder is read cell by cell (``edge.returned``). A workbook for
another nämnd, year or period, an unknown ansvar, a changed prefilled cell, text in an
amount cell or a deficit without åtgärder is an error naming file and cell: then nothing is
written. A unit returned twice counts once, the newest file, with a warning naming both.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from budget.app.underlag import (
    PREVIOUS,
    default_out,
    prepared_inputs,
    require_responsibilities,
)
from budget.core.collection import COLUMNS, IDENTITY_SHEET, PREFILLED, SHEET, UnitRow, own_change
from budget.core.fmt import whole_kronor
from budget.core.frames import Inputs
from budget.core.money import from_kronor, kronor
from budget.core.names import file_key, printable, unshowable
from budget.core.steps import Steps
from budget.diagnostics import BudgetError, Diagnostic, InputErrors, OutputError, errors, os_reason
from budget.edge import sent as sent_mod
from budget.edge.returned import (
    Returned,
    ReturnedRow,
    collected_for,
    collection_key,
    read_returned,
)
from budget.edge.sheets import FORECASTS
from budget.report.render import cells
from budget.report.render.underlag import Identity, canonical, fingerprint
from budget.report.render.xlsx import HEADER_FILL, HEADER_FONT, KRONOR, to_bytes

FORECAST_HEADER = FORECASTS.header(
    "Delområde",
    "Ansvar",
    "Verksamhet",
    "Kommentar",
    "Åtgärder",
    "Föregående prognos kostnader",
    "Föregående prognos intäkter",
    "Lämnad av",
    "Period",
)
STATUS_HEADER = (
    "Ansvar",
    "Enhet",
    "Chef",
    "Status",
    "Fil",
    "Förändring sedan förra prognosen",
    "Fel",
)
LEFT_OUT_SHEET = "Utelämnade"
LEFT_OUT_HEADER = ("Ansvar", "Enhet", "Fil", "Fel")
RETURNED, MISSING, REFUSED = "inlämnad", "saknas", "avvisad"
IDENTITY_CELLS = {"Nämnd": "B1", "År": "B2", "Period": "B3", "Ansvar": "B5"}


@dataclass
class Collection:
    """What came back: per ansvar the file used, and who is missing."""

    units: dict[str, str | None]  # ansvar -> enhet, in the order of the Ansvar sheet
    managers: dict[str, str | None] = field(default_factory=dict)  # ansvar -> chef
    returned: dict[str, Path] = field(default_factory=dict)
    # ansvar -> how much the unit changed its own forecast, net öre (None: nothing to compare)
    changes: dict[str, int | None] = field(default_factory=dict)
    rows: int = 0
    written: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # The workbooks with errors, left out under --delvis (each with its ansvar when known).
    refused: list[Refusal] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """Units not returned: none came back, or only workbooks that were refused."""
        return [a for a in self.units if a not in self.returned]

    def status(self, ansvar: str) -> str:
        if ansvar in self.returned:
            return RETURNED
        return REFUSED if self.refusals(ansvar) else MISSING

    def refusals(self, ansvar: str | None) -> list[Refusal]:
        return [r for r in self.refused if r.ansvar == ansvar]

    def left_out(self) -> list[Refusal]:
        """The refused workbooks that left their unit out (or whose unit is unknown)."""
        return [r for r in self.refused if r.ansvar is None or r.ansvar not in self.returned]

    def order(self) -> list[str]:
        """The refused units first (to fix), then the missing (to remind), then the largest
        changes (to question)."""
        missing = sorted(self.missing, key=lambda a: self.status(a) != REFUSED)
        return missing + sorted(self.returned, key=lambda a: -abs(self.changes.get(a) or 0))


@dataclass(frozen=True)
class Refusal:
    """A returned workbook with errors: its file, its unit (None: not known) and errors."""

    path: Path
    ansvar: str | None
    diagnostics: list[Diagnostic]

    def text(self, most: int = 5) -> str:
        """The errors as one cell or line can hold them: the first few, then a count."""
        shown = [d.text() for d in self.diagnostics[:most]]
        rest = len(self.diagnostics) - most
        return "\n".join(shown + ([f"… och {rest} fel till"] if rest > 0 else []))


class ReturnsRefused(InputErrors):
    """Returned workbooks have errors: nothing written. ``usable``: how many had none
    (what --delvis would collect)."""

    def __init__(self, diagnostics: list[Diagnostic], usable: int, partial: bool) -> None:
        super().__init__(diagnostics)
        self.usable = usable
        self.partial = partial


def collect(
    folder: Path,
    returned_dir: Path | None,
    period: int | None,
    generated_at: datetime,
    status: Path | None = None,
    steps: Steps | None = None,
    sent_at: Path | None = None,
    partial: bool = False,
) -> Collection:
    """Check every returned workbook against what was sent (``utskick.json``: in
    ``sent_at``, the folder underlag writes to by default, or ``returned_dir``) and write
    prognos.xlsx (and the ``status`` workbook); raises InputErrors, OutputError.

    A workbook with errors stops it all (ReturnsRefused), unless ``partial`` (--delvis):
    then the workbooks without errors are collected and the refused ones are listed, their
    units counted as not returned, in the status list and in prognos.xlsx."""
    steps = steps or Steps(time.perf_counter)
    prepared = prepared_inputs(folder, period, steps)
    inputs, settings = prepared.inputs, prepared.inputs.settings
    assert settings is not None
    responsibilities = require_responsibilities(prepared, "samlas in")
    year, month = prepared.period.year, prepared.period.month
    units = dict(responsibilities.select("ansvar", "unit").iter_rows())
    managers = dict(responsibilities.select("ansvar", "manager").iter_rows())
    found = Collection(units, managers)
    default = default_out(folder, prepared.period.suffix)
    if returned_dir is None:
        returned_dir = default_returns(default, sent_at)
    try:
        record = sent_mod.find(sent_at, default, returned_dir)
    except sent_mod.NoRecord as exc:
        raise InputErrors([*prepared.diagnostics, exc.diagnostic]) from exc
    _check_record(record, settings.namnd, year, month)
    with steps.stage("returned"):
        chosen = _read_all(returned_dir, found, settings.namnd, year, month, record, steps)
    if errors(found.diagnostics) and (not partial or not chosen):
        raise ReturnsRefused(found.diagnostics, len(chosen), partial)
    with steps.stage("write_prognos"):
        key = (settings.namnd, year, month)
        kept = _other_periods(prepared.forecast_register, month)
        return _write(found, chosen, inputs, folder, key, generated_at, status, kept)


def _write(
    found: Collection,
    chosen: dict[str, Returned],
    inputs: Inputs,
    folder: Path,
    period: tuple[str, int, int],
    generated_at: datetime,
    status: Path | None,
    kept: list[list[Any]] | None = None,
) -> Collection:
    """prognos.xlsx from the chosen workbooks (the one before kept), and the status list.
    ``kept``: the register's rows of other periods, written first (contract §8)."""
    units = found.units
    structure = {
        v: (a, s)
        for v, a, s in inputs.structure.select("verksamhet", "area", "subarea").iter_rows()
    }
    rows: list[list[Any]] = []
    for ansvar in units:
        if ansvar not in chosen:
            continue
        found.returned[ansvar] = chosen[ansvar].path
        found.changes[ansvar] = own_change([_unit_row(r) for r in chosen[ansvar].rows])
        rows.extend(
            [*r, period[2]] for r in _forecast_rows(chosen[ansvar], structure, units[ansvar])
        )
    found.rows = len(rows)
    rows = [*(kept or []), *rows]
    key = collection_key(*period)
    files = {"prognos.xlsx": _workbook(rows, key, generated_at, _left_out(found))}
    current = folder / "prognos.xlsx"
    from budget.edge.write import write_all

    try:
        # A second run for the same period keeps the forecast before this collection.
        if current.is_file() and collected_for(current) != period:
            files[PREVIOUS] = current.read_bytes()
        if status is not None:
            try:
                status_file = {status.name: _status(found, generated_at)}
                found.written += write_all(status.parent, status_file)
            except OSError as exc:
                raise StatusError(
                    f"statuslistan kan inte skrivas till {status} ({os_reason(exc)})"
                ) from exc
        found.written += write_all(folder, files)
    except OSError as exc:
        where = exc.filename or folder
        raise OutputError(f"prognos.xlsx kan inte skrivas till {where} ({os_reason(exc)})") from exc
    return found


class StatusError(OutputError):
    """The status workbook cannot be written where --status asked (nothing else written)."""


def _unit_row(r: ReturnedRow) -> UnitRow:
    """A returned row in report signs (öre), with the previous forecast it was sent."""

    def ore(value: Any) -> int | None:
        return None if value is None else from_kronor(value)

    cell = (str(r.prefilled[0]), str(r.prefilled[1]))
    return UnitRow.entered(
        cell, ore(r.costs), ore(r.revenues), (ore(r.prefilled[7]), ore(r.prefilled[8]))
    )


def _status(found: Collection, generated_at: datetime) -> bytes:
    """The controller's list: missing units with their managers, then the returned ones."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Status"
    cells.put_row(ws, 1, STATUS_HEADER)
    ws.row_dimensions[1].height = 30  # two lines: LibreOffice keeps a set height
    for c, width in enumerate((10, 34, 24, 11, 30, 16, 80), 1):
        ws.column_dimensions[get_column_letter(c)].width = width
        ws.cell(row=1, column=c).font = HEADER_FONT
        ws.cell(row=1, column=c).fill = HEADER_FILL
        ws.cell(row=1, column=c).alignment = Alignment(wrap_text=True, vertical="top")
    rows = [
        [
            ansvar,
            found.units.get(ansvar),
            found.managers.get(ansvar),
            found.status(ansvar),
            *_file_and_errors(found, ansvar),
        ]
        for ansvar in found.order()
    ]
    rows += [  # refused workbooks whose unit could not be told
        [None, None, None, REFUSED, r.path.name, None, r.text()] for r in found.refusals(None)
    ]
    for r, row in enumerate(rows, 2):
        cells.put_row(ws, r, row)
        ws.cell(row=r, column=6).number_format = KRONOR
        ws.cell(row=r, column=7).alignment = Alignment(wrap_text=True, vertical="top")
    ws.auto_filter.ref = f"A1:G{ws.max_row}"
    ws.freeze_panes = "A2"
    return to_bytes(wb, generated_at)


def _file_and_errors(found: Collection, ansvar: str) -> list[Any]:
    """A unit's file, change and errors in the status list: the file used, else the files
    refused with their errors."""
    path = found.returned.get(ansvar)
    if path is not None:
        change = found.changes.get(ansvar)
        return [path.name, None if change is None else kronor(change), None]
    refused = found.refusals(ansvar)
    names = ", ".join(r.path.name for r in refused) or None
    return [names, None, "\n".join(r.text() for r in refused) or None]


def _left_out(found: Collection) -> list[list[Any]]:
    """prognos.xlsx's list of the units left out under --delvis, with their errors."""
    return [
        [r.ansvar, found.units.get(r.ansvar) if r.ansvar else None, r.path.name, r.text()]
        for r in found.left_out()
    ]


class NoReturnsFolder(BudgetError):
    """samla was given no returns folder, and the one underlag makes is not there."""


def default_returns(default: Path, sent_at: Path | None) -> Path:
    """The returns folder samla reads when it is given none: the one underlag made beside
    the folder it wrote (``--underlag``, else its default folder); raises NoReturnsFolder."""
    written = default if sent_at is None else sent_at
    if written.suffix.lower() == ".json":
        written = written.parent
    returns = sent_mod.returns_dir(written)
    if not returns.is_dir():
        what = "är en fil, inte en mapp" if returns.exists() else "finns inte"
        raise NoReturnsFolder(
            f"ingen mapp med inlämnade underlag angavs, och {returns} {what}; budget underlag "
            "skapar den bredvid underlagen som skickas. Lägg de ifyllda underlagen där, eller "
            "ange mappen där de ligger: budget samla INDATAMAPP INLÄMNADE"
        )
    return returns


class NothingReturned(BudgetError):
    """The returned folder holds no workbook (or cannot be listed): nothing to collect."""


def returned_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """The workbooks in the returned folder (.xlsx, any case) and the other files there.

    Excel's lock files (~$…) and hidden files are neither; a folder is no file.
    """
    try:
        files = sorted(
            p for p in folder.iterdir() if p.is_file() and not p.name.startswith(("~$", "."))
        )
    except OSError as exc:
        raise NothingReturned(f"mappen {folder} kan inte läsas ({os_reason(exc)})") from exc
    workbooks = [p for p in files if p.suffix.lower() == ".xlsx"]
    if not workbooks:
        raise NothingReturned(
            f"{folder} innehåller inga ifyllda underlag (.xlsx); lägg dem där och kör igen"
        )
    return workbooks, [p for p in files if p.suffix.lower() != ".xlsx"]


def _read_all(
    returned_dir: Path,
    found: Collection,
    namnd: str,
    year: int,
    month: int,
    record: sent_mod.Sent,
    steps: Steps,
) -> dict[str, Returned]:
    """Every returned workbook checked against what was sent; per ansvar the one to use
    (the newest)."""
    units = found.units
    chosen: dict[str, Returned] = {}
    workbooks, others = returned_files(returned_dir)
    for path in [p for p in workbooks if unshowable(p.name)]:
        workbooks.remove(path)
        found.diagnostics.append(
            Diagnostic(
                "W322",
                "filnamnet har ett styrtecken eller tecken som inte är UTF-8; "
                "enheten räknas som saknad tills filen döps om",
                file=printable(path.name),
                expected="ett filnamn med vanliga tecken, t.ex. A1-T2.xlsx",
            )
        )
    for path in others:
        if path.name == sent_mod.NAME:
            continue  # the record itself, when the returns are in the folder underlag wrote
        found.diagnostics.append(
            Diagnostic(
                "W318",
                "filen är ingen Excel-arbetsbok (.xlsx) och lästes inte",
                file=printable(path.name),
                expected="underlaget sparat som Excel-arbetsbok (.xlsx)",
            )
        )
    for path in workbooks:
        with steps.file(path.name):
            got = read_returned(path)
        usable = (
            bool(got.identity)
            and not errors(got.diagnostics)
            and _identity_ok(got, namnd, year, month, units)
            and _known(got, record)
        )
        if usable:
            _check_prefilled(got, record.by_ansvar()[str(got.identity["Ansvar"])], record)
            usable = not errors(got.diagnostics)
            if usable:
                _check_deficits(got)
        found.diagnostics.extend(got.diagnostics)
        if errors(got.diagnostics):
            found.refused.append(
                Refusal(path, _unit_of(got, units, record), errors(got.diagnostics))
            )
        if not usable:
            continue
        ansvar = str(got.identity["Ansvar"])
        if ansvar in chosen:
            older, newer = sorted(
                (chosen[ansvar], got), key=lambda r: (r.path.stat().st_mtime_ns, r.path.name)
            )
            found.diagnostics.append(
                Diagnostic(
                    "W317",
                    f"ansvar {ansvar} finns i både {older.path.name} och {newer.path.name}; "
                    f"{newer.path.name} används",
                    file=newer.path.name,
                    value=older.path.name,
                )
            )
            chosen[ansvar] = newer
        else:
            chosen[ansvar] = got
    return chosen


def _unit_of(got: Returned, units: dict[str, str | None], record: sent_mod.Sent) -> str | None:
    """The unit a refused workbook is of: its identity sheet's Ansvar when that is a unit,
    else the unit whose workbook was sent under its file name (old or new), else unknown."""
    ansvar = got.identity.get("Ansvar") if got.identity else None
    if ansvar is not None and str(ansvar) in units:
        return str(ansvar)
    named = record.by_file().get(file_key(got.path.name))
    return named.ansvar if named is not None and named.ansvar in units else None


def _check_record(record: sent_mod.Sent, namnd: str, year: int, month: int) -> None:
    """The record must be of this nämnd, year and period (E231 names the file)."""
    found = []
    for what, value, want in (
        ("nämnd", record.namnd, namnd),
        ("år", record.year, year),
        ("period", record.period, month),
    ):
        if value != want:
            found.append(
                Diagnostic(
                    "E231",
                    f"utskicksregistret {record.path} gäller {what} {value}, inte {want}",
                    file=record.path.name if record.path else sent_mod.NAME,
                    value=str(value),
                    expected=f"utskick.json från budget underlag för {what} {want}",
                )
            )
    if found:
        raise InputErrors(found)


def _identity_ok(
    got: Returned, namnd: str, year: int, month: int, units: dict[str, str | None]
) -> bool:
    before = len(got.diagnostics)
    for key, want in (("Nämnd", namnd), ("År", year), ("Period", month)):
        value = got.identity.get(key)
        if value != want:
            got.bad(
                "E212",
                f"underlaget gäller {key.lower()} {value}",
                sheet=IDENTITY_SHEET,
                cell=IDENTITY_CELLS[key],
                value=str(value),
                expected=str(want),
            )
    ansvar = str(got.identity.get("Ansvar"))
    if ansvar not in units:
        got.bad(
            "E213",
            f"ansvar {ansvar} finns inte i struktur.xlsx",
            sheet=IDENTITY_SHEET,
            cell=IDENTITY_CELLS["Ansvar"],
            value=ansvar,
            expected="ett ansvar i bladet Ansvar",
        )
    return len(got.diagnostics) == before


def _known(got: Returned, record: sent_mod.Sent) -> bool:
    """The workbook's ansvar was sent, and a file named as another unit's workbook is not
    that unit's copy under its name (E232)."""
    ansvar = str(got.identity.get("Ansvar"))
    where = {"sheet": IDENTITY_SHEET, "cell": IDENTITY_CELLS["Ansvar"], "value": ansvar}
    if ansvar not in record.by_ansvar():
        got.bad(
            "E232",
            f"inget underlag för ansvar {ansvar} skickades ut ({record.written[:16]})",
            **where,
            expected="ett ansvar som fick underlaget: "
            + ", ".join(b.ansvar for b in record.books[:10])
            + (", …" if len(record.books) > 10 else ""),
        )
        return False
    named = record.by_file().get(file_key(got.path.name))
    if named is not None and named.ansvar != ansvar:
        got.bad(
            "E232",
            f"filen heter som underlaget till ansvar {named.ansvar} men är underlaget till "
            f"ansvar {ansvar}: en kopia av en annan enhets underlag",
            **where,
            expected=named.ansvar,
        )
        return False
    return True


MAX_NAMED = 10  # changed cells named one by one in a workbook; the rest are counted


def _check_prefilled(got: Returned, book: sent_mod.SentBook, record: sent_mod.Sent) -> None:
    """Every prefilled cell as it was sent (E214): each row's Ansvar is the workbook's, no
    row added or removed, no cell changed. The returned rows then carry the cells sent."""
    own = _own_fingerprint(got)
    other = own == got.identity.get("Fingeravtryck") and own != book.fingerprint
    origin = "; kommer underlaget från ett tidigare utskick, be enheten fylla i det senaste"
    origin = origin if other else ""
    problems = _foreign_rows(got, book.ansvar) + _changed(got, book, origin)
    for p in problems[:MAX_NAMED]:
        got.bad("E214", p.pop("message"), sheet=SHEET, **p)
    if len(problems) > MAX_NAMED:
        got.bad(
            "E214",
            f"ytterligare {len(problems) - MAX_NAMED} förifyllda celler eller rader är ändrade",
            sheet=SHEET,
            expected=f"bladet som budget underlag skrev {record.written[:16]}",
        )
    if not problems:  # the cells as sent, not as the workbook spells them
        sent_rows = {_key(row): row for row in book.rows}
        got.rows = [
            dataclasses.replace(r, prefilled=list(sent_rows[_key(r.prefilled)])) for r in got.rows
        ]


def _foreign_rows(got: Returned, ansvar: str) -> list[dict[str, Any]]:
    """Rows whose Ansvar is not the workbook's unit."""
    return [
        {
            "message": f"raden gäller ansvar {_shown(r.prefilled[0]) or '(tomt)'}, men "
            f"arbetsboken är underlaget till ansvar {ansvar}",
            "cell": f"A{r.row}",
            "column": COLUMNS[0],
            "value": _shown(r.prefilled[0]),
            "expected": ansvar,
        }
        for r in got.rows
        if _shown(r.prefilled[0]) != ansvar
    ]


def _changed(got: Returned, book: sent_mod.SentBook, origin: str) -> list[dict[str, Any]]:
    """Rows added or removed and cells changed, against the rows sent (matched by
    Verksamhet, so that one removed row does not shift every row after it; the Ansvar of a
    row is ``_foreign_rows``')."""
    problems: list[dict[str, Any]] = []
    sent_rows = {_key(row): row for row in book.rows}
    seen: set[str] = set()
    for r in got.rows:
        key = _key(r.prefilled)
        then = sent_rows.get(key)
        if then is None or key in seen:
            problems.append(
                {
                    "message": "raden finns inte i underlaget som skickades" + origin,
                    "cell": f"B{r.row}",
                    "column": COLUMNS[1],
                    "value": _shown(r.prefilled[1]),
                    "expected": "bara de rader som skickades: "
                    + ", ".join(_shown(row[1]) for row in book.rows[:10]),
                }
            )
            continue
        seen.add(key)
        problems += [
            {
                "message": "en förifylld cell är ändrad" + origin,
                "cell": f"{get_column_letter(c + 1)}{r.row}",
                "column": COLUMNS[c],
                "value": _shown(now),
                "expected": _shown(was),
            }
            for c, (now, was) in enumerate(zip(r.prefilled, then, strict=True))
            if c > 0 and canonical(now) != canonical(was)
        ]
    problems += [
        {
            "message": f"raden för verksamhet {_shown(row[1])} saknas" + origin,
            "cell": f"A{i + 2}",
            "value": "",
            "expected": ", ".join(_shown(v) for v in row[:3]),
        }
        for i, row in enumerate(book.rows)
        if _key(row) not in seen
    ]
    return problems


def _key(row: Sequence[Any]) -> str:
    """A row of a unit's workbook is its verksamhet (one row each)."""
    return _shown(row[1])


def _shown(value: Any) -> str:
    """A prefilled cell as a message shows it: an amount in Swedish, 1 200 000,00."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{float(value):,.2f}".replace(",", "\u00a0").replace(".", ",")
    return "" if value is None else str(value)


def _own_fingerprint(got: Returned) -> str | None:
    """The fingerprint of the workbook's own cells, to tell another mailing from a change."""
    try:
        identity = Identity(
            str(got.identity["Nämnd"]),
            int(got.identity["År"]),
            int(got.identity["Period"]),
            "",
            str(got.identity["Ansvar"]),
            None,
        )
    except (KeyError, TypeError, ValueError):
        return None
    return fingerprint(identity, [r.prefilled for r in got.rows])


def _check_deficits(got: Returned) -> None:
    """A unit that forecasts a deficit must say what it does about it (contract §4).

    The deficit is the unit's, over all its rows: a verksamhet over budget that another of
    the unit's verksamheter makes up for is no deficit. A side the unit left empty counts as
    its suggestion. The error names the Åtgärder cell of the row furthest over budget.
    """
    total = 0
    worst: tuple[int, int] | None = None  # (deficit, sheet row)
    for r in got.rows:
        budget_costs, budget_revenues = r.prefilled[3], r.prefilled[4]
        if budget_costs is None and budget_revenues is None:
            return  # no budget per ansvar: nothing to measure a deficit against
        if r.measures:
            return
        costs = r.costs if r.costs is not None else r.prefilled[9]
        revenues = r.revenues if r.revenues is not None else r.prefilled[10]
        deficit = (_ore(budget_revenues) - _ore(budget_costs)) - (_ore(revenues) - _ore(costs))
        total += deficit
        if worst is None or deficit > worst[0]:
            worst = (deficit, r.row)
    if (
        worst is None
        or total < 100
        or not any(r.costs is not None or r.revenues is not None for r in got.rows)
    ):
        return
    got.bad(
        "E215",
        f"enhetens prognos ger ett underskott på {whole_kronor(total)}\u00a0kr utan åtgärder",
        sheet=SHEET,
        cell=f"{get_column_letter(PREFILLED + 4)}{worst[1]}",
        column=COLUMNS[PREFILLED + 3],
        expected="vad enheten gör för att nå en budget i balans",
    )


def _ore(value: Any) -> int:
    return 0 if value is None else from_kronor(value)


def _forecast_rows(
    got: Returned, structure: dict[str, tuple[str, str | None]], unit: str | None
) -> list[list[Any]]:
    """Every row the unit was sent, also one it left empty: its unit has returned, and an
    empty side is no forecast from it (the reserve method's share in the report)."""
    out = []
    for r in got.rows:
        ansvar, verksamhet = str(r.prefilled[0]), str(r.prefilled[1])
        area, subarea = structure.get(verksamhet, (str(r.prefilled[2]), None))
        out.append(
            [
                area,
                subarea,
                r.costs,
                r.revenues,
                ansvar,
                verksamhet,
                r.comment,
                r.measures,
                r.prefilled[7],
                r.prefilled[8],
                unit,
            ]
        )
    return out


def _other_periods(register: pl.DataFrame | None, month: int) -> list[list[Any]]:
    """prognos.xlsx's rows of the other periods' collections, as rows of the new file: the
    register keeps every collection, so a report for an earlier period can be made again.
    Rows without a period (written before the register) stay in prognos-foregaende.xlsx."""
    if register is None:
        return []
    rows = register.filter(pl.col("period").is_not_null() & (pl.col("period") != month))

    def kr(ore: int | None) -> float | None:
        return None if ore is None else kronor(ore)

    out = []
    for r in rows.sort("period", maintain_order=True).iter_rows(named=True):
        out.append(
            [
                r["area"],
                r["subarea"],
                kr(r["costs"]),
                kr(r["revenues"]),
                r["ansvar"],
                r["verksamhet"],
                r["comment"],
                r["measures"],
                kr(r["previous_costs"]),
                kr(r["previous_revenues"]),
                r["submitted_by"],
                r["period"],
            ]
        )
    return out


def _workbook(
    rows: list[list[Any]], key: str, generated_at: datetime, left_out: list[list[Any]]
) -> bytes:
    """prognos.xlsx: the sheet Prognos, and, when --delvis left units out, the sheet
    Utelämnade naming them with the errors of their workbooks."""
    wb = Workbook()
    wb.properties.subject = cells.text(key)
    ws = wb.active
    assert ws is not None
    ws.title = "Prognos"
    cells.put_row(ws, 1, FORECAST_HEADER)
    for r, row in enumerate(rows, 2):
        cells.put_row(ws, r, row)  # codes stay text, a unit's text is never a formula
    if left_out:
        out = wb.create_sheet(LEFT_OUT_SHEET)
        cells.put_row(out, 1, LEFT_OUT_HEADER)
        for r, row in enumerate(left_out, 2):
            cells.put_row(out, r, row)
            out.cell(row=r, column=4).alignment = Alignment(wrap_text=True, vertical="top")
        for c, width in enumerate((10, 34, 30, 100), 1):
            out.column_dimensions[get_column_letter(c)].width = width
            out.cell(row=1, column=c).font = HEADER_FONT
            out.cell(row=1, column=c).fill = HEADER_FILL
        out.freeze_panes = "A2"
    return to_bytes(wb, generated_at)
