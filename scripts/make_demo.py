"""Generate the demo inputs for Skärholmens stadsdelsnämnd 2017 (fictional, realistic).

Deterministic: a fixed seed and fixed workbook timestamps, so `make demo-data`
reproduces the committed files byte for byte. The ledgers (2015, 2016 and
January–August 2017) are generated first; the 2017 budget is then derived from
the toolkit's own T2 forecast so that the report reproduces the protocol of
2017-09-21: a forecast surplus of 13,0 mnkr, deficits in LSS and in hemtjänst
egen regi, and a requested omslutningsförändring of 2,5 mnkr.

Usage: python -m scripts.make_demo inputs/skarholmen-2017
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from budget.checks.prepare import prepare
from budget.core import fmt
from budget.core.period import Tertial
from budget.edge import sheets
from budget.edge.inputs import load
from budget.edge.sheets import (
    BUDGET,
    FORECASTS,
    INVESTMENTS,
    LEDGER,
    PERIODISATION,
    RESPONSIBILITIES,
    STRUCTURE,
    VOLUMES,
)
from budget.report.build import build_report
from budget.report.model import Report
from scripts.xlsxio import write_workbook

SEED = 20170921
YEAR = 2017
REPORT_PERIOD = 8
MNKR = 100_000_000  # öre

NAMND = "Skärholmens stadsdelsnämnd"

# Kommun-Bas accounts used by the demo (fictional selection, realistic classes).
REVENUE_ACCOUNTS = {
    "3410": "Taxor och avgifter",
    "3510": "Hyresintäkter",
    "3810": "Riktade statsbidrag",
    "3910": "Interna intäkter",
}
COST_ACCOUNTS = {
    "4610": "Köp av huvudverksamhet",
    "4710": "Försörjningsstöd",
    "5011": "Månadslöner",
    "5110": "Timlöner",
    "5410": "Personalomkostnader",
    "6110": "Lokalhyror",
    "6410": "Förbrukningsmaterial",
    "6910": "Övriga tjänster",
    "7910": "Avskrivningar",
}

# Monthly profiles (index 0 = January).
SALARY = [1.0, 1.0, 1.02, 1.0, 1.02, 1.06, 0.62, 0.92, 1.02, 1.03, 1.03, 1.28]
FLAT = [1.0] * 12
RENT = [1.0] * 12
STATSBIDRAG = [0.0, 0.0, 3.0, 0.0, 0.0, 3.0, 0.0, 0.0, 3.0, 0.0, 0.0, 3.0]


@dataclass(frozen=True)
class Leaf:
    area: str
    subarea: str | None
    codes: tuple[str, ...]
    units: int  # ansvar (resultatenheter)
    costs: float  # annual costs 2016, mnkr
    revenues: float  # annual revenues 2016, mnkr
    cost_mix: dict[str, float]
    revenue_mix: dict[str, float]
    growth: float  # 2017 over 2016, monthly volumes included
    variance: float  # target T2 variance, mnkr (positive = överskott)
    trend: float = 0.0  # monthly drift within 2017 (volumes falling: negative)


PERSONNEL = {"5011": 0.58, "5110": 0.08, "5410": 0.22, "6110": 0.06, "6410": 0.04, "6910": 0.02}
PURCHASE = {"4610": 0.85, "6910": 0.1, "6410": 0.05}

LEAVES = [
    Leaf(
        "Förskoleverksamhet",
        None,
        ("210", "211", "215"),
        22,
        332.0,
        31.0,
        {**{k: v * 0.92 for k, v in PERSONNEL.items()}, "4610": 0.08},
        {"3410": 0.8, "3810": 0.2},
        1.01,
        6.5,
        trend=-0.0015,
    ),
    Leaf(
        "Verksamhet för barn och ungdom",
        None,
        ("250", "255"),
        4,
        27.0,
        2.0,
        PERSONNEL,
        {"3410": 0.5, "3810": 0.5},
        1.02,
        0.5,
    ),
    Leaf(
        "Kultur- och föreningsverksamhet",
        None,
        ("310",),
        2,
        8.5,
        0.5,
        PERSONNEL,
        {"3510": 1.0},
        1.02,
        0.2,
    ),
    Leaf(
        "Äldreomsorg",
        "Hemtjänst egen regi",
        ("510",),
        6,
        82.0,
        74.0,
        PERSONNEL,
        {"3910": 0.92, "3410": 0.08},
        1.02,
        -3.5,
    ),
    Leaf(
        "Äldreomsorg",
        "Hemtjänst externa utförare",
        ("511",),
        2,
        88.0,
        0.0,
        PURCHASE,
        {},
        1.0,
        3.0,
        trend=-0.002,
    ),
    Leaf(
        "Äldreomsorg",
        "Vård- och omsorgsboende",
        ("520", "521"),
        5,
        175.0,
        27.0,
        {**{k: v * 0.5 for k, v in PERSONNEL.items()}, "4610": 0.5},
        {"3410": 0.8, "3510": 0.2},
        1.0,
        8.0,
        trend=-0.002,
    ),
    Leaf(
        "Äldreomsorg",
        "Biståndshandläggning och övrigt",
        ("530", "0531"),
        3,
        24.0,
        1.0,
        PERSONNEL,
        {"3810": 1.0},
        1.02,
        0.0,
    ),
    Leaf(
        "Stöd och service till personer med funktionsnedsättning",
        "Boende enligt LSS",
        ("610", "611"),
        6,
        118.0,
        6.0,
        {**{k: v * 0.6 for k, v in PERSONNEL.items()}, "4610": 0.4},
        {"3410": 1.0},
        1.04,
        -6.0,
    ),
    Leaf(
        "Stöd och service till personer med funktionsnedsättning",
        "Daglig verksamhet",
        ("620",),
        3,
        46.0,
        2.0,
        PERSONNEL,
        {"3910": 1.0},
        1.03,
        -1.5,
    ),
    Leaf(
        "Stöd och service till personer med funktionsnedsättning",
        "Personlig assistans och övrigt stöd",
        ("630", "640"),
        3,
        52.0,
        4.0,
        {**{k: v * 0.3 for k, v in PERSONNEL.items()}, "4610": 0.7},
        {"3810": 1.0},
        1.03,
        -1.5,
    ),
    Leaf(
        "Individ- och familjeomsorg",
        "Barn och ungdom",
        ("710", "711"),
        3,
        62.0,
        6.0,
        {**{k: v * 0.45 for k, v in PERSONNEL.items()}, "4610": 0.55},
        {"3810": 1.0},
        1.02,
        0.8,
    ),
    Leaf(
        "Individ- och familjeomsorg",
        "Vuxna",
        ("720", "721"),
        2,
        41.0,
        2.0,
        {**{k: v * 0.4 for k, v in PERSONNEL.items()}, "4610": 0.6},
        {"3410": 1.0},
        1.01,
        0.2,
    ),
    Leaf(
        "Stadsmiljö",
        None,
        ("810",),
        2,
        21.0,
        1.0,
        {"6910": 0.7, "5011": 0.2, "5410": 0.06, "7910": 0.04},
        {"3510": 1.0},
        1.02,
        0.3,
    ),
    Leaf("Flyktingmottagande", None, ("850",), 1, 22.0, 12.0, PERSONNEL, {"3810": 1.0}, 1.0, 0.0),
    Leaf(
        "Ekonomiskt bistånd",
        None,
        ("910",),
        2,
        131.0,
        1.0,
        {"4710": 0.9, "5011": 0.06, "5410": 0.03, "6410": 0.01},
        {"3410": 1.0},
        0.98,
        5.5,
        trend=-0.004,
    ),
    Leaf(
        "Arbetsmarknadsåtgärder", None, ("920",), 1, 26.0, 6.0, PERSONNEL, {"3810": 1.0}, 1.0, 0.5
    ),
]
assert abs(sum(leaf.variance for leaf in LEAVES) - 13.0) < 1e-9

METHODS = {
    "standard": "sasong",
    "Förskoleverksamhet": "volym",
    "Hemtjänst externa utförare": "volym",
    "Ekonomiskt bistånd": "linjar",
    "Stöd och service till personer med funktionsnedsättning": "manuell",
    "Flyktingmottagande": "budget",
}

CODE_NAMES = {
    "210": "Förskola",
    "211": "Förskola, barn i behov av särskilt stöd",
    "215": "Pedagogisk omsorg",
    "250": "Fritidsgårdar",
    "255": "Parklek",
    "310": "Kultur och föreningsbidrag",
    "510": "Hemtjänst egen regi",
    "511": "Hemtjänst externa utförare",
    "520": "Vård- och omsorgsboende",
    "521": "Korttidsboende",
    "530": "Biståndshandläggning äldre",
    "0531": "Dagverksamhet äldre",
    "610": "Bostad med särskild service LSS",
    "611": "Korttidsvistelse LSS",
    "620": "Daglig verksamhet",
    "630": "Personlig assistans",
    "640": "Boendestöd",
    "710": "Barn och ungdom, insatser",
    "711": "Barn och ungdom, placeringar",
    "720": "Vuxna, missbruk",
    "721": "Vuxna, socialpsykiatri",
    "810": "Parkskötsel och lokala stadsmiljöåtgärder",
    "850": "Flyktingmottagande",
    "910": "Ekonomiskt bistånd",
    "920": "Jobbtorg och arbetsmarknadsåtgärder",
}

TEXTS_COST = [
    "Faktura",
    "Lön",
    "Leverantörsfaktura",
    "Internfaktura",
    "Periodisering",
    "Omföring",
    "Kortköp",
]
SUPPLIERS = [
    "Attendo",
    "Förenade Care",
    "Stockholmshem",
    "Micasa",
    "Lekolar",
    "Menigo",
    "Staples",
    "SISAB",
    "Familjebostäder",
    "Serviceförvaltningen",
]


def _month_amounts(
    rng: random.Random, annual: float, profile: list[float], trend: float, months: int
) -> list[int]:
    """Split an annual amount (mnkr) into months by profile, drift and noise, in öre."""
    weights = [profile[m] * (1 + trend * (m - 5.5)) * rng.uniform(0.97, 1.03) for m in range(12)]
    scale = annual * MNKR / sum(weights)
    return [round(w * scale) for w in weights[:months]]


def _profile(konto: str) -> list[float]:
    if konto.startswith("5"):
        return SALARY
    if konto == "6110":
        return RENT
    if konto == "3810":
        return STATSBIDRAG
    return FLAT


# Units differ in size (a large förskola against a small one): relative sizes, reused in turn.
UNIT_SIZES = [1.0, 0.7, 1.35, 0.85, 1.6, 0.55, 1.15, 0.95, 1.25, 0.75, 1.45]
CODE_WEIGHTS = [1.0, 0.38, 0.17]


def _ansvar(leaf_index: int, unit: int) -> str:
    # Administrative units start with a zero: the codes must keep it.
    prefix = "0" if leaf_index in (6, 13) else "1"
    return f"{prefix}{leaf_index + 1:02d}{unit + 1:02d}"


def ledger_rows(
    rng: random.Random, year: int, months: int, factor: dict[int, float]
) -> list[list[object]]:
    """Ledger rows: ansvar × verksamhet × konto × month, several postings per cell."""
    rows: list[list[object]] = []
    voucher = 100000 + (year - 2015) * 200000
    for li, leaf in enumerate(LEAVES):
        f = factor[li]
        sides = [(k, leaf.costs * share * f, 1) for k, share in leaf.cost_mix.items()]
        sides += [(k, leaf.revenues * share * f, -1) for k, share in leaf.revenue_mix.items()]
        cells = [(u, c) for u in range(leaf.units) for c in leaf.codes]
        trend = leaf.trend if year == YEAR else leaf.trend / 3
        for konto, annual, sign in sides:
            if annual == 0:
                continue
            # Units differ in size, and a leaf's verksamheter in weight (a förskola's
            # 210 is most of it): no two verksamheter show the same figures.
            weights = [
                UNIT_SIZES[(li * 7 + unit) % len(UNIT_SIZES)] * CODE_WEIGHTS[leaf.codes.index(code)]
                for unit, code in cells
            ]
            for (unit, code), weight in zip(cells, weights, strict=True):
                ansvar = _ansvar(li, unit)
                per_cell = annual * weight / sum(weights)
                amounts = _month_amounts(rng, per_cell, _profile(konto), trend, months)
                for m, total in enumerate(amounts, 1):
                    if total == 0:
                        continue
                    n = rng.choice((1, 2, 2, 3, 4)) if konto[0] in "46" else rng.choice((1, 2))
                    parts = [rng.random() + 0.2 for _ in range(n)]
                    split = [round(total * p / sum(parts)) for p in parts]
                    split[-1] += total - sum(split)
                    for part in split:
                        voucher += 1
                        text = f"{rng.choice(TEXTS_COST)} {m:02d}/{year}"
                        supplier = rng.choice(SUPPLIERS) if konto[0] in "46" else ""
                        rows.append(
                            [
                                year,
                                year * 100 + m,
                                ansvar,
                                code,
                                int(konto),
                                sign * part / 100,
                                text,
                                f"V{voucher}",
                                supplier,
                            ]
                        )
    # A few postings outside the operating result (balance sheet and financial items).
    for m in range(1, months + 1):
        voucher += 1
        rows.append(
            [
                year,
                year * 100 + m,
                "01401",
                "530",
                2920,
                -12500.0 * m / 4,
                f"Semesterlöneskuld {m:02d}/{year}",
                f"V{voucher}",
                "",
            ]
        )
        voucher += 1
        rows.append(
            [
                year,
                year * 100 + m,
                "01401",
                "530",
                8410,
                310.55,
                f"Dröjsmålsränta {m:02d}/{year}",
                f"V{voucher}",
                "Skatteverket",
            ]
        )
    if year == YEAR:
        # A posting on a code missing from struktur.xlsx, reversed the same month.
        rows.append(
            [
                year,
                year * 100 + 3,
                "10101",
                "999",
                6410,
                12500.0,
                "Felkontering, rättas",
                "V999001",
                "Lekolar",
            ]
        )
        rows.append(
            [
                year,
                year * 100 + 3,
                "10101",
                "999",
                6410,
                -12500.0,
                "Rättelse av felkontering",
                "V999002",
                "Lekolar",
            ]
        )
    return rows


LEDGER_HEADER = LEDGER.header("Text", "Verifikation", "Motpart")


def write_ledger(folder: Path, year: int, rows: list[list[object]]) -> None:
    total = round(sum(float(r[5]) for r in rows), 2)  # type: ignore[arg-type]
    titles = [
        [f"Huvudboksutdrag {year}, Skärholmens stadsdelsförvaltning"],
        ["Utskrivet 2017-09-05 av ekonomienheten"],
        [],
    ]
    body = [*rows, ["Summa", None, None, None, None, total]]
    write_workbook(folder / f"utfall-{year}.xlsx", {"Huvudbok": (titles, LEDGER_HEADER, body)})


# Unit names as a district's organisation chart has them (invented, in Skärholmen's places).
PLACES = ["Skärholmen", "Bredäng", "Sätra", "Vårberg"]
UNIT_NAMES: dict[tuple[str, str | None], list[str]] = {
    ("Förskoleverksamhet", None): [
        f"Förskolan {n}"
        for n in (
            "Solrosen",
            "Ekorren",
            "Blåklinten",
            "Stjärnan",
            "Myran",
            "Humlan",
            "Lärkan",
            "Näckrosen",
            "Kastanjen",
            "Uttern",
            "Tallkotten",
            "Vitsippan",
            "Regnbågen",
            "Skogsbrynet",
            "Trollet",
            "Ängen",
            "Båten",
            "Kotten",
            "Fjärilen",
            "Pärlan",
            "Vallmon",
            "Eken",
        )
    ],
    ("Verksamhet för barn och ungdom", None): [
        "Fritidsgården Skärholmen",
        "Fritidsgården Bredäng",
        "Fritidsklubben Sätra",
        "Fältassistenterna",
    ],
    ("Kultur- och föreningsverksamhet", None): ["Kulturenheten", "Föreningsstöd"],
    ("Äldreomsorg", "Hemtjänst egen regi"): [
        "Hemtjänsten Skärholmen",
        "Hemtjänsten Bredäng",
        "Hemtjänsten Sätra",
        "Hemtjänsten Vårberg",
        "Nattpatrullen",
        "Trygghetslarm",
    ],
    ("Äldreomsorg", "Hemtjänst externa utförare"): [
        "Hemtjänst, privata utförare",
        "Hemtjänst, LOV-utförare",
    ],
    ("Äldreomsorg", "Vård- och omsorgsboende"): [
        "Bredängsgården",
        "Sätragården",
        "Vårbergshemmet",
        "Skärholmsgården",
        "Köpta platser vård- och omsorgsboende",
    ],
    ("Äldreomsorg", "Biståndshandläggning och övrigt"): [
        "Biståndsenheten äldre",
        "Dagverksamhet för äldre",
        "Träffpunkter för äldre",
    ],
    ("Stöd och service till personer med funktionsnedsättning", "Boende enligt LSS"): [
        f"Gruppbostaden {p}" for p in PLACES
    ]
    + ["Servicebostaden Vårberg", "Köpta platser LSS-boende"],
    ("Stöd och service till personer med funktionsnedsättning", "Daglig verksamhet"): [
        "Daglig verksamhet Skärholmen",
        "Daglig verksamhet Bredäng",
        "Köpt daglig verksamhet",
    ],
    (
        "Stöd och service till personer med funktionsnedsättning",
        "Personlig assistans och övrigt stöd",
    ): ["Biståndsenheten LSS", "Personlig assistans", "Ledsagning och avlösning"],
    ("Individ- och familjeomsorg", "Barn och ungdom"): [
        "Barn och ungdom, mottagning",
        "Barn och ungdom, utredning",
        "Familjebehandling",
    ],
    ("Individ- och familjeomsorg", "Vuxna"): ["Vuxenenheten", "Stödboende Sätra"],
    ("Stadsmiljö", None): ["Parkenheten", "Trygghet och renhållning"],
    ("Flyktingmottagande", None): ["Flyktingmottagningen"],
    ("Ekonomiskt bistånd", None): ["Försörjningsstöd", "Jobbtorg-samverkan"],
    ("Arbetsmarknadsåtgärder", None): ["Jobbtorg Skärholmen"],
}


FIRST_NAMES = (
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Ahmed",
    "Eva",
    "Johan",
    "Sara",
    "Mehmet",
    "Lena",
    "Anders",
    "Fatima",
    "Per",
    "Ingrid",
    "Nils",
    "Leila",
    "Mikael",
    "Elin",
    "Omar",
)
LAST_NAMES = (
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Lindberg",
    "Ali",
    "Hassan",
    "Berg",
    "Lund",
    "Holm",
    "Sandberg",
    "Forsberg",
    "Yilmaz",
)


def write_structure(folder: Path) -> None:
    rows = []
    for leaf in LEAVES:
        for code in leaf.codes:
            rows.append([code, leaf.area, leaf.subarea or "", CODE_NAMES[code]])
    ansvar = []
    n = 0
    for li, leaf in enumerate(LEAVES):
        for u in range(leaf.units):
            regi = "Extern" if leaf.subarea == "Hemtjänst externa utförare" else "Egen"
            # Made-up managers, so that samla's status workbook has someone to remind.
            manager = f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[n * 7 % len(LAST_NAMES)]}"
            n += 1
            # The förskolor and the own hemtjänst are resultatenheter (contract §6).
            result_unit = (
                "Ja"
                if leaf.area == "Förskoleverksamhet" or leaf.subarea == "Hemtjänst egen regi"
                else "Nej"
            )
            name = UNIT_NAMES[(leaf.area, leaf.subarea)][u]
            ansvar.append([_ansvar(li, u), name, regi, manager, result_unit])
    write_workbook(
        folder / "struktur.xlsx",
        {
            "Verksamheter": (
                [],
                STRUCTURE.header("Delområde", "Benämning"),
                rows,
            ),
            "Ansvar": (
                [],
                RESPONSIBILITIES.header("Enhet", "Regi", "Chef", "Resultatenhet"),
                ansvar,
            ),
        },
    )


def write_settings(folder: Path) -> None:
    lines = [
        f'namnd = "{NAMND}"',
        f"ar = {YEAR}",
        'enhet = "mnkr"',
        # The tjänsteutlåtande's front matter (an invented diarienummer and handläggare).
        'diarienummer = "1.2.1-289/2017"',
        '"handläggare" = "Karin Ek, controller"',
        "datum = 2017-09-12",
        # Earlier years' reports, compared with their outcome (the 2016 tertialrapporter).
        'arkiv = "../arkiv"',
        "",
        "[prognos]",
    ]
    for key, method in METHODS.items():
        name = key if key == "standard" else f'"{key}"'
        lines.append(f'{name} = "{method}"')
    # Ekonomiskt bistånd with arbetsmarknadsåtgärder is an anslag of its own, beside Nämndens
    # verksamhet (contract §6; Stockholm's form sdn9).
    lines += [
        "",
        "[resultatoverforing]",
        "tak = 0.05  # 5 % av resultatenhetens bruttokostnadsbudget",
        "",
        "[anslag]",
        '"Ekonomiskt bistånd och arbetsmarknadsåtgärder" = '
        '["Ekonomiskt bistånd", "Arbetsmarknadsåtgärder"]',
        "",
        # Boende enligt LSS has two measures: boendedygn explain its cost, korttidsdygn
        # are a key ratio (contract §9).
        "[volym]",
        '"Boende enligt LSS" = "Boendedygn"',
    ]
    (folder / "namnd.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


# The year's register of budget changes (contract §8): each requested in one report and
# granted from a later period by kommunstyrelsen (June for the T1 requests), so that a
# report made again for T1 shows them as requested then, and T2 does not request them again.
CHANGES = [
    [
        "Budgetjustering",
        "Ekonomiskt bistånd",
        3_200_000,
        0,
        "Ökade kostnader för ekonomiskt bistånd, begärd i tertialrapport 1",
        "Central medelsreserv",
        "SDN 2017/112",
        "T1",
        6,
    ],
    [
        "Omslutningsförändring",
        "Äldreomsorg",
        4_100_000,
        4_100_000,
        "Statsbidrag för ökad bemanning inom äldreomsorgen",
        "Socialstyrelsen",
        "SDN 2017/087",
        "T1",
        6,
    ],
    [
        "Omslutningsförändring",
        "Individ- och familjeomsorg",
        1_500_000,
        1_500_000,
        "Statsbidrag för att stärka den sociala barn- och ungdomsvården",
        "Socialstyrelsen",
        "SDN 2017/203",
        "T2",
        None,
    ],
    [
        "Omslutningsförändring",
        "Arbetsmarknadsåtgärder",
        1_000_000,
        1_000_000,
        "Projektmedel för Jobbtorg Skärholmen, unga vuxna",
        "Europeiska socialfonden",
        "SDN 2017/219",
        "T2",
        None,
    ],
]
CHANGE_HEADER = sheets.CHANGES.header("Finansiär", "Diarienummer", "Begärd i", "Beviljad i")


def change_effects() -> dict[str, int]:
    """Net effect of all changes per area in report signs, öre."""
    out: dict[str, int] = defaultdict(int)
    for _, area, costs, revenues, *_ in CHANGES:
        out[str(area)] += (int(revenues) - int(costs)) * 100  # type: ignore[call-overload]
    return out


LSS = "Stöd och service till personer med funktionsnedsättning"
COMMENTS = {
    (LSS, "Boende enligt LSS"): (
        "Två nya bostäder med särskild service har öppnat under våren. Ersättningen från "
        "LSS-utjämningen täcker inte kostnaderna, och Försäkringskassans strängare bedömning "
        "av assistansersättningen gör att fler boende får sin assistans betald av nämnden "
        "i stället för av staten, vilket ger ett underskott.",
        "Enhetschef LSS-boende",
    ),
    (LSS, "Daglig verksamhet"): (
        "Fler deltagare än budgeterat; åtgärder för att minska inhyrd personal pågår.",
        "Enhetschef daglig verksamhet",
    ),
    (LSS, "Personlig assistans och övrigt stöd"): (
        "Ökade kostnader för köpt assistans när Försäkringskassan prövar ärenden på nytt.",
        "Sektionschef LSS",
    ),
    ("Äldreomsorg", "Hemtjänst egen regi"): (
        "Färre beviljade timmar än planerat gör att intäkterna inte täcker personalkostnaden. "
        "En handlingsplan för budget i balans är beslutad.",
        "Enhetschef hemtjänst",
    ),
}
# The units' reasons for changing their forecast since tertialrapport 1.
REASONS = {
    ("Äldreomsorg", "Hemtjänst egen regi"): (
        "Handlingsplanen ger effekt: scheman anpassade till färre beviljade timmar sedan maj."
    ),
}


# Per leaf: (ansvar, verksamhet, konto) -> (costs, revenues), öre.
Shape = dict[tuple[str, str | None], dict[tuple[str, str, str], tuple[int, int]]]


def write_budget(
    folder: Path,
    leaf_budget: dict[tuple[str, str | None], tuple[int, int]],
    shape: Shape,
) -> None:
    """Budget rows per ansvar × verksamhet × konto, whole kronor, ledger signs.

    The workbook also keeps last year's budget, set before that year began: the
    2016 outcome off by a few per cent per leaf and row, in thousands of kronor.
    The forecast track record measures its errors against it.
    """
    rows = last_year_budget(shape)
    for key, (costs, revenues) in leaf_budget.items():
        weights = shape[key]
        for side_total, side in ((costs, 0), (revenues, 1)):
            cells = [(k, w[side]) for k, w in sorted(weights.items()) if w[side]]
            if not cells:
                continue
            whole = sum(w for _, w in cells)
            kronor = [round(side_total / 100 * w / whole) for _, w in cells]
            kronor[-1] += round(side_total / 100) - sum(kronor)
            sign = 1 if side == 0 else -1
            for ((ansvar, code, konto), _), kr in zip(cells, kronor, strict=True):
                rows.append([YEAR, code, int(konto), sign * kr, ansvar])
    _budget_workbook(folder, "Budget 2016 och 2017, Skärholmens stadsdelsnämnd", rows)


def last_year_budget(shape: Shape) -> list[list[object]]:
    """The 2016 budget rows: set per verksamhet and konto only, before that year began."""
    rows: list[list[object]] = []
    rng = random.Random(SEED + 2016)
    for key in sorted(shape, key=lambda k: (k[0], k[1] or "")):
        leaf_bias = rng.uniform(0.965, 1.035)
        per_code: dict[tuple[str, str], tuple[int, int]] = defaultdict(lambda: (0, 0))
        for (_, code, konto), (cost, revenue) in shape[key].items():
            before = per_code[(code, konto)]
            per_code[(code, konto)] = (before[0] + cost, before[1] + revenue)
        for (code, konto), (cost, revenue) in sorted(per_code.items()):
            amount = cost if konto[0] != "3" else -revenue
            noisy = amount * leaf_bias * rng.uniform(0.99, 1.01)
            rows.append([YEAR - 1, code, int(konto), round(noisy / 100_000) * 1000, None])
    return rows


def _budget_workbook(folder: Path, title: str, rows: list[list[object]]) -> None:
    shares = [0.085] * 12
    shares[6] = 0.06
    shares[11] = 0.09
    write_workbook(
        folder / "budget.xlsx",
        {
            "Budget": ([[title]], BUDGET.header("Ansvar"), rows),
            "Periodisering": (
                [],
                PERIODISATION.header("Verksamhetsområde"),
                [[None, m + 1, s] for m, s in enumerate(shares)],
            ),
        },
    )


VOLUME_HEADER = VOLUMES.header("Delområde")


def write_volumes(
    folder: Path, monthly_costs: dict[tuple[int, tuple[str, str | None]], list[int]]
) -> None:
    """Volumes for förskola (enrolled children) and external hemtjänst (granted hours).

    Children fall slowly through 2017 and hours follow the external providers'
    invoices at a fixed hourly price, as the protocol describes: fewer children,
    lower hemtjänst costs.
    """
    rows: list[list[object]] = []
    preschool = ("Förskoleverksamhet", None)
    home_care = ("Äldreomsorg", "Hemtjänst externa utförare")
    for year in (YEAR - 1, YEAR):
        months = 12 if year < YEAR else REPORT_PERIOD
        children = [round(2110 - 1.5 * m - (0 if year < YEAR else 18 + 4.2 * m)) for m in range(12)]
        base_price = (
            sum(monthly_costs[(YEAR - 1, preschool)])
            / 100
            / sum(round(2110 - 1.5 * m) for m in range(12))
        )
        price = round(base_price * (1.02 if year == YEAR else 1.0))
        budget_children = 2095 if year == YEAR else 2110
        for m in range(12):
            rows.append(
                [
                    "Förskoleverksamhet",
                    None,
                    # Enrolled children each month: summed over months, barnmånader.
                    "Barnmånader",
                    year * 100 + m + 1,
                    budget_children,
                    children[m] if m < months else None,
                    price,
                ]
            )
        hourly = 385 if year == YEAR else 378
        costs = monthly_costs[(year, home_care)]
        budget_hours = round(sum(monthly_costs[(YEAR - 1, home_care)]) / 100 / 378 / 12)
        for m in range(12):
            hours = round(costs[m] / 100 / hourly) if m < months else None
            rows.append(
                [
                    "Äldreomsorg",
                    "Hemtjänst externa utförare",
                    "Beviljade timmar",
                    year * 100 + m + 1,
                    budget_hours,
                    hours,
                    hourly,
                ]
            )
    rows += _story_volumes(monthly_costs)
    write_workbook(folder / "volymer.xlsx", {"Volymer": ([], VOLUME_HEADER, rows)})


DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# The city's hourly rate for hemtjänst by regi (hemtjänstpeng, kr per granted hour; the
# kommunal regi's is lower), 2016 and 2017: fictional, in proportion to 2024's 485/516.
OWN_RATE = {YEAR - 1: 356, YEAR: 362}


def _story_volumes(
    monthly_costs: dict[tuple[int, tuple[str, str | None]], list[int]],
) -> list[list[object]]:
    """The volumes that explain the protocol's deficits and surpluses (contract §9).

    LSS boende: two more residents than budgeted and dearer days (insufficient financing);
    daglig verksamhet: more participants; hemtjänst egen regi: about the budgeted hours at
    a cost per hour above the city's rate; vård- och omsorgsboende: fewer month-placements;
    ekonomiskt bistånd: fewer households each month. Each measure per month, 2016 (the
    outcome, for last year's cost per unit) and 2017 (budget, outcome January–August).
    """
    rows: list[list[object]] = []
    own = ("Äldreomsorg", "Hemtjänst egen regi")

    def series(
        area: str,
        sub: str | None,
        measure: str,
        last: list[float],
        budget: list[float],
        actual: list[float],
        price: float,
    ) -> None:
        for year, budgeted, outcome in (
            (YEAR - 1, last, last),
            (YEAR, budget, actual + [None] * (12 - REPORT_PERIOD)),
        ):
            for m in range(12):
                rows.append(
                    [area, sub, measure, year * 100 + m + 1, budgeted[m], outcome[m], price]
                )

    def days(persons: list[float]) -> list[float]:
        return [round(p * DAYS[m]) for m, p in enumerate(persons)]

    boende = [87, 87, 88, 88, 88, 89, 89, 89]
    series(
        LSS,
        "Boende enligt LSS",
        "Boendedygn",
        days([85] * 6 + [86] * 6),
        days([87] * 12),
        days(boende),
        3700,
    )
    series(
        LSS,
        "Boende enligt LSS",
        "Korttidsdygn",
        [520, 470, 520, 505, 520, 505, 540, 540, 505, 520, 505, 520],
        [510] * 12,
        [505, 470, 515, 500, 525, 510, 560, 555],
        4100,
    )
    series(
        LSS,
        "Daglig verksamhet",
        "Deltagarmånader",
        [156] * 6 + [157] * 6,
        [158] * 12,
        [159, 160, 160, 161, 162, 162, 163, 163],
        24_500,
    )
    # Egen regi: the hours the city pays its own units for, at the kommunal regi's rate.
    last_hours = [
        round(c / 100 / OWN_RATE[YEAR - 1] / 1.03) for c in monthly_costs[(YEAR - 1, own)]
    ]
    series(
        "Äldreomsorg",
        "Hemtjänst egen regi",
        "Beviljade timmar",
        last_hours,
        [19_000] * 12,
        [19_050, 18_700, 19_250, 19_100, 19_200, 19_000, 18_900, 19_150],
        OWN_RATE[YEAR],
    )
    series(
        "Äldreomsorg",
        "Vård- och omsorgsboende",
        "Månadsplaceringar",
        [248, 247, 247, 246, 246, 245, 245, 244, 244, 243, 243, 242],
        [248] * 12,
        [240, 239, 238, 236, 235, 234, 232, 231],
        61_000,
    )
    series(
        "Ekonomiskt bistånd",
        None,
        "Hushållsmånader",
        [round(1_330 - 4 * m) for m in range(12)],
        [1_300] * 12,
        [1_262, 1_255, 1_251, 1_243, 1_236, 1_231, 1_224, 1_218],
        8_600,
    )
    return rows


def _monthly_costs(
    rows: list[list[object]], code_leaf: dict[str, tuple[str, str | None]]
) -> dict[tuple[str, str | None], list[int]]:
    out: dict[tuple[str, str | None], list[int]] = defaultdict(lambda: [0] * 12)
    for r in rows:
        code, konto = str(r[3]), str(r[4])
        if code in code_leaf and konto[0] in "4567":
            out[code_leaf[code]][int(r[1]) % 100 - 1] += round(float(r[5]) * 100)  # type: ignore[arg-type]
    return out


def write_forecasts(
    folder: Path, collections: dict[int, dict[tuple[str, str | None], tuple[int, int]]]
) -> None:
    """prognos.xlsx as the register of the year's collections: each row with its Period,
    the units' reasons for a change given from the second collection on."""
    rows = []
    for period, manual in sorted(collections.items()):
        for (area, sub), (text, by) in COMMENTS.items():
            costs, revenues = manual.get((area, sub), (0, 0))
            reason = REASONS.get((area, sub)) if period > min(collections) else None
            row = [area, sub, round(costs / 100), round(revenues / 100), text, reason, by]
            rows.append([*row, Tertial.of_month(period) or period])
    header = FORECASTS.header(
        "Delområde", "Kommentar", "Orsak till förändring", "Lämnad av", "Period"
    )
    write_workbook(folder / "prognos.xlsx", {"Prognos": ([], header, rows)})


# The year's investment projects: (projekt, benämning, område, budget, utgifter jan–aug,
# helårsprognos, kommentar). Two need a decision: one late, one dearer than planned.
INVESTMENT_ROWS = [
    [
        "P17-01",
        "Ny förskola Vårberg",
        "Förskoleverksamhet",
        4_500_000,
        1_850_000,
        3_100_000,
        "Bygglovet försenat; 1,4 mnkr föreslås ombudgeteras till 2018",
    ],
    ["P17-02", "Inventarier förskolor", "Förskoleverksamhet", 1_200_000, 640_000, 1_150_000, None],
    [
        "P17-03",
        "Upprustning Skärholmens parklek",
        "Verksamhet för barn och ungdom",
        2_000_000,
        1_450_000,
        2_300_000,
        "Markarbetena blev dyrare än beräknat",
    ],
    ["P17-04", "Lekplats Sätra", "Stadsmiljö", 1_500_000, 300_000, 1_400_000, None],
    ["P17-05", "Larm och IT i hemtjänsten", "Äldreomsorg", 800_000, 420_000, 780_000, None],
    [
        "P17-06",
        "Trygghetsbelysning Bredäng",
        "Stadsmiljö",
        900_000,
        150_000,
        850_000,
        "Upphandlingen klar i augusti",
    ],
]


# The förvaltning's measures for a balanced economy (contract §7): (område, delområde,
# åtgärd, effekt i år in kronor, status, ingår i prognosen, ansvarig, beslut). The LSS
# deficit has a decided and a planned measure; hemtjänst egen regi's action plan and daglig
# verksamhet's staffing are in the units' forecasts already. One file serves the year's
# reports, so every decision named predates the T1 report.
MEASURE_ROWS = [
    [
        LSS,
        "Boende enligt LSS",
        "Bemanningen nattetid i gruppbostäderna samordnas mellan närliggande bostäder",
        1_200_000,
        "Beslutad",
        "Nej",
        "Avdelningschef LSS",
        "SDN 2017-03-23 § 14",
    ],
    [
        LSS,
        "Personlig assistans och övrigt stöd",
        "Omprövning hos Försäkringskassan av assistansersättningen för fyra brukare",
        1_500_000,
        "Planerad",
        "Nej",
        "Sektionschef LSS",
        None,
    ],
    [
        LSS,
        "Daglig verksamhet",
        "Inhyrd personal ersätts med tillsvidareanställda",
        600_000,
        "Genomförd",
        "Ja",
        "Enhetschef daglig verksamhet",
        None,
    ],
    [
        "Äldreomsorg",
        "Hemtjänst egen regi",
        "Scheman anpassade till färre beviljade timmar (handlingsplan för budget i balans)",
        1_800_000,
        "Genomförd",
        "Ja",
        "Enhetschef hemtjänst",
        "SDN 2017-04-20 § 9",
    ],
    [
        "Äldreomsorg",
        "Hemtjänst egen regi",
        "Nattpatrullen samordnas med grannstadsdelens",
        400_000,
        "Planerad",
        "Nej",
        "Avdelningschef äldreomsorg",
        None,
    ],
]


def write_measures(folder: Path) -> None:
    header = sheets.MEASURES.header("Delområde", "Ansvarig", "Beslut")
    write_workbook(folder / "atgarder.xlsx", {"Åtgärder": ([], header, MEASURE_ROWS)})


def write_investments(folder: Path) -> None:
    header = INVESTMENTS.header("Verksamhetsområde", "Utgifter", "Kommentar")
    write_workbook(folder / "investeringar.xlsx", {"Investeringar": ([], header, INVESTMENT_ROWS)})


# Tertialrapporterna 2016, as the nämnd was given them: the archive that the 2017 report
# compares with the 2016 outcome (issue 17). The units' managers forecast äldreomsorg,
# individ- och familjeomsorg and LSS themselves, from the months so far with a margin
# for what might come: cautious at T1, less so at T2, as forecasts tend to be.
ARCHIVE_YEAR = YEAR - 1
ARCHIVE_REPORTS = ((4, datetime(2016, 5, 17, 9, 0)), (8, datetime(2016, 9, 13, 9, 0)))
MANUAL_2016 = ("Äldreomsorg", "Individ- och familjeomsorg", LSS)
# Cost margin of the units' forecasts over the months so far at the year's pace.
MARGIN_2016 = {4: 0.03, 8: 0.012}


def write_archive(archive: Path, ledgers: dict[int, list[list[object]]], shape: Shape) -> None:
    """The 2016 T1 and T2 reports' JSON, made by the toolkit from the inputs as they were
    at the time: the ledger up to the period, the 2016 budget, the units' forecasts."""
    from budget.report.formats import json as json_render

    archive.mkdir(parents=True, exist_ok=True)
    code_leaf = {c: (leaf.area, leaf.subarea) for leaf in LEAVES for c in leaf.codes}
    for period, made in ARCHIVE_REPORTS:
        work = Path(tempfile.mkdtemp(prefix="demo-arkiv-"))
        try:
            folder = work / f"skarholmen-{ARCHIVE_YEAR}"
            folder.mkdir()
            so_far = [r for r in ledgers[ARCHIVE_YEAR] if int(r[1]) % 100 <= period]  # type: ignore[call-overload]
            write_ledger(folder, ARCHIVE_YEAR - 1, ledgers[ARCHIVE_YEAR - 1])
            write_ledger(folder, ARCHIVE_YEAR, so_far)
            write_structure(folder)
            _budget_workbook(
                folder, "Budget 2016, Skärholmens stadsdelsnämnd", last_year_budget(shape)
            )
            _archive_settings(folder, made)
            _archive_forecasts(folder, _actuals(so_far, code_leaf), period)
            report = build_report(prepare(load(folder), period), made)
            name = f"{report.name}.json"
            (archive / name).write_bytes(json_render.render(report))
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _archive_settings(folder: Path, made: datetime) -> None:
    lines = [
        f'namnd = "{NAMND}"',
        f"ar = {ARCHIVE_YEAR}",
        'enhet = "mnkr"',
        f"datum = {made.date().isoformat()}",
        "",
        "[prognos]",
        'standard = "sasong"',
        '"Ekonomiskt bistånd" = "linjar"',
        '"Flyktingmottagande" = "budget"',
        *(f'"{area}" = "manuell"' for area in MANUAL_2016),
    ]
    (folder / "namnd.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _archive_forecasts(
    folder: Path, actual: dict[tuple[str, str | None], tuple[int, int]], period: int
) -> None:
    margin = MARGIN_2016[period]
    rows = []
    for leaf in LEAVES:
        if leaf.area not in MANUAL_2016:
            continue
        costs, revenues = actual[(leaf.area, leaf.subarea)]
        rows.append(
            [
                leaf.area,
                leaf.subarea,
                round(costs * 12 / period * (1 + margin) / 100),
                round(revenues * 12 / period / 100),
                "Årstakten hittills med marginal för höstens kostnader.",
            ]
        )
    write_workbook(
        folder / "prognos.xlsx",
        {"Prognos": ([], FORECASTS.header("Delområde", "Kommentar"), rows)},
    )


def main(target: Path) -> None:
    from scripts.demo_analysis import write_analysis
    from scripts.goals_demo import write_goals

    rng = random.Random(SEED)
    factors = {
        2015: dict.fromkeys(range(len(LEAVES)), 1 / 1.03),
        2016: dict.fromkeys(range(len(LEAVES)), 1.0),
        YEAR: {i: leaf.growth for i, leaf in enumerate(LEAVES)},
    }
    root = Path(tempfile.mkdtemp(prefix="demo-"))
    work = root / target.name
    work.mkdir()
    try:
        ledgers = {
            y: ledger_rows(rng, y, 12 if y < YEAR else REPORT_PERIOD, factors[y])
            for y in (2015, 2016, YEAR)
        }
        for y, rows in ledgers.items():
            write_ledger(work, y, rows)
        write_structure(work)
        write_settings(work)
        write_goals(work)
        write_investments(work)
        write_measures(work)
        write_analysis(work)
        write_workbook(work / "forandringar.xlsx", {"Förändringar": ([], CHANGE_HEADER, CHANGES)})

        code_leaf = {c: (leaf.area, leaf.subarea) for leaf in LEAVES for c in leaf.codes}
        shape = _budget_shape(ledgers[2016], code_leaf)
        monthly_costs = {}
        for y in (YEAR - 1, YEAR):
            for leaf_key, series in _monthly_costs(ledgers[y], code_leaf).items():
                monthly_costs[(y, leaf_key)] = series
        write_archive(root / "arkiv", ledgers, shape)
        write_volumes(work, monthly_costs)
        write_forecasts(
            work,
            {
                p: _manual_forecasts(_actuals(ledgers[YEAR], code_leaf, p), p)
                for p in (Tertial.T1.month, REPORT_PERIOD)
            },
        )
        # Provisional budget, then the real one from the toolkit's own forecast.
        provisional = {
            (leaf.area, leaf.subarea): (round(leaf.costs * MNKR), round(leaf.revenues * MNKR))
            for leaf in LEAVES
        }
        write_budget(work, provisional, shape)
        report = build_report(prepare(load(work), REPORT_PERIOD), datetime(2017, 9, 12))
        write_budget(work, _leaf_budgets(report), shape)

        target.mkdir(parents=True, exist_ok=True)
        archive = target.parent / "arkiv"
        archive.mkdir(exist_ok=True)
        for new in sorted((root / "arkiv").iterdir()):
            shutil.copy2(new, archive / new.name)
        for old in target.glob("*"):
            if old.is_file():
                old.unlink()
        for new in sorted(work.iterdir()):
            shutil.copy2(new, target / new.name)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    check = build_report(prepare(load(target), REPORT_PERIOD), datetime(2017, 9, 12))
    print(
        f"Demo i {target}: avvikelse {fmt.money(check.total.variance.net, signed=True)} mnkr, "
        f"begärd omslutningsförändring {fmt.money(check.requested_turnover, 'kr')} kr"
    )


def _budget_shape(rows: list[list[object]], code_leaf: dict[str, tuple[str, str | None]]) -> Shape:
    """Budget shape per leaf: a ledger's split over ansvar × verksamhet × konto
    (costs, revenues), so that every unit's underlag shows its own budget."""
    shape: Shape = defaultdict(dict)
    for r in rows:
        ansvar, code, konto = str(r[2]), str(r[3]), str(r[4])
        amount = round(float(r[5]) * 100)  # type: ignore[arg-type]
        if code not in code_leaf or konto[0] not in "34567":
            continue
        cell = shape[code_leaf[code]].get((ansvar, code, konto), (0, 0))
        shape[code_leaf[code]][(ansvar, code, konto)] = (
            (cell[0] + amount, cell[1]) if konto[0] != "3" else (cell[0], cell[1] - amount)
        )
    return shape


def _manual_forecasts(
    actual: dict[tuple[str, str | None], tuple[int, int]], period: int
) -> dict[tuple[str, str | None], tuple[int, int]]:
    """Manual forecasts for the manuell area at a period: the run-rate plus the units'
    judgement, which at T1 leans on the spring's lower costs and then does not hold."""
    margin = 1.004 if period == REPORT_PERIOD else 0.96
    manual = {}
    for leaf in LEAVES:
        key = (leaf.area, leaf.subarea)
        if key in COMMENTS:
            c, r = actual[key]
            manual[key] = (round(c * 12 / period * margin), round(r * 12 / period))
    return manual


def _leaf_budgets(report: Report) -> dict[tuple[str, str | None], tuple[int, int]]:
    """The budget per leaf that gives each leaf its wanted variance against the forecast."""
    forecast = {(ln.area, ln.subarea): ln.forecast for ln in report.lines}
    effects = change_effects()
    leaf_budget = {}
    for leaf in LEAVES:
        key = (leaf.area, leaf.subarea)
        fc = forecast[key] if leaf.subarea else forecast[(leaf.area, None)]
        wanted = round(leaf.variance * MNKR)
        # Revised net = forecast net − variance; revenues budgeted near the forecast.
        revenues = round(fc.revenues / 100_000) * 100_000
        costs_report = fc.net - wanted - revenues
        # Changes name only the area: they land on the (area, None) leaf, which is this
        # leaf where the area has no delområden.
        if leaf.subarea is None:
            costs_report -= effects.get(leaf.area, 0)
        leaf_budget[key] = (-costs_report, revenues)
    return leaf_budget


def _actuals(
    rows: list[list[object]], code_leaf: dict[str, tuple[str, str | None]], upto: int = 12
) -> dict[tuple[str, str | None], tuple[int, int]]:
    """Costs and revenues per leaf to month ``upto``, as positive öre."""
    out: dict[tuple[str, str | None], tuple[int, int]] = defaultdict(lambda: (0, 0))
    for r in rows:
        code, konto, amount = str(r[3]), str(r[4]), round(float(r[5]) * 100)  # type: ignore[arg-type]
        if code not in code_leaf or konto[0] not in "34567" or int(r[1]) % 100 > upto:  # type: ignore[call-overload]
            continue
        c, rev = out[code_leaf[code]]
        out[code_leaf[code]] = (c + amount, rev) if konto[0] != "3" else (c, rev - amount)
    return out


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "inputs/skarholmen-2017"))
