"""What ``namnd.toml`` says, as a value (read by ``edge.config``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from budget.core.methods import Method, VolumeRest
from budget.core.names import normalize_header

UNITS = ("mnkr", "tkr")
# The anslag of every verksamhetsområde that [anslag] in namnd.toml does not name.
OWN_ANSLAG = "Nämndens verksamhet"


@dataclass(frozen=True)
class Settings:
    """What ``namnd.toml`` says: nämnd, year, unit and forecast method per area."""

    namnd: str
    year: int
    unit: str = "mnkr"
    default_method: Method = Method.SEASONAL
    methods: dict[str, Method] = field(default_factory=dict)
    # [prognos] reserv: the method for a unit's row without a unit forecast (manuell areas).
    fallback_method: Method = Method.SEASONAL
    volume_rest: VolumeRest = VolumeRest.RUN_RATE
    # [volym]: area or delområde -> the measure (Mått) that explains its cost (contract §9).
    volume_measures: dict[str, str] = field(default_factory=dict)
    # [kolumner]: contract column -> headers used in the files
    columns: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # [sie]: SIE dimension numbers holding ansvar and verksamhet
    sie_ansvar: int | None = None
    sie_verksamhet: int | None = None
    # The tjänsteutlåtande's front matter: diarienummer, handläggare, and its date
    # (without one, the date the report is made).
    diarienummer: str | None = None
    handlaggare: str | None = None
    datum: date | None = None
    # [anslag]: separate budget frames (e.g. ekonomiskt bistånd) -> the areas they hold.
    anslag: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # [resultatoverforing] tak: the share of a resultatenhet's gross cost budget that its
    # result may carry over (None: no limit).
    transfer_cap: Fraction | None = None
    # [granskning] underskott in öre: the deficit or deviation the review asks about
    # (contract §7); None: half the report's unit.
    review_deficit: int | None = None
    # arkiv: folders (relative to the inputs folder) of earlier years' reports, read
    # beside the output folder for the accuracy of the reported forecasts.
    archive: tuple[str, ...] = ()

    def anslag_of(self, area: str) -> str:
        """The anslag an area belongs to: the one naming it, else Nämndens verksamhet."""
        folded = normalize_header(area)
        for name, areas in self.anslag:
            if any(normalize_header(a) == folded for a in areas):
                return name
        return OWN_ANSLAG

    def method_for(self, area: str, subarea: str | None = None) -> Method:
        """The method of a leaf: its delområde's own, else its area's, else the standard."""
        for key in (subarea, area):
            if key is None:
                continue
            folded = normalize_header(key)
            for name, method in self.methods.items():
                if normalize_header(name) == folded:
                    return method
        return self.default_method
