"""The JSON Schema of the report (``budget/schemas/report.schema.json``), generated from the
types: the header's (``formats.json.header``) and each section's (the TypedDict its ``json``
callable returns), in the order of ``sections.JSON``, by pydantic's JSON Schema generator.

The types are the one truth: the JSON writer is checked against them by mypy, the schema is
made from them here, and ``python -m scripts.make_schema`` writes the file a test holds equal
to this. Only the keys every report since the first has are required (the others are
``NotRequired``), so that older reports stay readable (``--previous``, the archive).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, get_type_hints

from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema
from typing_extensions import TypedDict

from budget.report.formats.json import SCHEMA, header
from budget.report.sections import JSON

HEAD: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA,
    "title": "budget: the JSON report (contract §3)",
    "description": (
        "Amounts in kronor with öre, report signs: revenues positive, "
        "costs negative, net = revenues + costs; variance = forecast net "
        "− budget net. Every report the toolkit writes is validated "
        "against this schema in the tests, and --previous is checked with "
        "it."
    ),
}


def part(make: Callable[..., Any]) -> Any:
    """The TypedDict a JSON callable is annotated to return: its keys' type."""
    returned = get_type_hints(make, include_extras=True).get("return")
    if not (isinstance(returned, type) and hasattr(returned, "__required_keys__")):
        raise TypeError(f"{make.__module__}.{make.__qualname__} returns no TypedDict")
    return returned


def parts() -> list[Any]:
    """The header's type and each JSON section's, in the order of the JSON's keys."""
    return [part(header)] + [part(s.json) for s in JSON if s.json is not None]


def report_type() -> Any:
    """The whole report's type: the parts' keys in order, each ``NotRequired`` as its part says."""
    fields: dict[str, Any] = {}
    for typed in parts():
        hints = get_type_hints(typed, include_extras=True)
        for key, hint in hints.items():
            assert key not in fields, (typed.__name__, key)
            # What the hint says (``__required_keys__`` cannot see it in a module of
            # postponed annotations); pydantic reads nested types the same way.
            fields[key] = hint
    make: Any = TypedDict
    return make("Report", fields)


class _Generate(GenerateJsonSchema):
    """pydantic's generator without the titles it makes up from the names, and with
    ``{"type": [t, "null"]}`` for a plain nullable value, as a reader writes it (and so that
    a wrong type is said as one: "fel typ, förväntat ett tal eller null")."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def typed_dict_schema(self, schema: core_schema.TypedDictSchema) -> JsonSchemaValue:
        out = super().typed_dict_schema(schema)
        out.pop("title", None)
        return out

    def enum_schema(self, schema: core_schema.EnumSchema) -> JsonSchemaValue:
        out = super().enum_schema(schema)
        out.pop("title", None)
        return out

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        out = super().nullable_schema(schema)
        either = out.get("anyOf")
        if not (isinstance(either, list) and len(either) == 2 and either[1] == {"type": "null"}):
            return out
        inner = either[0]
        if not isinstance(inner.get("type"), str) or inner.keys() & {"enum", "const", "$ref"}:
            return out
        rest = {k: v for k, v in out.items() if k != "anyOf"}
        return {**rest, **inner, "type": [inner["type"], "null"]}


def report_schema() -> dict[str, Any]:
    made = TypeAdapter(report_type()).json_schema(
        schema_generator=_Generate, ref_template="#/$defs/{model}"
    )
    defs = made.pop("$defs", {})
    made.pop("title", None)
    return {**HEAD, **made, "$defs": dict(sorted(defs.items()))}


def render() -> str:
    return json.dumps(report_schema(), ensure_ascii=False, indent=2) + "\n"
