"""The city's HTML report: its own template, the nämnd report's style and number formats;
plotly.js embedded once (no network), fixed chart ids, the same city gives the same bytes."""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from typing import Any

import plotly.graph_objects as go
from jinja2 import Environment, PackageLoader, select_autoescape

from budget.core import fmt
from budget.core.city import POSITION_LABELS, City, within
from budget.report.decision import report_name
from budget.report.formats.html import period_text, plotly_js
from budget.report.render.charts import chart_html

SURPLUS, DEFICIT = "#1a7f4b", "#9a4d00"


@cache
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("budget.report.city", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = fmt.money
    env.filters["signed"] = lambda ore, unit: fmt.money(ore, unit, signed=True)
    env.filters["kronor"] = fmt.whole_kronor
    env.filters["pct"] = lambda v: "–" if v is None else fmt.percent(float(v), 1)
    env.filters["spct"] = lambda v: (
        "–" if v is None else fmt.number(float(v), 1, signed=True) + "\u00a0%"
    )
    env.filters["tone"] = lambda ore, threshold: (
        "pos" if ore >= threshold else "neg" if ore <= -threshold else ""
    )
    return env


def _variance_chart(city: City, unit: str) -> go.Figure:
    divisor = float(fmt.UNIT_DIVISOR[unit])
    names = [r.report.namnd for r in city.rows]
    values = [r.report.variance / divisor for r in city.rows]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=names,
            orientation="h",
            marker_color=[SURPLUS if v >= 0 else DEFICIT for v in values],
            text=[fmt.money(r.report.variance, unit, signed=True) for r in city.rows],
            textposition="auto",
            hovertemplate="%{y}: %{text} " + unit + "<extra></extra>",
        )
    )
    fig.update_layout(
        height=120 + 36 * len(names),
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        xaxis={"title": f"Avvikelse mot budget, {unit} (+ = överskott)", "zeroline": True},
        yaxis={"autorange": "reversed", "automargin": True},
        plot_bgcolor="#fff",
        separators=", ",
        font={"family": "system-ui, sans-serif"},
    )
    return fig


def title(city: City) -> str:
    """``Tertialrapport 2 2017``: the nämnd reports' title for the same period."""
    text = report_name(city.year, city.period)
    return text[0].upper() + text[1:]


def context(city: City, unit: str = "mnkr") -> dict[str, Any]:
    return {
        "c": city,
        "u": unit,
        "title": title(city),
        "threshold": fmt.half_unit(unit),
        "period_text": period_text(city.year, city.period),
        "positions": POSITION_LABELS,
        "within": lambda v: within(v, city.limit),
        "limit": fmt.number(float(city.limit), 0 if city.limit.denominator == 1 else 1),
        "base_text": "utfallet" if city.base == "utfall" else "budgeten",
        "city_indicators": city.city_indicators(),
        "requested_net": sum(
            (c.net_effect for c in city.requested if c.kind == "Budgetjustering"), 0
        ),
        "requested_turnover": sum(
            (c.costs for c in city.requested if c.kind == "Omslutningsförändring"), 0
        ),
        "per_namnd": lambda n, kind, field: sum(
            getattr(c, field) for c in n.requested if c.kind == kind
        ),
        "fraction": Fraction,
        "chart": chart_html(_variance_chart(city, unit), "chart-stad-avvikelse"),
        "plotly_js": plotly_js(),
    }


def render(city: City, unit: str = "mnkr") -> bytes:
    return _env().get_template("stad.html.j2").render(**context(city, unit)).encode("utf-8")
