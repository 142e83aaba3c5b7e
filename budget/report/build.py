"""From inputs to the report model: the pure pipeline (no files, no clock, no printing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from fractions import Fraction
from typing import Any

import polars as pl

from budget import __version__
from budget.checks import rules as checks
from budget.core import changes as ch
from budget.core import goals, investments, transfer, volumes
from budget.core.accuracy import Archived, reported_record, track_record
from budget.core.collection import (
    Cell,
    UnitRow,
    UnitStatus,
    own_change,
    sides_by_cell,
    unit_forecast,
)
from budget.core.forecast import LeafFacts, MissingBasis, budget_shares, forecast, leaf_facts
from budget.core.frames import Inputs
from budget.core.ledger import (
    UNASSIGNED_SUBAREA,
    UNMAPPED,
    LeafKey,
    Monthly,
    Reconciliation,
    budget_by_leaf,
    drill_down,
    reconcile,
    summarise,
)
from budget.core.methods import MIXED, Method
from budget.core.money import ZERO, Sides, round_ore, total
from budget.core.period import Period
from budget.core.settings import OWN_ANSLAG, Settings
from budget.diagnostics import Diagnostic, InputErrors, errors, warnings
from budget.report import decision
from budget.report.compare import compare as compare_previous
from budget.report.labels import METHOD_LABELS
from budget.report.model import (
    Anslag,
    BridgeLine,
    Collection,
    Comment,
    Line,
    MonthlyPath,
    Report,
)


@dataclass(frozen=True)
class Prepared:
    """Inputs checked and summarised: what both ``validate`` and ``report`` need."""

    inputs: Inputs
    monthly: Monthly
    period: Period
    diagnostics: list[Diagnostic]


def resolve_period(
    inputs: Inputs, monthly: Monthly, requested: int | None
) -> tuple[int | None, list[Diagnostic]]:
    """The report month: the one asked for, else the latest month with ledger rows."""
    assert inputs.settings is not None
    year = inputs.settings.year
    months = monthly.months_with_rows(year)
    if not months:
        return None, [
            Diagnostic(
                "E208",
                f"utfallsfilerna har inga rader för {year}",
                column="År",
                value=str(year),
                expected=f"rader med År = {year}",
            )
        ]
    if requested is None:
        return max(months), []
    if requested > max(months):
        return None, [
            Diagnostic(
                "E210",
                f"perioden {requested} är begärd men senaste bokförda månad {year} "
                f"är {max(months)}",
                column="Period",
                value=str(requested),
                expected=f"högst {max(months)}",
            )
        ]
    return requested, []


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


def prepare(inputs: Inputs, requested_period: int | None = None) -> Prepared:
    """Read-level and cross-file checks; raises InputErrors when anything is an error.

    The cross-file checks run even when a workbook had errors (on the rows that
    were valid), so one run lists every problem, not only the first file's.
    """
    diags = list(inputs.diagnostics)
    monthly = summarise(inputs.ledger, inputs.structure)
    cells = inputs.cells
    named = (
        None
        if inputs.investments is None
        else inputs.investments.filter(pl.col("area").is_not_null())
    )
    referring = [inputs.changes, inputs.forecasts, inputs.volumes, named]
    diags.extend(checks.area_references(inputs.structure, referring, cells))
    diags.extend(checks.change_rules(inputs.changes, cells))
    diags.extend(
        checks.unit_rows(inputs.forecasts, inputs.structure, inputs.responsibilities, cells)
    )
    diags.extend(checks.goal_references(inputs.indicators, inputs.assessments, cells))
    settings = inputs.settings
    if settings is None:
        raise InputErrors(diags)
    year = settings.year
    forecast_file = inputs.sources.get("prognos")
    forecast_errors = any(
        d.severity == "fel" and d.file is not None and d.file == forecast_file
        for d in inputs.diagnostics
    )
    leaves = leaves_by_area(inputs, monthly, year)
    diags.extend(
        checks.method_bases(settings, inputs.forecasts, inputs.volumes, leaves, forecast_errors)
    )
    diags.extend(checks.anslag_areas(settings, leaves))
    month, found = resolve_period(inputs, monthly, requested_period)
    diags.extend(found)
    if month is not None:
        diags.extend(
            checks.ledger_warnings(
                inputs.ledger, inputs.structure, inputs.budget, year, month, cells
            )
        )
        diags.extend(checks.budget_warnings(inputs.budget, year, cells))
    if errors(diags) or month is None:
        raise InputErrors(diags)
    return Prepared(inputs, monthly, Period(year, month), diags)


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
    result_units: tuple[transfer.ResultUnit, ...] = ()


def compute(prepared: Prepared) -> Figures:
    """Forecast every leaf, add up areas and the total, and reconcile with the ledger."""
    inputs, monthly, period = prepared.inputs, prepared.monthly, prepared.period
    settings = inputs.settings
    assert settings is not None
    year, p = period.year, period.month
    diags = list(prepared.diagnostics)
    changes = ch.from_frame(inputs.changes)
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
    manual = _manual(inputs)
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
            unit = manual.get(leaf, NO_UNIT_FORECAST)
            own = {c: s for c, (lf, s) in cells.items() if lf == leaf}
            fallback_note: tuple[str, ...] = ()
            if unit.rows and method == Method.MANUAL:
                facts, fallback_note = _with_unit_forecast(
                    facts, unit, settings.fallback_method, own, unit_cells
                )
            elif method == Method.MANUAL and collected:
                # Units report, but none for this leaf (guarded by checks.method_bases).
                facts = replace(facts, manual=forecast(settings.fallback_method, facts).value)
                label = METHOD_LABELS[settings.fallback_method.value].lower()
                fallback_note = (f"ingen enhet har lämnat prognos: {label}",)
            line, notes = _leaf_line(leaf, method, facts, _merged(unit.comments))
            if unit.rows and method != Method.MANUAL:
                # The units' forecasts inform the report but do not make the leaf's
                # forecast: per unit, a side it left empty is its share of the leaf's.
                unit_cells.update(unit_forecast(list(unit.rows), line.forecast, own).cells)
            if method == Method.MANUAL:
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
        units=_unit_statuses(inputs, year, unit_cells),
        result_units=_result_units(inputs, settings, year, p, unit_cells),
    )


def _result_units(
    inputs: Inputs, settings: Settings, year: int, period: int, unit_cells: dict[Cell, Sides]
) -> tuple[transfer.ResultUnit, ...]:
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
    return transfer.result_units(
        [(str(a), n) for a, n in chosen],
        budgets,
        forecasts,
        ledger,
        year,
        period,
        settings.fallback_method,
        settings.transfer_cap,
    )


def build_report(
    prepared: Prepared,
    generated_at: datetime,
    previous: tuple[dict[str, Any], str] | None = None,
    archived: list[Archived] | None = None,
) -> Report:
    """The report: the figures, the track record, the change since the previous report
    (an earlier report's JSON as data, and its file name), earlier years' reported
    forecasts against their outcome, drill-downs, goals and texts."""
    inputs, period = prepared.inputs, prepared.period
    settings = inputs.settings
    assert settings is not None
    year, p = period.year, period.month
    figures = compute(prepared)
    changes = list(figures.changes)
    accuracy = track_record(
        prepared.monthly,
        inputs.budget,
        inputs.structure,
        figures.by_area,
        figures.periodisation,
        inputs.volumes,
        year,
        settings.volume_rest,
    )
    reported = reported_record(archived or [], prepared.monthly, set(figures.by_area))
    change = None
    if previous is not None:
        change = compare_previous(previous[0], previous[1], list(figures.lines))
    return Report(
        drill=drill_down(inputs.ledger, inputs.structure, inputs.responsibilities, year, p),
        accuracy=accuracy,
        reported=reported,
        forecast_change=change,
        volumes=figures.volumes,
        volume_rest=settings.volume_rest,
        namnd=settings.namnd,
        inputs_name=inputs.name,
        period=period,
        unit=settings.unit,
        title=decision.report_title(year, p),
        lines=figures.lines,
        total=figures.total,
        bridge=figures.bridge,
        bridge_total={s: total([b.steps[s] for b in figures.bridge]) for s in ch.BRIDGE_STEPS},
        changes=figures.changes,
        requested_turnover=ch.requested_turnover(changes),
        requested_adjustment=ch.requested_adjustment(changes),
        decision=tuple(
            decision.proposal(year, p, changes, settings.unit, _separate_anslag(settings))
        ),
        goals=goals.build(inputs.indicators, inputs.assessments, p),
        reconciliation=figures.reconciliation,
        paths=figures.paths,
        warnings=tuple(warnings(list(figures.diagnostics))),
        files=tuple(inputs.files),
        generated_at=generated_at,
        version=__version__,
        collection=_collection(inputs),
        units=figures.units,
        diarienummer=settings.diarienummer,
        handlaggare=settings.handlaggare,
        dated=settings.datum,
        anslag=anslag_of(figures.lines, settings),
        result_units=figures.result_units,
        transfer_cap=settings.transfer_cap,
        investments=investments.projects(inputs.investments, inputs.ledger, year, p),
    )


def _separate_anslag(settings: Settings) -> Callable[[str], str | None]:
    """An area's anslag when it is a separate one (not Nämndens verksamhet)."""

    def of(area: str) -> str | None:
        name = settings.anslag_of(area)
        return None if name == OWN_ANSLAG else name

    return of


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


def _merged(comments: tuple[Comment, ...]) -> tuple[Comment, ...]:
    """One comment per text: units (and a unit's rows) that wrote the same are named once,
    together, so that the nämnd reads each thought once."""
    by: dict[tuple[str | None, str], list[str]] = {}
    for c in comments:
        names = by.setdefault((c.subarea, c.text), [])
        if c.by and c.by not in names:
            names.append(c.by)
    return tuple(Comment(sub, text, ", ".join(names) or None) for (sub, text), names in by.items())


def _collection(inputs: Inputs) -> Collection | None:
    """The units that returned a forecast, when prognos.xlsx has rows per unit."""
    if inputs.forecasts is None or inputs.responsibilities is None:
        return None
    returned = set(inputs.forecasts["ansvar"].drop_nulls().to_list())
    if not returned:
        return None
    expected = tuple(inputs.responsibilities["ansvar"].to_list())
    names = {a: n for a, n in inputs.responsibilities.select("ansvar", "unit").iter_rows() if n}
    return Collection(expected, tuple(a for a in expected if a in returned), names)


def _with_unit_forecast(
    facts: LeafFacts,
    unit: UnitForecast,
    fallback: Method,
    own: dict[Cell, Sides],
    unit_cells: dict[Cell, Sides],
) -> tuple[LeafFacts, tuple[str, ...]]:
    """A manual leaf's forecast from its prognos.xlsx rows, units without one at the
    reserve method's forecast (contract §4), and the note that says how many."""
    leaf = unit_forecast(list(unit.rows), forecast(fallback, facts).value, own)
    unit_cells.update(leaf.cells)
    note = (
        (
            f"{leaf.missing} av {leaf.units} enheter utan prognos: "
            f"{METHOD_LABELS[fallback.value].lower()}",
        )
        if leaf.missing
        else ()
    )
    return replace(facts, manual=leaf.value), note


def _unit_statuses(
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


def _manual(inputs: Inputs) -> dict[LeafKey, UnitForecast]:
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
