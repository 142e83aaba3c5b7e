"""The units' own forecasts (prognos.xlsx): per leaf, per unit, and the resultatenheter.

``by_leaf`` groups the rows per leaf (in report signs, with their comments and reasons);
``with_unit_forecast`` makes a manual leaf's forecast of them, units without one at the
reserve method; ``unit_statuses`` and ``result_units`` give each unit's figures, and
``collection`` which units returned a forecast of those expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl

from budget.core.collection import (
    Cell,
    UnitRow,
    UnitStatus,
    own_change,
    sides_by_cell,
    unit_forecast,
)
from budget.core.forecast import LeafFacts, forecast
from budget.core.frames import Inputs
from budget.core.ledger import LeafKey
from budget.core.lines import Comment
from budget.core.methods import Method
from budget.core.money import ZERO, Sides, total
from budget.core.settings import Settings
from budget.core.transfer import ResultUnit
from budget.core.transfer import result_units as transfer_result_units


@dataclass(frozen=True)
class Collection:
    """Which units returned a forecast (prognos.xlsx rows with Ansvar) of those expected."""

    expected: tuple[str, ...]  # the Ansvar sheet's units
    returned: tuple[str, ...]
    names: dict[str, str] = field(default_factory=dict)  # ansvar -> Enhet

    @property
    def missing(self) -> tuple[str, ...]:
        got = set(self.returned)
        return tuple(a for a in self.expected if a not in got)


def collection(inputs: Inputs) -> Collection | None:
    """The units that returned a forecast, when prognos.xlsx has rows per unit."""
    if inputs.forecasts is None or inputs.responsibilities is None:
        return None
    returned = set(inputs.forecasts["ansvar"].drop_nulls().to_list())
    if not returned:
        return None
    expected = tuple(inputs.responsibilities["ansvar"].to_list())
    names = {a: n for a, n in inputs.responsibilities.select("ansvar", "unit").iter_rows() if n}
    return Collection(expected, tuple(a for a in expected if a in returned), names)


@dataclass(frozen=True)
class UnitForecast:
    """A leaf's rows of prognos.xlsx: the forecast, the comments and the reasons for change."""

    rows: tuple[UnitRow, ...]
    comments: tuple[Comment, ...] = ()
    reasons: tuple[Comment, ...] = ()

    def __add__(self, other: UnitForecast) -> UnitForecast:
        return UnitForecast(
            self.rows + other.rows,
            self.comments + other.comments,
            self.reasons + other.reasons,
        )


NO_UNIT_FORECAST = UnitForecast(())


def merged(comments: tuple[Comment, ...]) -> tuple[Comment, ...]:
    """One comment per text: units (and a unit's rows) that wrote the same are named once,
    together, so that the nämnd reads each thought once."""
    by: dict[tuple[str | None, str], list[str]] = {}
    for c in comments:
        names = by.setdefault((c.subarea, c.text), [])
        if c.by and c.by not in names:
            names.append(c.by)
    return tuple(Comment(sub, text, ", ".join(names) or None) for (sub, text), names in by.items())


def with_unit_forecast(
    facts: LeafFacts,
    unit: UnitForecast,
    fallback: Method,
    fallback_label: str,
    own: dict[Cell, Sides],
    unit_cells: dict[Cell, Sides],
) -> tuple[LeafFacts, tuple[str, ...]]:
    """A manual leaf's forecast from its prognos.xlsx rows, units without one at the
    reserve method's forecast (contract §4), and the note that says how many."""
    leaf = unit_forecast(list(unit.rows), forecast(fallback, facts).value, own)
    unit_cells.update(leaf.cells)
    note = (
        (f"{leaf.missing} av {leaf.units} enheter utan prognos: {fallback_label.lower()}",)
        if leaf.missing
        else ()
    )
    return replace(facts, manual=leaf.value), note


def unit_statuses(
    inputs: Inputs, year: int, unit_cells: dict[Cell, Sides]
) -> tuple[UnitStatus, ...]:
    """Per unit that returned a forecast: its forecast, budget, change and åtgärder."""
    if inputs.forecasts is None or not unit_cells:
        return ()
    names = (
        {}
        if inputs.responsibilities is None
        else dict(inputs.responsibilities.select("ansvar", "unit").iter_rows())
    )
    with_ansvar = inputs.budget.filter(pl.col("year") == year, pl.col("ansvar").is_not_null())
    budget = (
        {c: s for c, (_, s) in sides_by_cell(with_ansvar.lazy(), inputs.structure).items()}
        if with_ansvar.height
        else None
    )
    rows: dict[str, list[dict[str, Any]]] = {}
    for r in inputs.forecasts.iter_rows(named=True):
        if r["ansvar"] and r["verksamhet"]:
            rows.setdefault(r["ansvar"], []).append(r)
    out = []
    for ansvar, own in rows.items():
        cells = sorted(c for c in unit_cells if c[0] == ansvar)
        places = dict.fromkeys(
            r["area"] if r["subarea"] is None else f"{r['area']} › {r['subarea']}" for r in own
        )
        out.append(
            UnitStatus(
                ansvar,
                names.get(ansvar)
                or next((r["submitted_by"] for r in own if r["submitted_by"]), None),
                tuple(places),
                None if budget is None else total([budget.get(c, ZERO) for c in cells]),
                total([unit_cells[c] for c in cells]),
                own_change([UnitRow.of_forecast(r) for r in own]),
                tuple(dict.fromkeys(r["comment"] for r in own if r["comment"])),
                tuple(dict.fromkeys(r["measures"] for r in own if r["measures"])),
            )
        )
    return tuple(out)


def by_leaf(inputs: Inputs) -> dict[LeafKey, UnitForecast]:
    """prognos.xlsx rows per leaf: entered as positive kronor, returned in report signs."""
    out: dict[LeafKey, UnitForecast] = {}
    if inputs.forecasts is None:
        return out
    for r in inputs.forecasts.iter_rows(named=True):
        leaf = (r["area"], r["subarea"])
        row = UnitForecast(
            (UnitRow.of_forecast(r),),
            tuple(
                Comment(r["subarea"], text, r["submitted_by"]) for text in (r["comment"],) if text
            ),
            tuple(
                Comment(r["subarea"], text, r["submitted_by"])
                for text in (r["change_reason"],)
                if text
            ),
        )
        out[leaf] = out[leaf] + row if leaf in out else row
    return out


def result_units(
    inputs: Inputs, settings: Settings, year: int, period: int, unit_cells: dict[Cell, Sides]
) -> tuple[ResultUnit, ...]:
    """The resultatenheter of the Ansvar sheet with budget, forecast and transfer."""
    resp = inputs.responsibilities
    if resp is None:
        return ()
    chosen = resp.filter(pl.col("result_unit") == "Ja").select("ansvar", "unit").rows()
    if not chosen:
        return ()
    with_ansvar = inputs.budget.filter(pl.col("year") == year, pl.col("ansvar").is_not_null())
    budgets: dict[str, Sides] = {}
    if with_ansvar.height:
        for (ansvar, _), (_, sides) in sides_by_cell(with_ansvar.lazy(), inputs.structure).items():
            budgets[ansvar] = budgets.get(ansvar, ZERO) + sides
    returned = (
        set()
        if inputs.forecasts is None
        else set(inputs.forecasts["ansvar"].drop_nulls().to_list())
    )
    forecasts = {a: total([s for c, s in unit_cells.items() if c[0] == a]) for a in returned}
    ledger = inputs.ledger.filter(pl.col("year").is_in([year - 1, year]))
    return transfer_result_units(
        [(str(a), n) for a, n in chosen],
        budgets,
        forecasts,
        ledger,
        year,
        period,
        settings.fallback_method,
        settings.transfer_cap,
    )
