"""The economy's charts: budget against forecast, the deviation, the way from budget to
forecast (waterfall) and the cumulative outcome per month, with its table."""

from __future__ import annotations

from typing import Any

from budget.report.model import Report
from budget.report.render import charts
from budget.report.sections.base import Section


def context(report: Report) -> dict[str, Any]:
    return {
        "charts": {
            "budget": charts.chart_html(charts.budget_vs_forecast(report), "chart-budget-prognos"),
            "variance": charts.chart_html(charts.variance(report), "chart-avvikelse"),
            "paths": charts.chart_html(charts.paths(report), "chart-manadsutfall"),
            "waterfall": charts.chart_html(charts.waterfall(report), "chart-vattenfall"),
        }
    }


SECTION = Section("area_charts", context=context)
