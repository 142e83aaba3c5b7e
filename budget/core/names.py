"""How names in the controllers' files are matched: headers, sheet names, area names."""

from __future__ import annotations

import difflib
import hashlib
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


# A file name part is letters and digits (any script, after NFKC) with one hyphen for every
# other run: nothing is left that a file system reserves (<>:"/\|?* and control characters
# on Windows, / on Unix, : on macOS), no leading or trailing dot or space, and a name can
# never be a reserved device name (CON, PRN, NUL, COM1, …): it is always
# "<ansvar>-…-<period>". A whitelist leaves nothing for a sanitising library to decide.
_NOT_NAME = re.compile(r"[^\w]|_", re.UNICODE)
MAX_PART_BYTES = {"ansvar": 40, "unit": 60}  # UTF-8 bytes: far below 255 per file name


def _part(text: str | None, limit: int) -> str:
    folded = unicodedata.normalize("NFKC", text or "")
    part = "-".join(w for w in _NOT_NAME.split(folded) if w)
    while len(part.encode("utf-8")) > limit:
        part = part[:-1]
    return part.strip("-")


def file_key(name: str) -> str:
    """A file name as file systems compare it: NFC (macOS may hand back NFD) and case."""
    return unicodedata.normalize("NFC", name).casefold()


def underlag_file_names(units: list[tuple[str, str | None]], suffix: str) -> dict[str, str]:
    """Each ansvar's underlag file name: ``<ansvar>-<enhet>-<period>.xlsx``, safe on Windows,
    macOS and Linux, bounded in length, the same for the same units, and unique even where
    two units share a name or two codes fold to the same text (then a short hash of the code
    tells them apart, with a counter as the last resort)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for ansvar, unit in units:
        code = _part(ansvar, MAX_PART_BYTES["ansvar"]) or "ansvar"
        unit_part = _part(unit, MAX_PART_BYTES["unit"])
        stem = f"{code}-{unit_part}" if unit_part else code
        name = f"{stem}-{suffix}.xlsx"
        if file_key(name) in taken:
            digest = hashlib.sha256(ansvar.encode("utf-8", "surrogatepass")).hexdigest()[:8]
            name = f"{stem}-{digest}-{suffix}.xlsx"
            n = 2
            while file_key(name) in taken:
                name = f"{stem}-{digest}-{n}-{suffix}.xlsx"
                n += 1
        taken.add(file_key(name))
        names[ansvar] = name
    return names


def old_underlag_file_name(ansvar: str, suffix: str) -> str:
    """The name underlag gave before it carried the unit's name: ``<ansvar>-<period>.xlsx``."""
    return f"{ansvar}-{suffix}.xlsx"
