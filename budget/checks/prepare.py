"""The checks across files, and the report month: from read inputs to ``Prepared``.

``prepare`` runs every rule of ``checks.rules`` that needs more than one file (references
between workbooks, change rules, unit rows, goal references, method bases, anslag), summarises
the ledger once and resolves the period. Any error raises ``InputErrors`` with every
problem found, so that one run lists them all.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from budget.checks import rules as checks
from budget.core.figures import Prepared, leaves_by_area
from budget.core.frames import Inputs
from budget.core.ledger import Monthly, summarise
from budget.core.period import Period
from budget.core.register import forecast_rows
from budget.diagnostics import UNREAD, Diagnostic, InputErrors, errors


class Read:
    """Which of the required inputs were read at all (no error of ``UNREAD`` on them).

    One root error gives one message: the checks across files that need an input that was
    not read are not run, so that a renamed sheet in struktur.xlsx is not also reported as
    every code "unknown to the structure" and every area namnd.toml names "unknown".
    """

    def __init__(self, inputs: Inputs) -> None:
        unread = {d.file for d in inputs.diagnostics if d.code in UNREAD and d.file}

        def read(stem: str) -> bool:
            return stem in inputs.sources and inputs.sources[stem] not in unread

        self.structure = read("struktur")
        self.budget = read("budget")
        # volymer.xlsx is optional: given but not read, its measures are not known.
        self.volumes = "volymer" not in inputs.sources or read("volymer")
        ledgers = [f.name for f in inputs.files if f.name.lower().startswith("utfall")]
        self.ledger = bool(ledgers) and not unread.intersection(ledgers)


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


def prepare(inputs: Inputs, requested_period: int | None = None) -> Prepared:
    """Read-level and cross-file checks; raises InputErrors when anything is an error.

    The cross-file checks run even when a workbook had errors (on the rows that
    were valid), so one run lists every problem, not only the first file's.
    """
    diags = list(inputs.diagnostics)
    monthly = summarise(inputs.ledger, inputs.structure)
    cells = inputs.cells
    read = Read(inputs)
    named = (
        None
        if inputs.investments is None
        else inputs.investments.filter(pl.col("area").is_not_null())
    )
    referring = [inputs.changes, inputs.forecasts, inputs.volumes, named, inputs.measures]
    if read.structure:
        diags.extend(checks.area_references(inputs.structure, referring, cells))
        diags.extend(
            checks.unit_rows(inputs.forecasts, inputs.structure, inputs.responsibilities, cells)
        )
    diags.extend(checks.change_rules(inputs.changes, cells))
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
    month, found = resolve_period(inputs, monthly, requested_period)
    # The register (contract §8): the report for a period uses that period's collection
    # of the units' forecasts; the whole register stays on Prepared for the underlag.
    register = inputs.forecasts
    if month is not None:
        inputs = replace(inputs, forecasts=forecast_rows(register, month))
    leaves = leaves_by_area(inputs, monthly, year)
    if read.structure:  # the areas namnd.toml names are checked against the structure read
        diags.extend(
            checks.method_bases(settings, inputs.forecasts, inputs.volumes, leaves, forecast_errors)
        )
        diags.extend(checks.anslag_areas(settings, leaves))
        if read.volumes:
            diags.extend(checks.volume_measures(settings, inputs.volumes, leaves))
    if read.ledger:  # a ledger that was not read has "no rows" as a consequence
        diags.extend(found)
    if month is not None and read.structure and read.budget and read.ledger:
        diags.extend(
            checks.ledger_warnings(
                inputs.ledger, inputs.structure, inputs.budget, year, month, cells
            )
        )
        diags.extend(checks.budget_warnings(inputs.budget, year, cells))
    if errors(diags) or month is None:
        raise InputErrors(diags)
    return Prepared(inputs, monthly, Period(year, month), diags, register)
