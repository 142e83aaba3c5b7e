"""The city's desk, reading (contract §10): the nämnder's report JSONs in one folder,
``stad.toml`` and the office's workbook of positions and comments.

Every report is checked against the report schema (``edge.previous``); a JSON of another
kind is an error naming the file and JSON path. Which reports are summed, which serve the
indicators and which are only named is decided here, once: ``choose``.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from budget.core.city import (
    KINDS,
    POSITIONS,
    Excluded,
    NamndReport,
    Position,
    Requested,
    fold,
)
from budget.core.money import Sides, from_kronor
from budget.core.names import printable, unshowable
from budget.diagnostics import Diagnostic
from budget.edge import files
from budget.edge.files import UnreadableFile
from budget.edge.previous import MAX_BYTES as MAX_REPORT_BYTES
from budget.edge.previous import load_json, read_errors
from budget.edge.sheets import Field, Sheet

SETTINGS = "stad.toml"
MAX_SETTINGS_BYTES = 1024**2  # a settings file is a few lines; a larger one is not ours


def positions_book(year: int, suffix: str) -> str:
    """The office's workbook for one year and period: ``budget stad`` writes it prefilled
    under this name and reads it back from the reports folder."""
    return f"stadens-stallningstaganden-{year}-{suffix}.xlsx"


CITY_SCHEMA = "budget-stad/1"
REPORT_SCHEMA = "budget-report/1"


@dataclass(frozen=True)
class CitySettings:
    """What stad.toml says (all optional: without the file, every report is expected)."""

    stad: str = "Staden"
    namnder: tuple[str, ...] = ()  # the nämnder expected to report
    motpart: dict[str, str] = field(default_factory=dict)  # motpart code -> nämnd
    base: str = "utfall"  # prognossäkerhet in per cent of the outcome (or "budget")
    limit: Fraction = Fraction(1)  # ± per cent
    tolerance: int = 0  # internal trade: öre a pair may differ and still match


def _toml_error(message: str, key: str | None = None, value: Any = None) -> Diagnostic:
    return Diagnostic(
        "E022",
        message,
        file=SETTINGS,
        cell=key,
        value=None if value is None else printable(str(value)),
    )


def read_settings(folder: Path) -> tuple[CitySettings, list[Diagnostic]]:
    """stad.toml, if the folder has one: every key checked, each error naming its key."""
    path = folder / SETTINGS
    if not path.is_file():
        return CitySettings(), []
    try:
        data = tomllib.loads(files.read_bytes(path, SETTINGS, MAX_SETTINGS_BYTES).decode("utf-8"))
    except UnreadableFile as exc:
        return CitySettings(), [exc.diagnostic]
    except tomllib.TOMLDecodeError as exc:
        return CitySettings(), [
            Diagnostic("E021", f"filen är ingen giltig TOML ({exc})", file=SETTINGS)
        ]
    except UnicodeDecodeError as exc:
        return CitySettings(), [
            Diagnostic(
                "E021",
                f"filen är inte UTF-8 (byte {exc.start})",
                file=SETTINGS,
                expected="en textfil sparad som UTF-8",
            )
        ]
    except RecursionError:  # tomllib recurses once per [ or { level
        return CitySettings(), [
            Diagnostic(
                "E021",
                "filen är ingen giltig TOML (listor eller tabeller inuti varandra i tusentals "
                "nivåer)",
                file=SETTINGS,
            )
        ]
    diags: list[Diagnostic] = []
    known = ("stad", "namnder", "motpart", "prognossakerhet", "internhandel")
    for key in sorted(set(data) - set(known)):
        diags.append(_toml_error(f"okänd inställning {key} (kända: {', '.join(known)})", key))
    stad = data.get("stad", "Staden")
    if not _name(stad):
        diags.append(_toml_error("stad ska vara stadens namn (en text)", "stad", stad))
        stad = "Staden"
    namnder = _namnder(data.get("namnder", []), diags)
    motpart = _codes(_table(data, "motpart", (), diags), diags)
    accuracy = _table(data, "prognossakerhet", ("bas", "grans"), diags)
    base = accuracy.get("bas", "utfall")
    if base not in ("utfall", "budget"):
        diags.append(
            _toml_error('bas ska vara "utfall" eller "budget"', "prognossakerhet.bas", base)
        )
        base = "utfall"
    limit = _number(
        accuracy,
        "grans",
        "prognossakerhet",
        (0, 100),
        "ett tal i procent, större än 0, t.ex. 1",
        diags,
    )
    trade = _table(data, "internhandel", ("tolerans",), diags)
    tolerance = _number(
        trade, "tolerans", "internhandel", (0, 1e9), "kronor, 0 eller mer, t.ex. 1000", diags
    )
    settings = CitySettings(
        stad.strip(),
        tuple(namnder),
        motpart,
        base,
        Fraction(1) if limit is None else Fraction(str(limit)),
        0 if tolerance is None else from_kronor(float(tolerance)),
    )
    return settings, diags


def _name(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip()) and not unshowable(value)


def _table(
    data: dict[str, Any], key: str, allowed: tuple[str, ...], diags: list[Diagnostic]
) -> dict[str, Any]:
    """A [table] of stad.toml; with ``allowed``, any other key in it is an error."""
    table = data.get(key, {})
    if not isinstance(table, dict):
        diags.append(_toml_error(f"[{key}] ska vara en tabell", key))
        return {}
    for other in sorted(set(table) - set(allowed)) if allowed else ():
        diags.append(_toml_error(f"okänd inställning {other}", f"{key}.{other}"))
    return table


def _number(
    table: dict[str, Any],
    key: str,
    section: str,
    bounds: tuple[float, float],
    expected: str,
    diags: list[Diagnostic],
) -> float | None:
    """A number from bounds[0] (0 included only when it is the bound) up to bounds[1], or
    None (absent or wrong)."""
    if key not in table:
        return None
    value = table[key]
    low, high = bounds
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or not (low < value <= high or value == low == 0):
        diags.append(_toml_error(f"{key} ska vara {expected}", f"{section}.{key}", value))
        return None
    return float(value)


def _namnder(raw: Any, diags: list[Diagnostic]) -> list[str]:
    if not isinstance(raw, list) or not all(_name(n) for n in raw):
        diags.append(
            _toml_error(
                'namnder ska vara en lista med nämndernas namn, t.ex. ["Skärholmens '
                'stadsdelsnämnd"]',
                "namnder",
                raw,
            )
        )
        return []
    out: list[str] = []
    for i, name in enumerate(raw):
        if fold(name) in {fold(n) for n in out}:
            diags.append(_toml_error(f"nämnden {name} står två gånger", f"namnder[{i}]", name))
            continue
        out.append(name.strip())
    return out


def _codes(raw: dict[str, Any], diags: list[Diagnostic]) -> dict[str, str]:
    """[motpart]: nämnd = code, as code -> nämnd; a code for two nämnder is an error."""
    motpart: dict[str, str] = {}
    for name, code in raw.items():
        if not _name(code):
            diags.append(
                _toml_error(
                    f'motpartskoden för {name} ska vara en text, t.ex. "8101"',
                    f"motpart.{name}",
                    code,
                )
            )
        elif code.strip() in motpart:
            diags.append(
                _toml_error(
                    f"motpartskoden {code} står för både {motpart[code.strip()]} och {name}",
                    f"motpart.{name}",
                    code,
                )
            )
        else:
            motpart[code.strip()] = name.strip()
    return motpart


def _sides(figures: dict[str, Any]) -> Sides:
    return Sides(from_kronor(figures["costs"]), from_kronor(figures["revenues"]))


def _report(name: str, data: dict[str, Any], digest: str) -> NamndReport:
    total = data["total"]
    requested: list[Requested] = []
    for i, item in enumerate(data["budget_changes"]["items"]):
        if item.get("status") != "Begärd":
            continue
        source = item.get("source") or {}
        origin = " › ".join(
            str(p)
            for p in (
                source.get("file"),
                source.get("sheet"),
                f"rad {source['row']}" if source.get("row") else None,
            )
            if p
        )
        requested.append(
            Requested(
                namnd=data["namnd"],
                number=len(requested) + 1,
                kind=item["type"],
                area=item["area"],
                subarea=item.get("subarea"),
                costs=from_kronor(item["costs"]),
                revenues=from_kronor(item["revenues"]),
                net_effect=from_kronor(item["net_effect"]),
                description=item["description"],
                financier=item.get("financier"),
                diarienummer=item.get("diarienummer"),
                file=name,
                json_path=f"$.budget_changes.items[{i}]",
                origin=origin,
            )
        )
    budget = _sides(total["budget"])
    decided = _sides(total["decided_budget"]) if "decided_budget" in total else budget
    return NamndReport(
        namnd=data["namnd"],
        year=data["year"],
        period=data["period"],
        file=name,
        sha256=digest,
        generated_at=str(data.get("generated_at", "")),
        budget=budget,
        decided=decided,
        actual=_sides(total["actual"]),
        forecast=_sides(total["forecast"]),
        requested=tuple(requested),
        inputs=tuple((str(f["file"]), str(f["sha256"])) for f in data.get("inputs", [])),
    )


def read_reports(folder: Path) -> tuple[list[NamndReport], list[Diagnostic]]:
    """Every report JSON in ``folder`` (the city's own JSONs pass unremarked).

    A file that is no JSON, a JSON of another kind, or a report that breaks the report
    schema is an error naming the file and the JSON path: it is never summed.
    """
    reports: list[NamndReport] = []
    diags: list[Diagnostic] = []
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith(".") or not files.present(path):
            continue
        name = printable(path.name)
        if unshowable(path.name):
            diags.append(
                Diagnostic(
                    "E020",
                    "filnamnet har ett styrtecken eller tecken som inte är UTF-8",
                    file=name,
                    expected="ett filnamn med vanliga tecken, t.ex. skarholmen-2017-T2.json",
                )
            )
            continue
        data, problem = load_json(path)
        if problem is not None:
            diags.append(problem)
            continue
        kind = data.get("schema") if isinstance(data, dict) else None
        if kind == CITY_SCHEMA:
            continue  # the city's own report, from an earlier run
        if kind != REPORT_SCHEMA:
            diags.append(
                Diagnostic(
                    "E023",
                    "filen är ingen nämndrapport från budget",
                    file=name,
                    cell="$.schema",
                    value=printable(str(kind)) if kind is not None else "saknas",
                    expected=REPORT_SCHEMA,
                )
            )
            continue
        broken, unknown = read_errors(data, name)
        diags += unknown
        if broken:
            where, what = broken[0]
            diags.append(
                Diagnostic(
                    "E014",
                    f"rapporten följer inte rapportens schema ({what})"
                    + (f"; {len(broken) - 1} fel till" if len(broken) > 1 else ""),
                    file=name,
                    cell=where,
                    expected="en rapport-JSON som budget har skrivit",
                )
            )
            continue
        try:
            digest = hashlib.sha256(files.read_bytes(path, name, MAX_REPORT_BYTES)).hexdigest()
        except UnreadableFile as exc:  # changed since it was read a moment ago
            diags.append(exc.diagnostic)
            continue
        reports.append(_report(name, data, digest))
    return reports, diags


@dataclass
class Chosen:
    """The reports of one year and period (one per nämnd), the earlier years' T2 and
    year-end reports (the indicators), and every other report named with its reason."""

    year: int
    period: int
    current: list[NamndReport]
    history: list[NamndReport]
    excluded: list[Excluded]
    notes: list[str]


def _period_name(period: int) -> str:
    return {4: "T1", 8: "T2", 12: "helår"}.get(period, f"period {period}")


def choose(
    reports: list[NamndReport], year: int | None, period: int | None
) -> tuple[Chosen | None, list[Diagnostic]]:
    """Which reports the city sums: those of ``year`` and ``period`` (default: the latest
    year, then its latest period). A nämnd given twice for them with other figures is
    an error (E024) naming both files; with the same figures it is used once."""
    if not reports:
        return None, [
            Diagnostic(
                "E025",
                "mappen har ingen nämndrapport (JSON med schema budget-report/1)",
                expected="nämndernas rapport-JSON:er, t.ex. skarholmen-2017-T2.json",
            )
        ]
    year = max(r.year for r in reports) if year is None else year
    periods = [r.period for r in reports if r.year == year]
    period = max(periods, default=12) if period is None else period
    current, history, excluded = _split(reports, year, period)
    if not current:
        return None, [
            Diagnostic(
                "E025",
                f"mappen har ingen nämndrapport för {year} {_period_name(period)}",
                value=", ".join(
                    f"{y} {_period_name(p)}"
                    for y, p in sorted({(r.year, r.period) for r in reports})
                ),
                expected=f"rapporter med year {year} och period {period}",
            )
        ]
    diags: list[Diagnostic] = []
    chosen: list[NamndReport] = []
    for same in current.values():
        first = same[0]
        differing = [r for r in same[1:] if not first.same_figures(r)]
        if differing:
            diags.append(
                Diagnostic(
                    "E024",
                    f"{first.namnd} har två rapporter för {year} {_period_name(period)} med "
                    f"olika siffror: {first.file} och {differing[0].file}; ingen av dem summeras",
                    file=differing[0].file,
                    cell="$.total",
                    expected="en rapport per nämnd, år och period",
                )
            )
            continue
        chosen.append(first)
        excluded += [
            Excluded(r.file, r.namnd, r.year, r.period, f"samma siffror som {first.file}")
            for r in same[1:]
        ]
    kept, notes = _history(history)
    return Chosen(year, period, chosen, kept, excluded, notes), diags


def _split(
    reports: list[NamndReport], year: int, period: int
) -> tuple[
    dict[str, list[NamndReport]], dict[tuple[str, int, int], list[NamndReport]], list[Excluded]
]:
    """The reports of the year and period per nämnd, earlier years' T2 and year-end
    reports per nämnd, year and period, and every other report with its reason."""
    current: dict[str, list[NamndReport]] = {}
    history: dict[tuple[str, int, int], list[NamndReport]] = {}
    excluded: list[Excluded] = []
    for r in reports:
        if (r.year, r.period) == (year, period):
            current.setdefault(fold(r.namnd), []).append(r)
            continue
        if r.year < year and r.period in (8, 12):
            history.setdefault((fold(r.namnd), r.year, r.period), []).append(r)
            why = "tidigare års rapport: underlag för prognossäkerhet och budgetföljsamhet"
        else:
            other = "annat år" if r.year != year else "annan period"
            why = f"{other} ({r.year} {_period_name(r.period)}); räknas inte med"
        excluded.append(Excluded(r.file, r.namnd, r.year, r.period, why))
    return current, history, excluded


def _history(
    history: dict[tuple[str, int, int], list[NamndReport]],
) -> tuple[list[NamndReport], list[str]]:
    """One report per nämnd, year and period; several with other figures serve no
    indicator, and are named."""
    kept: list[NamndReport] = []
    notes: list[str] = []
    for (_, y, p), same in sorted(history.items()):
        first = same[0]
        if any(not first.same_figures(r) for r in same[1:]):
            notes.append(
                f"{first.namnd} har flera rapporter för {y} {_period_name(p)} med olika siffror "
                f"({', '.join(r.file for r in same)}); ingen av dem används för indikatorerna"
            )
            continue
        kept.append(first)
    return kept, notes


def _positions_sheet() -> Sheet:
    return Sheet(
        "stadens-stallningstaganden",
        "Ställningstaganden",
        (
            Field("Nämnd", "namnd", "text", ("Namnd",), example="Skärholmens stadsdelsnämnd"),
            Field("Nr", "number", "integer", ("Ärende", "Id"), example=1),
            Field(
                "Beskrivning",
                "description",
                "text",
                ("Ändring",),
                column_required=False,
                value_required=False,
                example="Statsbidrag för ökad bemanning",
            ),
            Field(
                "Ställningstagande",
                "position",
                "choice",
                ("Stallningstagande", "Stadsledningskontorets ställningstagande"),
                value_required=False,
                choices=POSITIONS,
                example="Tillstyrks",
            ),
            Field(
                "Kommentar",
                "comment",
                "text",
                ("Stadsledningskontorets kommentar",),
                column_required=False,
                value_required=False,
                example="",
            ),
        ),
    )


def _comments_sheet() -> Sheet:
    return Sheet(
        "stadens-stallningstaganden",
        "Kommentarer",
        (
            Field("Nämnd", "namnd", "text", ("Namnd",), example="Skärholmens stadsdelsnämnd"),
            Field(
                "Kommentar",
                "comment",
                "text",
                ("Stadsledningskontorets kommentar",),
                value_required=False,
                example="",
            ),
        ),
    )


POSITIONS_SHEET = _positions_sheet()
COMMENTS_SHEET = _comments_sheet()


def read_positions(
    path: Path, current: list[NamndReport]
) -> tuple[dict[tuple[str, int], Position], dict[str, str], list[Diagnostic]]:
    """The office's workbook: a position per requested change (sheet Ställningstaganden)
    and a comment per nämnd (sheet Kommentarer, optional). A nämnd that has no report,
    a change number the nämnd's report lacks, or a description other than the report's,
    is an error naming the cell: a position must never land on another change."""
    from budget.edge.readers import _optional_sheet, _start, _typed

    display = path.name
    started = _start(path, display, POSITIONS_SHEET, ())
    if not isinstance(started, tuple):
        return {}, {}, started.diagnostics
    table, conv = started
    frame = _typed(conv, table, POSITIONS_SHEET)
    diags = list(conv.diagnostics)
    names = {fold(r.namnd): r for r in current}
    changes = {c.key: c for r in current for c in r.requested}
    positions: dict[tuple[str, int], Position] = {}
    for row in frame.iter_rows(named=True):
        found = _position(row, table, names, changes, positions)
        if isinstance(found, Diagnostic):
            diags.append(found)
        else:
            positions[(fold(found.namnd), found.number)] = found
    comments: dict[str, str] = {}
    present = _optional_sheet(path, display, COMMENTS_SHEET.sheet)
    if isinstance(present, Diagnostic):
        diags.append(present)
    elif present:
        started = _start(path, display, COMMENTS_SHEET, ())
        if not isinstance(started, tuple):
            return positions, comments, diags + started.diagnostics
        table, conv = started
        frame = _typed(conv, table, COMMENTS_SHEET)
        diags += conv.diagnostics
        for row in frame.iter_rows(named=True):
            if fold(row["namnd"]) not in names:
                diags.append(_unknown(row, table, COMMENTS_SHEET.sheet, current))
            elif row["comment"]:
                comments[fold(row["namnd"])] = row["comment"]
    return positions, comments, diags


def _unknown(row: dict[str, Any], table: Any, sheet: str, current: list[NamndReport]) -> Diagnostic:
    return Diagnostic(
        "E026",
        f"nämnden {row['namnd']} har ingen rapport för perioden",
        file=table.file,
        sheet=sheet,
        cell=f"{table.letters['Nämnd']}{row['row']}",
        column="Nämnd",
        value=row["namnd"],
        expected="en av nämnderna som har rapporterat: "
        + ", ".join(sorted(r.namnd for r in current)),
    )


def _position(
    row: dict[str, Any],
    table: Any,
    names: dict[str, NamndReport],
    changes: dict[tuple[str, int], Requested],
    taken: dict[tuple[str, int], Position],
) -> Position | Diagnostic:
    """One row of Ställningstaganden: its position, or the error that names its cell."""
    sheet, n, name = POSITIONS_SHEET.sheet, row["row"], row["namnd"]
    if fold(name) not in names:
        return _unknown(row, table, sheet, list(names.values()))
    key = (fold(name), row["number"])
    change = changes.get(key)

    def wrong(message: str, column: str, value: str, expected: str) -> Diagnostic:
        return Diagnostic(
            "E027",
            message,
            file=table.file,
            sheet=sheet,
            cell=f"{table.letters[column]}{n}",
            column=column,
            value=value,
            expected=expected,
        )

    if change is None:
        count = len(names[fold(name)].requested)
        return wrong(
            f"{name} begär ingen ändring nr {row['number']} i sin rapport",
            "Nr",
            str(row["number"]),
            f"1–{count}" if count else "inga rader: nämnden begär inget",
        )
    if row["description"] and fold(row["description"]) != fold(change.description):
        return wrong(
            f"ändring nr {row['number']} för {name} har en annan beskrivning i rapporten; "
            "ordningen kan ha ändrats",
            "Beskrivning",
            row["description"],
            change.description,
        )
    if key in taken:
        return wrong(
            f"ändring nr {row['number']} för {name} har redan ett ställningstagande "
            f"({taken[key].cell})",
            "Nr",
            str(row["number"]),
            "en rad per ändring",
        )
    letter = table.letters["Ställningstagande"]
    return Position(
        change.namnd, change.number, row["position"], row["comment"] or "", f"{sheet}!{letter}{n}"
    )


__all__ = ["KINDS", "Chosen", "CitySettings", "choose", "read_positions", "read_reports"]
