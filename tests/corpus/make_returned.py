"""Generate the corpus of returned prognosunderlag under tests/corpus/returned/ (committed).

Each case is a folder with the workbooks a unit sent back and a ``case.json``: the
diagnostic expected of ``budget samla`` (code, file, sheet, cell), its exit code, and which
file is the newest where that matters. The workbooks start as ``budget underlag`` writes
them for ``tests.conftest.collection_folder`` (period 4), filled as a unit manager would,
then broken in one way. Run: ``.venv/bin/python -m tests.corpus.make_returned`` (writes
the cases not there yet; ``--all``: every case anew).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from budget.app.underlag import write_underlag
from tests.conftest import collection_folder, soffice_convert

CASES = Path(__file__).parent / "returned"
PERIOD = 4


def filled(sent: Path, ansvar: str, target: Path, **cells: Any) -> Path:
    """The unit's workbook with its forecast at budget (in balance), then ``cells`` set."""
    wb = load_workbook(sent / f"{ansvar}-T1.xlsx")
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
]


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        folder = collection_folder(Path(work) / "testnamnd-2017")
        sent = Path(work) / "skickat"
        write_underlag(folder.path, PERIOD, sent, datetime(2017, 5, 2, 8))
        if "--all" in sys.argv and CASES.exists():
            shutil.rmtree(CASES)
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
