"""A cache of parsed workbooks: a rerun on unchanged files skips reading them.

Each entry is keyed by the file's SHA-256, its display name, the reader and
the toolkit version, so a changed cell (a changed file) is a new key. An entry
is a Parquet file (the typed frame) and a JSON file (diagnostics and where the
table was found), both written to a temporary name and renamed into place,
JSON last, so a run never sees half an entry and two runs may race. An entry
that cannot be read back in full is ignored and rebuilt, never trusted.

The folder is ``$BUDGET_CACHE_DIR``, else ``$XDG_CACHE_HOME/budget``, else
``~/.cache/budget``; ``BUDGET_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import polars as pl

from budget import __version__
from budget.diagnostics import Diagnostic
from budget.excel import Table

FORMAT = 1


def folder() -> Path | None:
    if os.environ.get("BUDGET_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("BUDGET_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "budget"


def key(digest: str, display: str, reader: str, extra: str = "") -> str:
    text = f"{FORMAT}|{__version__}|{reader}|{display}|{extra}|{digest}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load(where: Path, name: str) -> tuple[pl.DataFrame, list[Diagnostic], Table | None] | None:
    """The cached result, or None when there is none or it cannot be trusted."""
    meta_path, frame_path = where / f"{name}.json", where / f"{name}.parquet"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        frame = pl.read_parquet(frame_path)
        if meta.get("format") != FORMAT or meta.get("rows") != frame.height:
            return None
        diags = [Diagnostic(**d) for d in meta["diagnostics"]]
        table = None
        if meta["table"] is not None:
            t = meta["table"]
            table = Table(
                t["file"],
                t["sheet"],
                pl.DataFrame(),
                dict(t["letters"]),
                int(t["header_row"]),
                int(t["blank_rows"]),
                int(t["total_rows"]),
            )
        return frame, diags, table
    except (OSError, ValueError, KeyError, TypeError, pl.exceptions.PolarsError):
        return None
    except Exception:  # a damaged Parquet file can raise anything from the decoder
        return None


def store(
    where: Path, name: str, frame: pl.DataFrame, diags: list[Diagnostic], table: Table | None
) -> None:
    """Write an entry atomically; a cache that cannot be written is no error."""
    try:
        where.mkdir(parents=True, exist_ok=True)
        meta: dict[str, Any] = {
            "format": FORMAT,
            "rows": frame.height,
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
            },
        }
        # lz4: a million ledger rows write and read back faster than with zstd.
        _atomic(where / f"{name}.parquet", lambda p: frame.write_parquet(p, compression="lz4"))
        _atomic(
            where / f"{name}.json",
            lambda p: Path(p).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8"),
        )
    except OSError:
        return


def _atomic(target: Path, write: Callable[[str], object]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
