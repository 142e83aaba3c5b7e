"""core.city by hand: trade pairs, tolerance, indicators (expected values worked out here)."""

from __future__ import annotations

from fractions import Fraction

from budget.core.city import NamndReport, indicators, match_trade, within
from budget.core.money import Sides

CODES = {"KA": "Nämnd A", "KB": "Nämnd B", "KC": "Nämnd C"}


def test_pairs_sales_against_purchases_with_a_tolerance() -> None:
    sums = [
        # A sells 1 000,00 kr to B; B books 999,50 kr bought from A.
        ("Nämnd A", "KB", "sales", 100_000, 3, "huvudbok/a.parquet"),
        ("Nämnd B", "KA", "purchases", 99_950, 2, "huvudbok/b.parquet"),
        # B sells to C in two files, C books the same sum.
        ("Nämnd B", "KC", "sales", 40_000, 1, "huvudbok/b.parquet"),
        ("Nämnd B", "KC", "sales", 10_000, 1, "huvudbok/b-2.parquet"),
        ("Nämnd C", "KB", "purchases", 50_000, 4, "huvudbok/c.parquet"),
        # A's trade with itself and with an external party: no pair.
        ("Nämnd A", "KA", "purchases", 7_000, 1, "huvudbok/a.parquet"),
        ("Nämnd A", "EXTERN", "purchases", 9_000, 1, "huvudbok/a.parquet"),
    ]
    trade = match_trade(sums, CODES, 0, ("f",), ())
    flows = {(f.seller, f.buyer): f for f in trade.flows}
    assert set(flows) == {("Nämnd A", "Nämnd B"), ("Nämnd B", "Nämnd C")}
    ab, bc = flows[("Nämnd A", "Nämnd B")], flows[("Nämnd B", "Nämnd C")]
    assert (ab.sales, ab.purchases, ab.difference) == (100_000, 99_950, 50)
    assert (bc.sales, bc.purchases, bc.sales_rows, bc.purchase_rows) == (50_000, 50_000, 2, 4)
    assert bc.sales_files == ("huvudbok/b-2.parquet", "huvudbok/b.parquet")
    assert trade.unmatched == (ab,)
    assert trade.eliminated == 50_000
    # Within 0,50 kr the first pair matches too, and the smaller side is eliminated.
    loose = match_trade(sums, CODES, 50, ("f",), ())
    assert loose.unmatched == ()
    assert loose.eliminated == 50_000 + 99_950


def _report(
    name: str, year: int, period: int, forecast: int, actual: int, budget: int
) -> NamndReport:
    return NamndReport(
        namnd=name,
        year=year,
        period=period,
        file=f"{name}-{year}-{period}.json",
        sha256="",
        generated_at="",
        budget=Sides(budget, 0),
        decided=Sides(budget, 0),
        actual=Sides(actual, 0),
        forecast=Sides(forecast, 0),
    )


def test_indicators_by_hand() -> None:
    history = [
        # T2 2016: forecast −101 (öre ×100); year end: outcome −100, budget −98.
        _report("Nämnd A", 2016, 8, -10_100, -7_000, -9_800),
        _report("Nämnd A", 2016, 12, -10_000, -10_000, -9_800),
        # Only a T2 for B: no outcome, so no indicator values.
        _report("Nämnd B", 2016, 8, -5_000, -3_000, -5_000),
        # This year's report is no history.
        _report("Nämnd A", 2017, 12, -1, -1, -1),
    ]
    found = {(i.namnd, i.year): i for i in indicators(history, ["Nämnd A"], 2017, "utfall")}
    assert set(found) == {("Nämnd A", 2016), ("Nämnd B", 2016)}
    a = found[("Nämnd A", 2016)]
    assert a.forecast_error == -100
    assert a.accuracy == Fraction(-1)  # −1 kr of |−100 kr|: −1 %, at the limit
    assert within(a.accuracy, Fraction(1)) is True
    assert a.adherence == Fraction(10_000 * 100, 9_800)  # 102,04 %: a deficit
    b = found[("Nämnd B", 2016)]
    assert (b.accuracy, b.adherence, b.outcome) == (None, None, None)
    by_budget = indicators(history, ["Nämnd A"], 2017, "budget")
    assert by_budget[0].accuracy == Fraction(-100 * 100, 9_800)
