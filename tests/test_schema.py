"""The report's JSON Schema is made from the sections' parts, and older reports stay readable."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from budget.app.pipeline import make_report
from budget.edge.previous import schema_errors
from budget.report.formats.schema import render, report_schema
from budget.report.sections import JSON
from tests.conftest import DEMO

COMMITTED = Path(__file__).resolve().parent.parent / "budget" / "schemas" / "report.schema.json"

# The keys a report of the first JSON format (budget-report/1 as issue 11 wrote it) did not
# have: every later one is optional, so that such a report is still read.
ADDED_SINCE_THE_FIRST_FORMAT = (
    "document",
    "anslag",
    "result_transfer",
    "investments",
    "forecast_collection",
    "reported_accuracy",
    "forecast_accuracy",
    "forecast_change",
    "volumes",
)


def test_the_committed_schema_is_the_generated_one() -> None:
    # python -m scripts.make_schema writes it.
    assert COMMITTED.read_text(encoding="utf-8") == render()


def test_every_section_part_is_in_the_schema_in_the_json_order() -> None:
    schema = report_schema()
    keys = [k for s in JSON if s.schema is not None for k in s.schema.properties]
    shown = [k for k in schema["properties"] if k in keys]
    assert shown == keys
    assert set(schema["required"]) <= set(schema["properties"])


def test_an_older_report_is_still_read_as_the_previous_one(tmp_path: Path) -> None:
    out = tmp_path / "out"
    make_report(DEMO, 4, out, datetime(2017, 5, 12, 10))
    t1 = json.loads((out / "skarholmen-2017-T1.json").read_text(encoding="utf-8"))
    assert schema_errors(t1) == []
    older = {k: v for k, v in t1.items() if k not in ADDED_SINCE_THE_FIRST_FORMAT}
    for area in older["areas"]:
        area.pop("decided_budget", None)
    assert schema_errors(older) == []
    given = tmp_path / "T1-older.json"
    given.write_text(json.dumps(older, ensure_ascii=False), encoding="utf-8")
    t2 = tmp_path / "t2"
    make_report(DEMO, 8, t2, datetime(2017, 9, 12, 10), previous_path=given)
    report = json.loads((t2 / "skarholmen-2017-T2.json").read_text(encoding="utf-8"))
    change = report["forecast_change"]
    assert change["previous"]["file"] == "T1-older.json"
    assert change["previous"]["period"] == 4
    assert {a["area"] for a in change["areas"]} >= {a["area"] for a in older["areas"]}
