"""Budgetförändringar: each area's way from the original budget to the revised one (the
bridge), and every granted or requested change with its source row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NotRequired

from openpyxl.worksheet.worksheet import Worksheet
from typing_extensions import TypedDict

from budget.core import changes as ch
from budget.core.ledger import UNMAPPED
from budget.core.lines import BridgeLine
from budget.core.money import ZERO, Sides, kronor, total
from budget.report.context import Context
from budget.report.labels import CHANGE_COSTS, CHANGE_NET, CHANGE_REVENUES, budget_label
from budget.report.model import Report
from budget.report.render.xlsx import amount_format, table
from budget.report.sections.base import Amount, Section, Sheet, SidesJson, sides


@dataclass(frozen=True)
class Bridge:
    """Each area's way from the original budget to the revised one, step by step."""

    lines: tuple[BridgeLine, ...]

    @property
    def total(self) -> dict[str, Sides]:
        return {s: total([b.steps[s] for b in self.lines]) for s in ch.BRIDGE_STEPS}

    def shown(self) -> list[BridgeLine]:
        """The lines the document shows: Ej fördelat only where a step moved it."""
        return [
            b for b in self.lines if b.area != UNMAPPED or any(v != ZERO for v in b.steps.values())
        ]


def build(ctx: Context) -> Bridge:
    return Bridge(ctx.figures.bridge)


class SourceJson(TypedDict):
    file: str
    sheet: str
    row: int


# The items were given no shape before their keys were typed: an older report's items may
# lack any of them.
class ChangeItemJson(TypedDict):
    type: NotRequired[str]
    status: NotRequired[str]
    area: NotRequired[str]
    subarea: NotRequired[str | None]
    costs: NotRequired[Amount]
    revenues: NotRequired[Amount]
    net_effect: NotRequired[Amount]
    description: NotRequired[str]
    financier: NotRequired[str | None]
    diarienummer: NotRequired[str | None]
    source: NotRequired[SourceJson]


# Each area's way from the original budget to the revised one: its keys are
# ``core.changes.BRIDGE_STEPS`` (a test holds them equal).
class BridgeLineJson(TypedDict):
    area: str
    original: SidesJson
    granted_adjustments: SidesJson
    granted_turnover: SidesJson
    requested: SidesJson
    revised: SidesJson


class BudgetChangesPartJson(TypedDict):
    requested_turnover_change: Amount
    requested_net_adjustment: Amount
    items: list[ChangeItemJson]
    bridge: NotRequired[list[BridgeLineJson]]


class BudgetChangesJson(TypedDict):
    budget_changes: BudgetChangesPartJson


def _bridge(b: BridgeLine) -> BridgeLineJson:
    return {
        "area": b.area,
        "original": sides(b.steps["original"]),
        "granted_adjustments": sides(b.steps["granted_adjustments"]),
        "granted_turnover": sides(b.steps["granted_turnover"]),
        "requested": sides(b.steps["requested"]),
        "revised": sides(b.steps["revised"]),
    }


def to_json(report: Report) -> BudgetChangesJson:
    items: list[ChangeItemJson] = []
    for c in report.changes:
        items.append(
            {
                "type": ch.KIND_LABELS[c.kind],
                "status": ch.STATUS_LABELS[c.status],
                "area": c.area,
                "subarea": c.subarea,
                "costs": kronor(c.costs),
                "revenues": kronor(c.revenues),
                "net_effect": kronor(c.effect.net),
                "description": c.description,
                "financier": c.financier,
                "diarienummer": c.diarienummer,
                "source": {"file": c.file, "sheet": c.sheet, "row": c.row},
            }
        )
    return {
        "budget_changes": {
            "requested_turnover_change": kronor(report.requested_turnover),
            "requested_net_adjustment": kronor(report.requested_adjustment),
            "items": items,
            "bridge": [_bridge(b) for b in SECTION.data(report).lines],
        }
    }


def write_bridge(ws: Worksheet, report: Report) -> None:
    labels = {**ch.BRIDGE_LABELS, "revised": budget_label(report.has_requests)}
    unit = report.unit
    headers = ["Verksamhetsområde"] + [f"{labels[s]} netto ({unit})" for s in ch.BRIDGE_STEPS]
    bridge = SECTION.data(report)
    rows = [[b.area] + [kronor(b.steps[s].net) for s in ch.BRIDGE_STEPS] for b in bridge.lines]
    rows.append(["Totalt"] + [kronor(bridge.total[s].net) for s in ch.BRIDGE_STEPS])
    formats = [None] + [amount_format(unit)] * len(ch.BRIDGE_STEPS)
    table(ws, headers, rows, formats, widths=[44] + [22] * 5)


def change_rows(changes: Sequence[ch.Change]) -> list[list[Any]]:
    return [
        [
            ch.KIND_LABELS[c.kind],
            ch.STATUS_LABELS[c.status],
            c.area,
            c.subarea or "",
            kronor(c.costs),
            kronor(c.revenues),
            kronor(c.effect.net),
            c.description,
            c.financier or "",
            c.diarienummer or "",
        ]
        for c in changes
    ]


CHANGE_HEADERS = [
    "Typ",
    "Status",
    "Verksamhetsområde",
    "Delområde",
    CHANGE_COSTS,
    CHANGE_REVENUES,
    CHANGE_NET,
    "Beskrivning",
    "Finansiär",
    "Diarienummer",
]
CHANGE_WIDTHS = [24, 12, 36, 24, 16, 16, 16, 60, 28, 18]


def write_changes(ws: Worksheet, report: Report) -> None:
    unit = amount_format(report.unit)
    formats = [None, None, None, None, unit, unit, unit, None, None, None]
    table(ws, CHANGE_HEADERS, change_rows(report.changes), formats, widths=CHANGE_WIDTHS)


def context(report: Report) -> dict[str, Any]:
    return {
        "change_columns": (CHANGE_COSTS, CHANGE_REVENUES),
        "bridge_steps": ch.BRIDGE_STEPS,
        "bridge_labels": ch.BRIDGE_LABELS,
        "kind_labels": ch.KIND_LABELS,
        "status_labels": ch.STATUS_LABELS,
    }


SECTION = Section(
    "budget_changes",
    build=build,
    title="Budgetförändringar",
    anchor="budgetforandringar",
    json=to_json,
    sheets=(Sheet("Budgetbrygga", write_bridge), Sheet("Förändringar", write_changes)),
    context=context,
)
