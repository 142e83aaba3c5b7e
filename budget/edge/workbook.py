"""What a workbook file holds, checked before the native reader sees it (the I/O edge).

calamine trusts a workbook: it inflates whatever its zip says and allocates a
dense grid from the cell references it finds, so a 6 kB file with one cell at
``XFD1048576`` makes it ask for hundreds of GB and abort the process. Every
zip-based workbook therefore passes through ``inspect`` first:

- **Zip members are inflated here, counting the real bytes.** The headers'
  sizes are never trusted: a member must inflate to exactly the size and CRC
  its header states, the whole file to at most ``MAX_UNPACKED_BYTES``, and no
  member beyond ``MAX_RATIO`` × its packed size once it is large.
- **Cell references stay within Excel's limits** (column XFD, row 1 048 576),
  and the grid a sheet spans, rows × columns, within ``MAX_CELLS``. A cheap
  search bounds the grid from the shape of the references; only a sheet whose
  bound is too large is walked cell by cell to find the real extent and the
  cell that makes it so.
- **Sheet names and visibility** come from ``xl/workbook.xml`` (``.ods``:
  ``content.xml``), so a hidden sheet is never used silently.

The result is memoised per file (path, size, modification time) for the run.
"""

from __future__ import annotations

import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree import ElementTree

from openpyxl.utils import column_index_from_string, get_column_letter

from budget.diagnostics import Diagnostic, os_reason
from budget.edge import files
from budget.edge.files import UnreadableFile

MAX_UNPACKED_BYTES = 2 * 1024**3
MAX_FILE_BYTES = MAX_UNPACKED_BYTES  # packed, on disk: never more than what it unpacks to
MAX_RATIO_BYTES = 200 * 1024**2
MAX_RATIO = 500
MAX_MEMBERS = 10_000
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384


def column_number(letters: str) -> int:
    """Excel's column letters as a 1-based number (openpyxl's reading); letters beyond
    any sheet's width (four or more, or past ZZZ) are one past the widest column."""
    if not letters or len(letters) > 3:
        return MAX_COLUMNS + 1
    number: int = column_index_from_string(letters)
    return min(number, MAX_COLUMNS + 1)


# A million-row sheet of up to 20 columns. Measured under a 4 GB address space (a small
# laptop): calamine and the frame built from it read 24,6 million cells, at any width, and
# aborted (a Rust allocation failure, no exception) at 29 million; 50 million, the earlier
# bound, let a hostile sheet abort the process (found by test_workbook_guard's fuzzing).
MAX_CELLS = 20_000_000
# Compressed bytes inflated per call: deflate expands at most 1032-fold, so one call gives at
# most 66 MB, and no output limit (with its copies of the unconsumed input) is needed.
CHUNK = 1 << 16
# Inflated bytes a call may give: 64 kB of spaces inflate to 64 MB, which held in pieces,
# carries and their joins took most of a GB to refuse a 1,4 MB file. The rest of the input
# waits as the inflater's unconsumed tail (a copy of at most CHUNK bytes per call).
_MAX_OUT = 4 * 1024**2


def _n(number: int) -> str:
    """A count as Swedish text: 65 536 000."""
    return f"{number:,}".replace(",", "\u00a0")


@dataclass(frozen=True)
class Sheet:
    name: str
    visible: bool
    part: str | None = None  # the zip member holding the sheet (.xlsx)


@dataclass(frozen=True)
class Workbook:
    kind: str  # "xlsx", "ods" or "other"
    sheets: tuple[Sheet, ...]

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)


# A refusal is remembered as well: a workbook two readers open is inflated once.
_MEMO: dict[tuple[str, int, int], Workbook | Diagnostic] = {}


def inspect(path: Path, display: str) -> Workbook:
    """Check a zip-based workbook (.xlsx, .xlsm, .ods) and list its sheets; see the module doc."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise _unreadable(display, exc) from exc
    memo = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    known = _MEMO.get(memo)
    if isinstance(known, Diagnostic) and known.file == display:
        raise UnreadableFile(known)
    if isinstance(known, Workbook):
        return known
    try:
        with files.opened(path, display, MAX_FILE_BYTES) as fh:
            found = _inspect(fh, display, path.suffix.lower())
    except UnreadableFile as exc:
        _MEMO[memo] = exc.diagnostic
        raise
    _MEMO[memo] = found
    return found


def _unreadable(display: str, exc: OSError) -> UnreadableFile:
    return UnreadableFile(files.cannot_read(display, os_reason(exc)))


def _damaged(display: str, what: str) -> UnreadableFile:
    return UnreadableFile(
        Diagnostic(
            "E002",
            f"filen är en trasig eller manipulerad zip-fil ({what}) och ingen läsbar arbetsbok",
            file=display,
            expected="en arbetsbok sparad av Excel eller LibreOffice",
        )
    )


def _inspect(fh: BinaryIO, display: str, suffix: str) -> Workbook:
    zf, infos = _members(fh, display)
    names = {i.filename for i in infos}
    kind = "ods" if "content.xml" in names and suffix == ".ods" else "xlsx"
    small: dict[str, bytes] = {}
    total = 0
    scans: dict[str, _SheetScan] = {}
    shared: _CountScan | None = None
    for info in infos:
        sink = _sink_for(kind, info.filename)
        if isinstance(sink.scan, _CountScan):
            shared = sink.scan
        elif sink.scan is not None:
            scans[info.filename] = sink.scan
        total += _inflate(fh, info, display, MAX_UNPACKED_BYTES - total, sink)
        if sink.scan is not None:
            sink.scan.finish()
        if sink.chunks:
            small[info.filename] = b"".join(sink.chunks)
    if kind == "ods":
        sheets = _ods_sheets(small.get("content.xml", b""))
        scans.get("content.xml", _OdsScan()).raise_for(display, "")
        return Workbook(kind, sheets)
    sheets = _xlsx_sheets(
        small.get("xl/workbook.xml", b""), small.get("xl/_rels/workbook.xml.rels")
    )
    if shared is not None:
        shared.raise_for(display, "")
    by_part = {s.part: s.name for s in sheets if s.part}
    for part, scan in scans.items():
        if scan.beyond is not None or scan.bound() > MAX_CELLS:
            scan = _exact_extent(fh, zf.getinfo(part), display, scan.unreferenced)
        scan.raise_for(display, by_part.get(part, part))
    return Workbook(kind, sheets)


def _members(fh: BinaryIO, display: str) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """The zip's table of contents, refused when it cannot be read or is too long."""
    try:
        zf = zipfile.ZipFile(fh)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _damaged(display, "innehållsförteckningen kan inte läsas") from exc
    if len(infos) > MAX_MEMBERS:
        raise UnreadableFile(
            Diagnostic(
                "E008",
                f"filen har {len(infos)} delar",
                file=display,
                expected=f"högst {MAX_MEMBERS} delar",
            )
        )
    return zf, infos


_KEPT = {"xlsx": {"xl/workbook.xml", "xl/_rels/workbook.xml.rels"}, "ods": {"content.xml"}}


def _sink_for(kind: str, name: str) -> _Sink:
    """What to do with a member's bytes: scan a sheet's extent, count shared strings, and
    keep the small parts that list the sheets."""
    sink = _Sink(keep=name in _KEPT[kind])
    if kind == "xlsx" and name.startswith("xl/worksheets/"):
        sink.scan = _SheetScan()
    elif kind == "xlsx" and name == "xl/sharedStrings.xml":
        sink.scan = _CountScan(name)
    elif kind == "ods" and name == "content.xml":
        sink.scan = _OdsScan()
    return sink


class _Sink:
    """Where a member's inflated chunks go: a scan, and kept bytes for the small parts."""

    def __init__(self, keep: bool) -> None:
        self.keep = keep
        self.scan: _SheetScan | None = None
        self.chunks: list[bytes] = []

    def __call__(self, data: bytes) -> None:
        if self.scan is not None:
            self.scan.feed(data)
        if self.keep:
            self.chunks.append(data)


def _inflate(
    fh: BinaryIO,
    info: zipfile.ZipInfo,
    display: str,
    allowed: int,
    on_chunk: Callable[[bytes], None],
) -> int:
    """Inflate one member from its own data, counting; returns the real size."""
    inflater = _open_member(fh, info, display)
    limit = min(allowed, MAX_UNPACKED_BYTES)
    # What the header owns up to is refused before anything is inflated; what it hides is
    # refused as soon as the inflated bytes pass it (below).
    _refuse_size(info.file_size, limit, info, display)
    left = info.compress_size
    size = 0
    crc = 0
    while left > 0 or (inflater is not None and inflater.unconsumed_tail):
        if inflater is not None and inflater.unconsumed_tail:
            packed = inflater.unconsumed_tail
        else:
            packed = fh.read(min(CHUNK, left))
            if not packed:
                raise _damaged(display, f"delen {info.filename} är avkortad")
            left -= len(packed)
        try:
            data = packed if inflater is None else inflater.decompress(packed, _MAX_OUT)
        except zlib.error as exc:
            raise _damaged(display, f"delen {info.filename} kan inte packas upp") from exc
        size += len(data)
        _refuse_size(size, limit, info, display)
        if size > info.file_size + _MAX_OUT:
            # The header understates the member: nothing it says can be trusted, and
            # inflating on to the limits only costs time and memory before the refusal.
            raise UnreadableFile(
                Diagnostic(
                    "E008",
                    f"delen {info.filename} packas upp till mer än de "
                    f"{_n(info.file_size)} byte som zip-filen uppger",
                    file=display,
                    expected="en arbetsbok vars delar har den storlek zip-filen uppger",
                )
            )
        crc = zlib.crc32(data, crc)
        on_chunk(data)
        if inflater is not None and inflater.eof:
            break
    finished = inflater is None or (inflater.eof and not inflater.unused_data and left == 0)
    if not finished or size != info.file_size or crc != info.CRC:
        raise _damaged(display, f"delen {info.filename} stämmer inte med sin uppgivna storlek")
    return size


def _open_member(fh: BinaryIO, info: zipfile.ZipInfo, display: str) -> Any:
    """Seek to a member's data past its own local header; its inflater (None: stored)."""
    if info.flag_bits & 0x1:
        raise UnreadableFile(
            Diagnostic("E007", "filen är krypterad (lösenordsskyddad)", file=display)
        )
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _damaged(display, f"okänd komprimering i delen {info.filename}")
    fh.seek(info.header_offset)
    head = fh.read(30)
    if len(head) != 30 or head[:4] != b"PK\x03\x04":
        raise _damaged(display, f"delen {info.filename} saknas")
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    return zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None


def _refuse_size(size: int, limit: int, info: zipfile.ZipInfo, display: str) -> None:
    """E008 as soon as the inflated bytes pass the limit or the ratio (a zip bomb)."""
    if size > limit:
        raise UnreadableFile(
            Diagnostic(
                "E008",
                f"filen packas upp till mer än {MAX_UNPACKED_BYTES // 1024**2} MB",
                file=display,
                expected=f"högst {MAX_UNPACKED_BYTES // 1024**2} MB uppackat",
            )
        )
    if size > MAX_RATIO_BYTES and size > MAX_RATIO * max(info.compress_size, 1):
        raise UnreadableFile(
            Diagnostic(
                "E008",
                f"delen {info.filename} packas upp mer än {MAX_RATIO} gånger",
                file=display,
                expected=f"högst {MAX_RATIO} gånger för delar över {MAX_RATIO_BYTES // 1024**2} MB",
            )
        )


# How many columns a sheet may span at Excel's full height and stay within MAX_CELLS: A–S.
# A sheet whose references all stay within them needs no closer look, however many rows
# it has; a wider one has its real extent measured.
SAFE_COLUMNS = MAX_CELLS // MAX_ROWS
assert 1 <= SAFE_COLUMNS < 26
# References in row and cell tags that are out of the ordinary: a column beyond the safe
# ones (a later single letter, or two or more letters), or a row number of seven or more
# digits. A sheet of up to 19 columns and 999 999 rows has none, so the scan usually finds
# nothing and costs one pass. (Text that happens to read like one only widens the bound;
# an error is confirmed by measuring the sheet itself.)
# The pattern starts with a literal (no whitespace class) so the engine can skip to it.
_UNUSUAL = (
    rf'r="([{get_column_letter(SAFE_COLUMNS + 1)}-Z][0-9]+|[A-Z]{{2,}}[0-9]+|[A-Z]*[0-9]{{7,}})"'
)
_NO_REF = r'<c(?:\s+(?:[A-Za-qs-z_:][\w:.-]*|r[\w:.-]+)\s*=\s*"[^"]*")*\s*/?>'
# A cell whose reference is not an ordinary one (lower case, $, single quotes, …): calamine and
# the walk place it by its position, so the sheet is measured exactly (as for no reference).
_ODD_REF = (
    r"""<c\s[^>]*?\br\s*=\s*(?:'|"(?:[^"]*[^A-Z0-9"][^"]*"|[0-9]*"|[A-Z]*"|"""
    r"""[^"]*[0-9][^"]*[A-Z][^"]*"))"""
)
# Either, in one pass of the regex engine instead of two (a quarter less of their cost,
# measured on the bench ledger).
_NO_OR_ODD_REF = f"(?:{_NO_REF})|(?:{_ODD_REF})"
_BATCH = 64 * 1024**2
# Bytes a seam between two pieces of one long run repeats, so that a tag it cuts is whole
# in the second piece: far more than any reference or cell tag.
_OVERLAP = 4096
# A run without a tag's start is cut into pieces of about this size: one piece of 64 MB
# made polars' regex search take ten times its size.
_RUN = 1024**2


class _SheetScan:
    """Cheap bounds on one worksheet's references, fed chunk by chunk.

    The inflated XML is scanned in batches by polars' regex engine (Rust, no
    backtracking, both cores): a few hundred MB take well under a second.
    """

    def __init__(self) -> None:
        self.pieces = _Pieces()
        self.beyond: bytes | None = None
        self.columns = SAFE_COLUMNS
        self.rows = MAX_ROWS  # rows beyond are ``beyond``
        self.unreferenced = False
        self.extent: tuple[int, int, str] | None = None  # exact rows, columns, widest cell
        self._worker: threading.Thread | None = None
        self._failure: Exception | None = None

    def feed(self, data: bytes) -> None:
        batch = self.pieces.add(data)
        if batch:
            self._hand_over(batch)

    def finish(self) -> None:
        self._hand_over(self.pieces.rest())
        self._join()

    def _hand_over(self, batch: list[bytes]) -> None:
        """Scan a batch in a worker thread while the next one is inflated (zlib and
        polars both work outside the GIL); one batch in flight at a time."""
        self._join()
        if not batch:
            return
        self._worker = threading.Thread(target=self._scan, args=(batch,))
        self._worker.start()

    def _join(self) -> None:
        if self._worker is not None:
            self._worker.join()
            self._worker = None
        if self._failure is not None:
            raise self._failure

    def _scan(self, batch: list[bytes]) -> None:
        try:
            self._scan_batch(batch)
        except Exception as exc:  # re-raised in the reading thread by _join
            self._failure = exc

    def _scan_batch(self, batch: list[bytes]) -> None:
        self._scan_xml(_xml_frame(batch))

    def _scan_xml(self, xml: Any) -> None:
        import polars as pl

        found = xml.select(
            pl.col("x").str.extract_all(_UNUSUAL).alias("refs"),
            pl.col("x").str.contains(_NO_OR_ODD_REF).any().alias("noref"),
        )
        if found["noref"][0]:
            self.unreferenced = True
        plain = found.select(pl.col("refs").explode()).drop_nulls()
        refs = plain.select(
            pl.col("refs").str.extract(r'r="([A-Z]*)', 1).alias("letters"),
            pl.col("refs").str.extract(r'([0-9]+)"$', 1).cast(pl.Int64, strict=False).alias("row"),
            pl.col("refs").str.extract(r'r="([A-Z]*[0-9]+)"', 1).alias("ref"),
        )
        if not refs.height:
            return
        top_row = refs["row"].max()
        for letters, ref in (
            refs.group_by("letters").agg(pl.col("ref").first()).sort("letters").iter_rows()
        ):
            width = column_number(letters) if letters else 0
            if width > MAX_COLUMNS:
                self.beyond = self.beyond or b' r="' + ref.encode() + b'"'
            self.columns = max(self.columns, min(width, MAX_COLUMNS + 1))
        if isinstance(top_row, int) and top_row > MAX_ROWS and self.beyond is None:
            row_ref = refs.filter(pl.col("row") == top_row)["ref"][0]
            self.beyond = b' r="' + row_ref.encode() + b'"'
        endless = refs.filter(pl.col("row").is_null() & pl.col("ref").is_not_null())
        if endless.height and self.beyond is None:  # more digits than an Int64 holds
            self.beyond = b' r="' + endless["ref"][0].encode() + b'"'

    def bound(self) -> int:
        if self.unreferenced:
            return MAX_CELLS + 1  # positions are implicit: count them
        return self.rows * self.columns

    def raise_for(self, display: str, sheet: str) -> None:
        if self.beyond is not None:
            ref = self.beyond.decode("ascii", "replace").split('"')[1][:24]
            raise UnreadableFile(
                Diagnostic(
                    "E012",
                    "cellreferensen ligger utanför Excels gränser",
                    file=display,
                    sheet=sheet or None,
                    cell=ref if ref[:1].isalpha() else f"rad {ref}",
                    value=ref,
                    expected=f"högst kolumn XFD och rad {_n(MAX_ROWS)}",
                )
            )
        if self.extent is not None:
            rows, columns, widest = self.extent
            if rows * columns > MAX_CELLS:
                raise UnreadableFile(
                    Diagnostic(
                        "E012",
                        f"bladet sträcker sig över {_n(rows)} rader × {_n(columns)} kolumner "
                        f"({_n(rows * columns)} celler); en cell ligger långt utanför tabellen",
                        file=display,
                        sheet=sheet or None,
                        cell=widest or None,
                        value=widest or None,
                        expected=f"högst {_n(MAX_CELLS)} celler",
                    )
                )


class _CountScan(_SheetScan):
    """A part whose count calamine trusts to reserve memory (``<sst uniqueCount=…>``): a
    count larger than the part could hold entries is refused."""

    # ``count`` counts the cells that use a string and may be anything; ``uniqueCount``
    # is the number of entries, which calamine reserves room for.
    _COUNT = re.compile(rb'\suniqueCount="([0-9]+)"')

    def __init__(self, part: str) -> None:
        super().__init__()
        self.part = part
        self.head = b""
        self.size = 0

    def feed(self, data: bytes) -> None:
        if len(self.head) < 4096:
            self.head += data[: 4096 - len(self.head)]
        self.size += len(data)

    def raise_for(self, display: str, sheet: str) -> None:
        start = self.head.split(b">", 2)
        counts = [int(m.group(1)) for part in start[:2] for m in self._COUNT.finditer(part)]
        # An entry takes at least five bytes (<si/>).
        if counts and max(counts) > self.size // 5:
            raise UnreadableFile(
                Diagnostic(
                    "E002",
                    f"filen är manipulerad: delen {self.part} uppger {max(counts)} poster men "
                    "rymmer högst "
                    f"{self.size // 5}",
                    file=display,
                    value=str(max(counts)),
                    expected=f"högst {self.size // 5} poster",
                )
            )


class _OdsScan(_SheetScan):
    """An .ods sheet repeats rows and cells by count: the grid is walked, repeats counted.

    Cells and rows that hold nothing (LibreOffice pads every sheet with them) do not
    widen the grid; a repeated cell or row with a value does.
    """

    _TAG = re.compile(rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)\b([^>]*?)(/?)>")
    _REPEAT = re.compile(rb'number-(?:columns|rows)-repeated="([0-9]+)"')

    def __init__(self) -> None:
        super().__init__()
        self.carry = b""
        self.rows = 0  # rows so far in this table
        self.row_repeat = 1
        self.col = 0
        self.row_width = 0
        self.in_cell: tuple[int, int] | None = None  # (start column, repeat) of an open cell
        self.max_rows = 0
        self.max_cols = 0
        self.table = ""

    def feed(self, data: bytes) -> None:
        text = self.carry + data
        cut = text.rfind(b"<")
        body, self.carry = (text[:cut], text[cut:]) if cut >= 0 else (text, b"")
        for m in self._TAG.finditer(body):
            closing, name, attrs, empty = m.groups()
            repeat_m = self._REPEAT.search(attrs)
            repeat = int(repeat_m.group(1)) if repeat_m else 1
            if name == b"table":
                if not closing:
                    self.rows = 0
            elif name == b"table-row":
                self._row(bool(closing), repeat)
            else:
                self._cell(bool(closing), bool(empty), b"office:value-type" in attrs, repeat)
        if self.max_rows > MAX_ROWS or self.max_cols > MAX_COLUMNS:
            self.beyond = self.beyond or b' r="rad ' + str(self.max_rows).encode() + b'"'

    def _row(self, closing: bool, repeat: int) -> None:
        if not closing:
            self.row_repeat, self.col, self.row_width = repeat, 0, 0
            return
        self.rows += self.row_repeat
        if self.row_width:
            self.max_rows = max(self.max_rows, self.rows)
            self.max_cols = max(self.max_cols, self.row_width)

    def _cell(self, closing: bool, empty: bool, has_value: bool, repeat: int) -> None:
        if closing:  # </table:table-cell>: the cell had content
            if self.in_cell is not None:
                start, cells = self.in_cell
                self.row_width = start + cells
                self.in_cell = None
            return
        if empty:
            if has_value:
                self.row_width = self.col + repeat
        else:
            self.in_cell = (self.col, repeat)
        self.col += repeat

    def bound(self) -> int:
        return self.max_rows * max(self.max_cols, 1)

    def raise_for(self, display: str, sheet: str) -> None:
        if self.beyond is None and self.bound() > MAX_CELLS:
            self.extent = (self.max_rows, self.max_cols, "")
        super().raise_for(display, sheet)


class _Walk:
    """The position of a sheet walk: the current cell and the extent so far."""

    def finish(self) -> None:
        self(b"<")  # the last tag

    def __init__(self) -> None:
        self.row = 0
        self.col = 0
        self.max_row = 0
        self.max_col = 0
        self.widest = ""
        self.deepest = ""
        self.carry = b""

    def __call__(self, data: bytes) -> None:
        text = self.carry + data
        cut = text.rfind(b"<")
        body, self.carry = (text[:cut], text[cut:]) if cut >= 0 else (text, b"")
        for m in _TAGS.finditer(body):
            attrs = b" " + m.group(2)
            if m.group(1) == b"row":
                row_ref = _ROW_REF.search(attrs)
                self.row = int(row_ref.group(1)) if row_ref else self.row + 1
                self.col = 0
                continue
            ref = _REF.search(attrs)
            if ref:
                letters = ref.group(1).decode()
                self.col = column_number(letters)
                self.row = int(ref.group(2)) or self.row
            else:
                self.col += 1
                letters = get_column_letter(min(self.col, MAX_COLUMNS + 1))
            if self.row > self.max_row:
                self.max_row = self.row
                shown = letters if self.col > 0 else "A"
                self.deepest = f"{shown}{self.row}"
            if self.col > self.max_col:
                self.max_col = self.col
                self.widest = f"{letters}{self.row}"


_TAGS = re.compile(rb"<(row|c)\b([^>]*)>")
_ROW_REF = re.compile(rb'\sr="([0-9]+)"')
_REF = re.compile(rb'\sr="([A-Z]+)([0-9]+)"')


def _exact_extent(fh: BinaryIO, info: zipfile.ZipInfo, display: str, implicit: bool) -> _SheetScan:
    """A sheet's real extent and its widest and deepest cells. ``implicit``: some cells
    have no reference, so every tag is walked in order; else the references are read
    vectorised (a wide sheet of a million rows in a few seconds, not minutes)."""
    walk: _Walk | _RefExtent = _Walk() if implicit else _RefExtent()
    _inflate(fh, info, display, MAX_UNPACKED_BYTES, walk)
    walk.finish()
    if isinstance(walk, _RefExtent) and walk.odd:
        # A reference that does not name a cell (``r="a1"``, row 0) places its cell by
        # the tags before it, as calamine does, and a row number beyond 64 bits is
        # compared whole: walk them.
        return _exact_extent(fh, info, display, implicit=True)
    scan = _SheetScan()
    scan.extent = (walk.max_row, walk.max_col, walk.widest)
    if walk.max_col > MAX_COLUMNS:
        scan.beyond = b' r="' + walk.widest.encode() + b'"'
    elif walk.max_row > MAX_ROWS:
        scan.beyond = b' r="' + walk.deepest.encode() + b'"'
    return scan


# A cell tag's own reference, after any other attributes.
_CELL_REF = r'<c\s(?:[^>]*?\s)?r="([A-Z]+[0-9]+)"'


class _RefExtent:
    """The extent of a sheet whose cells all carry references, as ``_Walk`` finds it:
    the largest row and column any cell names, and the first cells (in the file's
    order) that reach them; the references are read in batches by polars."""

    def __init__(self) -> None:
        self.max_row = 0
        self.max_col = 0
        self.widest = ""
        self.deepest = ""
        self.odd = False
        self.pieces = _Pieces()

    def __call__(self, data: bytes) -> None:
        batch = self.pieces.add(data)
        if batch:
            self._batch(_xml_frame(batch))

    def finish(self) -> None:
        batch = self.pieces.rest()
        if batch:
            self._batch(_xml_frame(batch))

    def _batch(self, xml: Any) -> None:
        import polars as pl

        found = xml.select(
            pl.col("x").str.extract_all(_CELL_REF).alias("ref"),
            pl.col("x").str.count_matches(r"<c[\s/>]").alias("tags"),
        )
        if found["tags"].sum() != found["ref"].list.len().sum():
            self.odd = True
            return
        refs = (
            found.select("ref")
            .explode("ref")
            .drop_nulls()
            .select(
                pl.col("ref").str.extract(r'r="([A-Z]+)([0-9]+)"$', 1).alias("letters"),
                pl.col("ref").str.extract(r'([0-9]+)"$', 1).alias("digits"),
            )
            .with_columns(pl.col("digits").cast(pl.Int64, strict=False).alias("row"))
        )
        if not refs.height:
            return
        if refs.filter((pl.col("row") == 0) | pl.col("row").is_null()).height:
            self.odd = True  # row 0, or more digits than an Int64 holds
            return
        width = {letters: column_number(letters) for letters in refs["letters"].unique().to_list()}
        refs = refs.with_columns(
            pl.col("letters").replace_strict(width, return_dtype=pl.Int64).alias("col")
        )
        col = refs["col"].max()
        if isinstance(col, int) and col > self.max_col:
            # The first such cell (not arg_max: on a column polars flags as sorted it
            # gives the last of equal values).
            at = refs.filter(pl.col("col") == col).row(0, named=True)
            self.max_col, self.widest = col, f"{at['letters']}{at['digits']}"
        row = refs["row"].max()
        if isinstance(row, int) and row > self.max_row:
            at = refs.filter(pl.col("row") == row).row(0, named=True)
            self.max_row, self.deepest = row, f"{at['letters']}{at['digits']}"


class _Pieces:
    """Inflated XML gathered into batches of pieces, each piece ending before a tag (so
    no tag is ever cut), without copying the XML into one string."""

    def __init__(self) -> None:
        self.carry: list[bytes] = []  # the tag begun at the end of the last chunk
        self.carried = 0  # its bytes
        self.batch: list[bytes] = []
        self.size = 0

    def add(self, data: bytes) -> list[bytes] | None:
        """Take one inflated chunk; a full batch (about ``_BATCH`` bytes) or None."""
        cut = data.rfind(b"<")
        if cut < 0:
            self.carry.append(data)  # inside one long tag or text: no piece ends here
            self.carried += len(data)
            if self.carried <= _RUN:
                return None
            # A run without a tag's start longer than a batch (padding, or a hostile tag):
            # held whole it took memory without bound. It goes on as a piece of its own;
            # its last bytes stay as the carry too, so a reference cut by the seam is still
            # found whole in the next piece (one found twice only widens a bound).
            joined = b"".join(self.carry)
            self.carry, self.carried = [joined[-_OVERLAP:]], _OVERLAP
            return self._take(joined)
        piece = b"".join([*self.carry, data[:cut]]) if self.carry else data[:cut]
        self.carry, self.carried = [data[cut:]], len(data) - cut
        return self._take(piece)

    def _take(self, piece: bytes) -> list[bytes] | None:
        if piece:
            self.batch.append(piece)
            self.size += len(piece)
        if self.size < _BATCH:
            return None
        batch, self.batch, self.size = self.batch, [], 0
        return batch

    def rest(self) -> list[bytes]:
        """What is left at the end of the member, the last tag included."""
        if self.carry:
            self.batch.append(b"".join(self.carry))
            self.carry, self.carried = [], 0
        batch, self.batch, self.size = self.batch, [], 0
        return batch


def _xml_frame(pieces: list[bytes]) -> Any:
    """The pieces as a polars String column ``x``. A piece that is not UTF-8 is decoded
    with replacement characters: it is still searched, never skipped."""
    import polars as pl

    xml = pl.Series("x", pieces, dtype=pl.Binary).cast(pl.String, strict=False)
    if xml.null_count():
        xml = pl.Series(
            "x",
            [
                piece.decode("utf-8", "replace") if value is None else value
                for piece, value in zip(pieces, xml.to_list(), strict=True)
            ],
            dtype=pl.String,
        )
    return xml.to_frame()


_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def _xlsx_sheets(workbook: bytes, rels: bytes | None) -> tuple[Sheet, ...]:
    try:
        root = ElementTree.fromstring(workbook)
        targets = {}
        if rels:
            for rel in ElementTree.fromstring(rels):
                target = rel.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                targets[rel.get("Id")] = target
    except ElementTree.ParseError:
        return ()
    out = []
    for el in root.iter(f"{{{_NS['m']}}}sheet"):
        name = el.get("name") or ""
        rid = el.get(f"{{{_NS['r']}}}id")
        state = (el.get("state") or "visible").lower()
        out.append(Sheet(name, state == "visible", targets.get(rid)))
    return tuple(out)


_ODS_TABLE = re.compile(rb'<table:table\b[^>]*?table:name="([^"]*)"[^>]*?>')
_ODS_STYLE = re.compile(
    rb'<style:style\b[^>]*style:name="([^"]*)"[^>]*style:family="table"[^>]*>'
    rb'\s*<style:table-properties\b[^>]*table:display="false"'
)


def _ods_sheets(content: bytes) -> tuple[Sheet, ...]:
    hidden_styles = {m.group(1) for m in _ODS_STYLE.finditer(content)}
    out = []
    for m in _ODS_TABLE.finditer(content):
        style = re.search(rb'table:style-name="([^"]*)"', m.group(0))
        hidden = style is not None and style.group(1) in hidden_styles
        name = _unescape(m.group(1).decode("utf-8", "replace"))
        out.append(Sheet(name, not hidden))
    return tuple(out)


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def text_cells(path: Path, workbook: Workbook, sheet: str, cells: dict[str, str]) -> set[str]:
    """Which of ``cells`` (reference -> the text calamine gave) the file stores as text.

    ``.xlsx``: the cell's own type in the sheet XML. ``.ods``: whether that text
    stands in a string cell anywhere on the sheets. Other formats: all of them,
    so that an ambiguous amount is reported rather than guessed.
    """
    if not cells:
        return set()
    try:
        with zipfile.ZipFile(path) as zf:
            if workbook.kind == "xlsx":
                found = workbook.sheet(sheet)
                if found is None or found.part is None:
                    return set(cells)
                xml = zf.read(found.part)
                # One pass per column asked about, however many cells: each cell tag of
                # the column, and whether its type is text.
                numbers: set[str] = set()
                for letters in sorted({ref.rstrip("0123456789") for ref in cells}):
                    tag = rb'<c\b[^>]*?\sr="(' + letters.encode() + rb'[0-9]+)"[^>]*>'
                    for m in re.finditer(tag, xml):
                        if not re.search(rb'\st="(?:s|str|inlineStr)"', m.group(0)):
                            numbers.add(m.group(1).decode())
                return set(cells) - numbers
            if workbook.kind == "ods":
                xml = zf.read("content.xml")
                strings = {
                    _unescape(t.decode("utf-8", "replace"))
                    for t in re.findall(
                        rb'office:value-type="string"[^>]*>\s*<text:p>([^<]*)</text:p>', xml
                    )
                }
                return {ref for ref, value in cells.items() if value in strings}
    except (OSError, zipfile.BadZipFile, KeyError):
        pass
    return set(cells)
