"""Writing outputs (the I/O edge): every file whole or not at all.

A file is written to a temporary name beside its target, ``.<name>.<pid>.<x>.tmp``,
and renamed into place. A run that is killed meanwhile leaves its temporary
files behind; the next run into the same folder removes those whose process is
gone (``sweep``), so nothing hidden piles up.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

_TEMP = re.compile(r"^\..+\.([0-9]+)\.[^.]+\.tmp$")
# A temporary file without a process id (written by an earlier version) is stale after this.
_STALE_SECONDS = 3600


def _temp(target: Path) -> tuple[int, str]:
    return tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent
    )


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except (OverflowError, ValueError):
        return False
    return True


def sweep(folder: Path) -> list[Path]:
    """Remove the temporary files of runs into ``folder`` that no longer run."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    now = time.time()
    for path in entries:
        name = path.name
        if not (name.startswith(".") and name.endswith(".tmp")):
            continue
        found = _TEMP.match(name)
        try:
            stale = (
                not _alive(int(found.group(1)))
                if found
                else now - path.stat().st_mtime > _STALE_SECONDS
            )
            if stale and path.is_file():
                path.unlink()
                removed.append(path)
        except (OSError, ValueError):
            continue
    return removed


def atomic_write(target: Path, data: bytes, mode: int = 0o644) -> None:
    """Write one file whole or not at all (temporary file, fsync, rename)."""
    fd, tmp_name = _temp(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def write_all(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write each file to a temporary file beside it, then rename them into place.

    Nothing is renamed until every temporary file is complete, so an error
    while writing leaves the earlier report untouched.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    sweep(out_dir)
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            fd, tmp_name = _temp(out_dir / name)
            staged.append((name, Path(tmp_name)))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp_name, 0o644)
    except BaseException:
        for _, path in staged:
            path.unlink(missing_ok=True)
        raise
    written = []
    for name, path in staged:
        target = out_dir / name
        os.replace(path, target)
        written.append(target)
    return written
