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
from budget.core.ledger import DrillLine, budget_by_leaf, drill_down, reconcile, summarise
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
        "Nöjda brukare",
        "%",
        "hogre",
        90.0,
        85.0,
        "tertial",
        80.0,
        88.0,
        goals.NOT_MET,
        True,
        kind=goals.LEVEL,
        # A level is judged on the year's target, the more ambitious of KF's 90 and the
        # nämnd's 85.
        period_target=90.0,
        judged_target=90.0,
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
            "Nämndens årsmål (85\u00a0%) är mindre ambitiöst än KF:s (90\u00a0%); för indikatorn "
            "är ett högre värde bättre.",
        ),
        (
            "bedomning-avviker",
            "Trygg ålderdom",
            "Nöjda brukare",
            "Målet bedöms uppfyllas helt, men indikatorn når inte KF:s årsmål "
            "(80\u00a0% mot 90\u00a0%).",
        ),
    ]


def test_goal_flag_texts_for_missing_parts() -> None:
    lower = goals.Indicator(
        "Kö", None, "lagre", 10.0, 12.0, "tertial", None, None, goals.MISSING, True
    )
    (below,) = goals._flags("Mål", "delvis", [lower])
    assert below.message == (
        "Nämndens årsmål (12) är mindre ambitiöst än KF:s (10); för indikatorn är ett lägre "
        "värde bättre."
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
    (one,) = goals._flags("Mål", "helt", [annual])
    assert (
        one.message
        == "Målet bedöms uppfyllas helt, men dess enda indikator har inget periodutfall."
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


def test_sides_arithmetic_and_kronor() -> None:
    a, b = Sides(-300, 100), Sides(-100, 50)
    assert a - b == Sides(-200, 50)
    assert -a == Sides(300, -100)
    assert a.as_kronor() == {"costs": -3.0, "revenues": 1.0, "net": -2.0}


def test_whole_kronor_and_percent() -> None:
    assert fmt.whole_kronor(250_000_050) == "2\u00a0500\u00a0001"  # 2 500 000,50 kr rounds up
    assert fmt.whole_kronor(-149) == "\u22121"
    assert fmt.percent(None) == "–"
    assert fmt.percent(12.345) == "12,3\u00a0%"
    assert fmt.percent(12.345, 2) == "12,35\u00a0%"


@pytest.mark.parametrize(
    ("suffix", "month"),
    [("T1", 4), ("T2", 8), ("helar", 12), ("05", 5), ("11", 11), ("t1", None), ("x", None)],
)
def test_month_of_a_report_suffix(suffix: str, month: int | None) -> None:
    from budget.core.period import month_of_suffix

    assert month_of_suffix(suffix) == month


def test_tertial_spellings() -> None:
    from budget.core.period import Tertial

    assert [Tertial.parse(t) for t in (" T1 ", "t2", "helår", "Helar", "T3", "T4")] == [
        Tertial.T1,
        Tertial.T2,
        Tertial.YEAR,
        Tertial.YEAR,
        Tertial.YEAR,
        None,
    ]


def test_largest_remainder_gives_the_missing_ore_to_the_largest_fractions() -> None:
    # Costs of 0,4 + 0,4 + 0,2 öre: in report signs −0,4, −0,4 and −0,2, floored to −1 öre
    # each (−3), while the ledger sums to exactly −1 öre. The two öre lacking go to the
    # largest remainders above the floors: −0,2 (Förskola) and, of the two −0,4, the first by
    # name (Boende). So Hemtjänst alone shows −1 öre.
    rows = [
        (2017, 1, "200", "5010", 0),
        (2017, 1, "201", "5010", 0),
        (2017, 1, "100", "5010", 0),
    ]
    ledger = inputs_from(rows).ledger.with_columns(
        pl.Series("amount", [4_000, 4_000, 2_000], dtype=pl.Int128)
    )
    ytd = summarise(ledger, STRUCTURE).rounded_ytd(2017, 1)
    assert ytd == {
        (("Äldreomsorg", "Hemtjänst"), "costs"): -1,
        (("Äldreomsorg", "Boende"), "costs"): 0,
        (("Förskola", None), "costs"): 0,
        (None, "excluded"): 0,
    }


def test_budget_per_leaf_in_report_signs() -> None:
    budget = inputs_from([]).budget  # Förskola: 5010 120 000 kr; Äldreomsorg: 3410 −10 000 kr
    assert budget_by_leaf(budget, STRUCTURE, 2017) == {
        ("Förskola", None): Sides(-120_000_00, 0),
        ("Äldreomsorg", "Hemtjänst"): Sides(0, 10_000_00),
    }
    assert budget_by_leaf(budget, STRUCTURE, 2016) == {}


def test_drill_down_by_every_dimension() -> None:
    # Förskola: 1 000 kr of staff costs (5010) and 300 kr of revenues (3410) on ansvar A,
    # and 200 kr on a balance account (1930), which the drill-down leaves out.
    ledger = inputs_from(
        [
            (2017, 1, "100", "5010", 1_000_00),
            (2017, 1, "100", "3410", -300_00),
            (2017, 1, "100", "1930", 200_00),
        ]
    ).ledger
    structure = STRUCTURE.with_columns(
        pl.when(pl.col("verksamhet") == "100").then(pl.lit("Förskolor")).alias("name")
    )
    units = pl.DataFrame({"ansvar": ["A"], "unit": ["Förskolan Solen"], "regi": [None]})
    drill = drill_down(ledger, structure, units, 2017, 12)["Förskola"]
    assert drill["class"] == [
        DrillLine("3", "Intäkter (klass 3)", Sides(0, 300_00)),
        DrillLine("5", "Personalkostnader (klass 5)", Sides(-1_000_00, 0)),
    ]
    assert drill["verksamhet"] == [DrillLine("100", "Förskolor", Sides(-1_000_00, 300_00))]
    assert drill["ansvar"] == [DrillLine("A", "Förskolan Solen", Sides(-1_000_00, 300_00))]
    without = drill_down(ledger, structure, None, 2017, 12)["Förskola"]["ansvar"]
    assert without == [DrillLine("A", None, Sides(-1_000_00, 300_00))]


def volume_rows(rows: list[tuple[object, ...]]) -> pl.DataFrame:
    from budget.edge.sheets import VOLUMES

    names = ["area", "subarea", "measure", "year", "period", "budget_volume", "volume", "price"]
    return pl.DataFrame(
        [{**dict(zip(names, r, strict=True)), "file": "v", "sheet": "V", "row": 2} for r in rows],
        schema=VOLUMES.schema,
    )


def test_volume_measures_take_the_price_in_force_at_the_period() -> None:
    from budget.core.methods import VolumeRest
    from budget.core.volumes import measures

    frame = volume_rows(
        [
            ("Förskola", None, "Barn", 2017, 1, 10.0, 9.0, 100.0),
            ("Förskola", None, "Barn", 2017, 2, 10.0, 11.0, 100.0),
            ("Förskola", None, "Barn", 2017, 3, 10.0, 12.0, 120.0),
            ("Förskola", "Öppen", "Barn", 2017, 1, 5.0, 5.0, 50.0),
            ("Förskola", None, "Timmar", 2017, 1, 1.0, 1.0, 7.0),
        ]
    )
    at2, sub, hours = measures(frame, 2017, 2, VolumeRest.RUN_RATE)
    assert (at2.subarea, at2.measure, at2.price) == (None, "Barn", 100.0)
    assert at2.actual[:3] == (9.0, 11.0, None)  # March is after the period
    assert at2.budget[:4] == (10.0, 10.0, 10.0, None)
    assert (sub.subarea, sub.price, hours.measure, hours.price) == ("Öppen", 50.0, "Timmar", 7.0)
    (at3, _, _) = measures(frame, 2017, 3, VolumeRest.RUN_RATE)
    assert at3.price == 120.0
    # Before any price of the year: the first one.
    late = volume_rows([("Förskola", None, "Barn", 2017, 5, 1.0, None, 90.0)])
    (early,) = measures(late, 2017, 2, VolumeRest.RUN_RATE)
    assert early.price == 90.0


def test_account_classes_4_to_7_are_costs() -> None:
    from budget.core.ledger import side_expr

    frame = pl.DataFrame(
        {"konto": ["3410", "4010", "5010", "6110", "7910", "1930", "2920", "8410"]}
    )
    assert frame.select(side_expr().alias("side"))["side"].to_list() == [
        "revenues",
        "costs",
        "costs",
        "costs",
        "costs",
        "excluded",
        "excluded",
        "excluded",
    ]


def test_monthly_series_per_side_and_month() -> None:
    # Revenues only on Boende (201): 50 kr in February.
    monthly = summarise(inputs_from([(2017, 2, "201", "3410", -50_00)]).ledger, STRUCTURE)
    leaf = ("Äldreomsorg", "Boende")
    assert monthly.has(2017, leaf)
    assert not monthly.has(2016, leaf)
    assert monthly.month(2017, leaf, 2) == Sides(0, 50_00)
    assert monthly.month(2017, leaf, 1) == ZERO
    assert monthly.month(2016, leaf, 2) == ZERO
    assert monthly.months_with_rows(2017) == [2]
    assert monthly.ledger_ytd(2017, 12) == -50_00
    assert monthly.ledger_ytd(2015, 12) == 0


@pytest.mark.parametrize(
    ("value", "ore"),
    [
        (Fraction(1, 2), 1),
        (Fraction(-1, 2), -1),
        (Fraction(3, 4), 1),
        (Fraction(1, 4), 0),
        (Fraction(-5, 4), -1),
        (Fraction(0), 0),
        (7, 7),
    ],
)
def test_round_ore_half_away_from_zero(value: Fraction | int, ore: int) -> None:
    from budget.core.money import round_ore

    assert round_ore(value) == ore


def test_cells_name_a_cell_by_its_column_letter() -> None:
    from budget.core.frames import Cells

    cells = Cells({("budget.xlsx", "Budget"): {"Konto": "C"}})
    assert cells.cell("budget.xlsx", "Budget", "Konto", 5) == "C5"
    assert cells.cell("budget.xlsx", "Budget", "År", 5) == "rad 5"
    assert cells.cell("other.xlsx", "Budget", "Konto", 5) == "rad 5"


def test_inline_keeps_two_letter_acronyms() -> None:
    assert fmt.inline("AB") == "AB"


def test_bridge_steps_per_leaf_and_kind() -> None:
    leaf = ("Äldreomsorg", "Hemtjänst")
    changes = [
        ch.Change(ch.TURNOVER, ch.GRANTED, *leaf, 10, 10, "a"),
        ch.Change(ch.ADJUSTMENT, ch.GRANTED, *leaf, 20, 0, "b"),
        ch.Change(ch.ADJUSTMENT, ch.REQUESTED, *leaf, 0, 30, "c"),
        ch.Change(ch.TURNOVER, ch.REQUESTED, *leaf, 40, 40, "d"),
    ]
    assert [ch.step_of(c) for c in changes] == [
        "granted_turnover",
        "granted_adjustments",
        "requested",
        "requested",
    ]
    bridge = ch.bridge({leaf: Sides(-1_000, 100)}, changes)
    # Costs rise by 10 + 20 + 40, revenues by 10 + 30 + 40.
    assert bridge.revised(leaf) == Sides(-1_070, 180)
    assert bridge.steps[leaf]["granted_turnover"] == Sides(-10, 10)
    # Only the requested adjustment moves the net budget now: +30.
    assert ch.requested_adjustment(changes) == 30
    assert ch.requested_turnover(changes) == 40


def test_seasonal_with_a_prior_year_of_nothing_goes_linear() -> None:
    prior = [ZERO] * 12
    result = forecast(Method.SEASONAL, facts(Sides(-400_00, 100_00), prior))
    assert result.value == Sides(-1_200_00, 300_00)
    assert result.notes == ("linjär för kostnader", "linjär för intäkter")
    assert result.method is Method.SEASONAL


def test_a_closed_year_is_its_outcome_whatever_the_method() -> None:
    result = forecast(Method.BUDGET, facts(Sides(-5, 7), None, period=12))
    assert (result.value, result.method) == (Sides(-5, 7), Method.BUDGET)


def test_budget_shares_own_common_or_even() -> None:
    from budget.core.forecast import budget_shares

    rows = [("Förskola", 1, 0.5), ("Förskola", 2, 0.5), (None, 12, 1.0)]
    own = budget_shares(rows, "Förskola")
    assert own[:3] == (Fraction(1, 2), Fraction(1, 2), Fraction(0))
    assert len(own) == 12
    common = budget_shares(rows, "Äldreomsorg")
    assert common == (*[Fraction(0)] * 11, Fraction(1))
    assert budget_shares([], "Förskola") == tuple([Fraction(1, 12)] * 12)
    assert budget_shares([(None, 1, 1 / 3), (None, 2, 2 / 3)], "X")[:2] == (
        Fraction(1, 3),
        Fraction(2, 3),
    )


def test_leaf_facts_have_no_prior_year_when_there_was_none() -> None:
    from budget.core.forecast import leaf_facts

    monthly = summarise(
        inputs_from([(2017, 1, "100", "5010", 1_00), (2016, 3, "100", "5010", 2_00)]).ledger,
        STRUCTURE,
    )
    shares = tuple([Fraction(1, 12)] * 12)
    this = leaf_facts(monthly, 2017, 1, ("Förskola", None), ZERO, shares)
    assert this.prior_months is not None
    assert this.prior_months[2] == Sides(-2_00, 0)
    assert this.prior_months[0] == ZERO
    later = leaf_facts(monthly, 2016, 3, ("Förskola", None), ZERO, shares)
    assert later.prior_months is None


def test_leaf_costs_add_the_measures_of_a_leaf() -> None:
    from budget.core.methods import VolumeRest
    from budget.core.volumes import leaf_costs, measures

    frame = volume_rows(
        [
            ("Förskola", None, "Barn", 2017, 12, 0.0, 2.0, 100.0),
            ("Förskola", None, "Timmar", 2017, 12, 0.0, 3.0, 10.0),
        ]
    )
    # 2 × 100 kr + 3 × 10 kr = 230 kr, positive öre.
    assert leaf_costs(measures(frame, 2017, 12, VolumeRest.RUN_RATE)) == {
        ("Förskola", None): 23_000
    }


def test_drill_down_lines_are_sorted_by_code() -> None:
    ledger = inputs_from(
        [
            (2017, 1, "201", "6110", 3_00),
            (2017, 1, "200", "5010", 2_00),
            (2017, 1, "201", "3410", -1_00),
            (2017, 1, "200", "4010", 4_00),
        ]
    ).ledger
    drill = drill_down(ledger, STRUCTURE, None, 2017, 12)["Äldreomsorg"]
    assert [d.code for d in drill["verksamhet"]] == ["200", "201"]
    assert [d.code for d in drill["class"]] == ["3", "4", "5", "6"]


def test_budget_shares_keep_the_workbook_decimals() -> None:
    from budget.core.forecast import budget_shares

    assert budget_shares([("A", 1, 0.085)], "A")[0] == Fraction(17, 200)


def test_leaf_facts_carry_the_budget_shares() -> None:
    from budget.core.forecast import leaf_facts

    monthly = summarise(inputs_from([(2017, 1, "100", "5010", 1_00)]).ledger, STRUCTURE)
    shares = (Fraction(1, 2), Fraction(1, 2), *[Fraction(0)] * 10)
    assert leaf_facts(monthly, 2017, 1, ("Förskola", None), ZERO, shares).budget_shares == shares


def test_track_record_replays_with_the_areas_own_profile() -> None:
    from budget.core.accuracy import track_record
    from budget.edge import sheets

    rows = [(y, m, "100", "5010", 100_00) for y in (2015, 2016) for m in range(1, 13)]
    rows.append((2017, 1, "100", "5010", 1_00))
    inputs = inputs_from(rows)
    budget = inputs.budget.with_columns(pl.lit(2016, pl.Int32).alias("year")).filter(
        pl.col("verksamhet") == "100"
    )
    assert budget.schema == sheets.BUDGET.schema
    monthly = summarise(inputs.ledger, STRUCTURE)
    # Förskola's own profile puts the whole budget in January–April; all areas' in December.
    profile = [("Förskola", m, 0.25) for m in range(1, 5)] + [(None, 12, 1.0)]
    acc = track_record(
        monthly, budget, STRUCTURE, {"Förskola": [None]}, profile, None, 2017, "takt"
    )
    assert acc is not None
    # T1 of 2016: 400 kr done; nothing of the 120 000 kr budget is left after April.
    row = acc.row("Förskola", Method.BUDGET_REST, "T1")
    assert row is not None
    assert row.forecast == -400_00


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        # Run-rate methods add the omslutningsförändring (300 kr both sides) to their forecast:
        # linear −400 × 12 / 4 = −1 200 → −1 500; 40 × 3 = 120 → 420. Seasonal without a
        # prior year is linear. Volume: the leaf's volume costs 1 300 → 1 600, revenues 130 →
        # 430. Net unchanged in each.
        (Method.LINEAR, Sides(-1500, 420)),
        (Method.SEASONAL, Sides(-1500, 420)),
        (Method.VOLUME, Sides(-1600, 430)),
        # The budget methods carry it in the revised budget already: budget −1 200 / 120;
        # budgetrest −400 + 2/3 × −1 200 = −1 200, 40 + 2/3 × 120 = 120.
        (Method.BUDGET, Sides(-1200, 120)),
        (Method.BUDGET_REST, Sides(-1200, 120)),
        # A unit's own forecast includes it.
        (Method.MANUAL, Sides(-1000, 100)),
    ],
)
def test_an_omslutningsforandring_is_added_to_both_sides_of_run_rate_forecasts(
    method: Method, expected: Sides
) -> None:
    """Issue 26 (mutation audit): volym was not pinned among the methods that add it."""
    facts = LeafFacts(
        period=4,
        actual=Sides(-400, 40),
        budget=Sides(-1200, 120),
        manual=Sides(-1000, 100),
        volume=Sides(-1300, 130),
        turnover=Sides(-300, 300),
    )
    result = forecast(method, facts)
    assert result.value == expected
    added = Sides(-300, 300) if method in (Method.LINEAR, Method.SEASONAL, Method.VOLUME) else ZERO
    assert result.turnover == added
