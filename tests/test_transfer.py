"""Resultatenheter and resultatöverföring (contract §6), computed by hand.

The test folder's ledger (tests/conftest.Folder) books four months: A1 on verksamhet 100
(Förskola) 100 000 kr of costs and 10 000 kr of revenues a month, B1 on 200 (Äldreomsorg ›
Hemtjänst egen regi) 50 000 kr of costs, B2 on 201 (› Hemtjänst externa utförare) 20 000
kr. With ``[prognos] reserv = "linjar"`` a unit without its own forecast is forecast as
its year-to-date × 3 (period 4).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from budget.cli import cli
from budget.core.forecast import METHODS, Basis
from budget.core.ledger import Monthly
from budget.core.methods import Method
from budget.core.money import Sides
from budget.core.transfer import ResultUnit, own_forecast
from budget.edge.sheets import BUDGET, FORECASTS, RESPONSIBILITIES, STRUCTURE
from tests.conftest import Folder, report_json, write_xlsx

SETTINGS = (
    'namnd = "Testnämnden"\nar = 2017\nenhet = "tkr"\n'
    '[prognos]\nstandard = "linjar"\nreserv = "linjar"\n'
)


def _folder(folder: Folder, cap: str | None = "0.05") -> None:
    extra = "" if cap is None else f"[resultatoverforing]\ntak = {cap}\n"
    (folder.path / "namnd.toml").write_text(SETTINGS + extra, encoding="utf-8")
    write_xlsx(
        folder.path / "struktur.xlsx",
        {
            "Verksamheter": [
                STRUCTURE.header("Delområde"),
                ["100", "Förskola", None],
                ["200", "Äldreomsorg", "Hemtjänst egen regi"],
                ["201", "Äldreomsorg", "Hemtjänst externa utförare"],
            ],
            "Ansvar": [
                RESPONSIBILITIES.header("Enhet", "Resultatenhet"),
                ["A1", "Förskolan Eken", "Ja"],
                ["B1", "Hemtjänsten Sätra", "Ja"],
                ["B2", "Hemtjänst extern", "Ja"],
                ["C9", "Kansliet", "Nej"],
            ],
        },
    )
    write_xlsx(
        folder.path / "budget.xlsx",
        {
            "Budget": [
                BUDGET.header("Ansvar"),
                [2017, "100", "5010", 1_500_000, "A1"],
                [2017, "100", "3410", -120_000, "A1"],
                [2017, "200", "5010", 620_000, "B1"],
                [2017, "201", "4610", 200_000, "B2"],
            ]
        },
    )


def _transfer(folder: Folder, tmp_path: Path) -> tuple[dict[str, Any], Path]:
    data, out = report_json(folder.path, tmp_path)
    return data["result_transfer"], out


def test_a_unit_over_its_cap_under_it_and_in_deficit(folder: Folder, tmp_path: Path) -> None:
    _folder(folder)
    found, out = _transfer(folder, tmp_path)
    units = {u["ansvar"]: u for u in found["units"]}
    assert set(units) == {"A1", "B1", "B2"}  # C9 is no resultatenhet
    a1, b1, b2 = units["A1"], units["B1"], units["B2"]
    # A1: budget −1 500 000 + 120 000; forecast 3 × (−400 000 + 40 000) = −1 080 000.
    assert (a1["budget_net"], a1["forecast_net"]) == (-1_380_000, -1_080_000)
    assert a1["result"] == 300_000
    assert a1["cap"] == 75_000  # 5 % of the gross cost budget 1 500 000
    assert (a1["transfer"], a1["to_namnd"]) == (75_000, 225_000)  # over the cap
    # B1: budget −620 000, forecast 3 × −200 000: a surplus of 20 000 under its cap 31 000.
    assert (b1["result"], b1["cap"], b1["transfer"], b1["to_namnd"]) == (
        20_000,
        31_000,
        20_000,
        0,
    )
    # B2: budget −200 000, forecast 3 × −80 000: a deficit of 40 000, capped at 10 000.
    assert (b2["result"], b2["cap"], b2["transfer"], b2["to_namnd"]) == (
        -40_000,
        10_000,
        -10_000,
        -30_000,
    )
    assert found["cap_share"] == 0.05
    assert found["total_transfer"] == 75_000 + 20_000 - 10_000
    assert {u["forecast_basis"] for u in units.values()} == {"linjar"}
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "Resultatenheter och resultatöverföring" in html
    assert 'id="chart-resultatoverforing"' in html
    sheet = load_workbook(next(out.glob("*T1.xlsx")), read_only=True)["Resultatöverföring"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["A1"][7] == 75_000
    assert rows["Summa"][7] == 85_000


def test_without_a_cap_the_whole_result_carries_over(folder: Folder, tmp_path: Path) -> None:
    _folder(folder, cap=None)
    found, _ = _transfer(folder, tmp_path)
    assert found["cap_share"] is None
    for u in found["units"]:
        assert u["cap"] is None
        assert u["transfer"] == u["result"]
        assert u["to_namnd"] == 0


def test_a_unit_s_own_forecast_is_used_where_it_returned_one(
    folder: Folder, tmp_path: Path
) -> None:
    _folder(folder)
    write_xlsx(
        folder.path / "prognos.xlsx",
        {
            "Prognos": [
                FORECASTS.header("Delområde", "Ansvar", "Verksamhet"),
                ["Förskola", None, 1_300_000, 130_000, "A1", "100"],
            ]
        },
    )
    found, _ = _transfer(folder, tmp_path)
    a1 = next(u for u in found["units"] if u["ansvar"] == "A1")
    assert a1["forecast_basis"] == "enhetens prognos"
    assert a1["forecast_net"] == -1_170_000
    assert (a1["result"], a1["transfer"]) == (210_000, 75_000)


def test_a_cap_that_is_no_share_is_refused(folder: Folder) -> None:
    _folder(folder, cap="5")
    result = CliRunner().invoke(cli, ["validate", str(folder.path)])
    assert result.exit_code == 1
    assert "E011" in result.output
    assert "resultatoverforing.tak" in result.output


def test_the_cap_is_rounded_to_the_ore() -> None:
    """Issue 26 (mutation audit): the cap was truncatable instead of rounded."""
    # Gross cost budget 1 234 567,89 kr = 123 456 789 öre; 3 % of it is 3 703 703,67 öre,
    # rounded to 3 703 704 (truncated: 3 703 703). Forecast 5 000 000 öre better than budget.
    unit = ResultUnit(
        "A1",
        "Förskolan Eken",
        Sides(-123_456_789, 1_000_000),
        Sides(-118_456_789, 1_000_000),
        "enhetens prognos",
        Fraction(3, 100),
    )
    assert unit.result == 5_000_000
    assert unit.cap == 3_703_704
    assert unit.transfer == 3_703_704
    # The rest, 5 000 000 − 3 703 704 = 1 296 296 öre, stays with the nämnd.
    assert unit.to_namnd == 1_296_296
    # A deficit is capped the other way: −3 703 704.
    deficit = ResultUnit(
        "A1", None, Sides(-123_456_789, 0), Sides(-133_456_789, 0), "linjar", Fraction(3, 100)
    )
    assert (deficit.transfer, deficit.to_namnd) == (-3_703_704, -10_000_000 + 3_703_704)


def test_a_method_a_unit_has_no_basis_for_names_its_stand_in() -> None:
    """A resultatenhet without a forecast of its own has its ledger rows and its budget: a
    method needing more (manuell, volym) names in its record what stands in, and that needs
    nothing more."""
    on_rows = {Basis.PRIOR_YEAR, Basis.BUDGET}
    for method, record in METHODS.items():
        if record.needs <= on_rows:
            assert record.unit_fallback is None, method
        else:
            assert record.unit_fallback is not None, method
            assert METHODS[record.unit_fallback].needs <= on_rows, method


@pytest.mark.parametrize("method", [Method.MANUAL, Method.VOLUME])
def test_a_unit_without_its_method_s_basis_is_forecast_by_the_stand_in(method: Method) -> None:
    # 1 000 kr of costs a month, January to April, and a budget of 15 000 kr: the linear
    # run-rate is 1 000 × 12 = 12 000 kr (the budget methods would give 15 000).
    kr = 1_000_000  # µkr
    leaf = ("U1", None)
    monthly = Monthly(
        series={(2017, leaf, "costs"): [-1_000 * kr] * 4 + [0] * 8},
        excluded={},
        rows={2017: [1] * 4 + [0] * 8},
        ledger={2017: [1_000 * kr] * 4 + [0] * 8},
    )
    got = own_forecast(monthly, "U1", 2017, 4, Sides(-1_500_000, 0), method)
    assert got == Sides(-1_200_000, 0)
