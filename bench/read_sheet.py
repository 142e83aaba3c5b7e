"""The million-row ledger's sheet read alone, as ``budget report`` reads it (a benchmark
helper for bench/run.py, not a test): the sheet to a Table, without the ledger's
conversion or any other file. ``BUDGET_SPLIT`` picks the path (0 plain, 1 split in parts,
en one part, unset: chosen by the cores found free).

Usage: python bench/read_sheet.py LEDGER.xlsx
"""

from __future__ import annotations

import sys
from pathlib import Path

from budget.edge.readers import _load
from budget.edge.sheets import LEDGER


def main(path: Path) -> None:
    table = _load(path, path.name, LEDGER)
    if not hasattr(table, "frame"):
        raise SystemExit(f"{path.name} kunde inte läsas: {table}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
