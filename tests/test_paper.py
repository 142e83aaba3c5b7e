"""Every workbook the toolkit writes prints: A4, one page wide, header rows on every page."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from budget.app.init import workbooks
from budget.app.pipeline import make_report
from budget.report.render.xlsx import ledger_workbook
from tests.conftest import DEMO, ROOT, need, soffice_convert

STAMP = datetime(2017, 9, 12, 10, 0)


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    make_report(DEMO, 8, out, STAMP)
    return out


def assert_prints(book: Workbook, name: str) -> None:
    for ws in book.worksheets:
        where = f"{name} › {ws.title}"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4), where
        assert ws.sheet_properties.pageSetUpPr.fitToPage, where
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), where
        assert ws.oddFooter.center.text, where
        frozen = re.match(r"^[A-Z]+([0-9]+)$", str(ws.freeze_panes or ""))
        if frozen and int(frozen.group(1)) > 1:
            assert ws.print_title_rows, f"{where}: the header rows repeat on every page"


def test_the_report_workbook_and_the_request_print(demo_out: Path) -> None:
    for path in sorted(demo_out.glob("*.xlsx")):
        book = load_workbook(path)
        assert len(book.worksheets) >= 2 or "begaran" in path.name
        assert_prints(book, path.name)
    book = load_workbook(demo_out / "skarholmen-2017-T2.xlsx")
    # A sheet as wide as the area table prints in landscape.
    widest = max(
        book.worksheets,
        key=lambda ws: sum((d.width or 8.43) for d in ws.column_dimensions.values()),
    )
    assert widest.page_setup.orientation == "landscape", widest.title


def test_the_starter_and_the_sie_workbooks_print() -> None:
    for name, data in workbooks(2027, STAMP).items():
        assert_prints(load_workbook(io.BytesIO(data)), name)
    rows = [{"År": 2017, "Period": 1, "Ansvar": "A1", "Konto": "4010", "Belopp": 1.5}]
    sie = ledger_workbook("Huvudbok", ["År", "Period", "Ansvar", "Konto", "Belopp"], rows)
    assert_prints(load_workbook(io.BytesIO(sie)), "sie")


def test_every_workbook_is_saved_by_the_one_serialiser() -> None:
    """The print setup is applied where workbooks become bytes (xlsx.to_bytes): a workbook
    saved anywhere else would print as openpyxl leaves it (US Letter, 69 pages). A module
    that works with openpyxl and calls ``.save(`` is such a place; the Word documents
    (python-docx's ``Document.save``) are not workbooks."""
    saving = []
    for path in sorted((ROOT / "budget").rglob("*.py")):
        if path.name == "xlsx.py" and path.parent.name == "render":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\.save\(", text) and "openpyxl" in text:
            saving.append(path.relative_to(ROOT).as_posix())
    assert saving == []


@pytest.mark.libreoffice
def test_libreoffice_prints_the_report_workbook_on_a4_pages(demo_out: Path, tmp_path: Path) -> None:
    """As a controller prints it: every page A4, the Sammanfattning's labels beside their
    figures on page 1, and no more pages than the tables need (69 before)."""
    pdfinfo, pdftotext = need("pdfinfo"), need("pdftotext")
    pdf = soffice_convert(demo_out / "skarholmen-2017-T2.xlsx", "pdf", tmp_path)
    info = subprocess.run(
        [pdfinfo, "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = re.findall(r"Page +\d+ size: +([0-9.]+) x ([0-9.]+) pts", info)
    assert 5 <= len(sizes) <= 30, len(sizes)
    for w, h in sizes:
        assert sorted((round(float(w)), round(float(h)))) == [595, 842], (w, h)
    first = subprocess.run(
        [pdftotext, "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(ln for ln in first.splitlines() if "Utfall, netto" in ln)
    assert re.search(r"−?-?[0-9][0-9 \u00a0,.]*[0-9]", line.split("Utfall, netto", 1)[1]), line
