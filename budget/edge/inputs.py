"""Load an inputs folder (contract §1) into typed frames, with every diagnostic."""

from __future__ import annotations

import ctypes
import hashlib
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

from budget.core.analysis import Source
from budget.core.frames import Inputs, SourceFile
from budget.core.names import printable, unshowable
from budget.core.settings import Settings
from budget.core.steps import Steps
from budget.diagnostics import Diagnostic, errors, once, os_reason
from budget.edge import analysis as analysis_mod
from budget.edge import cache, files, readers, sheets
from budget.edge.config import read_settings
from budget.edge.excel import find_workbook, find_workbooks
from budget.edge.files import UnreadableFile

_DIGESTS: dict[tuple[str, int, int, int], str] = {}
# Any file a reader accepts is smaller; the digest is streamed, so this bounds time only.
MAX_DIGEST_BYTES = 4 * 1024**3


def _stamp(path: Path) -> tuple[str, int, int, int]:
    """What changes whenever the file's bytes do: size, modification and change time
    (ctime cannot be set back by hand)."""
    stat = path.stat()
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _sha256(path: Path) -> str:
    """The file's SHA-256, computed once per process for an unchanged file.

    A file that cannot be read has none (""): its reader reports why (E015).
    """
    try:
        return _digest(path)
    except (OSError, UnreadableFile):
        return ""


def _digest(path: Path) -> str:
    memo = _stamp(path)
    if memo not in _DIGESTS:
        digest = hashlib.sha256()
        with files.opened(path, "", MAX_DIGEST_BYTES) as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        _DIGESTS[memo] = digest.hexdigest()
    return _DIGESTS[memo]


def _cached(
    where: Path | None,
    steps: Steps,
    reader: Callable[..., readers.Read | None],
    path: Path,
    display: str,
    *args: object,
) -> readers.Read | None:
    """A reader's result from the cache of parsed workbooks in ``where``, else read (and
    stored there). ``where`` None: no cache. Timed as the file's step."""
    with steps.file(display):
        return _cached_read(where, reader, path, display, *args)


def _cached_read(
    where: Path | None,
    reader: Callable[..., readers.Read | None],
    path: Path,
    display: str,
    *args: object,
) -> readers.Read | None:
    digest = _sha256(path)
    if where is None or not digest:
        return reader(path, display, *args)
    name = cache.key(digest, display, reader.__name__, repr(args))
    hit = cache.load(where, name)
    if hit is not None:
        frame, diags, table = hit
        return readers.Read(frame, diags, table)
    before = _stamp(path)
    result = reader(path, display, *args)
    try:
        unchanged = _stamp(path) == before and _sha256(path) == digest
    except OSError:
        unchanged = False
    # A file written to while it was read is not stored: the entry would bind the
    # parse of one content to the digest of another. Nor is a read with errors: a file
    # that could not be opened may fail for its path or the moment (a folder name the
    # reader cannot take, a sync in progress), not for its bytes, and a broken file is
    # mended before the next run anyway.
    if result is not None and unchanged and not errors(result.diagnostics):
        cache.store_later(where, name, result.frame, result.diagnostics, result.table)
    return result


def _read(
    where: Path | None,
    steps: Steps,
    reader: Callable[..., readers.Read],
    path: Path,
    display: str,
    *args: object,
) -> readers.Read:
    result = _cached(where, steps, reader, path, display, *args)
    assert result is not None
    return result


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _source(path: Path, reads: list[readers.Read | None]) -> SourceFile:
    done = [r for r in reads if r is not None]
    diags = once(d for r in done for d in r.diagnostics)
    return SourceFile(
        name=path.name,
        sha256=_sha256(path),
        rows=sum(r.frame.height for r in done),
        blank_rows=sum(r.table.blank_rows for r in done if r.table),
        total_rows=sum(r.table.total_rows for r in done if r.table),
        note=next((r.table.note for r in done if r.table and r.table.note), None),
        skipped=tuple(
            (r.table.sheet, s.cell, s.label) for r in done if r.table for s in r.table.skipped
        ),
        errors=sum(1 for d in diags if d.severity == "fel"),
        warnings=sum(1 for d in diags if d.severity == "varning"),
    )


# The names the contract gives an inputs folder's files (and their prefixes).
STEMS = (
    "namnd",
    "struktur",
    "budget",
    "utfall",
    "forandringar",
    "prognos",
    "mal",
    "volymer",
    "investeringar",
    "analys",
)


def _unshowable_names(folder: Path) -> list[Diagnostic]:
    """E020 for each file that looks like an input but whose name cannot be shown (no
    reader ever sees it: ``find_workbooks`` passes over such names)."""
    found = []
    for path in sorted(folder.iterdir()):
        shown = printable(path.name)
        if unshowable(path.name) and shown.lower().startswith(STEMS) and files.present(path):
            found.append(
                Diagnostic(
                    "E020",
                    "filnamnet har ett styrtecken eller tecken som inte är UTF-8",
                    file=shown,
                    value=shown,
                    expected="ett filnamn med vanliga tecken, t.ex. utfall-2017.xlsx",
                )
            )
    return found


def _missing(folder: Path, stem: str) -> Diagnostic:
    """E009 when the file is there in a format we cannot read, else E001."""
    for other in sorted(folder.glob(f"{stem}.*")):
        if files.present(other) and not unshowable(other.name):
            return Diagnostic(
                "E009",
                f"{other.name} har ett format som inte kan läsas",
                file=other.name,
                value=other.suffix,
                expected=".xlsx (eller .xlsm, .xls, .xlsb, .ods)",
            )
    return Diagnostic("E001", f"{stem}.xlsx saknas i indatamappen", file=folder.name)


def load(folder: Path, steps: Steps | None = None, defer_cache: bool = False) -> Inputs:
    """Read every workbook of the folder; problems are collected, never raised.
    ``steps`` times each file (and tells its listener). The parsed workbooks are written
    to the cache before this returns, unless ``defer_cache`` (then ``cache.flush``)."""
    try:
        loaded = _load(folder, steps or Steps(time.perf_counter))
    finally:
        if not defer_cache:
            cache.flush()
    _give_back()
    return loaded


def _give_back() -> None:
    """Return the heap the read has freed to the system before the checks allocate theirs
    (every command that reads: report, validate, underlag …).

    calamine (fastexcel) parses on glibc's heap, in several threads and so several
    arenas; what it frees stays mapped there, while polars, which does the checks and the
    figures, allocates from its own jemalloc. The peak of a report over three million-row
    ledgers is that left-over heap plus the checks' frames: ``malloc_trim`` gives back a
    few hundred MB of it (measured, issue 32). Elsewhere than glibc there is no such call,
    and nothing to do."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


def _load(folder: Path, steps: Steps) -> Inputs:
    try:
        next(folder.iterdir(), None)
    except OSError as exc:
        return _unreadable(folder, exc)
    run = _Loading(folder, steps)
    for problem in _unshowable_names(folder):
        run.problem(problem)
    settings = run.settings()
    # The ledgers are the big files: their parsing starts first, in worker threads
    # (calamine works outside the GIL), while this thread reads the small workbooks.
    ledger_paths = find_workbooks(folder, "utfall", readers.LEDGER_SUFFIXES)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            p: pool.submit(
                _read,
                run.where,
                run.steps,
                readers.read_ledger,
                p,
                p.name,
                run.aliases,
                run.sie_dims,
            )
            for p in sorted(ledger_paths, key=lambda p: -_size(p))
        }
        structure, responsibilities = run.required(
            "struktur", readers.read_structure, readers.read_responsibilities
        )
        budget, periodisation = run.required(
            "budget", readers.read_budget, readers.read_periodisation
        )
        if not ledger_paths:
            run.problem(
                Diagnostic(
                    "E001",
                    "ingen huvudbok (utfall*.xlsx, .csv eller .se) finns i indatamappen",
                    file=folder.name,
                )
            )
        # The optional workbooks are read while the ledgers parse, and recorded after them
        # (the order of the files and their diagnostics stays that of the contract).
        report_year = settings.year if settings else None
        later = [
            run.read_optional("forandringar", readers.read_changes),
            run.read_optional("prognos", readers.read_forecasts),
            run.read_optional("mal", readers.read_indicators, readers.read_assessments),
            run.read_optional("volymer", readers.read_volumes, args=(report_year,)),
            run.read_optional("investeringar", readers.read_investments),
            run.read_optional("atgarder", readers.read_measures),
        ]
        ledger_reads = [futures[p].result() for p in ledger_paths]
    for path, read in zip(ledger_paths, ledger_reads, strict=True):
        run.took(path, [read])
    recorded = [record() for record in later]
    (changes,), (forecasts,), (indicators, assessments), (volumes,), (investments,), (measures,) = (
        recorded
    )
    analyses = run.analyses()
    return Inputs(
        letters=run.letters(),
        sources=run.sources,
        folder=folder,
        settings=settings,
        ledger=(
            pl.concat([r.frame for r in ledger_reads]) if ledger_reads else sheets.LEDGER.empty()
        ),
        budget=budget.frame if budget else sheets.BUDGET.empty(),
        structure=structure.frame if structure else sheets.STRUCTURE.empty(),
        periodisation=periodisation.frame if periodisation else None,
        responsibilities=responsibilities.frame if responsibilities else None,
        changes=changes,
        forecasts=forecasts,
        indicators=indicators,
        assessments=assessments,
        volumes=volumes,
        investments=investments,
        measures=measures,
        analyses=analyses,
        files=sorted(run.files, key=lambda f: f.name),
        diagnostics=run.diagnostics,
    )


def _unreadable(folder: Path, exc: OSError) -> Inputs:
    """The inputs of a folder that cannot be listed: nothing but E015."""
    return Inputs(
        folder,
        None,
        sheets.LEDGER.empty(),
        sheets.BUDGET.empty(),
        sheets.STRUCTURE.empty(),
        diagnostics=[
            Diagnostic("E015", f"mappen kan inte läsas ({os_reason(exc)})", file=folder.name)
        ],
    )


class _Loading:
    """One folder being read: the cache folder, the settings' aliases, and what was found."""

    def __init__(self, folder: Path, steps: Steps) -> None:
        self.folder = folder
        self.steps = steps
        self.diagnostics: list[Diagnostic] = []
        self.files: list[SourceFile] = []
        self.reads: list[readers.Read] = []
        self.sources: dict[str, str] = {}
        self.aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()
        self.sie_dims: tuple[int | None, int | None] = (None, None)
        self.where = cache.folder()
        if self.where is not None and (refused := cache.private(self.where)) is not None:
            self.problem(refused)
            self.where = None

    def problem(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def settings(self) -> Settings | None:
        toml = self.folder / "namnd.toml"
        if not files.present(toml):
            self.problem(
                Diagnostic("E001", "namnd.toml saknas i indatamappen", file=self.folder.name)
            )
            return None
        settings, found = read_settings(toml, toml.name)
        self.diagnostics.extend(found)
        self.files.append(
            SourceFile(
                toml.name,
                _sha256(toml),
                errors=len(errors(found)),
                warnings=len(found) - len(errors(found)),
            )
        )
        if settings is not None:
            self.aliases = settings.columns
            self.sie_dims = (settings.sie_ansvar, settings.sie_verksamhet)
        return settings

    def took(self, path: Path, reads: list[readers.Read]) -> None:
        """Record what one file gave: its frames' provenance, its summary, its problems."""
        self.reads.extend(reads)
        self.files.append(_source(path, list(reads)))
        self.diagnostics.extend(once(d for r in reads for d in r.diagnostics))

    def required(
        self,
        stem: str,
        reader: Callable[..., readers.Read],
        second: Callable[..., readers.Read | None],
    ) -> tuple[readers.Read | None, readers.Read | None]:
        """A workbook the contract requires, and the optional sheet it may hold."""
        path = find_workbook(self.folder, stem)
        if path is None:
            self.problem(_missing(self.folder, stem))
            return None, None
        self.sources[stem] = path.name
        main = _read(self.where, self.steps, reader, path, path.name, self.aliases)
        extra = _cached(self.where, self.steps, second, path, path.name, self.aliases)
        self.took(path, [r for r in (main, extra) if r is not None])
        return main, extra

    def read_optional(
        self, stem: str, *fns: Callable[..., readers.Read], args: tuple[object, ...] = ()
    ) -> Callable[[], list[pl.DataFrame | None]]:
        """Read a workbook the contract makes optional; what it gave is recorded (files,
        diagnostics) when the returned function is called, which gives its frames."""
        path = find_workbook(self.folder, stem)
        if path is None:
            missing = any(
                files.present(p) and not unshowable(p.name) for p in self.folder.glob(f"{stem}.*")
            )

            def nothing() -> list[pl.DataFrame | None]:
                if missing:
                    self.problem(_missing(self.folder, stem))
                return [None for _ in fns]

            return nothing
        reads = [
            _read(self.where, self.steps, fn, path, path.name, *args, self.aliases) for fn in fns
        ]

        def record() -> list[pl.DataFrame | None]:
            self.sources[stem] = path.name
            self.took(path, reads)
            return [r.frame for r in reads]

        return record

    def analyses(self) -> dict[str, Source]:
        """analys.docx or analys.md, and analys-T1.docx … for one period (contract §7)."""
        out = {}
        for key, path in analysis_mod.find(self.folder).items():
            with self.steps.file(path.name):
                source, found = analysis_mod.read(path, path.name)
            self.sources[f"{analysis_mod.STEM}-{key}" if key else analysis_mod.STEM] = path.name
            self.diagnostics.extend(found)
            self.files.append(
                SourceFile(
                    path.name,
                    _sha256(path),
                    rows=len(source.entries) if source else 0,
                    errors=len(errors(found)),
                    note="Word" if path.suffix.lower() == ".docx" else "Markdown",
                )
            )
            if source is not None:
                out[key] = source
        return out

    def letters(self) -> dict[tuple[str, str], dict[str, str]]:
        """(file, sheet) → contract column → Excel column letter, for every sheet read."""
        return {(r.table.file, r.table.sheet): r.table.letters for r in self.reads if r.table}
