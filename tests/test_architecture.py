"""The shape of the package, where import-linter cannot see it.

The import contracts (pyproject.toml, `make lint`) forbid modules: the core imports no
`os`, `pathlib`, `time` or `io`. What a module name cannot say is held here: no clock read
through `datetime`, no `open()`, no environment, no polars reader or writer, no printing
in the core or the checks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "budget"

# A call that reads the clock, a file or the environment, or writes: none belongs in the
# pure layers (the clock is a parameter, files are read by budget.edge).
IMPURE = re.compile(
    r"\b(?:datetime|date)\s*\.\s*(?:now|today|utcnow)\s*\("
    r"|\btime\s*\.\s*(?:time|perf_counter|monotonic|process_time)(?:_ns)?\s*\("
    r"|(?<![\w.])open\s*\("
    r"|\.open\s*\("
    r"|\bos\s*\.\s*(?:environ|getenv)"
    r"|\bgetenv\s*\("
    r"|\bpl\s*\.\s*(?:read|scan)_\w+\s*\("
    r"|\.(?:write|sink)_(?:csv|parquet|ipc|json|ndjson|excel|database|delta|avro)\s*\("
    r"|(?<![\w.])print\s*\("
    r"|\binput\s*\("
    r"|__import__\s*\("
    r"|importlib"
)


def impure_calls(text: str) -> list[str]:
    """The impure calls in a module's source, comments and docstrings included (a
    docstring that names datetime.now() is rare and cheap to reword)."""
    return [m.group(0) for m in IMPURE.finditer(text)]


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("stamp = datetime.now()", True),
        ("day = date.today()", True),
        ("t = time.perf_counter()", True),
        ("with open(path) as f:", True),
        ("path.open('rb')", True),
        ("home = os.environ['HOME']", True),
        ("frame = pl.read_excel(path)", True),
        ("frame.write_parquet(path)", True),
        ('print("x")', True),
        ("generated_at: datetime", False),
        ("reopen_count = 1", False),
        ("frame.with_columns(pl.lit(1))", False),
        ("settings.period_of(year)", False),
    ],
)
def test_the_pattern_finds_what_it_should(source: str, found: bool) -> None:
    assert bool(impure_calls(source)) is found


@pytest.mark.parametrize("layer", ["core", "checks"])
def test_the_pure_layers_read_no_clock_file_or_environment(layer: str) -> None:
    modules = sorted((PACKAGE / layer).rglob("*.py"))
    assert modules, f"no modules under budget/{layer}"
    found = {
        str(m.relative_to(PACKAGE)): calls
        for m in modules
        if (calls := impure_calls(m.read_text(encoding="utf-8")))
    }
    assert found == {}
