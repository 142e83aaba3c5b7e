"""Kommentarer från enheterna: the units' comments on their manual forecasts, per area (in the
JSON with the area's line)."""

from __future__ import annotations

from budget.report.sections.base import Section

SECTION: Section[None] = Section("comments")
