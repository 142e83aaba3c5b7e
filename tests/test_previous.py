"""Change since the last report: found in the output folder or given, compared per area."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget.cli import cli
from tests.conftest import Folder

STAMP = ["--generated-at", "2017-09-12T10:00"]


def test_report_finds_the_earlier_report_and_shows_the_change(
    folder: Folder, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    assert (
        runner.invoke(
            cli, ["report", str(folder.path), "--period", "2", "--out", str(out), *STAMP]
        ).exit_code
        == 0
    )
    result = runner.invoke(cli, ["report", str(folder.path), "--out", str(out), *STAMP])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "testnamnd-2017-T1.json").read_text(encoding="utf-8"))
    change = data["forecast_change"]
    assert change["previous"] == {
        "period": 2,
        "tertial": None,
        "title": "Månadsrapport februari 2017",
        "file": "testnamnd-2017-02.json",
    }
    first = change["areas"][0]
    assert first["area"] == "Förskola"
    # Flat ledger: the linear forecast is the same in February and April.
    assert first["change"] == 0.0
    html = (out / "testnamnd-2017-T1.html").read_text(encoding="utf-8")
    assert "Prognosförändring sedan månadsrapport februari 2017" in html


def test_previous_option_and_a_file_that_is_no_report(folder: Folder, tmp_path: Path) -> None:
    bogus = tmp_path / "gammal.json"
    bogus.write_text('{"hello": 1}', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["report", str(folder.path), "--out", str(out), "--previous", str(bogus), *STAMP]
    )
    assert result.exit_code == 0
    assert "varning W309: gammal.json" in result.output
    data = json.loads((out / "testnamnd-2017-T1.json").read_text(encoding="utf-8"))
    assert data["forecast_change"] is None
    missing = CliRunner().invoke(
        cli, ["report", str(folder.path), "--previous", str(tmp_path / "nej.json")]
    )
    assert missing.exit_code == 2


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "schema",
                    "namnd",
                    "year",
                    "period",
                    "areas",
                    "area",
                    "subarea",
                    "forecast",
                    "net",
                    "title",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@given(
    changes=st.dictionaries(
        st.sampled_from(["year", "period", "tertial", "areas", "title", "namnd", "total"]),
        json_values,
        max_size=3,
    )
)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_previous_report_is_used_refused_or_warned_about_never_a_crash(
    changes: dict[str, object], tmp_path_factory: Any
) -> None:
    """Issue 11: --previous with wrong types, nulls or odd nesting is E014 or W309, never exit 3."""
    from budget.app.pipeline import validate_folder
    from tests.corpus.make_corpus import minimal_report

    base = tmp_path_factory.mktemp("prev")
    folder = Folder(base / "testnamnd-2017")
    report = minimal_report(2017, 2)
    report.update(changes)
    path = base / "prev.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    result = validate_folder(folder.path, None, path)
    codes = {d.code for d in result.diagnostics}
    assert codes & {"E014", "W309"} or result.reconciliation is not None
