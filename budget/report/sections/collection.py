"""Enheternas prognoser: how many units returned a forecast, the units forecasting a deficit
with their åtgärder, and the units' largest changes since the last collection."""

from __future__ import annotations

from typing import Any

from budget.core.collection import UnitStatus
from budget.core.money import kronor
from budget.report.model import Report
from budget.report.sections.base import Section


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


SECTION = Section("collection", shows=shows, json=to_json)
