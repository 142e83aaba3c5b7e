"""Prognosförändring: each area's forecast in the previous report and now, and why it moved."""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from budget.core import fmt
from budget.core.money import kronor
from budget.report.compare import compare
from budget.report.context import Context
from budget.report.labels import change_explanation
from budget.report.model import ForecastChange, Report
from budget.report.render.xlsx import amount_format, table
from budget.report.sections.base import Section, Sheet


def build(ctx: Context) -> ForecastChange | None:
    """The change since the previous report (``--previous``), if one was given."""
    if ctx.previous is None:
        return None
    return compare(ctx.previous[0], ctx.previous[1], list(ctx.figures.lines))


def shows(report: Report) -> bool:
    return SECTION.data(report) is not None


def to_json(report: Report) -> dict[str, Any]:
    ch_ = SECTION.data(report)
    if ch_ is None:
        return {"forecast_change": None}
    return {
        "forecast_change": {
            "previous": {
                "period": ch_.previous_period,
                "tertial": ch_.previous_tertial,
                "title": ch_.previous_title,
                "file": ch_.source,
            },
            "areas": [
                {
                    "area": r.area,
                    "subarea": r.subarea,
                    "previous": kronor(r.previous),
                    "current": kronor(r.current),
                    "change": kronor(r.change),
                    "reasons": [c.text for c in r.reasons],
                }
                for r in ch_.rows
            ],
        }
    }


def write_sheet(ws: Worksheet, report: Report) -> None:
    fc = SECTION.data(report)
    assert fc is not None
    headers = [
        "Verksamhetsområde",
        "Delområde",
        f"{fc.previous_title} netto ({report.unit})",
        f"{report.title} netto ({report.unit})",
        f"Förändring ({report.unit})",
        "Orsak till förändringen",
    ]
    rows = [
        [
            c.area,
            c.subarea or "",
            kronor(c.previous),
            kronor(c.current),
            kronor(c.change),
            change_explanation(c, fmt.half_unit(report.unit)),
        ]
        for c in fc.rows
    ]
    table(
        ws,
        headers,
        rows,
        [
            None,
            None,
            amount_format(report.unit),
            amount_format(report.unit),
            amount_format(report.unit),
            None,
        ],
        widths=[44, 30, 22, 22, 18, 80],
    )


def context(report: Report) -> dict[str, Any]:
    return {"explain": lambda c: change_explanation(c, fmt.half_unit(report.unit))}


SECTION: Section[ForecastChange | None] = Section(
    "change",
    build=build,
    shows=shows,
    title="Prognosförändring",
    anchor="forandring",
    json=to_json,
    sheets=(Sheet("Prognosförändring", write_sheet),),
    context=context,
)
