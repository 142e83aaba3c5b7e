"""The baseline a controller would write: pandas + openpyxl, the same aggregation.

Reads the current-year ledger and struktur.xlsx with pandas (openpyxl engine),
maps verksamhet codes to areas, sums costs and revenues per area up to the
latest period, makes a linear full-year forecast and writes a JSON file. No
validation, no budget, no report: the floor of the straightforward way.

Usage: python bench/baseline.py INPUTS_DIR OUT_JSON
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd


def main(inputs: Path, out: Path) -> None:
    ledger = pd.read_excel(
        inputs / "utfall-2017.xlsx",
        sheet_name="Huvudbok",
        header=1,
        engine="openpyxl",
        dtype={"Ansvar": str, "Verksamhet": str, "Konto": str},
    )
    structure = pd.read_excel(
        inputs / "struktur.xlsx",
        sheet_name="Verksamheter",
        engine="openpyxl",
        dtype={"Verksamhet": str},
    )
    ledger = ledger[ledger["År"] != "Summa"]
    ledger["month"] = ledger["Period"].astype(int) % 100
    period = int(ledger["month"].max())
    ledger = ledger.merge(
        structure[["Verksamhet", "Verksamhetsområde"]], on="Verksamhet", how="left"
    )
    ledger["Verksamhetsområde"] = ledger["Verksamhetsområde"].fillna("Ej fördelat")
    klass = ledger["Konto"].str[0]
    ledger["side"] = klass.map(
        lambda k: "revenues" if k == "3" else ("costs" if k in "4567" else "excluded")
    )
    ops = ledger[ledger["side"] != "excluded"]
    sums = ops.groupby(["Verksamhetsområde", "side"])["Belopp"].sum().unstack(fill_value=0)
    result = {
        area: {"actual": -float(row.sum()), "forecast": -float(row.sum()) * 12 / period}
        for area, row in sums.iterrows()
    }
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
