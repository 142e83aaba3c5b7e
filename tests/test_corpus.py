"""The corpus of broken inputs: each names its code and its exact place."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from budget.cli import cli
from budget.diagnostics import CATALOGUE, Diagnostic
from budget.pipeline import validate_folder
from tests.conftest import Folder

CASES = sorted((Path(__file__).parent / "corpus" / "cases").iterdir())


def lay(case: Path, target: Path) -> tuple[Path, dict[str, Any]]:
    """A fresh valid folder with the case's files laid over it."""
    folder = Folder(target / "testnamnd-2017").path
    expected: dict[str, Any] = json.loads((case / "case.json").read_text(encoding="utf-8"))
    for name in expected.get("remove", []):
        (folder / name).unlink()
    for path in case.iterdir():
        if path.name != "case.json":
            shutil.copy(path, folder / path.name)
    return folder, expected


def matches(d: Diagnostic, expected: dict[str, Any]) -> bool:
    return d.code == expected["code"] and all(
        getattr(d, key) == expected[key]
        for key in ("file", "sheet", "cell")
        if expected.get(key) is not None
    )


def test_corpus_is_large_and_covers_every_code() -> None:
    assert len(CASES) >= 30
    codes = {json.loads((c / "case.json").read_text(encoding="utf-8"))["code"] for c in CASES}
    assert codes == set(CATALOGUE), set(CATALOGUE) - codes


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_is_reported_at_its_place(case: Path, tmp_path: Path) -> None:
    folder, expected = lay(case, tmp_path)
    previous = folder / expected["previous"] if "previous" in expected else None
    result = validate_folder(folder, expected.get("period"), previous)
    found = [d for d in result.diagnostics if matches(d, expected)]
    assert found, "\n".join(d.text() for d in result.diagnostics)
    cli_result = CliRunner().invoke(
        cli,
        [
            "validate",
            str(folder),
            *(["--period", str(expected["period"])] if "period" in expected else []),
            *(["--previous", str(previous)] if previous else []),
        ],
    )
    assert cli_result.exit_code == expected.get("exit", 1), cli_result.output
    assert cli_result.exception is None or isinstance(cli_result.exception, SystemExit)
    assert found[0].code in cli_result.output
