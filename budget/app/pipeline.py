"""The two commands as functions: read -> check -> compute -> render -> write."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from budget.app import renderers
from budget.checks.prepare import prepare
from budget.core import analysis
from budget.core.accuracy import Archived
from budget.core.figures import Prepared, compute
from budget.core.frames import Inputs, SourceFile
from budget.core.ledger import Reconciliation
from budget.core.money import kronor
from budget.core.steps import Steps
from budget.diagnostics import Diagnostic, InputErrors, OutputError, errors, os_reason, warnings
from budget.edge import cache
from budget.edge import inputs as inputs_mod
from budget.report.build import build_report
from budget.report.model import Report


@dataclass(frozen=True)
class Written:
    report: Report
    paths: list[Path]


def make_report(
    folder: Path,
    period: int | None,
    out_dir: Path,
    generated_at: datetime,
    cdn: bool = False,
    previous_path: Path | None = None,
    steps: Steps | None = None,
    ledgers: bool = False,
) -> Written:
    """Validate, compute and write the report files (HTML, JSON, the workbook, the begäran
    and the Word tjänsteutlåtande); raises InputErrors.

    The previous report (for the change since then) is ``previous_path``, else the
    latest earlier report of the same inputs folder and year in ``out_dir``. With
    ``ledgers``, also the validated ledger as Parquet for the city (``edge.huvudbok``).
    """
    steps = steps or Steps(time.perf_counter)
    # The helper process that renders the Word file and the workbook: started first, so
    # that its imports overlap the read (``app.renderers``).
    with renderers.helper(folder) as helper:
        with steps.stage("read"):
            loaded = inputs_mod.load(folder, steps, defer_cache=True)
        try:
            return _make_report(
                loaded, period, out_dir, generated_at, cdn, previous_path, steps, helper, ledgers
            )
        finally:
            cache.flush()  # the parsed workbooks, written while the report was made


def _make_report(
    loaded: Inputs,
    period: int | None,
    out_dir: Path,
    generated_at: datetime,
    cdn: bool,
    previous_path: Path | None,
    steps: Steps,
    helper: renderers.Helper,
    ledgers: bool = False,
) -> Written:
    from budget.app import word_cache
    from budget.edge import huvudbok
    from budget.edge.write import write_all
    from budget.report.formats import html, json, workbook
    from budget.report.render import request

    with steps.stage("check"):
        prepared = prepare(loaded, period)
        previous = _previous(prepared, out_dir, previous_path)
        archived = _archived(prepared, out_dir)
        earlier = _archived(prepared, out_dir, this_year=True)
    with steps.stage("compute"):
        report = build_report(prepared, generated_at, previous, archived, earlier)
    try:
        with steps.stage("write"):
            # The Word file by the helper where there is one, the others here meanwhile,
            # then its charts by both; the same bytes either way.
            files = renderers.render_all(
                helper,
                report,
                [
                    (f"{report.name}.html", None, lambda: html.render(report, cdn=cdn)),
                    (f"{report.name}.json", None, lambda: json.render(report)),
                    (f"{report.name}.xlsx", None, lambda: workbook.render(report)),
                    (f"{report.name}-begaran.xlsx", None, lambda: request.render(report)),
                    # The tjänsteutlåtande as Word, for the handläggare to edit and file.
                    # Kept whole by an earlier run of the same report, else its charts
                    # drawn again only where they changed (``word_cache``, ``chart_cache``).
                    (f"{report.name}.docx", "docx", lambda: word_cache.render(report)),
                ],
            )
            paths = write_all(out_dir, files)
            # The validated ledger for the city (contract §10): one Parquet file per year,
            # written again only when its rows change.
            parquet = (
                huvudbok.files_to_write(out_dir, prepared.inputs.ledger, report.namnd)
                if ledgers
                else {}
            )
            if parquet:
                paths += write_all(out_dir / huvudbok.FOLDER, parquet)
            return Written(report, paths)
    except OSError as exc:
        where = exc.filename or out_dir
        raise OutputError(f"rapporten kan inte skrivas till {where} ({os_reason(exc)})") from exc


def _previous(
    prepared: Prepared, out_dir: Path | None, path: Path | None
) -> tuple[dict[str, Any], str] | None:
    """The previous report as data: ``path``, else the latest earlier one in ``out_dir``.

    A file that is no earlier report of the same nämnd and year is a warning (W309).
    """
    from budget.edge import previous as previous_mod

    settings = prepared.inputs.settings
    assert settings is not None
    year, month = prepared.period.year, prepared.period.month
    if path is None and out_dir is not None and out_dir.is_dir():
        path = previous_mod.find(out_dir, prepared.inputs.name, year, month)
    if path is None:
        return None
    data, found = previous_mod.read(path, year, month, settings.namnd)
    prepared.diagnostics.extend(found)
    if errors(found):
        raise InputErrors(prepared.diagnostics)
    return (data, path.name) if data is not None else None


def _archived(prepared: Prepared, out_dir: Path | None, this_year: bool = False) -> list[Archived]:
    """Earlier years' reports of the nämnd (``this_year``: this year's before the period):
    in the output folder and the folders that namnd.toml's arkiv names (relative to the
    inputs folder); W319 and W320 for the ones that cannot be used."""
    from budget.edge import previous as previous_mod

    settings = prepared.inputs.settings
    assert settings is not None
    folders = [(prepared.inputs.folder / name, name) for name in settings.archive]
    if out_dir is not None and out_dir.is_dir():
        folders.insert(0, (out_dir, ""))
    before = prepared.period.month if this_year else None
    found, problems = previous_mod.archived(folders, settings.namnd, prepared.period.year, before)
    # Both scans (earlier years, this year) pass the same files: each problem said once.
    prepared.diagnostics.extend(p for p in problems if p not in prepared.diagnostics)
    return found


@dataclass(frozen=True)
class Validation:
    """What ``budget validate`` shows: files, diagnostics, and the reconciliation."""

    folder: Path
    files: list[SourceFile]
    diagnostics: list[Diagnostic]
    reconciliation: Reconciliation | None
    period: int | None
    steps: Steps | None = None

    def as_dict(self) -> dict[str, Any]:
        rec = self.reconciliation
        return {
            "inputs": str(self.folder),
            "period": self.period,
            "errors": len(errors(self.diagnostics)),
            "warnings": len(warnings(self.diagnostics)),
            "files": [
                {
                    "file": f.name,
                    "rows": f.rows,
                    "blank_rows_skipped": f.blank_rows,
                    "total_rows_skipped": f.total_rows,
                    "format": f.note,
                    "skipped_rows": [
                        {"sheet": sheet, "cell": cell, "label": label}
                        for sheet, cell, label in f.skipped
                    ],
                    "errors": f.errors,
                    "warnings": f.warnings,
                    "sha256": f.sha256,
                }
                for f in self.files
            ],
            "diagnostics": [d.as_dict() for d in self.diagnostics],
            "reconciliation": None
            if rec is None
            else {
                "ledger_rows": rec.ledger_rows,
                "ledger_sum": kronor(rec.ledger_sum),
                "reported_sum": kronor(rec.reported_sum),
                "excluded_sum": kronor(rec.excluded_sum),
                "unmapped_sum": kronor(rec.unmapped_sum),
                "balanced": rec.balanced,
            },
            # Seconds per stage and per file: the one part that differs between runs.
            "timings": None if self.steps is None else self.steps.as_dict(),
        }


def validate_folder(
    folder: Path,
    period: int | None,
    previous_path: Path | None = None,
    steps: Steps | None = None,
) -> Validation:
    steps = steps or Steps(time.perf_counter)
    with steps.stage("read"):
        loaded = inputs_mod.load(folder, steps, defer_cache=True)
    try:
        return _validate(loaded, folder, period, previous_path, steps)
    finally:
        cache.flush()


def _validate(
    loaded: Inputs,
    folder: Path,
    period: int | None,
    previous_path: Path | None,
    steps: Steps,
) -> Validation:
    try:
        with steps.stage("check"):
            prepared: Prepared = prepare(loaded, period)
    except InputErrors as exc:
        return Validation(
            folder, _recount(loaded.files, exc.diagnostics), exc.diagnostics, None, None, steps
        )
    # The previous report is checked (W309 and its errors), and the figures computed: they
    # find what only the computation sees (a seasonal forecast without basis). prepare()
    # raised already if there was any error. No clock: nothing is dated or written.
    try:
        with steps.stage("check"):
            _previous(prepared, None, previous_path)
            _archived(prepared, None)
    except InputErrors as exc:
        return Validation(
            folder, _recount(loaded.files, exc.diagnostics), exc.diagnostics, None, None, steps
        )
    with steps.stage("compute"):
        figures = compute(prepared)
    settings = prepared.inputs.settings
    assert settings is not None
    source = analysis.pick(prepared.inputs.analyses, prepared.period.suffix)
    account = analysis.account(source, figures.lines, settings.unit)
    diags = warnings([*figures.diagnostics, *account.diagnostics])
    return Validation(
        folder,
        _recount(loaded.files, diags),
        diags,
        figures.reconciliation,
        prepared.period.month,
        steps,
    )


def _recount(files: list[SourceFile], diags: list[Diagnostic]) -> list[SourceFile]:
    """Errors and warnings per file, cross-file checks included."""
    return [
        replace(
            f,
            errors=sum(1 for d in errors(diags) if d.file == f.name),
            warnings=sum(1 for d in warnings(diags) if d.file == f.name),
        )
        for f in files
    ]
