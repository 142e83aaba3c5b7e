"""Cell parsing: Swedish number text to exact öre, codes, headers."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from budget import cells


def ore(*texts: str | None) -> list[int | None]:
    frame = pl.DataFrame({"v": list(texts)}, schema={"v": pl.String})
    return frame.select(cells.amount_ore(pl.col("v")).alias("v"))["v"].to_list()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", 123450),
        ("1 234,50", 123450),
        ("1\u00a0234,50", 123450),
        ("1\u202f234,50", 123450),
        ("-1234", -123400),
        ("\u22121234", -123400),
        ("\u20131234", -123400),
        ("\u2013 1 234,5", -123450),
        ("+12", 1200),
        ("0,005", 1),
        ("-0,005", -1),
        ("0,004", 0),
        (",5", 50),
        ("412", 41200),
        ("  7 ", 700),
    ],
)
def test_amounts_in_swedish_notation(text: str, expected: int) -> None:
    assert ore(text) == [expected]


@pytest.mark.parametrize(
    "text", ["(1234)", "1.234,50", "12,3,4", "1e5", "abc", "", "12 kr", "--5", "1234567890123456"]
)
def test_text_that_is_not_an_amount_is_null(text: str) -> None:
    assert ore(text) == [None]


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2))
def test_amount_round_trips_through_swedish_text(value: Decimal) -> None:
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",").replace("-", "\u2212")
    assert ore(text) == [int(value * 100)]


def test_integers_and_codes() -> None:
    frame = pl.DataFrame({"v": ["2017", "2017.0", "201708", "8,5", " 0412 ", "", None]})
    ints = frame.select(cells.integer(pl.col("v")).alias("v"))["v"].to_list()
    assert ints == [2017, 2017, 201708, None, 412, None, None]
    codes = frame.select(cells.code(pl.col("v")).alias("v"))["v"].to_list()
    assert codes[4] == "0412"
    assert codes[5] is None


def test_headers_fold_case_space_and_swedish_letters() -> None:
    assert cells.normalize_header("  Verksamhets\u00adområde ") != ""
    assert cells.normalize_header("ÅR") == cells.normalize_header("ar")
    assert cells.normalize_header("Lämnad  av") == "lamnad av"


def test_column_letters() -> None:
    assert [cells.column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
