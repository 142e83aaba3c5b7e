"""Mål och måluppfyllelse: the assessed verksamhetsområdesmål per inriktningsmål with their
indicators (its part Att granska i målen follows, from the registry). The sheet is always
written."""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired

import plotly.graph_objects as go
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import Field
from typing_extensions import TypedDict

from budget.core.goals import FULL_WITHOUT_OUTCOME, SHOWN_ASSESSMENTS, Goals
from budget.report.context import Context
from budget.report.labels import (
    ASSESSMENT_SHORT,
    EVIDENCE_LABELS,
    INDICATOR_STATUS_LABELS,
    assessment_label,
)
from budget.report.model import Report
from budget.report.render import charts
from budget.report.render.xlsx import DECIMAL, table
from budget.report.sections.base import Section, Sheet, always, member


def build(ctx: Context) -> Goals:
    return ctx.goals


def shows(report: Report) -> bool:
    return bool(SECTION.data(report).direction_goals)


# What an assessment rests on (contract §7): every indicator has an outcome, some, none.
Evidence = Annotated[
    Literal["utfall", "delvis", "saknas"],
    Field(
        description="What the assessment rests on (contract §7): "
        "every indicator has an outcome, some have, none has."
    ),
]
EVIDENCE: tuple[Literal["utfall", "delvis", "saknas"], ...] = ("utfall", "delvis", "saknas")
Count = Annotated[int, Field(ge=0)]


class IndicatorJson(TypedDict):
    name: NotRequired[str]
    unit: NotRequired[str | None]
    better: NotRequired[str]
    kf_target: NotRequired[float | None]
    target: NotRequired[float | None]
    periodicity: NotRequired[str]
    outcome: NotRequired[float | None]
    last_year: NotRequired[float | None]
    status: NotRequired[str]
    below_kf: NotRequired[bool]
    kind: NotRequired[str]
    period_target: NotRequired[float | None]
    tolerance: NotRequired[float | None]
    judged_target: NotRequired[float | None]
    below_last_year: NotRequired[bool]


class AreaGoalJson(TypedDict):
    name: NotRequired[str]
    assessment: NotRequired[str | None]
    evidence: NotRequired[Evidence]
    comment: NotRequired[str | None]
    indicators: NotRequired[list[IndicatorJson]]


class DirectionGoalJson(TypedDict):
    name: str
    assessment: NotRequired[str | None]
    area_goals: Count
    area_goals_met_fully: Count
    area_goals_met_partly: NotRequired[Count]
    area_goals_not_met: NotRequired[Count]
    area_goals_not_assessed: NotRequired[Count]
    evidence: NotRequired[Evidence]
    summary: NotRequired[str | None]
    goals: NotRequired[list[AreaGoalJson]]


class FlagJson(TypedDict):
    code: NotRequired[str]
    goal: NotRequired[str]
    indicator: NotRequired[str | None]
    message: NotRequired[str]


class GoalsPartJson(TypedDict):
    direction_goals: list[DirectionGoalJson]
    flags: list[FlagJson]


class GoalsJson(TypedDict):
    goals: GoalsPartJson


def _goals(goals: Goals) -> GoalsPartJson:
    return {
        "direction_goals": [
            {
                "name": d.name,
                "assessment": d.assessment,
                "area_goals": len(d.area_goals),
                "area_goals_met_fully": d.count("helt"),
                "area_goals_met_partly": d.count("delvis"),
                "area_goals_not_met": d.count("ej"),
                "area_goals_not_assessed": d.count(None),
                "evidence": member(d.evidence, EVIDENCE),
                "summary": d.summary,
                "goals": [
                    {
                        "name": g.name,
                        "assessment": g.assessment,
                        "evidence": member(g.evidence, EVIDENCE),
                        "comment": g.comment,
                        "indicators": [
                            {
                                "name": i.name,
                                "unit": i.unit,
                                "better": i.better,
                                "kf_target": i.kf_target,
                                "target": i.target,
                                "periodicity": i.periodicity,
                                "outcome": i.outcome,
                                "last_year": i.last_year,
                                "status": i.status,
                                "below_kf": i.below_kf,
                                "kind": i.kind,
                                "period_target": i.period_target,
                                "tolerance": i.tolerance,
                                "judged_target": i.judged_target,
                                "below_last_year": i.below_last_year,
                            }
                            for i in g.indicators
                        ],
                    }
                    for g in d.area_goals
                ],
            }
            for d in goals.direction_goals
        ],
        "flags": [
            {"code": f.code, "goal": f.goal, "indicator": f.indicator, "message": f.message}
            for f in goals.flags
        ],
    }


def to_json(report: Report) -> GoalsJson:
    return {"goals": _goals(SECTION.data(report))}


def write_sheet(ws: Worksheet, report: Report) -> None:
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
    for d in SECTION.data(report).direction_goals:
        for g in d.area_goals:
            label = assessment_label(g.shown, report.period.month == 12)
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


# Fulfilled without an outcome is pale and hatched: never the plain fulfilled green.
ASSESSMENT_COLOURS = {
    "helt": "#1a7f4b",
    FULL_WITHOUT_OUTCOME: "#cfe3d6",
    "delvis": "#e0b100",
    "ej": "#b3261e",
    None: "#9e9e9e",
}


def chart(report: Report) -> go.Figure | None:
    """Assessments of the verksamhetsområdesmål per inriktningsmål, stacked, with counts."""
    directions = list(reversed(SECTION.data(report).direction_goals))
    if not directions:
        return None
    fig = go.Figure()
    year_end = report.period.month == 12
    for key in SHOWN_ASSESSMENTS:
        label = assessment_label(key, year_end)
        counts = [d.count_shown(key) for d in directions]
        if not any(counts):
            continue
        fig.add_bar(
            y=[d.name for d in directions],
            x=counts,
            orientation="h",
            name=label,
            marker_color=ASSESSMENT_COLOURS[key],
            marker_pattern_shape="/" if key == FULL_WITHOUT_OUTCOME else "",
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
    charts.layout(fig, 120 + 50 * len(directions))
    # The legend above the bars: below them it covered the axis title of this short chart.
    fig.update_layout(
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        margin={"t": 40},
    )
    return fig


CHART_ID = "chart-mal"


def figures(report: Report) -> dict[str, go.Figure]:
    drawn = chart(report)
    return {} if drawn is None else {CHART_ID: drawn}


def context(report: Report) -> dict[str, Any]:
    return {
        "assess": lambda code, direction=False: assessment_label(
            code, report.period.month == 12, direction
        ),
        "status_labels_ind": INDICATOR_STATUS_LABELS,
        "evidence_labels": EVIDENCE_LABELS,
        "charts": {"goals": charts.maybe(figures(report).get(CHART_ID), CHART_ID)},
    }


SECTION: Section[Goals] = Section(
    "goals",
    build=build,
    shows=shows,
    title="Mål och måluppfyllelse",
    anchor="mal",
    json=to_json,
    sheets=(Sheet("Mål", write_sheet, shows=always),),
    context=context,
    figures=figures,
)
