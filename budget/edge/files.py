"""Opening an input file: the one place where a reader's file is opened, bounded and sniffed.

Every reader of the user's files (workbooks, CSV, SIE, Word and Markdown, settings, earlier
reports, the city's files, the record of what underlag sent) opens its file through
``opened``, ``read_bytes`` or ``read_head``, so that the same problem is refused the same way
and said in the same words whichever reader meets it:

- **E015** (the file cannot be read): the operating system refuses (no permission, gone,
  locked), or the name is a folder, a named pipe or a device rather than a file. A pipe is
  never opened for reading in a way that waits for a writer (``O_NONBLOCK``), so a FIFO in
  the inputs folder is an error, not a hang.
- **E008** (the file is implausibly large): larger on disk than the reader's bound. The size
  is taken from the opened file (``fstat``), and ``read_bytes`` reads at most one byte past
  the bound, so a file growing while it is read is refused too.

``sniff`` names what a file's first bytes say it is (a zip, an OLE compound file, a web page,
text, other binary), in the words each reader's refusal uses ("filen är en webbsida (HTML)").
A test (tests/test_architecture.py) keeps every other module of the package from opening a
file its own way.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from budget.diagnostics import Diagnostic, os_reason

HEAD_BYTES = 4096


class UnreadableFile(Exception):
    """The file cannot be read as what its reader expects; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def size_text(size: int) -> str:
    """A size in bytes as a controller reads it: 2 GB, 64 MB, 1,5 MB, 900 kB, 12 byte."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if size >= factor:
            value = round(size / factor, 1)
            text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
            return f"{text} {unit}"
    return f"{size} byte"


def cannot_read(display: str, reason: str) -> Diagnostic:
    """E015 in its one wording: the file, why the system refused, what is expected."""
    return Diagnostic(
        "E015",
        f"filen kan inte läsas ({reason})",
        file=display,
        expected="en vanlig fil som går att läsa",
    )


def too_large(display: str, size: int, limit: int) -> Diagnostic:
    """E008 in its one wording for a file on disk: its size and the reader's bound."""
    return Diagnostic(
        "E008",
        f"filen är {size_text(size)}, större än vad den här sortens fil kan vara",
        file=display,
        value=size_text(size),
        expected=f"högst {size_text(limit)}",
    )


_NOT_A_FILE = (
    (stat.S_ISDIR, "är en mapp, inte en fil"),
    (stat.S_ISFIFO, "är en namngiven pipe, inte en fil"),
    (stat.S_ISSOCK, "är en socket, inte en fil"),
    (stat.S_ISCHR, "är en enhet, inte en fil"),
    (stat.S_ISBLK, "är en enhet, inte en fil"),
)


@contextlib.contextmanager
def opened(path: Path, display: str, limit: int) -> Iterator[BinaryIO]:
    """``path`` open for reading in binary, once it is known to be a regular file of at most
    ``limit`` bytes; raises UnreadableFile (E015, E008) otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UnreadableFile(cannot_read(display, os_reason(exc))) from exc
    try:
        info = os.fstat(fd)
        for test, what in _NOT_A_FILE:
            if test(info.st_mode):
                raise UnreadableFile(cannot_read(display, what))
        if info.st_size > limit:
            raise UnreadableFile(too_large(display, info.st_size, limit))
        os.set_blocking(fd, True)
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with fh:
        try:
            yield fh
        except OSError as exc:  # a read that fails on the way (EIO, a vanished share)
            raise UnreadableFile(cannot_read(display, os_reason(exc))) from exc


def present(path: Path) -> bool:
    """Whether the folder has an entry of this name, whatever it is (a folder, a pipe, a
    link to nothing): a reader is handed it and says why it cannot be read (E015), rather
    than the file being called missing or passed over."""
    return os.path.lexists(path)


def read_bytes(path: Path, display: str, limit: int) -> bytes:
    """The whole file, at most ``limit`` bytes; raises UnreadableFile (E015, E008)."""
    with opened(path, display, limit) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:  # it grew since it was measured
        raise UnreadableFile(too_large(display, len(data), limit))
    return data


def read_head(path: Path, display: str, size: int = HEAD_BYTES) -> bytes:
    """The file's first ``size`` bytes (fewer if it is shorter), whatever its length;
    raises UnreadableFile (E015) when it is no regular file that can be read."""
    with opened(path, display, 1 << 62) as fh:
        return fh.read(size)


# What a file's first bytes say it is.
EMPTY, ZIP, OLE, HTML, TEXT, BINARY = "tom", "zip", "ole", "html", "text", "binary"

# ... in the words a refusal uses: "filen är <found>".
FOUND = {
    EMPTY: "tom",
    ZIP: "en zip-fil, t.ex. en .xlsx-arbetsbok eller ett .docx-dokument",
    OLE: "lösenordsskyddad (krypterad) eller sparad i ett äldre Office-format, t.ex. .xls",
    HTML: "en webbsida (HTML)",
    TEXT: "en textfil, t.ex. CSV",
    BINARY: "en binär fil av okänt format",
}

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def sniff(head: bytes) -> str:
    """What the first bytes of a file say it is: EMPTY, ZIP, OLE, HTML, TEXT or BINARY."""
    if not head:
        return EMPTY
    if head.startswith(_ZIP_MAGIC):
        return ZIP
    if head.startswith(_OLE_MAGIC):
        return OLE
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head")):
        return HTML
    if head.startswith(_UTF16_BOMS):
        return TEXT  # Excel's "Unicode text": UTF-16 with its byte-order mark
    if b"\x00" in head:
        return BINARY
    return TEXT
