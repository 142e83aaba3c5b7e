"""Write budget/schemas/report.schema.json, generated from the report's JSON types
(budget.report.formats.schema).

python -m scripts.make_schema
"""

from __future__ import annotations

from pathlib import Path

from budget.report.formats.schema import render

TARGET = Path(__file__).resolve().parent.parent / "budget" / "schemas" / "report.schema.json"


def main() -> None:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"Skrev {TARGET}")


if __name__ == "__main__":
    main()
