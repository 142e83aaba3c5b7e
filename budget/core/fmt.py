"""Swedish number formats for everything a reader sees (babel, sv_SE).

No-break space between thousands, decimal comma, U+2212 minus. Display
rounding (to 0,1 mnkr or 1 tkr) happens here and only here, half away from
zero; the JSON keeps öre.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from babel.dates import get_month_names
from babel.numbers import format_decimal

MINUS = "\u2212"
UNIT_DIVISOR = {"mnkr": Decimal(100_000_000), "tkr": Decimal(100_000), "kr": Decimal(100)}
UNIT_DECIMALS = {"mnkr": 1, "tkr": 0, "kr": 0}


def half_unit(unit: str) -> int:
    """Half the last shown digit of ``unit``, öre: smaller amounts show as 0,0 and say nothing."""
    return int(UNIT_DIVISOR[unit] / 2 / 10 ** UNIT_DECIMALS[unit])


# The month names as babel's Swedish locale spells them (januari … december).
MONTHS = tuple(get_month_names("wide", locale="sv_SE")[m] for m in range(1, 13))


# Numbers with more integer digits than this are shown in scientific notation: only a
# message about a refused value can hold one, and it must be shown, never raise.
_MAX_SHOWN_DIGITS = 40


def number(value: Decimal | Fraction | float | int, decimals: int = 0, signed: bool = False) -> str:
    """A number in Swedish format, rounded half away from zero to ``decimals``.

    Total: any value gives a text (a non-finite one ``∞`` or ``–``, a huge one in
    scientific notation), so that formatting a message about a bad value cannot fail."""
    try:
        return _number(value, decimals, signed)
    except (ArithmeticError, ValueError, TypeError, OverflowError):
        return _rough(value)


def _rough(value: object) -> str:
    """A value as plain text, bounded, for the rare one no Swedish format can hold."""
    try:
        text = str(value)
    except ValueError:  # an int beyond Python's limit of digits for str()
        return "…"
    return (text if len(text) <= 40 else text[:39] + "…").replace("-", MINUS)


def _number(value: Decimal | Fraction | float | int, decimals: int, signed: bool) -> str:
    quantum = Decimal(1).scaleb(-decimals)
    with localcontext() as ctx:
        ctx.prec = _MAX_SHOWN_DIGITS + decimals + 2
        exact = (
            Decimal(value.numerator) / Decimal(value.denominator)
            if isinstance(value, Fraction)
            else Decimal(str(value))
        )
        if exact.is_nan():
            return "–"
        if exact.is_infinite():
            return ("" if exact > 0 else MINUS) + "∞"
        if exact.adjusted() >= _MAX_SHOWN_DIGITS:
            return f"{exact:.3E}".replace(".", ",").replace("-", MINUS)
        rounded = exact.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    text = format_decimal(rounded, format=pattern, locale="sv_SE").replace("-", MINUS)
    if signed and rounded > 0:
        text = "+" + text
    return text


def money(ore: int, unit: str = "mnkr", signed: bool = False) -> str:
    """Öre as a figure in ``unit`` (mnkr with one decimal, tkr whole)."""
    return number(Fraction(ore, int(UNIT_DIVISOR[unit])), UNIT_DECIMALS[unit], signed)


def money_with_unit(ore: int, unit: str = "mnkr", signed: bool = False) -> str:
    return f"{money(ore, unit, signed)}\u00a0{unit}"


def whole_kronor(ore: int) -> str:
    """Whole kronor as text, for tables of requested changes."""
    return number(Fraction(ore, 100), 0)


def kronor_and_ore(ore: int) -> str:
    """Kronor with öre, without the unit: ``−110 015,60``."""
    return number(Fraction(ore, 100), 2)


def exact(ore: int) -> str:
    """Kronor with öre, for reconciliations and messages: ``−110 015,60 kr``."""
    return f"{kronor_and_ore(ore)}\u00a0kr"


def percent(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "–"
    return f"{number(value, decimals)}\u00a0%"


def indicator_value(value: float | None, unit: str | None) -> str:
    if value is None:
        return "–"
    decimals = 0 if float(value).is_integer() else 1
    text = number(value, decimals)
    if is_percent(unit):
        return f"{text}\u00a0%"
    return text


def is_percent(unit: str | None) -> bool:
    """An indicator's unit that means per cent: ``%``, ``procent``, ``andel (%)``."""
    folded = (unit or "").strip().lower()
    return "%" in folded or folded == "procent"


def inline(name: str) -> str:
    """A name as it reads inside a sentence: first letter lowered, acronyms kept (LSS)."""
    if not name or (len(name) > 1 and name[1].isupper()):
        return name
    return name[0].lower() + name[1:]
