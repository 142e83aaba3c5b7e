"""Att granska (contract §7): what a politician, the stadsledningskontor or a revisor should
ask about the figures.

``CODES`` is the one registry of review codes: each record is a code, its Swedish label and
its rule, a function of the figures (``Facts``) returning its items. ``review`` runs them in
the registry's order, which is the order of the list in the document. A rule that needs an
input the folder lacks finds nothing to ask about. A new code is one function and one record
here (and the fact it needs on ``Facts``); the document, the JSON and the workbook follow.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from budget.core import analysis as analysis_text
from budget.core import fmt
from budget.core.analysis import Analysis
from budget.core.changes import ADJUSTMENT, GRANTED, REQUESTED, TURNOVER, Change
from budget.core.investments import Project
from budget.core.lines import Line
from budget.core.measures import Measure
from budget.core.register import WORSENING, HistoryPoint, worsening


@dataclass(frozen=True)
class Item:
    """One question: its code, the verksamhetsområde it concerns (None: the nämnd as a
    whole), the message, and the investment project it concerns, if any. The document marks
    it beside that project's row, else beside the area's row, and lists it."""

    code: str
    area: str | None
    message: str
    project: str | None = None


@dataclass(frozen=True)
class Facts:
    """What the rules look at."""

    lines: Sequence[Line]
    unit: str
    threshold: int  # öre: [granskning] underskott, default half the report's unit
    measures: Sequence[Measure] = ()
    changes: Sequence[Change] = ()
    manual_areas: frozenset[str] = frozenset()
    projects: Sequence[Project] = ()
    decision: Sequence[str] = ()
    history: Sequence[HistoryPoint] = ()
    analysis: Analysis | None = None  # analys.docx, its parts (None: the folder has none)


def threshold(unit: str, given: int | None) -> int:
    """The review's threshold in öre: namnd.toml's, else half the report's unit."""
    return given if given is not None else int(fmt.UNIT_DIVISOR[unit] // 2)


def _money(ore: int, unit: str, signed: bool = False) -> str:
    return fmt.money_with_unit(ore, unit, signed=signed)


def deficit_without_measure(f: Facts) -> list[Item]:
    """underskott-utan-atgard: an area's deficit beyond the threshold with no åtgärd."""
    with_measure = {m.area for m in f.measures}
    return [
        Item(
            "underskott-utan-atgard",
            ln.area,
            f"Prognosen visar ett underskott på {_money(-ln.variance.net, f.unit)} men "
            "atgarder.xlsx har ingen åtgärd för området.",
        )
        for ln in f.lines
        if ln.is_area
        and not ln.is_unallocated
        and ln.variance.net < -f.threshold
        and ln.area not in with_measure
    ]


def adjustment_at_surplus(f: Facts) -> list[Item]:
    """budgetjustering-vid-overskott: a budgetjustering granted or requested for an area
    whose forecast shows a surplus larger than the adjustment."""
    variance = {ln.area: ln.variance.net for ln in f.lines if ln.is_area}
    added: dict[str, int] = {}
    for c in f.changes:
        if c.kind == ADJUSTMENT and c.status in (GRANTED, REQUESTED):
            added[c.area] = added.get(c.area, 0) + (c.costs - c.revenues)
    return [
        Item(
            "budgetjustering-vid-overskott",
            area,
            f"Området har fått eller begär en budgetjustering på {_money(amount, f.unit)}, "
            f"men prognosen visar ett överskott på {_money(variance[area], f.unit)}, större "
            "än justeringen.",
        )
        for area, amount in added.items()
        if amount > 0 and variance.get(area, 0) > amount
    ]


def turnover_not_in_forecast(f: Facts) -> list[Item]:
    """omslutning-saknas-i-prognos: a requested omslutningsförändring on a manuell area
    whose revenue forecast falls short of the revised revenue budget by more than half of
    it, so the units' forecasts do not seem to contain it."""
    out = []
    for c in f.changes:
        if c.kind != TURNOVER or c.status != REQUESTED or c.area not in f.manual_areas:
            continue
        if c.revenues <= 0:
            continue
        line = next((ln for ln in f.lines if ln.area == c.area and ln.subarea == c.subarea), None)
        if line is None:
            continue
        short = -line.variance.revenues
        if short * 2 > c.revenues:
            where = c.area if c.subarea is None else f"{c.area} › {c.subarea}"
            out.append(
                Item(
                    "omslutning-saknas-i-prognos",
                    c.area,
                    f"{where}: den begärda omslutningsförändringen "
                    f"({_money(c.revenues, f.unit)}, {c.description}) verkar saknas i "
                    f"enheternas prognos: intäkterna prognostiseras "
                    f"{_money(short, f.unit)} under budgeten efter förändringen.",
                )
            )
    return out


def investment_without_decision(f: Facts) -> list[Item]:
    """investering-utan-beslut: a project needing a decision that the förslag till beslut
    lacks."""
    return [
        Item(
            "investering-utan-beslut",
            p.area,
            f"Projektet {p.name} ({p.project}) behöver beslut om {p.decision}, men förslaget "
            "till beslut saknar det.",
            project=p.project,
        )
        for p in f.projects
        if p.decision is not None and not any(f"({p.project})" in point for point in f.decision)
    ]


def forecast_worsening(f: Facts) -> list[Item]:
    """prognos-forsamras: an area whose forecast net fell by more than half the report's
    unit in each of the last two reports of the year (contract §8)."""
    return [
        Item(w.code, w.area, w.message(f.unit)) for w in worsening(f.history, fmt.half_unit(f.unit))
    ]


def analysis_missing(f: Facts) -> list[Item]:
    """analys-saknas: an area whose deviation is beyond the threshold and that has no
    analysis text (for itself or a delområde)."""
    return [
        Item("analys-saknas", area, message)
        for area, message in analysis_text.missing(f.analysis, f.lines, f.threshold, f.unit)
    ]


def analysis_figure(f: Facts) -> list[Item]:
    """analys-siffra: a figure in an area's text that the report contradicts (the sign
    against its word, or an amount beyond the report's rounding)."""
    if f.analysis is None:
        return []
    _, items = analysis_text.check_figures(f.analysis, f.lines, f.unit)
    return [Item("analys-siffra", area, message) for area, message in items]


@dataclass(frozen=True)
class Code:
    """A review code: its name (JSON ``review[].code``), its label in the document and the
    rule that finds its items."""

    code: str
    label: str
    rule: Callable[[Facts], list[Item]]


CODES: tuple[Code, ...] = (
    Code("underskott-utan-atgard", "Underskott utan åtgärd", deficit_without_measure),
    Code("budgetjustering-vid-overskott", "Budgetjustering trots överskott", adjustment_at_surplus),
    Code(
        "omslutning-saknas-i-prognos",
        "Begärd omslutningsförändring saknas i prognosen",
        turnover_not_in_forecast,
    ),
    Code(
        "investering-utan-beslut",
        "Investering som behöver beslut saknas i förslaget",
        investment_without_decision,
    ),
    Code("analys-saknas", "Avvikelse utan analys", analysis_missing),
    Code("analys-siffra", "Siffra i analysen som rapporten motsäger", analysis_figure),
    Code(
        WORSENING,
        "Prognosen har försämrats i två rapporter i rad",
        forecast_worsening,
    ),
)

LABELS: dict[str, str] = {c.code: c.label for c in CODES}


def review(f: Facts) -> tuple[Item, ...]:
    """Every item of every code, in the registry's order."""
    return tuple(item for c in CODES for item in c.rule(f))
