"""``budget samla``: returned underlag checked cell by cell and gathered (issue 14, part)."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from budget.app.samla import FORECAST_HEADER
from budget.app.underlag import write_underlag
from budget.cli import cli
from budget.core.money import from_kronor
from budget.edge.sheets import BUDGET, RESPONSIBILITIES, STRUCTURE
from tests.conftest import Folder, copy_demo, sent_book, soffice_convert, write_xlsx

LSS = "Stöd och service till personer med funktionsnedsättning"
STAMP = "2017-09-05T08:00"


@pytest.fixture
def loop(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A copy of the demo, its T2 underlag, and an empty folder for the returned ones."""
    inputs = tmp_path / "skarholmen-2017"
    copy_demo(inputs)
    sent = tmp_path / "skickat"
    write_underlag(inputs, 8, sent, datetime(2017, 9, 1, 8))
    returned = tmp_path / "inlamnat"
    returned.mkdir()
    return inputs, sent, returned


def lss_units(sent: Path) -> list[Path]:
    """The workbooks of the units under LSS, the demo's manuell area."""
    out = []
    for path in sorted(sent.glob("*.xlsx")):
        ws = load_workbook(path)["Prognos"]
        if any(str(r[2]).startswith(LSS) for r in ws.iter_rows(min_row=2, values_only=True)):
            out.append(path)
    return out


def fill(path: Path, target: Path, change: float = 1.01) -> dict[int, tuple[float, float]]:
    """Fill every row's forecast as a unit manager would: the suggestion, adjusted."""
    wb = load_workbook(path)
    ws = wb["Prognos"]
    filled = {}
    for r in range(2, ws.max_row + 1):
        costs = round(float(ws.cell(row=r, column=10).value or 0) * change)
        revenues = round(float(ws.cell(row=r, column=11).value or 0))
        ws.cell(row=r, column=12, value=costs)
        ws.cell(row=r, column=13, value=revenues)
        ws.cell(row=r, column=14, value="Prognosen bygger på beslut till och med augusti.")
        budget = float(ws.cell(row=r, column=5).value or 0) - float(ws.cell(row=r, column=4).value)
        if revenues - costs < budget:
            ws.cell(row=r, column=15, value="Vakanser tillsätts inte under hösten.")
        filled[r] = (costs, revenues)
    wb.save(target)
    return filled


def samla(inputs: Path, returned: Path, sent: Path | None = None) -> tuple[int, str]:
    """samla, checking against what underlag wrote to ``sent`` (by default the folder
    ``skickat`` beside the returned one)."""
    return samla_with(inputs, returned, "--underlag", str(sent or returned.parent / "skickat"))


def test_round_trip_underlag_samla_report_to_the_ore(
    loop: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    inputs, sent, returned = loop
    units = lss_units(sent)
    assert len(units) == 12
    total_costs = 0
    for i, path in enumerate(units):
        target = returned / f"ifylld-{path.name}"  # units may rename the file
        filled = fill(path, target)
        total_costs += sum(c for c, _ in filled.values())
        if i == 0:  # one unit uses LibreOffice: its saved workbook must pass the same way
            converted = soffice_convert(target, "xlsx", tmp_path / "lo")
            target.unlink()
            shutil.copy(converted, returned / f"lo-{path.name}")
    # One unit fills in its workbook with an error: nothing is written until it is fixed.
    broken = next(returned.glob("ifylld-*.xlsx"))
    wb = load_workbook(broken)
    good = wb["Prognos"]["L2"].value
    wb["Prognos"]["L2"] = "två miljoner"
    wb.save(broken)
    before = (inputs / "prognos.xlsx").read_bytes()
    code, output = samla(inputs, returned)
    assert code == 1
    assert f"fel E101: {broken.name} › Prognos › L2" in output
    assert (inputs / "prognos.xlsx").read_bytes() == before
    assert not (inputs / "prognos-foregaende.xlsx").exists()
    wb["Prognos"]["L2"] = good
    wb.save(broken)
    code, output = samla(inputs, returned)
    assert code == 0, output
    assert "12 av 67 enheter har lämnat in" in output
    assert (inputs / "prognos-foregaende.xlsx").exists()
    result = CliRunner().invoke(
        cli, ["report", str(inputs), "--tertial", "T2", "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "r" / "skarholmen-2017-T2.json").read_text(encoding="utf-8"))
    lss = next(a for a in data["areas"] if a["area"] == LSS and a["subarea"] is None)
    assert from_kronor(-lss["forecast"]["costs"]) == total_costs * 100
    collection = data["forecast_collection"]
    assert (collection["expected"], collection["returned"]) == (67, 12)
    assert len(collection["missing"]) == 55
    html = (tmp_path / "r" / "skarholmen-2017-T2.html").read_text(encoding="utf-8")
    assert "12 av 67 enheter har lämnat in sin prognos" in " ".join(html.split())


def test_a_manual_leaf_no_unit_returned_for_takes_the_reserve_method(
    loop: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    inputs, sent, returned = loop
    boende = [p for p in lss_units(sent) if "Boende enligt LSS" in str(_areas(p))]
    assert boende
    for path in boende:
        fill(path, returned / path.name)
    code, output = samla(inputs, returned)
    assert code == 0, output
    result = CliRunner().invoke(
        cli, ["report", str(inputs), "--tertial", "T2", "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "r" / "skarholmen-2017-T2.json").read_text(encoding="utf-8"))
    daily = next(a for a in data["areas"] if a["subarea"] == "Daglig verksamhet")
    assert daily["notes"] == ["ingen enhet har lämnat prognos: säsong"]
    assert daily["method"] == "manuell"


def _areas(path: Path) -> set[str]:
    ws = load_workbook(path)["Prognos"]
    return {str(r[2]) for r in ws.iter_rows(min_row=2, values_only=True)}


def test_text_in_an_amount_cell_names_the_cell_and_writes_nothing(
    loop: tuple[Path, Path, Path],
) -> None:
    inputs, sent, returned = loop
    before = (inputs / "prognos.xlsx").read_bytes()
    path = lss_units(sent)[0]
    fill(path, returned / path.name)
    wb = load_workbook(returned / path.name)
    wb["Prognos"]["L2"] = "ca 2 miljoner"
    wb.save(returned / path.name)
    code, output = samla(inputs, returned)
    assert code == 1
    assert f"fel E101: {path.name} › Prognos › L2" in output
    assert "ca 2 miljoner" in output
    assert (inputs / "prognos.xlsx").read_bytes() == before
    assert not (inputs / "prognos-foregaende.xlsx").exists()


def test_a_changed_prefilled_cell_is_named(loop: tuple[Path, Path, Path]) -> None:
    inputs, sent, returned = loop
    path = lss_units(sent)[0]
    fill(path, returned / path.name)
    wb = load_workbook(returned / path.name)
    wb["Prognos"]["F2"] = 1.0
    wb.save(returned / path.name)
    code, output = samla(inputs, returned)
    assert code == 1
    assert f"fel E214: {path.name} › Prognos › F2" in output


def test_an_underlag_for_another_period_is_refused(
    loop: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    inputs, _, returned = loop
    t1 = tmp_path / "t1"
    write_underlag(inputs, 4, t1, datetime(2017, 5, 1))
    first = sorted(t1.glob("*.xlsx"))[0]
    fill(first, returned / first.name)
    code, output = samla(inputs, returned)
    assert code == 1
    assert f"fel E212: {first.name} › Underlag › B3" in output


def test_a_unit_returned_twice_counts_once_the_newest(loop: tuple[Path, Path, Path]) -> None:
    inputs, sent, returned = loop
    units = lss_units(sent)
    for path in units:
        fill(path, returned / path.name)
    fill(units[0], returned / "igen.xlsx", change=1.02)
    os.utime(returned / units[0].name, (1_500_000_000, 1_500_000_000))
    code, output = samla(inputs, returned)
    assert code == 0, output
    assert "W317" in output
    assert "igen.xlsx används" in output
    ws = load_workbook(inputs / "prognos.xlsx")["Prognos"]
    period = [c.value for c in ws[1]].index("Period")
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    # The register keeps the demo's T1 collection; this collection's rows carry period 8.
    assert sum(1 for r in rows if r[period] == 8) == sum(
        load_workbook(p)["Prognos"].max_row - 1 for p in units
    )
    assert {r[period] for r in rows} == {4, 8}


def test_a_file_that_is_no_underlag_is_named(loop: tuple[Path, Path, Path]) -> None:
    inputs, _, returned = loop
    shutil.copy(inputs / "mal.xlsx", returned / "mal.xlsx")
    code, output = samla(inputs, returned)
    assert code == 1
    assert "fel E211: mal.xlsx › Prognos" in output


def test_a_deficit_without_atgarder_names_the_cell(folder: Folder, tmp_path: Path) -> None:
    """Budget per ansvar: a unit forecasting more cost than its budget must give åtgärder."""
    write_xlsx(
        folder.path / "struktur.xlsx",
        {
            "Verksamheter": [
                STRUCTURE.header("Delområde"),
                ["100", "Förskola", None],
                ["200", "Äldreomsorg", "Hemtjänst egen regi"],
                ["201", "Äldreomsorg", "Hemtjänst externa utförare"],
            ],
            "Ansvar": [RESPONSIBILITIES.header("Enhet"), ["A1", "Förskolan Ek"]],
        },
    )
    write_xlsx(
        folder.path / "budget.xlsx",
        {"Budget": [BUDGET.header("Ansvar"), [2017, "100", "5010", 1_200_000, "A1"]]},
    )
    folder.ledger([[2017, m, "A1", "100", "5010", 100_000] for m in range(1, 5)])
    sent, returned = tmp_path / "skickat", tmp_path / "inlamnat"
    write_underlag(folder.path, 4, sent, datetime(2017, 5, 1))
    returned.mkdir()
    wb = load_workbook(sent_book(sent, "A1"))
    ws = wb["Prognos"]
    assert ws["D2"].value == 1_200_000  # the unit's own budget
    ws["L2"] = 1_350_000  # 150 000 kr over budget
    wb.save(returned / "A1-T1.xlsx")
    args = ["samla", str(folder.path), str(returned), "--period", "4", "--underlag", str(sent)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "fel E215: A1-T1.xlsx › Prognos › O2" in result.output
    assert "150\u00a0000\u00a0kr" in result.output
    ws["O2"] = "Vakanser hålls öppna till december."
    wb.save(returned / "A1-T1.xlsx")
    args = ["samla", str(folder.path), str(returned), "--period", "4", "--underlag", str(sent)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output


def test_an_underlag_for_an_ansvar_no_longer_in_struktur_is_refused(
    loop: tuple[Path, Path, Path],
) -> None:
    inputs, sent, returned = loop
    first = sorted(sent.glob("*.xlsx"))[0]
    ansvar = first.name.split("-")[0]
    wb = load_workbook(inputs / "struktur.xlsx")
    ws = wb["Ansvar"]
    row = next(c.row for c in ws["A"] if str(c.value) == ansvar)
    ws.delete_rows(row)
    wb.save(inputs / "struktur.xlsx")
    fill(first, returned / first.name)
    code, output = samla(inputs, returned)
    assert code == 1, output
    assert f"fel E213: {first.name} › Underlag › B5" in output


def test_a_deficit_is_the_units_over_all_its_rows(folder: Folder, tmp_path: Path) -> None:
    """One verksamhet over budget that another makes up for is no deficit; a real one names
    the Åtgärder cell of the row furthest over budget."""
    write_xlsx(
        folder.path / "struktur.xlsx",
        {
            "Verksamheter": [
                STRUCTURE.header("Delområde"),
                ["100", "Förskola", None],
                ["101", "Förskola", None],
                ["200", "Äldreomsorg", "Hemtjänst egen regi"],
                ["201", "Äldreomsorg", "Hemtjänst externa utförare"],
            ],
            "Ansvar": [RESPONSIBILITIES.header("Enhet"), ["A1", "Förskolan Ek"]],
        },
    )
    write_xlsx(
        folder.path / "budget.xlsx",
        {
            "Budget": [
                BUDGET.header("Ansvar"),
                [2017, "100", "5010", 1_200_000, "A1"],
                [2017, "101", "5010", 600_000, "A1"],
            ]
        },
    )
    folder.ledger(
        [
            [2017, m, "A1", c, "5010", 100_000 if c == "100" else 50_000]
            for m in range(1, 5)
            for c in ("100", "101")
        ]
    )
    sent, returned = tmp_path / "skickat", tmp_path / "inlamnat"
    write_underlag(folder.path, 4, sent, datetime(2017, 5, 1))
    returned.mkdir()
    wb = load_workbook(sent_book(sent, "A1"))
    ws = wb["Prognos"]
    assert [ws["B2"].value, ws["B3"].value] == ["100", "101"]
    ws["L2"], ws["L3"] = 1_300_000, 500_000  # 100 000 over, 100 000 under: in balance
    wb.save(returned / "A1-T1.xlsx")
    args = ["samla", str(folder.path), str(returned), "--period", "4", "--underlag", str(sent)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    ws["L3"] = 640_000  # now 140 000 kr over in all, the first row furthest over
    wb.save(returned / "A1-T1.xlsx")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "fel E215: A1-T1.xlsx › Prognos › O2" in result.output
    assert "140\u00a0000\u00a0kr" in result.output


def test_the_tertial_cycle_carries_each_units_forecast_to_the_next(tmp_path: Path) -> None:
    """T1 collected, then T2: each unit sees its own T1 forecast, the controller and the
    report see who changed most and who forecasts a deficit with which åtgärder."""
    inputs = tmp_path / "skarholmen-2017"
    copy_demo(inputs)
    sent_t1, back_t1 = tmp_path / "t1", tmp_path / "t1-inlamnat"
    write_underlag(inputs, 4, sent_t1, datetime(2017, 5, 2, 8))
    assert back_t1.is_dir()  # underlag makes the returns folder beside what it sent
    t1 = {p.name: fill(p, back_t1 / p.name, change=1.0) for p in lss_units(sent_t1)}
    args = ["samla", str(inputs), str(back_t1), "--tertial", "T1", "--generated-at", STAMP]
    args += ["--underlag", str(sent_t1)]
    assert CliRunner().invoke(cli, args).exit_code == 0

    sent, returned = tmp_path / "t2", tmp_path / "t2-inlamnat"
    write_underlag(inputs, 8, sent, datetime(2017, 9, 1, 8))
    assert returned.is_dir()
    units = lss_units(sent)
    for path in units:
        ws = load_workbook(path)["Prognos"]
        given = t1[path.name.replace("-T2", "-T1")]
        for r in range(2, ws.max_row + 1):  # the unit's own T1 forecast, prefilled
            assert ws.cell(row=r, column=8).value == given[r][0], (path.name, r)
            assert ws.cell(row=r, column=9).value == given[r][1], (path.name, r)
    mover = units[3]
    for path in units:
        fill(path, returned / path.name, change=1.0 if path != mover else 1.25)
    wb = load_workbook(returned / mover.name)
    wb["Prognos"]["N2"] = "Två nya brukare med stora behov sedan maj."
    wb.save(returned / mover.name)
    status = tmp_path / "status.xlsx"
    code, output = samla_with(inputs, returned, "--status", str(status), "--underlag", str(sent))
    assert code == 0, output
    assert (inputs / "prognos-foregaende.xlsx").exists()
    kept = (inputs / "prognos-foregaende.xlsx").read_bytes()
    rows = list(load_workbook(status)["Status"].iter_rows(values_only=True))
    assert rows[0] == (
        "Ansvar",
        "Enhet",
        "Chef",
        "Status",
        "Fil",
        "Förändring sedan förra prognosen",
        "Fel",
    )
    assert [r[3] for r in rows[1:56]] == ["saknas"] * 55
    assert rows[56][4] == mover.name  # the largest change comes first of the returned
    assert rows[56][5] < 0  # costs up by a quarter: the net forecast falls
    # A second run for the same period keeps the forecast before this collection.
    code, output = samla_with(inputs, returned, "--underlag", str(sent))
    assert code == 0, output
    assert (inputs / "prognos-foregaende.xlsx").read_bytes() == kept

    result = CliRunner().invoke(
        cli, ["report", str(inputs), "--tertial", "T2", "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "r" / "skarholmen-2017-T2.json").read_text(encoding="utf-8"))
    by_unit = {u["ansvar"]: u for u in data["forecast_collection"]["units"]}
    moved = by_unit[mover.name.split("-")[0]]
    assert moved["change"] == min(u["change"] for u in by_unit.values())
    assert "Två nya brukare" in " ".join(moved["comments"])
    assert moved["variance"] < 0
    assert moved["measures"]
    html = " ".join((tmp_path / "r" / "skarholmen-2017-T2.html").read_text("utf-8").split())
    assert "Största förändringar av enheternas egna prognoser" in html
    assert "Enheter som prognostiserar underskott" in html
    assert "Vakanser tillsätts inte under hösten." in html


def samla_with(inputs: Path, returned: Path, *more: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli,
        ["samla", str(inputs), str(returned), "--tertial", "T2", "--generated-at", STAMP, *more],
    )
    return result.exit_code, result.output


def test_a_status_file_that_cannot_be_written_writes_nothing(
    loop: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    inputs, sent, returned = loop
    path = lss_units(sent)[0]
    fill(path, returned / path.name)
    before = (inputs / "prognos.xlsx").read_bytes()
    (returned / "en mapp.xlsx").mkdir()  # no folder is taken for a workbook
    code, output = samla_with(inputs, returned, "--underlag", str(sent), "--status", str(tmp_path))
    assert code == 2
    assert "--status" in output
    assert "är en mapp" in output
    (tmp_path / "en fil").write_text("", encoding="utf-8")
    code, output = samla_with(
        inputs, returned, "--underlag", str(sent), "--status", str(tmp_path / "en fil" / "s.xlsx")
    )
    assert code == 2
    assert "statuslistan kan inte skrivas" in output
    assert (inputs / "prognos.xlsx").read_bytes() == before
    code, output = samla_with(
        inputs, returned, "--underlag", str(sent), "--status", str(tmp_path / "status.xlsx")
    )
    assert code == 0, output
    assert (tmp_path / "status.xlsx").exists()


def test_a_returned_folder_without_workbooks_writes_nothing(
    loop: tuple[Path, Path, Path],
) -> None:
    """Run before any unit has answered, samla must not replace prognos.xlsx with nothing."""
    inputs, _, returned = loop
    before = (inputs / "prognos.xlsx").read_bytes()
    (returned / "~$lås.xlsx").write_bytes(b"")  # Excel's lock file is no workbook
    code, output = samla(inputs, returned)
    assert code == 2
    assert "inga ifyllda underlag" in output
    assert (inputs / "prognos.xlsx").read_bytes() == before
    assert not (inputs / "prognos-foregaende.xlsx").exists()


def test_samla_finds_what_was_sent_or_says_how_to_proceed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """utskick.json: from --underlag, from underlag's default folder, from the returned
    folder itself; without it samla refuses and says what to do, and writes nothing."""
    from tests.conftest import collection_folder

    monkeypatch.chdir(tmp_path)
    folder = collection_folder(tmp_path / "testnamnd-2017").path
    runner = CliRunner()
    result = runner.invoke(cli, ["underlag", str(folder), "--period", "4"])
    assert result.exit_code == 0, result.output
    assert "utskick.json" in result.output
    sent = Path("underlag") / "testnamnd-2017-T1"
    record = json.loads((sent / "utskick.json").read_text(encoding="utf-8"))
    assert [b["ansvar"] for b in record["workbooks"]] == ["A1", "B1", "B2", "C1"]
    assert record["workbooks"][0]["rows"][0][:3] == ["A1", "100", "Förskola"]
    returned = tmp_path / "inlamnat"
    returned.mkdir()
    wb = load_workbook(sent_book(sent, "A1"))
    wb["Prognos"]["L2"] = 1_100_000
    wb.save(returned / "A1-T1.xlsx")
    args = ["samla", str(folder), str(returned), "--period", "4"]
    assert runner.invoke(cli, args).exit_code == 0  # the default folder of underlag
    moved = tmp_path / "skickat"
    sent.rename(moved)
    (folder / "prognos.xlsx").unlink()
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert "fel E230: utskick.json" in result.output
    assert "--underlag MAPP" in result.output
    assert not (folder / "prognos.xlsx").exists()
    assert runner.invoke(cli, [*args, "--underlag", str(moved)]).exit_code == 0
    assert runner.invoke(cli, [*args, "--underlag", str(moved / "utskick.json")]).exit_code == 0
    result = runner.invoke(cli, [*args, "--underlag", str(tmp_path)])
    assert result.exit_code == 1
    assert "fel E230" in result.output
    shutil.copy(returned / "A1-T1.xlsx", moved / "A1-T1.xlsx")  # returned into the sent folder
    result = runner.invoke(cli, ["samla", str(folder), str(moved), "--period", "4"])
    assert result.exit_code == 0, result.output
    assert "W318" not in result.output  # the record is no returned file


def test_a_forged_return_is_caught_by_what_was_sent(loop: tuple[Path, Path, Path]) -> None:
    """Issue 25: a unit moved one row to a unit that returned nothing and recomputed the
    fingerprint; samla took it. Now the row's Ansvar is named against what was sent."""
    from tests.corpus.make_returned import _refingerprinted

    inputs, sent, returned = loop
    units = lss_units(sent)
    path = returned / units[0].name
    fill(units[0], path)
    other = units[1].name.split("-")[0]
    wb = load_workbook(path)
    wb["Prognos"]["A2"] = other
    wb.save(path)
    _refingerprinted(path)
    code, output = samla(inputs, returned)
    assert code == 1, output
    assert f"fel E214: {path.name} › Prognos › A2" in output
    assert f"värde '{other}'" in output


def test_delvis_collects_the_valid_returns_and_lists_the_refused(
    loop: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """Issue 29: one unit's error blocked all units. Still by default (offering --delvis);
    with --delvis the valid returns are collected and the refused one is listed as not
    returned with its errors: in the terminal, the status list and prognos.xlsx."""
    inputs, sent, returned = loop
    units = lss_units(sent)[:3]
    for path in units:
        fill(path, returned / path.name)
    broken = returned / units[1].name
    wb = load_workbook(broken)
    wb["Prognos"]["L2"] = "två miljoner"
    wb.save(broken)
    refused = units[1].name.split("-")[0]
    before = (inputs / "prognos.xlsx").read_bytes()
    code, output = samla(inputs, returned)
    said = " ".join(output.split())
    assert code == 1
    assert "2 underlag är utan fel: kör igen med --delvis" in said
    assert (inputs / "prognos.xlsx").read_bytes() == before
    status = tmp_path / "status.xlsx"
    code, output = samla_with(
        inputs, returned, "--underlag", str(sent), "--delvis", "--status", str(status)
    )
    said = " ".join(output.split())
    assert code == 0, output
    assert f"fel E101: {broken.name} › Prognos › L2" in said
    assert "2 av 67 enheter har lämnat in; 65 saknas, varav 1 med underlag som har fel" in said
    book = load_workbook(inputs / "prognos.xlsx")
    rows = list(book["Prognos"].iter_rows(min_row=2, values_only=True))
    period = FORECAST_HEADER.index("Period")
    assert refused not in {r[FORECAST_HEADER.index("Ansvar")] for r in rows if r[period] == 8}
    left_out = list(book["Utelämnade"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2]) for r in left_out] == [(refused, broken.name)]
    assert "E101" in left_out[0][3]
    assert "L2" in left_out[0][3]
    listed = list(load_workbook(status).active.iter_rows(min_row=2, values_only=True))
    assert listed[0][:5] == (refused, *listed[0][1:3], "avvisad", broken.name)
    assert "E101" in listed[0][6]
    assert sum(1 for r in listed if r[3] == "inlämnad") == 2
    # The report counts the refused unit as missing.
    result = CliRunner().invoke(
        cli, ["report", str(inputs), "--tertial", "T2", "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "r" / "skarholmen-2017-T2.json").read_text(encoding="utf-8"))
    assert refused in data["forecast_collection"]["missing"]
    assert data["forecast_collection"]["returned"] == 2


def test_delvis_with_no_valid_return_writes_nothing(loop: tuple[Path, Path, Path]) -> None:
    inputs, sent, returned = loop
    path = lss_units(sent)[0]
    fill(path, returned / path.name)
    wb = load_workbook(returned / path.name)
    wb["Prognos"]["L2"] = "två miljoner"
    wb.save(returned / path.name)
    before = (inputs / "prognos.xlsx").read_bytes()
    code, output = samla_with(inputs, returned, "--underlag", str(sent), "--delvis")
    assert code == 1
    assert "Inget inlämnat underlag är utan fel" in " ".join(output.split())
    assert (inputs / "prognos.xlsx").read_bytes() == before


def test_old_and_new_names_are_both_recognised(loop: tuple[Path, Path, Path]) -> None:
    """A return under the code-only name of earlier mailings counts, the same unit under
    both names counts once, and another unit's workbook under a unit's old name is a copy."""
    inputs, sent, returned = loop
    first, second = lss_units(sent)[:2]
    code_of = first.name.split("-")[0]
    fill(first, returned / f"{code_of}-T2.xlsx")  # the old name
    fill(first, returned / first.name)  # and the new one, saved later
    os.utime(returned / f"{code_of}-T2.xlsx", (1_500_000_000, 1_500_000_000))
    code, output = samla(inputs, returned)
    assert code == 0, output
    assert "W317" in output
    assert f"{first.name} används" in " ".join(output.split())
    fill(second, returned / f"{code_of}-T2.xlsx")  # unit two's workbook, unit one's old name
    code, output = samla(inputs, returned)
    assert code == 1
    assert "E232" in output


@pytest.mark.parametrize(
    "subject",
    [
        "<dc:subject>budget samla|Nämnden|2017|8</dc:subject>",  # openpyxl without lxml
        '<dc:subject xmlns:dc="http://purl.org/dc/elements/1.1/">'  # with lxml
        "budget samla|Nämnden|2017|8</dc:subject>",
    ],
)
def test_the_collection_a_prognos_holds_is_read_from_either_serialisation(
    subject: str, tmp_path: Path
) -> None:
    """With lxml installed (python-docx brings it) openpyxl declares the namespace on the
    element; samla read no collection then and overwrote prognos-foregaende.xlsx."""
    import zipfile

    from budget.edge.returned import collected_for

    path = tmp_path / "prognos.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("docProps/core.xml", f"<cp:coreProperties>{subject}</cp:coreProperties>")
    assert collected_for(path) == ("Nämnden", 2017, 8)


def test_samla_reads_the_returns_folder_underlag_made_when_given_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """INLÄMNADE defaults to the folder underlag made beside what it sent
    (underlag/<inputs>-<period>-inlamnat, or beside --underlag); a missing one is a usage
    error in Swedish that names it, and nothing is written."""
    from tests.conftest import collection_folder

    monkeypatch.chdir(tmp_path)
    folder = collection_folder(tmp_path / "testnamnd-2017").path
    runner = CliRunner()
    assert runner.invoke(cli, ["underlag", str(folder), "--period", "4"]).exit_code == 0
    sent = Path("underlag") / "testnamnd-2017-T1"
    returns = Path("underlag") / "testnamnd-2017-T1-inlamnat"
    assert returns.is_dir()
    wb = load_workbook(sent_book(sent, "A1"))
    wb["Prognos"]["L2"] = 1_100_000
    wb.save(returns / "A1-T1.xlsx")
    result = runner.invoke(cli, ["samla", str(folder), "--period", "4"])
    assert result.exit_code == 0, result.output
    assert "1 av 4 enheter har lämnat in" in result.output
    # Beside the folder --underlag names, when underlag wrote elsewhere.
    (folder / "prognos.xlsx").unlink()
    moved = tmp_path / "skickat"
    sent.rename(moved)
    returns.rename(tmp_path / "skickat-inlamnat")
    for underlag in (moved, moved / "utskick.json"):
        result = runner.invoke(
            cli, ["samla", str(folder), "--period", "4", "--underlag", str(underlag)]
        )
        assert result.exit_code == 0, result.output
        (folder / "prognos.xlsx").unlink()
    # No returns folder where underlag makes it: exit 2, the folder named, nothing written.
    result = runner.invoke(cli, ["samla", str(folder), "--period", "4"])
    assert result.exit_code == 2, result.output
    assert "underlag/testnamnd-2017-T1-inlamnat finns inte" in result.output
    assert "budget underlag skapar den" in result.output
    assert "Traceback" not in result.output
    assert not (folder / "prognos.xlsx").exists()
