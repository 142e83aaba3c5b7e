"""The corpus of broken inputs: each names its code and its exact place."""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from budget.app.pipeline import validate_folder
from budget.cli import cli
from budget.diagnostics import CATALOGUE, Diagnostic, errors
from budget.edge.previous import schema_errors
from tests.conftest import Folder, collection_folder

CASES = sorted((Path(__file__).parent / "corpus" / "cases").iterdir())
RETURNED_DIR = Path(__file__).parent / "corpus" / "returned"
RETURNED = sorted(p for p in RETURNED_DIR.iterdir() if p.is_dir())
SENT = RETURNED_DIR / "utskick.json"  # what budget underlag sent, for every returned case


def lay(case: Path, target: Path) -> tuple[Path, dict[str, Any]]:
    """A fresh valid folder with the case's files laid over it."""
    folder = Folder(target / "testnamnd-2017").path
    expected: dict[str, Any] = json.loads((case / "case.json").read_text(encoding="utf-8"))
    for name in expected.get("remove", []):
        (folder / name).unlink()
    # A folder where the file should be (git keeps no empty folder: made here).
    for name in expected.get("as_folder", []):
        (folder / name).unlink(missing_ok=True)
        (folder / name).mkdir()
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


def _codes(cases: list[Path]) -> set[str]:
    return {json.loads((c / "case.json").read_text(encoding="utf-8"))["code"] for c in cases}


def test_corpus_is_large_and_covers_every_code() -> None:
    assert len(CASES) >= 30
    codes = _codes(CASES)
    assert codes - {None} == set(CATALOGUE) - NOT_FROM_INPUT_FILES, set(CATALOGUE) - codes
    # Every code of a bad return has its case among the returned workbooks.
    assert _codes(RETURNED) >= RETURNED_ONLY, RETURNED_ONLY - _codes(RETURNED)


# Codes that no inputs folder can show: each has its own test.
NOT_FROM_INPUT_FILES = {
    "W314",  # the cache folder's permissions: tests/test_cache.py
    "E114",  # the guard that no reader drops a row silently: tests/test_accounting.py
    # File names with bytes that are no UTF-8 or control characters (no checkout keeps them
    # everywhere): tests/test_file_names.py.
    "E020",
    "W322",
    "E037",  # budget analysmall refuses to overwrite an analysis: tests/test_analysis.py
}
# Returned prognosunderlag come from a folder of their own, not the inputs folder: the
# returned corpus (corpus/returned, test_returned_case_is_reported_at_its_place).
RETURNED_ONLY = {
    *("E211", "E212", "E214", "E215", "W317", "W318"),
    *("E230", "E231", "E232", "E233", "W324"),  # what was sent is the reference (issue 25)
}
NOT_FROM_INPUT_FILES |= RETURNED_ONLY
# The city's desk reads a folder of the nämnder's report JSONs, stad.toml and the office's
# workbook, not an inputs folder: each code has its case in tests/test_city.py.
CITY_ONLY = {"E021", "E022", "E023", "E024", "E025", "E026", "E027", "E028", "W323"}
NOT_FROM_INPUT_FILES |= CITY_ONLY


def figure(report: dict[str, Any], path: str) -> Any:
    """A dotted path into the report JSON; ``areas.<area>.<subarea or ->`` picks a line."""
    parts = path.split(".")
    if parts[0] == "areas":
        subarea = None if parts[2] == "-" else parts[2]
        (node,) = [a for a in report["areas"] if (a["area"], a["subarea"]) == (parts[1], subarea)]
        parts = parts[3:]
    else:
        node = report
    for part in parts:
        node = node[part]
    return node


def check_report(folder: Path, expected: dict[str, Any], out: Path) -> None:
    """Report the case and hold its figures and the invariants every report keeps."""
    result = CliRunner().invoke(
        cli, ["report", str(folder), "--out", str(out), "--generated-at", "2017-09-12T10:00"]
    )
    assert result.exit_code == 0, result.output
    (path,) = list(out.glob("*.json"))
    report = json.loads(path.read_text(encoding="utf-8"))
    assert schema_errors(report) == []
    for key, value in expected.get("figures", {}).items():
        assert figure(report, key) == value, key
    rec = report["reconciliation"]
    assert round(rec["ledger_sum"] - rec["reported_sum"] - rec["excluded_sum"], 2) == 0
    for area in [a for a in report["areas"] if a["subarea"] is None]:
        subs = [a for a in report["areas"] if a["area"] == area["area"] and a["subarea"]]
        for column in ("budget", "actual", "forecast"):
            for side in ("costs", "revenues"):
                if subs:
                    total = round(sum(s[column][side] for s in subs), 2)
                    assert total == area[column][side], (area["area"], column, side)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_is_reported_at_its_place(case: Path, tmp_path: Path) -> None:
    folder, expected = lay(case, tmp_path)
    previous = folder / expected["previous"] if "previous" in expected else None
    result = validate_folder(folder, expected.get("period"), previous)
    said = [d.text() for d in result.diagnostics]
    assert len(set(said)) == len(said), "a problem is said twice:\n" + "\n".join(said)
    if expected["code"] is None:  # nothing to report: no error, no warning of the case's kind
        assert not errors(result.diagnostics), "\n".join(d.text() for d in result.diagnostics)
        found = [Diagnostic("W307", "")]
    else:
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
    assert expected["code"] is None or found[0].code in cli_result.output
    for file, count in expected.get("skipped_rows", {}).items():
        (listed,) = [f for f in result.files if f.name == file]
        assert len(listed.skipped) == count
    if "figures" in expected:
        check_report(folder, expected, tmp_path / "out")


@pytest.mark.parametrize("case", RETURNED, ids=[c.name for c in RETURNED])
def test_returned_case_is_reported_at_its_place(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each kind of bad return names its file and cell; on an error nothing is written.
    A return that passes leaves no formula in prognos.xlsx, whatever the unit typed."""
    expected: dict[str, Any] = json.loads((case / "case.json").read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)  # no underlag/ folder where samla looks by default
    folder = collection_folder(tmp_path / "testnamnd-2017").path
    returned = tmp_path / "inlamnat"
    shutil.copytree(case, returned, ignore=shutil.ignore_patterns("case.json"))
    if "newest" in expected:
        for i, path in enumerate(
            sorted(returned.iterdir(), key=lambda p: p.name != expected["newest"])
        ):
            os.utime(path, ns=(2_000_000_000_000_000_000 - i, 2_000_000_000_000_000_000 - i))
    args = ["samla", str(folder), str(returned), "--period", str(expected["period"])]
    if expected.get("record") != "none" and not (case / "utskick.json").exists():
        args += ["--underlag", str(SENT)]
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == expected.get("exit", 1), result.output
    written = (folder / "prognos.xlsx").exists()
    assert written is (result.exit_code == 0)
    if expected["code"] is not None:
        place = " › ".join(
            str(expected[k]) for k in ("file", "sheet", "cell") if expected.get(k) is not None
        )
        severity = "fel" if expected["code"].startswith("E") else "varning"
        assert f"{severity} {expected['code']}: {place}" in result.output, result.output
    else:
        assert "fel " not in result.output, result.output
        assert "varning " not in result.output, result.output
    if written:
        with zipfile.ZipFile(folder / "prognos.xlsx") as z:
            sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
            assert not any(re.search(rb"<f[\s>/]", z.read(n)) for n in sheets)
    for ansvar in expected.get("returned", []):
        rows = list(load_workbook(folder / "prognos.xlsx")["Prognos"].iter_rows(values_only=True))
        assert any(r[4] == ansvar and r[2] is not None for r in rows[1:]), rows
