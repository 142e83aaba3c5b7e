"""Att granska: what a reader should check in the goals (a target below KF's, an indicator
without outcome…), each flag with its explanation; and the economy's review items (JSON
``review``, e.g. a forecast worsening report after report, shown in the document beside
their figures). The sheet, with both, is always written."""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from budget.report.labels import FLAG_LABELS, REVIEW_LABELS
from budget.report.model import Report
from budget.report.render.xlsx import table
from budget.report.sections.base import JsonSchema, Section, Sheet, always


def shows(report: Report) -> bool:
    return bool(report.goals.flags)


def to_json(report: Report) -> dict[str, Any]:
    return {
        "review": [
            {"code": item.code, "area": item.area, "message": item.message}
            for item in report.review
        ]
    }


def write_sheet(ws: Worksheet, report: Report) -> None:
    rows = [
        [REVIEW_LABELS[item.code], item.code, item.area, "", item.message] for item in report.review
    ]
    rows += [
        [FLAG_LABELS[f.code], f.code, f.goal, f.indicator or "", f.message]
        for f in report.goals.flags
    ]
    table(
        ws,
        ["Att granska", "Kod", "Område eller mål", "Indikator", "Förklaring"],
        rows,
        [None] * 5,
        widths=[44, 20, 50, 50, 80],
    )


def context(report: Report) -> dict[str, Any]:
    return {"flag_labels": FLAG_LABELS, "review_labels": REVIEW_LABELS}


SCHEMA = JsonSchema(
    properties={
        "review": {
            "description": "What the nämnd should look into (Att granska, contract §7), each "
            "with its code and area.",
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "area", "message"],
                "properties": {
                    "code": {"type": "string"},
                    "area": {"$ref": "#/$defs/text"},
                    "message": {"$ref": "#/$defs/text"},
                },
            },
        },
    },
)

SECTION = Section(
    "review",
    schema=SCHEMA,
    shows=shows,
    title="Att granska",
    anchor="att-granska",
    gap=False,
    json=to_json,
    sheets=(Sheet("Att granska", write_sheet, shows=always),),
    context=context,
)
