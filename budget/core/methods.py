"""Forecast methods as names (what ``namnd.toml`` says).

What each method is and does (its function, label, needs and behaviour) is one record in
``core.forecast.METHODS``.
"""

from __future__ import annotations

from enum import StrEnum


class Method(StrEnum):
    """A forecast method as ``namnd.toml`` names it (contract §2)."""

    LINEAR = "linjar"
    SEASONAL = "sasong"
    BUDGET_REST = "budgetrest"
    BUDGET = "budget"
    MANUAL = "manuell"
    VOLUME = "volym"

    @classmethod
    def parse(cls, text: str) -> Method | None:
        return next((m for m in cls if m.value == text), None)


# An area whose delområden use different methods.
MIXED = "blandad"


class VolumeRest(StrEnum):
    """How the volume method fills the months after the period (``[volym] rest``)."""

    RUN_RATE = "takt"  # the mean of the last three months with outcome
    BUDGET = "budget"  # the budgeted volume
