"""Money: integer öre, report signs, and the one place where results are rounded.

Amounts travel as ``int`` öre. Computed amounts (a linear forecast is
actual × 12 / period) are exact ``Fraction`` until ``round_ore`` turns them
into öre, half away from zero, once per leaf and side. Areas and totals are
sums of rounded leaves, so every table adds up to the öre.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


def round_ore(value: Fraction | int) -> int:
    """Round an exact amount in öre to whole öre, half away from zero."""
    if isinstance(value, int):
        return value
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    whole, rest = divmod(magnitude.numerator, magnitude.denominator)
    if 2 * rest >= magnitude.denominator:
        whole += 1
    return sign * whole


MICRO_PER_ORE = 10_000


def round_micro(micro: int) -> int:
    """Micro-kronor (how ledger and budget amounts are read) to whole öre, half away
    from zero. Used where a figure is reported, once per figure."""
    return round_ore(Fraction(micro, MICRO_PER_ORE))


@dataclass(frozen=True)
class Sides:
    """Costs and revenues in öre, report signs: revenues +, costs −, net = sum."""

    costs: int = 0
    revenues: int = 0

    @property
    def net(self) -> int:
        return self.costs + self.revenues

    def __add__(self, other: Sides) -> Sides:
        return Sides(self.costs + other.costs, self.revenues + other.revenues)

    def __sub__(self, other: Sides) -> Sides:
        return Sides(self.costs - other.costs, self.revenues - other.revenues)

    def __neg__(self) -> Sides:
        return Sides(-self.costs, -self.revenues)

    def side(self, name: str) -> int:
        return self.costs if name == "costs" else self.revenues

    def as_kronor(self) -> dict[str, float]:
        return {
            "costs": kronor(self.costs),
            "revenues": kronor(self.revenues),
            "net": kronor(self.net),
        }


ZERO = Sides()


def total(items: list[Sides]) -> Sides:
    out = ZERO
    for s in items:
        out = out + s
    return out


def kronor(ore: int) -> float:
    """Öre to kronor for JSON (two decimals, exact as a decimal literal)."""
    return round(ore / 100, 2)


def from_kronor(value: float | int | str) -> int:
    """Kronor as JSON writes them (two decimals) back to öre."""
    return round(float(value) * 100)
