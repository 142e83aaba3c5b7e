"""``budget stad`` (contract §10): the nämnder's reports in one folder consolidated into the
city's report (HTML, Excel, JSON) and the office's workbook of positions, prefilled.

read (reports, stad.toml, the office's workbook, the ledgers' Parquet) -> choose the year
and period -> consolidate (core.city) -> render -> write all files or none.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from budget import __version__
from budget.core.city import (
    City,
    CityRow,
    Position,
    Trade,
    TradeFlow,
    TradeRow,
    fold,
    indicators,
    match_trade,
)
from budget.core.period import Period
from budget.diagnostics import Diagnostic, InputErrors, OutputError, errors, os_reason


@dataclass(frozen=True)
class CityWritten:
    city: City
    paths: list[Path]
    diagnostics: list[Diagnostic]


def stem(year: int, period: int) -> str:
    return f"stad-{year}-{Period(year, period).suffix}"


def _trade(
    folder: Path | None,
    city_namnder: list[str],
    codes: dict[str, str],
    year: int,
    period: int,
    tolerance: int,
) -> tuple[Trade | None, list[Diagnostic]]:
    from budget.edge import huvudbok

    if folder is None or not folder.is_dir():
        return None, []
    paths = huvudbok.parquet_files(folder)
    diags = huvudbok.check_files(paths)
    if errors(diags) or not paths:
        return None, diags
    try:
        sums = huvudbok.trade_sums(paths, year, period, sorted(codes))
    except huvudbok.Unreadable as exc:
        return None, [*diags, exc.diagnostic]
    present = {p.name for p in paths}
    no_ledger = tuple(
        n for n in city_namnder if f"{huvudbok.slug(n)}-{year}.parquet" not in present
    )
    files = tuple(f"{huvudbok.FOLDER}/{p.name}" for p in paths)
    trade = match_trade(sums, codes, tolerance, files, no_ledger)
    by_name = {fold(n): c for c, n in codes.items()}

    def sides(flow: TradeFlow) -> list[tuple[str, str, str]]:
        return [
            (flow.seller, by_name[fold(flow.buyer)], "sales"),
            (flow.buyer, by_name[fold(flow.seller)], "purchases"),
        ]

    odd = [f for f in trade.flows if abs(f.difference) > tolerance]
    try:
        found = huvudbok.trade_rows(paths, year, period, [k for f in odd for k in sides(f)])
    except huvudbok.Unreadable as exc:
        return None, [*diags, exc.diagnostic]
    flows = [
        replace(
            f,
            rows=tuple(
                TradeRow(side, namnd, *row)
                for namnd, code, side in sides(f)
                for row in found.get((namnd, code, side), [])
            ),
        )
        if f in odd
        else f
        for f in trade.flows
    ]
    return replace(trade, flows=tuple(flows)), diags


def build_city(
    folder: Path,
    year: int | None,
    period: int | None,
    generated_at: datetime,
    positions_path: Path | None = None,
    ledgers: Path | None = None,
) -> tuple[City, list[Diagnostic]]:
    """The city from the reports in ``folder``; raises InputErrors (nothing to write)."""
    from budget.edge import city as edge

    settings, diags = edge.read_settings(folder)
    reports, found = edge.read_reports(folder)
    diags += found
    if errors(diags):
        raise InputErrors(diags)
    chosen, found = edge.choose(reports, year, period)
    diags += found
    if chosen is None or errors(diags):
        raise InputErrors(diags)
    suffix = Period(chosen.year, chosen.period).suffix
    book = positions_path or folder / edge.positions_book(chosen.year, suffix)
    positions: dict[tuple[str, int], Position] = {}
    comments: dict[str, str] = {}
    if positions_path is not None or book.is_file():
        positions, comments, found = edge.read_positions(book, chosen.current)
        diags += found
        if errors(diags):
            raise InputErrors(diags)
    expected = {fold(n): n for n in settings.namnder}
    reported = {fold(r.namnd): r for r in chosen.current}
    order = [reported[k] for k in expected if k in reported] + sorted(
        (r for k, r in reported.items() if k not in expected), key=lambda r: fold(r.namnd)
    )
    unexpected = tuple(r.namnd for k, r in reported.items() if expected and k not in expected)
    for name in unexpected:
        diags.append(
            Diagnostic(
                "W323",
                f"{name} har rapporterat men står inte i stad.toml; rapporten räknas med",
                file=edge.SETTINGS,
                cell="namnder",
                value=name,
            )
        )
    trade, found = _trade(
        ledgers if ledgers is not None else folder / "huvudbok",
        [r.namnd for r in order],
        settings.motpart,
        chosen.year,
        chosen.period,
        settings.tolerance,
    )
    diags += found
    if errors(diags):
        raise InputErrors(diags)
    names = [*settings.namnder, *(r.namnd for r in order)]
    city = City(
        stad=settings.stad,
        year=chosen.year,
        period=chosen.period,
        rows=tuple(CityRow(r, comments.get(fold(r.namnd), "")) for r in order),
        missing=tuple(n for k, n in expected.items() if k not in reported),
        unexpected=unexpected,
        excluded=tuple(chosen.excluded),
        requested=tuple(c for r in order for c in r.requested),
        positions=positions,
        indicators=indicators(chosen.history, names, chosen.year, settings.base),
        base=settings.base,
        limit=settings.limit,
        trade=trade,
        generated_at=generated_at.isoformat(),
        version=__version__,
        warnings=tuple(chosen.notes),
    )
    return city, diags


def make_city(
    folder: Path,
    year: int | None,
    period: int | None,
    out_dir: Path,
    generated_at: datetime,
    positions_path: Path | None = None,
    ledgers: Path | None = None,
) -> CityWritten:
    """Build the city and write its four files, all or none."""
    from budget.edge.city import positions_book
    from budget.edge.write import write_all
    from budget.report.city import html, json, xlsx

    city, diags = build_city(folder, year, period, generated_at, positions_path, ledgers)
    name = stem(city.year, city.period)
    files = {
        f"{name}.html": html.render(city),
        f"{name}.json": json.render(city),
        f"{name}.xlsx": xlsx.render(city, generated_at),
        positions_book(city.year, Period(city.year, city.period).suffix): xlsx.positions_workbook(
            city, generated_at
        ),
    }
    try:
        return CityWritten(city, write_all(out_dir, files), diags)
    except OSError as exc:
        where = exc.filename or out_dir
        raise OutputError(
            f"stadens rapport kan inte skrivas till {where} ({os_reason(exc)})"
        ) from exc
