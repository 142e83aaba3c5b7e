"""Every row accounted for, and every krona: properties over arbitrary ledger rows.

The oracle here is written independently of ``budget.checks.cells``: it parses the
raw cells with ``decimal`` and ``unicodedata`` as the contract describes them.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget.app.pipeline import validate_folder
from budget.diagnostics import errors
from budget.edge.convert import Converter
from budget.edge.excel import read_table
from budget.edge.readers import read_ledger
from budget.edge.sheets import LEDGER
from tests.conftest import LEDGER_HEADER, Folder, write_xlsx

HEADER = [*LEDGER_HEADER, "Text"]
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text a workbook can hold, with the odd control character written as Excel escapes it.
free_text = st.one_of(
    st.none(),
    st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=8),
    st.sampled_from(["Total renovering", "Summa", "Totalt", "_x0001_ok", "  "]),
)
any_cell = st.one_of(
    free_text,
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["\uff15\uff10\uff11\uff11", "\u0665\u0660", "12.500", "1 234,50", "2017"]),
)


@given(rows=st.lists(st.lists(any_cell, min_size=7, max_size=7), max_size=12))
@SETTINGS
def test_every_row_is_used_skipped_or_named_by_an_error(
    rows: list[list[Any]], tmp_path_factory: Any
) -> None:
    path = tmp_path_factory.mktemp("acc") / "utfall-2017.xlsx"
    write_xlsx(path, {"Huvudbok": [HEADER, *rows]})
    read = read_ledger(path, path.name)
    assert read.table is not None
    used = set(read.frame["row"].to_list())
    named = {_row(d.cell) for d in errors(read.diagnostics) if d.cell}
    skipped = {s.row for s in read.table.skipped}
    blank = {r for r, row in enumerate(rows, 2) if all(_blank(v) for v in row)}
    # Rows after the last one with a cell are not in the file at all; a row whose only
    # cells hold spaces is in the file, and blank; an empty string is no cell (hypothesis
    # found the oracle wrong on both).
    present = [r for r, row in enumerate(rows, 2) if any(v not in (None, "") for v in row)]
    last = max(present, default=1)
    blank = {r for r in blank if r <= last}
    assert used | named | skipped | blank == set(range(2, last + 1))
    assert not used & skipped
    assert read.table.blank_rows == len(blank)


def _row(cell: str) -> int:
    return int(re.sub(r"[^0-9]", "", cell) or 0)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# Valid rows in every form the contract accepts.
digits = st.sampled_from(
    ["0123456789", "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19"]
)
konto = st.sampled_from(["5010", "3410", "4610", "6410", "1930", "8010", "2440"])
amount = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=6, allow_nan=False)


@st.composite
def valid_row(draw: Any) -> tuple[list[Any], int, int, Decimal]:
    month = draw(st.integers(1, 8))
    value = draw(amount)
    form = draw(st.sampled_from(["number", "swedish", "plain", "fullwidth"]))
    cell: Any
    if form == "number":
        value = Decimal(repr(float(value))).quantize(Decimal("0.000001"))
        cell = float(value)
    elif form == "swedish":
        cell = f"{value:,f}".replace(",", "\u00a0").replace(".", ",").replace("-", "\u2212")
    elif form == "plain":
        cell = f"{value:f}".replace(".", ",")
    else:
        table = str.maketrans("0123456789", draw(digits))
        cell = f"{value:f}".replace(".", ",").translate(table)
    code = draw(konto)
    year = draw(st.sampled_from([2017, "2017", 2016]))
    verksamhet = draw(st.sampled_from(["100", "200", "201", "999"]))
    text = draw(st.sampled_from([None, "Total renovering", "Summa inköp", "Hyra", "_x0001_"]))
    row = [year, month, "A1", verksamhet, code, cell, text]
    return row, int(year), month, value


@given(rows=st.lists(valid_row(), min_size=1, max_size=15))
@SETTINGS
def test_ledger_sum_equals_the_raw_cells_to_the_ore(
    rows: list[tuple[list[Any], int, int, Decimal]], tmp_path_factory: Any
) -> None:
    folder = Folder(tmp_path_factory.mktemp("rec") / "testnamnd-2017")
    base = [[2017, m, "A1", "100", "5010", 1000] for m in range(1, 9)]
    folder.ledger(base + [r for r, *_ in rows], header=HEADER)
    result = validate_folder(folder.path, None)
    assert not errors(result.diagnostics), [d.text() for d in result.diagnostics]
    rec = result.reconciliation
    assert rec is not None
    assert rec.balanced
    raw = [(1000, 2017, m) for m in range(1, 9)] + [(v, y, m) for _, y, m, v in rows]
    exact = sum((Decimal(v) for v, y, _ in raw if y == 2017), Decimal(0))
    assert rec.ledger_rows == sum(1 for _, y, _ in raw if y == 2017)
    assert rec.ledger_sum == int((exact * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_oracle_reads_cells_as_the_contract_says() -> None:
    """The oracle's own parser, checked by hand: NFKC digits, Swedish separators."""
    text = unicodedata.normalize("NFKC", "\uff11\uff12,5").replace(",", ".")
    assert Decimal(text) == Decimal("12.5")


def test_a_row_left_out_without_its_own_error_is_named(tmp_path: Path) -> None:
    """E114: the guard in ``Converter.accept`` that makes a silent drop impossible."""
    path = write_xlsx(
        tmp_path / "u.xlsx",
        {
            "Huvudbok": [
                LEDGER_HEADER,
                [2017, 1, "A", "100", "5010", 5],
                [2017, 2, "A", "1", "5010", 7],
            ]
        },
    )
    table = read_table(path, "u.xlsx", "Huvudbok", LEDGER.columns)
    conv = Converter(table)
    conv.code("Verksamhet")
    typed = conv.run()
    kept = conv.accept(typed, pl.col("Verksamhet") != "1")
    assert kept["_row"].to_list() == [2]
    (guard,) = [d for d in conv.diagnostics if d.code == "E114"]
    assert guard.cell == "A3"


change_rows = st.lists(
    st.tuples(
        st.sampled_from(["Budgetjustering", "Omslutningsförändring"]),
        st.sampled_from(["Beviljad", "Begärd"]),
        st.sampled_from(
            [
                ("Förskola", None),
                ("Äldreomsorg", None),
                ("Äldreomsorg", "Hemtjänst egen regi"),
                ("Äldreomsorg", "Hemtjänst externa utförare"),
            ]
        ),
        st.integers(-(10**7), 10**7),
        st.integers(-(10**7), 10**7),
    ),
    max_size=6,
)


@given(changes=change_rows, period=st.integers(1, 4))
@SETTINGS
def test_delomraden_always_add_up_to_their_area(
    changes: list[tuple[str, str, tuple[str, str | None], int, int]],
    period: int,
    tmp_path_factory: Any,
) -> None:
    """Whatever level a change is posted at, every column of an area is its delområden's sum."""
    from datetime import datetime

    from budget.checks.prepare import prepare
    from budget.edge.inputs import load
    from budget.report.build import build_report

    folder = Folder(tmp_path_factory.mktemp("sub") / "testnamnd-2017")
    header = [
        "Typ",
        "Status",
        "Verksamhetsområde",
        "Delområde",
        "Kostnader",
        "Intäkter",
        "Beskrivning",
    ]
    rows = [
        [
            kind,
            status,
            area,
            sub,
            costs,
            costs if kind == "Omslutningsförändring" else revenues,
            "x",
        ]
        for kind, status, (area, sub), costs, revenues in changes
    ]
    write_xlsx(folder.path / "forandringar.xlsx", {"Förändringar": [header, *rows]})
    report = build_report(prepare(load(folder.path), period), datetime(2017, 9, 12))
    for area in [ln for ln in report.lines if ln.is_area]:
        subs = [ln for ln in report.lines if ln.area == area.area and not ln.is_area]
        if subs:
            for figure in ("budget", "actual", "forecast"):
                total = sum((getattr(s, figure) for s in subs), start=type(area.budget)())
                assert total == getattr(area, figure), (area.area, figure)
