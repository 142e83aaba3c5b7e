"""The accuracy of the nämnd's reported forecasts (issue 17): earlier years' T1 and T2
reports, archived as JSON, against the year's outcome. Computed by hand.

The test folder (tests/conftest.Folder) gets a whole 2016 ledger: verksamhet 100
(Förskola) 90 000 kr of costs a month, 200 (Äldreomsorg › Hemtjänst egen regi) 40 000 kr.
The 2016 outcome is therefore Förskola −1 080 000, Äldreomsorg −480 000, in all −1 560 000.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from budget.cli import cli
from budget.core.accuracy import Archived, GivenArea, reported_record
from budget.core.ledger import LeafKey
from budget.core.money import Sides
from tests.conftest import DEMO, Folder, report_json

OUTCOME = {"Förskola": -1_080_000, "Äldreomsorg": -480_000}


def _ledger_2016(folder: Folder) -> None:
    rows = []
    for m in range(1, 13):
        rows += [
            [2016, m, "A1", "100", "5010", 90_000],
            [2016, m, "B1", "200", "5010", 40_000],
        ]
    folder.ledger(rows, name="utfall-2016.xlsx")


def _figures(net: dict[str, float]) -> dict[str, Any]:
    return {k: {"net": v} for k, v in net.items()}


def archive(
    year: int,
    period: int,
    forecasts: dict[str, float],
    budgets: dict[str, float],
    namnd: str = "Testnämnden",
    made: str = "2016-09-13T09:00:00",
    actual: dict[str, float] | None = None,
) -> dict[str, Any]:
    """A report JSON with only what the comparison reads, as an older version wrote it."""
    actual = actual or dict.fromkeys(forecasts, 0.0)
    return {
        "schema": "budget-report/1",
        "namnd": namnd,
        "year": year,
        "period": period,
        "generated_at": made,
        "areas": [
            {
                "area": area,
                "subarea": None,
                **_figures(
                    {"budget": budgets[area], "actual": actual[area], "forecast": forecasts[area]}
                ),
            }
            for area in forecasts
        ],
        "total": _figures(
            {
                "budget": sum(budgets.values()),
                "actual": sum(actual.values()),
                "forecast": sum(forecasts.values()),
            }
        ),
    }


BUDGET_2016 = {"Förskola": -1_100_000.0, "Äldreomsorg": -500_000.0}
T1 = archive(2016, 4, {"Förskola": -1_150_000.0, "Äldreomsorg": -450_000.0}, BUDGET_2016)
T2 = archive(2016, 8, {"Förskola": -1_070_000.0, "Äldreomsorg": -490_000.0}, BUDGET_2016)


def _put(folder: Path, name: str, data: Any) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    (folder / name).write_text(text, encoding="utf-8")


def _run(folder: Folder, tmp_path: Path) -> tuple[dict[str, Any], Path]:
    return report_json(folder.path, tmp_path)


def test_the_forecasts_given_against_the_ledger_outcome(folder: Folder, tmp_path: Path) -> None:
    _ledger_2016(folder)
    out = tmp_path / "out"
    _put(out, "testnamnd-2016-T1.json", T1)
    _put(out, "testnamnd-2016-T2.json", T2)
    data, out = _run(folder, tmp_path)
    found = data["reported_accuracy"]
    assert found["not_compared"] == []
    (year,) = found["years"]
    assert year["year"] == 2016
    assert year["actual_from"] == "huvudboken"
    assert year["reports"] == [
        {"tertial": "T1", "file": "testnamnd-2016-T1.json"},
        {"tertial": "T2", "file": "testnamnd-2016-T2.json"},
    ]
    rows = {(r["area"], r["tertial"]): r for r in year["rows"]}
    # Förskola at T1: −1 150 000 against −1 080 000, 70 000 worse, 6,36 % of 1 100 000.
    assert rows[("Förskola", "T1")] == {
        "area": "Förskola",
        "tertial": "T1",
        "forecast": -1_150_000,
        "budget": -1_100_000,
        "actual": -1_080_000,
        "error": -70_000,
        "error_percent": -6.36,
    }
    # Äldreomsorg at T1: −450 000 promised 30 000 more than came: +6 % of 500 000.
    assert (rows[("Äldreomsorg", "T1")]["error"], rows[("Äldreomsorg", "T1")]["error_percent"]) == (
        30_000,
        6.0,
    )
    assert rows[("Förskola", "T2")]["error"] == 10_000
    assert rows[("Äldreomsorg", "T2")]["error"] == -10_000
    totals = {t["tertial"]: t for t in year["total"]}
    # In all: −1 600 000 and −1 560 000 against −1 560 000.
    assert (totals["T1"]["actual"], totals["T1"]["error"], totals["T1"]["error_percent"]) == (
        -1_560_000,
        -40_000,
        -2.5,
    )
    assert (totals["T2"]["error"], totals["T2"]["error_percent"]) == (0, 0.0)
    assert year["not_in_structure"] == []
    assert not [w for w in data["warnings"] if w["code"] in ("W319", "W320", "W321")]

    html = (out / "testnamnd-2017-T1.html").read_text(encoding="utf-8")
    assert "Nämndens rapporterade prognoser" in html
    assert 'id="chart-rapporterade-prognoser"' in html
    assert "Prognosen i tertialrapport 1" in html
    # The summary compares with last year's forecast at the same tertial: 0,04 mnkr off
    # is less than the report's half unit, no "0,0 mnkr sämre".
    assert "Att jämföra med: prognosen i tertialrapport 1 2016 träffade utfallet" in html
    sheet = load_workbook(out / "testnamnd-2017-T1.xlsx", read_only=True)["Rapporterade prognoser"]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][:3] == ["År", "Tertial", "Verksamhetsområde"]
    assert [2016, "T1", "Nämnden totalt", -1_600_000, -1_600_000, -1_560_000, -40_000] in [
        r[:7] for r in values
    ]


def test_the_archive_folder_named_in_namnd_toml(folder: Folder, tmp_path: Path) -> None:
    _ledger_2016(folder)
    toml = folder.path / "namnd.toml"
    toml.write_text('arkiv = "../arkiv"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    _put(folder.path.parent / "arkiv", "tertialrapport-1-2016.json", T1)
    data, _ = _run(folder, tmp_path)
    (year,) = data["reported_accuracy"]["years"]
    assert year["reports"] == [{"tertial": "T1", "file": "../arkiv/tertialrapport-1-2016.json"}]
    assert [t["error"] for t in year["total"]] == [-40_000]


def test_an_area_this_years_structure_lacks(folder: Folder, tmp_path: Path) -> None:
    """The area has no outcome; the nämnd's total is compared all the same."""
    _ledger_2016(folder)
    forecasts = {"Förskola": -1_150_000.0, "Äldreomsorg": -400_000.0, "Fritid": -60_000.0}
    budgets = {"Förskola": -1_100_000.0, "Äldreomsorg": -450_000.0, "Fritid": -50_000.0}
    _put(tmp_path / "out", "x-2016-T1.json", archive(2016, 4, forecasts, budgets))
    data, out = _run(folder, tmp_path)
    (year,) = data["reported_accuracy"]["years"]
    fritid = next(r for r in year["rows"] if r["area"] == "Fritid")
    assert (fritid["actual"], fritid["error"], fritid["error_percent"]) == (None, None, None)
    assert year["not_in_structure"] == ["Fritid"]
    assert year["total"][0]["error"] == -1_610_000 + 1_560_000
    html = (out / "testnamnd-2017-T1.html").read_text(encoding="utf-8")
    assert "Fritid finns inte i årets" in html


def test_the_year_end_report_gives_the_outcome_when_the_ledger_lacks_the_year(
    folder: Folder, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    t2 = archive(2015, 8, {"Förskola": -1_000_000.0, "Äldreomsorg": -400_000.0}, BUDGET_2016)
    closing = archive(
        2015,
        12,
        {"Förskola": -1_030_000.0, "Äldreomsorg": -410_000.0},
        BUDGET_2016,
        actual={"Förskola": -1_030_000.0, "Äldreomsorg": -410_000.0},
    )
    _put(out, "a-2015-T2.json", t2)
    _put(out, "a-2015-helar.json", closing)
    lonely = archive(2014, 4, {"Förskola": -1.0, "Äldreomsorg": -1.0}, BUDGET_2016)
    _put(out, "a-2014-T1.json", lonely)
    data, _ = _run(folder, tmp_path)
    found = data["reported_accuracy"]
    (year,) = found["years"]
    assert (year["year"], year["actual_from"]) == (2015, "a-2015-helar.json")
    assert {r["area"]: r["error"] for r in year["rows"]} == {
        "Förskola": 30_000,
        "Äldreomsorg": 10_000,
    }
    assert found["not_compared"] == [
        {
            "file": "a-2014-T1.json",
            "reason": "utfallet för 2014 saknas: huvudboken för hela 2014 finns inte bland "
            "indata och ingen helårsrapport för 2014 finns i arkivet",
        }
    ]


def test_unusable_and_conflicting_archives_are_named(folder: Folder, tmp_path: Path) -> None:
    _ledger_2016(folder)
    out = tmp_path / "out"
    _put(out, "trasig-2016-T1.json", '{"schema": "budget-report/1", "namnd": ')
    broken = archive(2016, 8, {"Förskola": -1.0}, {"Förskola": -1.0})
    del broken["areas"][0]["forecast"]
    _put(out, "saknar-2016-T2.json", broken)
    # A figure no report of ours has, and a name no report can show (also W319).
    _put(out, "stor-2015-T2.json", archive(2015, 8, {"Förskola": 1e300}, {"Förskola": -1.0}))
    _put(out, "namn-2015-T1.json", archive(2015, 4, {"För\x01skola": -1.0}, {"För\x01skola": -1.0}))
    older = dict(T1, generated_at="2016-05-10T09:00:00")
    newer = archive(
        2016,
        4,
        {"Förskola": -1_140_000.0, "Äldreomsorg": -450_000.0},
        BUDGET_2016,
        made="2016-05-17T09:00:00",
    )
    _put(out, "a-2016-T1.json", newer)
    _put(out, "b-2016-T1.json", older)
    data, _ = _run(folder, tmp_path)
    warned = {(w["code"], w["file"]): w for w in data["warnings"]}
    assert "ogiltig JSON" in warned[("W319", "trasig-2016-T1.json")]["message"]
    missing = warned[("W319", "saknar-2016-T2.json")]
    assert missing["cell"] == "$.areas[0]"
    assert "forecast saknas" in missing["message"]
    assert "a-2016-T1.json används" in warned[("W320", "b-2016-T1.json")]["message"]
    # Refused where the number is read (the one size rule of issue 25), before any path.
    huge = warned[("W319", "stor-2015-T2.json")]
    assert "kan inte vara ett belopp" in huge["message"]
    assert huge["cell"] == "$.areas[0].forecast.net"  # where in the JSON, as jsonschema says
    assert warned[("W319", "namn-2015-T1.json")]["cell"] == "$.areas[0].area"
    (year,) = data["reported_accuracy"]["years"]
    assert year["reports"] == [{"tertial": "T1", "file": "a-2016-T1.json"}]
    assert year["total"][0]["forecast"] == -1_590_000


def test_files_that_are_no_archive_pass_unremarked(folder: Folder, tmp_path: Path) -> None:
    """Another nämnd's report, this year's, a monthly one and other JSON are no archive."""
    _ledger_2016(folder)
    out = tmp_path / "out"
    _put(out, "annan-2016-T1.json", archive(2016, 4, {"Förskola": -1.0}, {"Förskola": -1.0}, "X"))
    _put(out, "tidigare-2017-02.json", archive(2017, 2, {"Förskola": -1.0}, {"Förskola": -1.0}))
    _put(out, "testnamnd-2016-05.json", archive(2016, 5, {"Förskola": -1.0}, {"Förskola": -1.0}))
    _put(out, "validering.json", {"inputs": "x", "errors": 0})
    data, _ = _run(folder, tmp_path)
    assert data["reported_accuracy"] is None
    assert not [w for w in data["warnings"] if w["code"] in ("W319", "W320")]


def test_an_archive_setting_that_is_wrong(folder: Folder, tmp_path: Path) -> None:
    toml = folder.path / "namnd.toml"
    body = toml.read_text(encoding="utf-8")
    toml.write_text("arkiv = 5\n" + body, encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", str(folder.path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "E011" in result.output
    assert "arkiv" in result.output
    assert not (tmp_path / "o").exists()
    # A folder that is not there (a copied inputs folder) is a warning: the report is made.
    toml.write_text('arkiv = "../saknas"\n' + body, encoding="utf-8")
    data, _ = _run(folder, tmp_path)
    (w,) = [w for w in data["warnings"] if w["code"] == "W321"]
    assert (w["file"], w["value"]) == ("namnd.toml", "../saknas")


def test_the_demo_compares_its_2016_tertialrapporter() -> None:
    """The demo's archive: the 2016 reports the toolkit made from the inputs of the time."""
    names = sorted(p.name for p in (DEMO.parent / "arkiv").glob("*.json"))
    assert names == ["skarholmen-2016-T1.json", "skarholmen-2016-T2.json"]


class _Ledger:
    """A stand-in for core.ledger.Monthly: whole years, one leaf per area, net öre."""

    def __init__(self, years: dict[int, dict[str, int]]) -> None:
        self.years = years

    def months_with_rows(self, year: int) -> list[int]:
        return list(range(1, 13)) if year in self.years else []

    def leaves(self, year: int | None = None) -> set[LeafKey]:
        assert year is not None
        return {(a, None) for a in self.years.get(year, {})}

    def ytd(self, year: int, leaf: LeafKey, upto: int) -> Sides:
        return Sides(self.years[year][leaf[0]], 0)


AREAS = ("A", "B", "C")


@st.composite
def _archives(draw: st.DrawFn) -> list[Archived]:
    keys = draw(
        st.lists(
            st.tuples(st.integers(2010, 2016), st.sampled_from([4, 8, 12])),
            unique=True,
            max_size=8,
        )
    )
    out = []
    for year, period in keys:
        areas = draw(st.lists(st.sampled_from((*AREAS, "Gammalt")), unique=True, min_size=1))
        given = tuple(
            GivenArea(a, draw(st.integers(-(10**9), 0)), 0, draw(st.integers(-(10**9), 0)))
            for a in areas
        )
        total = GivenArea("", sum(g.budget for g in given), 0, sum(g.forecast for g in given))
        out.append(Archived(f"{year}-{period}.json", year, period, "", given, total))
    return out


@settings(max_examples=200, deadline=None)
@given(
    _archives(),
    st.dictionaries(
        st.integers(2010, 2016),
        st.fixed_dictionaries({a: st.integers(-(10**9), 0) for a in AREAS}),
    ),
)
def test_every_archived_tertial_report_is_compared_or_named(
    archived: list[Archived], years: dict[int, dict[str, int]]
) -> None:
    """Nothing is dropped: each T1 and T2 report is compared or listed with its reason;
    every error is forecast − outcome and the total's outcome is the whole ledger's."""
    found = reported_record(archived, _Ledger(years), set(AREAS))  # type: ignore[arg-type]
    tertials = {a.file for a in archived if a.period in (4, 8)}
    if found is None:
        assert not tertials
        return
    compared = {f for y in found.years for _, f in y.reports}
    named = {f for f, _ in found.not_compared}
    assert compared | named == tertials
    assert not compared & named
    for y in found.years:
        for g in y.rows:
            if g.area in AREAS and y.outcome == "huvudboken":
                assert g.error == g.forecast - years[y.year][g.area]
            if g.actual is None:
                assert g.area in y.unmatched
        for t in y.totals:
            if y.outcome == "huvudboken":
                assert t.actual == sum(years[y.year].values())


def _tertial(year: int, period: int, areas: dict[str, int]) -> Archived:
    given = tuple(GivenArea(a, -1_000_000, 0, f) for a, f in areas.items())
    total = GivenArea("", sum(g.budget for g in given), 0, sum(areas.values()))
    return Archived(f"{year}-{period}.json", year, period, "", given, total)


class _Partial(_Ledger):
    """A ledger whose year 2016 stops in November."""

    def months_with_rows(self, year: int) -> list[int]:
        return list(range(1, 12)) if year == 2016 else super().months_with_rows(year)


def test_a_partial_earlier_year_is_no_outcome() -> None:
    """Issue 26 (mutation audit): eleven months of 2016 are not its outcome."""
    t1 = _tertial(2016, 4, {"A": -900})
    found = reported_record([t1], _Partial({2016: {"A": -800}}), {"A"})  # type: ignore[arg-type]
    assert found is not None
    assert found.years == ()
    assert [f for f, _ in found.not_compared] == ["2016-4.json"]
    # With the year-end report archived, its actual is the outcome: −900 − (−700) = −200.
    closing = _tertial(2016, 12, {"A": -750})
    closing = Archived(
        closing.file, 2016, 12, "", (GivenArea("A", -1_000_000, -700, -700),), closing.total
    )
    found = reported_record([t1, closing], _Partial({2016: {"A": -800}}), {"A"})  # type: ignore[arg-type]
    assert found is not None
    (year,) = found.years
    assert (year.outcome, year.row("A", "T1").error) == ("2016-12.json", -200)  # type: ignore[union-attr]


def test_archived_years_newest_first() -> None:
    """Issue 26 (mutation audit): the report compares with the latest year first."""
    ledger = _Ledger({2015: {"A": -500}, 2016: {"A": -600}})
    archived = [_tertial(2015, 4, {"A": -450}), _tertial(2016, 4, {"A": -660})]
    found = reported_record(archived, ledger, {"A"})  # type: ignore[arg-type]
    assert found is not None
    assert [y.year for y in found.years] == [2016, 2015]
    # 2016: −660 against −600 is 60 worse; 2015: −450 against −500 is 50 better.
    assert [y.row("A", "T1").error for y in found.years] == [-60, 50]  # type: ignore[union-attr]


def test_an_archived_ej_fordelat_is_no_area() -> None:
    """Issue 26 (mutation audit): rows no area took are in the total, not compared alone."""
    ledger = _Ledger({2016: {"A": -600, "Ej fördelat": -40}})
    archived = [_tertial(2016, 8, {"A": -610, "Ej fördelat": -30})]
    found = reported_record(archived, ledger, {"A"})  # type: ignore[arg-type]
    assert found is not None
    (year,) = found.years
    assert year.areas == ("A",)
    assert [g.area for g in year.rows] == ["A"]
    assert year.unmatched == ()
    # The total holds both: −640 against −640.
    assert (year.total("T2").forecast, year.total("T2").actual) == (-640, -640)  # type: ignore[union-attr]


def test_a_forecast_off_by_half_the_unit_did_not_hit_the_outcome(
    folder: Folder, tmp_path: Path
) -> None:
    """Issue 26 (mutation audit): the edge of "träffade utfallet"."""
    _ledger_2016(folder)
    out = tmp_path / "out"
    # −1 150 000 − 460 000 = −1 610 000 against the outcome −1 560 000: 50 000 kr worse,
    # exactly half of the 0,1 mnkr the report shows, which rounds up to 0,1 mnkr.
    t1 = archive(2016, 4, {"Förskola": -1_150_000.0, "Äldreomsorg": -460_000.0}, BUDGET_2016)
    _put(out, "testnamnd-2016-T1.json", t1)
    data, out = _run(folder, tmp_path)
    (total,) = data["reported_accuracy"]["years"][0]["total"]
    assert total["error"] == -50_000
    html = (out / "testnamnd-2017-T1.html").read_text(encoding="utf-8")
    assert "prognosen i tertialrapport 1 2016 var 0,1 mnkr sämre än utfallet" in html
