"""Turn a Table's text columns into typed columns, collecting a diagnostic per bad cell.

Conversion is vectorised: one pass builds every typed column, and only the
rows that fail are turned into diagnostics. A column with very many bad cells
reports the first ``LIMIT`` one by one and then one summary diagnostic with
the count, so nothing is dropped silently and the terminal is not flooded.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from budget import cells
from budget.cells import normalize_header
from budget.diagnostics import Diagnostic
from budget.excel import ROW, Table

LIMIT = 100
RAW = "__raw_"


class Converter:
    """Collects typed-column expressions and the rules that check them."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.diagnostics: list[Diagnostic] = list(table.diagnostics)
        self._error_cells = {(d.column, d.cell) for d in table.diagnostics if d.code == "E006"}
        self._exprs: list[pl.Expr] = []
        self._checks: list[tuple[str, str, pl.Expr, str, str]] = []
        self._required: list[str] = []

    @staticmethod
    def _raw_filled(column: str) -> pl.Expr:
        return pl.col(RAW + column).str.strip_chars().fill_null("")

    def _add(
        self, column: str, expr: pl.Expr, required: bool, code: str, message: str, expected: str
    ) -> None:
        if not self.table.has(column):
            self._exprs.append(pl.lit(None).alias(column))
            return
        self._exprs.append(expr.alias(column))
        if code != "E103":  # text columns cannot fail to convert, only be missing
            failed = pl.col(column).is_null() & (self._raw_filled(column) != "")
            self._checks.append((column, code, failed, message, expected))
        if required:
            self._required.append(column)

    def amount(self, column: str, required: bool = True) -> None:
        expr = cells.amount_ore(pl.col(column))
        self._add(
            column, expr, required, "E101", "värdet är inte ett belopp", "ett tal, t.ex. 1 234,50"
        )

    def integer(self, column: str, required: bool = True) -> None:
        self._add(
            column,
            cells.integer(pl.col(column)),
            required,
            "E102",
            "värdet är inte ett heltal",
            "ett heltal",
        )

    def number(self, column: str, required: bool = True) -> None:
        self._add(
            column,
            cells.number(pl.col(column)),
            required,
            "E101",
            "värdet är inte ett tal",
            "ett tal, t.ex. 0,25",
        )

    def code(self, column: str, required: bool = True) -> None:
        self._add(column, cells.code(pl.col(column)), required, "E103", "", "")

    def text(self, column: str, required: bool = False) -> None:
        self._add(column, cells.text(pl.col(column)), required, "E103", "", "")

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
        """An extra rule on a typed column (evaluated after conversion)."""
        if self.table.has(column):
            self._checks.append((column, code, bad, message, expected))

    def run(self) -> pl.DataFrame:
        """The typed frame (with ``_row`` and the raw text of checked columns)."""
        t = self.table
        present = [c for c in t.frame.columns if c != ROW]
        raws = [pl.col(c).alias(RAW + c) for c in present]
        typed = t.frame.with_columns(*raws).with_columns(self._exprs)
        for column in self._required:
            self._report(
                typed,
                column,
                self._raw_filled(column) == "",
                "E103",
                "obligatoriskt värde saknas",
                "ett värde",
            )
        for column, code, bad, message, expected in self._checks:
            self._report(typed, column, bad, code, message, expected)
        return typed.drop([RAW + c for c in present])

    def _report(
        self, typed: pl.DataFrame, column: str, bad: pl.Expr, code: str, message: str, expected: str
    ) -> None:
        t = self.table
        rows = typed.filter(bad).select(ROW, RAW + column)
        shown = 0
        skipped_errors = 0
        for row, value in rows.iter_rows():
            cell = t.cell(column, row)
            if (column, cell) in self._error_cells:
                skipped_errors += 1
                continue
            if shown == LIMIT:
                break
            self.diagnostics.append(
                Diagnostic(
                    code,
                    message,
                    file=t.file,
                    sheet=t.sheet,
                    cell=cell,
                    column=column,
                    value=value if value is not None else "",
                    expected=expected,
                )
            )
            shown += 1
        rest = rows.height - shown - skipped_errors
        if shown == LIMIT and rest > 0:
            self.diagnostics.append(
                Diagnostic(
                    code,
                    f"{message}: ytterligare {rest} celler i kolumnen har samma fel",
                    file=t.file,
                    sheet=t.sheet,
                    column=column,
                    expected=expected,
                )
            )
