"""Checks across files: references, consistency, and warnings about suspicious data.

Each check is a function of frames (each row carrying its ``file``, ``sheet`` and ``row``),
settings and the column letters (``Cells``) that returns diagnostics; none reads a file.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import polars as pl

from budget.core import changes as ch
from budget.core import fmt
from budget.core.forecast import METHODS, Basis
from budget.core.frames import Cells
from budget.core.ledger import side_expr
from budget.core.money import round_micro
from budget.core.names import closest, normalize_header
from budget.core.settings import Settings
from budget.diagnostics import Diagnostic


def area_references(
    structure: pl.DataFrame, referring: list[pl.DataFrame | None], cells: Cells
) -> list[Diagnostic]:
    """Areas named in forandringar.xlsx, prognos.xlsx and volymer.xlsx must exist in struktur."""
    areas = set(structure["area"].to_list())
    if not areas:
        return []
    subareas = {(a, s) for a, s in structure.select("area", "subarea").iter_rows()}
    out = []
    for frame in referring:
        if frame is None:
            continue
        for r in frame.iter_rows(named=True):
            file, sheet, row = r["file"], r["sheet"], r["row"]
            if r["area"] not in areas:
                out.append(
                    Diagnostic(
                        "E202",
                        f"verksamhetsområdet {r['area']!r} finns inte i struktur.xlsx"
                        + _guess(r["area"], sorted(areas)),
                        file=file,
                        sheet=sheet,
                        cell=cells.cell(file, sheet, "Verksamhetsområde", row),
                        column="Verksamhetsområde",
                        value=r["area"],
                        expected=", ".join(sorted(areas)),
                    )
                )
            elif r["subarea"] is not None and (r["area"], r["subarea"]) not in subareas:
                out.append(
                    Diagnostic(
                        "E202",
                        f"delområdet {r['subarea']!r} finns inte under {r['area']}"
                        + (
                            _guess(r["subarea"], under)
                            if (under := _subareas_of(subareas, r["area"]))
                            else f"; {r['area']} har inga delområden i struktur.xlsx, lämna "
                            "Delområde tom"
                        ),
                        file=file,
                        sheet=sheet,
                        cell=cells.cell(file, sheet, "Delområde", row),
                        column="Delområde",
                        value=r["subarea"],
                        expected=", ".join(_subareas_of(subareas, r["area"])) or "tomt",
                    )
                )
    return out


def _guess(name: str, known: list[str]) -> str:
    """ "; menade du 'X'?" for the known name closest to ``name``, or nothing."""
    near = closest(name, known)
    return f"; menade du {near!r}?" if near is not None else ""


def _subareas_of(subareas: set[tuple[str, str | None]], area: str) -> list[str]:
    return sorted(s for a, s in subareas if a == area and s)


def unit_rows(
    forecasts: pl.DataFrame | None,
    structure: pl.DataFrame,
    responsibilities: pl.DataFrame | None,
    cells: Cells,
) -> list[Diagnostic]:
    """A unit's row in prognos.xlsx (contract §4) names its ansvar and verksamhet, and the
    verksamhet belongs to the row's area and delområde: else its forecast would be summed
    into a place the structure does not put it, or lost to the whole area's rows."""
    if forecasts is None:
        return []
    leaf = {v: (a, s) for v, a, s in structure.select("verksamhet", "area", "subarea").iter_rows()}
    known = None if responsibilities is None else set(responsibilities["ansvar"].to_list())
    out = []
    seen: dict[tuple[str, str, int | None], int] = {}
    for r in forecasts.iter_rows(named=True):
        ansvar, verksamhet = r["ansvar"], r["verksamhet"]
        if ansvar is not None and verksamhet is not None:
            # One row per unit cell in each collection (a register holds every period's).
            first = seen.setdefault((ansvar, verksamhet, r.get("period")), r["row"])
            if first != r["row"]:  # summed, it would count the unit's forecast twice
                out.append(
                    Diagnostic(
                        "E217",
                        f"ansvar {ansvar} och verksamhet {verksamhet} finns redan på rad {first}",
                        **_at(r, cells, "Verksamhet"),
                        value=verksamhet,
                        expected="en rad per ansvar och verksamhet (och period)",
                    )
                )
                continue
        at = partial(_at, r, cells)
        if ansvar is None and verksamhet is None:
            continue  # a row for the whole area or delområde
        if ansvar is None or verksamhet is None:
            missing = "Ansvar" if ansvar is None else "Verksamhet"
            out.append(
                Diagnostic(
                    "E103",
                    f"en enhets rad behöver både Ansvar och Verksamhet; {missing} saknas",
                    **at(missing),
                    expected="ansvar och verksamhet, eller ingen av dem för hela området",
                )
            )
        elif known is not None and ansvar not in known:
            out.append(
                Diagnostic(
                    "E213",
                    f"ansvar {ansvar} finns inte i struktur.xlsx, bladet Ansvar",
                    **at("Ansvar"),
                    value=ansvar,
                    expected="ett ansvar i bladet Ansvar",
                )
            )
        elif verksamhet not in leaf:
            out.append(
                Diagnostic(
                    "E216",
                    f"verksamhetskoden {verksamhet} finns inte i struktur.xlsx",
                    **at("Verksamhet"),
                    value=verksamhet,
                    expected="en kod i bladet Verksamheter",
                )
            )
        elif leaf[verksamhet][0] != r["area"] or (
            r["subarea"] is not None and leaf[verksamhet][1] != r["subarea"]
        ):
            place = " › ".join(p for p in leaf[verksamhet] if p)
            out.append(
                Diagnostic(
                    "E216",
                    f"verksamhet {verksamhet} hör till {place}, inte till radens område",
                    **at("Verksamhet"),
                    value=verksamhet,
                    expected=f"en verksamhet under {r['area']}"
                    + (f" › {r['subarea']}" if r["subarea"] else ""),
                )
            )
    return out


def _at(r: dict[str, Any], cells: Cells, column: str) -> dict[str, Any]:
    """Where a row's value sits: file, sheet, cell and column, for a Diagnostic."""
    file, sheet = r["file"], r["sheet"]
    return {
        "file": file,
        "sheet": sheet,
        "cell": cells.cell(file, sheet, column, r["row"]),
        "column": column,
    }


def change_rules(changes: pl.DataFrame | None, cells: Cells) -> list[Diagnostic]:
    """Omslutningsförändringar are balanced; a requested dnr must not be granted already."""
    out = []
    items = ch.from_frame(changes)
    granted = {c.diarienummer for c in items if c.status == ch.GRANTED and c.diarienummer}
    for c in items:
        if c.kind == ch.TURNOVER and c.costs != c.revenues:
            out.append(
                Diagnostic(
                    "E203",
                    "omslutningsförändringen ändrar kostnader och intäkter olika mycket",
                    file=c.file,
                    sheet=c.sheet,
                    cell=cells.cell(c.file, c.sheet, "Intäkter", c.row),
                    column="Intäkter",
                    value=f"kostnader {fmt.exact(c.costs)}, intäkter {fmt.exact(c.revenues)}",
                    expected="samma belopp för kostnader och intäkter",
                )
            )
        if c.kind == ch.ADJUSTMENT and c.costs == c.revenues:
            out.append(
                Diagnostic(
                    "W310",
                    "budgetjusteringen ändrar kostnader och intäkter lika mycket",
                    file=c.file,
                    sheet=c.sheet,
                    cell=cells.cell(c.file, c.sheet, "Typ", c.row),
                    column="Typ",
                    value="Budgetjustering",
                    expected="Omslutningsförändring, eller olika belopp",
                )
            )
        if c.status == ch.REQUESTED and c.diarienummer in granted:
            out.append(
                Diagnostic(
                    "W305",
                    f"diarienummer {c.diarienummer} finns redan som beviljad förändring",
                    file=c.file,
                    sheet=c.sheet,
                    cell=cells.cell(c.file, c.sheet, "Diarienummer", c.row),
                    column="Diarienummer",
                    value=c.diarienummer,
                )
            )
    return out + _requested_again(items, cells)


def _requested_again(items: list[ch.Change], cells: Cells) -> list[Diagnostic]:
    """W305 for a diarienummer the register requests in two reports: one ärende is asked
    for once (its rows, one per area, all in the same report)."""
    out = []
    first: dict[str, ch.Change] = {}
    dated = [c for c in items if c.requested_in is not None and c.diarienummer]
    for c in sorted(dated, key=lambda c: (c.requested_in or 0, c.row)):
        dnr = str(c.diarienummer)
        seen = first.setdefault(dnr, c)
        if seen.requested_in == c.requested_in:
            continue
        out.append(
            Diagnostic(
                "W305",
                f"diarienummer {dnr} begärs i rapporten för period {c.requested_in} men "
                f"begärdes redan i rapporten för period {seen.requested_in} (se "
                f"{cells.cell(seen.file, seen.sheet, 'Begärd i', seen.row)})",
                file=c.file,
                sheet=c.sheet,
                cell=cells.cell(c.file, c.sheet, "Diarienummer", c.row),
                column="Diarienummer",
                value=dnr,
                expected="ett ärende begärt i en rapport; en senare begäran med eget diarienummer",
            )
        )
    return out


FORECAST_FILE, FORECAST_SHEET = "prognos.xlsx", "Prognos"


def anslag_areas(
    settings: Settings, leaves_by_area: dict[str, list[str | None]]
) -> list[Diagnostic]:
    """An area [anslag] names must be one of the report's: a misspelt one would otherwise
    leave its area in Nämndens verksamhet unseen."""
    out = []
    areas = {normalize_header(a) for a in leaves_by_area}
    for name, named in settings.anslag:
        for area in named:
            if normalize_header(area) not in areas:
                what = f"anslaget {name!r} nämner ett okänt verksamhetsområde {area!r}"
                out.append(_unknown_area(what, f"anslag.{name}", area, leaves_by_area))
    return out


def volume_measures(
    settings: Settings,
    volumes: pl.DataFrame | None,
    leaves_by_area: dict[str, list[str | None]],
) -> list[Diagnostic]:
    """[volym] "område" = "Mått" must name an area or delområde of the report that has
    that measure in volymer.xlsx for the year: else the split it asks for would silently
    not be made (contract §9)."""
    out = []
    names: dict[str, tuple[str, str | None]] = {
        normalize_header(a): (a, None) for a in leaves_by_area
    }
    for area, subs in leaves_by_area.items():
        names.update({normalize_header(s): (area, s) for s in subs if s is not None})
    have: dict[tuple[str, str | None], list[str]] = {}
    if volumes is not None:
        this_year = volumes.filter(pl.col("year") == settings.year)
        for a, s, m in (
            this_year.select("area", "subarea", "measure").unique(maintain_order=True).iter_rows()
        ):
            have.setdefault((a, s), []).append(m)
    for key, measure in settings.volume_measures.items():
        leaf = names.get(normalize_header(key))
        if leaf is None:
            out.append(
                Diagnostic(
                    "E011",
                    f"[volym] nämner ett okänt verksamhetsområde eller delområde {key!r}",
                    file="namnd.toml",
                    column=f"volym.{key}",
                    value=key,
                    expected=", ".join(sorted(leaf[1] or leaf[0] for leaf in names.values())),
                )
            )
            continue
        found = have.get(leaf, [])
        if not any(normalize_header(m) == normalize_header(measure) for m in found):
            out.append(
                Diagnostic(
                    "E011",
                    f"[volym] säger att {measure!r} förklarar {key}, men volymer.xlsx har "
                    f"inget sådant mått för {key} {settings.year}",
                    file="namnd.toml",
                    column=f"volym.{key}",
                    value=measure,
                    expected=", ".join(found) if found else f"rader i volymer.xlsx för {key}",
                )
            )
    return out


def _unknown_area(
    what: str, key: str, value: str, leaves_by_area: dict[str, list[str | None]]
) -> Diagnostic:
    """E011: namnd.toml names an area (or delområde) the structure does not have."""
    return Diagnostic(
        "E011",
        what,
        file="namnd.toml",
        column=key,
        value=value,
        expected=", ".join(sorted(leaves_by_area)),
    )


def method_bases(
    settings: Settings,
    forecasts: pl.DataFrame | None,
    volumes: pl.DataFrame | None,
    leaves_by_area: dict[str, list[str | None]],
    forecast_errors: bool,
) -> list[Diagnostic]:
    """An area forecast manually needs a prognos.xlsx row for each of its leaves, and one
    forecast by volume needs volumes. ``forecast_errors``: prognos.xlsx had a bad cell
    (its rows are left out, so they are not called missing too)."""
    out = []
    have = set()
    file, sheet = FORECAST_FILE, FORECAST_SHEET
    # Forecasts collected from the units (rows with Ansvar): a leaf none of whose units
    # returned one takes the reserve method, and the report says so.
    collected = forecasts is not None and forecasts["ansvar"].drop_nulls().len() > 0
    if forecasts is not None:
        have = {(a, s) for a, s in forecasts.select("area", "subarea").iter_rows()}
        if forecasts.height:
            file, sheet = forecasts["file"][0], forecasts["sheet"][0]
    names = {normalize_header(a) for a in leaves_by_area}
    names |= {normalize_header(s) for subs in leaves_by_area.values() for s in subs if s}
    for key in settings.methods:
        if normalize_header(key) not in names:
            what = f"prognosmetod anges för ett okänt verksamhetsområde eller delområde {key!r}"
            out.append(_unknown_area(what, f"prognos.{key}", key, leaves_by_area))
    volume_leaves = set()
    if volumes is not None:
        this_year = volumes.filter(pl.col("year") == settings.year)
        volume_leaves = {(a, s) for a, s in this_year.select("area", "subarea").iter_rows()}
    for area, subs in sorted(leaves_by_area.items()):
        for sub in subs:
            method = settings.method_for(area, sub)
            needs = METHODS[method].needs
            where = f"{area} › {sub}" if sub else area
            if (
                Basis.UNIT_FORECASTS in needs
                and not forecast_errors
                and not collected
                and (area, sub) not in have
            ):
                out.append(
                    Diagnostic(
                        "E205",
                        f"{where} har metoden {method.value} men ingen rad i {file}",
                        file=file,
                        sheet=sheet,
                        column="Verksamhetsområde",
                        value=where,
                        expected="en rad per område och delområde",
                    )
                )
            if Basis.VOLUMES in needs and (area, sub) not in volume_leaves:
                missing = (
                    "volymer.xlsx saknas"
                    if volumes is None
                    else f"volymer.xlsx har inga rader för {where} {settings.year}"
                )
                out.append(
                    Diagnostic(
                        "E209",
                        f"{where} har metoden {method.value}, men {missing}",
                        file="namnd.toml",
                        column=f"prognos.{sub or area}",
                        value=method.value,
                        expected="volymer per månad med pris, eller en annan metod",
                    )
                )
    return out


def ledger_warnings(
    ledger: pl.DataFrame,
    structure: pl.DataFrame,
    budget: pl.DataFrame,
    year: int,
    period: int,
    cells: Cells,
) -> list[Diagnostic]:
    """Legal but suspicious: rows after the year, missing months, unmapped codes, negative
    cost accounts, rows outside the operating result."""
    this_year = ledger.filter(pl.col("year") == year)
    to_date = this_year.filter(pl.col("period") <= period)
    mapped = list(set(structure["verksamhet"].to_list()))
    return [
        *_later_years(ledger, year, cells),
        *_missing_months(this_year, year, period),
        *_unmapped(
            this_year,
            mapped,
            cells,
            "verksamhetskoden {code} finns inte i struktur.xlsx ({n} rader)",
        ),
        *_unmapped(
            budget, mapped, cells, "verksamhetskoden {code} i budgeten finns inte i struktur.xlsx"
        ),
        *_negative_costs(to_date),
        *_excluded(to_date),
    ]


def _first_cell(frame: pl.DataFrame, column: str, cells: Cells) -> dict[str, str]:
    """file, sheet and cell of a frame's first row, for a diagnostic."""
    first = frame.row(0, named=True)
    return {
        "file": first["file"],
        "sheet": first["sheet"],
        "cell": cells.cell(first["file"], first["sheet"], column, first["row"]),
    }


def _later_years(ledger: pl.DataFrame, year: int, cells: Cells) -> list[Diagnostic]:
    later = ledger.filter(pl.col("year") > year)
    if not later.height:
        return []
    return [
        Diagnostic(
            "W302",
            f"{later.height} rader gäller år efter {year} och ingår inte",
            column="År",
            value=str(later["year"][0]),
            **_first_cell(later, "År", cells),
        )
    ]


def _missing_months(this_year: pl.DataFrame, year: int, period: int) -> list[Diagnostic]:
    months = set(this_year["period"].unique().to_list())
    return [
        Diagnostic(
            "W303", f"månad {m} {year} har inga bokförda rader", column="Period", value=str(m)
        )
        for m in range(1, period + 1)
        if m not in months
    ]


def _unmapped(
    frame: pl.DataFrame, mapped: list[str], cells: Cells, message: str
) -> list[Diagnostic]:
    """W301 for each verksamhet code struktur.xlsx does not know, at its first row."""
    unmapped = (
        frame.filter(~pl.col("verksamhet").is_in(mapped))
        .group_by("verksamhet")
        .agg(pl.col("file").first(), pl.col("sheet").first(), pl.col("row").first(), pl.len())
        .sort("verksamhet")
    )
    return [
        Diagnostic(
            "W301",
            message.format(code=code, n=n),
            file=file,
            sheet=sheet,
            cell=cells.cell(file, sheet, "Verksamhet", row),
            column="Verksamhet",
            value=code,
        )
        for code, file, sheet, row, n in unmapped.iter_rows()
    ]


def _negative_costs(to_date: pl.DataFrame) -> list[Diagnostic]:
    """W304 for a cost account whose sum to date is negative (across all files)."""
    negative = (
        to_date.filter(side_expr() == "costs")
        .group_by("konto")
        .agg(pl.col("amount").cast(pl.Int128).sum())
        .filter(pl.col("amount") < 0)
        .sort("konto")
    )
    return [
        Diagnostic(
            "W304",
            f"kostnadskonto {konto} har negativ summa hittills i år "
            f"({fmt.exact(round_micro(amount))})",
            column="Konto",
            value=konto,
        )
        for konto, amount in negative.iter_rows()
    ]


def _excluded(to_date: pl.DataFrame) -> list[Diagnostic]:
    """W307: rows on accounts outside the operating result (classes 1, 2, 8)."""
    excluded = to_date.filter(side_expr() == "excluded")
    if not excluded.height:
        return []
    excluded_sum = round_micro(int(excluded["amount"].cast(pl.Int128).sum()))
    return [
        Diagnostic(
            "W307",
            f"{excluded.height} rader på konton utanför resultatet redovisas som "
            f"exkluderade ({fmt.exact(excluded_sum)})",
            column="Konto",
        )
    ]


def budget_warnings(budget: pl.DataFrame, year: int, cells: Cells) -> list[Diagnostic]:
    """W313: budget rows that no figure uses (accounts outside the operating result, or a
    year other than the report year and the one before, which the track record uses)."""
    if not budget.height:
        return []
    out = []
    kinds = (
        (
            (pl.col("year") == year) & (side_expr() == "excluded"),
            "på konton utanför resultatet (klass 1, 2 eller 8)",
            "Konto",
        ),
        (~pl.col("year").is_in([year, year - 1]), f"för andra år än {year - 1} och {year}", "År"),
    )
    for where, what, column in kinds:
        rows = budget.filter(where).sort("row")
        if rows.height:
            file, sheet = rows["file"][0], rows["sheet"][0]
            exact = int(rows["amount"].cast(pl.Int128).sum())
            out.append(
                Diagnostic(
                    "W313",
                    f"{rows.height} {'budgetrad' if rows.height == 1 else 'budgetrader'} "
                    f"{what} ingår inte i rapporten "
                    f"({fmt.exact(round_micro(exact))})",
                    file=file,
                    sheet=sheet,
                    cell=cells.cell(file, sheet, column, rows["row"][0]),
                    column=column,
                    value=str(rows[column.lower() if column == "Konto" else "year"][0]),
                )
            )
    return out


def goal_references(
    indicators: pl.DataFrame | None, assessments: pl.DataFrame | None, cells: Cells
) -> list[Diagnostic]:
    """Every goal assessed in Bedömningar must exist in Indikatorer."""
    if assessments is None or indicators is None:
        return []
    known = {
        "inriktningsmal": set(indicators["direction_goal"].to_list()),
        "vomal": set(indicators["area_goal"].to_list()),
    }
    out = []
    for r in assessments.iter_rows(named=True):
        if r["goal"] not in known[r["level"]]:
            level = "inriktningsmål" if r["level"] == "inriktningsmal" else "verksamhetsområdesmål"
            file, sheet = r["file"], r["sheet"]
            out.append(
                Diagnostic(
                    "E207",
                    f"{level}et {r['goal']!r} finns inte i bladet Indikatorer",
                    file=file,
                    sheet=sheet,
                    cell=cells.cell(file, sheet, "Mål", r["row"]),
                    column="Mål",
                    value=r["goal"],
                    expected="ett mål med samma namn i bladet Indikatorer",
                )
            )
    return out
