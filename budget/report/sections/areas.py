"""Per verksamhetsområde: budget, outcome, forecast and deviation per area and delområde, with
the total; costs and revenues per area. The JSON keeps every line (contract §2)."""

from __future__ import annotations

from typing import Any, NotRequired

from openpyxl.worksheet.worksheet import Worksheet
from typing_extensions import TypedDict

from budget.core.money import kronor
from budget.report.labels import METHOD_LABELS, REVIEW_LABELS
from budget.report.model import Line, Report
from budget.report.render.xlsx import amount_format, table
from budget.report.sections.base import Amount, Name, Section, Sheet, SidesJson, Text, sides


class VarianceSidesJson(TypedDict):
    costs: Amount
    revenues: Amount


class AreaCommentJson(TypedDict):
    subarea: str | None
    text: str
    by: str | None


class LineJson(TypedDict):
    area: Name
    subarea: Text | None
    budget: SidesJson
    # The decided budget: without the changes requested in this report.
    decided_budget: NotRequired[SidesJson]
    actual: SidesJson
    forecast: SidesJson
    variance: Amount
    variance_sides: NotRequired[VarianceSidesJson]
    method: str | None
    notes: NotRequired[list[str]]
    comments: NotRequired[list[AreaCommentJson]]


class TotalJson(TypedDict):
    budget: SidesJson
    decided_budget: NotRequired[SidesJson]
    actual: SidesJson
    forecast: SidesJson
    variance: Amount


class AreasJson(TypedDict):
    areas: list[LineJson]
    total: TotalJson


def _line(line: Line) -> LineJson:
    return {
        "area": line.area,
        "subarea": line.subarea,
        "budget": sides(line.budget),
        # The decided budget: without the changes requested in this report.
        "decided_budget": sides(line.decided),
        "actual": sides(line.actual),
        "forecast": sides(line.forecast),
        "variance": kronor(line.variance.net),
        "variance_sides": {
            "costs": kronor(line.variance.costs),
            "revenues": kronor(line.variance.revenues),
        },
        "method": line.method,
        "notes": list(line.notes),
        "comments": [{"subarea": c.subarea, "text": c.text, "by": c.by} for c in line.comments],
    }


def to_json(report: Report) -> AreasJson:
    return {
        "areas": [_line(ln) for ln in report.lines],
        "total": {
            "budget": sides(report.total.budget),
            "decided_budget": sides(report.total.decided),
            "actual": sides(report.total.actual),
            "forecast": sides(report.total.forecast),
            "variance": kronor(report.total.variance.net),
        },
    }


def write_sheet(ws: Worksheet, report: Report) -> None:
    headers = [
        "Verksamhetsområde",
        "Delområde",
        f"Budget kostnader ({report.unit})",
        f"Budget intäkter ({report.unit})",
        f"Budget netto ({report.unit})",
        f"Utfall kostnader ({report.unit})",
        f"Utfall intäkter ({report.unit})",
        f"Utfall netto ({report.unit})",
        f"Prognos kostnader ({report.unit})",
        f"Prognos intäkter ({report.unit})",
        f"Prognos netto ({report.unit})",
        f"Avvikelse netto ({report.unit})",
        "Prognosmetod",
        # Without the changes requested in this report (the budget columns include them).
        f"Beslutad budget netto ({report.unit})",
        # The review items about the area (Att granska), explained in their own sheet.
        "Att granska",
    ]

    def row(ln: Line) -> list[Any]:
        return [
            ln.area,
            ln.subarea or "",
            kronor(ln.budget.costs),
            kronor(ln.budget.revenues),
            kronor(ln.budget.net),
            kronor(ln.actual.costs),
            kronor(ln.actual.revenues),
            kronor(ln.actual.net),
            kronor(ln.forecast.costs),
            kronor(ln.forecast.revenues),
            kronor(ln.forecast.net),
            kronor(ln.variance.net),
            METHOD_LABELS.get(ln.method or "", ""),
            kronor(ln.decided.net),
            "; ".join(REVIEW_LABELS[i.code] for _, i in report.review_of(ln.area))
            if ln.is_area and ln is not report.total
            else "",
        ]

    rows = [row(ln) for ln in report.shown_lines(net_only=False)] + [row(report.total)]
    table(
        ws,
        headers,
        rows,
        [None, None] + [amount_format(report.unit)] * 10 + [None, amount_format(report.unit), None],
        widths=[44, 30] + [18] * 10 + [18, 18, 44],
        total=True,
    )


SECTION: Section[None] = Section(
    "areas",
    gap=False,
    json=to_json,
    sheets=(Sheet("Ekonomi", write_sheet),),
)
