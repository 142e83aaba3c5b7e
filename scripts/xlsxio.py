"""Writing plain input-style workbooks (for the demo generator and test factories)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from budget.report.render.xlsx import normalise_zip

FIXED = datetime(2017, 9, 1, 8, 0, 0)


def write_workbook(
    path: Path,
    sheets: dict[str, tuple[Sequence[Sequence[Any]], Sequence[str], Iterable[Sequence[Any]]]],
    stamp: datetime = FIXED,
) -> None:
    """Write sheets of (title rows, header, data rows) as a deterministic .xlsx."""
    import io

    wb = Workbook(write_only=True)
    for name, (titles, header, rows) in sheets.items():
        ws = wb.create_sheet(name)
        for t in titles:
            ws.append(list(t))
        ws.append(list(header))
        for row in rows:
            ws.append(list(row))
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "budget"
    raw = io.BytesIO()
    wb.save(raw)
    path.write_bytes(normalise_zip(raw.getvalue(), stamp))
