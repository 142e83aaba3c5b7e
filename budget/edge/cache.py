"""A cache of parsed workbooks: a rerun on unchanged files skips reading them.

A cache must never change a figure. So:

- **An entry is bound to what produced it.** Its key is the SHA-256 of the input
  file's bytes, the reader and its arguments, the file's display name, the
  toolkit version and a fingerprint of the toolkit's own source (a changed
  reader is a new key, even without a new version number).
- **An entry is verified before it is used.** The JSON part holds the SHA-256
  of the Parquet part and of its own content, and the frame's schema; an entry
  whose bytes, digests or schema do not agree is ignored and rebuilt, never
  trusted. A frame with altered amounts or diagnostics removed fails its digest.
- **Only a private folder is used.** The folder must belong to the user and be
  writable by nobody else (it is created with mode 700); otherwise the cache is
  off for the run and the user is told once (W314). Nothing is unpickled.
- Both parts are written to temporary names and renamed into place, JSON last,
  so a run never sees half an entry and two runs may race; temporary files left
  by a killed run are removed by the next (``budget.edge.write.sweep``).

The same sealed entries hold other bytes that are costly to make and a pure function of
what their key names (``load_bytes``, ``store_bytes``): the Word file's chart images
(``budget.app.chart_cache``).

The folder is ``$BUDGET_CACHE_DIR``, else ``$XDG_CACHE_HOME/budget``, else
``~/.cache/budget``; ``BUDGET_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import threading
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from budget import __version__
from budget.diagnostics import Diagnostic, os_reason
from budget.edge.excel import SkippedRow, Table
from budget.edge.write import atomic_write, sweep

# 4: the data's digest is ``data_sha256`` for every kind of entry (frames and bytes).
FORMAT = 4


def folder() -> Path | None:
    """The cache folder the settings name (not yet checked: see ``private``)."""
    if os.environ.get("BUDGET_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("BUDGET_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder to be found: no cache
            return None
    return Path(base) / "budget"


def private(where: Path) -> Diagnostic | None:
    """Create the folder (mode 700) if needed; a W314 when others could write to it."""
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = where.stat()
    except OSError as exc:
        return _refused(where, f"mappen kan inte skapas ({os_reason(exc)})")
    if not stat.S_ISDIR(info.st_mode):
        return _refused(where, "sökvägen är ingen mapp")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return _refused(where, "mappen ägs av en annan användare")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return _refused(where, "andra användare kan skriva i mappen")
    sweep(where)
    return None


def usable() -> Path | None:
    """The cache folder when the cache is on and the folder private, else None. For what
    is cached after the read: the read's own check (``private``) has told the user why a
    folder is not used (W314), once; this says nothing more."""
    where = folder()
    if where is None or private(where) is not None:
        return None
    return where


def _refused(where: Path, why: str) -> Diagnostic:
    return Diagnostic("W314", f"cachen i {where} används inte: {why}", value=str(where))


def sources() -> list[Path]:
    """Every file of the toolkit's package (its code, templates and data; not the byte
    code Python caches): what a cached result may depend on, wherever it lies (a reader
    calls ``core`` and ``diagnostics``, a chart is drawn in ``report.render``)."""
    package = Path(__file__).resolve().parent.parent
    return sorted(
        path
        for path in package.rglob("*")
        if "__pycache__" not in path.relative_to(package).parts and path.is_file()
    )


@cache
def fingerprint() -> str:
    """SHA-256 over the toolkit's own files (``sources``): a changed reader, drawing or
    template is a new cache key."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent.parent
    for path in sources():
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def key(digest: str, display: str, reader: str, extra: str = "") -> str:
    text = f"{FORMAT}|{fingerprint()}|{reader}|{display}|{extra}|{digest}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _schema(frame: pl.DataFrame) -> list[list[str]]:
    return [[name, str(dtype)] for name, dtype in frame.schema.items()]


def _sealed(meta: dict[str, Any]) -> str:
    body = {k: v for k, v in meta.items() if k != "seal"}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _opened(where: Path, name: str, suffix: str) -> tuple[dict[str, Any], bytes] | None:
    """An entry's JSON part and its data, both verified (format, seal, the data's digest),
    or None. Raises what reading or decoding the JSON part can raise."""
    meta = json.loads((where / f"{name}.json").read_text(encoding="utf-8"))
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        return None
    if meta.get("seal") != _sealed(meta):
        return None
    data = (where / f"{name}.{suffix}").read_bytes()
    if hashlib.sha256(data).hexdigest() != meta["data_sha256"]:
        return None
    return meta, data


def _seal(where: Path, name: str, suffix: str, data: bytes, meta: dict[str, Any]) -> None:
    """Write an entry: the data, then its JSON part (``meta`` with the format, the data's
    digest and the seal), each atomically, so a reader never sees half an entry."""
    meta = {**meta, "format": FORMAT, "data_sha256": hashlib.sha256(data).hexdigest()}
    meta["seal"] = _sealed(meta)
    atomic_write(where / f"{name}.{suffix}", data)
    atomic_write(where / f"{name}.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))


def load_bytes(where: Path, name: str, suffix: str) -> bytes | None:
    """The bytes of an entry stored by ``store_bytes``, or None when there is none or it
    does not verify (a tampered or truncated entry is a miss, to be made again)."""
    try:
        opened = _opened(where, name, suffix)
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None
    return None if opened is None or opened[0].get("kind") != "bytes" else opened[1]


def store_bytes(where: Path, name: str, suffix: str, data: bytes) -> None:
    """Write ``data`` as an entry; a cache that cannot be written is no error."""
    try:
        _seal(where, name, suffix, data, {"kind": "bytes", "size": len(data)})
    except OSError:
        return


def load(where: Path, name: str) -> tuple[pl.DataFrame, list[Diagnostic], Table | None] | None:
    """The cached result, or None when there is none or it does not verify."""
    try:
        opened = _opened(where, name, "parquet")
        if opened is None or opened[0].get("kind") != "frame":
            return None
        meta, data = opened
        frame = pl.read_parquet(io.BytesIO(data))
        if _schema(frame) != meta["schema"] or frame.height != meta["rows"]:
            return None
        diags = [Diagnostic(**d) for d in meta["diagnostics"]]
        table = None
        if meta["table"] is not None:
            t = meta["table"]
            table = Table(
                str(t["file"]),
                str(t["sheet"]),
                pl.DataFrame(),
                {str(k): str(v) for k, v in t["letters"].items()},
                int(t["header_row"]),
                int(t["blank_rows"]),
                int(t["total_rows"]),
                skipped=[SkippedRow(int(r), str(c), str(label)) for r, c, label in t["skipped"]],
                line_based=bool(t["line_based"]),
                note=None if t["note"] is None else str(t["note"]),
            )
        return frame, diags, table
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    except pl.exceptions.PolarsError:
        return None
    except Exception:  # a damaged Parquet file can raise anything from the decoder
        return None


_WRITER: list[Any] = []  # the one background writer, made on first use
_PENDING: list[Any] = []
_WRITER_LOCK = threading.Lock()


def store_later(
    where: Path, name: str, frame: pl.DataFrame, diags: list[Diagnostic], table: Table | None
) -> None:
    """``store`` in a background thread, so that writing a million rows overlaps with
    the checks and the report; ``flush`` waits for it (and the interpreter does at exit)."""
    from concurrent.futures import ThreadPoolExecutor

    with _WRITER_LOCK:
        if not _WRITER:
            _WRITER.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="cache"))
        _PENDING.append(_WRITER[0].submit(store, where, name, frame, diags, table))


def flush() -> None:
    """Wait until every entry handed to ``store_later`` is written (or given up)."""
    with _WRITER_LOCK:
        pending, _PENDING[:] = list(_PENDING), []
    for future in pending:
        future.result()


def store(
    where: Path, name: str, frame: pl.DataFrame, diags: list[Diagnostic], table: Table | None
) -> None:
    """Write an entry atomically; a cache that cannot be written is no error."""
    try:
        buffer = io.BytesIO()
        # lz4: a million ledger rows write and read back faster than with zstd.
        frame.write_parquet(buffer, compression="lz4")
        meta: dict[str, Any] = {
            "kind": "frame",
            "rows": frame.height,
            "schema": _schema(frame),
            "diagnostics": [asdict(d) for d in diags],
            "table": None
            if table is None
            else {
                "file": table.file,
                "sheet": table.sheet,
                "letters": table.letters,
                "header_row": table.header_row,
                "blank_rows": table.blank_rows,
                "total_rows": table.total_rows,
                "skipped": [[s.row, s.cell, s.label] for s in table.skipped],
                "line_based": table.line_based,
                "note": table.note,
            },
        }
        _seal(where, name, "parquet", buffer.getvalue(), meta)
    except OSError:
        return
