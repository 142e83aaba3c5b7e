"""File names that cannot be shown: bytes that are no UTF-8 (Python hands them over as
lone surrogates) and control characters. No report, workbook or terminal can carry them,
and the readers cannot open a path that holds them. Wherever a name comes from (the
inputs folder, the output folder's archive, the returned underlag, the command line), it
is shown escaped, and the file is refused with a message, never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from budget.cli import cli
from budget.core.names import printable, unshowable
from tests.conftest import Folder, collection_folder, sent_book
from tests.test_reported import T1, _ledger_2016

NO_UTF8 = "\udcff"  # the byte 0xff of a file name, as Python decodes it
NAMES = [f"utfall-2016{NO_UTF8}.xlsx", "utfall-2016\x02.xlsx"]


ODD = st.sampled_from([NO_UTF8, "\udc80", "\ud800", "\x00", "\x02", "\x1f", "\x7f", "\n"])


@given(st.text(alphabet=st.one_of(st.characters(), ODD)))
def test_a_printable_name_can_be_written_anywhere(name: str) -> None:
    shown = printable(name)
    shown.encode("utf-8")  # no lone surrogate
    assert not unshowable(shown)
    assert (shown == name) is not unshowable(name)


def test_names_are_escaped_as_a_controller_can_read_them() -> None:
    assert printable(f"utfall-{NO_UTF8}.xlsx") == "utfall-\\xff.xlsx"
    assert printable("budget\x02.xlsx") == "budget\\x02.xlsx"
    assert printable("förändringar.xlsx") == "förändringar.xlsx"


@pytest.mark.parametrize("name", NAMES)
def test_an_input_file_with_such_a_name_is_an_input_error(
    folder: Folder, tmp_path: Path, name: str
) -> None:
    _ledger_2016(folder)
    (folder.path / "utfall-2016.xlsx").rename(folder.path / name)
    result = CliRunner().invoke(cli, ["report", str(folder.path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1, result.output
    assert f"fel E020: {printable(name)}" in result.output
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("name", [f"a{NO_UTF8}-2016-T1.json", "a\x02-2016-T1.json"])
def test_an_archive_with_such_a_name_is_named_and_passed_over(
    folder: Folder, tmp_path: Path, name: str
) -> None:
    _ledger_2016(folder)
    out = tmp_path / "out"
    out.mkdir()
    (out / name).write_text(json.dumps(T1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", str(folder.path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "testnamnd-2017-T1.json").read_text(encoding="utf-8"))
    (warned,) = [w for w in data["warnings"] if w["code"] == "W322"]
    assert warned["file"] == printable(name)
    assert data["reported_accuracy"] is None


def test_a_returned_underlag_with_such_a_name_is_named_and_the_unit_missing(
    tmp_path: Path,
) -> None:
    folder = collection_folder(tmp_path / "testnamnd-2017").path
    sent, back = tmp_path / "skickat", tmp_path / "inlamnat"
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["underlag", str(folder), "--period", "4", "--out", str(sent)]).exit_code
        == 0
    )
    back.mkdir()
    shutil.copy(sent_book(sent, "A1"), back / f"A1-T1{NO_UTF8}.xlsx")
    shutil.copy(sent_book(sent, "B1"), back / "B1-T1.xlsx")
    args = ["samla", str(folder), str(back), "--period", "4", "--underlag", str(sent)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "varning W322: A1-T1\\xff.xlsx" in result.output
    assert "1 av 4 enheter har lämnat in" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["validate", f"mapp{NO_UTF8}"],
        ["report", "mapp\x01"],
        ["sie", f"utfall{NO_UTF8}.se"],
    ],
)
def test_a_path_with_such_a_name_on_the_command_line_is_a_usage_error(
    tmp_path: Path, args: list[str]
) -> None:
    command, name = args
    target = tmp_path / name
    if command == "sie":
        target.write_text("#FLAGGA 0\n", encoding="utf-8")
    else:
        target.mkdir()
    result = CliRunner().invoke(cli, [command, str(target)])
    assert result.exit_code == 2, result.output
    assert "tecken som inte är UTF-8" in result.output
    assert printable(name) in result.output


# Windows' reserved device names; a name whose part before the first dot is one of them
# cannot be created there.
RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(10)),
    *(f"LPT{i}" for i in range(10)),
}
HOSTILE = st.sampled_from(
    [
        "CON",
        "prn",
        "a/b",
        "a\\b",
        "..",
        ".",
        " ",
        "x:y",
        '"',
        "<>|?*",
        "🙂",
        "\u0301",
        "e\u0301",
        "Förskola",
        "FÖRSKOLA",
        "a" * 300,
        "ä" * 300,
        "\u4e00" * 200,
        NO_UTF8,
        "\x00",
        "_",
    ]
)


@given(
    st.lists(
        st.tuples(st.one_of(st.text(), HOSTILE), st.one_of(st.none(), st.text(), HOSTILE)),
        unique_by=lambda u: u[0],
        max_size=12,
    ),
    st.sampled_from(["T1", "T2", "helar", "05"]),
)
def test_underlag_file_names_are_safe_bounded_and_unique(
    units: list[tuple[str, str | None]], suffix: str
) -> None:
    """Whatever the codes and names in struktur.xlsx, every file system takes the name,
    the same units give the same names, and no two units share a name, even where a
    file system folds case or Unicode normalisation."""
    import unicodedata

    from budget.core.names import file_key, underlag_file_names

    names = underlag_file_names(units, suffix)
    assert names == underlag_file_names(units, suffix)
    assert set(names) == {a for a, _ in units}
    assert len({file_key(n) for n in names.values()}) == len(units)
    for name in names.values():
        assert len(name.encode("utf-8")) <= 200
        assert not set(name) & set('<>:"/\\|?*')
        assert name.isprintable()
        assert name == unicodedata.normalize("NFC", name)
        assert name.split(".")[0].upper() not in RESERVED
        assert not name.startswith(("-", ".", " "))
        assert name.endswith(f"-{suffix}.xlsx")
        assert not unshowable(name)


def test_underlag_file_names_carry_code_and_unit() -> None:
    from budget.core.names import underlag_file_names

    names = underlag_file_names(
        [
            ("10101", "Förskolan Ek"),
            ("10102", "Förskolan Ek"),
            ("CON", None),
            ("a/1", "x"),
            ("a:1", "x"),
        ],
        "T2",
    )
    assert names["10101"] == "10101-Förskolan-Ek-T2.xlsx"
    assert names["10102"] == "10102-Förskolan-Ek-T2.xlsx"  # same name, the code tells apart
    assert names["CON"] == "CON-T2.xlsx"
    assert names["a/1"] == "a-1-x-T2.xlsx"
    assert names["a:1"].startswith("a-1-x-")
    assert names["a:1"] != names["a/1"]
