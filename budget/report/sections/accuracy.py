"""Prognossäkerhet: the chapter of how far forecasts were from the outcome, the nämnd's
reported ones and the methods' replayed ones (its parts, from the registry); it shows when
either does."""

from __future__ import annotations

from budget.report.sections.base import Section

SECTION: Section[None] = Section(
    "accuracy",
    shows_with_parts=True,
    title="Prognossäkerhet",
    anchor="prognossakerhet",
)
