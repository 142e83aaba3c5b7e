"""How names in the controllers' files are matched: headers, sheet names, area names."""

from __future__ import annotations

import difflib
import re
import unicodedata

# Excel's limit of characters in one cell: readers refuse longer text where they read it,
# the one writer (report.render.cells) never writes more.
MAX_CELL_TEXT = 32_767

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def normalize_header(value: object) -> str:
    """Fold a header cell for matching: NFKC, case, spacing, å/ä/ö optional."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    text = " ".join(text.split())
    return text.translate(_FOLD)


def closest(name: object, candidates: list[str]) -> str | None:
    """The candidate most like ``name`` (folded as headers are), for a message's
    "menade du …?"; None when nothing is close. Order of ``candidates`` breaks ties."""
    folded: dict[str, str] = {}
    for c in candidates:
        folded.setdefault(normalize_header(c), c)
    match = difflib.get_close_matches(normalize_header(name), list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


# File names come from the file system as Python gives them: bytes that are no UTF-8 as
# lone surrogates, and any control character. Neither can be written to a report, a
# workbook or a terminal, so such a name is shown escaped and the file is not used.
_UNSHOWABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def printable(name: str) -> str:
    """A file name as it can be shown: undecodable bytes and control characters escaped
    (``utfall-\\xff.xlsx``); other names unchanged."""
    if not _UNSHOWABLE.search(name):
        return name

    def escaped(m: re.Match[str]) -> str:
        code = ord(m.group())
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was no UTF-8 (surrogateescape)
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSHOWABLE.sub(escaped, name)


def unshowable(name: str) -> bool:
    """Whether a file name holds what ``printable`` must escape."""
    return _UNSHOWABLE.search(name) is not None
