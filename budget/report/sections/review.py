"""Att granska: what a reader should check in the goals (a target below KF's, an indicator
without outcome…), each flag with its explanation. The sheet is always written."""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from budget.report.labels import FLAG_LABELS
from budget.report.model import Report
from budget.report.render.xlsx import table
from budget.report.sections.base import Section, Sheet, always


def shows(report: Report) -> bool:
    return bool(report.goals.flags)


def write_sheet(ws: Worksheet, report: Report) -> None:
    rows = [
        [FLAG_LABELS[f.code], f.code, f.goal, f.indicator or "", f.message]
        for f in report.goals.flags
    ]
    table(
        ws,
        ["Att granska", "Kod", "Mål", "Indikator", "Förklaring"],
        rows,
        [None] * 5,
        widths=[44, 20, 50, 50, 80],
    )


def context(report: Report) -> dict[str, Any]:
    return {"flag_labels": FLAG_LABELS}


SECTION = Section(
    "review",
    shows=shows,
    title="Att granska",
    anchor="att-granska",
    gap=False,
    sheets=(Sheet("Att granska", write_sheet, shows=always),),
    context=context,
)
