"""Write docs/indata.md: every sheet of the contract as ``budget.edge.sheets`` declares it.

The reader, the frame's dtypes, the rules and this page all come from the same spec; a
test keeps the page in step with it. Run: ``.venv/bin/python -m scripts.make_input_docs``.
"""

from __future__ import annotations

from pathlib import Path

from budget.core import fmt
from budget.edge.analysis import DESCRIPTION as ANALYSIS
from budget.edge.sheets import KIND_DOCS, SHEETS, Field

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "indata.md"


def _example(f: Field) -> str:
    value = f.example
    if value is None:
        return ""
    if isinstance(value, float):
        return fmt.number(value, len(repr(value).split(".")[1]))
    if isinstance(value, int) and f.kind in ("amount", "micro", "number"):
        return fmt.number(value)
    return str(value)


def _kind(f: Field) -> str:
    if f.kind == "choice" and f.choices:
        return KIND_DOCS["choice"] + " " + ", ".join(f"`{c}`" for c in f.choices)
    return KIND_DOCS[f.kind]


def render() -> str:
    lines = [
        "# Indata: blad och kolumner",
        "",
        "Genereras av `scripts/make_input_docs.py` från `budget/edge/sheets.py`, där varje blad",
        "beskrivs en gång; läsaren, kontrollerna och den här sidan utgår från samma beskrivning.",
        "Rubriker matchas utan hänsyn till versaler, mellanslag och å/ä/ö; andra rubriker för en",
        "kolumn kan anges under `[kolumner]` i `namnd.toml`. Varje rad behåller fil, blad och",
        "radnummer, så att varje fel pekar på sin cell.",
        "",
    ]
    for spec in SHEETS:
        lines += [f"## {spec.stem}.xlsx, bladet {spec.sheet}", ""]
        if spec.note:
            lines += [spec.note, ""]
        lines += [
            "| Kolumn | Andra rubriker | Typ | Kolumnen krävs | Värdet krävs | Exempel |",
            "|---|---|---|---|---|---|",
        ]
        for f in spec.fields:
            rules = "".join(f"; {r.code}: {r.expected}" for r in f.rules)
            lines.append(
                f"| {f.header} | {', '.join(f.aliases) or '–'} | {_kind(f)}{rules} | "
                f"{'ja' if f.column_required else 'nej'} | "
                f"{'ja' if f.value_required else 'nej'} | {_example(f)} |"
            )
        lines.append("")
    lines += ["## analys.docx eller analys.md (förvaltningens text)", "", ANALYSIS, ""]
    return "\n".join(lines)


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"Skrev {TARGET}")
