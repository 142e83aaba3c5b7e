"""Generate the benchmark inputs: the demo nämnd with a full-size current-year ledger.

Deterministic (fixed seed). The current-year ledger is one workbook with
ROWS data rows (Excel's limit is 1 048 576 rows, title row and header included), spread
over January–August over the demo's ansvar × verksamhet × konto cells. The
prior years (2015 and 2016, about 25 000 rows each) and the other inputs are
the demo's.

With YEARS 3, the ledgers of 2015 and 2016 have ROWS rows too (the three-year case).

With FORMAT csv or se, the current-year ledger is a CSV file (semicolons, decimal commas)
or a SIE 4 file (vouchers balanced against 1930) with about the same rows.

Usage: python bench/make_inputs.py OUT_DIR [ROWS] [YEARS] [FORMAT]
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def records(
    rows: int, year: int, months: int, cells: list[tuple[str, str, str]], seed: int
) -> Iterator[list[Any]]:
    """The ledger's rows (the same for every format)."""
    rng = random.Random(seed)
    texts = ["Faktura", "Lön", "Internfaktura", "Periodisering", "Omföring"]
    for i in range(rows):
        ansvar, vht, konto = cells[i % len(cells)]
        month = 1 + (i * months) // rows
        base = 2500.0 if konto[0] != "3" else -900.0
        amount = round(base * rng.uniform(0.2, 1.8), 2)
        yield [
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


def write(
    path: Path, rows: int, year: int, months: int, cells: list[tuple[str, str, str]], seed: int
) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Huvudbok")
    ws.append([f"Huvudboksutdrag {year}"])
    ws.append(HEADER)
    for record in records(rows, year, months, cells, seed):
        ws.append(record)
    wb.save(path)


def write_csv(
    path: Path, rows: int, year: int, months: int, cells: list[tuple[str, str, str]], seed: int
) -> None:
    """The ledger as a ledger system exports it: semicolons, decimal commas, UTF-8."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        out.writerow(HEADER)
        for record in records(rows, year, months, cells, seed):
            record[5] = f"{record[5]:.2f}".replace(".", ",")
            out.writerow(record)


def write_sie(
    path: Path, rows: int, year: int, months: int, cells: list[tuple[str, str, str]], seed: int
) -> None:
    """The ledger as SIE 4: vouchers of up to ten rows, each balanced against 1930 on the
    ansvar and verksamhet of its last row (dimensions 1 and 6)."""
    head = (
        f"#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#RAR 0 {year}0101 {year}1231\n"
        '#DIM 1 "Ansvar"\n#DIM 6 "Verksamhet"\n'
    )
    with path.open("w", encoding="cp437", newline="\r\n") as fh:
        fh.write(head)
        voucher: list[list[Any]] = []

        def flush(number: int) -> None:
            month = voucher[0][1] % 100
            date = f"{year}{month:02d}28"
            fh.write(f'#VER A {number} {date} "Verifikation {number}"\n{{\n')
            cents = 0
            for r in voucher:
                cents += round(r[5] * 100)
                fh.write(f'#TRANS {r[4]} {{1 "{r[2]}" 6 "{r[3]}"}} {r[5]:.2f} {date} "{r[6]}"\n')
            last = voucher[-1]
            fh.write(
                f'#TRANS 1930 {{1 "{last[2]}" 6 "{last[3]}"}} {-cents / 100:.2f} {date} "Bank"\n'
            )
            fh.write("}\n")
            voucher.clear()

        number = 0
        for record in records(rows * 10 // 11, year, months, cells, seed):
            if voucher and (len(voucher) == 10 or voucher[0][1] != record[1]):
                number += 1
                flush(number)
            voucher.append(record)
        if voucher:
            flush(number + 1)


def main(out: Path, rows: int, years: int = 1, fmt: str = "xlsx") -> None:
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
    if fmt == "csv":
        write_csv(out / "utfall-2017.csv", rows, 2017, 8, cells, 2017)
    elif fmt == "se":
        write_sie(out / "utfall-2017.se", rows, 2017, 8, cells, 2017)
        with (out / "namnd.toml").open("a", encoding="utf-8") as fh:
            fh.write("\n[sie]\nansvar = 1\nverksamhet = 6\n")
    else:
        write(out / "utfall-2017.xlsx", rows, 2017, 8, cells, 2017)


def _arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, metavar="OUT_DIR", help="the inputs folder to write")
    parser.add_argument(
        "rows",
        type=int,
        nargs="?",
        default=1_048_574,
        metavar="ROWS",
        help="data rows of the current-year ledger",
    )
    parser.add_argument(
        "years",
        type=int,
        nargs="?",
        default=1,
        choices=(1, 2, 3),
        metavar="YEARS",
        help="full-size years",
    )
    parser.add_argument(
        "fmt",
        nargs="?",
        default="xlsx",
        choices=("xlsx", "csv", "se"),
        metavar="FORMAT",
        help="the ledger's format",
    )
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error(f"ROWS must be at least 1, not {args.rows}")
    return args


if __name__ == "__main__":
    arguments = _arguments()
    main(arguments.out, arguments.rows, arguments.years, arguments.fmt)
