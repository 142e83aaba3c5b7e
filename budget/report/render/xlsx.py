"""Excel output with openpyxl: the report's tables, one sheet per section.

Amounts are written in kronor (exact to the öre) with a Swedish-looking
thousands format; the unit is stated in each header. Every text cell that
comes from the inputs is written as a string, never as a formula, even when
it begins with ``=``, ``+``, ``-`` or ``@``. Output is byte-identical for the
same report: fixed document dates and fixed zip timestamps.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from budget.core import changes as ch
from budget.core import fmt
from budget.core.money import kronor
from budget.report.labels import (
    CHANGE_COSTS,
    CHANGE_NET,
    CHANGE_REVENUES,
    FLAG_LABELS,
    INDICATOR_STATUS_LABELS,
    METHOD_LABELS,
    assessment_label,
    budget_label,
    change_explanation,
)
from budget.report.model import Line, Report

KRONOR = "#,##0"
DECIMAL = "#,##0.0"
HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
BOLD = Font(bold=True)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def put(
    ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None, bold: bool = False
) -> None:
    """Write one cell; text is always a string cell, never a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value
    if fmt and not isinstance(value, str):
        cell.number_format = fmt
    if bold:
        cell.font = BOLD


def table(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: Sequence[str | None],
    start: int = 1,
    widths: Sequence[int] = (),
    total: bool = False,
) -> int:
    """A header row, data rows, frozen header, autofilter, widths; returns the next free row.
    ``total``: the last row is a sum, in bold."""
    for c, h in enumerate(headers, 1):
        put(ws, start, c, h)
        cell = ws.cell(row=start, column=c)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start + 1):
        for c, value in enumerate(row, 1):
            put(ws, r, c, value, formats[c - 1] if c - 1 < len(formats) else None)
    if start == 1:
        ws.freeze_panes = ws.cell(row=2, column=1)
        last = get_column_letter(len(headers))
        ws.auto_filter.ref = f"A1:{last}{max(1, len(rows)) + 1}"
    for c, h in enumerate(headers, 1):
        width = widths[c - 1] if c - 1 < len(widths) else max(12, min(60, len(h) + 4))
        ws.column_dimensions[get_column_letter(c)].width = width
    if total and rows:
        for c in range(1, len(headers) + 1):
            ws.cell(row=start + len(rows), column=c).font = BOLD
    return start + len(rows) + 1


def _economy(ws: Worksheet, report: Report) -> None:
    headers = [
        "Verksamhetsområde",
        "Delområde",
        "Budget kostnader (kr)",
        "Budget intäkter (kr)",
        "Budget netto (kr)",
        "Utfall kostnader (kr)",
        "Utfall intäkter (kr)",
        "Utfall netto (kr)",
        "Prognos kostnader (kr)",
        "Prognos intäkter (kr)",
        "Prognos netto (kr)",
        "Avvikelse netto (kr)",
        "Prognosmetod",
        # Without the changes requested in this report (the budget columns include them).
        "Beslutad budget netto (kr)",
    ]

    def row(ln: Line) -> list[Any]:
        return [
            ln.area,
            ln.subarea or "",
            kronor(ln.budget.costs),
            kronor(ln.budget.revenues),
            kronor(ln.budget.net),
            kronor(ln.actual.costs),
            kronor(ln.actual.revenues),
            kronor(ln.actual.net),
            kronor(ln.forecast.costs),
            kronor(ln.forecast.revenues),
            kronor(ln.forecast.net),
            kronor(ln.variance.net),
            METHOD_LABELS.get(ln.method or "", ""),
            kronor(ln.decided.net),
        ]

    rows = [row(ln) for ln in report.shown_lines(net_only=False)] + [row(report.total)]
    table(
        ws,
        headers,
        rows,
        [None, None] + [KRONOR] * 10 + [None, KRONOR],
        widths=[44, 30] + [18] * 10 + [18, 18],
        total=True,
    )


def _anslag(ws: Worksheet, report: Report) -> None:
    """One row per anslag (contract §6) and the total, costs, revenues and net."""
    headers = [
        "Anslag",
        "Verksamhetsområden",
        "Budget kostnader (kr)",
        "Budget intäkter (kr)",
        "Budget netto (kr)",
        "Utfall netto (kr)",
        "Prognos kostnader (kr)",
        "Prognos intäkter (kr)",
        "Prognos netto (kr)",
        "Avvikelse netto (kr)",
    ]
    t = report.total
    rows = [
        [
            a.name,
            ", ".join(a.areas),
            kronor(a.budget.costs),
            kronor(a.budget.revenues),
            kronor(a.budget.net),
            kronor(a.actual.net),
            kronor(a.forecast.costs),
            kronor(a.forecast.revenues),
            kronor(a.forecast.net),
            kronor(a.variance.net),
        ]
        for a in report.anslag
    ]
    rows.append(
        [
            "Totalt",
            "",
            kronor(t.budget.costs),
            kronor(t.budget.revenues),
            kronor(t.budget.net),
            kronor(t.actual.net),
            kronor(t.forecast.costs),
            kronor(t.forecast.revenues),
            kronor(t.forecast.net),
            kronor(t.variance.net),
        ]
    )
    table(ws, headers, rows, [None, None] + [KRONOR] * 8, widths=[28, 50] + [18] * 8, total=True)


def _transfer(ws: Worksheet, report: Report) -> None:
    """The resultatenheter: budget, forecast, result, cap and what carries over."""
    headers = [
        "Ansvar",
        "Enhet",
        "Budget kostnader (kr)",
        "Budget netto (kr)",
        "Prognos netto (kr)",
        "Resultat (kr)",
        "Tak ± (kr)",
        "Förs över (kr)",
        "Stannar hos nämnden (kr)",
        "Prognos enligt",
    ]
    units, summed = report.result_units, report.transfer_total
    rows: list[list[Any]] = [
        [
            ru.ansvar,
            ru.name or "",
            kronor(ru.budget.costs),
            kronor(ru.budget.net),
            kronor(ru.forecast.net),
            kronor(ru.result),
            None if ru.cap is None else kronor(ru.cap),
            kronor(ru.transfer),
            kronor(ru.to_namnd),
            METHOD_LABELS.get(ru.basis, ru.basis),
        ]
        for ru in units
    ]
    rows.append(
        [
            "Summa",
            "",
            kronor(summed.budget.costs),
            kronor(summed.budget.net),
            kronor(summed.forecast.net),
            kronor(summed.result),
            None,
            kronor(summed.transfer),
            kronor(summed.to_namnd),
            "",
        ]
    )
    table(
        ws,
        headers,
        rows,
        [None, None] + [KRONOR] * 7 + [None],
        widths=[12, 36] + [18] * 7 + [20],
        total=True,
    )


def _investments(ws: Worksheet, report: Report) -> None:
    """Budget, spending and forecast per investment project (expenditure, positive)."""
    headers = [
        "Projekt",
        "Benämning",
        "Verksamhetsområde",
        "Budget (kr)",
        "Utgifter hittills (kr)",
        "Helårsprognos (kr)",
        "Avvikelse (kr)",
        "Behöver beslut",
        "Kommentar",
        "Utgifter ur huvudboken",
    ]
    items, summed = report.investments, report.investment_total
    rows: list[list[Any]] = [
        [
            p.project,
            p.name,
            p.area or "",
            kronor(p.budget),
            kronor(p.spent),
            kronor(p.forecast),
            kronor(p.variance),
            p.decision or "",
            p.comment or "",
            "Ja" if p.spent_from_ledger else "Nej",
        ]
        for p in items
    ]
    rows.append(
        [
            "Summa",
            "",
            "",
            kronor(summed.budget),
            kronor(summed.spent),
            kronor(summed.forecast),
            kronor(summed.variance),
            "",
            "",
            "",
        ]
    )
    formats = [None, None, None] + [KRONOR] * 4 + [None, None, None]
    table(ws, headers, rows, formats, widths=[12, 36, 28] + [18] * 4 + [28, 40, 14], total=True)


def _bridge(ws: Worksheet, report: Report) -> None:
    labels = {**ch.BRIDGE_LABELS, "revised": budget_label(report.has_requests)}
    headers = ["Verksamhetsområde"] + [f"{labels[s]} netto (kr)" for s in ch.BRIDGE_STEPS]
    rows = [[b.area] + [kronor(b.steps[s].net) for s in ch.BRIDGE_STEPS] for b in report.bridge]
    rows.append(["Totalt"] + [kronor(report.bridge_total[s].net) for s in ch.BRIDGE_STEPS])
    table(ws, headers, rows, [None] + [KRONOR] * len(ch.BRIDGE_STEPS), widths=[44] + [22] * 5)


def change_rows(changes: Sequence[ch.Change]) -> list[list[Any]]:
    return [
        [
            ch.KIND_LABELS[c.kind],
            ch.STATUS_LABELS[c.status],
            c.area,
            c.subarea or "",
            kronor(c.costs),
            kronor(c.revenues),
            kronor(c.effect.net),
            c.description,
            c.financier or "",
            c.diarienummer or "",
        ]
        for c in changes
    ]


CHANGE_HEADERS = [
    "Typ",
    "Status",
    "Verksamhetsområde",
    "Delområde",
    CHANGE_COSTS,
    CHANGE_REVENUES,
    CHANGE_NET,
    "Beskrivning",
    "Finansiär",
    "Diarienummer",
]
CHANGE_FORMATS = [None, None, None, None, KRONOR, KRONOR, KRONOR, None, None, None]
CHANGE_WIDTHS = [24, 12, 36, 24, 16, 16, 16, 60, 28, 18]


def _goals(ws: Worksheet, report: Report) -> None:
    headers = [
        "Inriktningsmål",
        "Verksamhetsområdesmål",
        "Bedömning",
        "Indikator",
        "Enhet",
        "KF:s årsmål",
        "Nämndens årsmål",
        "Periodutfall",
        "Föregående år",
        "Status",
        "Mål för perioden",
        "Tolerans (±)",
    ]
    rows: list[list[Any]] = []
    for d in report.goals.direction_goals:
        for g in d.area_goals:
            label = assessment_label(g.assessment, report.period.month == 12)
            if not g.indicators:
                rows.append([d.name, g.name, label, "", "", None, None, None, None, "", None, None])
            for i in g.indicators:
                rows.append(
                    [
                        d.name,
                        g.name,
                        label,
                        i.name,
                        i.unit or "",
                        i.kf_target,
                        i.target,
                        i.outcome,
                        i.last_year,
                        INDICATOR_STATUS_LABELS[i.status],
                        i.period_target,
                        i.tolerance,
                    ]
                )
    table(
        ws,
        headers,
        rows,
        [None] * 5 + [DECIMAL] * 4 + [None] + [DECIMAL] * 2,
        widths=[36, 50, 24, 50, 8, 12, 14, 12, 14, 30, 14, 12],
    )


def _flags(ws: Worksheet, report: Report) -> None:
    rows = [
        [FLAG_LABELS[f.code], f.code, f.goal, f.indicator or "", f.message]
        for f in report.goals.flags
    ]
    table(
        ws,
        ["Att granska", "Kod", "Mål", "Indikator", "Förklaring"],
        rows,
        [None] * 5,
        widths=[44, 20, 50, 50, 80],
    )


def _summary(ws: Worksheet, report: Report) -> None:
    put(ws, 1, 1, f"{report.namnd}: {report.title}", bold=True)
    t = report.total
    rows = [
        ("Beslutad budget, netto (kr)", kronor(t.decided.net)),
        (f"{budget_label(report.has_requests)}, netto (kr)", kronor(t.budget.net)),
        ("Utfall, netto (kr)", kronor(t.actual.net)),
        ("Helårsprognos, netto (kr)", kronor(t.forecast.net)),
        ("Avvikelse mot budget (kr), positiv = överskott", kronor(t.variance.net)),
    ]
    for r, (label, value) in enumerate(rows, 3):
        put(ws, r, 1, label)
        put(ws, r, 2, value, KRONOR)
    put(ws, 8, 1, "Förslag till beslut", bold=True)
    for i, point in enumerate(report.decision, 1):
        put(ws, 8 + i, 1, f"{i}. {point}")
    ws.column_dimensions["A"].width = 60
    ws.column_dimensions["B"].width = 20


def _reconciliation(ws: Worksheet, report: Report) -> None:
    rec = report.reconciliation
    rows = [
        ["Huvudboksrader t.o.m. perioden", rec.ledger_rows],
        ["Summa huvudbok (kr, bokföringstecken)", kronor(rec.ledger_sum)],
        ["Redovisat i rapporten (kr)", kronor(rec.reported_sum)],
        ["Exkluderat, kontoklass 1, 2, 8 (kr)", kronor(rec.excluded_sum)],
        ["Varav Ej fördelat (kr)", kronor(rec.unmapped_sum)],
    ]
    table(ws, ["Avstämning", "Värde"], rows, [None, KRONOR], widths=[44, 20])


def _about(ws: Worksheet, report: Report) -> None:
    rows = [
        ["Toolkit", f"budget {report.version}"],
        ["Skapad", report.generated_at.isoformat()],
        ["Period", f"{report.period.year}-{report.period.month:02d}"],
    ]
    rows += [[f.name, f.sha256] for f in report.files]
    table(ws, ["Uppgift", "Värde"], rows, [None, None], widths=[30, 70])


def _accuracy(ws: Worksheet, report: Report) -> None:
    acc = report.accuracy
    assert acc is not None
    headers = [
        "Verksamhetsområde",
        "Metod",
        "Period",
        f"Prognos {acc.year} netto (kr)",
        f"Utfall {acc.year} netto (kr)",
        "Fel (kr)",
        f"Fel i % av {acc.base}",
        "Bäst",
    ]
    rows = [
        [
            r.area,
            METHOD_LABELS[r.method],
            r.tertial,
            kronor(r.forecast),
            kronor(r.actual),
            kronor(r.error),
            r.error_pct,
            "bäst" if acc.best.get(r.area) == r.method else "",
        ]
        for r in acc.rows
    ]
    table(
        ws,
        headers,
        rows,
        [None, None, None, KRONOR, KRONOR, KRONOR, "0.0", None],
        widths=[44, 20, 8, 22, 22, 16, 14, 8],
    )


def _reported(ws: Worksheet, report: Report) -> None:
    """Earlier years' reported forecasts against the outcome, one row per year, tertial
    and area (and the nämnd in all), so that a filter picks a year or an area."""
    rep = report.reported
    assert rep is not None
    headers = [
        "År",
        "Tertial",
        "Verksamhetsområde",
        "Prognos netto (kr)",
        "Budget netto i rapporten (kr)",
        "Utfall netto (kr)",
        "Fel (kr)",
        "Fel i % av budget",
        "Rapport",
        "Utfallet från",
    ]
    rows: list[list[Any]] = []
    for y in rep.years:
        files = dict(y.reports)
        for tertial in y.tertials:
            given = [g for g in y.rows if g.tertial == tertial]
            total_row = y.total(tertial)
            assert total_row is not None
            for g in [*given, total_row]:
                rows.append(
                    [
                        y.year,
                        tertial,
                        g.area or "Nämnden totalt",
                        kronor(g.forecast),
                        kronor(g.budget),
                        None if g.actual is None else kronor(g.actual),
                        None if g.error is None else kronor(g.error),
                        g.error_pct,
                        files[tertial],
                        y.outcome,
                    ]
                )
    rows += [
        [None, None, None, None, None, None, None, None, f, f"jämförs inte: {why}"]
        for f, why in rep.not_compared
    ]
    table(
        ws,
        headers,
        rows,
        [None, None, None, KRONOR, KRONOR, KRONOR, KRONOR, "0.0", None, None],
        widths=[8, 8, 44, 20, 20, 20, 16, 12, 36, 40],
    )
    for r, row in enumerate(rows, 2):
        if row[2] == "Nämnden totalt":
            for c in range(1, len(headers) + 1):
                ws.cell(row=r, column=c).font = BOLD


def _change(ws: Worksheet, report: Report) -> None:
    fc = report.forecast_change
    assert fc is not None
    headers = [
        "Verksamhetsområde",
        "Delområde",
        f"{fc.previous_title} netto (kr)",
        f"{report.title} netto (kr)",
        "Förändring (kr)",
        "Orsak till förändringen",
    ]
    rows = [
        [
            c.area,
            c.subarea or "",
            kronor(c.previous),
            kronor(c.current),
            kronor(c.change),
            change_explanation(c, fmt.half_unit(report.unit)),
        ]
        for c in fc.rows
    ]
    table(
        ws,
        headers,
        rows,
        [None, None, KRONOR, KRONOR, KRONOR, None],
        widths=[44, 30, 22, 22, 18, 80],
    )


def _volumes(ws: Worksheet, report: Report) -> None:
    headers = [
        "Verksamhetsområde",
        "Delområde",
        "Mått",
        "Månad",
        "Budgeterad volym",
        "Utfall volym",
        "Pris (kr)",
    ]
    rows: list[list[Any]] = []
    for m in report.volumes:
        for month in range(12):
            rows.append(
                [
                    m.area,
                    m.subarea or "",
                    m.measure,
                    month + 1,
                    m.budget[month],
                    m.actual[month],
                    m.price,
                ]
            )
    table(
        ws,
        headers,
        rows,
        [None, None, None, "0", "#,##0.0", "#,##0.0", "#,##0"],
        widths=[30, 30, 22, 8, 18, 14, 12],
    )


def _drill(ws: Worksheet, report: Report) -> None:
    labels = {"ansvar": "Ansvar", "verksamhet": "Verksamhet", "class": "Kontoklass"}
    rows: list[list[Any]] = []
    for line in report.area_lines:
        for dim, label in labels.items():
            for x in report.drill.get(line.area, {}).get(dim, []):
                rows.append(
                    [
                        line.area,
                        label,
                        x.code,
                        x.name or "",
                        kronor(x.actual.costs),
                        kronor(x.actual.revenues),
                        kronor(x.actual.net),
                    ]
                )
    table(
        ws,
        [
            "Verksamhetsområde",
            "Dimension",
            "Kod",
            "Benämning",
            "Utfall kostnader (kr)",
            "Utfall intäkter (kr)",
            "Utfall netto (kr)",
        ],
        rows,
        [None, None, None, None, KRONOR, KRONOR, KRONOR],
        widths=[44, 14, 10, 44, 20, 20, 20],
    )


def workbook(report: Report) -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sammanfattning"
    _summary(ws, report)
    if len(report.anslag) > 1:
        _anslag(wb.create_sheet("Anslag"), report)
    _economy(wb.create_sheet("Ekonomi"), report)
    _drill(wb.create_sheet("Fördjupning"), report)
    if report.result_units:
        _transfer(wb.create_sheet("Resultatöverföring"), report)
    if report.investments:
        _investments(wb.create_sheet("Investeringar"), report)
    _bridge(wb.create_sheet("Budgetbrygga"), report)
    table(
        wb.create_sheet("Förändringar"),
        CHANGE_HEADERS,
        change_rows(report.changes),
        CHANGE_FORMATS,
        widths=CHANGE_WIDTHS,
    )
    if report.forecast_change is not None:
        _change(wb.create_sheet("Prognosförändring"), report)
    if report.reported is not None:
        _reported(wb.create_sheet("Rapporterade prognoser"), report)
    if report.accuracy is not None:
        _accuracy(wb.create_sheet("Prognossäkerhet"), report)
    if report.volumes:
        _volumes(wb.create_sheet("Volymer"), report)
    _goals(wb.create_sheet("Mål"), report)
    _flags(wb.create_sheet("Att granska"), report)
    _reconciliation(wb.create_sheet("Avstämning"), report)
    _about(wb.create_sheet("Om rapporten"), report)
    return wb


def to_bytes(wb: Workbook, generated_at: datetime) -> bytes:
    """Serialise deterministically: fixed document dates and zip entry times."""
    stamp = generated_at.replace(tzinfo=None, microsecond=0)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "budget"
    wb.properties.lastModifiedBy = "budget"
    raw = io.BytesIO()
    wb.save(raw)
    return normalise_zip(raw.getvalue(), stamp)


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def normalise_zip(data: bytes, stamp: datetime) -> bytes:
    """Rewrite a zip with fixed timestamps and a stable entry order.

    openpyxl stamps ``dcterms:modified`` with the wall clock at save time; it
    is replaced by ``stamp`` so that the same report gives the same bytes.
    """
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + iso + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, content)
    return out.getvalue()


def render(report: Report) -> bytes:
    return to_bytes(workbook(report), report.generated_at)


def ledger_workbook(sheet: str, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> bytes:
    """Rows as a plain workbook with the contract's headers (``budget sie``): amounts as
    numbers with two decimals, codes as text, the same bytes for the same rows."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    formats = [
        "0" if c in ("År", "Period") else "#,##0.00" if c == "Belopp" else None for c in columns
    ]
    table(ws, columns, [[row.get(c) for c in columns] for row in rows], formats)
    return to_bytes(book, datetime(1980, 1, 1))
