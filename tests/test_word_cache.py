"""The Word file kept whole between runs (``budget.app.word_cache``): taken from the cache
only for the same report, the same bytes as written afresh; a changed report, a damaged
entry or a report that cannot be pickled is written again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from budget.app import word_cache
from tests.conftest import Folder, ledger_rows, report_files, uncached_files

WORD = "testnamnd-2017-T1.docx"


pytestmark = pytest.mark.usefixtures("render_here")


def _not_written_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("the Word file written again")

    monkeypatch.setattr("budget.report.formats.docx.render", refuse)


def _rows(first: int) -> list[list[Any]]:
    rows = ledger_rows()
    rows[0][5] = first
    return rows


def test_a_rerun_takes_the_word_file_kept_the_same_bytes(
    folder: Folder, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = uncached_files(folder, tmp_path / "plain", monkeypatch)
    assert report_files(folder, tmp_path / "first") == plain
    assert [p.name for p in cache_dir.glob("*.docx")], "the Word file is kept"
    with monkeypatch.context() as m:
        _not_written_here(m)
        assert report_files(folder, tmp_path / "again") == plain


def test_a_changed_report_writes_a_new_word_file(
    folder: Folder, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder.ledger(_rows(100_000))
    report_files(folder, tmp_path / "first")
    folder.ledger(_rows(100_500))  # one cell changed
    changed = report_files(folder, tmp_path / "changed")
    assert changed == uncached_files(folder, tmp_path / "plain", monkeypatch)
    assert len(list(cache_dir.glob("*.docx"))) == 2


@pytest.mark.parametrize("damage", ["flip", "truncate", "delete-json"])
def test_a_damaged_word_file_is_written_again_never_used(
    folder: Folder,
    cache_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    damage: str,
) -> None:
    plain = uncached_files(folder, tmp_path / "plain", monkeypatch)
    report_files(folder, tmp_path / "first")
    (kept,) = cache_dir.glob("*.docx")
    good = kept.read_bytes()
    if damage == "flip":
        kept.write_bytes(good[:1000] + bytes([good[1000] ^ 0xFF]) + good[1001:])
    elif damage == "truncate":
        kept.write_bytes(good[: len(good) // 2])
    else:
        kept.with_suffix(".json").unlink()
    assert report_files(folder, tmp_path / "again") == plain
    assert kept.read_bytes() == good, "rebuilt"


def test_the_render_helper_keeps_and_finds_the_word_file(
    folder: Folder, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = uncached_files(folder, tmp_path / "plain", monkeypatch)
    monkeypatch.setenv("BUDGET_RENDER_PROCESS", "1")
    _not_written_here(monkeypatch)  # here; the helper is another process
    assert report_files(folder, tmp_path / "first") == plain
    (kept,) = cache_dir.glob("*.docx")
    stored = kept.stat().st_ino
    assert report_files(folder, tmp_path / "again") == plain
    # A miss writes its entry anew (a new file renamed into place): this one was read.
    assert kept.stat().st_ino == stored
    assert len(list(cache_dir.glob("*.docx"))) == 1


def test_a_report_that_cannot_be_pickled_has_no_key_and_is_written(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = {"unpicklable": lambda: None}
    assert word_cache.digest(report) is None  # type: ignore[arg-type]
    written = word_cache.render(report, None, lambda r, draw: b"written")  # type: ignore[arg-type]
    assert written == b"written"
    assert not list(cache_dir.glob("*.docx"))


def test_the_same_report_has_one_digest_another_another() -> None:
    from datetime import datetime

    from budget.checks.prepare import prepare
    from budget.edge import inputs as inputs_mod
    from budget.report.build import build_report
    from tests.conftest import DEMO

    prepared = prepare(inputs_mod.load(DEMO), None)
    one = build_report(prepared, datetime(2017, 9, 12, 10))
    same = build_report(prepared, datetime(2017, 9, 12, 10))
    later = build_report(prepared, datetime(2017, 9, 13, 10))
    assert word_cache.digest(one) == word_cache.digest(same)
    assert word_cache.digest(one) != word_cache.digest(later)


def test_the_libraries_are_in_the_key() -> None:
    found = word_cache.surroundings()
    for name in ("python-docx", "lxml", "jinja2", "plotly", "matplotlib", "openpyxl"):
        assert f"('{name}', " in found, name
    assert "font DejaVu Sans normal" in found
