"""Att granska (contract §7): each review code is one rule over the figures."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner

from budget.cli import cli
from budget.core import review
from budget.core.changes import ADJUSTMENT, GRANTED, REQUESTED, TURNOVER, Change
from budget.core.investments import Project
from budget.core.lines import Line
from budget.core.measures import Measure
from budget.core.money import Sides
from budget.report.decision import proposal
from tests.conftest import Folder

MNKR = 100_000_000  # öre


def _line(area: str, budget: Sides, forecast: Sides, subarea: str | None = None) -> Line:
    return Line(area, subarea, budget, Sides(), forecast)


def _facts(lines: list[Line], **kw: object) -> review.Facts:
    return review.Facts(lines=lines, unit="mnkr", threshold=MNKR // 2, **kw)  # type: ignore[arg-type]


def codes(items: tuple[review.Item, ...]) -> list[tuple[str, str | None]]:
    """The items' codes and areas, but the analysis text's (analys-saknas, analys-siffra:
    tests/test_analysis.py), which every deviation without analys.docx gives."""
    return [(i.code, i.area) for i in items if not i.code.startswith("analys-")]


def test_default_threshold_is_half_the_unit() -> None:
    assert review.threshold("mnkr", None) == MNKR // 2
    assert review.threshold("tkr", None) == 50_000
    assert review.threshold("mnkr", 123) == 123


def test_a_deficit_beyond_the_threshold_without_measure() -> None:
    lines = [
        _line("LSS", Sides(-10 * MNKR), Sides(-11 * MNKR)),  # −1,0: asked
        _line("IFO", Sides(-10 * MNKR), Sides(-10 * MNKR - MNKR // 2)),  # −0,5: not beyond
        _line("Äldre", Sides(-10 * MNKR), Sides(-12 * MNKR)),  # −2,0 with a measure
    ]
    measure = Measure("Äldre", None, "Scheman", 1, "Planerad", False)
    found = review.review(_facts(lines, measures=[measure]))
    assert codes(found) == [("underskott-utan-atgard", "LSS")]
    assert "1,0\u00a0mnkr" in found[0].message


def _change(kind: str, status: str, area: str, costs: int, revenues: int) -> Change:
    return Change(kind, status, area, None, costs, revenues, "Beskrivning")


def test_a_budgetjustering_where_the_surplus_is_larger() -> None:
    lines = [
        _line("EB", Sides(-10 * MNKR), Sides(-5 * MNKR)),  # +5,0
        _line("IFO", Sides(-10 * MNKR), Sides(-9 * MNKR)),  # +1,0
    ]
    changes = [
        _change(ADJUSTMENT, GRANTED, "EB", 3 * MNKR, 0),
        _change(ADJUSTMENT, REQUESTED, "IFO", 2 * MNKR, 0),  # surplus smaller: fine
        _change(TURNOVER, GRANTED, "EB", 9 * MNKR, 9 * MNKR),  # not a budgetjustering
    ]
    assert codes(review.review(_facts(lines, changes=changes))) == [
        ("budgetjustering-vid-overskott", "EB")
    ]


def test_a_requested_turnover_the_unit_forecasts_leave_out() -> None:
    # Budget revenues include the requested 1,5 mnkr statsbidrag; the units forecast
    # revenues 1,1 mnkr short of it.
    lines = [
        _line("LSS", Sides(-20 * MNKR, 5 * MNKR), Sides(-20 * MNKR, 5 * MNKR - 110_000_000)),
        _line("IFO", Sides(-20 * MNKR, 5 * MNKR), Sides(-20 * MNKR, 5 * MNKR)),
    ]
    changes = [
        _change(TURNOVER, REQUESTED, "LSS", 150_000_000, 150_000_000),
        _change(TURNOVER, REQUESTED, "IFO", 150_000_000, 150_000_000),
    ]
    found = review.review(_facts(lines, changes=changes, manual_areas=frozenset({"LSS", "IFO"})))
    # The revenue shortfall is also a deficit of 1,1 mnkr without an åtgärd.
    assert codes(found) == [
        ("underskott-utan-atgard", "LSS"),
        ("omslutning-saknas-i-prognos", "LSS"),
    ]
    assert "1,1\u00a0mnkr under budgeten" in found[1].message
    # On an area the toolkit forecasts from the ledger, the method adds it: nothing to ask.
    found = review.review(_facts(lines, changes=changes, manual_areas=frozenset()))
    assert "omslutning-saknas-i-prognos" not in [i.code for i in found]


def test_an_investment_decision_the_proposal_lacks() -> None:
    late = Project("P1", "Ny förskola", "Förskola", 4 * MNKR, MNKR, 2 * MNKR, None, False)
    on_time = Project("P2", "Lekplats", None, MNKR, MNKR, MNKR, None, False)
    assert codes(review.review(_facts([], projects=[late, on_time]))) == [
        ("investering-utan-beslut", "Förskola")
    ]
    points = proposal(2017, 8, [], "mnkr", projects=[late, on_time])
    assert (
        "Nämnden begär ombudgetering av investeringsmedel om 2,0\u00a0mnkr för projektet "
        "Ny förskola (P1) till 2018."
    ) in points
    assert points[-1] == "Paragrafen förklaras omedelbart justerad."
    assert not review.review(_facts([], projects=[late, on_time], decision=points))


def test_review_reaches_the_json_and_the_figure_it_concerns(folder: Folder, tmp_path: Path) -> None:
    # Förskola forecasts linearly from the ledger: 4 months of 0,09 mnkr net cost is
    # 1,08 mnkr a year against a budget of 1,08: make its budget smaller for a deficit.
    folder.settings(
        methods={"standard": "linjar"},
    )
    (folder.path / "namnd.toml").write_text(
        (folder.path / "namnd.toml").read_text(encoding="utf-8")
        + "[granskning]\nunderskott = 1000\n",
        encoding="utf-8",
    )
    folder.budget(
        [
            [2017, "100", "5010", 900_000],
            [2017, "100", "3410", -120_000],
            [2017, "200", "5010", 600_000],
            [2017, "201", "4610", 240_000],
        ]
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["report", str(folder.path), "--out", str(out), "--generated-at", "2017-05-10T09:00"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert ("underskott-utan-atgard", "Förskola") in [
        (i["code"], i["area"]) for i in data["review"]
    ]
    (number,) = [
        n for n, i in enumerate(data["review"], 1) if i["code"] == "underskott-utan-atgard"
    ]
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    # Without mal.xlsx the review is still its own chapter, listed in the contents ...
    assert not (folder.path / "mal.xlsx").exists()
    assert '<li><a href="#att-granska">Att granska</a></li>' in html
    chapter = html.split('<section id="att-granska"')[1].split("</section>")[0]
    item = chapter.split(f'<li id="granska-{number}">')[1].split("</li>")[0]
    assert "Underskott utan åtgärd</strong>: Förskola." in item
    # ... the item links to the row of the figure it concerns, and that row is marked with
    # the item's number and label in text (not colour alone), linking back to the item.
    target = item.split('<a href="#')[1].split('"')[0]
    row = html.split(f'<tr class="area" id="{target}">')[1].split("</tr>")[0]
    assert '<th scope="row">Förskola' in row
    assert (
        f'<a class="review-mark" href="#granska-{number}">Att granska {number}: '
        "underskott utan åtgärd</a>"
    ) in row
    # The summary on the first page names it too.
    summary = html.split('<section id="sammanfattning"')[1].split("</section>")[0]
    assert f'<a href="#granska-{number}">' in summary
    # The workbook has it beside the area's figures and explained in its own sheet.
    from openpyxl import load_workbook

    wb = load_workbook(next(out.glob("*-T1.xlsx")))
    economy = [[c.value for c in r] for r in wb["Ekonomi"].iter_rows()]
    header = next(r for r in economy if "Att granska" in r)
    column = header.index("Att granska")
    (forskola,) = [r for r in economy if r[0] == "Förskola" and not r[1]]
    assert "Underskott utan åtgärd" in forskola[column]
    explained = [[c.value for c in r] for r in wb["Att granska"].iter_rows()]
    assert any(r[1] == "underskott-utan-atgard" and r[2] == "Förskola" for r in explained)


def test_an_investment_item_is_marked_beside_its_project(tmp_path: Path) -> None:
    from dataclasses import replace

    from budget.app.pipeline import make_report
    from budget.report.formats import html
    from tests.conftest import DEMO

    report = make_report(DEMO, 8, tmp_path, datetime(2017, 9, 12, 10)).report
    asked = review.Item("investering-utan-beslut", "Förskoleverksamhet", "Saknas.", "P17-01")
    other = review.Item("underskott-utan-atgard", "Äldreomsorg", "Underskott.")
    page = html.render(replace(report, review=(other, asked))).decode()
    anchor = "projekt-" + b"P17-01".hex()
    row = page.split(f'<tr id="{anchor}">')[1].split("</tr>")[0]
    assert "(P17-01" in row
    assert 'href="#granska-2">Att granska 2: investering som behöver beslut' in row
    # The project's item is not marked on its area's row; the area's own item is.
    area = page.split('<tr class="area" id="omrade-')[1:]
    marks = [a.split("</tr>")[0] for a in area if "review-mark" in a.split("</tr>")[0]]
    (mark,) = marks
    assert "Äldreomsorg" in mark
    assert "granska-1" in mark
    item = page.split('<li id="granska-2">')[1].split("</li>")[0]
    assert f'<a href="#{anchor}">Se siffran</a>' in item
    # The analysis prints a figure it contradicts beside the text, numbered as listed.
    said = review.Item("analys-siffra", "Förskoleverksamhet", "Texten säger 5,0 mnkr.")
    page = html.render(replace(report, review=(other, asked, said))).decode()
    assert (
        '<a href="#granska-3">Att granska 3</a> – siffra i analysen:</strong> '
        "Texten säger 5,0 mnkr."
    ) in page


def test_every_code_of_the_registry_is_found_by_its_own_rule() -> None:
    # One registry: a folder that raises every question gets one item per code, each from
    # the rule registered with it, in the registry's order, each with its label.
    from budget.core.analysis import Source
    from budget.core.register import HistoryPoint
    from tests.test_analysis import account, heading, para

    lines = [
        _line("LSS", Sides(-20 * MNKR, 5 * MNKR), Sides(-20 * MNKR, 5 * MNKR - 110_000_000)),
        _line("EB", Sides(-10 * MNKR), Sides(-5 * MNKR)),
    ]
    facts = _facts(
        lines,
        changes=[
            _change(TURNOVER, REQUESTED, "LSS", 150_000_000, 150_000_000),
            _change(ADJUSTMENT, GRANTED, "EB", 3 * MNKR, 0),
        ],
        manual_areas=frozenset({"LSS"}),
        projects=[Project("P1", "Ny förskola", "EB", 4 * MNKR, MNKR, 2 * MNKR, None, False)],
        history=[HistoryPoint(p, "EB", -n * MNKR) for p, n in ((4, 1), (6, 3), (8, 5))],
        # EB's text contradicts its surplus; LSS's deficit has no text.
        analysis=account(
            Source("analys.md", (heading("EB"), para("Ett underskott på 2,0 mnkr."))),
            lines,
            "mnkr",
        ).analysis,
    )
    for record in review.CODES:
        assert {i.code for i in record.rule(facts)} == {record.code}, record.code
        assert review.LABELS[record.code] == record.label
        assert record.label[0].isupper()
    found = review.review(facts)
    assert [i.code for i in found] == [c.code for c in review.CODES]
