"""Forecast methods: hand-computed figures and the properties every method must keep."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budget.core.forecast import LeafFacts, MissingBasis, budget_shares, forecast
from budget.core.money import Sides, round_ore

BUDGET = Sides(-1200, 120)
METHODS = ("linjar", "sasong", "budgetrest", "budget", "manuell")


def facts(
    period: int,
    actual: Sides,
    budget: Sides = BUDGET,
    prior: list[Sides] | None = None,
    manual: Sides | None = None,
    shares: tuple[Fraction, ...] | None = None,
) -> LeafFacts:
    return LeafFacts(
        period=period,
        actual=actual,
        budget=budget,
        prior_months=tuple(prior) if prior is not None else None,
        budget_shares=shares or tuple(Fraction(1, 12) for _ in range(12)),
        manual=manual,
    )


def test_linear_is_actual_times_twelve_over_period() -> None:
    result = forecast("linjar", facts(8, Sides(-800, 100)))
    assert result.value == Sides(-1200, 150)


def test_linear_rounds_half_away_from_zero_once() -> None:
    # -1001 * 12 / 8 = -1501.5 -> -1502; 1 * 12 / 8 = 1.5 -> 2
    assert forecast("linjar", facts(8, Sides(-1001, 1))).value == Sides(-1502, 2)


def test_seasonal_uses_last_years_profile() -> None:
    # Last year: 100 a month except July 40 and December 160; full year 1200.
    prior = [Sides(-100, 10)] * 12
    prior[6] = Sides(-40, 10)
    prior[11] = Sides(-160, 10)
    # Jan–Aug last year: 7 * 100 + 40 = 740; this year 814 -> 814 * 1200 / 740 = 1320
    result = forecast("sasong", facts(8, Sides(-814, 88), prior=prior))
    assert result.value == Sides(-1320, 132)
    assert result.notes == ()


def test_seasonal_falls_back_to_linear_without_basis() -> None:
    prior = [Sides(0, 0)] * 11 + [Sides(-1000, 0)]  # nothing before December
    result = forecast("sasong", facts(8, Sides(-800, 0), prior=prior))
    assert result.value == Sides(-1200, 0)
    assert result.notes == ("linjär för kostnader",)
    no_prior = forecast("sasong", facts(4, Sides(-400, 40)))
    assert no_prior.value == Sides(-1200, 120)
    assert len(no_prior.notes) == 2


def test_budget_rest_spreads_the_revised_budget_by_profile() -> None:
    shares = tuple([Fraction(1, 10)] * 8 + [Fraction(1, 20)] * 4)  # 0.8 + 0.2
    result = forecast(
        "budgetrest", facts(8, Sides(-900, 80), budget=Sides(-1000, 100), shares=shares)
    )
    assert result.value == Sides(-900 - 200, 80 + 20)


def test_budget_and_manual() -> None:
    assert forecast("budget", facts(4, Sides(-1, 1))).value == Sides(-1200, 120)
    assert forecast("manuell", facts(4, Sides(-1, 1), manual=Sides(-5, 6))).value == Sides(-5, 6)
    with pytest.raises(MissingBasis):
        forecast("manuell", facts(4, Sides(-1, 1)))


def test_budget_shares_choose_area_then_common_then_even() -> None:
    rows = [(None, m, 1 / 12) for m in range(1, 13)] + [("A", 1, 0.5), ("A", 2, 0.5)]
    assert budget_shares(rows, "A")[:3] == (Fraction(1, 2), Fraction(1, 2), Fraction(0))
    assert budget_shares(rows, "B")[0] == Fraction(1, 12)
    assert budget_shares([], "B") == tuple(Fraction(1, 12) for _ in range(12))


amounts = st.integers(min_value=-(10**12), max_value=10**12)
sides = st.builds(Sides, amounts, amounts)


@given(st.integers(1, 12), st.integers(-(10**9), 10**9), st.integers(-(10**9), 10**9))
def test_linear_is_exact_on_a_flat_series(period: int, cost: int, revenue: int) -> None:
    actual = Sides(cost * period, revenue * period)
    assert forecast("linjar", facts(period, actual)).value == Sides(cost * 12, revenue * 12)


# Months within a factor five of each other: the year-to-date is always a real basis (>= 1 %).
@given(
    st.integers(1, 11),
    st.lists(st.integers(-(10**8), -2 * 10**7), min_size=12, max_size=12),
    st.integers(1, 5),
)
def test_seasonal_is_exact_when_this_year_is_k_times_last_year(
    period: int, months: list[int], k: int
) -> None:
    prior = [Sides(m, -m // 10) for m in months]
    actual = Sides(
        sum(k * m for m in months[:period]), sum(k * (-m // 10) for m in months[:period])
    )
    result = forecast("sasong", facts(period, actual, prior=prior))
    assert result.value == Sides(k * sum(months), k * sum(-m // 10 for m in months))
    assert result.notes == ()


@given(st.sampled_from(METHODS), sides, sides, sides)
def test_every_method_returns_the_actual_at_period_twelve(
    method: str, actual: Sides, budget: Sides, manual: Sides
) -> None:
    result = forecast(
        method, facts(12, actual, budget=budget, manual=manual, prior=[Sides(-1, 1)] * 12)
    )
    assert result.value == actual


@given(st.fractions(min_value=-(10**9), max_value=10**9))
def test_rounding_is_never_more_than_half_an_ore(value: Fraction) -> None:
    assert abs(round_ore(value) - value) <= Fraction(1, 2)


@given(
    st.sampled_from([*METHODS, "volym"]),
    st.integers(1, 11),
    sides,
    sides,
    st.integers(0, 10**10),
)
def test_an_omslutning_never_moves_the_net_and_follows_both_sides_where_the_ledger_drives(
    method: str, period: int, actual: Sides, manual: Sides, amount: int
) -> None:
    """Issue 13: a turnover change must not show as a cost and a revenue deviation."""
    from dataclasses import replace

    from budget.core.forecast import TURNOVER_ADDED
    from budget.core.methods import Method

    turnover = Sides(-amount, amount)
    base = replace(facts(period, actual, manual=manual, prior=[Sides(-10, 1)] * 12), volume=manual)
    without = forecast(method, base)
    with_it = forecast(method, replace(base, turnover=turnover))
    assert with_it.value.net == without.value.net
    if Method(method) in TURNOVER_ADDED:
        assert with_it.value == without.value + turnover
        assert with_it.turnover == turnover
    else:
        assert with_it.value == without.value


def test_each_method_is_one_record_and_the_tables_are_its_views() -> None:
    """Issue 26: the behaviour tables, spelled out as the contract (§2, §9) and issue 13 say.

    Written here by hand, not derived, so that a record changed by mistake fails a test.
    """
    from budget.core.forecast import (
        FOLLOWS_OUTCOME,
        METHODS,
        REPLAYABLE,
        RESERVES,
        TURNOVER_ADDED,
        Basis,
    )
    from budget.core.methods import Method as M

    assert list(METHODS) == list(M)
    assert all(r.method is m for m, r in METHODS.items())
    # The track record replays all but the units' own forecasts, in the report's order.
    assert REPLAYABLE == (M.LINEAR, M.SEASONAL, M.BUDGET_REST, M.BUDGET, M.VOLUME)
    # Run-rate methods carry an omslutningsförändring on both sides (issue 13).
    assert {M.LINEAR, M.SEASONAL, M.VOLUME} == TURNOVER_ADDED
    assert {M.LINEAR, M.SEASONAL, M.BUDGET_REST, M.VOLUME} == FOLLOWS_OUTCOME
    # [prognos] reserv: linjar | sasong | budgetrest | budget (contract §2).
    assert RESERVES == (M.LINEAR, M.SEASONAL, M.BUDGET_REST, M.BUDGET)
    assert METHODS[M.MANUAL].needs == {Basis.UNIT_FORECASTS}
    assert METHODS[M.VOLUME].needs == {Basis.VOLUMES}
    assert METHODS[M.SEASONAL].fallback is M.LINEAR
    assert METHODS[M.MANUAL].fallback == "reserv"
    assert [r.label for r in METHODS.values()] == [
        "Linjär",
        "Säsong",
        "Utfall + budgetrest",
        "Budget",
        "Manuell",
        "Volym × pris",
    ]
