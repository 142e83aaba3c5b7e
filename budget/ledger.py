"""The ledger core: map rows to areas, sum per leaf, side and month, reconcile.

Pure functions on polars frames. A *leaf* is an (area, subarea) pair; subarea
is None where the code has no delområde. A *side* is ``costs`` (Kommun-Bas
classes 4–7) or ``revenues`` (class 3); classes 1, 2 and 8 are outside the
operating result and excluded. Sums come back in report signs (revenues +,
costs −): the negated ledger sign.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import polars as pl

from budget.money import Sides

UNMAPPED = "Ej fördelat"
LeafKey = tuple[str, str | None]


def side_expr(konto: str = "konto") -> pl.Expr:
    first = pl.col(konto).str.slice(0, 1)
    return (
        pl.when(first == "3")
        .then(pl.lit("revenues"))
        .when(first.is_in(["4", "5", "6", "7"]))
        .then(pl.lit("costs"))
        .otherwise(pl.lit("excluded"))
    )


def classify(frame: pl.LazyFrame, structure: pl.DataFrame) -> pl.LazyFrame:
    """Add area, subarea and side to ledger or budget rows (unmapped -> Ej fördelat)."""
    mapping = structure.lazy().select("verksamhet", "area", "subarea")
    return frame.join(mapping, on="verksamhet", how="left").with_columns(
        pl.col("area").fill_null(UNMAPPED),
        side_expr().alias("side"),
    )


@dataclass(frozen=True)
class Monthly:
    """Ledger sums per (year, month, leaf, side), report signs, plus the excluded part."""

    # (year, leaf, side) -> 12 monthly amounts in öre
    series: dict[tuple[int, LeafKey, str], list[int]]
    # year -> 12 monthly sums of excluded rows (ledger signs)
    excluded: dict[int, list[int]]
    # year -> 12 monthly row counts
    rows: dict[int, list[int]]
    # year -> 12 monthly sums of all rows (ledger signs)
    ledger: dict[int, list[int]]

    def years(self) -> list[int]:
        return sorted(self.rows)

    def months_with_rows(self, year: int) -> list[int]:
        return [m + 1 for m, n in enumerate(self.rows.get(year, [0] * 12)) if n]

    def leaves(self, year: int | None = None) -> set[LeafKey]:
        return {leaf for (y, leaf, _) in self.series if year is None or y == year}

    def ytd(self, year: int, leaf: LeafKey, upto: int) -> Sides:
        return Sides(
            sum(self.series.get((year, leaf, "costs"), [0] * 12)[:upto]),
            sum(self.series.get((year, leaf, "revenues"), [0] * 12)[:upto]),
        )

    def month(self, year: int, leaf: LeafKey, month: int) -> Sides:
        return Sides(
            self.series.get((year, leaf, "costs"), [0] * 12)[month - 1],
            self.series.get((year, leaf, "revenues"), [0] * 12)[month - 1],
        )

    def has(self, year: int, leaf: LeafKey) -> bool:
        return (year, leaf, "costs") in self.series or (year, leaf, "revenues") in self.series


def summarise(ledger: pl.DataFrame, structure: pl.DataFrame) -> Monthly:
    """One pass over the ledger: everything later steps need, in a few hundred numbers."""
    grouped = (
        classify(ledger.lazy(), structure)
        .group_by("year", "period", "area", "subarea", "side")
        .agg(pl.col("amount").sum(), pl.len().alias("n"))
        .collect()
    )
    series: dict[tuple[int, LeafKey, str], list[int]] = defaultdict(lambda: [0] * 12)
    excluded: dict[int, list[int]] = defaultdict(lambda: [0] * 12)
    rows: dict[int, list[int]] = defaultdict(lambda: [0] * 12)
    totals: dict[int, list[int]] = defaultdict(lambda: [0] * 12)
    for year, period, area, subarea, side, amount, n in grouped.iter_rows():
        m = period - 1
        rows[year][m] += n
        totals[year][m] += amount
        if side == "excluded":
            excluded[year][m] += amount
        else:
            series[(year, (area, subarea), side)][m] -= amount
    return Monthly(dict(series), dict(excluded), dict(rows), dict(totals))


def budget_by_leaf(
    budget: pl.DataFrame, structure: pl.DataFrame, year: int
) -> dict[LeafKey, Sides]:
    """The original annual budget per leaf, report signs (operating accounts only)."""
    grouped = (
        classify(budget.lazy().filter(pl.col("year") == year), structure)
        .filter(pl.col("side") != "excluded")
        .group_by("area", "subarea", "side")
        .agg(pl.col("amount").sum())
        .collect()
    )
    out: dict[LeafKey, Sides] = defaultdict(Sides)
    for area, subarea, side, amount in grouped.iter_rows():
        add = Sides(costs=-amount) if side == "costs" else Sides(revenues=-amount)
        out[(area, subarea)] = out[(area, subarea)] + add
    return dict(out)


@dataclass(frozen=True)
class Reconciliation:
    """Contract §3: ledger_sum = reported_sum + excluded_sum, ledger signs, öre."""

    ledger_rows: int
    ledger_sum: int
    reported_sum: int
    excluded_sum: int
    unmapped_sum: int

    @property
    def balanced(self) -> bool:
        return self.ledger_sum == self.reported_sum + self.excluded_sum


def reconcile(
    monthly: Monthly, year: int, period: int, actual_net_by_area: dict[str, int]
) -> Reconciliation:
    """Check that every krona of the ledger is either reported or excluded."""
    reported = -sum(actual_net_by_area.values())
    return Reconciliation(
        ledger_rows=sum(monthly.rows.get(year, [0] * 12)[:period]),
        ledger_sum=sum(monthly.ledger.get(year, [0] * 12)[:period]),
        reported_sum=reported,
        excluded_sum=sum(monthly.excluded.get(year, [0] * 12)[:period]),
        unmapped_sum=-actual_net_by_area.get(UNMAPPED, 0),
    )


ACCOUNT_CLASSES = {
    "3": "Intäkter (klass 3)",
    "4": "Köp av huvudverksamhet och bidrag (klass 4)",
    "5": "Personalkostnader (klass 5)",
    "6": "Lokaler och övriga kostnader (klass 6)",
    "7": "Övriga kostnader och avskrivningar (klass 7)",
}


@dataclass(frozen=True)
class DrillLine:
    """One line of an area's drill-down: a code with its name and outcome to date."""

    code: str
    name: str | None
    actual: Sides


def drill_down(
    ledger: pl.DataFrame,
    structure: pl.DataFrame,
    responsibilities: pl.DataFrame | None,
    year: int,
    period: int,
) -> dict[str, dict[str, list[DrillLine]]]:
    """Outcome to date per area by ansvar, verksamhet and account class (report signs)."""
    rows = (
        classify(
            ledger.lazy().filter((pl.col("year") == year) & (pl.col("period") <= period)), structure
        )
        .filter(pl.col("side") != "excluded")
        .with_columns(pl.col("konto").str.slice(0, 1).alias("class"))
    )
    names: dict[str, dict[str, str]] = {
        "verksamhet": {c: n for c, n in structure.select("verksamhet", "name").iter_rows() if n},
        "class": ACCOUNT_CLASSES,
        "ansvar": (
            {}
            if responsibilities is None
            else {c: n for c, n in responsibilities.select("ansvar", "unit").iter_rows() if n}
        ),
    }
    out: dict[str, dict[str, list[DrillLine]]] = defaultdict(dict)
    for dimension in ("ansvar", "verksamhet", "class"):
        grouped = (
            rows.group_by("area", dimension, "side")
            .agg(pl.col("amount").sum())
            .collect()
            .sort("area", dimension, "side")
        )
        acc: dict[tuple[str, str], Sides] = defaultdict(Sides)
        for area, code, side, amount in grouped.iter_rows():
            add = Sides(costs=-amount) if side == "costs" else Sides(revenues=-amount)
            acc[(area, code)] = acc[(area, code)] + add
        for (area, code), sides in acc.items():
            out[area].setdefault(dimension, []).append(
                DrillLine(code, names[dimension].get(code), sides)
            )
    return dict(out)
