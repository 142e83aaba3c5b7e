"""The year as a register (contract §8): changes requested and granted by period, the units'
forecasts by collection, ledger rows after the period counted apart, the forecast's path
through the year's reports, and the rule that a report for P made later is the report
made at P."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget.app.pipeline import make_report
from budget.checks.prepare import prepare
from budget.core import changes as ch
from budget.core import register
from budget.core.accuracy import Archived, GivenArea
from budget.edge.inputs import load
from budget.edge.readers import read_changes
from budget.edge.sheets import CHANGES, FORECASTS
from budget.report.build import build_report
from budget.report.formats.json import to_dict
from budget.report.sections import reconciliation
from tests.conftest import Folder, write_xlsx

AT = datetime(2017, 9, 12, 10)
REGISTER_HEADER = CHANGES.header("Begärd i", "Beviljad i")
FORECAST_HEADER = FORECASTS.header("Delområde", "Period")


def _change(requested: int | None, granted: int | None, status: str = "") -> ch.Change:
    return ch.Change(
        ch.TURNOVER, status, "Förskola", None, 100, 100, "x", requested_in=requested,
        granted_in=granted,
    )  # fmt: skip


# --- the register's statuses ------------------------------------------------------------


@pytest.mark.parametrize(
    ("requested", "granted", "period", "expected"),
    [
        (4, 6, 3, None),  # not yet requested: the report ignores it
        (4, 6, 4, ch.REQUESTED),  # requested in this report
        (4, 6, 5, ch.PENDING),  # requested earlier, not yet granted
        (4, 6, 6, ch.GRANTED),
        (4, 6, 12, ch.GRANTED),
        (4, None, 8, ch.PENDING),
        (None, 1, 1, ch.GRANTED),  # granted from January (in the budget's year)
        (None, 5, 4, None),
        (8, 8, 8, ch.GRANTED),  # granted by the report's own period
    ],
)
def test_status_at_each_period(
    requested: int | None, granted: int | None, period: int, expected: str | None
) -> None:
    assert ch.status_at(_change(requested, granted), period) == expected


def test_a_row_without_the_register_keeps_its_status() -> None:
    for status in (ch.GRANTED, ch.REQUESTED):
        assert ch.status_at(_change(None, None, status), 4) == status
        assert ch.status_at(_change(None, None, status), 12) == status


def test_pending_changes_are_not_in_the_budget() -> None:
    changes = ch.as_of([_change(4, None), _change(8, None)], 8)
    assert [c.status for c in changes] == [ch.PENDING, ch.REQUESTED]
    bridge = ch.bridge({}, changes)
    assert bridge.revised(("Förskola", None)).costs == -100  # the requested one only
    assert ch.requested_turnover(changes) == 100
    assert ch.turnover_by_leaf(changes)[("Förskola", None)].costs == -100


# --- reading the register ---------------------------------------------------------------


def _register(path: Path, rows: list[list[Any]]) -> Path:
    return write_xlsx(path / "forandringar.xlsx", {"Förändringar": [REGISTER_HEADER, *rows]})


def test_register_columns_are_read_as_months(tmp_path: Path) -> None:
    rows = [
        ["Omslutningsförändring", "Förskola", 100, 100, "a", "T1", 6],
        ["Budgetjustering", "Förskola", 100, 0, "b", "t2", "Tertial 3"],
        ["Budgetjustering", "Förskola", 100, 0, "c", "5", None],
        ["Budgetjustering", "Förskola", 100, 0, "d", None, "12"],
    ]
    read = read_changes(_register(tmp_path, rows), "forandringar.xlsx")
    assert read.diagnostics == []
    got = read.frame.select("requested_in", "granted_in", "status").rows()
    assert got == [(4, 6, None), (8, 12, None), (5, None, None), (None, 12, None)]


@pytest.mark.parametrize(
    ("requested", "granted", "code", "cell"),
    [
        ("T2", "T1", "E243", "G2"),  # granted before it was requested
        (13, None, "E241", "F2"),  # no month
        (0, None, "E241", "F2"),
        ("T4", None, "E242", "F2"),  # no tertial
        (None, "Tertial fyra", "E242", "G2"),
        (None, None, "E244", "F2"),  # neither Status nor the register
    ],
)
def test_bad_register_rows_name_their_cell(
    tmp_path: Path, requested: Any, granted: Any, code: str, cell: str
) -> None:
    rows = [["Budgetjustering", "Förskola", 100, 0, "x", requested, granted]]
    read = read_changes(_register(tmp_path, rows), "forandringar.xlsx")
    found = [(d.code, d.cell, d.file, d.sheet) for d in read.diagnostics]
    assert found == [(code, cell, "forandringar.xlsx", "Förändringar")]
    assert read.diagnostics[0].expected


# --- the forecast register ----------------------------------------------------------------


def _forecast_frame(periods: list[int | None]) -> pl.DataFrame:
    return pl.DataFrame({"period": periods, "costs": list(range(len(periods)))}).cast(
        {"period": pl.Int8}
    )


def test_a_report_uses_its_periods_collection() -> None:
    frame = _forecast_frame([4, 4, 8, None])
    assert register.forecast_rows(frame, 8)["costs"].to_list() == [2, 3]
    assert register.forecast_rows(frame, 6)["costs"].to_list() == [0, 1, 3]  # T1's, latest ≤ 6
    assert register.forecast_rows(frame, 3)["costs"].to_list() == [3]  # none yet
    assert register.forecast_period(frame, 12) == 8
    previous = register.previous_rows(frame, 8)
    assert previous is not None
    assert previous["costs"].to_list() == [0, 1]
    assert register.previous_rows(frame, 4) is None


# --- forecast history and the review item -----------------------------------------------


def _archived(period: int, **forecasts: int) -> Archived:
    areas = tuple(GivenArea(a, 0, 0, f) for a, f in forecasts.items())
    return Archived(f"x-{period}.json", 2017, period, "", areas, GivenArea("", 0, 0, 0))


def test_history_orders_areas_as_the_report_and_leaves_out_later_reports() -> None:
    earlier = [_archived(4, A=-10, B=-5), _archived(2, A=-9), _archived(9, A=0)]
    points = register.history(earlier, 8, {"B": -6, "A": -12})
    assert [(p.area, p.period, p.forecast_net) for p in points] == [
        ("B", 4, -5),
        ("B", 8, -6),
        ("A", 2, -9),
        ("A", 4, -10),
        ("A", 8, -12),
    ]


@pytest.mark.parametrize(
    ("series", "flagged"),
    [
        ([-100, -200, -300], True),
        ([-100, -200, -200], False),  # held in the last report
        ([-100, -90, -300], False),  # better, then worse: once
        ([-100, -200], False),  # two reports: one change
        ([-300, -100, -200, -300], True),  # the last two count
        ([-100, -149, -198], False),  # each within the threshold
    ],
)
def test_worsening_twice_in_a_row(series: list[int], flagged: bool) -> None:
    points = [register.HistoryPoint(i + 1, "A", f) for i, f in enumerate(series)]
    found = register.worsening(points, threshold=50)
    assert bool(found) == flagged
    if flagged:
        assert found[0].code == "prognos-forsamras"
        assert "två rapporter i rad" in found[0].message("tkr")


# --- reports made in a row ----------------------------------------------------------------


def _manual_folder(path: Path, months: int, forecasts: dict[int, int]) -> Folder:
    folder = Folder(path)
    folder.settings(methods={"standard": "linjar", "Förskola": "manuell"})
    rows = []
    for m in range(1, months + 1):
        rows += [
            [2017, m, "A1", "100", "5010", 100_000],
            [2017, m, "B1", "200", "5010", 50_000],
            [2017, m, "B2", "201", "4610", 20_000],
        ]
    folder.ledger(rows)
    write_xlsx(
        path / "prognos.xlsx",
        {
            "Prognos": [
                FORECAST_HEADER,
                *(["Förskola", None, costs, 0, p] for p, costs in forecasts.items()),
            ]
        },
    )
    return folder


def test_monthly_reports_carry_the_forecasts_path_and_flag_a_worsening(tmp_path: Path) -> None:
    forecasts = {2: 1_200_000, 3: 1_300_000, 4: 1_400_000, 5: 1_400_000}
    folder = _manual_folder(tmp_path / "testnamnd-2017", 5, forecasts)
    out = tmp_path / "rapporter"
    for p in (2, 3, 4, 5):
        make_report(folder.path, p, out, AT)
    t1 = json.loads((out / "testnamnd-2017-T1.json").read_text(encoding="utf-8"))
    ours = [h for h in t1["forecast_history"] if h["area"] == "Förskola"]
    assert [(h["period"], h["forecast_net"]) for h in ours] == [
        (2, -1_200_000.0),
        (3, -1_300_000.0),
        (4, -1_400_000.0),
    ]
    assert [(r["code"], r["area"]) for r in t1["review"]] == [("prognos-forsamras", "Förskola")]
    html = (out / "testnamnd-2017-T1.html").read_text(encoding="utf-8")
    assert "Prognosens utveckling under året" in html
    assert "chart-prognosutveckling" in html
    assert "prognosen har försämrats i två rapporter i rad" in html
    # Beside the chart and on the area's row, numbered and linked to the list Att granska.
    history = html.split('id="h-prognosens-utveckling"')[1].split("</section>")[0]
    assert '<a href="#granska-1">Att granska 1</a>: prognosen har försämrats' in history
    assert '<li id="granska-1"><strong>Prognosen har försämrats i två rapporter i rad' in html
    may = json.loads((out / "testnamnd-2017-05.json").read_text(encoding="utf-8"))
    assert may["review"] == []  # held in May
    assert {h["period"] for h in may["forecast_history"]} == {2, 3, 4, 5}


def test_the_first_report_of_the_year_has_its_own_forecast_only(tmp_path: Path) -> None:
    folder = _manual_folder(tmp_path / "testnamnd-2017", 2, {2: 1_200_000})
    written = make_report(folder.path, 2, tmp_path / "out", AT)
    data = json.loads((tmp_path / "out" / "testnamnd-2017-02.json").read_text(encoding="utf-8"))
    assert {h["period"] for h in data["forecast_history"]} == {2}
    assert "Prognosens utveckling" not in (tmp_path / "out" / "testnamnd-2017-02.html").read_text(
        encoding="utf-8"
    )
    assert written.report.review == ()


# --- the reproducibility rule as a property -----------------------------------------------

AREAS = ["Förskola", "Äldreomsorg"]
registered = st.tuples(
    st.sampled_from(["Omslutningsförändring", "Budgetjustering"]),
    st.sampled_from(AREAS),
    st.integers(1, 500_000),
    st.integers(1, 12),  # Begärd i (clipped to Q)
    st.one_of(st.none(), st.integers(0, 6)),  # months from request to grant
)


@st.composite
def years(draw: st.DrawFn) -> dict[str, Any]:
    q = draw(st.integers(2, 12))
    p = draw(st.integers(1, q - 1))
    amounts = draw(st.lists(st.integers(-50_000, 200_000), min_size=q * 3, max_size=q * 3))
    changes = draw(st.lists(registered, max_size=4))
    collections = draw(st.sets(st.integers(2, q), max_size=3)) | {1}
    forecasts = {c: draw(st.integers(1_000_000, 1_500_000)) for c in sorted(collections)}
    return {"p": p, "q": q, "amounts": amounts, "changes": changes, "forecasts": forecasts}


def _folder_as_of(path: Path, year: dict[str, Any], at: int) -> Path:
    """The year's folder as it stands at period ``at``: the ledger to ``at``, the changes
    requested by then (granted only where granted by then), the collections made by then."""
    folder = Folder(path)
    folder.settings(methods={"standard": "linjar", "Förskola": "manuell"})
    codes = [("A1", "100", "5010"), ("B1", "200", "5010"), ("B2", "201", "4610")]
    amounts = iter(year["amounts"])
    rows = []
    for m in range(1, year["q"] + 1):
        for ansvar, code, konto in codes:
            amount = next(amounts)
            if m <= at:
                rows.append([2017, m, ansvar, code, konto, amount])
    folder.ledger(rows)
    changes = []
    for i, (kind, area, amount, asked, wait) in enumerate(year["changes"]):
        asked = min(asked, year["q"])
        granted = None if wait is None else asked + wait
        if asked > at:
            continue
        revenues = amount if kind == "Omslutningsförändring" else 0
        shown = granted if granted is not None and granted <= at else None
        changes.append([kind, area, amount, revenues, f"förändring {i}", asked, shown])
    write_xlsx(path / "forandringar.xlsx", {"Förändringar": [REGISTER_HEADER, *changes]})
    forecast_rows = [
        ["Förskola", None, costs, 100_000, c] for c, costs in year["forecasts"].items() if c <= at
    ]
    write_xlsx(path / "prognos.xlsx", {"Prognos": [FORECAST_HEADER, *forecast_rows]})
    return path


def _figures(folder: Path, period: int) -> dict[str, Any]:
    data = to_dict(build_report(prepare(load(folder), period), AT))
    data.pop("inputs")  # the files themselves differ: that is the point
    for item in data["budget_changes"]["items"]:
        item.pop("source")  # its row: the register at P lacks the rows requested later
    data["reconciliation"] = {
        k: v for k, v in data["reconciliation"].items() if not k.startswith("after_period")
    }
    return data


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(years())
def test_a_report_made_later_is_the_report_made_at_its_period(year: dict[str, Any]) -> None:
    p, q = year["p"], year["q"]
    with tempfile.TemporaryDirectory() as tmp:
        then = _folder_as_of(Path(tmp) / "then" / "testnamnd-2017", year, p)
        now = _folder_as_of(Path(tmp) / "now" / "testnamnd-2017", year, q)
        assert _figures(now, p) == _figures(then, p)
        later = reconciliation.SECTION.data(build_report(prepare(load(now), p), AT))
        after = [a for i, a in enumerate(year["amounts"]) if i // 3 >= p]
        assert later.after_period_rows == len(after)
        assert later.after_period_sum == sum(after) * 100


def test_a_pending_change_is_shown_apart_and_never_requested_again(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    folder = Folder(tmp_path / "testnamnd-2017")
    _register(
        folder.path,
        [
            ["Omslutningsförändring", "Förskola", 50_000, 50_000, "Statsbidrag", "2", None],
            ["Budgetjustering", "Äldreomsorg", 20_000, 0, "Fler timmar", "T1", None],
        ],
    )
    out = tmp_path / "out"
    make_report(folder.path, 4, out, AT)
    data = json.loads((out / "testnamnd-2017-T1.json").read_text(encoding="utf-8"))
    items = data["budget_changes"]["items"]
    assert [(i["status"], i["description"]) for i in items] == [
        ("Väntande", "Statsbidrag"),
        ("Begärd", "Fler timmar"),
    ]
    assert data["budget_changes"]["requested_turnover_change"] == 0.0
    assert data["budget_changes"]["requested_net_adjustment"] == -20_000.0
    bridge = {b["area"]: b for b in data["budget_changes"]["bridge"]}
    assert bridge["Förskola"]["revised"] == bridge["Förskola"]["original"]  # not in the budget
    html = (out / "testnamnd-2017-T1.html").read_text(encoding="utf-8")
    assert "Väntande: begärda i en tidigare rapport" in html
    ws = load_workbook(out / "testnamnd-2017-T1-begaran.xlsx")["Begäran"]
    texts = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "Fler timmar" in texts
    assert texts.count("Statsbidrag") == 1  # named once, under Väntande
    assert "Väntande" in texts
    assert any(t.startswith("Väntande: begärda i en tidigare rapport") for t in texts)
