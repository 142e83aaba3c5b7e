"""The previous report, read from its JSON (``budget-report/1``) and checked against the
report's JSON Schema; ``report.compare`` pairs it with this report's lines."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from budget.core.period import month_of_suffix
from budget.diagnostics import Diagnostic

MAX_BYTES = 64 * 1024**2


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} är inget tal i JSON")


def load_json(path: Path) -> tuple[Any, Diagnostic | None]:
    """Parse a report file strictly: no NaN or Infinity, bounded size and depth."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValueError(f"filen är större än {MAX_BYTES // 1024**2} MB")
        text = path.read_text(encoding="utf-8")
        return json.loads(text, parse_constant=_reject_constant), None
    except RecursionError:
        why = "JSON-strukturen är för djupt nästlad"
    except json.JSONDecodeError as exc:
        why = f"ogiltig JSON på rad {exc.lineno}, kolumn {exc.colno}"
    except OSError as exc:
        return None, Diagnostic(
            "E015", f"filen kan inte läsas ({exc.strerror or exc})", file=path.name
        )
    except (UnicodeDecodeError, ValueError) as exc:
        why = str(exc)
    return None, Diagnostic(
        "E014", f"filen kan inte läsas som JSON ({why})", file=path.name, expected="en rapport-JSON"
    )


@cache
def _validator() -> Any:
    import jsonschema

    schema = json.loads(
        resources.files("budget").joinpath("schemas/report.schema.json").read_text("utf-8")
    )
    return jsonschema.Draft202012Validator(schema)


def schema_errors(data: Any) -> list[tuple[str, str]]:
    """Where a report JSON breaks the report schema: (JSON path, what is wrong)."""
    found = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path)))
    return [(e.json_path, _swedish(e)) for e in found]


_TYPES = {
    "number": "ett tal",
    "integer": "ett heltal",
    "string": "en text",
    "object": "ett objekt",
    "array": "en lista",
    "null": "null",
}


def _swedish(error: Any) -> str:
    """jsonschema's English message, said in Swedish."""
    kind, wanted = error.validator, error.validator_value
    if kind == "required":
        missing = [name for name in wanted if name not in (error.instance or {})]
        return f"fältet {', '.join(missing)} saknas"
    if kind == "type":
        names = [wanted] if isinstance(wanted, str) else list(wanted)
        return "fel typ, förväntat " + " eller ".join(_TYPES.get(n, n) for n in names)
    if kind in ("minimum", "maximum", "minLength", "maxLength"):
        return "värdet ligger utanför det tillåtna"
    if kind == "pattern":
        return "texten innehåller styrtecken"
    if kind in ("enum", "const"):
        return "värdet är inte tillåtet"
    return "värdet är ogiltigt"


def read(
    path: Path, year: int, period: int, namnd: str
) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """A previous report's JSON if it is one for the same nämnd and year, earlier period.

    A file that is not JSON, or that says it is a report and breaks the report
    schema, is an error (E014) naming the place; a JSON file that is no report of
    ours, or one for another nämnd, year or a later period, is a warning (W309).
    """
    data, problem = load_json(path)
    if problem is not None:
        return None, [problem]
    if isinstance(data, dict) and data.get("schema") == "budget-report/1":
        broken = schema_errors(data)
        if broken:
            where, what = broken[0]
            return None, [
                Diagnostic(
                    "E014",
                    f"rapporten följer inte rapportens schema ({what})"
                    + (f"; {len(broken) - 1} fel till" if len(broken) > 1 else ""),
                    file=path.name,
                    cell=where,
                    expected="en rapport-JSON som budget har skrivit",
                )
            ]
    ok = (
        isinstance(data, dict)
        and data.get("schema") == "budget-report/1"
        and data.get("year") == year
        and data.get("namnd") == namnd
        and data["period"] < period
    )
    if not ok:
        return None, [
            Diagnostic(
                "W309",
                "filen är ingen tidigare rapport för samma nämnd och år",
                file=path.name,
                expected=f"en rapport för {namnd} {year} med period före {period}",
            )
        ]
    assert isinstance(data, dict)
    return data, []


def find(out_dir: Path, stem: str, year: int, period: int) -> Path | None:
    """The latest earlier report of the same inputs folder in the output folder."""
    best: tuple[int, Path] | None = None
    for path in sorted(out_dir.glob(f"{stem}-*.json")):
        suffix = path.stem[len(stem) + 1 :]
        month = month_of_suffix(suffix)
        if month is None or month >= period:
            continue
        data, problem = load_json(path)
        if problem is not None or schema_errors(data):
            continue
        if (
            isinstance(data, dict)
            and data.get("year") == year
            and (best is None or month > best[0])
        ):
            best = (month, path)
    return best[1] if best else None
