"""Metodernas träffsäkerhet: every replayable method run on last year's ledger as it stood at
T1 and T2, against the year's outcome (``core.accuracy.track_record``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NotRequired

from openpyxl.worksheet.worksheet import Worksheet
from typing_extensions import TypedDict

from budget.core.accuracy import Accuracy, GivenYear, track_record
from budget.core.methods import Method
from budget.core.money import kronor
from budget.core.period import Tertial
from budget.report.context import Context
from budget.report.labels import METHOD_LABELS
from budget.report.model import Report
from budget.report.render.xlsx import amount_format, table
from budget.report.sections.base import Amount, Section, Sheet, Text, member


@dataclass(frozen=True)
class TrackRecord:
    """The methods replayed on last year's ledger at T1 and T2 against its outcome, and the
    forecasts the nämnd was given that year (its archived reports), where there are both."""

    accuracy: Accuracy | None
    given: GivenYear | None


def build(ctx: Context) -> TrackRecord:
    inputs, figures = ctx.inputs, ctx.figures
    accuracy = track_record(
        ctx.prepared.monthly,
        inputs.budget,
        inputs.structure,
        figures.by_area,
        figures.periodisation,
        inputs.volumes,
        ctx.year,
        ctx.settings.volume_rest,
    )
    reported = ctx.reported
    given = reported.year(accuracy.year) if reported and accuracy else None
    return TrackRecord(accuracy, given)


def shows(report: Report) -> bool:
    return SECTION.data(report).accuracy is not None


class ReplayJson(TypedDict):
    area: Text
    method: Method
    tertial: Tertial
    forecast: Amount
    actual: Amount
    error: Amount
    error_percent: float | None


class ForecastAccuracyJson(TypedDict):
    year: int
    percent_of: Literal["budget", "utfall"]
    methods: list[Method]
    rows: list[ReplayJson]
    best: dict[str, Method]


PERCENT_OF: tuple[Literal["budget", "utfall"], ...] = ("budget", "utfall")


class TrackRecordJson(TypedDict):
    # Every method replayed on last year's ledger; null without last year's.
    forecast_accuracy: NotRequired[ForecastAccuracyJson | None]


def to_json(report: Report) -> TrackRecordJson:
    acc = SECTION.data(report).accuracy
    if acc is None:
        return {"forecast_accuracy": None}
    return {
        "forecast_accuracy": {
            "year": acc.year,
            "percent_of": member(acc.base, PERCENT_OF),
            "methods": list(acc.methods),
            "rows": [
                {
                    "area": r.area,
                    "method": r.method,
                    "tertial": r.tertial,
                    "forecast": kronor(r.forecast),
                    "actual": kronor(r.actual),
                    "error": kronor(r.error),
                    "error_percent": r.error_pct,
                }
                for r in acc.rows
            ],
            "best": acc.best,
        }
    }


def write_sheet(ws: Worksheet, report: Report) -> None:
    acc = SECTION.data(report).accuracy
    assert acc is not None
    headers = [
        "Verksamhetsområde",
        "Metod",
        "Period",
        f"Prognos {acc.year} netto ({report.unit})",
        f"Utfall {acc.year} netto ({report.unit})",
        f"Fel ({report.unit})",
        f"Fel i % av {acc.base}",
        "Bäst",
    ]
    rows = [
        [
            r.area,
            METHOD_LABELS[r.method],
            r.tertial,
            kronor(r.forecast),
            kronor(r.actual),
            kronor(r.error),
            r.error_pct,
            "bäst" if acc.best.get(r.area) == r.method else "",
        ]
        for r in acc.rows
    ]
    table(
        ws,
        headers,
        rows,
        [
            None,
            None,
            None,
            amount_format(report.unit),
            amount_format(report.unit),
            amount_format(report.unit),
            "0.0",
            None,
        ],
        widths=[44, 20, 8, 22, 22, 16, 14, 8],
    )


SECTION = Section(
    "track_record",
    build=build,
    shows=shows,
    gap=False,
    json=to_json,
    sheets=(Sheet("Prognossäkerhet", write_sheet),),
)
