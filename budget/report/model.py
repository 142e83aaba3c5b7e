"""The report as plain data: computed once, rendered as JSON, HTML and Excel.

A header (what the report is, and the figures every section shares) and each section's own
data (``Report.parts``, whose types are the sections'). The lines, anslag and unit
collection are core types (``core.lines``, ``core.units``), named here too so that a
renderer imports the header's types from one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from budget.core import changes as ch
from budget.core.analysis import Analysis
from budget.core.changes import PENDING, REQUESTED, Change
from budget.core.frames import SourceFile
from budget.core.lines import (
    Anslag,
    BridgeLine,
    Comment,
    Line,
    MonthlyPath,
)
from budget.core.period import Period
from budget.core.review import Item as ReviewItem
from budget.core.units import Collection
from budget.diagnostics import Diagnostic

__all__ = [
    "Anslag",
    "BridgeLine",
    "Collection",
    "Comment",
    "Line",
    "MonthlyPath",
    "Report",
    "ReviewItem",
]


@dataclass(frozen=True)
class Report:
    """The report: a header (what it is, and the figures every section shares) and each
    section's own data in ``parts``, by the section's name (``Section.build`` makes it,
    ``Section.data`` reads it back typed)."""

    namnd: str
    inputs_name: str
    period: Period
    unit: str
    title: str
    # The figures: every line (areas and delområden), the total, the anslag (Nämndens
    # verksamhet first, then each anslag of [anslag] in namnd.toml, contract §6).
    lines: tuple[Line, ...]
    total: Line
    anslag: tuple[Anslag, ...]
    # The year's budget changes (granted, requested, pending) and the förslag till beslut.
    changes: tuple[Change, ...]
    decision: tuple[str, ...]
    # The points of the decision about investment projects (in the begäran too).
    investment_decisions: tuple[str, ...]
    # What the nämnd should look into (Att granska), each with its code and area.
    review: tuple[ReviewItem, ...]
    warnings: tuple[Diagnostic, ...]
    files: tuple[SourceFile, ...]
    generated_at: datetime
    version: str
    # Front matter of the tjänsteutlåtande (namnd.toml); dated the day it is made by default.
    diarienummer: str | None = None
    handlaggare: str | None = None
    dated: date | None = None
    # The förvaltning's analysis text (analys.docx, contract §7): the summary and each
    # area's part, as ``core.analysis`` models it; the summary, the areas' section and the
    # tjänsteutlåtande print it.
    analysis: Analysis | None = None
    # Each section's data by its name.
    parts: Mapping[str, object] = field(default_factory=dict)

    def review_numbered(self) -> list[tuple[int, ReviewItem]]:
        """The review items with their number in the document's list (Att granska)."""
        return list(enumerate(self.review, 1))

    def review_of(self, area: str) -> list[tuple[int, ReviewItem]]:
        """The numbered review items marked beside an area's row: those about the area
        that concern no investment project."""
        return [(n, i) for n, i in self.review_numbered() if i.area == area and i.project is None]

    def review_of_project(self, project: str) -> list[tuple[int, ReviewItem]]:
        """The numbered review items marked beside an investment project's row."""
        return [(n, i) for n, i in self.review_numbered() if i.project == project]

    def area_anchor(self, area: str) -> str | None:
        """The id of an area's row in the economy table, if the table shows it."""
        shown = [ln.area for ln in self.shown_areas()]
        return f"omrade-{shown.index(area) + 1}" if area in shown else None

    def project_anchor(self, project: str) -> str:
        """The id of an investment project's row in the investments table: its number as
        hex, so that any text a project number holds makes a valid, unique id."""
        return "projekt-" + project.encode("utf-8").hex()

    def review_target(self, item: ReviewItem) -> str | None:
        """Where the figure a review item concerns is shown: its project's row, else its
        area's row; None when the document shows no such row."""
        if item.project is not None:
            return self.project_anchor(item.project)
        return self.area_anchor(item.area) if item.area is not None else None

    @property
    def requested_turnover(self) -> int:
        return ch.requested_turnover(list(self.changes))

    @property
    def requested_adjustment(self) -> int:
        return ch.requested_adjustment(list(self.changes))

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

    @property
    def name(self) -> str:
        """File stem of the report, e.g. skarholmen-2017-T2."""
        return f"{self.inputs_name}-{self.period.suffix}"
