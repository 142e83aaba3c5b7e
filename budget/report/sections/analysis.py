"""Verksamhetsområdena: the förvaltning's analysis text (analys.docx, contract §7) beside
each area's figures, in report order; the summary's text is printed on the first page (the
Sammanfattning's template, through ``templates/sections/_analysis.html.j2``).

JSON ``analysis``: ``{"summary": text, "areas": [{"area", "subarea", "text"}]}``, the text
plain (``core.analysis.plain``). The sheet ``Analys`` holds one row per block (a paragraph, a
list item, a table row), bold where the whole block is bold."""

from __future__ import annotations

from typing import Annotated, Any, NotRequired

from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import Field
from typing_extensions import TypedDict

from budget.core.analysis import Heading, ListBlock, Part, Table, runs_text
from budget.core.lines import Line
from budget.report.model import Report
from budget.report.render.xlsx import table
from budget.report.sections.base import Section, Sheet


def shows(report: Report) -> bool:
    return report.analysis is not None and bool(report.analysis.parts)


def areas(report: Report) -> list[tuple[Line, list[Part], list[Line]]]:
    """Each area with text, in report order: its line, its parts (its own first, then its
    delområden's) and its delområden's lines."""
    if report.analysis is None:
        return []
    out = []
    for line in report.area_lines:
        parts = [p for p in report.analysis.parts if p.area == line.area]
        if parts:
            subs = [ln for ln in report.lines if ln.area == line.area and not ln.is_area]
            out.append((line, parts, subs))
    return out


class AnalysedJson(TypedDict):
    area: str
    subarea: str | None
    text: str


class AnalysisPartJson(TypedDict):
    summary: str
    areas: list[AnalysedJson]


class AnalysisJson(TypedDict):
    analysis: NotRequired[
        Annotated[
            AnalysisPartJson,
            Field(description="Contract §7: the förvaltning's analysis text (analys.docx), plain."),
        ]
    ]


def _analysed(part: Part) -> AnalysedJson:
    assert part.area is not None  # the summary's part (area None) is the summary
    return {"area": part.area, "subarea": part.subarea, "text": part.text}


def to_json(report: Report) -> AnalysisJson:
    a = report.analysis
    return {
        "analysis": {
            "summary": a.summary.text if a is not None and a.summary is not None else "",
            "areas": [_analysed(p) for p in (a.parts if a is not None else ())],
        }
    }


def _rows(part: Part) -> list[tuple[str, bool]]:
    """A part's blocks as sheet rows: (text, bold)."""
    rows: list[tuple[str, bool]] = []
    for block in part.blocks:
        if isinstance(block, ListBlock):
            for n, item in enumerate(block.items, 1):
                mark = f"{n}. " if block.ordered else "– "
                rows.append(("  " * item.level + mark + runs_text(item.runs), False))
        elif isinstance(block, Table):
            rows += [(" | ".join(runs_text(c) for c in row), False) for row in block.rows]
        else:
            bold = isinstance(block, Heading) or all(r.bold for r in block.runs if r.text.strip())
            rows.append((runs_text(block.runs), bold))
    return rows


def write_sheet(ws: Worksheet, report: Report) -> None:
    a = report.analysis
    parts = ([a.summary] if a is not None and a.summary is not None else []) + list(
        a.parts if a is not None else ()
    )
    rows = []
    bold = []
    for part in parts:
        for text, strong in _rows(part):
            rows.append([part.area or "Sammanfattning", part.subarea or "", text])
            bold.append(strong)
    table(
        ws,
        ["Verksamhetsområde", "Delområde", f"Förvaltningens text ({a.file if a else 'analys'})"],
        rows,
        [None] * 3,
        widths=[30, 28, 110],
    )
    widths = (30, 28, 110)
    for r, (row, strong) in enumerate(zip(rows, bold, strict=True), 2):
        for c in range(1, 4):
            ws.cell(row=r, column=c).alignment = Alignment(wrap_text=True, vertical="top")
        if strong:
            cell = ws.cell(row=r, column=3)
            cell.font = cell.font.copy(bold=True)
        # The height the wrapped text needs: LibreOffice keeps a row one line high unless
        # told, and the text of the next row would be drawn over it.
        lines = max(_lines(str(v), w) for v, w in zip(row, widths, strict=True))
        ws.row_dimensions[r].height = 15 * lines


def _lines(text: str, width: int) -> int:
    """Lines a text takes in a column ``width`` characters wide (a little narrower, as
    proportional text is)."""
    per = max(1, int(width * 0.95))
    return sum(max(1, -(-len(part) // per)) for part in text.split("\n"))


def context(report: Report) -> dict[str, Any]:
    return {"analysed": areas(report)}


SECTION: Section[None] = Section(
    "analysis",
    shows=shows,
    title="Verksamhetsområdena",
    anchor="verksamhetsomraden",
    json=to_json,
    sheets=(Sheet("Analys", write_sheet),),
    context=context,
)
