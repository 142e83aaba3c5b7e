"""Documentation that cannot drift from the code."""

from __future__ import annotations

import importlib.util
import re

import pytest

from budget.diagnostics import CATALOGUE
from tests.conftest import ROOT


def test_error_catalogue_matches_the_code() -> None:
    spec = importlib.util.spec_from_file_location(
        "make_error_docs", ROOT / "scripts" / "make_error_docs.py"
    )
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = (ROOT / "docs" / "fel.md").read_text(encoding="utf-8")
    assert written == module.render(), "run: .venv/bin/python scripts/make_error_docs.py"


def test_every_code_used_in_the_package_is_catalogued() -> None:
    used = set()
    for path in (ROOT / "budget").rglob("*.py"):
        used |= set(re.findall(r'"([EW]\d{3})"', path.read_text(encoding="utf-8")))
    assert used <= set(CATALOGUE), used - set(CATALOGUE)


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```sh", 1)[1].split("```", 1)[0]
    assert "make report" in first_block
    assert "make test" in first_block


def test_input_docs_match_the_sheet_specs() -> None:
    from scripts.make_input_docs import TARGET, render

    assert TARGET.read_text(encoding="utf-8") == render(), (
        "run: .venv/bin/python -m scripts.make_input_docs"
    )


def test_the_contract_ships_in_docs() -> None:
    """A clone has no ../shared: the contract users rely on is docs/contract.md, kept equal."""
    shipped = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    assert shipped.startswith("# The toolkit's contract")
    shared = ROOT.parent / "shared" / "spec" / "contract.md"
    if shared.is_file():
        # Verbatim, then the toolkit's own additions (accept more, never less).
        given = shared.read_text(encoding="utf-8")
        assert shipped.startswith(given), "copy ../shared/spec/contract.md into docs/"
        assert shipped[len(given) :].lstrip().startswith("## Additions made by this toolkit")
    assert "../shared" not in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_diagnostic_code_given_to_two_rules_is_refused() -> None:
    """W344 once meant both a Markdown line kept as written and a measure given twice, and
    docs/fel.md printed one under the other's title: the catalogue refuses a repeated code."""
    from budget.diagnostics import Rule, Severity, _rules

    one = Rule("W999", Severity.WARNING, "a", "b")
    with pytest.raises(ValueError, match="W999"):
        _rules(one, Rule("W999", Severity.WARNING, "c", "d"))
    assert list(_rules(one)) == ["W999"]
