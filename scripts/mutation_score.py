"""Write docs/mutation.md: the score of the last `make mutants` run, per module.

Reads mutmut's results (``mutants/**/*.py.meta``, one exit code per mutant) and the
configuration it ran with (``[tool.mutmut]`` in pyproject.toml), so that the score in the
docs is the run's, never typed by hand. ``make mutants`` runs it after ``mutmut run``.

    python -m scripts.mutation_score [--mutants DIR] [--out FILE]

Exit 1 (nothing written) when there are no results to read, or no mutant was tested.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

# mutmut's own reading of a mutant's exit code (a code it does not list is "suspicious").
from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parent.parent

KILLED, SURVIVED = "killed", "survived"
# A mutant mypy refuses (mutmut's `type_check_command`) cannot land: `make check` runs mypy
# on every commit. It is counted as killed, and shown in a column of its own.
TYPED = "caught by type check"


def status(exit_code: int | None) -> str:
    return str(status_by_exit_code[exit_code])


@dataclass(frozen=True)
class Module:
    path: str  # budget/core/forecast.py
    counts: Counter[str]
    survivors: tuple[str, ...]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def killed(self) -> int:
        """Killed by a test or refused by mypy."""
        return self.counts[KILLED] + self.counts[TYPED]

    @property
    def other(self) -> int:
        return self.total - self.killed - self.counts[SURVIVED]


def collect(mutants: Path) -> list[Module]:
    """Each mutated module's mutants by status, in path order."""
    modules = []
    for meta in sorted(mutants.rglob("*.py.meta")):
        codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))[
            "exit_code_by_key"
        ]
        if not codes:
            continue
        statuses = {key: status(code) for key, code in codes.items()}
        path = meta.relative_to(mutants).as_posix().removesuffix(".meta")
        modules.append(
            Module(
                path,
                Counter(statuses.values()),
                tuple(sorted(k for k, s in statuses.items() if s == SURVIVED)),
            )
        )
    return modules


def _score(killed: int, survived: int) -> str:
    judged = killed + survived
    return "–" if judged == 0 else f"{100 * killed / judged:.1f} %"


def render(modules: list[Module], config: Mapping[str, Any], source: str) -> str:
    """The Markdown page (English: docs for developers, as docs/arkitektur.md)."""
    killed = sum(m.killed for m in modules)
    typed = sum(m.counts[TYPED] for m in modules)
    survived = sum(m.counts[SURVIVED] for m in modules)
    total = sum(m.total for m in modules)
    others: Counter[str] = Counter()
    for m in modules:
        others.update({s: n for s, n in m.counts.items() if s not in (KILLED, TYPED, SURVIVED)})
    patterns = ", ".join(f"`{p}`" for p in config.get("only_mutate", []))
    tests = ", ".join(f"`{t}`" for t in config.get("pytest_add_cli_args_test_selection", []))
    lines = [
        "# Mutation score",
        "",
        "Written by `make mutants` (`scripts/mutation_score.py`) from mutmut's results: do not",
        "edit by hand. A mutant is killed when a test fails on it or mypy refuses it (`make",
        "check` runs mypy: such a change cannot land; column *mypy*, part of *killed*); the",
        "score is killed / (killed + survived); *other* counts timeouts, mutants no test",
        "reaches and mutants not checked (an interrupted run).",
        "",
        "The tests marked `slow` (end-to-end: a whole report built, a big ledger split, the",
        "demo's files compared byte for byte) are not run on the mutants: each takes seconds",
        "to minutes, and every surviving mutant runs all tests that reach its function, which",
        "would take days on two cores. A mutant only they would kill counts as survived: the",
        "score is a floor.",
        "",
        f"- Source: {source}",
        f"- Mutated: {patterns}",
        f"- Tests: {tests}",
        f"- In all: {killed} killed ({typed} by mypy), {survived} survived, {total} mutants; "
        f"score {_score(killed, survived)}",
    ]
    if others:
        lines.append("- Other: " + ", ".join(f"{n} {s}" for s, n in sorted(others.items())))
    if others.get("not checked"):
        lines.append("- **The run did not finish**: the mutants not checked have no verdict.")
    lines += [
        "",
        "| Module | Killed | mypy | Survived | Other | Total | Score |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for m in modules:
        k, t, s = m.killed, m.counts[TYPED], m.counts[SURVIVED]
        lines.append(f"| `{m.path}` | {k} | {t} | {s} | {m.other} | {m.total} | {_score(k, s)} |")
    lines.append(
        f"| **All** | {killed} | {typed} | {survived} | {total - killed - survived} | {total} "
        f"| {_score(killed, survived)} |"
    )
    survivors = [name for m in modules for name in m.survivors]
    if survivors:
        lines += [
            "",
            "## Survivors",
            "",
            "Each is a change to the code that no test notices: `mutmut show NAME` shows it.",
            "An equivalent mutant (the same behaviour) is no gap; any other wants a test.",
            "",
        ]
        lines += [f"- `{name}`" for name in survivors]
    return "\n".join(lines) + "\n"


def _source() -> str:
    """The commit the run mutated, and whether the worktree differed from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "budget", "tests"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    try:
        tool = f"mutmut {version('mutmut')}"
    except PackageNotFoundError:
        tool = "mutmut"
    return f"commit {commit}{' with uncommitted changes' if dirty else ''}, {tool}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=Path, default=ROOT / "mutants")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "mutation.md")
    args = parser.parse_args(argv)
    modules = collect(args.mutants)
    if not modules:
        print(f"inga resultat i {args.mutants}: kör make mutants", file=sys.stderr)
        return 1
    if not any(m.killed + m.counts[SURVIVED] for m in modules):
        # mutmut stopped before testing a mutant (e.g. a test failed on the unmutated code).
        print("mutmut testade ingen mutant: se utskriften från mutmut run", file=sys.stderr)
        return 1
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    page = render(modules, config["tool"]["mutmut"], _source())
    args.out.write_text(page, encoding="utf-8")
    print(f"skrev {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
