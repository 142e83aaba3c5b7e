"""The förslag till beslut, worded for the period and listing only the points that apply."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from budget.core import fmt
from budget.core.changes import ADJUSTMENT, REQUESTED, TURNOVER, Change
from budget.core.investments import Project
from budget.core.names import normalize_header
from budget.core.period import Tertial

# What each tertial's report is called, in running text.
REPORT_NAMES = {
    Tertial.T1: "tertialrapport 1",
    Tertial.T2: "tertialrapport 2",
    Tertial.YEAR: "verksamhetsberättelse",
}


def report_name(year: int, period: int) -> str:
    """What the report is called: tertialrapport 1/2, verksamhetsberättelse or månadsrapport."""
    tertial = Tertial.of_month(period)
    if tertial is not None:
        return f"{REPORT_NAMES[tertial]} {year}"
    return f"månadsrapport {fmt.MONTHS[period - 1]} {year}"


def report_title(year: int, period: int) -> str:
    name = report_name(year, period)
    return name[0].upper() + name[1:]


def proposal(
    year: int,
    period: int,
    changes: list[Change],
    unit: str = "mnkr",
    anslag_of: Callable[[str], str | None] = lambda area: None,
    projects: Sequence[Project] = (),
) -> list[str]:
    """The decision points, in the nämnd's own form. ``anslag_of`` names the separate
    anslag an area belongs to (None for Nämndens verksamhet): kommunstyrelsen decides
    per anslag, so an adjustment there says which."""
    name = report_name(year, period)
    points: list[str] = []
    if Tertial.of_month(period) is not None:
        points.append(
            f"Nämnden godkänner {name}, inklusive bilagor, och överlämnar den till kommunstyrelsen."
        )
    else:
        points.append(f"Nämnden godkänner {name}.")
    turnover = sum(c.costs for c in changes if c.status == REQUESTED and c.kind == TURNOVER)
    if turnover:
        points.append(
            "Nämnden begär omslutningsförändring om "
            f"{fmt.money_with_unit(turnover, unit)} enligt bilaga."
        )
    adjustments: dict[str, int] = {}
    for c in changes:
        if c.status == REQUESTED and c.kind == ADJUSTMENT:
            adjustments[c.area] = adjustments.get(c.area, 0) + (c.costs - c.revenues)
    for area, net_cost in sorted(adjustments.items()):
        if net_cost == 0:
            continue
        verb = "ökade" if net_cost > 0 else "minskade"
        anslag = anslag_of(area)
        within = (
            f" inom anslaget {fmt.inline(anslag)}"
            if anslag and normalize_header(anslag) != normalize_header(area)
            else ""
        )
        points.append(
            f"Nämnden begär budgetjustering för {verb} nettokostnader om "
            f"{fmt.money_with_unit(abs(net_cost), unit)} för {fmt.inline(area)}{within}."
        )
    points.extend(investment_points(projects, year, unit))
    if Tertial.of_month(period) is not None:
        points.append("Paragrafen förklaras omedelbart justerad.")
    return points


def investment_points(projects: Sequence[Project], year: int, unit: str) -> list[str]:
    """One decision point per investment project that needs one (contract §6, §7)."""
    points = []
    for p in projects:
        if p.decision is None:
            continue
        amount = fmt.money_with_unit(abs(p.variance), unit)
        if p.variance > 0:
            points.append(
                f"Nämnden begär ombudgetering av investeringsmedel om {amount} för projektet "
                f"{p.name} ({p.project}) till {year + 1}."
            )
        else:
            points.append(
                f"Nämnden begär utökad investeringsbudget om {amount} för projektet "
                f"{p.name} ({p.project})."
            )
    return points
