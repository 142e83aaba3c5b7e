"""Change since the last report: each area's forecast then and now, with the units' reasons.

The previous report is its JSON (``budget-report/1``), read at the I/O edge and
passed in as data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from budget.diagnostics import Diagnostic
from budget.model import Comment, Line


@dataclass(frozen=True)
class AreaChange:
    area: str
    subarea: str | None
    previous: int  # forecast net, öre
    current: int
    reasons: tuple[Comment, ...]

    @property
    def change(self) -> int:
        return self.current - self.previous


@dataclass(frozen=True)
class ForecastChange:
    previous_period: int
    previous_tertial: str | None
    previous_title: str
    source: str
    rows: tuple[AreaChange, ...]


def _ore(value: Any) -> int:
    return round(float(value) * 100)


def compare(previous: dict[str, Any], source: str, lines: list[Line]) -> ForecastChange:
    """Pair each current line with the previous report's line of the same area and delområde."""
    before = {(a["area"], a["subarea"]): _ore(a["forecast"]["net"]) for a in previous["areas"]}
    rows = []
    for ln in lines:
        key = (ln.area, ln.subarea)
        rows.append(
            AreaChange(ln.area, ln.subarea, before.get(key, 0), ln.forecast.net, ln.comments)
        )
    return ForecastChange(
        int(previous["period"]),
        previous.get("tertial"),
        str(previous.get("title") or f"period {previous['period']}"),
        source,
        tuple(rows),
    )


def read(
    path: Path, year: int, period: int, namnd: str
) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """A previous report's JSON if it is one for the same nämnd and year, earlier period."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [
            Diagnostic("W309", f"föregående rapport kan inte läsas ({exc})", file=path.name)
        ]
    ok = (
        isinstance(data, dict)
        and data.get("schema") == "budget-report/1"
        and data.get("year") == year
        and data.get("namnd") == namnd
        and isinstance(data.get("period"), int)
        and data["period"] < period
        and isinstance(data.get("areas"), list)
    )
    if not ok:
        return None, [
            Diagnostic(
                "W309",
                "filen är ingen tidigare rapport för samma nämnd och år",
                file=path.name,
                expected=f"en rapport för {namnd} {year} med period före {period}",
            )
        ]
    return data, []


def find(out_dir: Path, stem: str, year: int, period: int) -> Path | None:
    """The latest earlier report of the same inputs folder in the output folder."""
    best: tuple[int, Path] | None = None
    for path in sorted(out_dir.glob(f"{stem}-*.json")):
        suffix = path.stem[len(stem) + 1 :]
        month = {"T1": 4, "T2": 8, "helar": 12}.get(suffix)
        if month is None and suffix.isdigit():
            month = int(suffix)
        if month is None or month >= period:
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if (
            isinstance(data, dict)
            and data.get("year") == year
            and (best is None or month > best[0])
        ):
            best = (month, path)
    return best[1] if best else None
