"""Compile budget/locale/sv/LC_MESSAGES/budget.po (click's messages in Swedish) to budget.mo.

Run after editing the .po file: ``python -m scripts.make_locale``. The .mo is committed so that
an installed toolkit needs no build step; tests/test_cli.py holds it equal to this compilation.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

PO = (
    Path(__file__).resolve().parent.parent
    / "budget"
    / "locale"
    / "sv"
    / "LC_MESSAGES"
    / "budget.po"
)


def compiled() -> bytes:
    with PO.open("rb") as source:
        catalog = read_po(source, locale="sv")
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


if __name__ == "__main__":
    target = PO.with_suffix(".mo")
    target.write_bytes(compiled())
    print(f"Skrev {target}")
