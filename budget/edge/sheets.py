"""One declarative spec per sheet of the contract (§1–§3): the only place a sheet is written.

A ``Sheet`` names its workbook and sheet and lists its ``Field``s: the contract header and
the aliases a controller's file may use, the kind of cell (which rule of ``checks.cells``
reads it), whether the header and the value are required, the frame column it becomes with
its dtype, the rules on the typed value (validated by pandera), and an example value.
From it come the reader's column lookup and conversion (``edge.readers``), the frame's
schema, the pandera rules, the generated input docs (``docs/indata.md``), the test
factories and the demo, corpus and benchmark generators' headers.

Every frame carries its provenance: ``file``, ``sheet`` and ``row`` (the Excel row, or the
line of a text file), so a check can name any cell without going back to the file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import polars as pl

from budget.core.ledger import side_expr
from budget.edge.convert import Converter, in_range, matches, not_negative, valid_where
from budget.edge.excel import ROW, Column

Kind = Literal["integer", "code", "amount", "micro", "number", "text", "choice"]
Schema = dict[str, type[pl.DataType] | pl.DataType]

YEAR_MIN, YEAR_MAX = 1990, 2100

# The frame columns every sheet's frame ends with: where each row came from.
PROVENANCE: Schema = {"file": pl.String, "sheet": pl.String, "row": pl.UInt32}

_DTYPES: dict[str, type[pl.DataType] | pl.DataType] = {
    "integer": pl.Int32,
    "code": pl.String,
    "amount": pl.Int64,  # öre
    "micro": pl.Int128,  # µkr, exact (ledger and budget)
    "number": pl.Float64,
    "text": pl.String,
    "choice": pl.String,
}

# How a kind is said in the generated docs.
KIND_DOCS = {
    "integer": "heltal",
    "code": "kod (text; siffrorna 0–9 och bokstäver)",
    "amount": "belopp i kronor",
    "micro": "belopp i kronor (exakt, även bråkdelar av öre)",
    "number": "tal",
    "text": "text",
    "choice": "ett av värdena",
}


@dataclass(frozen=True)
class Rule:
    """A rule on a field's typed value: a pandera check (made when it runs: pandera is slow
    to import), its diagnostic code and its Swedish wording."""

    check: Callable[[], Any]
    code: str
    message: str
    expected: str


@dataclass(frozen=True)
class Field:
    header: str
    name: str
    kind: Kind
    aliases: tuple[str, ...] = ()
    column_required: bool = True  # the header must be there
    value_required: bool = True  # a row without a value is an error (E103)
    # Where the value is required (E103), when not on every row: ``None`` is every row.
    required_where: Callable[[], pl.Expr] | None = None
    choices: Mapping[str, str] | None = None
    rules: tuple[Rule, ...] = ()
    dtype: type[pl.DataType] | pl.DataType | None = None  # else the kind's
    example: object = None

    @property
    def frame_dtype(self) -> type[pl.DataType] | pl.DataType:
        return self.dtype or _DTYPES[self.kind]

    def convert(self, conv: Converter) -> None:
        """Declare the field's conversion and rules on a Converter."""
        h, required = self.header, self.value_required
        if self.kind == "integer":
            conv.integer(h, required)
        elif self.kind == "code":
            where = self.required_where() if required and self.required_where else None
            conv.code(h, required, where)
        elif self.kind in ("amount", "micro"):
            conv.amount(h, required, micro=self.kind == "micro")
        elif self.kind == "number":
            conv.number(h, required)
        elif self.kind == "text":
            conv.text(h, required)
        else:
            assert self.choices is not None, self.header
            conv.choice(h, self.choices, required)
        for rule in self.rules:
            conv.rule(h, rule.check(), rule.code, rule.message, rule.expected)


@dataclass(frozen=True)
class Sheet:
    """One sheet of one workbook of the contract."""

    stem: str  # the workbook's file name without suffix: "budget", "utfall-2017"
    sheet: str
    fields: tuple[Field, ...]
    # Frame columns computed by the reader rather than taken from one field.
    derived: Schema = field(default_factory=dict)
    # What the reader adds beyond the fields, for the generated docs (Swedish).
    note: str = ""
    # Big sheets (ledger, budget): an .xlsx may have its numbers read typed
    # (budget.edge.typed), which is proven to give the same frame.
    typed: bool = False

    @property
    def numeric(self) -> dict[str, str]:
        """Header -> "amount" or "integer" for the fields the typed path reads as numbers."""
        if not self.typed:
            return {}
        kinds = {"integer": "integer", "amount": "amount", "micro": "amount"}
        return {f.header: kinds[f.kind] for f in self.fields if f.kind in kinds}

    @property
    def columns(self) -> list[Column]:
        """What the workbook reader looks for: headers, aliases, required or not."""
        return [Column(f.header, f.aliases, required=f.column_required) for f in self.fields]

    @property
    def schema(self) -> Schema:
        """The typed frame: each field's column, the derived ones, then the provenance."""
        out: Schema = {}
        for f in self.fields:
            if f.name in self.derived:
                out[f.name] = self.derived[f.name]
            elif f.name:
                out[f.name] = f.frame_dtype
        for name, dtype in self.derived.items():
            out.setdefault(name, dtype)
        return {**out, **PROVENANCE}

    def empty(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.schema)

    def field(self, header: str) -> Field:
        return next(f for f in self.fields if f.header == header)

    def header(self, *optional: str) -> list[str]:
        """The required headers in contract order, with the optional ones named."""
        unknown = set(optional) - {f.header for f in self.fields}
        assert not unknown, unknown
        return [f.header for f in self.fields if f.column_required or f.header in optional]

    def convert(self, conv: Converter) -> None:
        for f in self.fields:
            f.convert(conv)

    def complete(self) -> pl.Expr:
        """True where every required value is there (the converted frame)."""
        return pl.all_horizontal(
            [
                pl.col(f.header).is_not_null()
                | (~f.required_where() if f.required_where else pl.lit(False))
                for f in self.fields
                if f.value_required
            ]
        )

    def select(
        self, display: str, sheet: str, computed: Mapping[str, pl.Expr] | None = None
    ) -> list[pl.Expr]:
        """The typed frame's columns from the converted one: renamed, cast, with provenance.
        ``computed`` gives the expressions of derived columns (and of any field the reader
        computes differently)."""
        computed = computed or {}
        exprs = []
        for name, dtype in self.schema.items():
            if name in computed:
                exprs.append(computed[name].cast(dtype).alias(name))
            elif name == "file":
                exprs.append(pl.lit(display, pl.String).alias(name))
            elif name == "sheet":
                exprs.append(pl.lit(sheet, pl.String).alias(name))
            elif name == "row":
                exprs.append(pl.col(ROW).alias(name))
            else:
                f = next(f for f in self.fields if f.name == name)
                exprs.append(pl.col(f.header).cast(dtype).alias(name))
        return exprs


def _year_rule() -> Rule:
    return Rule(
        lambda: in_range(YEAR_MIN, YEAR_MAX),
        "E104",
        "året är orimligt",
        f"ett år mellan {YEAR_MIN} och {YEAR_MAX}",
    )


KONTO_RULES = (
    Rule(
        lambda: matches(r"^[0-9]{4}$"),
        "E106",
        "kontot är inte fyra siffror",
        "fyra siffror, t.ex. 4010",
    ),
    Rule(
        lambda: valid_where(~pl.col("Konto").str.contains(r"^[09][0-9]{3}$")),
        "E107",
        "kontoklassen finns inte i Kommun-Bas resultaträkning",
        "klass 1–8 (3 intäkter, 4–7 kostnader)",
    ),
)


def _not_negative(message: str, expected: str) -> Rule:
    return Rule(not_negative, "E111", message, expected)


AREA = Field("Verksamhetsområde", "area", "text", ("Område", "VO"), example="Äldreomsorg")
SUBAREA = Field(
    "Delområde",
    "subarea",
    "text",
    column_required=False,
    value_required=False,
    example="Hemtjänst egen regi",
)


def in_result() -> pl.Expr:
    """True where the row's Konto is in the operating result (Kommun-Bas classes 3–7), or
    unknown. Rows outside it (balance accounts, classes 1 and 2, and financial items, 8) are
    reported as excluded and need no ansvar or verksamhet: a SIE export's bank line
    (``#TRANS 1930 {} -1000.00``) carries no objects."""
    return (side_expr("Konto") != "excluded").fill_null(True) | pl.col("Konto").is_null()


def _optional(f: Field) -> Field:
    """The field, with neither its column nor its value required."""
    return replace(f, column_required=False, value_required=False)


LEDGER = Sheet(
    "utfall",
    "Huvudbok",
    (
        Field(
            "År",
            "year",
            "integer",
            ("Ar", "Räkenskapsår", "Year", "Bokföringsår"),
            rules=(_year_rule(),),
            example=2017,
        ),
        Field(
            "Period",
            "period",
            "integer",
            ("Månad", "Period (månad)", "Bokföringsperiod"),
            example=8,
        ),
        Field(
            "Ansvar",
            "ansvar",
            "code",
            ("Ansvarskod", "Kostnadsställe", "Ansvarsenhet"),
            required_where=in_result,
            example="1410",
        ),
        Field(
            "Verksamhet",
            "verksamhet",
            "code",
            ("Verksamhetskod", "Vht", "Verksamhetsnummer"),
            required_where=in_result,
            example="510",
        ),
        Field("Konto", "konto", "code", ("Kontonummer", "Kto"), rules=KONTO_RULES, example="4010"),
        Field(
            "Belopp", "amount", "micro", ("Utfall", "Belopp kr", "Summa belopp"), example=12500.5
        ),
        _optional(
            Field("Text", "text", "text", ("Transaktionstext", "Beskrivning"), example="Hyra")
        ),
        _optional(
            Field(
                "Verifikation",
                "verifikation",
                "text",
                ("Verifikationsnummer", "Ver.nr", "Vernr"),
                example="A 1042",
            )
        ),
        _optional(
            Field(
                "Motpart", "motpart", "text", ("Motpartskod", "Leverantör", "Kund"), example="1FAST"
            )
        ),
        _optional(
            Field(
                "Projekt",
                "project",
                "code",
                ("Projektnummer", "Investeringsprojekt"),
                value_required=False,
                example="P17-03",
            )
        ),
    ),
    derived={"period": pl.Int8},
    typed=True,
    note="Filerna heter utfall*.xlsx (eller .csv, eller SIE .se/.si). Period är månaden 1–12 "
    "eller ÅÅÅÅMM i samma år som År. Konton i klass 1, 2 och 8 räknas som exkluderade och "
    "behöver varken Ansvar eller Verksamhet.",
)

BUDGET = Sheet(
    "budget",
    "Budget",
    (
        Field(
            "År",
            "year",
            "integer",
            ("Ar", "Räkenskapsår", "Year"),
            rules=(_year_rule(),),
            example=2017,
        ),
        Field(
            "Verksamhet",
            "verksamhet",
            "code",
            ("Verksamhetskod", "Vht"),
            required_where=in_result,
            example="510",
        ),
        Field("Konto", "konto", "code", ("Kontonummer", "Kto"), rules=KONTO_RULES, example="4010"),
        Field(
            "Belopp", "amount", "micro", ("Budget", "Årsbudget", "Budgetbelopp"), example=1200000
        ),
        _optional(
            Field("Ansvar", "ansvar", "code", ("Ansvarskod", "Kostnadsställe"), example="1410")
        ),
    ),
    typed=True,
)

PERIODISATION = Sheet(
    "budget",
    "Periodisering",
    (
        _optional(AREA),
        Field(
            "Period",
            "period",
            "integer",
            ("Månad",),
            dtype=pl.Int8,
            rules=(Rule(lambda: in_range(1, 12), "E105", "perioden är ingen månad", "1–12"),),
            example=1,
        ),
        Field(
            "Andel",
            "share",
            "number",
            ("Andel av året", "Fördelning"),
            rules=(
                Rule(
                    lambda: in_range(0, 1),
                    "E110",
                    "andelen ligger utanför 0–1",
                    "ett tal mellan 0 och 1",
                ),
            ),
            example=0.085,
        ),
    ),
)

STRUCTURE = Sheet(
    "struktur",
    "Verksamheter",
    (
        Field("Verksamhet", "verksamhet", "code", ("Verksamhetskod", "Vht"), example="510"),
        AREA,
        SUBAREA,
        _optional(
            Field(
                "Benämning",
                "name",
                "text",
                ("Verksamhetsnamn", "Namn", "Beskrivning"),
                example="Hemtjänst",
            )
        ),
    ),
)

REGI = {"Egen": "Egen", "Egen regi": "Egen", "Extern": "Extern", "Externa": "Extern"}
YES_NO = {"Ja": "Ja", "J": "Ja", "Nej": "Nej", "N": "Nej"}

RESPONSIBILITIES = Sheet(
    "struktur",
    "Ansvar",
    (
        Field("Ansvar", "ansvar", "code", ("Ansvarskod", "Kostnadsställe"), example="1410"),
        _optional(
            Field(
                "Enhet",
                "unit",
                "text",
                ("Enhetsnamn", "Namn", "Benämning"),
                example="Hemtjänsten Sätra",
            )
        ),
        _optional(Field("Regi", "regi", "choice", choices=REGI, example="Egen")),
        # Who answers for the unit's forecast: samla's status workbook lists the missing
        # units with their managers, for reminders.
        _optional(
            Field(
                "Chef",
                "manager",
                "text",
                ("Enhetschef", "Ansvarig chef", "E-post"),
                example="Anna Berg",
            )
        ),
        # A resultatenhet carries its result into next year (contract §6).
        _optional(
            Field(
                "Resultatenhet",
                "result_unit",
                "choice",
                ("Resultatansvar",),
                choices=YES_NO,
                example="Ja",
            )
        ),
    ),
)

CHANGE_TYPES = {"Omslutningsförändring": "omslutning", "Budgetjustering": "justering"}
CHANGE_STATUS = {"Beviljad": "beviljad", "Begärd": "begard"}

CHANGES = Sheet(
    "forandringar",
    "Förändringar",
    (
        Field("Typ", "kind", "choice", choices=CHANGE_TYPES, example="Omslutningsförändring"),
        # Without the register's columns, Status says granted earlier or requested now;
        # with them it may be left out (contract §8).
        _optional(Field("Status", "status", "choice", choices=CHANGE_STATUS, example="Begärd")),
        AREA,
        SUBAREA,
        Field(
            "Kostnader",
            "costs",
            "amount",
            ("Kostnad", "Förändring kostnader"),
            value_required=False,
            example=2500000,
        ),
        Field(
            "Intäkter",
            "revenues",
            "amount",
            ("Intäkt", "Förändring intäkter"),
            value_required=False,
            example=2500000,
        ),
        Field(
            "Beskrivning",
            "description",
            "text",
            ("Motivering", "Text"),
            example="Statsbidrag för lågstadiesatsning",
        ),
        _optional(
            Field(
                "Finansiär",
                "financier",
                "text",
                ("Finansiar", "Finansiering"),
                example="Skolverket",
            )
        ),
        _optional(
            Field(
                "Diarienummer",
                "diarienummer",
                "text",
                ("Dnr", "Dnr.", "Diarienr"),
                example="SDN 2017/123",
            )
        ),
        # The register (contract §8): a month 1–12 or T1/T2/T3 (= 4, 8, 12).
        _optional(
            Field(
                "Begärd i",
                "requested_in",
                "text",
                ("Begard i", "Begärd period", "Begärd i rapport"),
                example="T1",
            )
        ),
        _optional(
            Field(
                "Beviljad i",
                "granted_in",
                "text",
                ("Beviljad från", "Beviljad period"),
                example=6,
            )
        ),
    ),
    derived={"requested_in": pl.Int8, "granted_in": pl.Int8},
    note="Status är Beviljad (beviljad tidigare) eller Begärd (begärs i denna rapport). Som "
    "register bär raden i stället Begärd i (rapporten som begär förändringen) och Beviljad i "
    "(första perioden den räknas som beviljad), var och en en månad 1–12 eller T1, T2, T3 "
    "(= 4, 8, 12); då kan Status utelämnas. En rapport för period P räknar förändringen som "
    "beviljad när Beviljad i ≤ P, som begärd i rapporten när Begärd i = P, som väntande (inte "
    "i budgeten) när den begärts tidigare men inte beviljats, och bortser från den när "
    "Begärd i > P.",
)

_POSITIVE = _not_negative(
    "prognosen anges som ett positivt belopp", "ett belopp som är 0 eller större"
)

FORECASTS = Sheet(
    "prognos",
    "Prognos",
    (
        AREA,
        SUBAREA,
        # A unit's row (with Ansvar and Verksamhet) may leave a side empty: no forecast
        # from the unit for it. A row for a whole area or delområde needs both.
        Field(
            "Kostnader",
            "costs",
            "amount",
            ("Kostnad", "Prognos kostnader"),
            rules=(_POSITIVE,),
            value_required=False,
            example=152000000,
        ),
        Field(
            "Intäkter",
            "revenues",
            "amount",
            ("Intäkt", "Prognos intäkter"),
            rules=(_POSITIVE,),
            value_required=False,
            example=4100000,
        ),
        _optional(Field("Ansvar", "ansvar", "code", ("Ansvarskod",), example="10101")),
        _optional(Field("Verksamhet", "verksamhet", "code", ("Vht",), example="210")),
        _optional(
            Field(
                "Kommentar",
                "comment",
                "text",
                ("Kommentarer", "Motivering"),
                example="Fler beslut om boende",
            )
        ),
        _optional(Field("Åtgärder", "measures", "text", ("Atgarder",), example="Vakanser")),
        # The unit's own forecast of the last collection, as its underlag showed it
        # (written by budget samla): the change since then is the unit's own.
        _optional(
            Field(
                "Föregående prognos kostnader",
                "previous_costs",
                "amount",
                ("Föregående kostnader",),
                rules=(_POSITIVE,),
                value_required=False,
                example=150000000,
            )
        ),
        _optional(
            Field(
                "Föregående prognos intäkter",
                "previous_revenues",
                "amount",
                ("Föregående intäkter",),
                rules=(_POSITIVE,),
                value_required=False,
                example=4000000,
            )
        ),
        _optional(
            Field(
                "Orsak till förändring",
                "change_reason",
                "text",
                ("Förändringsorsak", "Orsak", "Förklaring till förändring", "Förändring"),
                example="Två nya LSS-boenden sedan april",
            )
        ),
        _optional(
            Field(
                "Lämnad av",
                "submitted_by",
                "text",
                ("Lamnad av", "Ansvarig", "Uppgiftslämnare"),
                example="Enhetschef",
            )
        ),
        # The report period the row was collected for (written by budget samla, contract
        # §8): a month 1–12 or T1/T2/T3. A report for period P uses the rows of P.
        _optional(
            Field("Period", "period", "text", ("Prognosperiod", "Rapportperiod"), example="T2")
        ),
    ),
    derived={"period": pl.Int8},
    note="Med kolumnen Period (som budget samla skriver) gäller en rad rapporten för den "
    "perioden: en månad 1–12 eller T1, T2, T3 (= 4, 8, 12). En rapport för period P använder "
    "raderna för P, och finns inga för P raderna för den senaste perioden före P. Rader "
    "utan Period gäller varje rapport.",
)

DIRECTIONS = {
    "Högre": "hogre",
    "Lägre": "lagre",
    "Högre är bättre": "hogre",
    "Lägre är bättre": "lagre",
    # Neither side is better: the outcome should lie near the target (budgetföljsamhet).
    "Nära målet": "nara",
    "Nära": "nara",
}
INDICATOR_KINDS = {
    "Nivå": "niva",
    "Andel": "niva",
    "Ackumulerad": "ackumulerad",
    "Antal hittills": "ackumulerad",
}
PERIODICITY = {"Tertial": "tertial", "År": "ar", "Månad": "manad"}

INDICATORS = Sheet(
    "mal",
    "Indikatorer",
    (
        Field(
            "Inriktningsmål", "direction_goal", "text", example="Ett Stockholm som håller samman"
        ),
        Field(
            "Verksamhetsområdesmål",
            "area_goal",
            "text",
            ("VO-mål", "Mål"),
            example="Alla äldre har en trygg ålderdom",
        ),
        Field(
            "Indikator", "indicator", "text", value_required=False, example="Andel nöjda brukare"
        ),
        _optional(Field("Enhet", "unit", "text", example="%")),
        Field(
            "Riktning",
            "better",
            "choice",
            choices=DIRECTIONS,
            value_required=False,
            example="Högre",
        ),
        Field(
            "KF:s årsmål",
            "kf_target",
            "number",
            ("KF årsmål", "KFs årsmål"),
            value_required=False,
            example=90,
        ),
        Field(
            "Nämndens årsmål",
            "target",
            "number",
            ("Årsmål", "Nämndens mål"),
            value_required=False,
            example=91,
        ),
        Field(
            "Periodicitet",
            "periodicity",
            "choice",
            choices=PERIODICITY,
            value_required=False,
            example="Tertial",
        ),
        Field(
            "Periodutfall",
            "outcome",
            "number",
            ("Utfall", "Utfall period"),
            value_required=False,
            example=92,
        ),
        _optional(
            Field("Föregående år", "last_year", "number", ("Utfall föregående år",), example=89)
        ),
        _optional(
            Field(
                "Typ",
                "kind",
                "choice",
                ("Indikatortyp",),
                choices=INDICATOR_KINDS,
                example="Ackumulerad",
            )
        ),
        _optional(Field("Periodmål", "period_target", "number", ("Mål för perioden",), example=4)),
        _optional(
            Field(
                "Tolerans",
                "tolerance",
                "number",
                ("Toleransintervall",),
                rules=(_not_negative("toleransen anges som ett positivt tal", "0 eller större"),),
                example=1,
            )
        ),
    ),
    note=(
        "Riktning och Periodicitet krävs på rader som har en indikator. Typ Ackumulerad "
        "(antal hittills under året) bedöms före december mot Periodmål eller mot årsmålet "
        "fördelat på årets månader; Tolerans räknar ett utfall inom målet ± toleransen som "
        "uppfyllt."
    ),
)

ASSESSMENTS = {
    "Uppfylls helt": "helt",
    "Uppfylls delvis": "delvis",
    "Uppfylls ej": "ej",
    "Uppfylls inte": "ej",
}
LEVELS = {"Inriktningsmål": "inriktningsmal", "Verksamhetsområdesmål": "vomal"}

ASSESSMENT = Sheet(
    "mal",
    "Bedömningar",
    (
        Field("Nivå", "level", "choice", choices=LEVELS, example="Verksamhetsområdesmål"),
        Field("Mål", "goal", "text", example="Alla äldre har en trygg ålderdom"),
        Field("Bedömning", "assessment", "choice", choices=ASSESSMENTS, example="Uppfylls helt"),
        _optional(
            Field(
                "Kommentar", "comment", "text", example="Brukarundersökningen visar goda resultat"
            )
        ),
    ),
)

_VOLUME = _not_negative("volym och pris kan inte vara negativa", "ett tal som är 0 eller större")

VOLUMES = Sheet(
    "volymer",
    "Volymer",
    (
        AREA,
        SUBAREA,
        Field("Mått", "measure", "text", ("Matt", "Volymmått", "Mätetal"), example="Barnmånader"),
        _optional(Field("År", "year", "integer", ("Ar", "Year"), example=2017)),
        Field("Period", "period", "integer", ("Månad",), example=8),
        Field(
            "Budgeterad volym",
            "budget_volume",
            "number",
            ("Budget volym", "Budgetvolym", "Volym budget"),
            value_required=False,
            rules=(_VOLUME,),
            example=2100,
        ),
        Field(
            "Utfall volym",
            "volume",
            "number",
            ("Volym utfall", "Utfallsvolym", "Utfall"),
            value_required=False,
            rules=(_VOLUME,),
            example=2080,
        ),
        Field(
            "Pris",
            "price",
            "number",
            ("Pris per enhet", "Styckpris", "Ersättning"),
            rules=(_VOLUME,),
            example=12450,
        ),
        _optional(
            Field(
                "Budgeterat pris",
                "budget_price",
                "number",
                ("Budgetpris", "Pris budget", "Budgeterad ersättning"),
                rules=(_VOLUME,),
                example=12300,
            )
        ),
    ),
    derived={"period": pl.Int8},
    note="Period är en månad 1–12 (året i kolumnen År, annars rapportåret) eller ÅÅÅÅMM. "
    "Budgeterat pris (kronor per enhet av Mått) är priset i budgeten; utan det räknas det "
    "som budgeterad kostnad delad med budgeterad volym (volym- och prisanalysen).",
)

INVESTMENTS = Sheet(
    "investeringar",
    "Investeringar",
    (
        Field("Projekt", "project", "code", ("Projektnummer", "Projektnr"), example="P17-03"),
        Field("Benämning", "name", "text", ("Projektnamn", "Namn"), example="Ny förskola Vårberg"),
        _optional(
            Field(
                "Verksamhetsområde",
                "area",
                "text",
                ("Område", "VO"),
                value_required=False,
                example="Förskoleverksamhet",
            )
        ),
        Field("Budget", "budget", "amount", ("Årsbudget", "Investeringsbudget"), example=4500000),
        _optional(
            Field(
                "Utgifter",
                "spent",
                "amount",
                ("Utgifter hittills", "Utfall"),
                value_required=False,
                example=1200000,
            )
        ),
        Field("Prognos", "forecast", "amount", ("Helårsprognos",), example=3000000),
        _optional(Field("Kommentar", "comment", "text", ("Beslut", "Åtgärd"), example="")),
    ),
    derived={"subarea": pl.String},
    note="Belopp är utgifter i kronor, positiva. Utan Utgifter (kolumnen eller cellen) räknas "
    "utgifterna hittills ur huvudbokens rader med kolumnen Projekt, rapportåret till och med "
    "perioden.",
)

MEASURE_STATUS = {"Beslutad": "Beslutad", "Planerad": "Planerad", "Genomförd": "Genomförd"}

MEASURES = Sheet(
    "atgarder",
    "Åtgärder",
    (
        AREA,
        SUBAREA,
        Field(
            "Åtgärd",
            "measure",
            "text",
            ("Atgard", "Beskrivning"),
            example="Översyn av bemanningen i gruppbostäderna",
        ),
        Field(
            "Effekt",
            "effect",
            "amount",
            ("Effekt i år", "Belopp"),
            example=1500000,
        ),
        Field("Status", "status", "choice", choices=MEASURE_STATUS, example="Beslutad"),
        Field(
            "Ingår i prognosen",
            "in_forecast",
            "choice",
            ("Ingar i prognosen", "I prognosen"),
            choices=YES_NO,
            example="Nej",
        ),
        _optional(Field("Ansvarig", "responsible", "text", ("Ansvar för åtgärden",), example="")),
        _optional(Field("Beslut", "decision", "text", ("Beslutad av", "Dnr"), example="")),
    ),
    note="Effekt är åtgärdens påverkan på årets resultat i kronor, positiv = bättre resultat. "
    "Filen ändrar aldrig rapportens prognos: rapporten visar prognosen efter beslutade och "
    "genomförda åtgärder som inte ingår i prognosen, och efter planerade.",
)

SHEETS = (
    LEDGER,
    BUDGET,
    PERIODISATION,
    STRUCTURE,
    RESPONSIBILITIES,
    CHANGES,
    FORECASTS,
    INDICATORS,
    ASSESSMENT,
    VOLUMES,
    INVESTMENTS,
    MEASURES,
)
