"""The tjänsteutlåtande as Word: the HTML's sections, tables and charts, the JSON's figures,
the same bytes for the same inputs, opened by python-docx and converted by LibreOffice, and
hostile text shown rather than lost."""

from __future__ import annotations

import dataclasses
import html
import io
import json
import re
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget.app.pipeline import make_report
from budget.checks.prepare import prepare
from budget.core import fmt
from budget.edge import inputs as inputs_mod
from budget.report.build import build_report
from budget.report.formats import docx as word
from budget.report.render import cells
from budget.report.sections import every
from tests.conftest import DEMO, Folder, need, soffice_convert
from tests.test_cells_writer import HOSTILE, STAMP
from tests.test_golden import GENERATED_AT, html_view

NAME = "skarholmen-2017-T2"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    out = tmp_path_factory.mktemp("docx")
    make_report(DEMO, 4, out, GENERATED_AT)
    written = make_report(DEMO, 8, out, GENERATED_AT)
    return out, written.report


def _text(value: str) -> str:
    return " ".join(value.split())


def tables(path: Path) -> list[tuple[int, list[list[str]]]]:
    """Each Word table as rows of cell texts, with its number of repeated header rows."""
    doc = Document(str(path))
    found = []
    for table in doc.tables:
        heads = sum(
            1
            for row in table.rows
            if row._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        )
        found.append((heads, [[_text(c.text) for c in row.cells] for row in table.rows]))
    return found


def test_the_word_tables_are_the_htmls(demo: tuple[Path, Any]) -> None:
    """Every table of the HTML is a Word table, in order, cell for cell; its header rows
    repeat on every page. Text the page shows only to screen readers (an area's name on
    each of its rows) is left out, as on paper."""
    out, _ = demo
    page_html = (out / f"{NAME}.html").read_text(encoding="utf-8")
    html_tables = html_view(out / f"{NAME}.html")["tables"]
    # First the summary's key figures (cards on the page): a table of label and value.
    (figure_heads, figures), *word_tables = tables(out / f"{NAME}.docx")
    assert figure_heads == 0
    assert len(figures) == page_html.count('<div class="figure">') >= 4
    assert len(word_tables) == len(html_tables) > 10
    # Each table's header (its <thead>) repeats on every page.
    assert sum(1 for heads, _ in word_tables if heads == 1) == page_html.count("<thead>")
    for (_, rows), page in zip(word_tables, html_tables, strict=True):
        assert len(rows) == len(page)
        for row, page_row in zip(rows, page, strict=True):
            assert len(row) == len(page_row)
            for cell, page_cell in zip(row, page_row, strict=True):
                # (The page's view joins the lines of a cell with <br> without a blank.)
                same = cell.replace(" ", "") == page_cell.replace(" ", "").replace("\xa0", "")
                assert same or (cell == "" and row.index(cell) == 0), (cell, page_cell)


def test_the_word_figures_are_the_jsons(demo: tuple[Path, Any]) -> None:
    """The table per verksamhetsområde holds the JSON's budget, outcome, forecast and
    variance of every shown line and the total, in the report's unit, right-aligned."""
    out, report = demo
    data = json.loads((out / f"{NAME}.json").read_text(encoding="utf-8"))
    unit = report.unit
    doc = Document(str(out / f"{NAME}.docx"))
    table = next(
        t
        for t in doc.tables
        if _text(t.rows[0].cells[-1].text) == "Prognosmetod"
        and _text(t.rows[0].cells[0].text) == "Verksamhetsområde"
    )
    header = [_text(c.text) for c in table.rows[0].cells]
    first = header.index("Helårsprognos") - 2  # budget and outcome before the forecast

    def money(kronor: float, signed: bool = False) -> str:
        return _text(fmt.money(int(Decimal(str(kronor)) * 100), unit, signed=signed))

    lines = iter(data["areas"])
    rows = list(table.rows)[1:]
    checked = 0
    for row in rows[:-1]:
        name = _text(row.cells[0].text.split("\n")[0])  # a review note may follow the name
        line = next(ln for ln in lines if (ln["subarea"] or ln["area"]) == name)
        shown = [_text(c.text) for c in row.cells[first : first + 4]]
        assert shown == [
            money(line["budget"]["net"]),
            money(line["actual"]["net"]),
            money(line["forecast"]["net"]),
            money(line["variance"], signed=True),
        ], name
        for cell in row.cells[1 : first + 4]:
            assert cell.paragraphs[0].alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT
        checked += 1
    assert checked >= 10
    total = [_text(c.text) for c in rows[-1].cells]
    assert total[0] == "Totalt"
    assert total[first : first + 4] == [
        money(data["total"]["budget"]["net"]),
        money(data["total"]["actual"]["net"]),
        money(data["total"]["forecast"]["net"]),
        money(data["total"]["variance"], signed=True),
    ]


def test_every_section_and_chart_is_in_the_document(demo: tuple[Path, Any]) -> None:
    """Every shown section with a title is a heading (Word's outline), the förslag till
    beslut is a numbered list, every chart an image with its caption as alternative text;
    the title block carries nämnd, diarienummer, handläggare and date."""
    out, report = demo
    doc = Document(str(out / f"{NAME}.docx"))
    headings = [_text(p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    page = (out / f"{NAME}.html").read_text(encoding="utf-8")
    main = page[page.index("<main>") :]
    html_headings = [
        _text(html.unescape(re.sub(r"<[^>]+>", "", h)))
        for h in re.findall(r"<h[234][^>]*>(.*?)</h[234]>", main, flags=re.S)
    ]
    assert headings == html_headings
    assert {"Sammanfattning", "Förslag till beslut"} <= set(headings)
    assert doc.paragraphs[0].text  # the title block first
    assert any(p.style.name == "Title" and p.text == report.title for p in doc.paragraphs)
    body = "\n".join(p.text for p in doc.paragraphs)
    for value in (report.namnd, report.diarienummer, report.handlaggare, str(report.date)):
        assert value
        assert value in body
    paragraphs = list(doc.paragraphs)
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Förslag till beslut") + 1
    decision = paragraphs[start : start + len(report.decision)]
    assert [p.text for p in decision] == list(report.decision)
    # Numbered by Word, from 1: a list of its own, not one going on from another list.
    numbers = {p._p.pPr.numPr.numId.val for p in decision}
    assert len(numbers) == 1
    num = doc.part.numbering_part.element.num_having_numId(numbers.pop())
    assert num.xpath("./w:lvlOverride/w:startOverride/@w:val") == ["1"]
    assert all(p.style.name == "List Number" for p in decision)
    charts = sum(
        len(s.figures(report)) for s in every() if s.figures is not None and s.visible(report)
    )
    pictures = doc.inline_shapes
    assert len(pictures) == charts > 10
    for shape in pictures:
        alt = shape._inline.docPr.get("descr")
        assert alt
        assert len(alt) > 20
        assert shape.width <= word.TEXT_WIDTH


def test_every_chart_fits_its_image(demo: tuple[Path, Any]) -> None:
    """The charts are laid out by chart_image._fit (measured once, not matplotlib's
    constrained layout): all that is drawn of every demo chart is inside the image (a legend
    of long names too), no subplot's labels run into a neighbour's frame, and the legend
    stands below the subplots."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from budget.report.render import chart_image

    _, report = demo
    figures = [
        fig
        for s in every()
        if s.figures is not None and s.visible(report)
        for fig in s.figures(report).values()
    ]
    assert len(figures) > 10
    for fig in figures:
        drawn = chart_image.draw(fig)
        canvas = FigureCanvasAgg(drawn)
        canvas.draw()  # as png renders it: the axis labels stand where the ticks put them
        renderer = canvas.get_renderer()
        # All that is drawn (ticks in view, labels, titles, bar labels, the legend).
        whole = drawn.get_tightbbox(renderer)
        page = drawn.bbox_inches
        slack = 1 / chart_image.DPI
        assert page.x0 - slack <= whole.x0, whole
        assert whole.x1 <= page.x1 + slack, whole
        assert page.y0 - slack <= whole.y0, whole
        assert whole.y1 <= page.y1 + slack, whole
        frames = [ax.get_window_extent(renderer) for ax in drawn.axes]
        for i, ax in enumerate(drawn.axes):
            tight = ax.get_tightbbox(renderer, for_layout_only=True)
            for j, frame in enumerate(frames):
                if i != j:
                    assert not tight.overlaps(frame), (i, j)
        for legend in drawn.legends:
            top = legend.get_window_extent(renderer).y1
            assert all(top <= ax.get_tightbbox(renderer).y0 + 1 for ax in drawn.axes)


def test_page_is_a4_portrait_with_page_numbers(demo: tuple[Path, Any]) -> None:
    out, report = demo
    doc = Document(str(out / f"{NAME}.docx"))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    text_width = section.page_width - section.left_margin - section.right_margin
    assert abs(text_width - word.TEXT_WIDTH) < Cm(0.01)
    footer = section.footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer
    assert 'w:instr="NUMPAGES"' in footer
    props = doc.core_properties
    assert props.created.replace(tzinfo=None) == GENERATED_AT
    assert props.modified.replace(tzinfo=None) == GENERATED_AT
    assert props.title == f"{report.namnd}: {report.title}"
    assert props.revision == 1


def test_same_inputs_give_the_same_bytes(demo: tuple[Path, Any], tmp_path: Path) -> None:
    """Rendered again (another process time, another wall clock): the same bytes; no zip
    entry carries the day it was written, and the document carries no thumbnail."""
    out, report = demo
    again = word.render(report)
    assert again == (out / f"{NAME}.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(again)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert not [n for n in z.namelist() if "thumbnail" in n]
        core = z.read("docProps/core.xml").decode()
        assert "2017-09-12T10:00:00Z" in core
        assert "python-docx" not in core


def test_the_charts_can_be_drawn_elsewhere(demo: tuple[Path, Any]) -> None:
    """``draw`` may be any map of chart_image.png over the charts' plotly JSON (another
    process's, in any order): the JSON survives pickling and each chart is drawn alone, so
    the document is the same bytes. Within ``charts.collected`` the sections' HTML carries
    each chart as its bare div, not plotly's JSON."""
    import pickle

    from budget.report.formats import html as page
    from budget.report.render import chart_image, charts
    from budget.report.sections import DOCUMENT

    out, report = demo
    seen: list[int] = []

    def elsewhere(specs: list[dict[str, Any]]) -> list[bytes]:
        seen.append(len(specs))
        moved = [pickle.loads(pickle.dumps(s)) for s in specs]
        return [chart_image.png(s) for s in reversed(moved)][::-1]

    assert word.render(report, draw=elsewhere) == (out / f"{NAME}.docx").read_bytes()
    assert seen == [len(Document(str(out / f"{NAME}.docx")).inline_shapes)]
    shared = page.context(report, cdn=True)
    chapter = next(
        c
        for c in DOCUMENT
        if c.visible(report) and "chart-" in page.section_html(c, report, shared)
    )
    with charts.collected() as figures:
        bare = page.section_html(chapter, report, shared)
    assert figures
    for div_id in figures:
        assert f'<div id="{div_id}" class="plotly-graph-div"></div>' in bare
    assert "Plotly.newPlot" not in bare
    assert "Plotly.newPlot" in page.section_html(chapter, report, shared)


def test_libreoffice_converts_it(demo: tuple[Path, Any], tmp_path: Path) -> None:
    """LibreOffice opens the document and prints it: the title, a table's figures and the
    page numbers are on the pages."""
    out, report = demo
    pdf = soffice_convert(out / f"{NAME}.docx", "pdf", tmp_path)
    text = subprocess.run(
        [need("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert report.title in text
    assert "Förslag till beslut" in text
    assert _text(fmt.money(report.total.forecast.net, report.unit)) in _text(text)
    pages = text.count("\f")
    assert pages >= 10
    assert f"Sida {pages} ({pages})" in _text(text) or f"Sida {pages}" in _text(text)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = Folder(tmp_path_factory.mktemp("word") / "testnamnd-2017")
    folder.changes(
        [["Omslutningsförändring", "Begärd", "Förskola", 1000, 1000, "text", "fin", "dnr"]]
    )
    return build_report(prepare(inputs_mod.load(folder.path), 4), STAMP)


def shown(value: str) -> str:
    """Text as the page shows it: the XML rule, then HTML's white space collapsed."""
    return " ".join(cells.xml_text(value).replace("\xa0", " ").split())


def all_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    parts += [p.text for p in doc.sections[0].header.paragraphs]
    return " ".join(" ".join(parts).replace("\xa0", " ").split())


@settings(deadline=None, max_examples=6, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([*HOSTILE, "\u202eRTL-märke\u200f och \u200e", "a\u0085b\u2028c"]),
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
)
def test_hostile_text_is_shown_not_lost(small: Any, name: str, text: str, dnr: str) -> None:
    """Control characters, characters XML cannot carry, formulas, RTL marks and very long
    text in names, descriptions and the decision: the document is written, opens, and
    shows each text (XML-illegal characters as U+FFFD, as in the workbooks)."""
    change = dataclasses.replace(
        small.changes[0], description=text, financier=name, diarienummer=dnr
    )
    poisoned = dataclasses.replace(
        small, namnd=name or "N", changes=(change,), decision=(text,), diarienummer=dnr
    )
    data = word.render(poisoned)
    found = all_text(data)
    for value in (text, name, dnr):
        assert shown(value) in found
    assert word.render(poisoned) == data


@settings(deadline=None, max_examples=5, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([*HOSTILE, "$x^2$", "a $ b $ c", "\u202eRTL\u200f"]), min_size=1))
def test_a_chart_draws_hostile_names(names: list[str]) -> None:
    """Names from the inputs on a chart's axis: drawn as text (no mathtext from ``$``),
    cut to a few lines, the same PNG each time, no metadata but the image's."""
    import plotly.graph_objects as go

    from budget.report.render import chart_image

    fig = go.Figure()
    fig.add_bar(y=names, x=[float(i) - 1 for i in range(len(names))], orientation="h")
    data = chart_image.png(fig)
    assert data.startswith(b"\x89PNG")
    assert data == chart_image.png(fig)
    assert b"tEXt" not in data  # no Software or date chunk


def test_a_label_inside_a_bar_is_dark_on_a_pale_bar_and_white_on_a_dark_one() -> None:
    """WCAG contrast, worked by hand: the pale hatched "utan utfall" green #cfe3d6 has a
    relative luminance of about 0,74 (white on it 1,3:1, the dark ink 12,8:1); the yellow
    "delvis" #e0b100 about 0,48 (2,0:1 against 8,7:1); the fulfilled green #1a7f4b about
    0,16 (white 5,0:1, ink 3,4:1). A label on a hatched bar gets a ground of the bar's colour
    so that the hatch does not run through it."""
    import plotly.graph_objects as go

    from budget.report.render import chart_image

    fig = go.Figure()
    for colour, text, shape in [
        ("#1a7f4b", "1 helt", ""),
        ("#cfe3d6", "2 utan utfall", "/"),
        ("#e0b100", "3 delvis", ""),
    ]:
        fig.add_bar(
            y=["Mål"],
            x=[int(text[0])],
            orientation="h",
            marker_color=colour,
            marker_pattern_shape=shape,
            text=[text],
            textposition="inside",
        )
    fig.update_layout(barmode="stack")
    drawn = chart_image.draw(fig)
    labels = {t.get_text(): t for ax in drawn.axes for t in ax.texts}
    assert labels["1 helt"].get_color() == "white"
    assert labels["2 utan utfall"].get_color() == chart_image.INK == "#1b1b1b"
    assert labels["3 delvis"].get_color() == "#1b1b1b"
    assert labels["2 utan utfall"].get_bbox_patch() is not None
    assert labels["1 helt"].get_bbox_patch() is None


def test_a_chart_is_the_picture_matplotlib_saves(demo: tuple[Path, Any]) -> None:
    """The PNG that chart_image writes itself (RGB where opaque, its own zlib level) is the
    picture matplotlib's savefig writes of the same figure, pixel for pixel."""
    import matplotlib
    import numpy as np
    from PIL import Image

    from budget.report.render import chart_image

    figures: list[dict[str, Any]] = []

    def keep(specs: list[dict[str, Any]]) -> list[bytes]:
        figures.extend(specs)
        return [chart_image.png(s) for s in specs]

    word.render(demo[1], draw=keep)
    assert len(figures) > 10
    for figure in figures[:: len(figures) // 4]:
        ours = Image.open(io.BytesIO(chart_image.png(figure)))
        saved = io.BytesIO()
        with matplotlib.rc_context(chart_image.RC):  # type: ignore[arg-type]
            chart_image.draw(figure).savefig(saved, format="png", dpi=chart_image.DPI)
        theirs = Image.open(saved)
        assert (ours.mode, theirs.mode) == ("RGB", "RGBA")
        assert ours.info["dpi"] == theirs.info["dpi"]
        assert np.array_equal(np.asarray(ours), np.asarray(theirs.convert("RGB")))
        assert np.asarray(theirs)[..., 3].min() == 255  # nothing lost with the alpha


def test_an_image_with_transparent_pixels_keeps_them() -> None:
    from PIL import Image

    from budget.report.render import chart_image

    pixels = Image.new("RGBA", (3, 2), (255, 255, 255, 255))
    pixels.putpixel((1, 1), (10, 20, 30, 128))
    back = Image.open(io.BytesIO(chart_image.encode(pixels)))
    assert back.mode == "RGBA"
    assert [back.getpixel((x, y)) for x in range(3) for y in range(2)] == [
        pixels.getpixel((x, y)) for x in range(3) for y in range(2)
    ]
