"""Forecast accuracy: methods replayed on the last complete year, with hand-checked errors."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from budget.core.accuracy import track_record
from budget.core.ledger import summarise
from budget.core.money import MICRO_PER_ORE
from budget.edge.sheets import BUDGET, LEDGER

STRUCTURE = pl.DataFrame(
    {"verksamhet": ["100"], "area": ["Förskola"], "subarea": [None], "name": [None]},
    schema={"verksamhet": pl.String, "area": pl.String, "subarea": pl.String, "name": pl.String},
)


def ledger(series: dict[int, list[int]]) -> pl.DataFrame:
    rows = [
        {
            "year": y,
            "period": m + 1,
            "ansvar": "A",
            "verksamhet": "100",
            "konto": "5010",
            "amount": amount * MICRO_PER_ORE,
            "text": None,
            "verifikation": None,
            "motpart": None,
            "file": "u",
            "sheet": "H",
            "row": 1,
        }
        for y, months in series.items()
        for m, amount in enumerate(months)
    ]
    return pl.DataFrame(rows, schema=LEDGER.schema)


def test_replay_at_t1_and_t2_of_last_year() -> None:
    # 2015: 100 a month but 40 in July, 160 in December. 2016: exactly twice 2015.
    y2015 = [100] * 12
    y2015[6], y2015[11] = 40, 160
    y2016 = [2 * v for v in y2015]
    monthly = summarise(ledger({2015: y2015, 2016: y2016, 2017: [1] * 4}), STRUCTURE)
    budget = pl.DataFrame(
        [
            {
                "year": 2016,
                "verksamhet": "100",
                "konto": "5010",
                "amount": 2500 * MICRO_PER_ORE,
                "ansvar": None,
                "file": "b",
                "row": 2,
            }
        ],
        schema=BUDGET.schema,
    )
    acc = track_record(monthly, budget, STRUCTURE, {"Förskola": [None]}, [], None, 2017, "takt")
    assert acc is not None
    assert (acc.year, acc.base) == (2016, "budget")
    actual = -sum(y2016)  # −2400 in report signs
    linear_t2 = acc.row("Förskola", "linjar", "T2")
    assert linear_t2 is not None
    # Jan–Aug 2016: 7 × 200 + 80 = 1480 -> 1480 × 12 / 8 = 2220; error −2220 − (−2400) = 180
    assert (linear_t2.forecast, linear_t2.actual, linear_t2.error) == (-2220, actual, 180)
    assert linear_t2.error_pct == 7.2  # 180 / 2500
    seasonal = acc.row("Förskola", "sasong", "T1")
    assert seasonal is not None
    assert seasonal.error == 0
    budget_row = acc.row("Förskola", "budget", "T2")
    assert budget_row is not None
    assert budget_row.error == -100
    assert acc.best["Förskola"] == "sasong"


def test_no_track_record_without_two_complete_years() -> None:
    monthly = summarise(ledger({2016: [1] * 12, 2017: [1] * 4}), STRUCTURE)
    empty = pl.DataFrame(schema=BUDGET.schema)
    assert (
        track_record(monthly, empty, STRUCTURE, {"Förskola": [None]}, [], None, 2017, "takt")
        is None
    )
    partial = summarise(ledger({2015: [1] * 11, 2016: [1] * 12}), STRUCTURE)
    assert (
        track_record(partial, empty, STRUCTURE, {"Förskola": [None]}, [], None, 2017, "takt")
        is None
    )


def test_without_last_years_budget_percent_is_of_the_outcome(tmp_path: Path) -> None:
    monthly = summarise(ledger({2015: [100] * 12, 2016: [110] * 12}), STRUCTURE)
    acc = track_record(
        monthly,
        pl.DataFrame(schema=BUDGET.schema),
        STRUCTURE,
        {"Förskola": [None]},
        [],
        None,
        2017,
        "takt",
    )
    assert acc is not None
    assert acc.base == "utfall"
    assert acc.methods == ("linjar", "sasong")
