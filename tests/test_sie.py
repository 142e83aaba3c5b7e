"""Ledger exports as they come: SIE 4 (real files), CSV, and headers mapped in namnd.toml."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from budget.cli import cli
from budget.edge import sie
from budget.edge.readers import read_ledger
from tests.conftest import DEMO, LEDGER_HEADER, Folder, copy_demo, write_xlsx

# Copies of ../shared/data/sie (real exports, MIT licence: tests/data/sie/LICENSE), kept
# in the repository so that the tests run wherever it is cloned.
SIE_DIR = Path(__file__).resolve().parent / "data" / "sie"
STAMP = ["--generated-at", "2017-09-12T10:00"]


def sie_file(name: str) -> Path:
    path = SIE_DIR / name
    assert path.exists(), f"{path} is missing"
    return path


@pytest.mark.parametrize(
    ("name", "rows", "budget_rows"),
    [
        ("SIE4_Exempelfil_med_underdim.SE", 1330, None),
        ("transaktioner_ovnbolag.se", 671, 52),
        ("periodsaldo_ovnbolag.se", 158, 52),
        ("MAMUT_SIE4_EXPORT.SE", 458, None),
    ],
)
def test_real_sie_files_convert_and_agree_with_their_own_result(
    name: str, rows: int, budget_rows: int | None, tmp_path: Path
) -> None:
    result = CliRunner().invoke(cli, ["sie", str(sie_file(name)), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "W315" not in result.output  # per-account totals equal the file's #RES
    stem = Path(name).stem
    book = load_workbook(tmp_path / f"{stem}.xlsx", read_only=True)
    cells = list(book["Huvudbok"].iter_rows(values_only=True))
    assert list(cells[0]) == list(sie.COLUMNS)
    assert len(cells) - 1 == rows
    if budget_rows is not None:
        budget = list(load_workbook(tmp_path / f"{stem}-budget.xlsx")["Budget"].values)
        assert len(budget) - 1 == budget_rows


def test_the_account_that_is_no_number_and_the_wrong_result(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["sie", str(sie_file("Sie4.se")), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "fel E116: Sie4.se › rad 721: kontot är inte ett nummer" in result.output
    assert "värde 'FEL'" in result.output
    assert "W315: Sie4.se › rad 704: konto 4010" in result.output
    assert "differens \u221248\u00a0000,00\u00a0kr" in result.output
    assert not list(tmp_path.iterdir()), "nothing written"


def test_a_voucher_that_does_not_balance(tmp_path: Path) -> None:
    path = sie_file("transaktioner_ovnbolag-bad-balance.se")
    result = CliRunner().invoke(cli, ["sie", str(path), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "fel E115: transaktioner_ovnbolag-bad-balance.se › rad 3905" in result.output


def test_an_html_page_saved_as_sie(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["sie", str(sie_file("PerSald.SE")), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "fel E016: PerSald.SE › rad 1: filen är ingen SIE-fil" in result.output


def test_fields_quotes_escapes_and_object_lists() -> None:
    line = '#TRANS\t3051  {1 "2"\t10 "1 2"}  -301050.00 20100107 "Mässan \\"Göteborg\\"" ""'
    assert sie.tokens(line) == [
        "#TRANS",
        "3051",
        ["1", "2", "10", "1 2"],
        "-301050.00",
        "20100107",
        'Mässan "Göteborg"',
        "",
    ]
    assert sie.tokens("#TRANS 1910 { } -5") == ["#TRANS", "1910", [], "-5"]


def _sie_text(vouchers: list[str], extra: str = "") -> str:
    head = (
        '#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#RAR 0 20170101 20171231\n#DIM 1 "Ansvar"\n'
        '#DIM 6 "Verksamhet"\n'
    )
    return head + extra + "".join(vouchers)


def test_rtrans_counts_once_and_btrans_not_at_all(tmp_path: Path) -> None:
    voucher = (
        '#VER A 1 20170115 "Hyra"\n{\n'
        "#TRANS 5010 {} 100.00\n"
        "#RTRANS 5010 {} 50.00\n#TRANS 5010 {} 50.00\n"
        "#BTRANS 5010 {} 999.00\n"
        "#TRANS 1930 {} -150.00\n}\n"
    )
    path = tmp_path / "utfall.se"
    path.write_text(_sie_text([voucher]), encoding="cp437")
    found = sie.read(path, path.name, 1, 6)
    assert found.diagnostics == []
    assert [r["Belopp"] for r in found.rows] == ["100.00", "50.00", "-150.00"]


# One ledger in three formats: the same rows give the same report.

BALANCED = [
    [2017, m, ansvar, verksamhet, konto, amount]
    for m in range(1, 5)
    for ansvar, verksamhet, konto, amount in (
        ("A1", "100", "5010", Decimal("100000")),
        ("A1", "100", "3410", Decimal("-10000.50")),
        ("B1", "200", "5010", Decimal("50000")),
        ("B2", "201", "4610", Decimal("20000.25")),
        ("A1", "100", "1930", Decimal("-159999.75")),
    )
]


def write_sie(path: Path, rows: list[list[Any]]) -> None:
    """Each month one voucher, objects on dimensions 1 (ansvar) and 6 (verksamhet)."""
    vouchers = []
    for month in sorted({r[1] for r in rows}):
        lines = [
            f'#TRANS {konto} {{1 "{ansvar}" 6 "{vht}"}} {amount:f} 2017{month:02d}28 "Rad"\n'
            for _, m, ansvar, vht, konto, amount in rows
            if m == month
        ]
        vouchers.append(
            f'#VER A {month} 2017{month:02d}28 "Månad {month}"\n{{\n' + "".join(lines) + "}\n"
        )
    path.write_text(_sie_text(vouchers), encoding="cp437")


def write_csv(path: Path, rows: list[list[Any]]) -> None:
    with path.open("w", encoding="cp1252", newline="") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(LEDGER_HEADER)
        for row in rows:
            out.writerow([*row[:5], f"{row[5]:f}".replace(".", ",")])


def _report(folder: Path, out: Path) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["report", str(folder), "--out", str(out), *STAMP])
    assert result.exit_code == 0, result.output
    (path,) = list(out.glob("*.json"))
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _without_provenance(report: dict[str, Any]) -> dict[str, Any]:
    """The report less what names the input files (their names, hashes and cells)."""
    out = {k: v for k, v in report.items() if k != "inputs"}
    out["warnings"] = [
        {k: v for k, v in w.items() if k not in ("file", "sheet", "cell", "message")}
        for w in report["warnings"]
    ]
    return out


def test_one_ledger_as_xlsx_csv_and_sie_gives_one_report(tmp_path: Path) -> None:
    reports = []
    for kind in ("xlsx", "csv", "se"):
        folder = Folder(tmp_path / kind / "testnamnd-2017")
        (folder.path / "utfall-2017.xlsx").unlink()
        with (folder.path / "namnd.toml").open("a", encoding="utf-8") as fh:
            fh.write("[sie]\nansvar = 1\nverksamhet = 6\n")
        target = folder.path / f"utfall-2017.{kind}"
        if kind == "xlsx":
            write_xlsx(
                target, {"Huvudbok": [LEDGER_HEADER, *([*r[:5], float(r[5])] for r in BALANCED)]}
            )
        elif kind == "csv":
            write_csv(target, BALANCED)
        else:
            write_sie(target, BALANCED)
        reports.append(_report(folder.path, tmp_path / f"out-{kind}"))
    assert reports[0]["reconciliation"]["ledger_sum"] == 0.0
    first = json.dumps(_without_provenance(reports[0]), sort_keys=True)
    for other in reports[1:]:
        assert json.dumps(_without_provenance(other), sort_keys=True) == first


def test_the_demo_ledger_as_csv_and_with_its_own_column_names(tmp_path: Path) -> None:
    """The demo's 2017 ledger exported as CSV, its 2016 ledger with the ledger system's
    headers mapped in [kolumner]: exactly the demo's report."""
    folder = tmp_path / "skarholmen-2017"
    copy_demo(folder)
    book = load_workbook(DEMO / "utfall-2017.xlsx", read_only=True)
    rows = [list(r) for r in book["Huvudbok"].iter_rows(values_only=True)]
    width = max(len(r) for r in rows)  # every line as wide as the header, as Excel writes them
    rows = [r + [None] * (width - len(r)) for r in rows]
    (folder / "utfall-2017.xlsx").unlink()
    with (folder / "utfall-2017.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, delimiter=";")
        for row in rows:
            out.writerow(
                [
                    "" if v is None else str(v).replace(".", ",") if isinstance(v, float) else v
                    for v in row
                ]
            )
    renamed = {"Konto": "Kontonr", "Ansvar": "Kst", "Belopp": "Belopp SEK", "Verksamhet": "Vht-kod"}
    book16 = load_workbook(folder / "utfall-2016.xlsx")
    sheet = book16["Huvudbok"]
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value in renamed:
                cell.value = renamed[cell.value]
    book16.save(folder / "utfall-2016.xlsx")
    with (folder / "namnd.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[kolumner]\nKonto = ["Kontonr"]\nAnsvar = "Kst"\nBelopp = ["Belopp SEK"]\n')
        fh.write('Verksamhet = ["Vht-kod"]\n')
    mine = _report(folder, tmp_path / "out")
    demo = _report(DEMO, tmp_path / "demo")
    assert _without_provenance(mine) == _without_provenance(demo)


def test_a_missing_column_names_the_closest_header_and_the_line_to_add(folder: Folder) -> None:
    folder.ledger(
        [[2017, 1, "A1", "100", "5010", 5]],
        header=["År", "Period", "Kst", "Verksamhet", "Kontonr", "Belopp"],
    )
    result = CliRunner().invoke(cli, ["validate", str(folder.path)])
    assert result.exit_code == 1
    assert "kolumnen 'Ansvar' saknas" in result.output
    assert "Menade du 'Kst'?" in result.output
    assert '[kolumner] Ansvar = ["Kst"]' in result.output


# Fuzzing: whatever the bytes, the readers answer with diagnostics, never an exception.

sie_lines = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "#FLAGGA 0",
                "#VER A 1 20170105 x",
                "{",
                "}",
                "#TRANS 5010 {} 10.00",
                "#TRANS 1930 {1 2} -10",
                "#RTRANS 5010 {} 1",
                "#BTRANS 5010 {} 1",
                "#RES 0 5010 3",
                "#PSALDO 0 201701 5010 {} 2",
                "#PBUDGET 0 201713 5010 {} x",
                '#TRANS "x y" {"1" "2" 3} 1e5 2017 "q\\"',
                "#VER",
                "#TRANS",
            ]
        ),
        st.text(max_size=30),
    ),
    max_size=25,
)


@given(lines=sie_lines)
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_fuzzed_sie_never_raises(lines: list[str], tmp_path_factory: Any) -> None:
    path = tmp_path_factory.mktemp("sie") / "utfall-2017.se"
    path.write_bytes("\n".join(lines).encode("cp437", errors="replace"))
    read = read_ledger(path, path.name, (), (1, 6))
    # Every problem is placed in this file, at one of its lines (or the file as a whole),
    # and every row kept comes from one of its lines: nothing is made up, nothing unplaced.
    with path.open(encoding="cp437", newline="") as fh:  # lines as the reader counts them
        count = max(sum(1 for _ in fh), 1)
    for d in read.diagnostics:
        assert d.file == path.name, d
        if d.cell is not None:
            assert d.cell.startswith("rad "), d
            assert 1 <= int(d.cell[4:]) <= count, d
    if read.frame.height:
        assert 1 <= int(read.frame["row"].min()) <= int(read.frame["row"].max()) <= count


@given(data=st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8")))
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_fuzzed_csv_never_raises(data: bytes, tmp_path_factory: Any) -> None:
    path = tmp_path_factory.mktemp("csv") / "utfall-2017.csv"
    path.write_bytes("År;Period;Ansvar;Verksamhet;Konto;Belopp\n".encode() + data)
    read_ledger(path, path.name)


@pytest.mark.libreoffice
def test_the_converted_workbook_opens_in_libreoffice(tmp_path: Path) -> None:
    from tests.conftest import soffice_convert

    path = sie_file("transaktioner_ovnbolag.se")
    assert CliRunner().invoke(cli, ["sie", str(path), "--out", str(tmp_path)]).exit_code == 0
    converted = soffice_convert(tmp_path / "transaktioner_ovnbolag.xlsx", "csv", tmp_path / "lo")
    lines = converted.read_text(encoding="cp1252").splitlines()  # LibreOffice writes ANSI
    assert lines[0].split(",")[:6] == ["År", "Period", "Ansvar", "Verksamhet", "Konto", "Belopp"]
    assert len(lines) == 672
    # Amounts are numbers in the workbook: LibreOffice writes them without quotes.
    assert lines[1].split(",")[5] == "-128"
