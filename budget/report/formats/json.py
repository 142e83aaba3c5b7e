"""The JSON report (contract §3): kronor with öre precision, report signs.

The header (what the report is) and then each section's keys, in the order of
``sections.JSON``."""

from __future__ import annotations

import json
from typing import Annotated, Any, Final, Literal, NotRequired

from pydantic import Field
from typing_extensions import TypedDict

from budget.core.period import Tertial
from budget.report.model import Report
from budget.report.sections import JSON
from budget.report.sections.base import Text, member

SCHEMA: Final = "budget-report/1"
Unit = Literal["mnkr", "tkr"]
UNITS: tuple[Unit, ...] = ("mnkr", "tkr")


class DocumentJson(TypedDict):
    diarienummer: str | None
    handlaggare: str | None
    date: str | None


class HeaderJson(TypedDict):
    schema: Literal["budget-report/1"]
    namnd: Text
    year: Annotated[int, Field(ge=1990, le=2100)]
    period: Annotated[int, Field(ge=1, le=12)]
    tertial: Tertial | None
    title: NotRequired[Text]
    unit: NotRequired[Unit]
    document: NotRequired[DocumentJson]


def header(report: Report) -> HeaderJson:
    return {
        "schema": SCHEMA,
        "namnd": report.namnd,
        "year": report.period.year,
        "period": report.period.month,
        "tertial": report.period.tertial,
        "title": report.title,
        "unit": member(report.unit, UNITS),
        "document": {
            "diarienummer": report.diarienummer,
            "handlaggare": report.handlaggare,
            "date": report.date.isoformat() if report.date else None,
        },
    }


def to_dict(report: Report) -> dict[str, Any]:
    out: dict[str, Any] = dict(header(report))
    for section in JSON:
        assert section.json is not None, section.name
        part = section.json(report)
        assert not out.keys() & part.keys(), (section.name, out.keys() & part.keys())
        out.update(part)
    return out


def render(report: Report) -> bytes:
    text = json.dumps(to_dict(report), ensure_ascii=False, indent=2, sort_keys=False)
    return (text + "\n").encode("utf-8")
