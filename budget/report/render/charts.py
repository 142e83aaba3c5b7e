"""Plotly figures for the report, each with a fixed div id (byte-identical output)."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go

from budget.core import fmt
from budget.report.labels import ASSESSMENT_SHORT, assessment_label, budget_label
from budget.report.model import Report

SURPLUS = "#1a7f4b"  # dark green
DEFICIT = "#e8a33d"  # light orange: differs from the green in lightness too
BUDGET = "#9aa9bd"
FORECAST = "#1f3a5f"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
# Months on chart axes as the tables write them: jan, feb, …
MONTH_TICKS = [name[:3] for name in fmt.MONTHS]


def _unit_value(ore: int, unit: str) -> float:
    return float(Decimal(ore) / fmt.UNIT_DIVISOR[unit])


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 20, "t": 10, "b": 40},
        font={"family": FONT, "size": 13},
        plot_bgcolor="white",
        paper_bgcolor="white",
        separators=", ",
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


def _grouped(fig: go.Figure, x_title: str, height: int, signed: bool) -> go.Figure:
    """Finish a chart of horizontal bar groups. No legend: the caption says which bar is
    which. ``signed``: values either side of a zero line, else amounts from zero."""
    if signed:
        fig.add_vline(x=0, line_color="#333", line_width=1)
        fig.update_xaxes(title_text=x_title, gridcolor="#e5e5e5", zeroline=False)
    else:
        fig.update_xaxes(title_text=x_title, gridcolor="#e5e5e5", rangemode="tozero")
    fig.update_yaxes(automargin=True)
    fig.update_layout(barmode="group", showlegend=False)
    return _layout(fig, height)


def budget_vs_forecast(report: Report) -> go.Figure:
    areas = list(reversed(report.shown_areas()))
    names = [a.area for a in areas]
    u = report.unit
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=[-_unit_value(a.budget.net, u) for a in areas],
        orientation="h",
        name=budget_label(report.has_requests),
        marker_color=BUDGET,
        hovertemplate="%{y}: %{x:,.1f} " + u + "<extra>Budget</extra>",
    )
    fig.add_bar(
        y=names,
        x=[-_unit_value(a.forecast.net, u) for a in areas],
        orientation="h",
        name="Helårsprognos",
        marker_color=FORECAST,
        hovertemplate="%{y}: %{x:,.1f} " + u + "<extra>Prognos</extra>",
    )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text=f"Nettokostnad, {u}", gridcolor="#e5e5e5")
    fig.update_yaxes(automargin=True)
    return _layout(fig, 80 + 48 * len(areas))


def variance(report: Report) -> go.Figure:
    areas = list(reversed(report.shown_areas()))
    return _variance_bars(report, [a.area for a in areas], [a.variance.net for a in areas])


def anslag_variance(report: Report) -> go.Figure | None:
    """The deviation per anslag, when the nämnd has more than one (contract §6)."""
    if len(report.anslag) < 2:
        return None
    held = list(reversed(report.anslag))
    return _variance_bars(report, [a.name for a in held], [a.variance.net for a in held])


def _variance_bars(report: Report, names: list[str], variances: list[int]) -> go.Figure:
    """Horizontal bars of net deviations (öre), överskott green, underskott outlined red."""
    u = report.unit
    values = [_unit_value(v, u) for v in variances]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=values,
        orientation="h",
        marker_color=[SURPLUS if v >= 0 else DEFICIT for v in values],
        marker_line_color="#333",
        marker_line_width=[0 if v >= 0 else 1 for v in values],
        text=[fmt.money(v, u, signed=True) for v in variances],
        textposition="outside",
        cliponaxis=False,
        name="Avvikelse",
        hovertemplate="%{y}: %{x:+,.1f} " + u + "<extra></extra>",
    )
    fig.add_vline(x=0, line_color="#333", line_width=1)
    reach = max([abs(v) for v in values] + [0.1])
    fig.update_xaxes(range=[min(min(values), 0) - 0.25 * reach, max(max(values), 0) + 0.25 * reach])
    against = budget_label(report.has_requests).lower()
    fig.update_xaxes(
        title_text=f"Avvikelse mot {against}, {u} (+ = överskott)",
        gridcolor="#e5e5e5",
        zeroline=False,
    )
    fig.update_yaxes(automargin=True)
    fig.update_layout(showlegend=False)
    return _layout(fig, 80 + 36 * len(names))


def transfer(report: Report) -> go.Figure | None:
    """Each resultatenhet's result beside what carries over (contract §6)."""
    if not report.result_units:
        return None
    units = list(reversed(report.result_units))
    u = report.unit
    names = [ru.name or ru.ansvar for ru in units]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=[_unit_value(ru.result, u) for ru in units],
        orientation="h",
        name="Resultat",
        marker_color="#9e9e9e",
        hovertemplate="%{y}: resultat %{x:+,.2f} " + u + "<extra></extra>",
    )
    moved = [_unit_value(ru.transfer, u) for ru in units]
    fig.add_bar(
        y=names,
        x=moved,
        orientation="h",
        name="Förs över",
        marker_color=[SURPLUS if v >= 0 else DEFICIT for v in moved],
        marker_line_color="#333",
        marker_line_width=[0 if v >= 0 else 1 for v in moved],
        hovertemplate="%{y}: förs över %{x:+,.2f} " + u + "<extra></extra>",
    )
    return _grouped(fig, f"{u} (+ = överskott)", 120 + 48 * len(units), signed=True)


def reported(report: Report) -> go.Figure | None:
    """The newest archived year's reported forecasts: error per area at T1 and T2."""
    if report.reported is None or not report.reported.years:
        return None
    year = report.reported.years[0]
    u = report.unit
    names = ["Nämnden totalt", *(a for a in year.areas if a not in year.unmatched)]
    fig = go.Figure()
    # Plotly draws a group's first trace lowest: T2 first puts T1 on top, as in the table.
    for tertial in reversed(year.tertials):
        errors = [year.total(tertial)] + [year.row(a, tertial) for a in names[1:]]
        values = [None if g is None or g.error is None else _unit_value(g.error, u) for g in errors]
        fig.add_bar(
            y=list(reversed(names)),
            x=list(reversed(values)),
            orientation="h",
            name=f"Fel {tertial}",
            marker_color="#9bb5d6" if tertial == "T1" else "#1f3a60",
            hovertemplate="%{y}: fel " + tertial + " %{x:+,.2f} " + u + "<extra></extra>",
        )
    title = f"prognos − utfall, {u} (+ = bättre än utfallet)"
    return _grouped(fig, title, 120 + 40 * len(names), signed=True)


def investments(report: Report) -> go.Figure | None:
    """Budget, spending to date and forecast per investment project (contract §6)."""
    if not report.investments:
        return None
    projects = list(reversed(report.investments))
    u = report.unit
    names = [p.name for p in projects]
    fig = go.Figure()
    for label, values, colour in (
        ("Budget", [p.budget for p in projects], "#c8c8c8"),
        ("Utgifter hittills", [p.spent for p in projects], "#1f3a60"),
        ("Helårsprognos", [p.forecast for p in projects], "#5b8cc9"),
    ):
        fig.add_bar(
            y=names,
            x=[_unit_value(v, u) for v in values],
            orientation="h",
            name=label,
            marker_color=colour,
            hovertemplate="%{y}: " + label.lower() + " %{x:,.2f} " + u + "<extra></extra>",
        )
    return _grouped(fig, f"{u}", 120 + 60 * len(projects), signed=False)


ASSESSMENT_COLOURS = {"helt": "#1a7f4b", "delvis": "#e0b100", "ej": "#b3261e", None: "#9e9e9e"}


def goals(report: Report) -> go.Figure | None:
    """Assessments of the verksamhetsområdesmål per inriktningsmål, stacked, with counts."""
    directions = list(reversed(report.goals.direction_goals))
    if not directions:
        return None
    fig = go.Figure()
    year_end = report.period.month == 12
    for key in ("helt", "delvis", "ej", None):
        label = assessment_label(key, year_end)
        counts = [d.count(key) for d in directions]
        if not any(counts):
            continue
        fig.add_bar(
            y=[d.name for d in directions],
            x=counts,
            orientation="h",
            name=label,
            marker_color=ASSESSMENT_COLOURS[key],
            marker_line_color="#333",
            marker_line_width=1,
            text=[f"{c} {ASSESSMENT_SHORT[key]}" if c else "" for c in counts],
            textposition="inside",
            insidetextanchor="middle",
            hovertemplate="%{y}: %{x} mål<extra>" + label + "</extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="Antal verksamhetsområdesmål", dtick=1, gridcolor="#e5e5e5")
    fig.update_yaxes(automargin=True)
    _layout(fig, 120 + 50 * len(directions))
    # The legend above the bars: below them it covered the axis title of this short chart.
    fig.update_layout(
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        margin={"t": 40},
    )
    return fig


def paths(report: Report) -> go.Figure:
    """Small multiples: cumulative net cost to date, periodised budget, forecast to December."""
    from plotly.subplots import make_subplots

    items = [p for p in report.paths if any(p.actual) or any(p.budget)]
    cols = 2
    rows = max(1, (len(items) + cols - 1) // cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[p.area for p in items],
        vertical_spacing=0.5 / rows,
        horizontal_spacing=0.08,
    )
    u = report.unit
    months = list(range(1, 13))
    period = report.period.month
    for i, p in enumerate(items):
        r, c = i // cols + 1, i % cols + 1
        first = i == 0
        fig.add_scatter(
            x=months,
            y=[-_unit_value(v, u) for v in p.budget],
            row=r,
            col=c,
            mode="lines",
            line={"color": BUDGET, "dash": "dash", "width": 2},
            name="Periodiserad budget",
            legendgroup="b",
            showlegend=first,
            customdata=MONTH_TICKS,
            hovertemplate="%{customdata}: %{y:,.1f} " + u + "<extra>Budget</extra>",
        )
        fig.add_scatter(
            x=months[:period],
            y=[-_unit_value(v, u) for v in p.actual],
            row=r,
            col=c,
            mode="lines+markers",
            line={"color": FORECAST, "width": 2.5},
            marker={"size": 5},
            name="Utfall",
            legendgroup="a",
            showlegend=first,
            customdata=MONTH_TICKS[:period],
            hovertemplate="%{customdata}: %{y:,.1f} " + u + "<extra>Utfall</extra>",
        )
        if period < 12 and p.actual:
            fig.add_scatter(
                x=[period, 12],
                y=[-_unit_value(p.actual[-1], u), -_unit_value(p.forecast, u)],
                row=r,
                col=c,
                mode="lines+markers",
                line={"color": FORECAST, "dash": "dot", "width": 2},
                marker={"symbol": "diamond", "size": 7},
                name="Prognos till december",
                legendgroup="f",
                showlegend=first,
                customdata=[MONTH_TICKS[period - 1], MONTH_TICKS[11]],
                hovertemplate="%{customdata}: %{y:,.1f} " + u + "<extra>Prognos</extra>",
            )
    fig.update_xaxes(
        tickmode="array",
        tickvals=list(range(1, 13)),
        ticktext=MONTH_TICKS,
        range=[0.5, 12.5],
        gridcolor="#eeeeee",
    )
    fig.update_yaxes(gridcolor="#eeeeee", rangemode="tozero")
    fig.update_annotations(font_size=12)
    _layout(fig, 60 + 220 * rows)
    fig.update_layout(margin={"l": 10, "r": 20, "t": 30, "b": 40})
    return fig


def waterfall(report: Report) -> go.Figure:
    """From the revised budget to the forecast, net cost, one step per area."""
    u = report.unit
    areas = [a for a in report.area_lines if a.variance.net != 0]
    x = [budget_label(report.has_requests), *(a.area for a in areas), "Helårsprognos"]
    y = [
        -_unit_value(report.total.budget.net, u),
        *(-_unit_value(a.variance.net, u) for a in areas),
        0.0,
    ]
    measure = ["absolute", *("relative" for _ in areas), "total"]
    fig = go.Figure(
        go.Waterfall(
            x=x,
            y=y,
            measure=measure,
            orientation="v",
            increasing={"marker": {"color": DEFICIT, "line": {"color": "#333", "width": 1}}},
            decreasing={"marker": {"color": SURPLUS}},
            totals={"marker": {"color": FORECAST}},
            connector={"line": {"color": "#999", "width": 1}},
            text=[
                fmt.money(-report.total.budget.net, u),
                *(fmt.money(-a.variance.net, u, signed=True) for a in areas),
                fmt.money(-report.total.forecast.net, u),
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:,.1f} " + u + "<extra></extra>",
        )
    )
    low = min(-report.total.forecast.net, -report.total.budget.net)
    high = max(-report.total.forecast.net, -report.total.budget.net)
    span = max(high - low, 1)
    fig.update_yaxes(
        title_text=f"Nettokostnad, {u}",
        gridcolor="#e5e5e5",
        range=[_unit_value(low - span, u), _unit_value(high + span // 2, u)],
    )
    fig.update_xaxes(tickangle=-35, automargin=True)
    fig.update_layout(showlegend=False)
    return _layout(fig, 520)


def volume(report: Report, index: int) -> go.Figure:
    """One measure: budgeted and actual volume per month."""
    m = report.volumes[index]
    # Months as numbers with named ticks and half a month of room on each side: a
    # category axis ends at its last label and cut "dec" to "d" at the edge.
    months = list(range(1, 13))
    fig = go.Figure()
    fig.add_scatter(
        x=months,
        y=list(m.budget),
        mode="lines",
        line={"color": BUDGET, "dash": "dash", "width": 2},
        name="Budgeterad volym",
        customdata=MONTH_TICKS,
        hovertemplate="%{customdata}: %{y:,.0f}<extra>Budget</extra>",
    )
    fig.add_scatter(
        x=months[: m.period],
        y=list(m.actual[: m.period]),
        mode="lines+markers",
        line={"color": FORECAST, "width": 2.5},
        name="Utfall",
        customdata=MONTH_TICKS[: m.period],
        hovertemplate="%{customdata}: %{y:,.0f}<extra>Utfall</extra>",
    )
    fig.update_xaxes(tickmode="array", tickvals=months, ticktext=MONTH_TICKS, range=[0.5, 12.5])
    # From zero: a few per cent of change must not look like a doubling.
    fig.update_yaxes(
        title_text=m.measure, gridcolor="#e5e5e5", rangemode="tozero", tickformat=",.0f"
    )
    return _layout(fig, 300)


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


def maybe(fig: go.Figure | None, div_id: str) -> str | None:
    """A chart that a report may not have (no anslag, no projects…)."""
    return None if fig is None else chart_html(fig, div_id)
