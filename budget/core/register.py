"""The year as a register (contract §8): what a report for period P takes of the folder.

A förvaltning keeps one folder for the year: prognos.xlsx holds the units' forecasts of
every collection (each row with its ``Period``), and the report folder every report made.
A report for period P takes the forecast rows of P, and its forecast history from the
earlier reports of the year; the changes register is read by ``core.changes.as_of``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from budget.core.accuracy import Archived
from budget.core.fmt import MONTHS, money_with_unit

WORSENING = "prognos-forsamras"


def forecast_period(frame: pl.DataFrame | None, month: int) -> int | None:
    """The collection a report for ``month`` uses: the latest period ≤ ``month`` that has
    rows; None when the rows carry no period at or before it."""
    if frame is None or "period" not in frame.columns:
        return None
    periods = frame.filter(pl.col("period") <= month)["period"].drop_nulls()
    return None if periods.is_empty() else int(periods.max())  # type: ignore[arg-type]


def forecast_rows(frame: pl.DataFrame | None, month: int) -> pl.DataFrame | None:
    """prognos.xlsx as the report for ``month`` sees it: the rows without a period (they
    hold for every report) and those of its collection (``forecast_period``); rows of
    other collections, later ones above all, are left out."""
    if frame is None or "period" not in frame.columns:
        return frame
    chosen = forecast_period(frame, month)
    keep = pl.col("period").is_null()
    if chosen is not None:
        keep = keep | (pl.col("period") == chosen)
    return frame.filter(keep)


def previous_rows(frame: pl.DataFrame | None, month: int) -> pl.DataFrame | None:
    """The rows of the latest collection before ``month`` (the units' previous forecast in
    the underlag for ``month``); None when the register has none."""
    before = forecast_period(frame, month - 1)
    if frame is None or before is None:
        return None
    return frame.filter(pl.col("period") == before)


@dataclass(frozen=True)
class HistoryPoint:
    """One area's full-year forecast (net, öre, report signs) in the report of ``period``."""

    period: int
    area: str
    forecast_net: int


def history(
    earlier: Iterable[Archived], period: int, current: dict[str, int]
) -> tuple[HistoryPoint, ...]:
    """Every area's forecast in each earlier report of the year (before ``period``), and
    this report's (``current``: area -> forecast net), by area in this report's order."""
    points = [
        HistoryPoint(e.period, a.area, a.forecast)
        for e in earlier
        if e.period < period
        for a in e.areas
    ]
    points += [HistoryPoint(period, area, net) for area, net in current.items()]
    order = {area: i for i, area in enumerate(current)}
    return tuple(sorted(points, key=lambda p: (order.get(p.area, len(order)), p.area, p.period)))


@dataclass(frozen=True)
class Worsening:
    """An area whose forecast got worse in each of the last two reports."""

    area: str
    forecasts: tuple[tuple[int, int], ...]  # (period, forecast net), the last three reports

    @property
    def code(self) -> str:
        return WORSENING

    def message(self, unit: str) -> str:
        steps = ", ".join(
            f"{money_with_unit(net, unit)} i {MONTHS[period - 1]}" for period, net in self.forecasts
        )
        return f"Helårsprognosen, netto, har blivit sämre i två rapporter i rad: {steps}."


def worsening(points: Iterable[HistoryPoint], threshold: int) -> list[Worsening]:
    """Areas whose forecast net fell by more than ``threshold`` öre in each of the last two
    reports of their history (this one the last): a trend the nämnd should ask about."""
    by_area: dict[str, list[tuple[int, int]]] = {}
    for p in points:
        by_area.setdefault(p.area, []).append((p.period, p.forecast_net))
    out = []
    for area, series in by_area.items():
        last = sorted(series)[-3:]
        if len(last) == 3 and all(b[1] < a[1] - threshold for a, b in itertools.pairwise(last)):
            out.append(Worsening(area, tuple(last)))
    return out
