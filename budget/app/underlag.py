"""``budget underlag``: one prognosunderlag workbook per ansvar (contract §4)."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl

from budget.checks.prepare import prepare
from budget.core.collection import Cell, UnitLine, UnitRow, unit_lines
from budget.core.figures import Figures, Prepared, compute
from budget.core.ledger import UNASSIGNED_SUBAREA, LeafKey
from budget.core.money import Sides
from budget.core.names import underlag_file_names
from budget.core.register import previous_rows
from budget.core.steps import Steps
from budget.diagnostics import Diagnostic, InputErrors, OutputError, errors, os_reason
from budget.edge import inputs as inputs_mod
from budget.edge import readers, sent
from budget.edge.returned import collected_for
from budget.report.decision import report_title


def default_out(folder: Path, suffix: str) -> Path:
    """underlag/<inputs folder>-<period>/, as the contract names it."""
    return Path("underlag") / f"{folder.resolve().name}-{suffix}"


def leaf_forecasts(figures: Figures) -> dict[LeafKey, Sides]:
    """The forecast of every leaf: a delområde, or an area without delområden."""
    out: dict[LeafKey, Sides] = {}
    for ln in figures.lines:
        subs = figures.by_area.get(ln.area, [None])
        if ln.subarea is None:
            if subs == [None]:
                out[(ln.area, None)] = ln.forecast
        else:
            sub = None if ln.subarea == UNASSIGNED_SUBAREA else ln.subarea
            out[(ln.area, sub)] = ln.forecast
    return out


def require_responsibilities(prepared: Prepared, verb: str) -> pl.DataFrame:
    """struktur.xlsx's sheet Ansvar: the units an underlag is written for and collected from."""
    found = prepared.inputs.responsibilities
    if found is None:
        raise InputErrors(
            [
                *prepared.diagnostics,
                Diagnostic(
                    "E003",
                    f"bladet Ansvar saknas: underlaget {verb} per ansvar i det bladet",
                    file="struktur.xlsx",
                    sheet="Ansvar",
                    expected="ett blad Ansvar med kolumnerna Ansvar och Enhet",
                ),
            ]
        )
    return found


def expected_lines(prepared: Prepared) -> tuple[Figures, dict[str, list[UnitLine]]]:
    """The report's figures and, per ansvar, the rows its underlag has (or had when sent)."""
    inputs, period = prepared.inputs, prepared.period
    figures = compute(prepared)
    lines = unit_lines(
        inputs.ledger,
        inputs.budget,
        inputs.structure,
        period.year,
        period.month,
        leaf_forecasts(figures),
        previous_forecasts(prepared),
    )
    return figures, lines


PREVIOUS = "prognos-foregaende.xlsx"


def previous_forecasts(prepared: Prepared) -> dict[Cell, tuple[int | None, int | None]]:
    """Each unit's own forecast of the last collection, per (ansvar, verksamhet), report signs.

    That is prognos.xlsx's rows with Ansvar, unless samla wrote it for this very period (an
    underlag sent again after a first collection): then the file it kept, prognos-foregaende.
    A collection of another year is no previous forecast of this one.
    """
    inputs, period = prepared.inputs, prepared.period
    assert inputs.settings is not None
    register = prepared.forecast_register
    if register is not None and register["period"].is_not_null().any():
        # The register of periods (contract §8): the collection before this period.
        return _unit_sums(previous_rows(register, period.month))
    frame = inputs.forecasts
    source = inputs.folder / inputs.sources.get("prognos", "prognos.xlsx")
    held = collected_for(source) if frame is not None else None
    if held == (inputs.settings.namnd, period.year, period.month):
        kept = inputs.folder / PREVIOUS
        read = readers.read_forecasts(kept, kept.name) if kept.is_file() else None
        if read is not None and errors(read.diagnostics):
            raise InputErrors(read.diagnostics)
        frame = None if read is None else read.frame
        held = collected_for(kept) if frame is not None else None
    if frame is None or (held is not None and held[1] != period.year):
        return {}
    return _unit_sums(frame)


def _unit_sums(frame: pl.DataFrame | None) -> dict[Cell, tuple[int | None, int | None]]:
    """The units' rows summed per (ansvar, verksamhet), report signs."""
    if frame is None:
        return {}
    out: dict[Cell, tuple[int | None, int | None]] = {}
    for row in map(UnitRow.of_forecast, frame.iter_rows(named=True)):
        if row.cell is None:
            continue
        costs, revenues = out.get(row.cell, (None, None))
        if row.costs is not None:
            costs = (costs or 0) + row.costs
        if row.revenues is not None:
            revenues = (revenues or 0) + row.revenues
        out[row.cell] = (costs, revenues)
    return out


def prepared_inputs(folder: Path, period: int | None, steps: Steps) -> Prepared:
    """The inputs read and checked, each stage told to ``steps``; raises InputErrors."""
    with steps.stage("read"):
        loaded = inputs_mod.load(folder, steps)
    with steps.stage("check"):
        return prepare(loaded, period)


def write_underlag(
    folder: Path,
    period: int | None,
    out_dir: Path | None,
    generated_at: datetime,
    steps: Steps | None = None,
) -> Written:
    """Validate the inputs and write the workbooks; raises InputErrors, OutputError."""
    from budget.edge.write import write_all
    from budget.report.render import underlag

    steps = steps or Steps(time.perf_counter)
    prepared = prepared_inputs(folder, period, steps)
    inputs = prepared.inputs
    settings = inputs.settings
    assert settings is not None
    responsibilities = require_responsibilities(prepared, "skrivs")
    with steps.stage("compute"):
        figures, lines = expected_lines(prepared)
    year, month = prepared.period.year, prepared.period.month
    title = report_title(year, month)
    suffix = prepared.period.suffix
    target = out_dir if out_dir is not None else default_out(folder, suffix)
    files: dict[str, bytes] = {}
    books: list[sent.SentBook] = []
    chosen = list(responsibilities.select("ansvar", "unit", "manager").iter_rows())
    names = underlag_file_names([(a, u) for a, u, _ in chosen], suffix)
    returns = sent.returns_dir(target)  # underlag makes it, samla reads it
    try:
        with steps.stage("write_underlag"):
            for ansvar, unit, manager in chosen:
                identity = underlag.Identity(
                    settings.namnd, year, month, suffix, ansvar, unit, manager
                )
                rows: list[UnitLine] = lines.get(ansvar, [])
                name = names[ansvar]
                files[name] = underlag.render(identity, rows, title, generated_at)
                prefilled = underlag.prefilled_rows(rows)
                books.append(
                    sent.SentBook(
                        name,
                        ansvar,
                        unit,
                        hashlib.sha256(files[name]).hexdigest(),
                        underlag.fingerprint(identity, prefilled),
                        tuple(tuple(r) for r in prefilled),
                    )
                )
            # What was sent, beside it and in the same write: samla checks against it.
            record = sent.Sent(
                settings.namnd, year, month, suffix, generated_at.isoformat(), tuple(books)
            )
            files[sent.NAME] = sent.to_bytes(record)
            # The returns folder first: when it cannot be made, nothing is written.
            try:
                returns.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(
                    f"mappen för de ifyllda underlagen, {returns}, kan inte skapas "
                    f"({os_reason(exc)})"
                ) from exc
            written = write_all(target, files)
    except OSError as exc:
        where = exc.filename or target
        raise OutputError(f"underlaget kan inte skrivas till {where} ({os_reason(exc)})") from exc
    tertial = prepared.period.tertial
    return Written(
        target,
        [p for p in written if p.name != sent.NAME],
        returns,
        list(figures.diagnostics),
        f"--tertial {tertial.value}" if tertial else f"--period {month}",
    )


@dataclass(frozen=True)
class Written:
    """What underlag wrote: the folder, its workbooks, the (empty) returns folder it made."""

    folder: Path
    workbooks: list[Path]
    returns: Path
    diagnostics: list[Diagnostic]
    period_option: str  # the period as samla's option names it: --tertial T2, --period 5
