"""The förvaltning's analysis text (contract §7): analys.docx and analys.md read into parts,
the figures in it checked against the report, and the text in every format."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget.cli import cli
from budget.core.analysis import (
    GENERATED_STYLE,
    Analysis,
    Entry,
    Heading,
    ListBlock,
    Names,
    Paragraph,
    Part,
    Run,
    Source,
    Table,
    account,
    assign,
    contradictions,
    plain,
    runs_text_of,
    sentences,
    stated,
)
from budget.core.lines import Line
from budget.core.money import Sides
from budget.core.review import Facts, review
from budget.edge.analysis import markdown_entries, read
from tests.conftest import Folder, report_json

NAMES = Names(
    ("Förskola", "Äldreomsorg"),
    (("Äldreomsorg", "Hemtjänst egen regi"), ("Äldreomsorg", "Hemtjänst externa utförare")),
)


def heading(text: str, level: int = 1) -> Entry:
    return Entry(Heading((Run(text),), level), "x")


def para(text: str, where: str = "x") -> Entry:
    return Entry(Paragraph((Run(text),)), where)


# -- Reading Word -------------------------------------------------------------------------


def write_docx(path: Path) -> Path:
    d = docx.Document()
    d.add_heading("Sammanfattning", 1)
    p = d.add_paragraph("Förvaltningen prognostiserar ett ")
    p.add_run("överskott").bold = True
    p.add_run(" för året, ")
    p.add_run("främst inom äldreomsorgen").italic = True
    p.add_run(".")
    d.add_heading("Äldreomsorg", 1)
    d.add_paragraph("Volymerna ökar.")
    d.add_paragraph("Första punkten", style="List Bullet")
    d.add_paragraph("Andra punkten", style="List Bullet")
    d.add_paragraph("Steg ett", style="List Number")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "Mått"
    t.cell(0, 1).text = "Utfall"
    t.cell(1, 0).text = "Timmar"
    t.cell(1, 1).text = "12 500"
    d.add_heading("hemtjanst EGEN regi", 2)
    d.add_paragraph("Delområdets text.")
    d.add_paragraph("Genererad siffra", style=d.styles.add_style(GENERATED_STYLE, 1))
    d.save(str(path))
    return path


def test_docx_parts_keep_paragraphs_lists_tables_and_formatting(tmp_path: Path) -> None:
    source, found = read(write_docx(tmp_path / "analys.docx"))
    assert found == []
    assert source is not None
    analysis, warnings = assign(source, NAMES)
    assert warnings == []
    assert analysis.summary is not None
    runs = analysis.summary.blocks[0].runs  # type: ignore[union-attr]
    assert Run("överskott", bold=True) in runs
    assert Run("främst inom äldreomsorgen", italic=True) in runs
    area = analysis.part("Äldreomsorg")
    assert area is not None
    kinds = [type(b).__name__ for b in area.blocks]
    assert kinds == ["Paragraph", "ListBlock", "ListBlock", "Table"]
    bullets, numbered, table = area.blocks[1], area.blocks[2], area.blocks[3]
    assert isinstance(bullets, ListBlock)
    assert not bullets.ordered
    assert len(bullets.items) == 2
    assert isinstance(numbered, ListBlock)
    assert numbered.ordered
    assert isinstance(table, Table)
    assert plain([table]) == "Mått | Utfall\nTimmar | 12 500"
    sub = analysis.part("Äldreomsorg", "Hemtjänst egen regi")
    assert sub is not None
    assert sub.heading == "hemtjanst EGEN regi"
    # The template's generated text is the toolkit's, not the förvaltning's.
    assert sub.text == "Delområdets text."


def _with_body(path: Path, body_xml: str) -> Path:
    """A docx whose body is replaced by ``body_xml`` (WordprocessingML)."""
    base = tmp = path.with_suffix(".base.docx")
    docx.Document().save(str(tmp))
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                data = f"<w:document {ns}><w:body>{body_xml}</w:body></w:document>".encode()
            zout.writestr(info, data)
    return path


def test_docx_text_in_controls_insertions_and_links_is_read_deleted_is_not(
    tmp_path: Path,
) -> None:
    body = (
        '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Förskola</w:t></w:r></w:p>'
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>I en innehållskontroll.</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
        "<w:p><w:ins><w:r><w:t>Infogad </w:t></w:r></w:ins>"
        "<w:del><w:r><w:delText>Struken </w:delText></w:r></w:del>"
        "<w:hyperlink><w:r><w:rPr><w:b/></w:rPr><w:t>länk</w:t></w:r></w:hyperlink></w:p>"
    )
    source, found = read(_with_body(tmp_path / "analys.docx", body))
    assert source is not None, found
    analysis, _ = assign(source, NAMES)
    part = analysis.part("Förskola")
    assert part is not None
    assert part.text == "I en innehållskontroll.\n\nInfogad länk"
    assert Run("länk", bold=True) in part.blocks[1].runs  # type: ignore[union-attr]


# -- Reading Markdown ----------------------------------------------------------------------


def test_markdown_headings_lists_tables_emphasis() -> None:
    text = (
        "# Sammanfattning\n\nEtt **fetstilt** och *kursivt* ord.\n\n"
        "## Äldreomsorg\n\n- ett\n- två\n  - tre\n\n1. först\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nkod\n```\n"
    )
    analysis, found = assign(Source("analys.md", tuple(markdown_entries(text))), NAMES)
    assert found == []
    assert analysis.summary is not None
    assert Run("fetstilt", bold=True) in analysis.summary.blocks[0].runs  # type: ignore[union-attr]
    part = analysis.part("Äldreomsorg")
    assert part is not None
    assert part.text == "– ett\n– två\n  – tre\n\n1. först\n\na | b\n1 | 2\n\nkod"
    assert part.where[0] == "rad 7"


# -- Which part a heading opens --------------------------------------------------------------


def test_unknown_heading_warns_with_the_closest_name_and_keeps_its_text() -> None:
    source = Source(
        "analys.docx",
        (
            para("Före allt.", "stycke 1"),
            heading("Äldreomsorg"),
            para("A"),
            Entry(Heading((Run("Hemtjänsten"),), 2), "stycke 4"),
            para("B"),
            heading("Äldreomsorg › Hemtjänst externa utförare"),
            para("C"),
            heading("Förskola"),
            heading("förskola"),
            para("D"),
        ),
    )
    analysis, found = assign(source, NAMES)
    codes = [d.code for d in found]
    assert codes == ["W341", "W343", "W342"]
    unknown = found[0]
    assert unknown.cell == "stycke 4"
    assert "närmast: Hemtjänst egen regi" in unknown.message
    assert found[2].cell == "stycke 1"
    assert analysis.summary is not None
    assert analysis.summary.text == "Före allt."
    part = analysis.part("Äldreomsorg")
    assert part is not None
    assert part.text == "A\n\nHemtjänsten\n\nB"
    sub = analysis.part("Äldreomsorg", "Hemtjänst externa utförare")
    assert sub is not None
    assert sub.text == "C"
    assert [(p.area, p.subarea) for p in analysis.parts] == [
        ("Förskola", None),
        ("Äldreomsorg", None),
        ("Äldreomsorg", "Hemtjänst externa utförare"),
    ]


# -- Figures in the text, worked by hand ---------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "word", "ore", "signed"),
    [
        ("Området visar ett underskott på 6,0 mnkr.", "underskott", -600_000_000, True),
        ("Överskottet beräknas till 8 mnkr", "överskott", 800_000_000, True),
        ("Avvikelsen är −1,5 mnkr mot budget.", "avvikelse", -150_000_000, True),
        ("En negativ avvikelse om 1 500 tkr.", "avvikelse", -150_000_000, True),
        ("En avvikelse på 2 500 000 kr.", "avvikelse", 250_000_000, False),
        ("Ett underskott på 6,5 miljoner kronor.", "underskott", -650_000_000, True),
        ("Underskottet, −3 200 tkr, beror på volymer.", "underskott", -320_000_000, True),
        # Each amount goes with the word nearest it.
        (
            "Överskottet i hemtjänsten vägs upp av ett underskott på 3,0 mnkr i LSS.",
            "underskott",
            -300_000_000,
            True,
        ),
    ],
)
def test_stated_amounts(sentence: str, word: str, ore: int, signed: bool) -> None:
    s = stated(sentence)
    assert s is not None
    assert (s.word, s.ore, s.signed) == (word, ore, signed)


@pytest.mark.parametrize(
    "sentence",
    ["Ett underskott väntas.", "Kostnaden är 6,0 mnkr.", "Underskott 2017 beror på LSS."],
)
def test_no_statement_without_word_and_unit(sentence: str) -> None:
    assert stated(sentence) is None


def test_sentences_split_at_full_stops_not_decimal_commas() -> None:
    assert sentences("Ett underskott på 6,0 mnkr. Det beror på LSS.\nNy rad") == [
        "Ett underskott på 6,0 mnkr.",
        "Det beror på LSS.",
        "Ny rad",
    ]


def line(area: str, variance: int, subarea: str | None = None) -> Line:
    return Line(area, subarea, Sides(-1_000_000_000), Sides(), Sides(-1_000_000_000 + variance))


def part_of(area: str, *texts: str) -> Part:
    blocks = tuple(Paragraph((Run(t),)) for t in texts)
    return Part(area, None, area, blocks, tuple(f"stycke {i}" for i in range(1, len(texts) + 1)))


def test_contradictions_by_hand() -> None:
    # Äldreomsorg: −6,04 mnkr, shown −6,0: a stated 6,0 underskott holds (0,04 < 0,05);
    # 6,1 is 0,06 off (beyond 0,05 mnkr); an överskott contradicts the sign.
    lines = [line("Äldreomsorg", -604_000_000), line("Förskola", 650_000_000)]
    analysis = Analysis(
        "analys.docx",
        None,
        (
            part_of(
                "Äldreomsorg",
                "Ett underskott på 6,0 mnkr väntas.",
                "Underskottet är 6,1 mnkr.",
                "Ett överskott på 6,0 mnkr.",
            ),
            part_of("Förskola", "Avvikelsen är +6 500 tkr.", "En avvikelse på −6,5 mnkr."),
        ),
    )
    found = contradictions(analysis, lines, "mnkr")
    assert [(c.part.area, c.where, c.sign) for c in found] == [
        ("Äldreomsorg", "stycke 2", False),
        ("Äldreomsorg", "stycke 3", True),
        ("Förskola", "stycke 2", True),
    ]
    acc = account(
        Source("analys.docx", (heading("Äldreomsorg"), para("Ett överskott på 6,0 mnkr."))),
        lines,
        "mnkr",
    )
    (warning,) = acc.diagnostics
    assert warning.code == "W340"
    assert warning.file == "analys.docx"
    assert warning.sheet == "Äldreomsorg"
    assert warning.expected == "avvikelse −6,0\xa0mnkr"
    assert "överskott (6,0 mnkr)" in warning.message
    # Förskola's +6,5 mnkr is beyond 0,5 mnkr and has no text: analys-saknas.
    items = review(Facts(lines, "mnkr", 50_000_000, analysis=acc.analysis))
    assert [(i.code, i.area) for i in items if i.code.startswith("analys")] == [
        ("analys-saknas", "Förskola"),
        ("analys-siffra", "Äldreomsorg"),
    ]


def test_a_delomrade_text_covers_its_area() -> None:
    lines = [
        line("Äldreomsorg", -700_000_000),
        line("Äldreomsorg", -700_000_000, "Hemtjänst egen regi"),
    ]
    source = Source("analys.md", (heading("Hemtjänst egen regi"), para("Volymerna ökar.")))
    analysis = account(source, lines, "mnkr").analysis
    items = review(Facts(lines, "mnkr", 50_000_000, analysis=analysis))
    assert [i.code for i in items if i.code.startswith("analys")] == []
    items = review(Facts(lines, "mnkr", 50_000_000, analysis=None))
    assert [i.code for i in items if i.code.startswith("analys")] == ["analys-saknas"]


# -- The report, end to end ------------------------------------------------------------------


def test_report_prints_the_text_in_every_format(folder: Folder, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    (folder.path / "analys.md").write_text(
        "# Sammanfattning\n\nÅret går **enligt plan**.\n\n# Äldreomsorg\n\n"
        "Hemtjänsten <ökar>.\n\n- en punkt\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["report", str(folder.path), "--out", str(out), "--generated-at", "2017-05-10T09:00"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert data["analysis"] == {
        "summary": "Året går enligt plan.",
        "areas": [
            {"area": "Äldreomsorg", "subarea": None, "text": "Hemtjänsten <ökar>.\n\n– en punkt"}
        ],
    }
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "<strong>enligt plan</strong>" in html
    assert "Hemtjänsten &lt;ökar&gt;." in html
    assert "<li>en punkt</li>" in html
    wb = load_workbook(next(p for p in out.glob("*.xlsx") if "begaran" not in p.name))
    rows = [[c.value for c in r] for r in wb["Analys"].iter_rows(min_row=2)]
    assert rows == [
        ["Sammanfattning", None, "Året går enligt plan."],
        ["Äldreomsorg", None, "Hemtjänsten <ökar>."],
        ["Äldreomsorg", None, "– en punkt"],
    ]


def _validate(path: Path) -> Any:
    return CliRunner().invoke(cli, ["validate", str(path)])


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("analys.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "E036"),
        ("analys.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "E007"),
        ("analys.docx", b"", "E035"),
        ("analys.docx", b"PK\x03\x04 broken", "E035"),
        ("analys.docx", b"<html>inte word</html>", "E035"),
        ("analys.md", "# Sammanfattning\n\nText".encode("latin-1") + b"\xe5", "E035"),
    ],
)
def test_unreadable_analysis_is_an_error_naming_the_file(
    folder: Folder, name: str, content: bytes, code: str
) -> None:
    (folder.path / name).write_bytes(content)
    result = _validate(folder.path)
    assert result.exit_code == 1, result.output
    assert f"{code}: {name}" in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_a_workbook_renamed_docx_is_refused(folder: Folder) -> None:
    (folder.path / "analys.docx").write_bytes((folder.path / "budget.xlsx").read_bytes())
    result = _validate(folder.path)
    assert result.exit_code == 1
    assert "E035: analys.docx" in result.output
    assert "word/document.xml saknas" in result.output


# -- Nothing written is lost: Word -> model -> HTML and JSON ---------------------------------

_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")),
    min_size=1,
    max_size=30,
).filter(lambda t: t.strip() != "")


@settings(
    deadline=None, max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    paragraphs=st.lists(
        st.tuples(st.sampled_from(["p", "bullet", "number", "table", "heading"]), _TEXT),
        min_size=1,
        max_size=8,
    )
)
def test_no_paragraph_is_lost_from_word_to_html_and_json(
    tmp_path_factory: pytest.TempPathFactory, paragraphs: list[tuple[str, str]]
) -> None:
    from markupsafe import Markup

    from budget.report.formats.html import _env

    path = tmp_path_factory.mktemp("docx") / "analys.docx"
    d = docx.Document()
    d.add_heading("Äldreomsorg", 1)
    for kind, text in paragraphs:
        if kind == "p":
            d.add_paragraph(text)
        elif kind == "bullet":
            d.add_paragraph(text, style="List Bullet")
        elif kind == "number":
            d.add_paragraph(text, style="List Number")
        elif kind == "heading":
            d.add_heading(text, 3)
        else:
            d.add_table(rows=1, cols=1).cell(0, 0).text = text
    d.save(str(path))
    source, found = read(path)
    assert source is not None, found
    analysis, _ = assign(source, NAMES)
    part = (
        analysis.summary if analysis.part("Äldreomsorg") is None else analysis.part("Äldreomsorg")
    )
    assert part is not None
    macro = _env(parts=True).get_template("sections/_analysis.html.j2").module.blocks  # type: ignore[attr-defined]
    html = str(Markup(macro(part.blocks)))
    text = part.text
    for _, written in paragraphs:
        shown = str(Markup.escape(written))
        assert written in text, (written, text)
        assert shown in html, (shown, html)


# -- budget analysmall -------------------------------------------------------------------------


def test_analysmall_is_byte_identical_and_reads_back_as_starting_text_only(
    demo_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "mall.docx"
    args = ["analysmall", str(demo_copy), "--tertial", "T2", "--out", str(out), "-q"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    data = out.read_bytes()
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0
    assert "redan den aktuella mallen" in again.output
    assert out.read_bytes() == data
    # Read back: the generated figures and instructions are left out, every heading names
    # its part, and what is left is the units' comments and the åtgärder.
    source, found = read(out)
    assert source is not None, found
    from budget.checks.prepare import prepare
    from budget.core.figures import compute
    from budget.edge.inputs import load

    figures = compute(prepare(load(demo_copy), 8))
    analysis, warnings = assign(source, Names.of(figures.lines))
    assert warnings == []
    assert analysis.summary is not None
    assert analysis.summary.blocks == ()
    text = "\n".join(p.text for p in analysis.parts)
    assert "mnkr, prognos" not in text  # no generated figures
    comments = [c.text for ln in figures.lines for c in ln.comments]
    assert comments
    assert all(c in text for c in comments)
    assert "Åtgärd (beslutad, +1,2\xa0mnkr, ingår inte i prognosen" in text
    headings = [runs_text_of(e.block) for e in source.entries if isinstance(e.block, Heading)]
    shown = [ln.area if ln.is_area else ln.subarea for ln in figures.lines if ln.shown(True)]
    assert headings == ["Sammanfattning", *[h for h in shown if h != "Ej fördelat"]]


def test_analysmall_never_overwrites_an_analysis(demo_copy: Path) -> None:
    target = demo_copy / "analys.docx"
    written = (demo_copy / "analys-T2.docx").read_bytes()
    target.write_bytes(written)
    result = CliRunner().invoke(cli, ["analysmall", str(demo_copy), "--tertial", "T2"])
    assert result.exit_code == 1
    assert "E037: analys.docx" in result.output
    assert target.read_bytes() == written


def test_analysmall_usage_and_input_errors(folder: Folder, tmp_path: Path) -> None:
    both = ["analysmall", str(folder.path), "--period", "4", "--tertial", "T1"]
    assert CliRunner().invoke(cli, both).exit_code == 2
    assert CliRunner().invoke(cli, ["analysmall", str(tmp_path / "nej")]).exit_code == 2
    (folder.path / "budget.xlsx").unlink()
    result = CliRunner().invoke(cli, ["analysmall", str(folder.path)])
    assert result.exit_code == 1
    assert "Ingen mall skrevs" in result.output
    assert not (folder.path / "analys.docx").exists()


def test_the_period_s_own_analysis_is_preferred(folder: Folder, tmp_path: Path) -> None:
    (folder.path / "analys.md").write_text("# Förskola\n\nFör alla perioder.\n", encoding="utf-8")
    (folder.path / "analys-T1.md").write_text("# Förskola\n\nFör T1.\n", encoding="utf-8")
    data, _ = report_json(folder.path, tmp_path)
    assert data["analysis"]["areas"][0]["text"] == "För T1."


@settings(deadline=None, max_examples=200)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "# ",
                    "## ",
                    "- ",
                    "  - ",
                    "1. ",
                    "> ",
                    "**",
                    "*",
                    "_",
                    "`",
                    "|",
                    "---",
                    "[",
                    "](",
                    ")",
                    "]: ",
                    "\n",
                    "\n\n",
                    "    ",
                    "<",
                    ">",
                    "&amp;",
                    "\\",
                    "```",
                ]
            ),
            st.text(alphabet="abcåäö019 ", min_size=1, max_size=8),
        ),
        max_size=40,
    )
)
def test_no_word_of_markdown_is_lost(pieces: list[str]) -> None:
    import html
    import re

    from budget.edge.analysis import markdown_checked

    text = "".join(pieces)
    entries, _ = markdown_checked(text)
    shown = re.findall(r"[^\W_]+", "\n".join(plain([e.block]) for e in entries))
    for word in set(re.findall(r"[^\W_]+", html.unescape(text))):
        assert word in shown, (word, text, shown)


def test_the_demo_analysis_saved_by_libreoffice_reads_the_same(tmp_path: Path) -> None:
    """A real part: LibreOffice's own .docx (its styles, numbering and XML, not
    python-docx's) gives the same parts as the file it was saved from."""
    from tests.conftest import DEMO, soffice_convert

    original = DEMO / "analys-T2.docx"
    odt = soffice_convert(original, "odt", tmp_path / "odt")
    saved = soffice_convert(odt, "docx:MS Word 2007 XML", tmp_path / "docx")
    figures_names = Names.of(_demo_lines())
    before, _ = assign(read(original)[0] or Source("", ()), figures_names)
    source, found = read(saved)
    assert source is not None, found
    after, warnings = assign(source, figures_names)
    assert warnings == []
    assert after.summary is not None
    assert before.summary is not None
    assert after.summary.text == before.summary.text
    assert [(p.area, p.subarea, p.text) for p in after.parts] == [
        (p.area, p.subarea, p.text) for p in before.parts
    ]
    lss = after.part("Stöd och service till personer med funktionsnedsättning", "Boende enligt LSS")
    assert lss is not None
    assert isinstance(lss.blocks[1], ListBlock)
    assert Run("Kostnader har flyttats från Försäkringskassan till nämnden. ", bold=True) in (
        lss.blocks[0].runs  # type: ignore[union-attr]
    )


def _demo_lines() -> tuple[Line, ...]:
    from budget.checks.prepare import prepare
    from budget.core.figures import compute
    from budget.edge.inputs import load
    from tests.conftest import DEMO

    return compute(prepare(load(DEMO), 8)).lines


def test_a_docx_whose_zip_lies_about_a_size_is_refused_before_python_docx(
    folder: Folder,
) -> None:
    path = write_docx(folder.path / "analys.docx")
    data = bytearray(path.read_bytes())
    # The central directory's uncompressed size of word/document.xml, made smaller.
    at = data.rfind(b"word/document.xml")
    central = data.rfind(b"PK\x01\x02", 0, at)
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    result = _validate(folder.path)
    assert result.exit_code == 1
    assert "E035: analys.docx" in result.output
    assert "zip-fil" in result.output


def test_entities_in_a_docx_are_not_expanded(tmp_path: Path) -> None:
    bomb = (
        '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    )
    path = tmp_path / "analys.docx"
    docx.Document().save(str(path))
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = "<w:p><w:r><w:t>&d;</w:t></w:r></w:p>"
    out = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                data = f"{bomb}<w:document {ns}><w:body>{body}</w:body></w:document>".encode()
            zout.writestr(info, data)
    source, found = read(out)
    text = "" if source is None else plain(e.block for e in source.entries)
    assert len(text) < 1000, found


def test_footnotes_and_equations_are_printed_where_they_stand(tmp_path: Path) -> None:
    base = tmp_path / "base.docx"
    docx.Document().save(str(base))
    ns = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
    )
    body = (
        '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Förskola</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>Barnen blir färre</w:t></w:r><w:r><w:footnoteReference w:id="2"/>'
        "</w:r><w:r><w:t>.</w:t></w:r><m:oMath><m:r><m:t> x+1</m:t></m:r></m:oMath></w:p>"
    )
    notes = (
        f'<w:footnotes {ns}><w:footnote w:id="2"><w:p><w:r><w:t>Enligt registret.</w:t>'
        "</w:r></w:p></w:footnote></w:footnotes>"
    )
    path = tmp_path / "analys.docx"
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                data = f"<w:document {ns}><w:body>{body}</w:body></w:document>".encode()
            elif info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                    b"</Relationships>",
                )
            zout.writestr(info, data)
        zout.writestr("word/footnotes.xml", notes)
    source, found = read(path)
    assert source is not None, found
    part = assign(source, NAMES)[0].part("Förskola")
    assert part is not None
    assert part.text == "Barnen blir färre [fotnot: Enligt registret.]. x+1"
