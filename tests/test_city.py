"""budget stad (contract §10): the city's report from the nämnder's report JSONs.

The expected figures are worked out here from the JSON files and the Parquet ledgers by
plain Python (Decimal sums over the files), never by the code under test.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from budget.cli import cli
from scripts import make_city_demo

STAMP = "2017-09-25T10:00"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stad") / "stad-2017"
    make_city_demo.make(folder)
    return folder


def run(folder: Path, out: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["stad", str(folder), "--out", str(out), "--generated-at", STAMP, *args]
    )
    return result.exit_code, result.output


def city(folder: Path, out: Path, *args: str) -> dict[str, Any]:
    code, output = run(folder, out, *args)
    assert code == 0, output
    return json.loads(next(out.glob("stad-*.json")).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def result(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return city(demo, tmp_path_factory.mktemp("out"))


def copy(demo: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "rapporter"
    shutil.copytree(demo, folder)
    return folder


def reports(folder: Path) -> list[dict[str, Any]]:
    out = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["_file"] = path.name
        out.append(data)
    return out


def d(value: float) -> Decimal:
    return Decimal(str(value))


def test_totals_are_the_sums_of_the_nämnder_reports(demo: Path, result: dict[str, Any]) -> None:
    current = [r for r in reports(demo) if (r["year"], r["period"]) == (2017, 8)]
    assert len(current) == 3
    for key in ("budget", "actual", "forecast"):
        for side in ("costs", "revenues", "net"):
            expected = sum(d(r["total"][key][side]) for r in current)
            assert d(result["total"][key][side]) == expected, (key, side)
    variance = sum(
        d(r["total"]["forecast"]["net"]) - d(r["total"]["budget"]["net"]) for r in current
    )
    assert d(result["total"]["variance"]) == variance
    by_name = {r["namnd"]: r for r in current}
    for row in result["namnder"]:
        source = by_name[row["namnd"]]
        assert row["source"]["file"] == source["_file"]
        assert row["forecast"] == {k: source["total"]["forecast"][k] for k in row["forecast"]}
        assert d(row["variance"]) == d(source["total"]["forecast"]["net"]) - d(
            source["total"]["budget"]["net"]
        )
    # The nämnd's input files travel with its row: a figure traces back to the workbooks.
    skarholmen = next(r for r in result["namnder"] if r["namnd"].startswith("Skärholmen"))
    assert "utfall-2017.xlsx" in {f["file"] for f in skarholmen["source"]["inputs"]}


def test_the_missing_nämnd_and_what_is_not_summed(result: dict[str, Any]) -> None:
    assert result["missing"] == ["Idrottsnämnden"]
    not_summed = {e["file"]: e["reason"] for e in result["not_summed"]}
    assert "annan period" in not_summed["skarholmen-2017-T1.json"]
    assert "prognossäkerhet" in not_summed["farsta-2016-helar.json"]
    assert result["total"]["namnder"] == 3


def test_requested_changes_with_the_office_position(demo: Path, result: dict[str, Any]) -> None:
    current = [r for r in reports(demo) if (r["year"], r["period"]) == (2017, 8)]
    asked = [i for r in current for i in r["budget_changes"]["items"] if i["status"] == "Begärd"]
    items = result["requested_changes"]["items"]
    assert len(items) == len(asked) == 7
    adjustments = sum(d(i["net_effect"]) for i in asked if i["type"] == "Budgetjustering")
    turnover = sum(d(i["costs"]) for i in asked if i["type"] == "Omslutningsförändring")
    assert d(result["requested_changes"]["budget_adjustments"]) == adjustments == Decimal(-6000000)
    assert d(result["requested_changes"]["turnover_changes"]) == turnover
    first, second = items[0], items[1]
    assert (first["namnd"], first["number"], first["position"]) == (
        "Skärholmens stadsdelsnämnd",
        1,
        "tillstyrks",
    )
    assert second["position"] == "avstyrks"
    assert second["position_cell"] == "Ställningstaganden!D3"
    assert all(i["position"] is None for i in items[2:])
    assert first["source"]["json_path"].startswith("$.budget_changes.items[")
    comments = {r["namnd"]: r["office_comment"] for r in result["namnder"]}
    assert comments["Servicenämnden"].startswith("Nämnden ska redovisa")
    assert comments["Farsta stadsdelsnämnd"] == ""


def test_indicators_by_hand(demo: Path, result: dict[str, Any]) -> None:
    files = {r["_file"]: r for r in reports(demo)}
    rows = {(i["namnd"], i["year"]): i for i in result["indicators"]["namnder"]}
    forecasts, outcomes, budgets = Decimal(0), Decimal(0), Decimal(0)
    for short, name in (
        ("skarholmen", "Skärholmens stadsdelsnämnd"),
        ("farsta", "Farsta stadsdelsnämnd"),
        ("servicenamnden", "Servicenämnden"),
    ):
        forecast = d(files[f"{short}-2016-T2.json"]["total"]["forecast"]["net"])
        outcome = d(files[f"{short}-2016-helar.json"]["total"]["actual"]["net"])
        budget = d(files[f"{short}-2016-helar.json"]["total"]["budget"]["net"])
        row = rows[(name, 2016)]
        accuracy = (forecast - outcome) * 100 / abs(outcome)
        assert d(row["forecast_accuracy_percent"]) == round(accuracy, 4)
        assert row["within_target"] == (abs(accuracy) <= 1)
        assert d(row["budget_adherence_percent"]) == round(outcome * 100 / budget, 4)
        forecasts, outcomes, budgets = forecasts + forecast, outcomes + outcome, budgets + budget
    (whole,) = result["indicators"]["city"]
    assert d(whole["forecast_accuracy_percent"]) == round(
        (forecasts - outcomes) * 100 / abs(outcomes), 4
    )
    assert d(whole["budget_adherence_percent"]) == round(outcomes * 100 / budgets, 4)
    # The demo has one nämnd outside ±1 %: Servicenämnden's outcome beat its forecast.
    assert rows[("Servicenämnden", 2016)]["within_target"] is False


def _trade_by_hand(folder: Path, codes: dict[str, str]) -> dict[tuple[str, str], list[int]]:
    """Sales and purchases per (seller, buyer) in öre, from the Parquet rows one by one."""
    names = {code: name for name, code in codes.items()}
    flows: dict[tuple[str, str], list[int]] = {}
    for path in sorted((folder / "huvudbok").glob("*.parquet")):
        for row in pq.read_table(path).to_pylist():
            other = names.get(row["motpart"] or "")
            if row["ar"] != 2017 or row["period"] > 8 or other in (None, row["namnd"]):
                continue
            klass = row["konto"][0]
            if klass == "3":
                flows.setdefault((row["namnd"], other), [0, 0])[0] -= row["belopp"]
            elif klass in "4567":
                flows.setdefault((other, row["namnd"]), [0, 0])[1] += row["belopp"]
    return {k: [round(Decimal(v) / 10_000) for v in pair] for k, pair in flows.items()}


def test_internal_trade_pairs_both_sides(demo: Path, result: dict[str, Any]) -> None:
    expected = _trade_by_hand(demo, make_city_demo.CODES)
    pairs = {(p["seller"], p["buyer"]): p for p in result["internal_trade"]["pairs"]}
    assert set(pairs) == set(expected)
    for key, (sales, purchases) in expected.items():
        assert d(pairs[key]["sales"]) * 100 == sales
        assert d(pairs[key]["purchases"]) * 100 == purchases
        assert pairs[key]["matched"] == (sales == purchases)
    matched = pairs[("Servicenämnden", "Skärholmens stadsdelsnämnd")]
    assert matched["matched"]
    assert matched["sales"] > 0
    off = pairs[("Servicenämnden", "Farsta stadsdelsnämnd")]
    assert (off["sales"], off["purchases"], off["difference"]) == (2450000.0, 2400000.0, 50000.0)
    one_sided = pairs[("Farsta stadsdelsnämnd", "Skärholmens stadsdelsnämnd")]
    assert (one_sided["sales"], one_sided["purchases"]) == (80000.0, 0.0)
    assert d(result["internal_trade"]["eliminated"]) == d(matched["sales"])
    # Internal trade nets out of the city's gross outcome; the net stays.
    after = result["internal_trade"]["actual_after_elimination"]
    actual = result["total"]["actual"]
    assert d(after["costs"]) == d(actual["costs"]) + d(matched["purchases"])
    assert d(after["revenues"]) == d(actual["revenues"]) - d(matched["sales"])
    assert d(after["net"]) == d(actual["net"])
    # An unmatched pair lists the ledger rows of both sides: they add up to its amounts.
    assert matched["rows"] == []
    for pair in (off, one_sided):
        for side, amount in (("sales", pair["sales"]), ("purchases", pair["purchases"])):
            rows = [r for r in pair["rows"] if r["side"] == side]
            assert sum(d(r["amount"]) for r in rows) == d(amount)
            assert all(r["file"] == "utfall-2017.xlsx" and r["row"] >= 5 for r in rows)


def test_same_inputs_same_bytes(demo: Path, tmp_path: Path) -> None:
    for out in (tmp_path / "a", tmp_path / "b"):
        assert run(demo, out)[0] == 0
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(names) == 4
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_the_prefilled_workbook_reads_back(demo: Path, tmp_path: Path) -> None:
    """The office fills in the workbook budget stad wrote and saves it in the folder: the
    positions read last time stay, and a position filled in now is read."""
    from openpyxl import load_workbook

    folder = copy(demo, tmp_path)
    first = tmp_path / "first"
    assert run(folder, first)[0] == 0
    book = load_workbook(first / "stadens-stallningstaganden-2017-T2.xlsx")
    ws = book["Ställningstaganden"]
    headers = [c.value for c in ws[1]]
    col = headers.index("Ställningstagande") + 1
    farsta_adjustment = next(
        r for r in range(2, ws.max_row + 1) if ws.cell(r, 3).value == "Budgetjustering"
    )
    ws.cell(farsta_adjustment, col).value = "Tillstyrks delvis"
    book.save(folder / "stadens-stallningstaganden-2017-T2.xlsx")
    again = city(folder, tmp_path / "again")
    items = {(i["namnd"], i["number"]): i["position"] for i in again["requested_changes"]["items"]}
    assert items[("Skärholmens stadsdelsnämnd", 1)] == "tillstyrks"
    assert items[("Skärholmens stadsdelsnämnd", 2)] == "avstyrks"
    assert items[("Farsta stadsdelsnämnd", 3)] == "tillstyrks-delvis"


# --- refusals: named, never summed; exit 1 and nothing written -------------------------


def refused(folder: Path, tmp_path: Path, *args: str) -> str:
    out = tmp_path / "ut"
    code, output = run(folder, out, *args)
    assert code == 1, output
    assert not out.exists() or not any(out.iterdir())
    assert "Traceback" not in output
    return output


def test_a_json_of_another_schema_is_refused(demo: Path, tmp_path: Path) -> None:
    folder = copy(demo, tmp_path)
    (folder / "export.json").write_text('{"schema": "ils-export/2", "rader": []}', "utf-8")
    output = refused(folder, tmp_path)
    assert "E023" in output
    assert "export.json › $.schema" in output
    assert "ils-export/2" in output


def test_a_report_breaking_the_schema_names_the_path(demo: Path, tmp_path: Path) -> None:
    folder = copy(demo, tmp_path)
    path = folder / "farsta-2017-T2.json"
    data = json.loads(path.read_text("utf-8"))
    data["total"]["forecast"]["net"] = "många"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    output = refused(folder, tmp_path)
    assert "E014" in output
    assert "farsta-2017-T2.json › $.total.forecast.net" in output


def test_a_nämnd_twice_with_other_figures_is_refused(demo: Path, tmp_path: Path) -> None:
    folder = copy(demo, tmp_path)
    data = json.loads((folder / "farsta-2017-T2.json").read_text("utf-8"))
    data["total"]["forecast"]["costs"] -= 1000
    data["total"]["forecast"]["net"] -= 1000
    (folder / "farsta-2017-T2-ny.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    output = refused(folder, tmp_path)
    assert "E024" in output
    assert "farsta-2017-T2.json" in output
    assert "farsta-2017-T2-ny.json" in output


def test_an_identical_duplicate_passes_once(
    demo: Path, tmp_path: Path, result: dict[str, Any]
) -> None:
    folder = copy(demo, tmp_path)
    shutil.copy(folder / "farsta-2017-T2.json", folder / "farsta-2017-T2-kopia.json")
    again = city(folder, tmp_path / "ut")
    assert again["total"] == result["total"]
    pair = {"farsta-2017-T2.json", "farsta-2017-T2-kopia.json"}
    skipped = [e["file"] for e in again["not_summed"] if e["file"] in pair]
    used = [r["source"]["file"] for r in again["namnder"] if r["source"]["file"] in pair]
    assert len(skipped) == len(used) == 1
    assert set(skipped + used) == pair


def test_another_year_is_named_and_not_summed(
    demo: Path, tmp_path: Path, result: dict[str, Any]
) -> None:
    folder = copy(demo, tmp_path)
    data = json.loads((folder / "farsta-2017-T2.json").read_text("utf-8"))
    data["year"] = 2018
    (folder / "farsta-2018-T2.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    again = city(folder, tmp_path / "ut", "--ar", "2017", "--tertial", "T2")
    assert again["total"] == result["total"]
    reason = next(e["reason"] for e in again["not_summed"] if e["file"] == "farsta-2018-T2.json")
    assert "annat år" in reason
    # Without --ar the latest year is the city's: 2018 has one report.
    latest = city(folder, tmp_path / "ut2")
    assert (latest["year"], latest["total"]["namnder"]) == (2018, 1)


def test_no_report_for_the_period(demo: Path, tmp_path: Path) -> None:
    output = refused(demo, tmp_path, "--ar", "2017", "--period", "5")
    assert "E025" in output


@pytest.mark.parametrize(
    ("text", "code", "where"),
    [
        ('stad = "Stockholm"\nnamnder = ["A", ', "E021", "stad.toml"),
        ('stad = "Stockholm"\nnamnder = "Farsta"\n', "E022", "stad.toml › namnder"),
        ('namnder = ["Farsta", "farsta"]\n', "E022", "stad.toml › namnder[1]"),
        ('[prognossakerhet]\nbas = "prognos"\n', "E022", "stad.toml › prognossakerhet.bas"),
        ("[internhandel]\ntolerans = -5\n", "E022", "stad.toml › internhandel.tolerans"),
        ('[motpart]\n"A" = "X"\n"B" = "X"\n', "E022", "stad.toml › motpart.B"),
        ('stad = "S"\nnamndr = []\n', "E022", "stad.toml › namndr"),
    ],
)
def test_a_bad_stad_toml(demo: Path, tmp_path: Path, text: str, code: str, where: str) -> None:
    folder = copy(demo, tmp_path)
    (folder / "stad.toml").write_text(text, "utf-8")
    output = refused(folder, tmp_path)
    assert code in output
    assert where in output


def _positions(folder: Path, rows: list[list[Any]]) -> None:
    from scripts.xlsxio import write_workbook

    write_workbook(
        folder / "stadens-stallningstaganden-2017-T2.xlsx",
        {
            "Ställningstaganden": (
                [],
                ["Nämnd", "Nr", "Beskrivning", "Ställningstagande", "Kommentar"],
                rows,
            )
        },
    )


@pytest.mark.parametrize(
    ("row", "code", "cell"),
    [
        (["Okänd nämnd", 1, None, "Tillstyrks", ""], "E026", "Ställningstaganden › A2"),
        (["Farsta stadsdelsnämnd", 9, None, "Tillstyrks", ""], "E027", "Ställningstaganden › B2"),
        (["Farsta stadsdelsnämnd", 3, "Något annat", "Avstyrks", ""], "E027", "› C2"),
        (["Farsta stadsdelsnämnd", 3, None, "Kanske", ""], "E108", "› D2"),
    ],
)
def test_a_bad_office_workbook(
    demo: Path, tmp_path: Path, row: list[Any], code: str, cell: str
) -> None:
    folder = copy(demo, tmp_path)
    _positions(folder, [row])
    output = refused(folder, tmp_path)
    assert code in output
    assert cell in output
    assert "stadens-stallningstaganden-2017-T2.xlsx" in output


def test_text_from_the_reports_is_never_a_formula(demo: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    folder = copy(demo, tmp_path)
    path = folder / "farsta-2017-T2.json"
    data = json.loads(path.read_text("utf-8"))
    data["namnd"] = '=HYPERLINK("http://x")'
    for item in data["budget_changes"]["items"]:
        item["description"] = "=1+1"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    for old in folder.glob("farsta-2016-*.json"):
        old.unlink()
    out = tmp_path / "ut"
    assert run(folder, out)[0] == 0
    for name in ("stad-2017-T2.xlsx", "stadens-stallningstaganden-2017-T2.xlsx"):
        book = load_workbook(out / name)
        for ws in book.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", (name, ws.title, c.coordinate, c.value)
    html = (out / "stad-2017-T2.html").read_text("utf-8")
    assert "=HYPERLINK(&#34;http://x&#34;)" in html


def test_the_ledger_parquet_is_the_validated_ledger_written_once(demo: Path) -> None:
    """budget report --huvudbok: the 2017 file's rows up to August sum to the report's
    reconciled ledger sum, every row names its workbook row, and a second report with the
    same ledger rewrites nothing."""
    from datetime import UTC, datetime

    from budget.app.pipeline import make_report

    t2 = json.loads((demo / "skarholmen-2017-T2.json").read_text("utf-8"))
    path = demo / "huvudbok" / "skarholmens-stadsdelsnamnd-2017.parquet"
    rows = [r for r in pq.read_table(path).to_pylist() if r["period"] <= 8]
    assert sum(r["belopp"] for r in rows) == round(
        Decimal(str(t2["reconciliation"]["ledger_sum"])) * 1_000_000
    )
    assert len(rows) == t2["reconciliation"]["ledger_rows"]
    assert all(r["fil"] == "utfall-2017.xlsx" and r["rad"] >= 1 for r in rows)
    before = {p.name: p.stat().st_mtime_ns for p in (demo / "huvudbok").iterdir()}
    again = make_report(
        make_city_demo.ROOT / "inputs" / "skarholmen-2017",
        8,
        demo,
        datetime(2017, 9, 20, 9, tzinfo=UTC),
        ledgers=True,
    )
    assert not [p for p in again.paths if p.suffix == ".parquet"]
    assert before == {p.name: p.stat().st_mtime_ns for p in (demo / "huvudbok").iterdir()}


def test_a_ledger_file_that_is_no_parquet_is_refused(demo: Path, tmp_path: Path) -> None:
    folder = copy(demo, tmp_path)
    (folder / "huvudbok" / "farsta-stadsdelsnamnd-2017.parquet").write_text("inte parquet")
    output = refused(folder, tmp_path)
    assert "E028" in output
    assert "huvudbok/farsta-stadsdelsnamnd-2017.parquet" in output


def test_a_damaged_ledger_file_is_refused(demo: Path, tmp_path: Path) -> None:
    """A file whose footer reads but whose data pages are damaged: E028, never a traceback."""
    folder = copy(demo, tmp_path)
    path = folder / "huvudbok" / "servicenamnden-2017.parquet"
    data = bytearray(path.read_bytes())
    for i in range(8, len(data) // 2):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    output = refused(folder, tmp_path)
    assert "E028" in output


def test_a_nämnd_outside_stad_toml_is_summed_and_named(demo: Path, tmp_path: Path) -> None:
    folder = copy(demo, tmp_path)
    toml = (folder / "stad.toml").read_text("utf-8").replace('  "Servicenämnden",\n', "")
    (folder / "stad.toml").write_text(toml, "utf-8")
    code, output = run(folder, tmp_path / "ut")
    assert code == 0, output
    assert "W323" in output
    assert "stad.toml › namnder" in output
    data = json.loads((tmp_path / "ut" / "stad-2017-T2.json").read_text("utf-8"))
    assert data["not_in_stad_toml"] == ["Servicenämnden"]
    assert data["total"]["namnder"] == 3
    assert data["namnder"][-1]["namnd"] == "Servicenämnden"  # after stad.toml's own


def test_every_city_code_has_its_case_here() -> None:
    """The codes the corpus leaves to this file (CITY_ONLY) are each asserted above."""
    from tests.test_corpus import CITY_ONLY

    text = Path(__file__).read_text("utf-8")
    for code in CITY_ONLY:
        assert text.count(f'"{code}"') + text.count(f"'{code}'") >= 1, code
