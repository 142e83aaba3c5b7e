"""Resultatenheter and resultatöverföring (contract §6).

A resultatenhet (``Resultatenhet`` = Ja in struktur.xlsx, sheet Ansvar) carries its
surplus or deficit into next year, up to a share of its gross cost budget
(``[resultatoverforing] tak`` in namnd.toml; no limit without it). Its budget is its
rows in budget.xlsx; its forecast is its rows in prognos.xlsx, else the statistical
method (``[prognos] reserv``) on its own ledger rows. Result = forecast net − budget net
(report signs, + = överskott); transfer = the result within ± cap; what lies beyond the
cap falls to the nämnd.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import polars as pl

from budget.core import money
from budget.core.forecast import METHODS, MissingBasis, forecast, leaf_facts
from budget.core.ledger import Monthly, summarise
from budget.core.methods import Method
from budget.core.money import ZERO, Sides, round_ore

UNIT_FORECAST = "enhetens prognos"


@dataclass(frozen=True)
class ResultUnit:
    ansvar: str
    name: str | None
    budget: Sides
    forecast: Sides
    basis: str  # UNIT_FORECAST, or the method that forecast the unit's own rows
    cap_share: Fraction | None = None

    @property
    def result(self) -> int:
        """Forecast net − budget net, öre; + = överskott."""
        return self.forecast.net - self.budget.net

    @property
    def cap(self) -> int | None:
        """The most that carries over either way: the share of the gross cost budget."""
        if self.cap_share is None:
            return None
        return round_ore(self.cap_share * max(-self.budget.costs, 0))

    @property
    def transfer(self) -> int:
        """What carries over to next year: the result, within ± cap."""
        cap = self.cap
        return self.result if cap is None else max(-cap, min(cap, self.result))

    @property
    def to_namnd(self) -> int:
        """The part of the result beyond the cap, which stays with the nämnd."""
        return self.result - self.transfer


@dataclass(frozen=True)
class UnitTotal:
    """The resultatenheter summed: the one sum row of the report's table, sheet and JSON."""

    budget: Sides
    forecast: Sides
    result: int
    transfer: int
    to_namnd: int


def total(units: Sequence[ResultUnit]) -> UnitTotal:
    return UnitTotal(
        money.total([u.budget for u in units]),
        money.total([u.forecast for u in units]),
        sum(u.result for u in units),
        sum(u.transfer for u in units),
        sum(u.to_namnd for u in units),
    )


def unit_monthly(ledger: pl.DataFrame, units: list[str]) -> Monthly:
    """The units' own ledger rows summed per unit as if each were a leaf ``(ansvar, None)``."""
    rows = ledger.filter(pl.col("ansvar").is_in(units)).with_columns(
        pl.col("ansvar").alias("verksamhet")
    )
    pseudo = pl.DataFrame(
        {"verksamhet": units, "area": units, "subarea": [None] * len(units)},
        schema={"verksamhet": pl.String, "area": pl.String, "subarea": pl.String},
    )
    return summarise(rows, pseudo)


def own_forecast(
    monthly: Monthly, ansvar: str, year: int, period: int, budget: Sides, method: Method
) -> Sides:
    """The unit's forecast by ``method`` on its own ledger rows (budget spread evenly); a
    method without its basis there (volym, manuell) gives way to its record's
    ``unit_fallback``."""
    shares = tuple(Fraction(1, 12) for _ in range(12))
    facts = leaf_facts(monthly, year, period, (ansvar, None), budget, shares)
    try:
        return forecast(method, facts).value
    except MissingBasis:
        stand_in = METHODS[method].unit_fallback
        if stand_in is None:
            raise
        return forecast(stand_in, facts).value


def result_units(
    units: list[tuple[str, str | None]],
    budgets: dict[str, Sides],
    forecasts: dict[str, Sides],
    ledger: pl.DataFrame,
    year: int,
    period: int,
    method: Method,
    cap_share: Fraction | None,
) -> tuple[ResultUnit, ...]:
    """Each resultatenhet (code, name) with its budget, forecast, result and transfer.

    ``forecasts`` holds the units that returned a forecast (prognos.xlsx); the others
    are forecast by ``method`` on their own ledger rows.
    """
    if not units:
        return ()
    monthly = unit_monthly(ledger, [a for a, _ in units])
    out = []
    for ansvar, name in units:
        budget = budgets.get(ansvar, ZERO)
        if ansvar in forecasts:
            value, basis = forecasts[ansvar], UNIT_FORECAST
        else:
            value = own_forecast(monthly, ansvar, year, period, budget, method)
            basis = method.value
        out.append(ResultUnit(ansvar, name, budget, value, basis, cap_share))
    return tuple(out)
