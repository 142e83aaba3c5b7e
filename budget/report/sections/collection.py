"""Enheternas prognoser: how many units returned a forecast, the units forecasting a deficit
with their åtgärder, and the units' largest changes since the last collection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from budget.core.collection import UnitStatus
from budget.core.fmt import half_unit
from budget.core.money import kronor
from budget.core.units import Collection
from budget.report.context import Context
from budget.report.model import Report
from budget.report.sections.base import JsonSchema, Section


@dataclass(frozen=True)
class UnitForecasts:
    """The collection of the units' forecasts: who was asked and who returned one, and each
    unit that did, with its figures, comments and åtgärder."""

    collection: Collection | None
    units: tuple[UnitStatus, ...]

    def unit_deficits(self) -> list[UnitStatus]:
        """Units whose own forecast is under their budget by at least a shown tkr, worst first."""
        short = [u for u in self.units if (u.variance or 0) <= -half_unit("tkr")]
        return sorted(short, key=lambda u: (u.variance or 0, u.ansvar))

    def unit_changes(self, most: int = 10) -> list[UnitStatus]:
        """The units that changed their own forecast most since the last collection."""
        moved = [u for u in self.units if abs(u.change or 0) >= half_unit("tkr")]
        return sorted(moved, key=lambda u: (-abs(u.change or 0), u.ansvar))[:most]

    def missing_units(self) -> list[str]:
        """The units that have not returned a forecast, by code and name."""
        if self.collection is None:
            return []
        names = self.collection.names
        return [f"{a} {names[a]}" if names.get(a) else a for a in self.collection.missing]


def build(ctx: Context) -> UnitForecasts:
    return UnitForecasts(ctx.figures.collection, ctx.figures.units)


def _unit(u: UnitStatus) -> dict[str, Any]:
    return {
        "ansvar": u.ansvar,
        "unit": u.unit,
        "places": list(u.places),
        "budget": None if u.budget is None else u.budget.as_kronor(),
        "forecast": u.forecast.as_kronor(),
        "variance": None if u.variance is None else kronor(u.variance),
        "change": None if u.change is None else kronor(u.change),
        "comments": list(u.comments),
        "measures": list(u.measures),
    }


def to_json(report: Report) -> dict[str, Any]:
    data = SECTION.data(report)
    return {
        "forecast_collection": (
            None
            if data.collection is None
            else {
                "expected": len(data.collection.expected),
                "returned": len(data.collection.returned),
                "missing": list(data.collection.missing),
                "units": [_unit(u) for u in data.units],
            }
        )
    }


def shows(report: Report) -> bool:
    return SECTION.data(report).collection is not None


# Its part of the JSON Schema (budget/schemas/report.schema.json, made by
# scripts/make_schema.py): optional where older reports lack it.
SCHEMA = JsonSchema(
    properties={
        "forecast_collection": {
            "description": (
                "The units' forecasts collected with budget samla (contract §4); "
                "null without rows per ansvar in prognos.xlsx."
            ),
            "oneOf": [
                {
                    "type": "null",
                },
                {
                    "type": "object",
                    "required": [
                        "expected",
                        "returned",
                        "missing",
                    ],
                    "properties": {
                        "expected": {
                            "type": "integer",
                            "minimum": 0,
                        },
                        "returned": {
                            "type": "integer",
                            "minimum": 0,
                        },
                        "missing": {
                            "type": "array",
                            "items": {
                                "$ref": "#/$defs/text",
                            },
                        },
                        "units": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": [
                                    "ansvar",
                                    "forecast",
                                ],
                                "properties": {
                                    "ansvar": {
                                        "$ref": "#/$defs/text",
                                    },
                                    "unit": {
                                        "oneOf": [
                                            {
                                                "type": "null",
                                            },
                                            {
                                                "$ref": "#/$defs/text",
                                            },
                                        ],
                                    },
                                    "places": {
                                        "type": "array",
                                        "items": {
                                            "$ref": "#/$defs/text",
                                        },
                                    },
                                    "budget": {
                                        "oneOf": [
                                            {
                                                "type": "null",
                                            },
                                            {
                                                "$ref": "#/$defs/sides",
                                            },
                                        ],
                                    },
                                    "forecast": {
                                        "$ref": "#/$defs/sides",
                                    },
                                    "variance": {
                                        "oneOf": [
                                            {
                                                "type": "null",
                                            },
                                            {
                                                "$ref": "#/$defs/amount",
                                            },
                                        ],
                                    },
                                    "change": {
                                        "oneOf": [
                                            {
                                                "type": "null",
                                            },
                                            {
                                                "$ref": "#/$defs/amount",
                                            },
                                        ],
                                    },
                                    "comments": {
                                        "type": "array",
                                        "items": {
                                            "type": "string",
                                        },
                                    },
                                    "measures": {
                                        "type": "array",
                                        "items": {
                                            "type": "string",
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            ],
        },
    },
)

SECTION = Section("collection", build=build, schema=SCHEMA, shows=shows, json=to_json)
