"""The report as plain data: computed once, rendered as JSON, HTML and Excel.

The lines, anslag and unit collection are core types (``core.lines``, ``core.units``),
named here too so that a renderer imports the report's types from one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import TYPE_CHECKING

from budget.core.changes import PENDING, REQUESTED, Change
from budget.core.collection import UnitStatus
from budget.core.fmt import half_unit
from budget.core.frames import SourceFile
from budget.core.goals import Goals
from budget.core.investments import Project, ProjectTotal
from budget.core.investments import total as investments_total
from budget.core.ledger import UNMAPPED, DrillLine, Reconciliation
from budget.core.lines import (
    Anslag,
    BridgeLine,
    Comment,
    Line,
    MonthlyPath,
    unallocated,
)
from budget.core.measures import Measures
from budget.core.methods import VolumeRest
from budget.core.money import ZERO, Sides
from budget.core.period import Period
from budget.core.register import HistoryPoint
from budget.core.review import Item as ReviewItem
from budget.core.transfer import ResultUnit, UnitTotal
from budget.core.transfer import total as transfer_total
from budget.core.units import Collection
from budget.diagnostics import Diagnostic

__all__ = [
    "Anslag",
    "AreaChange",
    "BridgeLine",
    "Collection",
    "Comment",
    "ForecastChange",
    "Line",
    "MonthlyPath",
    "Report",
    "ReviewItem",
]

if TYPE_CHECKING:
    from budget.core.accuracy import Accuracy, Reported
    from budget.core.volumes import Measure, PriceVolume


@dataclass(frozen=True)
class AreaChange:
    area: str
    subarea: str | None
    previous: int  # forecast net, öre
    current: int
    reasons: tuple[Comment, ...]  # the units' reasons for the change (prognos.xlsx)
    method: str | None = None

    @property
    def change(self) -> int:
        return self.current - self.previous

    @property
    def unallocated(self) -> bool:
        return unallocated(self.area, self.subarea)


@dataclass(frozen=True)
class ForecastChange:
    previous_period: int
    previous_tertial: str | None
    previous_title: str
    source: str
    rows: tuple[AreaChange, ...]


@dataclass(frozen=True)
class Report:
    namnd: str
    inputs_name: str
    period: Period
    unit: str
    title: str
    lines: tuple[Line, ...]
    total: Line
    bridge: tuple[BridgeLine, ...]
    bridge_total: dict[str, Sides]
    changes: tuple[Change, ...]
    requested_turnover: int
    requested_adjustment: int
    decision: tuple[str, ...]
    goals: Goals
    reconciliation: Reconciliation
    paths: tuple[MonthlyPath, ...]
    warnings: tuple[Diagnostic, ...]
    files: tuple[SourceFile, ...]
    generated_at: datetime
    version: str
    accuracy: Accuracy | None = None
    # Earlier years' T1 and T2 forecasts against their outcome (archived reports).
    reported: Reported | None = None
    forecast_change: ForecastChange | None = None
    volumes: tuple[Measure, ...] = ()
    volume_rest: VolumeRest = VolumeRest.RUN_RATE
    # Each measure's cost variance split into volume and price (contract §9).
    volume_analysis: tuple[PriceVolume, ...] = ()
    drill: dict[str, dict[str, list[DrillLine]]] = field(default_factory=dict)
    # Front matter of the tjänsteutlåtande (namnd.toml); dated the day it is made by default.
    collection: Collection | None = None
    units: tuple[UnitStatus, ...] = ()  # the units that returned a forecast
    diarienummer: str | None = None
    handlaggare: str | None = None
    dated: date | None = None
    # Nämndens verksamhet first, then each anslag of [anslag] in namnd.toml (contract §6).
    anslag: tuple[Anslag, ...] = ()
    # The resultatenheter and what their results carry over (contract §6).
    result_units: tuple[ResultUnit, ...] = ()
    transfer_cap: Fraction | None = None
    # investeringar.xlsx: budget, spending and forecast per project (contract §6).
    investments: tuple[Project, ...] = ()
    # Each area's forecast in every report of the year so far, this one last (contract §8).
    forecast_history: tuple[HistoryPoint, ...] = ()
    # atgarder.xlsx: the measures and the bridge from the forecast (contract §7).
    measures: Measures = field(default_factory=Measures)
    # Att granska (contract §7): one item per question the figures raise.
    review: tuple[ReviewItem, ...] = ()

    def review_of(self, area: str) -> list[ReviewItem]:
        """The review items about an area, shown beside its figures."""
        return [i for i in self.review if i.area == area]

    @property
    def investment_total(self) -> ProjectTotal:
        return investments_total(self.investments)

    @property
    def transfer_total(self) -> UnitTotal:
        return transfer_total(self.result_units)

    @property
    def date(self) -> date | None:
        """The document's date: namnd.toml's ``datum``, else the day it is made when that
        day can be the document's (in the report year, or within half a year after the
        period); a report of another year made today has no date rather than today's."""
        if self.dated is not None:
            return self.dated
        made = self.generated_at.date()
        year, month = self.period.year, self.period.month
        end = date(year + (month == 12), month % 12 + 1, 1)  # the day after the period
        latest = date(end.year + (end.month > 6), (end.month + 5) % 12 + 1, 1)
        return made if date(year, 1, 1) <= made < latest else None

    @property
    def area_lines(self) -> list[Line]:
        return [ln for ln in self.lines if ln.is_area]

    def shown_lines(self, net_only: bool = True) -> list[Line]:
        """The lines a table of the document shows (see ``Line.shown``)."""
        return [ln for ln in self.lines if ln.shown(net_only)]

    def shown_areas(self, net_only: bool = True) -> list[Line]:
        return [ln for ln in self.area_lines if ln.shown(net_only)]

    def unit_deficits(self) -> list[UnitStatus]:
        """Units whose own forecast is under their budget by at least a shown tkr, worst first."""
        short = [u for u in self.units if (u.variance or 0) <= -half_unit("tkr")]
        return sorted(short, key=lambda u: (u.variance or 0, u.ansvar))

    def unit_changes(self, most: int = 10) -> list[UnitStatus]:
        """The units that changed their own forecast most since the last collection."""
        moved = [u for u in self.units if abs(u.change or 0) >= half_unit("tkr")]
        return sorted(moved, key=lambda u: (-abs(u.change or 0), u.ansvar))[:most]

    def missing_units(self) -> list[str]:
        """The units that have not returned a forecast, by code and name."""
        if self.collection is None:
            return []
        names = self.collection.names
        return [f"{a} {names[a]}" if names.get(a) else a for a in self.collection.missing]

    def budget_changes(self) -> list[Change]:
        """The changes in this report's budget: granted, and requested in this report."""
        return [c for c in self.changes if c.status != PENDING]

    def pending_changes(self) -> list[Change]:
        """Requested in an earlier report, not yet granted: shown apart, not in the budget."""
        return [c for c in self.changes if c.status == PENDING]

    @property
    def has_requests(self) -> bool:
        return any(c.status == REQUESTED for c in self.changes)

    @property
    def decided_differs(self) -> bool:
        """Whether a requested budgetjustering makes any net budget differ from the decided one."""
        return any(ln.decided.net != ln.budget.net for ln in self.lines)

    def shown_bridge(self) -> list[BridgeLine]:
        return [
            b for b in self.bridge if b.area != UNMAPPED or any(v != ZERO for v in b.steps.values())
        ]

    def shown_paths(self) -> list[MonthlyPath]:
        return [
            p
            for p in self.paths
            if p.area != UNMAPPED or any(p.actual) or any(p.budget) or p.forecast
        ]

    @property
    def name(self) -> str:
        """File stem of the report, e.g. skarholmen-2017-T2."""
        return f"{self.inputs_name}-{self.period.suffix}"
