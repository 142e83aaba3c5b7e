"""Volumes (volymer): outcome against budget per measure and month, and the volume forecast.

A volume forecast for the year is the outcome of the months reported plus the
months left, either at the recent run-rate (the mean of the last three months
with an outcome: ``takt``) or at the budgeted volume (``budget``). Times the
unit price it forecasts the leaf's costs (method ``volym``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import polars as pl

from budget.core.ledger import LeafKey
from budget.core.methods import VolumeRest
from budget.core.money import round_ore

RUN_RATE_MONTHS = 3


@dataclass(frozen=True)
class Measure:
    """One measure of one leaf for one year."""

    area: str
    subarea: str | None
    measure: str
    budget: tuple[float | None, ...]  # 12 months
    actual: tuple[float | None, ...]  # 12 months; None = no outcome
    price: float
    period: int
    rest: VolumeRest

    @property
    def leaf(self) -> LeafKey:
        return (self.area, self.subarea)

    @property
    def budget_total(self) -> float:
        return sum(v or 0.0 for v in self.budget)

    @property
    def actual_to_date(self) -> float:
        return sum(v or 0.0 for v in self.actual[: self.period])

    @property
    def forecast_volume(self) -> Fraction:
        """Outcome to date plus the months left (see the module docstring)."""
        done = sum((Fraction(str(v or 0.0)) for v in self.actual[: self.period]), Fraction(0))
        left = 12 - self.period
        if left == 0:
            return done
        if self.rest == VolumeRest.BUDGET:
            return done + sum(
                (Fraction(str(v or 0.0)) for v in self.budget[self.period :]), Fraction(0)
            )
        recent = [v for v in self.actual[: self.period] if v is not None][-RUN_RATE_MONTHS:]
        if not recent:
            return done + sum(
                (Fraction(str(v or 0.0)) for v in self.budget[self.period :]), Fraction(0)
            )
        rate = sum((Fraction(str(v)) for v in recent), Fraction(0)) / len(recent)
        return done + rate * left

    @property
    def forecast_cost(self) -> int:
        """Forecast volume × price, in öre (a positive cost)."""
        return round_ore(self.forecast_volume * Fraction(str(self.price)) * 100)


def measures(
    volumes: pl.DataFrame | None, year: int, period: int, rest: VolumeRest
) -> list[Measure]:
    """The measures of a year, in the order of the workbook."""
    if volumes is None:
        return []
    rows = volumes.filter(pl.col("year") == year)
    out = []
    keys = rows.select("area", "subarea", "measure").unique(maintain_order=True)
    for area, subarea, measure in keys.iter_rows():
        part = rows.filter(
            (pl.col("area") == area)
            & (pl.col("measure") == measure)
            & (pl.col("subarea").eq_missing(subarea))
        )
        budget: list[float | None] = [None] * 12
        actual: list[float | None] = [None] * 12
        prices: dict[int, float] = {}
        for r in part.sort("period").iter_rows(named=True):
            m = r["period"] - 1
            if r["budget_volume"] is not None:
                budget[m] = (budget[m] or 0.0) + r["budget_volume"]
            if r["volume"] is not None and r["period"] <= period:
                actual[m] = (actual[m] or 0.0) + r["volume"]
            prices[r["period"]] = r["price"]
        upto = [m for m in prices if m <= period]
        price = prices[max(upto)] if upto else prices[min(prices)]
        out.append(
            Measure(area, subarea, measure, tuple(budget), tuple(actual), price, period, rest)
        )
    return out


def leaf_costs(items: list[Measure]) -> dict[LeafKey, int]:
    """Forecast costs per leaf (öre, positive), summed over its measures."""
    out: dict[LeafKey, int] = {}
    for m in items:
        out[m.leaf] = out.get(m.leaf, 0) + m.forecast_cost
    return out
