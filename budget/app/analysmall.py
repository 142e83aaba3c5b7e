"""budget analysmall: the prefilled analys.docx for an inputs folder and period (contract §7)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from budget.checks.prepare import prepare
from budget.core.figures import compute
from budget.core.measures import items as measure_items
from budget.core.names import printable
from budget.diagnostics import Diagnostic, InputErrors, OutputError, os_reason
from budget.edge import inputs as inputs_mod
from budget.edge.analysis import STEM
from budget.edge.write import write_all
from budget.report.decision import report_title
from budget.report.formats.html import period_text
from budget.report.render import analysmall


@dataclass(frozen=True)
class Written:
    path: Path
    unchanged: bool  # the file held this template already


def make_template(folder: Path, period: int | None, out: Path | None) -> Written:
    """Write the template to ``out`` (default: the inputs folder's analys.docx); raises
    InputErrors for bad inputs, and E037 rather than overwrite a file that differs (it may
    hold the förvaltning's text)."""
    loaded = inputs_mod.load(folder)
    prepared = prepare(loaded, period)
    settings = prepared.inputs.settings
    assert settings is not None
    figures = compute(prepared)
    year, month = prepared.period.year, prepared.period.month
    data = analysmall.render(
        analysmall.Template(
            namnd=settings.namnd,
            title=report_title(year, month),
            period_text=period_text(year, month),
            unit=settings.unit,
            lines=figures.lines,
            total=figures.total,
            measures=measure_items(prepared.inputs.measures),
            stamp=datetime(year, month, calendar.monthrange(year, month)[1], 12),
        )
    )
    target = out if out is not None else folder / f"{STEM}.docx"
    if target.is_dir():
        raise OutputError(f"{target} är en mapp; ange en fil, t.ex. {target / 'analys.docx'}")
    if target.exists():
        try:
            same = target.read_bytes() == data
        except OSError as exc:
            raise OutputError(f"{target} kan inte läsas ({os_reason(exc)})") from exc
        if same:
            return Written(target, unchanged=True)
        raise InputErrors(
            [
                Diagnostic(
                    "E037",
                    f"{printable(target.name)} finns redan och skrivs inte över",
                    file=printable(target.name),
                    expected="en fil som inte finns (--out), eller den befintliga flyttad",
                )
            ]
        )
    try:
        write_all(target.parent, {target.name: data})
    except OSError as exc:
        raise OutputError(f"mallen kan inte skrivas till {target} ({os_reason(exc)})") from exc
    return Written(target, unchanged=False)
