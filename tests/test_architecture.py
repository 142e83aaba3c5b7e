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


# Opening a file for reading: only budget.edge.files does it, so that a file that cannot be
# read (E015: no permission, a folder, a named pipe that would never answer) or is too large
# (E008) is refused the same way and said in the same words by every reader.
OPENS = re.compile(
    r"(?<![\w.])open\s*\("
    r"|\b(?:os|io|codecs)\s*\.\s*(?:open|fdopen)\s*\("
    r"|(?<!files)\.read_(?:bytes|text)\s*\("
    r"|\.open\s*\(\s*(?:\)|[\"'][rbt]+[\"']|mode\s*=)"
    r"|\b(?:tomllib|json|pickle|marshal)\s*\.\s*load\s*\("
)
# Native readers handed a path open the file themselves: only after the guard, so a module
# that calls one also goes through budget.edge.files (directly, or by the workbook guard).
NATIVE = re.compile(
    r"\bload_workbook\s*\(\s*path|\bread_excel\s*\(\s*str\(path|\bDocument\s*\(\s*str\(path"
    r"|\bZipFile\s*\(\s*path"
)
GUARDED = re.compile(r"\bfiles\s*\.\s*(?:opened|read_bytes|read_head)\s*\(|\binspect\s*\(")

# The opens that are no reader of the user's files, each with why.
ALLOWED = {
    ("edge/files.py", "os.open("): "the helper itself",
    ("edge/files.py", "os.fdopen("): "the helper itself",
    ("edge/write.py", "os.fdopen("): "writes the outputs (a temporary file, then renamed)",
    ("edge/split.py", 'open("/proc/stat", "rb")'): "the machine's load, no input",
    (
        "edge/split.py",
        'open(f"/proc/{entry}/stat", "rb")',
    ): "this run's live children's CPU, no input",
    ("edge/split.py", "open(target, "): "appends to the read log $BUDGET_READ_LOG (make bench)",
    ("edge/cache.py", ".read_bytes("): "the toolkit's own source (the cache key) and its own "
    "cache files, each checked against its sealed digest",
    ("edge/cache.py", ".read_text("): "the cache's own sealed metadata",
    ("edge/previous.py", '.read_text("utf-8")'): "the report schema shipped in the package",
    ("edge/huvudbok.py", ".read_bytes("): "the Parquet file it wrote, compared before rewriting",
    ("app/chart_cache.py", ".read_bytes()).hexdigest()"): "the font files the charts are "
    "drawn with, their digest in the chart cache's key",
    ("app/analysmall.py", ".read_bytes("): "the template it wrote, compared before rewriting",
    ("app/samla.py", ".read_bytes("): "the prognos.xlsx samla wrote, kept byte for byte",
    ("app/renderers.py", "os.fdopen(os.dup(1)"): "the render helper's answers, to its stdout",
    ("app/renderers.py", "pickle.load(requests)"): "the render helper's requests, from the "
    "parent's pipe",
    ("app/renderers.py", "pickle.load(proc.stdout)"): "the answers of its own child's pipe",
}


def opens(text: str) -> list[str]:
    """The calls in a module's source that open a file for reading, each with what follows
    it on its line (to tell the allowed ones by)."""
    return [text[m.start() : text.find("\n", m.start())] for m in OPENS.finditer(text)]


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("with open(path) as f:", True),
        ('with path.open("rb") as fh:', True),
        ("with path.open() as fh:", True),
        ('handle = path.open(mode="r")', True),
        ("data = path.read_bytes()", True),
        ('text = path.read_text(encoding="utf-8")', True),
        ("fd = os.open(path, os.O_RDONLY)", True),
        ("data = tomllib.load(fh)", True),
        ("data = json.load(fh)", True),
        ("with zf.open(info) as member:", False),
        ('stream = self.zip.open(member, "w")', False),
        ("data = json.loads(text)", False),
        ("reopened = 1", False),
    ],
)
def test_the_open_pattern_finds_what_it_should(source: str, found: bool) -> None:
    assert bool(opens(source)) is found


def _allowed(module: str, call: str) -> bool:
    return any(m == module and call.startswith(start) for (m, start) in ALLOWED)


def test_every_input_file_is_opened_by_the_one_helper() -> None:
    """No module opens a file its own way: readers go through budget.edge.files."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        calls = [c for c in opens(path.read_text(encoding="utf-8")) if not _allowed(module, c)]
        if calls:
            found[module] = calls
    assert found == {}, "open the file with budget.edge.files (opened, read_bytes, read_head)"


def test_native_readers_are_handed_only_guarded_files() -> None:
    found = [
        path.relative_to(PACKAGE).as_posix()
        for path in sorted(PACKAGE.rglob("*.py"))
        if NATIVE.search(text := path.read_text(encoding="utf-8")) and not GUARDED.search(text)
    ]
    assert found == []
