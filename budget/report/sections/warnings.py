"""Varningar från valideringen: every warning of the run, as the CLI gave it."""

from __future__ import annotations

from typing import Any

from budget.report.model import Report
from budget.report.sections.base import Section


def shows(report: Report) -> bool:
    return bool(report.warnings)


def to_json(report: Report) -> dict[str, Any]:
    return {"warnings": [d.as_dict() for d in report.warnings]}


SECTION: Section[None] = Section("warnings", shows=shows, gap=False, json=to_json)
