"""Every reader of an input file opens it through budget.edge.files: a file the system
refuses is E015, a file beyond the reader's bound E008, each naming the file, in one wording
whichever reader meets it (the folder-for-a-file cases are in the corpus, 187-195)."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from budget.app.pipeline import validate_folder
from budget.diagnostics import Diagnostic
from budget.edge import files
from tests.conftest import Folder

# Each reader's file in an inputs folder: (name, files removed so that it is the one read,
# the module and name of its bound).
READERS = [
    ("namnd.toml", [], ("budget.edge.config", "MAX_BYTES")),
    ("budget.xlsx", [], ("budget.edge.workbook", "MAX_FILE_BYTES")),
    ("utfall-2017.xlsx", [], ("budget.edge.workbook", "MAX_FILE_BYTES")),
    ("utfall-2017.csv", ["utfall-2017.xlsx"], ("budget.edge.csvfile", "MAX_BYTES")),
    ("utfall-2017.se", ["utfall-2017.xlsx"], ("budget.edge.sie", "MAX_BYTES")),
    ("forandringar.xlsx", [], ("budget.edge.workbook", "MAX_FILE_BYTES")),
    ("analys.docx", [], ("budget.edge.workbook", "MAX_FILE_BYTES")),
    ("analys.md", [], ("budget.edge.analysis", "MAX_MARKDOWN_BYTES")),
    ("mal.xlsx", [], ("budget.edge.workbook", "MAX_FILE_BYTES")),
]
IDS = [r[0] for r in READERS]


def _folder(tmp_path: Path, name: str, remove: list[str]) -> Path:
    """The small valid folder with ``name`` in it (a few hundred bytes at least)."""
    folder = Folder(tmp_path / "testnamnd-2017").path
    for other in remove:
        (folder / other).unlink()
    target = folder / name
    if not target.exists():
        if name.endswith((".xlsx", ".docx")):
            shutil.copy(folder / "budget.xlsx", target)  # a zip: the guard measures it
        else:
            target.write_text("#FLAGGA 0\n" * 100, encoding="utf-8")
    return folder


def _found(folder: Path, name: str) -> list[Diagnostic]:
    """What validate says of ``name``, read anew (a cached parse would not open it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BUDGET_NO_CACHE", "1")
        result = validate_folder(folder, None)
    return [d for d in result.diagnostics if d.file == name]


@pytest.mark.parametrize(("name", "remove", "bound"), READERS, ids=IDS)
def test_a_file_the_system_refuses_is_e015_in_one_wording(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    remove: list[str],
    bound: tuple[str, str],
) -> None:
    folder = _folder(tmp_path, name, remove)
    real = os.open

    def refusing(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(path).name == name:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(files.os, "open", refusing)
    found = _found(folder, name)
    assert [(d.code, d.message, d.expected) for d in found] == [
        ("E015", "filen kan inte läsas (åtkomst nekad)", "en vanlig fil som går att läsa")
    ]


@pytest.mark.parametrize(("name", "remove", "bound"), READERS, ids=IDS)
def test_a_file_beyond_its_readers_bound_is_e008_in_one_wording(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    remove: list[str],
    bound: tuple[str, str],
) -> None:
    import importlib

    folder = _folder(tmp_path, name, remove)
    module, attribute = bound
    monkeypatch.setattr(importlib.import_module(module), attribute, 50)
    if attribute == "MAX_FILE_BYTES":  # the workbook guard's, as the split and typed read it
        for other in ("budget.edge.split", "budget.edge.typed"):
            monkeypatch.setattr(importlib.import_module(other), attribute, 50)
    size = (folder / name).stat().st_size
    assert size > 50
    found = _found(folder, name)
    assert [(d.code, d.message, d.value, d.expected) for d in found] == [
        (
            "E008",
            f"filen är {files.size_text(size)}, större än vad den här sortens fil kan vara",
            files.size_text(size),
            "högst 50 byte",
        )
    ]


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    pipe = tmp_path / "utfall.csv"
    os.mkfifo(pipe)
    with pytest.raises(files.UnreadableFile) as refused:
        files.read_bytes(pipe, "utfall.csv", 1000)
    assert refused.value.diagnostic.message == (
        "filen kan inte läsas (är en namngiven pipe, inte en fil)"
    )


def test_a_file_that_grows_past_the_bound_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"x" * 50)
    real = os.fstat

    class Smaller:
        def __init__(self, info: os.stat_result) -> None:
            self.st_mode, self.st_size = info.st_mode, 10

    monkeypatch.setattr(files.os, "fstat", lambda fd: Smaller(real(fd)))
    with pytest.raises(files.UnreadableFile) as refused:
        files.read_bytes(path, "a.json", 20)
    assert refused.value.diagnostic.code == "E008"


def test_the_other_readers_say_the_same(tmp_path: Path) -> None:
    """The earlier report, the city's settings and reports, the record of what was sent."""
    from budget.edge import city, previous, sent

    where = tmp_path / "prev.json"
    where.mkdir()
    _, problem = previous.load_json(where)
    assert problem is not None
    assert (problem.code, problem.message) == (
        "E015",
        "filen kan inte läsas (är en mapp, inte en fil)",
    )
    desk = tmp_path / "stad"
    desk.mkdir()
    (desk / "stad.toml").write_bytes(b"#" * (city.MAX_SETTINGS_BYTES + 1))
    _, found = city.read_settings(desk)
    assert [(d.code, d.file, d.expected) for d in found] == [("E008", "stad.toml", "högst 1 MB")]
    (desk / "skarholmen.json").mkdir()
    _, found = city.read_reports(desk)
    assert [(d.code, d.file) for d in found] == [("E015", "skarholmen.json")]
    _, found = previous.archived([(desk, "stad")], "Skärholmen", 2017)
    assert [(d.code, d.file, d.message) for d in found] == [
        ("W319", "stad/skarholmen.json", "filen kan inte läsas (är en mapp, inte en fil)")
    ]
    record = tmp_path / "utskick.json"
    record.mkdir()
    with pytest.raises(sent.NoRecord) as refused:
        sent.read(record)
    assert "filen kan inte läsas (är en mapp, inte en fil)" in refused.value.diagnostic.message


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 byte"),
        (1023, "1023 byte"),
        (1024, "1 kB"),
        (1536, "1,5 kB"),
        (1024**2, "1 MB"),
        (64 * 1024**2, "64 MB"),
        (2 * 1024**3, "2 GB"),
        (int(2.25 * 1024**3), "2,2 GB"),
    ],
)
def test_sizes_are_said_as_a_controller_reads_them(size: int, text: str) -> None:
    assert files.size_text(size) == text


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"", files.EMPTY),
        (b"PK\x03\x04rest", files.ZIP),
        (b"\xd0\xcf\x11\xe0\xa1\xb1", files.OLE),
        (b"\xef\xbb\xbf  <!DOCTYPE html><html>", files.HTML),
        (b"<html><body>", files.HTML),
        (b"\xff\xfeA\x00;\x00", files.TEXT),
        (b"Konto;Belopp\r\n", files.TEXT),
        (b"\x00\x01\x02", files.BINARY),
    ],
)
def test_the_head_says_what_a_file_is(head: bytes, kind: str) -> None:
    assert files.sniff(head) == kind
