"""Generate the benchmark inputs: the demo nämnd with a full-size current-year ledger.

Deterministic (fixed seed). The current-year ledger is one workbook with
ROWS data rows (Excel's limit is 1 048 576 rows, title row and header included), spread
over January–August over the demo's ansvar × verksamhet × konto cells. The
prior years (2015 and 2016, about 25 000 rows each) and the other inputs are
the demo's.

With YEARS 3, the ledgers of 2015 and 2016 have ROWS rows too (the three-year case).

Usage: python bench/make_inputs.py OUT_DIR [ROWS] [YEARS]
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

from openpyxl import Workbook, load_workbook

from budget.edge.sheets import LEDGER

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "inputs" / "skarholmen-2017"
HEADER = LEDGER.header("Text", "Verifikation", "Motpart")


def demo_cells() -> list[tuple[str, str, str]]:
    """(ansvar, verksamhet, konto) combinations of the demo's 2017 ledger."""
    wb = load_workbook(DEMO / "utfall-2017.xlsx", read_only=True)
    seen: dict[tuple[str, str, str], None] = {}
    for row in wb["Huvudbok"].iter_rows(min_row=5, values_only=True):
        if row[0] == "Summa" or row[2] is None:
            continue
        seen[(str(row[2]), str(row[3]), str(row[4]))] = None
    return list(seen)


def write(
    path: Path, rows: int, year: int, months: int, cells: list[tuple[str, str, str]], seed: int
) -> None:
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Huvudbok")
    ws.append([f"Huvudboksutdrag {year}"])
    ws.append(HEADER)
    texts = ["Faktura", "Lön", "Internfaktura", "Periodisering", "Omföring"]
    for i in range(rows):
        ansvar, vht, konto = cells[i % len(cells)]
        month = 1 + (i * months) // rows
        base = 2500.0 if konto[0] != "3" else -900.0
        amount = round(base * rng.uniform(0.2, 1.8), 2)
        ws.append(
            [
                year,
                year * 100 + month,
                ansvar,
                vht,
                int(konto),
                amount,
                f"{texts[i % 5]} {month:02d}/{year}",
                f"V{1_000_000 + i}",
                "",
            ]
        )
    wb.save(path)


def main(out: Path, rows: int, years: int = 1) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name in (
        "namnd.toml",
        "struktur.xlsx",
        "budget.xlsx",
        "forandringar.xlsx",
        "prognos.xlsx",
        "mal.xlsx",
        "volymer.xlsx",
    ):
        shutil.copy(DEMO / name, out / name)
    # The demo's earlier reports, where its namnd.toml looks for them (arkiv = "../arkiv").
    shutil.copytree(DEMO.parent / "arkiv", out.parent / "arkiv", dirs_exist_ok=True)
    cells = demo_cells()
    # The seasonal method needs last year's profile: 2016 summarised per month. With
    # ``years`` 3 the two earlier years are full-size too (twelve months each).
    for year in (2016, 2015):
        if years >= 2017 - year + 1:
            write(out / f"utfall-{year}.xlsx", rows, year, 12, cells, year)
        else:
            shutil.copy(DEMO / f"utfall-{year}.xlsx", out / f"utfall-{year}.xlsx")
    write(out / "utfall-2017.xlsx", rows, 2017, 8, cells, 2017)


if __name__ == "__main__":
    main(
        Path(sys.argv[1]),
        int(sys.argv[2]) if len(sys.argv) > 2 else 1_048_574,
        int(sys.argv[3]) if len(sys.argv) > 3 else 1,
    )
