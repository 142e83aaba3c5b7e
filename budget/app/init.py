"""``budget init MAPP --namnd … --ar …``: a starter inputs folder for a new nämnd and year.

It writes a commented ``namnd.toml`` and one workbook per input of the contract, each with its
data sheets' headers (from the sheet specs of ``edge.sheets``, like the reader and the docs)
and a sheet ``Instruktioner``. ``budget validate`` on the folder then names what is still
missing. An existing folder that holds anything is never written into.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from budget.checks.cells import CONTROL
from budget.core import fmt
from budget.core.settings import UNITS
from budget.diagnostics import OutputError, os_reason
from budget.edge.sheets import KIND_DOCS, SHEETS, YEAR_MAX, YEAR_MIN, Field, Sheet
from budget.edge.write import write_all
from budget.report.render import starter

# What each workbook is for, in the controller's words; the first line says whether it is
# required. Keyed by the spec's workbook stem.
PURPOSE: dict[str, tuple[str, ...]] = {
    "utfall": (
        "Krävs. Huvudboksrader: årets bokföring till och med senaste stängda månad, gärna "
        "också ett par tidigare år (för säsongsmetoden och prognossäkerheten).",
        "Klistra in exporten från ekonomisystemet under rubrikraden, eller lägg exporten "
        "som CSV eller SIE 4 i mappen (filnamnet ska börja med utfall). Belopp med "
        "bokföringens tecken: kostnader positiva, intäkter negativa.",
    ),
    "budget": (
        "Krävs. Årsbudgeten per verksamhet och konto, med bokföringens tecken.",
        "Bladet Periodisering är valfritt: utan det fördelas budgeten jämnt över året.",
    ),
    "struktur": (
        "Krävs. Vilket verksamhetsområde (och delområde) varje verksamhetskod hör till.",
        "Bladet Ansvar är valfritt men behövs för prognosunderlag (budget underlag), "
        "resultatenheter och statuslistan med chefer.",
    ),
    "forandringar": (
        "Valfri. Budgetjusteringar och omslutningsförändringar, beviljade och begärda.",
        "Ta bort filen om nämnden inte har några.",
    ),
    "prognos": (
        "Valfri. Enheternas prognoser; skrivs av budget samla från de ifyllda underlagen.",
        "Används för verksamhetsområden med metoden manuell i namnd.toml.",
    ),
    "mal": (
        "Valfri. Mål, indikatorer och förvaltningens bedömningar.",
        "Ta bort filen om rapporten inte ska följa upp mål.",
    ),
    "volymer": (
        "Valfri. Volymer per mått och månad (barn i förskola, hemtjänsttimmar, placeringar).",
        "Används av prognosmetoden volym och i volymavsnittet.",
    ),
    "investeringar": (
        "Valfri. Investeringsprojekt: årets budget, utgifter hittills och prognos.",
        "Ta bort filen om nämnden inte har investeringar att följa upp.",
    ),
    "atgarder": (
        "Valfri. Åtgärder för en ekonomi i balans: åtgärd, effekt i år, status och om den "
        "ingår i prognosen.",
        "Rapporten visar prognosen efter beslutade och planerade åtgärder; prognosen själv "
        "ändras inte. Ta bort filen om nämnden inte har några åtgärder.",
    ),
}


_CONTROL = re.compile(CONTROL)  # what namnd.toml's reader refuses in the name


@dataclass(frozen=True)
class Started:
    folder: Path
    paths: list[Path]


def _stem(spec: Sheet, year: int) -> str:
    """The file the starter writes for a spec: ``utfall-<år>`` for the ledger."""
    return f"utfall-{year}" if spec.stem.startswith("utfall") else spec.stem


def _purpose_key(spec: Sheet) -> str:
    return "utfall" if spec.stem.startswith("utfall") else spec.stem


def _example(f: Field) -> str:
    value = f.example
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, int | float) and f.kind in ("amount", "micro", "number"):
        decimals = len(repr(value).split(".")[1]) if isinstance(value, float) else 0
        return fmt.number(value, decimals)
    return str(value)


def _column(f: Field) -> starter.Column:
    kind = KIND_DOCS[f.kind]
    if f.kind == "choice" and f.choices:
        kind += " " + ", ".join(f.choices)
    kind += "".join(f"; {r.expected}" for r in f.rules)
    if f.column_required and f.value_required:
        required = "ja"
    elif f.column_required:
        required = "kolumnen ja, värdet får vara tomt"
    else:
        required = "nej"
    return starter.Column(f.header, required, kind, ", ".join(f.aliases), _example(f))


def workbooks(year: int, stamp: datetime) -> dict[str, bytes]:
    """Every workbook of the contract, empty, with headers and instructions."""
    grouped: dict[str, list[Sheet]] = {}
    for spec in SHEETS:
        grouped.setdefault(_stem(spec, year), []).append(spec)
    files = {}
    for stem, specs in grouped.items():
        name = f"{stem}.xlsx"
        sheets = [
            starter.DataSheet(s.sheet, s.note, tuple(_column(f) for f in s.fields)) for s in specs
        ]
        files[name] = starter.workbook(name, PURPOSE[_purpose_key(specs[0])], sheets, stamp)
    return files


def _toml_string(text: str) -> str:
    """``text`` as a TOML basic string: JSON's escapes, and every control character escaped
    (JSON leaves DEL and the C1 controls as they are, which TOML refuses)."""
    quoted = json.dumps(text, ensure_ascii=False)
    return "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch) == "Cc" else ch for ch in quoted)


def settings_text(namnd: str, year: int, unit: str) -> str:
    """A commented ``namnd.toml``: the required keys set, every optional one explained."""
    name = _toml_string(namnd)
    return f"""\
# Inställningar för nämndens rapport. Rader som börjar med # är kommentarer: ta bort #
# framför en rad för att använda den. Å, ä och ö i ett namn före = kräver citattecken.

namnd = {name}
ar = {year}
enhet = "{unit}"                 # mnkr eller tkr i rapporten (JSON är alltid i kronor)

# Tjänsteutlåtandets huvud (valfritt):
# diarienummer = "1.2.1-123/{year}"
# "handläggare" = "Förnamn Efternamn, controller"
# datum = {year}-09-12           # ett TOML-datum, utan citattecken

# Tidigare års rapporter (JSON) att jämföra prognoserna med, relativt den här mappen:
# arkiv = "../arkiv"

[prognos]                        # prognosmetod per verksamhetsområde eller delområde
standard = "sasong"              # linjar | sasong | budgetrest | budget | manuell | volym
# reserv = "sasong"              # för enheter utan egen prognos när metoden är manuell
# "Äldreomsorg" = "manuell"

# [volym]
# rest = "takt"                  # takt (de tre senaste månaderna) eller budget

# [sie]                          # om huvudboken kommer som SIE 4
# ansvar = 1
# verksamhet = 6

# [kolumner]                     # om huvudbokens rubriker heter något annat
# Konto = ["Kontonr"]
# Ansvar = ["Kst"]

# [anslag]                       # områden med eget anslag (resten: Nämndens verksamhet)
# "Ekonomiskt bistånd" = ["Ekonomiskt bistånd"]

# [resultatoverforing]
# tak = 0.05                     # högst 5 % av resultatenhetens bruttokostnadsbudget
"""


def check(namnd: str, year: int, unit: str) -> list[str]:
    """What is wrong with the options, in Swedish (empty when nothing is)."""
    problems = []
    if not namnd.strip() or _CONTROL.search(namnd):
        problems.append(f"--namnd {namnd!r}: ange nämndens namn som text, utan styrtecken")
    if not YEAR_MIN <= year <= YEAR_MAX:
        problems.append(f"--ar {year}: ange ett årtal mellan {YEAR_MIN} och {YEAR_MAX}")
    if unit not in UNITS:
        problems.append(f"--enhet {unit!r}: ange {' eller '.join(sorted(UNITS))}")
    return problems


def init(folder: Path, namnd: str, year: int, unit: str, stamp: datetime) -> Started:
    """Write the starter folder; an existing folder must be empty."""
    try:
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise OutputError(
                f"{folder} finns redan och är inte en tom mapp; välj en ny mapp, så skrivs "
                "ingenting över"
            )
    except PermissionError as exc:
        raise OutputError(f"mappen {folder} kan inte läsas ({os_reason(exc)})") from exc
    files = {"namnd.toml": settings_text(namnd, year, unit).encode("utf-8")}
    files.update(workbooks(year, stamp))
    try:
        paths = write_all(folder, files)
    except OSError as exc:
        raise OutputError(
            f"startmappen kan inte skrivas till {exc.filename or folder} ({os_reason(exc)})"
        ) from exc
    return Started(folder, paths)
