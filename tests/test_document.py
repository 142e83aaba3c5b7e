"""The nämnd's document: front matter, labels and rows that mean what they say (issue 13)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from budget.edge.config import read_settings

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
