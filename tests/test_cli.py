"""The command line: exit codes, the first line of each error, nothing written on errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from budget.cli import cli
from tests.conftest import Folder, sent_book, write_xlsx

STAMP = ["--generated-at", "2017-09-12T10:00"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point, as a controller would."""
    return subprocess.run(
        [sys.executable, "-c", "from budget.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_report_writes_its_files(folder: Folder, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["report", str(folder.path), "--out", str(out), *STAMP])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "testnamnd-2017-T1-begaran.xlsx",
        "testnamnd-2017-T1.docx",
        "testnamnd-2017-T1.html",
        "testnamnd-2017-T1.json",
        "testnamnd-2017-T1.xlsx",
    ]
    data = json.loads((out / "testnamnd-2017-T1.json").read_text(encoding="utf-8"))
    assert data["schema"] == "budget-report/1"
    assert data["period"] == 4
    assert data["tertial"] == "T1"


@pytest.mark.parametrize(
    ("args", "suffix", "period"), [(["--period", "3"], "03", 3), (["--tertial", "t1"], "T1", 4)]
)
def test_period_choice_names_the_files(
    folder: Folder, tmp_path: Path, args: list[str], suffix: str, period: int
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["report", str(folder.path), "--out", str(out), *args, *STAMP])
    assert result.exit_code == 0, result.output
    data = json.loads((out / f"testnamnd-2017-{suffix}.json").read_text(encoding="utf-8"))
    assert data["period"] == period


def test_usage_errors_exit_two(folder: Folder) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["report", str(folder.path), "--period", "13"]).exit_code == 2
    assert (
        runner.invoke(
            cli, ["report", str(folder.path), "--period", "3", "--tertial", "T1"]
        ).exit_code
        == 2
    )
    assert runner.invoke(cli, ["report", str(folder.path), "--tertial", "T9"]).exit_code == 2
    assert runner.invoke(cli, ["report", "/no/such/folder"]).exit_code == 2
    assert runner.invoke(cli, ["bogus"]).exit_code == 2


def test_period_beyond_the_ledger_is_an_input_error(folder: Folder, tmp_path: Path) -> None:
    result = run("report", str(folder.path), "--tertial", "T2", "--out", str(tmp_path / "o"))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith("fel E210: perioden 8 är begärd")


def test_bad_input_writes_nothing_and_keeps_the_previous_report(
    folder: Folder, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = run("report", str(folder.path), "--out", str(out), *STAMP)
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    folder.ledger([[2017, 1, "A1", "100", "5010", "12,3,4"], [2017, 4, "A1", "100", "5010", 100]])
    second = run("report", str(folder.path), "--out", str(out), *STAMP)
    assert second.returncode == 1
    lines = second.stderr.splitlines()
    assert lines[0] == (
        "fel E101: utfall-2017.xlsx › Huvudbok › F2: värdet är inte ett belopp "
        "(kolumn Belopp, värde '12,3,4', förväntat ett tal, t.ex. 1 234,50). "
        "Skriv ett tal, t.ex. 1234,50 eller -1234. Parenteser för minus godtas "
        "inte."
    )
    assert lines[-1] == "Fel i indata: 1 fel. Ingen rapport skrevs."
    assert "Traceback" not in second.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_not_a_workbook_is_a_clear_error(folder: Folder, tmp_path: Path) -> None:
    (folder.path / "budget.xlsx").write_text("<!DOCTYPE html><html>404 Not Found</html>")
    result = run("validate", str(folder.path))
    assert result.returncode == 1
    assert "fel E002: budget.xlsx: filen är en webbsida (HTML), inte en arbetsbok" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_required_file(folder: Folder) -> None:
    (folder.path / "struktur.xlsx").unlink()
    result = run("validate", str(folder.path))
    assert result.returncode == 1
    assert "fel E001" in result.stderr
    assert "struktur.xlsx saknas" in result.stderr


def test_toml_syntax_error_names_the_line(folder: Folder) -> None:
    (folder.path / "namnd.toml").write_text('namnd = "X"\nar = 2017\nenhet = mnkr\n')
    result = run("validate", str(folder.path))
    assert result.returncode == 1
    assert result.stderr.startswith("fel E010: namnd.toml › rad 3: syntaxfel")


def test_validate_json_summarises_files_and_reconciliation(folder: Folder) -> None:
    write_xlsx(
        folder.path / "utfall-2017.xlsx",
        {
            "Huvudbok": [
                ["Huvudbok 2017"],
                ["År", "Period", "Ansvar", "Verksamhet", "Konto", "Belopp"],
                [2017, 1, "A", "100", "5010", 10],
                [None],
                [2017, 2, "A", "999", "5010", 5],
                [2017, 2, "A", "100", "1930", 7],
                ["Summa", None, None, None, None, 22],
            ]
        },
    )
    result = run("validate", str(folder.path), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    ledger = next(f for f in data["files"] if f["file"] == "utfall-2017.xlsx")
    assert (ledger["rows"], ledger["blank_rows_skipped"], ledger["total_rows_skipped"]) == (3, 1, 1)
    rec = data["reconciliation"]
    assert (rec["ledger_sum"], rec["reported_sum"], rec["excluded_sum"], rec["unmapped_sum"]) == (
        22.0,
        15.0,
        7.0,
        5.0,
    )
    assert {d["code"] for d in data["diagnostics"]} >= {"W301", "W307"}


def test_every_command_has_swedish_help() -> None:
    runner = CliRunner()
    for command in cli.commands.values():
        assert command.help, f"{command.name} has no help text"
        result = runner.invoke(cli, [command.name or "", "--help"])
        assert result.exit_code == 0
        for param in command.params:
            if param.param_type_name == "option":
                assert getattr(param, "help", None), f"{command.name} {param.name} lacks help"


def test_an_unwritable_output_folder_is_a_clear_usage_error(folder: Folder, tmp_path: Path) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    result = run("report", str(folder.path), "--out", str(blocker))
    assert result.returncode == 2
    assert "Fel användning: ogiltigt värde för --out:" in result.stderr
    nested = run("report", str(folder.path), "--out", str(blocker / "under"))
    assert nested.returncode == 2
    assert "Traceback" not in nested.stderr


def test_help_is_swedish_throughout() -> None:
    """Every command's help, click's own parts too: headings, [krävs], ranges in Swedish."""
    helps = [["--help"], ["validate", "-h"], *([name, "--help"] for name in cli.commands)]
    for args in helps:
        result = run(*args)
        assert result.returncode == 0
        assert result.stdout.startswith("Användning: budget")
        for english in (
            "Usage:",
            "Options:",
            "Commands:",
            "Show this message",
            "[default:",
            "required",
            "<=",
            "000000",
        ):
            assert english not in result.stdout, (args, english)
        assert "Flaggor:" in result.stdout


def test_validate_json_gives_the_time_per_stage_and_per_file(folder: Folder) -> None:
    result = CliRunner().invoke(cli, ["validate", str(folder.path), "--json"])
    timings = json.loads(result.output)["timings"]
    assert set(timings["stages"]) == {"read", "check", "compute"}
    assert set(timings["files"]) >= {"utfall-2017.xlsx", "budget.xlsx", "struktur.xlsx"}
    assert all(v >= 0 for v in [*timings["stages"].values(), *timings["files"].values()])


def test_steps_are_timed_by_the_injected_clock() -> None:
    from budget.core.steps import Steps

    ticks = iter([0.0, 1.5, 2.0, 2.25, 10.0, 10.5])
    heard = []
    steps = Steps(clock=lambda: next(ticks), listener=lambda *e: heard.append(e))
    with steps.stage("read"):
        pass
    with steps.file("utfall.xlsx"):
        pass
    with steps.file("utfall.xlsx"):
        pass
    assert steps.as_dict() == {"stages": {"read": 1.5}, "files": {"utfall.xlsx": 0.75}}
    assert heard[:2] == [("start", "stage", "read"), ("end", "stage", "read")]


@pytest.mark.parametrize(
    ("terminal", "flags", "shown"),
    [(True, [], True), (True, ["--quiet"], False), (True, ["-q"], False), (False, [], False)],
)
def test_progress_shows_on_a_terminal_unless_quiet(
    folder: Folder,
    monkeypatch: pytest.MonkeyPatch,
    terminal: bool,
    flags: list[str],
    shown: bool,
) -> None:
    import io

    from rich.console import Console

    from budget import cli as cli_mod

    screen = io.StringIO()
    monkeypatch.setattr(cli_mod, "err", Console(file=screen, force_terminal=terminal, width=100))
    result = CliRunner().invoke(cli, ["validate", str(folder.path), *flags])
    assert result.exit_code == 0, result.output
    assert ("Läser indata" in screen.getvalue()) is shown
    assert ("läser utfall-2017.xlsx" in screen.getvalue()) is shown


@pytest.mark.parametrize("terminal", [True, False])
def test_progress_of_underlag_samla_and_sie(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    """The other commands that read a whole inputs folder, or a SIE file, say what runs."""
    import io
    import shutil

    from rich.console import Console

    from budget import cli as cli_mod
    from tests.conftest import collection_folder
    from tests.corpus.make_corpus import SIE_HEAD, sie_voucher

    screen = io.StringIO()
    monkeypatch.setattr(cli_mod, "err", Console(file=screen, force_terminal=terminal, width=100))
    folder = collection_folder(tmp_path / "testnamnd-2017").path
    sent, back = tmp_path / "skickat", tmp_path / "inlamnat"

    def run(args: list[str], *said: str) -> None:
        screen.seek(0)
        screen.truncate()
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        for text in said:
            assert (text in screen.getvalue()) is terminal, (text, screen.getvalue())

    run(
        ["underlag", str(folder), "--period", "4", "--out", str(sent)],
        "Läser indata",
        "Skriver arbetsböckerna",
    )
    back.mkdir()
    shutil.copy(sent_book(sent, "A1"), back / "A1-T1.xlsx")
    run(
        ["samla", str(folder), str(back), "--period", "4", "--underlag", str(sent)],
        "Läser de inlämnade underlagen",
        "läser A1-T1.xlsx",
        "Skriver prognos.xlsx",
    )
    sie = tmp_path / "utfall.se"
    sie.write_bytes(
        (SIE_HEAD + sie_voucher([("5010", "100.00"), ("2440", "-100.00")])).encode("cp437")
    )
    run(["sie", str(sie), "--out", str(tmp_path / "sie")], "Läser SIE-filen", "Skriver arbetsboken")


ENGLISH = (
    "Error",
    "Usage",
    "Did you mean",
    "No such",
    "Missing",
    "Invalid",
    "Got unexpected",
    "requires",
    "does not exist",
    "Try '",
    "Show this",
)


@pytest.mark.parametrize(
    ("args", "first", "hint"),
    [
        (["reprot"], "Fel användning: okänt kommando 'reprot'. Menade du 'report'?", "budget"),
        (["underlg"], "Fel användning: okänt kommando 'underlg'. Menade du 'underlag'?", "budget"),
        (["samla"], "Fel användning: INDATAMAPP saknas.", "budget samla"),
        (["sie", "a.se", "b", "c"], "Fel användning: argument för mycket (b c).", "budget sie"),
        (
            ["validate", ".", "--perod", "3"],
            "Fel användning: okänd flagga --perod.",
            "budget validate",
        ),
        (
            ["underlag", ".", "--period"],
            "Fel användning: flaggan '--period' behöver ett värde.",
            "budget underlag",
        ),
        (["--hjälp"], "Fel användning: okänd flagga --hjälp.", "budget"),
        (
            ["sie", "a.se", "--ansvar", "ett"],
            "Fel användning: ogiltigt värde för --ansvar: 'ett' är inget giltigt tal.",
            "budget sie",
        ),
    ],
)
def test_usage_errors_are_swedish_and_point_to_the_command_given(
    args: list[str], first: str, hint: str
) -> None:
    result = run(*args)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == first
    assert lines[1] == (
        f"Se {hint} --help." if hint != "budget" else "Se budget --help för kommandona."
    )
    assert not [word for word in ENGLISH if word in result.stderr], result.stderr


def test_a_bare_budget_lists_the_commands_in_swedish() -> None:
    result = run()
    assert result.returncode == 2
    assert result.stderr.startswith("Användning: budget [FLAGGOR] KOMMANDO")
    for name in ("report", "validate", "underlag", "samla", "sie"):
        assert f"\n  {name} " in result.stderr
    assert not [word for word in ENGLISH if word in result.stderr], result.stderr


def test_the_compiled_catalogue_is_the_po_file() -> None:
    from budget.cli import LOCALE
    from scripts.make_locale import compiled

    mo = LOCALE / "sv" / "LC_MESSAGES" / "budget.mo"
    assert mo.read_bytes() == compiled(), "run: python -m scripts.make_locale"


def test_the_reasons_of_the_operating_system_are_swedish() -> None:
    """Python's strerror is English ("File exists"); messages give os_reason's instead."""
    import errno

    from budget.diagnostics import os_reason
    from tests.conftest import ROOT

    assert os_reason(FileExistsError(errno.EEXIST, "File exists")) == (
        "det finns redan en fil eller mapp med det namnet"
    )
    assert os_reason(PermissionError(errno.EACCES, "Permission denied")) == "åtkomst nekad"
    assert os_reason(OSError(errno.ENXIO, "No such device")) == "systemfel ENXIO"
    using = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "budget").rglob("*.py")
        if "strerror" in p.read_text(encoding="utf-8") and p.name != "diagnostics.py"
    ]
    assert using == []


def test_a_returns_folder_that_cannot_be_made_writes_no_underlag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import collection_folder

    folder = collection_folder(tmp_path / "testnamnd-2017")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "underlag").mkdir()
    (tmp_path / "underlag" / "testnamnd-2017-T1-inlamnat").write_text("", encoding="utf-8")
    result = run("underlag", str(folder.path), "--tertial", "T1")
    assert result.returncode == 2
    said = " ".join(result.stderr.split())
    assert "mappen för de ifyllda underlagen" in said
    assert "det finns redan en fil eller mapp med det namnet" in said
    assert not (tmp_path / "underlag" / "testnamnd-2017-T1").exists()


def test_every_commands_usage_error_points_to_its_own_help() -> None:
    """Each command, not only the ones listed above: the hint names the command given, and
    no range or requirement is said in click's English or notation."""
    for name in cli.commands:
        result = run(name, "--finns-inte")
        assert result.returncode == 2, name
        assert result.stderr.splitlines()[-1] == f"Se budget {name} --help.", result.stderr
        assert not [word for word in ENGLISH if word in result.stderr], result.stderr
    ranged = run("sie", "a.se", "--ansvar", "0")
    assert "0 ligger inte inom 1–1\u00a0000\u00a0000" in ranged.stderr or (
        "0 ligger inte inom 1–1 000 000" in ranged.stderr
    ), ranged.stderr
