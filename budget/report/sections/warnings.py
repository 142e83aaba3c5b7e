"""Varningar från valideringen: every warning of the run, as the CLI gave it."""

from __future__ import annotations

from typing import NotRequired

from typing_extensions import TypedDict

from budget.diagnostics import DiagnosticJson
from budget.report.model import Report
from budget.report.sections.base import Section


def shows(report: Report) -> bool:
    return bool(report.warnings)


class WarningsJson(TypedDict):
    warnings: NotRequired[list[DiagnosticJson]]


def to_json(report: Report) -> WarningsJson:
    return {"warnings": [d.as_dict() for d in report.warnings]}


SECTION: Section[None] = Section("warnings", shows=shows, gap=False, json=to_json)
