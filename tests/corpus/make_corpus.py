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
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from budget.edge.sheets import (
    ASSESSMENT,
    BUDGET,
    CHANGES,
    FORECASTS,
    INDICATORS,
    INVESTMENTS,
    MEASURES,
    PERIODISATION,
    RESPONSIBILITIES,
    STRUCTURE,
    VOLUMES,
)
from tests.conftest import LEDGER_HEADER, ledger_rows, write_xlsx

CASES = Path(__file__).parent / "cases"

STRUCT_HEADER = STRUCTURE.header("Delområde")
BUDGET_HEADER = BUDGET.header()
CHANGE_HEADER = CHANGES.header("Status", "Finansiär", "Diarienummer")
FORECAST_HEADER = FORECASTS.header("Delområde", "Kommentar")
UNIT_FORECAST_HEADER = FORECASTS.header("Delområde", "Ansvar", "Verksamhet")
IND_HEADER = INDICATORS.header("Enhet", "Föregående år")
VOLUME_HEADER = VOLUMES.header("Delområde")
ASSESS_HEADER = ASSESSMENT.header("Kommentar")
INVEST_HEADER = INVESTMENTS.header("Verksamhetsområde", "Utgifter", "Kommentar")


MEASURE_HEADER = MEASURES.header("Delområde", "Ansvarig", "Beslut")


def measures(d: Path, rows: list[list[Any]], header: list[str] | None = None) -> None:
    """atgarder.xlsx (contract §7): one good row changed where a case says."""
    write_xlsx(d / "atgarder.xlsx", {"Åtgärder": [header or MEASURE_HEADER, *rows]})


def measure(**change: Any) -> list[Any]:
    """A valid measure row with the named columns changed."""
    row: dict[str, Any] = {
        "Verksamhetsområde": "Förskola",
        "Delområde": None,
        "Åtgärd": "Färre timvikarier",
        "Effekt": 100_000,
        "Status": "Beslutad",
        "Ingår i prognosen": "Nej",
        "Ansvarig": "Förskolechef",
        "Beslut": None,
    }
    row.update({k.replace("_", " "): v for k, v in change.items()})
    return [row[h] for h in MEASURE_HEADER]


def _measure_raw_effect(d: Path, raw: str) -> None:
    """An Effekt cell whose stored number is ``raw`` (inf, NaN: no Excel writes it, a
    generator or a hand-edited file can)."""
    measures(d, [measure(Effekt=123_456)])
    _rewrite(
        d / "atgarder.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"<v>123456</v>", f"<v>{raw}</v>".encode()),
    )


def _measure_formula(d: Path) -> None:
    """Effekt as a formula Excel never calculated (no cached value), as a generator
    writes it."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Åtgärder"
    for r, row in enumerate([MEASURE_HEADER, measure(Effekt="=12*100000")], 1):
        for c, value in enumerate(row, 1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)  # '=…' becomes a formula
    wb.save(d / "atgarder.xlsx")


def investments(d: Path, rows: list[list[Any]]) -> None:
    write_xlsx(d / "investeringar.xlsx", {"Investeringar": [INVEST_HEADER, *rows]})


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


SIE_HEAD = (
    '#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#RAR 0 20170101 20171231\n#DIM 1 "Ansvar"\n'
    '#DIM 6 "Verksamhet"\n'
)


def sie_voucher(line_items: list[tuple[str, str]], number: int = 1) -> str:
    """A voucher of (account, amount) lines on ansvar A1, verksamhet 100."""
    trans = "".join(f'#TRANS {k} {{1 "A1" 6 "100"}} {a}\n' for k, a in line_items)
    return f'#VER A {number} 20170215 "Faktura"\n{{\n{trans}}}\n'


def sie_case(d: Path, body: str) -> None:
    (d / "utfall-sie.se").write_bytes((SIE_HEAD + body).encode("cp437"))
    settings(
        d,
        'namnd = "Testnämnden"\nar = 2017\nenhet = "mnkr"\n[prognos]\nstandard = "linjar"\n'
        "[sie]\nansvar = 1\nverksamhet = 6\n",
    )


BASE_BUDGET = [
    [2017, "100", "5010", 1_200_000],
    [2017, "100", "3410", -120_000],
    [2017, "200", "5010", 600_000],
    [2017, "201", "4610", 240_000],
]


def OK(**figures: float) -> dict[str, Any]:
    """A case that must be reported with exactly these figures (dotted JSON paths)."""
    return {"code": None, "file": None, "sheet": None, "cell": None, "exit": 0, "figures": figures}


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
                    PERIODISATION.header("Verksamhetsområde"),
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
                    VOLUME_HEADER,
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
                    VOLUME_HEADER,
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
                    PERIODISATION.header("Verksamhetsområde"),
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
            json.dumps(minimal_report(2016, 4), ensure_ascii=False) + "\n", encoding="utf-8"
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
    # Issue 11: every krona accounted for. A case with "figures" is also reported, and
    # the report's JSON must hold exactly those figures (see tests/test_corpus.py).
    (
        "konto-in-full-width-digits",
        lambda d: ledger(d, [[2017, 2, "A1", "100", "\uff15\uff10\uff11\uff11", 1_000_000]]),
        OK(**{"reconciliation.ledger_sum": 1_640_000.0, "reconciliation.ledger_rows": 17}),
    ),
    (
        "konto-in-arabic-indic-digits",
        lambda d: ledger(d, [[2017, 2, "A1", "100", "\u0665\u0660\u0661\u0661", 1_000_000]]),
        E("E112", "utfall-2017.xlsx", "Huvudbok", "E18"),
    ),
    (
        "budget-verksamhet-in-full-width-digits",
        lambda d: write_xlsx(
            d / "budget.xlsx",
            {"Budget": [BUDGET_HEADER, *BASE_BUDGET, [2017, "\uff11\uff10\uff10", "5010", 50e6]]},
        ),
        OK(**{"total.budget.costs": -52_040_000.0, "areas.Förskola.-.budget.costs": -51_200_000.0}),
    ),
    (
        "ansvar-with-control-character",
        lambda d: ledger(d, [[2017, 2, "A1_x0007_", "100", "5010", 500]]),
        E("E112", "utfall-2017.xlsx", "Huvudbok", "C18"),
    ),
    (
        "change-description-first-says-totalt",
        lambda d: write_xlsx(
            d / "forandringar.xlsx",
            {
                "Förändringar": [
                    ["Beskrivning", *CHANGE_HEADER[:5]],
                    ["Statsbidrag", "Omslutningsförändring", "Begärd", "Förskola", 1e6, 1e6],
                    [
                        "Totalt ökade statsbidrag för kvalitet",
                        "Omslutningsförändring",
                        "Begärd",
                        "Förskola",
                        1.5e6,
                        1.5e6,
                    ],
                ]
            },
        ),
        OK(**{"budget_changes.requested_turnover_change": 2_500_000.0}),
    ),
    (
        "ledger-text-starts-with-total",
        lambda d: write_xlsx(
            d / "utfall-2017.xlsx",
            {
                "Huvudbok": [
                    ["Text", *LEDGER_HEADER],
                    *([None, *row] for row in ledger_rows()),
                    ["Total renovering av förskolan", 2017, 2, "A1", "100", "6410", 250_000],
                ]
            },
        ),
        OK(**{"reconciliation.ledger_sum": 890_000.0, "reconciliation.ledger_rows": 17}),
    ),
    (
        "total-row-that-does-not-add-up",
        lambda d: ledger(d, [["Summa", None, None, None, None, 600_000]]),
        E("W311", "utfall-2017.xlsx", "Huvudbok", "F18", exit=0),
    ),
    (
        "subtotal-rows-in-budget",
        lambda d: write_xlsx(
            d / "budget.xlsx",
            {
                "Budget": [
                    BUDGET_HEADER,
                    *BASE_BUDGET[:2],
                    [None, "Summa Förskola", None, 1_080_000],
                    *BASE_BUDGET[2:],
                    [None, "Summa Äldreomsorg", None, 840_000],
                    ["Totalt", None, None, 1_920_000],
                ]
            },
        ),
        {**OK(**{"total.budget.net": -1_920_000.0}), "skipped_rows": {"budget.xlsx": 3}},
    ),
    (
        "hidden-stale-budget-sheet",
        lambda d: _hidden_sheet(d),
        E("E013", "budget.xlsx", "Budget"),
    ),
    (
        "hidden-periodisation-sheet",
        lambda d: _hidden_sheet(d, hidden="Periodisering", visible="Budget"),
        E("E013", "budget.xlsx", "Periodisering"),
    ),
    (
        "amount-with-thousands-dot",
        lambda d: ledger(d, [[2017, 2, "A1", "100", "5010", "12.500"]]),
        E("E113", "utfall-2017.xlsx", "Huvudbok", "F18"),
    ),
    (
        "change-amount-with-both-separators",
        lambda d: write_xlsx(
            d / "forandringar.xlsx",
            {
                "Förändringar": [
                    CHANGE_HEADER,
                    ["Budgetjustering", "Begärd", "Förskola", "1.234,50", 0, "Hyra", None, None],
                ]
            },
        ),
        E("E113", "forandringar.xlsx", "Förändringar", "D2"),
    ),
    (
        "fractions-of-an-ore-summed-exactly",
        lambda d: ledger(d, [[2017, 2, "A1", "100", "5010", 10.555]] * 1000),
        OK(**{"reconciliation.ledger_sum": 650_555.0, "reconciliation.ledger_rows": 1016}),
    ),
    (
        "amount-in-full-width-digits",
        lambda d: ledger(
            d, [[2017, 2, "A1", "100", "5010", "\uff11\uff12\u3000\uff10\uff10\uff10"]]
        ),
        OK(**{"reconciliation.ledger_sum": 652_000.0}),
    ),
    (
        "change-posted-at-area-level",
        lambda d: write_xlsx(
            d / "forandringar.xlsx",
            {
                "Förändringar": [
                    CHANGE_HEADER,
                    ["Budgetjustering", "Beviljad", "Äldreomsorg", 400_000, 0, "Ökad hemtjänst"],
                ]
            },
        ),
        OK(
            **{
                "areas.Äldreomsorg.-.budget.costs": -1_240_000.0,
                "areas.Äldreomsorg.Ej fördelat på delområde.budget.costs": -400_000.0,
            }
        ),
    ),
    (
        "stray-cell-far-right",
        lambda d: _patched_sheet(d, b'<row r="4000"><c r="XFD4000" t="n"><v>1</v></c></row>'),
        E("E012", "utfall-2017.xlsx", "Huvudbok", "XFD4000"),
    ),
    (
        "cell-below-the-last-row",
        lambda d: _patched_sheet(d, b'<row r="1048577"><c r="A1048577" t="n"><v>1</v></c></row>'),
        E("E012", "utfall-2017.xlsx", "Huvudbok", "A1048577"),
    ),
    (
        "cell-right-of-column-xfd",
        lambda d: _patched_sheet(d, b'<row r="20"><c r="XFE20" t="n"><v>1</v></c></row>'),
        E("E012", "utfall-2017.xlsx", "Huvudbok", "XFE20"),
    ),
    (
        "cells-without-references-beyond-xfd",
        lambda d: _patched_sheet(
            d, b'<row r="20">' + b'<c t="n"><v>1</v></c>' * 16_385 + b"</row>"
        ),
        E("E012", "utfall-2017.xlsx", "Huvudbok", "XFE20"),
    ),
    (
        "zip-header-understates-size",
        lambda d: _lying_zip(d / "utfall-2016.xlsx"),
        E("E008", "utfall-2016.xlsx"),
    ),
    (
        "zip-header-with-wrong-size",
        lambda d: _lying_zip(d / "utfall-2016.xlsx", padding=1000),
        E("E002", "utfall-2016.xlsx"),
    ),
    (
        "control-character-in-ledger-text",
        lambda d: ledger(
            d,
            [[2017, 2, "A1", "100", "6410", 500, "Inköp_x0001_ av material"]],
            header=[*LEDGER_HEADER, "Text"],
        ),
        E("W312", "utfall-2017.xlsx", "Huvudbok", "G18", exit=0, figures={}),
    ),
    (
        "control-character-in-area-name",
        lambda d: write_xlsx(
            d / "struktur.xlsx",
            {
                "Verksamheter": [
                    STRUCT_HEADER,
                    ["100", "Förskola_x001f_", None],
                    ["200", "Äldreomsorg", "Hemtjänst egen regi"],
                    ["201", "Äldreomsorg", "Hemtjänst externa utförare"],
                ]
            },
        ),
        E("W312", "struktur.xlsx", "Verksamheter", "B2", exit=0, figures={}),
    ),
    (
        "nul-in-namnd-toml",
        lambda d: settings(
            d, 'namnd = "Testnämnden\\u0000"\nar = 2017\n[prognos]\nstandard = "linjar"\n'
        ),
        E("E011", "namnd.toml"),
    ),
    (
        "previous-report-with-wrong-types",
        lambda d: _previous(d, lambda r: r["total"].update(variance="13,0")),
        E("E014", "tidigare.json", None, "$.total.variance", previous="tidigare.json"),
    ),
    (
        "previous-report-with-nan",
        lambda d: (d / "tidigare.json").write_text(
            json.dumps(minimal_report(2017, 2)).replace('"variance": 0.0', '"variance": NaN'),
            encoding="utf-8",
        ),
        E("E014", "tidigare.json", previous="tidigare.json"),
    ),
    (
        "previous-report-with-nulls",
        lambda d: _previous(d, lambda r: r.update(areas=None, period=None)),
        E("E014", "tidigare.json", None, "$.areas", previous="tidigare.json"),
    ),
    (
        "volume-price-with-thousands-dot",
        lambda d: write_xlsx(
            d / "volymer.xlsx",
            {
                "Volymer": [
                    VOLUME_HEADER,
                    ["Förskola", None, "Inskrivna barn", 1, 100, 98, "1.250"],
                ]
            },
        ),
        E("E113", "volymer.xlsx", "Volymer", "G2"),
    ),
    (
        "shared-strings-count-beyond-the-part",
        lambda d: _shared_strings_count(d / "struktur.xlsx"),
        E("E002", "struktur.xlsx"),
    ),
    (
        "ods-cell-repeated-over-a-huge-grid",
        lambda d: _ods_repeated(d / "utfall-2016.ods"),
        E("E012", "utfall-2016.ods"),
    ),
    (
        "budget-row-on-balance-sheet-account",
        lambda d: write_xlsx(
            d / "budget.xlsx", {"Budget": [BUDGET_HEADER, *BASE_BUDGET, [2017, "100", "1930", 5e6]]}
        ),
        E(
            "W313",
            "budget.xlsx",
            "Budget",
            "C6",
            exit=0,
            figures={"total.budget.net": -1_920_000.0},
        ),
    ),
    (
        "budget-row-of-another-year",
        lambda d: write_xlsx(
            d / "budget.xlsx", {"Budget": [BUDGET_HEADER, [2014, "100", "5010", 7e5], *BASE_BUDGET]}
        ),
        E("W313", "budget.xlsx", "Budget", "A2", exit=0),
    ),
    (
        "sie-file-that-is-a-web-page",
        lambda d: (d / "utfall-sie.se").write_text(
            "<!DOCTYPE HTML>\n<html><title>404 Not Found</title></html>\n", encoding="ascii"
        ),
        E("E016", "utfall-sie.se", None, "rad 1"),
    ),
    (
        "sie-voucher-that-does-not-balance",
        lambda d: sie_case(d, sie_voucher([("5010", "1000.00"), ("1930", "-999.00")])),
        E("E115", "utfall-sie.se", None, "rad 7"),
    ),
    (
        "sie-transaction-on-an-account-that-is-no-number",
        lambda d: sie_case(d, sie_voucher([("5010", "1000.00"), ("KASSA", "-1000.00")])),
        E("E116", "utfall-sie.se", None, "rad 10"),
    ),
    (
        "sie-result-that-the-transactions-do-not-add-up-to",
        lambda d: sie_case(
            d,
            "#RES 0 5010 1500.00\n" + sie_voucher([("5010", "1000.00"), ("1930", "-1000.00")]),
        ),
        E("W315", "utfall-sie.se", None, "rad 7", exit=0, figures={}),
    ),
    (
        "sie-account-typed-against-its-class",
        lambda d: sie_case(
            d, "#KTYP 3410 K\n" + sie_voucher([("3410", "-1000.00"), ("1930", "1000.00")])
        ),
        E("W316", "utfall-sie.se", None, "rad 7", exit=0, figures={}),
    ),
    (
        "csv-field-beyond-the-size-limit",
        lambda d: (d / "utfall-csv.csv").write_text(
            "År;Period;Ansvar;Verksamhet;Konto;Belopp;Text\n"
            + '2017;1;A1;100;5010;5;"'
            + "x" * 200_000
            + '"\n',
            encoding="utf-8",
        ),
        E("E002", "utfall-csv.csv", None, "rad 2"),
    ),
    (
        "csv-line-wider-than-excel",
        lambda d: (d / "utfall-csv.csv").write_text(
            "År;Period;Ansvar;Verksamhet;Konto;Belopp\n2017;1;A1;100;5010;5" + ";" * 20_000 + "\n",
            encoding="utf-8",
        ),
        E("E012", "utfall-csv.csv", None, "rad 2"),
    ),
    (
        "ledger-with-both-belopp-and-utfall",
        lambda d: ledger(
            d, [[2017, 2, "A1", "100", "5010", 5, 7]], header=[*LEDGER_HEADER, "Utfall"]
        ),
        E("E018", "utfall-2017.xlsx", "Huvudbok", "G1"),
    ),
    (
        "two-visible-budget-sheets",
        lambda d: write_xlsx(
            d / "budget.xlsx",
            {"Budget": [BUDGET_HEADER, *BASE_BUDGET], "budget ": [BUDGET_HEADER, *BASE_BUDGET]},
        ),
        E("E018", "budget.xlsx", "budget "),
    ),
    (
        "previous-report-nested-too-deep",
        lambda d: (d / "tidigare.json").write_text("[" * 100_000 + "]" * 100_000),
        E("E014", "tidigare.json", previous="tidigare.json"),
    ),
    (
        "date-formatted-amount-far-outside-excels-dates",
        lambda d: _date_bomb(d),
        E("E019", "budget.xlsx", "Budget"),
    ),
    (
        "unit-row-verksamhet-of-another-area",
        lambda d: write_xlsx(
            d / "prognos.xlsx",
            {"Prognos": [UNIT_FORECAST_HEADER, ["Förskola", None, 1_300_000, None, "A1", "200"]]},
        ),
        E("E216", "prognos.xlsx", "Prognos", "F2"),
    ),
    (
        "unit-row-verksamhet-not-in-struktur",
        lambda d: write_xlsx(
            d / "prognos.xlsx",
            {"Prognos": [UNIT_FORECAST_HEADER, ["Förskola", None, 1_300_000, None, "A1", "190"]]},
        ),
        E("E216", "prognos.xlsx", "Prognos", "F2"),
    ),
    (
        "unit-row-without-verksamhet",
        lambda d: write_xlsx(
            d / "prognos.xlsx",
            {"Prognos": [UNIT_FORECAST_HEADER, ["Förskola", None, 1_300_000, None, "A1", None]]},
        ),
        E("E103", "prognos.xlsx", "Prognos", "F2"),
    ),
    (
        "unit-row-ansvar-not-in-the-ansvar-sheet",
        lambda d: _unit_row_unknown_ansvar(d),
        E("E213", "prognos.xlsx", "Prognos", "E3"),
    ),
    (
        "ansvar-listed-twice-with-two-names",
        lambda d: _structure_with_ansvar(
            d, [["A1", "Förskolan Ek"], ["B1", "Hemtjänsten"], ["A1", "Förskolan Lönn"]]
        ),
        E("E217", "struktur.xlsx", "Ansvar", "B4"),
    ),
    (
        "volume-month-twice-with-two-prices",
        lambda d: write_xlsx(
            d / "volymer.xlsx",
            {
                "Volymer": [
                    VOLUME_HEADER,
                    ["Förskola", None, "Inskrivna barn", 1, 100, 98, 12000],
                    ["Förskola", None, "Inskrivna barn", 2, 100, 99, 12000],
                    ["Förskola", None, "Inskrivna barn", 1, 0, 2, 12500],
                ]
            },
        ),
        E("E217", "volymer.xlsx", "Volymer", "G4"),
    ),
    (
        "unit-row-given-twice",
        lambda d: write_xlsx(
            d / "prognos.xlsx",
            {
                "Prognos": [
                    UNIT_FORECAST_HEADER,
                    ["Förskola", None, 1_300_000, 130_000, "A1", "100"],
                    ["Förskola", None, 1_300_000, 130_000, "A1", "100"],
                ]
            },
        ),
        E("E217", "prognos.xlsx", "Prognos", "F3"),
    ),
    (
        "anslag-names-an-unknown-area",
        lambda d: settings(
            d,
            'namnd = "Testnämnden"\nar = 2017\n[prognos]\nstandard = "linjar"\n'
            '[anslag]\n"Ekonomiskt bistånd" = ["Ekonomiskt bistånd"]\n',
        ),
        E("E011", "namnd.toml"),
    ),
    (
        "anslag-area-in-two",
        lambda d: settings(
            d,
            'namnd = "Testnämnden"\nar = 2017\n[prognos]\nstandard = "linjar"\n'
            '[anslag]\n"Barn" = ["Förskola"]\n"Unga" = ["förskola"]\n',
        ),
        E("E011", "namnd.toml"),
    ),
    (
        "investment-amount-not-a-number",
        lambda d: investments(d, [["P1", "Ny förskola", "Förskola", "fyra miljoner", 0, 1, None]]),
        E("E101", "investeringar.xlsx", "Investeringar", "D2"),
    ),
    (
        "investment-without-project",
        lambda d: investments(
            d, [[None, "Ny förskola", "Förskola", 4_000_000, 0, 3_000_000, None]]
        ),
        E("E103", "investeringar.xlsx", "Investeringar", "A2"),
    ),
    (
        "investment-in-unknown-area",
        lambda d: investments(d, [["P1", "Ny förskola", "Fritids", 4_000_000, 0, 3_000_000, None]]),
        E("E202", "investeringar.xlsx", "Investeringar", "C2"),
    ),
    (
        "investment-project-twice",
        lambda d: investments(
            d,
            [
                ["P1", "Ny förskola", "Förskola", 4_000_000, 0, 3_000_000, None],
                ["P1", "Ny förskola", "Förskola", 5_000_000, 0, 3_000_000, None],
            ],
        ),
        E("E217", "investeringar.xlsx", "Investeringar", "D3"),
    ),
    (
        "archived-report-cut-short",
        lambda d: archive_case(d, {"testnamnd-2016-T2.json": '{"schema": "budget-report/1", "na'}),
        E("W319", "testnamnd-2016-T2.json", exit=0),
    ),
    (
        "archived-report-without-forecast",
        lambda d: archive_case(d, {"testnamnd-2016-T1.json": archived(4, forecast=None)}),
        E("W319", "testnamnd-2016-T1.json", cell="$.areas[0]", exit=0),
    ),
    (
        "archived-reports-of-one-tertial-differ",
        lambda d: archive_case(
            d,
            {
                "testnamnd-2016-T2.json": archived(8, -900_000.0, "2016-09-13T09:00:00"),
                "kopia-2016-T2.json": archived(8, -950_000.0, "2016-09-01T09:00:00"),
            },
        ),
        E("W320", "kopia-2016-T2.json", exit=0),
    ),
    (
        "archive-folder-missing",
        lambda d: settings(d, ARCHIVE_SETTINGS.replace('arkiv = "."', 'arkiv = "../rapporter"')),
        E("W321", "namnd.toml", exit=0),
    ),
    (
        "archive-setting-not-a-folder-name",
        lambda d: settings(d, ARCHIVE_SETTINGS.replace('arkiv = "."', "arkiv = 2016")),
        E("E011", "namnd.toml"),
    ),
]

# Issue 25: nothing changes a figure unseen (CSV, SIE, sizes, settings, balance rows).
CSV_HEADER = ["År", "Period", "Ansvar", "Verksamhet", "Konto", "Belopp", "Text", "Verifikation"]


def csv_ledger(d: Path, extra: str = "", separator: str = ",", encoding: str = "utf-8") -> None:
    """The base ledger as CSV (utfall-2017.csv, with utfall-2017.xlsx removed), plus
    ``extra`` lines as they stand."""
    lines = [separator.join(CSV_HEADER)]
    for year, month, ansvar, verksamhet, konto, amount in ledger_rows():
        fields = [year, month, ansvar, verksamhet, konto, amount, "Rad", f"V{month}"]
        lines.append(separator.join(str(f) for f in fields))
    text = "\n".join(lines) + "\n" + extra
    (d / "utfall-2017.csv").write_bytes(text.encode(encoding))


NO_XLSX = {"remove": ["utfall-2017.xlsx"]}
CSV_OK = {"reconciliation.ledger_sum": 640_000.0, "reconciliation.ledger_rows": 16}

CASE_LIST += [
    (
        "csv-unquoted-decimal-comma-one-field-too-many",
        lambda d: csv_ledger(d, "2017,2,A1,100,4010,1234,50,Leverans,V2\n"),
        E("E117", "utfall-2017.csv", None, "rad 18", **NO_XLSX),
    ),
    (
        "csv-line-with-a-field-missing",
        lambda d: csv_ledger(d, "2017;2;A1;4010;1234;Leverans;V2\n", separator=";"),
        E("E117", "utfall-2017.csv", None, "rad 18", **NO_XLSX),
    ),
    (
        "csv-line-with-another-separator",
        lambda d: csv_ledger(d, "2017,2,A1,100,4010,1234,Leverans,V2\n", separator=";"),
        E("E117", "utfall-2017.csv", None, "rad 18", **NO_XLSX),
    ),
    (
        "csv-quote-left-open-takes-the-next-lines",
        lambda d: csv_ledger(
            d, '2017;2;A1;100;4010;5;"Hyra;V2\n2017;3;A1;100;4010;999999;Hyra;V3\n', ";"
        ),
        E("E117", "utfall-2017.csv", None, "rad 18", **NO_XLSX),
    ),
    (
        "csv-quoted-separator-and-line-break-are-one-field",
        lambda d: csv_ledger(d, '2017;2;A1;100;5010;"1000,50";"Hyra\nmars";V2\n', ";"),
        OK(**{"reconciliation.ledger_sum": 641_000.5, "reconciliation.ledger_rows": 17}) | NO_XLSX,
    ),
    (
        "csv-byte-that-is-neither-utf8-nor-windows-1252",
        lambda d: (d / "utfall-2017.csv").write_bytes(
            "År;Period;Ansvar;Verksamhet;Konto;Belopp\n".encode("cp1252")
            + b"2017;1;A1;100;5010;1000\n2017;1;A\x81;100;5010;1000\n"
        ),
        E("E002", "utfall-2017.csv", None, "rad 3", **NO_XLSX),
    ),
    (
        "csv-saved-as-unicode-text-by-excel",
        lambda d: csv_ledger(d, separator="\t", encoding="utf-16"),
        OK(**CSV_OK) | NO_XLSX,
    ),
    (
        "csv-trailing-separator-and-byte-order-mark",
        lambda d: (d / "utfall-2017.csv").write_bytes(
            b"\xef\xbb\xbf"
            + "".join(
                ";".join(str(f) for f in row) + ";\n" for row in [CSV_HEADER[:6], *ledger_rows()]
            ).encode("utf-8")
        ),
        OK(**CSV_OK) | NO_XLSX,
    ),
    (
        "sie-bank-line-without-objects",
        lambda d: sie_case(
            d,
            '#VER A 1 20170215 "Faktura"\n{\n#TRANS 5010 {1 "A1" 6 "100"} 1000.00\n'
            "#TRANS 1930 {} -1000.00\n}\n",
        ),
        E("W307", None, exit=0, figures={"reconciliation.excluded_sum": -1000.0}),
    ),
    (
        "ledger-bank-row-without-ansvar-or-verksamhet",
        lambda d: ledger(
            d, [[2017, 2, None, None, "1930", -5000], [2017, 2, "A1", "100", "5010", 5000]]
        ),
        E("W307", None, exit=0, figures={"reconciliation.excluded_sum": -5000.0}),
    ),
    (
        "budget-balance-row-without-verksamhet",
        lambda d: write_xlsx(
            d / "budget.xlsx", {"Budget": [BUDGET_HEADER, *BASE_BUDGET, [2017, None, "1510", 9]]}
        ),
        E("W313", "budget.xlsx", "Budget", "C6", exit=0),
    ),
    (
        "kolumner-maps-a-column-to-another-columns-header",
        lambda d: settings(
            d,
            'namnd = "T"\nar = 2017\n[prognos]\nstandard = "linjar"\n'
            '[kolumner]\nAnsvar = ["Verksamhet"]\n',
        ),
        E("E011", "namnd.toml", None, "rad 6"),
    ),
    (
        "kolumner-maps-two-columns-to-one-header",
        lambda d: settings(
            d,
            'namnd = "T"\nar = 2017\n[prognos]\nstandard = "linjar"\n'
            '[kolumner]\nKonto = ["Nr"]\nAnsvar = ["Nr"]\n',
        ),
        E("E011", "namnd.toml", None, "rad 6"),
    ),
    (
        "kolumner-names-no-column-of-the-contract",
        lambda d: settings(
            d,
            'namnd = "T"\nar = 2017\n[prognos]\nstandard = "linjar"\n'
            '[kolumner]\nKontonr = ["Kto"]\n',
        ),
        E("E011", "namnd.toml", None, "rad 6"),
    ),
    (
        "toml-misspelt-table",
        lambda d: settings(d, 'namnd = "T"\nar = 2017\n[prognoss]\nstandard = "linjar"\n'),
        E("E011", "namnd.toml", None, "rad 3"),
    ),
    (
        "toml-misspelt-key",
        lambda d: settings(
            d,
            'namnd = "T"\nar = 2017\ndiarienummr = "SKH 2017/1"\n[prognos]\nstandard = "linjar"\n',
        ),
        E("E011", "namnd.toml", None, "rad 3"),
    ),
    (
        "toml-misspelt-key-in-a-table",
        lambda d: settings(
            d,
            'namnd = "T"\nar = 2017\n[prognos]\nstandard = "linjar"\n'
            "[resultatoverforing]\nttak = 0.05\n",
        ),
        E("E011", "namnd.toml", None, "rad 6"),
    ),
    (
        "toml-value-of-the-wrong-type",
        lambda d: settings(
            d, 'namnd = "T"\nar = 2017\n[prognos]\nstandard = "linjar"\n[volym]\nrest = 1\n'
        ),
        E("E011", "namnd.toml", None, "rad 6"),
    ),
    (
        "sie-voucher-given-twice",
        lambda d: sie_case(d, sie_voucher([("5010", "1000.00"), ("1930", "-1000.00")]) * 2),
        E("E118", "utfall-sie.se", None, "rad 12"),
    ),
    (
        "sie-rtrans-copy-written-otherwise",
        lambda d: sie_case(
            d,
            '#VER A 1 20170215 "Faktura"\n{\n#TRANS 5010 {1 "A1" 6 "100"} 1000.00\n'
            '#RTRANS 5010 {6 "100" 1 "A1"} 500\n#TRANS 5010 {1 "A1" 6 "100"} 500.00 20170301\n'
            "#TRANS 1930 {} -1500\n}\n",
        ),
        E("W307", None, exit=0, figures={"reconciliation.excluded_sum": -1500.0}),
    ),
    (
        "sie-result-of-1e27",
        lambda d: sie_case(
            d, "#RES 0 4010 1e27\n" + sie_voucher([("5010", "1000.00"), ("1930", "-1000.00")])
        ),
        E("E109", "utfall-sie.se", None, "rad 7"),
    ),
    (
        "sie-transaction-of-1e5000",
        lambda d: sie_case(d, sie_voucher([("5010", "1e5000"), ("1930", "-1000.00")])),
        E("E109", "utfall-sie.se", None, "rad 9"),
    ),
    (
        "sie-balanced-voucher-of-vast-amounts",
        lambda d: sie_case(d, sie_voucher([("5010", "1e99999999"), ("1930", "-1e99999999")])),
        E("E109", "utfall-sie.se", None, "rad 9"),
    ),
    (
        "sie-opening-balance-of-1e400",
        lambda d: sie_case(
            d, "#IB 0 1930 1e400\n" + sie_voucher([("5010", "1000.00"), ("1930", "-1000.00")])
        ),
        E("E109", "utfall-sie.se", None, "rad 7"),
    ),
    (
        "archived-report-with-a-vast-number",
        lambda d: archive_case(
            d,
            {"testnamnd-2016-T1.json": json.dumps(archived(4)).replace("-1000000.0", "-1e400", 1)},
        ),
        E("W319", "testnamnd-2016-T1.json", exit=0),
    ),
    (
        "sie-named-file-that-is-a-readme",
        lambda d: (d / "utfall-sie.se").write_text(
            "# Real SIE files\n\nExported by real accounting programs.\n", encoding="ascii"
        ),
        E("E016", "utfall-sie.se"),
    ),
    (
        "sie-object-list-with-a-dimension-twice",
        lambda d: sie_case(
            d,
            '#VER A 1 20170215 "Faktura"\n{\n#TRANS 5010 {1 "A1" 1 "B1" 6 "100"} 1000\n'
            "#TRANS 1930 {} -1000\n}\n",
        ),
        E("E116", "utfall-sie.se", None, "rad 9"),
    ),
    (
        "goal-workbook-with-lying-zip-header-said-once",
        lambda d: _lying_zip(d / "mal.xlsx", padding=20 * 1024**2),
        E("E008", "mal.xlsx"),
    ),
    (
        "sie-amount-written-with-a-space",
        lambda d: sie_case(
            d,
            '#VER A 1 20170215 "Faktura"\n{\n#TRANS 5010 {1 "A1" 6 "100"} 1 000.00\n'
            "#TRANS 1930 {} -1 000.00\n}\n",
        ),
        E("E116", "utfall-sie.se", None, "rad 9"),
    ),
    (
        "csv-utf8-with-a-windows-1252-byte",
        lambda d: (d / "utfall-2017.csv").write_bytes(
            "År;Period;Ansvar;Verksamhet;Konto;Belopp;Text\n2017;1;A1;100;5010;5;Åby\n".encode()
            + b"2017;1;A1;100;5010;5;K\xf6k\n"
        ),
        E("E002", "utfall-2017.csv", None, "rad 3", **NO_XLSX),
    ),
    (
        "kolumner-key-in-lower-case",
        lambda d: (
            settings(
                d,
                'namnd = "T"\nar = 2017\n[prognos]\nstandard = "linjar"\n'
                '[kolumner]\nkonto = ["Kontonr"]\n',
            ),
            ledger(d, [], header=[h if h != "Konto" else "Kontonr" for h in LEDGER_HEADER]),
        ),
        OK(**{"reconciliation.ledger_sum": 640_000.0}),
    ),
    (
        "toml-nested-thousands-of-levels",
        lambda d: settings(d, 'namnd = "T"\nar = 2017\nx = ' + "[" * 5000 + "]" * 5000 + "\n"),
        E("E010", "namnd.toml"),
    ),
    (
        "toml-year-given-twice",
        lambda d: settings(
            d, 'namnd = "T"\nar = 2017\n"år" = 2016\n[prognos]\nstandard = "linjar"\n'
        ),
        E("E011", "namnd.toml", None, "rad 3"),
    ),
    # Volume and price (contract §9).
    (
        "volume-month-outside-the-year",
        lambda d: volumes(d, [["Förskola", None, "Inskrivna barn", 13, 100, 98, 12000, None]]),
        E("E105", "volymer.xlsx", "Volymer", "D2"),
    ),
    (
        "volume-budget-price-negative",
        lambda d: volumes(d, [["Förskola", None, "Inskrivna barn", 1, 100, 98, 12000, -11900]]),
        E("E111", "volymer.xlsx", "Volymer", "H2"),
    ),
    (
        "volume-budget-price-text",
        lambda d: volumes(d, [["Förskola", None, "Inskrivna barn", 1, 100, 98, 12000, "ca 12000"]]),
        E("E101", "volymer.xlsx", "Volymer", "H2"),
    ),
    (
        "volume-measure-for-unknown-delomrade",
        lambda d: volumes(
            d, [["Äldreomsorg", "Hemtjänsten", "Beviljade timmar", 1, 900, 950, 385, None]]
        ),
        E("E202", "volymer.xlsx", "Volymer", "B2"),
    ),
    (
        "volym-setting-names-unknown-area",
        lambda d: (
            volumes(d, [["Förskola", None, "Inskrivna barn", 1, 100, 98, 12000, None]]),
            settings(d, VOLUME_SETTINGS + '"Förskolan" = "Inskrivna barn"\n'),
        ),
        E("E011", "namnd.toml"),
    ),
    (
        "volym-setting-names-measure-not-in-volumes",
        lambda d: (
            volumes(d, [["Förskola", None, "Inskrivna barn", 1, 100, 98, 12000, None]]),
            settings(d, VOLUME_SETTINGS + '"Förskola" = "Barnmånader"\n'),
        ),
        E("E011", "namnd.toml"),
    ),
    (
        "volym-setting-not-a-measure-name",
        lambda d: settings(d, VOLUME_SETTINGS + '"Förskola" = 3\n'),
        E("E011", "namnd.toml"),
    ),
    (
        "volumes-two-measures-none-named",
        lambda d: volumes(
            d,
            [
                ["Förskola", None, "Inskrivna barn", 1, 100, 98, 12000, None],
                ["Förskola", None, "Barnmånader", 1, 100, 98, 12000, None],
            ],
        ),
        E("W330", "namnd.toml", exit=0),
    ),
    (
        "volumes-without-budget-volume-or-price",
        lambda d: volumes(d, [["Förskola", None, "Inskrivna barn", 1, None, 98, 12000, None]]),
        E("W331", "volymer.xlsx", exit=0),
    ),
]

VOLUME_SETTINGS = (
    'namnd = "Testnämnden"\nar = 2017\nenhet = "mnkr"\n[prognos]\nstandard = "linjar"\n[volym]\n'
)


def volumes(d: Path, rows: list[list[Any]]) -> None:
    """volymer.xlsx with the Budgeterat pris column (contract §9)."""
    header = VOLUMES.header("Delområde", "Budgeterat pris")
    write_xlsx(d / "volymer.xlsx", {"Volymer": [header, *rows]})


# Earlier reports kept in the inputs folder itself (arkiv = ".").
ARCHIVE_SETTINGS = (
    'namnd = "Testnämnden"\nar = 2017\nenhet = "mnkr"\narkiv = "."\n'
    '[prognos]\nstandard = "linjar"\n'
)


def archived(period: int, forecast: float | None = -1_000_000.0, made: str = "") -> dict[str, Any]:
    """An earlier year's report of the test nämnd with one area, Förskola."""
    report = minimal_report(2016, period)
    net = {"costs": 0.0, "revenues": 0.0, "net": -1_000_000.0}
    area: dict[str, Any] = {"area": "Förskola", "subarea": None, "budget": net, "actual": net}
    if forecast is not None:
        area["forecast"] = {"costs": forecast, "revenues": 0.0, "net": forecast}
    report["areas"] = [area]
    if made:
        report["generated_at"] = made
    return report


def archive_case(d: Path, files: dict[str, str | dict[str, Any]]) -> None:
    settings(d, ARCHIVE_SETTINGS)
    for name, content in files.items():
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        (d / name).write_text(text + "\n", encoding="utf-8")


def _date_bomb(d: Path) -> None:
    """A budget amount of −10¹² with a date format: calamine panics converting it (found by
    the mutation fuzzing of test_robustness)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Budget"
    for row in [BUDGET_HEADER, *BASE_BUDGET]:
        ws.append(row)
    ws["D2"].value = -1e12
    ws["D2"].number_format = "yyyy-mm-dd"
    wb.save(d / "budget.xlsx")


def _hidden_sheet(d: Path, hidden: str = "Budget", visible: str = "Budget (ny)") -> None:
    """A visible budget sheet and a hidden, stale one with an expected name."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = visible
    for row in [BUDGET_HEADER, *BASE_BUDGET]:
        ws.append(row)
    stale = wb.create_sheet(hidden)
    for row in [BUDGET_HEADER, *BASE_BUDGET]:
        stale.append(row)
    stale.sheet_state = "hidden"
    wb.save(d / "budget.xlsx")


def _patched_sheet(d: Path, extra_rows: bytes) -> None:
    """The base ledger with raw rows added to the sheet XML, as a hostile file would."""
    ledger(d, [])
    path = d / "utfall-2017.xlsx"
    _rewrite(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"</sheetData>", extra_rows + b"</sheetData>"),
    )


def _rewrite(path: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    with zipfile.ZipFile(path) as src:
        parts = [(i, src.read(i.filename)) for i in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in parts:
            entry = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, change(data) if info.filename == member else data)


def _lying_zip(path: Path, padding: int = 300 * 1024**2) -> None:
    """A workbook whose sheet part inflates far beyond what its zip headers say.

    The sheet is padded (inside the XML, where a parser skips it) and its header
    sizes are rewritten to claim 1 000 bytes, so that a guard reading only the
    headers lets it through. With a small padding the sizes merely disagree.
    """
    ledger(path.parent, [], name=path.name)
    with zipfile.ZipFile(path) as src:
        parts = [(i.filename, src.read(i.filename)) for i in src.infolist()]
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts:
            entry = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            if name == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * padding)
            dst.writestr(entry, data)
    blob = bytearray(raw.getvalue())
    target = b"xl/worksheets/sheet1.xml"
    # Central directory and local header: uncompressed size field says 1 000 bytes.
    for signature, size_at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = 0
        while (at := blob.find(signature, at)) >= 0:
            name_at = at + (46 if signature == b"PK\x01\x02" else 30)
            if blob[name_at : name_at + len(target)] == target:
                blob[at + size_at : at + size_at + 4] = (1000).to_bytes(4, "little")
            at += 4
    path.write_bytes(bytes(blob))


def _shared_strings_count(path: Path) -> None:
    """A workbook whose shared-strings part claims four billion entries (calamine reserves them)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Verksamheter"
    for row in [STRUCT_HEADER, ["100", "Förskola", None]]:
        ws.append(row)
    wb.save(path)
    sst = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="4000000000" uniqueCount="4000000000">'
        b"<si><t>Verksamhet</t></si></sst>"
    )
    with zipfile.ZipFile(path) as zf:
        parts = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in [*parts, ("xl/sharedStrings.xml", sst)]:
            if name != "xl/sharedStrings.xml" or data is sst:
                dst.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)


def _ods_repeated(path: Path) -> None:
    """An .ods ledger whose one value cell is repeated 16 000 columns in 4 000 rows."""
    import textwrap

    content = textwrap.dedent(
        """\
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
         xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
         xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
        <office:body><office:spreadsheet><table:table table:name="Huvudbok">
        <table:table-row><table:table-cell office:value-type="string"><text:p>År</text:p>
        </table:table-cell></table:table-row>
        <table:table-row table:number-rows-repeated="4000"><table:table-cell
         table:number-columns-repeated="16000" office:value-type="float" office:value="1">
        <text:p>1</text:p></table:table-cell></table:table-row>
        </table:table></office:spreadsheet></office:body></office:document-content>
        """
    ).encode()
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
        b'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry'
        b' manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        b'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-'
        b'type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as zf:
        stamp = (1980, 1, 1, 0, 0, 0)
        zf.writestr(
            zipfile.ZipInfo("mimetype", stamp), b"application/vnd.oasis.opendocument.spreadsheet"
        )
        entry = zipfile.ZipInfo("content.xml", stamp)
        entry.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(entry, content)
        zf.writestr(zipfile.ZipInfo("META-INF/manifest.xml", stamp), manifest)


def _previous(d: Path, change: Callable[[dict[str, Any]], object]) -> None:
    report = minimal_report(2017, 2)
    change(report)
    (d / "tidigare.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")


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


def _structure_with_ansvar(d: Path, units: list[list[Any]]) -> None:
    write_xlsx(
        d / "struktur.xlsx",
        {
            "Verksamheter": [
                STRUCT_HEADER,
                ["100", "Förskola", None],
                ["200", "Äldreomsorg", "Hemtjänst egen regi"],
                ["201", "Äldreomsorg", "Hemtjänst externa utförare"],
            ],
            "Ansvar": [RESPONSIBILITIES.header("Enhet"), *units],
        },
    )


def _unit_row_unknown_ansvar(d: Path) -> None:
    _structure_with_ansvar(d, [["A1", "Förskolan Ek"]])
    write_xlsx(
        d / "prognos.xlsx",
        {
            "Prognos": [
                UNIT_FORECAST_HEADER,
                ["Förskola", None, 1_300_000, 130_000, "A1", "100"],
                ["Förskola", None, 40_000, None, "A9", "100"],
            ]
        },
    )


def minimal_report(year: int, period: int) -> dict[str, Any]:
    """The smallest JSON that follows the report schema (budget/schemas/report.schema.json)."""
    zero = {"costs": 0.0, "revenues": 0.0, "net": 0.0}
    return {
        "schema": "budget-report/1",
        "namnd": "Testnämnden",
        "year": year,
        "period": period,
        "tertial": "T1" if period == 4 else None,
        "areas": [],
        "total": {"budget": zero, "actual": zero, "forecast": zero, "variance": 0.0},
        "budget_changes": {
            "requested_turnover_change": 0.0,
            "requested_net_adjustment": 0.0,
            "items": [],
        },
        "goals": {"direction_goals": [], "flags": []},
        "reconciliation": {
            "ledger_rows": 0,
            "ledger_sum": 0.0,
            "reported_sum": 0.0,
            "excluded_sum": 0.0,
            "unmapped_sum": 0.0,
        },
    }


# The year as a register (contract §8): Begärd i / Beviljad i, prognos.xlsx's Period.
CASE_LIST += [
    (
        "change-granted-before-requested",
        lambda d: _register_row(d, "T2", "T1"),
        E("E243", "forandringar.xlsx", "Förändringar", "G2"),
    ),
    (
        "change-requested-in-month-13",
        lambda d: _register_row(d, 13, None),
        E("E241", "forandringar.xlsx", "Förändringar", "F2"),
    ),
    (
        "change-requested-in-unknown-tertial",
        lambda d: _register_row(d, "T4", None),
        E("E242", "forandringar.xlsx", "Förändringar", "F2"),
    ),
    (
        "change-without-status-or-period",
        lambda d: _register_row(d, None, None),
        E("E244", "forandringar.xlsx", "Förändringar", "F2"),
    ),
    (
        "forecast-period-unknown-tertial",
        lambda d: write_xlsx(
            d / "prognos.xlsx",
            {
                "Prognos": [
                    FORECASTS.header("Delområde", "Period"),
                    ["Förskola", None, 1_300_000, 130_000, "Tertial 5"],
                ]
            },
        ),
        E("E242", "prognos.xlsx", "Prognos", "E2"),
    ),
]


def _register_row(d: Path, requested: Any, granted: Any) -> None:
    """forandringar.xlsx as a register: one budgetjustering, requested and granted when
    ``requested`` and ``granted`` say (no Status column)."""
    header = CHANGES.header("Begärd i", "Beviljad i")
    row = ["Budgetjustering", "Förskola", 1000, 0, "Justering", requested, granted]
    write_xlsx(d / "forandringar.xlsx", {"Förändringar": [header, row]})


def _analysis_md(text: str) -> Callable[[Path], object]:
    return lambda d: (d / "analys.md").write_text(text, encoding="utf-8")


def _analysis_workbook(d: Path) -> None:
    write_xlsx(d / "analys.docx", {"Blad1": [["Sammanfattning"], ["Text"]]})


# The förvaltning's analysis text (contract §7): analys.docx or analys.md.
CASE_LIST += [
    (
        "analysis-word-97-2003",
        lambda d: (d / "analys.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504),
        E("E036", "analys.doc"),
    ),
    (
        "analysis-docx-truncated-zip",
        lambda d: (d / "analys.docx").write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00"),
        E("E035", "analys.docx"),
    ),
    ("analysis-docx-is-a-workbook", _analysis_workbook, E("E035", "analys.docx")),
    (
        "analysis-heading-names-no-area",
        _analysis_md("# Förskolan\n\nBarnen blir fler.\n"),
        E("W341", "analys.md", None, "rad 1", exit=0),
    ),
    (
        "analysis-text-before-first-heading",
        _analysis_md("Inledning.\n\n# Förskola\n\nBarnen blir fler.\n"),
        E("W342", "analys.md", None, "rad 1", exit=0),
    ),
    (
        "analysis-heading-twice",
        _analysis_md("# Förskola\n\nEtt.\n\n# Äldreomsorg\n\nTvå.\n\n# förskola\n\nTre.\n"),
        E("W343", "analys.md", None, "rad 9", exit=0),
    ),
    (
        "analysis-figure-the-report-contradicts",
        _analysis_md("# Förskola\n\nOmrådet visar ett underskott på 5,0 mnkr.\n"),
        E("W340", "analys.md", "Förskola", "rad 3", exit=0),
    ),
    (
        "analysis-markdown-line-not-parsed",
        _analysis_md("# Förskola\n\nBarnen blir fler.\n\n[1]: http://example.se/underlag\n"),
        E("W346", "analys.md", None, "rad 5", exit=0),
    ),
]


# atgarder.xlsx (contract §7): every column's wrong value.
CASE_LIST += [
    (
        "measure-status-unknown",
        lambda d: measures(d, [measure(Status="Klar")]),
        E("E108", "atgarder.xlsx", "Åtgärder", "E2"),
    ),
    (
        "measure-in-forecast-not-yes-or-no",
        lambda d: measures(d, [measure(Ingår_i_prognosen="Kanske")]),
        E("E108", "atgarder.xlsx", "Åtgärder", "F2"),
    ),
    (
        "measure-effect-as-words",
        lambda d: measures(d, [measure(Effekt="en miljon")]),
        E("E101", "atgarder.xlsx", "Åtgärder", "D2"),
    ),
    (
        "measure-effect-beyond-any-budget",
        lambda d: measures(d, [measure(Effekt=1e16)]),
        E("E109", "atgarder.xlsx", "Åtgärder", "D2"),
    ),
    (
        "measure-effect-infinite",
        lambda d: _measure_raw_effect(d, "inf"),
        E("E101", "atgarder.xlsx", "Åtgärder", "D2"),
    ),
    (
        "measure-effect-nan",
        lambda d: _measure_raw_effect(d, "NaN"),
        E("E101", "atgarder.xlsx", "Åtgärder", "D2"),
    ),
    (
        "measure-effect-overflows-to-infinity",
        lambda d: _measure_raw_effect(d, "1e400"),
        E("E101", "atgarder.xlsx", "Åtgärder", "D2"),
    ),
    (
        "measure-effect-uncalculated-formula",
        _measure_formula,
        E("E103", "atgarder.xlsx", "Åtgärder", "D2"),
    ),
    (
        "measure-in-unknown-area",
        lambda d: measures(d, [measure(Verksamhetsområde="Förskolan")]),
        E("E202", "atgarder.xlsx", "Åtgärder", "A2"),
    ),
    (
        "measure-in-unknown-subarea",
        lambda d: measures(d, [measure(Verksamhetsområde="Äldreomsorg", Delområde="Hemtjänst")]),
        E("E202", "atgarder.xlsx", "Åtgärder", "B2"),
    ),
    (
        "measure-without-status-column",
        lambda d: measures(
            d,
            [[v for h, v in zip(MEASURE_HEADER, measure(), strict=True) if h != "Status"]],
            [h for h in MEASURE_HEADER if h != "Status"],
        ),
        E("E005", "atgarder.xlsx", "Åtgärder"),
    ),
    (
        "measure-without-text",
        lambda d: measures(d, [measure(Åtgärd=None)]),
        E("E103", "atgarder.xlsx", "Åtgärder", "C2"),
    ),
    (
        # Text that looks like a formula is text: read as it stands, never a formula.
        "measure-text-like-a-formula",
        lambda d: measures(d, [measure(Åtgärd='=HYPERLINK("http://x")', Ansvarig="=1+1")]),
        OK(**{"measures.total.decided": 100_000.0}),
    ),
    (
        "measure-given-twice",
        lambda d: measures(d, [measure(), measure(Åtgärd="färre  timvikarier")]),
        E("W344", "atgarder.xlsx", "Åtgärder", "C3", exit=0),
    ),
    (
        "measure-effect-negative",
        lambda d: measures(d, [measure(Effekt=-100_000)]),
        E("W345", "atgarder.xlsx", "Åtgärder", "D2", exit=0),
    ),
]


# Issue 29: one ärende requested in two reports of the register.
CASE_LIST += [
    (
        "change-dnr-requested-in-two-reports",
        lambda d: write_xlsx(
            d / "forandringar.xlsx",
            {
                "Förändringar": [
                    CHANGES.header("Diarienummer", "Begärd i", "Beviljad i"),
                    ["Budgetjustering", "Förskola", 1000, 0, "Lokaler", "SDN 2017/9", "T1", None],
                    ["Budgetjustering", "Förskola", 500, 0, "Lokaler", "SDN 2017/9", "T1", None],
                    ["Budgetjustering", "Förskola", 1000, 0, "Igen", "SDN 2017/9", "T2", None],
                ]
            },
        ),
        E("W305", "forandringar.xlsx", "Förändringar", "F4", exit=0),
    ),
]


# One helper opens every input file (budget.edge.files): a folder where a reader's file
# should be is E015 naming it, never "saknas" or passed over (--previous naming a folder is
# click's usage error, exit 2, tests/test_cli.py); a report of a newer version
# with codes this one does not know is read with W347 naming the JSON path.
CASE_LIST += [
    (
        f"folder-in-place-of-{name.replace('.', '-')}",
        lambda d: None,
        E("E015", name, as_folder=[name], **({"remove": remove} if remove else {})),
    )
    for name, remove in (
        ("namnd.toml", []),
        ("budget.xlsx", []),
        ("utfall-2017.xlsx", []),
        ("utfall-2017.csv", ["utfall-2017.xlsx"]),
        ("utfall-2017.se", ["utfall-2017.xlsx"]),
        ("forandringar.xlsx", []),
        ("analys.docx", []),
        ("analys.md", []),
        ("mal.xlsx", []),
    )
]
CASE_LIST += [
    (
        "previous-report-of-a-newer-version",
        lambda d: _previous(d, lambda r: r.update(unit="kr", tertial="T3")),
        E("W347", "tidigare.json", None, "$.unit", exit=0, previous="tidigare.json"),
    ),
]


def main() -> None:
    """Write the cases that are not there yet (``--all``: every case anew).

    Workbooks carry the time they were written, so rewriting a case that did not
    change only makes noise in the history.
    """
    rewrite = "--all" in sys.argv
    if rewrite and CASES.exists():
        shutil.rmtree(CASES)
    for number, (name, make, expected) in enumerate(CASE_LIST, 1):
        folder = CASES / f"{number:02d}-{name}"
        if folder.exists():
            continue
        folder.mkdir(parents=True)
        make(folder)
        (folder / "case.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    print(f"{len(CASE_LIST)} cases in {CASES}")


if __name__ == "__main__":
    main()
