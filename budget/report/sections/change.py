"""Prognosförändring: each area's forecast in the previous report and now, and why it moved.

The previous report arrives as data (read by ``edge.previous``); ``compare`` pairs its lines
with this report's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NotRequired

from openpyxl.worksheet.worksheet import Worksheet
from typing_extensions import TypedDict

from budget.core import fmt
from budget.core.forecast import FOLLOWS_OUTCOME
from budget.core.lines import Comment, Line, unallocated
from budget.core.methods import MIXED, Method
from budget.core.money import from_kronor, kronor
from budget.report.context import Context
from budget.report.labels import METHOD_LABELS
from budget.report.model import Report
from budget.report.render.xlsx import amount_format, table
from budget.report.sections.base import Amount, Section, Sheet, Text


@dataclass(frozen=True)
class AreaChange:
    area: str
    subarea: str | None
    previous: int  # forecast net, öre
    current: int
    reasons: tuple[Comment, ...]  # the units' reasons for the change (prognos.xlsx)
    method: str | None = None

    @property
    def change(self) -> int:
        return self.current - self.previous

    @property
    def unallocated(self) -> bool:
        return unallocated(self.area, self.subarea)


@dataclass(frozen=True)
class ForecastChange:
    previous_period: int
    previous_tertial: str | None
    previous_title: str
    source: str
    rows: tuple[AreaChange, ...]


def compare(previous: dict[str, Any], source: str, lines: list[Line]) -> ForecastChange:
    """Pair each current line with the previous report's line of the same area and delområde."""
    before = {
        (a["area"], a["subarea"]): from_kronor(a["forecast"]["net"]) for a in previous["areas"]
    }
    rows = []
    for ln in lines:
        key = (ln.area, ln.subarea)
        rows.append(
            AreaChange(
                ln.area, ln.subarea, before.get(key, 0), ln.forecast.net, ln.reasons, ln.method
            )
        )
    return ForecastChange(
        int(previous["period"]),
        previous.get("tertial"),
        str(previous.get("title") or f"period {previous['period']}"),
        source,
        tuple(rows),
    )


def build(ctx: Context) -> ForecastChange | None:
    """The change since the previous report (``--previous``), if one was given."""
    if ctx.previous is None:
        return None
    return compare(ctx.previous[0], ctx.previous[1], list(ctx.figures.lines))


def change_explanation(change: AreaChange, threshold: int) -> str:
    """Why a forecast changed since the last report, for the nämnd.

    Only a change that shows (at least half the report's unit) is explained; the units'
    reasons for the change come first; a calculated forecast is explained by its method;
    anything else says that no one gave a reason, rather than repeat a standing comment.
    """
    if abs(change.change) < threshold:
        return ""
    if change.reasons:
        return " ".join(r.text + (f" ({r.by})" if r.by else "") for r in change.reasons)
    if change.method == MIXED:
        return "Summan av förändringarna i delområdena nedan."
    method = Method.parse(change.method or "")
    if method in FOLLOWS_OUTCOME:
        return f"Beräknad prognos ({METHOD_LABELS[method.value].lower()}): följer utfallet."
    if method is Method.BUDGET:
        return "Prognos enligt budget: följer budgetförändringarna."
    return "Ingen förklaring till förändringen har lämnats."


def shows(report: Report) -> bool:
    return SECTION.data(report) is not None


class PreviousJson(TypedDict):
    period: int
    tertial: str | None
    title: str
    file: str


class AreaChangeJson(TypedDict):
    area: Text
    subarea: Text | None
    previous: Amount
    current: Amount
    change: Amount
    reasons: list[str]


class ChangePartJson(TypedDict):
    previous: PreviousJson
    areas: list[AreaChangeJson]


class ChangeJson(TypedDict):
    # The change since the previous report (--previous); null without one.
    forecast_change: NotRequired[ChangePartJson | None]


def to_json(report: Report) -> ChangeJson:
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
