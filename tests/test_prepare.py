"""checks.prepare: one root error gives one message, never its consequences as well."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from budget.checks.prepare import prepare
from budget.diagnostics import InputErrors
from budget.edge.inputs import load
from tests.conftest import Folder


def said(folder: Path) -> list[str]:
    """The codes of every error and warning a report of the folder gives."""
    with pytest.raises(InputErrors) as raised:
        prepare(load(folder))
    return [d.code for d in raised.value.diagnostics]


def rename_sheet(path: Path, old: str, new: str) -> None:
    book = load_workbook(path)
    book[old].title = new
    book.save(path)


def drop_column(path: Path, sheet: str, header: str) -> None:
    book = load_workbook(path)
    ws = book[sheet]
    column = next(c.column for c in ws[1] if c.value == header)
    ws.delete_cols(column)
    book.save(path)


BREAKS: dict[str, tuple[Callable[[Path], None], str]] = {
    "struktur-blad": (
        lambda p: rename_sheet(p / "struktur.xlsx", "Verksamheter", "Verksamhet 2017"),
        "E003",
    ),
    "struktur-kolumn": (
        lambda p: drop_column(p / "struktur.xlsx", "Verksamheter", "Verksamhetsområde"),
        "E005",
    ),
    "struktur-saknas": (lambda p: (p / "struktur.xlsx").unlink(), "E001"),
    "budget-blad": (lambda p: rename_sheet(p / "budget.xlsx", "Budget", "Budget 2017"), "E003"),
    "huvudbok-blad": (
        lambda p: rename_sheet(p / "utfall-2017.xlsx", "Huvudbok", "Blad1 (2)"),
        "E003",
    ),
    "huvudbok-saknas": (lambda p: (p / "utfall-2017.xlsx").unlink(), "E001"),
}


@pytest.mark.parametrize("case", sorted(BREAKS))
def test_one_root_error_gives_one_message(folder: Folder, case: str) -> None:
    # Areas named in namnd.toml, a change on an area, and a unit forecast: each refers to the
    # structure and would be "unknown" if the checks ran without it.
    folder.settings(methods={"standard": "linjar", "Förskola": "budget", "Äldreomsorg": "linjar"})
    folder.changes([["Budgetjustering", "Begärd", "Förskola", 1000, 0, "Mer", None, None]])
    # A second sheet beside each, so that a renamed one is not taken as the only sheet.
    for name in ("struktur.xlsx", "budget.xlsx", "utfall-2017.xlsx"):
        book = load_workbook(folder.path / name)
        if len(book.sheetnames) == 1:
            book.create_sheet("Anteckningar")
            book.save(folder.path / name)
    assert not [d for d in prepare(load(folder.path)).diagnostics if d.code.startswith("E")]
    breaking, code = BREAKS[case]
    breaking(folder.path)
    assert said(folder.path) == [code]


def test_the_checks_across_files_still_run_beside_a_cell_error(folder: Folder) -> None:
    """A bad cell leaves the rest of its file read: the other files' problems are still said."""
    folder.settings(methods={"standard": "linjar", "Förskolan": "budget"})  # misspelt area
    rows = [[2017, m, "A1", "100", "5010", 100_000] for m in range(1, 5)]
    rows.append([2017, 3, "A1", "100", "5010", "12.500"])  # an ambiguous amount: E1xx
    folder.ledger(rows)
    codes = said(folder.path)
    assert "E011" in codes  # the misspelt area is still named
    assert any(c.startswith("E1") for c in codes)
