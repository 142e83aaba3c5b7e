"""The cache of parsed workbooks: it speeds up reruns and is never trusted blindly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from budget.cli import cli
from tests.conftest import Folder

STAMP = ["--generated-at", "2017-09-12T10:00"]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("BUDGET_CACHE_DIR", str(where))
    monkeypatch.delenv("BUDGET_NO_CACHE", raising=False)
    return where


def actual_net(out: Path, area: str) -> float:
    data = json.loads((out / "testnamnd-2017-T1.json").read_text(encoding="utf-8"))
    return next(a["actual"]["net"] for a in data["areas"] if a["area"] == area)


def test_a_changed_cell_is_seen_on_the_next_run(
    folder: Folder, cache_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["report", str(folder.path), "--out", str(out), *STAMP]).exit_code == 0
    )
    entries = sorted(cache_dir.glob("*.parquet"))
    assert entries, "the first run fills the cache"
    before = actual_net(out, "Förskola")
    rows = []
    for m in range(1, 5):
        rows += [
            [2017, m, "A1", "100", "5010", 100_000],
            [2017, m, "A1", "100", "3410", -10_000],
            [2017, m, "B1", "200", "5010", 50_000],
            [2017, m, "B2", "201", "4610", 20_000],
        ]
    rows[0][5] = 100_500  # one cell changed
    folder.ledger(rows)
    assert (
        runner.invoke(cli, ["report", str(folder.path), "--out", str(out), *STAMP]).exit_code == 0
    )
    assert actual_net(out, "Förskola") == before - 500


def test_reports_from_cache_are_identical(folder: Folder, cache_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for name in ("cold", "warm"):
        assert (
            runner.invoke(
                cli, ["report", str(folder.path), "--out", str(tmp_path / name), *STAMP]
            ).exit_code
            == 0
        )
    cold = {p.name: p.read_bytes() for p in (tmp_path / "cold").iterdir()}
    warm = {p.name: p.read_bytes() for p in (tmp_path / "warm").iterdir()}
    assert cold == warm


@pytest.mark.parametrize(
    "damage", ["truncate-parquet", "garbage-json", "wrong-rows", "delete-parquet"]
)
def test_a_damaged_entry_is_ignored_and_rebuilt(
    folder: Folder, cache_dir: Path, tmp_path: Path, damage: str
) -> None:
    runner = CliRunner()
    args = ["report", str(folder.path), "--out", str(tmp_path / "out"), *STAMP]
    assert runner.invoke(cli, args).exit_code == 0
    good = (tmp_path / "out" / "testnamnd-2017-T1.json").read_bytes()
    for parquet in cache_dir.glob("*.parquet"):
        meta = parquet.with_suffix(".json")
        if damage == "truncate-parquet":
            parquet.write_bytes(parquet.read_bytes()[:40])
        elif damage == "garbage-json":
            meta.write_text("{not json", encoding="utf-8")
        elif damage == "wrong-rows":
            data = json.loads(meta.read_text(encoding="utf-8"))
            data["rows"] += 1
            meta.write_text(json.dumps(data), encoding="utf-8")
        else:
            parquet.unlink()
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "testnamnd-2017-T1.json").read_bytes() == good
    for parquet in cache_dir.glob("*.parquet"):
        assert len(parquet.read_bytes()) > 40, "the entry was rebuilt"


def test_two_runs_racing_on_one_cache(folder: Folder, cache_dir: Path, tmp_path: Path) -> None:
    cmd = [
        sys.executable,
        "-c",
        "from budget.cli import main; main()",
        "report",
        str(folder.path),
        *STAMP,
    ]
    procs = [
        subprocess.Popen(
            [*cmd, "--out", str(tmp_path / f"out{i}")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(2)
    ]
    for p in procs:
        p.wait(timeout=120)
        assert p.returncode == 0, p.stderr.read() if p.stderr else ""
    a = (tmp_path / "out0" / "testnamnd-2017-T1.json").read_bytes()
    b = (tmp_path / "out1" / "testnamnd-2017-T1.json").read_bytes()
    assert a == b
    assert not list(cache_dir.glob(".*")), "no temporary files left behind"


def test_cache_can_be_turned_off(
    folder: Folder, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BUDGET_NO_CACHE", "1")
    assert (
        CliRunner()
        .invoke(cli, ["report", str(folder.path), "--out", str(tmp_path / "o"), *STAMP])
        .exit_code
        == 0
    )
    assert not cache_dir.exists()
