"""Writing outputs (the I/O edge): every file whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_all(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write each file to a temporary file beside it, then rename them into place.

    Nothing is renamed until every temporary file is complete, so an error
    while writing leaves the earlier report untouched.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp_name, 0o644)
            staged.append((name, Path(tmp_name)))
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
