"""The core's figures and texts against values worked out by hand (mutation testing found
these unpinned: `make mutants`). No expected value here is computed by the code under test."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import polars as pl
import pytest

from budget.core import changes as ch
from budget.core import fmt, goals
from budget.core.accuracy import Replay, _best, _replay_area
from budget.core.forecast import LeafFacts, forecast
from budget.core.ledger import reconcile, summarise
from budget.core.methods import Method
from budget.core.money import ZERO, Sides, kronor
from budget.core.names import normalize_header
from budget.edge.sheets import ASSESSMENT, CHANGES, INDICATORS
from tests.test_ledger import STRUCTURE, inputs_from


@pytest.mark.parametrize(
    ("ore", "kr"), [(12345, 123.45), (-5, -0.05), (1, 0.01), (100, 1.0), (0, 0.0)]
)
def test_kronor(ore: int, kr: float) -> None:
    assert kronor(ore) == kr


@pytest.mark.parametrize(
    ("value", "decimals", "signed", "text"),
    [
        (1234567, 0, False, "1\u00a0234\u00a0567"),
        (Fraction(1, 3), 2, False, "0,33"),
        (Fraction(-2, 3), 1, False, "\u22120,7"),
        (Decimal("-0.04"), 1, False, "0,0"),  # no "−0,0"
        (Decimal("0.04"), 1, True, "0,0"),  # zero carries no sign
        (Decimal("0.05"), 1, True, "+0,1"),
        (1, 0, True, "+1"),
        (Decimal("-1.5"), 0, True, "\u22122"),
        (2.5, 0, False, "3"),
    ],
)
def test_number(
    value: Decimal | Fraction | float | int, decimals: int, signed: bool, text: str
) -> None:
    assert fmt.number(value, decimals, signed) == text


def test_number_defaults_to_whole_and_unsigned() -> None:
    assert fmt.number(Decimal("1.6")) == "2"
    assert fmt.number(7) == "7"


def test_money_texts() -> None:
    assert fmt.money(250_000_000) == "2,5"  # mnkr by default
    assert fmt.money(250_000_000, signed=True) == "+2,5"
    assert fmt.money(-250_000_000, "tkr", signed=True) == "\u22122\u00a0500"
    assert fmt.money_with_unit(250_000_000) == "2,5\u00a0mnkr"
    assert fmt.money_with_unit(250_000_000, signed=True) == "+2,5\u00a0mnkr"
    assert fmt.exact(-11_001_560) == "\u2212110\u00a0015,60\u00a0kr"
    assert fmt.exact(5) == "0,05\u00a0kr"


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (None, "%", "–"),
        (92.0, "%", "92\u00a0%"),
        (92.5, " % ", "92,5\u00a0%"),
        (6.0, "st", "6"),
        (7.25, None, "7,3"),
        (1500, None, "1\u00a0500"),
    ],
)
def test_indicator_value(value: float | None, unit: str | None, text: str) -> None:
    assert fmt.indicator_value(value, unit) == text


@pytest.mark.parametrize(
    ("name", "inline"),
    [("Äldreomsorg", "äldreomsorg"), ("LSS", "LSS"), ("A", "a"), ("", ""), ("Ab", "ab")],
)
def test_inline(name: str, inline: str) -> None:
    assert fmt.inline(name) == inline


def test_normalize_header_of_nothing_is_empty() -> None:
    assert normalize_header(None) == ""
    assert normalize_header("  Lämnad\u00a0 AV ") == "lamnad av"


def test_method_parse() -> None:
    assert Method.parse("volym") is Method.VOLUME
    assert Method.parse("Volym") is None


def facts(actual: Sides, prior: list[Sides] | None, period: int = 4) -> LeafFacts:
    return LeafFacts(period=period, actual=actual, budget=ZERO, prior_months=prior and tuple(prior))


def test_seasonal_without_a_prior_year() -> None:
    # No prior year: a side with outcome goes linear (400 × 12 / 4 = 1 200), one without is 0.
    result = forecast(Method.SEASONAL, facts(Sides(-400_00, 0), None))
    assert result.value == Sides(-1_200_00, 0)
    assert result.notes == ("linjär för kostnader",)


def test_seasonal_follows_the_prior_year_profile() -> None:
    # Prior year: 100 a month in Jan–Apr, 200 a month after: 400 of 2 000 by April.
    # This year 600 by April: 600 × 2 000 / 400 = 3 000.
    prior = [Sides(-100_00, 0)] * 4 + [Sides(-200_00, 0)] * 8
    result = forecast(Method.SEASONAL, facts(Sides(-600_00, 0), prior))
    assert result.value == Sides(-3_000_00, 0)
    assert result.notes == ()  # revenues: none last year and none now, so 0


def test_seasonal_threshold_is_one_percent_of_the_year() -> None:
    # The prior year to date is exactly 1 % of its full year: enough basis (not below it).
    prior = [Sides(-1_00, 0)] * 4 + [Sides(-49_50, 0)] * 8  # 4 of 400
    at = forecast(Method.SEASONAL, facts(Sides(-8_00, 0), prior))
    assert at.value.costs == -800_00  # 8 × 400 / 4
    # Below 1 %: linear instead (8 × 12 / 4 = 24).
    below = [Sides(-99, 0)] * 4 + [Sides(-49_50, 0)] * 8
    assert forecast(Method.SEASONAL, facts(Sides(-8_00, 0), below)).value.costs == -24_00


def test_seasonal_of_a_side_with_nothing_anywhere_is_zero() -> None:
    prior = [Sides(-100_00, 0)] * 12
    result = forecast(Method.SEASONAL, facts(Sides(-400_00, 0), prior))
    assert result.value == Sides(-1_200_00, 0)
    assert result.notes == ()  # revenues: nothing last year, nothing now: 0, not linear


def test_budget_rest_manual_and_volume() -> None:
    shares = tuple([Fraction(1, 12)] * 12)
    f = LeafFacts(
        4, Sides(-500_00, 0), Sides(-1_200_00, 60_00), None, shares, Sides(-1, 2), Sides(-3, 4)
    )
    # 500 + 1 200 × 8/12 = 1 300; revenues 0 + 60 × 8/12 = 40.
    assert forecast(Method.BUDGET_REST, f).value == Sides(-1_300_00, 40_00)
    assert forecast(Method.MANUAL, f).value == Sides(-1, 2)
    assert forecast(Method.VOLUME, f).value == Sides(-3, 4)
    assert forecast(Method.BUDGET, f).value == Sides(-1_200_00, 60_00)


def test_monthly_leaves_and_reconciliation_of_an_empty_year() -> None:
    monthly = summarise(
        inputs_from([(2016, 1, "100", "5010", 1_00), (2017, 1, "200", "5010", 2_00)]).ledger,
        STRUCTURE,
    )
    assert monthly.leaves(2017) == {("Äldreomsorg", "Hemtjänst")}
    assert monthly.leaves(2016) == {("Förskola", None)}
    assert monthly.leaves() == {("Äldreomsorg", "Hemtjänst"), ("Förskola", None)}
    assert monthly.excluded_ytd(2017, 12) == 0
    rec = reconcile(monthly, 2015, 12, {})
    assert (rec.ledger_rows, rec.ledger_sum, rec.excluded_sum) == (0, 0, 0)
    assert reconcile(monthly, 2017, 12, {"Äldreomsorg": -2_00}).ledger_rows == 1


def test_replay_of_an_area_adds_its_leaves() -> None:
    # Two leaves, 100 and 200 kr in January of 2016: linear at T1 (period 4) is
    # 100 × 12 / 4 = 300 and 200 × 12 / 4 = 600, in report signs −900 kr together.
    monthly = summarise(
        inputs_from([(2016, 1, "200", "5010", 100_00), (2016, 1, "201", "5010", 200_00)]).ledger,
        STRUCTURE,
    )
    leaves = [("Äldreomsorg", "Hemtjänst"), ("Äldreomsorg", "Boende")]
    shares = tuple([Fraction(1, 12)] * 12)
    net = _replay_area(monthly, 2016, 4, leaves, Method.LINEAR, {}, shares, lambda leaf: None)
    assert net == -900_00
    # Volume costs are passed per leaf: 50 kr and 70 kr of volume cost.
    costs = {leaves[0]: 50_00, leaves[1]: 70_00}
    assert _replay_area(monthly, 2016, 4, leaves, Method.VOLUME, {}, shares, costs.get) == -120_00
    assert _replay_area(monthly, 2016, 4, leaves, Method.VOLUME, {}, shares, lambda _: None) is None


def test_best_method_has_the_smallest_mean_error() -> None:
    rows = [
        Replay("A", Method.LINEAR, "T1", 110, 100, 100),  # error 10
        Replay("A", Method.LINEAR, "T2", 130, 100, 100),  # error 30: mean 20
        Replay("A", Method.SEASONAL, "T1", 75, 100, 100),  # error 25: mean 25
    ]
    assert _best(rows) == {"A": Method.LINEAR}


def test_changes_from_their_frame_keep_every_column() -> None:
    frame = pl.DataFrame(
        [
            {
                "kind": "omslutning",
                "status": "begard",
                "area": "Äldreomsorg",
                "subarea": "Hemtjänst",
                "costs": 5,
                "revenues": 5,
                "description": "Statsbidrag",
                "financier": "Socialstyrelsen",
                "diarienummer": "SDN 2017/1",
                "file": "forandringar.xlsx",
                "sheet": "Förändringar",
                "row": 7,
            }
        ],
        schema=CHANGES.schema,
    )
    assert ch.from_frame(frame) == [
        ch.Change(
            "omslutning",
            "begard",
            "Äldreomsorg",
            "Hemtjänst",
            5,
            5,
            "Statsbidrag",
            "Socialstyrelsen",
            "SDN 2017/1",
            "forandringar.xlsx",
            "Förändringar",
            7,
        )
    ]
    assert ch.from_frame(None) == []


def goal_frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    indicators = pl.DataFrame(
        [
            {
                "direction_goal": "Ett Stockholm som håller samman",
                "area_goal": "Trygg ålderdom",
                "indicator": "Nöjda brukare",
                "unit": "%",
                "better": "hogre",
                "kf_target": 90.0,
                "target": 85.0,
                "periodicity": "tertial",
                "outcome": 80.0,
                "last_year": 88.0,
                "file": "mal.xlsx",
                "sheet": "Indikatorer",
                "row": 2,
            },
            {
                "direction_goal": "Ett Stockholm som håller samman",
                "area_goal": "Trygg ålderdom",
                "indicator": "Väntetid (dagar)",
                "unit": None,
                "better": "lagre",
                "kf_target": 30.0,
                "target": 30.0,
                "periodicity": "ar",
                "outcome": None,
                "last_year": None,
                "file": "mal.xlsx",
                "sheet": "Indikatorer",
                "row": 3,
            },
        ],
        schema=INDICATORS.schema,
    )
    assessments = pl.DataFrame(
        [
            {
                "level": "vomal",
                "goal": "Trygg ålderdom",
                "assessment": "helt",
                "comment": "Goda resultat.",
                "file": "mal.xlsx",
                "sheet": "Bedömningar",
                "row": 2,
            },
            {
                "level": "inriktningsmal",
                "goal": "Ett Stockholm som håller samman",
                "assessment": "delvis",
                "comment": "Bidrar.",
                "file": "mal.xlsx",
                "sheet": "Bedömningar",
                "row": 3,
            },
        ],
        schema=ASSESSMENT.schema,
    )
    return indicators, assessments


def test_goal_hierarchy_keeps_every_field() -> None:
    built = goals.build(*goal_frames(), 8)
    (direction,) = built.direction_goals
    assert (direction.name, direction.assessment, direction.comment) == (
        "Ett Stockholm som håller samman",
        "delvis",
        "Bidrar.",
    )
    (goal,) = direction.area_goals
    assert (goal.name, goal.assessment, goal.comment) == (
        "Trygg ålderdom",
        "helt",
        "Goda resultat.",
    )
    first, second = goal.indicators
    assert first == goals.Indicator(
        "Nöjda brukare", "%", "hogre", 90.0, 85.0, "tertial", 80.0, 88.0, goals.NOT_MET, True
    )
    # An annual indicator before December has no outcome yet: not a failure.
    assert (second.name, second.better, second.periodicity, second.status, second.below_kf) == (
        "Väntetid (dagar)",
        "lagre",
        "ar",
        goals.ANNUAL,
        False,  # the same target as KF's is not below it
    )


def test_goal_flags_say_what_is_wrong_in_words() -> None:
    built = goals.build(*goal_frames(), 8)
    assert [(f.code, f.goal, f.indicator, f.message) for f in built.flags] == [
        (
            "lagre-an-kf",
            "Trygg ålderdom",
            "Nöjda brukare",
            "Nämndens årsmål (85) är lägre satt än KF:s (90) för en indikator där högre är bättre.",
        ),
        (
            "bedomning-avviker",
            "Trygg ålderdom",
            "Nöjda brukare",
            "Målet bedöms uppfyllas helt, men indikatorn når inte nämndens årsmål (80 mot 85).",
        ),
    ]


def test_goal_flag_texts_for_missing_parts() -> None:
    lower = goals.Indicator(
        "Kö", None, "lagre", 10.0, 12.0, "tertial", None, None, goals.MISSING, True
    )
    (below,) = goals._flags("Mål", "delvis", [lower])
    assert below.message == (
        "Nämndens årsmål (12) är lägre satt än KF:s (10) för en indikator där lägre är bättre."
    )
    (unassessed,) = goals._flags("Mål", None, [replace_status(lower, goals.MET)])[1:]
    assert (unassessed.code, unassessed.message) == (
        "mal-utan-bedomning",
        "Målet har indikatorer men ingen bedömning.",
    )
    (no_ind,) = goals._flags("Mål", "helt", [])
    assert (no_ind.code, no_ind.message) == (
        "mal-utan-indikator",
        "Målet är bedömt men saknar indikatorer.",
    )
    annual = goals.Indicator("X", None, "hogre", None, 1.0, "ar", None, None, goals.ANNUAL, False)
    (none,) = goals._flags("Mål", "helt", [annual, annual])
    assert none.message == (
        "Målet bedöms uppfyllas helt, men ingen av dess 2 indikatorer har periodutfall."
    )
    met = goals.Indicator("X", None, "hogre", None, 1.0, "tertial", 2.0, None, goals.MET, False)
    (deviates,) = goals._flags("Mål", "ej", [met])
    assert deviates.message == (
        "Målet bedöms inte uppfyllas, men alla indikatorer med utfall når sina årsmål."
    )


def replace_status(ind: goals.Indicator, status: str) -> goals.Indicator:
    from dataclasses import replace

    return replace(ind, status=status)


@pytest.mark.parametrize(
    ("better", "target", "kf", "below"),
    [
        ("hogre", 89.0, 90.0, True),
        ("hogre", 90.0, 90.0, False),
        ("lagre", 31.0, 30.0, True),
        ("lagre", 30.0, 30.0, False),
        ("hogre", None, 30.0, False),
    ],
)
def test_below_kf_boundaries(better: str, target: float | None, kf: float, below: bool) -> None:
    assert goals.below_kf(better, target, kf) is below
