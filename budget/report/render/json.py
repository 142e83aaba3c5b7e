"""The JSON report (contract §3): kronor with öre precision, report signs."""

from __future__ import annotations

import json
from typing import Any

from budget.core import changes as ch
from budget.core.accuracy import Given
from budget.core.collection import UnitStatus
from budget.core.goals import Goals
from budget.core.money import kronor
from budget.report.model import Line, Report

SCHEMA = "budget-report/1"


def _line(line: Line) -> dict[str, Any]:
    return {
        "area": line.area,
        "subarea": line.subarea,
        "budget": line.budget.as_kronor(),
        # The decided budget: without the changes requested in this report.
        "decided_budget": line.decided.as_kronor(),
        "actual": line.actual.as_kronor(),
        "forecast": line.forecast.as_kronor(),
        "variance": kronor(line.variance.net),
        "variance_sides": {
            "costs": kronor(line.variance.costs),
            "revenues": kronor(line.variance.revenues),
        },
        "method": line.method,
        "notes": list(line.notes),
        "comments": [{"subarea": c.subarea, "text": c.text, "by": c.by} for c in line.comments],
    }


def _goals(goals: Goals) -> dict[str, Any]:
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
                "summary": d.summary,
                "goals": [
                    {
                        "name": g.name,
                        "assessment": g.assessment,
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


def _accuracy(report: Report) -> dict[str, Any] | None:
    acc = report.accuracy
    if acc is None:
        return None
    return {
        "year": acc.year,
        "percent_of": acc.base,
        "methods": list(acc.methods),
        "rows": [
            {
                "area": r.area,
                "method": r.method,
                "tertial": r.tertial,
                "forecast": kronor(r.forecast),
                "actual": kronor(r.actual),
                "error": kronor(r.error),
                "error_percent": r.error_pct,
            }
            for r in acc.rows
        ],
        "best": acc.best,
    }


def _reported(report: Report) -> dict[str, Any] | None:
    """Earlier years' T1 and T2 forecasts against the year's outcome (net, report signs);
    error = forecast − outcome, in per cent of the budget that report gave."""
    rep = report.reported
    if rep is None:
        return None

    def given(g: Given) -> dict[str, Any]:
        return {
            "tertial": g.tertial,
            "forecast": kronor(g.forecast),
            "budget": kronor(g.budget),
            "actual": None if g.actual is None else kronor(g.actual),
            "error": None if g.error is None else kronor(g.error),
            "error_percent": g.error_pct,
        }

    return {
        "years": [
            {
                "year": y.year,
                "actual_from": y.outcome,
                "reports": [{"tertial": t, "file": f} for t, f in y.reports],
                "rows": [{"area": g.area, **given(g)} for g in y.rows],
                "total": [given(g) for g in y.totals],
                "not_in_structure": list(y.unmatched),
            }
            for y in rep.years
        ],
        "not_compared": [{"file": f, "reason": why} for f, why in rep.not_compared],
    }


def _change(report: Report) -> dict[str, Any] | None:
    ch_ = report.forecast_change
    if ch_ is None:
        return None
    return {
        "previous": {
            "period": ch_.previous_period,
            "tertial": ch_.previous_tertial,
            "title": ch_.previous_title,
            "file": ch_.source,
        },
        "areas": [
            {
                "area": r.area,
                "subarea": r.subarea,
                "previous": kronor(r.previous),
                "current": kronor(r.current),
                "change": kronor(r.change),
                "reasons": [c.text for c in r.reasons],
            }
            for r in ch_.rows
        ],
    }


def _volumes(report: Report) -> list[dict[str, Any]]:
    return [
        {
            "area": m.area,
            "subarea": m.subarea,
            "measure": m.measure,
            "budget": list(m.budget),
            "actual": list(m.actual),
            "price": m.price,
            "forecast_volume": round(float(m.forecast_volume), 2),
            "forecast_cost": kronor(m.forecast_cost),
            "rest": m.rest,
        }
        for m in report.volumes
    ]


def to_dict(report: Report) -> dict[str, Any]:
    rec = report.reconciliation
    items = []
    for c in report.changes:
        items.append(
            {
                "type": ch.KIND_LABELS[c.kind],
                "status": ch.STATUS_LABELS[c.status],
                "area": c.area,
                "subarea": c.subarea,
                "costs": kronor(c.costs),
                "revenues": kronor(c.revenues),
                "net_effect": kronor(c.effect.net),
                "description": c.description,
                "financier": c.financier,
                "diarienummer": c.diarienummer,
                "source": {"file": c.file, "sheet": c.sheet, "row": c.row},
            }
        )
    return {
        "schema": SCHEMA,
        "namnd": report.namnd,
        "year": report.period.year,
        "period": report.period.month,
        "tertial": report.period.tertial,
        "title": report.title,
        "unit": report.unit,
        "document": {
            "diarienummer": report.diarienummer,
            "handlaggare": report.handlaggare,
            "date": report.date.isoformat(),
        },
        "areas": [_line(ln) for ln in report.lines],
        "total": {
            "budget": report.total.budget.as_kronor(),
            "decided_budget": report.total.decided.as_kronor(),
            "actual": report.total.actual.as_kronor(),
            "forecast": report.total.forecast.as_kronor(),
            "variance": kronor(report.total.variance.net),
        },
        "anslag": [
            {
                "name": a.name,
                "areas": list(a.areas),
                "budget": a.budget.as_kronor(),
                "decided_budget": (a.budget - a.requested).as_kronor(),
                "actual": a.actual.as_kronor(),
                "forecast": a.forecast.as_kronor(),
                "variance": kronor(a.variance.net),
            }
            for a in report.anslag
        ],
        "result_transfer": {
            "cap_share": None if report.transfer_cap is None else float(report.transfer_cap),
            "total_result": kronor(report.transfer_total.result),
            "total_transfer": kronor(report.transfer_total.transfer),
            "total_to_namnd": kronor(report.transfer_total.to_namnd),
            "units": [
                {
                    "ansvar": u.ansvar,
                    "name": u.name,
                    "budget": u.budget.as_kronor(),
                    "forecast": u.forecast.as_kronor(),
                    "budget_net": kronor(u.budget.net),
                    "forecast_net": kronor(u.forecast.net),
                    "forecast_basis": u.basis,
                    "result": kronor(u.result),
                    "cap": None if u.cap is None else kronor(u.cap),
                    "transfer": kronor(u.transfer),
                    "to_namnd": kronor(u.to_namnd),
                }
                for u in report.result_units
            ],
        },
        "investments": {
            "projects": [
                {
                    "project": pr.project,
                    "name": pr.name,
                    "area": pr.area,
                    "budget": kronor(pr.budget),
                    "spent": kronor(pr.spent),
                    "spent_from_ledger": pr.spent_from_ledger,
                    "forecast": kronor(pr.forecast),
                    "variance": kronor(pr.variance),
                    "decision": pr.decision,
                    "comment": pr.comment,
                }
                for pr in report.investments
            ],
            "total": {
                "budget": kronor(report.investment_total.budget),
                "spent": kronor(report.investment_total.spent),
                "forecast": kronor(report.investment_total.forecast),
                "variance": kronor(report.investment_total.variance),
            },
        },
        "budget_changes": {
            "requested_turnover_change": kronor(report.requested_turnover),
            "requested_net_adjustment": kronor(report.requested_adjustment),
            "items": items,
            "bridge": [
                {"area": b.area, **{step: b.steps[step].as_kronor() for step in ch.BRIDGE_STEPS}}
                for b in report.bridge
            ],
        },
        "decision": list(report.decision),
        "forecast_accuracy": _accuracy(report),
        "reported_accuracy": _reported(report),
        "forecast_change": _change(report),
        "forecast_collection": (
            None
            if report.collection is None
            else {
                "expected": len(report.collection.expected),
                "returned": len(report.collection.returned),
                "missing": list(report.collection.missing),
                "units": [_unit(u) for u in report.units],
            }
        ),
        "volumes": _volumes(report),
        "goals": _goals(report.goals),
        "reconciliation": {
            "ledger_rows": rec.ledger_rows,
            "ledger_sum": kronor(rec.ledger_sum),
            "reported_sum": kronor(rec.reported_sum),
            "excluded_sum": kronor(rec.excluded_sum),
            "unmapped_sum": kronor(rec.unmapped_sum),
        },
        "warnings": [d.as_dict() for d in report.warnings],
        "inputs": [{"file": f.name, "sha256": f.sha256} for f in report.files],
        "generated_at": report.generated_at.isoformat(),
        "toolkit_version": report.version,
    }


def render(report: Report) -> bytes:
    text = json.dumps(to_dict(report), ensure_ascii=False, indent=2, sort_keys=False)
    return (text + "\n").encode("utf-8")


def _unit(u: UnitStatus) -> dict[str, Any]:
    return {
        "ansvar": u.ansvar,
        "unit": u.unit,
        "places": list(u.places),
        "budget": None if u.budget is None else u.budget.as_kronor(),
        "forecast": u.forecast.as_kronor(),
        "variance": None if u.variance is None else kronor(u.variance),
        "change": None if u.change is None else kronor(u.change),
        "comments": list(u.comments),
        "measures": list(u.measures),
    }
