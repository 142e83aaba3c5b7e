"""Readers for each workbook of the contract (§1): Table -> typed polars frame.

What each sheet holds is declared once, in ``edge.sheets``; a reader adds only what the
declaration cannot say (a month given as ÅÅÅÅMM, a code mapped twice, a goal assessed
twice). Each reader returns its frame and its diagnostics. Rows with errors stay out of the
frame; the run stops anyway when there is any error. Ledger and budget amounts are exact
micro-kronor in ledger signs (debit +, credit −), exactly as in the file; other amounts öre.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import polars as pl

from budget.checks import cells
from budget.core import fmt
from budget.diagnostics import Diagnostic
from budget.edge import csvfile, sie
from budget.edge.convert import RAW as RAW_PREFIX
from budget.edge.convert import Converter, valid_where
from budget.edge.excel import ROW, Table, UnreadableFile, has_sheet, read_table
from budget.edge.sheets import (
    ASSESSMENT,
    BUDGET,
    CHANGES,
    FORECASTS,
    INDICATORS,
    INVESTMENTS,
    LEDGER,
    MEASURES,
    PERIODISATION,
    RESPONSIBILITIES,
    STRUCTURE,
    VOLUMES,
    YEAR_MAX,
    YEAR_MIN,
    Schema,
    Sheet,
)

# Extra headers per contract column, from [kolumner] in namnd.toml (hashable: a cache key).
Aliases = tuple[tuple[str, tuple[str, ...]], ...]

OPERATING_KONTO = r"^[1-8][0-9]{3}$"


@dataclass
class Read:
    """A reader's result: the typed frame and what was found on the way."""

    frame: pl.DataFrame
    diagnostics: list[Diagnostic]
    table: Table | None = None


def _load(path: Path, display: str, spec: Sheet, aliases: Aliases = ()) -> Table | Diagnostic:
    """Read a sheet; ``aliases`` are the headers ``[kolumner]`` in namnd.toml adds."""
    extra = dict(aliases)
    columns = [
        replace(c, aliases=(*c.aliases, *extra[c.name])) if c.name in extra else c
        for c in spec.columns
    ]
    try:
        return read_table(path, display, spec.sheet, columns, spec.numeric)
    except UnreadableFile as exc:
        return exc.diagnostic


def _failed(diag: Diagnostic, schema: Schema) -> Read:
    return Read(pl.DataFrame(schema=schema), [diag])


def _start(
    path: Path, display: str, spec: Sheet, aliases: Aliases
) -> tuple[Table, Converter] | Read:
    """Load a sheet and declare its fields' conversions; a Read when it cannot be loaded."""
    table = _load(path, display, spec, aliases)
    if isinstance(table, Diagnostic):
        return _failed(table, spec.schema)
    conv = Converter(table)
    spec.convert(conv)
    return table, conv


def _start_optional(
    path: Path, display: str, spec: Sheet, aliases: Aliases
) -> tuple[Table, Converter] | Read | None:
    """As ``_start`` for a sheet the contract makes optional: None when it is not there."""
    present = _optional_sheet(path, display, spec.sheet)
    if isinstance(present, Diagnostic):
        return _failed(present, spec.schema)
    if not present:
        return None
    return _start(path, display, spec, aliases)


def _typed(
    conv: Converter,
    table: Table,
    spec: Sheet,
    keep: pl.Expr | None = None,
    computed: dict[str, pl.Expr] | None = None,
) -> pl.DataFrame:
    """Run the conversions and keep the rows (by default those with every required value),
    as the spec's typed frame with provenance."""
    typed = conv.run()
    kept = conv.accept(typed, spec.complete() if keep is None else keep)
    return kept.select(spec.select(table.file, table.sheet, computed))


LEDGER_SUFFIXES = (*csvfile.SUFFIXES, *sie.SUFFIXES)


def read_ledger(
    path: Path,
    display: str,
    aliases: Aliases = (),
    sie_dims: tuple[int | None, int | None] = (None, None),
) -> Read:
    """One ``utfall*`` file (.xlsx and the other workbooks, .csv, or SIE): ledger rows
    with provenance (file, sheet, Excel row or line). Every format goes through the
    same rules below."""
    if path.suffix.lower() in sie.SUFFIXES:
        table: Table | Diagnostic = _sie_table(path, display, sie_dims)
    else:
        table = _load(path, display, LEDGER, aliases)
    if isinstance(table, Diagnostic):
        return _failed(table, LEDGER.schema)
    conv = Converter(table)
    LEDGER.convert(conv)
    month = _month_expr()
    conv.rule(
        "Period",
        valid_where(month.is_not_null()),
        "E105",
        "perioden är ingen månad i året",
        "1–12 eller ÅÅÅÅMM i samma år",
    )
    keep = (
        LEDGER.complete()
        & month.is_not_null()
        & pl.col("År").is_between(YEAR_MIN, YEAR_MAX)
        & pl.col("Konto").str.contains(OPERATING_KONTO)
    )
    frame = _typed(conv, table, LEDGER, keep, {"period": month})
    return Read(frame, conv.diagnostics, table)


def _sie_table(path: Path, display: str, dims: tuple[int | None, int | None]) -> Table | Diagnostic:
    """A SIE file's transactions as a Table: one row a transaction, placed by its line."""
    try:
        found = sie.read(path, display, dims[0] or 1, dims[1])
    except sie.NotSie as exc:
        return exc.diagnostic
    frame = found.frame.select(pl.col("line").alias(ROW), *sie.COLUMNS)
    table = Table(
        display,
        "",
        frame,
        dict.fromkeys(sie.COLUMNS, ""),
        0,
        diagnostics=found.diagnostics,
        line_based=True,
        note=f"SIE {found.kind or '?'}",
    )
    table.path = path
    return table


def _month_expr() -> pl.Expr:
    """Period as month 1–12: accepts ``8`` or ``201708`` (the year must match År)."""
    p = pl.col("Period")
    yyyymm_ok = (p // 100 == pl.col("År")) & (p % 100).is_between(1, 12)
    return pl.when(p.is_between(1, 12)).then(p).when(yyyymm_ok).then(p % 100).otherwise(None)


def read_budget(path: Path, display: str, aliases: Aliases = ()) -> Read:
    """``budget.xlsx`` sheet Budget: annual amounts per verksamhet and konto, ledger signs."""
    started = _start(path, display, BUDGET, aliases)
    if isinstance(started, Read):
        return started
    table, conv = started
    keep = BUDGET.complete() & pl.col("Konto").str.contains(OPERATING_KONTO)
    frame = _typed(conv, table, BUDGET, keep)
    return Read(frame, conv.diagnostics, table)


def read_periodisation(path: Path, display: str, aliases: Aliases = ()) -> Read | None:
    """Optional sheet Periodisering of ``budget.xlsx``: monthly shares per area."""
    started = _start_optional(path, display, PERIODISATION, aliases)
    if started is None or isinstance(started, Read):
        return started
    table, conv = started
    keep = pl.col("Period").is_between(1, 12) & pl.col("Andel").is_between(0, 1)
    frame = _typed(conv, table, PERIODISATION, keep)
    diags = conv.diagnostics
    for area, total in (
        frame.group_by("area").agg(pl.col("share").sum()).sort("area", nulls_last=False).iter_rows()
    ):
        if abs(total - 1.0) > 1e-6:
            diags.append(
                Diagnostic(
                    "E204",
                    f"andelarna för {area or 'alla områden'} summerar till {total:.4f}",
                    file=display,
                    sheet=table.sheet,
                    column="Andel",
                    value=f"{total:.4f}",
                    expected="1",
                )
            )
    return Read(frame, diags, table)


def _optional_sheet(path: Path, display: str, sheet: str) -> bool | Diagnostic:
    """Whether an optional sheet is there; a hidden one is an error (E013)."""
    try:
        return has_sheet(path, display, sheet)
    except UnreadableFile as exc:
        # An unreadable file is reported by the required sheet's reader; a hidden sheet here.
        return exc.diagnostic if exc.diagnostic.code == "E013" else False


def read_structure(path: Path, display: str, aliases: Aliases = ()) -> Read:
    """``struktur.xlsx`` sheet Verksamheter: verksamhet code -> area and subarea."""
    started = _start(path, display, STRUCTURE, aliases)
    if isinstance(started, Read):
        return started
    table, conv = started
    frame = _typed(conv, table, STRUCTURE)
    diags = conv.diagnostics
    conflicts = (
        frame.group_by("verksamhet")
        .agg(pl.struct("area", "subarea").n_unique().alias("n"), pl.col("row").sort())
        .filter(pl.col("n") > 1)
        .sort("verksamhet")
    )
    for code, _, rows in conflicts.iter_rows():
        diags.append(
            Diagnostic(
                "E201",
                f"verksamhetskoden {code} har olika områden på raderna "
                + ", ".join(str(r) for r in rows),
                file=display,
                sheet=table.sheet,
                cell=table.cell("Verksamhet", rows[1]),
                column="Verksamhet",
                value=code,
                expected="ett verksamhetsområde per kod",
            )
        )
    frame = frame.unique("verksamhet", keep="first", maintain_order=True)
    return Read(frame, diags, table)


def conflicting_rows(
    frame: pl.DataFrame,
    keys: list[str],
    fields: dict[str, str],
    table: Any,
    display: str,
    what: str,
) -> list[Diagnostic]:
    """E217 for each later row of a key whose ``fields`` (name -> header) differ from the
    key's first row: one of them would otherwise win silently. Rows that agree are one.
    ``what`` names the key, formatted with the row (``"ansvar {ansvar}"``)."""
    out = []
    firsts: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in frame.filter(pl.struct(keys).is_duplicated()).iter_rows(named=True):
        key = tuple(r[k] for k in keys)
        first = firsts.setdefault(key, r)
        if first is r:
            continue
        for name, header in fields.items():
            if r[name] != first[name]:
                out.append(
                    Diagnostic(
                        "E217",
                        f"{what.format(**r)} finns redan på rad {first['row']} med "
                        f"{header} {_shown(first[name])}",
                        file=display,
                        sheet=table.sheet,
                        cell=table.cell(header, r["row"]),
                        column=header,
                        value=_shown(r[name]),
                        expected="samma uppgift som på den första raden, eller en rad",
                    )
                )
                break
    return out


def _shown(value: Any) -> str:
    """A cell's value as a message shows it: numbers in Swedish form, text as it stands."""
    if value is None:
        return "(tom)"
    if isinstance(value, float | int) and not isinstance(value, bool):
        return fmt.number(value, 0 if float(value).is_integer() else 2)
    return str(value)


def read_responsibilities(path: Path, display: str, aliases: Aliases = ()) -> Read | None:
    """Optional sheet Ansvar of ``struktur.xlsx``: ansvar code -> unit name, regi, chef."""
    started = _start_optional(path, display, RESPONSIBILITIES, aliases)
    if started is None or isinstance(started, Read):
        return started
    table, conv = started
    typed = _typed(conv, table, RESPONSIBILITIES)
    fields = {f.name: f.header for f in RESPONSIBILITIES.fields if f.name != "ansvar"}
    diags = conv.diagnostics + conflicting_rows(
        typed,
        ["ansvar"],
        fields,
        table,
        display,
        "ansvar {ansvar}",
    )
    frame = typed.unique("ansvar", keep="first", maintain_order=True)
    return Read(frame, diags, table)


_TERTIAL = r"^t(?:ertial)?\s*([123])$"
_PERIOD_EXPECTED = "en månad 1–12 eller T1, T2, T3 (= 4, 8, 12)"


def _text(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.String)  # a column the sheet lacks is all null


def _folded(column: str) -> pl.Expr:
    return _text(column).str.strip_chars().str.to_lowercase()


def _report_month(column: str) -> pl.Expr:
    """A register period (``Begärd i``, ``Beviljad i``): 1–12, or T1/T2/T3 = 4/8/12."""
    tertial = _folded(column).str.extract(_TERTIAL, 1).cast(pl.Int64, strict=False) * 4
    month = cells.integer(_text(column))
    return pl.coalesce(tertial, pl.when(month.is_between(1, 12)).then(month))


def _check_report_month(conv: Converter, column: str) -> None:
    """A month outside 1–12 and a tertial that does not exist are errors of their own."""
    month = cells.integer(_text(column))
    named = _folded(column).str.contains(_TERTIAL).fill_null(False)
    conv.check(
        column,
        month.is_not_null() & ~month.is_between(1, 12),
        "E241",
        "perioden är ingen månad 1–12",
        _PERIOD_EXPECTED,
    )
    conv.check(
        column,
        pl.col(column).is_not_null() & month.is_null() & ~named,
        "E242",
        "okänt tertial eller ingen period",
        _PERIOD_EXPECTED,
    )


def read_changes(path: Path, display: str, aliases: Aliases = ()) -> Read:
    """``forandringar.xlsx`` sheet Förändringar: budget changes, as written (kronor → öre).

    A row says either its ``Status`` or, as a register (contract §8), ``Begärd i`` and/or
    ``Beviljad i``; a change cannot be granted before it is requested.
    """
    started = _start(path, display, CHANGES, aliases)
    if isinstance(started, Read):
        return started
    table, conv = started
    for column in ("Begärd i", "Beviljad i"):
        _check_report_month(conv, column)
    computed = {
        "costs": pl.col("Kostnader").cast(pl.Int64).fill_null(0),
        "revenues": pl.col("Intäkter").cast(pl.Int64).fill_null(0),
        "requested_in": _report_month("Begärd i"),
        "granted_in": _report_month("Beviljad i"),
    }
    frame = _typed(conv, table, CHANGES, computed=computed)
    diags = conv.diagnostics
    flagged = {d.cell[len(d.cell.rstrip("0123456789")) :] for d in diags if d.cell}
    for r in frame.iter_rows(named=True):
        where = {"file": display, "sheet": table.sheet}
        requested, granted = r["requested_in"], r["granted_in"]
        if requested is not None and granted is not None and granted < requested:
            diags.append(
                Diagnostic(
                    "E243",
                    f"förändringen är beviljad i period {granted}, före perioden den begärs "
                    f"i ({requested})",
                    **where,
                    cell=table.cell("Beviljad i", r["row"]),
                    column="Beviljad i",
                    value=str(granted),
                    expected=f"en period från och med Begärd i ({requested})",
                )
            )
        unsaid = r["status"] is None and requested is None and granted is None
        if unsaid and str(r["row"]) not in flagged:  # a bad period is its own error
            column = next((c for c in ("Status", "Begärd i", "Beviljad i") if table.has(c)), "Typ")
            diags.append(
                Diagnostic(
                    "E244",
                    "förändringen har varken Status eller Begärd i / Beviljad i",
                    **where,
                    cell=table.cell(column, r["row"]),
                    column=column,
                    value="",
                    expected="Status (Beviljad eller Begärd), eller Begärd i och/eller "
                    "Beviljad i (1–12, T1, T2, T3)",
                )
            )
    return Read(frame, diags, table)


def read_forecasts(path: Path, display: str, aliases: Aliases = ()) -> Read:
    """``prognos.xlsx`` sheet Prognos: unit managers' full-year forecasts (positive kronor)."""
    started = _start(path, display, FORECASTS, aliases)
    if isinstance(started, Read):
        return started
    table, conv = started
    unit_row = pl.col("Ansvar").is_not_null() if "Ansvar" in table.frame.columns else pl.lit(False)
    for column in ("Kostnader", "Intäkter"):
        conv.check(
            column,
            ~unit_row & (pl.col(RAW_PREFIX + column).str.strip_chars().fill_null("") == ""),
            "E103",
            "obligatoriskt värde saknas för ett område utan ansvar",
            "ett värde (en tom cell betyder ingen prognos bara på en enhets rad, med Ansvar)",
        )
    _check_report_month(conv, "Period")
    keep = FORECASTS.complete() & (
        unit_row | (pl.col("Kostnader").is_not_null() & pl.col("Intäkter").is_not_null())
    )
    frame = _typed(conv, table, FORECASTS, keep, {"period": _report_month("Period")})
    return Read(frame, conv.diagnostics, table)


def read_indicators(path: Path, display: str, aliases: Aliases = ()) -> Read:
    """``mal.xlsx`` sheet Indikatorer: the goal hierarchy with its indicators."""
    started = _start(path, display, INDICATORS, aliases)
    if isinstance(started, Read):
        return started
    table, conv = started
    # An indicator needs its direction and periodicity; a goal row without one does not.
    for column in ("Riktning", "Periodicitet"):
        conv.check(
            column,
            pl.col("Indikator").is_not_null()
            & (pl.col(RAW_PREFIX + column).str.strip_chars().fill_null("") == ""),
            "E103",
            "obligatoriskt värde saknas för indikatorn",
            "ett värde",
        )
    keep = INDICATORS.complete() & (
        pl.col("Indikator").is_null()
        | (pl.col("Riktning").is_not_null() & pl.col("Periodicitet").is_not_null())
    )
    frame = _typed(conv, table, INDICATORS, keep)
    return Read(frame, conv.diagnostics, table)


def read_assessments(path: Path, display: str, aliases: Aliases = ()) -> Read:
    """``mal.xlsx`` sheet Bedömningar: the förvaltning's assessment of each goal."""
    started = _start(path, display, ASSESSMENT, aliases)
    if isinstance(started, Read):
        return started
    table, conv = started
    frame = _typed(conv, table, ASSESSMENT)
    diags = conv.diagnostics
    dupes = frame.filter(pl.struct("level", "goal").is_duplicated())
    seen: set[tuple[str, str]] = set()
    for level, goal, row in dupes.select("level", "goal", "row").iter_rows():
        if (level, goal) in seen:
            diags.append(
                Diagnostic(
                    "E206",
                    f"målet {goal!r} är bedömt mer än en gång",
                    file=display,
                    sheet=table.sheet,
                    cell=table.cell("Mål", row),
                    column="Mål",
                    value=goal,
                    expected="en bedömning per mål",
                )
            )
        seen.add((level, goal))
    return Read(frame, diags, table)


def read_volumes(path: Path, display: str, year: int | None, aliases: Aliases = ()) -> Read:
    """``volymer.xlsx`` sheet Volymer: volumes per area, measure and month, with a unit price.

    ``Period`` is a month (the report year, or the row's ``År``) or ``ÅÅÅÅMM``.
    """
    started = _start(path, display, VOLUMES, aliases)
    if isinstance(started, Read):
        return started
    table, conv = started
    typed = conv.run()
    p = pl.col("Period")
    explicit_year = pl.col("År") if table.has("År") else pl.lit(None, pl.Int64)
    year_expr = pl.when(p >= 100_000).then(p // 100).otherwise(explicit_year.fill_null(year or 0))
    month = pl.when(p >= 100_000).then(p % 100).otherwise(p)
    frame = typed.with_columns(year_expr.alias("__y"), month.alias("__m"))
    bad_month = frame.filter(pl.col("__m").is_not_null() & ~pl.col("__m").is_between(1, 12))
    diags = conv.diagnostics
    for row, raw in bad_month.select(ROW, "Period").iter_rows():
        diags.append(
            Diagnostic(
                "E105",
                "perioden är ingen månad",
                file=display,
                sheet=table.sheet,
                cell=table.cell("Period", row),
                column="Period",
                value=str(raw),
                expected="1–12 eller ÅÅÅÅMM",
            )
        )
    keep = VOLUMES.complete() & pl.col("__m").is_between(1, 12)
    computed = {"year": pl.col("__y"), "period": pl.col("__m")}
    out = conv.accept(frame, keep).select(VOLUMES.select(display, table.sheet, computed))
    # A month given twice adds its volumes; its price must be one, or the last would win.
    diags += conflicting_rows(
        out,
        ["area", "subarea", "measure", "year", "period"],
        {"price": "Pris", "budget_price": "Budgeterat pris"},
        table,
        display,
        "{measure} för månad {period}",
    )
    return Read(out, diags, table)


def read_investments(path: Path, display: str, aliases: Aliases = ()) -> Read:
    """``investeringar.xlsx`` sheet Investeringar: budget, spending and forecast per project
    (expenditure, positive öre). A project given twice with other figures is E217."""
    started = _start(path, display, INVESTMENTS, aliases)
    if isinstance(started, Read):
        return started
    table, conv = started
    typed = _typed(conv, table, INVESTMENTS, None, {"subarea": pl.lit(None, pl.String)})
    fields = {f.name: f.header for f in INVESTMENTS.fields if f.name != "project"}
    diags = conv.diagnostics + conflicting_rows(
        typed, ["project"], fields, table, display, "projektet {project}"
    )
    frame = typed.unique("project", keep="first", maintain_order=True)
    return Read(frame, diags, table)


def read_measures(path: Path, display: str, aliases: Aliases = ()) -> Read:
    """``atgarder.xlsx`` sheet Åtgärder: the förvaltning's measures for a balanced economy
    (contract §7), each with its effect this year in kronor (positive = a better result)."""
    started = _start(path, display, MEASURES, aliases)
    if isinstance(started, Read):
        return started
    table, conv = started
    frame = _typed(conv, table, MEASURES)
    return Read(frame, conv.diagnostics + _measure_warnings(frame, table, display), table)


def _measure_warnings(frame: pl.DataFrame, table: Any, display: str) -> list[Diagnostic]:
    """W344 for a measure given again on a later row (same area, delområde and text: its
    effect would count twice), W345 for a negative effect (a saving typed with the ledger's
    sign would read as a cost). Both rows are kept and counted: nothing is dropped."""
    out = []
    first: dict[tuple[Any, ...], int] = {}
    for r in frame.iter_rows(named=True):
        key = (r["area"], r["subarea"], " ".join(str(r["measure"]).split()).casefold())
        if key in first:
            out.append(
                Diagnostic(
                    "W344",
                    f"åtgärden {r['measure']!r} för {r['subarea'] or r['area']} står redan på "
                    f"rad {first[key]}; båda raderna räknas",
                    file=display,
                    sheet=table.sheet,
                    cell=table.cell("Åtgärd", r["row"]),
                    column="Åtgärd",
                    value=str(r["measure"]),
                    expected="en rad per åtgärd",
                )
            )
        else:
            first[key] = r["row"]
        if r["effect"] < 0:
            out.append(
                Diagnostic(
                    "W345",
                    "effekten är negativ: åtgärden försämrar årets resultat",
                    file=display,
                    sheet=table.sheet,
                    cell=table.cell("Effekt", r["row"]),
                    column="Effekt",
                    value=fmt.kronor_and_ore(r["effect"]),
                    expected="ett positivt belopp för en besparing eller en intäkt",
                )
            )
    return out
