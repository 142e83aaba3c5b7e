"""Write docs/fel.md from the catalogue in budget/diagnostics.py (a test keeps them in step)."""

from __future__ import annotations

import sys
from pathlib import Path

from budget.diagnostics import CATALOGUE


def render() -> str:
    lines = [
        "# Felkatalog: fel och varningar",
        "",
        "Genereras av `scripts/make_error_docs.py` från `budget/diagnostics.py`; ett test",
        "kontrollerar att filen stämmer med koden. Fel (E…) stoppar rapporten; varningar (W…)",
        "visas men rapporten skrivs. Varje meddelande anger fil, blad, cell, kolumn, funnet värde",
        "och vad som förväntas.",
        "",
        "| kod | allvar | vad | så rättar du |",
        "|---|---|---|---|",
    ]
    for rule in CATALOGUE.values():
        lines.append(f"| {rule.code} | {rule.severity} | {rule.title} | {rule.fix} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/fel.md")
    target.write_text(render(), encoding="utf-8")
