"""Volume and price (contract §9): the cost variance split into a volume effect and a
price effect that add up to it to the öre, each figure against a value worked out by hand."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from fractions import Fraction
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from budget.checks.prepare import prepare
from budget.core import volumes
from budget.core.methods import VolumeRest
from budget.core.volumes import LeafCosts, Measure, analyse, price_volume
from budget.edge.config import read_settings
from budget.edge.inputs import load
from budget.edge.sheets import VOLUMES
from budget.report.build import build_report
from budget.report.formats import json as json_format
from budget.report.sections.volume_analysis import shown_split, volume_words, words

KR = 100  # öre
DEMO = Path(__file__).parent.parent / "inputs" / "skarholmen-2017"


def measure(
    actual: Sequence[float | None],
    budget: Sequence[float | None],
    period: int,
    budget_prices: Sequence[float | None] | None = None,
    name: str = "Inskrivna barn",
    subarea: str | None = None,
) -> Measure:
    return Measure(
        "Förskola",
        subarea,
        name,
        tuple(budget),
        tuple(actual),
        1000.0,
        period,
        VolumeRest.RUN_RATE,
        tuple(budget_prices or [None] * 12),
    )


def split(m: Measure, budget_cost: int, forecast_cost: int) -> volumes.PriceVolume:
    return price_volume(m, True, budget_cost, forecast_cost, None, None, ())


def test_split_by_hand_with_the_budget_price_from_budget_cost() -> None:
    # V_b = 12 × 100 = 1 200; V_f = 8 × 110 outcome + 4 × 110 (run-rate) = 1 320.
    # Budget cost 1 200 000 kr: P_b = 1 200 000 / 1 200 = 1 000 kr.
    # Forecast cost 1 386 000 kr: P_f = 1 386 000 / 1 320 = 1 050 kr.
    # Volume effect = −(1 320 − 1 200) × 1 000 = −120 000 kr.
    # Price effect = −(1 050 − 1 000) × 1 320 = −66 000 kr.
    # Cost variance = 1 200 000 − 1 386 000 = −186 000 kr = −120 000 − 66 000.
    m = measure([110.0] * 8 + [None] * 4, [100.0] * 12, 8)
    pv = split(m, 1_200_000 * KR, 1_386_000 * KR)
    assert pv.budget_volume == 1200
    assert pv.forecast_volume == 1320
    assert pv.budget_price == 1000 * KR
    assert pv.forecast_price == 1050 * KR
    assert pv.volume_effect == -120_000 * KR
    assert pv.price_effect == -66_000 * KR
    assert pv.cost_variance == -186_000 * KR
    assert pv.budget_residual == 0
    assert not pv.budget_price_given


def test_rounding_happens_once_in_the_volume_effect() -> None:
    # V_b = 3, budget cost 100 öre: P_b = 33 1/3 öre. V_f = 4, forecast cost 150 öre.
    # Volume effect = −(4 − 3) × 33 1/3 = −33,33… öre -> −33 öre (half away from zero).
    # Cost variance = 100 − 150 = −50 öre, so the price effect is −50 − (−33) = −17 öre;
    # by its formula −(150/4 − 100/3) × 4 = −16,67 öre: within half an öre.
    m = measure([1.0, 1.0, 1.0, 1.0] + [0.0] * 8, [1.0, 1.0, 1.0] + [0.0] * 9, 12)
    pv = split(m, 100, 150)
    assert pv.budget_price == Fraction(100, 3)
    assert pv.volume_effect == -33
    assert pv.price_effect == -17
    assert pv.volume_effect + pv.price_effect == pv.cost_variance


def test_budgeted_price_given_and_the_budget_it_does_not_explain() -> None:
    # Budgeterat pris 900 kr every month: P_b = 900 kr (V_b = 1 200, V_f = 1 320 as above).
    # Volume effect = −(1 320 − 1 200) × 900 = −108 000 kr.
    # Price effect = cost variance − volume effect = −186 000 + 108 000 = −78 000 kr:
    # −(1 050 − 900) × 1 320 = −198 000 kr, plus the budget not volume × price,
    # 1 200 000 − 1 200 × 900 = +120 000 kr.
    m = measure([110.0] * 8 + [None] * 4, [100.0] * 12, 8, [900.0] * 12)
    pv = split(m, 1_200_000 * KR, 1_386_000 * KR)
    assert pv.budget_price_given
    assert pv.budget_price == 900 * KR
    assert pv.volume_effect == -108_000 * KR
    assert pv.price_effect == -78_000 * KR
    assert pv.budget_residual == 120_000 * KR


def test_budgeted_price_is_weighted_by_the_budgeted_volume() -> None:
    # 6 months of 100 at 900 kr and 6 months of 300 at 1 000 kr:
    # (600 × 900 + 1 800 × 1 000) / 2 400 = 2 340 000 / 2 400 = 975 kr.
    m = measure([None] * 12, [100.0] * 6 + [300.0] * 6, 0, [900.0] * 6 + [1000.0] * 6)
    price, given_ = volumes.budget_price(m, 0)
    assert given_
    assert price == 975 * KR


def test_key_ratios_against_last_year() -> None:
    # Last year: 12 months of 105 = 1 260 units, 1 197 000 kr: 950 kr per unit.
    last = measure([105.0] * 12, [None] * 12, 12)
    m = measure([110.0] * 8 + [None] * 4, [100.0] * 12, 8)
    pv = price_volume(m, True, 1_200_000 * KR, 1_386_000 * KR, last, 1_197_000 * KR, ())
    assert pv.last_year_volume == 1260
    assert pv.last_year_price == 950 * KR


def test_last_year_without_every_month_gives_no_ratio() -> None:
    last = measure([105.0] * 11 + [None], [None] * 12, 12)
    m = measure([110.0] * 8 + [None] * 4, [100.0] * 12, 8)
    pv = price_volume(m, True, 1, 1, last, 1_197_000 * KR, ())
    assert pv.last_year_volume is None
    assert pv.last_year_price is None


def test_month_prices_are_the_months_cost_per_unit() -> None:
    # January 110 000 kr for 110 units: 1 000 kr; February 99 000 kr for 90: 1 100 kr.
    m = measure([110.0, 90.0] + [None] * 10, [100.0] * 12, 2)
    pv = price_volume(m, True, 1, 1, None, None, (110_000 * KR, 99_000 * KR))
    assert pv.month_prices == (Fraction(1000 * KR), Fraction(1100 * KR))


def costs(budget: int, forecast: int) -> LeafCosts:
    return LeafCosts(budget, forecast, None, ())


def test_several_measures_need_a_choice_else_key_ratios_and_a_warning() -> None:
    a = measure([110.0] * 8 + [None] * 4, [100.0] * 12, 8, name="Boendedygn")
    b = measure([10.0] * 8 + [None] * 4, [10.0] * 12, 8, name="Korttidsdygn")
    leaf = {a.leaf: costs(1_200_000 * KR, 1_386_000 * KR)}
    items, diags = analyse([a, b], [], leaf, {})
    assert [pv.explains for pv in items] == [False, False]
    assert [d.code for d in diags] == ["W330"]
    items, diags = analyse([a, b], [], leaf, {"förskola": "korttidsdygn"})
    assert [pv.explains for pv in items] == [False, True]
    assert diags == []
    # Korttidsdygn: V_b = 120, V_f = 120; P_b = 1 200 000 / 120 = 10 000 kr.
    # Volume effect 0; price effect = the whole −186 000 kr.
    assert items[1].volume_effect == 0
    assert items[1].price_effect == -186_000 * KR


def test_no_budget_volume_and_no_budget_price_is_said_not_split() -> None:
    m = measure([110.0] * 8 + [None] * 4, [None] * 12, 8)
    items, diags = analyse([m], [], {m.leaf: costs(100, 200)}, {})
    assert not items[0].explains
    assert items[0].volume_effect is None
    assert [d.code for d in diags] == ["W331"]


@settings(deadline=None, max_examples=200)
@given(
    budget=st.lists(st.integers(0, 10_000), min_size=12, max_size=12),
    actual=st.lists(st.integers(0, 10_000), min_size=12, max_size=12),
    period=st.integers(1, 12),
    budget_cost=st.integers(0, 10**12),
    forecast_cost=st.integers(0, 10**12),
    given_price=st.one_of(st.none(), st.integers(0, 100_000)),
)
def test_the_two_effects_add_up_to_the_cost_variance_to_the_ore(
    budget: list[int],
    actual: list[int],
    period: int,
    budget_cost: int,
    forecast_cost: int,
    given_price: int | None,
) -> None:
    m = measure(
        [float(v) if i < period else None for i, v in enumerate(actual)],
        [float(v) for v in budget],
        period,
        None if given_price is None else [float(given_price)] * 12,
    )
    pv = split(m, budget_cost, forecast_cost)
    if pv.volume_effect is None:
        assert sum(budget) == 0
        assert given_price is None
        return
    assert pv.price_effect is not None
    assert pv.volume_effect + pv.price_effect == budget_cost - forecast_cost
    assert pv.budget_price is not None
    exact = -(pv.forecast_volume - pv.budget_volume) * pv.budget_price
    assert abs(pv.volume_effect - exact) <= Fraction(1, 2)
    if not pv.budget_price_given and pv.forecast_volume:
        # The price effect is −(P_f − P_b) × V_f within half an öre.
        by_formula = -(forecast_cost / pv.forecast_volume - pv.budget_price) * pv.forecast_volume
        assert abs(pv.price_effect - by_formula) <= Fraction(1, 2)


def test_the_words_and_the_shown_parts_add_up() -> None:
    # −9,049999 mnkr shows −9,0; the volume effect −6,25 mnkr shows −6,3 (half away from
    # zero); the price effect is shown as −9,0 − (−6,3) = −2,7, not its own −2,8.
    s = shown_split(-904_999_900, -625_000_000, "mnkr")
    assert (s.total, s.volume, s.price) == ("−9,0", "−6,3", "−2,7")
    m = measure([110.0] * 8 + [None] * 4, [100.0] * 12, 8, name="Beslut")
    pv = split(m, 1_200_000 * KR, 1_386_000 * KR)
    assert volume_words(pv) == "120 fler beslut än budgeterat"
    assert words(pv, "tkr") == (
        "Kostnaden avviker −186\u00a0tkr mot budget, varav volym −120 "
        "(120 fler beslut än budgeterat) och pris −66."
    )
    fewer = split(measure([90.0] * 8 + [None] * 4, [100.0] * 12, 8), 1, 1)
    assert volume_words(fewer) == "120 färre inskrivna barn än budgeterat"


def test_volym_names_the_measure_that_explains_an_area(tmp_path: Path) -> None:
    path = tmp_path / "namnd.toml"
    path.write_text(
        'namnd = "T"\nar = 2017\n[volym]\nrest = "budget"\n"Boende enligt LSS" = "Boendedygn"\n',
        encoding="utf-8",
    )
    found, problems = read_settings(path, "namnd.toml")
    assert problems == []
    assert found is not None
    assert found.volume_rest == VolumeRest.BUDGET
    assert found.volume_measures == {"Boende enligt LSS": "Boendedygn"}


def test_budgeted_price_column_is_read() -> None:
    assert "budget_price" in VOLUMES.schema
    frame = pl.DataFrame(
        [
            {
                "area": "Förskola",
                "subarea": None,
                "measure": "Barn",
                "year": 2017,
                "period": m + 1,
                "budget_volume": 10.0,
                "volume": 10.0,
                "price": 5.0,
                "budget_price": 4.0,
                "row": m + 2,
            }
            for m in range(12)
        ],
        schema=VOLUMES.schema,
    )
    (m,) = volumes.measures(frame, 2017, 8, VolumeRest.RUN_RATE)
    assert m.budget_prices == (4.0,) * 12


def test_demo_splits_lss_hemtjanst_placements_and_households() -> None:
    """The demo explains the protocol's deficits: every split adds up to the öre, and the
    leaves the protocol names are split."""
    report = build_report(prepare(load(DEMO), 8), datetime(2017, 9, 12))
    data = json.loads(json_format.render(report))
    rows = data["volume_analysis"]
    split_leaves = {(r["area"], r["subarea"], r["measure"]) for r in rows if r["explains"]}
    lss = "Stöd och service till personer med funktionsnedsättning"
    assert {
        (lss, "Boende enligt LSS", "Boendedygn"),
        (lss, "Daglig verksamhet", "Deltagarmånader"),
        ("Äldreomsorg", "Hemtjänst egen regi", "Beviljade timmar"),
        ("Äldreomsorg", "Hemtjänst externa utförare", "Beviljade timmar"),
        ("Äldreomsorg", "Vård- och omsorgsboende", "Månadsplaceringar"),
        ("Ekonomiskt bistånd", None, "Hushållsmånader"),
    } <= split_leaves
    areas = {(a["area"], a["subarea"]): a for a in data["areas"]}
    for r in rows:
        area = areas[(r["area"], r["subarea"])]
        # The split's costs are the leaf's, the cost variance its forecast less budget.
        assert r["budget_cost"] == area["budget"]["costs"]
        assert r["forecast_cost"] == area["forecast"]["costs"]
        variance = round(r["forecast_cost"] * 100) - round(r["budget_cost"] * 100)
        assert round(r["cost_variance"] * 100) == variance
        if r["explains"]:
            parts = round(r["volume_effect"] * 100) + round(r["price_effect"] * 100)
            assert parts == variance
    boende = next(r for r in rows if r["measure"] == "Boendedygn")
    # Two more residents than budgeted and dearer days: both effects are deficits.
    assert boende["volume_effect"] < 0
    assert boende["price_effect"] < 0
    households = next(r for r in rows if r["measure"] == "Hushållsmånader")
    # By hand from volymer.xlsx: V_b = 12 × 1 300 = 15 600. V_f = January–August
    # 1 262 + 1 255 + 1 251 + 1 243 + 1 236 + 1 231 + 1 224 + 1 218 = 9 920, plus four
    # months at the last three's mean (1 231 + 1 224 + 1 218) / 3 = 1 224,33…:
    # 9 920 + 4 897,33 = 14 817,33.
    assert households["budget_volume"] == 15_600
    assert households["forecast_volume"] == 14_817.33
    # Boendedygn: 87 residents budgeted every day of the year, 87 × 365 = 31 755.
    assert boende["budget_volume"] == 31_755
    assert households["forecast_volume"] < households["budget_volume"]
    assert households["volume_effect"] > 0
