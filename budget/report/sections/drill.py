"""Fördjupning per område: each area's outcome per ansvar, verksamhet and account class."""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from budget.core.ledger import DrillLine, drill_down
from budget.core.money import kronor
from budget.report.context import Context
from budget.report.model import Report
from budget.report.render.xlsx import amount_format, table
from budget.report.sections.base import Section, Sheet

# Area -> dimension (ansvar, verksamhet, class) -> its lines.
Drill = dict[str, dict[str, list[DrillLine]]]


def build(ctx: Context) -> Drill:
    inputs = ctx.inputs
    return drill_down(inputs.ledger, inputs.structure, inputs.responsibilities, ctx.year, ctx.month)


def write_sheet(ws: Worksheet, report: Report) -> None:
    labels = {"ansvar": "Ansvar", "verksamhet": "Verksamhet", "class": "Kontoklass"}
    rows: list[list[Any]] = []
    drill = SECTION.data(report)
    for line in report.area_lines:
        for dim, label in labels.items():
            for x in drill.get(line.area, {}).get(dim, []):
                rows.append(
                    [
                        line.area,
                        label,
                        x.code,
                        x.name or "",
                        kronor(x.actual.costs),
                        kronor(x.actual.revenues),
                        kronor(x.actual.net),
                    ]
                )
    table(
        ws,
        [
            "Verksamhetsområde",
            "Dimension",
            "Kod",
            "Benämning",
            f"Utfall kostnader ({report.unit})",
            f"Utfall intäkter ({report.unit})",
            f"Utfall netto ({report.unit})",
        ],
        rows,
        [
            None,
            None,
            None,
            None,
            amount_format(report.unit),
            amount_format(report.unit),
            amount_format(report.unit),
        ],
        widths=[44, 14, 10, 44, 20, 20, 20],
    )


SECTION: Section[Drill] = Section("drill", build=build, sheets=(Sheet("Fördjupning", write_sheet),))
