"""The figures of a report: every leaf forecast, areas and the total added up, reconciled.

``compute`` is the per-leaf forecast loop: each leaf (a delområde, or an area without
delområden) is forecast by its method (``core.forecast``), a manual leaf from the units'
own forecasts (``core.units``); delområden add up to their area, areas to the total, and
the total reconciles to the öre with the ledger. Nothing here depends on the clock or on
an earlier report; ``report.build`` adds those.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

import polars as pl

from budget.core import changes as ch
from budget.core import units, volumes
from budget.core.collection import Cell, UnitStatus, sides_by_cell, unit_forecast
from budget.core.forecast import (
    METHODS,
    RESERVE,
    Basis,
    LeafFacts,
    MissingBasis,
    budget_shares,
    forecast,
    leaf_facts,
)
from budget.core.frames import Inputs
from budget.core.ledger import (
    UNASSIGNED_SUBAREA,
    UNMAPPED,
    LeafKey,
    Monthly,
    Reconciliation,
    budget_by_leaf,
    reconcile,
)
from budget.core.lines import Anslag, BridgeLine, Comment, Line, MonthlyPath
from budget.core.methods import MIXED, Method
from budget.core.money import ZERO, Sides, round_ore, total
from budget.core.period import Period
from budget.core.settings import OWN_ANSLAG, Settings
from budget.core.transfer import ResultUnit
from budget.core.units import Collection
from budget.core.volumes import PriceVolume
from budget.diagnostics import Diagnostic


@dataclass(frozen=True)
class Prepared:
    """Inputs checked and summarised: what both ``validate`` and ``report`` need."""

    inputs: Inputs
    monthly: Monthly
    period: Period
    diagnostics: list[Diagnostic]
    # prognos.xlsx whole, every period's collection (``inputs.forecasts`` holds the
    # period's own, core.register.forecast_rows).
    forecast_register: pl.DataFrame | None = None


def leaves_by_area(inputs: Inputs, monthly: Monthly, year: int) -> dict[str, list[str | None]]:
    """Areas in the order of struktur.xlsx (Ej fördelat last) with their leaves."""
    out: dict[str, list[str | None]] = {}
    for area, subarea in inputs.structure.select("area", "subarea").iter_rows():
        subs = out.setdefault(area, [])
        if subarea not in subs:
            subs.append(subarea)
    extra = monthly.leaves(year) | monthly.leaves(year - 1)
    extra |= {c.leaf for c in ch.from_frame(inputs.changes)}
    extra |= set(budget_by_leaf(inputs.budget, inputs.structure, year))
    for area, subarea in sorted(extra, key=lambda k: (k[0], k[1] or "")):
        subs = out.setdefault(area, [])
        if subarea not in subs:
            subs.append(subarea)
    if UNMAPPED in out:
        out[UNMAPPED] = out.pop(UNMAPPED)
    return out


@dataclass(frozen=True)
class Figures:
    """Every figure of a report that does not depend on the clock or the previous report."""

    lines: tuple[Line, ...]
    total: Line
    paths: tuple[MonthlyPath, ...]
    reconciliation: Reconciliation
    bridge: tuple[BridgeLine, ...]
    changes: tuple[ch.Change, ...]
    volumes: tuple[volumes.Measure, ...]
    by_area: dict[str, list[str | None]]
    periodisation: list[tuple[str | None, int, float]]
    diagnostics: tuple[Diagnostic, ...]
    units: tuple[UnitStatus, ...] = ()
    result_units: tuple[ResultUnit, ...] = ()
    collection: Collection | None = None
    anslag: tuple[Anslag, ...] = ()
    # Each measure's cost variance split into volume and price (contract §9).
    volume_analysis: tuple[PriceVolume, ...] = ()


def compute(prepared: Prepared) -> Figures:
    """Forecast every leaf, add up areas and the total, and reconcile with the ledger.

    A leaf whose method is made of the units' own forecasts (``manuell``) takes them from
    prognos.xlsx or the returned underlag; where units report but none for the leaf, or a
    unit left its row empty, the method's fallback, the reserve method, stands in.
    """
    inputs, monthly, period = prepared.inputs, prepared.monthly, prepared.period
    settings = inputs.settings
    assert settings is not None
    year, p = period.year, period.month
    diags = list(prepared.diagnostics)
    changes = ch.as_of(ch.from_frame(inputs.changes), p)
    bridge = ch.bridge(budget_by_leaf(inputs.budget, inputs.structure, year), changes)
    by_area = leaves_by_area(inputs, monthly, year)
    periodisation = (
        []
        if inputs.periodisation is None
        else [
            (a, int(m), float(s))
            for a, m, s in inputs.periodisation.select("area", "period", "share").iter_rows()
        ]
    )
    manual = units.by_leaf(inputs)
    reserve_label = METHODS[settings.fallback_method].label
    volume_items = volumes.measures(inputs.volumes, year, p, settings.volume_rest)
    volume_costs = volumes.leaf_costs(volume_items)
    turnover = ch.turnover_by_leaf(changes)
    ytd = inputs.ledger.lazy().filter(pl.col("year") == year, pl.col("period") <= p)
    collected = any(r.cell is not None for u in manual.values() for r in u.rows)
    cells = sides_by_cell(ytd, inputs.structure) if collected else {}
    unit_cells: dict[Cell, Sides] = {}
    lines: list[Line] = []
    paths: list[MonthlyPath] = []
    for area, subs in by_area.items():
        shares = budget_shares(periodisation, area)
        leaf_lines = []
        for sub in subs:
            leaf: LeafKey = (area, sub)
            method = settings.method_for(area, sub) if area != UNMAPPED else Method.LINEAR
            facts = leaf_facts(
                monthly,
                year,
                p,
                leaf,
                bridge.revised(leaf),
                shares,
                None,
                volume_costs.get(leaf),
                turnover.get(leaf, ZERO),
            )
            unit = manual.get(leaf, units.NO_UNIT_FORECAST)
            own = {c: s for c, (lf, s) in cells.items() if lf == leaf}
            record = METHODS[method]
            from_units = Basis.UNIT_FORECASTS in record.needs
            fallback_note: tuple[str, ...] = ()
            if from_units and unit.rows:
                facts, fallback_note = units.with_unit_forecast(
                    facts, unit, settings.fallback_method, reserve_label, own, unit_cells
                )
            elif from_units and collected and record.fallback == RESERVE:
                # Units report, but none for this leaf (guarded by checks.method_bases).
                facts = replace(facts, manual=forecast(settings.fallback_method, facts).value)
                fallback_note = (f"ingen enhet har lämnat prognos: {reserve_label.lower()}",)
            line, notes = _leaf_line(leaf, method, facts, units.merged(unit.comments))
            if unit.rows and not from_units:
                # The units' forecasts inform the report but do not make the leaf's
                # forecast: per unit, a side it left empty is its share of the leaf's.
                unit_cells.update(unit_forecast(list(unit.rows), line.forecast, own).cells)
            if from_units:
                line = replace(line, notes=line.notes + fallback_note)
            line = replace(
                line,
                requested=bridge.steps.get(leaf, {}).get("requested", ZERO),
                reasons=unit.reasons,
            )
            diags.extend(notes)
            leaf_lines.append(line)
        area_line = _area_line(area, leaf_lines)
        lines.append(area_line)
        lines.extend(_subarea_lines(leaf_lines))
        paths.append(_path(monthly, year, p, area, subs, area_line, shares))
    analysis, analysis_notes = _volume_analysis(
        inputs, settings, monthly, year, p, by_area, volume_items, lines
    )
    diags.extend(analysis_notes)
    areas = [ln for ln in lines if ln.is_area]
    rec = reconcile(monthly, year, p, {a.area: a.actual.net for a in areas})
    assert rec.balanced, "reconciliation identity broken: a bug, not an input problem"
    return Figures(
        lines=tuple(lines),
        total=_sum_line("Totalt", areas),
        paths=tuple(paths),
        reconciliation=rec,
        bridge=tuple(_bridge_lines(by_area, bridge)),
        changes=tuple(changes),
        volumes=tuple(volume_items),
        by_area=by_area,
        periodisation=periodisation,
        diagnostics=tuple(diags),
        units=units.unit_statuses(inputs, year, unit_cells),
        result_units=units.result_units(inputs, settings, year, p, unit_cells),
        collection=units.collection(inputs),
        anslag=anslag_of(tuple(lines), settings),
        volume_analysis=analysis,
    )


def _volume_analysis(
    inputs: Inputs,
    settings: Settings,
    monthly: Monthly,
    year: int,
    period: int,
    by_area: dict[str, list[str | None]],
    items: list[volumes.Measure],
    lines: list[Line],
) -> tuple[tuple[PriceVolume, ...], list[Diagnostic]]:
    """The volume and price split of every measure, with its leaf's costs: a measure on an
    area with delområden takes the whole area's (its line, and its leaves' ledger)."""
    by_key = {(ln.area, ln.subarea): ln for ln in lines}
    costs: dict[LeafKey, volumes.LeafCosts] = {}
    for m in items:
        line = by_key.get(m.leaf)
        if line is None or m.leaf in costs:
            continue
        leaves = [m.leaf] if m.subarea is not None else [(m.area, s) for s in by_area[m.area]]
        had = any(monthly.has(year - 1, leaf) for leaf in leaves)
        last = -sum(monthly.ytd(year - 1, leaf, 12).costs for leaf in leaves) if had else None
        months = tuple(
            -sum(monthly.month(year, leaf, month).costs for leaf in leaves)
            for month in range(1, period + 1)
        )
        costs[m.leaf] = volumes.LeafCosts(-line.budget.costs, -line.forecast.costs, last, months)
    last_year = volumes.measures(inputs.volumes, year - 1, 12, settings.volume_rest)
    return volumes.analyse(items, last_year, costs, settings.volume_measures)


def _leaf_line(
    leaf: LeafKey, method: Method, facts: LeafFacts, comments: tuple[Comment, ...]
) -> tuple[Line, list[Diagnostic]]:
    """A leaf's line, and a W306 for each side a seasonal forecast had to take linearly."""
    try:
        result = forecast(method, facts)
    except MissingBasis as exc:  # guarded by checks.method_bases
        raise AssertionError(f"no basis for {exc} at {leaf}") from exc
    area, sub = leaf
    where = f"{area} › {sub}" if sub else area
    fallbacks = [
        Diagnostic("W306", f"{where}: säsongsprognos saknar underlag, {note}", value=where)
        for note in result.notes
    ]
    notes = result.notes + (("inkl. omslutningsförändring",) if result.turnover != ZERO else ())
    line = Line(area, sub, facts.budget, facts.actual, result.value, result.method, notes, comments)
    return line, fallbacks


def _sum_line(name: str, lines: list[Line]) -> Line:
    return Line(
        name,
        None,
        total([ln.budget for ln in lines]),
        total([ln.actual for ln in lines]),
        total([ln.forecast for ln in lines]),
        requested=total([ln.requested for ln in lines]),
    )


def _area_line(area: str, leaf_lines: list[Line]) -> Line:
    """An area: the sum of its leaves, with their method when they share one."""
    leaf_methods = {ln.method for ln in leaf_lines}
    return replace(
        _sum_line(area, leaf_lines),
        method=leaf_methods.pop() if len(leaf_methods) == 1 else MIXED,
        notes=tuple(n for ln in leaf_lines for n in ln.notes),
        comments=tuple(c for ln in leaf_lines for c in ln.comments),
        reasons=tuple(c for ln in leaf_lines for c in ln.reasons),
    )


def _bridge_lines(by_area: dict[str, list[str | None]], bridge: ch.Bridge) -> list[BridgeLine]:
    """Each area's way from the original budget to the revised one."""
    return [
        BridgeLine(
            area,
            {
                s: total([bridge.steps.get((area, sub), {}).get(s, ZERO) for sub in subs])
                for s in ch.BRIDGE_STEPS
            },
        )
        for area, subs in by_area.items()
    ]


def _subarea_lines(leaf_lines: list[Line]) -> list[Line]:
    """An area's delområde lines, which always add up to the area, column by column.

    Where an area has delområden, whatever is booked, budgeted or changed on the
    area itself (a code without delområde, a change posted at area level) gets a
    line of its own, "Ej fördelat på delområde", when it holds anything.
    """
    named = [ln for ln in leaf_lines if ln.subarea is not None]
    if not named:
        return []
    out = list(named)
    for ln in leaf_lines:
        if ln.subarea is None and any(s != ZERO for s in (ln.budget, ln.actual, ln.forecast)):
            out.append(replace(ln, subarea=UNASSIGNED_SUBAREA))
    for field in ("budget", "actual", "forecast"):
        shown = total([getattr(ln, field) for ln in out])
        assert shown == total([getattr(ln, field) for ln in leaf_lines]), (
            "delområden do not add up to their area: a bug, not an input problem"
        )
    return out


def _path(
    monthly: Monthly,
    year: int,
    period: int,
    area: str,
    subs: list[str | None],
    line: Line,
    shares: tuple[Fraction, ...],
) -> MonthlyPath:
    """Cumulative net actual to date and the periodised revised budget, for the chart."""
    actual = []
    running = 0
    for m in range(1, period + 1):
        running += sum(monthly.month(year, (area, s), m).net for s in subs)
        actual.append(running)
    budget = []
    cum = Fraction(0)
    for share in shares:
        cum += share
        budget.append(round_ore(line.budget.net * cum))
    return MonthlyPath(area, tuple(actual), tuple(budget), line.forecast.net)


def anslag_of(lines: tuple[Line, ...], settings: Settings) -> tuple[Anslag, ...]:
    """The area lines summed per anslag: Nämndens verksamhet (every area [anslag] does
    not name) first, then the others in the order of namnd.toml; every area in one."""
    order = [OWN_ANSLAG, *(name for name, _ in settings.anslag if name != OWN_ANSLAG)]
    members: dict[str, list[Line]] = {name: [] for name in order}
    for line in lines:
        if line.is_area:
            members[settings.anslag_of(line.area)].append(line)
    return tuple(
        Anslag(
            name,
            tuple(ln.area for ln in held),
            total([ln.budget for ln in held]),
            total([ln.actual for ln in held]),
            total([ln.forecast for ln in held]),
            total([ln.requested for ln in held]),
        )
        for name, held in members.items()
        if held
    )
