"""Goals: indicator status (direction-aware), summaries and every audit flag."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from budget.core import goals
from budget.edge.sheets import ASSESSMENT, INDICATORS
from budget.report.sections import goals as goals_section


def ind(
    goal: str,
    name: str | None,
    better: str = "hogre",
    kf: float | None = None,
    target: float | None = 10.0,
    periodicity: str = "tertial",
    outcome: float | None = None,
) -> dict[str, object]:
    return {
        "direction_goal": "Ett Stockholm",
        "area_goal": goal,
        "indicator": name,
        "unit": "%",
        "better": better,
        "kf_target": kf,
        "target": target,
        "periodicity": periodicity,
        "outcome": outcome,
        "last_year": None,
        "row": 2,
    }


def build(rows: list[dict[str, object]], assessed: dict[str, str], period: int = 8) -> goals.Goals:
    a = [
        {"level": "vomal", "goal": g, "assessment": v, "comment": None, "row": 2}
        for g, v in assessed.items()
    ]
    return goals.build(
        pl.DataFrame(rows, schema=INDICATORS.schema),
        pl.DataFrame(a, schema=ASSESSMENT.schema),
        period,
    )


@pytest.mark.parametrize(
    ("better", "target", "outcome", "expected"),
    [
        ("hogre", 10, 10, goals.MET),
        ("hogre", 10, 9, goals.NOT_MET),
        ("lagre", 10, 10, goals.MET),
        ("lagre", 10, 11, goals.NOT_MET),
        ("hogre", None, 5, goals.NO_TARGET),
    ],
)
def test_indicator_status_honours_direction(
    better: str, target: float | None, outcome: float, expected: str
) -> None:
    assert goals.indicator_status(better, target, outcome, "tertial", 8) == expected


def test_annual_indicator_without_outcome_is_not_a_failure_before_year_end() -> None:
    assert goals.indicator_status("hogre", 10, None, "ar", 4) == goals.ANNUAL
    assert goals.indicator_status("hogre", 10, None, "ar", 8) == goals.ANNUAL
    assert goals.indicator_status("hogre", 10, None, "ar", 12) == goals.MISSING
    assert goals.indicator_status("hogre", 10, None, "tertial", 8) == goals.MISSING


def test_below_kf_is_direction_aware() -> None:
    assert goals.below_kf("hogre", 86, 90)
    assert not goals.below_kf("hogre", 92, 90)
    assert goals.below_kf("lagre", 7.5, 6.5)
    assert not goals.below_kf("lagre", 6.0, 6.5)
    assert not goals.below_kf("hogre", 86, None)


def codes(result: goals.Goals) -> list[tuple[str, str, str | None]]:
    return [(f.code, f.goal, f.indicator) for f in result.flags]


def test_green_goal_without_any_outcome_is_flagged() -> None:
    result = build([ind("G", "a", periodicity="ar"), ind("G", "b")], {"G": "helt"})
    assert codes(result) == [("utfall-saknas", "G", None)]


def test_green_goal_with_a_missed_indicator_is_flagged() -> None:
    result = build([ind("G", "a", outcome=12), ind("G", "b", outcome=8)], {"G": "helt"})
    assert codes(result) == [("bedomning-avviker", "G", "b")]


def test_red_goal_whose_indicators_all_meet_target_is_flagged() -> None:
    result = build([ind("G", "a", better="lagre", outcome=8)], {"G": "ej"})
    assert codes(result) == [("bedomning-avviker", "G", None)]


def test_nämnd_target_below_kf_is_flagged() -> None:
    result = build([ind("G", "a", kf=12, target=10, outcome=11)], {"G": "helt"})
    # Judged against KF's 12, the outcome 11 falls short: the green assessment is flagged too.
    assert codes(result) == [("lagre-an-kf", "G", "a"), ("bedomning-avviker", "G", "a")]
    assert result.flags[1].message.endswith("KF:s årsmål (11\u00a0% mot 12\u00a0%).")


def test_indicator_is_judged_against_the_more_ambitious_target() -> None:
    # The held-out case: lower is better, KF 900, the nämnd 950, outcome 930.
    result = build([ind("G", "a", better="lagre", kf=900, target=950, outcome=930)], {"G": "ej"})
    (i,) = result.direction_goals[0].area_goals[0].indicators
    assert (i.judged_target, i.status, i.below_kf) == (900, goals.NOT_MET, True)
    # Higher is better and the nämnd asks more than KF: the nämnd's target counts.
    result = build([ind("G", "a", kf=8, target=10, outcome=9)], {"G": "ej"})
    (i,) = result.direction_goals[0].area_goals[0].indicators
    assert (i.judged_target, i.status, i.below_kf) == (10, goals.NOT_MET, False)
    # Only one target given: that one.
    assert goals.more_ambitious("hogre", None, 7) == 7
    assert goals.more_ambitious("lagre", 7, None) == 7


@pytest.mark.parametrize(
    ("better", "target", "last_year", "flagged"),
    [
        ("hogre", 70, 72, True),
        ("hogre", 72, 72, False),
        ("lagre", 8, 7, True),
        ("lagre", 6, 7, False),
    ],
)
def test_target_below_last_years_outcome_is_flagged(
    better: str, target: float, last_year: float, flagged: bool
) -> None:
    row = ind("G", "a", better=better, target=target, outcome=target) | {"last_year": last_year}
    result = build([row], {"G": "helt"})
    assert (("mal-under-foregaende-ar", "G", "a") in codes(result)) is flagged


def test_goal_evidence_rests_on_the_indicators_outcomes() -> None:
    rows = [
        ind("Alla", "a", outcome=11),
        ind("Alla", "b", outcome=12),
        ind("Några", "a", outcome=11),
        ind("Några", "b"),
        ind("Inga", "a"),
        ind("Inga", "b", periodicity="ar"),
    ]
    result = build(rows, {"Alla": "helt", "Några": "helt", "Inga": "helt"})
    shown = {g.name: (g.evidence, g.shown) for g in result.direction_goals[0].area_goals}
    assert shown == {
        "Alla": ("utfall", "helt"),
        "Några": ("delvis", "helt"),
        "Inga": ("saknas", goals.FULL_WITHOUT_OUTCOME),
    }
    direction = result.direction_goals[0]
    assert direction.evidence == "delvis"
    assert direction.count_shown("helt") == 2
    assert "ett av dem utan något periodutfall" in direction.summary


def test_goal_without_indicator_or_without_assessment() -> None:
    result = build([ind("G", None), ind("H", "a", outcome=11)], {"G": "helt"})
    assert codes(result) == [("mal-utan-indikator", "G", None), ("mal-utan-bedomning", "H", None)]


def test_summary_sentence_counts_as_the_protocol_writes() -> None:
    rows = [ind(f"G{i}", "a", outcome=11) for i in range(7)]
    result = build(rows, {f"G{i}": ("helt" if i else "delvis") for i in range(7)})
    d = result.direction_goals[0]
    assert (len(d.area_goals), d.count("helt"), d.count("delvis")) == (7, 6, 1)
    assert d.summary == (
        "Förvaltningen bedömer att 6 av 7 verksamhetsområdesmål kommer att uppfyllas helt "
        "under året; genom dem bidrar nämnden till kommunfullmäktiges inriktningsmål."
    )
    at_year_end = build(rows, {f"G{i}": "helt" for i in range(7)}, period=12)
    assert at_year_end.direction_goals[0].summary == (
        "7 av 7 verksamhetsområdesmål uppfylldes helt under året; genom dem bidrog nämnden "
        "till kommunfullmäktiges inriktningsmål."
    )


def test_a_cumulative_indicator_is_judged_on_its_share_of_the_year_before_december() -> None:
    """5 medborgardialoger by August against 6 for the year: on track (4 due), not missed."""
    assert goals.period_target(goals.CUMULATIVE, 6.0, None, 8) == 4.0
    assert goals.period_target(goals.CUMULATIVE, 6.0, 3.0, 8) == 3.0  # the nämnd's own
    assert goals.period_target(goals.CUMULATIVE, 6.0, 3.0, 12) == 6.0  # the year is over
    assert goals.period_target(goals.LEVEL, 6.0, None, 8) == 6.0
    assert goals.indicator_status("hogre", 4.0, 5.0, "tertial", 8) == goals.MET
    assert goals.indicator_status("hogre", 6.0, 5.0, "tertial", 12) == goals.NOT_MET


@pytest.mark.parametrize(
    ("better", "outcome", "status"),
    [
        ("nara", 1.2, goals.MET),
        ("nara", -1.5, goals.MET),
        ("nara", 1.6, goals.NOT_MET),
        ("nara", -1.6, goals.NOT_MET),
        ("hogre", -1.5, goals.MET),
        ("hogre", 7.0, goals.MET),
        ("hogre", -1.6, goals.NOT_MET),
        ("lagre", 1.5, goals.MET),
        ("lagre", -7.0, goals.MET),
        ("lagre", 1.6, goals.NOT_MET),
    ],
)
def test_a_tolerance_is_a_band_around_the_target(better: str, outcome: float, status: str) -> None:
    assert goals.indicator_status(better, 0.0, outcome, "tertial", 8, tolerance=1.5) == status


@given(
    st.sampled_from(["hogre", "lagre"]),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(-1e6, 1e6, allow_nan=False),
)
def test_without_a_tolerance_a_level_is_judged_as_before(
    better: str, target: float, outcome: float
) -> None:
    met = outcome >= target if better == "hogre" else outcome <= target
    expected = goals.MET if met else goals.NOT_MET
    # Differences below 1e-9 count as none (floating-point noise in the workbook's values).
    if abs(outcome - target) > 1e-6:
        assert goals.indicator_status(better, target, outcome, "tertial", 8) == expected


def test_the_demo_kinds_come_through_from_mal_xlsx(tmp_path: Path) -> None:
    from budget.app.pipeline import make_report
    from tests.conftest import DEMO

    report = make_report(DEMO, 8, tmp_path, datetime(2017, 9, 12)).report
    found = {
        i.name: i
        for d in goals_section.SECTION.data(report).direction_goals
        for g in d.area_goals
        for i in g.indicators
    }
    dialogues = found["Antal medborgardialoger"]
    assert (dialogues.kind, dialogues.period_target, dialogues.status) == (
        goals.CUMULATIVE,
        4.0,
        goals.MET,
    )
    budget = found["Budgetföljsamhet, prognosavvikelse mot budget"]
    assert (budget.better, budget.tolerance) == (goals.NEAR, 1.5)
    # 4 dialogues by August meet the period's target; only the year's 6 below last year's 8
    # is flagged.
    assert [
        f.code for f in goals_section.SECTION.data(report).flags if f.indicator == dialogues.name
    ] == ["mal-under-foregaende-ar"]


@pytest.mark.parametrize(
    ("month", "direction", "expected"),
    [
        (8, False, "Bedöms uppfyllas helt"),
        (8, True, "Bedöms bidra helt till målet"),
        (12, False, "Uppfylldes helt"),
        (12, True, "Bidrog helt till målet"),
    ],
)
def test_assessments_read_as_a_forecast_before_year_end(
    month: int, direction: bool, expected: str
) -> None:
    from budget.report.labels import assessment_label

    assert assessment_label("helt", month == 12, direction) == expected
    assert "Uppfylls helt" not in assessment_label("helt", month == 12, direction)


def test_near_indicators_are_never_less_ambitious_than_kf() -> None:
    """Issue 26 (mutation audit): for "nära" no side of the target is better."""
    assert not goals.below_kf("nara", 10.0, 5.0)
    assert not goals.below_kf("nara", 5.0, 10.0)
    result = build([ind("G", "a", better="nara", kf=5.0, target=10.0, outcome=10.0)], {"G": "helt"})
    assert codes(result) == []


@pytest.mark.parametrize(
    ("better", "target", "outcome", "status"),
    [
        # In floating point 1.1 − 1.0 = 0.10000000000000009: beyond a tolerance of 0.1 only by
        # noise. On the edge of the band is met.
        ("lagre", 1.0, 1.1, goals.MET),
        ("hogre", 1.1, 1.0, goals.MET),
        ("nara", 1.0, 1.1, goals.MET),
        ("nara", 1.1, 1.0, goals.MET),
        # A ten-millionth beyond the band is a real difference.
        ("lagre", 1.0, 1.1000001, goals.NOT_MET),
        ("hogre", 1.1, 0.9999999, goals.NOT_MET),
        ("nara", 1.0, 0.8999999, goals.NOT_MET),
    ],
)
def test_the_tolerance_edge_is_not_decided_by_float_noise(
    better: str, target: float, outcome: float, status: str
) -> None:
    """Issue 26 (mutation audit)."""
    assert goals.indicator_status(better, target, outcome, "tertial", 8, tolerance=0.1) == status
