"""The lines of the economy table and what goes with them: plain data the figures are made of.

A ``Line`` is an area, a delområde or the total (budget, outcome and forecast, costs and
revenues); ``BridgeLine`` an area's way from the original budget to the revised one;
``MonthlyPath`` an area's cumulative outcome and periodised budget for the chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from budget.core.ledger import UNASSIGNED_SUBAREA, UNMAPPED
from budget.core.money import ZERO, Sides


def unallocated(area: str, subarea: str | None) -> bool:
    """Ej fördelat (codes without area) or Ej fördelat på delområde."""
    return (subarea or area) in (UNMAPPED, UNASSIGNED_SUBAREA)


@dataclass(frozen=True)
class Comment:
    """A unit manager's comment on a manual forecast (prognosunderlag)."""

    subarea: str | None
    text: str
    by: str | None


@dataclass(frozen=True)
class Line:
    """One row of the economy table: an area, a delområde, or the total."""

    area: str
    subarea: str | None
    budget: Sides
    actual: Sides
    forecast: Sides
    method: str | None = None
    notes: tuple[str, ...] = ()
    comments: tuple[Comment, ...] = ()
    # The units' reasons for changing their forecast since the last report (prognos.xlsx).
    reasons: tuple[Comment, ...] = ()
    # The part of ``budget`` requested in this very report (not yet decided).
    requested: Sides = ZERO

    @property
    def decided(self) -> Sides:
        """The decided budget: original + granted changes, without this report's requests."""
        return self.budget - self.requested

    @property
    def variance(self) -> Sides:
        """Forecast − revised budget; positive net = överskott."""
        return self.forecast - self.budget

    @property
    def is_area(self) -> bool:
        return self.subarea is None

    @property
    def is_unallocated(self) -> bool:
        return unallocated(self.area, self.subarea)

    def holds(self, net_only: bool) -> bool:
        """Whether the line has anything in its net figures (or, with sides, in any)."""
        figures = (self.budget, self.actual, self.forecast)
        if net_only:
            return any(s.net != 0 for s in figures)
        return any(s != ZERO for s in figures)

    def shown(self, net_only: bool) -> bool:
        """The nämnd's document shows an unallocated line only when something is there.

        The JSON keeps every line (contract §2); tables of net figures hide an Ej fördelat
        line whose net figures are all zero, tables of costs and revenues one that is empty.
        """
        return not self.is_unallocated or self.holds(net_only)


@dataclass(frozen=True)
class BridgeLine:
    area: str
    steps: dict[str, Sides]


@dataclass(frozen=True)
class MonthlyPath:
    """Cumulative actual and periodised budget per month for one area (net, öre)."""

    area: str
    actual: tuple[int, ...]  # cumulative, months 1..period
    budget: tuple[int, ...]  # cumulative periodised revised budget, months 1..12
    forecast: int


@dataclass(frozen=True)
class Anslag:
    """A separate budget frame (ekonomiskt bistånd beside Nämndens verksamhet): the sum of
    its areas, whose deviation the nämnd reads on its own."""

    name: str
    areas: tuple[str, ...]
    budget: Sides
    actual: Sides
    forecast: Sides
    requested: Sides = ZERO

    @property
    def variance(self) -> Sides:
        """Forecast − revised budget; positive net = överskott."""
        return self.forecast - self.budget
