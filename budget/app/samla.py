"""``budget samla``: the units' returned underlag, checked and gathered into prognos.xlsx.

Every .xlsx in the returned folder is read cell by cell (``edge.returned``). A workbook for
another nämnd, year or period, an unknown ansvar, a changed prefilled cell, text in an
amount cell or a deficit without åtgärder is an error naming file and cell: then nothing is
written. A unit returned twice counts once, the newest file, with a warning naming both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from budget.app.underlag import expected_lines, require_responsibilities
from budget.core.collection import COLUMNS, IDENTITY_SHEET, PREFILLED, SHEET
from budget.diagnostics import Diagnostic, InputErrors, OutputError, errors
from budget.edge import inputs as inputs_mod
from budget.edge.returned import Returned, read_returned
from budget.edge.sheets import FORECASTS
from budget.report.build import prepare
from budget.report.render.underlag import Identity, canonical, fingerprint, prefilled_rows
from budget.report.render.xlsx import to_bytes

FORECAST_HEADER = FORECASTS.header(
    "Delområde", "Ansvar", "Verksamhet", "Kommentar", "Åtgärder", "Lämnad av"
)
IDENTITY_CELLS = {"Nämnd": "B1", "År": "B2", "Period": "B3", "Ansvar": "B5"}


@dataclass
class Collection:
    """What came back: per ansvar the file used, and who is missing."""

    units: dict[str, str | None]  # ansvar -> enhet, in the order of the Ansvar sheet
    returned: dict[str, Path] = field(default_factory=dict)
    rows: int = 0
    written: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [a for a in self.units if a not in self.returned]


def collect(
    folder: Path, returned_dir: Path, period: int | None, generated_at: datetime
) -> Collection:
    """Check every returned workbook and write prognos.xlsx; raises InputErrors, OutputError."""
    prepared = prepare(inputs_mod.load(folder), period)
    inputs, settings = prepared.inputs, prepared.inputs.settings
    assert settings is not None
    responsibilities = require_responsibilities(prepared, "samlas in")
    year, month = prepared.period.year, prepared.period.month
    units = dict(responsibilities.select("ansvar", "unit").iter_rows())
    found = Collection(units)
    _, sent = expected_lines(prepared)
    chosen = _read_all(returned_dir, found, settings.namnd, year, month, sent)
    if errors(found.diagnostics):
        raise InputErrors(found.diagnostics)
    structure = {
        v: (a, s)
        for v, a, s in inputs.structure.select("verksamhet", "area", "subarea").iter_rows()
    }
    rows: list[list[Any]] = []
    for ansvar in units:
        if ansvar not in chosen:
            continue
        found.returned[ansvar] = chosen[ansvar].path
        rows.extend(_forecast_rows(chosen[ansvar], structure, units[ansvar]))
    found.rows = len(rows)
    files = {"prognos.xlsx": _workbook(rows, generated_at)}
    previous = folder / "prognos.xlsx"
    try:
        if previous.is_file():
            files["prognos-foregaende.xlsx"] = previous.read_bytes()
        from budget.edge.write import write_all

        found.written = write_all(folder, files)
    except OSError as exc:
        where = exc.filename or folder
        raise OutputError(f"prognos.xlsx kan inte skrivas till {where} ({exc.strerror})") from exc
    return found


def _read_all(
    returned_dir: Path,
    found: Collection,
    namnd: str,
    year: int,
    month: int,
    expected_lines: dict[str, list[Any]],
) -> dict[str, Returned]:
    """Every returned workbook checked; per ansvar the one to use (the newest)."""
    units = found.units
    chosen: dict[str, Returned] = {}
    for path in sorted(returned_dir.glob("*.xlsx")):
        if path.name.startswith(("~$", ".")):
            continue  # Excel's lock files and hidden files
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
    """A unit that forecasts a deficit on a row must say what it does about it."""
    for r in got.rows:
        budget_costs, budget_revenues = r.prefilled[3], r.prefilled[4]
        if budget_costs is None or (r.costs is None and r.revenues is None):
            continue
        costs = r.costs if r.costs is not None else float(r.prefilled[9] or 0)
        revenues = r.revenues if r.revenues is not None else float(r.prefilled[10] or 0)
        deficit = (float(budget_revenues or 0) - float(budget_costs)) - (revenues - costs)
        if deficit >= 0.5 and not r.measures:
            got.bad(
                "E215",
                f"prognosen ger ett underskott på {round(deficit):,} kr utan åtgärder".replace(
                    ",", "\u00a0"
                ),
                sheet=SHEET,
                cell=f"{get_column_letter(PREFILLED + 4)}{r.row}",
                column=COLUMNS[PREFILLED + 3],
                expected="vad enheten gör för att nå en budget i balans",
            )


def _forecast_rows(
    got: Returned, structure: dict[str, tuple[str, str | None]], unit: str | None
) -> list[list[Any]]:
    out = []
    for r in got.rows:
        if r.costs is None and r.revenues is None and not r.comment:
            continue
        ansvar, verksamhet = str(r.prefilled[0]), str(r.prefilled[1])
        area, subarea = structure.get(verksamhet, (str(r.prefilled[2]), None))
        out.append(
            [area, subarea, r.costs, r.revenues, ansvar, verksamhet, r.comment, r.measures, unit]
        )
    return out


def _workbook(rows: list[list[Any]], generated_at: datetime) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Prognos"
    ws.append(FORECAST_HEADER)
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row][4:6]:
            cell.data_type = "s"  # codes stay text
    return to_bytes(wb, generated_at)
