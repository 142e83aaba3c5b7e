"""Golden snapshots of the demo's files: a changed figure fails here.

The JSON whole, the HTML report's text and tables (charts are data in the JSON), the cell
values of the report workbook and of the request to kommunstyrelsen, and the Word
tjänsteutlåtande's paragraphs (with their style), tables and images' alternative text, for
T1 and for T2 (which compares with T1). Review and accept a deliberate change with
``make snapshots``.
"""

from __future__ import annotations

import json
from datetime import datetime
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from budget.app.pipeline import make_report
from tests.conftest import DEMO

GENERATED_AT = datetime(2017, 9, 12, 10)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("golden")
    make_report(DEMO, 4, out, GENERATED_AT)
    make_report(DEMO, 8, out, GENERATED_AT)
    return {p.name: p for p in out.iterdir()}


@pytest.fixture
def snapshot_json(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(JSONSnapshotExtension)


class _Text(HTMLParser):
    """What a reader sees: text blocks, and every table as rows of cell texts."""

    BLOCKS = frozenset({"h1", "h2", "h3", "h4", "p", "li", "summary", "caption", "dt", "dd"})
    SKIP = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._skip = 0
        self._buf: list[str] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "table":
            self._depth += 1
            if self._depth == 1:
                self.tables.append([])
        elif tag == "tr" and self._depth:
            self._row = []
        elif tag in ("td", "th") and self._depth:
            self._cell = []
        elif tag in self.BLOCKS and not self._depth:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip -= 1
        elif tag == "table":
            self._depth -= 1
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None
        elif tag in self.BLOCKS and not self._depth:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif not self._depth:
            self._buf.append(data)

    def _flush(self) -> None:
        line = " ".join("".join(self._buf).split())
        if line:
            self.text.append(line)
        self._buf = []


def html_view(path: Path) -> dict[str, Any]:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    parser._flush()
    return {"text": parser.text, "tables": parser.tables}


def cells(path: Path) -> dict[str, list[list[Any]]]:
    book = load_workbook(BytesIO(path.read_bytes()))
    view: dict[str, list[list[Any]]] = {}
    for sheet in book.worksheets:
        rows = []
        for row in sheet.iter_rows():
            values = [
                c.value.isoformat() if isinstance(c.value, datetime) else c.value for c in row
            ]
            if any(v is not None for v in values):
                rows.append([f"{row[0].row}", *values])
        view[sheet.title] = rows
    return view


@pytest.mark.parametrize("tertial", ["T1", "T2"])
def test_json(written: dict[str, Path], snapshot_json: SnapshotAssertion, tertial: str) -> None:
    data = json.loads(written[f"skarholmen-2017-{tertial}.json"].read_text(encoding="utf-8"))
    assert data == snapshot_json


@pytest.mark.parametrize("tertial", ["T1", "T2"])
def test_html_text_and_tables(
    written: dict[str, Path], snapshot_json: SnapshotAssertion, tertial: str
) -> None:
    assert html_view(written[f"skarholmen-2017-{tertial}.html"]) == snapshot_json


@pytest.mark.parametrize("name", ["T1", "T2", "T1-begaran", "T2-begaran"])
def test_workbook_cells(
    written: dict[str, Path], snapshot_json: SnapshotAssertion, name: str
) -> None:
    assert cells(written[f"skarholmen-2017-{name}.xlsx"]) == snapshot_json


def docx_view(path: Path) -> dict[str, Any]:
    """What a reader of the Word document sees: each paragraph with its style, each table
    as rows of cell texts, each image's alternative text."""
    doc = Document(str(path))
    return {
        "paragraphs": [[p.style.name, p.text] for p in doc.paragraphs if p.text.strip()],
        "tables": [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables],
        "images": [shape._inline.docPr.get("descr") for shape in doc.inline_shapes],
    }


@pytest.mark.parametrize("tertial", ["T1", "T2"])
def test_docx_text_and_tables(
    written: dict[str, Path], snapshot_json: SnapshotAssertion, tertial: str
) -> None:
    assert docx_view(written[f"skarholmen-2017-{tertial}.docx"]) == snapshot_json
