"""Change since the last report: each area's forecast then and now, with the units' reasons.

The previous report arrives as data (read by ``edge.previous``).
"""

from __future__ import annotations

from typing import Any

from budget.core.money import from_kronor
from budget.report.model import AreaChange, ForecastChange, Line


def compare(previous: dict[str, Any], source: str, lines: list[Line]) -> ForecastChange:
    """Pair each current line with the previous report's line of the same area and delområde."""
    before = {
        (a["area"], a["subarea"]): from_kronor(a["forecast"]["net"]) for a in previous["areas"]
    }
    rows = []
    for ln in lines:
        key = (ln.area, ln.subarea)
        rows.append(
            AreaChange(
                ln.area, ln.subarea, before.get(key, 0), ln.forecast.net, ln.reasons, ln.method
            )
        )
    return ForecastChange(
        int(previous["period"]),
        previous.get("tertial"),
        str(previous.get("title") or f"period {previous['period']}"),
        source,
        tuple(rows),
    )
