"""The JSON report (contract §3): kronor with öre precision, report signs.

The header (what the report is) and then each section's keys, in the order of
``sections.JSON``."""

from __future__ import annotations

import json
from typing import Any

from budget.report.model import Report
from budget.report.sections import JSON

SCHEMA = "budget-report/1"


def header(report: Report) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "namnd": report.namnd,
        "year": report.period.year,
        "period": report.period.month,
        "tertial": report.period.tertial,
        "title": report.title,
        "unit": report.unit,
        "document": {
            "diarienummer": report.diarienummer,
            "handlaggare": report.handlaggare,
            "date": report.date.isoformat() if report.date else None,
        },
    }


def to_dict(report: Report) -> dict[str, Any]:
    out = header(report)
    for section in JSON:
        assert section.json is not None, section.name
        part = section.json(report)
        assert not out.keys() & part.keys(), (section.name, out.keys() & part.keys())
        out.update(part)
    return out


def render(report: Report) -> bytes:
    text = json.dumps(to_dict(report), ensure_ascii=False, indent=2, sort_keys=False)
    return (text + "\n").encode("utf-8")
