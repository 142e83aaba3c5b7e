"""The report period: a year and the last month with outcome; tertials as a type.

The month ↔ tertial mapping is written here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Tertial(StrEnum):
    """The three statutory reports of a year, by the file-name suffix they carry."""

    T1 = "T1"  # tertialrapport 1, January–April
    T2 = "T2"  # tertialrapport 2 (delårsrapport), January–August
    YEAR = "helar"  # verksamhetsberättelse, the whole year

    @property
    def month(self) -> int:
        return _MONTHS[self]

    @classmethod
    def of_month(cls, month: int) -> Tertial | None:
        """The tertial that ends with ``month``; None for the months between."""
        return next((t for t, m in _MONTHS.items() if m == month), None)

    @classmethod
    def parse(cls, text: str) -> Tertial | None:
        """What a controller types: T1, t2, helår, helar or T3."""
        return _SPELLINGS.get(text.strip().lower())


_MONTHS = {Tertial.T1: 4, Tertial.T2: 8, Tertial.YEAR: 12}
_SPELLINGS = {
    "t1": Tertial.T1,
    "t2": Tertial.T2,
    "t3": Tertial.YEAR,
    "helar": Tertial.YEAR,
    "helår": Tertial.YEAR,
}


def month_of_suffix(suffix: str) -> int | None:
    """The period of a report file's suffix: T1, T2, helar or a month number (05)."""
    tertial = next((t for t in Tertial if t.value == suffix), None)
    if tertial is not None:
        return tertial.month
    if suffix.isascii() and suffix.isdigit() and len(suffix) <= 2 and 1 <= int(suffix) <= 12:
        return int(suffix)
    return None  # not a period: "2016" in tertialrapport-1-2016 is a year


@dataclass(frozen=True)
class Period:
    year: int
    month: int

    @property
    def tertial(self) -> Tertial | None:
        return Tertial.of_month(self.month)

    @property
    def suffix(self) -> str:
        """The report file's suffix: the tertial, else the month as two digits."""
        tertial = self.tertial
        return tertial.value if tertial else f"{self.month:02d}"
