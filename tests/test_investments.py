"""Investeringar (contract §6): budget, spending and forecast per project, by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from openpyxl import load_workbook

from budget.core import investments
from budget.core.investments import Project
from budget.edge.sheets import INVESTMENTS, LEDGER
from tests.conftest import Folder, report_json, write_xlsx

HEADER = INVESTMENTS.header("Verksamhetsområde", "Utgifter", "Kommentar")


def _report(folder: Folder, tmp_path: Path) -> tuple[dict[str, Any], Path]:
    data, out = report_json(folder.path, tmp_path)
    return data["investments"], out


def test_projects_with_spending_given_or_taken_from_the_ledger(
    folder: Folder, tmp_path: Path
) -> None:
    rows = []
    for m in range(1, 5):
        rows += [
            [2017, m, "A1", "100", "5010", 100_000, None],
            [2017, m, "A1", "100", "3410", -10_000, None],
            [2017, m, "B1", "200", "5010", 50_000, None],
            [2017, m, "B2", "201", "4610", 20_000, None],
        ]
    # Investment spending on a balance-sheet account, tagged with its project; last year's
    # row does not count.
    rows += [
        [2017, 2, "A1", "100", "1230", 250_000, "P2"],
        [2017, 3, "A1", "100", "1230", 125_000.5, "P2"],
        [2016, 3, "A1", "100", "1230", 999_000, "P2"],
    ]
    folder.ledger(rows, header=LEDGER.header("Projekt"))
    write_xlsx(
        folder.path / "investeringar.xlsx",
        {
            "Investeringar": [
                HEADER,
                ["P1", "Ny förskola", "Förskola", 4_000_000, 1_000_000, 2_500_000, "Försenad"],
                ["P2", "Inventarier", None, 500_000, None, 480_000, None],
                ["P3", "Ombyggnad kök", "Äldreomsorg", 1_000_000, 900_000, 1_250_000, None],
            ]
        },
    )
    found, out = _report(folder, tmp_path)
    p1, p2, p3 = found["projects"]
    assert (p1["budget"], p1["spent"], p1["forecast"], p1["variance"]) == (
        4_000_000,
        1_000_000,
        2_500_000,
        1_500_000,
    )
    assert p1["decision"] == "ombudgetering till nästa år"  # 1,5 mnkr ≥ a tenth of 4 mnkr
    # P2: spending from the ledger, January–April only: 250 000 + 125 000,50.
    assert (p2["spent"], p2["spent_from_ledger"]) == (375_000.5, True)
    assert p2["decision"] is None  # 20 000 kr off: under 100 000 kr
    assert (p3["variance"], p3["decision"]) == (-250_000, "utökad investeringsbudget")
    assert found["total"] == {
        "budget": 5_500_000,
        "spent": 2_275_000.5,
        "forecast": 4_230_000,
        "variance": 1_270_000,
    }
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert 'id="chart-investeringar"' in html
    assert "ombudgetering till nästa år" in html
    sheet = load_workbook(next(out.glob("*T1.xlsx")), read_only=True)["Investeringar"]
    rows_out = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows_out["P2"][4] == 375_000.5
    assert rows_out["Summa"][6] == 1_270_000


def test_without_investeringar_there_is_no_section(folder: Folder, tmp_path: Path) -> None:
    found, out = _report(folder, tmp_path)
    assert found == {
        "projects": [],
        "total": {"budget": 0.0, "spent": 0.0, "forecast": 0.0, "variance": 0.0},
    }
    assert 'id="investeringar"' not in next(out.glob("*.html")).read_text(encoding="utf-8")


def _project(budget: int, forecast: int) -> Project:
    return Project("P1", "Ny förskola", None, budget, 0, forecast, None, False)


@pytest.mark.parametrize(
    ("budget", "forecast", "decision"),
    [
        # The floor: 100 000 kr = 10 000 000 öre. On a 500 000 kr budget a tenth is 50 000 kr,
        # below the floor, so the floor decides: 100 000 kr under budget needs a decision...
        (50_000_000, 40_000_000, "ombudgetering till nästa år"),
        # ...99 999,99 kr does not.
        (50_000_000, 40_000_001, None),
        (50_000_000, 60_000_000, "utökad investeringsbudget"),
        (50_000_000, 59_999_999, None),
        # A tenth: on a 2 000 000 kr budget it is 200 000 kr (20 000 000 öre), above the
        # floor. Exactly a tenth over budget needs a decision, one öre less does not.
        (200_000_000, 220_000_000, "utökad investeringsbudget"),
        (200_000_000, 219_999_999, None),
        (200_000_000, 180_000_000, "ombudgetering till nästa år"),
        (200_000_000, 180_000_001, None),
        # A project without budget: any spending of at least the floor.
        (0, 10_000_000, "utökad investeringsbudget"),
        (0, 9_999_999, None),
    ],
)
def test_a_decision_from_the_floor_and_a_tenth_of_the_budget(
    budget: int, forecast: int, decision: str | None
) -> None:
    """Issue 26 (mutation audit): the floor and the 10 % boundary were untested."""
    assert _project(budget, forecast).decision == decision


def test_ledger_spending_includes_the_report_month_and_rounds_to_the_ore() -> None:
    """Issue 26 (mutation audit): the report month was droppable and the sum truncatable."""
    ledger = pl.DataFrame(
        {
            "project": ["P1", "P1", "P1", "P1", None],
            "year": [2017, 2017, 2017, 2016, 2017],
            "period": [3, 4, 5, 4, 4],
            # micro-kronor: 1 000 kr; 250,0075 kr; 7 kr after the period; 9 kr last year;
            # 11 kr without a project.
            "amount": [1_000_000_000, 250_007_500, 7_000_000, 9_000_000, 11_000_000],
        }
    )
    frame = pl.DataFrame(
        {
            "project": ["P1"],
            "name": ["Ny förskola"],
            "area": [None],
            "budget": [200_000],
            "spent": [None],
            "forecast": [200_000],
            "comment": [None],
        },
        schema_overrides={"area": pl.String, "spent": pl.Int64, "comment": pl.String},
    )
    (p,) = investments.projects(frame, ledger, 2017, 4)
    # March and April (the report month): 1 000 + 250,0075 = 1 250,0075 kr = 125 000,75 öre,
    # rounded half away from zero to 125 001 öre (truncated it would be 125 000).
    assert (p.spent, p.spent_from_ledger) == (125_001, True)
