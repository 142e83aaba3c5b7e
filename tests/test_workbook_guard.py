"""Hostile workbooks never reach calamine: fuzzed sheet XML ends in exit 0 or 1, never an abort.

Each example runs the CLI in a child process under a 4 GB address-space limit, so
a native abort or a runaway allocation shows as a failed example instead of
killing the test run.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import Folder

SHEET = "xl/worksheets/sheet1.xml"

letters = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=4)
rows = st.one_of(st.integers(1, 30), st.integers(1_000, 1_048_578), st.integers(1_048_577, 10**12))


@st.composite
def hostile_xml(draw: st.DrawFn) -> bytes:
    """Rows and cells added to a valid sheet: odd references, missing ones, many of them."""
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["ref", "noref", "rowonly", "attrs"]))
        row = draw(rows)
        if kind == "ref":
            ref = f"{draw(letters)}{row}"
            parts.append(f'<row r="{row}"><c r="{ref}" t="n"><v>1</v></c></row>')
        elif kind == "noref":
            n = draw(st.sampled_from([1, 30, 16_385]))
            parts.append(f'<row r="{row}">' + '<c t="n"><v>2</v></c>' * n + "</row>")
        elif kind == "rowonly":
            parts.append(f'<row r="{row}"/>')
        else:  # the reference after other attributes, separated by a tab
            ref = f"{draw(letters)}{row}"
            parts.append(f'<row r="{row}"><c t="n"\ts="0"\tr="{ref}"><v>3</v></c></row>')
    return "".join(parts).encode()


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (4 * 1024**3, 4 * 1024**3))


def _run(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from budget.cli import main; main()", "validate", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limited,
        env={"PATH": "/usr/bin:/bin", "BUDGET_NO_CACHE": "1", "HOME": str(folder)},
    )


@given(extra=hostile_xml(), count=st.one_of(st.none(), st.integers(0, 2**40)))
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_fuzzed_sheet_xml_is_refused_or_read_never_aborts(
    extra: bytes, count: int | None, tmp_path_factory: object
) -> None:
    base = tmp_path_factory.mktemp("guard")  # type: ignore[attr-defined]
    folder = Folder(base / "testnamnd-2017")
    path = folder.path / "utfall-2017.xlsx"
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    parts[SHEET] = parts[SHEET].replace(b"</sheetData>", extra + b"</sheetData>")
    if count is not None:
        parts["xl/sharedStrings.xml"] = (
            b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" uniqueCount="%d"><si><t>x</t></si></sst>' % count
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    result = _run(folder.path)
    assert result.returncode in (0, 1), (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    assert "Internt fel" not in result.stderr


# The scans themselves, without a child process: the cheap bound and the vectorised extent.

cell_letters = st.one_of(
    st.sampled_from(["A", "I", "S", "T", "Z", "AA", "XFD", "XFE", "ZZZZ"]), letters
)
cell_rows = st.one_of(
    st.integers(1, 30),
    st.integers(999_990, 1_048_580),
    st.integers(0, 10**13),
    st.integers(10**19, 10**21),
)


@st.composite
def sheet_cells(draw: st.DrawFn) -> tuple[bytes, bool]:
    """Sheet XML of a few rows; True when every cell carries an ordinary reference."""
    rows = []
    referenced = True
    for _ in range(draw(st.integers(1, 6))):
        row = draw(cell_rows)
        cells = []
        for _ in range(draw(st.integers(0, 3))):
            kind = draw(st.sampled_from(["ref", "ref", "after", "lower", "none"]))
            ref = f"{draw(cell_letters)}{draw(cell_rows)}"
            # Row 0 and rows beyond 64 bits are placed by walking the tags.
            referenced = referenced and 0 < int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) < 2**63
            if kind == "ref":
                cells.append(f'<c r="{ref}" t="n"><v>1</v></c>')
            elif kind == "after":
                cells.append(f'<c s="0"\tt="n" r="{ref}"/>')
            elif kind == "lower":
                cells.append(f'<c r="{ref.lower()}"><v>1</v></c>')
                referenced = False
            else:
                cells.append("<c><v>2</v></c>")
                referenced = False
        rows.append(f'<row r="{row}">{"".join(cells)}</row>')
    return ("<sheetData>" + "".join(rows) + "</sheetData>").encode(), referenced


def _feed(sink: Any, xml: bytes, size: int) -> None:
    for i in range(0, len(xml), size):
        sink(xml[i : i + size])
    sink.finish()


@given(sheet=sheet_cells(), size=st.integers(1, 64), batch=st.integers(16, 256))
@settings(max_examples=300, deadline=None)
def test_the_vectorised_extent_is_the_walked_one(
    sheet: tuple[bytes, bool], size: int, batch: int
) -> None:
    from budget.edge import workbook

    xml, referenced = sheet
    walk = workbook._Walk()
    _feed(walk, xml, size)
    old = workbook._BATCH
    workbook._BATCH = batch
    try:
        refs = workbook._RefExtent()
        _feed(refs, xml, size)
    finally:
        workbook._BATCH = old
    if refs.odd:
        assert not referenced
        return  # measured by the walk instead
    found = (refs.max_row, refs.max_col, refs.widest, refs.deepest)
    assert found == (walk.max_row, walk.max_col, walk.widest, walk.deepest)


@given(sheet=sheet_cells(), size=st.integers(1, 64))
@settings(max_examples=300, deadline=None)
# Found by hypothesis: a lower-case reference after S1000001 is placed by position, in
# column T, which makes the sheet 1 000 001 × 20 cells; so is any reference that is not an
# ordinary one ($T$1, single quotes, 1T, T1T).
@example(
    sheet=(
        b'<sheetData><row r="1"><c r="A1" t="n"><v>1</v></c></row><row r="1">'
        b'<c r="S1000001" t="n"><v>1</v></c><c r="a1"><v>1</v></c></row></sheetData>',
        False,
    ),
    size=1,
)
@example(
    sheet=(b'<sheetData><row r="1"><c r="S1000001"/><c r="$T$1"/></row></sheetData>', False),
    size=7,
)
@example(
    sheet=(b"<sheetData><row r='1'><c r='S1000001'/><c r='T1000001'/></row></sheetData>", False),
    size=64,
)
@example(
    sheet=(b'<sheetData><row r="1"><c r="S1000001"/><c r="1T"/></row></sheetData>', False),
    size=3,
)
def test_a_sheet_the_cheap_scan_lets_through_is_within_the_limits(
    sheet: tuple[bytes, bool], size: int
) -> None:
    from budget.edge import workbook

    xml, _ = sheet
    scan = workbook._SheetScan()
    for i in range(0, len(xml), size):
        scan.feed(xml[i : i + size])
    scan.finish()
    if scan.beyond is not None or scan.bound() > workbook.MAX_CELLS:
        return  # measured exactly before calamine sees it
    walk = workbook._Walk()
    _feed(walk, xml, size)
    assert walk.max_row <= workbook.MAX_ROWS
    assert walk.max_col <= workbook.MAX_COLUMNS
    assert walk.max_row * walk.max_col <= workbook.MAX_CELLS
