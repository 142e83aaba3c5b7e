"""Anslag (contract §6): areas grouped into separate budget frames, each read on its own.

The test folder (tests/conftest.Folder) budgets Förskola at 1 200 000 kr of costs and
120 000 kr of revenues, Äldreomsorg at 600 000 + 240 000 kr of costs; its ledger has
four months of 100 000 / 10 000 kr for Förskola and 50 000 + 20 000 kr for Äldreomsorg.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from tests.conftest import Folder, report_json

ANSLAG = '[anslag]\n"Äldre och stöd" = ["Äldreomsorg"]\n'


def _settings(folder: Folder, extra: str = ANSLAG) -> None:
    text = 'namnd = "Testnämnden"\nar = 2017\nenhet = "mnkr"\n[prognos]\nstandard = "linjar"\n'
    (folder.path / "namnd.toml").write_text(text + extra, encoding="utf-8")


def _report(folder: Folder, tmp_path: Path) -> tuple[dict[str, Any], Path]:
    data, out = report_json(folder.path, tmp_path)
    return data, out


def test_each_anslag_is_the_sum_of_its_areas_computed_by_hand(
    folder: Folder, tmp_path: Path
) -> None:
    _settings(folder)
    data, _ = _report(folder, tmp_path)
    own, elderly = data["anslag"]
    assert own["name"] == "Nämndens verksamhet"
    assert own["areas"] == ["Förskola"]
    assert elderly["name"] == "Äldre och stöd"
    assert elderly["areas"] == ["Äldreomsorg"]
    # Report signs: revenues positive, costs negative.
    assert own["budget"] == {"costs": -1_200_000.0, "revenues": 120_000.0, "net": -1_080_000.0}
    assert elderly["budget"] == {"costs": -840_000.0, "revenues": 0.0, "net": -840_000.0}
    assert own["actual"]["net"] == -(4 * 100_000) + 4 * 10_000
    assert elderly["actual"]["net"] == -(4 * 70_000)
    # Linear forecast at period 4: the year-to-date × 3.
    assert own["forecast"]["net"] == 3 * own["actual"]["net"]
    assert elderly["forecast"]["net"] == 3 * elderly["actual"]["net"]
    for a in (own, elderly):
        assert a["variance"] == a["forecast"]["net"] - a["budget"]["net"]
    # The overall total is kept, and is the sum of the anslag.
    assert data["total"]["variance"] == own["variance"] + elderly["variance"]


def test_without_anslag_every_area_is_the_nämnd_s_own(folder: Folder, tmp_path: Path) -> None:
    _settings(folder, "")
    data, out = _report(folder, tmp_path)
    assert [a["name"] for a in data["anslag"]] == ["Nämndens verksamhet"]
    assert data["anslag"][0]["areas"] == ["Förskola", "Äldreomsorg"]
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "Ekonomi per anslag" not in html
    assert "Anslag" not in load_workbook(next(out.glob("*T1.xlsx")), read_only=True).sheetnames


def test_the_report_shows_the_anslag_and_the_request_names_them(
    folder: Folder, tmp_path: Path
) -> None:
    _settings(folder)
    folder.changes(
        [
            ["Budgetjustering", "Begärd", "Äldreomsorg", 90_000, 0, "Fler brukare"],
            ["Budgetjustering", "Begärd", "Förskola", 10_000, 0, "Fler barn"],
        ]
    )
    data, out = _report(folder, tmp_path)
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "Ekonomi per anslag" in html
    assert 'id="chart-anslag"' in html
    assert any("för äldreomsorg inom anslaget äldre och stöd" in p for p in data["decision"])
    assert any(p.endswith("för förskola.") for p in data["decision"])
    book = load_workbook(io.BytesIO(next(out.glob("*-begaran.xlsx")).read_bytes()))
    ws = book["Begäran"]
    assert [c.value for c in ws[4]][:3] == ["Typ", "Anslag", "Verksamhetsområde"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=5, values_only=True) if r[0]}
    assert rows["Summa"][6] == -100_000
    assert rows["varav Äldre och stöd"][6] == -90_000
    assert rows["varav Nämndens verksamhet"][6] == -10_000
    sheet = load_workbook(next(out.glob("*T1.xlsx")), read_only=True)["Anslag"]
    names = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Nämndens verksamhet", "Äldre och stöd", "Totalt"]
