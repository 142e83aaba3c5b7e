"""Bilaga: avstämning och underlag: the chapter of the reconciliation with the ledger, the
validation's warnings and what the report was made from (its parts, from the registry)."""

from __future__ import annotations

from budget.report.sections.base import Section

SECTION: Section[None] = Section(
    "appendix", title="Bilaga: avstämning och underlag", anchor="bilaga"
)
