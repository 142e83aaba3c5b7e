"""budget init: a starter inputs folder that the toolkit's own readers accept as it is."""

from __future__ import annotations

import io
import re
import tomllib
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from budget.app.init import init, settings_text, workbooks
from budget.edge.config import read_settings
from budget.edge.inputs import load
from budget.edge.sheets import SHEETS
from tests.test_cli import run

STAMP = datetime(2027, 1, 2, 8, 0)


def test_every_sheet_of_the_contract_gets_its_headers_and_instructions() -> None:
    files = workbooks(2027, STAMP)
    assert set(files) == {
        "utfall-2027.xlsx",
        "budget.xlsx",
        "struktur.xlsx",
        "forandringar.xlsx",
        "prognos.xlsx",
        "mal.xlsx",
        "volymer.xlsx",
        "investeringar.xlsx",
        "atgarder.xlsx",
    }
    for spec in SHEETS:
        name = "utfall-2027.xlsx" if spec.stem.startswith("utfall") else f"{spec.stem}.xlsx"
        book = load_workbook(io.BytesIO(files[name]))
        assert book.sheetnames[-1] == "Instruktioner"
        header = next(book[spec.sheet].iter_rows(values_only=True))
        assert list(header) == [f.header for f in spec.fields]
        described = {row[0] for row in book["Instruktioner"].iter_rows(values_only=True) if row[0]}
        assert {f.header for f in spec.fields} <= described, spec.sheet


def test_the_starter_folder_reads_without_a_problem_but_the_missing_ledger(
    tmp_path: Path,
) -> None:
    started = init(tmp_path / "ny", "Testnämnden", 2027, "tkr", STAMP)
    assert len(started.paths) == 10
    inputs = load(tmp_path / "ny")
    assert inputs.diagnostics == []
    assert inputs.settings is not None
    assert (inputs.settings.namnd, inputs.settings.year, inputs.settings.unit) == (
        "Testnämnden",
        2027,
        "tkr",
    )
    result = run("validate", str(tmp_path / "ny"))
    assert result.returncode == 1
    said = [line for line in result.stderr.splitlines() if line.startswith("fel ")]
    assert said
    assert len(said) <= 4, result.stderr


def test_the_same_options_give_the_same_bytes(tmp_path: Path) -> None:
    a = init(tmp_path / "a", "Nämnd", 2027, "mnkr", STAMP)
    b = init(tmp_path / "b", "Nämnd", 2027, "mnkr", STAMP)
    assert [p.read_bytes() for p in a.paths] == [p.read_bytes() for p in b.paths]


def test_a_folder_with_anything_in_it_is_never_written_into(tmp_path: Path) -> None:
    folder = tmp_path / "befintlig"
    folder.mkdir()
    (folder / "budget.xlsx").write_bytes(b"mine")
    result = run("init", str(folder), "--namnd", "X", "--ar", "2027")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0].startswith("Fel användning: ogiltigt värde för MAPP:")
    assert [p.name for p in folder.iterdir()] == ["budget.xlsx"]
    assert (folder / "budget.xlsx").read_bytes() == b"mine"
    empty = tmp_path / "tom"
    empty.mkdir()
    assert run("init", str(empty), "--namnd", "X", "--ar", "2027").returncode == 0


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--namnd", " ", "--ar", "2027"], "--namnd ' ': ange nämndens namn"),
        (["--namnd", "X", "--ar", "1200"], "--ar 1200: ange ett årtal mellan 1990 och 2100"),
        (["--namnd", "X", "--ar", "tjugo"], "ogiltigt värde för --ar: 'tjugo' är inget årtal"),
        (["--namnd", "X", "--ar", "2027", "--enhet", "kr"], "--enhet 'kr': ange mnkr eller tkr"),
    ],
)
def test_bad_options_are_named_and_nothing_is_written(
    tmp_path: Path, args: list[str], said: str
) -> None:
    result = run("init", str(tmp_path / "ny"), *args)
    assert result.returncode == 2
    assert said in result.stderr.splitlines()[0]
    assert not (tmp_path / "ny").exists()


@given(st.text(st.characters(min_codepoint=32, blacklist_categories=("Cs",)), min_size=1))
def test_any_name_is_written_as_toml_text_and_read_back(name: str) -> None:
    """Quotes, backslashes, "=cmd|…" or a comment sign in the name stay the name."""
    text = settings_text(name, 2027, "mnkr")
    assert tomllib.loads(text)["namnd"] == name


def test_the_commented_settings_are_what_the_reader_accepts(tmp_path: Path) -> None:
    (tmp_path / "ny").mkdir()
    path = tmp_path / "ny" / "namnd.toml"
    path.write_text(settings_text("Skärholmens stadsdelsnämnd", 2027, "mnkr"), encoding="utf-8")
    settings, problems = read_settings(path, "namnd.toml")
    assert problems == []
    assert settings is not None
    # Every commented example line, uncommented, is accepted too.
    lines = path.read_text(encoding="utf-8").splitlines()
    example = re.compile(r'^# ("[^"]+"|[A-Za-z_]+) = |^# \[[a-z]+\]')
    examples = [line[2:] if example.match(line) else line for line in lines]
    assert len([line for line in lines if example.match(line)]) >= 15
    (tmp_path / "arkiv").mkdir()  # arkiv = "../arkiv", beside the inputs folder
    path.write_text("\n".join(examples) + "\n", encoding="utf-8")
    settings, problems = read_settings(path, "namnd.toml")
    assert problems == [], problems
