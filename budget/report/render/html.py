"""The self-contained HTML report: jinja2 template, plotly.js embedded once."""

from __future__ import annotations

from functools import cache
from typing import Any

import plotly.graph_objects as go
from jinja2 import Environment, PackageLoader, select_autoescape

from budget.core import changes as ch
from budget.core import fmt
from budget.core.ledger import ACCOUNT_CLASSES
from budget.report.decision import REPORT_NAMES
from budget.report.labels import (
    CHANGE_COSTS,
    CHANGE_REVENUES,
    DECIDED,
    FLAG_LABELS,
    INDICATOR_STATUS_LABELS,
    METHOD_LABELS,
    REST_LABELS,
    assessment_label,
    budget_label,
    change_explanation,
)
from budget.report.model import Report
from budget.report.render import charts


@cache
def _env() -> Environment:
    # No bytecode cache: jinja2 stores compiled templates as pickles, and a cache
    # folder is no place to load code from.
    env = Environment(
        loader=PackageLoader("budget.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = fmt.money
    env.filters["signed"] = lambda ore, unit: fmt.money(ore, unit, signed=True)
    env.filters["kronor"] = fmt.whole_kronor
    env.filters["kronor_ore"] = fmt.kronor_and_ore
    env.filters["count"] = fmt.number
    env.filters["indicator"] = fmt.indicator_value
    env.filters["inline"] = fmt.inline
    env.filters["pct"] = lambda v: "–" if v is None else fmt.percent(v, 1)
    env.filters["volume"] = lambda v: (
        "–" if v is None else fmt.number(v, 0 if float(v).is_integer() else 1)
    )
    env.filters["tone"] = lambda ore, threshold: (
        "pos" if ore >= threshold else "neg" if ore <= -threshold else ""
    )
    return env


@cache
def plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


def chart_html(fig: go.Figure, div_id: str) -> str:
    """A chart's div and script; plotly.js itself is embedded once per page."""
    html = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        # No toolbar: it is noise to a reader and would print on the page.
        config={"displayModeBar": False, "displaylogo": False, "responsive": True},
    )
    return str(html)


def _maybe(fig: go.Figure | None, div_id: str) -> str | None:
    return None if fig is None else chart_html(fig, div_id)


def period_text(year: int, month: int) -> str:
    if month == 1:
        return f"januari {year}"
    return f"januari–{fmt.MONTHS[month - 1]} {year}"


def context(report: Report, cdn: bool = False) -> dict[str, Any]:
    return {
        "r": report,
        "u": report.unit,
        # Half the display unit: smaller variances show as 0,0 and are called neither.
        "threshold": fmt.half_unit(report.unit),
        "period_text": period_text(report.period.year, report.period.month),
        "methods": METHOD_LABELS,
        "explain": lambda c: change_explanation(c, fmt.half_unit(report.unit)),
        "budget_label": budget_label(report.has_requests),
        "decided_label": DECIDED,
        "change_columns": (CHANGE_COSTS, CHANGE_REVENUES),
        "bridge_steps": ch.BRIDGE_STEPS,
        "bridge_labels": ch.BRIDGE_LABELS,
        "kind_labels": ch.KIND_LABELS,
        "status_labels": ch.STATUS_LABELS,
        "assess": lambda code, direction=False: assessment_label(
            code, report.period.month == 12, direction
        ),
        "status_labels_ind": INDICATOR_STATUS_LABELS,
        "flag_labels": FLAG_LABELS,
        "rest_labels": REST_LABELS,
        "month_names": [m[:3] for m in fmt.MONTHS],
        "tertial_names": REPORT_NAMES,
        "charts": {
            "budget": chart_html(charts.budget_vs_forecast(report), "chart-budget-prognos"),
            "variance": chart_html(charts.variance(report), "chart-avvikelse"),
            "anslag": _maybe(charts.anslag_variance(report), "chart-anslag"),
            "transfer": _maybe(charts.transfer(report), "chart-resultatoverforing"),
            "investments": _maybe(charts.investments(report), "chart-investeringar"),
            "reported": _maybe(charts.reported(report), "chart-rapporterade-prognoser"),
            "goals": _maybe(charts.goals(report), "chart-mal"),
            "paths": chart_html(charts.paths(report), "chart-manadsutfall"),
            "waterfall": chart_html(charts.waterfall(report), "chart-vattenfall"),
            "volumes": [
                chart_html(charts.volume(report, i), f"chart-volym-{i + 1}")
                for i in range(len(report.volumes))
            ],
        },
        "class_names": ACCOUNT_CLASSES,
        "plotly_js": None if cdn else plotly_js(),
        "plotly_cdn": _cdn_url() if cdn else None,
    }


def render(report: Report, cdn: bool = False) -> bytes:
    html = _env().get_template("report.html.j2").render(**context(report, cdn))
    return html.encode("utf-8")


def _cdn_url() -> str:
    from plotly.offline import get_plotlyjs_version

    return f"https://cdn.plot.ly/plotly-{get_plotlyjs_version()}.min.js"
