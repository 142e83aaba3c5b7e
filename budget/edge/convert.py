"""Turn a Table's text columns into typed columns, collecting a diagnostic per bad cell.

Two stages, both vectorised. First each text column is parsed (Swedish number
text, codes, allowed values): a cell that does not parse, or a required cell
that is empty, becomes a diagnostic here, because only this stage sees the raw
text. Then the typed frame is validated by a pandera schema (polars backend,
``lazy=True`` and depth ``SCHEMA_AND_DATA``) built from the rules the reader
declared: ranges, formats, cross-column rules. Every failure case pandera
collects becomes a diagnostic with its cell, through the frame's ``_row``.

A column with very many bad cells reports the first ``LIMIT`` one by one and
then one summary diagnostic with the count, so nothing is dropped silently
and the terminal is not flooded.

Every row is accounted for: a reader keeps rows only through ``accept``, which
gives any row it leaves out without an error of its own an E114 that names it.
Total rows (kept aside by ``budget.edge.excel``) are checked against the rows they
sum (W311).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from budget.checks import cells
from budget.core.money import MICRO_PER_ORE
from budget.core.names import normalize_header
from budget.diagnostics import Diagnostic
from budget.edge.excel import ROW, Table
from budget.edge.typed import FLOAT, excel_text
from budget.edge.workbook import text_cells

LIMIT = 100
RAW = "__raw_"
NUMBER_CELL = "__number_cell_"


@dataclass(frozen=True)
class RuleSpec:
    """A rule on a typed column: the pandera check, its code and its Swedish wording."""

    column: str
    check: Any  # pandera.polars.Check, imported where validation runs
    code: str
    message: str
    expected: str


def in_range(low: float, high: float) -> Any:
    """pandera's in_range check (imported here: pandera costs 0,7 s to import)."""
    import pandera.polars as pa

    return pa.Check.in_range(low, high)


def not_negative() -> Any:
    """pandera's ge(0) check."""
    import pandera.polars as pa

    return pa.Check.ge(0)


def matches(pattern: str) -> Any:
    """pandera's str_matches check."""
    import pandera.polars as pa

    return pa.Check.str_matches(pattern)


def valid_where(expr: pl.Expr) -> Any:
    """A pandera check from a polars expression that is True where the row is valid.

    Nulls pass: a missing value is the business of the required-cell rule.
    """
    import pandera.polars as pa

    def check(data: Any) -> pl.LazyFrame:
        lf: pl.LazyFrame = data.lazyframe
        return lf.select((expr | pl.col(data.key).is_null()).fill_null(True).alias(data.key))

    return pa.Check(check)


class Converter:
    """Collects typed-column expressions and the rules that check them."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.diagnostics: list[Diagnostic] = list(table.diagnostics)
        self._error_cells = {(d.column, d.cell) for d in table.diagnostics if d.code == "E006"}
        self._exprs: list[pl.Expr] = []
        self._checks: list[tuple[str, str, pl.Expr, str, str]] = []
        self._required: list[str] = []
        self._required_where: dict[str, pl.Expr] = {}
        self._rules: list[RuleSpec] = []
        self._amounts: dict[str, bool] = {}  # column -> in µkr (else öre)
        self._numeric: list[str] = []  # amounts and numbers: read by the same rules
        self._bad_rows: set[int] = {_row_of(d.cell) for d in table.diagnostics if d.cell}

    def _raw_filled(self, column: str) -> pl.Expr:
        """The cell's text, "" when blank; a number read typed counts as filled."""
        filled = pl.col(RAW + column).str.strip_chars().fill_null("")
        if column in self.table.numbers:
            return pl.when(pl.col(FLOAT + column).is_not_null()).then(pl.lit("0")).otherwise(filled)
        return filled

    def _typed(self, column: str, direct: pl.Expr, by_text: pl.Expr) -> pl.Expr:
        """A column read as numbers (typed fast path): ``direct`` from the number where
        the table left no text for it, else ``by_text``, the text path's rule."""
        if column not in self.table.numbers:
            return by_text
        x = pl.col(FLOAT + column)
        return pl.when(x.is_not_null() & pl.col(column).is_null()).then(direct).otherwise(by_text)

    def _add(
        self, column: str, expr: pl.Expr, required: bool, code: str, message: str, expected: str
    ) -> None:
        if not self.table.has(column):
            self._exprs.append(pl.lit(None).alias(column))
            return
        self._exprs.append(expr.alias(column))
        if code != "E103":  # text columns cannot fail to convert, only be missing
            failed = pl.col(column).is_null() & (self._raw_filled(column) != "")
            if code == "E101":  # too large or ambiguous numbers have their own codes
                failed = failed & ~cells.too_many_digits(pl.col(RAW + column))
                failed = failed & ~cells.ambiguous_amount(pl.col(RAW + column))
            self._checks.append((column, code, failed, message, expected))
        if required:
            self._required.append(column)

    def _numeric_rules(self, column: str, noun: str, example: str) -> pl.Expr:
        """What amounts and numbers share: ambiguous separators and absurd length are
        errors of their own. Returns the flag of cells the file stored as numbers."""
        self._numeric.append(column)
        self.check(
            column,
            cells.ambiguous_amount(pl.col(RAW + column)) & ~pl.col(NUMBER_CELL + column),
            "E113",
            f"{noun} har tvetydiga skiljetecken (punkt som tusentalsavgränsare eller både punkt "
            "och komma)",
            example,
        )
        self.check(
            column,
            cells.too_many_digits(pl.col(RAW + column)),
            "E109",
            f"{noun} har fler än 15 siffror före decimaltecknet",
            "ett värde under 1 000 000 000 000 000",
        )
        return pl.col(NUMBER_CELL + column)

    def amount(self, column: str, required: bool = True, micro: bool = False) -> None:
        """Money: exact µkr (Int128) with ``micro`` (ledger, budget), else öre per row."""
        self._amounts[column] = micro
        number_cell = self._numeric_rules(column, "beloppet", "ett belopp som 12500 eller 12,50")
        x = pl.col(FLOAT + column)
        direct = (x * 100).round(0).cast(pl.Int64).cast(pl.Int128) * pl.lit(
            MICRO_PER_ORE, pl.Int128
        )
        expr = self._typed(column, direct, cells.amount_micro(pl.col(column), number_cell))
        if not micro:
            expr = cells.micro_to_ore(expr)
        self._add(
            column, expr, required, "E101", "värdet är inte ett belopp", "ett tal, t.ex. 1 234,50"
        )

    def integer(self, column: str, required: bool = True) -> None:
        direct = pl.col(FLOAT + column).cast(pl.Int64)
        self._add(
            column,
            self._typed(column, direct, cells.integer(pl.col(column))),
            required,
            "E102",
            "värdet är inte ett heltal",
            "ett heltal",
        )

    def number(self, column: str, required: bool = True) -> None:
        number_cell = self._numeric_rules(column, "talet", "ett tal som 1250 eller 1,25")
        self._add(
            column,
            cells.number(pl.col(column), number_cell),
            required,
            "E101",
            "värdet är inte ett tal",
            "ett tal, t.ex. 0,25",
        )

    def code(self, column: str, required: bool = True, where: pl.Expr | None = None) -> None:
        """A code cell; ``where`` limits the rows on which it is required."""
        self._add(column, cells.code(pl.col(column)), required, "E103", "", "")
        if required and where is not None and self.table.has(column):
            self._required_where[column] = where
        self.check(
            column,
            cells.bad_code(pl.col(RAW + column)),
            "E112",
            "koden innehåller ett styrtecken eller en siffra som inte är 0–9",
            "siffrorna 0–9 och bokstäver",
        )

    def text(self, column: str, required: bool = False) -> None:
        self._add(column, cells.text(pl.col(column)), required, "E103", "", "")
        self.check(
            column,
            cells.control_chars(pl.col(RAW + column)),
            "W312",
            "texten innehöll styrtecken, som togs bort",
            "text utan styrtecken",
        )

    def choice(self, column: str, allowed: Mapping[str, str], required: bool = True) -> None:
        """A column whose values must be one of ``allowed`` (matched like headers)."""
        folded = {normalize_header(k): v for k, v in allowed.items()}
        expr = (
            pl.col(column)
            .str.strip_chars()
            .str.to_lowercase()
            .str.replace_all(r"\s+", " ")
            .str.replace_all("[åä]", "a")
            .str.replace_all("ö", "o")
            .str.replace_all("é", "e")
            .replace_strict(folded, default=None, return_dtype=pl.String)
        )
        shown = " eller ".join(sorted(set(allowed.values())))
        self._add(column, expr, required, "E108", "värdet är inte tillåtet", shown)

    def check(self, column: str, bad: pl.Expr, code: str, message: str, expected: str) -> None:
        """A rule on the raw text of a column, checked with the parse failures."""
        if self.table.has(column):
            self._checks.append((column, code, bad, message, expected))

    def rule(self, column: str, check: Any, code: str, message: str, expected: str) -> None:
        """A rule on a typed column, validated by pandera (``check`` is a pandera Check)."""
        if self.table.has(column):
            self._rules.append(RuleSpec(column, check, code, message, expected))

    def run(self) -> pl.DataFrame:
        """The typed frame (with ``_row`` and the raw text of checked columns)."""
        t = self.table
        present = [c for c in t.frame.columns if c != ROW and not c.startswith(FLOAT)]
        raws = [pl.col(c).alias(RAW + c) for c in present]
        flags = [self._number_cells(c) for c in self._numeric]
        typed = t.frame.lazy().with_columns(*raws, *flags).with_columns(self._exprs).collect()
        checks = [
            (
                c,
                "E103",
                (self._raw_filled(c) == "") & self._required_where.get(c, pl.lit(True)),
                "obligatoriskt värde saknas",
                "ett värde",
            )
            for c in self._required
        ] + self._checks
        # Every rule in one parallel pass; only the rules some row breaks are filtered for.
        broken = typed.select(
            *(bad.any().alias(str(i)) for i, (_, _, bad, _, _) in enumerate(checks))
        )
        for i, (column, code, bad, message, expected) in enumerate(checks):
            if broken[str(i)][0]:
                self._report(typed, column, bad, code, message, expected)
        self._validate(typed)
        self._check_totals(typed)
        return typed.drop(
            [RAW + c for c in present],
            *(NUMBER_CELL + c for c in self._numeric),
            *(FLOAT + c for c in t.numbers),
        )

    def _number_cells(self, column: str) -> pl.Expr:
        """True where an amount cell that reads ambiguously was stored as a number.

        Only such cells are looked up in the file: ``10.555`` typed as a number is
        10,555 kr, typed as text it could be ten thousand.
        """
        t = self.table
        if t.line_based and t.has(column):  # SIE: a dot is the decimal point, always
            return pl.lit(True).alias(NUMBER_CELL + column)
        if not t.has(column):
            return pl.lit(False).alias(NUMBER_CELL + column)
        candidates = t.frame.filter(cells.ambiguous_amount(pl.col(column)))
        if not candidates.height:
            return pl.lit(False).alias(NUMBER_CELL + column)
        asked = {t.cell(column, row): v for row, v in candidates.select(ROW, column).iter_rows()}
        text = (
            set(asked)
            if t.path is None or t.workbook is None
            else text_cells(t.path, t.workbook, t.sheet, asked)
        )
        numbers = [int(ref[len(t.letters[column]) :]) for ref in asked if ref not in text]
        return pl.col(ROW).is_in(numbers).alias(NUMBER_CELL + column)

    def accept(self, typed: pl.DataFrame, keep: pl.Expr) -> pl.DataFrame:
        """The rows to use; a row left out that has no error of its own gets E114."""
        dropped = typed.filter(~keep).select(ROW)
        silent = [r for r in dropped[ROW].to_list() if r not in self._bad_rows]
        first = next(iter(self.table.letters), None)
        self._emit_rows(
            [(self.table.cell(first, r) if first else f"rad {r}", None) for r in silent],
            first,
            "E114",
            "raden har inga giltiga värden i de kolumner som krävs",
            "en rad med giltiga värden",
        )
        return typed.filter(keep)

    def _check_totals(self, typed: pl.DataFrame) -> None:
        """W311: a total row whose amount is neither the sum of the rows since the last
        total row nor of all rows above it."""
        t = self.table
        if t.totals is None or not t.totals.height:
            return
        for column in self._amounts:
            if not t.has(column):
                continue
            stated = t.totals.select(ROW, cells.amount_micro(pl.col(column)).alias("v"))
            scale = 1 if self._amounts[column] else MICRO_PER_ORE
            rows = typed.select(ROW, pl.col(column).cast(pl.Int128).fill_null(0).alias("v"))
            previous = 0
            for row, value in stated.iter_rows():
                if value is None:
                    continue
                above = rows.filter(pl.col(ROW) < row)
                since = above.filter(pl.col(ROW) > previous)
                block = int(since["v"].sum()) * scale
                grand = int(above["v"].sum()) * scale
                after_total, previous = previous > 0, row
                if value == grand or (since.height and value == block):
                    continue
                what = (
                    f"raderna sedan föregående summarad summerar till {_kr(block)}, "
                    if since.height and after_total
                    else ""
                )
                self.diagnostics.append(
                    Diagnostic(
                        "W311",
                        f"summaraden stämmer inte med raderna ovanför ({what}"
                        f"alla rader ovanför summerar till {_kr(grand)})",
                        file=t.file,
                        sheet=t.sheet,
                        cell=t.cell(column, row),
                        column=column,
                        value=_kr(value),
                        expected=_kr(grand),
                    )
                )

    def _validate(self, typed: pl.DataFrame) -> None:
        """Run the pandera schema of the declared rules; failures become diagnostics."""
        if not self._rules:
            return
        import pandera.polars as pa
        from pandera.config import ValidationDepth, config_context

        by_column: dict[str, list[RuleSpec]] = defaultdict(list)
        for spec in self._rules:
            by_column[spec.column].append(spec)
        schema = pa.DataFrameSchema(
            {
                c: pa.Column(checks=[s.check for s in specs], nullable=True)
                for c, specs in by_column.items()
            },
            strict=False,
        )
        frame = typed.with_row_index("__index")
        try:
            with config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA):
                schema.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            cases = exc.failure_cases
        else:
            return
        numbers = [FLOAT + c for c in by_column if c in self.table.numbers]
        rows = frame.select("__index", ROW, *(RAW + c for c in by_column), *numbers)
        found = (
            cases.filter(pl.col("index").is_not_null())
            .select("column", "check_number", pl.col("index").cast(pl.UInt32).alias("__index"))
            .join(rows, on="__index", how="left")
            .sort("__index")
        )
        for spec_list_column, specs in by_column.items():
            for number, spec in enumerate(specs):
                bad_rows = found.filter(
                    (pl.col("column") == spec_list_column) & (pl.col("check_number") == number)
                )
                self._emit(
                    bad_rows.select(ROW, self._shown(spec.column)),
                    spec.column,
                    spec.code,
                    spec.message,
                    spec.expected,
                )

    def _report(
        self, typed: pl.DataFrame, column: str, bad: pl.Expr, code: str, message: str, expected: str
    ) -> None:
        self._emit(
            typed.filter(bad).select(ROW, self._shown(column)), column, code, message, expected
        )

    def _shown(self, column: str) -> pl.Expr:
        """The cell as the text path shows it: its text, or a typed number as calamine's
        text (computed for the reported cells only)."""
        raw = pl.col(RAW + column)
        if column not in self.table.numbers:
            return raw
        number = pl.col(FLOAT + column).map_elements(
            excel_text, return_dtype=pl.String, skip_nulls=True
        )
        return pl.coalesce(raw, number).alias(RAW + column)

    def _emit(
        self, rows: pl.DataFrame, column: str, code: str, message: str, expected: str
    ) -> None:
        """One diagnostic per bad cell (``rows``: Excel row, raw text), up to LIMIT."""
        t = self.table
        found = [
            (t.cell(column, row), value)
            for row, value in rows.iter_rows()
            if (column, t.cell(column, row)) not in self._error_cells
        ]
        self._emit_rows(found, column, code, message, expected)

    def _emit_rows(
        self,
        cells: list[tuple[str, str | None]],
        column: str | None,
        code: str,
        message: str,
        expected: str,
    ) -> None:
        t = self.table
        if code.startswith("E"):
            self._bad_rows.update(_row_of(cell) for cell, _ in cells)
        for cell, value in cells[:LIMIT]:
            self.diagnostics.append(
                Diagnostic(
                    code,
                    message,
                    file=t.file,
                    sheet=t.sheet,
                    cell=cell,
                    column=column,
                    value=None if code == "E103" else (value if value is not None else ""),
                    expected=expected,
                )
            )
        if len(cells) > LIMIT:
            self.diagnostics.append(
                Diagnostic(
                    code,
                    f"{message}: ytterligare {len(cells) - LIMIT} celler i kolumnen har samma fel",
                    file=t.file,
                    sheet=t.sheet,
                    column=column,
                    expected=expected,
                )
            )


def _row_of(cell: str) -> int:
    """The row number of ``F17`` or ``rad 17``."""
    digits = "".join(ch for ch in cell if ch.isascii() and ch.isdigit())
    return int(digits) if digits else 0


def _kr(micro: int) -> str:
    from budget.core import fmt
    from budget.core.money import round_micro

    return fmt.exact(round_micro(micro))
