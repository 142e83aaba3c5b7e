"""Load an inputs folder (contract §1) into typed frames, with every diagnostic."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from budget import cache, readers
from budget.config import Settings, read_settings
from budget.diagnostics import Diagnostic
from budget.excel import find_workbook, find_workbooks
from budget.model import SourceFile


@dataclass
class Inputs:
    """Everything read from one inputs folder."""

    folder: Path
    settings: Settings | None
    ledger: pl.DataFrame
    budget: pl.DataFrame
    structure: pl.DataFrame
    periodisation: pl.DataFrame | None = None
    responsibilities: pl.DataFrame | None = None
    changes: pl.DataFrame | None = None
    forecasts: pl.DataFrame | None = None
    indicators: pl.DataFrame | None = None
    assessments: pl.DataFrame | None = None
    volumes: pl.DataFrame | None = None
    files: list[SourceFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # (file, sheet) -> canonical column -> Excel column letter
    letters: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    def cell(self, file: str, sheet: str, column: str, row: int) -> str:
        """Excel notation for a cell that a later check points to."""
        letter = self.letters.get((file, sheet), {}).get(column)
        return f"{letter}{row}" if letter else f"rad {row}"

    def sheet_of(self, stem: str) -> tuple[str, str] | None:
        for file, sheet in self.letters:
            if file.lower().startswith(stem):
                return file, sheet
        return None

    @property
    def name(self) -> str:
        return self.folder.resolve().name


_DIGESTS: dict[tuple[str, int, int, int], str] = {}


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
    except OSError:
        return ""


def _digest(path: Path) -> str:
    memo = _stamp(path)
    if memo not in _DIGESTS:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        _DIGESTS[memo] = digest.hexdigest()
    return _DIGESTS[memo]


def _cached(
    where: Path | None,
    reader: Callable[..., readers.Read | None],
    path: Path,
    display: str,
    *args: object,
) -> readers.Read | None:
    """A reader's result from the cache of parsed workbooks in ``where``, else read (and
    stored there). ``where`` None: no cache."""
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
    # parse of one content to the digest of another.
    if result is not None and unchanged:
        cache.store(where, name, result.frame, result.diagnostics, result.table)
    return result


def _read(
    where: Path | None,
    reader: Callable[..., readers.Read],
    path: Path,
    display: str,
    *args: object,
) -> readers.Read:
    result = _cached(where, reader, path, display, *args)
    assert result is not None
    return result


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _source(path: Path, reads: list[readers.Read | None]) -> SourceFile:
    done = [r for r in reads if r is not None]
    diags = [d for r in done for d in r.diagnostics]
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


def _missing(folder: Path, stem: str) -> Diagnostic:
    """E009 when the file is there in a format we cannot read, else E001."""
    for other in sorted(folder.glob(f"{stem}.*")):
        if other.is_file():
            return Diagnostic(
                "E009",
                f"{other.name} har ett format som inte kan läsas",
                file=other.name,
                value=other.suffix,
                expected=".xlsx (eller .xlsm, .xls, .xlsb, .ods)",
            )
    return Diagnostic("E001", f"{stem}.xlsx saknas i indatamappen", file=folder.name)


def load(folder: Path) -> Inputs:
    """Read every workbook of the folder; problems are collected, never raised."""
    diags: list[Diagnostic] = []
    files: list[SourceFile] = []
    try:
        next(folder.iterdir(), None)
    except OSError as exc:
        unreadable = Diagnostic(
            "E015", f"mappen kan inte läsas ({exc.strerror or exc})", file=folder.name
        )
        empty = readers.Read(pl.DataFrame(schema=readers.LEDGER_SCHEMA), [])
        return Inputs(
            folder,
            None,
            empty.frame,
            pl.DataFrame(schema=readers.BUDGET_SCHEMA),
            pl.DataFrame(schema=readers.STRUCTURE_SCHEMA),
            diagnostics=[unreadable],
        )
    where = cache.folder()
    if where is not None and (refused := cache.private(where)) is not None:
        diags.append(refused)
        where = None

    settings = None
    toml = folder / "namnd.toml"
    if toml.is_file():
        settings, found = read_settings(toml, toml.name)
        diags.extend(found)
        files.append(SourceFile(toml.name, _sha256(toml), errors=len(found)))
    else:
        diags.append(Diagnostic("E001", "namnd.toml saknas i indatamappen", file=folder.name))

    def required(
        stem: str,
        reader: Callable[[Path, str], readers.Read],
        schema: dict[str, type[pl.DataType] | pl.DataType],
    ) -> tuple[Path | None, readers.Read]:
        path = find_workbook(folder, stem)
        if path is None:
            diags.append(_missing(folder, stem))
            return None, readers.Read(pl.DataFrame(schema=schema), [])
        return path, _read(where, reader, path, path.name, aliases)

    aliases = settings.columns if settings else ()
    sie_dims = (settings.sie_ansvar, settings.sie_verksamhet) if settings else (None, None)
    ledger_args: tuple[object, ...] = (aliases, sie_dims)
    # The ledgers are the big files: their parsing starts first, in worker threads
    # (calamine works outside the GIL), while this thread reads the small workbooks.
    ledger_paths = find_workbooks(folder, "utfall", readers.LEDGER_SUFFIXES)
    pool = ThreadPoolExecutor(max_workers=2)
    largest_first = sorted(ledger_paths, key=lambda p: -_size(p))
    futures = {
        p: pool.submit(_read, where, readers.read_ledger, p, p.name, *ledger_args)
        for p in largest_first
    }

    structure_path, structure = required(
        "struktur",
        readers.read_structure,
        {"verksamhet": pl.String, "area": pl.String, "subarea": pl.String, "name": pl.String},
    )
    budget_path, budget = required(
        "budget",
        readers.read_budget,
        readers.BUDGET_SCHEMA,
    )

    responsibilities = (
        _cached(where, readers.read_responsibilities, structure_path, structure_path.name, aliases)
        if structure_path
        else None
    )
    periodisation = (
        _cached(where, readers.read_periodisation, budget_path, budget_path.name, aliases)
        if budget_path
        else None
    )
    if structure_path:
        files.append(_source(structure_path, [structure, responsibilities]))
    if budget_path:
        files.append(_source(budget_path, [budget, periodisation]))
    for r in (structure, responsibilities, budget, periodisation):
        if r is not None:
            diags.extend(r.diagnostics)

    if not ledger_paths:
        diags.append(
            Diagnostic(
                "E001",
                "ingen huvudbok (utfall*.xlsx, .csv eller .se) finns i indatamappen",
                file=folder.name,
            )
        )
    try:
        ledger_reads = [futures[p].result() for p in ledger_paths]
    finally:
        pool.shutdown(wait=True)
    for path, read in zip(ledger_paths, ledger_reads, strict=True):
        files.append(_source(path, [read]))
        diags.extend(read.diagnostics)
    ledger = (
        pl.concat([r.frame for r in ledger_reads])
        if ledger_reads
        else pl.DataFrame(schema=readers.LEDGER_SCHEMA)
    )

    optional_reads: list[readers.Read] = []

    def optional(
        stem: str, *fns: Callable[..., readers.Read], args: tuple[object, ...] = ()
    ) -> list[pl.DataFrame | None]:
        path = find_workbook(folder, stem)
        if path is None:
            strays = [p for p in folder.glob(f"{stem}.*") if p.is_file()]
            if strays:
                diags.append(_missing(folder, stem))
            return [None for _ in fns]
        reads = [_read(where, fn, path, path.name, *args, aliases) for fn in fns]
        optional_reads.extend(reads)
        files.append(_source(path, list(reads)))
        for r in reads:
            diags.extend(r.diagnostics)
        return [r.frame for r in reads]

    (changes,) = optional("forandringar", readers.read_changes)
    (forecasts,) = optional("prognos", readers.read_forecasts)
    indicators, assessments = optional("mal", readers.read_indicators, readers.read_assessments)
    report_year = settings.year if settings else None
    (volumes,) = optional("volymer", readers.read_volumes, args=(report_year,))

    letters: dict[tuple[str, str], dict[str, str]] = {}
    all_reads: list[readers.Read | None] = [
        structure,
        budget,
        responsibilities,
        periodisation,
        *ledger_reads,
        *optional_reads,
    ]
    for item in all_reads:
        if item is not None and item.table is not None:
            letters[(item.table.file, item.table.sheet)] = item.table.letters
    return Inputs(
        letters=letters,
        folder=folder,
        settings=settings,
        ledger=ledger,
        budget=budget.frame,
        structure=structure.frame,
        periodisation=periodisation.frame if periodisation else None,
        responsibilities=responsibilities.frame if responsibilities else None,
        changes=changes,
        forecasts=forecasts,
        indicators=indicators,
        assessments=assessments,
        volumes=volumes,
        files=sorted(files, key=lambda f: f.name),
        diagnostics=diags,
    )
