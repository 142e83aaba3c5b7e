"""Enheternas prognoser: how many units returned a forecast, the units forecasting a deficit
with their åtgärder, and the units' largest changes since the last collection."""

from __future__ import annotations

from typing import Any

from budget.core.collection import UnitStatus
from budget.core.money import kronor
from budget.report.model import Report
from budget.report.sections.base import JsonSchema, Section


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
    return {
        "forecast_collection": (
            None
            if report.collection is None
            else {
                "expected": len(report.collection.expected),
                "returned": len(report.collection.returned),
                "missing": list(report.collection.missing),
                "units": [_unit(u) for u in report.units],
            }
        )
    }


def shows(report: Report) -> bool:
    return report.collection is not None


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

SECTION = Section("collection", schema=SCHEMA, shows=shows, json=to_json)
