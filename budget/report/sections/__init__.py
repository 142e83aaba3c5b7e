"""The report's sections in order: the one list the builder and every renderer loop over.

``DOCUMENT`` is the document: its chapters (a ``<section>`` with an ``h2`` and an entry in the
table of contents) in reading order, each with its parts. ``report.build`` builds each
section's data in this order (``Section.build``). Adding a section means one module here,
one template part in ``templates/sections/`` and its place in these lists.

The JSON report and the report workbook keep the order their readers know (contract §3 for
the JSON's keys; the workbook's sheets as controllers have them), which is not the
document's: ``JSON`` and ``WORKBOOK`` give it. One order with exceptions declared in the
section records was weighed and left: of the document's order the JSON would need eight
sections moved (areas before anslag, the proposal after the budget changes, the track record
before the reported forecasts, …) and the workbook four, each exception naming another
section, so the order would be spread over twelve modules instead of read here in two lists.
A test holds that each lists exactly the sections that have JSON keys or sheets.
"""

from __future__ import annotations

from typing import Any

from budget.report.sections import (
    about,
    accuracy,
    analysis,
    anslag,
    appendix,
    area_charts,
    areas,
    budget_changes,
    change,
    collection,
    comments,
    drill,
    economy,
    goal_flags,
    goals,
    history,
    investments,
    measures,
    proposal,
    reconciliation,
    reported,
    review,
    summary,
    track_record,
    transfer,
    volume_analysis,
    volumes,
    warnings,
)
from budget.report.sections.base import Section, Sheet

DOCUMENT: tuple[Section[Any], ...] = (
    summary.SECTION,
    proposal.SECTION,
    review.SECTION,
    economy.SECTION.having(
        anslag.SECTION,
        areas.SECTION,
        collection.SECTION,
        transfer.SECTION,
        comments.SECTION,
        area_charts.SECTION,
        drill.SECTION,
    ),
    analysis.SECTION,
    volume_analysis.SECTION,
    measures.SECTION,
    change.SECTION,
    history.SECTION,
    accuracy.SECTION.having(reported.SECTION, track_record.SECTION),
    volumes.SECTION,
    investments.SECTION,
    budget_changes.SECTION,
    goals.SECTION.having(goal_flags.SECTION),
    appendix.SECTION.having(reconciliation.SECTION, warnings.SECTION, about.SECTION),
)

JSON: tuple[Section[Any], ...] = (
    areas.SECTION,
    anslag.SECTION,
    analysis.SECTION,
    transfer.SECTION,
    investments.SECTION,
    measures.SECTION,
    budget_changes.SECTION,
    proposal.SECTION,
    track_record.SECTION,
    reported.SECTION,
    change.SECTION,
    history.SECTION,
    collection.SECTION,
    volumes.SECTION,
    volume_analysis.SECTION,
    goals.SECTION,
    review.SECTION,
    reconciliation.SECTION,
    warnings.SECTION,
    about.SECTION,
)

WORKBOOK: tuple[Section[Any], ...] = (
    summary.SECTION,
    anslag.SECTION,
    areas.SECTION,
    drill.SECTION,
    analysis.SECTION,
    transfer.SECTION,
    investments.SECTION,
    measures.SECTION,
    budget_changes.SECTION,
    change.SECTION,
    history.SECTION,
    reported.SECTION,
    track_record.SECTION,
    volumes.SECTION,
    volume_analysis.SECTION,
    goals.SECTION,
    review.SECTION,
    reconciliation.SECTION,
    about.SECTION,
)


def every() -> tuple[Section[Any], ...]:
    """Every section of the document, chapters and parts, in reading order."""
    return tuple(s for chapter in DOCUMENT for s in chapter.walk())


__all__ = ["DOCUMENT", "JSON", "WORKBOOK", "Section", "Sheet", "every"]
