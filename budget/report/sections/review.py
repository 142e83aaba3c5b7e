"""Att granska: the chapter listing what a reader should check in the figures (contract
§7: a deficit without åtgärd, a budgetjustering at a surplus, …; JSON ``review``), numbered
as the marks beside the figures (``review_marks``), and pointing to the goals' flags
(``goal_flags``). It shows whenever there is anything to check, whatever inputs the folder
has. The sheet, with both the items and the goals' flags, is always written."""

from __future__ import annotations

from typing import Annotated, NotRequired

from openpyxl.worksheet.worksheet import Worksheet
from pydantic import Field
from typing_extensions import TypedDict

from budget.core.goals import Flag
from budget.report.context import Context
from budget.report.labels import FLAG_LABELS, REVIEW_LABELS
from budget.report.model import Report
from budget.report.render.xlsx import table
from budget.report.sections.base import Section, Sheet, Text, always


def build(ctx: Context) -> tuple[Flag, ...]:
    """What a reader should check in the goals; the economy's items are the header's."""
    return tuple(ctx.goals.flags)


def shows(report: Report) -> bool:
    return bool(SECTION.data(report) or report.review)


class ReviewItemJson(TypedDict):
    code: str
    area: Text | None
    message: Text


class ReviewJson(TypedDict):
    review: NotRequired[
        Annotated[
            list[ReviewItemJson],
            Field(
                description="What the nämnd should look into (Att granska, contract §7), "
                "each with its code and area."
            ),
        ]
    ]


def to_json(report: Report) -> ReviewJson:
    return {
        "review": [{"code": i.code, "area": i.area, "message": i.message} for i in report.review]
    }


def write_sheet(ws: Worksheet, report: Report) -> None:
    rows = [[REVIEW_LABELS[i.code], i.code, i.area or "", "", i.message] for i in report.review]
    rows += [
        [FLAG_LABELS[f.code], f.code, f.goal, f.indicator or "", f.message]
        for f in SECTION.data(report)
    ]
    table(
        ws,
        ["Att granska", "Kod", "Område eller mål", "Indikator", "Förklaring"],
        rows,
        [None] * 5,
        widths=[44, 20, 50, 50, 80],
    )


SECTION: Section[tuple[Flag, ...]] = Section(
    "review",
    build=build,
    shows=shows,
    title="Att granska",
    anchor="att-granska",
    json=to_json,
    sheets=(Sheet("Att granska", write_sheet, shows=always),),
)
