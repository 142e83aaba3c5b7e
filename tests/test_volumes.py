"""Volumes: the volume × price forecast, by run-rate or by budgeted volume."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import polars as pl

from budget.core import volumes
from budget.core.forecast import forecast, leaf_facts
from budget.core.ledger import Monthly
from budget.core.money import MICRO_PER_ORE, Sides
from budget.edge.sheets import VOLUMES
from budget.report.sections import volumes as volumes_section


def frame(actual: list[float | None], budget: float = 100.0, price: float = 10.0) -> pl.DataFrame:
    rows = [
        {
            "area": "Förskola",
            "subarea": None,
            "measure": "Inskrivna barn",
            "year": 2017,
            "period": m + 1,
            "budget_volume": budget,
            "volume": v,
            "price": price,
            "row": m + 2,
        }
        for m, v in enumerate(actual)
    ]
    return pl.DataFrame(rows, schema=VOLUMES.schema)


def test_run_rate_fills_the_months_left_with_the_last_three_months() -> None:
    actual = [100, 100, 100, 100, 96, 92, 90, 88] + [None] * 4
    (m,) = volumes.measures(frame(actual), 2017, 8, "takt")
    # 766 to date + 4 months × (92 + 90 + 88) / 3 = 766 + 360 = 1126
    assert m.forecast_volume == Fraction(1126)
    assert m.forecast_cost == 1126 * 10 * 100


def test_budget_rest_fills_the_months_left_with_the_budgeted_volume() -> None:
    actual = [100.0] * 4 + [None] * 8
    (m,) = volumes.measures(frame(actual, budget=95, price=12.5), 2017, 4, "budget")
    assert m.forecast_volume == Fraction(400 + 8 * 95)
    assert m.forecast_cost == (400 + 8 * 95) * 1250


def test_outcome_after_the_period_is_ignored() -> None:
    (m,) = volumes.measures(frame([10.0] * 12), 2017, 6, "takt")
    assert m.actual[6:] == (None,) * 6
    assert m.forecast_volume == 120


def test_volume_method_forecasts_costs_and_runs_revenues_linearly() -> None:
    monthly = Monthly(
        series={
            (2017, ("Förskola", None), "costs"): [-1000 * MICRO_PER_ORE] * 12,
            (2017, ("Förskola", None), "revenues"): [100 * MICRO_PER_ORE] * 12,
        },
        excluded={},
        rows={2017: [2] * 12},
        ledger={2017: [900 * MICRO_PER_ORE] * 12},
    )
    facts = leaf_facts(
        monthly, 2017, 8, ("Förskola", None), Sides(), (Fraction(1, 12),) * 12, None, 1126 * 1000
    )
    assert forecast("volym", facts).value == Sides(-1_126_000, 1200)


def test_volym_rest_budget_is_read_and_used(demo_copy: Path) -> None:
    """``[volym] rest = "budget"`` (README) fills the rest of the year with budgeted volume."""
    from datetime import datetime

    from budget.checks.prepare import prepare
    from budget.edge.config import read_settings
    from budget.edge.inputs import load
    from budget.report.build import build_report

    toml = demo_copy / "namnd.toml"
    default = build_report(prepare(load(demo_copy), 8), datetime(2017, 9, 1))
    text = toml.read_text(encoding="utf-8")
    assert "\n[volym]\n" in text  # the demo names the measure that explains LSS boende
    toml.write_text(text.replace("\n[volym]\n", '\n[volym]\nrest = "budget"\n'), "utf-8")
    settings, problems = read_settings(toml, "namnd.toml")
    assert problems == []
    assert settings is not None
    assert settings.volume_rest == "budget"
    report = build_report(prepare(load(demo_copy), 8), datetime(2017, 9, 1))
    shown = volumes_section.SECTION.data(report)
    assert shown.rest == "budget"
    assert {m.rest for m in shown.measures} == {"budget"}
    # Each measure's rest of the year is now its budgeted volume for months 9–12.
    for m in shown.measures:
        expected = sum(Fraction(str(v or 0)) for v in (*m.actual[:8], *m.budget[8:]))
        assert m.forecast_volume == expected
    area = next(ln for ln in report.area_lines if ln.area == "Förskoleverksamhet")
    before = next(ln for ln in default.area_lines if ln.area == "Förskoleverksamhet")
    assert area.forecast != before.forecast


def test_volym_rest_with_an_unknown_value_is_e011(demo_copy: Path) -> None:
    from budget.edge.config import read_settings

    toml = demo_copy / "namnd.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("\n[volym]\n", '\n[volym]\nrest = "prognos"\n'), "utf-8")
    settings, problems = read_settings(toml, "namnd.toml")
    assert settings is None
    assert [(d.code, d.column, d.value) for d in problems] == [("E011", "volym.rest", "prognos")]


def test_run_rate_of_fewer_than_three_months_is_their_mean() -> None:
    """Issue 26 (mutation audit): at period 2 only two months have an outcome."""
    (m,) = volumes.measures(frame([80.0, 100.0] + [None] * 10), 2017, 2, "takt")
    # 80 + 100 = 180 to date; rate (80 + 100) / 2 = 90 over 10 months left: 180 + 900 = 1080.
    # (Divided by three it would be 180 + 10 × 60 = 780.)
    assert m.forecast_volume == Fraction(1080)


def test_run_rate_skips_a_month_without_outcome() -> None:
    (m,) = volumes.measures(frame([100.0, None, 90.0, 80.0, 70.0] + [None] * 7), 2017, 5, "takt")
    # 100 + 90 + 80 + 70 = 340 to date; the last three months with outcome: (90 + 80 + 70) / 3
    # = 80 over 7 months left: 340 + 560 = 900.
    assert m.forecast_volume == Fraction(900)


def test_several_rows_of_one_measure_and_month_are_summed() -> None:
    """Issue 26 (mutation audit): two units report the same measure; their rows add up."""
    rows = [
        {
            "area": "Förskola",
            "subarea": None,
            "measure": "Inskrivna barn",
            "year": 2017,
            "period": month,
            "budget_volume": budget,
            "volume": volume if month <= 4 else None,
            "price": 10.0,
            "row": 2 * month + unit,
        }
        for month in range(1, 13)
        for unit, (budget, volume) in enumerate([(60.0, 55.0), (40.0, 45.0)])
    ]
    (m,) = volumes.measures(pl.DataFrame(rows, schema=VOLUMES.schema), 2017, 4, "budget")
    # Budget 60 + 40 = 100 a month: 1200 for the year. Outcome 55 + 45 = 100 a month for
    # four months: 400; the eight months left at the budgeted 100: 400 + 800 = 1200.
    assert m.budget_total == 1200
    assert m.actual_to_date == 400
    assert m.forecast_volume == Fraction(1200)
    # 1200 × 10 kr = 12 000 kr = 1 200 000 öre.
    assert m.forecast_cost == 1_200_000
