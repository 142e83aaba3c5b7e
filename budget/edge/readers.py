"""Readers for each workbook of the contract (§1): Table -> typed polars frame.

Each reader returns its frame and its diagnostics. Rows with errors stay out
of the frame; the run stops anyway when there is any error. Amounts are
integer öre in ledger signs (debit +, credit −), exactly as in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from budget.diagnostics import Diagnostic
from budget.edge import csvfile, sie
from budget.edge.convert import RAW as RAW_PREFIX
from budget.edge.convert import Converter, in_range, matches, not_negative, valid_where
from budget.edge.excel import ROW, Column, Table, UnreadableFile, has_sheet, read_table

# Extra headers per contract column, from [kolumner] in namnd.toml (hashable: a cache key).
Aliases = tuple[tuple[str, tuple[str, ...]], ...]

YEAR_MIN, YEAR_MAX = 1990, 2100
OPERATING_KONTO = r"^[1-8][0-9]{3}$"

LEDGER_COLUMNS = [
    Column("År", ("Ar", "Räkenskapsår", "Year", "Bokföringsår")),
    Column("Period", ("Månad", "Period (månad)", "Bokföringsperiod")),
    Column("Ansvar", ("Ansvarskod", "Kostnadsställe", "Ansvarsenhet")),
    Column("Verksamhet", ("Verksamhetskod", "Vht", "Verksamhetsnummer")),
    Column("Konto", ("Kontonummer", "Kto")),
    Column("Belopp", ("Utfall", "Belopp kr", "Summa belopp")),
    Column("Text", ("Transaktionstext", "Beskrivning"), required=False),
    Column("Verifikation", ("Verifikationsnummer", "Ver.nr", "Vernr"), required=False),
    Column("Motpart", ("Motpartskod", "Leverantör", "Kund"), required=False),
]

BUDGET_COLUMNS = [
    Column("År", ("Ar", "Räkenskapsår", "Year")),
    Column("Verksamhet", ("Verksamhetskod", "Vht")),
    Column("Konto", ("Kontonummer", "Kto")),
    Column("Belopp", ("Budget", "Årsbudget", "Budgetbelopp")),
    Column("Ansvar", ("Ansvarskod", "Kostnadsställe"), required=False),
]

PERIODISATION_COLUMNS = [
    Column("Verksamhetsområde", ("Område", "VO"), required=False),
    Column("Period", ("Månad",)),
    Column("Andel", ("Andel av året", "Fördelning")),
]

STRUCTURE_COLUMNS = [
    Column("Verksamhet", ("Verksamhetskod", "Vht")),
    Column("Verksamhetsområde", ("Område", "VO")),
    Column("Delområde", ("Underområde",), required=False),
    Column("Benämning", ("Verksamhetsnamn", "Namn", "Beskrivning"), required=False),
]

RESPONSIBILITY_COLUMNS = [
    Column("Ansvar", ("Ansvarskod", "Kostnadsställe")),
    Column("Enhet", ("Enhetsnamn", "Namn", "Benämning"), required=False),
    Column("Regi", (), required=False),
]

CHANGE_COLUMNS = [
    Column("Typ", ()),
    Column("Status", ()),
    Column("Verksamhetsområde", ("Område", "VO")),
    Column("Delområde", (), required=False),
    Column("Kostnader", ("Kostnad", "Förändring kostnader")),
    Column("Intäkter", ("Intäkt", "Förändring intäkter")),
    Column("Beskrivning", ("Motivering", "Text")),
    Column("Finansiär", ("Finansiar", "Finansiering"), required=False),
    Column("Diarienummer", ("Dnr", "Dnr.", "Diarienr"), required=False),
]

FORECAST_COLUMNS = [
    Column("Verksamhetsområde", ("Område", "VO")),
    Column("Delområde", (), required=False),
    Column("Kostnader", ("Kostnad", "Prognos kostnader")),
    Column("Intäkter", ("Intäkt", "Prognos intäkter")),
    Column("Kommentar", ("Kommentarer", "Motivering"), required=False),
    Column("Lämnad av", ("Lamnad av", "Ansvarig", "Uppgiftslämnare"), required=False),
]

INDICATOR_COLUMNS = [
    Column("Inriktningsmål", ()),
    Column("Verksamhetsområdesmål", ("VO-mål", "Mål")),
    Column("Indikator", ()),
    Column("Enhet", (), required=False),
    Column("Riktning", ()),
    Column("KF:s årsmål", ("KF årsmål", "KFs årsmål")),
    Column("Nämndens årsmål", ("Årsmål", "Nämndens mål")),
    Column("Periodicitet", ()),
    Column("Periodutfall", ("Utfall", "Utfall period")),
    Column("Föregående år", ("Utfall föregående år",), required=False),
]

ASSESSMENT_COLUMNS = [
    Column("Nivå", ()),
    Column("Mål", ()),
    Column("Bedömning", ()),
    Column("Kommentar", (), required=False),
]

CHANGE_TYPES = {"Omslutningsförändring": "omslutning", "Budgetjustering": "justering"}
CHANGE_STATUS = {"Beviljad": "beviljad", "Begärd": "begard"}
DIRECTIONS = {
    "Högre": "hogre",
    "Lägre": "lagre",
    "Högre är bättre": "hogre",
    "Lägre är bättre": "lagre",
}
PERIODICITY = {"Tertial": "tertial", "År": "ar", "Månad": "manad"}
ASSESSMENTS = {
    "Uppfylls helt": "helt",
    "Uppfylls delvis": "delvis",
    "Uppfylls ej": "ej",
    "Uppfylls inte": "ej",
}
LEVELS = {"Inriktningsmål": "inriktningsmal", "Verksamhetsområdesmål": "vomal"}


Schema = dict[str, type[pl.DataType] | pl.DataType]

BUDGET_SCHEMA: Schema = {
    "year": pl.Int32,
    "verksamhet": pl.String,
    "konto": pl.String,
    "amount": pl.Int128,  # µkr
    "ansvar": pl.String,
    "file": pl.String,
    "row": pl.UInt32,
}

PERIODISATION_SCHEMA: Schema = {
    "area": pl.String,
    "period": pl.Int8,
    "share": pl.Float64,
    "row": pl.UInt32,
}

STRUCTURE_SCHEMA: Schema = {
    "verksamhet": pl.String,
    "area": pl.String,
    "subarea": pl.String,
    "name": pl.String,
    "row": pl.UInt32,
}

RESPONSIBILITY_SCHEMA: Schema = {
    "ansvar": pl.String,
    "unit": pl.String,
    "regi": pl.String,
}

CHANGE_SCHEMA: Schema = {
    "kind": pl.String,
    "status": pl.String,
    "area": pl.String,
    "subarea": pl.String,
    "costs": pl.Int64,
    "revenues": pl.Int64,
    "description": pl.String,
    "financier": pl.String,
    "diarienummer": pl.String,
    "file": pl.String,
    "sheet": pl.String,
    "row": pl.UInt32,
}

FORECAST_SCHEMA: Schema = {
    "area": pl.String,
    "subarea": pl.String,
    "costs": pl.Int64,
    "revenues": pl.Int64,
    "comment": pl.String,
    "submitted_by": pl.String,
    "row": pl.UInt32,
}

INDICATOR_SCHEMA: Schema = {
    "direction_goal": pl.String,
    "area_goal": pl.String,
    "indicator": pl.String,
    "unit": pl.String,
    "better": pl.String,
    "kf_target": pl.Float64,
    "target": pl.Float64,
    "periodicity": pl.String,
    "outcome": pl.Float64,
    "last_year": pl.Float64,
    "row": pl.UInt32,
}

ASSESSMENT_SCHEMA: Schema = {
    "level": pl.String,
    "goal": pl.String,
    "assessment": pl.String,
    "comment": pl.String,
    "row": pl.UInt32,
}

VOLUME_SCHEMA: Schema = {
    "area": pl.String,
    "subarea": pl.String,
    "measure": pl.String,
    "year": pl.Int32,
    "period": pl.Int8,
    "budget_volume": pl.Float64,
    "volume": pl.Float64,
    "price": pl.Float64,
    "row": pl.UInt32,
}


@dataclass
class Read:
    """A reader's result: the typed frame and what was found on the way."""

    frame: pl.DataFrame
    diagnostics: list[Diagnostic]
    table: Table | None = None


def _load(
    path: Path, display: str, sheet: str, columns: list[Column], aliases: Aliases = ()
) -> Table | Diagnostic:
    """Read a sheet; ``aliases`` are the headers ``[kolumner]`` in namnd.toml adds."""
    extra = dict(aliases)
    columns = [
        replace(c, aliases=(*c.aliases, *extra[c.name])) if c.name in extra else c for c in columns
    ]
    try:
        return read_table(path, display, sheet, columns)
    except UnreadableFile as exc:
        return exc.diagnostic


def _failed(diag: Diagnostic, schema: dict[str, type[pl.DataType] | pl.DataType]) -> Read:
    return Read(pl.DataFrame(schema=schema), [diag])


LEDGER_SCHEMA: dict[str, type[pl.DataType] | pl.DataType] = {
    "year": pl.Int32,
    "period": pl.Int8,
    "ansvar": pl.String,
    "verksamhet": pl.String,
    "konto": pl.String,
    "amount": pl.Int128,  # µkr
    "text": pl.String,
    "verifikation": pl.String,
    "motpart": pl.String,
    "file": pl.String,
    "sheet": pl.String,
    "row": pl.UInt32,
}


def _konto_checks(conv: Converter) -> None:
    conv.rule(
        "Konto",
        matches(r"^[0-9]{4}$"),
        "E106",
        "kontot är inte fyra siffror",
        "fyra siffror, t.ex. 4010",
    )
    conv.rule(
        "Konto",
        valid_where(~pl.col("Konto").str.contains(r"^[09][0-9]{3}$")),
        "E107",
        "kontoklassen finns inte i Kommun-Bas resultaträkning",
        "klass 1–8 (3 intäkter, 4–7 kostnader)",
    )


def _year_check(conv: Converter) -> None:
    conv.rule(
        "År",
        in_range(YEAR_MIN, YEAR_MAX),
        "E104",
        "året är orimligt",
        f"ett år mellan {YEAR_MIN} och {YEAR_MAX}",
    )


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
        table = _load(path, display, "Huvudbok", LEDGER_COLUMNS, aliases)
    if isinstance(table, Diagnostic):
        return _failed(table, LEDGER_SCHEMA)
    conv = Converter(table)
    conv.integer("År")
    conv.integer("Period")
    conv.code("Ansvar")
    conv.code("Verksamhet")
    conv.code("Konto")
    conv.amount("Belopp", micro=True)
    conv.text("Text")
    conv.text("Verifikation")
    conv.text("Motpart")
    _year_check(conv)
    month = _month_expr()
    conv.rule(
        "Period",
        valid_where(month.is_not_null()),
        "E105",
        "perioden är ingen månad i året",
        "1–12 eller ÅÅÅÅMM i samma år",
    )
    _konto_checks(conv)
    typed = conv.run()
    ok = _complete(typed, ["År", "Period", "Ansvar", "Verksamhet", "Konto", "Belopp"])
    frame = conv.accept(
        typed,
        ok
        & month.is_not_null()
        & pl.col("År").is_between(YEAR_MIN, YEAR_MAX)
        & pl.col("Konto").str.contains(OPERATING_KONTO),
    ).select(
        pl.col("År").cast(pl.Int32).alias("year"),
        month.cast(pl.Int8).alias("period"),
        pl.col("Ansvar").alias("ansvar"),
        pl.col("Verksamhet").alias("verksamhet"),
        pl.col("Konto").alias("konto"),
        pl.col("Belopp").alias("amount"),
        pl.col("Text").cast(pl.String).alias("text"),
        pl.col("Verifikation").cast(pl.String).alias("verifikation"),
        pl.col("Motpart").cast(pl.String).alias("motpart"),
        pl.lit(display).alias("file"),
        pl.lit(table.sheet).alias("sheet"),
        pl.col(ROW).alias("row"),
    )
    return Read(frame, conv.diagnostics, table)


def _sie_table(path: Path, display: str, dims: tuple[int | None, int | None]) -> Table | Diagnostic:
    """A SIE file's transactions as a Table: one row a transaction, placed by its line."""
    try:
        found = sie.read(path, display, dims[0] or 1, dims[1])
    except sie.NotSie as exc:
        return exc.diagnostic
    frame = pl.DataFrame(
        {name: [row[name] for row in found.rows] for name in sie.COLUMNS},
        schema=dict.fromkeys(sie.COLUMNS, pl.String),
    ).with_columns(pl.Series(ROW, found.lines, dtype=pl.UInt32))
    table = Table(
        display,
        "",
        frame.select(ROW, *sie.COLUMNS),
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


def _complete(frame: pl.DataFrame, columns: list[str]) -> pl.Expr:
    return pl.all_horizontal([pl.col(c).is_not_null() for c in columns])


def read_budget(path: Path, display: str, aliases: Aliases = ()) -> Read:
    """``budget.xlsx`` sheet Budget: annual amounts per verksamhet and konto, ledger signs."""
    table = _load(path, display, "Budget", BUDGET_COLUMNS, aliases)
    if isinstance(table, Diagnostic):
        return _failed(table, BUDGET_SCHEMA)
    conv = Converter(table)
    conv.integer("År")
    conv.code("Verksamhet")
    conv.code("Konto")
    conv.amount("Belopp", micro=True)
    conv.code("Ansvar", required=False)
    _year_check(conv)
    _konto_checks(conv)
    typed = conv.run()
    ok = _complete(typed, ["År", "Verksamhet", "Konto", "Belopp"])
    frame = conv.accept(typed, ok & pl.col("Konto").str.contains(OPERATING_KONTO)).select(
        pl.col("År").cast(pl.Int32).alias("year"),
        pl.col("Verksamhet").alias("verksamhet"),
        pl.col("Konto").alias("konto"),
        pl.col("Belopp").alias("amount"),
        pl.col("Ansvar").cast(pl.String).alias("ansvar"),
        pl.lit(display).alias("file"),
        pl.col(ROW).alias("row"),
    )
    return Read(frame, conv.diagnostics, table)


def read_periodisation(path: Path, display: str, aliases: Aliases = ()) -> Read | None:
    """Optional sheet Periodisering of ``budget.xlsx``: monthly shares per area."""
    present = _optional_sheet(path, display, "Periodisering")
    if isinstance(present, Diagnostic):
        return _failed(present, PERIODISATION_SCHEMA)
    if not present:
        return None
    table = _load(path, display, "Periodisering", PERIODISATION_COLUMNS, aliases)
    if isinstance(table, Diagnostic):
        return _failed(table, PERIODISATION_SCHEMA)
    conv = Converter(table)
    conv.text("Verksamhetsområde")
    conv.integer("Period")
    conv.number("Andel")
    conv.rule("Period", in_range(1, 12), "E105", "perioden är ingen månad", "1–12")
    conv.rule(
        "Andel",
        in_range(0, 1),
        "E110",
        "andelen ligger utanför 0–1",
        "ett tal mellan 0 och 1",
    )
    typed = conv.run()
    frame = conv.accept(
        typed, pl.col("Period").is_between(1, 12) & pl.col("Andel").is_between(0, 1)
    ).select(
        pl.col("Verksamhetsområde").cast(pl.String).alias("area"),
        pl.col("Period").cast(pl.Int8).alias("period"),
        pl.col("Andel").alias("share"),
        pl.col(ROW).alias("row"),
    )
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
    table = _load(path, display, "Verksamheter", STRUCTURE_COLUMNS, aliases)
    if isinstance(table, Diagnostic):
        return _failed(table, STRUCTURE_SCHEMA)
    conv = Converter(table)
    conv.code("Verksamhet")
    conv.text("Verksamhetsområde", required=True)
    conv.text("Delområde")
    conv.text("Benämning")
    typed = conv.run()
    frame = conv.accept(typed, _complete(typed, ["Verksamhet", "Verksamhetsområde"])).select(
        pl.col("Verksamhet").alias("verksamhet"),
        pl.col("Verksamhetsområde").alias("area"),
        pl.col("Delområde").cast(pl.String).alias("subarea"),
        pl.col("Benämning").cast(pl.String).alias("name"),
        pl.col(ROW).alias("row"),
    )
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


def read_responsibilities(path: Path, display: str, aliases: Aliases = ()) -> Read | None:
    """Optional sheet Ansvar of ``struktur.xlsx``: ansvar code -> unit name and regi."""
    present = _optional_sheet(path, display, "Ansvar")
    if isinstance(present, Diagnostic):
        return _failed(present, RESPONSIBILITY_SCHEMA)
    if not present:
        return None
    table = _load(path, display, "Ansvar", RESPONSIBILITY_COLUMNS, aliases)
    if isinstance(table, Diagnostic):
        return _failed(table, RESPONSIBILITY_SCHEMA)
    conv = Converter(table)
    conv.code("Ansvar")
    conv.text("Enhet")
    conv.choice(
        "Regi",
        {"Egen": "Egen", "Egen regi": "Egen", "Extern": "Extern", "Externa": "Extern"},
        required=False,
    )
    typed = conv.run()
    frame = (
        conv.accept(typed, pl.col("Ansvar").is_not_null())
        .select(
            pl.col("Ansvar").alias("ansvar"),
            pl.col("Enhet").cast(pl.String).alias("unit"),
            pl.col("Regi").cast(pl.String).alias("regi"),
        )
        .unique("ansvar", keep="first", maintain_order=True)
    )
    return Read(frame, conv.diagnostics, table)


def read_changes(path: Path, display: str, aliases: Aliases = ()) -> Read:
    """``forandringar.xlsx`` sheet Förändringar: budget changes, as written (kronor → öre)."""
    table = _load(path, display, "Förändringar", CHANGE_COLUMNS, aliases)
    if isinstance(table, Diagnostic):
        return _failed(table, CHANGE_SCHEMA)
    conv = Converter(table)
    conv.choice("Typ", CHANGE_TYPES)
    conv.choice("Status", CHANGE_STATUS)
    conv.text("Verksamhetsområde", required=True)
    conv.text("Delområde")
    conv.amount("Kostnader", required=False)
    conv.amount("Intäkter", required=False)
    conv.text("Beskrivning", required=True)
    conv.text("Finansiär")
    conv.text("Diarienummer")
    typed = conv.run()
    ok = _complete(typed, ["Typ", "Status", "Verksamhetsområde", "Beskrivning"])
    frame = conv.accept(typed, ok).select(
        pl.col("Typ").alias("kind"),
        pl.col("Status").alias("status"),
        pl.col("Verksamhetsområde").alias("area"),
        pl.col("Delområde").cast(pl.String).alias("subarea"),
        pl.col("Kostnader").cast(pl.Int64).fill_null(0).alias("costs"),
        pl.col("Intäkter").cast(pl.Int64).fill_null(0).alias("revenues"),
        pl.col("Beskrivning").alias("description"),
        pl.col("Finansiär").cast(pl.String).alias("financier"),
        pl.col("Diarienummer").cast(pl.String).alias("diarienummer"),
        pl.lit(display).alias("file"),
        pl.lit(table.sheet).alias("sheet"),
        pl.col(ROW).alias("row"),
    )
    return Read(frame, conv.diagnostics, table)


def read_forecasts(path: Path, display: str, aliases: Aliases = ()) -> Read:
    """``prognos.xlsx`` sheet Prognos: unit managers' full-year forecasts (positive kronor)."""
    table = _load(path, display, "Prognos", FORECAST_COLUMNS, aliases)
    if isinstance(table, Diagnostic):
        return _failed(table, FORECAST_SCHEMA)
    conv = Converter(table)
    conv.text("Verksamhetsområde", required=True)
    conv.text("Delområde")
    conv.amount("Kostnader")
    conv.amount("Intäkter")
    conv.text("Kommentar")
    conv.text("Lämnad av")
    for column in ("Kostnader", "Intäkter"):
        conv.rule(
            column,
            not_negative(),
            "E111",
            "prognosen anges som ett positivt belopp",
            "ett belopp som är 0 eller större",
        )
    typed = conv.run()
    ok = _complete(typed, ["Verksamhetsområde", "Kostnader", "Intäkter"])
    frame = conv.accept(typed, ok).select(
        pl.col("Verksamhetsområde").alias("area"),
        pl.col("Delområde").cast(pl.String).alias("subarea"),
        pl.col("Kostnader").alias("costs"),
        pl.col("Intäkter").alias("revenues"),
        pl.col("Kommentar").cast(pl.String).alias("comment"),
        pl.col("Lämnad av").cast(pl.String).alias("submitted_by"),
        pl.col(ROW).alias("row"),
    )
    return Read(frame, conv.diagnostics, table)


def read_indicators(path: Path, display: str, aliases: Aliases = ()) -> Read:
    """``mal.xlsx`` sheet Indikatorer: the goal hierarchy with its indicators."""
    table = _load(path, display, "Indikatorer", INDICATOR_COLUMNS, aliases)
    if isinstance(table, Diagnostic):
        return _failed(table, INDICATOR_SCHEMA)
    conv = Converter(table)
    conv.text("Inriktningsmål", required=True)
    conv.text("Verksamhetsområdesmål", required=True)
    conv.text("Indikator")
    conv.text("Enhet")
    conv.choice("Riktning", DIRECTIONS, required=False)
    conv.number("KF:s årsmål", required=False)
    conv.number("Nämndens årsmål", required=False)
    conv.choice("Periodicitet", PERIODICITY, required=False)
    conv.number("Periodutfall", required=False)
    conv.number("Föregående år", required=False)
    for column in ("Riktning", "Periodicitet"):
        conv.check(
            column,
            pl.col("Indikator").is_not_null()
            & (pl.col(RAW_PREFIX + column).str.strip_chars().fill_null("") == ""),
            "E103",
            "obligatoriskt värde saknas för indikatorn",
            "ett värde",
        )
    typed = conv.run()
    ok = _complete(typed, ["Inriktningsmål", "Verksamhetsområdesmål"]) & (
        pl.col("Indikator").is_null()
        | (pl.col("Riktning").is_not_null() & pl.col("Periodicitet").is_not_null())
    )
    frame = conv.accept(typed, ok).select(
        pl.col("Inriktningsmål").alias("direction_goal"),
        pl.col("Verksamhetsområdesmål").alias("area_goal"),
        pl.col("Indikator").alias("indicator"),
        pl.col("Enhet").cast(pl.String).alias("unit"),
        pl.col("Riktning").alias("better"),
        pl.col("KF:s årsmål").cast(pl.Float64).alias("kf_target"),
        pl.col("Nämndens årsmål").cast(pl.Float64).alias("target"),
        pl.col("Periodicitet").alias("periodicity"),
        pl.col("Periodutfall").cast(pl.Float64).alias("outcome"),
        pl.col("Föregående år").cast(pl.Float64).alias("last_year"),
        pl.col(ROW).alias("row"),
    )
    return Read(frame, conv.diagnostics, table)


def read_assessments(path: Path, display: str, aliases: Aliases = ()) -> Read:
    """``mal.xlsx`` sheet Bedömningar: the förvaltning's assessment of each goal."""
    table = _load(path, display, "Bedömningar", ASSESSMENT_COLUMNS, aliases)
    if isinstance(table, Diagnostic):
        return _failed(table, ASSESSMENT_SCHEMA)
    conv = Converter(table)
    conv.choice("Nivå", LEVELS)
    conv.text("Mål", required=True)
    conv.choice("Bedömning", ASSESSMENTS)
    conv.text("Kommentar")
    typed = conv.run()
    ok = _complete(typed, ["Nivå", "Mål", "Bedömning"])
    frame = conv.accept(typed, ok).select(
        pl.col("Nivå").alias("level"),
        pl.col("Mål").alias("goal"),
        pl.col("Bedömning").alias("assessment"),
        pl.col("Kommentar").cast(pl.String).alias("comment"),
        pl.col(ROW).alias("row"),
    )
    diags = conv.diagnostics
    dupes = frame.filter(pl.struct("level", "goal").is_duplicated())
    seen: set[tuple[str, str]] = set()
    for level, goal, _, _, row in dupes.iter_rows():
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


VOLUME_COLUMNS = [
    Column("Verksamhetsområde", ("Område", "VO")),
    Column("Delområde", (), required=False),
    Column("Mått", ("Matt", "Volymmått", "Mätetal")),
    Column("År", ("Ar", "Year"), required=False),
    Column("Period", ("Månad",)),
    Column("Budgeterad volym", ("Budget volym", "Budgetvolym", "Volym budget")),
    Column("Utfall volym", ("Volym utfall", "Utfallsvolym", "Utfall")),
    Column("Pris", ("Pris per enhet", "Styckpris", "Ersättning")),
]


def read_volumes(path: Path, display: str, year: int | None, aliases: Aliases = ()) -> Read:
    """``volymer.xlsx`` sheet Volymer: volumes per area, measure and month, with a unit price.

    ``Period`` is a month (the report year, or the row's ``År``) or ``ÅÅÅÅMM``.
    """
    table = _load(path, display, "Volymer", VOLUME_COLUMNS, aliases)
    if isinstance(table, Diagnostic):
        return _failed(table, VOLUME_SCHEMA)
    conv = Converter(table)
    conv.text("Verksamhetsområde", required=True)
    conv.text("Delområde")
    conv.text("Mått", required=True)
    conv.integer("År", required=False)
    conv.integer("Period")
    conv.number("Budgeterad volym", required=False)
    conv.number("Utfall volym", required=False)
    conv.number("Pris")
    for column in ("Budgeterad volym", "Utfall volym", "Pris"):
        conv.rule(
            column,
            not_negative(),
            "E111",
            "volym och pris kan inte vara negativa",
            "ett tal som är 0 eller större",
        )
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
    ok = _complete(frame, ["Verksamhetsområde", "Mått", "Period", "Pris"]) & pl.col(
        "__m"
    ).is_between(1, 12)
    out = conv.accept(frame, ok).select(
        pl.col("Verksamhetsområde").alias("area"),
        pl.col("Delområde").cast(pl.String).alias("subarea"),
        pl.col("Mått").alias("measure"),
        pl.col("__y").cast(pl.Int32).alias("year"),
        pl.col("__m").cast(pl.Int8).alias("period"),
        pl.col("Budgeterad volym").cast(pl.Float64).alias("budget_volume"),
        pl.col("Utfall volym").cast(pl.Float64).alias("volume"),
        pl.col("Pris").cast(pl.Float64).alias("price"),
        pl.col(ROW).alias("row"),
    )
    return Read(out, diags, table)
