"""The nämnd's document: front matter, labels and rows that mean what they say (issue 13)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from budget.cli import cli
from budget.core import fmt
from budget.core.fmt import half_unit
from budget.core.ledger import UNASSIGNED_SUBAREA, UNMAPPED
from budget.edge.config import read_settings
from budget.edge.sheets import FORECASTS
from budget.report.model import Comment
from budget.report.sections.change import AreaChange, change_explanation
from tests.conftest import Folder, write_xlsx

BASE = 'namnd = "Testnämnden"\nar = 2017\n'


def _settings(tmp_path: Path, extra: str) -> tuple[object, list[str]]:
    toml = tmp_path / "namnd.toml"
    toml.write_text(BASE + extra, encoding="utf-8")
    settings, problems = read_settings(toml, "namnd.toml")
    return settings, [p.text() for p in problems]


def test_front_matter_is_read_from_namnd_toml(tmp_path: Path) -> None:
    settings, problems = _settings(
        tmp_path,
        'diarienummer = "1.2.1-289/2017"\n"handläggare" = "Karin Ek"\ndatum = 2017-09-12\n',
    )
    assert problems == []
    assert settings.diarienummer == "1.2.1-289/2017"  # type: ignore[attr-defined]
    assert settings.handlaggare == "Karin Ek"  # type: ignore[attr-defined]
    assert settings.datum == date(2017, 9, 12)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ('datum = "12 september"\n', "datum"),
        ("datum = 2017-09-12T10:00:00\n", "datum"),
        ("diarienummer = 289\n", "diarienummer"),
        ('handlaggare = ""\n', "handläggare"),
    ],
)
def test_bad_front_matter_names_its_key(tmp_path: Path, extra: str, named: str) -> None:
    settings, problems = _settings(tmp_path, extra)
    assert settings is None
    assert len(problems) == 1
    assert named in problems[0]


def _report(folder: Folder, out: Path) -> tuple[dict[str, Any], str, list[list[Any]]]:
    result = CliRunner().invoke(
        cli, ["report", str(folder.path), "--out", str(out), "--generated-at", "2017-09-12T10:00"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "testnamnd-2017-T1.json").read_text(encoding="utf-8"))
    html = (out / "testnamnd-2017-T1.html").read_text(encoding="utf-8")
    economy = load_workbook(out / "testnamnd-2017-T1.xlsx")["Ekonomi"]
    rows = [[c.value for c in row] for row in economy.iter_rows(min_row=2)]
    return data, html, rows


def _names(data: dict[str, Any]) -> list[str]:
    return [a["subarea"] or a["area"] for a in data["areas"]]


def test_an_empty_ej_fordelat_is_in_the_json_but_not_in_the_document(
    folder: Folder, tmp_path: Path
) -> None:
    # A posting on a code missing from struktur.xlsx, reversed the same month.
    rows = [[2017, m, "A1", "100", "5010", 100_000] for m in range(1, 5)]
    rows += [[2017, 3, "A1", "999", "6410", 12_500], [2017, 3, "A1", "999", "6410", -12_500]]
    folder.ledger(rows)
    data, html, sheet = _report(folder, tmp_path / "out")
    assert UNMAPPED in _names(data)  # contract §2: unmapped rows have an area of their own
    for table in ("h-ekonomi", "h-budgetforandringar"):
        assert (
            f'<th scope="row">{UNMAPPED}</th>'
            not in html.split(f'id="{table}"')[1].split("</section>")[0]
        )
    assert all(row[0] != UNMAPPED for row in sheet)


def test_ej_fordelat_shows_when_something_is_there(folder: Folder, tmp_path: Path) -> None:
    rows = [[2017, m, "A1", "100", "5010", 100_000] for m in range(1, 5)]
    rows += [[2017, 2, "A1", "999", "5010", 4_000]]
    folder.ledger(rows)
    _, html, sheet = _report(folder, tmp_path / "out")
    economy = html.split('id="h-ekonomi"')[1].split("</table>")[0]
    assert f'<th scope="row">{UNMAPPED}</th>' in economy
    assert any(row[0] == UNMAPPED for row in sheet)


def test_an_area_level_omslutning_moves_no_side_and_shows_no_empty_net_line(
    folder: Folder, tmp_path: Path
) -> None:
    """Äldreomsorg has delområden; a change on the area itself lands outside them."""
    folder.changes(
        [["Omslutningsförändring", "Beviljad", "Äldreomsorg", 400_000, 400_000, "Statsbidrag"]]
    )
    data, html, sheet = _report(folder, tmp_path / "out")
    line = next(a for a in data["areas"] if a["subarea"] == UNASSIGNED_SUBAREA)
    assert line["budget"]["costs"] == line["forecast"]["costs"] == -400_000
    assert line["budget"]["revenues"] == line["forecast"]["revenues"] == 400_000
    area = next(a for a in data["areas"] if a["area"] == "Äldreomsorg" and a["subarea"] is None)
    ledger_driven = area["forecast"]["costs"] - area["budget"]["costs"]
    # The omslutning is in the budget and in the forecast: it is no deviation of either side.
    assert ledger_driven == sum(
        a["forecast"]["costs"] - a["budget"]["costs"]
        for a in data["areas"]
        if a["area"] == "Äldreomsorg" and a["subarea"] not in (None, UNASSIGNED_SUBAREA)
    )
    economy = html.split('id="h-ekonomi"')[1].split("</table>")[0]
    assert UNASSIGNED_SUBAREA not in economy  # nothing in its net figures
    assert any(row[1] == UNASSIGNED_SUBAREA for row in sheet)  # the workbook shows the sides


def test_a_budget_with_requests_says_so_and_shows_the_decided_one(
    folder: Folder, tmp_path: Path
) -> None:
    _, html, _ = _report(folder, tmp_path / "plain")
    assert "Reviderad budget" in html
    assert "Beslutad budget" not in html
    assert "Budget efter begärda förändringar" not in html
    folder.changes(
        [
            ["Budgetjustering", "Beviljad", "Förskola", 100_000, 0, "Beviljad i T1"],
            ["Budgetjustering", "Begärd", "Förskola", 250_000, 0, "Begärs nu"],
        ]
    )
    data, html, sheet = _report(folder, tmp_path / "requests")
    line = next(a for a in data["areas"] if a["area"] == "Förskola")
    # The revised budget of the contract includes the request; the decided one does not.
    assert line["budget"]["net"] - line["decided_budget"]["net"] == -250_000
    assert data["total"]["budget"]["net"] - data["total"]["decided_budget"]["net"] == -250_000
    assert "Reviderad budget" not in html
    economy = html.split('id="h-ekonomi"')[1].split("</thead>")[0]
    assert economy.index("Beslutad budget") < economy.index("Budget efter begärda förändringar")
    row = next(r for r in sheet if r[0] == "Förskola" and not r[1])
    assert row[-2] == line["decided_budget"]["net"]  # before the last column, Att granska


def test_a_forecast_change_is_explained_by_the_units_reason_not_their_standing_comment(
    folder: Folder, tmp_path: Path
) -> None:
    folder.settings(methods={"standard": "linjar", "Förskola": "manuell"})
    header = FORECASTS.header("Kommentar", "Orsak till förändring", "Lämnad av")
    out = tmp_path / "out"

    def forecast(costs: int, reason: str | None) -> None:
        row = ["Förskola", costs, 120_000, "Stående kommentar om lokalerna", reason, "Rektor"]
        write_xlsx(folder.path / "prognos.xlsx", {"Prognos": [header, row]})

    def run(period: int) -> None:
        result = CliRunner().invoke(
            cli, ["report", str(folder.path), "--period", str(period), "--out", str(out)]
        )
        assert result.exit_code == 0, result.output

    forecast(1_200_000, None)
    run(3)
    forecast(1_500_000, "Tre fler barngrupper sedan mars")
    run(4)
    data = json.loads((out / "testnamnd-2017-T1.json").read_text(encoding="utf-8"))
    row = next(r for r in data["forecast_change"]["areas"] if r["area"] == "Förskola")
    assert row["change"] == -300_000
    assert row["reasons"] == ["Tre fler barngrupper sedan mars"]
    html = (out / "testnamnd-2017-T1.html").read_text(encoding="utf-8")
    table = html.split('id="h-forandring"')[1].split("</table>")[0]
    assert "Tre fler barngrupper sedan mars (Rektor)" in table
    assert "Stående kommentar" not in table


def _change(change: int, method: str, reasons: tuple[Comment, ...] = ()) -> AreaChange:
    return AreaChange("Förskola", None, 0, change, reasons, method)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_change(4_999_999, "manuell", (Comment(None, "Orsak", "Chef"),)), ""),
        (_change(-5_000_000, "manuell", (Comment(None, "Orsak", "Chef"),)), "Orsak (Chef)"),
        (_change(5_000_000, "manuell"), "Ingen förklaring till förändringen har lämnats."),
        (_change(5_000_000, "sasong"), "Beräknad prognos (säsong): följer utfallet."),
        (_change(5_000_000, "budget"), "Prognos enligt budget: följer budgetförändringarna."),
        (_change(5_000_000, "blandad"), "Summan av förändringarna i delområdena nedan."),
    ],
)
def test_change_explanations(change: AreaChange, expected: str) -> None:
    # mnkr shows one decimal: half of 0,1 mnkr is 50 000 kr, 5 000 000 öre.
    assert change_explanation(change, half_unit("mnkr")) == expected


def test_every_chart_and_change_column_says_which_sign_it_uses(
    folder: Folder, tmp_path: Path
) -> None:
    """Tables write costs negative; charts of net cost and budget changes say otherwise."""
    folder.changes([["Budgetjustering", "Begärd", "Förskola", 250_000, 0, "Begärs nu"]])
    _, html, _ = _report(folder, tmp_path / "out")
    assert "i tabellerna anges intäkter positiva och kostnader negativa" in html
    assert html.count('"text":"Nettokostnad, mnkr"') == 1  # the budget chart
    assert "(+ = \\u00f6verskott)" in html.split('id="chart-avvikelse"')[1].split("</script>")[0]
    # The waterfall in the tables' signs, from zero: + = överskott.
    waterfall = html.split('id="chart-vattenfall"')[1].split("</script>")[0]
    assert "(+ = \\u00f6verskott)" in waterfall
    assert '"rangemode":"tozero"' in waterfall
    changes = html.split('id="h-budgetforandringar"')[1].split("</section>")[0]
    assert "Kostnadsbudgeten ökar med" in changes
    assert "Intäktsbudgeten ökar med" in changes


def test_the_waterfall_uses_the_tables_signs_and_an_honest_axis(tmp_path: Path) -> None:
    """Each area's step is its variance as the tables print it (+ = överskott); the total
    step is the total variance; the axis holds zero."""
    from budget.app.pipeline import make_report
    from budget.report.sections.area_charts import waterfall
    from tests.conftest import DEMO

    report = make_report(DEMO, 8, tmp_path, datetime(2017, 9, 12)).report
    trace = waterfall(report).data[0]
    areas = [a for a in report.area_lines if a.variance.net != 0]
    steps = dict(zip(trace.x[1:-1], trace.y[1:-1], strict=True))
    for a in areas:
        assert steps[a.area] == pytest.approx(float(a.variance.net / fmt.UNIT_DIVISOR["mnkr"]))
    lss = next(a for a in areas if a.area.startswith("Stöd och service"))
    assert lss.variance.net < 0
    assert trace.text[1 + areas.index(lss)].startswith("−")
    assert trace.text[-1] == fmt.money(report.total.variance.net, "mnkr", signed=True)
    assert waterfall(report).layout.yaxis.rangemode == "tozero"


@pytest.mark.parametrize(
    ("made", "dated"),
    [
        ("2017-09-12T10:00", "2017-09-12"),  # the day it is made
        ("2017-10-27T10:00", "2017-10-27"),  # within half a year of the period
        ("2026-12-07T10:00", None),  # a later year's run date is not the document's
        ("2016-12-30T10:00", None),
    ],
)
def test_the_document_date_is_never_another_years_run_date(
    folder: Folder, tmp_path: Path, made: str, dated: str | None
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["report", str(folder.path), "--period", "4", "--out", str(out), "--generated-at", made],
    )
    assert result.exit_code == 0, result.output
    (data,) = [json.loads(p.read_text()) for p in out.glob("*.json")]
    html = next(out.glob("*.html")).read_text()
    assert data["document"]["date"] == dated
    assert f"<dd>{dated or 'ej angivet (datum i namnd.toml)'}</dd>" in html
