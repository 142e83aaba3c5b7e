"""The ledger core: map rows to areas, sum per leaf, side and month, reconcile.

Pure functions on polars frames. A *leaf* is an (area, subarea) pair; subarea
is None where the code has no delområde. A *side* is ``costs`` (Kommun-Bas
classes 4–7) or ``revenues`` (class 3); classes 1, 2 and 8 are outside the
operating result and excluded. Sums come back in report signs (revenues +,
costs −): the negated ledger sign.

Ledger and budget amounts are exact micro-kronor (Int128, see ``budget.checks.cells``);
they are summed exactly and rounded to öre once per reported figure. The
year-to-date figures of one report are rounded together (largest remainder),
so that they and the excluded sum add up to the rounded ledger sum to the öre:
each is within one öre of its exact value, and exact whenever the inputs are
whole öre.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import polars as pl

from budget.core.money import MICRO_PER_ORE, Sides, round_micro

UNMAPPED = "Ej fördelat"
# What is booked, budgeted or changed on an area that has delområden, outside them.
UNASSIGNED_SUBAREA = "Ej fördelat på delområde"
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
    """Ledger sums per (year, month, leaf, side), exact µkr, plus the excluded part."""

    # (year, leaf, side) -> 12 monthly amounts in µkr, report signs
    series: dict[tuple[int, LeafKey, str], list[int]]
    # year -> 12 monthly sums of excluded rows (µkr, ledger signs)
    excluded: dict[int, list[int]]
    # year -> 12 monthly row counts
    rows: dict[int, list[int]]
    # year -> 12 monthly sums of all rows (µkr, ledger signs)
    ledger: dict[int, list[int]]
    _rounded: dict[tuple[int, int], dict[tuple[LeafKey | None, str], int]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def months_with_rows(self, year: int) -> list[int]:
        return [m + 1 for m, n in enumerate(self.rows.get(year, [0] * 12)) if n]

    def leaves(self, year: int | None = None) -> set[LeafKey]:
        return {leaf for (y, leaf, _) in self.series if year is None or y == year}

    def ytd(self, year: int, leaf: LeafKey, upto: int) -> Sides:
        """January to ``upto``, in öre, rounded together with every other leaf's."""
        rounded = self.rounded_ytd(year, upto)
        return Sides(rounded.get((leaf, "costs"), 0), rounded.get((leaf, "revenues"), 0))

    def excluded_ytd(self, year: int, upto: int) -> int:
        """The excluded rows' sum to ``upto``, öre, ledger signs (rounded with ``ytd``)."""
        return -self.rounded_ytd(year, upto).get((None, "excluded"), 0)

    def ledger_ytd(self, year: int, upto: int) -> int:
        """Every row's sum to ``upto``, öre, ledger signs: rounded once."""
        return round_micro(sum(self.ledger.get(year, [0] * 12)[:upto]))

    def rounded_ytd(self, year: int, upto: int) -> dict[tuple[LeafKey | None, str], int]:
        """Year-to-date per (leaf, side) and the excluded part, report signs, öre.

        Largest remainder: every figure is floored, then the öre that the floors lack
        against the rounded ledger sum go to the figures with the largest remainders.
        """
        key = (year, upto)
        if key in self._rounded:
            return self._rounded[key]
        exact: dict[tuple[LeafKey | None, str], int] = {
            (leaf, side): sum(months[:upto])
            for (y, leaf, side), months in self.series.items()
            if y == year
        }
        exact[(None, "excluded")] = -sum(self.excluded.get(year, [0] * 12)[:upto])
        target = -self.ledger_ytd(year, upto)
        floors = {k: v // MICRO_PER_ORE for k, v in exact.items()}
        lacking = target - sum(floors.values())
        order = sorted(exact, key=lambda k: (-(exact[k] % MICRO_PER_ORE), str(k[0]), k[1]))
        for k in order[:lacking]:
            floors[k] += 1
        self._rounded[key] = floors
        return floors

    def month(self, year: int, leaf: LeafKey, month: int) -> Sides:
        return Sides(
            round_micro(self.series.get((year, leaf, "costs"), [0] * 12)[month - 1]),
            round_micro(self.series.get((year, leaf, "revenues"), [0] * 12)[month - 1]),
        )

    def has(self, year: int, leaf: LeafKey) -> bool:
        return (year, leaf, "costs") in self.series or (year, leaf, "revenues") in self.series


def summarise(ledger: pl.DataFrame, structure: pl.DataFrame) -> Monthly:
    """One pass over the ledger: everything later steps need, in a few hundred numbers."""
    grouped = (
        classify(ledger.lazy(), structure)
        .group_by("year", "period", "area", "subarea", "side")
        .agg(pl.col("amount").cast(pl.Int128).sum(), pl.len().alias("n"))
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
        .agg(pl.col("amount").cast(pl.Int128).sum())
        .collect()
    )
    out: dict[LeafKey, Sides] = defaultdict(Sides)
    for area, subarea, side, exact in grouped.iter_rows():
        amount = round_micro(exact)
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
    # Rows of the report year after the period: left out of the report, counted apart
    # (contract §8), so a report made later from the same folder gives the same figures.
    after_period_rows: int = 0
    after_period_sum: int = 0

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
        ledger_sum=monthly.ledger_ytd(year, period),
        reported_sum=reported,
        excluded_sum=monthly.excluded_ytd(year, period),
        unmapped_sum=-actual_net_by_area.get(UNMAPPED, 0),
        after_period_rows=sum(monthly.rows.get(year, [0] * 12)[period:]),
        after_period_sum=round_micro(sum(monthly.ledger.get(year, [0] * 12)[period:])),
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
            .agg(pl.col("amount").cast(pl.Int128).sum())
            .collect()
            .sort("area", dimension, "side")
        )
        acc: dict[tuple[str, str], Sides] = defaultdict(Sides)
        for area, code, side, exact in grouped.iter_rows():
            amount = round_micro(exact)
            add = Sides(costs=-amount) if side == "costs" else Sides(revenues=-amount)
            acc[(area, code)] = acc[(area, code)] + add
        for (area, code), sides in acc.items():
            out[area].setdefault(dimension, []).append(
                DrillLine(code, names[dimension].get(code), sides)
            )
    return dict(out)
