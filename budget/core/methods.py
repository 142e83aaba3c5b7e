"""Forecast methods as a type; their labels in the report are written here once."""

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

# The methods the track record replays, in the order the report lists them: manual forecasts
# cannot be replayed (the units' past forecasts are not kept).
REPLAYABLE = (Method.LINEAR, Method.SEASONAL, Method.BUDGET_REST, Method.BUDGET, Method.VOLUME)


class VolumeRest(StrEnum):
    """How the volume method fills the months after the period (``[volym] rest``)."""

    RUN_RATE = "takt"  # the mean of the last three months with outcome
    BUDGET = "budget"  # the budgeted volume
