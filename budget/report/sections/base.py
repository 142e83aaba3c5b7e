"""A section of the report: one unit with its data and its renderings (hledger's report,
great_tables' parts).

A section is one module of ``report/sections`` and one template part of
``templates/sections/<name>.html.j2``: its data and how it is built from the figures
(``build``, read back typed by ``data``), when it shows, its entry in the table of contents,
its keys of the JSON report and their schema, its sheets of the report workbook, its charts
(``figures``, drawn in the HTML and as images in the Word document, where its template part
places them) and what its template needs beyond the report (its labels; its data is ``data``
there). The Word document takes a section's text and tables from its template part
(``formats/docx.py``): written once, read the same in both. A chapter (a ``<section>`` of
the document, an ``h2``) holds its parts as ``children``; the registry
(``sections/__init__.py``) puts them in order. ``report.build`` and the renderers loop over
the registry and know no section by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar, cast

from openpyxl.worksheet.worksheet import Worksheet
from pydantic import Field
from typing_extensions import TypeAliasType, TypedDict

from budget.core.money import Sides, kronor
from budget.report.context import Context
from budget.report.model import Report

D = TypeVar("D")

if TYPE_CHECKING:
    import plotly.graph_objects as go

Shows = Callable[[Report], bool]


@dataclass(frozen=True)
class Sheet:
    """A sheet of the report workbook: its tab name and how it is written."""

    title: str
    write: Callable[[Worksheet, Report], None]
    # When the sheet is written; None: when its section shows.
    shows: Shows | None = None


def always(report: Report) -> bool:
    return True


# The JSON report's shapes (contract §3) are types: each section's ``json`` callable is
# annotated with the TypedDict it returns (mypy checks what it builds against it) and the
# report's JSON Schema is generated from those annotations by pydantic
# (``report.formats.schema``). A key that older reports lack is ``NotRequired``; a
# constraint the schema states (a range, a pattern, a description) is a ``Field`` in an
# ``Annotated``. These are the shapes the sections share; each becomes one of the
# schema's ``$defs``.

# Kronor with öre (two decimals), report signs.
Amount = TypeAliasType("Amount", Annotated[float, Field(ge=-1e16, le=1e16)])
_PRINTABLE = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f]*$"
# Text from the inputs: no control characters but tab and line breaks, at most 10 000.
Text = TypeAliasType("Text", Annotated[str, Field(pattern=_PRINTABLE, max_length=10000)])
# A name that may not be empty (an area's).
Name = TypeAliasType(
    "Name", Annotated[str, Field(pattern=_PRINTABLE, max_length=10000, min_length=1)]
)


class SidesJson(TypedDict):
    costs: Amount
    revenues: Amount
    net: Amount


def sides(value: Sides) -> SidesJson:
    """Costs, revenues and net in kronor: the JSON of ``core.money.Sides``."""
    return {
        "costs": kronor(value.costs),
        "revenues": kronor(value.revenues),
        "net": kronor(value.net),
    }


Code = TypeVar("Code", bound=str)


def member(value: str, codes: tuple[Code, ...]) -> Code:
    """A code as one of ``codes`` (a ``Literal``'s values, ``get_args``): its type narrowed
    for the JSON's type, checked rather than cast."""
    for known in codes:
        if known == value:
            return known
    raise ValueError(f"{value!r} is none of {codes}")


@dataclass(frozen=True)
class Section(Generic[D]):
    name: str
    # Its data, built from the figures and what the report was made from; None: it shows
    # what the report's header holds (or its parts do).
    build: Callable[[Context], D] | None = None
    # When the section shows in the document (and its sheets in the workbook); None: always.
    shows: Shows | None = None
    # A chapter that shows when any of its parts does (instead of ``shows``).
    shows_with_parts: bool = False
    # Its entry in the table of contents and its id in the document, if it has them.
    title: str | None = None
    anchor: str | None = None
    # A blank line before the section in the document, written whether it shows or not.
    gap: bool = True
    # Its keys of the JSON report (contract §3), written whether it shows or not. The
    # callable's return annotation (a TypedDict) is the keys' type, from which the
    # report's JSON Schema is generated (``report.formats.schema``).
    json: Callable[[Report], Mapping[str, Any]] | None = None
    sheets: tuple[Sheet, ...] = ()
    # What its template needs beyond the report and the shared filters: charts, labels.
    context: Callable[[Report], dict[str, Any]] | None = None
    # Its charts by their id in the document (plotly figures, each defined once): its
    # context draws them for the HTML, and the Word document draws the same figure as an
    # image where its template part places that id (``formats/docx.py``).
    figures: Callable[[Report], dict[str, go.Figure]] | None = None
    # A chapter's parts, in document order (given by the registry).
    children: tuple[Section[Any], ...] = ()

    def data(self, report: Report) -> D:
        """Its data in ``report`` (what ``build`` made)."""
        return cast(D, report.parts[self.name])

    @property
    def template(self) -> str:
        return f"sections/{self.name}.html.j2"

    @property
    def conditional(self) -> bool:
        """Whether it may not show."""
        return self.shows is not None or self.shows_with_parts

    def visible(self, report: Report) -> bool:
        if self.shows_with_parts:
            return any(part.visible(report) for part in self.children)
        return self.shows is None or self.shows(report)

    def sheet_visible(self, sheet: Sheet, report: Report) -> bool:
        return sheet.shows(report) if sheet.shows is not None else self.visible(report)

    def having(self, *children: Section[Any]) -> Section[D]:
        """This chapter with its parts."""
        return replace(self, children=children)

    def walk(self) -> tuple[Section[Any], ...]:
        """The section and its parts, depth first."""
        return (self, *(s for c in self.children for s in c.walk()))
