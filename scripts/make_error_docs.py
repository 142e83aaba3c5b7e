"""Write docs/fel.md: every code of budget/diagnostics.py with a real example.

The examples are the messages the corpus of broken inputs (tests/corpus/cases)
produces, so the catalogue shows exactly what a controller reads. A test keeps
the file in step with the code: run this script after changing either.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budget.diagnostics import CATALOGUE  # noqa: E402


def examples() -> dict[str, tuple[str, str]]:
    """code -> (corpus case, message text) for the first case of each code."""
    from budget.app.pipeline import validate_folder
    from tests.test_corpus import CASES, lay, matches

    found: dict[str, tuple[str, str]] = {}
    for case in CASES:
        expected = json.loads((case / "case.json").read_text(encoding="utf-8"))
        if expected["code"] is None or expected["code"] in found:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            folder, expected = lay(case, Path(tmp))
            previous = folder / expected["previous"] if "previous" in expected else None
            result = validate_folder(folder, expected.get("period"), previous)
        hit = next(d for d in result.diagnostics if matches(d, expected))
        found[expected["code"]] = (case.name, hit.text())
    return found


def render() -> str:
    shown = examples()
    lines = [
        "# Felkatalog: fel och varningar",
        "",
        "Genereras av `scripts/make_error_docs.py` från `budget/diagnostics.py` och korpusen av",
        "trasiga indata i `tests/corpus/cases/`; ett test kontrollerar att filen stämmer med",
        "koden. Fel (E…) stoppar rapporten och `budget` avslutar med status 1; varningar (W…)",
        "visas men rapporten skrivs. Varje meddelande anger fil › blad › cell, kolumn, funnet",
        "värde, vad som förväntas och hur man rättar.",
        "",
    ]
    for rule in CATALOGUE.values():
        case, text = shown.get(rule.code, ("", ""))
        lines += [
            f"## {rule.code} ({rule.severity}): {rule.title}",
            "",
            f"Så rättar du: {rule.fix}",
            "",
        ]
        if text:
            lines += [f"Exempel (korpusfallet `{case}`):", "", "```text", text, "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "fel.md")
    target.write_text(render(), encoding="utf-8")
