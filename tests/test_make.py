"""The make targets a controller types: every variable the README names reaches the command.

Checked with ``make -n`` (print, do not run), so nothing is built or written.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from scripts.pdf import report_html
from tests.conftest import ROOT

PROBE = "PROBE_VALUE"


def dry_run(*args: str, dry: bool = True) -> str:
    make = shutil.which("make")
    assert make, "make saknas"
    done = subprocess.run(
        [make, *(["-n"] if dry else []), "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def readme_uses() -> list[tuple[str, str]]:
    """Each (target, VARIABLE) that a README line shows with ``make TARGET``."""
    uses = []
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        found = re.search(r"make ([a-z][a-z-]*)", line)
        if found:
            uses += [(found.group(1), var) for var in re.findall(r"\b([A-Z]{2,})=", line)]
    return sorted(set(uses))


def test_the_readme_names_make_variables() -> None:
    assert ("report", "PERIOD") in readme_uses()
    assert ("samla", "RETURNED") in readme_uses()


@pytest.mark.parametrize(("target", "variable"), readme_uses())
def test_every_variable_the_readme_names_reaches_the_command(target: str, variable: str) -> None:
    recipe = dry_run(target, f"{variable}={PROBE}")
    last = [line for line in recipe.splitlines() if line.strip()][-1]
    assert PROBE in last, f"make {target} {variable}=… ger: {last}"


def test_validate_checks_the_period_it_is_given() -> None:
    assert "budget validate inputs/skarholmen-2017 --tertial T1" in dry_run(
        "validate", "TERTIAL=T1"
    )
    assert "--period 5" in dry_run("validate", "PERIOD=5")


def test_a_bare_make_lists_the_targets_in_swedish() -> None:
    listing = dry_run(dry=False)  # help only echoes
    assert listing.startswith("Användning: make MÅL")
    targets = re.findall(r"^  make ([a-z-]+) ", listing, flags=re.MULTILINE)
    assert {"report", "validate", "underlag", "samla", "test", "pdf"} <= set(targets)
    assert "make help" not in dry_run("report")


@pytest.mark.parametrize(
    ("period", "tertial", "name"),
    [
        ("", "T2", "skarholmen-2017-T2.html"),
        ("", "t1", "skarholmen-2017-T1.html"),
        ("", "helår", "skarholmen-2017-helar.html"),
        ("5", "T2", "skarholmen-2017-05.html"),
        ("8", "T1", "skarholmen-2017-T2.html"),
        ("12", "T2", "skarholmen-2017-helar.html"),
    ],
)
def test_make_pdf_prints_the_file_of_the_period(period: str, tertial: str, name: str) -> None:
    html = report_html(Path("inputs/skarholmen-2017/"), Path("reports"), period, tertial)
    assert html == Path("reports") / name


def pinned(lock: str) -> dict[str, str]:
    """The ``name==version`` pins of a lock file, names normalised as pip does."""
    text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
    return {
        re.sub(r"[-_.]+", "-", name).lower(): version
        for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", text, re.MULTILINE)
    }


def declared(group: str | None) -> set[str]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = project["dependencies"] if group is None else project["optional-dependencies"][group]
    return {
        re.sub(r"[-_.]+", "-", re.split(r"[\s<>=!~\[;]", spec, maxsplit=1)[0]).lower()
        for spec in specs
    }


def test_the_locks_pin_every_declared_dependency_with_hashes() -> None:
    runtime, dev = pinned("runtime.txt"), pinned("dev.txt")
    assert declared(None) <= set(runtime), "make lock"
    assert declared(None) | declared("dev") | declared("bench") <= set(dev), "make lock"
    # The developer set installs the same runtime versions as the report's environment.
    assert {name: dev[name] for name in runtime} == runtime
    for lock in ("runtime.txt", "dev.txt"):
        lines = (ROOT / "requirements" / lock).read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if re.match(r"^[A-Za-z0-9_.-]+==", line):
                assert lines[i + 1].strip().startswith("--hash=sha256:"), line


# Where each command writes, as the contract says: samla into its inputs folder (prognos.xlsx),
# init into its folder, underlag into --out (default underlag/), the others into --out.
def written_by(args: list[str]) -> list[str]:
    command, rest = args[0], args[1:]
    out = rest[rest.index("--out") + 1] if "--out" in rest else None
    if command in ("samla", "init"):
        return [rest[0]]
    if command == "underlag":
        return [out or "underlag"]
    if command in ("report", "sie", "stad"):
        return [out or ("reports" if command != "sie" else ".")]
    return []  # validate writes nothing


def tracked(path: str) -> list[str]:
    """The files git tracks under ``path`` (none outside the repository)."""
    if not (ROOT / path).resolve().is_relative_to(ROOT.resolve()):
        return []
    done = subprocess.run(
        ["git", "ls-files", "--", path], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


@pytest.mark.parametrize(
    "target",
    ["report", "validate", "underlag", "samla", "sie SIE=x.se", "stad", "pdf"],
)
def test_no_make_target_writes_into_the_committed_demo(target: str, tmp_path: Path) -> None:
    """The demo's inputs are committed: every make target leaves them as they are (samla
    collects into a copy in OUT). A stand-in ``budget`` records each call; the folders the
    real command would write into may hold no file git tracks."""
    if shutil.which("git") is None or not tracked("inputs"):
        pytest.fail("git saknas eller demot är inte versionshanterat här")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls"
    for name in ("budget", "python"):
        stand_in = bin_dir / name
        stand_in.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> {calls}\n', encoding="utf-8")
        stand_in.chmod(0o755)
    (bin_dir / ".dev").touch()
    out = tmp_path / "out"
    make = shutil.which("make")
    assert make
    subprocess.run(
        [
            make,
            "--no-print-directory",
            *target.split(),
            f"BIN={bin_dir}",
            f"DEV={bin_dir}/.dev",
            f"OUT={out}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    budget_calls = [
        line.split()
        for line in calls.read_text(encoding="utf-8").splitlines()
        if line.split()
        and line.split()[0] in ("report", "validate", "underlag", "samla", "sie", "stad", "init")
    ]
    assert budget_calls, target
    for args in budget_calls:
        for folder in written_by(args):
            assert not tracked(folder), f"make {target}: budget {' '.join(args)} skriver i {folder}"
    assert not subprocess.run(
        ["git", "status", "--porcelain", "--", "inputs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.parametrize(
    ("given", "suffix"),
    [
        ("TERTIAL=T2", "T2"),
        ("TERTIAL=t1", "T1"),
        ("PERIOD=5", "05"),
        ("PERIOD=08", "T2"),
        ("PERIOD=12", "helar"),
        ("TERTIAL=helår", "helar"),
    ],
)
def test_make_samla_reads_the_folder_underlag_made(given: str, suffix: str) -> None:
    """The returns folder is named by the period as budget names it (05, T2, helar), as
    underlag makes it: PERIOD=5 looked for …-5-inlamnat."""
    last = dry_run("samla", given).strip().splitlines()[-1]
    assert f"underlag/skarholmen-2017-{suffix}-inlamnat " in last
    assert f"--status underlag/skarholmen-2017-{suffix}-status.xlsx" in last
    assert "budget samla reports/samlat/skarholmen-2017 " in last  # never the committed demo
