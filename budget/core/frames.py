"""An inputs folder as typed frames, with where every row came from.

Every frame carries ``file``, ``sheet`` and ``row`` (the Excel row number) per row, and
``letters`` gives the Excel column letter of each contract column, so a check can name any
cell without reading a file. ``edge.inputs.load`` fills this; checks and the report read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

from budget.core.analysis import Source
from budget.core.settings import Settings
from budget.diagnostics import Diagnostic

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class SourceFile:
    """An input file as read: for the report's about block and the validation summary."""

    name: str
    sha256: str
    rows: int = 0
    blank_rows: int = 0
    total_rows: int = 0
    errors: int = 0
    warnings: int = 0
    # Total rows skipped as not data: (sheet, cell of the label, the label).
    skipped: tuple[tuple[str, str, str], ...] = ()
    # How a text file was read: "CSV, semikolon, UTF-8", "SIE 4".
    note: str | None = None


@dataclass(frozen=True)
class Cells:
    """Where each contract column of each sheet read sits: (file, sheet) → column → letter.

    With a frame's ``file``, ``sheet`` and ``row`` it names any cell in Excel notation.
    """

    letters: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    def cell(self, file: str, sheet: str, column: str, row: int) -> str:
        letter = self.letters.get((file, sheet), {}).get(column)
        return f"{letter}{row}" if letter else f"rad {row}"


@dataclass
class Inputs:
    """Everything read from one inputs folder."""

    folder: Path
    settings: Settings | None
    ledger: pl.DataFrame
    budget: pl.DataFrame
    structure: pl.DataFrame
    periodisation: pl.DataFrame | None = None
    responsibilities: pl.DataFrame | None = None
    changes: pl.DataFrame | None = None
    forecasts: pl.DataFrame | None = None
    indicators: pl.DataFrame | None = None
    assessments: pl.DataFrame | None = None
    volumes: pl.DataFrame | None = None
    investments: pl.DataFrame | None = None
    measures: pl.DataFrame | None = None  # atgarder.xlsx (contract §7)
    # analys.docx or analys.md as read (contract §7), by the period it is for: "" for
    # analys.docx, "T2" for analys-T2.docx (``analysis.pick``); parts are assigned later.
    analyses: dict[str, Source] = field(default_factory=dict)
    files: list[SourceFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # (file, sheet) -> canonical column -> Excel column letter
    letters: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    # The contract's name of a workbook ("prognos") -> the file read for it ("Prognos.xlsx")
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def cells(self) -> Cells:
        return Cells(self.letters)

    @property
    def name(self) -> str:
        return self.folder.resolve().name
