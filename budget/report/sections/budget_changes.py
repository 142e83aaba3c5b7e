"""Budgetförändringar: each area's way from the original budget to the revised one (the
bridge), and every granted or requested change with its source row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from budget.core import changes as ch
from budget.core.ledger import UNMAPPED
from budget.core.lines import BridgeLine
from budget.core.money import ZERO, Sides, kronor, total
from budget.report.context import Context
from budget.report.labels import CHANGE_COSTS, CHANGE_NET, CHANGE_REVENUES, budget_label
from budget.report.model import Report
from budget.report.render.xlsx import KRONOR, amount_format, table
from budget.report.sections.base import JsonSchema, Section, Sheet


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


def to_json(report: Report) -> dict[str, Any]:
    items = []
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
            "bridge": [
                {"area": b.area, **{step: b.steps[step].as_kronor() for step in ch.BRIDGE_STEPS}}
                for b in SECTION.data(report).lines
            ],
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
CHANGE_FORMATS = [None, None, None, None, KRONOR, KRONOR, KRONOR, None, None, None]
CHANGE_WIDTHS = [24, 12, 36, 24, 16, 16, 16, 60, 28, 18]


def write_changes(ws: Worksheet, report: Report) -> None:
    table(ws, CHANGE_HEADERS, change_rows(report.changes), CHANGE_FORMATS, widths=CHANGE_WIDTHS)


def context(report: Report) -> dict[str, Any]:
    return {
        "change_columns": (CHANGE_COSTS, CHANGE_REVENUES),
        "bridge_steps": ch.BRIDGE_STEPS,
        "bridge_labels": ch.BRIDGE_LABELS,
        "kind_labels": ch.KIND_LABELS,
        "status_labels": ch.STATUS_LABELS,
    }


# Its part of the JSON Schema (budget/schemas/report.schema.json, made by
# scripts/make_schema.py): optional where older reports lack it.
SCHEMA = JsonSchema(
    properties={
        "budget_changes": {
            "type": "object",
            "required": [
                "requested_turnover_change",
                "requested_net_adjustment",
                "items",
            ],
            "properties": {
                "requested_turnover_change": {
                    "$ref": "#/$defs/amount",
                },
                "requested_net_adjustment": {
                    "$ref": "#/$defs/amount",
                },
                "items": {
                    "type": "array",
                    "items": {
                        "type": "object",
                    },
                },
            },
        },
    },
    required=("budget_changes",),
)

SECTION = Section(
    "budget_changes",
    build=build,
    schema=SCHEMA,
    title="Budgetförändringar",
    anchor="budgetforandringar",
    json=to_json,
    sheets=(Sheet("Budgetbrygga", write_bridge), Sheet("Förändringar", write_changes)),
    context=context,
)
