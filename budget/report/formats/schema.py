"""The JSON Schema of the report (``budget/schemas/report.schema.json``): the header's part
here, each section's its own (``Section.schema``), put together in the order of
``sections.JSON``. ``python -m scripts.make_schema`` writes the file; a test holds that the
committed file is this one. Only the keys every report since the first has are required, so
that older reports stay readable (``--previous``, the archive).
"""

from __future__ import annotations

import json
from typing import Any

from budget.report.sections import JSON

HEAD: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "budget-report/1",
    "title": "budget: the JSON report (contract §3)",
    "description": (
        "Amounts in kronor with öre, report signs: revenues positive, "
        "costs negative, net = revenues + costs; variance = forecast net "
        "− budget net. Every report the toolkit writes is validated "
        "against this schema in the tests, and --previous is checked with "
        "it."
    ),
    "type": "object",
}

HEADER_PROPERTIES: dict[str, Any] = {
    "schema": {
        "const": "budget-report/1",
    },
    "namnd": {
        "$ref": "#/$defs/text",
    },
    "year": {
        "type": "integer",
        "minimum": 1990,
        "maximum": 2100,
    },
    "period": {
        "type": "integer",
        "minimum": 1,
        "maximum": 12,
    },
    "tertial": {
        "enum": [
            "T1",
            "T2",
            "helar",
            None,
        ],
    },
    "title": {
        "$ref": "#/$defs/text",
    },
    "unit": {
        "enum": [
            "mnkr",
            "tkr",
        ],
    },
}

HEADER_REQUIRED = ("schema", "namnd", "year", "period", "tertial")

# Shared by the sections' parts.
DEFS: dict[str, Any] = {
    "amount": {
        "type": "number",
        "minimum": -1e16,
        "maximum": 1e16,
    },
    "sides": {
        "type": "object",
        "required": [
            "costs",
            "revenues",
            "net",
        ],
        "properties": {
            "costs": {
                "$ref": "#/$defs/amount",
            },
            "revenues": {
                "$ref": "#/$defs/amount",
            },
            "net": {
                "$ref": "#/$defs/amount",
            },
        },
    },
    "text": {
        "type": "string",
        "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f]*$",
        "maxLength": 10000,
    },
}


def report_schema() -> dict[str, Any]:
    required = list(HEADER_REQUIRED)
    properties = dict(HEADER_PROPERTIES)
    defs = dict(DEFS)
    for section in JSON:
        part = section.schema
        if part is None:
            continue
        assert not properties.keys() & part.properties.keys(), section.name
        assert not defs.keys() & part.defs.keys(), section.name
        required += part.required
        properties.update(part.properties)
        defs.update(part.defs)
    return {**HEAD, "required": required, "properties": properties, "$defs": defs}


def render() -> str:
    return json.dumps(report_schema(), ensure_ascii=False, indent=2) + "\n"
