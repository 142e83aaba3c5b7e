"""The layering of docs/arkitektur.md, checked: the core imports no edge."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

CORE = [
    "ledger",
    "forecast",
    "money",
    "changes",
    "decision",
    "goals",
    "accuracy",
    "volumes",
    "model",
    "fmt",
    "previous",
]
EDGES = {
    "budget.cli",
    "budget.pipeline",
    "budget.render",
    "budget.readers",
    "budget.excel",
    "budget.inputs",
    "budget.write",
    "budget.cache",
    "budget.browser",
}


def imports(module: str) -> set[str]:
    tree = ast.parse((ROOT / "budget" / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


def test_core_modules_import_no_edge() -> None:
    for module in CORE:
        bad = {
            name
            for name in imports(module)
            if any(name == e or name.startswith(e + ".") for e in EDGES)
        }
        assert not bad, f"budget.{module} imports {bad}"


def test_core_never_reads_the_clock_or_prints() -> None:
    for module in CORE:
        source = (ROOT / "budget" / f"{module}.py").read_text(encoding="utf-8")
        assert "datetime.now" not in source, module
        assert "print(" not in source, module
