"""Prognosunderlag: what each unit (ansvar) is sent before a tertial (contract §4).

Per ansvar and verksamhet: the budget, the outcome to date and a suggested full-year
forecast. The suggestion is the toolkit's own forecast of the verksamhet's leaf, shared out
over the leaf's units by their outcome to date, so that the suggestions of a leaf add up to
its forecast. Amounts are öre in report signs (costs negative, revenues positive).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import polars as pl

from budget.core.ledger import LeafKey, classify
from budget.core.money import ZERO, Sides, round_micro, round_ore

Cell = tuple[str, str]  # (ansvar, verksamhet)

# The unit workbook (contract §4): its sheets and the columns of its sheet Prognos.
SHEET = "Prognos"
IDENTITY_SHEET = "Underlag"
COLUMNS = (
    "Ansvar",
    "Verksamhet",
    "Verksamhetsområde",
    "Budget kostnader",
    "Budget intäkter",
    "Utfall kostnader",
    "Utfall intäkter",
    "Föregående prognos kostnader",
    "Föregående prognos intäkter",
    "Förslag kostnader",
    "Förslag intäkter",
    "Prognos kostnader",
    "Prognos intäkter",
    "Kommentar",
    "Åtgärder",
)
PREFILLED = 11  # the first input column, 0-based: Prognos kostnader


@dataclass(frozen=True)
class UnitLine:
    """One row of a unit's workbook."""

    ansvar: str
    verksamhet: str
    area: str
    subarea: str | None
    budget: Sides | None  # None: the budget has no ansvar column to split it by
    actual: Sides
    suggestion: Sides
    previous: tuple[int | None, int | None] = (None, None)  # the unit's last forecast


def sides_by_cell(
    frame: pl.LazyFrame, structure: pl.DataFrame
) -> dict[Cell, tuple[LeafKey, Sides]]:
    """Operating costs and revenues per (ansvar, verksamhet), with the cell's leaf."""
    grouped = (
        classify(frame, structure)
        .filter(pl.col("side") != "excluded", pl.col("ansvar").is_not_null())
        .group_by("ansvar", "verksamhet", "area", "subarea", "side")
        .agg(pl.col("amount").cast(pl.Int128).sum())
        .collect()
    )
    out: dict[Cell, tuple[LeafKey, Sides]] = {}
    for ansvar, verksamhet, area, subarea, side, exact in grouped.iter_rows():
        amount = round_micro(exact)
        add = Sides(costs=-amount) if side == "costs" else Sides(revenues=-amount)
        leaf, before = out.get((ansvar, verksamhet), ((area, subarea), ZERO))
        out[(ansvar, verksamhet)] = (leaf, before + add)
    return out


def _share(total: int, part: int, whole: int) -> int:
    """``total`` × part / whole, rounded once; nothing to share by gives nothing."""
    return 0 if whole == 0 else round_ore(Fraction(total * part, whole))


def unit_lines(
    ledger: pl.DataFrame,
    budget: pl.DataFrame,
    structure: pl.DataFrame,
    year: int,
    period: int,
    leaf_forecasts: dict[LeafKey, Sides],
    previous: dict[Cell, tuple[int | None, int | None]] | None = None,
) -> dict[str, list[UnitLine]]:
    """Every ansvar's rows: the verksamheter it has budget or outcome for this year, with
    its own forecast of the last collection (``previous``, report signs) where it gave one."""
    actual = sides_by_cell(
        ledger.lazy().filter(pl.col("year") == year, pl.col("period") <= period), structure
    )
    has_ansvar = budget.filter(pl.col("ansvar").is_not_null()).height > 0
    budgeted = (
        sides_by_cell(budget.lazy().filter(pl.col("year") == year), structure) if has_ansvar else {}
    )
    leaf_actual: dict[LeafKey, Sides] = defaultdict(lambda: ZERO)
    for leaf, sides in actual.values():
        leaf_actual[leaf] = leaf_actual[leaf] + sides
    out: dict[str, list[UnitLine]] = defaultdict(list)
    for cell in sorted(set(actual) | set(budgeted)):
        leaf = (actual[cell] if cell in actual else budgeted[cell])[0]
        done = actual[cell][1] if cell in actual else ZERO
        planned = budgeted[cell][1] if cell in budgeted else ZERO
        if done == ZERO and planned == ZERO:
            continue  # a posting and its reversal: nothing to forecast
        forecast = leaf_forecasts.get(leaf, ZERO)
        whole = leaf_actual[leaf]
        suggestion = Sides(
            _share(forecast.costs, done.costs, whole.costs),
            _share(forecast.revenues, done.revenues, whole.revenues),
        )
        out[cell[0]].append(
            UnitLine(
                cell[0],
                cell[1],
                leaf[0],
                leaf[1],
                budgeted[cell][1] if cell in budgeted else (ZERO if has_ansvar else None),
                done,
                suggestion,
                (previous or {}).get(cell, (None, None)),
            )
        )
    return dict(out)


@dataclass(frozen=True)
class UnitRow:
    """One row of prognos.xlsx in report signs; a side left empty is None."""

    cell: Cell | None  # None: a row for the whole area or delområde
    costs: int | None
    revenues: int | None
    previous: tuple[int | None, int | None] = (None, None)  # the unit's own last forecast

    def side(self, name: str) -> int | None:
        return self.costs if name == "costs" else self.revenues

    @classmethod
    def entered(
        cls,
        cell: Cell | None,
        costs: int | None,
        revenues: int | None,
        previous: tuple[int | None, int | None] = (None, None),
    ) -> UnitRow:
        """A row as units enter it (positive öre, a side may be empty), in report signs."""
        return cls(
            cell, _cost(costs), _revenue(revenues), (_cost(previous[0]), _revenue(previous[1]))
        )

    @classmethod
    def of_forecast(cls, r: Mapping[str, Any]) -> UnitRow:
        """A row of prognos.xlsx as read (öre); a unit's row has its (ansvar, verksamhet)."""
        cell = (r["ansvar"], r["verksamhet"]) if r["ansvar"] and r["verksamhet"] else None
        return cls.entered(
            cell, r["costs"], r["revenues"], (r.get("previous_costs"), r.get("previous_revenues"))
        )


def _cost(ore: int | None) -> int | None:
    return None if ore is None else -abs(ore)


def _revenue(ore: int | None) -> int | None:
    return None if ore is None else abs(ore)


@dataclass(frozen=True)
class LeafUnits:
    """A leaf's forecast from its rows: the total, per unit cell, and who gave none."""

    value: Sides
    cells: dict[Cell, Sides]  # every unit cell's forecast, given or the reserve's share
    missing: int  # units without any forecast of their own
    units: int


def unit_forecast(rows: list[UnitRow], reserve: Sides, cells: dict[Cell, Sides]) -> LeafUnits:
    """A leaf's forecast from its rows, with the units that gave none.

    Rows for the whole leaf add up as they stand, and a side none of them gives is the
    ``reserve`` forecast. Where units forecast their own rows, each unit (a cell with outcome
    in ``cells``, or a row) without a forecast for a side gets its share of the reserve
    forecast by outcome to date, as its suggestion in the underlag had it.
    """
    unit_rows = [r for r in rows if r.cell is not None]
    whole_rows = [r for r in rows if r.cell is None]
    per_cell: dict[Cell, dict[str, int]] = {
        c: {"costs": 0, "revenues": 0}
        for c in [*cells, *(r.cell for r in unit_rows if r.cell is not None)]
    }
    totals = {}
    for side in ("costs", "revenues"):
        given = [v for r in whole_rows if (v := r.side(side)) is not None]
        have = set()
        for r in unit_rows:
            if (v := r.side(side)) is not None and r.cell is not None:
                per_cell[r.cell][side] += v
                have.add(r.cell)
        if unit_rows:
            whole = sum(s.side(side) for s in cells.values())
            for c, s in cells.items():
                if c not in have:
                    per_cell[c][side] = _share(reserve.side(side), s.side(side), whole)
        total = sum(given) + sum(v[side] for v in per_cell.values()) if unit_rows else sum(given)
        if not unit_rows and not given:
            total = reserve.side(side)
        totals[side] = total
    answered = {r.cell for r in unit_rows if r.costs is not None or r.revenues is not None}
    return LeafUnits(
        Sides(totals["costs"], totals["revenues"]),
        {c: Sides(v["costs"], v["revenues"]) for c, v in per_cell.items()} if unit_rows else {},
        len(set(per_cell) - answered) if unit_rows else 0,
        len(per_cell) if unit_rows else 0,
    )


def own_change(rows: list[UnitRow]) -> int | None:
    """How much a unit changed its own forecast since it last gave one, net, öre.

    Only sides it gave both times count: a side it left to the reserve method either time
    says nothing about its judgement. None when no side was given both times.
    """
    change, compared = 0, False
    for r in rows:
        for now, then in ((r.costs, r.previous[0]), (r.revenues, r.previous[1])):
            if now is not None and then is not None:
                change += now - then
                compared = True
    return change if compared else None


@dataclass(frozen=True)
class UnitStatus:
    """One unit's forecast as the report shows it: against its budget and its last one."""

    ansvar: str
    unit: str | None
    places: tuple[str, ...]  # "Område › Delområde" of its rows
    budget: Sides | None  # None: the budget has no ansvar column
    forecast: Sides  # its own forecast, an empty side at its share of the reserve
    change: int | None  # own_change of its rows
    comments: tuple[str, ...]
    measures: tuple[str, ...]

    @property
    def variance(self) -> int | None:
        """Forecast net against budget net: negative is a deficit."""
        return None if self.budget is None else self.forecast.net - self.budget.net
