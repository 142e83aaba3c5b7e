"""One inflate pass per big sheet: the guard and the cut into parts, parsed on both cores.

calamine parses a sheet on one core, and the guard (``budget.edge.workbook``) and the
typed path's scan for text cells (``budget.edge.typed``) inflated the same XML once
each before and beside it. Here a big .xlsx sheet is inflated once, and that one pass

1. **guards every byte** as ``workbook.inspect`` does: all other members first (sizes,
   ratio, CRC, the shared strings' count), then the sheet, each part's bytes scanned for
   references beyond Excel's grid, cells without a reference, and wide rows, before the
   part may be parsed; the sheet's own size, ratio and CRC are checked as it inflates;
2. **finds the text cells** of the numeric columns (``typed.TextCells``) in the same scan;
3. **cuts** the XML before a ``<row `` tag into parts of at least ``min_part`` bytes,
   each written to a temporary folder as a small uncompressed workbook that holds the
   sheet's head, its rows and the parts calamine needs (styles, shared strings, the
   workbook), and parses the parts in threads (calamine works outside the GIL) while
   the pass goes on.

The first rows (the header copy of the typed path) are read from the first bytes of the
same pass, guarded first; they decide the columns and their types (``Plan``) exactly as
the plain read takes them, and every part is read with that one plan.

**Nothing here may change a figure.** Each part is read with ``skip_rows=0``, so its rows
keep their sheet positions: rows before the part must come back empty and no row may
reach into the next part; the parts are put together in order with the rows between them
(rows without a tag) as blank rows, as calamine gives them in one range. Anything out of
the ordinary raises ``Fallback`` and the sheet is read by the plain path, which then also
says what is wrong with it: a sheet the guard would look at closer (wide, references out
of the ordinary or missing), row tags with a namespace prefix or without ``r=``, comments
or CDATA in the rows, parts whose columns differ, any error or panic of calamine in a
part, and any refusal (the plain path finds it again, with the same diagnostic).

Two or more parts only when two cores are free: the cores this process may use
(``os.sched_getaffinity``) less what other processes used while the first part was
inflated (``/proc/stat`` against the process' own CPU time; the load average where
there is no ``/proc``). A busy second core made every split variant slower than one
part (measured: 15–45 %). With fewer, the pass makes one part, parsed when the pass
ends: still one inflate instead of three.

``BUDGET_SPLIT=0`` turns this off (the plain path), ``BUDGET_SPLIT=1`` takes the cores
as free and ``BUDGET_SPLIT=en`` as busy (tests). ``BUDGET_SPLIT_MIN_PART`` sets the
smallest part in bytes and ``BUDGET_SPLIT_REPEAT`` the first rows repeated in every later
part (tests cut small sheets into many parts with them). ``BUDGET_READ_LOG`` names a file
to which each read appends the path it took and why (``make bench`` prints it).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import polars as pl

from budget.diagnostics import os_reason
from budget.edge import files, typed
from budget.edge.files import UnreadableFile
from budget.edge.workbook import (
    _MEMO,
    MAX_FILE_BYTES,
    MAX_UNPACKED_BYTES,
    SAFE_COLUMNS,
    Workbook,
    _inflate,
    _members,
    _SheetScan,
    _sink_for,
    _xlsx_sheets,
)

ENV_SPLIT = "BUDGET_SPLIT"
ENV_MIN_PART = "BUDGET_SPLIT_MIN_PART"
ENV_LOG = "BUDGET_READ_LOG"
ENV_REPEAT = "BUDGET_SPLIT_REPEAT"
# Parts of at least this many XML bytes: a sheet under two of them is read plainly.
MIN_PART = 24 * 1024**2
# Parts per core: parts of unequal cost even out, and the first starts early.
PARTS_PER_CORE = 2
# The parts calamine reads besides the sheet (as typed.head's copy).
_COPIED = (*typed._PARTS, typed.SST)
_SHEET_DATA = b"<sheetData>"
_ROW_TAG = re.compile(rb"<row\b[^>]*>")
_ROW_R = re.compile(rb'\sr="([1-9][0-9]{0,6})"')
# Markup calamine's XML reader treats apart (comments, CDATA, instructions): a cut could
# fall inside it, so a sheet with any in its rows is read plainly. Looked for as literals:
# the regex ``<[!?]`` stopped at every tag and cost a fifth of the part scan (measured).
_MARKUP = ("<!", "<?")
# One split read at a time in a process: it uses both cores itself, and two million-row
# ledgers split at once would hold two sets of parts (memory).
_ONE = threading.Lock()


class Fallback(Exception):
    """The sheet is read by the plain path; the message says why (``route``)."""


@dataclass(frozen=True)
class Plan:
    """How every part is read: fastexcel's columns and types, and the columns whose
    text cells are looked for (``typed.TextCells``). ``extra``: the caller's own."""

    use_columns: list[int] | None
    dtypes: dict[int, str] | str
    letters: list[str] = field(default_factory=list)
    extra: Any = None


@dataclass
class Parsed:
    """A sheet read in parts: the frame as one plain read gives it (columns ``a{i}``),
    calamine's cell errors (positions as one read gives them), the header copy."""

    workbook: Workbook
    name: str
    plan: Plan
    head: pl.DataFrame
    frame: pl.DataFrame
    errors: list[Any]
    selected: list[int]
    not_numbers: set[str] | None
    parts: int
    route: str
    _files: list[Path] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)
    _head_height: int = 0

    def load(self, plan: Plan) -> tuple[pl.DataFrame, list[Any], list[int]]:
        """The same parts read again with another plan (the text path after the typed)."""
        workers = min(len(self._files), max(1, _cores()))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="part") as pool:
            futures = [pool.submit(_parse, f, self.name, plan) for f in self._files]
            results = [f.result() for f in futures]
        return _assemble(results, self._starts, self._head_height)


def enabled() -> bool:
    return os.environ.get(ENV_SPLIT, "").strip() not in ("0", "nej", "false")


def _forced() -> bool:
    """``BUDGET_SPLIT=1``: the cores taken as free (tests force the split path)."""
    return os.environ.get(ENV_SPLIT, "").strip() in ("1", "ja", "true")


def _one_part() -> bool:
    """``BUDGET_SPLIT=en``: one part, as when the cores are busy (tests)."""
    return os.environ.get(ENV_SPLIT, "").strip() == "en"


def _repeated() -> int:
    """Rows at the start of every later part: the header copy's, fewer in tests
    (``BUDGET_SPLIT_REPEAT``) so that small sheets are cut too."""
    try:
        wanted = int(os.environ.get(ENV_REPEAT, "") or typed.HEAD_ROWS)
    except ValueError:
        wanted = typed.HEAD_ROWS
    return min(max(1, wanted), typed.HEAD_ROWS)


def min_part() -> int:
    try:
        return max(1, int(os.environ.get(ENV_MIN_PART, "") or MIN_PART))
    except ValueError:
        return MIN_PART


def log(display: str, route: str) -> None:
    """Append the path a read took to ``$BUDGET_READ_LOG`` (for ``make bench``)."""
    target = os.environ.get(ENV_LOG)
    if target:
        with contextlib.suppress(OSError), open(target, "a", encoding="utf-8") as fh:
            fh.write(f"{display}\t{route}\n")


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class _Probe:
    """The cores other processes use, from when it is made to ``free()``."""

    def __init__(self) -> None:
        self.start = (time.monotonic(), _busy_seconds(), _own_seconds())

    def free(self) -> tuple[float, str]:
        """Cores free for this process, and how that was found (for the log)."""
        cores = _cores()
        wall0, busy0, own0 = self.start
        wall, busy, own = time.monotonic() - wall0, _busy_seconds(), _own_seconds()
        if busy is not None and busy0 is not None and wall >= 0.05:
            others = max(0.0, (busy - busy0) - (own - own0)) / wall
            return min(float(cores), (os.cpu_count() or cores) - others), (
                f"{cores} kärnor, andra processer använde {others:.1f}"
            )
        try:
            load = os.getloadavg()[0]
        except OSError:
            return float(cores), f"{cores} kärnor, belastning okänd"
        return cores - load, f"{cores} kärnor, belastning {load:.1f}"


def _busy_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy (``/proc/stat``), or None."""
    try:
        with open("/proc/stat", "rb") as fh:
            fields = fh.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != b"cpu" or len(fields) < 8:
        return None
    ticks = [int(x) for x in fields[1:]]
    busy = sum(ticks[:8]) - ticks[3] - ticks[4]  # less idle and iowait
    return busy / os.sysconf("SC_CLK_TCK")


def _own_seconds() -> float:
    """CPU seconds this process and its live children have spent: the render helper
    (app/renderers.py) imports while the ledger is read, and that is this run's own work,
    not another process' (counted as such, it made every first run read in one part)."""
    times = os.times()
    return times.user + times.system + _children_seconds()


def _children_seconds() -> float:
    """CPU seconds of this process' live children (``/proc/<pid>/stat``; 0 without /proc)."""
    me = str(os.getpid()).encode()
    ticks = 0
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0.0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                # pid (comm) state ppid … utime stime: after the last ')', as comm may hold any
                fields = fh.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone, or not ours to read
        if len(fields) > 12 and fields[1] == me:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def read(
    path: Path,
    display: str,
    choose: Callable[[list[str], dict[str, bool]], str],
    plan: Callable[[str, pl.DataFrame], Plan],
) -> Iterator[Parsed]:
    """The sheet ``choose`` picks, read in one pass (see the module doc), for the body of
    a ``with``. Raises ``Fallback`` where the plain path must read it; nothing else (a
    refusal, too, is left to the plain path). The parts are removed when the ``with``
    ends, however it ends."""
    if not enabled():
        raise Fallback("avstängd (BUDGET_SPLIT=0)")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise Fallback("inte .xlsx")
    smallest = min_part()
    try:
        folder = tempfile.TemporaryDirectory(prefix="budget-delar-", ignore_cleanup_errors=True)
    except OSError as exc:  # no temporary folder to be had: the plain path needs none
        raise Fallback(f"ingen tillfällig mapp ({os_reason(exc)})") from None
    with _ONE, folder as tmp:
        try:
            with files.opened(path, display, MAX_FILE_BYTES) as fh:
                parsed = _Pass(fh, Path(tmp), display, choose, plan, smallest).run(path)
        except UnreadableFile as exc:
            raise Fallback(f"avvisad ({exc.diagnostic.code}), läses som vanligt") from None
        except Fallback:
            raise
        except Exception as exc:  # any doubt: the plain path reads it, and says what is wrong
            raise Fallback(f"kunde inte delas ({type(exc).__name__})") from None
        yield parsed


class _Pass:
    def __init__(
        self,
        fh: BinaryIO,
        tmp: Path,
        display: str,
        choose: Callable[[list[str], dict[str, bool]], str],
        plan: Callable[[str, pl.DataFrame], Plan],
        smallest: int,
    ) -> None:
        self.fh, self.tmp, self.display = fh, tmp, display
        self.choose, self.make_plan, self.smallest = choose, plan, smallest
        self.probe = _Probe()

    def run(self, path: Path) -> Parsed:
        fh, display = self.fh, self.display
        zf, infos = _members(fh, display)
        sheets = {i.filename for i in infos if i.filename.startswith("xl/worksheets/")}
        if not sheets or "content.xml" in {i.filename for i in infos}:
            raise Fallback("inget .xlsx-blad")
        biggest = max(i.file_size for i in infos if i.filename in sheets)
        if biggest < 2 * self.smallest:
            raise Fallback("litet blad")
        total = 0
        kept: dict[str, bytes] = {}
        # Everything but the worksheets, then the worksheets not read, then the one read:
        # every member is guarded before any part reaches calamine.
        for info in infos:
            if info.filename in sheets:
                continue
            sink = _sink_for("xlsx", info.filename)
            sink.keep = sink.keep or info.filename in _COPIED
            total += _inflate(fh, info, display, MAX_UNPACKED_BYTES - total, sink)
            if sink.scan is not None:
                sink.scan.finish()
                sink.scan.raise_for(display, "")
            if sink.keep:
                kept[info.filename] = b"".join(sink.chunks)
        found = _xlsx_sheets(
            kept.get("xl/workbook.xml", b""), kept.get("xl/_rels/workbook.xml.rels")
        )
        workbook = Workbook("xlsx", found)
        names = [s.name for s in found]
        name = self.choose(names, {s.name: s.visible for s in found})
        sheet = workbook.sheet(name)
        if sheet is None or sheet.part not in sheets:
            raise Fallback("bladets del saknas")
        for info in infos:
            if info.filename in sheets and info.filename != sheet.part:
                scan = _SheetScan()
                total += _inflate(fh, info, display, MAX_UNPACKED_BYTES - total, scan.feed)
                scan.finish()
                _require_ordinary(scan)
        info = zf.getinfo(sheet.part)
        cutter = _Cutter(self, name, sheet.part, info.file_size, kept)
        try:
            _inflate(fh, info, display, MAX_UNPACKED_BYTES - total, cutter)
            cutter.end()
            parsed = cutter.collect(workbook)
        finally:
            cutter.close()
        stat = path.stat()
        _MEMO[(str(path.resolve()), stat.st_size, stat.st_mtime_ns)] = workbook
        return parsed


def _require_ordinary(scan: _SheetScan) -> None:
    """Fallback unless a scan found nothing the guard would look at closer."""
    if scan.beyond is not None or scan.unreferenced or scan.columns > SAFE_COLUMNS:
        raise Fallback("bladet behöver granskas cell för cell")


class _PartScan(_SheetScan):
    """The guard's scan of one part, and in the same batches its text cells in the
    numeric columns and any comment or CDATA."""

    def __init__(self, letters: list[str]) -> None:
        super().__init__()
        self.pattern = typed.not_numbers_pattern(letters) if letters else None
        self.texts: set[str] = set()
        self.markup = False

    def _scan_xml(self, xml: Any) -> None:
        super()._scan_xml(xml)
        text = pl.col("x")
        exprs = [
            pl.any_horizontal(text.str.contains(m, literal=True) for m in _MARKUP).alias("markup")
        ]
        if self.pattern is not None:
            exprs.append(text.str.extract_all(self.pattern).alias("m"))
        found = xml.select(exprs)
        if found["markup"].any():
            self.markup = True
        if self.pattern is not None:
            refs = (
                found.select("m")
                .explode("m")
                .drop_nulls()
                .select(pl.col("m").str.extract(r'\sr="([A-Z]+[0-9]+)"', 1))
            )
            self.texts.update(refs["m"].drop_nulls().to_list())


class _Part:
    """One part: its bytes held until the plan is made, then written to its file as the
    pass goes, and scanned. A part after the first starts with the first rows (the
    header copy's), so that calamine gives it the columns one read of the sheet has."""

    def __init__(self, cutter: _Cutter, index: int, start: int) -> None:
        self.cutter, self.index, self.start = cutter, index, start
        self.file = cutter.pass_.tmp / f"del-{index:03d}.xlsx"
        self.zip: zipfile.ZipFile | None = None
        self.stream: Any = None
        self.scan: _PartScan | None = None
        self.pending: list[bytes] = []
        self.size = 0
        self.closed = False
        if cutter.plan is not None:
            self.activate()

    def activate(self) -> None:
        """Open the file (the plan is made): what was held is written and scanned."""
        cutter = self.cutter
        assert cutter.plan is not None
        self.zip = zipfile.ZipFile(self.file, "w", zipfile.ZIP_STORED)
        for name, data in cutter.kept.items():
            if name in _COPIED:
                self.zip.writestr(name, data)
        self.stream = self.zip.open(cutter.member, "w", force_zip64=True)
        self.stream.write(cutter.head_xml)
        if self.index:
            self.stream.write(cutter.head_rows)
        self.scan = _PartScan(cutter.plan.letters)
        pending, self.pending = self.pending, []
        for data in pending:
            self._out(data)

    def write(self, data: bytes) -> None:
        if not data:
            return
        self.size += len(data)
        if self.stream is None:
            self.pending.append(data)
        else:
            self._out(data)

    def _out(self, data: bytes) -> None:
        assert self.scan is not None
        self.stream.write(data)
        self.scan.feed(data)

    def close(self, tail: bytes) -> None:
        if not self.closed and self.zip is not None:
            self.stream.write(tail)
            self.stream.close()
            self.zip.close()
            self.closed = True


class _Cutter:
    """The sheet's inflated chunks: the head, then the parts (see the module doc)."""

    def __init__(
        self, pass_: _Pass, name: str, member: str, size: int, kept: dict[str, bytes]
    ) -> None:
        self.pass_, self.name, self.member, self.kept = pass_, name, member, kept
        self.size = size
        self.head_xml = b""
        self.lead: list[bytes] = []  # bytes before <sheetData>, then the first rows
        self.lead_size = 0
        self.row_ends = 0
        self.in_body = False
        self.plan: Plan | None = None
        self.head: pl.DataFrame | None = None
        self.parts: list[_Part] = []
        self.current: _Part | None = None
        self.target = max(pass_.smallest, size // (PARTS_PER_CORE * max(2, _cores())))
        if _forced() and os.environ.get(ENV_MIN_PART):
            self.target = pass_.smallest  # tests: as many parts as the size gives
        self.split: bool | None = None  # decided at the first cut
        self.route = ""
        self.workers = 1
        self.pool: ThreadPoolExecutor | None = None
        self.futures: list[Future[Any]] = []
        self.queued: list[tuple[_Part, bytes]] = []  # parts ended before the plan, tails
        self.head_rows = b""  # the first rows, repeated at the start of every later part
        self.head_height = 0  # the sheet rows they span
        self.last = b""  # the end of the bytes written so far (a cut must follow a row)

    def __call__(self, data: bytes) -> None:
        if not self.in_body:
            self._lead(data)
            return
        if self.plan is None:
            self._first_rows(data)
        self._body(data)

    def _lead(self, data: bytes) -> None:
        self.lead.append(data)
        self.lead_size += len(data)
        text = b"".join(self.lead)
        at = text.find(_SHEET_DATA)
        if at < 0:
            if self.lead_size > 1 << 20:
                raise Fallback("ingen <sheetData> utan prefix i bladets början")
            self.lead = [text]
            return
        end = at + len(_SHEET_DATA)
        self.head_xml = re.sub(rb"<dimension\b[^>]*/>", b"", text[:end])
        self.lead, self.lead_size, self.in_body = [], 0, True
        self.current = _Part(self, 0, 1)
        self.parts.append(self.current)
        rest = text[end:]
        if rest:
            self(rest)

    def _first_rows(self, data: bytes) -> None:
        """Collect the first rows; when there are enough, guard and read them, and make
        the plan every part is read with."""
        self.lead.append(data)
        self.lead_size += len(data)
        self.row_ends += data.count(b"</row>")
        if not self.head_rows and self.row_ends >= _repeated():
            self._repeat(b"".join(self.lead))
        if self.lead_size >= typed.HEAD_BYTES or self.row_ends >= typed.HEAD_ROWS:
            self._make_plan(whole=False)

    def _repeat(self, body: bytes) -> None:
        """The rows every later part starts with: the first ``_repeated()``."""
        ends = [m.end() for m in re.finditer(rb"</row>", body)]
        if not ends:
            raise Fallback("ingen hel rad i bladets början")
        self.head_rows = body[: ends[min(_repeated(), len(ends)) - 1]]
        numbers = [_ROW_R.search(m.group(0)) for m in _ROW_TAG.finditer(self.head_rows)]
        if not numbers or any(n is None for n in numbers):
            raise Fallback("en rad saknar r=")
        last = numbers[-1]
        assert last is not None
        self.head_height = int(last.group(1))

    def _make_plan(self, whole: bool) -> None:
        body = b"".join(self.lead)
        self.lead = []
        if not self.head_rows:
            self._repeat(body)
        scan = _PartScan([])
        scan.feed(body)
        scan.finish()
        _require_ordinary(scan)
        if scan.markup:
            raise Fallback("kommentar eller CDATA bland raderna")
        sheet = typed.first_rows_of(self.head_xml + body, whole)
        self.head = _head(self, sheet)
        self.plan = self.pass_.make_plan(self.name, self.head)
        for part in self.parts:
            part.activate()
        for part, tail in self.queued:
            part.close(tail)
            self._submit(part)
        self.queued = []

    def _body(self, data: bytes) -> None:
        part = self.current
        assert part is not None
        # No cut before the first rows are known: every later part starts with them.
        while self.head_rows and part.size + len(data) >= self.target and self.split is not False:
            cut = self._cut_in(data, max(0, self.target - part.size))
            if cut is None:
                break
            at, start = cut
            if self.split is None:
                free, how = self.pass_.probe.free()
                self.split = not _one_part() and (_forced() or free >= 1.5)
                self.workers = max(2, min(_cores(), int(free + 0.5))) if self.split else 1
                self.route = how
                if not self.split:
                    break
            self._write(part, data[:at])
            self._finish(part, b"</sheetData></worksheet>")
            part = _Part(self, len(self.parts), start)
            self.parts.append(part)
            self.current = part
            data = data[at:]
        self._write(part, data)

    def _write(self, part: _Part, data: bytes) -> None:
        part.write(data)
        if data:
            self.last = (self.last + data[-64:])[-64:]

    def _cut_in(self, data: bytes, begin: int) -> tuple[int, int] | None:
        """The first place from ``begin`` on where a row tag with its number follows a
        closed row: (offset, the row's number)."""
        at = data.find(b"<row ", begin)
        while at >= 0:
            # The bytes just before the tag (the last written when it opens the chunk).
            before = (data[at - 64 : at] if at >= 64 else self.last + data[:at]).rstrip()
            tag = _ROW_TAG.match(data, at)
            closed = (
                before.endswith(b"</row>")
                or (  # a row, or an empty row tag
                    before.endswith(b"/>") and before[before.rfind(b"<") :].startswith(b"<row")
                )
            )
            if tag is not None and closed:
                number = _ROW_R.search(tag.group(0))
                if number is None:
                    raise Fallback("en rad saknar r=")
                if int(number.group(1)) > self.head_height:  # later parts repeat the first
                    return at, int(number.group(1))
            at = data.find(b"<row ", at + 1)
        return None

    def _finish(self, part: _Part, tail: bytes) -> None:
        if self.plan is None:
            self.queued.append((part, tail))
        else:
            part.close(tail)
            self._submit(part)

    def _submit(self, part: _Part) -> None:
        """Parse a part once its scan has covered all of its bytes and found it ordinary."""
        assert part.scan is not None
        assert self.plan is not None
        part.scan.finish()
        _require_ordinary(part.scan)
        if part.scan.markup:
            raise Fallback("kommentar eller CDATA bland raderna")
        if self.pool is None:
            self.pool = ThreadPoolExecutor(
                max_workers=self.workers if self.split else 1, thread_name_prefix="part"
            )
        self.futures.append(self.pool.submit(_parse, part.file, self.name, self.plan))

    def end(self) -> None:
        """The member is inflated to its end (its size and CRC checked by ``_inflate``)."""
        if not self.in_body:
            raise Fallback("ingen <sheetData> utan prefix")
        if self.plan is None:
            self._make_plan(whole=True)
        part = self.current
        assert part is not None
        self._finish(part, b"")

    def collect(self, workbook: Workbook) -> Parsed:
        assert self.plan is not None
        assert self.head is not None
        results = [f.result() for f in self.futures]
        frame, errors, selected = _assemble(
            results, [p.start for p in self.parts], self.head_height
        )
        texts: set[str] | None = set()
        for part in self.parts:
            assert part.scan is not None
            assert texts is not None
            texts |= part.scan.texts
        n = len(self.parts)
        why = self.route or "ett litet blad"
        route = f"delad i {n} delar ({why})" if n > 1 else f"en del ({why})"
        return Parsed(
            workbook,
            self.name,
            self.plan,
            self.head,
            frame,
            errors,
            selected,
            texts if self.plan.letters else None,
            n,
            route,
            [p.file for p in self.parts],
            [p.start for p in self.parts],
            self.head_height,
        )

    def close(self) -> None:
        """Close the files and wait for parts in flight (the folder is removed next)."""
        for part in self.parts:
            with contextlib.suppress(Exception):
                part.close(b"")
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        for part in self.parts:
            if part.scan is not None:
                with contextlib.suppress(Exception):
                    part.scan.finish()


def _head(cutter: _Cutter, sheet: bytes) -> pl.DataFrame:
    """The header copy (``typed.head``): the first rows read by calamine as text."""
    file = cutter.pass_.tmp / "huvud.xlsx"
    with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED) as out:
        for name, data in cutter.kept.items():
            if name in _COPIED:
                out.writestr(name, data)
        out.writestr(cutter.member, sheet)
    return _parse(file, cutter.name, Plan(None, "string"))[0]


def _parse(file: Path, name: str, plan: Plan) -> tuple[pl.DataFrame, list[Any], list[int]]:
    """One part read by calamine (in a worker thread); Fallback on any failure."""
    import fastexcel

    dtypes: Any = plan.dtypes  # fastexcel's literal types; ours are built from them
    try:
        reader = fastexcel.read_excel(str(file))
        if plan.use_columns is None:
            loaded = reader.load_sheet(
                name, header_row=None, skip_rows=0, dtypes=dtypes, whitespace_as_null=True
            )
        else:
            loaded = reader.load_sheet(
                name,
                header_row=None,
                skip_rows=0,
                use_columns=plan.use_columns,
                dtypes=dtypes,
                whitespace_as_null=True,
            )
        batch, cell_errors = loaded.to_arrow_with_errors()
        selected = [info.absolute_index for info in loaded.selected_columns]
    except Exception as exc:  # the plain path reads the sheet, and says what is wrong
        raise Fallback(f"calamine: {type(exc).__name__}") from None
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        raise Fallback("calamine fick panik") from None
    frame = pl.from_arrow(batch)
    assert isinstance(frame, pl.DataFrame)
    frame.columns = [f"a{i}" for i in selected]
    return frame, list(getattr(cell_errors, "errors", [])), selected


def _assemble(
    results: list[tuple[pl.DataFrame, list[Any], list[int]]], starts: list[int], head: int
) -> tuple[pl.DataFrame, list[Any], list[int]]:
    """The parts as one read gives them; Fallback where they do not fit together.
    ``starts``: each part's first sheet row; ``head``: the rows every later part starts
    with (the first part's own), which must come back as the first part has them."""
    selected = results[0][2]
    if any(r[2] != selected for r in results):
        raise Fallback("delarnas kolumner skiljer sig")
    first = results[0][0].head(head)
    height = max(r[0].height for r in results)
    pieces = []
    errors: list[Any] = []
    for k, (frame, part_errors, _) in enumerate(results):
        lo = starts[k] - 1
        hi = min(starts[k + 1] - 1, height) if k + 1 < len(starts) else height
        if k + 1 < len(starts) and frame.height > starts[k + 1] - 1:
            raise Fallback("en del når in i nästa")
        if k:
            if lo < head or not frame.head(head).equals(first):
                raise Fallback("en del börjar inte med bladets första rader")
            if _filled(frame.slice(head, lo - head)):
                raise Fallback("en del har celler före sin första rad")
        piece = frame.slice(lo, max(0, hi - lo))
        if piece.height < hi - lo:
            piece = pl.concat([piece, frame.clear(hi - lo - piece.height)])
        pieces.append(piece)
        errors.extend(e for e in part_errors if lo <= e.position[0] < hi)
    return pl.concat(pieces, rechunk=True), errors, selected


def _filled(frame: pl.DataFrame) -> bool:
    return bool(frame.height) and sum(frame.null_count().row(0)) != frame.height * frame.width
