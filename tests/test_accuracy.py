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


def test_volume_method_is_replayed_where_the_year_had_volumes() -> None:
    from budget.core.methods import Method, VolumeRest
    from budget.edge.sheets import VOLUMES

    monthly = summarise(ledger({2015: [100] * 12, 2016: [100] * 12, 2017: [1] * 4}), STRUCTURE)
    volumes = pl.DataFrame(
        [
            {
                "area": "Förskola",
                "subarea": None,
                "measure": "Barn",
                "year": year,
                "period": m,
                "budget_volume": 12.0,
                "volume": 10.0,
                "price": 100.0,
                "file": "v",
                "sheet": "V",
                "row": m + 1,
            }
            for year in (2016, 2017)
            for m in range(1, 13)
        ],
        schema=VOLUMES.schema,
    )
    empty_budget = pl.DataFrame(schema=BUDGET.schema)
    acc = track_record(
        monthly, empty_budget, STRUCTURE, {"Förskola": [None]}, [], volumes, 2017, VolumeRest.BUDGET
    )
    assert acc is not None
    assert acc.methods == (Method.LINEAR, Method.SEASONAL, Method.VOLUME)
    # T1 of 2016: 4 months of 10 done, 8 months at the budgeted 12: 136 × 100 kr = 13 600 kr.
    t1 = acc.row("Förskola", Method.VOLUME, "T1")
    assert t1 is not None
    assert (t1.forecast, t1.actual, t1.base) == (-1_360_000, -1_200, -1_200)
    # T2: 80 done + 4 × 12 = 128 × 100 kr.
    t2 = acc.row("Förskola", Method.VOLUME, "T2")
    assert t2 is not None
    assert t2.forecast == -1_280_000
    # Without volumes for the year, no volume replay.
    none = track_record(
        monthly, empty_budget, STRUCTURE, {"Förskola": [None]}, [], None, 2017, VolumeRest.BUDGET
    )
    assert none is not None
    assert Method.VOLUME not in none.methods
