"""Åtgärder för en ekonomi i balans (contract §7): the förvaltning's measures and the bridge
from the forecast to the forecast after them.

The report's forecast is never changed by a measure. Per area and in total the bridge shows
the forecast; + the decided and completed measures that the forecast does not contain =
the forecast after decided measures; + the planned ones not in the forecast = the forecast
if the planned measures are carried out. Effects are öre this year, positive = a better
result, so they add to the net forecast and to the variance (report signs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from budget.core.lines import Line

DECIDED, PLANNED, DONE = "Beslutad", "Planerad", "Genomförd"


@dataclass(frozen=True)
class Measure:
    """One row of atgarder.xlsx."""

    area: str
    subarea: str | None
    measure: str
    effect: int  # öre this year, positive = a better result
    status: str  # Beslutad | Planerad | Genomförd
    in_forecast: bool
    responsible: str | None = None
    decision: str | None = None

    @property
    def decided(self) -> bool:
        """Decided or already carried out: it counts in 'efter beslutade åtgärder'."""
        return self.status in (DECIDED, DONE)


@dataclass(frozen=True)
class Bridge:
    """An area's (or the total's) way from the forecast to the forecast after measures."""

    area: str  # "" for the total
    forecast: int  # net forecast, report signs
    variance: int  # forecast − budget, + = överskott
    decided: int  # decided and completed measures not in the forecast
    planned: int  # planned measures not in the forecast

    @property
    def after_decided(self) -> int:
        return self.forecast + self.decided

    @property
    def after_planned(self) -> int:
        return self.after_decided + self.planned

    @property
    def variance_after_decided(self) -> int:
        return self.variance + self.decided

    @property
    def variance_after_planned(self) -> int:
        return self.variance_after_decided + self.planned


@dataclass(frozen=True)
class Measures:
    items: tuple[Measure, ...] = ()
    areas: tuple[Bridge, ...] = ()
    total: Bridge | None = None

    def of(self, area: str) -> list[Measure]:
        return [m for m in self.items if m.area == area]

    def bridge(self, area: str) -> Bridge | None:
        return next((b for b in self.areas if b.area == area), None)


def items(frame: pl.DataFrame | None) -> tuple[Measure, ...]:
    """The measures of atgarder.xlsx in the order of the file."""
    if frame is None:
        return ()
    return tuple(
        Measure(
            area=r["area"],
            subarea=r["subarea"],
            measure=r["measure"],
            effect=int(r["effect"]),
            status=r["status"],
            in_forecast=r["in_forecast"] == "Ja",
            responsible=r.get("responsible"),
            decision=r.get("decision"),
        )
        for r in frame.iter_rows(named=True)
    )


def build(found: Sequence[Measure], lines: Sequence[Line], total: Line) -> Measures:
    """The bridge per area that has a measure (in the order of the report's areas), and in
    total over every area. Without measures there is nothing to show."""
    if not found:
        return Measures()
    areas = []
    for ln in lines:
        if not ln.is_area:
            continue
        own = [m for m in found if m.area == ln.area]
        if own:
            areas.append(_bridge(ln.area, ln.forecast.net, ln.variance.net, own))
    summed = _bridge("", total.forecast.net, total.variance.net, list(found))
    return Measures(tuple(found), tuple(areas), summed)


def _bridge(area: str, forecast: int, variance: int, own: list[Measure]) -> Bridge:
    outside = [m for m in own if not m.in_forecast]
    return Bridge(
        area=area,
        forecast=forecast,
        variance=variance,
        decided=sum(m.effect for m in outside if m.decided),
        planned=sum(m.effect for m in outside if m.status == PLANNED),
    )
