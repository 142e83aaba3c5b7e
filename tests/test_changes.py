"""Budget changes: the bridge and the decision proposal."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from budget.core import changes as ch
from budget.core.money import Sides
from budget.report.decision import proposal, report_name

LEAVES = [("Förskola", None), ("Äldreomsorg", "Hemtjänst"), ("Äldreomsorg", None)]

amounts = st.integers(min_value=0, max_value=10**12)
change = st.builds(
    lambda kind, status, leaf, costs, revenues: ch.Change(
        kind, status, leaf[0], leaf[1], costs, costs if kind == ch.TURNOVER else revenues, "x"
    ),
    st.sampled_from([ch.TURNOVER, ch.ADJUSTMENT]),
    st.sampled_from([ch.GRANTED, ch.REQUESTED]),
    st.sampled_from(LEAVES),
    amounts,
    amounts,
)
budgets = st.fixed_dictionaries(
    {leaf: st.builds(Sides, st.integers(-(10**12), 0), st.integers(0, 10**12)) for leaf in LEAVES}
)


@given(budgets, st.lists(change, max_size=12))
def test_bridge_steps_add_up_to_the_revised_budget(original: dict, changes: list) -> None:
    bridge = ch.bridge(original, changes)
    for steps in bridge.steps.values():
        assert steps["revised"] == (
            steps["original"]
            + steps["granted_adjustments"]
            + steps["granted_turnover"]
            + steps["requested"]
        )
    total_revised = sum((s["revised"] for s in bridge.steps.values()), Sides())
    # Worked out from the contract, not from Change.effect: a change raises the cost budget
    # by Kostnader (report signs: more negative) and the revenue budget by Intäkter.
    costs = sum(o.costs for o in original.values()) - sum(c.costs for c in changes)
    revenues = sum(o.revenues for o in original.values()) + sum(c.revenues for c in changes)
    assert (total_revised.costs, total_revised.revenues) == (costs, revenues)


@given(budgets, st.lists(change.filter(lambda c: c.kind == ch.TURNOVER), max_size=12))
def test_turnover_changes_never_move_the_net_budget(original: dict, changes: list) -> None:
    bridge = ch.bridge(original, changes)
    for leaf, sides in original.items():
        assert bridge.revised(leaf).net == sides.net


@given(budgets, st.lists(change, max_size=12))
def test_a_change_and_its_reverse_give_back_the_original(original: dict, changes: list) -> None:
    undone = [replace(c, costs=-c.costs, revenues=-c.revenues) for c in changes]
    bridge = ch.bridge(original, changes + undone)
    for leaf, sides in original.items():
        assert bridge.revised(leaf) == sides


def test_requested_sums() -> None:
    items = [
        ch.Change(ch.TURNOVER, ch.REQUESTED, "A", None, 150_000_000, 150_000_000, "x"),
        ch.Change(ch.TURNOVER, ch.REQUESTED, "B", None, 100_000_000, 100_000_000, "y"),
        ch.Change(ch.TURNOVER, ch.GRANTED, "B", None, 7, 7, "z"),
        ch.Change(ch.ADJUSTMENT, ch.REQUESTED, "C", None, 30_000_000, 0, "w"),
    ]
    assert ch.requested_turnover(items) == 250_000_000
    assert ch.requested_adjustment(items) == -30_000_000


def test_decision_is_worded_for_the_period() -> None:
    turnover = [ch.Change(ch.TURNOVER, ch.REQUESTED, "IFO", None, 250_000_000, 250_000_000, "x")]
    t2 = proposal(2017, 8, turnover)
    assert t2 == [
        "Nämnden godkänner tertialrapport 2 2017, inklusive bilagor, och överlämnar den till "
        "kommunstyrelsen.",
        "Nämnden begär omslutningsförändring om 2,5\u00a0mnkr enligt bilaga.",
        "Paragrafen förklaras omedelbart justerad.",
    ]
    assert proposal(2017, 4, [])[0].startswith("Nämnden godkänner tertialrapport 1 2017,")
    assert len(proposal(2017, 4, [])) == 2
    assert "verksamhetsberättelse 2017" in proposal(2017, 12, [])[0]
    assert proposal(2017, 5, []) == ["Nämnden godkänner månadsrapport maj 2017."]
    assert report_name(2017, 3) == "månadsrapport mars 2017"


def test_decision_lists_requested_adjustments_per_area() -> None:
    items = [
        ch.Change(
            ch.ADJUSTMENT, ch.REQUESTED, "Ekonomiskt bistånd", None, 420_000_000, 0, "Fler hushåll"
        )
    ]
    points = proposal(2017, 8, items)
    assert points[1] == (
        "Nämnden begär budgetjustering för ökade nettokostnader om "
        "4,2\u00a0mnkr för ekonomiskt bistånd."
    )


def test_names_inside_sentences_keep_their_acronyms() -> None:
    from budget.core.fmt import inline

    assert inline("Boende enligt LSS") == "boende enligt LSS"
    assert inline("LSS-boende") == "LSS-boende"
    assert inline("Ekonomiskt bistånd") == "ekonomiskt bistånd"
