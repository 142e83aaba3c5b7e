"""The report assembled: its header, and each section's data built by the section.

The checks across files are ``checks.prepare``, the figures ``core.figures.compute``; here
the header is put together and every section of the registry builds its part from the same
``Context`` (the figures, the inputs, the earlier reports, the clock). Nothing is computed
here, and no section is named.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from budget import __version__
from budget.core.accuracy import Archived
from budget.core.figures import Prepared, compute
from budget.diagnostics import warnings
from budget.report import decision
from budget.report.context import Context
from budget.report.model import Report
from budget.report.sections import every


def build_report(
    prepared: Prepared,
    generated_at: datetime,
    previous: tuple[dict[str, Any], str] | None = None,
    archived: list[Archived] | None = None,
    earlier: list[Archived] | None = None,
) -> Report:
    """The report: the header and every section's data, built from the figures, the
    previous report (an earlier report's JSON as data, and its file name), earlier years'
    reports (``archived``) and this year's earlier reports (``earlier``)."""
    figures = compute(prepared)
    ctx = Context(
        prepared, figures, generated_at, previous, tuple(archived or ()), tuple(earlier or ())
    )
    settings = ctx.settings
    return Report(
        namnd=settings.namnd,
        inputs_name=ctx.inputs.name,
        period=ctx.period,
        unit=settings.unit,
        title=decision.report_title(ctx.year, ctx.month),
        lines=figures.lines,
        total=figures.total,
        anslag=figures.anslag,
        changes=figures.changes,
        decision=ctx.decision,
        investment_decisions=ctx.investment_decisions,
        review=ctx.review,
        warnings=tuple(warnings([*figures.diagnostics, *ctx.analysis.diagnostics])),
        files=tuple(ctx.inputs.files),
        generated_at=generated_at,
        version=__version__,
        diarienummer=settings.diarienummer,
        handlaggare=settings.handlaggare,
        dated=settings.datum,
        analysis=ctx.analysis.analysis,
        parts={s.name: s.build(ctx) for s in every() if s.build is not None},
    )
