"""The ledger read in one inflate pass and in parts gives what the plain read gives.

Every comparison reads the same files with ``BUDGET_SPLIT=0`` (the plain path: the guard,
then calamine on the whole sheet) and with the split path forced (``BUDGET_SPLIT=1``,
parts of a few hundred bytes, so that small sheets are cut into many parts), or in one
part (``BUDGET_SPLIT=en``), and asks for equal frames, diagnostics and reports. Nothing
here times anything.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget.app.pipeline import validate_folder
from budget.edge import csvfile, readers, split, typed, workbook
from tests.conftest import DEMO, LEDGER_HEADER, copy_demo, write_xlsx
from tests.test_corpus import CASES, lay
from tests.test_typed import cells

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def routes(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The read log (``BUDGET_READ_LOG``): which path each read took."""
    log = tmp_path_factory.mktemp("log") / "read.log"
    monkeypatch.setenv(split.ENV_LOG, str(log))
    monkeypatch.setenv("BUDGET_NO_CACHE", "1")
    return log


def _mode(monkeypatch: pytest.MonkeyPatch, mode: str, part: int = 300) -> None:
    workbook._MEMO.clear()
    monkeypatch.setenv(split.ENV_SPLIT, mode)
    monkeypatch.setenv(split.ENV_MIN_PART, str(part))
    monkeypatch.setenv(split.ENV_REPEAT, "3")  # small sheets are cut too


def _read(path: Path, monkeypatch: pytest.MonkeyPatch, mode: str, part: int = 300) -> Any:
    _mode(monkeypatch, mode, part)
    read = readers.read_ledger(path, path.name)
    t = read.table
    meta = None if t is None else (t.blank_rows, t.total_rows, t.skipped, t.header_row, t.numbers)
    return read.frame, read.diagnostics, meta


def _same(path: Path, monkeypatch: pytest.MonkeyPatch, mode: str = "1", part: int = 300) -> None:
    plain = _read(path, monkeypatch, "0")
    cut = _read(path, monkeypatch, mode, part)
    assert cut[0].equals(plain[0])
    assert cut[1] == plain[1]
    assert cut[2] == plain[2]


def _last_route(log: Path) -> str:
    return log.read_text(encoding="utf-8").splitlines()[-1].split("\t")[1]


def _ledger(rows: int, extra: list[list[Any]] | None = None) -> list[list[Any]]:
    body = [
        [2017, 1 + i % 8, "A1", "100", "5010", round(1234.5 + i * 3.25, 2), f"Faktura {i}"]
        for i in range(rows)
    ]
    return [["Huvudbok 2017"], [*LEDGER_HEADER, "Text"], *body, *(extra or [])]


def test_a_plain_ledger_is_cut_into_parts_and_reads_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, routes: Path
) -> None:
    path = write_xlsx(tmp_path / "utfall-2017.xlsx", {"Huvudbok": _ledger(300)})
    _same(path, monkeypatch)
    route = _last_route(routes)
    assert route.startswith("delad i "), route
    assert int(route.split()[2]) > 10


def test_one_part_reads_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, routes: Path
) -> None:
    path = write_xlsx(tmp_path / "utfall-2017.xlsx", {"Huvudbok": _ledger(300)})
    _same(path, monkeypatch, mode="en")
    assert _last_route(routes).startswith("en del"), _last_route(routes)


def test_blank_rows_between_parts_and_totals_and_text_amounts_read_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, routes: Path
) -> None:
    """Rows without a tag between two parts are blank rows, as in one read; a text amount
    and a total row in a later part keep their cells."""
    rows = _ledger(120)
    rows += [[]] * 40  # no row tags: the gap lies between parts
    rows += [[2017, 3, "A1", "100", "5010", "1 234,50", "text"], [None, None, "Summa"]]
    rows += _ledger(80)[2:]
    rows += [[2017, 3, "A1", "100", "5010", "12.500", "coerced"]]
    path = write_xlsx(tmp_path / "utfall-2017.xlsx", {"Huvudbok": rows})
    for mode in ("1", "en"):
        _same(path, monkeypatch, mode=mode)
    assert _last_route(routes).startswith("en del")


@given(body=st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=40))
@settings(
    max_examples=int(os.environ.get("SPLIT_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_a_generated_ledger_reads_the_same_in_parts(
    body: list[list[Any]],
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    routes: Path,
) -> None:
    """Cells that tell the typed and the text path apart, in every part."""
    rows = [[y, p, "A1", "100", "5010", a] for y, p, a in body]
    path = tmp_path_factory.mktemp("split") / "utfall-2017.xlsx"
    write_xlsx(path, {"Huvudbok": [["Huvudbok 2017"], LEDGER_HEADER, *rows * 4]})
    for text in (False, True):
        if text:
            monkeypatch.setenv(typed.ENV_TEXT_PATH, "1")
        else:
            monkeypatch.delenv(typed.ENV_TEXT_PATH, raising=False)
        _same(path, monkeypatch, part=2000)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_corpus_case_validates_the_same_in_parts(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _ = lay(case, tmp_path)
    monkeypatch.setenv("BUDGET_NO_CACHE", "1")
    found = []
    for mode in ("0", "1"):
        _mode(monkeypatch, mode, part=100)
        result = validate_folder(folder, None).as_dict()
        del result["timings"]  # the one part that differs from run to run
        found.append(json.dumps(result, ensure_ascii=False))
    assert found[1] == found[0]


def _report(inputs: Path, out: Path, mode: str, part: int) -> dict[str, bytes]:
    env = {**os.environ, "BUDGET_NO_CACHE": "1", split.ENV_SPLIT: mode}
    env[split.ENV_MIN_PART] = str(part)
    env[split.ENV_REPEAT] = "3"
    env.pop(typed.ENV_TEXT_PATH, None)
    cmd = [sys.executable, "-c", "from budget.cli import main; main()", "report", str(inputs)]
    cmd += ["--out", str(out), "--generated-at", "2017-09-12T10:00"]
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_a_bench_ledger_reports_byte_identically_in_parts(tmp_path: Path) -> None:
    """The benchmark's generator at 40 000 rows, cut into parts of 2 MB: the same report."""
    inputs = tmp_path / "benchnamnd-2017"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_inputs.py"), str(inputs), "40000"],
        check=True,
        capture_output=True,
    )
    plain = _report(inputs, tmp_path / "plain", "0", 0)
    assert _report(inputs, tmp_path / "parts", "1", 2 * 1024**2) == plain
    assert _report(inputs, tmp_path / "one", "en", 2 * 1024**2) == plain


def test_the_demo_reports_byte_identically_in_parts(tmp_path: Path) -> None:
    inputs = tmp_path / DEMO.name
    copy_demo(inputs)
    assert _report(inputs, tmp_path / "parts", "1", 200_000) == _report(
        inputs, tmp_path / "plain", "0", 0
    )


def _rewrite_sheet(path: Path, change: Any) -> None:
    """Replace the first worksheet's XML by ``change(xml)``."""
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    name = "xl/worksheets/sheet1.xml"
    members[name] = change(members[name])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(member, data)


def test_a_cell_beyond_the_grid_in_a_later_part_never_reaches_calamine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, routes: Path
) -> None:
    """XFD1048576 aborts the process in calamine: the part holding it is refused by the
    guard before it is parsed, and the plain path says E012 (the test process lives)."""
    path = write_xlsx(tmp_path / "utfall-2017.xlsx", {"Huvudbok": _ledger(300)})
    _rewrite_sheet(path, lambda xml: xml.replace(b'r="F250"', b'r="XFD1048576"'))
    plain = _read(path, monkeypatch, "0")
    cut = _read(path, monkeypatch, "1")
    assert [d.code for d in cut[1]] == ["E012"]
    assert cut[1] == plain[1]
    assert "vanlig läsning" in _last_route(routes)


def test_a_far_out_date_in_a_later_part_is_e019_as_in_one_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _ledger(200)
    rows[150][5] = dt.date(2017, 3, 1)
    path = write_xlsx(tmp_path / "utfall-2017.xlsx", {"Huvudbok": rows})

    def far(xml: bytes) -> bytes:
        cell = re.search(rb'<c r="F151"[^>]*><v>[0-9.]+</v>', xml)
        assert cell is not None
        return xml.replace(
            cell.group(0), re.sub(rb"<v>[0-9.]+</v>", b"<v>1e300</v>", cell.group(0))
        )

    _rewrite_sheet(path, far)
    _same(path, monkeypatch)
    monkeypatch.setenv(typed.ENV_TEXT_PATH, "1")
    _same(path, monkeypatch)


_MAIN = b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _prefixed(xml: bytes) -> bytes:
    """Every tag of the sheet with the prefix ``x:``."""
    xml = xml.replace(b"<worksheet ", b"<x:worksheet xmlns:x=" + _MAIN + b" ")
    for tag in (b"worksheet", b"sheetData", b"row"):
        xml = xml.replace(b"</" + tag + b">", b"</x:" + tag + b">")
    return xml.replace(b"<sheetData>", b"<x:sheetData>").replace(b"<row ", b"<x:row ")


def _column_j(xml: bytes) -> bytes:
    later = b'<c r="J240" t="inlineStr"><is><t>x</t></is></c><c r="A240"'
    return xml.replace(b'<c r="A240"', later)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda xml: xml.replace(b'<row r="200"', b'<row spans="1:7"'), "r="),
        (_prefixed, "sheetData"),
        (lambda xml: xml.replace(b'<row r="220"', b'<!-- x --><row r="220"'), "kommentar"),
        (_column_j, "kolumner"),
    ],
    ids=["row-without-r", "prefixed-rows", "comment", "column-only-in-a-later-part"],
)
def test_what_cannot_be_cut_is_read_plainly_and_the_same(
    change: Any, why: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, routes: Path
) -> None:
    path = write_xlsx(tmp_path / "utfall-2017.xlsx", {"Huvudbok": _ledger(300)})
    _rewrite_sheet(path, change)
    monkeypatch.setenv(typed.ENV_TEXT_PATH, "1")  # every column read: a later one shows
    _same(path, monkeypatch)
    route = _last_route(routes)
    assert route.startswith("vanlig läsning"), route
    assert why in route, route


def test_the_parts_are_removed_also_when_the_read_is_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_xlsx(tmp_path / "utfall-2017.xlsx", {"Huvudbok": _ledger(300)})
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    _read(path, monkeypatch, "1")
    assert list(temp.iterdir()) == []
    seen: list[Path] = []

    def interrupted(file: Path, name: str, plan: split.Plan) -> Any:
        seen.append(file)
        raise KeyboardInterrupt

    monkeypatch.setattr(split, "_parse", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _read(path, monkeypatch, "1")
    assert seen
    assert list(temp.iterdir()) == []


def test_the_probe_counts_only_other_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work of this process does not make the cores look busy."""
    probe = split._Probe()
    total = sum(i * i for i in range(2_000_000))  # this process' own work
    free, how = probe.free()
    assert total > 0
    assert "kärnor" in how
    assert free <= split._cores()


def test_a_live_childs_work_is_this_processs_own() -> None:
    """The render helper is a live child importing while the ledger is read: its CPU counts
    as this run's own, not another process'. A child spends at least 0,3 CPU-s, says so
    and waits: the parent's own seconds include them (CPU accounting, not a timing)."""
    import subprocess
    import sys

    burn = (
        "import sys, time\n"
        "while time.process_time() < 0.3: pass\n"
        "print('done', flush=True)\n"
        "sys.stdin.read()\n"
    )
    before = split._own_seconds()
    child = subprocess.Popen(
        [sys.executable, "-c", burn], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == b"done\n"
        assert split._children_seconds() >= 0.3 - 0.02  # clock ticks of 10 ms
        assert split._own_seconds() - before >= 0.3 - 0.02
    finally:
        child.kill()
        child.wait()


# CSV: the columnar reading gives what the csv module gives, record by record.
_CSV_CHARS = st.sampled_from([*"ab1 ,;\t", "\r", "\n", "\r\n", "\x1c", "\xa0", "\u3000", "å", ""])


@given(
    text=st.lists(_CSV_CHARS, max_size=80).map("".join),
    separator=st.sampled_from([";", ",", "\t"]),
)
@settings(max_examples=300, deadline=None)
def test_a_csv_without_quotes_reads_the_same_by_columns(text: str, separator: str) -> None:
    columnar = csvfile._columnar(text, separator, "f.csv")
    assert columnar is not None
    frame, widths, lines, ends = csvfile.by_records(text, separator, "f.csv")
    assert columnar[1] == widths
    assert lines == ends == list(range(1, len(widths) + 1))
    assert columnar[0].equals(frame)


def test_a_csv_with_quotes_is_read_by_the_csv_module() -> None:
    assert csvfile._columnar('a;"b;c"\n', ";", "f.csv") is None
    assert csvfile._columnar("a;b\x00\n", ";", "f.csv") is None


def test_the_stripped_space_is_pythons() -> None:
    assert "".join(chr(c) for c in range(0x110000) if chr(c).isspace()) == csvfile.PY_SPACE


def test_a_ragged_csv_line_is_e117_naming_its_line_by_both_readings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The columnar reading keeps E117 (a decimal comma splitting an amount) at its line."""
    rows = ["År;Period;Ansvar;Verksamhet;Konto;Belopp"]
    rows += [f"2017;3;A1;100;5010;{i},50" for i in range(30)]
    rows[12] = "2017;3;A1;100;5010;1234,50;x;y"  # a shifted record, without quotes
    path = tmp_path / "utfall-2017.csv"
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    monkeypatch.setenv("BUDGET_NO_CACHE", "1")
    found = readers.read_ledger(path, path.name).diagnostics
    assert [(d.code, d.cell) for d in found] == [("E117", "rad 13")]
    quoted = tmp_path / "quoted" / "utfall-2017.csv"
    quoted.parent.mkdir()
    quoted.write_text("\r\n".join([*rows, '2017;3;A1;100;5010;"7,50"']) + "\r\n", "utf-8")
    again = readers.read_ledger(quoted, quoted.name).diagnostics
    assert [(d.code, d.cell) for d in again] == [("E117", "rad 13")]


def test_no_temporary_folder_means_the_plain_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, routes: Path
) -> None:
    path = write_xlsx(tmp_path / "utfall-2017.xlsx", {"Huvudbok": _ledger(300)})
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    _same(path, monkeypatch)
    assert _last_route(routes).startswith("vanlig läsning: ingen tillfällig mapp")


def _row(xml: bytes, number: int) -> bytes:
    found = re.search(rb'<row r="%d".*?</row>' % number, xml)
    assert found is not None
    return found.group(0)


def _renumbered(xml: bytes, old: int, new: int) -> bytes:
    """Row ``old`` (its tag and cells) numbered ``new``, where it stands."""
    row = _row(xml, old)
    return xml.replace(row, row.replace(b'%d"' % old, b'%d"' % new))


def _swapped(xml: bytes) -> bytes:
    a, b = _row(xml, 200), _row(xml, 201)
    xml = xml.replace(a, b"\0").replace(b, a.replace(b'200"', b'201"'))
    return xml.replace(b"\0", b.replace(b'201"', b'200"'))


@pytest.mark.parametrize(
    "change",
    [
        _swapped,  # two rows out of order
        lambda xml: xml.replace(_row(xml, 200), _row(xml, 200) * 2),  # a row given twice
        lambda xml: _renumbered(xml, 200, 150),  # a row numbered back
        lambda xml: xml.replace(b'<row r="200"', b'<row\tr="200"'),  # not "<row "
        lambda xml: xml.replace(b'<row r="200"', b'<row x="a>b" r="200"'),  # ">" in a value
        lambda xml: xml.replace(b'<row r="200"', b"<row r='200'"),
        lambda xml: xml.replace(b'<row r="200"', b'<row r="199"/><row r="200"'),
        lambda xml: xml.replace(b"</row>", b"</row>\r\n  "),  # indented, CRLF
    ],
    ids=[
        "swapped",
        "twice",
        "numbered-back",
        "tab",
        "gt-in-value",
        "apostrophes",
        "empty-row",
        "indented",
    ],
)
def test_rows_in_odd_order_or_form_read_the_same(
    change: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, routes: Path
) -> None:
    """Cut or read plainly, as the cutter decides: the same frame and diagnostics."""
    path = write_xlsx(tmp_path / "utfall-2017.xlsx", {"Huvudbok": _ledger(300)})
    _rewrite_sheet(path, change)
    _same(path, monkeypatch)
