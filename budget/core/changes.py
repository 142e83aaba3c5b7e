"""Budget changes: omslutningsförändringar and budgetjusteringar, the bridge, the decision.

An omslutningsförändring (``turnover`` here) raises the cost and the revenue
budget by the same amount: its net effect is zero. A budgetjustering
(``adjustment``) changes the net budget. In ``forandringar.xlsx`` both columns
are positive when the budget rises; in report signs that is costs −, revenues +.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

import polars as pl

from budget.core.ledger import LeafKey
from budget.core.money import ZERO, Sides

TURNOVER = "omslutning"
ADJUSTMENT = "justering"
GRANTED = "beviljad"
REQUESTED = "begard"
PENDING = "vantande"  # requested in an earlier report, not yet granted: not in the budget

KIND_LABELS = {TURNOVER: "Omslutningsförändring", ADJUSTMENT: "Budgetjustering"}
STATUS_LABELS = {GRANTED: "Beviljad", REQUESTED: "Begärd", PENDING: "Väntande"}
BRIDGE_STEPS = ("original", "granted_adjustments", "granted_turnover", "requested", "revised")
BRIDGE_LABELS = {
    "original": "Ursprunglig budget",
    "granted_adjustments": "Beviljade budgetjusteringar",
    "granted_turnover": "Beviljade omslutningsförändringar",
    "requested": "Begärt i denna rapport",
    "revised": "Reviderad budget",
}


@dataclass(frozen=True)
class Change:
    """One row of forandringar.xlsx; amounts in öre as written (positive = budget rises)."""

    kind: str
    status: str
    area: str
    subarea: str | None
    costs: int
    revenues: int
    description: str
    financier: str | None = None
    diarienummer: str | None = None
    file: str = ""
    sheet: str = ""
    row: int = 0
    # The register (contract §8): the period of the report that requests the change and
    # the first period from which it counts as granted; None where the file does not say.
    requested_in: int | None = None
    granted_in: int | None = None

    @property
    def effect(self) -> Sides:
        """The change to the budget in report signs."""
        return Sides(costs=-self.costs, revenues=self.revenues)

    @property
    def leaf(self) -> LeafKey:
        return (self.area, self.subarea)


def from_frame(frame: pl.DataFrame | None) -> list[Change]:
    if frame is None:
        return []
    return [
        Change(
            r["kind"],
            r["status"] or "",
            r["area"],
            r["subarea"],
            r["costs"],
            r["revenues"],
            r["description"],
            r["financier"],
            r["diarienummer"],
            r["file"],
            r["sheet"],
            r["row"],
            r.get("requested_in"),
            r.get("granted_in"),
        )
        for r in frame.iter_rows(named=True)
    ]


def status_at(change: Change, period: int) -> str | None:
    """The change's status in the report for ``period``; None when that report ignores it.

    A row with ``Begärd i`` or ``Beviljad i`` is read as a register: granted from
    ``Beviljad i``, requested in the report of ``Begärd i``, pending after it until
    granted, not yet there before it. A row with neither keeps its ``Status``.
    """
    if change.requested_in is None and change.granted_in is None:
        return change.status
    if change.granted_in is not None and change.granted_in <= period:
        return GRANTED
    if change.requested_in is None or change.requested_in > period:
        return None
    return REQUESTED if change.requested_in == period else PENDING


def as_of(changes: list[Change], period: int) -> list[Change]:
    """The changes as the report for ``period`` sees them, each with its status then."""
    out = []
    for change in changes:
        status = status_at(change, period)
        if status is not None:
            out.append(replace(change, status=status))
    return out


def in_budget(changes: list[Change]) -> list[Change]:
    """The changes that move the budget: granted and requested, not pending."""
    return [c for c in changes if c.status != PENDING]


def step_of(change: Change) -> str:
    if change.status == REQUESTED:
        return "requested"
    return "granted_turnover" if change.kind == TURNOVER else "granted_adjustments"


@dataclass(frozen=True)
class Bridge:
    """original → granted justeringar → granted omslutning → requested → revised, per leaf."""

    steps: dict[LeafKey, dict[str, Sides]]

    def revised(self, leaf: LeafKey) -> Sides:
        return self.steps.get(leaf, {}).get("revised", ZERO)


def bridge(original: dict[LeafKey, Sides], changes: list[Change]) -> Bridge:
    """Apply the changes to the original budget; every step is kept for the report."""
    steps: dict[LeafKey, dict[str, Sides]] = defaultdict(lambda: dict.fromkeys(BRIDGE_STEPS, ZERO))
    for leaf, sides in original.items():
        steps[leaf]["original"] = sides
    for change in in_budget(changes):
        leaf = change.leaf
        step = step_of(change)
        steps[leaf][step] = steps[leaf][step] + change.effect
    for values in steps.values():
        values["revised"] = (
            values["original"]
            + values["granted_adjustments"]
            + values["granted_turnover"]
            + values["requested"]
        )
    return Bridge(dict(steps))


def turnover_by_leaf(changes: list[Change]) -> dict[LeafKey, Sides]:
    """Omslutningsförändringar, granted and requested, per leaf in report signs (net zero)."""
    out: dict[LeafKey, Sides] = defaultdict(lambda: ZERO)
    for change in in_budget(changes):
        if change.kind == TURNOVER:
            out[change.leaf] = out[change.leaf] + change.effect
    return dict(out)


def requested_turnover(changes: list[Change]) -> int:
    """Requested omslutningsförändringar, öre, as the rise of the cost budget."""
    return sum(c.costs for c in changes if c.status == REQUESTED and c.kind == TURNOVER)


def requested_adjustment(changes: list[Change]) -> int:
    """Requested budgetjusteringar: change of the net budget in report signs, öre."""
    return sum(c.effect.net for c in changes if c.status == REQUESTED and c.kind == ADJUSTMENT)
