"""The previous report, read from its JSON (``budget-report/1``) and checked against the
report's JSON Schema; the change section (``report.sections``) pairs it with this report's
lines."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, NotRequired

from pydantic import Field, TypeAdapter
from typing_extensions import TypedDict

from budget.checks.cells import size_problem
from budget.core.accuracy import Archived, GivenArea
from budget.core.money import from_kronor
from budget.core.names import printable, unshowable
from budget.core.period import month_of_suffix
from budget.diagnostics import Diagnostic
from budget.edge import files
from budget.edge.files import UnreadableFile

MAX_BYTES = 64 * 1024**2


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} är inget tal i JSON")


class _Oversized:
    """A JSON number too large for an amount, kept as its text while the file is parsed,
    so that the refusal can name where in the JSON it stands (``_first_oversized``)."""

    def __init__(self, text: str, why: str) -> None:
        self.text, self.why = text, why


def _number(text: str) -> float | int | _Oversized:
    """A JSON number held to the one size rule of amounts (checks.cells): 1e400 would be
    float infinity, 1e300 kronor would overflow when turned into öre."""
    value: float | int = float(text) if any(c in text for c in ".eE") else int(text)
    problem = size_problem(value)
    return value if problem is None else _Oversized(text, problem[1])


def _first_oversized(data: Any) -> tuple[str, _Oversized] | None:
    """The first number too large for an amount, in document order, with its JSON path
    ($.areas[3].forecast.costs, as jsonschema names a place)."""
    stack: list[tuple[str, Any]] = [("$", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, _Oversized):
            return where, value
        if isinstance(value, dict):
            stack += [(f"{where}.{k}", v) for k, v in reversed(value.items())]
        elif isinstance(value, list):
            stack += [(f"{where}[{i}]", v) for i, v in reversed(list(enumerate(value)))]
    return None


def load_json(path: Path) -> tuple[Any, Diagnostic | None]:
    """Parse a report file strictly: no NaN or Infinity, bounded size and depth, no number
    too large for an amount (named by its JSON path)."""
    try:
        text = files.read_bytes(path, path.name, MAX_BYTES).decode("utf-8")
        data = json.loads(
            text, parse_constant=_reject_constant, parse_float=_number, parse_int=_number
        )
        huge = _first_oversized(data)
        if huge is None:
            return data, None
        where, number = huge
        return None, Diagnostic(
            "E014",
            f"filen kan inte läsas som JSON (talet {number.text[:40]} kan inte vara ett "
            f"belopp: {number.why})",
            file=path.name,
            cell=where,
            value=number.text[:80],
            expected="en rapport-JSON",
        )
    except RecursionError:
        why = "JSON-strukturen är för djupt nästlad"
    except json.JSONDecodeError as exc:
        why = f"ogiltig JSON på rad {exc.lineno}, kolumn {exc.colno}"
    except UnreadableFile as exc:
        return None, exc.diagnostic
    except UnicodeDecodeError as exc:
        why = f"filen är inte UTF-8 (byte {exc.start + 1} kan inte läsas)"
    except ValueError as exc:
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


def read_errors(data: Any, file: str) -> tuple[list[tuple[str, str]], list[Diagnostic]]:
    """A report read back (``--previous``, the city's desk): where it breaks the report
    schema in a way no report of ours does, and a warning (W347) for each code this version
    does not know.

    The schema lists the codes this version writes (methods, tertials, units, statuses):
    a report written by a newer version may hold one added since. Such a text where a code
    stands is read as a warning naming the file, the JSON path, the value and the codes this
    version knows, and the report is used; anything else that breaks the schema is refused.
    """
    found = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path)))
    refused: list[tuple[str, str]] = []
    unknown: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for error in found:
        codes = _codes_known(error)
        if codes is None:
            refused.append((error.json_path, _swedish(error)))
        for where, value, known in codes or ():
            unknown.setdefault((value, known), []).append(where)
    warned = [
        Diagnostic(
            "W347",
            f"koden {printable(value[:80])} är okänd för den här versionen av budget"
            + (f" (på {len(places)} ställen)" if len(places) > 1 else ""),
            file=file,
            cell=places[0],
            value=printable(value[:80]),
            expected="ett av " + ", ".join(known),
        )
        # jsonschema checks a map's values in the order of a set: the places sorted, so
        # that the same report gives the same warnings.
        for (value, known), places in sorted(
            ((k, sorted(v)) for k, v in unknown.items()), key=lambda kv: kv[1][0]
        )
    ]
    return refused, warned


def _codes_known(error: Any) -> list[tuple[str, str, tuple[str, ...]]] | None:
    """When ``error`` is only texts where the schema lists codes (an enum, alone, beside
    null, or deep in an object that may be null): each as (JSON path, value, the codes this
    version knows). None for any other error, and for the schema's own name (``$.schema``:
    a report of another kind is no report to read)."""
    if error.json_path == "$.schema":
        return None
    if error.validator in ("enum", "const"):
        known = error.validator_value if error.validator == "enum" else [error.validator_value]
        if isinstance(error.instance, str) and known and all(isinstance(v, str) for v in known):
            return [(error.json_path, error.instance, tuple(known))]
        return None
    if error.validator not in ("anyOf", "oneOf"):
        return None
    branches: dict[Any, list[Any]] = {}
    for sub in error.context or ():
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    for _, subs in sorted(branches.items(), key=lambda b: str(b[0])):
        found: list[tuple[str, str, tuple[str, ...]]] = []
        for sub in subs:
            codes = _codes_known(sub)
            if codes is None:
                break
            found += codes
        else:
            if found:
                return found
    return None


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
    if kind == "anyOf" and all(isinstance(w, dict) and w.keys() == {"type"} for w in wanted):
        kind, wanted = "type", [w["type"] for w in wanted]  # a text or null, said as one
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
    unknown: list[Diagnostic] = []
    if isinstance(data, dict) and data.get("schema") == "budget-report/1":
        broken, unknown = read_errors(data, path.name)
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
    return data, unknown


def find(out_dir: Path, stem: str, year: int, period: int) -> Path | None:
    """The latest earlier report of the same inputs folder in the output folder."""
    best: tuple[int, Path] | None = None
    for path in sorted(out_dir.glob(f"{stem}-*.json")):
        if unshowable(path.name):
            continue  # no earlier report of ours: those have the inputs folder's name
        suffix = path.stem[len(stem) + 1 :]
        month = month_of_suffix(suffix)
        if month is None or month >= period:
            continue
        data, problem = load_json(path)
        if problem is not None or read_errors(data, path.name)[0]:
            continue
        if (
            isinstance(data, dict)
            and data.get("year") == year
            and (best is None or month > best[0])
        ):
            best = (month, path)
    return best[1] if best else None


# What an archived report must hold for the comparison of reported forecasts: a subset of
# the report's JSON, so that reports written by earlier versions stay readable. It is a type,
# as the report's JSON is (edge cannot import the report's types: this is the reader's own
# minimum, only net figures), and its JSON Schema is pydantic's for it. Amounts and names as
# the report schema bounds them: a figure beyond 10^16 kr or a name with a control character
# is no report of ours and could not be shown.
_Amount = Annotated[float, Field(ge=-1e16, le=1e16)]
_Name = Annotated[str, Field(min_length=1, max_length=10000, pattern=r"^[^\u0000-\u001f\u007f]*$")]


class _Net(TypedDict):
    net: _Amount


class _Figures(TypedDict):
    budget: _Net
    actual: _Net
    forecast: _Net


class _ArchivedArea(_Figures):
    area: _Name
    subarea: str | None


class ArchivedReport(TypedDict):
    schema: Literal["budget-report/1"]
    namnd: str
    year: Annotated[int, Field(ge=1990, le=2100)]
    period: Annotated[int, Field(ge=1, le=12)]
    generated_at: NotRequired[str]
    areas: list[_ArchivedArea]
    total: _Figures


def archive_schema() -> dict[str, Any]:
    """The JSON Schema of ``ArchivedReport``."""
    return TypeAdapter(ArchivedReport).json_schema()


@cache
def _archive_validator() -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(archive_schema())


def archived(
    folders: list[tuple[Path, str]], namnd: str, year: int, before: int | None = None
) -> tuple[list[Archived], list[Diagnostic]]:
    """The nämnd's T1, T2 and year-end reports of years before ``year`` in ``folders``
    (each with the name it is shown by), one per year and period. With ``before``, the
    reports of ``year`` itself for the periods before it, monthly reports too (the
    forecast's path through the year, contract §8).

    JSON files that are no report of this nämnd, or that are this year's, are not
    archives and pass unremarked; a report of the nämnd that cannot be read or lacks
    what the comparison needs is a warning (W319), as are two archived reports of the
    same year and period whose figures differ (W320; the one made last is used).
    """
    found: dict[tuple[int, int], list[Archived]] = {}
    problems: list[Diagnostic] = []
    seen: set[Path] = set()
    for folder, shown in folders:
        for path in sorted(folder.glob("*.json")):
            if path.resolve() in seen or not files.present(path):
                continue
            seen.add(path.resolve())
            stem = path.stem
            month = month_of_suffix(stem.rsplit("-", 1)[-1]) if "-" in stem else None
            if before is None and month is not None and month not in (4, 8, 12):
                continue  # a monthly report: only T1, T2 and the year's end are compared
            name = printable(f"{shown}/{path.name}" if shown not in ("", ".") else path.name)
            if unshowable(path.name):
                problems.append(
                    Diagnostic(
                        "W322",
                        "filnamnet har ett styrtecken eller tecken som inte är UTF-8",
                        file=name,
                        expected="ett filnamn med vanliga tecken, t.ex. skarholmen-2016-T2.json",
                    )
                )
                continue
            entry, problem = _archive(path, name, namnd, year, before)
            if problem is not None:
                problems.append(problem)
            if entry is not None:
                found.setdefault((entry.year, entry.period), []).append(entry)
    return _one_each(found, problems), problems


def _one_each(
    found: dict[tuple[int, int], list[Archived]], problems: list[Diagnostic]
) -> list[Archived]:
    """One archive per year and period: the one made last; W320 for others that differ."""
    chosen: list[Archived] = []
    for (y, period), entries in sorted(found.items()):
        entries.sort(key=lambda a: (a.generated_at, a.file), reverse=True)
        best = entries[0]
        chosen.append(best)
        for other in entries[1:]:
            if not best.same_figures(other):
                problems.append(
                    Diagnostic(
                        "W320",
                        f"två arkiverade rapporter för {y} period {period} har olika siffror; "
                        f"{best.file} används (skapad senast)",
                        file=other.file,
                        expected="en rapport per år och tertial i arkivet",
                    )
                )
    return chosen


def _archive(
    path: Path, name: str, namnd: str, year: int, before: int | None = None
) -> tuple[Archived | None, Diagnostic | None]:
    data, problem = load_json(path)
    if problem is not None:
        return None, Diagnostic(
            "W319",
            problem.message,
            file=name,
            cell=problem.cell,
            value=problem.value,
            expected="en rapport-JSON som budget har skrivit",
        )
    if not (
        isinstance(data, dict)
        and data.get("schema") == "budget-report/1"
        and data.get("namnd") == namnd
        and isinstance(data.get("year"), int)
        and (
            data["year"] < year
            if before is None
            else data["year"] == year
            and isinstance(data.get("period"), int)
            and data["period"] < before
        )
    ):
        return None, None
    broken = sorted(_archive_validator().iter_errors(data), key=lambda e: list(map(str, e.path)))
    if broken:
        return None, Diagnostic(
            "W319",
            f"rapporten saknar det som jämförelsen behöver ({_swedish(broken[0])})"
            + (f"; {len(broken) - 1} fel till" if len(broken) > 1 else ""),
            file=name,
            cell=broken[0].json_path,
            expected="en rapport-JSON som budget har skrivit",
        )
    areas = [a for a in data["areas"] if a["subarea"] is None]
    names = [a["area"] for a in areas]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        return None, Diagnostic(
            "W319",
            f"verksamhetsområdet {twice[0]} står två gånger i rapporten",
            file=name,
            cell="$.areas",
            expected="en rad per verksamhetsområde",
        )
    return Archived(
        name,
        data["year"],
        data["period"],
        str(data.get("generated_at", "")),
        tuple(_given(a["area"], a) for a in areas),
        _given("", data["total"]),
    ), None


def _given(area: str, figures: dict[str, Any]) -> GivenArea:
    return GivenArea(
        area,
        from_kronor(figures["budget"]["net"]),
        from_kronor(figures["actual"]["net"]),
        from_kronor(figures["forecast"]["net"]),
    )
