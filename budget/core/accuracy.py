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
from budget.core.forecast import (
    METHODS,
    REPLAYABLE,
    Basis,
    MissingBasis,
    budget_shares,
    forecast,
    leaf_facts,
)
from budget.core.ledger import UNMAPPED, LeafKey, Monthly, budget_by_leaf
from budget.core.methods import Method, VolumeRest
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
    # Every replayable method, unless it needs a budget for that year and there is none.
    methods = [m for m in REPLAYABLE if budgets or Basis.BUDGET not in METHODS[m].needs]
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
            # A method on volumes replays an area only where all its leaves have them.
            with_volumes = all(leaf in costs for leaf in leaves)
            candidates = [
                m for m in methods if with_volumes or Basis.VOLUMES not in METHODS[m].needs
            ]
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


# The reported forecasts: what the nämnd was told at T1 and T2 of earlier years, against
# what came. The earlier reports arrive as data (read by ``edge.previous``).
REPORTED_PERIODS = {Tertial.T1.month: Tertial.T1, Tertial.T2.month: Tertial.T2}


@dataclass(frozen=True)
class GivenArea:
    """One verksamhetsområde (or the nämnd, area "") in an earlier report: net, öre."""

    area: str
    budget: int
    actual: int
    forecast: int


@dataclass(frozen=True)
class Archived:
    """An earlier year's report, as far as the comparison needs it."""

    file: str
    year: int
    period: int
    generated_at: str
    areas: tuple[GivenArea, ...]
    total: GivenArea

    def same_figures(self, other: Archived) -> bool:
        return (self.areas, self.total) == (other.areas, other.total)


@dataclass(frozen=True)
class Given:
    """A forecast the nämnd was given, against the year's outcome (net, öre)."""

    tertial: Tertial
    area: str | None  # None: the nämnd as a whole
    forecast: int
    budget: int  # the revised budget that report gave; percentages are of it
    actual: int | None  # None: this year's structure has no such area

    @property
    def error(self) -> int | None:
        return None if self.actual is None else self.forecast - self.actual

    @property
    def error_pct(self) -> float | None:
        if self.error is None or self.budget == 0:
            return None
        return round(100 * self.error / abs(self.budget), 2)


@dataclass(frozen=True)
class GivenYear:
    """One earlier year: the forecasts of its T1 and T2 reports against its outcome."""

    year: int
    outcome: str  # "huvudboken", or the year-end report's file name
    reports: tuple[tuple[Tertial, str], ...]  # each compared report and its file
    areas: tuple[str, ...]  # in the reports' order
    rows: tuple[Given, ...]
    totals: tuple[Given, ...]

    @property
    def tertials(self) -> tuple[Tertial, ...]:
        return tuple(t for t, _ in self.reports)

    def row(self, area: str, tertial: Tertial | str) -> Given | None:
        return next((g for g in self.rows if (g.area, g.tertial) == (area, tertial)), None)

    def total(self, tertial: Tertial | str) -> Given | None:
        return next((g for g in self.totals if g.tertial == tertial), None)

    @property
    def unmatched(self) -> tuple[str, ...]:
        """The reports' areas that have no outcome (not in this year's structure)."""
        return tuple(dict.fromkeys(g.area for g in self.rows if g.actual is None and g.area))


@dataclass(frozen=True)
class Reported:
    years: tuple[GivenYear, ...]  # newest first
    not_compared: tuple[tuple[str, str], ...]  # (file, why)

    def year(self, year: int) -> GivenYear | None:
        return next((y for y in self.years if y.year == year), None)


def reported_record(archived: list[Archived], monthly: Monthly, areas: set[str]) -> Reported | None:
    """Each earlier year's T1 and T2 forecasts against the year's outcome.

    The outcome is the ledger's, mapped by this year's structure, where the inputs hold
    the whole year; else the year-end report's (helår) actual, where one is archived.
    A year with neither is listed as not compared. One archive per year and period.
    """
    by_year: dict[int, dict[int, Archived]] = {}
    for a in archived:
        by_year.setdefault(a.year, {})[a.period] = a
    years: list[GivenYear] = []
    not_compared: list[tuple[str, str]] = []
    for y in sorted(by_year, reverse=True):
        reports = [by_year[y][m] for m in sorted(by_year[y]) if m in REPORTED_PERIODS]
        if not reports:
            continue
        outcome = _ledger_outcome(monthly, y, areas) if complete(monthly, y) else None
        source = "huvudboken"
        if outcome is None and 12 in by_year[y]:
            closing = by_year[y][12]
            outcome = ({a.area: a.actual for a in closing.areas}, closing.total.actual)
            source = closing.file
        if outcome is None:
            why = (
                f"utfallet för {y} saknas: huvudboken för hela {y} finns inte bland indata "
                f"och ingen helårsrapport för {y} finns i arkivet"
            )
            not_compared += [(r.file, why) for r in reports]
            continue
        actual, total_actual = outcome
        order = list(dict.fromkeys(a.area for r in reversed(reports) for a in r.areas))
        order = [a for a in order if a != UNMAPPED]
        rows, totals = [], []
        for r in reports:
            tertial = REPORTED_PERIODS[r.period]
            given = {a.area: a for a in r.areas}
            for area in order:
                if area in given:
                    g = given[area]
                    rows.append(Given(tertial, area, g.forecast, g.budget, actual.get(area)))
            totals.append(Given(tertial, None, r.total.forecast, r.total.budget, total_actual))
        years.append(
            GivenYear(
                y,
                source,
                tuple((REPORTED_PERIODS[r.period], r.file) for r in reports),
                tuple(order),
                tuple(rows),
                tuple(totals),
            )
        )
    if not years and not not_compared:
        return None
    return Reported(tuple(years), tuple(not_compared))


def _ledger_outcome(monthly: Monthly, year: int, areas: set[str]) -> tuple[dict[str, int], int]:
    """Net outcome per area of this year's structure, and in all (Ej fördelat included)."""
    per_area = dict.fromkeys(areas, 0)
    total_net = 0
    for leaf in monthly.leaves(year):
        net = monthly.ytd(year, leaf, 12).net
        total_net += net
        if leaf[0] in per_area:
            per_area[leaf[0]] += net
    return per_area, total_net
