"""The record of what ``budget underlag`` sent (``utskick.json``), and reading it back.

A returned workbook proves nothing about itself: its hidden fingerprint is an unkeyed hash
anyone can recompute. What was *sent* is the reference. ``underlag`` writes this record
beside the workbooks, in the same all-or-none write: the nämnd, year and period, and per
workbook its file name, ansvar, unit, the SHA-256 of its bytes and every prefilled cell of
every row. ``samla`` checks each returned workbook against it.

samla finds the record in this order: ``--underlag`` (the folder underlag wrote, or the
file); the folder ``budget underlag`` writes to by default (``underlag/<inputs>-<period>/``,
as ``make underlag`` and ``make samla`` use it); the returned folder itself (returns put in
the folder underlag wrote, or a copy of it). Without it samla refuses (E230) and says how
to proceed.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from budget.core.collection import PREFILLED
from budget.core.names import file_key, old_underlag_file_name
from budget.diagnostics import Diagnostic
from budget.edge import files
from budget.edge.files import UnreadableFile

NAME = "utskick.json"
KIND = "budget underlag: utskick"
VERSION = 1
MAX_BYTES = 64 * 1024 * 1024  # far beyond thousands of units; a bigger file is no record


@dataclass(frozen=True)
class SentBook:
    """One workbook as it was sent."""

    file: str
    ansvar: str
    unit: str | None
    sha256: str
    fingerprint: str
    rows: tuple[tuple[Any, ...], ...]  # the prefilled cells of each row, as written


@dataclass(frozen=True)
class Sent:
    namnd: str
    year: int
    period: int
    report: str  # T1, T2, P05, …
    written: str  # when underlag wrote it (ISO 8601), to tell one mailing from another
    books: tuple[SentBook, ...]
    path: Path | None = None  # where it was read from

    def by_ansvar(self) -> dict[str, SentBook]:
        return {b.ansvar: b for b in self.books}

    def by_file(self) -> dict[str, SentBook]:
        """The books by their file name as file systems compare it (``file_key``), also
        under the code-only name underlag gave before the unit's name was added."""
        old = {file_key(old_underlag_file_name(b.ansvar, self.report)): b for b in self.books}
        return old | {file_key(b.file): b for b in self.books}


def to_bytes(sent: Sent) -> bytes:
    """The record as JSON: the same record gives the same bytes."""
    data = {
        "kind": KIND,
        "version": VERSION,
        "namnd": sent.namnd,
        "year": sent.year,
        "period": sent.period,
        "report": sent.report,
        "written": sent.written,
        "workbooks": [
            {
                "file": b.file,
                "ansvar": b.ansvar,
                "unit": b.unit,
                "sha256": b.sha256,
                "fingerprint": b.fingerprint,
                "rows": [list(r) for r in b.rows],
            }
            for b in sent.books
        ],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode()


class NoRecord(Exception):
    """The record cannot be used: ``diagnostic`` says why and how to proceed."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


# The returns folder underlag makes beside the folder it writes: <folder>-inlamnat.
RETURNS_SUFFIX = "-inlamnat"


def returns_dir(sent_dir: Path) -> Path:
    """Where the units' filled-in workbooks go: beside the sent ones."""
    return sent_dir.parent / f"{sent_dir.name}{RETURNS_SUFFIX}"


def candidates(option: Path | None, default_dir: Path, returned_dir: Path) -> list[Path]:
    """Where samla looks for the record, in order: --underlag; the default folder; the
    folder a returns folder was made beside (``returns_dir``); the returns folder."""
    if option is not None:
        return [option if option.suffix.lower() == ".json" else option / NAME]
    places = [default_dir / NAME]
    name = returned_dir.resolve().name
    if name.casefold().endswith(RETURNS_SUFFIX) and len(name) > len(RETURNS_SUFFIX):
        beside = returned_dir.resolve().with_name(name[: -len(RETURNS_SUFFIX)]) / NAME
        places.append(beside)
    return [*places, returned_dir / NAME]


def find(option: Path | None, default_dir: Path, returned_dir: Path) -> Sent:
    """The record samla checks against; raises NoRecord."""
    places = candidates(option, default_dir, returned_dir)
    for place in places:
        try:
            if place.is_file():
                return read(place)
        except OSError:
            continue
    shown = " eller ".join(str(p) for p in places)
    raise NoRecord(
        Diagnostic(
            "E230",
            f"utskicksregistret finns inte i {shown}",
            file=NAME,
            expected=f"{NAME} från budget underlag för den här perioden",
        )
    )


def _bad(path: Path, why: str, value: str | None = None) -> NoRecord:
    return NoRecord(
        Diagnostic(
            "E231",
            f"utskicksregistret {path} kan inte användas: {why}",
            file=path.name,
            value=value,
            expected=f"{NAME} som budget underlag skrev, oförändrad",
        )
    )


def _cell(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or (isinstance(value, str | int) and not isinstance(value, bool))


def read(path: Path) -> Sent:
    """Read and check a record; raises NoRecord (E231) for anything but underlag's record."""
    data = _json(path)
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise _bad(path, "filen är inget utskicksregister från budget underlag")
    if data.get("version") != VERSION:
        raise _bad(path, "okänd version", str(data.get("version")))
    try:
        sent = _parse(data, path)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _bad(path, "registret är ofullständigt eller ändrat") from exc
    if len(sent.by_ansvar()) != len(sent.books):
        raise _bad(path, "samma ansvar finns två gånger i registret")
    return sent


def _json(path: Path) -> Any:
    try:
        return json.loads(files.read_bytes(path, path.name, MAX_BYTES).decode("utf-8"))
    except UnreadableFile as exc:
        raise _bad(path, exc.diagnostic.message, exc.diagnostic.value) from exc
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _bad(path, "filen är ingen JSON från budget underlag") from exc


def _parse(data: dict[str, Any], path: Path) -> Sent:
    books = []
    for b in data["workbooks"]:
        rows = tuple(tuple(r) for r in b["rows"])
        texts = (b["file"], b["ansvar"], b["sha256"], b["fingerprint"])
        if (
            not all(isinstance(t, str) for t in texts)
            or not all(len(r) == PREFILLED for r in rows)
            or not all(_cell(v) for r in rows for v in r)
        ):
            raise TypeError
        unit = b.get("unit")
        books.append(
            SentBook(
                b["file"],
                b["ansvar"],
                unit if isinstance(unit, str) else None,
                b["sha256"],
                b["fingerprint"],
                rows,
            )
        )
    return Sent(
        str(data["namnd"]),
        int(data["year"]),
        int(data["period"]),
        str(data["report"]),
        str(data["written"]),
        tuple(books),
        path,
    )
