"""Generate the city demo (contract §10): a folder of nämnd reports for `budget stad`.

Skärholmen's T1 and T2 2017 reports are made by `budget report` from the demo inputs (with
its validated ledgers as Parquet); the other nämnder's reports are Skärholmen's scaled and
renamed (fictional), with their 2016 T2 and year-end reports for prognossäkerhet and
budgetföljsamhet. `stad.toml` names Idrottsnämnden, which has not reported; the office's
workbook takes positions on some of the requested changes. Ledgers of Farsta and
Servicenämnden carry internal trade with a counterpart: one pair matches Skärholmen's
purchases to the öre, two do not. Deterministic: the same toolkit gives the same files.

Usage: python -m scripts.make_city_demo reports/stad-2017
"""

from __future__ import annotations

import copy
import json
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
STAMP = datetime(2017, 9, 20, 9, 0, tzinfo=UTC)
SKARHOLMEN = "Skärholmens stadsdelsnämnd"
# (name, scale of Skärholmen's figures, 2016's outcome against its T2 forecast (share of
# the net), 2017's forecast costs moved (kronor, + = higher costs))
NAMNDER = (
    ("Farsta stadsdelsnämnd", 1.15, -0.004, 33_500_000),
    ("Servicenämnden", 0.35, 0.015, -2_000_000),
)
CODES = {
    SKARHOLMEN: "SDF Skärholmen",
    "Farsta stadsdelsnämnd": "SDF Farsta",
    "Servicenämnden": "Serviceförvaltningen",
    "Idrottsnämnden": "Idrottsförvaltningen",
}
STAD_TOML = """# Stadens inställningar för budget stad (docs/kontrakt-stad.md)
stad = "Stockholms stad"
namnder = [
  "Skärholmens stadsdelsnämnd",
  "Farsta stadsdelsnämnd",
  "Servicenämnden",
  "Idrottsnämnden",
]

[motpart]   # nämndens motpartskod i huvudböckerna (kolumnen Motpart)
"Skärholmens stadsdelsnämnd" = "SDF Skärholmen"
"Farsta stadsdelsnämnd" = "SDF Farsta"
"Servicenämnden" = "Serviceförvaltningen"
"Idrottsnämnden" = "Idrottsförvaltningen"

[prognossakerhet]
bas = "utfall"   # avvikelsen i procent av utfallet (eller "budget")
grans = 1        # målet: inom ±1 %

[internhandel]
tolerans = 0     # kronor som ett par får skilja och ändå stämma
"""


def _ore(value: float) -> int:
    return round(value * 100)


def _kr(ore: int) -> float:
    return round(ore / 100, 2)


def _scaled(sides: dict[str, Any], factor: float) -> dict[str, float]:
    costs, revenues = _ore(sides["costs"] * factor), _ore(sides["revenues"] * factor)
    return {"costs": _kr(costs), "revenues": _kr(revenues), "net": _kr(costs + revenues)}


def scale(report: dict[str, Any], name: str, factor: float, more_costs: int = 0) -> dict[str, Any]:
    """Another nämnd's report: the figures the city reads scaled, every side to the öre;
    ``more_costs`` kronor more forecast costs (in the total and the first area)."""
    out = copy.deepcopy(report)
    out["namnd"] = name
    for line in [*out["areas"], out["total"], *out.get("anslag", [])]:
        for key in ("budget", "decided_budget", "actual", "forecast"):
            if key in line:
                line[key] = _scaled(line[key], factor)
    for line in (out["areas"][0], out["total"]):
        forecast = line["forecast"]
        costs = _ore(forecast["costs"]) - more_costs * 100
        line["forecast"] = {
            "costs": _kr(costs),
            "revenues": forecast["revenues"],
            "net": _kr(costs + _ore(forecast["revenues"])),
        }
    for line in [*out["areas"], out["total"], *out.get("anslag", [])]:
        line["variance"] = _kr(_ore(line["forecast"]["net"]) - _ore(line["budget"]["net"]))
    for item in out["budget_changes"]["items"]:
        for key in ("costs", "revenues"):
            item[key] = _kr(_ore(item[key] * factor))
        item["net_effect"] = _kr(_ore(item["revenues"]) - _ore(item["costs"]))
        item["description"] = item["description"].replace("Skärholmen", name)
    out["warnings"] = []
    return out


def adjustment(report: dict[str, Any]) -> None:
    """Farsta requests a budgetjustering for ekonomiskt bistånd (its net budget rises)."""
    items = report["budget_changes"]["items"]
    item = copy.deepcopy(next(i for i in items if i["status"] == "Begärd"))
    item.update(
        type="Budgetjustering",
        area="Ekonomiskt bistånd",
        subarea=None,
        costs=6_000_000.0,
        revenues=0.0,
        net_effect=-6_000_000.0,
        description="Ökat antal hushåll med ekonomiskt bistånd",
        financier="Central medelsreserv",
        diarienummer="FSDN 2017/311",
    )
    items.append(item)
    total = report["total"]
    budget = total["budget"]
    costs = _ore(budget["costs"]) - 600_000_000
    total["budget"] = {
        "costs": _kr(costs),
        "revenues": budget["revenues"],
        "net": _kr(costs + _ore(budget["revenues"])),
    }
    total["variance"] = _kr(_ore(total["forecast"]["net"]) - _ore(total["budget"]["net"]))


def year_end(t2: dict[str, Any], shift: float) -> dict[str, Any]:
    """The year-end report of a T2: the outcome is the T2 forecast moved by ``shift`` of
    its net (a negative shift: the outcome was worse than forecast)."""
    out = copy.deepcopy(t2)
    out["period"], out["tertial"] = 12, "helar"
    out["title"] = f"Verksamhetsberättelse {t2['year']}"
    total = out["total"]
    forecast = total["forecast"]
    moved = _ore(abs(forecast["net"]) * shift)
    costs = _ore(forecast["costs"]) + moved
    outcome = {"costs": _kr(costs), "revenues": forecast["revenues"]}
    outcome["net"] = _kr(costs + _ore(forecast["revenues"]))
    total["actual"] = outcome
    total["forecast"] = dict(outcome)
    total["variance"] = _kr(_ore(outcome["net"]) - _ore(total["budget"]["net"]))
    return out


def _ledger(name: str, rows: list[tuple[int, str, str, int, str]]) -> pl.DataFrame:
    """Ledger rows (period, verksamhet, konto, öre in ledger signs, motpart) for 2017."""
    from budget.edge.huvudbok import SCHEMA

    return pl.DataFrame(
        {
            "namnd": [name] * len(rows),
            "ar": [2017] * len(rows),
            "period": [r[0] for r in rows],
            "ansvar": ["100"] * len(rows),
            "verksamhet": [r[1] for r in rows],
            "konto": [r[2] for r in rows],
            "belopp": [r[3] * 10_000 for r in rows],  # micro-kronor
            "motpart": [r[4] for r in rows],
            "fil": ["utfall-2017.xlsx"] * len(rows),
            "rad": list(range(5, 5 + len(rows))),
        },
        schema=SCHEMA,
    )


def internal(folder: Path) -> None:
    """Farsta's and Servicenämnden's 2017 ledgers, with internal trade against Skärholmen's."""
    from budget.edge.huvudbok import encode, slug

    own = pl.read_parquet(folder / "huvudbok" / f"{slug(SKARHOLMEN)}-2017.parquet")
    bought = (
        own.filter(
            (pl.col("motpart") == CODES["Servicenämnden"])
            & (pl.col("period") <= 8)
            & pl.col("konto").str.slice(0, 1).is_in(["4", "5", "6", "7"])
        )
        .group_by("period")
        .agg(pl.col("belopp").sum())
        .sort("period")
    )
    # Servicenämnden sells to Skärholmen exactly what Skärholmen bought (per month, whole öre).
    service = [
        (int(p), "900", "3410", -(int(m) // 10_000), CODES[SKARHOLMEN])
        for p, m in bought.iter_rows()
    ]
    # ... and to Farsta 2 450 000 kr in Jan–Aug, of which Farsta booked only 2 400 000 kr.
    service += [
        (p, "900", "3410", -30_625_000, CODES["Farsta stadsdelsnämnd"]) for p in range(1, 9)
    ]
    service += [(p, "900", "5010", 120_000_000, None) for p in range(1, 9)]  # own staff
    farsta = [(p, "210", "6410", 30_000_000, CODES["Servicenämnden"]) for p in range(1, 9)]
    # Farsta sells lokaler to Skärholmen, which has booked no purchase from Farsta.
    farsta += [(p, "210", "3610", -4_000_000, CODES[SKARHOLMEN]) for p in (3, 6)]
    farsta += [(p, "210", "5010", 700_000_000, None) for p in range(1, 9)]
    for name, rows in (("Servicenämnden", service), ("Farsta stadsdelsnämnd", farsta)):
        data = encode(_ledger(name, rows))
        (folder / "huvudbok" / f"{slug(name)}-2017.parquet").write_bytes(data)


def positions(folder: Path) -> None:
    """The office's workbook: a position on two of Skärholmen's changes, a comment each on
    two nämnder (written as the office would fill in the prefilled one)."""
    from scripts.xlsxio import write_workbook

    t2 = json.loads((folder / "skarholmen-2017-T2.json").read_text(encoding="utf-8"))
    asked = [i for i in t2["budget_changes"]["items"] if i["status"] == "Begärd"]
    rows = [
        [SKARHOLMEN, n, item["description"], choice, comment]
        for n, (item, choice, comment) in enumerate(
            zip(
                asked,
                ("Tillstyrks", "Avstyrks", "Bereds vidare"),
                (
                    "Statsbidraget är beslutat.",
                    "Nämnden har ett prognostiserat överskott.",
                    "",
                ),
                strict=False,
            ),
            1,
        )
    ]
    comments = [
        [SKARHOLMEN, "Prognosen visar ett överskott; underskottet inom LSS följs upp."],
        ["Servicenämnden", "Nämnden ska redovisa åtgärder för en ekonomi i balans."],
    ]
    write_workbook(
        folder / "stadens-stallningstaganden-2017-T2.xlsx",
        {
            "Ställningstaganden": (
                [],
                ["Nämnd", "Nr", "Beskrivning", "Ställningstagande", "Kommentar"],
                rows,
            ),
            "Kommentarer": ([], ["Nämnd", "Kommentar"], comments),
        },
    )


def make(folder: Path) -> None:
    from budget.app.pipeline import make_report

    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    inputs = ROOT / "inputs" / "skarholmen-2017"
    for tertial in (4, 8):
        make_report(inputs, tertial, folder, STAMP, ledgers=True)
    shutil.copy(ROOT / "inputs" / "arkiv" / "skarholmen-2016-T2.json", folder)
    t2 = json.loads((folder / "skarholmen-2017-T2.json").read_text(encoding="utf-8"))
    t2_2016 = json.loads((folder / "skarholmen-2016-T2.json").read_text(encoding="utf-8"))
    files = {"skarholmen-2016-helar.json": year_end(t2_2016, -0.006)}
    for name, factor, shift, more_costs in NAMNDER:
        short = name.split()[0].lower().replace("ä", "a")
        files[f"{short}-2017-T2.json"] = scale(t2, name, factor, more_costs)
        files[f"{short}-2016-T2.json"] = scale(t2_2016, name, factor)
        files[f"{short}-2016-helar.json"] = year_end(scale(t2_2016, name, factor), shift)
    adjustment(files["farsta-2017-T2.json"])
    for file, data in files.items():
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        (folder / file).write_text(text, encoding="utf-8")
    (folder / "stad.toml").write_text(STAD_TOML, encoding="utf-8")
    internal(folder)
    positions(folder)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    make(Path(sys.argv[1] if len(sys.argv) > 1 else "reports/stad-2017"))
