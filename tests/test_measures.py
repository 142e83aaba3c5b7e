"""Åtgärder för en ekonomi i balans (contract §7): atgarder.xlsx read, the bridge from the
forecast per area and in total, and the report's forecast left as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from budget.cli import cli
from budget.core import measures
from budget.core.lines import Line
from budget.core.money import Sides
from tests.conftest import Folder


def _line(area: str, forecast: int, budget: int, subarea: str | None = None) -> Line:
    return Line(area, subarea, Sides(-budget, 0), Sides(0, 0), Sides(-forecast, 0))


def _measure(area: str, effect: int, status: str, in_forecast: bool = False) -> measures.Measure:
    return measures.Measure(area, None, f"{status} {effect}", effect, status, in_forecast)


def test_the_bridge_adds_decided_then_planned_measures_not_in_the_forecast() -> None:
    lines = [_line("LSS", 110, 100), _line("LSS", 60, 50, "Boende"), _line("Förskola", 90, 100)]
    total = _line("", 200, 200)
    found = [
        _measure("LSS", 3, "Beslutad"),
        _measure("LSS", 2, "Genomförd"),
        _measure("LSS", 4, "Planerad"),
        _measure("LSS", 50, "Beslutad", in_forecast=True),  # already in the forecast
        _measure("LSS", 70, "Planerad", in_forecast=True),
    ]
    result = measures.build(found, lines, total)
    (lss,) = result.areas  # only areas with a measure, and each once (not its delområde)
    assert (lss.forecast, lss.variance) == (-110, -10)
    assert (lss.decided, lss.after_decided, lss.variance_after_decided) == (5, -105, -5)
    assert (lss.planned, lss.after_planned, lss.variance_after_planned) == (4, -101, -1)
    assert result.total is not None
    assert (result.total.decided, result.total.planned) == (5, 4)
    assert result.total.after_planned == -200 + 9


def test_no_measures_no_bridge() -> None:
    assert measures.build([], [_line("LSS", 1, 1)], _line("", 1, 1)) == measures.Measures()


def _report(folder: Folder, out: Path) -> tuple[Any, str, Any]:
    result = CliRunner().invoke(
        cli,
        ["report", str(folder.path), "--out", str(out), "--generated-at", "2017-05-10T09:00"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    return data, html, load_workbook(next(p for p in out.glob("*.xlsx") if "begaran" not in p.name))


def test_measures_reach_json_document_and_workbook_and_leave_the_forecast(
    folder: Folder, tmp_path: Path
) -> None:
    before, _, _ = _report(folder, tmp_path / "before")
    folder.measures(
        [
            [
                "Äldreomsorg",
                "Hemtjänst egen regi",
                "Scheman efter beviljade timmar",
                250_000,
                "Beslutad",
                "Nej",
                "Enhetschef",
                "SDN § 9",
            ],
            ["Äldreomsorg", None, '=HYPERLINK("x")', 100_000, "Planerad", "Nej", None, None],
            ["Förskola", None, "Redan i prognosen", 400_000, "Genomförd", "Ja", None, None],
        ]
    )
    data, html, wb = _report(folder, tmp_path / "after")
    assert data["areas"] == before["areas"]  # the forecast is never changed
    m = data["measures"]
    assert [i["status"] for i in m["items"]] == ["Beslutad", "Planerad", "Genomförd"]
    assert [i["in_forecast"] for i in m["items"]] == [False, False, True]
    areas = {a["area"]: a for a in m["areas"]}
    assert set(areas) == {"Förskola", "Äldreomsorg"}
    old = next(a for a in before["areas"] if a["area"] == "Äldreomsorg" and a["subarea"] is None)
    assert areas["Äldreomsorg"]["forecast"] == old["forecast"]["net"]
    assert areas["Äldreomsorg"]["after_decided"] == round(old["forecast"]["net"] + 250_000, 2)
    assert areas["Äldreomsorg"]["after_planned"] == round(old["forecast"]["net"] + 350_000, 2)
    assert areas["Förskola"]["decided"] == 0.0
    assert m["total"]["planned"] == 100_000.0
    section = html.split('id="h-atgarder"')[1].split("</section>")[0]
    assert "Åtgärder för en ekonomi i balans" in html
    assert "Scheman efter beviljade timmar" in section
    assert "=HYPERLINK(&#34;x&#34;)" in section or "=HYPERLINK(&quot;x&quot;)" in section
    ws = wb["Åtgärder"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert '=HYPERLINK("x")' in texts
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_a_measure_on_an_unknown_area_or_status_is_an_error(folder: Folder, tmp_path: Path) -> None:
    folder.measures(
        [
            ["Hemtjänst", None, "Åtgärd", 1, "Beslutad", "Nej", None, None],
            ["Förskola", None, "Åtgärd", 1, "Kanske", "Nej", None, None],
        ]
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["report", str(folder.path), "--out", str(out)])
    assert result.exit_code == 1
    assert "atgarder.xlsx" in result.output
    assert "'Hemtjänst' finns inte i struktur.xlsx" in result.output
    assert "Kanske" in result.output
    assert not out.exists() or not any(out.iterdir())


CORPUS = Path(__file__).parent / "corpus" / "cases"


def _expected(case: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((case / "case.json").read_text(encoding="utf-8"))
    return data


MEASURE_CASES = sorted(
    c
    for c in CORPUS.iterdir()
    if "-measure-" in c.name
    and _expected(c)["code"] is not None
    and _expected(c).get("exit", 1) == 1
)


@pytest.mark.parametrize("case", MEASURE_CASES, ids=[c.name for c in MEASURE_CASES])
def test_a_bad_measure_is_said_in_full_and_nothing_is_written(case: Path, tmp_path: Path) -> None:
    """Each corpus case of atgarder.xlsx: `budget report` exits 1, writes nothing (the
    previous report stays as it was), and the message names file, sheet, cell, column, the
    value found and what is expected, in Swedish."""
    from tests.test_corpus import lay

    folder, expected = lay(case, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "testnamnd-2017-T1.html").write_text("förra rapporten", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["report", str(folder), "--out", str(out), "--generated-at", "2017-05-10T09:00"]
    )
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.iterdir()) == ["testnamnd-2017-T1.html"]
    assert (out / "testnamnd-2017-T1.html").read_text(encoding="utf-8") == "förra rapporten"
    place = " › ".join(str(expected[k]) for k in ("file", "sheet", "cell") if expected[k])
    (line,) = [ln for ln in result.output.splitlines() if ln.startswith(f"fel {expected['code']}")]
    assert f"fel {expected['code']}: {place}" in line
    assert "(kolumn " in line
    assert "förväntat " in line
    if expected["code"] not in ("E103", "E005"):  # an empty cell has no value to show
        assert "värde '" in line
    if expected["code"] == "E202":
        assert "menade du" in line or "har inga delområden" in line


def test_a_measure_twice_or_negative_is_warned_and_counted(folder: Folder, tmp_path: Path) -> None:
    """A measure given twice, or with a negative effect, is reported with a warning each
    (W344, W345) and counted as written: nothing is dropped."""
    folder.measures(
        [
            ["Förskola", None, "Färre vikarier", 100_000, "Beslutad", "Nej", None, None],
            ["Förskola", None, "färre  Vikarier", 100_000, "Beslutad", "Nej", None, None],
            ["Förskola", None, "Ny tjänst", -30_000, "Planerad", "Nej", None, None],
        ]
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["report", str(folder.path), "--out", str(out), "--generated-at", "2017-05-10T09:00"]
    )
    assert result.exit_code == 0, result.output
    assert "varning W344: atgarder.xlsx › Åtgärder › C3" in result.output
    assert "står redan på rad 2" in result.output
    assert "varning W345: atgarder.xlsx › Åtgärder › D4" in result.output
    data = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert data["measures"]["total"]["decided"] == 200_000.0
    assert data["measures"]["total"]["planned"] == -30_000.0
    assert {w["code"] for w in data["warnings"]} >= {"W344", "W345"}
