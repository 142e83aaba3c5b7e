"""The columnar pre-pass of the SIE reader (``edge/sie.py``): a million ``#TRANS`` lines
read as polars columns instead of one Python call each.

The file's lines become one text column (polars' CSV reader with a separator the file does
not hold, no quoting). Strict patterns then find the vouchers of the simple form::

    #VER <serie> <nummer> <ÅÅÅÅMMDD> [<text> …]
    {
    #TRANS <konto> [{<dim> <objekt> …}] <belopp> [<ÅÅÅÅMMDD> | ""] [<text> …]
    …
    }

with every field quoted without a backslash or a bare word, the account in digits, at
most four objects of distinct dimensions, the amount written as
``format(Decimal(x), "f")`` gives it back (``-1234.50``, ``0``; at most two decimals, under
10¹⁵), indented or not with blanks and tabs (exporters indent #TRANS) but with no
other whitespace at either end that ``str.strip`` would take. A voucher of that form
can give no diagnostic but its balance (E115) and its number given twice (E118); the reader
decides both voucher by voucher, in the file's order (``sie._Reader.columnar``). Every other
line, and every voucher with one line of another form, goes through the line-by-line reader.
Both ways give the same frame, diagnostics and report: ``tests/test_sie_columns.py``
compares them on generated files, the corpus and the real exports.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import polars as pl

# A field: quoted without escapes, or a bare word (``tokens`` ends one at a blank or ``{``).
_F = r'("[^"\\]*"|[^ \t"{}\\]+)'
_B = r"[ \t]+"
_PAIR = _F + _B + _F  # dimension and object
_PAIRS_LIST = _PAIR + "(?:" + _B + _PAIR + "(?:" + _B + _PAIR + "(?:" + _B + _PAIR + ")?)?)?"
_OBJECTS = r"\{[ \t]*(?:" + _PAIRS_LIST + r")?[ \t]*\}"
_DATE = r"([0-9]{4})(0[1-9]|1[0-2])[0-9]{2}"
_REST = r"(?:[ \t].*)?"  # fields the reader does not use (kvantitet, sign, regdatum …)
# Exporters indent #TRANS and leave blanks at the end: str.strip takes those.
_START, _END = r"^[ \t]*", r"[ \t]*$"
VER = _START + "#VER" + _B + _F + _B + _F + _B + _DATE + "(?:" + _B + _F + _REST + ")?" + _END
TRANS = (
    _START
    + "#TRANS"
    + _B
    + r"([0-9]+)"
    + _B
    + "(?:"
    + _OBJECTS
    + _B
    + ")?"
    + r"(-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,2})?)"
    + "(?:"
    + _B
    + "(?:"
    + _DATE
    + '|"")(?:'
    + _B
    + _F
    + _REST
    + ")?)?"
    + _END
)
# What else str.strip takes (beside blanks and tabs) and a line of the simple form may not
# end with: the pattern would keep it in the last field.
_STRIPPED_END = (
    "[\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][ \t]*$"
)
_OPEN = r"^[ \t]*\{[ \t]*$"
_CLOSE = r"^[ \t]*\}[ \t]*$"
_PAIRS = 4
VOUCHER_COLUMNS = ("line", "close", "series", "number", "year", "month", "text", "total")

# Kinds of line.
_OTHER, _V, _O, _T, _C = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class Plan:
    """A file cut into what the line-by-line reader reads and the simple vouchers.

    ``other`` holds the lines (number, text) outside simple vouchers; ``vouchers`` one row
    a simple voucher (``line`` of its #VER, ``close`` of its ``}``, ``series``,
    ``number``, ``year``, ``month``, ``text``, ``total``); ``rows`` one row a #TRANS line
    of them (``line``, ``voucher``, ``År``, ``Period``, ``Ansvar``, ``Verksamhet``,
    ``Konto``, ``Belopp``, ``Text``), the date and text as the line gives them."""

    other: list[tuple[int, str]]
    vouchers: pl.DataFrame
    rows: pl.DataFrame
    lines: pl.Series  # every line (null when empty), to read a voucher line by line


def split_lines(data: bytes, max_line: int) -> pl.Series | None:
    """The file's lines as the line-by-line reader counts them (CP437), or None when the
    bytes hold what polars would split otherwise: a lone CR, NUL, \\x01, a line near
    ``max_line``."""
    if not data or b"\x00" in data or b"\x01" in data:
        return None
    if data.count(b"\r") != data.count(b"\r\n"):
        return None  # Python also ends a line at a lone CR
    # CP437 is ASCII below 0x80, as UTF-8 is: only a file with other bytes is transcoded.
    text = data if data.isascii() else data.decode("cp437").encode("utf-8")
    try:
        frame = pl.read_csv(
            io.BytesIO(text),
            has_header=False,
            separator="\x01",
            quote_char=None,
            infer_schema=False,
            new_columns=["l"],
        )
    except pl.exceptions.PolarsError:
        return None  # then the line-by-line reader reads it
    del text
    expected = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    lines = frame.get_column("l")
    if lines.len() != expected:
        return None
    longest = lines.str.len_chars().max()
    if isinstance(longest, int) and longest >= max_line - 1:
        return None  # the reader's limit counts the line end: left to it
    return lines


def _unquote(expr: pl.Expr) -> pl.Expr:
    return (
        pl.when(expr.str.starts_with('"'))
        .then(expr.str.slice(1, expr.str.len_chars() - 2))
        .otherwise(expr)
    )


def _object(dimension: int | None) -> pl.Expr:
    """The object of ``dimension`` in a line's object list (null when none or not wanted)."""
    if not dimension:
        return pl.lit(None, dtype=pl.String)
    wanted = str(dimension)
    return _unquote(
        pl.coalesce(
            pl.when(_unquote(pl.col(f"d{k}")) == wanted).then(pl.col(f"o{k}"))
            for k in range(_PAIRS)
        )
    )


def _matches(frame: pl.DataFrame, prefix: str, pattern: str, names: list[str]) -> pl.DataFrame:
    """The lines (``i``) beginning with ``prefix`` that ``pattern`` matches whole, with its
    groups as ``names``; a line ending in what ``str.strip`` takes is left out."""
    found = (
        frame.filter(pl.col("l").str.contains(_START + prefix))
        .filter(~pl.col("l").str.contains(_STRIPPED_END))
        .select("i", pl.col("l").str.extract_groups(pattern).alias("g"))
        .unnest("g")
    )
    found = found.rename(dict(zip(found.columns[1:], names, strict=True)))
    return found.filter(pl.col(names[0]).is_not_null())


def plan(lines: pl.Series, ansvar: int | None, verksamhet: int | None) -> Plan:
    """Find the simple vouchers of ``lines`` and read their #TRANS lines as columns."""
    frame = pl.DataFrame({"l": lines}).with_row_index("i")
    ver = _matches(frame, "#VER", VER, ["series", "number", "year", "month", "text"])
    names = ["konto"]
    for k in range(_PAIRS):
        names += [f"d{k}", f"o{k}"]
    trans = _matches(frame, "#TRANS", TRANS, [*names, "belopp", "ty", "tm", "tt"])
    twice = [
        (_unquote(pl.col(f"d{a}")) == _unquote(pl.col(f"d{b}"))).fill_null(False)
        for a in range(_PAIRS)
        for b in range(a + 1, _PAIRS)
    ]
    trans = trans.filter(~pl.any_horizontal(twice))
    # The kind of every line, aligned with ``frame``.
    kind = (
        frame.select(
            pl.when(pl.col("l").str.contains(_OPEN))
            .then(_O)
            .when(pl.col("l").str.contains(_CLOSE))
            .then(_C)
            .otherwise(_OTHER)
            .cast(pl.UInt8)
        )
        .to_series()
        .scatter(ver.get_column("i"), _V)
        .scatter(trans.get_column("i"), _T)
        .alias("k")
    )
    # For each #VER: "{" on the next line, then #TRANS lines up to the first other line,
    # which must be "}".
    heads = (
        pl.DataFrame({"k": kind})
        .with_row_index("i")
        .select(
            "i",
            "k",
            pl.col("k").shift(-1).alias("k1"),
            pl.when(pl.col("k") != _T).then(pl.col("i")).backward_fill().shift(-2).alias("close"),
        )
        .filter((pl.col("k") == _V) & (pl.col("k1") == _O) & pl.col("close").is_not_null())
    )
    heads = heads.filter(kind.gather(heads.get_column("close")) == _C).select("i", "close")
    # Each line's voucher: the last #VER at or before it; inside a simple one up to its "}".
    n = frame.height
    close_at = pl.Series("c", [None] * n, dtype=pl.UInt32).scatter(
        heads.get_column("i"), heads.get_column("close")
    )
    owner = frame.select(
        pl.when(pl.Series(kind) == _V).then(pl.col("i")).forward_fill()
    ).to_series()
    close = close_at.gather(owner)
    inside = (frame.get_column("i") <= close).fill_null(False)
    rows = (
        trans.with_columns(
            owner.gather(trans.get_column("i")).alias("v"),
            close.gather(trans.get_column("i")).alias("close"),
        )
        .filter(pl.col("i") < pl.col("close"))
        .select(
            (pl.col("i") + 1).alias("line"),
            (pl.col("v") + 1).alias("voucher"),
            pl.col("ty").alias("År"),
            pl.col("tm").cast(pl.Int32).cast(pl.String).alias("Period"),
            _object(ansvar).alias("Ansvar"),
            _object(verksamhet).alias("Verksamhet"),
            pl.col("konto").alias("Konto"),
            pl.col("belopp").alias("Belopp"),
            _unquote(pl.col("tt")).alias("Text"),
        )
    )
    totals = rows.group_by("voucher").agg(
        pl.col("Belopp").cast(pl.Decimal(38, 2)).sum().alias("total")
    )
    vouchers = (
        ver.filter(pl.col("i").is_in(heads.get_column("i").implode()))
        .select(
            (pl.col("i") + 1).alias("line"),
            _unquote(pl.col("series")).alias("series"),
            _unquote(pl.col("number")).alias("number"),
            "year",
            pl.col("month").cast(pl.Int32).cast(pl.String).alias("month"),
            _unquote(pl.col("text")).alias("text"),
        )
        .with_columns((heads.get_column("close") + 1).alias("close"))
        .join(totals.rename({"voucher": "line"}), on="line", how="left", maintain_order="left")
        .with_columns(pl.col("total").fill_null(0))
        .select(VOUCHER_COLUMNS)
    )
    other = frame.filter(~inside & pl.col("l").is_not_null())
    pairs = list(
        zip((other.get_column("i") + 1).to_list(), other.get_column("l").to_list(), strict=True)
    )
    return Plan(pairs, vouchers, rows, lines)
