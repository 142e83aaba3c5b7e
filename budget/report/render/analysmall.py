"""The prefilled analys.docx (``budget analysmall``, contract §7): one heading per part in
report order (Sammanfattning, then each verksamhetsområde with its delområden), under it the
part's figures and short instructions, and the units' comments and the åtgärder as starting
text for the förvaltning to rewrite.

The figures and instructions are the toolkit's: they stand in the paragraph style
``GENERATED_STYLE`` (grey, italic), which the reader (``edge.analysis``) leaves out, so that
the template read back is the förvaltning's text alone and the figures are always the
report's own (the report prints them beside the text; a new template has them refreshed).
The same inputs give the same bytes: the document's dates are the end of the report period
and the zip's entry times fixed (``word.to_bytes``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt, RGBColor

from budget.core import fmt
from budget.core.analysis import GENERATED_STYLE, SUMMARY
from budget.core.lines import Line
from budget.core.measures import Measure
from budget.report.render import word

INSTRUCTIONS = (
    "Så fyller du i mallen: skriv förvaltningens text under varje rubrik – orsaker, volymer "
    "och vad förvaltningen gör åt avvikelsen. Rubrikerna ska stå kvar som de är skrivna: de "
    "kopplar texten till verksamhetsområdet i rapporten. Rubriker för områden utan text kan "
    "tas bort. Grå kursiv text är rapportens siffror och dessa instruktioner; den tas fram på "
    "nytt vid varje rapport och läses aldrig som förvaltningens text. Belopp i texten som står "
    "i samma mening som underskott, överskott eller avvikelse (t.ex. ”ett underskott på "
    "6,0 mnkr”) kontrolleras mot rapporten. Spara som analys.docx i indatamappen."
)


@dataclass(frozen=True)
class Template:
    """What the template shows: the report's name, its lines and the starting text."""

    namnd: str
    title: str
    period_text: str
    unit: str
    lines: Sequence[Line]
    total: Line
    measures: Sequence[Measure] = ()
    stamp: datetime = datetime(2000, 1, 1)


def _figures(line: Line, unit: str) -> str:
    v = line.variance.net
    what = " (överskott)" if v > 0 else " (underskott)" if v < 0 else ""
    return (
        "Rapportens siffror, netto (genereras vid varje rapport): budget "
        f"{fmt.money_with_unit(line.budget.net, unit)}, prognos "
        f"{fmt.money_with_unit(line.forecast.net, unit)}, avvikelse "
        f"{fmt.money_with_unit(v, unit, signed=True)}{what}."
    )


def _measure(m: Measure, unit: str) -> str:
    effect = fmt.money_with_unit(m.effect, unit, signed=True)
    status = m.status.lower()
    forecast = "ingår i prognosen" if m.in_forecast else "ingår inte i prognosen"
    who = f", ansvarig {m.responsible}" if m.responsible else ""
    return f"Åtgärd ({status}, {effect}, {forecast}{who}): {m.measure}"


def _starting_text(d: Any, t: Template, area: Line, line: Line) -> None:
    """Under a part's heading: its figures (generated), then the units' comments and the
    åtgärder of atgarder.xlsx for it, as text the förvaltning rewrites."""
    d.add_paragraph(_figures(line, t.unit), style=GENERATED_STYLE)
    for c in area.comments:
        if c.subarea == line.subarea:
            d.add_paragraph(c.text + (f" ({c.by})" if c.by else ""))
    for m in t.measures:
        if m.area == line.area and m.subarea == line.subarea:
            d.add_paragraph(_measure(m, t.unit), style="List Bullet")


def render(t: Template) -> bytes:
    """The template as .docx bytes, the same for the same ``Template``."""
    d = docx.Document()
    style = d.styles.add_style(GENERATED_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = d.styles["Normal"]
    style.font.italic = True
    style.font.size = Pt(9)
    style.font.color.rgb = RGBColor(0x59, 0x59, 0x59)

    def generated(text: str) -> None:
        d.add_paragraph(text, style=GENERATED_STYLE)

    generated(f"{t.namnd}: förvaltningens analys till {t.title} ({t.period_text}).")
    generated(INSTRUCTIONS)
    d.add_heading(SUMMARY, 1)
    generated(_figures(t.total, t.unit))
    generated(
        "Skriv här en kort sammanfattning: årets prognos, de största avvikelserna och deras "
        "orsaker, och vad förvaltningen gör åt underskotten. Den står först i rapporten."
    )
    for line in t.lines:
        if line.is_area and not line.is_unallocated and line.shown(True):
            d.add_heading(line.area, 1)
            _starting_text(d, t, line, line)
            subs = [s for s in t.lines if s.area == line.area and not s.is_area]
            for sub in subs:
                if not sub.is_unallocated and sub.shown(True):
                    d.add_heading(sub.subarea or "", 2)
                    _starting_text(d, t, line, sub)
    return word.to_bytes(d, t.stamp, title=f"Analys – {t.title}")
