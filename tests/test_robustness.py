"""No input ever ends in a traceback; workbooks saved by LibreOffice read like the originals."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from budget.cli import cli
from budget.edge import readers
from tests.conftest import DEMO, soffice_convert, write_xlsx

SMALL_FILES = [
    "namnd.toml",
    "struktur.xlsx",
    "budget.xlsx",
    "forandringar.xlsx",
    "prognos.xlsx",
    "mal.xlsx",
    "volymer.xlsx",
]
LEDGER_ROWS = 400


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo inputs with shortened ledgers (the first rows of 2016 and 2017)."""
    folder = tmp_path_factory.mktemp("demo") / "skarholmen-2017"
    folder.mkdir()
    for name in SMALL_FILES:
        shutil.copy(DEMO / name, folder / name)
    for year in (2016, 2017):
        wb = load_workbook(DEMO / f"utfall-{year}.xlsx", read_only=True)
        ws = wb["Huvudbok"]
        rows = [list(r) for r in ws.iter_rows(values_only=True, max_row=LEDGER_ROWS)]
        write_xlsx(folder / f"utfall-{year}.xlsx", {"Huvudbok": rows})
    return folder


WORKBOOKS = [
    "struktur.xlsx",
    "budget.xlsx",
    "forandringar.xlsx",
    "prognos.xlsx",
    "mal.xlsx",
    "volymer.xlsx",
    "utfall-2017.xlsx",
    "utfall-2016.xlsx",
]
values = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(
        [
            "abc",
            "1 234,5,6",
            "(100)",
            "−0",
            "9" * 40,
            "=1/0",
            "#REF!",
            "0412",
            "Summa",
            "Totalt",
            "Uppfylls kanske",
            "Omslutning",
            "13",
            "201613",
            "",
            "   ",
            "Ej fördelat",
            "<script>alert(1)</script>",
            "1e308",
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=False),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
)
mutation = st.tuples(st.sampled_from(WORKBOOKS), st.integers(1, 60), st.integers(1, 12), values)


def mutate(folder: Path, changes: list[tuple[str, int, int, Any]]) -> None:
    by_file: dict[str, list[tuple[int, int, Any]]] = {}
    for name, row, col, value in changes:
        by_file.setdefault(name, []).append((row, col, value))
    for name, cells in by_file.items():
        wb = load_workbook(folder / name)
        ws = wb.worksheets[cells[0][0] % len(wb.worksheets)]
        for row, col, value in cells:
            if isinstance(value, str):
                value = "".join(ch for ch in value if ch.isprintable())
            ws.cell(row=row, column=col).value = value
        wb.save(folder / name)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(mutation, min_size=1, max_size=6))
def test_mutated_demo_never_ends_in_a_traceback(
    template: Path, tmp_path_factory: Any, changes: list[tuple[str, int, int, Any]]
) -> None:
    folder = tmp_path_factory.mktemp("mut") / "skarholmen-2017"
    shutil.copytree(template, folder)
    mutate(folder, changes)
    runner = CliRunner()
    for args in (
        ["validate", str(folder)],
        [
            "report",
            str(folder),
            "--out",
            str(folder.parent / "out"),
            "--generated-at",
            "2017-09-12T10:00",
        ],
    ):
        result = runner.invoke(cli, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"{args[0]} crashed on {changes}: {result.exception!r}"
        )
        assert result.exit_code in (0, 1), result.output
        if result.exit_code == 1:
            assert "fel E" in result.output


def frames_equal(a: readers.Read, b: readers.Read) -> None:
    assert [d.code for d in a.diagnostics] == [d.code for d in b.diagnostics]
    left = a.frame.drop("file", strict=False)
    right = b.frame.drop("file", strict=False)
    assert left.equals(right), (left.head(), right.head())


@pytest.mark.libreoffice
def test_libreoffice_saved_workbooks_read_like_the_originals(
    template: Path, tmp_path: Path
) -> None:
    pairs = [
        ("budget.xlsx", readers.read_budget),
        ("struktur.xlsx", readers.read_structure),
        ("utfall-2017.xlsx", readers.read_ledger),
        ("forandringar.xlsx", readers.read_changes),
        ("mal.xlsx", readers.read_indicators),
    ]
    for name, reader in pairs:
        original = template / name
        for fmt in ("xlsx", "ods", "xls"):
            outdir = tmp_path / fmt
            outdir.mkdir(exist_ok=True)
            saved = soffice_convert(original, fmt, outdir)
            frames_equal(reader(original, name), reader(saved, name))


@pytest.mark.libreoffice
def test_a_folder_saved_by_libreoffice_gives_the_same_report(
    template: Path, tmp_path: Path
) -> None:
    lo = tmp_path / "lo" / "skarholmen-2017"
    lo.mkdir(parents=True)
    shutil.copy(template / "namnd.toml", lo)
    for name in WORKBOOKS:
        soffice_convert(template / name, "xlsx", lo)
    runner = CliRunner()
    outs = []
    for folder in (template, lo):
        out = tmp_path / f"out-{len(outs)}"
        result = runner.invoke(
            cli, ["report", str(folder), "--out", str(out), "--generated-at", "2017-09-12T10:00"]
        )
        assert result.exit_code == 0, result.output
        outs.append(out)
    import json

    a = json.loads((outs[0] / "skarholmen-2017-T2.json").read_text(encoding="utf-8"))
    b = json.loads((outs[1] / "skarholmen-2017-T2.json").read_text(encoding="utf-8"))
    for data in (a, b):
        data.pop("inputs")
    assert a == b


def _without_read_override() -> list[str]:
    """A prefix that makes permission bits apply: root reads anything unless it drops
    CAP_DAC_OVERRIDE (setpriv, from util-linux); other users need none."""
    import os

    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("setpriv is missing: root cannot be kept from reading a file")
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]


@pytest.mark.parametrize(
    "name", ["namnd.toml", "budget.xlsx", "utfall-2017.xlsx", "forandringar.xlsx", "prev.json"]
)
def test_a_file_without_read_permission_is_an_input_error(tmp_path: Path, name: str) -> None:
    import subprocess
    import sys

    from tests.conftest import Folder

    folder = Folder(tmp_path / "testnamnd-2017")
    folder.changes([["Budgetjustering", "Begärd", "Förskola", 1000, 0, "Hyra", None, None]])
    previous = folder.path / "prev.json"
    previous.write_text("{}", encoding="utf-8")
    (folder.path / name).chmod(0)
    tmp_path.chmod(0o755)
    result = subprocess.run(
        [
            *_without_read_override(),
            sys.executable,
            "-c",
            "from budget.cli import main; main()",
            "report",
            str(folder.path),
            "--out",
            str(tmp_path / "out"),
            "--previous",
            str(previous),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "BUDGET_NO_CACHE": "1"},
    )
    assert result.returncode == 1, result.stderr
    assert f"fel E015: {name}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_inputs_folder_without_read_permission_is_an_input_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import Folder

    folder = Folder(tmp_path / "testnamnd-2017")
    folder.path.chmod(0o311)  # can be entered, not listed
    tmp_path.chmod(0o755)
    try:
        result = subprocess.run(
            [
                *_without_read_override(),
                sys.executable,
                "-c",
                "from budget.cli import main; main()",
                "validate",
                str(folder.path),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        folder.path.chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert "fel E015: testnamnd-2017: mappen kan inte läsas" in result.stderr
