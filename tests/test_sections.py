"""The report is a header and an ordered list of sections (``budget.report.sections``).

A section is one unit: its module, its template part and its place in the registry. The
renderers (JSON, HTML with its table of contents, the workbook) loop over the registry and
name no section; these tests hold that, so that a new section changes nothing but a list.
"""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import datetime
from pathlib import Path

import pytest

from budget.report.model import Report
from budget.report.sections import DOCUMENT, JSON, WORKBOOK, every

PACKAGE = Path(__file__).resolve().parent.parent / "budget"
REPORT = PACKAGE / "report"
SECTION_NAMES = [s.name for s in every()]


def package_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".j2") and p.is_file())


def names_section(text: str, name: str) -> bool:
    """Whether a file names a section as a unit: its module (imported), its template part
    (included), its record (``Section("<name>", …)``) or a lookup by its name."""
    pattern = re.compile(
        rf"\bsections[./]{name}\b"  # sections.<name>, sections/<name>.html.j2
        rf"|^from budget\.report\.sections import [^\n(]*\b{name}\b"  # one-line import
        rf"|^from budget\.report\.sections import \([^)]*\b{name}\b"  # a parenthesised one
        rf"|Section\(\s*[\"']{name}[\"']"  # its record
        rf"|\bname\s*[!=]=\s*[\"']{name}[\"']",  # a renderer that picks it by name
        re.M,
    )
    return pattern.search(text) is not None


def files_naming(name: str) -> list[str]:
    """The files of the package that name a section: its own module and template part,
    and every other file that refers to it."""
    found = []
    for path in package_files():
        rel = path.relative_to(REPORT).as_posix() if path.is_relative_to(REPORT) else str(path)
        own = rel in (f"sections/{name}.py", f"templates/sections/{name}.html.j2")
        if own or names_section(path.read_text(encoding="utf-8"), name):
            found.append(rel)
    return found


@pytest.mark.parametrize("name", SECTION_NAMES)
def test_a_section_is_named_in_at_most_three_files(name: str) -> None:
    found = files_naming(name)
    assert f"sections/{name}.py" in found
    assert f"templates/sections/{name}.html.j2" in found
    assert len(found) <= 3, found


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("from budget.report.sections import investments", True),
        ("from budget.report.sections.investments import to_json", True),
        ("from budget.report.sections import (\n    investments,\n)", True),
        ('{% include "sections/investments.html.j2" %}', True),
        ('if section.name == "investments":', True),
        ("report.investments", False),
        ("from budget.core import investments", False),
        ("from budget.core.investments import (\n    Project,\n    investments,\n)", False),
        ("# the investments of the year", False),
    ],
)
def test_the_count_sees_a_file_that_names_a_section(text: str, names: bool) -> None:
    assert names_section(text, "investments") is names


def test_every_section_is_in_the_document_once() -> None:
    names = [s.name for s in every()]
    assert len(names) == len(set(names))
    modules = {p.stem for p in (REPORT / "sections").glob("*.py")} - {"__init__", "base"}
    assert set(names) == modules
    templates = {
        p.name.removesuffix(".html.j2")
        for p in (REPORT / "templates" / "sections").glob("*.html.j2")
        if not p.name.startswith("_")
    }
    assert set(names) == templates


def test_json_and_workbook_list_exactly_the_sections_that_have_them() -> None:
    assert [s.name for s in JSON] == list(dict.fromkeys(s.name for s in JSON))
    assert {s.name for s in JSON} == {s.name for s in every() if s.json is not None}
    assert [s.name for s in WORKBOOK] == list(dict.fromkeys(s.name for s in WORKBOOK))
    assert {s.name for s in WORKBOOK} == {s.name for s in every() if s.sheets}


def test_the_table_of_contents_is_the_titled_chapters_and_parts() -> None:
    titled = [s for c in DOCUMENT for s in c.walk() if s.title]
    assert all(s.anchor for s in titled)
    assert len({s.anchor for s in titled}) == len(titled)
    assert all(c.title for c in DOCUMENT), "every chapter has an entry"


# What every section may read: what the report is, and the figures the sections share.
HEADER = {
    "namnd",
    "inputs_name",
    "period",
    "unit",
    "title",
    "lines",
    "total",
    "anslag",
    "changes",
    "decision",
    "investment_decisions",
    "review",
    # The förvaltning's analysis text: the summary, the areas' section and the Word
    # tjänsteutlåtande print it (contract §7).
    "analysis",
    "warnings",
    "files",
    "generated_at",
    "version",
    "diarienummer",
    "handlaggare",
    "dated",
    "parts",
}


def test_the_report_is_a_header_and_the_sections_parts() -> None:
    """A section's data is its part of ``Report.parts``, never a field of the report: a new
    field here is a deliberate widening of what every section shares."""
    assert {f.name for f in fields(Report)} == HEADER


def test_every_section_with_data_builds_its_part() -> None:
    from budget.checks.prepare import prepare
    from budget.edge.inputs import load
    from budget.report.build import build_report
    from tests.conftest import DEMO

    report = build_report(prepare(load(DEMO), 8), datetime(2017, 9, 12))
    assert list(report.parts) == [s.name for s in every() if s.build is not None]
    for section in every():
        if section.build is not None:
            assert section.data(report) is report.parts[section.name]


def test_a_template_part_reads_data_only_where_its_section_builds_it() -> None:
    """A part's ``data`` is its section's built data; jinja2 would print an undefined one as
    nothing, so a part that reads ``data`` of a section without ``build`` fails here."""
    from jinja2 import meta

    from budget.report.formats.html import _env

    env = _env(parts=True)
    for section in every():
        source = (REPORT / "templates" / section.template).read_text(encoding="utf-8")
        reads = "data" in meta.find_undeclared_variables(env.parse(source))
        assert not reads or section.build is not None, section.name


def test_report_sheets_show_amounts_only_in_the_reports_unit() -> None:
    """Issue 29: the history sheet wrote KRONOR where the report's unit was asked for. A
    section's sheet formats an amount through amount_format(report.unit) (the
    reconciliation's öre through EXACT): no section module uses the kronor format."""
    from tests.conftest import ROOT

    sections = ROOT / "budget" / "report" / "sections"
    using = [p.name for p in sections.glob("*.py") if re.search(r"\bKRONOR\b", p.read_text())]
    assert using == []
