"""How names in the controllers' files are matched: headers, sheet names, area names."""

from __future__ import annotations

import unicodedata

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def normalize_header(value: object) -> str:
    """Fold a header cell for matching: NFKC, case, spacing, å/ä/ö optional."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    text = " ".join(text.split())
    return text.translate(_FOLD)
