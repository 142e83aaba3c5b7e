"""Enheternas prognoser: how many units returned a forecast, the units forecasting a deficit
with their åtgärder, and the units' largest changes since the last collection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, NotRequired

from pydantic import Field
from typing_extensions import TypedDict

from budget.core.collection import UnitStatus
from budget.core.fmt import half_unit
from budget.core.money import kronor
from budget.core.units import Collection
from budget.report.context import Context
from budget.report.model import Report
from budget.report.sections.base import Amount, Section, SidesJson, Text, sides


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


class UnitJson(TypedDict):
    ansvar: Text
    unit: NotRequired[Text | None]
    places: NotRequired[list[Text]]
    budget: NotRequired[SidesJson | None]
    forecast: SidesJson
    variance: NotRequired[Amount | None]
    change: NotRequired[Amount | None]
    comments: NotRequired[list[str]]
    measures: NotRequired[list[str]]


class CollectionPartJson(TypedDict):
    expected: Annotated[int, Field(ge=0)]
    returned: Annotated[int, Field(ge=0)]
    missing: list[Text]
    units: NotRequired[list[UnitJson]]


class CollectionJson(TypedDict):
    forecast_collection: NotRequired[
        Annotated[
            CollectionPartJson | None,
            Field(
                description=(
                    "The units' forecasts collected with budget samla (contract §4); "
                    "null without rows per ansvar in prognos.xlsx."
                )
            ),
        ]
    ]


def _unit(u: UnitStatus) -> UnitJson:
    return {
        "ansvar": u.ansvar,
        "unit": u.unit,
        "places": list(u.places),
        "budget": None if u.budget is None else sides(u.budget),
        "forecast": sides(u.forecast),
        "variance": None if u.variance is None else kronor(u.variance),
        "change": None if u.change is None else kronor(u.change),
        "comments": list(u.comments),
        "measures": list(u.measures),
    }


def to_json(report: Report) -> CollectionJson:
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


SECTION = Section("collection", build=build, shows=shows, json=to_json)
