"""Rendering: byte-identical outputs, escaped input text, workbooks that LibreOffice opens."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from budget.cli import cli
from tests.conftest import Folder, soffice_convert

STAMP = ["--generated-at", "2017-09-12T10:00"]


def report(folder: Path, out: Path, *extra: str) -> dict[str, bytes]:
    result = CliRunner().invoke(cli, ["report", str(folder), "--out", str(out), *STAMP, *extra])
    assert result.exit_code == 0, result.output
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_same_inputs_give_identical_bytes(folder: Folder, tmp_path: Path) -> None:
    first = report(folder.path, tmp_path / "a")
    second = report(folder.path, tmp_path / "b")
    assert first == second
    assert len(first) == 5


def test_html_is_self_contained_and_swedish(folder: Folder, tmp_path: Path) -> None:
    files = report(folder.path, tmp_path / "a")
    html = files["testnamnd-2017-T1.html"].decode("utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="sv">')
    charts = html.count('class="plotly-graph-div"')
    assert charts >= 4
    assert html.count("Plotly.newPlot") == charts
    # plotly.js (about 4,8 MB) is embedded once, not once per chart.
    assert 4_000_000 < len(html) < 6_000_000
    assert '<script src="' not in html
    assert "\u2212" in html  # U+2212 minus in Swedish figures
    small = report(folder.path, tmp_path / "c", "--cdn")["testnamnd-2017-T1.html"]
    assert len(small) < len(files["testnamnd-2017-T1.html"]) / 10


def test_input_text_is_escaped_and_never_a_formula(folder: Folder, tmp_path: Path) -> None:
    folder.settings(methods={"standard": "linjar", "Förskola": "manuell"})
    folder.forecasts(
        [
            [
                "Förskola",
                None,
                1_300_000,
                130_000,
                "<script>alert(1)</script>",
                '=HYPERLINK("http://x")',
            ]
        ]
    )
    folder.changes(
        [
            [
                "Omslutningsförändring",
                "Begärd",
                "Förskola",
                1000,
                1000,
                "=1+1",
                "+46 statsbidrag",
                "@dnr",
            ]
        ]
    )
    files = report(folder.path, tmp_path / "a")
    html = files["testnamnd-2017-T1.html"].decode("utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    wb = load_workbook(tmp_path / "a" / "testnamnd-2017-T1.xlsx")
    ws = wb["Förändringar"]
    values = [c.value for c in ws[2]]
    assert "=1+1" in values
    for cell in ws[2]:
        assert cell.data_type != "f", f"{cell.coordinate} became a formula"


def test_xlsx_opens_in_libreoffice_with_the_json_figures(folder: Folder, tmp_path: Path) -> None:
    report(folder.path, tmp_path / "a")
    data = json.loads((tmp_path / "a" / "testnamnd-2017-T1.json").read_text(encoding="utf-8"))
    wb = load_workbook(tmp_path / "a" / "testnamnd-2017-T1.xlsx")
    economy = wb["Ekonomi"]
    source = tmp_path / "economy.xlsx"
    # LibreOffice converts the first sheet: put the economy sheet first in a copy.
    wb.move_sheet(economy, offset=-wb.index(economy))
    wb.active = 0
    wb.save(source)
    out = soffice_convert(
        source, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false", tmp_path
    )
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    net_forecast = header.index(f"Prognos netto ({data['unit']})")
    by_area = {(r[0], r[1] or None): r for r in body}
    for a in data["areas"]:
        row = by_area[(a["area"], a["subarea"])]
        assert float(row[net_forecast]) == a["forecast"]["net"]
    assert (
        float(by_area[("Totalt", None)][header.index(f"Avvikelse netto ({data['unit']})")])
        == data["total"]["variance"]
    )


def test_request_workbook_opens_in_libreoffice_with_the_json_figures(
    folder: Folder, tmp_path: Path
) -> None:
    folder.changes(
        [
            [
                "Omslutningsförändring",
                "Begärd",
                "Förskola",
                "1 500 000",
                "1 500 000",
                "=Statsbidrag",
                "@Skolverket",
                "+SDN 2017/3",
            ],
            ["Budgetjustering", "Begärd", "Äldreomsorg", 420_000.5, 0, "Fler brukare", None, None],
            ["Omslutningsförändring", "Beviljad", "Förskola", 7, 7, "Tidigare", None, None],
        ]
    )
    report(folder.path, tmp_path / "a")
    data = json.loads((tmp_path / "a" / "testnamnd-2017-T1.json").read_text(encoding="utf-8"))
    requested = [i for i in data["budget_changes"]["items"] if i["status"] == "Begärd"]
    source = tmp_path / "a" / "testnamnd-2017-T1-begaran.xlsx"
    wb = load_workbook(source)
    for row in wb["Begäran"].iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} became a formula"
    out = soffice_convert(
        source, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false", tmp_path
    )
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows.index(next(r for r in rows if r and r[0] == "Typ"))
    body = rows[header + 1 : header + 1 + len(requested)]
    for line, item in zip(body, requested, strict=True):
        assert line[1] == item["area"]
        assert float(line[3]) == item["costs"]
        assert float(line[4]) == item["revenues"]
        assert float(line[5]) == item["net_effect"]
        assert line[8] == item["description"]
    assert body[0][8] == "=Statsbidrag"
    assert body[0][6] == "@Skolverket"
    total = rows[header + 1 + len(requested)]
    assert total[0] == "Summa"
    assert float(total[3]) == sum(i["costs"] for i in requested)
    assert data["budget_changes"]["requested_turnover_change"] == 1_500_000
    assert data["budget_changes"]["requested_net_adjustment"] == -420_000.5


def test_reconciliation_shows_counts_with_spaces_and_sums_to_the_ore(
    folder: Folder, tmp_path: Path
) -> None:
    """ "Stämmer till öret" stands beside figures with öre, and counts have thousands spaces."""
    rows = [[2017, 1, "A1", "100", "5010", 0.05] for _ in range(1234)]
    folder.ledger(rows)
    html = report(folder.path, tmp_path / "out")["testnamnd-2017-01.html"].decode()
    bilaga = html.split('id="bilaga"', 1)[1]
    assert '<td class="num">1\u00a0234</td>' in bilaga  # 1 234 rows
    assert '<td class="num">61,70</td>' in bilaga  # 1 234 × 0,05 kr
    assert "Stämmer till öret" in bilaga


def test_the_request_carries_the_document_date_not_the_day_it_was_made(
    folder: Folder, tmp_path: Path
) -> None:
    """namnd.toml's datum is the date of the tjänsteutlåtande: the HTML and the begäran agree."""
    import io

    from openpyxl import load_workbook

    toml = folder.path / "namnd.toml"
    text = toml.read_text(encoding="utf-8").replace("[prognos]", "datum = 2017-05-16\n[prognos]")
    toml.write_text(text, encoding="utf-8")
    files = report(folder.path, tmp_path / "a")  # made 2017-09-12, dated 2017-05-16
    book = load_workbook(io.BytesIO(files["testnamnd-2017-T1-begaran.xlsx"]))
    texts = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "Upprättad 2017-05-16." in texts
    assert not [t for t in texts if "2017-09-12" in str(t)]
    assert "2017-05-16" in files["testnamnd-2017-T1.html"].decode()


@pytest.mark.parametrize(("unit", "shown"), [("mnkr", "#,##0.0,,"), ("tkr", "#,##0,")])
def test_the_workbook_keeps_kronor_and_shows_the_reports_unit(
    folder: Folder, tmp_path: Path, unit: str, shown: str
) -> None:
    """Excel speaks the document's unit: −1 100,5 mnkr shown, −1 100 522 155 kr in the cell."""
    folder.settings(methods={"standard": "linjar"}, unit=unit)
    files = report(folder.path, tmp_path / "a")
    data = json.loads(files["testnamnd-2017-T1.json"])
    book = load_workbook(io.BytesIO(files["testnamnd-2017-T1.xlsx"]))
    ws = book["Ekonomi"]
    header = [c.value for c in ws[1]]
    column = header.index(f"Prognos netto ({unit})") + 1
    total = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "Totalt")
    cell = ws.cell(total, column)
    assert cell.value == data["total"]["forecast"]["net"]  # kronor, to the öre
    assert cell.number_format == shown
    assert not [c.value for c in ws[1] if c.value and "(kr)" in str(c.value)]
