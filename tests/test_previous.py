"""Change since the last report: found in the output folder or given, compared per area."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

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
