"""The nämnd's settings, ``namnd.toml``."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from budget.checks.cells import CONTROL
from budget.core.forecast import RESERVES
from budget.core.methods import Method, VolumeRest
from budget.core.names import normalize_header
from budget.core.settings import UNITS, Settings
from budget.diagnostics import Diagnostic
from budget.edge import files, toml_schema
from budget.edge.files import UnreadableFile
from budget.edge.sheets import SHEETS

_CONTROL = re.compile(CONTROL)
MAX_BYTES = 1024**2  # a settings file is a few lines; a larger one is not ours


def _load(path: Path, display: str) -> tuple[dict[str, Any], str] | Diagnostic:
    """The parsed file and its text, or the one diagnostic that stops it being read."""
    try:
        raw = files.read_bytes(path, display, MAX_BYTES).decode("utf-8-sig")
    except UnreadableFile as exc:
        return exc.diagnostic
    except UnicodeDecodeError as exc:
        return Diagnostic("E010", f"filen är inte UTF-8 (byte {exc.start})", file=display)
    try:
        data = tomllib.loads(raw)
    except RecursionError:  # tomllib recurses once per [ or { level
        return Diagnostic(
            "E010",
            "syntaxfel (listor eller tabeller inuti varandra i tusentals nivåer)",
            file=display,
            expected='giltig TOML, t.ex. enhet = "mnkr"',
        )
    except tomllib.TOMLDecodeError as exc:
        # Python < 3.14 has the position only in the message: "... (at line 3, column 9)".
        found = re.search(r"at line ([0-9]+), column ([0-9]+)", str(exc))
        where = f"rad {found.group(1)}" if found else None
        reason = str(exc).split(" (at ")[0]
        column = f", kolumn {found.group(2)}" if found else ""
        if found:
            line = raw.splitlines()[int(found.group(1)) - 1] if raw.splitlines() else ""
            key = line.split("=", 1)[0].strip()
            if key and not key.startswith(('"', "'")) and not key.isascii():
                reason = (
                    f"namnet {key} innehåller å, ä eller ö och måste stå inom "
                    f'citattecken: "{key}" = ...'
                )
        return Diagnostic(
            "E010",
            f"syntaxfel{column} ({reason})",
            file=display,
            cell=where,
            expected='giltig TOML, t.ex. enhet = "mnkr"',
        )
    return data, raw


def read_settings(path: Path, display: str) -> tuple[Settings | None, list[Diagnostic]]:
    """Parse and check ``namnd.toml``; every problem becomes a diagnostic."""
    loaded = _load(path, display)
    if isinstance(loaded, Diagnostic):
        return None, [loaded]
    data, raw = loaded

    problems = _Found(display)
    shape = toml_schema.check(data, raw, display, contract_columns())
    namnd = data.get("namnd")
    if not isinstance(namnd, str) or not namnd.strip() or _CONTROL.search(namnd):
        problems.bad("namnd", namnd, "nämndens namn som text, utan styrtecken")
    year = data.get("ar", data.get("år"))
    if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2100:
        problems.bad("ar", year, "ett årtal mellan 1990 och 2100")
    unit = normalize_header(data.get("enhet", "mnkr"))
    if unit not in UNITS:
        problems.bad("enhet", data.get("enhet"), "mnkr eller tkr")
    default, methods = _methods(data.get("prognos", {}), problems)
    columns = _columns(data.get("kolumner", {}), problems)
    dims = _sie(data.get("sie", {}), problems)
    rest = _volume_rest(data.get("volym", {}), problems)
    measures = _volume_measures(data.get("volym", {}), problems)
    front = _front_matter(data, problems)
    fallback = _fallback(data.get("prognos", {}), problems)
    anslag = _anslag(data.get("anslag", {}), problems)
    cap = _transfer_cap(
        data.get("resultatoverforing", data.get("resultatöverföring", {})), problems
    )
    archive = _archive(data.get("arkiv", []), path.parent, problems)
    review_deficit = _review_deficit(data.get("granskning", {}), problems)
    if shape or problems.diagnostics:
        # A key the schema refused is said once, by the schema.
        refused = {str(d.column) for d in shape}
        others = [
            d
            for d in problems.diagnostics
            if not any(str(d.column) == k or str(d.column).startswith(k + ".") for k in refused)
        ]
        return None, [*shape, *others]
    assert isinstance(namnd, str)
    assert isinstance(year, int)
    settings = Settings(
        namnd.strip(),
        year,
        unit,
        default,
        methods,
        volume_rest=rest,
        volume_measures=measures,
        columns=columns,
        sie_ansvar=dims["ansvar"],
        sie_verksamhet=dims["verksamhet"],
        fallback_method=fallback,
        anslag=anslag,
        transfer_cap=cap,
        archive=archive,
        review_deficit=review_deficit,
        **front,
    )
    return settings, problems.warnings


def contract_columns() -> toml_schema.Sheets:
    """Each sheet of the contract with its columns' folded headers and aliases."""
    return [
        (
            spec.sheet,
            {f.header: {normalize_header(n) for n in (f.header, *f.aliases)} for f in spec.fields},
        )
        for spec in SHEETS
    ]


class _Found:
    """The problems of one namnd.toml: every bad value is an E011 naming its key."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.diagnostics: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []

    def bad(self, key: str, value: object, expected: str) -> None:
        self.diagnostics.append(
            Diagnostic(
                "E011",
                f"ogiltigt värde för {key}",
                file=self.display,
                column=key,
                value=str(value),
                expected=expected,
            )
        )


def _methods(prognos: object, found: _Found) -> tuple[Method, dict[str, Method]]:
    """[prognos]: the standard method and each area's or delområde's own."""
    default = Method.SEASONAL
    methods: dict[str, Method] = {}
    if not isinstance(prognos, dict):
        found.bad("prognos", prognos, "en tabell [prognos]")
        return default, methods
    for key, value in prognos.items():
        if key == "reserv":
            continue  # read by _fallback
        if _CONTROL.search(key):
            found.bad(f"prognos.{key}", key, "ett områdesnamn utan styrtecken")
            continue
        method = Method.parse(normalize_header(value))
        if method is None:
            found.bad(f"prognos.{key}", value, " | ".join(Method))
        elif key == "standard":
            default = method
        else:
            methods[key] = method
    return default, methods


def _columns(kolumner: object, found: _Found) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """[kolumner]: the headers a nämnd's own files use for a contract column."""
    columns: list[tuple[str, tuple[str, ...]]] = []
    if not isinstance(kolumner, dict):
        found.bad("kolumner", kolumner, 'en tabell [kolumner], t.ex. Konto = ["Kontonr"]')
        return ()
    for key, value in kolumner.items():
        headers = [value] if isinstance(value, str) else value
        if (
            not isinstance(headers, list)
            or not headers
            or not all(isinstance(h, str) and h.strip() and not _CONTROL.search(h) for h in headers)
            or _CONTROL.search(key)
        ):
            found.bad(
                f"kolumner.{key}", value, 'en rubrik eller en lista av rubriker, t.ex. ["Kontonr"]'
            )
        else:
            # The key as the contract spells it (konto -> Konto), which the readers look up.
            name = _CONTRACT_NAMES.get(normalize_header(key)) or str(key)
            columns.append((name, tuple(h.strip() for h in headers)))
    return tuple(columns)


_CONTRACT_NAMES: dict[str, str] = {
    normalize_header(n): n for _, cols in contract_columns() for n in cols
}


def _sie(sie: object, found: _Found) -> dict[str, int | None]:
    """[sie]: the dimension numbers of ansvar and verksamhet in SIE exports."""
    dims: dict[str, int | None] = {"ansvar": None, "verksamhet": None}
    if not isinstance(sie, dict):
        found.bad("sie", sie, "en tabell [sie] med ansvar och verksamhet")
        return dims
    for key, value in sie.items():
        if key not in dims:
            found.bad(f"sie.{key}", key, "ansvar eller verksamhet")
        elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10**6:
            found.bad(f"sie.{key}", value, "ett dimensionsnummer, t.ex. 1")
        else:
            dims[key] = value
    return dims


def _fallback(prognos: object, found: _Found) -> Method:
    """[prognos] reserv: the statistical method for unit rows without a unit forecast."""
    if not isinstance(prognos, dict) or "reserv" not in prognos:
        return Method.SEASONAL
    value = prognos["reserv"]
    method = Method.parse(normalize_header(value)) if isinstance(value, str) else None
    if method not in RESERVES:
        found.bad("prognos.reserv", value, " | ".join(m.value for m in RESERVES))
        return Method.SEASONAL
    assert method is not None
    return method


def _front_matter(data: dict[str, object], found: _Found) -> dict[str, Any]:
    """diarienummer, handläggare and datum: the front matter of the nämnd's document."""
    front: dict[str, Any] = {}
    for key, spelled in (
        ("diarienummer", ("diarienummer",)),
        ("handlaggare", ("handlaggare", "handläggare")),
    ):
        value = next((data[k] for k in spelled if k in data), None)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip() or _CONTROL.search(value):
            found.bad(spelled[-1], value, "text utan styrtecken, t.ex. " + _EXAMPLES[key])
        else:
            front[key] = value.strip()
    datum = data.get("datum")
    if datum is not None:
        if type(datum) is not date:
            found.bad("datum", datum, "ett datum utan citattecken, t.ex. datum = 2017-09-12")
        else:
            front["datum"] = datum
    return front


_EXAMPLES = {"diarienummer": '"SKH 2017/123"', "handlaggare": '"Anna Andersson"'}


def _anslag(table: object, found: _Found) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """[anslag]: each separate anslag and the verksamhetsområden it holds; an area can
    belong to one anslag only (the areas not named are Nämndens verksamhet's)."""
    if not isinstance(table, dict):
        found.bad("anslag", table, 'en tabell [anslag], t.ex. "Ekonomiskt bistånd" = ["…"]')
        return ()
    out: list[tuple[str, tuple[str, ...]]] = []
    seen: dict[str, str] = {}
    for name, value in table.items():
        key = f"anslag.{name}"
        areas = [value] if isinstance(value, str) else value
        if (
            not name.strip()
            or _CONTROL.search(name)
            or not isinstance(areas, list)
            or not areas
            or not all(isinstance(a, str) and a.strip() and not _CONTROL.search(a) for a in areas)
        ):
            found.bad(key, value, 'en lista av verksamhetsområden, t.ex. ["Ekonomiskt bistånd"]')
            continue
        for area in areas:
            folded = normalize_header(area)
            if folded in seen:
                found.bad(
                    key, area, f"ett område i ett anslag; {area} står redan under {seen[folded]}"
                )
            seen[folded] = name.strip()
        out.append((name.strip(), tuple(a.strip() for a in areas)))
    return tuple(out)


def _transfer_cap(table: object, found: _Found) -> Fraction | None:
    """[resultatoverforing] tak: a share between 0 and 1 (0.05 = 5 %), exact."""
    if not isinstance(table, dict):
        found.bad("resultatoverforing", table, "en tabell [resultatoverforing] med tak = 0.05")
        return None
    if "tak" not in table:
        return None
    value = table["tak"]
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        found.bad("resultatoverforing.tak", value, "en andel mellan 0 och 1, t.ex. 0.05 för 5 %")
        return None
    return Fraction(str(value))


def _review_deficit(table: object, found: _Found) -> int | None:
    """[granskning] underskott: kronor, the deficit (or deviation) from which the review asks
    for an åtgärd and an analysis (contract §7); as öre. None: half the report's unit."""
    if not isinstance(table, dict):
        found.bad("granskning", table, "en tabell [granskning] med underskott = 500000")
        return None
    if "underskott" not in table:
        return None
    value = table["underskott"]
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1e12:
        found.bad("granskning.underskott", value, "ett belopp i kronor, 0 eller större")
        return None
    return round(Fraction(str(value)) * 100)


def _archive(value: object, inputs: Path, found: _Found) -> tuple[str, ...]:
    """arkiv: a folder, or a list of folders, of earlier reports; each must exist."""
    folders = [value] if isinstance(value, str) else value
    expected = 'en mapp med tidigare rapporter, relativ till indatamappen, t.ex. "../arkiv"'
    if not isinstance(folders, list) or not all(
        isinstance(f, str) and f.strip() and not _CONTROL.search(f) for f in folders
    ):
        found.bad("arkiv", value, expected)
        return ()
    folders = [f.strip() for f in folders]
    present = []
    for folder in folders:
        try:
            exists = (inputs / folder).is_dir()
        except (OSError, ValueError):
            exists = False
        if exists:
            present.append(folder)
            continue
        # A copied inputs folder must not stop the report: the archive only adds to it.
        found.warnings.append(
            Diagnostic(
                "W321",
                f"arkivmappen {folder} finns inte; tidigare års rapporter där jämförs inte",
                file=found.display,
                column="arkiv",
                value=folder,
                expected="en mapp med tidigare rapporter, relativ till indatamappen",
            )
        )
    return tuple(present)


def _volume_rest(volym: object, found: _Found) -> VolumeRest:
    """[volym] rest: the months after the period at the recent run-rate or as budgeted."""
    if not isinstance(volym, dict):
        found.bad("volym", volym, 'en tabell [volym], t.ex. rest = "budget"')
        return VolumeRest.RUN_RATE
    value = volym.get("rest", VolumeRest.RUN_RATE.value)
    rest = next((r for r in VolumeRest if r.value == normalize_header(value)), None)
    if rest is None:
        found.bad("volym.rest", value, " | ".join(VolumeRest))
        return VolumeRest.RUN_RATE
    return rest


def _volume_measures(volym: object, found: _Found) -> dict[str, str]:
    """[volym] "område eller delområde" = "Mått": the measure that explains its cost."""
    out: dict[str, str] = {}
    if not isinstance(volym, dict):
        return out  # said by _volume_rest
    for key, value in volym.items():
        if key == "rest":
            continue
        if (
            not key.strip()
            or _CONTROL.search(key)
            or not isinstance(value, str)
            or not value.strip()
            or _CONTROL.search(value)
        ):
            found.bad(
                f"volym.{key}",
                value,
                "rest, eller ett område eller delområde med sitt mått, t.ex. "
                '"Boende enligt LSS" = "Boendedygn"',
            )
            continue
        out[key.strip()] = value.strip()
    return out
