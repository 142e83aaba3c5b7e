"""The tjänsteutlåtande as a Word document (python-docx): the report a handläggare opens,
edits and files.

A loop over ``sections.DOCUMENT`` that names no section. Each section's text and tables are
its template part (``templates/sections/<name>.html.j2``), read here as the printed page
shows it (``no-print`` and screen-reader-only text left out, every collapsed part open) and
written as Word structure: ``h2``/``h3`` as Heading 1/2 (the navigation pane's outline), a
table as a Word table with its caption above it, its header rows repeated on every page, its
numbers (``td.num``, formatted by ``core.fmt`` for the page) right-aligned and kept on one
line, total rows in bold; an ordered list (the förslag till beslut) numbered by Word. A
section's charts (the figures its template part draws, ``Section.figures``) are drawn as
images (``render.chart_image``) where the part places them, their caption as the image's
alternative text. The title block is
the page's front matter (``report.html.j2``): nämnd, title, date, diarienummer, handläggare.
A new section, the analysis text among them, appears here as it appears in the HTML, with
nothing to add in this module.

Text from the inputs goes through ``cells.xml_text`` (XML-illegal characters shown as
U+FFFD): python-docx refuses them with an exception. The same report gives the same bytes:
the document becomes bytes through ``word.to_bytes`` (its dates the report's
``generated_at``, the zip entries' times fixed, no thumbnail), images without metadata.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.simpletypes import ST_HpsMeasure, ST_SignedTwipsMeasure
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.text.paragraph import Paragraph

from budget.report.formats import html
from budget.report.model import Report
from budget.report.render import cells, chart_image, charts, word
from budget.report.sections import DOCUMENT

PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)  # A4
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM = Cm(2.25), Cm(2.0), Cm(2.0)
TEXT_WIDTH = Emu(PAGE_WIDTH - 2 * MARGIN_SIDE)  # 16,5 cm: the charts' width too
IMAGE_MAX_HEIGHT = Cm(22.0)
BODY_SIZE, TABLE_SIZE, SMALL_SIZE = Pt(10), Pt(8), Pt(8)  # the print style's sizes
MIN_TABLE_SIZE = 6.5  # points: a table of many columns, rather than numbers over two lines
ACCENT = "1F3A5F"
MUTED = RGBColor(0x55, 0x55, 0x55)
FONT = "Arial"  # LibreOffice draws it with Liberation Sans, of the same widths
CHAR_WIDTH_CM = 0.17  # an average character of the tables' 8 pt text, bold
CELL_MARGIN_TWIPS = 57  # 0,1 cm each side of a cell's text (Word's default is 0,19 cm)
CELL_PADDING_CM = 0.35  # both margins and a little room for the renderer's rounding
LONGEST_LINE = 40  # characters of a text column's line before its width stops growing

_RUN_CONTROLS = re.compile(r"[\t\n\r]")  # written as <w:tab/>, <w:br/>, not as text
_INDENT = Cm(0.3)  # a delområde's name under its area
_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's white space (not the no-break space of numbers)
_HEADINGS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3}
_PARAGRAPHS = {"p", "li", "summary", "dt", "dd", "figcaption", "caption"}
_HIDDEN = {"no-print", "visually-hidden"}
_SKIPPED_TAGS = {"head", "script", "style", "nav", "template"}
# What follows an element in its parent (WordprocessingML's order, which Word holds to).
_AFTER_CELL_MARGINS = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
_AFTER_BORDERS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
# The charts' plotly JSON to PNG images, in order (``chart_image.pngs``, or a pool's map).
Draw = Callable[[list[dict[str, Any]]], list[bytes]]
_VOID = {"br", "img", "meta", "link", "hr", "input", "wbr"}
_TABLE_PARTS = {"table", "caption", "thead", "tr", "td", "th"}


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    br: bool = False  # a <br>: a line break within the paragraph or cell


@dataclass
class Cell:
    runs: list[Run] = field(default_factory=list)
    number: bool = False
    name: bool = False  # a <th>: a row's name, bold as the page shows it (not a delområde's)

    def text(self) -> str:
        return _SPACE.sub(" ", "".join(r.text for r in self.runs)).strip()


@dataclass
class Row:
    cells: list[Cell] = field(default_factory=list)
    head: bool = False
    kind: str = ""  # the row's class: area, sub, total, group


@dataclass
class Picture:
    """A chart's place in the document: the run its picture goes in, the plotly figure's
    JSON it is drawn from, and its alternative text."""

    run: Any
    spec: dict[str, Any]
    alt: str


@dataclass
class TableDraft:
    caption: list[Run] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


def _classes(attrs: list[tuple[str, str | None]]) -> set[str]:
    return set((dict(attrs).get("class") or "").split())


def clean(text: str) -> str:
    """Text as Word can hold it: the workbooks' rule (``cells.xml_text``)."""
    return cells.xml_text(text)


class _Builder(HTMLParser):
    """Section HTML -> Word paragraphs, tables and images, in reading order."""

    def __init__(
        self,
        doc: WordDocument,
        figures: dict[str, Any],
        images: list[Picture],
        styles: dict[str, str | None] | None = None,
    ) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = doc
        self.styles = {} if styles is None else styles  # the document's, shared by builders
        self.figures = figures
        self.images = images  # the charts' places, in reading order
        self.stack: list[tuple[str, bool]] = []  # open tags, and whether each hides its text
        self.hidden = 0
        self.runs: list[Run] = []
        self.block: str | None = None  # the open paragraph-like element
        self.block_classes: set[str] = set()
        self.bold = 0
        self.italic = 0
        self.lists: list[str] = []
        self.table: TableDraft | None = None
        self.row: Row | None = None
        self.cell: Cell | None = None
        self.in_head = False
        self.in_caption = False
        self.caption_text = ""  # the last figure caption: the next image's alternative text
        self.label: list[Run] | None = None  # a <dt>, said before its <dd>
        self.figure_row: list[list[Run]] | None = None
        self.key_figures: list[list[list[Run]]] | None = None
        self.divs: list[str] = []
        self.list_number: int | None = None  # the open <ol>'s numbering, from 1

    # -- parsing

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = _classes(attrs)
        hides = tag in _SKIPPED_TAGS or bool(classes & _HIDDEN)
        if tag not in _VOID:
            self.stack.append((tag, hides))
        if hides:
            self.hidden += 1
        if not self.hidden:
            self._start(tag, dict(attrs).get("id"), classes)

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching open tag (the templates' HTML is well formed; a stray
        # end tag is ignored rather than unbalancing the stack).
        if not any(t == tag for t, _ in self.stack):
            return
        while self.stack:
            open_tag, hides = self.stack.pop()
            if not self.hidden:
                self._end(open_tag)
            if hides:
                self.hidden -= 1
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.hidden and data:
            self._add(data)

    def _start(self, tag: str, id_: str | None, classes: set[str]) -> None:
        if tag == "br":
            self._add("", br=True)
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "div":
            self._div(id_, classes)
        elif tag in ("ol", "ul"):
            self._flush()
            self.lists.append(tag)
            self.list_number = _restarted_numbering(self.doc) if tag == "ol" else None
        elif tag in _TABLE_PARTS:
            self._table_part(tag, classes)
        elif tag in _HEADINGS or tag in _PARAGRAPHS:
            self._open(tag, classes)

    def _end(self, tag: str) -> None:
        if tag == "div":
            self._div_end()
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        elif tag in _TABLE_PARTS:
            self._table_part_end(tag)
        elif tag in ("ol", "ul") and self.lists:
            self._flush()
            self.lists.pop()
        elif (tag in _HEADINGS or tag in _PARAGRAPHS) and self.block == tag:
            self._flush()

    def _table_part(self, tag: str, classes: set[str]) -> None:
        if tag == "table":
            self._flush()
            self.table = TableDraft()
        elif tag == "caption" and self.table is not None:
            self.in_caption = True
        elif tag == "thead":
            self.in_head = True
        elif tag == "tr" and self.table is not None:
            kind = next((c for c in ("total", "area", "sub", "group") if c in classes), "")
            self.row = Row(head=self.in_head, kind=kind)
        elif tag in ("td", "th") and self.row is not None:
            self.cell = Cell(number="num" in classes, name=tag == "th" and self.row.kind != "sub")

    def _table_part_end(self, tag: str) -> None:
        if tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.cells.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.table is not None and self.row is not None:
            self.table.rows.append(self.row)
            self.row = None
        elif tag == "thead":
            self.in_head = False
        elif tag == "caption":
            self.in_caption = False
        elif tag == "table" and self.table is not None:
            draft, self.table = self.table, None
            self._table(draft)

    def _div(self, id_: str | None, classes: set[str]) -> None:
        """A div's role: the key figures (a table of label and value), one of them, its
        label or value, a chart's place, a flag, or none."""
        role = "other"
        if "figures" in classes:
            self._flush()
            self.key_figures = []
            role = "figures"
        elif "figure" in classes and self.key_figures is not None:
            self.figure_row = []
            self.key_figures.append(self.figure_row)
            role = "figure"
        elif classes & {"label", "value"} and self.figure_row is not None:
            self.figure_row.append([])
        elif "plotly-graph-div" in classes:
            if id_ is None or id_ not in self.figures:
                # A bug, not a chart left out: the section draws a chart it does not give.
                raise ValueError(f"the chart {id_!r} is not among its section's figures")
            self._flush()
            self._image(self.figures[id_])
        elif "flag" in classes:
            self._open("flag", classes)
            role = "flag"
        self.divs.append(role)

    def _div_end(self) -> None:
        role = self.divs.pop() if self.divs else "other"
        if role == "figure":
            self.figure_row = None
        elif role == "figures" and self.key_figures is not None:
            figures, self.key_figures = self.key_figures, None
            self._key_figures(figures)
        elif role == "flag":
            self._flush()

    # -- collecting text

    def _add(self, text: str, br: bool = False) -> None:
        run = Run(text, bold=self.bold > 0, italic=self.italic > 0, br=br)
        if self.cell is not None:
            self.cell.runs.append(run)
        elif self.in_caption and self.table is not None:
            self.table.caption.append(run)
        elif self.figure_row is not None and self.figure_row:
            self.figure_row[-1].append(run)
        elif self.table is None and self.key_figures is None:
            if self.block is None and not text.strip():
                return  # white space between blocks
            self.runs.append(run)

    def _open(self, tag: str, classes: set[str]) -> None:
        if tag == "dd" and self.block == "dt":
            return
        self._flush()
        self.block = tag
        self.block_classes = classes

    def _flush(self) -> None:
        """Write the text collected so far as one paragraph in the open block's style."""
        runs, block, classes = self.runs, self.block, self.block_classes
        self.runs, self.block, self.block_classes = [], None, set()
        if block == "dt":
            self.label = runs
            return
        if block == "dd" and self.label is not None:
            runs = [Run(_text(self.label) + ": ", bold=True), *runs]
            self.label = None
        text = _text(runs)
        if not text:
            return
        if block == "figcaption":
            self.caption_text = text
        if block in _HEADINGS:
            level = _HEADINGS[block]  # python-docx's add_heading, its style looked up once
            heading = self.doc.add_paragraph(clean(text))
            heading._p.style = self._style_id("Title" if level == 0 else f"Heading {level}")
        else:
            self._paragraph(block, classes, runs)

    def _paragraph(self, block: str | None, classes: set[str], runs: list[Run]) -> None:
        style = None
        if block == "li":
            style = "List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet"
        elif block in ("figcaption", "caption"):
            style = "Caption"
        paragraph = self.doc.add_paragraph()
        if style is not None:
            paragraph._p.style = self._style_id(style)
        if style == "List Number" and self.list_number is not None:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = self.list_number
        _runs(paragraph, runs)
        muted = bool(classes & {"muted", "sign-rule", "org"})
        for run in paragraph.runs:
            if muted:
                run.font.color.rgb = MUTED
                run.font.size = SMALL_SIZE
            if block == "summary":
                run.bold = True
        if block == "flag":
            _left_border(paragraph)

    # -- writing

    def _style_id(self, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> str | None:
        """The id of the style ``name`` (None: the default), as python-docx's ``style``
        setters find it, looked up once per document: they search the styles twice on
        every assignment, a tenth of the Word file's text."""
        if name not in self.styles:
            self.styles[name] = self.doc.part.get_style_id(name, kind)  # type: ignore[no-untyped-call]
        return self.styles[name]

    def _image(self, figure: Any) -> None:
        """A chart's place: its paragraph now, its picture once every chart is drawn
        (``document``), with the last figure caption as its alternative text."""
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_together = True
        alt = self.caption_text or "Diagram"
        self.images.append(Picture(paragraph.add_run(), figure.to_plotly_json(), alt))
        self.caption_text = ""

    def _table(self, draft: TableDraft) -> None:
        rows = [r for r in draft.rows if r.cells]
        if not rows:
            return
        caption = _text(draft.caption)
        if caption:
            paragraph = self.doc.add_paragraph()
            paragraph._p.style = self._style_id("Caption")
            _runs(paragraph, draft.caption)
            paragraph.paragraph_format.keep_with_next = True
        columns = max(len(r.cells) for r in rows)
        table = self.doc.add_table(rows=0, cols=columns)
        table._tbl.tblStyle_val = self._style_id("Table Grid", WD_STYLE_TYPE.TABLE)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        margins = _element("w:tblCellMar")
        for side in ("left", "right"):
            margin = {"w:w": str(CELL_MARGIN_TWIPS), "w:type": "dxa"}
            margins.append(_element(f"w:{side}", **margin))
        table._tbl.tblPr.insert_element_before(margins, *_AFTER_CELL_MARGINS)
        widths, size = _widths(rows, columns)
        for i, width in enumerate(widths):
            table.columns[i].width = width
        keep = len(rows) <= 25  # _keep_rows_together's rule, written with the rows
        tbl = table._tbl
        for n, draft_row in enumerate(rows):
            _row(tbl, draft_row, widths, size, keep_next=keep and n < len(rows) - 1)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def _key_figures(self, figures: list[list[list[Run]]]) -> None:
        """The summary's key figures: a two-column table, label and value."""
        rows = [
            Row(cells=[Cell(runs=parts[0]), Cell(runs=parts[1], number=True)])
            for parts in figures
            if len(parts) == 2
        ]
        self._table(TableDraft(rows=rows))


def _row(tbl: Any, row: Row, widths: list[Emu], size: Pt, keep_next: bool) -> None:
    """One row of a Word table, its XML written directly (python-docx's proxies re-walk
    the XML on every property set: a table cost seconds). Each cell: its text at the
    tables' size, a number right-aligned on one line, a delområde's name indented, the
    header white on the accent, a total bold; every row but a short table's last kept with
    the next (the page's ``break-inside: avoid``: a long table breaks between rows, its
    header repeated). The elements are in the schema's order, as python-docx writes them."""
    tr = _sub(tbl, "w:tr")
    tr_pr = _sub(tr, "w:trPr")
    _sub(tr_pr, "w:cantSplit")
    if row.head:
        _sub(tr_pr, "w:tblHeader")
    half_points = ST_HpsMeasure.convert_to_xml(size)
    bold = row.head or row.kind in ("total", "area")
    for i, width in enumerate(widths):
        source = row.cells[i] if i < len(row.cells) else Cell()
        tc = _sub(tr, "w:tc")
        tc_pr = _sub(tc, "w:tcPr")
        _sub(tc_pr, "w:tcW", {"w:type": "dxa", "w:w": str(width.twips)})
        if row.head:
            _sub(tc_pr, "w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": ACCENT})
        if source.number:
            _sub(tc_pr, "w:noWrap")
        p = _sub(tc, "w:p")
        p_pr = _sub(p, "w:pPr")
        if keep_next:
            _sub(p_pr, "w:keepNext")
        _sub(p_pr, "w:spacing", {"w:after": "0"})
        if row.kind == "sub" and i == 0:
            _sub(p_pr, "w:ind", {"w:left": ST_SignedTwipsMeasure.convert_to_xml(_INDENT)})
        if source.number:
            _sub(p_pr, "w:jc", {"w:val": "right"})
        for run in _merged(source.runs):
            if run.br or run.text:
                _run(p, run, bold or source.name, row.head, half_points)


def _run(p: Any, run: Run, bold: bool, white: bool, half_points: str) -> None:
    """One run of a table cell: bold, italic, white and the size in rPr's order."""
    r = _sub(p, "w:r")
    r_pr = _sub(r, "w:rPr")
    if bold or (run.bold and not run.br):
        _sub(r_pr, "w:b")
    if run.italic and not run.br:
        _sub(r_pr, "w:i")
    if white:
        _sub(r_pr, "w:color", {"w:val": "FFFFFF"})
    if run.br:
        _sub(r, "w:br")
        return
    _sub(r_pr, "w:sz", {"w:val": half_points})
    text = clean(run.text)
    if _RUN_CONTROLS.search(text):
        r.text = text  # python-docx's rule for a tab or a line break in a run
        return
    t = _sub(r, "w:t")
    t.text = text
    if len(text.strip()) < len(text):
        t.set(qn("xml:space"), "preserve")


def _sub(parent: Any, tag: str, attrs: dict[str, str] | None = None) -> Any:
    element = parent.makeelement(_qn(tag))
    parent.append(element)
    for key, value in (attrs or {}).items():
        element.set(_qn(key), value)
    return element


# python-docx's qn, for the few names the tables use tens of thousands of times.
_qn = functools.cache(qn)


def _text(runs: list[Run]) -> str:
    return _SPACE.sub(" ", "".join(r.text for r in runs)).strip()


def _runs(paragraph: Paragraph, runs: list[Run], size: Pt | None = None) -> None:
    """Runs into a paragraph: white space collapsed as a browser does (no blank at either
    end of a line), ``<br>`` as a line break."""
    for run in _merged(runs):
        if run.br:
            paragraph.add_run().add_break()
            continue
        if not run.text:
            continue
        out = paragraph.add_run(clean(run.text))
        out.bold = run.bold or None
        out.italic = run.italic or None
        if size is not None:
            out.font.size = size


def _merged(runs: list[Run]) -> list[Run]:
    """The runs with white space collapsed as a browser does, neighbours of one style as one."""
    merged: list[Run] = []
    for run in runs:
        text = _SPACE.sub(" ", run.text)
        ends_line = not merged or merged[-1].br or merged[-1].text.endswith(" ")
        if ends_line or run.br:
            text = text.lstrip(" ")
        if run.br and merged:
            merged[-1].text = merged[-1].text.rstrip(" ")
        last = merged[-1] if merged else None
        if (
            last
            and not run.br
            and not last.br
            and (last.bold, last.italic) == (run.bold, run.italic)
        ):
            last.text += text
        else:
            merged.append(Run(text, run.bold, run.italic, run.br))
    if merged:
        merged[-1].text = merged[-1].text.rstrip(" ")
    return merged


def _widths(rows: list[Row], columns: int) -> tuple[list[Emu], Pt]:
    """Column widths that fill the text width: a number column as wide as its longest
    number (numbers stay on one line), a text column after its text, wrapping past
    ``LONGEST_LINE`` characters, never narrower than its longest word."""
    least = [0.0] * columns
    numeric = [
        all(
            r.cells[i].number for r in rows if not r.head and i < len(r.cells) and r.cells[i].text()
        )
        for i in range(columns)
    ]
    wanted = [0.0] * columns
    for row in rows:
        for i, cell in enumerate(row.cells[:columns]):
            text = cell.text()
            words = max((len(w) for w in text.split(" ")), default=0)
            if cell.number and not row.head:
                need = len(text)
                least[i] = max(least[i], need)
                wanted[i] = max(wanted[i], need)
            else:
                least[i] = max(least[i], min(words, 18 if row.head else LONGEST_LINE))
                wanted[i] = max(wanted[i], min(len(text), LONGEST_LINE))
    least_cm = [n * CHAR_WIDTH_CM + CELL_PADDING_CM for n in least]
    wanted_cm = [
        max(n * CHAR_WIDTH_CM + CELL_PADDING_CM, m) for n, m in zip(wanted, least_cm, strict=True)
    ]
    total = TEXT_WIDTH.cm
    if sum(wanted_cm) <= total:
        # The room left goes to the text columns (a number is as wide as it needs).
        grows = [w if not numeric[i] else 0.0 for i, w in enumerate(wanted_cm)]
        grows = grows if sum(grows) else wanted_cm
        room = total - sum(wanted_cm)
        sized = [w + room * g / sum(grows) for w, g in zip(wanted_cm, grows, strict=True)]
    elif sum(least_cm) >= total:
        # Wider than the page at the tables' size: a smaller size (down to MIN_TABLE_SIZE)
        # rather than numbers broken over lines.
        scale = total / sum(least_cm)
        sized = [w * scale for w in least_cm]
        return [Emu(int(Cm(w))) for w in sized], Pt(max(MIN_TABLE_SIZE, 8 * scale))
    else:
        room = total - sum(least_cm)
        extra = [w - m for w, m in zip(wanted_cm, least_cm, strict=True)]
        sized = [m + room * e / sum(extra) for m, e in zip(least_cm, extra, strict=True)]
    return [Emu(int(Cm(w))) for w in sized], TABLE_SIZE


def _element(tag: str, **attrs: str) -> Any:
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(key), value)
    return element


def _left_border(paragraph: Paragraph) -> None:
    """A flag's rule in the margin (the page's ``.flag``)."""
    borders = _element("w:pBdr")
    borders.append(
        _element("w:left", **{"w:val": "single", "w:sz": "24", "w:space": "6", "w:color": "997404"})
    )
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_BORDERS)


def _restarted_numbering(doc: WordDocument) -> int:
    """A numbering of the List Number style that starts again at 1: each ordered list (the
    förslag till beslut, a list in the analysis) counts from one, not on from the last."""
    numbering = doc.part.numbering_part.element
    style_num = doc.styles["List Number"].element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return int(num.numId)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A field Word and LibreOffice fill in (PAGE, NUMPAGES)."""
    simple = _element("w:fldSimple", **{"w:instr": instruction})
    run = _element("w:r")
    text = _element("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _setup(doc: WordDocument, report: Report) -> None:
    """A4 portrait with margins; Swedish text at the style's sizes; page numbers below and
    the nämnd, title and diarienummer above, as the printed HTML."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN_SIDE
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    rpr = normal.element.get_or_add_rPr()
    rpr.append(_element("w:lang", **{"w:val": "sv-SE", "w:eastAsia": "sv-SE", "w:bidi": "ar-SA"}))
    doc.styles["Caption"].font.size = Pt(9)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title", "Caption"):
        doc.styles[name].font.color.rgb = RGBColor.from_string(ACCENT)
        doc.styles[name].font.name = FONT
    head = section.header.paragraphs[0]
    dnr = (
        f"Dnr {report.diarienummer}"
        if report.diarienummer
        else (report.date.isoformat() if report.date else "")
    )
    top = head.add_run(clean(" · ".join(x for x in (report.namnd, report.title, dnr) if x)))
    top.font.size, top.font.color.rgb = Pt(9), MUTED
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run("Sida ").font.size = SMALL_SIZE
    _field(foot, "PAGE")
    foot.add_run(" (").font.size = SMALL_SIZE
    _field(foot, "NUMPAGES")
    foot.add_run(")").font.size = SMALL_SIZE


def document(report: Report, draw: Draw | None = None) -> WordDocument:
    """The tjänsteutlåtande: the title block, then each shown chapter of ``DOCUMENT``.

    Each chapter's HTML is read with its charts as bare divs (``charts.collected``), each
    chart's figure taken where its div stands; the charts are drawn together at the end,
    by ``draw`` (the plotly figures' JSON to PNGs, in order: ``chart_image.pngs`` unless a
    caller gives a pool's), and put in their places in reading order."""
    doc = Document()
    _setup(doc, report)
    shared = html.context(report, cdn=True)
    images: list[Picture] = []
    styles: dict[str, str | None] = {}
    front = _Builder(doc, {}, images, styles)
    front.feed(html.page(shared, "", ""))
    front.close()
    front._flush()
    for chapter in DOCUMENT:
        if not chapter.visible(report):
            continue
        with charts.collected() as figures:
            text = html.section_html(chapter, report, shared)
        builder = _Builder(doc, figures, images, styles)
        builder.feed(text)
        builder.close()
        builder._flush()
    pngs = (draw or chart_image.pngs)([image.spec for image in images])
    for image, data in zip(images, pngs, strict=True):
        _picture(image, data)
    return doc


def _picture(image: Picture, data: bytes) -> None:
    """A drawn chart in its place: the text width, at most ``IMAGE_MAX_HEIGHT`` high."""
    shape = image.run.add_picture(io.BytesIO(data), width=TEXT_WIDTH)
    if shape.height > IMAGE_MAX_HEIGHT:
        ratio = IMAGE_MAX_HEIGHT / shape.height
        shape.height = IMAGE_MAX_HEIGHT
        shape.width = Emu(int(shape.width * ratio))
    shape._inline.docPr.set("descr", clean(image.alt))
    shape._inline.docPr.set("title", clean(image.alt[:80]))


def render(report: Report, draw: Draw | None = None) -> bytes:
    """The document as bytes, its properties the report's (``word.to_bytes``); ``draw``
    as ``document`` takes it."""
    return word.to_bytes(
        document(report, draw),
        report.generated_at,
        title=f"{report.namnd}: {report.title}",
        subject=report.namnd,
        author=report.handlaggare or "budget",
    )
