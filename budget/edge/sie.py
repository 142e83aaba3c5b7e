"""SIE 4 ledger exports (the I/O edge): a small streaming reader, line by line.

SIE is the Swedish standard for moving accounting data between programs; every
ledger system exports it. No maintained Python library reads it (PyPI has one
decoder, at version 0.0.2), so this is ours, kept to what the contract needs:

- text is CP437 (``#FORMAT PC8``), one record a line; fields are separated by
  spaces or tabs, ``"…"`` quotes a field (``\\"`` inside), ``{ … }`` holds an
  object list of (dimension, object) pairs;
- ``#VER`` opens a voucher whose ``#TRANS`` lines stand between ``{`` and
  ``}``; ``#RTRANS`` (a transaction added later) is always followed by an
  identical ``#TRANS`` for older readers, so only the ``#TRANS`` counts;
  ``#BTRANS`` (a removed transaction) never counts. A voucher must balance;
- a file without transactions (SIE 2 or 3) gives its monthly balances
  (``#PSALDO`` without objects) as monthly rows; ``#PBUDGET`` the same way as a
  budget; ``#RES`` is compared with the transactions per account.

Every problem names the file and the line. A file of the simple form, as ledger
systems write it, is read columnar (``edge/sie_columns.py``): its vouchers' #TRANS lines
as polars columns, every other line and every voucher with a line of another form line by
line, so both ways give the same rows and diagnostics. ``BUDGET_SIE_COLUMNAR=0`` reads
line by line only; a file over ``MAX_COLUMNAR_BYTES`` is streamed line by line.
"""

from __future__ import annotations

import io
import os
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import polars as pl

from budget.checks import cells
from budget.diagnostics import Diagnostic
from budget.edge import files, sie_columns
from budget.edge.files import UnreadableFile

SUFFIXES = (".se", ".si")
COLUMNS = ("År", "Period", "Ansvar", "Verksamhet", "Konto", "Belopp", "Text", "Verifikation")
MAX_LINE = 100_000
# Larger files are streamed line by line: read whole, a file takes about eight times its
# size in memory (600 MB for the bench's million rows, 77 MB).
MAX_COLUMNAR_BYTES = 256 * 1024**2
# A million-row ledger is some 100 MB; a file beyond this is no export of one nämnd.
MAX_BYTES = 2 * 1024**3
ENV_COLUMNAR = "BUDGET_SIE_COLUMNAR"
_SCHEMA = {**dict.fromkeys(COLUMNS, pl.String), "line": pl.UInt32}


class NotSie(Exception):
    """The file cannot be read as SIE; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass
class Ledger:
    """What a SIE file holds for the toolkit: ledger rows, budget rows and findings."""

    # The ledger rows (COLUMNS as text) in the file's order, with the line of each.
    frame: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=_SCHEMA))
    budget: list[dict[str, str | None]] = field(default_factory=list)
    budget_lines: list[int] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    dimensions: dict[str, str] = field(default_factory=dict)
    kind: str = ""  # SIETYP
    years: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def rows(self) -> list[dict[str, str | None]]:
        return self.frame.select(COLUMNS).to_dicts()

    @property
    def lines(self) -> list[int]:
        return self.frame.get_column("line").to_list()


def tokens(line: str) -> list[str | list[str]]:
    """Split a record into fields: quoted strings, ``{…}`` lists and bare words."""
    out: list[str | list[str]] = []
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch in " \t\r\n":
            i += 1
        elif ch == '"':
            text, i = _quoted(line, i + 1)
            out.append(text)
        elif ch == "{":
            end = _closing(line, i + 1)
            inner = tokens(line[i + 1 : end])
            out.append([t for t in inner if isinstance(t, str)])
            i = end + 1
        else:
            j = i
            while j < n and line[j] not in " \t\r\n{":
                j += 1
            out.append(line[i:j])
            i = j
    return out


def _quoted(line: str, i: int) -> tuple[str, int]:
    chars = []
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line):
            chars.append(line[i + 1])
            i += 2
        elif ch == '"':
            return "".join(chars), i + 1
        else:
            chars.append(ch)
            i += 1
    return "".join(chars), i  # an unclosed quote ends with the line


def _closing(line: str, i: int) -> int:
    quoted = False
    while i < len(line):
        ch = line[i]
        if ch == "\\" and quoted:
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
        elif ch == "}" and not quoted:
            return i
        i += 1
    return len(line)


def _identity(
    args: list[str | list[str]],
) -> tuple[object, frozenset[tuple[str, str]], Decimal] | None:
    """What makes a #TRANS the copy of an #RTRANS: account, objects and amount."""
    account = args[0] if args else None
    has_objects = len(args) > 1 and isinstance(args[1], list)
    objects = args[1] if has_objects else []
    at = 2 if has_objects else 1
    amount = _amount(args[at]) if len(args) > at else None
    if amount is None:
        return None
    pairs = frozenset(zip(objects[::2], objects[1::2], strict=False))
    return account, pairs, amount


def _parse(text: object) -> Decimal | None:
    """A SIE amount field as written (``1000``, ``-1000.50``, ``1e5``), any size."""
    if not isinstance(text, str):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def _amount(text: object) -> Decimal | None:
    """An amount field that holds an amount (finite, within the size rule); else None."""
    value = _parse(text)
    return value if value is not None and cells.size_problem(value) is None else None


_NUMBER = re.compile(r"^[+-]?[0-9]*[.,]?[0-9]+$")


def _date(text: object) -> tuple[str, str] | None:
    """``20170831`` -> (year, month)."""
    if isinstance(text, str) and len(text) == 8 and text.isascii() and text.isdigit():
        month = int(text[4:6])
        if 1 <= month <= 12:
            return text[:4], str(month)
    return None


@dataclass
class _Voucher:
    line: int
    label: str
    date: tuple[str, str] | None
    text: str | None
    total: Decimal = Decimal(0)
    # The #RTRANS lines whose #TRANS copy has not come yet: (account, objects, amount).
    pending: list[tuple[object, frozenset[tuple[str, str]], Decimal]] = field(default_factory=list)
    refused: bool = False  # a transaction line of it was refused (named on its own line)


def columnar_enabled() -> bool:
    return os.environ.get(ENV_COLUMNAR, "").strip().lower() not in ("0", "false", "nej")


def read(
    path: Path,
    display: str,
    ansvar: int | None,
    verksamhet: int | None,
    columnar: bool | None = None,
) -> Ledger:
    """Read one SIE file; raises NotSie when it is no SIE file at all. ``columnar`` False
    reads line by line only (None: as ``BUDGET_SIE_COLUMNAR`` says, by default columnar)."""
    reader = _Reader(display, ansvar, verksamhet)
    try:
        with files.opened(path, display, MAX_BYTES) as fh:
            streamed = (
                columnar is False
                or (columnar is None and not columnar_enabled())
                or os.fstat(fh.fileno()).st_size > MAX_COLUMNAR_BYTES
            )
            if streamed:
                handle = io.TextIOWrapper(fh, encoding="cp437", newline="")
            else:
                data = fh.read()
                lines = sie_columns.split_lines(data, MAX_LINE)
                if lines is not None:
                    del data
                    reader.columnar(sie_columns.plan(lines, ansvar, verksamhet))
                    return reader.finish()
                # The same bytes, read as the file is read line by line.
                handle = io.TextIOWrapper(io.BytesIO(data), encoding="cp437", newline="")
            for number, raw in enumerate(handle, 1):
                reader.line(number, raw)
    except UnreadableFile as exc:
        raise NotSie(exc.diagnostic) from exc
    return reader.finish()


# The records of SIE 4 that the reader passes over (it reads those in ``_Reader.records``).
_OTHER_RECORDS = frozenset(
    [
        "#FLAGGA",
        "#PROGRAM",
        "#FORMAT",
        "#GEN",
        "#PROSA",
        "#FTYP",
        "#FNR",
        "#ORGNR",
        "#BKOD",
        "#ADRESS",
        "#FNAMN",
        "#TAXAR",
        "#OMFATTN",
        "#KPTYP",
        "#VALUTA",
        "#KONTO",
        "#ENHET",
        "#SRU",
        "#OBJEKT",
        "#KSUMMA",
    ]
)


class _Reader:
    """The state of one SIE file read line by line; one method per kind of record."""

    def __init__(self, display: str, ansvar: int | None, verksamhet: int | None) -> None:
        self.display = display
        self.verksamhet = verksamhet
        self.found = Ledger()
        self.rows: list[dict[str, str | None]] = []  # rows read line by line
        self.lines: list[int] = []
        self.bulk: list[pl.DataFrame] = []  # rows read as columns (edge/sie_columns.py)
        self.wanted = {"Ansvar": ansvar, "Verksamhet": verksamhet}
        self.voucher: _Voucher | None = None
        self.vouchers: dict[tuple[str, ...], int] = {}  # (series, number) -> its #VER line
        self.in_voucher = False
        self.res: dict[str, Decimal] = {}
        self.res_lines: dict[str, int] = {}
        self.balances: list[tuple[int, list[str | list[str]]]] = []
        self.types: dict[str, tuple[str, int]] = {}
        self.seen_record = False
        self.sie_record = False  # a record SIE defines was seen
        self.records: dict[str, Callable[[int, list[str | list[str]]], None]] = {
            "#SIETYP": self._sietyp,
            "#RAR": self._rar,
            "#KTYP": self._ktyp,
            "#DIM": self._dim,
            "#UNDERDIM": self._dim,
            "#VER": self._ver,
            "#TRANS": self._trans,
            "#RTRANS": self._trans,
            "#BTRANS": self._trans,
            "#RES": self._res,
            "#PSALDO": self._balance,
            "#PBUDGET": self._balance,
            # Opening and closing balances are not read, but held to the size rule too.
            "#IB": self._balance,
            "#UB": self._balance,
            "#OIB": self._balance,
            "#OUB": self._balance,
        }

    def problem(
        self, line: int, message: str, value: str | None = None, code: str = "E116"
    ) -> None:
        self.found.diagnostics.append(
            Diagnostic(
                code,
                message,
                file=self.display,
                cell=f"rad {line}",
                value=value,
                expected=cells.TOO_LARGE_EXPECTED if code == "E109" else None,
            )
        )

    def sized(self, line: int, label: str, text: object) -> Decimal | None:
        """An amount field of ``label`` held to the one size rule (checks.cells): None, with
        the line named, when it is too large or not finite; None silently when absent."""
        amount = _parse(text)
        if amount is None:
            return None
        problem = cells.size_problem(amount)
        if problem is not None:
            self.problem(line, f"{label}: {problem[1]}", str(text)[:80], problem[0])
            return None
        return amount

    def line(self, number: int, raw: str) -> None:
        if len(raw) > MAX_LINE:
            self.problem(number, f"raden är längre än {MAX_LINE} tecken")
            return
        line = raw.strip()
        if not line:
            return
        if not self.seen_record:
            self._first(number, line)
        if line == "{":
            self.in_voucher = self.voucher is not None
        elif line == "}":
            self._close_voucher()
        else:
            fields = tokens(line)
            label = str(fields[0]).upper() if fields else ""
            handler = self.records.get(label)
            if handler is not None or label in _OTHER_RECORDS:
                self.sie_record = True
            if handler is not None:
                handler(number, fields)

    def _first(self, number: int, line: str) -> None:
        if not line.startswith("#"):
            raise NotSie(
                Diagnostic(
                    "E016",
                    "filen är ingen SIE-fil",
                    file=self.display,
                    cell=f"rad {number}",
                    value=line[:40],
                    expected="en SIE-fil som börjar med #FLAGGA",
                )
            )
        self.seen_record = True

    def _close_voucher(self) -> None:
        if self.voucher is not None:
            _close(self.voucher, self.found, self.display)
        self.voucher, self.in_voucher = None, False

    def _sietyp(self, number: int, fields: list[str | list[str]]) -> None:
        if len(fields) > 1:
            self.found.kind = str(fields[1])

    def _rar(self, number: int, fields: list[str | list[str]]) -> None:
        if len(fields) > 3:
            self.found.years[str(fields[1])] = (str(fields[2]), str(fields[3]))

    def _ktyp(self, number: int, fields: list[str | list[str]]) -> None:
        if len(fields) > 2:
            self.types[str(fields[1])] = (str(fields[2]).upper(), number)

    def _dim(self, number: int, fields: list[str | list[str]]) -> None:
        if len(fields) > 2:
            self.found.dimensions[str(fields[1])] = str(fields[2])

    def _ver(self, number: int, fields: list[str | list[str]]) -> None:
        if self.voucher is not None:
            _close(self.voucher, self.found, self.display)
        args = fields[1:]
        date = _date(args[2]) if len(args) > 2 else None
        if date is None:
            self.problem(number, "verifikationen saknar ett giltigt datum (ÅÅÅÅMMDD)")
        text = str(args[3]) if len(args) > 3 and isinstance(args[3], str) else None
        self.voucher = self._open(number, args[:2], date, text)

    def _open(
        self,
        number: int,
        names: list[str | list[str]],
        date: tuple[str, str] | None,
        text: str | None,
    ) -> _Voucher:
        """A voucher opened by its #VER line (series and number in ``names``); E118 when
        the series and number were given before."""
        given = [a for a in names if isinstance(a, str)]
        series = " ".join(given).strip()
        voucher = _Voucher(number, series, date, text)
        identity = tuple(a.strip() for a in given)
        if len(identity) == 2 and identity[0] and identity[1]:
            first = self.vouchers.setdefault(identity, number)
            if first != number:
                self.found.diagnostics.append(
                    Diagnostic(
                        "E118",
                        f"verifikation {series} finns två gånger, på rad {first} och rad "
                        f"{number}; båda skulle räknas",
                        file=self.display,
                        cell=f"rad {number}",
                        column="Verifikation",
                        value=series,
                        expected="en verifikation per serie och nummer",
                    )
                )
        return voucher

    def columnar(self, plan: sie_columns.Plan) -> None:
        """Read a file cut by the pre-pass: every line outside the simple vouchers as
        ``line`` reads it and the simple vouchers whole, in the file's order. A simple
        voucher that follows one left open is read line by line too (its #VER closes
        that one)."""
        other, at = plan.other, 0
        vouchers = plan.vouchers
        taken: list[int] = []
        labels: list[str | None] = []
        for number, close, series, name, year, month, text, total in zip(
            *(vouchers.get_column(c).to_list() for c in sie_columns.VOUCHER_COLUMNS),
            strict=True,
        ):
            while at < len(other) and other[at][0] < number:
                self.line(*other[at])
                at += 1
            if self.voucher is not None:
                texts = plan.lines.slice(number - 1, close - number + 1).to_list()
                for offset, raw in enumerate(texts):
                    self.line(number + offset, raw or "")
                continue
            # As line() reads "#VER …", "{", the #TRANS lines and "}": none of them can
            # be refused or give a diagnostic of its own (sie_columns' simple form).
            self.seen_record = self.sie_record = True
            voucher = self._open(number, [series, name], (year, month), text)
            voucher.total = total
            _close(voucher, self.found, self.display)
            taken.append(number)
            labels.append(voucher.label or None)
        for item in other[at:]:
            self.line(*item)
        if taken:
            self.bulk.append(_bulk_rows(plan.rows, vouchers, taken, labels))

    def _trans(self, number: int, fields: list[str | list[str]]) -> None:
        label, args = str(fields[0]).upper(), fields[1:]
        voucher = self.voucher
        if voucher is None or not self.in_voucher:
            self.problem(number, f"{label} står utanför en verifikation")
            return
        if label == "#BTRANS":
            return
        key = _identity(args)
        if label == "#RTRANS":
            if key is not None:
                voucher.pending.append(key)
        elif key is not None and key in voucher.pending:
            # The copy of an #RTRANS before it, for older readers: the same account, objects
            # and amount, however the exporter wrote them (1000 or 1000.00, another date).
            voucher.pending.remove(key)
            return
        _transaction(number, args, voucher, self, self.wanted, self.problem)

    def _res(self, number: int, fields: list[str | list[str]]) -> None:
        args = fields[1:]
        if len(args) >= 3:
            amount = self.sized(number, "#RES", args[2])
            if amount is not None and str(args[0]) == "0":
                self.res[str(args[1])] = amount
                self.res_lines[str(args[1])] = number

    def _balance(self, number: int, fields: list[str | list[str]]) -> None:
        label = str(fields[0]).upper()
        at = {"#PSALDO": 5, "#PBUDGET": 5, "#OIB": 4, "#OUB": 4}.get(label, 3)
        refused = len(fields) > at and _parse(fields[at]) is not None
        if refused and self.sized(number, label, fields[at]) is None:
            return  # too large or not finite: named, never summed
        if label in ("#PSALDO", "#PBUDGET"):
            self.balances.append((number, fields))

    def finish(self) -> Ledger:
        found = self.found
        if self.voucher is not None:
            _close(self.voucher, found, self.display)
        if not self.seen_record:
            raise NotSie(Diagnostic("E016", "filen är tom, ingen SIE-fil", file=self.display))
        if not self.sie_record:
            # Lines beginning with # are no SIE file (a README, a script): read as one it
            # gave no rows and exit 0.
            raise NotSie(
                Diagnostic(
                    "E016",
                    "filen har ingen SIE-post (#FLAGGA, #SIETYP, #VER …)",
                    file=self.display,
                    expected="en SIE-fil som börjar med #FLAGGA",
                )
            )
        use_saldo = not self.rows and not any(part.height for part in self.bulk)
        _balances(self.balances, use_saldo, self, found, self.verksamhet)
        frame = self._frame()
        konto = frame.get_column("Konto")
        accounts = {str(a) for a in konto.filter(konto.is_not_null() & (konto != "")).unique()}
        _account_types(self.types, accounts, found, self.display)
        if frame.height and self.res:
            _compare(self.res, self.res_lines, _sums(frame), found, self.display)
        found.frame = frame
        return found

    def _frame(self) -> pl.DataFrame:
        """The rows read line by line and those read as columns, in the file's order."""
        read = pl.DataFrame(
            {
                **{name: [row[name] for row in self.rows] for name in COLUMNS},
                "line": self.lines,
            },
            schema=_SCHEMA,
        )
        parts = [part for part in (read, *self.bulk) if part.height]
        if len(parts) <= 1:
            return parts[0] if parts else read
        return pl.concat(parts).sort("line")


def _transaction(
    number: int,
    args: list[str | list[str]],
    voucher: _Voucher,
    kept: _Reader,
    wanted: dict[str, int | None],
    problem: Callable[[int, str, str | None, str], None],
) -> None:
    account = args[0] if args else None
    if not (isinstance(account, str) and account.isascii() and account.isdigit()):
        problem(number, "kontot är inte ett nummer", str(account), "E116")
    objects = args[1] if len(args) > 1 and isinstance(args[1], list) else []
    amount_at = 2 if len(args) > 1 and isinstance(args[1], list) else 1
    written = args[amount_at] if len(args) > amount_at else None
    amount = _parse(written)
    size = cells.size_problem(amount) if amount is not None else None
    if size is not None:
        problem(number, f"transaktionens belopp: {size[1]}", str(written)[:80], size[0])
        voucher.refused = True  # its balance cannot be checked: the line is named instead
        return
    if amount is None:
        problem(number, "transaktionen saknar ett belopp", None, "E116")
        return
    after = args[amount_at + 1] if len(args) > amount_at + 1 else None
    if isinstance(after, str) and _NUMBER.match(after) and after != "0" and _date(after) is None:
        # ``1 000.00`` is the amount 1 and a date 000.00: a number where the date stands
        # means the amount was written with a space (or a field is missing).
        problem(
            number,
            "efter beloppet står ett tal som inte är ett datum (ÅÅÅÅMMDD); är beloppet skrivet "
            "med mellanslag?",
            f"{written} {after}",
            "E116",
        )
        voucher.refused = True
        return
    voucher.total += amount
    date = _date(args[amount_at + 1]) if len(args) > amount_at + 1 else None
    date = date or voucher.date
    text = args[amount_at + 2] if len(args) > amount_at + 2 else None
    pairs = dict(zip(objects[::2], objects[1::2], strict=False))
    if any(pairs[d] != o for d, o in zip(objects[::2], objects[1::2], strict=False)):
        # A dimension given twice ({1 "A1" 1 "B1"}): which object holds is a guess.
        problem(
            number,
            "objektlistan anger samma dimension två gånger",
            "{" + " ".join(objects) + "}",
            "E116",
        )
        voucher.refused = True
        return
    year, month = date if date else (None, None)
    row: dict[str, str | None] = {
        "År": year,
        "Period": month,
        "Ansvar": pairs.get(str(wanted["Ansvar"])) if wanted["Ansvar"] else None,
        "Verksamhet": pairs.get(str(wanted["Verksamhet"])) if wanted["Verksamhet"] else None,
        "Konto": account if isinstance(account, str) else None,
        "Belopp": format(amount, "f"),
        "Text": (text if isinstance(text, str) and text else voucher.text) or None,
        "Verifikation": voucher.label or None,
    }
    kept.rows.append(row)
    kept.lines.append(number)


# An amount as the columnar path writes it: at most two decimals, under 10^15 (cells).
_CENTS = r"^-?[0-9]{1,15}(\.[0-9]{1,2})?$"


def _sums(frame: pl.DataFrame) -> dict[str, Decimal]:
    """The amounts of ``frame`` summed per account (rows without an account left out).
    Amounts of at most two decimals are summed by polars, exactly; others one by one with
    Decimal, as they were read."""
    rows = frame.filter(pl.col("Konto").is_not_null() & (pl.col("Konto") != ""))
    if rows.get_column("Belopp").str.contains(_CENTS).all():
        per_account = rows.group_by("Konto").agg(pl.col("Belopp").cast(pl.Decimal(38, 2)).sum())
        return dict(
            zip(*(per_account.get_column(c).to_list() for c in ("Konto", "Belopp")), strict=True)
        )
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for account, amount in rows.select("Konto", "Belopp").iter_rows():
        if amount:
            sums[account] += Decimal(amount)
    return sums


def _bulk_rows(
    rows: pl.DataFrame, vouchers: pl.DataFrame, taken: list[int], labels: list[str | None]
) -> pl.DataFrame:
    """The #TRANS rows of the simple vouchers read whole, as ``_transaction`` makes them:
    the voucher's date where the line has none, its text where the line's is empty."""
    heads = vouchers.select(
        pl.col("line").alias("voucher"), "year", "month", pl.col("text").alias("vtext")
    ).join(
        pl.DataFrame(
            {"voucher": taken, "label": labels},
            schema={"voucher": vouchers.schema["line"], "label": pl.String},
        ),
        on="voucher",
    )
    text = (
        pl.when(pl.col("Text").is_not_null() & (pl.col("Text") != ""))
        .then(pl.col("Text"))
        .otherwise(pl.col("vtext"))
    )
    return rows.join(heads, on="voucher", maintain_order="left").select(
        pl.coalesce("År", "year").alias("År"),
        pl.coalesce("Period", "month").alias("Period"),
        "Ansvar",
        "Verksamhet",
        "Konto",
        "Belopp",
        pl.when(text != "").then(text).alias("Text"),
        pl.col("label").alias("Verifikation"),
        pl.col("line").cast(pl.UInt32),
    )


def _close(voucher: _Voucher, found: Ledger, display: str) -> None:
    if voucher.total != 0 and not voucher.refused:
        found.diagnostics.append(
            Diagnostic(
                "E115",
                f"verifikation {voucher.label} balanserar inte (differens {_kr(voucher.total)})",
                file=display,
                cell=f"rad {voucher.line}",
                value=_kr(voucher.total),
                expected="debet = kredit (summan av transaktionerna 0,00 kr)",
            )
        )


def _balances(
    balances: list[tuple[int, list[str | list[str]]]],
    use_saldo: bool,
    kept: _Reader,
    found: Ledger,
    verksamhet: int | None,
) -> None:
    """#PSALDO (when there are no transactions: ``use_saldo``) and #PBUDGET as monthly
    rows: the totals per account, or for the budget the rows per verksamhet object where
    there are such."""
    per_object = verksamhet is not None and any(
        str(f[0]).upper() == "#PBUDGET" and len(f) > 4 and _object(f[4], verksamhet)
        for _, f in balances
    )
    for number, fields in balances:
        label, args = str(fields[0]).upper(), fields[1:]
        if len(args) < 5 or str(args[0]) != "0":
            continue  # earlier years
        code = _object(args[3], verksamhet) if label == "#PBUDGET" and per_object else None
        if (code is None and args[3] != []) or (
            per_object and label == "#PBUDGET" and code is None
        ):
            continue  # a part of a total broken down by objects, or the total itself
        period, account, amount = str(args[1]), args[2], _amount(args[4])
        if amount is None or len(period) != 6 or not period.isascii() or not period.isdigit():
            continue
        row: dict[str, str | None] = {
            "År": period[:4],
            "Period": str(int(period[4:])),
            "Ansvar": None,
            "Verksamhet": code,
            "Konto": account if isinstance(account, str) else None,
            "Belopp": format(amount, "f"),
            "Text": None,
            "Verifikation": None,
        }
        if label == "#PSALDO" and use_saldo:
            kept.rows.append(row)
            kept.lines.append(number)
        elif label == "#PBUDGET":
            found.budget.append(row)
            found.budget_lines.append(number)


# Which Kommun-Bas classes each #KTYP fits: I intäkt, K kostnad, T tillgång, S skuld.
_KTYP_CLASSES = {"I": "38", "K": "45678", "T": "12", "S": "12"}
_KTYP_NAMES = {"I": "intäkt", "K": "kostnad", "T": "tillgång", "S": "skuld"}
_CLASS_NAMES = {"3": "intäkt", "1": "balans", "2": "balans", "8": "finansiell post"}


def _account_types(
    types: dict[str, tuple[str, int]], used: set[str], found: Ledger, display: str
) -> None:
    """W316: an account the file types (#KTYP) otherwise than its class says. The report
    goes by the class (Kommun-Bas), so the warning says how the account will be read."""
    for account in sorted(used & set(types)):
        kind, line = types[account]
        fits = _KTYP_CLASSES.get(kind)
        if fits is None or account[:1] in fits:
            continue
        read_as = _CLASS_NAMES.get(account[:1], "kostnad")
        found.diagnostics.append(
            Diagnostic(
                "W316",
                f"konto {account} är typat som {_KTYP_NAMES[kind]} (#KTYP {kind}) men "
                f"kontoklass {account[:1]} redovisas som {read_as}",
                file=display,
                cell=f"rad {line}",
                column="Konto",
                value=account,
            )
        )


def _object(objects: object, dimension: int | None) -> str | None:
    """The object of ``dimension`` when it is the only one in the list."""
    if dimension is None or not isinstance(objects, list) or len(objects) != 2:
        return None
    return objects[1] if objects[0] == str(dimension) else None


def _kr(value: Decimal) -> str:
    from budget.core import fmt

    return fmt.exact(int((value * 100).to_integral_value(ROUND_HALF_UP)))


def _compare(
    res: dict[str, Decimal],
    lines: dict[str, int],
    sums: dict[str, Decimal],
    found: Ledger,
    display: str,
) -> None:
    """#RES (the year's result per account) against the transactions of the year."""
    for account in sorted(set(res) | {a for a in sums if a[:1] in "345678"}):
        stated, counted = res.get(account, Decimal(0)), sums.get(account, Decimal(0))
        if stated != counted:
            found.diagnostics.append(
                Diagnostic(
                    "W315",
                    f"konto {account}: transaktionerna summerar till {_kr(counted)} men #RES "
                    f"anger {_kr(stated)} (differens {_kr(counted - stated)})",
                    file=display,
                    cell=f"rad {lines[account]}" if account in lines else None,
                    column="Konto",
                    value=account,
                )
            )
