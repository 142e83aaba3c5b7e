"""The report as plain data: computed once, rendered as JSON, HTML and Excel."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from budget.changes import Change
from budget.diagnostics import Diagnostic
from budget.goals import Goals
from budget.ledger import DrillLine, Reconciliation
from budget.money import Sides

if TYPE_CHECKING:
    from budget.accuracy import Accuracy
    from budget.previous import ForecastChange
    from budget.volumes import Measure


@dataclass(frozen=True)
class SourceFile:
    """An input file as read: for the report's about block and the validation summary."""

    name: str
    sha256: str
    rows: int = 0
    blank_rows: int = 0
    total_rows: int = 0
    errors: int = 0
    warnings: int = 0
    # Total rows skipped as not data: (sheet, cell of the label, the label).
    skipped: tuple[tuple[str, str, str], ...] = ()
    # How a text file was read: "CSV, semikolon, UTF-8", "SIE 4".
    note: str | None = None


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

    @property
    def variance(self) -> Sides:
        """Forecast − revised budget; positive net = överskott."""
        return self.forecast - self.budget

    @property
    def is_area(self) -> bool:
        return self.subarea is None


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
class Period:
    year: int
    month: int

    @property
    def tertial(self) -> str | None:
        return {4: "T1", 8: "T2", 12: "helar"}.get(self.month)

    @property
    def suffix(self) -> str:
        return self.tertial or f"{self.month:02d}"


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
    forecast_change: ForecastChange | None = None
    volumes: tuple[Measure, ...] = ()
    volume_rest: str = "takt"
    drill: dict[str, dict[str, list[DrillLine]]] = field(default_factory=dict)
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def area_lines(self) -> list[Line]:
        return [ln for ln in self.lines if ln.is_area]

    @property
    def name(self) -> str:
        """File stem of the report, e.g. skarholmen-2017-T2."""
        return f"{self.inputs_name}-{self.period.suffix}"
