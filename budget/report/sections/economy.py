"""Ekonomi per verksamhetsområde: the chapter of the figures per anslag, area and unit.

Its parts (the registry gives them): per anslag, per area, the units' forecasts, the
resultatenheter, the units' comments, the charts and the drill-down."""

from __future__ import annotations

from budget.report.sections.base import Section

SECTION: Section[None] = Section("economy", title="Ekonomi per verksamhetsområde", anchor="ekonomi")
