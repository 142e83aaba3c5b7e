"""SIE read columnar and line by line give one result: the frame, every diagnostic and the
report, byte for byte (edge/sie_columns.py, edge/sie.py)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench import make_inputs
from budget.cli import cli
from budget.edge import sie, sie_columns
from tests.conftest import copy_demo

ROOT = Path(__file__).resolve().parent
SIE_FILES = sorted(
    p
    for folder in (ROOT / "data" / "sie", ROOT / "corpus" / "cases")
    for p in folder.rglob("*")
    if p.suffix.lower() in sie.SUFFIXES
)
DIMENSIONS = [(1, 6), (1, None), (6, 1), (0, 2)]


def _read(path: Path, dims: tuple[int | None, int | None], columnar: bool) -> Any:
    try:
        found = sie.read(path, path.name, dims[0], dims[1], columnar=columnar)
    except sie.NotSie as exc:
        return ("NotSie", exc.diagnostic)
    return (
        found.frame,
        found.diagnostics,
        found.budget,
        found.budget_lines,
        found.dimensions,
        found.kind,
        found.years,
    )


def assert_same(path: Path, dims: tuple[int | None, int | None] = (1, 6)) -> None:
    columns, lines = _read(path, dims, True), _read(path, dims, False)
    if isinstance(columns[0], str) or isinstance(lines[0], str):
        assert columns == lines
        return
    assert columns[0].schema == lines[0].schema
    assert columns[0].equals(lines[0]), (columns[0], lines[0])
    assert columns[1:] == lines[1:]


def test_the_files_are_there() -> None:
    names = {p.name for p in SIE_FILES}
    assert {"transaktioner_ovnbolag.se", "Sie4.se", "utfall-sie.se"} <= names
    assert len(SIE_FILES) >= 20


@pytest.mark.parametrize("path", SIE_FILES, ids=[str(p.relative_to(ROOT)) for p in SIE_FILES])
def test_real_and_corpus_files_read_the_same_both_ways(path: Path) -> None:
    for dims in DIMENSIONS:
        assert_same(path, dims)


@pytest.mark.parametrize(
    ("name", "vouchers"),
    [
        ("MAMUT_SIE4_EXPORT.SE", 168),
        ("SIE4_Exempelfil_med_underdim.SE", 295),
        ("transaktioner_ovnbolag.se", 163),
        ("Sie4.se", 33),  # of 70: the others hold the account FEL (E116), read line by line
    ],
)
def test_real_exports_are_read_as_columns(name: str, vouchers: int) -> None:
    """Real exporters indent #TRANS, end lines with a tab, write ``{ }``: of the simple
    form all the same, and so are quoted dimensions (``{"1" "1"}``)."""
    data = (ROOT / "data" / "sie" / name).read_bytes()
    lines = sie_columns.split_lines(data, sie.MAX_LINE)
    assert lines is not None
    assert sie_columns.plan(lines, 1, 6).vouchers.height == vouchers


def test_the_shared_real_exports_read_the_same_both_ways() -> None:
    """The originals of tests/data/sie, where this machine has them."""
    shared = Path("/work/shared/data/sie")
    files = [p for p in sorted(shared.glob("*")) if p.suffix.lower() in sie.SUFFIXES]
    if not files:
        pytest.skip("no /work/shared/data/sie here (its copies are in tests/data/sie)")
    for path in files:
        assert_same(path)


def _plan(text: str) -> sie_columns.Plan:
    lines = sie_columns.split_lines(text.encode("cp437"), sie.MAX_LINE)
    assert lines is not None
    return sie_columns.plan(lines, 1, 6)


HEAD = '#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#RAR 0 20170101 20171231\n#DIM 1 "Ansvar"\n'
SIMPLE = (
    '#VER A 1 20170128 "Lön januari"\n{\n'
    '#TRANS 5011 {1 "10101" 6 "210"} 1296.65 20170128 "Faktura"\n'
    '#TRANS 5011 {6 "211" 1 A1} -0.5 "" ""\n'
    "#TRANS 1930 {} -1296.15\n"
    "}\n"
)


def test_simple_vouchers_are_read_as_columns_and_others_line_by_line(tmp_path: Path) -> None:
    """The pre-pass takes every voucher of the simple form whole and hands the reader the
    lines of every other voucher (here one #RTRANS) and the header: nothing else."""
    other = "#VER A 2 20170128\n{\n#RTRANS 5010 {} 5\n#TRANS 5010 {} 5.00\n#TRANS 1930 {} -5\n}\n"
    text = HEAD + SIMPLE + other + SIMPLE.replace("A 1 ", "A 3 ")
    plan = _plan(text)
    assert plan.vouchers.get_column("line").to_list() == [6, 18]
    assert plan.rows.height == 6
    assert [n for n, _ in plan.other] == [1, 2, 3, 4, 5, *range(12, 18)]
    path = tmp_path / "utfall.se"
    path.write_text(text, encoding="cp437")
    assert_same(path)
    found = sie.read(path, path.name, 1, 6)
    assert found.rows[1] == {
        "År": "2017",
        "Period": "1",
        "Ansvar": "A1",
        "Verksamhet": "211",
        "Konto": "5011",
        "Belopp": "-0.5",
        "Text": "Lön januari",
        "Verifikation": "A 1",
    }


def test_a_voucher_of_the_simple_form_after_one_left_open_is_read_line_by_line(
    tmp_path: Path,
) -> None:
    """A #VER closes a voucher left open (no "}"): that voucher's E115 comes before the
    simple one's rows, as line by line."""
    text = HEAD + "#VER A 9 20170101\n{\n#TRANS 5010 {} 7\n" + SIMPLE.replace("-1296.15", "1")
    path = tmp_path / "utfall.se"
    path.write_text(text, encoding="cp437")
    assert_same(path)
    codes = [d.code for d in sie.read(path, path.name, 1, 6).diagnostics]
    assert codes == ["E115", "E115"]


# Generated files: mostly vouchers of the simple form, some with lines of every other kind.


def _pick(draw: st.DrawFn, wild: bool, simple: list[str], other: list[str]) -> str:
    """A part of a line: of the simple form, or in a wild voucher now and then another."""
    if wild and draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(other))
    return draw(st.sampled_from(simple))


_SEPS = ([" ", " ", "\t", "  "], [" \t", "\u00a0"])
_FIELDS = (
    ['"Hyra"', '""', "Hyra", '"a b"', '"x}"', '"{"', "Å", '"Lön"', '"\u00a0"', "a\u00a0"],
    ['"Lön \\"A\\""', "{x}", 'a"b', '"open', "a\\b"],
)
_OBJECTS = (['"A1"', '"100"', "B2", '""', '"1 2"', "7", '"x}"', '"ö"'], ['"a\\"b"', "{", "a}"])
_DIMS = (["1", "6", "2", "10"], ["01", "x", '"6"'])
_AMOUNTS = (
    ["100.00", "-100.00", "50", "0", "-0.00", "12.5", "999999999999999.99", "-0.5"],
    ["1,5", "1e5", "+5", "007", "1.125", "1000000000000000", "1e400", "NaN", "x", "1 000.00"],
)
_DATES = (["", "", "20170115", '""', "20171231"], ["20171301", "000.00", "0", "2017", '"20170201"'])
_INDENTS = (["", "", "  ", "\t"], ["\u00a0", "\x0b"])
_RESTS = (["", "", "", " 1", ' 1 "sign"', " {", ' "open', " }"], ["\u00a0", " ", "\t", "\x1c"])


@st.composite
def _objects(draw: st.DrawFn, wild: bool) -> str:
    count = draw(st.integers(0, 5 if wild else 4))
    dims = draw(st.permutations(["1", "6", "2", "10", '"6"']))[:count]  # "6" = 6: twice
    if wild:  # a dimension given twice, quoted, …
        dims = [_pick(draw, wild, [d], _DIMS[1]) for d in dims]
    pairs = [(d, _pick(draw, wild, *_OBJECTS)) for d in dims]
    inner = _pick(draw, wild, *_SEPS).join(f"{d}{_pick(draw, wild, *_SEPS)}{o}" for d, o in pairs)
    return _pick(
        draw, wild, ["{" + inner + "}", "{ " + inner + "\t}", ""], ["{\u00a0" + inner + "}"]
    )


@st.composite
def _trans(draw: st.DrawFn, wild: bool) -> str:
    label = _pick(draw, wild, ["#TRANS"], ["#RTRANS", "#BTRANS", "#trans", '"#TRANS"'])
    account = _pick(draw, wild, ["5010", "1930", "3010", "4010"], ["FEL", '"5010"', ""])
    parts = [label, account, draw(_objects(wild)), _pick(draw, wild, *_AMOUNTS)]
    date = _pick(draw, wild, *_DATES)
    rest = ""
    if date:
        parts.append(date)
        if draw(st.booleans()):
            parts.append(_pick(draw, wild, *_FIELDS))
            rest = _pick(draw, wild, *_RESTS)
    if wild and draw(st.integers(0, 3)) == 0:
        rest = _pick(draw, wild, *_RESTS)
    sep = _pick(draw, wild, *_SEPS)
    indent = _pick(draw, wild, *_INDENTS)  # as exporters indent #TRANS, and blanks after
    return indent + sep.join(p for p in parts if p) + rest + _pick(draw, wild, *_INDENTS)


@st.composite
def _voucher(draw: st.DrawFn) -> list[str]:
    wild = draw(st.integers(0, 2)) == 0
    number = _pick(draw, wild, ["1", "2", "3", '"3"'], ['""', ""])
    series = _pick(draw, wild, ["A", '"A"', "B", '""', '" A "'], [""])
    date = _pick(draw, wild, ["20170128", "20171231"], ["20171301", "2017", ""])
    text = _pick(draw, wild, ['"Verifikation"', "", "Hyra", '"Lön"', '"x" 20170101 "s"'], ["{"])
    head = _pick(draw, wild, ["#VER", " #VER"], ["#ver", "\u00a0#VER", '"#VER"'])
    sep = _pick(draw, wild, *_SEPS)
    ver = sep.join(p for p in [head, series, number, date, text] if p)
    ver += _pick(draw, wild, *_RESTS) + _pick(draw, wild, *_INDENTS)
    body = draw(st.lists(_trans(wild), max_size=6))
    if draw(st.integers(0, 2)) == 0:  # balanced: no E115
        body.append("#TRANS 1930 {} 0")
    opening = _pick(draw, wild, ["{", " {", "{\t"], ["", "\u00a0{", "{ x"])
    closing = _pick(draw, wild, ["}", "} ", "\t}"], ["", "}}", "#TRANS 1930 {} 1"])
    if wild and draw(st.booleans()):  # a blank line inside
        body.insert(draw(st.integers(0, len(body))), draw(st.sampled_from(["", "  "])))
    return [ver, opening, *body, closing]


_HEADER = st.sampled_from(
    [
        "#FLAGGA 0",
        "#SIETYP 4",
        '#DIM 1 "Ansvar"',
        "#KTYP 5010 I",
        "#RES 0 5010 100.00",
        "#RES 0 3010 1e27",
        "#PSALDO 0 201701 5010 {} 2",
        '#PBUDGET 0 201701 5010 {6 "100"} 5',
        "",
        "Hej",
        "#IB 0 1930 1e400",
    ]
)


@st.composite
def sie_files(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(_HEADER, max_size=4))
    if draw(st.booleans()):
        lines.insert(0, "#FLAGGA 0")
    for voucher in draw(st.lists(_voucher(), max_size=5)):
        lines += voucher
        lines += draw(st.lists(_HEADER, max_size=1))
    end = draw(st.sampled_from(["\n", "\n", "\r\n", "\r\n", "\r\n", "\r\n", "\r\n", "\r"]))
    text = end.join(lines) + draw(st.sampled_from([end, ""]))
    return text.encode("cp437", errors="replace")


@given(data=sie_files())
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_generated_files_read_the_same_both_ways(data: bytes, tmp_path_factory: Any) -> None:
    path = tmp_path_factory.mktemp("sie") / "utfall.se"
    path.write_bytes(data)
    assert_same(path)
    assert_same(path, (6, None))


def _report(folder: Path, out: Path, columnar: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv(sie.ENV_COLUMNAR, columnar)
    monkeypatch.setenv("BUDGET_NO_CACHE", "1")  # each run reads the ledger
    result = CliRunner().invoke(
        cli, ["report", str(folder), "--out", str(out), "--generated-at", "2017-09-12T10:00"]
    )
    written = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    shutil.rmtree(out)
    return result.exit_code, result.output, written


def test_a_report_from_a_sie_ledger_is_the_same_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bench's SIE ledger, small: the same report files byte for byte, and the same
    messages, whichever way the ledger was read."""
    folder = copy_demo(tmp_path / "skarholmen-2017")
    (folder / "utfall-2017.xlsx").unlink()
    make_inputs.write_sie(folder / "utfall-2017.se", 3000, 2017, 8, make_inputs.demo_cells(), 2017)
    with (folder / "namnd.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[sie]\nansvar = 1\nverksamhet = 6\n")
    plan = _plan((folder / "utfall-2017.se").read_bytes().decode("cp437"))
    assert len(plan.other) == 6, "every voucher of the bench's form read as columns"
    columns = _report(folder, tmp_path / "out", "1", monkeypatch)
    lines = _report(folder, tmp_path / "out", "0", monkeypatch)
    assert columns[0] == 0, columns[1]
    assert columns[2], "report files written"
    assert columns == lines


def test_the_switch_and_the_size_bound_read_line_by_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BUDGET_SIE_COLUMNAR=0, and a file over MAX_COLUMNAR_BYTES (streamed, not read whole),
    take the line reader; the default takes the pre-pass. The rows are the same."""
    path = tmp_path / "utfall.se"
    path.write_text(HEAD + SIMPLE, encoding="cp437")
    planned: list[int] = []
    real_plan = sie_columns.plan

    def counted(*args: Any) -> sie_columns.Plan:
        planned.append(1)
        return real_plan(*args)

    monkeypatch.setattr(sie_columns, "plan", counted)
    expected = sie.read(path, path.name, 1, 6).rows
    assert planned == [1]
    monkeypatch.setattr(sie, "MAX_COLUMNAR_BYTES", path.stat().st_size - 1)
    assert sie.read(path, path.name, 1, 6).rows == expected
    monkeypatch.setattr(sie, "MAX_COLUMNAR_BYTES", path.stat().st_size)
    for off in ("0", "False", " Nej "):  # as the other switches read it
        monkeypatch.setenv(sie.ENV_COLUMNAR, off)
        assert sie.read(path, path.name, 1, 6).rows == expected
    assert planned == [1]
    monkeypatch.setenv(sie.ENV_COLUMNAR, "1")
    sie.read(path, path.name, 1, 6)
    assert planned == [1, 1]


_T = b'#TRANS 5010 {1 "A1" 6 "210"} 100.00 20170128 "x"\n#TRANS 1930 {} -100.00'


def _ver(body: bytes, head: bytes = b'#VER A 1 20170128 "L\x94n"') -> bytes:
    return head + b"\n{\n" + body + b"\n}\n"


_HEAD = HEAD.encode("cp437")
_BYTES = {
    "bom": b"\xef\xbb\xbf" + _ver(_T),
    "bom-then-head": b"\xef\xbb\xbf" + _HEAD + _ver(_T),
    "only-vouchers": _ver(_T) + _ver(_T, b"#VER A 2 20170101"),
    "blank-first": b"   \n" + _ver(_T),
    "no-sie-before-a-voucher": b"Hej\n" + _ver(_T),
    "lf-and-crlf": (_HEAD + _ver(_T)).replace(b"\n", b"\r\n", 3),
    "final-cr": _HEAD + _ver(_T) + b"\r",
    "ctrl-z": _HEAD + _ver(_T) + b"\x1a",
    "vt-in-text": _HEAD + _ver(_T.replace(b'"x"', b'"a\x0bb"')),
    "vt-at-end": _HEAD + _ver(_T.replace(b'"x"', b'"x"\x0b')),
    "ff-first": _HEAD + _ver(b"\x0c" + _T),
    "fs-in-word": _HEAD + _ver(_T.replace(b'"x"', b"x\x1cy")),
    "us-at-end": _HEAD + _ver(_T.replace(b'"x"', b"x\x1f")),
    "nbsp-cp437-at-end": _HEAD + _ver(_T + b"\xff"),
    "latin1-bytes": _HEAD + _ver(_T.replace(b'"x"', b'"\xe5\xe4\xf6"')),
    "utf8-bytes": _HEAD + _ver(_T.replace(b'"x"', '"åäö"'.encode())),
    "separator-byte": _HEAD + _ver(_T) + b"#x \x01\n",
    "nul": _HEAD + _ver(_T) + b"\x00",
    "close-then-vt": _HEAD + b"#VER A 1 20170101\n{\n#TRANS 5010 {} 5\n#TRANS 1930 {} -5\n}\x0b\n",
    "amounts": _HEAD
    + _ver(b"#TRANS 5010 {} -0\n#TRANS 5010 {} 0.00\n#TRANS 5010 {} +5\n#TRANS 5010 {} 5.")
    + _ver(b'#TRANS 5010 {} .5\n#TRANS 5010 {} "5"\n#TRANS 5010 {} 1000000000000000'),
    "leading-zeros": _HEAD + _ver(b"#TRANS 0050 {} 5\n#TRANS 001930 {} -5"),
    "tabs": _HEAD + _ver(b'#TRANS\t5010\t{1\t"A\tB"}\t5\t20170101\t"a\tb"\n\t#TRANS 1930 {} -5\t'),
    "res-cents": _HEAD
    + b"#RES 0 5010 5.10\n"
    + _ver(b"#TRANS 5010 {} 5.1\n#TRANS 1930 {} -5.1")
    + _ver(b"#TRANS 5010 {} 1e0\n#TRANS 1930 {} -1"),
    "line-at-the-bound": _HEAD + _ver(_T.replace(b'"x"', b'"' + b"a" * 99_950 + b'"')),
    "line-over-the-bound": _HEAD + _ver(_T.replace(b'"x"', b'"' + b"a" * 99_990 + b'"')),
}


@pytest.mark.parametrize("name", list(_BYTES))
def test_odd_bytes_read_the_same_both_ways(name: str, tmp_path: Path) -> None:
    """Encodings, line ends, what str.strip takes but polars keeps, amounts, the line bound."""
    path = tmp_path / "utfall.se"
    path.write_bytes(_BYTES[name])
    for dims in DIMENSIONS:
        assert_same(path, dims)
