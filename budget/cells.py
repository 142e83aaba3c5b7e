"""Cell-level parsing: headers, Swedish number text, codes, Excel cell names.

Everything here works on polars expressions so that a million ledger rows are
parsed vectorised. Amounts become integer öre (hundredths of a krona): money
stays exact through the whole pipeline.
"""

from __future__ import annotations

import unicodedata

import polars as pl

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})

TOTAL_ROW_WORDS = ("summa", "totalt", "total")

# Digits of the integer part we accept: 15 digits of kronor is far beyond any
# municipal budget and keeps öre within a 64-bit integer.
MAX_INT_DIGITS = 15


def normalize_header(value: object) -> str:
    """Fold a header cell for matching: case, spacing, å/ä/ö optional."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).strip().lower()
    text = " ".join(text.split())
    return text.translate(_FOLD)


def column_letter(index: int) -> str:
    """0-based column index to Excel letters: 0 -> A, 27 -> AB."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def _clean_number_text(expr: pl.Expr) -> pl.Expr:
    """Strip group separators (space, no-break, thin) and unify minus signs and comma."""
    return (
        expr.str.replace_all(r"\s", "")
        .str.replace_all("[\u2212\u2013\u2012\u2014]", "-")
        .str.replace(",", ".", literal=True)
    )


_AMOUNT = rf"^([+-]?)(\d{{0,{MAX_INT_DIGITS}}})(?:\.(\d*))?$"


def amount_ore(expr: pl.Expr) -> pl.Expr:
    """Swedish amount text to integer öre, null where the text is not a number.

    Accepts ``1234.5``, ``1 234,50`` (also with no-break or thin space),
    ``-1234``, ``−1234`` (U+2212) and ``–1234`` (en dash). Rejects ``(1234)``,
    ``1.234,50`` and exponents. A third decimal rounds half away from zero:
    this is the one place where amounts from the inputs are rounded.

    Plain text with at most two decimals (every number cell, as calamine writes
    it) takes a fast exact path through Float64: 13 digits and two decimals are
    well inside a double's precision, so ×100 and rounding give the exact öre.
    Everything else is parsed digit by digit, on those rows only.
    """
    text = expr.str.strip_chars()
    plain = text.str.contains(_PLAIN)
    fast = (text.cast(pl.Float64, strict=False) * 100).round(0).cast(pl.Int64)
    return pl.when(plain).then(fast).otherwise(_amount_exact(pl.when(~plain).then(expr)))


_PLAIN = r"^-?\d{1,13}(\.\d{1,2})?$"


def _amount_exact(expr: pl.Expr) -> pl.Expr:
    cleaned = _clean_number_text(expr)
    groups = cleaned.str.extract_groups(_AMOUNT)
    sign = groups.struct.field("1")
    whole = groups.struct.field("2")
    frac = groups.struct.field("3").fill_null("")
    has_digits = (whole.str.len_chars() + frac.str.len_chars()) > 0
    frac3 = (frac + pl.lit("000")).str.slice(0, 3).cast(pl.Int64)
    whole_i = pl.when(whole == "").then(pl.lit(0, pl.Int64)).otherwise(whole.cast(pl.Int64))
    magnitude = whole_i * 100 + frac3 // 10 + (frac3 % 10 >= 5).cast(pl.Int64)
    return (
        pl.when(~has_digits | whole.is_null())
        .then(None)
        .when(sign == "-")
        .then(-magnitude)
        .otherwise(magnitude)
    )


def too_many_digits(expr: pl.Expr) -> pl.Expr:
    """A number whose integer part is longer than ``MAX_INT_DIGITS`` (a pasted id, not money)."""
    cleaned = _clean_number_text(expr)
    return cleaned.str.contains(rf"^[+-]?\d{{{MAX_INT_DIGITS + 1},}}(\.\d*)?$").fill_null(False)


def integer(expr: pl.Expr) -> pl.Expr:
    """Integer text (``2017``, ``2017.0``, ``201708``) to Int64, null otherwise."""
    cleaned = _clean_number_text(expr)
    digits = cleaned.str.extract(r"^([+-]?\d{1,12})(?:\.0*)?$", 1)
    return digits.cast(pl.Int64, strict=False)


def code(expr: pl.Expr) -> pl.Expr:
    """A code cell (Ansvar, Verksamhet, Konto) as trimmed text; blank is null.

    A code Excel stored as a number arrives as ``412`` (calamine prints
    ``412.0`` as ``412``); a leading zero typed as text is kept.
    """
    stripped = expr.str.strip_chars()
    return pl.when(stripped == "").then(None).otherwise(stripped)


def text(expr: pl.Expr) -> pl.Expr:
    """A free-text cell, trimmed; blank is null."""
    return code(expr)


def number(expr: pl.Expr) -> pl.Expr:
    """Swedish decimal text (``0,083``, ``52 %``, ``1 234,5``) to Float64; null otherwise.

    For shares, targets and volumes, never for money (see ``amount_ore``).
    """
    cleaned = _clean_number_text(expr).str.replace(r"%$", "")
    valid = cleaned.str.contains(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
    return pl.when(valid).then(cleaned.cast(pl.Float64, strict=False)).otherwise(None)
