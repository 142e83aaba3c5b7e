"""Forecast accuracy (prognossäkerhet): how each method would have done last year.

With two complete years before the report year, every method is replayed at
T1 (April) and T2 (August) of the last complete year, with the year before as
its seasonal basis, and compared with that year's final outcome. The error is
forecast − outcome on net (report signs: positive = the forecast promised a
better result than came), in kronor and as a share of the area's budget for
that year (or of its outcome where budget.xlsx has no budget for that year).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import polars as pl

from budget.core import volumes
from budget.core.forecast import MissingBasis, budget_shares, forecast, leaf_facts
from budget.core.ledger import UNMAPPED, LeafKey, Monthly, budget_by_leaf
from budget.core.methods import REPLAYABLE, Method, VolumeRest
from budget.core.money import ZERO, Sides
from budget.core.period import Tertial

REPLAY_PERIODS = (Tertial.T1, Tertial.T2)


@dataclass(frozen=True)
class Replay:
    area: str
    method: Method
    tertial: Tertial
    forecast: int  # net, öre
    actual: int  # full-year net, öre
    base: int  # the budget (or outcome) the percentage is taken of

    @property
    def error(self) -> int:
        return self.forecast - self.actual

    @property
    def error_pct(self) -> float | None:
        if self.base == 0:
            return None
        return round(100 * self.error / abs(self.base), 2)


@dataclass(frozen=True)
class Accuracy:
    year: int
    base: str  # "budget" or "utfall"
    methods: tuple[Method, ...]
    rows: tuple[Replay, ...]
    best: dict[str, Method]

    def row(self, area: str, method: Method, tertial: Tertial) -> Replay | None:
        for r in self.rows:
            if (r.area, r.method, r.tertial) == (area, method, tertial):
                return r
        return None


def complete(monthly: Monthly, year: int) -> bool:
    return monthly.months_with_rows(year) == list(range(1, 13))


def track_record(
    monthly: Monthly,
    budget: pl.DataFrame,
    structure: pl.DataFrame,
    by_area: dict[str, list[str | None]],
    periodisation: list[tuple[str | None, int, float]],
    volume_frame: pl.DataFrame | None,
    year: int,
    rest: VolumeRest,
) -> Accuracy | None:
    """Replay the methods on the last complete year; None without two complete years."""
    last = year - 1
    if not (complete(monthly, last) and complete(monthly, last - 1)):
        return None
    budgets = budget_by_leaf(budget, structure, last)
    base = "budget" if budgets else "utfall"
    methods = [Method.LINEAR, Method.SEASONAL]
    if budgets:
        methods += [Method.BUDGET_REST, Method.BUDGET]
    rows: list[Replay] = []
    used: set[Method] = set()
    for tertial in REPLAY_PERIODS:
        period = tertial.month
        measures = volumes.measures(volume_frame, last, period, rest)
        costs = volumes.leaf_costs(measures)
        for area, subs in by_area.items():
            if area == UNMAPPED:
                continue
            leaves: list[LeafKey] = [(area, s) for s in subs]
            actual = sum(monthly.ytd(last, leaf, 12).net for leaf in leaves)
            area_budget = sum(budgets.get(leaf, ZERO).net for leaf in leaves)
            shares = budget_shares(periodisation, area)
            candidates = list(methods)
            if all(leaf in costs for leaf in leaves):
                candidates.append(Method.VOLUME)
            for method in candidates:
                net = _replay_area(
                    monthly, last, period, leaves, method, budgets, shares, costs.get
                )
                if net is None:
                    continue
                used.add(method)
                rows.append(
                    Replay(area, method, tertial, net, actual, area_budget if budgets else actual)
                )
    best = _best(rows)
    order = [m for m in REPLAYABLE if m in used]
    return Accuracy(last, base, tuple(order), tuple(rows), best)


def _best(rows: list[Replay]) -> dict[str, Method]:
    """Each area's method with the smallest mean absolute error (ties: by name)."""
    best: dict[str, Method] = {}
    for area in dict.fromkeys(r.area for r in rows):
        scores: dict[Method, list[int]] = {}
        for r in rows:
            if r.area == area:
                scores.setdefault(r.method, []).append(abs(r.error))
        best[area] = min(scores, key=lambda m: (Fraction(sum(scores[m]), len(scores[m])), m))
    return best


def _replay_area(
    monthly: Monthly,
    year: int,
    period: int,
    leaves: list[LeafKey],
    method: Method,
    budgets: dict[LeafKey, Sides],
    shares: tuple[Fraction, ...],
    volume_cost: Callable[[LeafKey], int | None],
) -> int | None:
    """An area's replayed net forecast: the sum of its leaves; None without basis."""
    net = 0
    try:
        for leaf in leaves:
            net += _replay(
                monthly,
                year,
                period,
                leaf,
                method,
                budgets.get(leaf, ZERO),
                shares,
                volume_cost(leaf),
            )
    except MissingBasis:
        return None
    return net


def _replay(
    monthly: Monthly,
    year: int,
    period: int,
    leaf: LeafKey,
    method: Method,
    budget: Sides,
    shares: tuple[Fraction, ...],
    volume_cost: int | None,
) -> int:
    facts = leaf_facts(monthly, year, period, leaf, budget, shares, None, volume_cost)
    return forecast(method, facts).value.net
