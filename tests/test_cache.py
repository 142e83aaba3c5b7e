"""The cache of parsed workbooks: it speeds up reruns and is never trusted blindly."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from budget.cli import cli
from tests.conftest import Folder, ledger_rows

STAMP = ["--generated-at", "2017-09-12T10:00"]


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
    rows = ledger_rows()
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


def _entries(cache_dir: Path) -> list[tuple[Path, Path]]:
    return [(p, p.with_suffix(".json")) for p in sorted(cache_dir.glob("*.parquet"))]


def _tamper_amounts(parquet: Path, meta: Path) -> None:
    """Multiply every amount by ten, as a hand-edited or hostile entry would."""
    import polars as pl

    frame = pl.read_parquet(parquet)
    if "amount" in frame.columns:
        frame.with_columns(pl.col("amount") * 10).write_parquet(parquet)


def _drop_diagnostics(parquet: Path, meta: Path) -> None:
    data = json.loads(meta.read_text(encoding="utf-8"))
    data["diagnostics"] = []
    meta.write_text(json.dumps(data), encoding="utf-8")


def _other_schema(parquet: Path, meta: Path) -> None:
    """A well-formed entry of another schema, digests recomputed: the seal still breaks."""
    import hashlib

    import polars as pl

    frame = pl.read_parquet(parquet)
    frame = frame.with_columns(pl.lit("x").alias(frame.columns[0]))
    frame.write_parquet(parquet)
    data = json.loads(meta.read_text(encoding="utf-8"))
    data["data_sha256"] = hashlib.sha256(parquet.read_bytes()).hexdigest()
    meta.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("tamper", [_tamper_amounts, _drop_diagnostics, _other_schema])
def test_a_tampered_entry_never_changes_a_figure_or_hides_an_error(
    folder: Folder, cache_dir: Path, tmp_path: Path, tamper: object
) -> None:
    runner = CliRunner()
    # An input error (a text amount) that the cache must not lose.
    folder.ledger([[2017, 1, "A1", "100", "5010", 100], [2017, 1, "A1", "100", "5010", "x"]])
    args = ["report", str(folder.path), "--out", str(tmp_path / "out"), *STAMP]
    first = runner.invoke(cli, args)
    assert first.exit_code == 1
    assert "E101" in first.output
    for parquet, meta in _entries(cache_dir):
        tamper(parquet, meta)  # type: ignore[operator]
    again = runner.invoke(cli, args)
    assert again.exit_code == 1, again.output
    assert "E101" in again.output
    # And with valid inputs: the figures of a tampered cache are the file's, not the cache's.
    folder.ledger([[2017, 1, "A1", "100", "5010", 100]])
    assert runner.invoke(cli, args).exit_code == 0
    good = (tmp_path / "out" / "testnamnd-2017-01.json").read_bytes()
    for parquet, meta in _entries(cache_dir):
        tamper(parquet, meta)  # type: ignore[operator]
    assert runner.invoke(cli, args).exit_code == 0
    assert (tmp_path / "out" / "testnamnd-2017-01.json").read_bytes() == good


def test_a_cache_folder_others_can_write_is_not_used(
    folder: Folder, cache_dir: Path, tmp_path: Path
) -> None:
    cache_dir.mkdir(mode=0o777)
    cache_dir.chmod(0o777)
    result = CliRunner().invoke(
        cli, ["report", str(folder.path), "--out", str(tmp_path / "o"), *STAMP]
    )
    assert result.exit_code == 0
    assert result.output.count("W314") == 1, result.output
    assert not list(cache_dir.iterdir()), "nothing is written to a folder others can write"


def test_the_cache_folder_is_created_private(
    folder: Folder, cache_dir: Path, tmp_path: Path
) -> None:
    assert (
        CliRunner()
        .invoke(cli, ["report", str(folder.path), "--out", str(tmp_path / "o"), *STAMP])
        .exit_code
        == 0
    )
    assert cache_dir.stat().st_mode & 0o077 == 0


# The one exception: the render helper (app/renderers.py) and the process that started it
# hand each other the report and its files over the helper's own standard input and output,
# pipes no other process holds; a pickle never touches a file, so nothing on disk (the cache
# least of all) is ever unpickled.
PICKLE_OVER_OWN_PIPES = {"budget/app/renderers.py"}


# And one that pickles and never unpickles: the Word file's cache key is the digest of the
# report's pickle (app/word_cache.py).
PICKLE_DUMPED_ONLY = {"budget/app/word_cache.py"}


def test_nothing_is_unpickled_anywhere() -> None:
    from tests.conftest import ROOT

    for path in (ROOT / "budget").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        for word in ("import pickle", "BytecodeCache", "marshal", "shelve"):
            if word == "import pickle" and name in PICKLE_OVER_OWN_PIPES | PICKLE_DUMPED_ONLY:
                continue
            assert word not in text, f"{path.name}: {word}"


def test_the_word_file_cache_only_pickles() -> None:
    import re

    from tests.conftest import ROOT

    for name in PICKLE_DUMPED_ONLY:
        text = (ROOT / name).read_text(encoding="utf-8")
        assert re.findall(r"pickle\.dumps\(", text), name
        assert not re.findall(r"pickle\.(?!dumps\()\w+", text), name
        assert "Unpickler" not in text


def test_the_render_helper_unpickles_only_its_pipes() -> None:
    """What the exception above allows: pickle.load only on the two pipes' streams."""
    import re

    from tests.conftest import ROOT

    for name in PICKLE_OVER_OWN_PIPES:
        text = (ROOT / name).read_text(encoding="utf-8")
        loads = re.findall(r"pickle\.loads?\(([^)]*)\)", text)
        assert loads, name
        assert set(loads) <= {"requests", "proc.stdout"}, loads


def test_temporary_files_of_a_killed_run_are_removed_by_the_next(
    folder: Folder, cache_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    # A run killed while writing: its process is gone (pid 2**22 + 1 is beyond pid_max).
    dead = out / ".testnamnd-2017-T1.json.4194305.abcd.tmp"
    dead.write_text("half a report")
    old = out / ".testnamnd-2017-T1.html.x1y2.tmp"  # an earlier version's name, an hour old
    old.write_text("half")
    import os

    os.utime(old, (1, 1))
    alive = out / f".testnamnd-2017-T1.xlsx.{os.getpid()}.efgh.tmp"  # a run still going
    alive.write_text("in progress")
    cache_dir.mkdir(mode=0o700)
    stale_cache = cache_dir / ".abc.parquet.4194305.zz.tmp"
    stale_cache.write_text("x")
    result = CliRunner().invoke(cli, ["report", str(folder.path), "--out", str(out), *STAMP])
    assert result.exit_code == 0
    assert not dead.exists()
    assert not old.exists()
    assert not stale_cache.exists()
    assert alive.exists()


def test_a_file_written_to_while_it_is_read_is_not_cached(folder: Folder, cache_dir: Path) -> None:
    """The entry would bind one content's figures to another content's digest."""
    import time

    from budget.core.steps import Steps
    from budget.edge import inputs, readers

    path = folder.path / "utfall-2017.xlsx"

    def read_while_someone_saves(p: Path, display: str) -> readers.Read:
        result = readers.read_ledger(p, display)
        time.sleep(0.01)
        folder.ledger([[2017, 1, "A1", "100", "5010", 999_999]])  # saved meanwhile
        return result

    read_while_someone_saves.__name__ = "read_ledger"
    cache_dir.mkdir(mode=0o700)
    inputs._cached(cache_dir, Steps(time.perf_counter), read_while_someone_saves, path, path.name)
    assert not list(cache_dir.glob("*.parquet"))


def test_a_read_with_errors_is_not_cached(folder: Folder, cache_dir: Path) -> None:
    """A file that could not be read may fail for its path or the moment, not its bytes:
    the same bytes read again (elsewhere, later) are read afresh, never from a cached
    failure."""
    from budget.core.steps import Steps
    from budget.diagnostics import Diagnostic
    from budget.edge import cache, inputs, readers

    path = folder.path / "utfall-2017.xlsx"

    def failing(p: Path, display: str) -> readers.Read:
        frame = readers.read_ledger(p, display).frame.clear()
        return readers.Read(frame, [Diagnostic("E002", "kan inte läsas", file=display)], None)

    failing.__name__ = "read_ledger"
    cache_dir.mkdir(mode=0o700)
    inputs._cached(cache_dir, Steps(time.perf_counter), failing, path, path.name)
    cache.flush()
    assert not list(cache_dir.glob("*.parquet"))
    again = inputs._read(cache_dir, Steps(time.perf_counter), readers.read_ledger, path, path.name)
    assert again.frame.height == 16
    assert not again.diagnostics
