"""The report assembled: the figures, and what needs the clock or an earlier report.

The checks across files are ``checks.prepare``, the figures ``core.figures.compute``; here
they are put together with the track record, the archived years' reported forecasts, the
change since the previous report, drill-downs, goals and the decision text. Nothing is
computed here that a core function does not compute.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from budget import __version__
from budget.core import changes as ch
from budget.core import goals, investments, measures, register, review
from budget.core.accuracy import Archived, reported_record, track_record
from budget.core.figures import Prepared, compute
from budget.core.ledger import drill_down
from budget.core.methods import Method
from budget.core.money import total
from budget.core.settings import OWN_ANSLAG, Settings
from budget.diagnostics import warnings
from budget.report import decision
from budget.report.compare import compare as compare_previous
from budget.report.model import Report


def build_report(
    prepared: Prepared,
    generated_at: datetime,
    previous: tuple[dict[str, Any], str] | None = None,
    archived: list[Archived] | None = None,
    earlier: list[Archived] | None = None,
) -> Report:
    """The report: the figures, the track record, the change since the previous report
    (an earlier report's JSON as data, and its file name), earlier years' reported
    forecasts against their outcome, drill-downs, goals and texts."""
    inputs, period = prepared.inputs, prepared.period
    settings = inputs.settings
    assert settings is not None
    year, p = period.year, period.month
    figures = compute(prepared)
    changes = list(figures.changes)
    accuracy = track_record(
        prepared.monthly,
        inputs.budget,
        inputs.structure,
        figures.by_area,
        figures.periodisation,
        inputs.volumes,
        year,
        settings.volume_rest,
    )
    reported = reported_record(archived or [], prepared.monthly, set(figures.by_area))
    history = register.history(
        earlier or [], p, {ln.area: ln.forecast.net for ln in figures.lines if ln.is_area}
    )
    change = None
    if previous is not None:
        change = compare_previous(previous[0], previous[1], list(figures.lines))
    projects = investments.projects(inputs.investments, inputs.ledger, year, p)
    proposal = tuple(
        decision.proposal(year, p, changes, settings.unit, _separate_anslag(settings), projects)
    )
    found = measures.items(inputs.measures)
    asked = review.review(
        review.Facts(
            lines=figures.lines,
            unit=settings.unit,
            threshold=review.threshold(settings.unit, settings.review_deficit),
            measures=found,
            changes=changes,
            manual_areas=frozenset(
                ln.area
                for ln in figures.lines
                if ln.is_area and settings.method_for(ln.area) == Method.MANUAL
            ),
            projects=projects,
            decision=proposal,
            history=history,
        )
    )
    return Report(
        drill=drill_down(inputs.ledger, inputs.structure, inputs.responsibilities, year, p),
        accuracy=accuracy,
        reported=reported,
        forecast_change=change,
        volumes=figures.volumes,
        volume_rest=settings.volume_rest,
        volume_analysis=figures.volume_analysis,
        namnd=settings.namnd,
        inputs_name=inputs.name,
        period=period,
        unit=settings.unit,
        title=decision.report_title(year, p),
        lines=figures.lines,
        total=figures.total,
        bridge=figures.bridge,
        bridge_total={s: total([b.steps[s] for b in figures.bridge]) for s in ch.BRIDGE_STEPS},
        changes=figures.changes,
        requested_turnover=ch.requested_turnover(changes),
        requested_adjustment=ch.requested_adjustment(changes),
        decision=proposal,
        goals=goals.build(inputs.indicators, inputs.assessments, p),
        reconciliation=figures.reconciliation,
        paths=figures.paths,
        warnings=tuple(warnings(list(figures.diagnostics))),
        files=tuple(inputs.files),
        generated_at=generated_at,
        version=__version__,
        collection=figures.collection,
        units=figures.units,
        diarienummer=settings.diarienummer,
        handlaggare=settings.handlaggare,
        dated=settings.datum,
        anslag=figures.anslag,
        result_units=figures.result_units,
        transfer_cap=settings.transfer_cap,
        investments=projects,
        forecast_history=history,
        measures=measures.build(found, figures.lines, figures.total),
        review=asked,
    )


def _separate_anslag(settings: Settings) -> Callable[[str], str | None]:
    """An area's anslag when it is a separate one (not Nämndens verksamhet)."""

    def of(area: str) -> str | None:
        name = settings.anslag_of(area)
        return None if name == OWN_ANSLAG else name

    return of
