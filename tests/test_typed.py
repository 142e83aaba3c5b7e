"""The typed fast path gives what the exact text path gives: frames, diagnostics, reports.

Every comparison reads the same files twice, once with ``BUDGET_TEXT_PATH=1`` (every
cell as text) and once by the typed path, and asks for equality: generated ledgers
full of the cells that could tell the paths apart, every case of the corpus, the
demo's reports byte for byte, and a ledger made by the benchmark's generator.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget.app.pipeline import validate_folder
from budget.edge import excel, readers, typed
from tests.conftest import DEMO, LEDGER_HEADER, copy_demo, soffice_convert, write_xlsx
from tests.test_corpus import CASES, lay

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def both_paths(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts how often the typed path was taken (not left to the text path)."""
    taken = {"typed": 0}
    original = excel._read_typed

    def spy(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        taken["typed"] += result is not None
        return result

    monkeypatch.setattr(excel, "_read_typed", spy)
    monkeypatch.setenv("BUDGET_NO_CACHE", "1")
    return taken


def _text_path(monkeypatch: pytest.MonkeyPatch, on: bool) -> None:
    if on:
        monkeypatch.setenv(typed.ENV_TEXT_PATH, "1")
    else:
        monkeypatch.delenv(typed.ENV_TEXT_PATH, raising=False)


def _read_both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    out = []
    for text in (True, False):
        _text_path(monkeypatch, text)
        read = readers.read_ledger(path, path.name)
        t = read.table
        meta = None if t is None else (t.blank_rows, t.total_rows, t.skipped, t.header_row)
        out.append((read.frame, read.diagnostics, meta))
    return out[0], out[1]


# Cells that could tell the paths apart: numbers of every size and precision, text that
# calamine would silently read as a number, Swedish number text, blanks, TRUE, dates.
numbers = st.one_of(
    st.integers(-(10**6), 10**6).map(lambda k: k / 100),
    st.floats(-1e16, 1e16, allow_nan=False),
    st.floats(-1e-3, 1e-3, allow_nan=False),
    st.sampled_from([0.005, 2.675, 1e7 - 0.01, 1e7, 12345678.9, 9999999.995, 2017.0, 2017.5]),
)
# Text calamine cannot read as a number: it comes back as text on both paths.
unreadable = st.sampled_from(
    ["1 234,50", "\u00a0", "12\u00a0500,25", "Summa", "Totalt 2017", "abc", "\u2212100", "1,5"]
)
# Cells calamine reads as numbers although the file stores them otherwise: the text path.
coerced = st.sampled_from(["12.500", "1e5", "inf", "-500", "1234.5", "2017", "201703", "+7", True])
cells = st.one_of(
    numbers, numbers, numbers, unreadable, st.just(None), coerced, st.just(dt.date(2017, 3, 1))
)


@st.composite
def ledgers(draw: st.DrawFn) -> list[list[Any]]:
    rows = []
    for _ in range(draw(st.integers(1, 12))):
        year = draw(st.one_of(st.just(2017), cells))
        period = draw(st.one_of(st.integers(1, 12), st.just(201705), cells))
        amount = draw(cells)
        rows.append([year, period, "A1", "100", "5010", amount])
    return rows


@given(rows=ledgers(), titles=st.integers(0, 2))
@settings(
    max_examples=int(os.environ.get("TYPED_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_a_generated_ledger_reads_the_same_by_both_paths(
    rows: list[list[Any]],
    titles: int,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    both_paths: dict[str, int],
) -> None:
    path = tmp_path_factory.mktemp("typed") / "utfall-2017.xlsx"
    title_rows = [["Huvudbok 2017"], []][:titles]
    write_xlsx(path, {"Huvudbok": [*title_rows, LEDGER_HEADER, *rows]})
    text, fast = _read_both(path, monkeypatch)
    assert fast[0].equals(text[0])
    assert fast[1] == text[1]
    assert fast[2] == text[2]


def test_plain_ledgers_take_the_typed_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, both_paths: dict[str, int]
) -> None:
    """The fast path is taken where it should be: a ledger of numbers and Swedish text amounts."""
    path = tmp_path / "utfall-2017.xlsx"
    rows = [[2017, m, "A1", "100", "5010", 1234.5 * m] for m in range(1, 9)]
    rows.append([2017, 9, "A1", "100", "5010", "1 234,50"])
    write_xlsx(path, {"Huvudbok": [["Huvudbok"], LEDGER_HEADER, *rows]})
    text, fast = _read_both(path, monkeypatch)
    assert both_paths["typed"] == 1
    assert fast[0].equals(text[0])
    assert fast[1] == text[1]


def test_text_that_calamine_would_read_as_a_number_sends_the_sheet_to_the_text_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, both_paths: dict[str, int]
) -> None:
    path = tmp_path / "utfall-2017.xlsx"
    rows = [[2017, 3, "A1", "100", "5010", "12.500"], [2017, 3, "A1", "100", "5010", True]]
    write_xlsx(path, {"Huvudbok": [LEDGER_HEADER, *rows]})
    text, fast = _read_both(path, monkeypatch)
    assert both_paths["typed"] == 0
    assert fast[1] == text[1]
    assert {d.code for d in text[1]} >= {"E101", "E113"}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_corpus_case_validates_the_same_by_both_paths(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, both_paths: dict[str, int]
) -> None:
    folder, _ = lay(case, tmp_path)
    found = []
    for text in (True, False):
        _text_path(monkeypatch, text)
        result = validate_folder(folder, None).as_dict()
        del result["timings"]  # the one part that differs from run to run
        found.append(json.dumps(result, ensure_ascii=False))
    assert found[1] == found[0]


def _report(inputs: Path, out: Path, text: bool) -> dict[str, bytes]:
    env = {**os.environ, "BUDGET_NO_CACHE": "1"}
    env.pop(typed.ENV_TEXT_PATH, None)
    if text:
        env[typed.ENV_TEXT_PATH] = "1"
    cmd = [sys.executable, "-c", "from budget.cli import main; main()", "report", str(inputs)]
    cmd += ["--out", str(out), "--generated-at", "2017-09-12T10:00"]
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_the_demo_reports_are_byte_identical_by_both_paths(tmp_path: Path) -> None:
    inputs = tmp_path / DEMO.name
    copy_demo(inputs)
    assert _report(inputs, tmp_path / "typed", False) == _report(inputs, tmp_path / "text", True)


def test_a_bench_ledger_reports_byte_identically_by_both_paths(tmp_path: Path) -> None:
    """The benchmark's generator at 40 000 rows: the million-row file, in miniature."""
    inputs = tmp_path / "benchnamnd-2017"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_inputs.py"), str(inputs), "40000"],
        check=True,
        capture_output=True,
    )
    assert _report(inputs, tmp_path / "typed", False) == _report(inputs, tmp_path / "text", True)


def test_a_ledger_saved_by_libreoffice_takes_the_typed_path_and_reads_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, both_paths: dict[str, int]
) -> None:
    """LibreOffice writes shared strings (the demo's files hold their text inline): the
    header copy then holds the start of the string table, and the paths still agree."""
    rows = [[2017, m, "A1", "0100", "5010", 1234.5 * m, f"Faktura {m}"] for m in range(1, 9)]
    rows += [[2017, 9, "A1", "0100", "5010", "1 234,50", "Lön"], [None, None, "Summa"]]
    (tmp_path / "source").mkdir()
    source = write_xlsx(
        tmp_path / "source" / "utfall-2017.xlsx",
        {"Huvudbok": [["Huvudboksutdrag"], [*LEDGER_HEADER, "Text"], *rows]},
    )
    saved = soffice_convert(source, "xlsx:Calc MS Excel 2007 XML", tmp_path / "saved")
    with zipfile.ZipFile(saved) as zf:
        assert "xl/sharedStrings.xml" in zf.namelist()
    text, fast = _read_both(saved, monkeypatch)
    assert both_paths["typed"] == 1
    assert fast[0].equals(text[0])
    assert fast[1] == text[1]
    assert fast[2] == text[2]
