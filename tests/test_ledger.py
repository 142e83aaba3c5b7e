"""The ledger core: every krona is reported or excluded, whatever the rows and their order."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from budget.checks.prepare import prepare
from budget.core.frames import Inputs
from budget.core.money import MICRO_PER_ORE
from budget.core.settings import Settings
from budget.edge import sheets
from budget.edge.sheets import LEDGER
from budget.report.build import build_report
from budget.report.sections import reconciliation

STRUCTURE = pl.DataFrame(
    {
        "verksamhet": ["100", "200", "201"],
        "area": ["Förskola", "Äldreomsorg", "Äldreomsorg"],
        "subarea": [None, "Hemtjänst", "Boende"],
        "name": [None, None, None],
    },
    schema={"verksamhet": pl.String, "area": pl.String, "subarea": pl.String, "name": pl.String},
)
BUDGET = pl.DataFrame(
    {
        "year": [2017, 2017],
        "verksamhet": ["100", "200"],
        "konto": ["5010", "3410"],
        "amount": [120_000_00 * MICRO_PER_ORE, -10_000_00 * MICRO_PER_ORE],
        "ansvar": [None, None],
        "file": ["b", "b"],
        "sheet": ["Budget", "Budget"],
        "row": [2, 3],
    },
    schema=sheets.BUDGET.schema,
)


def inputs_from(rows: list[tuple[int, int, str, str, int]], method: str = "linjar") -> Inputs:
    ledger = pl.DataFrame(
        [
            {
                "year": y,
                "period": p,
                "ansvar": "A",
                "verksamhet": v,
                "konto": k,
                "amount": a * MICRO_PER_ORE,
                "text": None,
                "verifikation": None,
                "motpart": None,
                "file": "u.xlsx",
                "sheet": "Huvudbok",
                "row": i + 2,
            }
            for i, (y, p, v, k, a) in enumerate(rows)
        ],
        schema=LEDGER.schema,
    )
    return Inputs(
        folder=Path("t-2017"),
        settings=Settings("T", 2017, "mnkr", method, {}),
        ledger=ledger,
        budget=BUDGET,
        structure=STRUCTURE,
    )


row = st.tuples(
    st.sampled_from([2016, 2017]),
    st.integers(1, 12),
    st.sampled_from(["100", "200", "201", "999"]),
    st.sampled_from(["3410", "4610", "5010", "7910", "1930", "2920", "8410"]),
    st.integers(-(10**11), 10**11),
)
ledgers = st.lists(row, min_size=1, max_size=60).filter(
    lambda rows: any(y == 2017 and p <= 8 for y, p, *_ in rows)
)


@settings(max_examples=60, deadline=None)
@given(ledgers, st.integers(1, 12), st.sampled_from(["linjar", "sasong", "budget"]))
def test_reconciliation_holds_to_the_ore(
    rows: list[tuple[int, int, str, str, int]], period: int, method: str
) -> None:
    inputs = inputs_from(rows, method)
    latest = max(p for y, p, *_ in rows if y == 2017)
    prepared = prepare(inputs, min(period, latest))
    report = build_report(prepared, datetime(2017, 9, 1))
    rec = reconciliation.SECTION.data(report)
    month = prepared.period.month
    in_year = [r for r in rows if r[0] == 2017 and r[1] <= month]
    assert rec.ledger_rows == len(in_year)
    assert rec.ledger_sum == sum(r[4] for r in in_year)
    assert rec.ledger_sum == rec.reported_sum + rec.excluded_sum
    assert rec.excluded_sum == sum(r[4] for r in in_year if r[3][0] in "128")
    assert rec.unmapped_sum == sum(r[4] for r in in_year if r[2] == "999" and r[3][0] not in "128")
    areas = report.area_lines
    assert -sum(a.actual.net for a in areas) == rec.reported_sum
    # Areas add up to the total on every figure.
    assert sum(a.forecast.net for a in areas) == report.total.forecast.net
    assert sum(a.budget.net for a in areas) == report.total.budget.net
    assert sum(a.actual.costs for a in areas) == report.total.actual.costs


@settings(max_examples=30, deadline=None)
@given(ledgers, st.randoms(use_true_random=False))
def test_row_order_changes_nothing(rows: list[tuple[int, int, str, str, int]], rnd: object) -> None:
    shuffled = list(rows)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    a = build_report(prepare(inputs_from(rows), None), datetime(2017, 9, 1))
    b = build_report(prepare(inputs_from(shuffled), None), datetime(2017, 9, 1))
    assert a.lines == b.lines
    assert a.total == b.total
    assert reconciliation.SECTION.data(a) == reconciliation.SECTION.data(b)


def test_subareas_sum_to_their_area_when_every_code_has_one() -> None:
    rows = [(2017, m, v, "5010", 1000 * m) for m in range(1, 9) for v in ("200", "201")]
    report = build_report(prepare(inputs_from(rows), 8), datetime(2017, 9, 1))
    area = next(a for a in report.area_lines if a.area == "Äldreomsorg")
    subs = [ln for ln in report.lines if ln.area == "Äldreomsorg" and not ln.is_area]
    assert [s.subarea for s in subs] == ["Hemtjänst", "Boende"]
    for fig in ("budget", "actual", "forecast"):
        assert sum(getattr(s, fig).net for s in subs) == getattr(area, fig).net
