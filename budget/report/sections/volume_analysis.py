"""Volym och pris (contract §9): per area or delområde with a measure, the cost variance
split into a volume effect and a price effect, in words, a table and a chart, with the
cost per unit against budget and last year.

The split is ``core.volumes.PriceVolume``: exact to the öre. What is shown in the report's
unit is rounded here (``fmt``) so that the shown parts add up to the shown whole: the cost
variance and the volume effect are rounded, the price effect shown is their difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, NotRequired

import plotly.graph_objects as go
from openpyxl.worksheet.worksheet import Worksheet
from plotly.subplots import make_subplots
from pydantic import Field
from typing_extensions import TypedDict

from budget.core import fmt
from budget.core.money import kronor, round_ore
from budget.core.volumes import PriceVolume
from budget.report.context import Context
from budget.report.model import Report
from budget.report.render import charts
from budget.report.render.xlsx import amount_format, table
from budget.report.sections.base import Amount, Section, Sheet, Text


def build(ctx: Context) -> tuple[PriceVolume, ...]:
    return ctx.figures.volume_analysis


def shows(report: Report) -> bool:
    return bool(SECTION.data(report))


def _per_unit(value: Fraction | None) -> float | None:
    """Öre per unit as kronor per unit with öre (JSON and workbook)."""
    return None if value is None else round(float(Fraction(round_ore(value), 100)), 2)


def _count(value: Fraction) -> float:
    return round(float(value), 2)


def _volume(value: Fraction | None) -> float | None:
    return None if value is None else _count(value)


Volume = Annotated[float, Field(ge=0)]


class PriceVolumeJson(TypedDict):
    area: Text
    subarea: str | None
    measure: Text
    explains: NotRequired[bool]
    budget_volume: Volume
    forecast_volume: Volume
    actual_volume: NotRequired[Volume]
    budget_price: float | None
    budget_price_given: NotRequired[bool]
    forecast_price: float | None
    last_year_volume: NotRequired[float | None]
    last_year_price: NotRequired[float | None]
    budget_cost: NotRequired[Amount]
    forecast_cost: NotRequired[Amount]
    volume_effect: Amount | None
    price_effect: Amount | None
    cost_variance: Amount
    budget_residual: NotRequired[Amount]


class VolumeAnalysisJson(TypedDict):
    volume_analysis: NotRequired[
        Annotated[
            list[PriceVolumeJson],
            Field(
                description=(
                    "Contract §9: per area or delområde with a measure, the cost variance "
                    "split into a volume effect and a price effect (kronor, report signs: "
                    "negative = worse than budget) that add up to the cost variance to the "
                    "öre. Volumes are in the measure's unit summed over the year; prices "
                    "kronor per unit. A measure with explains false is a key ratio only "
                    "(another measure of its leaf splits the variance, or it has no "
                    "budgeted price): its effects are null."
                )
            ),
        ]
    ]


def to_json(report: Report) -> VolumeAnalysisJson:
    return {
        "volume_analysis": [
            {
                "area": pv.area,
                "subarea": pv.subarea,
                "measure": pv.measure,
                "explains": pv.explains,
                "budget_volume": _count(pv.budget_volume),
                "forecast_volume": _count(pv.forecast_volume),
                "actual_volume": _count(pv.actual_to_date),
                "budget_price": _per_unit(pv.budget_price),
                "budget_price_given": pv.budget_price_given,
                "forecast_price": _per_unit(pv.forecast_price),
                "last_year_volume": _volume(pv.last_year_volume),
                "last_year_price": _per_unit(pv.last_year_price),
                "budget_cost": kronor(-pv.budget_cost),
                "forecast_cost": kronor(-pv.forecast_cost),
                "volume_effect": None if pv.volume_effect is None else kronor(pv.volume_effect),
                "price_effect": None if pv.price_effect is None else kronor(pv.price_effect),
                "cost_variance": kronor(pv.cost_variance),
                "budget_residual": kronor(pv.budget_residual),
            }
            for pv in SECTION.data(report)
        ]
    }


def _step(unit: str) -> int:
    """The last shown digit of ``unit`` in öre (0,1 mnkr, 1 tkr)."""
    return int(fmt.UNIT_DIVISOR[unit] / 10 ** fmt.UNIT_DECIMALS[unit])


def _shown(ore: int, unit: str) -> int:
    """An amount rounded to what the report shows, half away from zero, in öre."""
    step = _step(unit)
    return round_ore(Fraction(ore, step)) * step


@dataclass(frozen=True)
class Shown:
    """A split as the document shows it: the parts add up to the whole as printed."""

    total: str
    volume: str
    price: str


def shown_split(cost_variance: int, volume_effect: int, unit: str) -> Shown:
    whole, volume = _shown(cost_variance, unit), _shown(volume_effect, unit)
    return Shown(
        fmt.money(whole, unit, signed=True),
        fmt.money(volume, unit, signed=True),
        fmt.money(whole - volume, unit, signed=True),
    )


def volume_words(pv: PriceVolume) -> str:
    """'12 fler beslut än budgeterat': the forecast volume against the budgeted."""
    change = pv.volume_change
    count = fmt.number(abs(change), 0)
    if count == "0":
        return f"{pv.measure.lower()} som budgeterat"
    more = "fler" if change > 0 else "färre"
    return f"{count} {more} {pv.measure.lower()} än budgeterat"


def words(pv: PriceVolume, unit: str) -> str:
    """'−9,0 mnkr, varav volym −6,2 (12 fler beslut än budgeterat) och pris −2,8'."""
    assert pv.volume_effect is not None
    s = shown_split(pv.cost_variance, pv.volume_effect, unit)
    return (
        f"Kostnaden avviker {s.total}\u00a0{unit} mot budget, varav volym {s.volume} "
        f"({volume_words(pv)}) och pris {s.price}."
    )


def area_words(lines: list[PriceVolume], unit: str) -> str:
    """An area split over several delområden: the sums, and which delområden they are."""
    cost = sum(ln.cost_variance for ln in lines)
    volume = sum(ln.volume_effect or 0 for ln in lines)
    s = shown_split(cost, volume, unit)
    names = ", ".join(ln.subarea or ln.area for ln in lines)
    return (
        f"Kostnaden avviker {s.total}\u00a0{unit} mot budget i delområdena med volymmått "
        f"({names}), varav volym {s.volume} och pris {s.price}."
    )


def _kr(value: Fraction | None) -> str:
    return "–" if value is None else fmt.number(Decimal(round_ore(value)) / 100, 0)


def _ratio_change(now: Fraction | None, then: Fraction | None) -> str:
    if now is None or not then:
        return "–"
    change = (now - then) / then * 100
    return fmt.number(change, 1, signed=True) + "\u00a0%"


@dataclass(frozen=True)
class AreaBlock:
    area: str
    summary: str | None
    lines: tuple[PriceVolume, ...]


def blocks(report: Report) -> list[AreaBlock]:
    """Per area in order, its measures, and a sentence for the area where its split is the
    sum of several delområden's."""
    areas: dict[str, list[PriceVolume]] = {}
    for pv in SECTION.data(report):
        areas.setdefault(pv.area, []).append(pv)
    out = []
    for area, lines in areas.items():
        split = [ln for ln in lines if ln.explains]
        own = [ln for ln in split if ln.subarea is None]
        summary = area_words(split, report.unit) if len(split) > 1 and not own else None
        out.append(AreaBlock(area, summary, tuple(lines)))
    return out


def write_sheet(ws: Worksheet, report: Report) -> None:
    """One row per measure: volumes, prices, costs and the split, in kronor."""
    u = report.unit
    headers = [
        "Verksamhetsområde",
        "Delområde",
        "Mått",
        "Förklarar kostnaden",
        "Budgeterad volym",
        "Prognos volym",
        "Volym hittills",
        "Budgeterat pris (kr/enhet)",
        "Pris från",
        "Prognos pris (kr/enhet)",
        "Föregående år pris (kr/enhet)",
        f"Budgeterad kostnad ({u})",
        f"Prognos kostnad ({u})",
        f"Kostnadsavvikelse ({u})",
        f"Volymeffekt ({u})",
        f"Priseffekt ({u})",
    ]
    rows: list[list[Any]] = [
        [
            pv.area,
            pv.subarea or "",
            pv.measure,
            "Ja" if pv.explains else "Nej, nyckeltal",
            _volume(pv.budget_volume),
            _volume(pv.forecast_volume),
            _volume(pv.actual_to_date),
            _per_unit(pv.budget_price),
            "Budgeterat pris" if pv.budget_price_given else "Budget / volym",
            _per_unit(pv.forecast_price),
            _per_unit(pv.last_year_price),
            kronor(-pv.budget_cost),
            kronor(-pv.forecast_cost),
            kronor(pv.cost_variance),
            None if pv.volume_effect is None else kronor(pv.volume_effect),
            None if pv.price_effect is None else kronor(pv.price_effect),
        ]
        for pv in SECTION.data(report)
    ]
    money = amount_format(u)
    table(
        ws,
        headers,
        rows,
        [None, None, None, None]
        + ["#,##0.0"] * 3
        + ["#,##0.00", None, "#,##0.00", "#,##0.00"]
        + [money] * 5,
        widths=[30, 28, 20, 14, 14, 14, 14, 14, 16, 14, 14, 16, 16, 16, 16, 16],
    )


def chart(pv: PriceVolume) -> go.Figure:
    """One measure's volume and price against budget: left its volume per month (budget
    dashed, outcome solid), right its cost per unit per month against the budgeted price
    (dashed) and the forecast price for the year (dotted)."""
    months = list(range(1, 13))
    period = len(pv.month_prices)
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=(f"{pv.measure} per månad", "Kostnad per enhet, kr"),
        horizontal_spacing=0.12,
    )
    charts.volume_lines(
        fig, pv.budget_months, pv.actual_months, period, "Utfall volym", row=1, col=1
    )
    prices = [None if p is None else float(p / 100) for p in pv.month_prices]
    fig.add_scatter(
        x=months[:period],
        y=prices,
        mode="lines+markers",
        line={"color": charts.DEFICIT, "width": 2.5},
        name="Kostnad per enhet",
        customdata=charts.MONTH_TICKS[:period],
        hovertemplate="%{customdata}: %{y:,.0f} kr<extra>Utfall</extra>",
        row=1,
        col=2,
    )
    for value, name, dash in (
        (pv.budget_price, "Budgeterat pris", "dash"),
        (pv.forecast_price, "Prognos för året", "dot"),
    ):
        if value is not None:
            fig.add_scatter(
                x=[1, 12],
                y=[float(value / 100)] * 2,
                mode="lines",
                line={
                    "color": charts.BUDGET if dash == "dash" else charts.FORECAST,
                    "dash": dash,
                    "width": 2,
                },
                name=name,
                hovertemplate=f"%{{y:,.0f}} kr<extra>{name}</extra>",
                row=1,
                col=2,
            )
    for col in (1, 2):
        fig.update_xaxes(
            tickmode="array",
            tickvals=months[::2],
            ticktext=charts.MONTH_TICKS[::2],
            range=[0.5, 12.5],
            row=1,
            col=col,
        )
        # From zero: a few per cent of change must not look like a doubling.
        fig.update_yaxes(gridcolor="#e5e5e5", rangemode="tozero", tickformat=",.0f", row=1, col=col)
    fig.update_annotations(font={"size": 13})
    fig = charts.layout(fig, 320)
    fig.update_layout(margin={"l": 10, "r": 20, "t": 30, "b": 40})
    return fig


def figures(report: Report) -> dict[str, go.Figure]:
    """A chart for each measure that explains its cost (a key ratio only has none)."""
    return {
        f"chart-volympris-{i + 1}": chart(pv)
        for i, pv in enumerate(SECTION.data(report))
        if pv.explains
    }


def context(report: Report) -> dict[str, Any]:
    u = report.unit
    index = {id(pv): i for i, pv in enumerate(SECTION.data(report))}
    return {
        "blocks": blocks(report),
        "words": lambda pv: words(pv, u),
        "shown": lambda pv: shown_split(pv.cost_variance, pv.volume_effect or 0, u),
        "kr": _kr,
        "ratio_change": _ratio_change,
        "n": lambda pv: index[id(pv)] + 1,
        "chart": lambda pv: charts.chart_html(chart(pv), f"chart-volympris-{index[id(pv)] + 1}"),
    }


SECTION: Section[tuple[PriceVolume, ...]] = Section(
    "volume_analysis",
    build=build,
    shows=shows,
    title="Volym och pris",
    anchor="volym-och-pris",
    json=to_json,
    sheets=(Sheet("Volym och pris", write_sheet),),
    context=context,
    figures=figures,
)
