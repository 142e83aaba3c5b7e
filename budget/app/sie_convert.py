"""``budget sie FILE --out DIR``: one SIE file as a ledger workbook a controller can open."""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from budget.core.steps import Steps
from budget.diagnostics import Diagnostic, OutputError, errors, os_reason
from budget.edge import sie
from budget.edge.write import write_all
from budget.report.render.xlsx import ledger_workbook


@dataclass(frozen=True)
class Converted:
    diagnostics: list[Diagnostic]
    paths: list[Path]
    rows: list[int]  # rows written to each path


def convert(
    path: Path,
    out_dir: Path,
    ansvar: int,
    verksamhet: int | None,
    steps: Steps | None = None,
) -> Converted:
    """Read and check the file; write ``<stem>.xlsx`` (and ``<stem>-budget.xlsx`` from
    ``#PBUDGET``) only when it has no errors."""
    steps = steps or Steps(time.perf_counter)
    try:
        with steps.stage("sie"):
            found = sie.read(path, path.name, ansvar, verksamhet)
    except sie.NotSie as exc:
        return Converted([exc.diagnostic], [], [])
    if errors(found.diagnostics):
        return Converted(found.diagnostics, [], [])
    with steps.stage("write_workbook"):
        return _write(path, out_dir, found)


def _write(path: Path, out_dir: Path, found: sie.Ledger) -> Converted:
    files = {f"{path.stem}.xlsx": ledger_workbook("Huvudbok", sie.COLUMNS, _typed(found.rows))}
    counts = [len(found.rows)]
    if found.budget:
        annual = _annual(found.budget)
        columns = ("År", "Verksamhet", "Konto", "Belopp")
        files[f"{path.stem}-budget.xlsx"] = ledger_workbook("Budget", columns, _typed(annual))
        counts.append(len(annual))
    try:
        paths = write_all(out_dir, files)
    except OSError as exc:
        raise OutputError(
            f"arbetsboken kan inte skrivas till {exc.filename or out_dir} ({os_reason(exc)})"
        ) from exc
    return Converted(found.diagnostics, paths, counts)


def _annual(rows: list[dict[str, str | None]]) -> list[dict[str, str | None]]:
    """Monthly #PBUDGET rows summed to the year per verksamhet and account (budget.xlsx)."""
    sums: dict[tuple[str | None, str | None, str | None], Decimal] = {}
    for row in rows:
        key = (row["År"], row["Verksamhet"], row["Konto"])
        sums[key] = sums.get(key, Decimal(0)) + Decimal(row["Belopp"] or 0)
    return [
        {"År": y, "Verksamhet": v, "Konto": k, "Belopp": format(total, "f")}
        for (y, v, k), total in sorted(sums.items(), key=lambda kv: tuple(map(str, kv[0])))
    ]


def _typed(rows: list[dict[str, str | None]]) -> list[dict[str, object]]:
    """Years, months and amounts as numbers in the workbook; codes stay text."""
    out: list[dict[str, object]] = []
    for row in rows:
        typed: dict[str, object] = dict(row)
        for key in ("År", "Period"):
            value = row.get(key)
            typed[key] = int(value) if value and value.isdigit() else value
        amount = row.get("Belopp")
        typed["Belopp"] = Decimal(amount) if amount else None
        out.append(typed)
    return out
