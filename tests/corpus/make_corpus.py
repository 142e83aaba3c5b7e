"""Generate the corpus of broken inputs under tests/corpus/cases/ (committed).

Each case is a folder holding only the files that differ from the valid base
folder (``tests.conftest.Folder``) and a ``case.json``: what to remove, the
period to report, and the diagnostic expected (code, file, sheet, cell). The
test lays each case over a fresh base folder and checks that validation names
exactly that place. Run: ``.venv/bin/python -m tests.corpus.make_corpus``.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from tests.conftest import LEDGER_HEADER, write_xlsx

CASES = Path(__file__).parent / "cases"

STRUCT_HEADER = ["Verksamhet", "Verksamhetsområde", "Delområde"]
BUDGET_HEADER = ["År", "Verksamhet", "Konto", "Belopp"]
CHANGE_HEADER = [
    "Typ",
    "Status",
    "Verksamhetsområde",
    "Kostnader",
    "Intäkter",
    "Beskrivning",
    "Finansiär",
    "Diarienummer",
]
FORECAST_HEADER = ["Verksamhetsområde", "Delområde", "Kostnader", "Intäkter", "Kommentar"]
IND_HEADER = [
    "Inriktningsmål",
    "Verksamhetsområdesmål",
    "Indikator",
    "Enhet",
    "Riktning",
    "KF:s årsmål",
    "Nämndens årsmål",
    "Periodicitet",
    "Periodutfall",
    "Föregående år",
]
ASSESS_HEADER = ["Nivå", "Mål", "Bedömning", "Kommentar"]


def ledger_rows(months: int = 4) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for m in range(1, months + 1):
        rows += [
            [2017, m, "A1", "100", "5010", 100_000],
            [2017, m, "A1", "100", "3410", -10_000],
            [2017, m, "B1", "200", "5010", 50_000],
            [2017, m, "B2", "201", "4610", 20_000],
        ]
    return rows


def ledger(
    d: Path,
    extra: list[list[Any]],
    months: int = 4,
    name: str = "utfall-2017.xlsx",
    header: list[str] | None = None,
) -> None:
    write_xlsx(d / name, {"Huvudbok": [header or LEDGER_HEADER, *ledger_rows(months), *extra]})


def settings(d: Path, body: str) -> None:
    (d / "namnd.toml").write_text(body, encoding="utf-8")


def goals(d: Path, indicators: list[list[Any]], assessments: list[list[Any]]) -> None:
    write_xlsx(
        d / "mal.xlsx",
        {"Indikatorer": [IND_HEADER, *indicators], "Bedömningar": [ASSESS_HEADER, *assessments]},
    )


GOAL_ROW = [
    "Ett Stockholm",
    "Trygg förskola",
    "Andel nöjda",
    "%",
    "Högre",
    90,
    90,
    "Tertial",
    91,
    88,
]


def zip_bomb(path: Path) -> None:
    """A valid-looking .xlsx whose sheet part unpacks to 210 MB of zeros (~200 kB packed)."""
    wb = Workbook()
    raw = io.BytesIO()
    wb.save(raw)
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                entry = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
                entry.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(entry, "w", force_zip64=True) as fh:
                    chunk = b"\0" * (1 << 20)
                    for _ in range(210):
                        fh.write(chunk)
            else:
                dst.writestr(
                    zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), src.read(info.filename)
                )


def encrypted(path: Path) -> None:
    """A real password-protected workbook (Excel's agile encryption), password 'hemligt'."""
    import msoffcrypto.format.ooxml

    plain = io.BytesIO()
    write_xlsx(
        path.with_suffix(".plain.xlsx"), {"Budget": [BUDGET_HEADER, [2017, "100", "5010", 1]]}
    )
    plain.write(path.with_suffix(".plain.xlsx").read_bytes())
    path.with_suffix(".plain.xlsx").unlink()
    plain.seek(0)
    with path.open("wb") as out:
        msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("hemligt", out)


Case = tuple[str, Callable[[Path], None], dict[str, Any]]


def E(
    code: str, file: str, sheet: str | None = None, cell: str | None = None, **extra: Any
) -> dict[str, Any]:
    return {"code": code, "file": file, "sheet": sheet, "cell": cell, **extra}


CASE_LIST: list[Case] = [
    ("missing-structure", lambda d: None, E("E001", "testnamnd-2017", remove=["struktur.xlsx"])),
    (
        "html-page-saved-as-xlsx",
        lambda d: (d / "budget.xlsx").write_bytes(
            b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
            b"<body><h1>Not Found</h1></body></html>\n"
        ),
        E("E002", "budget.xlsx"),
    ),
    (
        "csv-renamed-to-xlsx",
        lambda d: (d / "utfall-2017.xlsx").write_text(
            "År;Period;Ansvar;Verksamhet;Konto;Belopp\n2017;1;A1;100;5010;1 000,00\n",
            encoding="utf-8",
        ),
        E("E002", "utfall-2017.xlsx"),
    ),
    (
        "empty-file",
        lambda d: (d / "utfall-2017.xlsx").write_bytes(b""),
        E("E002", "utfall-2017.xlsx"),
    ),
    (
        "truncated-zip",
        lambda d: (d / "struktur.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 64),
        E("E002", "struktur.xlsx"),
    ),
    (
        "sheet-missing",
        lambda d: write_xlsx(d / "budget.xlsx", {"Blad1": [BUDGET_HEADER], "Blad2": [["x"]]}),
        E("E003", "budget.xlsx"),
    ),
    (
        "no-header-row",
        lambda d: write_xlsx(d / "struktur.xlsx", {"Verksamheter": [["100", "Förskola"]]}),
        E("E004", "struktur.xlsx", "Verksamheter"),
    ),
    (
        "column-missing",
        lambda d: write_xlsx(
            d / "utfall-2017.xlsx",
            {"Huvudbok": [["Huvudbok 2017"], LEDGER_HEADER[:5], [2017, 1, "A1", "100", "5010"]]},
        ),
        E("E005", "utfall-2017.xlsx", "Huvudbok", "A2"),
    ),
    (
        "formula-error-div0",
        lambda d: _formula_error(d),
        E("E006", "utfall-2017.xlsx", "Huvudbok", "F18"),
    ),
    ("password-protected", lambda d: encrypted(d / "budget.xlsx"), E("E007", "budget.xlsx")),
    ("zip-bomb", lambda d: zip_bomb(d / "utfall-2016.xlsx"), E("E008", "utfall-2016.xlsx")),
    (
        "unsupported-format",
        lambda d: (d / "forandringar.numbers").write_bytes(b"PK\x03\x04numbers"),
        E("E009", "forandringar.numbers"),
    ),
    (
        "toml-syntax-error",
        lambda d: settings(d, 'namnd = "Testnämnden"\nar = 2017\nenhet = mnkr\n'),
        E("E010", "namnd.toml", None, "rad 3"),
    ),
    (
        "toml-area-name-without-quotes",
        lambda d: settings(d, 'namnd = "T"\nar = 2017\n[prognos]\nÄldreomsorg = "manuell"\n'),
        E("E010", "namnd.toml", None, "rad 4"),
    ),
    (
        "toml-unknown-unit",
        lambda d: settings(d, 'namnd = "Testnämnden"\nar = 2017\nenhet = "kkr"\n'),
        E("E011", "namnd.toml"),
    ),
    (
        "toml-unknown-method",
        lambda d: settings(d, 'namnd = "T"\nar = 2017\n[prognos]\nstandard = "glidande"\n'),
        E("E011", "namnd.toml"),
    ),
    (
        "amount-with-two-commas",
        lambda d: ledger(d, [[2017, 2, "A1", "100", "6410", "1 234,5,0"]]),
        E("E101", "utfall-2017.xlsx", "Huvudbok", "F18"),
    ),
    (
        "amount-in-parentheses",
        lambda d: ledger(d, [[2017, 2, "A1", "100", "6410", "(1234)"]]),
        E("E101", "utfall-2017.xlsx", "Huvudbok", "F18"),
    ),
    (
        "period-as-month-name",
        lambda d: ledger(d, [[2017, "mars", "A1", "100", "6410", 5]]),
        E("E102", "utfall-2017.xlsx", "Huvudbok", "B18"),
    ),
    (
        "budget-konto-blank",
        lambda d: write_xlsx(
            d / "budget.xlsx",
            {"Budget": [BUDGET_HEADER, [2017, "100", "5010", 1_200_000], [2017, "100", None, 5]]},
        ),
        E("E103", "budget.xlsx", "Budget", "C3"),
    ),
    (
        "year-implausible",
        lambda d: ledger(d, [[1917, 2, "A1", "100", "6410", 5]]),
        E("E104", "utfall-2017.xlsx", "Huvudbok", "A18"),
    ),
    (
        "period-thirteen",
        lambda d: ledger(d, [[2017, 13, "A1", "100", "6410", 5]]),
        E("E105", "utfall-2017.xlsx", "Huvudbok", "B18"),
    ),
    (
        "period-yyyymm-of-other-year",
        lambda d: ledger(d, [[2017, 201612, "A1", "100", "6410", 5]]),
        E("E105", "utfall-2017.xlsx", "Huvudbok", "B18"),
    ),
    (
        "konto-three-digits",
        lambda d: ledger(d, [[2017, 2, "A1", "100", "641", 5]]),
        E("E106", "utfall-2017.xlsx", "Huvudbok", "E18"),
    ),
    (
        "konto-class-nine",
        lambda d: ledger(d, [[2017, 2, "A1", "100", "9010", 5]]),
        E("E107", "utfall-2017.xlsx", "Huvudbok", "E18"),
    ),
    (
        "change-type-misspelt",
        lambda d: write_xlsx(
            d / "forandringar.xlsx",
            {
                "Förändringar": [
                    CHANGE_HEADER,
                    ["Omslutning", "Begärd", "Förskola", 1000, 1000, "Statsbidrag", None, None],
                ]
            },
        ),
        E("E108", "forandringar.xlsx", "Förändringar", "A2"),
    ),
    (
        "change-status-unknown",
        lambda d: write_xlsx(
            d / "forandringar.xlsx",
            {
                "Förändringar": [
                    CHANGE_HEADER,
                    ["Budgetjustering", "Godkänd", "Förskola", 1000, 0, "Justering", None, None],
                ]
            },
        ),
        E("E108", "forandringar.xlsx", "Förändringar", "B2"),
    ),
    (
        "amount-is-an-id",
        lambda d: ledger(d, [[2017, 2, "A1", "100", "6410", "19780101123412345678"]]),
        E("E109", "utfall-2017.xlsx", "Huvudbok", "F18"),
    ),
    (
        "share-above-one",
        lambda d: write_xlsx(
            d / "budget.xlsx",
            {
                "Budget": [BUDGET_HEADER, [2017, "100", "5010", 1_200_000]],
                "Periodisering": [
                    ["Verksamhetsområde", "Period", "Andel"],
                    [None, 1, "1,5"],
                    *[[None, m, 0] for m in range(2, 13)],
                ],
            },
        ),
        E("E110", "budget.xlsx", "Periodisering", "C2"),
    ),
    (
        "forecast-entered-as-negative",
        lambda d: write_xlsx(
            d / "prognos.xlsx",
            {"Prognos": [FORECAST_HEADER, ["Förskola", None, "−1 300 000", 130_000, "Minus"]]},
        ),
        E("E111", "prognos.xlsx", "Prognos", "C2"),
    ),
    (
        "negative-volume",
        lambda d: write_xlsx(
            d / "volymer.xlsx",
            {
                "Volymer": [
                    [
                        "Verksamhetsområde",
                        "Delområde",
                        "Mått",
                        "Period",
                        "Budgeterad volym",
                        "Utfall volym",
                        "Pris",
                    ],
                    ["Förskola", None, "Inskrivna barn", 1, 100, -3, 12000],
                ]
            },
        ),
        E("E111", "volymer.xlsx", "Volymer", "F2"),
    ),
    (
        "code-mapped-to-two-areas",
        lambda d: write_xlsx(
            d / "struktur.xlsx",
            {
                "Verksamheter": [
                    STRUCT_HEADER,
                    ["100", "Förskola", None],
                    ["200", "Äldreomsorg", "Hemtjänst egen regi"],
                    ["201", "Äldreomsorg", "Hemtjänst externa utförare"],
                    ["100", "Äldreomsorg", None],
                ]
            },
        ),
        E("E201", "struktur.xlsx", "Verksamheter", "A5"),
    ),
    (
        "change-for-unknown-area",
        lambda d: write_xlsx(
            d / "forandringar.xlsx",
            {
                "Förändringar": [
                    CHANGE_HEADER,
                    [
                        "Omslutningsförändring",
                        "Begärd",
                        "Förskoleverksamhet",
                        1000,
                        1000,
                        "Statsbidrag",
                        None,
                        None,
                    ],
                ]
            },
        ),
        E("E202", "forandringar.xlsx", "Förändringar", "C2"),
    ),
    (
        "forecast-for-unknown-subarea",
        lambda d: write_xlsx(
            d / "prognos.xlsx",
            {"Prognos": [FORECAST_HEADER, ["Äldreomsorg", "Hemtjänst", 1000, 0, "Kommentar"]]},
        ),
        E("E202", "prognos.xlsx", "Prognos", "B2"),
    ),
    (
        "volumes-for-unknown-area",
        lambda d: write_xlsx(
            d / "volymer.xlsx",
            {
                "Volymer": [
                    [
                        "Verksamhetsområde",
                        "Delområde",
                        "Mått",
                        "Period",
                        "Budgeterad volym",
                        "Utfall volym",
                        "Pris",
                    ],
                    ["Förskolan", None, "Inskrivna barn", 1, 100, 98, 12000],
                ]
            },
        ),
        E("E202", "volymer.xlsx", "Volymer", "A2"),
    ),
    (
        "turnover-change-unbalanced",
        lambda d: write_xlsx(
            d / "forandringar.xlsx",
            {
                "Förändringar": [
                    CHANGE_HEADER,
                    [
                        "Omslutningsförändring",
                        "Begärd",
                        "Förskola",
                        "2 500 000",
                        "2 000 000",
                        "Statsbidrag",
                        None,
                        None,
                    ],
                ]
            },
        ),
        E("E203", "forandringar.xlsx", "Förändringar", "E2"),
    ),
    (
        "shares-do-not-sum-to-one",
        lambda d: write_xlsx(
            d / "budget.xlsx",
            {
                "Budget": [BUDGET_HEADER, [2017, "100", "5010", 1_200_000]],
                "Periodisering": [
                    ["Verksamhetsområde", "Period", "Andel"],
                    *[["Förskola", m, "0,08"] for m in range(1, 13)],
                ],
            },
        ),
        E("E204", "budget.xlsx", "Periodisering"),
    ),
    (
        "manual-method-without-forecast",
        lambda d: settings(
            d, 'namnd = "T"\nar = 2017\n[prognos]\nstandard = "linjar"\n"Förskola" = "manuell"\n'
        ),
        E("E205", "prognos.xlsx"),
    ),
    (
        "goal-assessed-twice",
        lambda d: goals(
            d,
            [GOAL_ROW],
            [
                ["Verksamhetsområdesmål", "Trygg förskola", "Uppfylls helt", None],
                ["Verksamhetsområdesmål", "Trygg förskola", "Uppfylls delvis", None],
            ],
        ),
        E("E206", "mal.xlsx", "Bedömningar", "B3"),
    ),
    (
        "assessed-goal-not-in-indicators",
        lambda d: goals(
            d, [GOAL_ROW], [["Verksamhetsområdesmål", "Trygg förskolor", "Uppfylls helt", None]]
        ),
        E("E207", "mal.xlsx", "Bedömningar", "B2"),
    ),
    ("no-rows-for-report-year", lambda d: settings(d, 'namnd = "T"\nar = 2018\n'), E("E208", None)),
    (
        "volume-method-without-volumes",
        lambda d: settings(d, 'namnd = "T"\nar = 2017\n[prognos]\nstandard = "volym"\n'),
        E("E209", "namnd.toml"),
    ),
    ("period-beyond-ledger", lambda d: None, E("E210", None, period=8)),
    (
        "goal-indicator-without-direction",
        lambda d: goals(d, [[*GOAL_ROW[:4], None, *GOAL_ROW[5:]]], []),
        E("E103", "mal.xlsx", "Indikatorer", "E2"),
    ),
    ("formula-error-in-goals", lambda d: _goal_na(d), E("E006", "mal.xlsx", "Indikatorer", "I2")),
    # Warnings: the report is still written (exit 0).
    (
        "unmapped-code",
        lambda d: ledger(d, [[2017, 2, "A1", "999", "6410", 5]]),
        E("W301", "utfall-2017.xlsx", "Huvudbok", "D18", exit=0),
    ),
    (
        "rows-after-report-year",
        lambda d: ledger(d, [[2018, 1, "A1", "100", "6410", 5]]),
        E("W302", "utfall-2017.xlsx", "Huvudbok", "A18", exit=0),
    ),
    (
        "month-missing",
        lambda d: write_xlsx(
            d / "utfall-2017.xlsx",
            {"Huvudbok": [LEDGER_HEADER, *[r for r in ledger_rows(4) if r[1] != 2]]},
        ),
        E("W303", None, exit=0),
    ),
    (
        "cost-account-negative",
        lambda d: ledger(d, [[2017, 2, "A1", "100", "6410", -500]]),
        E("W304", None, exit=0),
    ),
    (
        "requested-dnr-already-granted",
        lambda d: write_xlsx(
            d / "forandringar.xlsx",
            {
                "Förändringar": [
                    CHANGE_HEADER,
                    [
                        "Omslutningsförändring",
                        "Beviljad",
                        "Förskola",
                        1000,
                        1000,
                        "Statsbidrag",
                        None,
                        "SDN 2017/1",
                    ],
                    [
                        "Omslutningsförändring",
                        "Begärd",
                        "Förskola",
                        1000,
                        1000,
                        "Statsbidrag igen",
                        None,
                        "SDN 2017/1",
                    ],
                ]
            },
        ),
        E("W305", "forandringar.xlsx", "Förändringar", "H3", exit=0),
    ),
    (
        "seasonal-without-prior-year",
        lambda d: settings(d, 'namnd = "T"\nar = 2017\n[prognos]\nstandard = "sasong"\n'),
        E("W306", None, exit=0),
    ),
    (
        "previous-report-of-another-year",
        lambda d: (d / "tertialrapport-1-2016.json").write_text(
            '{"schema": "budget-report/1", "namnd": "Testnämnden", "year": 2016, '
            '"period": 4, "areas": []}\n',
            encoding="utf-8",
        ),
        E("W309", "tertialrapport-1-2016.json", exit=0, previous="tertialrapport-1-2016.json"),
    ),
    (
        "adjustment-without-net-effect",
        lambda d: write_xlsx(
            d / "forandringar.xlsx",
            {
                "Förändringar": [
                    CHANGE_HEADER,
                    [
                        "Budgetjustering",
                        "Begärd",
                        "Förskola",
                        5000,
                        5000,
                        "Statsbidrag",
                        None,
                        None,
                    ],
                ]
            },
        ),
        E("W310", "forandringar.xlsx", "Förändringar", "A2", exit=0),
    ),
    (
        "balance-sheet-rows",
        lambda d: ledger(d, [[2017, 2, "A1", "100", "1930", 5]]),
        E("W307", None, exit=0),
    ),
]


def _formula_error(d: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Huvudbok"
    ws.append(LEDGER_HEADER)
    for row in ledger_rows():
        ws.append(row)
    ws.append([2017, 2, "A1", "100", "6410", None])
    ws["F18"].value = "#DIV/0!"
    ws["F18"].data_type = "e"
    wb.save(d / "utfall-2017.xlsx")


def _goal_na(d: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Indikatorer"
    ws.append(IND_HEADER)
    ws.append([*GOAL_ROW[:8], None, GOAL_ROW[9]])
    ws["I2"].value = "#N/A"
    ws["I2"].data_type = "e"
    b = wb.create_sheet("Bedömningar")
    b.append(ASSESS_HEADER)
    wb.save(d / "mal.xlsx")


def main() -> None:
    if CASES.exists():
        shutil.rmtree(CASES)
    for number, (name, make, expected) in enumerate(CASE_LIST, 1):
        folder = CASES / f"{number:02d}-{name}"
        folder.mkdir(parents=True)
        make(folder)
        (folder / "case.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    print(f"{len(CASE_LIST)} cases in {CASES}")


if __name__ == "__main__":
    main()
