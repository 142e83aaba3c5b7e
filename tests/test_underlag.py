"""``budget underlag``: one prefilled, locked workbook per ansvar (contract §4, issue 14)."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from budget.app.underlag import leaf_forecasts, write_underlag
from budget.checks.prepare import prepare
from budget.cli import cli
from budget.core.collection import COLUMNS, PREFILLED
from budget.core.figures import compute
from budget.core.money import from_kronor, round_micro
from budget.edge.inputs import load
from budget.edge.sheets import FORECASTS
from budget.report.render.underlag import Identity, fingerprint
from tests.conftest import DEMO, Folder, soffice_convert, write_xlsx

STAMP = datetime(2017, 9, 1, 8)


@pytest.fixture(scope="module")
def demo_underlag(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("underlag")
    return write_underlag(DEMO, 8, out, STAMP).workbooks


def _rows(path: Path) -> list[dict[str, object]]:
    ws = load_workbook(path)["Prognos"]
    header = [c.value for c in ws[1]]
    return [
        dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)
    ]


def test_one_workbook_per_ansvar_with_the_contract_columns(demo_underlag: list[Path]) -> None:
    inputs = load(DEMO)
    assert inputs.responsibilities is not None
    names = dict(inputs.responsibilities.select("ansvar", "unit").iter_rows())
    assert len(demo_underlag) == len(names)
    for path in demo_underlag:  # the code first, then the unit's name, then the period
        code, _, rest = path.name.partition("-")
        assert rest.removesuffix("-T2.xlsx").replace("-", " ") in " ".join(
            "".join(ch if ch.isalnum() else " " for ch in names[code]).split()
        ), path.name
    ws = load_workbook(demo_underlag[0])["Prognos"]
    assert tuple(c.value for c in ws[1]) == COLUMNS


def test_the_outcome_in_the_workbooks_adds_up_to_the_ledger_to_the_ore(
    demo_underlag: list[Path],
) -> None:
    inputs = load(DEMO)
    ytd = inputs.ledger.filter(pl.col("year") == 2017, pl.col("period") <= 8)
    first = pl.col("konto").str.slice(0, 1)
    costs = round_micro(ytd.filter(first.is_in(["4", "5", "6", "7"]))["amount"].sum())
    revenues = -round_micro(ytd.filter(first == "3")["amount"].sum())
    rows = [r for p in demo_underlag for r in _rows(p)]
    assert sum(from_kronor(r["Utfall kostnader"]) for r in rows) == costs  # type: ignore[arg-type]
    assert sum(from_kronor(r["Utfall intäkter"]) for r in rows) == revenues  # type: ignore[arg-type]


def test_the_suggestions_add_up_to_the_reports_forecast_per_leaf(
    demo_underlag: list[Path],
) -> None:
    prepared = prepare(load(DEMO), 8)
    forecasts = leaf_forecasts(compute(prepared))
    rows = [r for p in demo_underlag for r in _rows(p)]
    for (area, sub), forecast in forecasts.items():
        label = area if sub is None else f"{area} › {sub}"
        mine = [r for r in rows if r["Verksamhetsområde"] == label]
        if not mine:
            continue
        # Each cell is rounded once: the sum is within half an öre per cell.
        total = sum(from_kronor(r["Förslag kostnader"]) for r in mine)  # type: ignore[arg-type]
        assert abs(total - -forecast.costs) <= len(mine), label


def test_only_the_input_cells_are_unlocked_and_amounts_are_validated(
    demo_underlag: list[Path],
) -> None:
    wb = load_workbook(demo_underlag[0])
    ws = wb["Prognos"]
    assert ws.protection.sheet
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        for cell in row:
            unlocked = cell.row > 1 and cell.column > PREFILLED
            assert cell.protection.locked is not unlocked, cell.coordinate
    (validation,) = ws.data_validations.dataValidation
    assert (validation.type, validation.operator, validation.formula1) == (
        "decimal",
        "greaterThanOrEqual",
        "0",
    )
    assert str(validation.sqref) == f"L2:M{ws.max_row}"
    assert ws.page_setup.orientation == "landscape"
    assert "Instruktioner" in wb.sheetnames


def test_the_hidden_sheet_identifies_and_fingerprints_the_workbook(
    demo_underlag: list[Path],
) -> None:
    path = demo_underlag[0]
    wb = load_workbook(path)
    hidden = wb["Underlag"]
    assert hidden.sheet_state == "hidden"
    info = {row[0]: row[1] for row in hidden.iter_rows(values_only=True)}
    assert (info["År"], info["Period"], info["Rapport"]) == (2017, 8, "T2")
    assert path.name.startswith(f"{info['Ansvar']}-")
    assert path.name.endswith("-T2.xlsx")
    identity = Identity(str(info["Nämnd"]), 2017, 8, "T2", str(info["Ansvar"]), None)
    ws = wb["Prognos"]
    prefilled = [list(r[:PREFILLED]) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert info["Fingeravtryck"] == fingerprint(identity, prefilled)
    prefilled[0][5] = 1.0  # a changed prefilled cell changes the fingerprint
    assert info["Fingeravtryck"] != fingerprint(identity, prefilled)


def test_same_inputs_give_identical_workbooks(tmp_path: Path, demo_underlag: list[Path]) -> None:
    again = write_underlag(DEMO, 8, tmp_path, STAMP).workbooks
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in demo_underlag]


def test_a_workbook_opens_in_libreoffice_on_one_landscape_page(
    demo_underlag: list[Path], tmp_path: Path
) -> None:
    import re

    pdf = soffice_convert(demo_underlag[0], "pdf", tmp_path)
    data = pdf.read_bytes()
    # The Prognos sheet on one page and the instructions on another.
    assert max(int(n) for n in re.findall(rb"/Count (\d+)", data)) == 2
    assert b"/MediaBox [0 0 841.8" in data or b"/MediaBox[0 0 841.8" in data
    # Every instruction reaches the page: a column wider than the page was clipped there.
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for line in ("annars din egen.", "samlas in.", "områd", "ingår inte."):
        assert line in text, line


def test_the_command_writes_the_folder_the_contract_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli, ["underlag", str(DEMO), "--tertial", "T2", "--generated-at", "2017-09-01T08:00"]
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / "underlag" / "skarholmen-2017-T2"
    assert len(list(folder.glob("*-T2.xlsx"))) == 67
    assert "67 arbetsböcker" in result.output
    returns = tmp_path / "underlag" / "skarholmen-2017-T2-inlamnat"
    assert returns.is_dir()
    assert not any(returns.iterdir())
    said = " ".join(result.output.split())
    assert "underlag/skarholmen-2017-T2-inlamnat" in said


def test_without_an_ansvar_sheet_nothing_is_written(folder: Folder, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["underlag", str(folder.path), "--out", str(out)])
    assert result.exit_code == 1
    assert "E003" in result.output
    assert "Ansvar" in result.output
    assert not out.exists()


def _unit_folder(folder: Folder, rows: list[list[object]], reserve: str = "linjar") -> None:
    """Förskola (code 100) forecast per unit: A1 and A2 both have outcome on it."""
    folder.settings(methods={"standard": "linjar", "Förskola": "manuell", "reserv": reserve})
    ledger = []
    for m in range(1, 5):
        ledger += [
            [2017, m, "A1", "100", "5010", 100_000],
            [2017, m, "A1", "100", "3410", -10_000],
            [2017, m, "A2", "100", "5010", 30_000],
            [2017, m, "B1", "200", "5010", 50_000],
        ]
    folder.ledger(ledger)
    header = FORECASTS.header("Delområde", "Ansvar", "Verksamhet", "Kommentar")
    write_xlsx(folder.path / "prognos.xlsx", {"Prognos": [header, *rows]})


def _forskola(folder: Folder, tmp_path: Path) -> dict[str, object]:
    import json

    result = CliRunner().invoke(cli, ["report", str(folder.path), "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "r" / "testnamnd-2017-T1.json").read_text(encoding="utf-8"))
    return next(a for a in data["areas"] if a["area"] == "Förskola")


def test_unit_forecasts_add_up_and_a_missing_unit_gets_the_reserve_method(
    folder: Folder, tmp_path: Path
) -> None:
    # A1 forecasts; A2 sends nothing: its share of the linear forecast is 30 000 × 12.
    _unit_folder(folder, [["Förskola", None, 1_300_000, 130_000, "A1", "100", "Fler barn"]])
    line = _forskola(folder, tmp_path)
    assert line["forecast"]["costs"] == -(1_300_000 + 30_000 * 12)
    assert line["forecast"]["revenues"] == 130_000
    assert line["notes"] == ["1 av 2 enheter utan prognos: linjär"]


def test_an_empty_side_of_a_unit_row_is_no_forecast_for_that_side(
    folder: Folder, tmp_path: Path
) -> None:
    rows = [
        ["Förskola", None, 1_300_000, None, "A1", "100", None],
        ["Förskola", None, 400_000, None, "A2", "100", None],
    ]
    _unit_folder(folder, rows)
    line = _forskola(folder, tmp_path)
    assert line["forecast"]["costs"] == -1_700_000
    # Neither gave revenues: A1's share of the linear forecast (the only outcome).
    assert line["forecast"]["revenues"] == 10_000 * 12
    assert line["notes"] == []


def test_a_row_for_a_whole_area_still_needs_both_sides(folder: Folder, tmp_path: Path) -> None:
    _unit_folder(folder, [["Förskola", None, 1_300_000, None, None, None, None]])
    result = CliRunner().invoke(cli, ["report", str(folder.path), "--out", str(tmp_path / "r")])
    assert result.exit_code == 1
    assert "E103" in result.output
    assert "Intäkter" in result.output
    assert not (tmp_path / "r").exists()


def test_a_bad_reserve_method_names_its_key(folder: Folder, tmp_path: Path) -> None:
    _unit_folder(folder, [], reserve="manuell")
    result = CliRunner().invoke(cli, ["validate", str(folder.path)])
    assert result.exit_code == 1
    assert "prognos.reserv" in result.output
