"""Goals: indicator status (direction-aware), summaries and every audit flag."""

from __future__ import annotations

import polars as pl
import pytest

from budget.core import goals
from budget.edge.sheets import ASSESSMENT, INDICATORS


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
    assert codes(result) == [("lagre-an-kf", "G", "a")]


def test_goal_without_indicator_or_without_assessment() -> None:
    result = build([ind("G", None), ind("H", "a", outcome=11)], {"G": "helt"})
    assert codes(result) == [("mal-utan-indikator", "G", None), ("mal-utan-bedomning", "H", None)]


def test_summary_sentence_counts_as_the_protocol_writes() -> None:
    rows = [ind(f"G{i}", "a", outcome=11) for i in range(7)]
    result = build(rows, {f"G{i}": ("helt" if i else "delvis") for i in range(7)})
    d = result.direction_goals[0]
    assert (len(d.area_goals), d.count("helt"), d.count("delvis")) == (7, 6, 1)
    assert d.summary == (
        "Förvaltningen bedömer att 6 av 7 verksamhetsområdesmål uppfylls helt "
        "och därmed bidrar till att uppfylla inriktningsmålet."
    )
