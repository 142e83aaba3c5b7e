"""The demo reproduces the Skärholmen T2 2017 protocol (shared/domain/skarholmen-t2-2017.md)."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from budget.checks.prepare import prepare
from budget.edge.inputs import load
from budget.report import sections
from budget.report.build import build_report
from budget.report.formats import json as json_render
from tests.conftest import DEMO

LSS = "Stöd och service till personer med funktionsnedsättning"


@cache
def report_json(period: int) -> dict[str, Any]:
    report = build_report(prepare(load(DEMO), period), datetime(2017, 9, 12, 10))
    data: dict[str, Any] = json.loads(json_render.render(report))
    return data


def area(data: dict[str, Any], name: str, sub: str | None = None) -> dict[str, Any]:
    return next(a for a in data["areas"] if a["area"] == name and a["subarea"] == sub)


def test_t2_forecasts_a_surplus_of_13_mnkr() -> None:
    data = report_json(8)
    assert (data["year"], data["period"], data["tertial"]) == (2017, 8, "T2")
    assert data["total"]["variance"] == pytest.approx(13_000_000, abs=50_000)


def test_t2_has_deficits_for_lss_and_hemtjanst_egen_regi() -> None:
    data = report_json(8)
    assert area(data, LSS)["variance"] < 0
    assert area(data, "Äldreomsorg", "Hemtjänst egen regi")["variance"] < 0
    assert area(data, LSS)["method"] == "manuell"
    assert area(data, LSS, "Boende enligt LSS")["comments"], "unit managers' comments carried"


def test_t2_requests_a_turnover_change_of_2_5_mnkr() -> None:
    data = report_json(8)
    assert data["budget_changes"]["requested_turnover_change"] == 2_500_000
    assert (
        data["decision"][1] == "Nämnden begär omslutningsförändring om 2,5\u00a0mnkr enligt bilaga."
    )
    assert data["decision"][0].startswith("Nämnden godkänner tertialrapport 2 2017")


def test_reconciliation_holds_to_the_ore() -> None:
    rec = report_json(8)["reconciliation"]
    assert round(rec["ledger_sum"] - rec["reported_sum"] - rec["excluded_sum"], 2) == 0
    assert rec["ledger_rows"] > 10_000
    assert rec["excluded_sum"] != 0


def test_goal_counts_match_the_protocol() -> None:
    goals = report_json(8)["goals"]
    counts = [
        (d["name"], d["area_goals"], d["area_goals_met_fully"]) for d in goals["direction_goals"]
    ]
    assert counts == [
        ("Ett Stockholm som håller samman", 7, 6),
        ("Ett klimatsmart Stockholm", 6, 5),
        ("Ett ekonomiskt hållbart Stockholm", 5, 5),
        ("Ett demokratiskt hållbart Stockholm", 8, 6),
    ]
    flagged = {f["code"] for f in goals["flags"]}
    assert {"utfall-saknas", "lagre-an-kf"} <= flagged


@pytest.mark.parametrize("period", [4, 8])
def test_the_report_follows_its_json_schema(period: int) -> None:
    from budget.edge.previous import schema_errors

    assert schema_errors(report_json(period)) == []


@pytest.mark.parametrize("period", [4, 8])
def test_delomraden_add_up_to_their_area_column_by_column(period: int) -> None:
    """Issue 11: a change posted on Äldreomsorg itself once made its delområden fall short."""
    data = report_json(period)
    for top in [a for a in data["areas"] if a["subarea"] is None]:
        subs = [a for a in data["areas"] if a["area"] == top["area"] and a["subarea"]]
        if not subs:
            continue
        for fig in ("budget", "actual", "forecast"):
            for side in ("costs", "revenues", "net"):
                assert round(sum(s[fig][side] for s in subs), 2) == top[fig][side], (
                    top["area"],
                    fig,
                    side,
                )
    unassigned = area(data, "Äldreomsorg", "Ej fördelat på delområde")
    assert unassigned["budget"]["costs"] != 0


def test_area_rows_sum_to_the_total() -> None:
    data = report_json(8)
    areas = [a for a in data["areas"] if a["subarea"] is None]
    for fig in ("budget", "actual", "forecast"):
        assert round(sum(a[fig]["net"] for a in areas) - data["total"][fig]["net"], 2) == 0


def test_t1_report_is_worded_for_t1() -> None:
    data = report_json(4)
    assert data["tertial"] == "T1"
    assert data["decision"][0].startswith("Nämnden godkänner tertialrapport 1 2017")


def test_t2_shows_the_track_record_for_2016_at_t1_and_t2() -> None:
    acc = report_json(8)["forecast_accuracy"]
    assert acc["year"] == 2016
    assert acc["percent_of"] == "budget"
    tertials = {(r["area"], r["tertial"]) for r in acc["rows"]}
    assert ("Förskoleverksamhet", "T1") in tertials
    assert ("Förskoleverksamhet", "T2") in tertials
    assert set(acc["best"]) >= {"Förskoleverksamhet", "Ekonomiskt bistånd"}
    assert "volym" in acc["methods"]


def test_volume_method_and_volumes_in_the_demo() -> None:
    data = report_json(8)
    assert area(data, "Förskoleverksamhet")["method"] == "volym"
    assert area(data, "Äldreomsorg", "Hemtjänst externa utförare")["method"] == "volym"
    assert area(data, "Äldreomsorg")["method"] == "blandad"
    measures = {v["measure"] for v in data["volumes"]}
    assert measures == {
        "Barnmånader",
        "Beviljade timmar",
        "Boendedygn",
        "Korttidsdygn",
        "Deltagarmånader",
        "Månadsplaceringar",
        "Hushållsmånader",
    }


def test_t1_to_t2_change_from_the_t1_report(tmp_path: Path) -> None:
    from budget.app.pipeline import make_report

    stamp = datetime(2017, 9, 12, 10)
    make_report(DEMO, 4, tmp_path, stamp)
    written = make_report(DEMO, 8, tmp_path, stamp)
    change = sections.change.SECTION.data(written.report)
    assert change is not None
    assert (change.previous_period, change.previous_tertial) == (4, "T1")
    hemtjanst = next(r for r in change.rows if r.subarea == "Hemtjänst egen regi")
    assert [r.text for r in hemtjanst.reasons] == [
        "Handlingsplanen ger effekt: scheman anpassade till färre beviljade timmar sedan maj."
    ], "the unit's reason for the change explains it, not its standing comment"
    html = (tmp_path / "skarholmen-2017-T2.html").read_text(encoding="utf-8")
    assert "Prognosförändring sedan tertialrapport 1 2017" in html
    assert "Metodernas träffsäkerhet 2016" in html
    assert "Nämndens rapporterade prognoser" in html
    assert (
        "Från ursprunglig budget till budget efter begärda förändringar per verksamhetsområde"
        in html
    )
    assert "Nämnden begär omslutningsförändring om 2,5\u00a0mnkr enligt bilaga." in html
    assert (tmp_path / "skarholmen-2017-T2-begaran.xlsx").exists()


def test_goal_section_shows_labels_indicators_and_flags(tmp_path: Path) -> None:
    from budget.app.pipeline import make_report

    make_report(DEMO, 8, tmp_path, datetime(2017, 9, 12, 10))
    html = (tmp_path / "skarholmen-2017-T2.html").read_text(encoding="utf-8")
    assert (
        "Förvaltningen bedömer att 6 av 7 verksamhetsområdesmål kommer att uppfyllas helt "
        "under året (2 av dem utan något periodutfall som stöd); genom dem bidrar nämnden till "
        "kommunfullmäktiges inriktningsmål."
    ) in html
    # A goal assessed green without any outcome is never in the plain fulfilled colour.
    assert '<span class="badge helt-utan-utfall">Bedöms uppfyllas helt – utan utfall</span>' in html
    assert "Årsmålet är lägre satt än föregående års utfall" in html
    assert '<span class="badge delvis">Bedöms uppfyllas delvis</span>' in html
    assert '<span class="badge helt">Bedöms bidra helt till målet</span>' in html
    assert "Uppfylls helt" not in html  # a forecast at T2, not a fact
    assert "Årsindikator, utfall vid årets slut" in html
    assert "Bedömt som helt uppfyllt utan periodutfall" in html
    assert "Nämndens årsmål är mindre ambitiöst än kommunfullmäktiges" in html
    assert "(lagre-an-kf)" not in html  # flag codes are for the JSON, not the text
    assert 'id="chart-mal"' in html


def test_charts_read_like_the_tables(tmp_path: Path) -> None:
    """No toolbar on screen or paper; months as the tables write them; volumes from zero."""
    import re

    from budget.checks.prepare import prepare
    from budget.report.build import build_report
    from budget.report.render.charts import chart_html
    from budget.report.sections import area_charts, volumes

    report = build_report(prepare(load(DEMO), 8), datetime(2017, 9, 12, 10))
    monthly = area_charts.SECTION.data(report).paths
    html = chart_html(area_charts.paths(monthly, report.unit, 8), "chart-manadsutfall")
    config = json.loads(re.findall(r"\{[^{}]*\"responsive\"[^{}]*\}", html)[-1])
    assert config["displayModeBar"] is False
    layout = area_charts.paths(monthly, report.unit, 8).to_plotly_json()["layout"]
    assert layout["xaxis"]["ticktext"] == [
        "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"
    ]  # fmt: skip
    volume = volumes.chart(volumes.SECTION.data(report).measures[0]).to_plotly_json()["layout"]
    assert volume["yaxis"]["rangemode"] == "tozero"
    assert volume["yaxis"]["tickformat"] == ",.0f"  # 20 000, not 20k


def test_make_demo_data_reproduces_the_committed_demo_byte_for_byte(tmp_path: Path) -> None:
    """`make demo-data` is deterministic and the committed demo is its output: a change of a
    writer (a library that serialises differently) shows here, not as a dirty checkout."""
    from scripts import make_demo

    target = tmp_path / DEMO.name
    make_demo.main(target)
    committed = {p.name: p.read_bytes() for p in DEMO.iterdir() if p.is_file()}
    written = {p.name: p.read_bytes() for p in target.iterdir() if p.is_file()}
    assert sorted(written) == sorted(committed)
    assert [n for n in sorted(written) if written[n] != committed[n]] == []
    archive = DEMO.parent / "arkiv"
    for new in sorted((tmp_path / "arkiv").iterdir()):
        assert new.read_bytes() == (archive / new.name).read_bytes(), new.name
