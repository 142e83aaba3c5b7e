"""Förslag till beslut: the points the nämnd is asked to decide (``report.decision``)."""

from __future__ import annotations

from typing import NotRequired

from typing_extensions import TypedDict

from budget.report.model import Report
from budget.report.sections.base import Section


class ProposalJson(TypedDict):
    decision: NotRequired[list[str]]


def to_json(report: Report) -> ProposalJson:
    return {"decision": list(report.decision)}


SECTION: Section[None] = Section(
    "proposal", title="Förslag till beslut", anchor="beslut", json=to_json
)
