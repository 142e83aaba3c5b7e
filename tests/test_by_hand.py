"""Figures whose expected values are worked out by hand, not by the code under test.

Each test here once let a deliberate one-line bug through the whole suite (issue 12's
mutants): the drill-down's period filter, the "ej" goal flag, the chart's cumulative budget
path, display rounding, and the sign of the change since the last report.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from budget.core import fmt
from budget.core.figures import _path
from budget.core.goals import ANNUAL, MET, NOT_MET, Indicator, _flags
from budget.core.ledger import drill_down, summarise
from budget.core.money import ZERO, Sides
from budget.report.model import Line
from budget.report.sections.change import compare
from tests.test_ledger import STRUCTURE, inputs_from


def test_drill_down_counts_only_the_months_of_the_period() -> None:
    # Förskola (verksamhet 100), account 5010: 1 000 kr in January, 2 000 kr in February,
    # 4 000 kr in March, and 8 000 kr in January of the year before.
    inputs = inputs_from(
        [
            (2017, 1, "100", "5010", 1_000_00),
            (2017, 2, "100", "5010", 2_000_00),
            (2017, 3, "100", "5010", 4_000_00),
            (2016, 1, "100", "5010", 8_000_00),
        ]
    )
    drill = drill_down(inputs.ledger, STRUCTURE, None, 2017, 2)
    (line,) = drill["Förskola"]["verksamhet"]
    # January and February of 2017: 3 000 kr of costs, negative in report signs.
    assert line.actual == Sides(-3_000_00, 0)


def indicator(status: str) -> Indicator:
    return Indicator("Andel", "%", "hogre", None, 90.0, "tertial", None, None, status, False)


def test_a_goal_judged_not_met_is_questioned_only_on_outcomes() -> None:
    # Indicators without outcome yet say nothing against "ej".
    assert _flags("Målet", "ej", [indicator(ANNUAL)]) == []
    # One indicator with outcome, and it meets its target: the assessment deviates.
    (flag,) = _flags("Målet", "ej", [indicator(MET), indicator(ANNUAL)])
    assert (flag.code, flag.goal) == ("bedomning-avviker", "Målet")
    # A missed target supports "ej".
    assert _flags("Målet", "ej", [indicator(NOT_MET)]) == []


def test_the_chart_budget_path_is_cumulative() -> None:
    # A net budget of −1 200 kr spread evenly: −100 kr a month, so −100, −200, …, −1 200.
    line = Line("Förskola", None, Sides(-1_200_00, 0), ZERO, Sides(-1_200_00, 0))
    monthly = summarise(inputs_from([(2017, 1, "100", "5010", 100_00)]).ledger, STRUCTURE)
    path = _path(monthly, 2017, 1, "Förskola", [None], line, tuple([Fraction(1, 12)] * 12))
    assert path.budget == tuple(-100_00 * m for m in range(1, 13))
    assert path.actual == (-100_00,)


@pytest.mark.parametrize(
    ("ore", "unit", "text"),
    [
        (25_000_000, "mnkr", "0,3"),  # 0,25 mnkr: half away from zero, never to even
        (-25_000_000, "mnkr", "\u22120,3"),
        (35_000_000, "mnkr", "0,4"),
        (250_000, "tkr", "3"),  # 2,5 tkr
        (150_000, "tkr", "2"),  # 1,5 tkr (half-even would give 2 too; 2,5 tells them apart)
        (4_999_999, "mnkr", "0,0"),
        (5_000_000, "mnkr", "0,1"),
    ],
)
def test_display_rounding_is_half_away_from_zero(ore: int, unit: str, text: str) -> None:
    assert fmt.money(ore, unit) == text


def test_the_change_since_the_last_report_is_now_minus_then() -> None:
    previous = {
        "period": 4,
        "tertial": "T1",
        "title": "Tertialrapport 1 2017",
        "areas": [{"area": "Förskola", "subarea": None, "forecast": {"net": -100.0}}],
    }
    # The forecast net went from −100 kr to −150 kr: 50 kr worse, −5 000 öre.
    now = Line("Förskola", None, ZERO, ZERO, Sides(-150_00, 0))
    (row,) = compare(previous, "x-T1.json", [now]).rows
    assert (row.previous, row.current, row.change) == (-100_00, -150_00, -50_00)


def test_the_request_states_its_sums_in_the_report_unit() -> None:
    """The request workbook follows ``enhet`` (tkr here), like the report."""
    from dataclasses import replace
    from datetime import datetime

    from budget.checks.prepare import prepare
    from budget.edge.inputs import load
    from budget.report.build import build_report
    from budget.report.render import request
    from tests.conftest import DEMO

    report = build_report(prepare(load(DEMO), 8), datetime(2017, 9, 12))
    sheet = request.workbook(replace(report, unit="tkr")).active
    assert sheet is not None
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    summary = next(t for t in texts if t.startswith("Omslutningsförändringar:"))
    # 2 500 000 kr requested: 2 500 tkr.
    assert summary.startswith("Omslutningsförändringar: 2\u00a0500\u00a0tkr.")
