"""Full-year forecasts (helårsprognos) per leaf and side.

Each method is a pure function of a ``LeafFacts``: the leaf's actual to date,
the prior year's months, its revised budget and budget profile, and the unit
managers' manual forecast. Amounts are öre in report signs; exact fractions are
rounded once per side by ``round_ore``. At period 12 every method returns the
actual: the year is closed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Literal

from budget.core.ledger import LeafKey, Monthly
from budget.core.methods import Method
from budget.core.money import ZERO, Sides, round_ore

SIDES = ("costs", "revenues")
# Below this share of the prior year's full year, the prior year-to-date is no
# basis for a seasonal profile.
SEASONAL_MIN_SHARE = Fraction(1, 100)


@dataclass(frozen=True)
class LeafFacts:
    """What a forecast method may use for one leaf."""

    period: int
    actual: Sides
    budget: Sides
    prior_months: tuple[Sides, ...] | None = None
    budget_shares: tuple[Fraction, ...] = tuple(Fraction(1, 12) for _ in range(12))
    manual: Sides | None = None
    volume: Sides | None = None
    # The leaf's omslutningsförändringar (granted and requested) in report signs: net zero.
    turnover: Sides = ZERO


@dataclass(frozen=True)
class Forecast:
    """A leaf's forecast, the method used and why it differs from the one chosen."""

    value: Sides
    method: Method
    notes: tuple[str, ...] = field(default_factory=tuple)
    # The omslutningsförändringar added to both sides (see ``TURNOVER_ADDED``).
    turnover: Sides = ZERO


class MissingBasis(Exception):
    """The chosen method has no data for this leaf (e.g. manuell without a prognos row)."""


def linear(actual: int, period: int) -> Fraction:
    return Fraction(actual * 12, period)


def _seasonal_side(facts: LeafFacts, side: str) -> Fraction | None:
    if facts.prior_months is None:
        return Fraction(0) if facts.actual.side(side) == 0 else None
    full = sum(m.side(side) for m in facts.prior_months)
    ytd = sum(m.side(side) for m in facts.prior_months[: facts.period])
    actual = facts.actual.side(side)
    if full == 0 and ytd == 0 and actual == 0:
        return Fraction(0)
    if ytd == 0 or abs(Fraction(ytd)) < SEASONAL_MIN_SHARE * abs(full):
        return None
    return Fraction(actual * full, ytd)


def _by_side(fn_costs: Fraction, fn_revenues: Fraction) -> Sides:
    return Sides(round_ore(fn_costs), round_ore(fn_revenues))


def _linear(facts: LeafFacts) -> tuple[Sides, tuple[str, ...]]:
    p = facts.period
    return _by_side(linear(facts.actual.costs, p), linear(facts.actual.revenues, p)), ()


def _seasonal(facts: LeafFacts) -> tuple[Sides, tuple[str, ...]]:
    """The prior year's profile; a side without basis in it falls back to linear."""
    values: dict[str, Fraction] = {}
    fallback: list[str] = []
    for side in SIDES:
        seasonal = _seasonal_side(facts, side)
        if seasonal is None:
            fallback.append(side)
            values[side] = linear(facts.actual.side(side), facts.period)
        else:
            values[side] = seasonal
    # Named by the record's fallback: "linjär för kostnader".
    label = METHODS[Method.SEASONAL].fallback_label
    notes = tuple(f"{label} för {'kostnader' if s == 'costs' else 'intäkter'}" for s in fallback)
    return _by_side(values["costs"], values["revenues"]), notes


def _budget_rest(facts: LeafFacts) -> tuple[Sides, tuple[str, ...]]:
    remaining = sum(facts.budget_shares[facts.period :], Fraction(0))
    return _by_side(
        facts.actual.costs + facts.budget.costs * remaining,
        facts.actual.revenues + facts.budget.revenues * remaining,
    ), ()


def _budget(facts: LeafFacts) -> tuple[Sides, tuple[str, ...]]:
    return facts.budget, ()


def _manual(facts: LeafFacts) -> tuple[Sides, tuple[str, ...]]:
    if facts.manual is None:
        raise MissingBasis(Method.MANUAL)
    return facts.manual, ()


def _volume(facts: LeafFacts) -> tuple[Sides, tuple[str, ...]]:
    if facts.volume is None:
        raise MissingBasis(Method.VOLUME)
    return facts.volume, ()


Function = Callable[[LeafFacts], tuple[Sides, tuple[str, ...]]]


class Basis(StrEnum):
    """What a method reads beyond the leaf's ledger to date."""

    PRIOR_YEAR = "foregaende-ar"  # last year's months, for the seasonal profile
    BUDGET = "budget"  # the year's (revised) budget and its periodisation
    UNIT_FORECASTS = "enheternas-prognoser"  # the units' own forecasts (prognos.xlsx, underlag)
    VOLUMES = "volymer"  # volymer.xlsx: volume × price per measure and month


# A method's fallback when a leaf lacks its basis: another method, or the nämnd's reserve
# method (``[prognos] reserv``, ``Settings.fallback_method``).
RESERVE: Literal["reserv"] = "reserv"


@dataclass(frozen=True)
class MethodRecord:
    """One forecast method: what it computes, how the report names it, how it behaves.

    Every table of behaviour (which methods replay, add omslutningsförändringar, follow the
    outcome, may stand in as the reserve) is a view of these records (``METHODS``).
    """

    method: Method
    function: Function
    label: str  # the report's name of it
    # The track record can replay it on a past year (not so a unit's own forecast: the units'
    # past forecasts are not kept).
    replayable: bool
    # It extrapolates the ledger's run-rate: an omslutningsförändring finances activity beyond
    # the budget the run-rate grew from, so its amounts are added to both sides (net zero) and
    # the cost and revenue deviations show the business, not the budget change. The others
    # carry it already: `budget` and `budgetrest` through the revised budget, `manuell`
    # through the units' own forecast.
    turnover_added: bool
    # Its forecast follows the outcome: a change of it since the last report is explained by
    # the outcome.
    follows_outcome: bool
    needs: frozenset[Basis]
    # Where a leaf lacks what it needs: a method (per side), the reserve, or none (an error
    # in the checks, e.g. E209 for `volym` without volumes).
    fallback: Method | Literal["reserv"] | None
    # Where only a unit's own ledger rows and budget are at hand (a resultatenhet without a
    # forecast of its own, contract §6) and it lacks its basis there: the method that stands
    # in. None: it has its basis in any unit's rows.
    unit_fallback: Method | None = None

    @property
    def can_be_reserve(self) -> bool:
        """It may be named ``[prognos] reserv``: it stands in for a leaf without a unit
        forecast, so it may need only what every leaf has (the ledger and the budget) or
        fall back to another method where the leaf lacks it."""
        return self.needs <= {Basis.BUDGET} or isinstance(self.fallback, Method)

    @property
    def fallback_label(self) -> str:
        """Its method fallback as a note names it ("linjär")."""
        assert isinstance(self.fallback, Method)
        return METHODS[self.fallback].label.lower()


# The registry, in the order the report lists the methods (the Method enum's order).
METHODS: dict[Method, MethodRecord] = {
    r.method: r
    for r in (
        MethodRecord(
            Method.LINEAR,
            _linear,
            "Linjär",
            replayable=True,
            turnover_added=True,
            follows_outcome=True,
            needs=frozenset(),
            fallback=None,
        ),
        MethodRecord(
            Method.SEASONAL,
            _seasonal,
            "Säsong",
            replayable=True,
            turnover_added=True,
            follows_outcome=True,
            needs=frozenset({Basis.PRIOR_YEAR}),
            fallback=Method.LINEAR,
        ),
        MethodRecord(
            Method.BUDGET_REST,
            _budget_rest,
            "Utfall + budgetrest",
            replayable=True,
            turnover_added=False,
            follows_outcome=True,
            needs=frozenset({Basis.BUDGET}),
            fallback=None,
        ),
        MethodRecord(
            Method.BUDGET,
            _budget,
            "Budget",
            replayable=True,
            turnover_added=False,
            follows_outcome=False,
            needs=frozenset({Basis.BUDGET}),
            fallback=None,
        ),
        MethodRecord(
            Method.MANUAL,
            _manual,
            "Manuell",
            replayable=False,
            turnover_added=False,
            follows_outcome=False,
            needs=frozenset({Basis.UNIT_FORECASTS}),
            fallback=RESERVE,
            unit_fallback=Method.LINEAR,
        ),
        MethodRecord(
            Method.VOLUME,
            _volume,
            "Volym × pris",
            replayable=True,
            turnover_added=True,
            follows_outcome=True,
            needs=frozenset({Basis.VOLUMES}),
            fallback=None,
            unit_fallback=Method.LINEAR,
        ),
    )
}
assert tuple(METHODS) == tuple(Method), "one record per method, in the enum's order"

# Views of the registry.
REPLAYABLE = tuple(m for m, r in METHODS.items() if r.replayable)
TURNOVER_ADDED = frozenset(m for m, r in METHODS.items() if r.turnover_added)
FOLLOWS_OUTCOME = frozenset(m for m, r in METHODS.items() if r.follows_outcome)
RESERVES = tuple(m for m, r in METHODS.items() if r.can_be_reserve)


def forecast(method: Method, facts: LeafFacts) -> Forecast:
    """The full-year forecast of one leaf with ``method``; see the module docstring."""
    if facts.period == 12:
        return Forecast(facts.actual, method)
    record = METHODS[method]
    value, notes = record.function(facts)
    if record.turnover_added and facts.turnover != ZERO:
        return Forecast(value + facts.turnover, method, notes, facts.turnover)
    return Forecast(value, method, notes)


def budget_shares(
    periodisation: list[tuple[str | None, int, float]], area: str
) -> tuple[Fraction, ...]:
    """Monthly budget shares for an area: its own rows, else the all-areas rows, else 1/12."""
    own = {p: s for a, p, s in periodisation if a == area}
    common = {p: s for a, p, s in periodisation if a is None}
    chosen = own or common
    if not chosen:
        return tuple(Fraction(1, 12) for _ in range(12))
    return tuple(Fraction(chosen.get(m, 0.0)).limit_denominator(10**9) for m in range(1, 13))


def leaf_facts(
    monthly: Monthly,
    year: int,
    period: int,
    leaf: LeafKey,
    budget: Sides,
    shares: tuple[Fraction, ...],
    manual: Sides | None = None,
    volume_cost: int | None = None,
    turnover: Sides = ZERO,
) -> LeafFacts:
    """What a forecast method may use for one leaf in one year (also for replays)."""
    actual = monthly.ytd(year, leaf, period)
    volume = None
    if volume_cost is not None:
        # Volumes drive the costs; revenues follow the linear run-rate.
        volume = Sides(-volume_cost, round_ore(linear(actual.revenues, period)))
    return LeafFacts(
        period=period,
        actual=actual,
        budget=budget,
        prior_months=(
            tuple(monthly.month(year - 1, leaf, m) for m in range(1, 13))
            if monthly.has(year - 1, leaf)
            else None
        ),
        budget_shares=shares,
        manual=manual,
        volume=volume,
        turnover=turnover,
    )
