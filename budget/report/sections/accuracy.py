"""Prognossäkerhet: the chapter of how far forecasts were from the outcome, the nämnd's
reported ones and the methods' replayed ones (its parts, from the registry)."""

from __future__ import annotations

from budget.report.model import Report
from budget.report.sections.base import Section


def shows(report: Report) -> bool:
    return report.accuracy is not None or report.reported is not None


SECTION = Section("accuracy", shows=shows, title="Prognossäkerhet", anchor="prognossakerhet")
