"""The economy's charts: budget against forecast, the deviation, the way from budget to
forecast (waterfall) and the cumulative outcome per month, with its table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from budget.core.ledger import UNMAPPED
from budget.core.lines import MonthlyPath
from budget.report.context import Context
from budget.report.model import Report
from budget.report.render import charts
from budget.report.sections.base import Section


@dataclass(frozen=True)
class Paths:
    """Each area's cumulative outcome per month, periodised budget and forecast."""

    paths: tuple[MonthlyPath, ...]

    def shown(self) -> list[MonthlyPath]:
        """The areas the table shows: Ej fördelat only where it has figures."""
        return [
            p
            for p in self.paths
            if p.area != UNMAPPED or any(p.actual) or any(p.budget) or p.forecast
        ]


def build(ctx: Context) -> Paths:
    return Paths(ctx.figures.paths)


def context(report: Report) -> dict[str, Any]:
    monthly = SECTION.data(report).paths
    return {
        "charts": {
            "budget": charts.chart_html(charts.budget_vs_forecast(report), "chart-budget-prognos"),
            "variance": charts.chart_html(charts.variance(report), "chart-avvikelse"),
            "paths": charts.chart_html(
                charts.paths(monthly, report.unit, report.period.month), "chart-manadsutfall"
            ),
            "waterfall": charts.chart_html(charts.waterfall(report), "chart-vattenfall"),
        }
    }


SECTION = Section("area_charts", build=build, context=context)
