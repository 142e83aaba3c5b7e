"""Shared fixtures: workbook factories in the controllers' own notation, with the headers
of the sheet specs (budget.edge.sheets)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from openpyxl import Workbook

from budget.edge.sheets import BUDGET, CHANGES, FORECASTS, LEDGER, MEASURES, STRUCTURE

# No test may depend on the machine's speed (issue 25): hypothesis' default deadline of
# 200 ms per example fails on a busy machine, so every property test runs without one. A
# test's own @settings(...) inherits this profile; none may set a deadline of its own
# (tests/test_robustness.py holds that).
settings.register_profile("budget", deadline=None)
settings.load_profile("budget")

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "inputs" / "skarholmen-2017"
# The demo's earlier reports (namnd.toml: arkiv = "../arkiv").
ARCHIVE = ROOT / "inputs" / "arkiv"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# No test times anything: hypothesis' 200 ms deadline fails on a busy machine (a shared
# 2-core box failed test_cells at 251 ms), so every property test runs without one.
settings.register_profile("budget", deadline=None)
settings.load_profile("budget")


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    """Write rows as they stand (text stays text, even '=1+1'), one sheet per key."""
    wb = Workbook()
    first = True
    for name, rows in sheets.items():
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        ws.title = name
        first = False
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
    wb.save(path)
    return path


LEDGER_HEADER = LEDGER.header()


def ledger_rows(months: int = 4) -> list[list[Any]]:
    """The small folder's ledger (``Folder``): four rows a month, January to April (or to
    ``months``; the corpus's cases use it too)."""
    rows: list[list[Any]] = []
    for m in range(1, months + 1):
        rows += [
            [2017, m, "A1", "100", "5010", 100_000],
            [2017, m, "A1", "100", "3410", -10_000],
            [2017, m, "B1", "200", "5010", 50_000],
            [2017, m, "B2", "201", "4610", 20_000],
        ]
    return rows


class Folder:
    """A small valid inputs folder that a test can change file by file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.settings(methods={"standard": "linjar"})
        self.structure(
            [
                ["100", "Förskola", None],
                ["200", "Äldreomsorg", "Hemtjänst egen regi"],
                ["201", "Äldreomsorg", "Hemtjänst externa utförare"],
            ]
        )
        self.budget(
            [
                [2017, "100", "5010", 1_200_000],
                [2017, "100", "3410", -120_000],
                [2017, "200", "5010", 600_000],
                [2017, "201", "4610", 240_000],
            ]
        )
        self.ledger(ledger_rows())

    def settings(
        self,
        methods: dict[str, str],
        year: int = 2017,
        unit: str = "mnkr",
        namnd: str = "Testnämnden",
    ) -> None:
        lines = [f'namnd = "{namnd}"', f"ar = {year}", f'enhet = "{unit}"', "[prognos]"]
        lines += [f'"{k}" = "{v}"' for k, v in methods.items()]
        (self.path / "namnd.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def structure(self, rows: list[list[Any]]) -> None:
        write_xlsx(
            self.path / "struktur.xlsx",
            {"Verksamheter": [STRUCTURE.header("Delområde"), *rows]},
        )

    def budget(
        self, rows: list[list[Any]], extra: dict[str, list[list[Any]]] | None = None
    ) -> None:
        sheets: dict[str, Sequence[Sequence[Any]]] = {"Budget": [BUDGET.header(), *rows]}
        sheets.update(extra or {})
        write_xlsx(self.path / "budget.xlsx", sheets)

    def ledger(
        self,
        rows: list[list[Any]],
        name: str = "utfall-2017.xlsx",
        header: list[str] | None = None,
        titles: list[list[Any]] | None = None,
    ) -> None:
        write_xlsx(
            self.path / name, {"Huvudbok": [*(titles or []), header or LEDGER_HEADER, *rows]}
        )

    def changes(self, rows: list[list[Any]]) -> None:
        header = CHANGES.header("Status", "Finansiär", "Diarienummer")
        write_xlsx(self.path / "forandringar.xlsx", {"Förändringar": [header, *rows]})

    def forecasts(self, rows: list[list[Any]]) -> None:
        header = FORECASTS.header("Delområde", "Kommentar", "Lämnad av")
        write_xlsx(self.path / "prognos.xlsx", {"Prognos": [header, *rows]})

    def measures(self, rows: list[list[Any]]) -> None:
        """atgarder.xlsx: Verksamhetsområde, Delområde, Åtgärd, Effekt, Status, Ingår i
        prognosen, Ansvarig, Beslut."""
        header = MEASURES.header("Delområde", "Ansvarig", "Beslut")
        write_xlsx(self.path / "atgarder.xlsx", {"Åtgärder": [header, *rows]})


@pytest.fixture
def folder(tmp_path: Path) -> Folder:
    return Folder(tmp_path / "testnamnd-2017")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own (not yet created), the cache on."""
    where = tmp_path / "cache"
    monkeypatch.setenv("BUDGET_CACHE_DIR", str(where))
    monkeypatch.delenv("BUDGET_NO_CACHE", raising=False)
    return where


@pytest.fixture
def render_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Word file rendered in the test's process, not by the render helper."""
    monkeypatch.setenv("BUDGET_RENDER_PROCESS", "0")


def report_files(folder: Folder, out: Path) -> dict[str, bytes]:
    """``budget report`` of ``folder`` into ``out`` (done, no traceback): its files' bytes."""
    from click.testing import CliRunner

    from budget.cli import cli

    stamp = ["--generated-at", "2017-09-12T10:00"]
    result = CliRunner().invoke(cli, ["report", str(folder.path), "--out", str(out), *stamp])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def uncached_files(folder: Folder, out: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """``report_files`` with the cache off."""
    with monkeypatch.context() as m:
        m.setenv("BUDGET_NO_CACHE", "1")
        return report_files(folder, out)


def copy_demo(target: Path) -> Path:
    """The demo inputs folder copied to ``target``, with its archive of earlier reports
    beside it, where its namnd.toml looks (``../arkiv``)."""
    shutil.copytree(DEMO, target)
    shutil.copytree(ARCHIVE, target.parent / "arkiv", dirs_exist_ok=True)
    return target


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "skarholmen-2017")


def need(tool: str) -> str:
    """Path of a system tool; in CI a missing tool fails the test instead of skipping it."""
    found = shutil.which(tool)
    if found:
        return found
    if IN_CI:
        pytest.fail(f"{tool} is missing in CI: .ci/run must install it")
    pytest.skip(f"{tool} is not installed (apt-get install it, or run .ci/run)")
    raise AssertionError  # unreachable


def soffice_convert(src: Path, fmt: str, outdir: Path) -> Path:
    exe = need("soffice")
    profile = outdir / "lo-profile"
    subprocess.run(
        [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    out = outdir / f"{src.stem}.{fmt.split(':')[0]}"
    assert out.exists(), f"LibreOffice wrote no {out.name}"
    return out


SLOW = ROOT / "tests" / "slow.txt"


def slow_tests() -> set[str]:
    """The node ids tests/slow.txt lists."""
    lines = SLOW.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def _shares_a_module_fixture(item: pytest.Item) -> bool:
    """Whether the test uses a fixture its module builds once for all its tests (a whole
    report, the demo's files): run alone, as mutmut runs a mutant's tests, it pays for all of
    it, which the durations tests/slow.txt is measured from give to the module's first test."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(
        definition.scope in ("module", "package", "session") and definition.baseid.endswith(".py")
        for definitions in info.name2fixturedefs.values()
        for definition in definitions
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the end-to-end tests `slow` (before `-m` deselects): those tests/slow.txt lists
    and those that share a fixture their module builds once."""
    slow = slow_tests()
    for item in items:
        if item.nodeid in slow or _shares_a_module_fixture(item):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never touch the user's cache of parsed workbooks."""
    os.environ["BUDGET_CACHE_DIR"] = str(tmp_path_factory.mktemp("budget-cache"))


def sent_book(sent: Path, ansvar: str) -> Path:
    """The workbook underlag wrote to ``sent`` for ``ansvar``, by what utskick.json says
    (its name carries the unit's name as well as the code)."""
    import json

    record = json.loads((sent / "utskick.json").read_text(encoding="utf-8"))
    books = [b["file"] for b in record["workbooks"] if b["ansvar"] == ansvar]
    assert len(books) == 1, f"{ansvar}: {books}"
    return sent / books[0]


def collection_folder(path: Path) -> Folder:
    """The small folder with units (sheet Ansvar, with Chef) and a budget per ansvar: what
    budget underlag and budget samla need. The returned corpus is written from it."""
    from budget.edge.sheets import RESPONSIBILITIES

    folder = Folder(path)
    write_xlsx(
        path / "struktur.xlsx",
        {
            "Verksamheter": [
                STRUCTURE.header("Delområde"),
                ["100", "Förskola", None],
                ["200", "Äldreomsorg", "Hemtjänst egen regi"],
                ["201", "Äldreomsorg", "Hemtjänst externa utförare"],
            ],
            "Ansvar": [
                RESPONSIBILITIES.header("Enhet", "Chef"),
                ["A1", "Förskolan Ek", "Anna Berg"],
                ["B1", "Hemtjänsten Sätra", "Omar Ali"],
                ["B2", "Hemtjänst, köpt", "Lena Holm"],
                ["C1", "Förskolan Lönn", "Per Lund"],
            ],
        },
    )
    write_xlsx(
        path / "budget.xlsx",
        {
            "Budget": [
                BUDGET.header("Ansvar"),
                [2017, "100", "5010", 1_200_000, "A1"],
                [2017, "100", "3410", -120_000, "A1"],
                [2017, "200", "5010", 600_000, "B1"],
                [2017, "201", "4610", 240_000, "B2"],
            ]
        },
    )
    return folder


def report_json(folder: Path, tmp_path: Path) -> tuple[dict[str, Any], Path]:
    """``budget report`` on ``folder`` (must succeed): its JSON and the output folder."""
    import json

    from click.testing import CliRunner

    from budget.cli import cli

    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["report", str(folder), "--out", str(out), "--generated-at", "2017-05-10T09:00"]
    )
    assert result.exit_code == 0, result.output
    written = next(out.glob(f"{folder.name}-*.json"))  # not an archived report beside it
    return json.loads(written.read_text(encoding="utf-8")), out
