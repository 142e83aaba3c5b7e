"""Åtgärder för en ekonomi i balans (contract §7): the förvaltning's measures from
atgarder.xlsx and the bridge prognos → efter beslutade åtgärder → om planerade genomförs,
per area and in total. The report's forecast is never changed by them."""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired, get_args

from openpyxl.worksheet.worksheet import Worksheet
from pydantic import Field
from typing_extensions import TypedDict

from budget.core import measures
from budget.core.measures import Bridge, Measures
from budget.core.money import kronor
from budget.report.context import Context
from budget.report.model import Report
from budget.report.render.xlsx import amount_format, table
from budget.report.sections.base import Amount, Section, Sheet, member


def build(ctx: Context) -> Measures:
    """The åtgärder and the bridge from the forecast to after them."""
    return measures.build(ctx.measures, ctx.figures.lines, ctx.figures.total)


def shows(report: Report) -> bool:
    return bool(SECTION.data(report).items)


Status = Literal["Beslutad", "Planerad", "Genomförd"]
# core.measures says them as DECIDED, PLANNED and DONE; member() refuses any other.
STATUSES: tuple[Status, ...] = get_args(Status)


class MeasureItemJson(TypedDict):
    area: str
    subarea: NotRequired[str | None]
    measure: str
    effect: Amount
    status: Status
    in_forecast: bool
    responsible: NotRequired[str | None]
    decision: NotRequired[str | None]


class BridgeAmountsJson(TypedDict):
    forecast: Amount
    decided: Amount
    after_decided: Amount
    planned: Amount
    after_planned: Amount
    variance: NotRequired[Amount]
    variance_after_decided: NotRequired[Amount]
    variance_after_planned: NotRequired[Amount]


class BridgeAreaJson(BridgeAmountsJson):
    area: str


class NoTotalJson(TypedDict):
    """No measures: no total."""


class MeasuresPartJson(TypedDict):
    items: list[MeasureItemJson]
    areas: list[BridgeAreaJson]
    total: BridgeAmountsJson | NoTotalJson


class MeasuresJson(TypedDict):
    measures: NotRequired[
        Annotated[
            MeasuresPartJson,
            Field(
                description=(
                    "Contract §7: atgarder.xlsx and the bridge from the forecast (net, "
                    "report signs) to the forecast after decided and after planned "
                    "measures not in it."
                )
            ),
        ]
    ]


def _bridge(b: Bridge) -> BridgeAmountsJson:
    return {
        "forecast": kronor(b.forecast),
        "decided": kronor(b.decided),
        "after_decided": kronor(b.after_decided),
        "planned": kronor(b.planned),
        "after_planned": kronor(b.after_planned),
        "variance": kronor(b.variance),
        "variance_after_decided": kronor(b.variance_after_decided),
        "variance_after_planned": kronor(b.variance_after_planned),
    }


def _area(b: Bridge) -> BridgeAreaJson:
    return {"area": b.area, **_bridge(b)}


def to_json(report: Report) -> MeasuresJson:
    m = SECTION.data(report)
    total: BridgeAmountsJson | NoTotalJson = {} if m.total is None else _bridge(m.total)
    return {
        "measures": {
            "items": [
                {
                    "area": i.area,
                    "subarea": i.subarea,
                    "measure": i.measure,
                    "effect": kronor(i.effect),
                    "status": member(i.status, STATUSES),
                    "in_forecast": i.in_forecast,
                    "responsible": i.responsible,
                    "decision": i.decision,
                }
                for i in m.items
            ],
            "areas": [_area(b) for b in m.areas],
            "total": total,
        }
    }


def write_sheet(ws: Worksheet, report: Report) -> None:
    """The bridge per area and in total, then every measure."""
    u = report.unit
    headers = [
        "Verksamhetsområde",
        f"Prognostiserad avvikelse ({u})",
        f"Beslutade åtgärder ({u})",
        f"Avvikelse efter beslutade åtgärder ({u})",
        f"Planerade åtgärder ({u})",
        f"Avvikelse om planerade genomförs ({u})",
    ]
    m = SECTION.data(report)
    bridges = [*m.areas, *([] if m.total is None else [m.total])]
    rows: list[list[Any]] = [
        [
            b.area or "Totalt",
            kronor(b.variance),
            kronor(b.decided),
            kronor(b.variance_after_decided),
            kronor(b.planned),
            kronor(b.variance_after_planned),
        ]
        for b in bridges
    ]
    money = amount_format(u)
    table(ws, headers, rows, [None] + [money] * 5, widths=[44] + [20] * 5, total=True)
    start = len(rows) + 3
    table(
        ws,
        [
            "Verksamhetsområde",
            "Delområde",
            "Åtgärd",
            f"Effekt i år ({u})",
            "Status",
            "Ingår i prognosen",
            "Ansvarig",
            "Beslut",
        ],
        [
            [
                i.area,
                i.subarea or "",
                i.measure,
                kronor(i.effect),
                i.status,
                "Ja" if i.in_forecast else "Nej",
                i.responsible or "",
                i.decision or "",
            ]
            for i in m.items
        ],
        [None, None, None, money, None, None, None, None],
        start=start,
        widths=[44, 24, 60, 16, 12, 12, 24, 24],
    )


SECTION: Section[Measures] = Section(
    "measures",
    build=build,
    shows=shows,
    title="Åtgärder för en ekonomi i balans",
    anchor="atgarder",
    json=to_json,
    sheets=(Sheet("Åtgärder", write_sheet),),
)
