"""What the sections' data is built from (``Section.build``): the prepared inputs, the
computed figures, the earlier reports (the previous report, the archive, the year's
earlier reports) and the clock. What several sections read is computed here once, on
first use: the goals, the forecast history, the investment projects, the åtgärder, the
review items (Att granska), the earlier years' reported forecasts, the förslag till beslut."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from budget.core import goals, investments, measures, register, review
from budget.core.accuracy import Archived, Reported, reported_record
from budget.core.analysis import Account, account, pick
from budget.core.figures import Figures, Prepared
from budget.core.frames import Inputs
from budget.core.goals import Goals
from budget.core.investments import Project
from budget.core.measures import Measure
from budget.core.methods import Method
from budget.core.period import Period
from budget.core.register import HistoryPoint
from budget.core.settings import OWN_ANSLAG, Settings
from budget.report import decision
from budget.report.model import ReviewItem


@dataclass
class Context:
    prepared: Prepared
    figures: Figures
    generated_at: datetime
    # The previous report's JSON as data, and its file name (``--previous``).
    previous: tuple[dict[str, Any], str] | None = None
    # Earlier years' reports (the arkiv folders) and this year's earlier reports.
    archived: tuple[Archived, ...] = ()
    earlier: tuple[Archived, ...] = ()

    @property
    def inputs(self) -> Inputs:
        return self.prepared.inputs

    @property
    def settings(self) -> Settings:
        settings = self.prepared.inputs.settings
        assert settings is not None
        return settings

    @property
    def period(self) -> Period:
        return self.prepared.period

    @property
    def year(self) -> int:
        return self.prepared.period.year

    @property
    def month(self) -> int:
        return self.prepared.period.month

    @cached_property
    def goals(self) -> Goals:
        return goals.build(self.inputs.indicators, self.inputs.assessments, self.month)

    @cached_property
    def history(self) -> tuple[HistoryPoint, ...]:
        """Each area's forecast in every report of the year so far, this one last."""
        now = {ln.area: ln.forecast.net for ln in self.figures.lines if ln.is_area}
        return register.history(list(self.earlier), self.month, now)

    @cached_property
    def projects(self) -> tuple[Project, ...]:
        """investeringar.xlsx: budget, spending and forecast per project (contract §6)."""
        inputs = self.inputs
        return investments.projects(inputs.investments, inputs.ledger, self.year, self.month)

    @cached_property
    def investment_decisions(self) -> tuple[str, ...]:
        """The decision points about investment projects (in the förslag and the begäran)."""
        unit = self.settings.unit
        return tuple(decision.investment_points(self.projects, self.year, unit))

    @cached_property
    def measures(self) -> tuple[Measure, ...]:
        """atgarder.xlsx: the förvaltning's åtgärder (contract §7)."""
        return measures.items(self.inputs.measures)

    @cached_property
    def analysis(self) -> Account:
        """analys.docx (contract §7): each heading's part and the warnings about the text."""
        source = pick(self.inputs.analyses, self.period.suffix)
        return account(source, self.figures.lines, self.settings.unit)

    @cached_property
    def review(self) -> tuple[ReviewItem, ...]:
        """What the nämnd should look into (Att granska), each with its code and area."""
        settings, lines = self.settings, self.figures.lines
        return tuple(
            review.review(
                review.Facts(
                    lines=lines,
                    unit=settings.unit,
                    threshold=review.threshold(settings.unit, settings.review_deficit),
                    measures=self.measures,
                    changes=self.figures.changes,
                    manual_areas=frozenset(
                        ln.area
                        for ln in lines
                        if ln.is_area and settings.method_for(ln.area) == Method.MANUAL
                    ),
                    projects=self.projects,
                    decision=self.decision,
                    history=self.history,
                    analysis=self.analysis.analysis,
                )
            )
        )

    @cached_property
    def reported(self) -> Reported | None:
        """Earlier years' T1 and T2 forecasts against their outcome (the archive)."""
        areas = set(self.figures.by_area)
        return reported_record(list(self.archived), self.prepared.monthly, areas)

    @cached_property
    def decision(self) -> tuple[str, ...]:
        """The förslag till beslut."""
        changes = list(self.figures.changes)
        unit = self.settings.unit
        anslag_of = _separate(self.settings)
        return tuple(
            decision.proposal(self.year, self.month, changes, unit, anslag_of, self.projects)
        )


def _separate(settings: Settings) -> Callable[[str], str | None]:
    """An area's anslag when it is a separate one (not Nämndens verksamhet)."""

    def of(area: str) -> str | None:
        name = settings.anslag_of(area)
        return None if name == OWN_ANSLAG else name

    return of
