"""Generate the corpus of returned prognosunderlag under tests/corpus/returned/ (committed).

Each case is a folder with the workbooks a unit sent back and a ``case.json``: the
diagnostic expected of ``budget samla`` (code, file, sheet, cell), its exit code, and which
file is the newest where that matters. The workbooks start as ``budget underlag`` writes
them for ``tests.conftest.collection_folder`` (period 4), filled as a unit manager would,
then broken in one way. ``returned/utskick.json`` is the record of what was sent, which
samla checks them against; a case with its own ``utskick.json`` brings another, and
``"record": "none"`` runs samla with none. Run:
``.venv/bin/python -m tests.corpus.make_returned`` (writes the cases not there yet;
``--all``: every case anew).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from budget.app.underlag import write_underlag
from budget.report.render.underlag import Identity, fingerprint
from tests.conftest import collection_folder, sent_book, soffice_convert

CASES = Path(__file__).parent / "returned"
PERIOD = 4


def filled(sent: Path, ansvar: str, target: Path, **cells: Any) -> Path:
    """The unit's workbook with its forecast at budget (in balance), then ``cells`` set."""
    wb = load_workbook(sent_book(sent, ansvar))
    ws = wb["Prognos"]
    for r in range(2, ws.max_row + 1):
        ws.cell(row=r, column=12, value=ws.cell(row=r, column=4).value)
        ws.cell(row=r, column=13, value=ws.cell(row=r, column=5).value)
        ws.cell(row=r, column=14, value="Prognosen följer budget.")
    for ref, value in cells.items():
        sheet, _, at = ref.rpartition("_")
        (wb[sheet] if sheet else ws)[at] = value
    wb.save(target)
    return target


def _hidden(name: str, value: Any) -> dict[str, Any]:
    return {f"Underlag_{name}": value}


Case = tuple[str, dict[str, Any], Callable[[Path, Path], None]]


def _other_file(sent: Path, case: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Budget"
    ws.append(["Verksamhet", "Belopp"])
    wb.save(case / "budget-kopia.xlsx")


def _header_changed(sent: Path, case: Path) -> None:
    filled(sent, "A1", case / "A1-T1.xlsx", A1="Ansvarskod")


def _row_deleted(sent: Path, case: Path) -> None:
    path = filled(sent, "A1", case / "A1-T1.xlsx")
    wb = load_workbook(path)
    wb["Prognos"].delete_rows(2)
    wb.save(path)


def _returned_twice(sent: Path, case: Path) -> None:
    filled(sent, "A1", case / "A1-T1.xlsx")
    filled(sent, "A1", case / "A1-T1 rättad.xlsx", N2="Rättad: prognosen följer budget.")


def _saved_by_libreoffice(sent: Path, case: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        path = filled(sent, "A1", Path(work) / "A1-T1.xlsx", L2=1_180_000)
        shutil.copy(soffice_convert(path, "xlsx", Path(work) / "lo"), case / "ifylld av Ek.xlsx")


def _truncated(sent: Path, case: Path) -> None:
    data = filled(sent, "A1", case / "A1-T1.xlsx").read_bytes()
    (case / "A1-T1.xlsx").write_bytes(data[: len(data) // 2])


def _one_as_ods(sent: Path, case: Path) -> None:
    filled(sent, "A1", case / "A1-T1.xlsx")
    with tempfile.TemporaryDirectory() as work:
        path = filled(sent, "B1", Path(work) / "B1-T1.xlsx")
        shutil.copy(soffice_convert(path, "ods", Path(work) / "lo"), case / "B1-T1.ods")


def _refingerprinted(path: Path) -> None:
    """Recompute the workbook's own fingerprint after a change, as anyone can."""
    wb = load_workbook(path)
    ws, info = wb["Prognos"], wb["Underlag"]
    rows = [
        list(r[:11])
        for r in ws.iter_rows(min_row=2, max_col=11, values_only=True)
        if any(v is not None for v in r)
    ]
    identity = Identity(
        str(info["B1"].value),
        int(info["B2"].value),
        int(info["B3"].value),
        str(info["B4"].value),
        str(info["B5"].value),
        None,
    )
    info["B7"] = fingerprint(identity, rows)
    wb.save(path)


def _forged(ansvar: str = "A1", **cells: Any) -> Callable[[Path, Path], None]:
    """Prefilled cells changed and the fingerprint recomputed: only the record tells."""

    def build(sent: Path, case: Path) -> None:
        _refingerprinted(filled(sent, ansvar, case / f"{ansvar}-T1.xlsx", **cells))

    return build


def _copied_and_renamed(sent: Path, case: Path) -> None:
    """B1's manager fills A1's workbook and sends it back under B1's file name."""
    filled(sent, "A1", case / "B1-T1.xlsx")


def _row_added(sent: Path, case: Path) -> None:
    path = filled(sent, "A1", case / "A1-T1.xlsx")
    wb = load_workbook(path)
    ws = wb["Prognos"]
    last = ws.max_row
    for c in range(1, 16):
        ws.cell(row=last + 1, column=c, value=ws.cell(row=2, column=c).value)
    ws.cell(row=last + 1, column=2, value="999")
    wb.save(path)
    _refingerprinted(path)


def _record(sent: Path, change: Callable[[dict[str, Any]], None]) -> bytes:
    data = json.loads((sent / "utskick.json").read_text(encoding="utf-8"))
    change(data)
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


def _not_sent(sent: Path, case: Path) -> None:
    """A workbook for an ansvar that is in struktur.xlsx but was not sent."""

    def drop(data: dict[str, Any]) -> None:
        data["workbooks"] = [b for b in data["workbooks"] if b["ansvar"] != "B1"]

    filled(sent, "B1", case / "B1-T1.xlsx")
    (case / "utskick.json").write_bytes(_record(sent, drop))


def _record_of_another_period(sent: Path, case: Path) -> None:
    filled(sent, "A1", case / "A1-T1.xlsx")
    (case / "utskick.json").write_bytes(_record(sent, lambda d: d.update(period=8)))


def _record_damaged(sent: Path, case: Path) -> None:
    filled(sent, "A1", case / "A1-T1.xlsx")
    text = (sent / "utskick.json").read_bytes()
    (case / "utskick.json").write_bytes(text[: len(text) // 2])


def _hidden_row_and_sheet(sent: Path, case: Path) -> None:
    """A unit hides a row and adds a sheet of its own notes, hidden: both are allowed."""
    path = filled(sent, "A1", case / "A1-T1.xlsx")
    wb = load_workbook(path)
    wb["Prognos"].row_dimensions[2].hidden = True
    notes = wb.create_sheet("Anteckningar")
    notes["A1"] = "=SUM(1,2)"
    notes.sheet_state = "hidden"
    wb.save(path)


def _saved_by_libreoffice_with_formulas(sent: Path, case: Path) -> None:
    """Formulas typed into the input cells, saved by LibreOffice with their values."""
    with tempfile.TemporaryDirectory() as work:
        path = filled(
            sent,
            "A1",
            Path(work) / "A1-T1.xlsx",
            L2="=1200000*0.98",
            N2='=HYPERLINK("http://evil.example/","klicka")',
            O2="=cmd|' /C calc'!A0",
        )
        shutil.copy(soffice_convert(path, "xlsx", Path(work) / "lo"), case / "A1-T1.xlsx")


def _hostile_text(sent: Path, case: Path) -> None:
    """Text typed as text (a leading apostrophe in Excel) that looks like a formula."""
    path = filled(sent, "A1", case / "A1-T1.xlsx")
    wb = load_workbook(path)
    ws = wb["Prognos"]
    for ref, value in (
        ("N2", '=HYPERLINK("http://evil.example/","klicka")'),
        ("O2", "=cmd|' /C calc'!A0"),
    ):
        ws[ref] = value
        ws[ref].data_type = "s"
    wb.save(path)


def _too_long_text(sent: Path, case: Path) -> None:
    """A comment longer than a cell holds, written into the XML (openpyxl would cut it)."""
    path = filled(sent, "A1", case / "A1-T1.xlsx", N2="KORT")
    with zipfile.ZipFile(path) as z:
        parts = {i: z.read(i) for i in z.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts.items():
            z.writestr(info, data.replace(b">KORT<", b">" + b"x" * 40_000 + b"<"))


def _one(ansvar: str = "A1", **cells: Any) -> Callable[[Path, Path], None]:
    return lambda sent, case: filled(sent, ansvar, case / f"{ansvar}-T1.xlsx", **cells)


CASE_LIST: list[Case] = [
    (
        "01-not-an-underlag",
        {"code": "E211", "file": "budget-kopia.xlsx", "sheet": "Prognos"},
        _other_file,
    ),
    (
        "02-header-row-changed",
        {"code": "E211", "file": "A1-T1.xlsx", "sheet": "Prognos", "cell": "A1"},
        _header_changed,
    ),
    (
        "03-another-namnd",
        {"code": "E212", "file": "A1-T1.xlsx", "sheet": "Underlag", "cell": "B1"},
        _one(**_hidden("B1", "Farsta stadsdelsnämnd")),
    ),
    (
        "04-another-year",
        {"code": "E212", "file": "A1-T1.xlsx", "sheet": "Underlag", "cell": "B2"},
        _one(**_hidden("B2", 2016)),
    ),
    (
        "05-another-period",
        {"code": "E212", "file": "A1-T1.xlsx", "sheet": "Underlag", "cell": "B3"},
        _one(**_hidden("B3", 8)),
    ),
    (
        "06-unknown-ansvar",
        {"code": "E213", "file": "A1-T1.xlsx", "sheet": "Underlag", "cell": "B5"},
        _one(**_hidden("B5", "Z9")),
    ),
    (
        "07-prefilled-budget-changed",
        {"code": "E214", "file": "A1-T1.xlsx", "sheet": "Prognos", "cell": "D2"},
        _one(D2=1_500_000),
    ),
    (
        "08-prefilled-code-changed",
        {"code": "E214", "file": "A1-T1.xlsx", "sheet": "Prognos", "cell": "B2"},
        _one(B2="101"),
    ),
    ("09-row-deleted", {"code": "E214", "file": "A1-T1.xlsx", "sheet": "Prognos"}, _row_deleted),
    (
        "10-text-in-amount",
        {"code": "E101", "file": "A1-T1.xlsx", "sheet": "Prognos", "cell": "L2"},
        _one(L2="ca 1,3 miljoner"),
    ),
    (
        "11-negative-amount",
        {"code": "E111", "file": "A1-T1.xlsx", "sheet": "Prognos", "cell": "M2"},
        _one(M2=-120_000),
    ),
    (
        "12-date-in-amount",
        {"code": "E101", "file": "A1-T1.xlsx", "sheet": "Prognos", "cell": "L2"},
        _one(L2=datetime(2017, 12, 31)),
    ),
    (
        "13-formula-without-its-value",
        {"code": "E006", "file": "A1-T1.xlsx", "sheet": "Prognos", "cell": "L2"},
        _one(L2="=1200000*1.02"),
    ),
    (
        "14-formula-error",
        {"code": "E006", "file": "A1-T1.xlsx", "sheet": "Prognos", "cell": "L2"},
        _one(L2="#DIV/0!"),
    ),
    (
        "15-deficit-without-atgarder",
        {"code": "E215", "file": "A1-T1.xlsx", "sheet": "Prognos", "cell": "O2"},
        _one(L2=1_450_000),
    ),
    (
        "16-returned-twice",
        {"code": "W317", "file": "A1-T1 rättad.xlsx", "exit": 0, "newest": "A1-T1 rättad.xlsx"},
        _returned_twice,
    ),
    (
        "17-saved-by-libreoffice-and-renamed",
        {"code": None, "exit": 0, "returned": ["A1"]},
        _saved_by_libreoffice,
    ),
    (
        "18-swedish-text-amount",
        {"code": None, "exit": 0, "returned": ["A1"]},
        _one(L2="1 250 000,50", O2="Vikarier tas in bara vid behov."),
    ),
    ("19-truncated-workbook", {"code": "E002", "file": "A1-T1.xlsx"}, _truncated),
    (
        "20-one-sent-back-as-ods",
        {"code": "W318", "file": "B1-T1.ods", "exit": 0, "returned": ["A1"]},
        _one_as_ods,
    ),
    (
        "21-extension-in-capitals",
        {"code": None, "exit": 0, "returned": ["A1"]},
        lambda sent, case: filled(sent, "A1", case / "A1-T1.XLSX"),
    ),
    # What was sent is the reference (issue 25): the record utskick.json, not the fingerprint.
    (
        "22-row-moved-to-another-unit-refingerprinted",
        {"code": "E214", "file": "A1-T1.xlsx", "sheet": "Prognos", "cell": "A2"},
        _forged(A2="C1"),
    ),
    (
        "23-budget-doubled-refingerprinted",
        {"code": "E214", "file": "A1-T1.xlsx", "sheet": "Prognos", "cell": "D2"},
        _forged(D2=2_400_000, L2=2_300_000),
    ),
    (
        "24-copied-from-another-unit-and-renamed",
        {"code": "E232", "file": "B1-T1.xlsx", "sheet": "Underlag", "cell": "B5"},
        _copied_and_renamed,
    ),
    (
        "25-row-added-refingerprinted",
        {"code": "E214", "file": "A1-T1.xlsx", "sheet": "Prognos", "cell": "B3"},
        _row_added,
    ),
    (
        "26-ansvar-not-sent",
        {"code": "E232", "file": "B1-T1.xlsx", "sheet": "Underlag", "cell": "B5"},
        _not_sent,
    ),
    (
        "27-no-record",
        {"code": "E230", "file": "utskick.json", "record": "none"},
        _one(),
    ),
    (
        "28-record-of-another-period",
        {"code": "E231", "file": "utskick.json"},
        _record_of_another_period,
    ),
    ("29-record-damaged", {"code": "E231", "file": "utskick.json"}, _record_damaged),
    (
        "30-hidden-row-and-hidden-sheet",
        {"code": None, "exit": 0, "returned": ["A1"]},
        _hidden_row_and_sheet,
    ),
    (
        "31-formulas-saved-by-libreoffice",
        {"code": None, "exit": 0, "returned": ["A1"]},
        _saved_by_libreoffice_with_formulas,
    ),
    (
        "32-text-that-looks-like-a-formula",
        {"code": None, "exit": 0, "returned": ["A1"]},
        _hostile_text,
    ),
    (
        "33-huge-amount",
        {"code": "E109", "file": "A1-T1.xlsx", "sheet": "Prognos", "cell": "L2"},
        _one(L2=1e300),
    ),
    (
        "34-text-longer-than-a-cell",
        {"code": "E233", "file": "A1-T1.xlsx", "sheet": "Prognos", "cell": "N2"},
        _too_long_text,
    ),
    (
        "35-earlier-mailing-refingerprinted",
        {"code": "E214", "file": "A1-T1.xlsx", "sheet": "Prognos", "cell": "F2"},
        _forged(F2=300_000),
    ),
    (
        "37-formula-in-kommentar-without-its-value",
        {"code": "E006", "file": "A1-T1.xlsx", "sheet": "Prognos", "cell": "N2"},
        _one(N2='=HYPERLINK("http://evil.example/","klicka")'),
    ),
    (
        "36-written-outside-the-columns",
        {"code": "W324", "file": "A1-T1.xlsx", "sheet": "Prognos", "cell": "P2", "exit": 0},
        _one(P2="Vi behöver två vikarier till i höst."),
    ),
]


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        folder = collection_folder(Path(work) / "testnamnd-2017")
        sent = Path(work) / "skickat"
        write_underlag(folder.path, PERIOD, sent, datetime(2017, 5, 2, 8))
        if "--all" in sys.argv and CASES.exists():
            shutil.rmtree(CASES)
        record = CASES / "utskick.json"  # what was sent: the reference of every case
        if not record.exists():
            CASES.mkdir(parents=True, exist_ok=True)
            shutil.copy(sent / "utskick.json", record)
        for name, expected, build in CASE_LIST:
            case = CASES / name
            if case.exists():
                continue  # workbooks carry the time they were written: no noise
            case.mkdir(parents=True)
            build(sent, case)
            text = json.dumps({"period": PERIOD, **expected}, ensure_ascii=False, indent=2)
            (case / "case.json").write_text(text + "\n", encoding="utf-8")
    print(f"{len(CASE_LIST)} fall i {CASES}")


if __name__ == "__main__":
    main()
