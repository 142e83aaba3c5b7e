"""Where a first run spends its time, stage by stage, in one process (a profile, not a test).

Usage: python bench/stages.py [INPUTS_DIR]   (default: the 1 M-row bench inputs)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(folder: Path) -> None:
    os.environ["BUDGET_CACHE_DIR"] = tempfile.mkdtemp(prefix="stages-")  # a first run
    t0 = time.perf_counter()
    from budget.checks.prepare import prepare
    from budget.edge import inputs
    from budget.report.build import build_report

    marks = [("import", time.perf_counter() - t0)]
    t = time.perf_counter()
    loaded = inputs.load(folder)
    marks.append(("inläsning", time.perf_counter() - t))
    t = time.perf_counter()
    prepared = prepare(loaded, None)
    marks.append(("kontroller", time.perf_counter() - t))
    t = time.perf_counter()
    report = build_report(prepared, datetime(2017, 9, 12, 10))
    marks.append(("beräkning", time.perf_counter() - t))
    t = time.perf_counter()
    from budget.report.formats import html, json, workbook
    from budget.report.render import request

    html.render(report)
    json.render(report)
    workbook.render(report)
    request.render(report)
    marks.append(("rendering", time.perf_counter() - t))
    # The Word file apart (in a real run a helper process renders it beside the others,
    # app/renderers.py): its text and tables, then its charts drawn by matplotlib.
    t = time.perf_counter()
    from budget.report.formats import docx
    from budget.report.render import chart_image

    drawn: list[float] = []

    def draw(specs: list[dict[str, object]]) -> list[bytes]:
        start = time.perf_counter()
        pngs = chart_image.pngs(specs)
        drawn.append(time.perf_counter() - start)
        return pngs

    docx.render(report, draw=draw)
    marks.append(("Word-text", time.perf_counter() - t - sum(drawn)))
    marks.append(("Word-diagram", sum(drawn)))
    for label, seconds in marks:
        print(f"{label:12} {seconds:6.2f} s")


if __name__ == "__main__":
    default = ROOT / "bench" / "out" / "inputs-1048574-1" / "benchnamnd-2017"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
