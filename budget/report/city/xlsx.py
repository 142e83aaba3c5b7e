"""The city's workbook, and the office's workbook of positions prefilled.

Cells are written by ``report.render.xlsx.put``/``table``: text from the reports is always a
string cell, never a formula. Amounts in kronor with öre; the same city gives the same bytes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from budget.core.city import POSITION_LABELS, POSITIONS, City, within
from budget.core.money import kronor
from budget.report.render.xlsx import KRONOR, put, table, to_bytes

PERCENT = "0.0"


def _pct(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def _namnder(ws: Worksheet, city: City) -> None:
    headers = [
        "Nämnd",
        "Budget kostnader (kr)",
        "Budget intäkter (kr)",
        "Budget netto (kr)",
        "Utfall netto (kr)",
        "Prognos netto (kr)",
        "Avvikelse netto (kr)",
        "Prognostiserad budgetföljsamhet (%)",
        "Begärda budgetjusteringar netto (kr)",
        "Begärda omslutningsförändringar (kr)",
        "Stadsledningskontorets kommentar",
        "Rapport (fil)",
    ]
    rows: list[list[Any]] = []
    for r in city.rows:
        n = r.report
        rows.append(
            [
                n.namnd,
                kronor(n.budget.costs),
                kronor(n.budget.revenues),
                kronor(n.budget.net),
                kronor(n.actual.net),
                kronor(n.forecast.net),
                kronor(n.variance),
                _pct(r.adherence),
                kronor(sum(c.net_effect for c in n.requested if c.kind == "Budgetjustering")),
                kronor(sum(c.costs for c in n.requested if c.kind == "Omslutningsförändring")),
                r.comment,
                n.file,
            ]
        )
    rows.append(
        [
            f"{city.stad}, totalt ({len(city.rows)} nämnder)",
            kronor(city.budget.costs),
            kronor(city.budget.revenues),
            kronor(city.budget.net),
            kronor(city.actual.net),
            kronor(city.forecast.net),
            kronor(city.variance),
            _pct(city.adherence),
            kronor(city.requested_sum("Budgetjustering").net),
            kronor(-city.requested_sum("Omslutningsförändring").costs),
            "",
            "",
        ]
    )
    table(
        ws,
        headers,
        rows,
        [None] + [KRONOR] * 6 + [PERCENT, KRONOR, KRONOR, None, None],
        widths=[40] + [18] * 6 + [16, 18, 18, 60, 30],
        total=True,
    )


CHANGE_HEADERS = [
    "Nämnd",
    "Nr",
    "Typ",
    "Verksamhetsområde",
    "Beskrivning",
    "Kostnader (kr)",
    "Intäkter (kr)",
    "Nettoeffekt (kr)",
    "Finansiär",
    "Diarienummer",
]


def _change_row(c: Any) -> list[Any]:
    return [
        c.namnd,
        c.number,
        c.kind,
        c.area + (f" / {c.subarea}" if c.subarea else ""),
        c.description,
        kronor(c.costs),
        kronor(c.revenues),
        kronor(c.net_effect),
        c.financier or "",
        c.diarienummer or "",
    ]


def _changes(ws: Worksheet, city: City) -> None:
    rows = []
    for c in city.requested:
        pos = city.position_of(c)
        label = "" if pos is None or pos.position is None else POSITION_LABELS[pos.position]
        rows.append([*_change_row(c), label, "" if pos is None else pos.comment, c.file, c.origin])
    table(
        ws,
        [*CHANGE_HEADERS, "Ställningstagande", "Kommentar", "Rapport (fil)", "Nämndens underlag"],
        rows,
        [None, "0", None, None, None, KRONOR, KRONOR, KRONOR, None, None, None, None, None, None],
        widths=[36, 6, 22, 30, 50, 16, 16, 16, 22, 18, 18, 40, 30, 40],
    )


def _indicators(ws: Worksheet, city: City) -> None:
    base = "utfallet" if city.base == "utfall" else "budgeten"
    headers = [
        "Nämnd",
        "År",
        "Prognos T2 netto (kr)",
        "Utfall netto (kr)",
        "Budget netto (kr)",
        "Prognosavvikelse (kr)",
        f"Prognossäkerhet (% av {base})",
        f"Inom ±{float(city.limit):g} %",
        "Budgetföljsamhet (%)",
        "T2-rapport",
        "Helårsrapport",
    ]

    def row(i: Any) -> list[Any]:
        inside = within(i.accuracy, city.limit)
        return [
            i.namnd,
            i.year,
            None if i.forecast is None else kronor(i.forecast),
            None if i.outcome is None else kronor(i.outcome),
            None if i.budget is None else kronor(i.budget),
            None if i.forecast_error is None else kronor(i.forecast_error),
            _pct(i.accuracy),
            "" if inside is None else ("Ja" if inside else "Nej"),
            _pct(i.adherence),
            i.t2_file or "",
            i.year_file or "",
        ]

    rows = [row(i) for i in city.indicators] + [row(i) for i in city.city_indicators()]
    table(
        ws,
        headers,
        rows,
        [None, "0", KRONOR, KRONOR, KRONOR, KRONOR, PERCENT, None, PERCENT, None, None],
        widths=[40, 8, 18, 18, 18, 18, 16, 10, 16, 30, 30],
    )


def _trade(ws: Worksheet, city: City) -> None:
    trade = city.trade
    assert trade is not None
    headers = [
        "Säljande nämnd",
        "Köpande nämnd",
        "Försäljning enligt säljaren (kr)",
        "Inköp enligt köparen (kr)",
        "Differens (kr)",
        "Stämmer",
        "Rader säljare",
        "Rader köpare",
        "Säljarens huvudbok",
        "Köparens huvudbok",
    ]
    rows = [
        [
            f.seller,
            f.buyer,
            kronor(f.sales),
            kronor(f.purchases),
            kronor(f.difference),
            "Ja" if abs(f.difference) <= trade.tolerance else "Nej",
            f.sales_rows,
            f.purchase_rows,
            ", ".join(f.sales_files),
            ", ".join(f.purchase_files),
        ]
        for f in trade.flows
    ]
    table(
        ws,
        headers,
        rows,
        [None, None, KRONOR, KRONOR, KRONOR, None, "#,##0", "#,##0", None, None],
        widths=[36, 36, 20, 20, 18, 10, 12, 12, 40, 40],
    )


def _missing(ws: Worksheet, city: City) -> None:
    rows: list[list[Any]] = [[n, "Har inte rapporterat"] for n in city.missing]
    rows += [[n, "Rapporterar men står inte i stad.toml"] for n in city.unexpected]
    rows += [[f"{e.file} ({e.namnd})", e.reason] for e in city.excluded]
    rows += [["", note] for note in city.warnings]
    table(ws, ["Nämnd eller fil", "Status"], rows, [None, None], widths=[60, 90])


def workbook(city: City) -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Nämnder"
    _namnder(ws, city)
    _changes(wb.create_sheet("Begärda ändringar"), city)
    _indicators(wb.create_sheet("Prognossäkerhet"), city)
    if city.trade is not None:
        _trade(wb.create_sheet("Interna köp och sälj"), city)
    _missing(wb.create_sheet("Saknas och ej medräknat"), city)
    return wb


def render(city: City, stamp: datetime) -> bytes:
    return to_bytes(workbook(city), stamp)


INSTRUCTIONS = [
    "Stadsledningskontorets ställningstaganden och kommentarer",
    "",
    "Bladet Ställningstaganden har en rad per begärd budgetjustering och "
    "omslutningsförändring i nämndernas rapporter. Fyll i Ställningstagande (Tillstyrks, "
    "Tillstyrks delvis, Avstyrks eller Bereds vidare) och Kommentar. Lämna de andra "
    "kolumnerna som de är: Nämnd, Nr och Beskrivning knyter raden till nämndens ändring.",
    "Bladet Kommentarer har en rad per nämnd som har rapporterat: skriv kontorets "
    "kommentar till nämndens prognos.",
    "Spara filen under samma namn (stadens-stallningstaganden-<år>-<period>.xlsx) i mappen "
    "med nämndernas rapporter och kör budget stad igen: ställningstagandena och "
    "kommentarerna kommer med i stadens rapport. En rad för en nämnd eller ändring som "
    "inte finns i rapporterna stoppar körningen med ett fel som anger cellen.",
]


def positions_workbook(city: City, stamp: datetime) -> bytes:
    """The office's workbook, prefilled: every requested change with the position and
    comment read last time, every reporting nämnd with its comment. Only the office's
    columns are unlocked; a list offers the positions."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Ställningstaganden"
    rows = []
    for c in city.requested:
        pos = city.position_of(c)
        label = "" if pos is None or pos.position is None else POSITION_LABELS[pos.position]
        rows.append([*_change_row(c), label, "" if pos is None else pos.comment])
    headers = [*CHANGE_HEADERS, "Ställningstagande", "Kommentar"]
    table(
        ws,
        headers,
        rows,
        [None, "0", None, None, None, KRONOR, KRONOR, KRONOR, None, None, None, None],
        widths=[36, 6, 22, 30, 50, 16, 16, 16, 22, 18, 20, 60],
    )
    choice = DataValidation(
        type="list",
        formula1='"' + ",".join(POSITIONS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Ställningstagande",
        error="Välj Tillstyrks, Tillstyrks delvis, Avstyrks eller Bereds vidare.",
    )
    ws.add_data_validation(choice)
    last = max(2, len(rows) + 1)
    choice.add(f"K2:K{last}")
    for r in range(2, len(rows) + 2):
        for col in (11, 12):
            cell = ws.cell(row=r, column=col)
            cell.protection = Protection(locked=False)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False
    comments = wb.create_sheet("Kommentarer")
    table(
        comments,
        ["Nämnd", "Kommentar"],
        [[r.report.namnd, r.comment] for r in city.rows],
        [None, None],
        widths=[40, 100],
    )
    for r in range(2, len(city.rows) + 2):
        cell = comments.cell(row=r, column=2)
        cell.protection = Protection(locked=False)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    comments.protection.sheet = True
    about = wb.create_sheet("Instruktioner")
    for i, text in enumerate(INSTRUCTIONS, 1):
        put(about, i, 1, text, bold=i == 1)
        about.cell(row=i, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    about.column_dimensions["A"].width = 110
    return to_bytes(wb, stamp)
