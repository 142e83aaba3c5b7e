"""The shape of ``namnd.toml``, checked by a schema before any value is read.

A misspelt table (``[prognoss]``) or key (``diarienummr``) used to be ignored, and the
report was made with the defaults: every area fell back to the standard method, the Dnr
went missing, without a word. The schema (pydantic v2, ``extra="forbid"`` and strict types)
knows every table and key the contract and the README name, and their types; anything
else is an E011 naming namnd.toml, the line and the key, with the closest known name
("Menade du [prognos]?"). The values themselves (a method's name, a year's range, a
folder) are checked by ``budget.edge.config`` as before; this module only says whether
the file is shaped as one of ours.

tomllib gives no line numbers, so the line of a key is found again in the text: the
first line, inside the key's table, where the key (bare or quoted) stands before ``=``,
or the table's own ``[header]``. A key that cannot be found (a dotted or inline key) is
named without a line.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, StrictInt, StrictStr
from pydantic import ValidationError as SchemaError

from budget.core.names import normalize_header
from budget.diagnostics import Diagnostic

_STRICT = ConfigDict(extra="forbid", strict=True)
Headers = StrictStr | list[StrictStr]
# Each sheet's name and its columns: contract name -> folded header and aliases.
Sheets = list[tuple[str, dict[str, set[str]]]]


class _Sie(BaseModel):
    model_config = _STRICT
    ansvar: StrictInt | None = None
    verksamhet: StrictInt | None = None


class _Volume(BaseModel):
    # rest, and any area or delområde naming the measure (Mått) that explains its cost
    # (contract §9); an unknown name is E011 from checks.rules.volume_measures.
    model_config = ConfigDict(extra="allow", strict=True)
    __pydantic_extra__: dict[str, StrictStr] = Field(init=False)
    rest: StrictStr | None = None


class _Transfer(BaseModel):
    model_config = _STRICT
    tak: StrictInt | float | None = None


class _Review(BaseModel):
    model_config = _STRICT
    underskott: StrictInt | float | None = None


class NamndToml(BaseModel):
    """Every table and key of namnd.toml (contract §1, §5, §6; README)."""

    model_config = _STRICT
    namnd: StrictStr | None = None
    ar: StrictInt | None = Field(None, validation_alias=AliasChoices("ar", "år"))
    enhet: StrictStr | None = None
    diarienummer: StrictStr | None = None
    handlaggare: StrictStr | None = Field(
        None, validation_alias=AliasChoices("handlaggare", "handläggare")
    )
    datum: date | None = None
    arkiv: Headers | None = None
    # Area and delområde names (and standard, reserv) -> a method's name.
    prognos: dict[str, StrictStr] | None = None
    # Contract column -> the header(s) a nämnd's files use; the keys are checked below.
    kolumner: dict[str, Headers] | None = None
    sie: _Sie | None = None
    volym: _Volume | None = None
    # Anslag name -> its verksamhetsområden.
    anslag: dict[str, Headers] | None = None
    resultatoverforing: _Transfer | None = Field(
        None, validation_alias=AliasChoices("resultatoverforing", "resultatöverföring")
    )
    # Contract §7: the deficit (kronor) from which Att granska asks for an åtgärd.
    granskning: _Review | None = None


# The names a user may write, as written (the aliases too), per table ("" is the top level).
_TABLES = {"sie", "volym", "resultatoverforing", "prognos", "kolumner", "anslag", "granskning"}
_KEYS = {
    "": [
        "namnd",
        "ar",
        "enhet",
        "diarienummer",
        "handlaggare",
        "datum",
        "arkiv",
        *sorted(_TABLES),
    ],
    "sie": ["ansvar", "verksamhet"],
    "volym": ["rest"],
    "resultatoverforing": ["tak"],
    "granskning": ["underskott"],
}
_EXPECTED = {
    "namnd": "nämndens namn som text",
    "ar": "ett årtal utan citattecken, t.ex. ar = 2017",
    "enhet": 'text: "mnkr" eller "tkr"',
    "diarienummer": 'text, t.ex. "SKH 2017/123"',
    "handlaggare": 'text, t.ex. "Anna Andersson"',
    "datum": "ett datum utan citattecken, t.ex. datum = 2017-09-12",
    "arkiv": 'en mapp eller en lista av mappar, t.ex. "../arkiv"',
    "prognos": 'en tabell [prognos] med metodnamn som text, t.ex. standard = "sasong"',
    "kolumner": 'en tabell [kolumner] med rubriker, t.ex. Konto = ["Kontonr"]',
    "sie": "en tabell [sie] med dimensionsnummer, t.ex. ansvar = 1",
    "volym": 'en tabell [volym], t.ex. rest = "budget"',
    "anslag": 'en tabell [anslag], t.ex. "Ekonomiskt bistånd" = ["Ekonomiskt bistånd"]',
    "resultatoverforing": "en tabell [resultatoverforing] med tak = 0.05",
    "sie.ansvar": "ett dimensionsnummer utan citattecken, t.ex. ansvar = 1",
    "sie.verksamhet": "ett dimensionsnummer utan citattecken, t.ex. verksamhet = 6",
    "volym.rest": 'text: "takt" eller "budget"',
    "resultatoverforing.tak": "en andel som tal, t.ex. tak = 0.05",
    "granskning": "en tabell [granskning] med underskott = 500000",
    "granskning.underskott": "ett belopp i kronor som tal, t.ex. underskott = 500000",
}
_TRANSFER = ("resultatoverforing", "resultatöverföring")
_ALIASES = {"år": "ar", "handläggare": "handlaggare", "resultatöverföring": "resultatoverforing"}


def check(data: dict[str, Any], raw: str, display: str, sheets: Sheets) -> list[Diagnostic]:
    """Every problem of shape in ``data`` (the parsed namnd.toml), once per key.

    ``sheets``: each sheet of the contract with its columns and their folded headers and
    aliases (``budget.edge.sheets``), for the keys of [kolumner]."""
    found: dict[tuple[str, ...], Diagnostic] = {}
    where = _Lines(raw)
    try:
        NamndToml.model_validate(data)
    except SchemaError as exc:
        for error in exc.errors():
            path = _key_path(data, error["loc"])
            if path in found or any(path[: i + 1] in found for i in range(len(path) - 1)):
                continue
            found[path] = _diagnostic(error["type"], path, data, where, display)
    for spellings in (("ar", "år"), ("handlaggare", "handläggare"), _TRANSFER):
        given = [k for k in spellings if k in data]
        if len(given) > 1:
            found[(given[1],)] = Diagnostic(
                "E011",
                f"{given[0]} och {given[1]} är samma inställning och står båda i filen",
                file=display,
                cell=where.of((given[1],), isinstance(data[given[1]], dict)),
                column=given[1],
                value=given[1],
                expected=f"{given[0]} en gång",
            )
    kolumner = data.get("kolumner")
    if isinstance(kolumner, dict):
        for diag in _column_keys(kolumner, sheets, where, display):
            found.setdefault(("kolumner", str(diag.column).split(".", 1)[1]), diag)
    return list(found.values())


def _key_path(data: object, loc: tuple[int | str, ...]) -> tuple[str, ...]:
    """The part of pydantic's location that names keys of the file (not union members)."""
    path: list[str] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            path.append(str(part))
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]  # an item of a list: the key is the list's
        else:
            break
    return tuple(path)


def _diagnostic(
    kind: str, path: tuple[str, ...], data: dict[str, Any], where: _Lines, display: str
) -> Diagnostic:
    value = _value(data, path)
    key = ".".join(_ALIASES.get(p, p) for p in path)
    if kind == "extra_forbidden":
        table = ".".join(_ALIASES.get(p, p) for p in path[:-1])
        name = path[-1]
        is_table = isinstance(value, dict)
        shown = f"[{'.'.join(path)}]" if is_table else name
        what = "tabell" if is_table else "inställning"
        inside = f" i [{table}]" if table else ""
        guess = _closest(name, _KEYS.get(table, []), tables=not table)
        hint = f" Menade du {guess}?" if guess else ""
        known = ", ".join(_shown(k, not table) for k in _KEYS.get(table, []))
        return Diagnostic(
            "E011",
            f"okänd {what} {shown}{inside}; den skulle inte läsas.{hint}",
            file=display,
            cell=where.of(path, is_table),
            column=key,
            value=name,
            expected=f"en av {known}",
        )
    expected = _EXPECTED.get(key) or _EXPECTED.get(key.split(".", 1)[0], "ett giltigt värde")
    if len(path) > 1 and path[0] in ("prognos", "kolumner", "anslag"):
        expected = {
            "prognos": 'ett metodnamn som text, t.ex. "linjar"',
            "kolumner": 'en rubrik eller en lista av rubriker, t.ex. ["Kontonr"]',
            "anslag": 'en lista av verksamhetsområden, t.ex. ["Ekonomiskt bistånd"]',
        }[path[0]]
    return Diagnostic(
        "E011",
        f"ogiltigt värde för {key}",
        file=display,
        cell=where.of(path, isinstance(value, dict)),
        column=key,
        value=_text(value),
        expected=expected,
    )


def _column_keys(
    kolumner: dict[str, Any], sheets: Sheets, where: _Lines, display: str
) -> list[Diagnostic]:
    """[kolumner]: each key a contract column; no header that names two columns of a sheet
    (``Ansvar = ["Verksamhet"]``, or one header under two keys), which would read one
    column's cells as another's."""
    out = []
    names = {normalize_header(n): n for _, columns in sheets for n in columns}
    for key in kolumner:
        if normalize_header(key) not in names:
            guess = _closest(key, sorted(set(names.values())), tables=False)
            hint = f" Menade du {guess}?" if guess else ""
            out.append(
                Diagnostic(
                    "E011",
                    f"[kolumner] {key} är ingen kolumn i kontraktet; den skulle inte läsas.{hint}",
                    file=display,
                    cell=where.of(("kolumner", key), False),
                    column=f"kolumner.{key}",
                    value=key,
                    expected="en kolumn ur kontraktet, t.ex. Konto, Ansvar eller Verksamhet",
                )
            )
    given = {
        names[normalize_header(k)]: [v] if isinstance(v, str) else v
        for k, v in kolumner.items()
        if normalize_header(k) in names and isinstance(v, str | list)
    }
    for key, headers in given.items():
        for header in headers:
            if not isinstance(header, str):
                continue
            folded = normalize_header(header)
            clash = _clash(key, folded, given, sheets)
            if clash is None:
                continue
            raw_key = next(k for k in kolumner if normalize_header(k) == normalize_header(key))
            out.append(
                Diagnostic(
                    "E011",
                    f"[kolumner] {key} = {header!r}: rubriken {header!r} är redan {clash}; "
                    "samma rubrik kan inte vara två kolumner",
                    file=display,
                    cell=where.of(("kolumner", raw_key), False),
                    column=f"kolumner.{raw_key}",
                    value=header,
                    expected=f"en rubrik som bara {key} har i filerna",
                )
            )
            break
    return out


def _clash(key: str, folded: str, given: dict[str, list[Any]], sheets: Sheets) -> str | None:
    """What else the header ``folded`` names on a sheet where ``key`` stands, if anything."""
    for sheet, names in sheets:
        if key not in names:
            continue
        for other, headers in names.items():
            if other != key and folded in headers:
                return f"kolumnen {other} i bladet {sheet}"
            if other != key and any(
                isinstance(h, str) and normalize_header(h) == folded for h in given.get(other, [])
            ):
                return f"angiven för {other} i [kolumner] (bladet {sheet})"
    return None


def _closest(name: str, candidates: list[str], tables: bool) -> str | None:
    folded = {normalize_header(c): c for c in candidates}
    match = difflib.get_close_matches(normalize_header(name), list(folded), n=1, cutoff=0.6)
    return _shown(folded[match[0]], tables) if match else None


def _shown(name: str, tables: bool) -> str:
    return f"[{name}]" if tables and name in _TABLES else name


def _value(data: dict[str, Any], path: tuple[str, ...]) -> object:
    node: object = data
    for part in path:
        node = node[part] if isinstance(node, dict) and part in node else None
    return node


def _text(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(str(k) for k in value) + "}"
    return str(value)


class _Lines:
    """Where a table or a key stands in the text (tomllib gives no lines)."""

    _HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")

    def __init__(self, raw: str) -> None:
        self.lines = raw.splitlines()

    def of(self, path: tuple[str, ...], is_table: bool) -> str | None:
        if not path:
            return None
        if is_table:
            wanted = ".".join(path)
            for number, line in enumerate(self.lines, 1):
                found = self._HEADER.match(line)
                if found and _unquote(found.group(1)) == wanted:
                    return f"rad {number}"
        table, key = ".".join(path[:-1]), path[-1]
        current = ""
        for number, line in enumerate(self.lines, 1):
            header = self._HEADER.match(line)
            if header:
                current = _unquote(header.group(1))
                continue
            if current == table and _unquote(line.split("=", 1)[0]) == key and "=" in line:
                return f"rad {number}"
        return None


def _unquote(text: str) -> str:
    parts = [p.strip() for p in text.strip().split(".")] if '"' not in text else [text.strip()]
    return ".".join(p.strip().strip('"').strip("'") for p in parts)
