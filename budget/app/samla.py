"""``budget samla``: the units' returned underlag, checked and gathered into prognos.xlsx.

Every .xlsx in the returned folder is read cell by cell (``edge.returned``). A workbook for
another nämnd, year or period, an unknown ansvar, a changed prefilled cell, text in an
amount cell or a deficit without åtgärder is an error naming file and cell: then nothing is
written. A unit returned twice counts once, the newest file, with a warning naming both.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from budget.app.underlag import (
    PREVIOUS,
    expected_lines,
    prepared_inputs,
    require_responsibilities,
)
from budget.core.collection import COLUMNS, IDENTITY_SHEET, PREFILLED, SHEET, UnitRow, own_change
from budget.core.fmt import whole_kronor
from budget.core.frames import Inputs
from budget.core.money import from_kronor, kronor
from budget.core.names import printable, unshowable
from budget.core.steps import Steps
from budget.diagnostics import BudgetError, Diagnostic, InputErrors, OutputError, errors
from budget.edge.returned import (
    Returned,
    ReturnedRow,
    collected_for,
    collection_key,
    read_returned,
)
from budget.edge.sheets import FORECASTS
from budget.report.render import cells
from budget.report.render.underlag import Identity, canonical, fingerprint, prefilled_rows
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
)
STATUS_HEADER = ("Ansvar", "Enhet", "Chef", "Status", "Fil", "Förändring sedan förra prognosen")
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

    @property
    def missing(self) -> list[str]:
        return [a for a in self.units if a not in self.returned]

    def order(self) -> list[str]:
        """The missing units first (to remind), then the largest changes (to question)."""
        return self.missing + sorted(self.returned, key=lambda a: -abs(self.changes.get(a) or 0))


def collect(
    folder: Path,
    returned_dir: Path,
    period: int | None,
    generated_at: datetime,
    status: Path | None = None,
    steps: Steps | None = None,
) -> Collection:
    """Check every returned workbook and write prognos.xlsx (and the ``status`` workbook);
    raises InputErrors, OutputError."""
    steps = steps or Steps(time.perf_counter)
    prepared = prepared_inputs(folder, period, steps)
    inputs, settings = prepared.inputs, prepared.inputs.settings
    assert settings is not None
    responsibilities = require_responsibilities(prepared, "samlas in")
    year, month = prepared.period.year, prepared.period.month
    units = dict(responsibilities.select("ansvar", "unit").iter_rows())
    managers = dict(responsibilities.select("ansvar", "manager").iter_rows())
    found = Collection(units, managers)
    with steps.stage("compute"):
        _, sent = expected_lines(prepared)
    with steps.stage("returned"):
        chosen = _read_all(returned_dir, found, settings.namnd, year, month, sent, steps)
    if errors(found.diagnostics):
        raise InputErrors(found.diagnostics)
    with steps.stage("write_prognos"):
        key = (settings.namnd, year, month)
        return _write(found, chosen, inputs, folder, key, generated_at, status)


def _write(
    found: Collection,
    chosen: dict[str, Returned],
    inputs: Inputs,
    folder: Path,
    period: tuple[str, int, int],
    generated_at: datetime,
    status: Path | None,
) -> Collection:
    """prognos.xlsx from the chosen workbooks (the one before kept), and the status list."""
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
        rows.extend(_forecast_rows(chosen[ansvar], structure, units[ansvar]))
    found.rows = len(rows)
    key = collection_key(*period)
    files = {"prognos.xlsx": _workbook(rows, key, generated_at)}
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
                    f"statuslistan kan inte skrivas till {status} ({exc.strerror})"
                ) from exc
        found.written += write_all(folder, files)
    except OSError as exc:
        where = exc.filename or folder
        raise OutputError(f"prognos.xlsx kan inte skrivas till {where} ({exc.strerror})") from exc
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
    for c, width in enumerate((10, 34, 24, 11, 30, 16), 1):
        ws.column_dimensions[get_column_letter(c)].width = width
        ws.cell(row=1, column=c).font = HEADER_FONT
        ws.cell(row=1, column=c).fill = HEADER_FILL
    for r, ansvar in enumerate(found.order(), 2):
        path = found.returned.get(ansvar)
        change = found.changes.get(ansvar)
        cells.put_row(
            ws,
            r,
            [
                ansvar,
                found.units.get(ansvar),
                found.managers.get(ansvar),
                "inlämnad" if path else "saknas",
                path.name if path else None,
                None if change is None else kronor(change),
            ],
        )
        ws.cell(row=r, column=6).number_format = KRONOR
    ws.auto_filter.ref = f"A1:F{ws.max_row}"
    ws.freeze_panes = "A2"
    return to_bytes(wb, generated_at)


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
        raise NothingReturned(f"mappen {folder} kan inte läsas ({exc.strerror})") from exc
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
    expected_lines: dict[str, list[Any]],
    steps: Steps,
) -> dict[str, Returned]:
    """Every returned workbook checked; per ansvar the one to use (the newest)."""
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
        )
        if usable:
            _check_prefilled(got, expected_lines.get(str(got.identity["Ansvar"]), []))
            _check_deficits(got)
        found.diagnostics.extend(got.diagnostics)
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


def _check_prefilled(got: Returned, lines: list[Any]) -> None:
    """The fingerprint of the prefilled cells; a changed cell is named where it can be."""
    identity = Identity(
        str(got.identity["Nämnd"]),
        int(got.identity["År"]),
        int(got.identity["Period"]),
        str(got.identity.get("Rapport", "")),
        str(got.identity["Ansvar"]),
        None,
    )
    cells = [r.prefilled for r in got.rows]
    if fingerprint(identity, cells) == got.identity.get("Fingeravtryck"):
        return
    sent = prefilled_rows(lines)
    if fingerprint(identity, sent) == got.identity.get("Fingeravtryck"):
        for i, (row, original) in enumerate(zip(cells, sent, strict=False)):
            for c, (now, then) in enumerate(zip(row, original, strict=True)):
                if canonical(now) != canonical(then):
                    got.bad(
                        "E214",
                        "en förifylld cell är ändrad",
                        sheet=SHEET,
                        cell=f"{get_column_letter(c + 1)}{i + 2}",
                        column=COLUMNS[c],
                        value="" if now is None else str(now),
                        expected="" if then is None else str(then),
                    )
                    return
    got.bad(
        "E214",
        f"förifyllda celler eller rader i bladet {SHEET} är ändrade",
        sheet=SHEET,
        expected="bladet som budget underlag skrev",
    )


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


def _workbook(rows: list[list[Any]], key: str, generated_at: datetime) -> bytes:
    wb = Workbook()
    wb.properties.subject = cells.text(key)
    ws = wb.active
    assert ws is not None
    ws.title = "Prognos"
    cells.put_row(ws, 1, FORECAST_HEADER)
    for r, row in enumerate(rows, 2):
        cells.put_row(ws, r, row)  # codes stay text, a unit's text is never a formula
    return to_bytes(wb, generated_at)
