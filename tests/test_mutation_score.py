"""scripts/mutation_score.py: the score in docs/mutation.md is counted from mutmut's results."""

from __future__ import annotations

import json
from pathlib import Path

from scripts import mutation_score

CONFIG = {
    "only_mutate": ["budget/core/*", "budget/checks/*"],
    "pytest_add_cli_args_test_selection": ["tests/test_forecast.py"],
}


def _meta(root: Path, module: str, codes: dict[str, int | None]) -> None:
    path = root / f"{module}.meta"
    path.parent.mkdir(parents=True, exist_ok=True)
    # As mutmut 3 writes it (mutmut/mutation/data.py), only the exit codes are read.
    meta = {
        "exit_code_by_key": codes,
        "durations_by_key": {},
        "estimated_durations_by_key": {},
    }
    path.write_text(json.dumps(meta), encoding="utf-8")


def test_the_score_per_module_and_in_all(tmp_path: Path) -> None:
    mutants = tmp_path / "mutants"
    # forecast: 2 killed (exit 1), 1 refused by mypy (37), 1 survived (exit 0); rules: 1
    # killed, 1 timeout (36), 1 not checked (None); an empty meta counts for nothing.
    _meta(
        mutants,
        "budget/core/forecast.py",
        {"f__mutmut_1": 1, "f__mutmut_2": 37, "f__mutmut_3": 1, "f__mutmut_4": 0},
    )
    _meta(
        mutants,
        "budget/checks/rules.py",
        {"r__mutmut_1": 1, "r__mutmut_2": 36, "r__mutmut_3": None},
    )
    _meta(mutants, "budget/core/steps.py", {})
    modules = mutation_score.collect(mutants)
    assert [m.path for m in modules] == ["budget/checks/rules.py", "budget/core/forecast.py"]
    page = mutation_score.render(modules, CONFIG, "commit abc1234, mutmut 3")
    # rules: 1 / (1 + 0) = 100 %; forecast: (2 + 1) / (3 + 1) = 75 %; in all 4 / 5 = 80 %.
    assert "| `budget/checks/rules.py` | 1 | 0 | 0 | 2 | 3 | 100.0 % |" in page
    assert "| `budget/core/forecast.py` | 3 | 1 | 1 | 0 | 4 | 75.0 % |" in page
    assert "| **All** | 4 | 1 | 1 | 2 | 7 | 80.0 % |" in page
    assert "- In all: 4 killed (1 by mypy), 1 survived, 7 mutants; score 80.0 %" in page
    assert "- Other: 1 not checked, 1 timeout" in page
    assert "**The run did not finish**" in page
    assert "- `f__mutmut_4`" in page
    assert "- Mutated: `budget/core/*`, `budget/checks/*`" in page


def test_without_results_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "mutation.md"
    assert mutation_score.main(["--mutants", str(tmp_path / "none"), "--out", str(out)]) == 1
    assert not out.exists()


def test_a_run_that_tested_no_mutant_writes_nothing(tmp_path: Path) -> None:
    """mutmut stops before the mutants when a test fails unmutated: no page of blanks."""
    _meta(tmp_path / "mutants", "budget/core/money.py", {"m__mutmut_1": None})
    out = tmp_path / "mutation.md"
    assert mutation_score.main(["--mutants", str(tmp_path / "mutants"), "--out", str(out)]) == 1
    assert not out.exists()


def test_the_make_target_writes_the_score() -> None:
    """make mutants runs the script after mutmut: the score is the run's."""
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nmutants:", 1)[1].split("\n\n", 1)[0]
    assert "mutmut run" in recipe
    assert recipe.index("mutmut run") < recipe.index("scripts.mutation_score")


def test_the_tests_left_out_of_mutation_testing_exist() -> None:
    """[tool.mutmut] runs all of tests/ but the files it names: each must still be there."""
    import tomllib

    root = Path(__file__).resolve().parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    selection = config["tool"]["mutmut"]["pytest_add_cli_args_test_selection"]
    assert selection[0] == "tests"
    rest = selection[1:]
    # The end-to-end tests are left out by their marker (scripts/mutation_score.py says why).
    assert rest[:2] == ["-m", "not slow"]
    ignored = [a.removeprefix("--ignore=") for a in rest[2:]]
    assert all(a.startswith("--ignore=") for a in rest[2:])
    assert [p for p in ignored if not (root / p).is_file()] == []


def test_mutmuts_copy_holds_every_folder_its_tests_read() -> None:
    """mutmut runs the tests in a copy (mutants/) of the source paths, tests/ and
    ``also_copy``: a test it runs that reads a top-level folder left out of the copy fails
    there, and the whole run stops in its stats phase ("failed to collect stats") without
    saying which. test_split's bench ledger (bench/make_inputs.py) was one."""
    import re
    import tomllib

    root = Path(__file__).resolve().parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
    selection = config["pytest_add_cli_args_test_selection"]
    ignored = {a.removeprefix("--ignore=") for a in selection[1:]}
    copied = {*config["source_paths"], *config["also_copy"], "tests", "pyproject.toml"}
    missing = {}
    for path in sorted((root / "tests").glob("test_*.py")):
        name = path.relative_to(root).as_posix()
        if name in ignored:
            continue
        for top in re.findall(r'ROOT\s*/\s*"([^"/]+)"', path.read_text(encoding="utf-8")):
            if (root / top).exists() and top not in copied:
                missing.setdefault(name, set()).add(top)
    assert missing == {}


def test_every_slow_test_listed_exists() -> None:
    """tests/slow.txt marks the end-to-end tests that mutmut leaves out: an entry whose test
    was renamed or removed would silently mark nothing, so each must name a test function
    of its file (a parametrised case by its function)."""
    import re

    from tests.conftest import ROOT, slow_tests

    missing = []
    for nodeid in sorted(slow_tests()):
        path, _, name = nodeid.partition("::")
        function = name.split("[", 1)[0]
        source = ROOT / path
        if not source.is_file() or not re.search(
            rf"^def {re.escape(function)}\(", source.read_text(encoding="utf-8"), re.M
        ):
            missing.append(nodeid)
    assert missing == []
    assert slow_tests(), "tests/slow.txt lists no test"
