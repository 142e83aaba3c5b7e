"""The report's JSON Schema is generated from the types of its JSON (the header's and each
section's TypedDict), it says what the writer writes, it refuses what it refused when it was
written by hand, and older reports stay readable."""

from __future__ import annotations

import copy
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any, get_type_hints

import pytest

from budget.app.pipeline import make_report
from budget.core.changes import BRIDGE_STEPS
from budget.edge.previous import schema_errors
from budget.report.formats.schema import part, parts, render, report_schema
from budget.report.sections import JSON
from budget.report.sections.budget_changes import BridgeLineJson
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


@pytest.fixture(scope="module")
def t1(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo's T1 report as written (it has every section's keys)."""
    out = tmp_path_factory.mktemp("t1")
    make_report(DEMO, 4, out, datetime(2017, 5, 12, 10))
    data: dict[str, Any] = json.loads((out / "skarholmen-2017-T1.json").read_text(encoding="utf-8"))
    return data


def test_every_json_section_says_its_type_and_the_schema_has_its_keys_in_order() -> None:
    # A JSON callable without a TypedDict to return would leave its keys out of the schema.
    for section in JSON:
        assert section.json is not None, section.name
        part(section.json)
    keys = [k for typed in parts() for k in get_type_hints(typed)]
    assert len(keys) == len(set(keys))
    schema = report_schema()
    assert list(schema["properties"]) == keys
    assert set(schema["required"]) <= set(schema["properties"])


def test_a_callable_without_its_type_is_refused() -> None:
    def untyped(report: object) -> dict[str, Any]:
        return {}

    with pytest.raises(TypeError, match="returns no TypedDict"):
        part(untyped)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> list[dict[str, Any]]:
    """The object schemas a node may be: its reference followed, its alternatives."""
    if "$ref" in node:
        return _resolve(schema, schema["$defs"][node["$ref"].rsplit("/", 1)[-1]])
    if "anyOf" in node:
        return [s for alt in node["anyOf"] for s in _resolve(schema, alt)]
    return [node]


def _unknown_keys(schema: dict[str, Any], node: dict[str, Any], value: Any, at: str) -> list[str]:
    """Keys the writer wrote that the type of their object does not name (in none of its
    alternatives, where it has several)."""
    each: list[list[str]] = []
    for shape in _resolve(schema, node):
        found: list[str] = []
        if isinstance(value, dict) and "properties" in shape:
            props = shape["properties"]
            found += [f"{at}.{k}" for k in value if k not in props]
            for k, v in value.items():
                if k in props:
                    found += _unknown_keys(schema, props[k], v, f"{at}.{k}")
        elif isinstance(value, list) and "items" in shape:
            for i, v in enumerate(value):
                found += _unknown_keys(schema, shape["items"], v, f"{at}[{i}]")
        else:
            continue
        each.append(found)
    return min(each, key=len) if each else []


def test_the_types_name_every_key_the_writer_writes(t1: dict[str, Any]) -> None:
    # The schema leaves other keys open (a later report may add some), so a key written
    # but missing from its type would pass unchecked: the types must name them all.
    schema = report_schema()
    assert _unknown_keys(schema, schema, t1, "$") == []
    assert list(t1) == list(schema["properties"])


ROOT = Path(__file__).resolve().parent.parent
WRITTEN = sorted(
    [
        *(ROOT / "tests" / "__snapshots__" / "test_golden").glob("test_json*.json"),
        *(ROOT / "inputs" / "arkiv").glob("*.json"),
    ]
)


@pytest.mark.parametrize("path", WRITTEN, ids=lambda p: p.name)
def test_the_golden_and_archived_reports_are_their_types(path: Path) -> None:
    # The demo's T1 and T2 as the golden snapshots hold them, and the archive the demo
    # reads: each valid, each key named by its type.
    data = json.loads(path.read_text(encoding="utf-8"))
    schema = report_schema()
    assert schema_errors(data) == []
    assert _unknown_keys(schema, schema, data, "$") == []


def test_there_are_golden_and_archived_reports() -> None:
    assert len(WRITTEN) >= 4


def test_the_bridge_type_has_the_steps_of_the_bridge() -> None:
    assert tuple(get_type_hints(BridgeLineJson)) == ("area", *BRIDGE_STEPS)


def _set(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    at: Any = changed
    for step in path[:-1]:
        at = at[step]
    if value is _DELETE:
        del at[path[-1]]
    else:
        at[path[-1]] = value
    return changed


_DELETE = object()

# What the hand-written schema refused, each still refused by the generated one: the codes'
# enums, the ranges, text without control characters, number or null, the required keys.
REFUSED: list[tuple[tuple[str | int, ...], Any]] = [
    (("schema",), "budget-report/2"),
    (("namnd",), "Skärholmen\u0001"),
    (("year",), 1989),
    (("year",), "2017"),
    (("period",), 13),
    (("tertial",), "T3"),
    (("unit",), "kr"),
    (("areas",), _DELETE),
    (("areas", 0, "area"), ""),
    (("areas", 0, "method"), _DELETE),
    (("areas", 0, "subarea"), 7),
    (("areas", 0, "budget", "net"), 1e17),
    (("areas", 0, "budget", "costs"), None),
    (("total", "variance"), "x"),
    (("anslag", 0, "areas"), "Förskola"),
    (("result_transfer", "cap_share"), 1.5),
    (("result_transfer", "units", 0, "cap"), "x"),
    (("investments", "projects", 0, "spent"), None),
    (("budget_changes", "items"), {}),
    (("reported_accuracy", "years", 0, "reports", 0, "tertial"), "helar"),
    (("reported_accuracy", "years", 0, "rows", 0, "error_percent"), "x"),
    (("forecast_history", 0, "period"), 0),
    (("volume_analysis", 0, "budget_volume"), -1),
    (("volume_analysis", 0, "volume_effect"), "x"),
    (("goals", "direction_goals", 0, "evidence"), "allt"),
    (("goals", "direction_goals", 0, "area_goals"), -1),
    (("goals", "flags"), _DELETE),
    (("review",), [{"code": "x", "area": "y"}]),
    (("measures", "items", 0, "status"), "Klar"),
    (("measures", "areas", 0, "planned"), None),
    (("analysis", "summary"), None),
    (("analysis", "areas"), _DELETE),
    (("reconciliation", "ledger_rows"), -1),
    (("reconciliation", "after_period_rows"), 1.5),
]


@pytest.mark.parametrize(("path", "value"), REFUSED)
def test_what_the_hand_written_schema_refused_is_refused(
    t1: dict[str, Any], path: tuple[str | int, ...], value: Any
) -> None:
    assert schema_errors(t1) == []
    broken = _set(t1, path, json.loads(json.dumps(value)) if value is not _DELETE else value)
    assert schema_errors(broken) != []


def test_an_older_report_is_still_read_as_the_previous_one(
    t1: dict[str, Any], tmp_path: Path
) -> None:
    t1 = copy.deepcopy(t1)
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


# An archived report needs only what the comparison of reported forecasts reads
# (edge.previous.ArchivedReport): net figures, names. Its schema is made from that type.
ARCHIVED: dict[str, Any] = {
    "schema": "budget-report/1",
    "namnd": "Testnämnden",
    "year": 2016,
    "period": 8,
    "areas": [
        {
            "area": "Äldreomsorg",
            "subarea": None,
            "budget": {"net": -10.0},
            "actual": {"net": -6.5},
            "forecast": {"net": -11.0},
        }
    ],
    "total": {"budget": {"net": -10.0}, "actual": {"net": -6.5}, "forecast": {"net": -11.0}},
}


def _archive_errors(data: dict[str, Any]) -> list[tuple[str, str]]:
    import jsonschema

    from budget.edge.previous import _swedish, archive_schema

    validator = jsonschema.Draft202012Validator(archive_schema())
    return [(e.json_path, _swedish(e)) for e in validator.iter_errors(data)]


def test_an_archived_report_of_net_figures_only_is_read() -> None:
    assert _archive_errors(ARCHIVED) == []
    assert _archive_errors(_set(ARCHIVED, ("generated_at",), "2016-09-12T10:00:00")) == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("schema",), "budget-report/2"),
        (("year",), 1989),
        (("period",), 13),
        (("areas", 0, "area"), ""),
        (("areas", 0, "area"), "Äldre\tomsorg"),
        (("areas", 0, "area"), "Äldre\x7fomsorg"),
        (("areas", 0, "subarea"), _DELETE),
        (("areas", 0, "budget", "net"), 1e17),
        (("areas", 0, "forecast"), {"costs": -11.0}),
        (("total",), _DELETE),
        (("total", "actual", "net"), "x"),
    ],
)
def test_what_an_archived_report_lacks_or_breaks_is_said(
    path: tuple[str | int, ...], value: Any
) -> None:
    assert _archive_errors(_set(ARCHIVED, path, value)) != []


def test_a_wrong_type_where_null_is_allowed_is_said_as_a_type() -> None:
    assert _archive_errors(_set(ARCHIVED, ("areas", 0, "subarea"), 5)) == [
        ("$.areas[0].subarea", "fel typ, förväntat en text eller null")
    ]


def _recode(
    schema: dict[str, Any], node: dict[str, Any], value: Any, at: tuple[str | int, ...]
) -> set[tuple[str | int, ...]]:
    """Where ``value`` holds a text at which the schema lists the codes (an enum, also as
    a map's values): each place as the keys that lead to it."""
    made: set[tuple[str | int, ...]] = set()
    for shape in _resolve(schema, node):
        if "enum" in shape and isinstance(value, str):
            return {at}
        if isinstance(value, dict) and "properties" in shape:
            for k, v in value.items():
                if k in shape["properties"]:
                    made |= _recode(schema, shape["properties"][k], v, (*at, k))
        elif isinstance(value, dict) and isinstance(shape.get("additionalProperties"), dict):
            for k, v in value.items():
                made |= _recode(schema, shape["additionalProperties"], v, (*at, k))
        elif isinstance(value, list) and "items" in shape:
            for i, v in enumerate(value):
                made |= _recode(schema, shape["items"], v, (*at, i))
    return made


def _json_path(keys: tuple[str | int, ...]) -> str:
    """A place as jsonschema names it: $.areas[3].method, $.best['Ekonomiskt bistånd']."""
    return "$" + "".join(
        f"[{k}]"
        if isinstance(k, int)
        else f".{k}"
        if re.fullmatch(r"[a-zA-Z][a-zA-Z0-9_]*", k)
        else f"['{k}']"
        for k in keys
    )


def _newer(t1: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The demo's T1 as a newer version might write it: every code a new one ("ny-kod-N"),
    by the JSON path of its place."""
    newer = copy.deepcopy(t1)
    codes = {}
    for n, keys in enumerate(sorted(_recode(report_schema(), report_schema(), newer, ()), key=str)):
        node: Any = newer
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = codes[_json_path(keys)] = f"ny-kod-{n + 1}"
    return newer, codes


def test_a_newer_reports_unknown_codes_are_warnings_and_it_is_read(
    t1: dict[str, Any], tmp_path: Path
) -> None:
    """A controller who updates one förvaltning's tool before another still gets a report:
    a code added by a newer version is a warning naming file, JSON path, value and the codes
    this version knows (W347), never a refusal or a traceback."""
    from budget.edge.previous import read_errors

    newer, codes = _newer(t1)
    # The demo's report has a code in each kind the schema lists: methods (also as the map
    # of the best ones), tertials, the unit, the basis of a percentage, statuses, evidence.
    kinds = {re.sub(r"\[\d+\]", "[]", p).rsplit(".", 1)[-1] for p in codes}
    assert {"unit", "tertial", "method", "percent_of", "status", "evidence"} <= kinds, kinds
    assert len(codes) >= 10
    assert schema_errors(newer) != []  # the strict schema refuses them all ...
    refused, warned = read_errors(newer, "ny.json")
    assert refused == []  # ... a reader warns about each
    assert {(d.code, d.file, d.cell, d.value) for d in warned} == {
        ("W347", "ny.json", place, code) for place, code in codes.items()
    }
    assert all(d.expected and d.expected.startswith("ett av ") for d in warned)
    given = tmp_path / "T1-ny.json"
    given.write_text(json.dumps(newer, ensure_ascii=False), encoding="utf-8")
    t2 = tmp_path / "t2"
    written = make_report(DEMO, 8, t2, datetime(2017, 9, 12, 10), previous_path=given)
    said = [d for d in written.report.warnings if d.code == "W347"]
    assert {(d.file, d.cell) for d in said} == {("T1-ny.json", place) for place in codes}
    report = json.loads((t2 / "skarholmen-2017-T2.json").read_text(encoding="utf-8"))
    assert schema_errors(report) == []  # this version's own report keeps its own codes
    assert report["forecast_change"]["previous"]["file"] == "T1-ny.json"
    # The city's desk sums it too, with the same warnings.
    from budget.edge.city import read_reports

    desk = tmp_path / "stad"
    desk.mkdir()
    (desk / "skarholmen-2017-T1.json").write_text(json.dumps(newer), encoding="utf-8")
    reports, found = read_reports(desk)
    assert [r.namnd for r in reports] == [t1["namnd"]]
    assert {(d.code, d.cell) for d in found} == {("W347", place) for place in codes}


def test_the_same_code_in_many_places_is_one_warning(t1: dict[str, Any]) -> None:
    from budget.edge.previous import read_errors

    newer = copy.deepcopy(t1)
    best = newer["forecast_accuracy"]["best"]
    assert len(best) >= 2
    for area in best:
        best[area] = "ai"
    refused, warned = read_errors(newer, "ny.json")
    assert refused == []
    (one,) = warned
    assert one.cell == min(_json_path(("forecast_accuracy", "best", area)) for area in best)
    assert f"på {len(best)} ställen" in one.message
    assert "linjar" in (one.expected or "")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("schema",), "budget-report/9"),  # another kind of report is no code
        (("unit",), 7),  # a number where a code stands is no code of a newer version
        (("tertial",), 4),
    ],
)
def test_what_is_no_unknown_code_is_still_refused(
    t1: dict[str, Any], path: tuple[str | int, ...], value: Any
) -> None:
    from budget.edge.previous import read_errors

    refused, _ = read_errors(_set(t1, path, value), "x.json")
    assert refused != []
