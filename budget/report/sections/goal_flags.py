"""Att granska i målen: what a reader should check in the goals (a target below KF's, an
indicator without outcome…), each flag with its explanation, beside the goals it concerns.
The flags are listed with the economy's review items in the sheet Att granska (``review``)."""

from __future__ import annotations

from typing import Any

from budget.core.goals import Flag
from budget.report.context import Context
from budget.report.labels import FLAG_LABELS
from budget.report.model import Report
from budget.report.sections.base import Section


def build(ctx: Context) -> tuple[Flag, ...]:
    return tuple(ctx.goals.flags)


def shows(report: Report) -> bool:
    return bool(SECTION.data(report))


def context(report: Report) -> dict[str, Any]:
    return {"flag_labels": FLAG_LABELS}


SECTION: Section[tuple[Flag, ...]] = Section(
    "goal_flags",
    build=build,
    shows=shows,
    title="Att granska i målen",
    anchor="att-granska-mal",
    gap=False,
    context=context,
)
