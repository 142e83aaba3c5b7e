"""Readers: aliases, title rows, total rows, Swedish number text, codes, provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

from budget.core.money import MICRO_PER_ORE
from budget.edge import readers, sheets
from budget.edge.excel import UnreadableFile, read_table
from tests.conftest import Folder, write_xlsx


def ledger(
    path: Path,
    rows: list[list[object]],
    header: list[str] | None = None,
    titles: list[list[object]] | None = None,
    sheet: str = "Huvudbok",
) -> readers.Read:
    write_xlsx(
        path,
        {
            sheet: [
                *(titles or []),
                header or ["År", "Period", "Ansvar", "Verksamhet", "Konto", "Belopp"],
                *rows,
            ]
        },
    )
    return readers.read_ledger(path, path.name)


def test_aliases_title_rows_and_total_rows_are_understood(tmp_path: Path) -> None:
    read = ledger(
        tmp_path / "utfall.xlsx",
        [
            [2017, 201703, "0412", 412.0, "4010", "1 234,50"],
            [None, None, None, None, None, None],
            [2017, 3, "A", "0412", 3010, "\u2212100"],
            ["Summa", None, None, None, None, 1134.5],
        ],
        header=["Räkenskapsår", "period", "Kostnadsställe", "Vht", "Konto", "Utfall"],
        titles=[["Huvudboksutdrag mars 2017"], ["Utskrivet 2017-04-05"], []],
    )
    assert read.diagnostics == []
    rows = read.frame.to_dicts()
    assert [r["row"] for r in rows] == [5, 7]
    assert rows[0]["ansvar"] == "0412"
    assert rows[0]["verksamhet"] == "412"  # a number cell keeps its digits
    assert rows[1]["verksamhet"] == "0412"  # a text code keeps its leading zero
    assert rows[0]["period"] == 3
    assert rows[0]["amount"] == 123450 * MICRO_PER_ORE  # µkr
    assert rows[1]["amount"] == -10000 * MICRO_PER_ORE
    assert read.table is not None
    assert (read.table.blank_rows, read.table.total_rows) == (1, 1)


def test_headers_match_without_case_or_swedish_letters(tmp_path: Path) -> None:
    read = ledger(
        tmp_path / "u.xlsx",
        [[2017, 1, "A", "1", "4010", 5]],
        header=["AR", " PERIOD ", "ansvarskod", "Verksamhetskod", "KONTO", "belopp"],
    )
    assert read.diagnostics == []
    assert read.frame.height == 1


def test_every_bad_cell_is_reported_with_its_address(tmp_path: Path) -> None:
    read = ledger(
        tmp_path / "utfall-2017.xlsx",
        [
            [2017, 1, "A", "1", "4010", "12,3,4"],
            [1850, 13, None, "1", "401", "(100)"],
            [2017, 201602, "A", "1", "9010", 5],
        ],
    )
    found = {(d.code, d.cell) for d in read.diagnostics}
    assert ("E101", "F2") in found
    assert ("E104", "A3") in found
    assert ("E105", "B3") in found
    assert ("E103", "C3") in found
    assert ("E106", "E3") in found
    assert ("E101", "F3") in found
    assert ("E105", "B4") in found  # 201602 is not a month of 2017
    assert ("E107", "E4") in found
    first = next(d for d in read.diagnostics if d.cell == "F2")
    assert first.file == "utfall-2017.xlsx"
    assert first.sheet == "Huvudbok"
    assert first.column == "Belopp"
    assert first.value == "12,3,4"
    assert first.text().startswith("fel E101: utfall-2017.xlsx › Huvudbok › F2: ")
    assert read.frame.height == 0


def test_many_bad_cells_are_counted_not_dropped(tmp_path: Path) -> None:
    rows: list[list[object]] = [[2017, 1, "A", "1", "4010", "x"] for _ in range(150)]
    read = ledger(tmp_path / "u.xlsx", rows)
    assert len(read.diagnostics) == 101
    assert "ytterligare 50 celler" in read.diagnostics[-1].message


def test_missing_column_names_the_header_row(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "u.xlsx",
        {
            "Huvudbok": [
                ["Rapport"],
                ["År", "Period", "Ansvar", "Verksamhet", "Konto"],
                [2017, 1, "A", "1", "4010"],
            ]
        },
    )
    with pytest.raises(UnreadableFile) as exc:
        read_table(path, "u.xlsx", "Huvudbok", sheets.LEDGER.columns)
    assert exc.value.diagnostic.code == "E005"
    assert exc.value.diagnostic.column == "Belopp"
    assert exc.value.diagnostic.cell == "A2"


def test_single_sheet_is_used_whatever_its_name(tmp_path: Path) -> None:
    read = ledger(tmp_path / "u.xlsx", [[2017, 1, "A", "1", "4010", 5]], sheet="Blad1")
    assert read.diagnostics == []
    assert read.frame["sheet"].to_list() == ["Blad1"]


def test_missing_sheet_among_several_is_an_error(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "b.xlsx", {"Blad1": [["x"]], "Blad2": [["y"]]})
    read = readers.read_budget(path, "b.xlsx")
    assert [d.code for d in read.diagnostics] == ["E003"]
    assert "Blad1, Blad2" in (read.diagnostics[0].value or "")


def test_data_far_from_a1_keeps_true_cell_addresses(tmp_path: Path) -> None:
    path = tmp_path / "u.xlsx"
    write_xlsx(
        path,
        {
            "Huvudbok": [
                [],
                [],
                [None, None, "År", "Period", "Ansvar", "Verksamhet", "Konto", "Belopp"],
                [None, None, 2017, 1, "A", "1", "4010", "fel"],
            ]
        },
    )
    read = readers.read_ledger(path, "u.xlsx")
    assert [(d.code, d.cell) for d in read.diagnostics] == [("E101", "H4")]


def test_formula_error_cells_are_named(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Huvudbok"
    ws.append(["År", "Period", "Ansvar", "Verksamhet", "Konto", "Belopp"])
    ws.append([2017, 1, "A", "1", "4010", 5])
    ws.append([2017, 1, "A", "1", "4010", None])
    ws["F3"].value = "#REF!"
    ws["F3"].data_type = "e"
    wb.save(tmp_path / "u.xlsx")
    read = readers.read_ledger(tmp_path / "u.xlsx", "u.xlsx")
    assert [(d.code, d.cell, d.value) for d in read.diagnostics] == [("E006", "F3", "#REF!")]


def test_structure_conflict_is_an_error(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "struktur.xlsx",
        {
            "Verksamheter": [
                ["Verksamhet", "Verksamhetsområde"],
                ["100", "Förskola"],
                ["100", "Äldreomsorg"],
                ["0100", "Äldreomsorg"],
            ]
        },
    )
    read = readers.read_structure(path, "struktur.xlsx")
    assert [(d.code, d.cell) for d in read.diagnostics] == [("E201", "A3")]


def test_changes_and_forecasts_read_swedish_amounts(folder: Folder) -> None:
    folder.changes(
        [
            [
                "Omslutningsförändring",
                "Begärd",
                "Förskola",
                "2 500 000",
                "2 500 000",
                "Statsbidrag",
                "Skolverket",
                "SDN 2017/1",
            ],
            ["budgetjustering", "beviljad", "Förskola", "1000", None, "Justering", None, None],
        ]
    )
    read = readers.read_changes(folder.path / "forandringar.xlsx", "forandringar.xlsx")
    assert read.diagnostics == []
    rows = read.frame.to_dicts()
    assert rows[0]["kind"] == "omslutning"
    assert rows[0]["costs"] == 250_000_000
    assert rows[1]["status"] == "beviljad"
    assert rows[1]["revenues"] == 0


def test_change_with_unknown_type_and_no_description(folder: Folder) -> None:
    folder.changes([["Omslutning", "Begärd", "Förskola", 1, 1, None, None, None]])
    read = readers.read_changes(folder.path / "forandringar.xlsx", "forandringar.xlsx")
    assert {(d.code, d.cell) for d in read.diagnostics} == {("E108", "A2"), ("E103", "F2")}


def test_periodisation_shares_must_sum_to_one(folder: Folder) -> None:
    folder.budget(
        [[2017, "100", "5010", 1200]],
        extra={
            "Periodisering": [
                ["Verksamhetsområde", "Period", "Andel"],
                *[[None, m, "0,08"] for m in range(1, 13)],
            ]
        },
    )
    read = readers.read_periodisation(folder.path / "budget.xlsx", "budget.xlsx")
    assert read is not None
    assert [d.code for d in read.diagnostics] == ["E204"]


def test_structure_without_ansvar_sheet_has_no_responsibilities(folder: Folder) -> None:
    assert readers.read_responsibilities(folder.path / "struktur.xlsx", "struktur.xlsx") is None
