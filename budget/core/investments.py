"""Investeringar (contract §6): budget, spending to date and forecast per project.

Amounts are expenditure, positive öre. Spending to date is the workbook's ``Utgifter``;
where a project leaves it empty (or the workbook has no such column), it is the sum of the
ledger rows whose ``Projekt`` names the project, in the report year up to the period
(any account: investment spending is booked on balance-sheet accounts). Variance =
budget − forecast (positive = less spent than budgeted).

A project needs a decision when its forecast is off its budget by at least
``DECISION_SHARE`` of the budget (and a tenth of a million kronor): an underspend is
proposed to be moved to next year (ombudgetering), an overspend needs more budget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import polars as pl

from budget.core.money import round_micro

DECISION_SHARE = Fraction(1, 10)
DECISION_FLOOR = 100_000_00  # öre: 100 000 kr


@dataclass(frozen=True)
class Project:
    project: str
    name: str
    area: str | None
    budget: int
    spent: int
    forecast: int
    comment: str | None
    spent_from_ledger: bool

    @property
    def variance(self) -> int:
        """Budget − forecast; positive = less spent than budgeted."""
        return self.budget - self.forecast

    @property
    def decision(self) -> str | None:
        """What the nämnd should decide about the project, if anything."""
        off = abs(self.variance)
        if off < DECISION_FLOOR or off < DECISION_SHARE * abs(self.budget):
            return None
        if self.variance > 0:
            return "ombudgetering till nästa år"
        return "utökad investeringsbudget"


@dataclass(frozen=True)
class ProjectTotal:
    """The projects summed: the one sum row of the report's table, sheet and JSON."""

    budget: int
    spent: int
    forecast: int

    @property
    def variance(self) -> int:
        return self.budget - self.forecast


def total(projects: Sequence[Project]) -> ProjectTotal:
    return ProjectTotal(
        sum(p.budget for p in projects),
        sum(p.spent for p in projects),
        sum(p.forecast for p in projects),
    )


def projects(
    frame: pl.DataFrame | None, ledger: pl.DataFrame, year: int, period: int
) -> tuple[Project, ...]:
    """The projects of investeringar.xlsx, in its order, with spending filled from the ledger."""
    if frame is None or not frame.height:
        return ()
    booked = (
        ledger.filter(
            pl.col("project").is_not_null(),
            pl.col("year") == year,
            pl.col("period") <= period,
        )
        .group_by("project")
        .agg(pl.col("amount").cast(pl.Int128).sum())
    )
    from_ledger = {p: round_micro(int(a)) for p, a in booked.iter_rows()}
    out = []
    for r in frame.iter_rows(named=True):
        given = r["spent"]
        out.append(
            Project(
                r["project"],
                r["name"],
                r["area"],
                int(r["budget"]),
                int(given) if given is not None else from_ledger.get(r["project"], 0),
                int(r["forecast"]),
                r["comment"],
                given is None,
            )
        )
    return tuple(out)
