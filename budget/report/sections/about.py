"""Om rapporten: the input files with their SHA-256, when and with which version it was made."""

from __future__ import annotations

from typing import NotRequired

from openpyxl.worksheet.worksheet import Worksheet
from typing_extensions import TypedDict

from budget.report.model import Report
from budget.report.render.xlsx import table
from budget.report.sections.base import Section, Sheet


class InputFileJson(TypedDict):
    file: str
    sha256: str


class AboutJson(TypedDict):
    inputs: NotRequired[list[InputFileJson]]
    generated_at: NotRequired[str]
    toolkit_version: NotRequired[str]


def to_json(report: Report) -> AboutJson:
    return {
        "inputs": [{"file": f.name, "sha256": f.sha256} for f in report.files],
        "generated_at": report.generated_at.isoformat(),
        "toolkit_version": report.version,
    }


def write_sheet(ws: Worksheet, report: Report) -> None:
    rows = [
        ["Toolkit", f"budget {report.version}"],
        ["Skapad", report.generated_at.isoformat()],
        ["Period", f"{report.period.year}-{report.period.month:02d}"],
    ]
    rows += [[f.name, f.sha256] for f in report.files]
    table(ws, ["Uppgift", "Värde"], rows, [None, None], widths=[30, 70])


SECTION: Section[None] = Section(
    "about", gap=False, json=to_json, sheets=(Sheet("Om rapporten", write_sheet),)
)
