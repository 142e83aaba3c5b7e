"""Cell-level parsing: headers, Swedish number text, codes, text, Excel cell names.

One rule per kind of cell, the same for every column of every file:

- **Numbers** (amounts, integers, shares) are read from text normalised with
  NFKC, so full-width digits (``５０１１``) are the digits they look like;
  digits of other scripts (``٥٠١١``) are not numbers. Group spaces (also
  no-break and thin) are removed and the minus variants unified. Patterns use
  ``[0-9]``, never ``\\d``, which in polars' regex engine matches any script.
- **Amounts** become integer micro-kronor (µkr, 10⁻⁶ kr) in Int128: fractions
  of an öre are kept, sums cannot overflow, and a figure is rounded to öre once,
  where it is reported (``budget.core.money``). A text amount whose separators are
  ambiguous (``12.500``, ``1.234,50``) is not read here: the converter asks
  the workbook whether the cell was text and reports it.
- **Codes** are trimmed NFKC text; a code with a control character or a digit
  outside 0–9 is an error (``bad_code``).
- **Free text** keeps its characters but loses control characters, which no
  workbook can hold (``control_chars`` finds them so they can be reported).

Everything works on polars expressions so that a million ledger rows are
parsed vectorised.
"""

from __future__ import annotations

import math
from decimal import Decimal

import polars as pl

from budget.core.money import MICRO_PER_ORE

TOTAL_ROW_WORDS = ("summa", "totalt", "total")
TOTAL_ROW_PATTERN = rf"(?i)^\s*({'|'.join(TOTAL_ROW_WORDS)})\b"

# Digits of the integer part we accept: 15 digits of kronor is far beyond any
# municipal budget; in µkr that is 10²¹, and Int128 sums of any number of rows stay exact.
MAX_INT_DIGITS = 15
# The one rule for the size of any amount, wherever it is read: fewer than 10¹⁵ kronor
# (MAX_INT_DIGITS digits of whole kronor), and finite. Text cells are held to it vectorised
# (``too_many_digits``), amounts read one at a time (SIE, returned underlag, archived
# reports) by ``size_problem``; both say E109, naming the cell or line.
MAX_KRONOR = 10**MAX_INT_DIGITS
# Amounts are exact to the micro-krona; digits beyond the sixth decimal are float noise.
DECIMALS = 6
MICRO = 10**DECIMALS
assert MICRO == 100 * MICRO_PER_ORE

# Characters no workbook cell may hold (XML 1.0 forbids them; openpyxl refuses them).
CONTROL = r"[\x00-\x08\x0B\x0C\x0E-\x1F]"
# A decimal digit of another script than ASCII (after NFKC).
FOREIGN_DIGIT = r"[\p{Nd}&&[^0-9]]"


def size_problem(value: Decimal | float | int) -> tuple[str, str] | None:
    """(code, Swedish reason) when ``value`` is no amount the toolkit can count with: not a
    finite number (E101), or 10¹⁵ kronor or more (E109). Never raises: comparing a
    ``Decimal('1e99999999')`` needs no arithmetic."""
    if isinstance(value, bool):
        return "E101", "värdet är inte ett belopp"
    if isinstance(value, Decimal):
        finite = value.is_finite()
    elif isinstance(value, float):
        finite = math.isfinite(value)
    else:
        finite = True
    if not finite:
        return "E101", "värdet är inget ändligt tal"
    # copy_abs, not abs(): abs() rounds to the context and overflows on 1e99999999.
    magnitude = value.copy_abs() if isinstance(value, Decimal) else abs(value)
    if magnitude >= MAX_KRONOR:
        return "E109", f"beloppet har fler än {MAX_INT_DIGITS} siffror före decimaltecknet"
    return None


TOO_LARGE_EXPECTED = "ett belopp under 1 000 000 000 000 000 kr"


def nfkc(expr: pl.Expr) -> pl.Expr:
    """NFKC, computed only for cells with a non-ASCII character (ASCII is its own NFKC)."""
    foreign = pl.when(expr.str.contains(r"[^\x00-\x7F]")).then(expr)
    return pl.coalesce(foreign.str.normalize("NFKC"), expr)


# Number text that needs no cleaning: ASCII digits, an optional minus and one dot.
_SIMPLE_NUMBER = r"^-?[0-9]+(\.[0-9]+)?$"


def _clean_number_text(expr: pl.Expr) -> pl.Expr:
    """NFKC, no spaces of any kind, one minus sign.

    Cells that are already plain (every number cell) pass through untouched: the
    cleaning is computed on the others only, which keeps a million rows cheap.
    """
    rest = pl.when(~expr.str.contains(_SIMPLE_NUMBER)).then(expr)
    cleaned = (
        nfkc(rest).str.replace_all(r"\s", "").str.replace_all("[\u2212\u2013\u2012\u2014]", "-")
    )
    return pl.coalesce(cleaned, expr)


_AMOUNT = rf"^([+-]?)([0-9]{{0,{MAX_INT_DIGITS}}})(?:[.,]([0-9]*))?$"
_PLAIN = r"^-?[0-9]{1,13}(\.[0-9]{1,2})?$"
# A dot before exactly three digits (``12.500``) may be a thousands separator; both
# separators (``1.234,50``, ``1,234.50``) say nothing about which is the decimal one.
_AMBIGUOUS = r"^[+-]?([1-9][0-9]{0,2}\.[0-9]{3}|[0-9.]*\.[0-9.]*,[0-9]*|[0-9,]*,[0-9,]*\.[0-9]*)$"


def _i128(value: int) -> pl.Expr:
    return pl.lit(value, pl.Int128)


def amount_micro(expr: pl.Expr, number_cell: pl.Expr | None = None) -> pl.Expr:
    """Amount text to integer µkr (Int128), null where the text is not a number.

    Accepts ``1234.5``, ``1 234,50`` (also with no-break or thin space),
    ``-1234``, ``−1234`` (U+2212), ``–1234`` (en dash) and full-width digits.
    Rejects ``(1234)``, two separators and exponents. Digits after the sixth
    decimal round half away from zero (float noise, far below an öre).

    Plain text with at most two decimals (nearly every number cell, as calamine
    writes it) takes a fast exact path through Float64: 13 digits and two
    decimals are well inside a double's precision, so ×100 and rounding give the
    exact öre. Everything else is parsed digit by digit, on those rows only.
    """
    text = expr.str.strip_chars()
    plain = text.str.contains(_PLAIN)
    fast = (text.cast(pl.Float64, strict=False) * 100).round(0).cast(pl.Int64).cast(pl.Int128)
    fast = fast * _i128(MICRO_PER_ORE)
    rest = pl.when(~plain).then(expr)
    exact = _amount_exact(rest, ambiguous_amount(rest))
    if number_cell is not None:
        exact = pl.when(number_cell).then(_amount_exact(rest, pl.lit(False))).otherwise(exact)
    return pl.when(plain).then(fast).otherwise(exact)


def _amount_exact(expr: pl.Expr, refused: pl.Expr) -> pl.Expr:
    cleaned = _clean_number_text(expr)
    groups = cleaned.str.extract_groups(_AMOUNT)
    sign = groups.struct.field("1")
    whole = groups.struct.field("2")
    frac = groups.struct.field("3").fill_null("")
    has_digits = (whole.str.len_chars() + frac.str.len_chars()) > 0
    digits = (frac + pl.lit("0" * (DECIMALS + 1))).str.slice(0, DECIMALS + 1)
    frac7 = digits.cast(pl.Int64).cast(pl.Int128)
    whole_i = (
        pl.when(whole == "")
        .then(_i128(0))
        .otherwise(whole.cast(pl.Int64, strict=False).cast(pl.Int128))
    )
    magnitude = (
        whole_i * _i128(MICRO) + frac7 // _i128(10) + (frac7 % _i128(10) >= 5).cast(pl.Int128)
    )
    return (
        pl.when(~has_digits | whole.is_null() | refused)
        .then(None)
        .when(sign == "-")
        .then(_i128(0) - magnitude)
        .otherwise(magnitude)
    )


def ambiguous_amount(expr: pl.Expr) -> pl.Expr:
    """Amount text whose separators could mean either thing (``12.500``, ``1.234,50``)."""
    return _clean_number_text(expr).str.contains(_AMBIGUOUS).fill_null(False)


def micro_to_ore(expr: pl.Expr) -> pl.Expr:
    """µkr to whole öre (Int64), half away from zero: for amounts shown row by row."""
    magnitude = (expr.abs() + _i128(MICRO_PER_ORE // 2)) // _i128(MICRO_PER_ORE)
    return pl.when(expr < 0).then(_i128(0) - magnitude).otherwise(magnitude).cast(pl.Int64)


def too_many_digits(expr: pl.Expr) -> pl.Expr:
    """A number whose integer part is longer than ``MAX_INT_DIGITS`` (a pasted id, not money)."""
    cleaned = _clean_number_text(expr)
    return cleaned.str.contains(rf"^[+-]?[0-9]{{{MAX_INT_DIGITS + 1},}}([.,][0-9]*)?$").fill_null(
        False
    )


def integer(expr: pl.Expr) -> pl.Expr:
    """Integer text (``2017``, ``2017.0``, ``201708``) to Int64, null otherwise."""
    cleaned = _clean_number_text(expr)
    digits = cleaned.str.extract(r"^([+-]?[0-9]{1,12})(?:[.,]0*)?$", 1)
    return digits.cast(pl.Int64, strict=False)


def code(expr: pl.Expr) -> pl.Expr:
    """A code cell (Ansvar, Verksamhet, Konto) as trimmed NFKC text; blank is null.

    A code Excel stored as a number arrives as ``412`` (calamine prints
    ``412.0`` as ``412``); a leading zero typed as text is kept.
    """
    stripped = nfkc(expr).str.strip_chars()
    return pl.when(stripped == "").then(None).otherwise(stripped)


def bad_code(expr: pl.Expr) -> pl.Expr:
    """A code that holds a control character or a digit of another script than 0–9."""
    return nfkc(expr).str.contains(f"{CONTROL}|{FOREIGN_DIGIT}").fill_null(False)


def control_chars(expr: pl.Expr) -> pl.Expr:
    """Text that holds characters no workbook can store."""
    return expr.str.contains(CONTROL).fill_null(False)


def text(expr: pl.Expr) -> pl.Expr:
    """A free-text cell, trimmed, control characters removed; blank is null.

    Only cells with a control character or space at either end are rewritten; the others
    (nearly all of a ledger's texts) pass through without a copy.
    """
    untidy = pl.when(expr.str.contains(rf"{CONTROL}|^\s|\s$")).then(expr)
    stripped = pl.coalesce(untidy.str.replace_all(CONTROL, "").str.strip_chars(), expr)
    return pl.when(stripped == "").then(None).otherwise(stripped)


def number(expr: pl.Expr, number_cell: pl.Expr | None = None) -> pl.Expr:
    """Swedish decimal text (``0,083``, ``52 %``, ``1 234,5``) to Float64; null otherwise.

    For shares, targets, volumes and prices, never for money (see ``amount_micro``).
    Ambiguous separators (``1.250``) are refused as in amounts, unless ``number_cell``.
    """
    cleaned = _clean_number_text(expr).str.replace(",", ".", literal=True).str.replace(r"%$", "")
    valid = cleaned.str.contains(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
    refused = ambiguous_amount(expr)
    if number_cell is not None:
        refused = refused & ~number_cell
    return pl.when(valid & ~refused).then(cleaned.cast(pl.Float64, strict=False)).otherwise(None)
