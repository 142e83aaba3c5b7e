"""The nämnd's document: front matter, labels and rows that mean what they say (issue 13)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from budget.cli import cli
from budget.core.ledger import UNASSIGNED_SUBAREA, UNMAPPED
from budget.edge.config import read_settings
from tests.conftest import Folder

BASE = 'namnd = "Testnämnden"\nar = 2017\n'


def _settings(tmp_path: Path, extra: str) -> tuple[object, list[str]]:
    toml = tmp_path / "namnd.toml"
    toml.write_text(BASE + extra, encoding="utf-8")
    settings, problems = read_settings(toml, "namnd.toml")
    return settings, [p.text() for p in problems]


def test_front_matter_is_read_from_namnd_toml(tmp_path: Path) -> None:
    settings, problems = _settings(
        tmp_path,
        'diarienummer = "1.2.1-289/2017"\n"handläggare" = "Karin Ek"\ndatum = 2017-09-12\n',
    )
    assert problems == []
    assert settings.diarienummer == "1.2.1-289/2017"  # type: ignore[attr-defined]
    assert settings.handlaggare == "Karin Ek"  # type: ignore[attr-defined]
    assert settings.datum == date(2017, 9, 12)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ('datum = "12 september"\n', "datum"),
        ("datum = 2017-09-12T10:00:00\n", "datum"),
        ("diarienummer = 289\n", "diarienummer"),
        ('handlaggare = ""\n', "handläggare"),
    ],
)
def test_bad_front_matter_names_its_key(tmp_path: Path, extra: str, named: str) -> None:
    settings, problems = _settings(tmp_path, extra)
    assert settings is None
    assert len(problems) == 1
    assert named in problems[0]


def _report(folder: Folder, out: Path) -> tuple[dict[str, Any], str, list[list[Any]]]:
    result = CliRunner().invoke(
        cli, ["report", str(folder.path), "--out", str(out), "--generated-at", "2017-09-12T10:00"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "testnamnd-2017-T1.json").read_text(encoding="utf-8"))
    html = (out / "testnamnd-2017-T1.html").read_text(encoding="utf-8")
    economy = load_workbook(out / "testnamnd-2017-T1.xlsx")["Ekonomi"]
    rows = [[c.value for c in row] for row in economy.iter_rows(min_row=2)]
    return data, html, rows


def _names(data: dict[str, Any]) -> list[str]:
    return [a["subarea"] or a["area"] for a in data["areas"]]


def test_an_empty_ej_fordelat_is_in_the_json_but_not_in_the_document(
    folder: Folder, tmp_path: Path
) -> None:
    # A posting on a code missing from struktur.xlsx, reversed the same month.
    rows = [[2017, m, "A1", "100", "5010", 100_000] for m in range(1, 5)]
    rows += [[2017, 3, "A1", "999", "6410", 12_500], [2017, 3, "A1", "999", "6410", -12_500]]
    folder.ledger(rows)
    data, html, sheet = _report(folder, tmp_path / "out")
    assert UNMAPPED in _names(data)  # contract §2: unmapped rows have an area of their own
    for table in ("h-ekonomi", "h-budgetforandringar"):
        assert (
            f'<th scope="row">{UNMAPPED}</th>'
            not in html.split(f'id="{table}"')[1].split("</section>")[0]
        )
    assert all(row[0] != UNMAPPED for row in sheet)


def test_ej_fordelat_shows_when_something_is_there(folder: Folder, tmp_path: Path) -> None:
    rows = [[2017, m, "A1", "100", "5010", 100_000] for m in range(1, 5)]
    rows += [[2017, 2, "A1", "999", "5010", 4_000]]
    folder.ledger(rows)
    _, html, sheet = _report(folder, tmp_path / "out")
    economy = html.split('id="h-ekonomi"')[1].split("</table>")[0]
    assert f'<th scope="row">{UNMAPPED}</th>' in economy
    assert any(row[0] == UNMAPPED for row in sheet)


def test_an_area_level_omslutning_moves_no_side_and_shows_no_empty_net_line(
    folder: Folder, tmp_path: Path
) -> None:
    """Äldreomsorg has delområden; a change on the area itself lands outside them."""
    folder.changes(
        [["Omslutningsförändring", "Beviljad", "Äldreomsorg", 400_000, 400_000, "Statsbidrag"]]
    )
    data, html, sheet = _report(folder, tmp_path / "out")
    line = next(a for a in data["areas"] if a["subarea"] == UNASSIGNED_SUBAREA)
    assert line["budget"]["costs"] == line["forecast"]["costs"] == -400_000
    assert line["budget"]["revenues"] == line["forecast"]["revenues"] == 400_000
    area = next(a for a in data["areas"] if a["area"] == "Äldreomsorg" and a["subarea"] is None)
    ledger_driven = area["forecast"]["costs"] - area["budget"]["costs"]
    # The omslutning is in the budget and in the forecast: it is no deviation of either side.
    assert ledger_driven == sum(
        a["forecast"]["costs"] - a["budget"]["costs"]
        for a in data["areas"]
        if a["area"] == "Äldreomsorg" and a["subarea"] not in (None, UNASSIGNED_SUBAREA)
    )
    economy = html.split('id="h-ekonomi"')[1].split("</table>")[0]
    assert UNASSIGNED_SUBAREA not in economy  # nothing in its net figures
    assert any(row[1] == UNASSIGNED_SUBAREA for row in sheet)  # the workbook shows the sides
