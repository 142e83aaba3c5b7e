"""Cell parsing: Swedish number text to exact µkr and öre, codes, headers."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from budget.checks import cells
from budget.core.names import normalize_header


def ore(*texts: str | None) -> list[int | None]:
    frame = pl.DataFrame({"v": list(texts)}, schema={"v": pl.String})
    return frame.select(cells.micro_to_ore(cells.amount_micro(pl.col("v"))).alias("v"))[
        "v"
    ].to_list()


def micro(*texts: str | None, number_cell: bool = False) -> list[int | None]:
    frame = pl.DataFrame({"v": list(texts)}, schema={"v": pl.String})
    flag = pl.lit(number_cell)
    return frame.select(cells.amount_micro(pl.col("v"), flag).alias("v"))["v"].to_list()


def test_fractions_of_an_ore_are_kept_exactly() -> None:
    assert micro("0,005", "10,555", "-0,0000015", "1,1234564") == [5000, 10555000, -2, 1123456]


@pytest.mark.parametrize("text", ["12.500", "1.234,50", "1,234.50", "-12.500", "999.000"])
def test_ambiguous_separators_are_refused_in_text_but_read_in_number_cells(text: str) -> None:
    assert micro(text) == [None]
    frame = pl.DataFrame({"v": [text]})
    assert frame.select(cells.ambiguous_amount(pl.col("v")).alias("v"))["v"].to_list() == [True]


def test_a_number_cell_with_three_decimals_is_a_decimal_number() -> None:
    assert micro("12.500", number_cell=True) == [12_500_000]


def test_full_width_digits_are_digits_and_other_scripts_are_not() -> None:
    assert micro("\uff15\uff10\uff11\uff11") == [5011_000_000]
    assert micro("\u0665\u0660\u0661\u0661") == [None]
    frame = pl.DataFrame({"v": ["\uff15\uff10\uff11\uff11", "\u0665\u0660", "a\x01", "4010"]})
    bad = frame.select(cells.bad_code(pl.col("v")).alias("v"))["v"].to_list()
    assert bad == [False, True, True, False]
    assert frame.select(cells.code(pl.col("v")).alias("v"))["v"].to_list()[0] == "5011"


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
    assert normalize_header("  Verksamhets\u00adområde ") != ""
    assert normalize_header("ÅR") == normalize_header("ar")
    assert normalize_header("Lämnad  av") == "lamnad av"


def test_column_numbers_are_openpyxls_within_a_sheet_and_capped_beyond() -> None:
    from openpyxl.utils import get_column_letter

    from budget.edge.workbook import MAX_COLUMNS, column_number

    for n in (1, 26, 27, 702, 703, MAX_COLUMNS):
        assert column_number(get_column_letter(n)) == n
    for beyond in ("XFE", "ZZZ", "AAAA", "ABCDEFGH"):
        assert column_number(beyond) == MAX_COLUMNS + 1


def test_no_pattern_in_the_package_uses_unicode_digits() -> None:
    """``\\d`` in polars' (Rust) regex matches digits of every script: ``[0-9]`` only."""
    import re

    from tests.conftest import ROOT

    for path in (ROOT / "budget").rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            assert not re.search(r"\\d", code.replace('"""', "")) or "``" in line, (
                f"{path.name}:{n}: use [0-9], not \\d"
            )


@given(st.lists(st.one_of(st.none(), st.text(alphabet=st.characters(codec="utf-8"))), max_size=20))
def test_text_rewrites_only_untidy_cells_and_gives_the_plain_rule(values: list[str | None]) -> None:
    """``cells.text`` skips the tidy cells for speed; the result is the plain rule's."""
    frame = pl.DataFrame({"x": values}, schema={"x": pl.String})
    plain = pl.col("x").str.replace_all(cells.CONTROL, "").str.strip_chars()
    expected = frame.select(pl.when(plain == "").then(None).otherwise(plain).alias("y"))
    assert frame.select(cells.text(pl.col("x")).alias("y")).equals(expected)


def test_column_letters_are_openpyxls_everywhere() -> None:
    """Issue 29: column letters were computed by hand in two places; openpyxl.utils is the
    one way (get_column_letter, column_index_from_string, edge.workbook.column_number)."""
    import re

    from tests.conftest import ROOT

    by_hand = re.compile(r"ord\(\s*[\"']A[\"']\s*\)|divmod\([^)]*,\s*26\)")
    found = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "budget").rglob("*.py")
        if by_hand.search(p.read_text(encoding="utf-8"))
    ]
    assert found == []
