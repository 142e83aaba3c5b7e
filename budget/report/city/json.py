"""The city's JSON (``budget-stad/1``): kronor with öre, the report's signs; every figure
names the report file (and its sha256) or the ledger files it came from."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from budget.core.city import POSITION_LABELS, City, Indicator, Requested, within
from budget.core.money import Sides, kronor

SCHEMA = "budget-stad/1"


def pct(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _sides(s: Sides) -> dict[str, float]:
    return s.as_kronor()


def _change(city: City, c: Requested) -> dict[str, Any]:
    pos = city.position_of(c)
    return {
        "namnd": c.namnd,
        "number": c.number,
        "type": c.kind,
        "area": c.area,
        "subarea": c.subarea,
        "costs": kronor(c.costs),
        "revenues": kronor(c.revenues),
        "net_effect": kronor(c.net_effect),
        "description": c.description,
        "financier": c.financier,
        "diarienummer": c.diarienummer,
        "position": None if pos is None else pos.position,
        "position_label": (
            None if pos is None or pos.position is None else POSITION_LABELS[pos.position]
        ),
        "office_comment": "" if pos is None else pos.comment,
        "position_cell": None if pos is None else pos.cell,
        "source": {"file": c.file, "json_path": c.json_path, "origin": c.origin},
    }


def _indicator(i: Indicator, limit: Fraction) -> dict[str, Any]:
    return {
        "namnd": i.namnd,
        "year": i.year,
        "t2_forecast_net": None if i.forecast is None else kronor(i.forecast),
        "outcome_net": None if i.outcome is None else kronor(i.outcome),
        "budget_net": None if i.budget is None else kronor(i.budget),
        "forecast_error": None if i.forecast_error is None else kronor(i.forecast_error),
        "forecast_accuracy_percent": pct(i.accuracy),
        "within_target": within(i.accuracy, limit),
        "budget_adherence_percent": pct(i.adherence),
        "sources": {"t2": i.t2_file, "year_end": i.year_file},
    }


def to_dict(city: City) -> dict[str, Any]:
    trade = city.trade
    return {
        "schema": SCHEMA,
        "stad": city.stad,
        "year": city.year,
        "period": city.period,
        "namnder": [
            {
                "namnd": r.report.namnd,
                "budget": _sides(r.report.budget),
                "decided_budget": _sides(r.report.decided),
                "actual": _sides(r.report.actual),
                "forecast": _sides(r.report.forecast),
                "variance": kronor(r.report.variance),
                "forecast_budget_adherence_percent": pct(r.adherence),
                "requested_net_adjustment": kronor(
                    sum(c.net_effect for c in r.report.requested if c.kind == "Budgetjustering")
                ),
                "requested_turnover_change": kronor(
                    sum(c.costs for c in r.report.requested if c.kind == "Omslutningsförändring")
                ),
                "office_comment": r.comment,
                "source": {
                    "file": r.report.file,
                    "sha256": r.report.sha256,
                    "json_path": "$.total",
                    "generated_at": r.report.generated_at,
                    "inputs": [{"file": f, "sha256": h} for f, h in r.report.inputs],
                },
            }
            for r in city.rows
        ],
        "total": {
            "budget": _sides(city.budget),
            "decided_budget": _sides(city.decided),
            "actual": _sides(city.actual),
            "forecast": _sides(city.forecast),
            "variance": kronor(city.variance),
            "forecast_budget_adherence_percent": pct(city.adherence),
            "namnder": len(city.rows),
        },
        "missing": list(city.missing),
        "not_in_stad_toml": list(city.unexpected),
        "requested_changes": {
            "budget_adjustments": kronor(city.requested_sum("Budgetjustering").net),
            "turnover_changes": kronor(-city.requested_sum("Omslutningsförändring").costs),
            "items": [_change(city, c) for c in city.requested],
        },
        "indicators": {
            "forecast_accuracy_base": city.base,
            "forecast_accuracy_limit_percent": float(city.limit),
            "namnder": [_indicator(i, city.limit) for i in city.indicators],
            "city": [
                {**_indicator(i, city.limit), "namnd": city.stad} for i in city.city_indicators()
            ],
        },
        "internal_trade": (
            None
            if trade is None
            else {
                "tolerance": kronor(trade.tolerance),
                "eliminated": kronor(trade.eliminated),
                # The city's outcome to date with the matched pairs netted out.
                "actual_after_elimination": _sides(city.actual_eliminated or city.actual),
                "files": list(trade.files),
                "namnder_without_ledger": list(trade.no_ledger),
                "pairs": [
                    {
                        "seller": f.seller,
                        "buyer": f.buyer,
                        "sales": kronor(f.sales),
                        "purchases": kronor(f.purchases),
                        "difference": kronor(f.difference),
                        "matched": abs(f.difference) <= trade.tolerance,
                        "sales_rows": f.sales_rows,
                        "purchase_rows": f.purchase_rows,
                        "sales_files": list(f.sales_files),
                        "purchase_files": list(f.purchase_files),
                        # An unmatched pair's ledger rows, both sides, largest first.
                        "rows": [
                            {
                                "side": r.side,
                                "namnd": r.namnd,
                                "file": r.source,
                                "row": r.row,
                                "period": r.period,
                                "konto": r.konto,
                                "amount": kronor(r.amount),
                                "parquet": r.parquet,
                            }
                            for r in f.rows
                        ],
                    }
                    for f in trade.flows
                ],
            }
        ),
        "not_summed": [
            {
                "file": e.file,
                "namnd": e.namnd,
                "year": e.year,
                "period": e.period,
                "reason": e.reason,
            }
            for e in city.excluded
        ],
        "notes": list(city.warnings),
        "generated_at": city.generated_at,
        "toolkit_version": city.version,
    }


def render(city: City) -> bytes:
    return (json.dumps(to_dict(city), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
