"""The nämnd's settings, ``namnd.toml``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from budget.cells import CONTROL, normalize_header
from budget.diagnostics import Diagnostic

METHODS = ("linjar", "sasong", "budgetrest", "budget", "manuell", "volym")
METHOD_LABELS = {
    "linjar": "Linjär",
    "sasong": "Säsong",
    "budgetrest": "Utfall + budgetrest",
    "budget": "Budget",
    "manuell": "Manuell",
    "volym": "Volym × pris",
    "blandad": "Per delområde",
}
UNITS = ("mnkr", "tkr")
# How the volume method fills the months after the report period: the recent run-rate
# (the mean of the last three months with outcome) or the budgeted volume.
VOLUME_REST = ("takt", "budget")


@dataclass(frozen=True)
class Settings:
    """What ``namnd.toml`` says: nämnd, year, unit and forecast method per area."""

    namnd: str
    year: int
    unit: str = "mnkr"
    default_method: str = "sasong"
    methods: dict[str, str] = field(default_factory=dict)

    volume_rest: str = "takt"
    # [kolumner]: contract column -> headers used in the files
    columns: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # [sie]: SIE dimension numbers holding ansvar and verksamhet
    sie_ansvar: int | None = None
    sie_verksamhet: int | None = None

    def method_for(self, area: str, subarea: str | None = None) -> str:
        """The method of a leaf: its delområde's own, else its area's, else the standard."""
        for key in (subarea, area):
            if key is None:
                continue
            folded = normalize_header(key)
            for name, method in self.methods.items():
                if normalize_header(name) == folded:
                    return method
        return self.default_method


_CONTROL = re.compile(CONTROL)


def _fold_method(value: object) -> str | None:
    folded = normalize_header(value)
    return folded if folded in METHODS else None


def read_settings(path: Path, display: str) -> tuple[Settings | None, list[Diagnostic]]:
    """Parse and check ``namnd.toml``; every problem becomes a diagnostic."""
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Diagnostic("E010", f"filen är inte UTF-8 (byte {exc.start})", file=display)]
    except OSError as exc:
        return None, [
            Diagnostic("E015", f"filen kan inte läsas ({exc.strerror or exc})", file=display)
        ]
    try:
        data = tomllib.loads(raw)
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
        return None, [
            Diagnostic(
                "E010",
                f"syntaxfel{column} ({reason})",
                file=display,
                cell=where,
                expected='giltig TOML, t.ex. enhet = "mnkr"',
            )
        ]

    diags: list[Diagnostic] = []

    def bad(key: str, value: object, expected: str) -> None:
        diags.append(
            Diagnostic(
                "E011",
                f"ogiltigt värde för {key}",
                file=display,
                column=key,
                value=str(value),
                expected=expected,
            )
        )

    namnd = data.get("namnd")
    if not isinstance(namnd, str) or not namnd.strip() or _CONTROL.search(namnd):
        bad("namnd", namnd, "nämndens namn som text, utan styrtecken")
    year = data.get("ar", data.get("år"))
    if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2100:
        bad("ar", year, "ett årtal mellan 1990 och 2100")
    unit = normalize_header(data.get("enhet", "mnkr"))
    if unit not in UNITS:
        bad("enhet", data.get("enhet"), "mnkr eller tkr")
    prognos = data.get("prognos", {})
    methods: dict[str, str] = {}
    default = "sasong"
    if not isinstance(prognos, dict):
        bad("prognos", prognos, "en tabell [prognos]")
    else:
        for key, value in prognos.items():
            if _CONTROL.search(key):
                bad(f"prognos.{key}", key, "ett områdesnamn utan styrtecken")
                continue
            method = _fold_method(value)
            if method is None:
                bad(f"prognos.{key}", value, " | ".join(METHODS))
            elif key == "standard":
                default = method
            else:
                methods[key] = method
    columns: list[tuple[str, tuple[str, ...]]] = []
    kolumner = data.get("kolumner", {})
    if not isinstance(kolumner, dict):
        bad("kolumner", kolumner, 'en tabell [kolumner], t.ex. Konto = ["Kontonr"]')
    else:
        for key, value in kolumner.items():
            headers = [value] if isinstance(value, str) else value
            if (
                not isinstance(headers, list)
                or not headers
                or not all(
                    isinstance(h, str) and h.strip() and not _CONTROL.search(h) for h in headers
                )
                or _CONTROL.search(key)
            ):
                bad(
                    f"kolumner.{key}",
                    value,
                    'en rubrik eller en lista av rubriker, t.ex. ["Kontonr"]',
                )
            else:
                columns.append((key, tuple(h.strip() for h in headers)))
    dims: dict[str, int | None] = {"ansvar": None, "verksamhet": None}
    sie = data.get("sie", {})
    if not isinstance(sie, dict):
        bad("sie", sie, "en tabell [sie] med ansvar och verksamhet")
    else:
        for key, value in sie.items():
            if key not in dims:
                bad(f"sie.{key}", key, "ansvar eller verksamhet")
            elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10**6:
                bad(f"sie.{key}", value, "ett dimensionsnummer, t.ex. 1")
            else:
                dims[key] = value
    if diags:
        return None, diags
    assert isinstance(namnd, str)
    assert isinstance(year, int)
    return (
        Settings(
            namnd.strip(),
            year,
            unit,
            default,
            methods,
            columns=tuple(columns),
            sie_ansvar=dims["ansvar"],
            sie_verksamhet=dims["verksamhet"],
        ),
        [],
    )
