"""The Word file's chart images kept between runs (``budget.app.chart_cache``): a cached
run's files are the uncached run's, byte for byte; a damaged entry is drawn again; the
cache off, or not writable, changes nothing but the time."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

import matplotlib
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from budget.app import chart_cache
from budget.cli import cli
from budget.edge import cache
from tests.conftest import Folder, report_files, uncached_files

STAMP = ["--generated-at", "2017-09-12T10:00"]


pytestmark = pytest.mark.usefixtures("render_here")


def _images(where: Path) -> list[Path]:
    return sorted(where.glob("*.png"))


def _without_word_files(where: Path) -> Path:
    """The cache without the Word files it keeps whole (``word_cache``): a rerun writes
    the Word file again, its charts from the cache."""
    for kept in where.glob("*.docx"):
        kept.unlink()
    return where


def test_a_cached_run_writes_the_uncached_runs_bytes(
    folder: Folder, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = uncached_files(folder, tmp_path / "plain", monkeypatch)
    assert not cache_dir.exists()
    first = report_files(folder, tmp_path / "first")  # draws and stores
    images = _images(cache_dir)
    assert images, "the Word file's charts are kept"
    stored = {p.name: p.read_bytes() for p in images}
    drawn: list[int] = []
    monkeypatch.setattr(
        "budget.report.render.chart_image.pngs", lambda specs: drawn.append(len(specs)) or []
    )
    _without_word_files(cache_dir)
    again = report_files(folder, tmp_path / "again")  # every chart from the cache
    assert drawn == [], "nothing drawn on a rerun"
    assert first == plain
    assert again == plain
    assert {p.name: p.read_bytes() for p in _images(cache_dir)} == stored


def _flip(png: Path, meta: Path) -> None:
    data = bytearray(png.read_bytes())
    data[len(data) // 2] ^= 0xFF
    png.write_bytes(bytes(data))


def _truncate(png: Path, meta: Path) -> None:
    png.write_bytes(png.read_bytes()[:100])


def _forged(png: Path, meta: Path) -> None:
    """Another chart's image, its digest recomputed but not the seal."""
    other = next(p for p in sorted(png.parent.glob("*.png")) if p != png)
    png.write_bytes(other.read_bytes())
    data = json.loads(meta.read_text(encoding="utf-8"))
    data["data_sha256"] = hashlib.sha256(other.read_bytes()).hexdigest()
    meta.write_text(json.dumps(data), encoding="utf-8")


def _garbage_json(png: Path, meta: Path) -> None:
    meta.write_text("{not json", encoding="utf-8")


def _deleted(png: Path, meta: Path) -> None:
    png.unlink()


@pytest.mark.parametrize("damage", [_flip, _truncate, _forged, _garbage_json, _deleted])
def test_a_damaged_image_is_drawn_again_never_used(
    folder: Folder,
    cache_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    damage: Any,
) -> None:
    plain = uncached_files(folder, tmp_path / "plain", monkeypatch)
    report_files(folder, tmp_path / "first")
    good = {p.name: p.read_bytes() for p in _images(cache_dir)}
    assert len(good) >= 2
    for png in _images(cache_dir):
        damage(png, png.with_suffix(".json"))
    _without_word_files(cache_dir)
    assert report_files(folder, tmp_path / "again") == plain
    assert {p.name: p.read_bytes() for p in _images(cache_dir)} == good, "rebuilt"


def test_the_cache_off_draws_everything_and_keeps_nothing(
    folder: Folder, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = report_files(folder, tmp_path / "cached")
    monkeypatch.setenv("BUDGET_NO_CACHE", "1")
    monkeypatch.setenv("BUDGET_CACHE_DIR", str(tmp_path / "unused"))
    assert report_files(folder, tmp_path / "off") == plain
    assert not (tmp_path / "unused").exists()
    assert chart_cache.for_this_run() is None


def test_a_cache_that_cannot_be_written_changes_nothing(
    folder: Folder, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = uncached_files(folder, tmp_path / "plain", monkeypatch)
    cache_dir.mkdir(mode=0o700)

    def refused(target: Path, data: bytes, mode: int = 0o644) -> None:
        raise PermissionError(13, "Permission denied", str(target))

    # What a folder the user may not write into gives (root writes anywhere: so, patched).
    cache_dir.chmod(0o500)
    monkeypatch.setattr(cache, "atomic_write", refused)
    try:
        assert report_files(folder, tmp_path / "out") == plain
    finally:
        cache_dir.chmod(0o700)
    assert not _images(cache_dir)


def test_a_cache_path_that_is_no_folder_is_told_once(
    folder: Folder, cache_dir: Path, tmp_path: Path
) -> None:
    cache_dir.write_text("a file", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["report", str(folder.path), "--out", str(tmp_path / "out"), *STAMP]
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert result.output.count("W314") == 1, result.output  # by the read; the charts say no more
    assert (tmp_path / "out" / "testnamnd-2017-T1.docx").is_file()
    assert cache_dir.read_text(encoding="utf-8") == "a file"


def test_the_render_helper_uses_the_same_cache(
    folder: Folder, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = uncached_files(folder, tmp_path / "plain", monkeypatch)

    def nothing_drawn_here(specs: list[Any]) -> list[bytes]:
        raise AssertionError("drawn in this process")

    monkeypatch.setattr("budget.report.render.chart_image.pngs", nothing_drawn_here)
    monkeypatch.setenv("BUDGET_RENDER_PROCESS", "1")  # the Word file drawn by the helper
    assert report_files(folder, tmp_path / "first") == plain
    assert _images(cache_dir), "the helper keeps what it drew"
    monkeypatch.setenv("BUDGET_RENDER_PROCESS", "0")
    _without_word_files(cache_dir)
    assert report_files(folder, tmp_path / "here") == plain, "and this process finds it"


# -- the key


def _same(a: Any, b: Any) -> bool:
    """Equal as the drawing sees it: the same types, the same order, the same float bits."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return math.copysign(1, a) == math.copysign(1, b) and (
            a == b or (math.isnan(a) and math.isnan(b))
        )
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=True, allow_infinity=True, width=64)
    | st.sampled_from(["", "1", "a", "true", "None", "[1]", '{"tuple": []}'])
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.sampled_from(["a", "b", "tuple", "dict", "float"]), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(_VALUES, _VALUES)
def test_two_figures_share_an_encoding_only_when_the_drawing_cannot_tell_them_apart(
    a: Any, b: Any
) -> None:
    ca, cb = chart_cache.canonical(a), chart_cache.canonical(b)
    assert ca is not None
    assert cb is not None
    assert (ca == cb) == _same(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (1, 1.0),
        (1, True),
        (0.0, -0.0),
        ([1, 2], (1, 2)),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}),
        ("1", 1),
        (None, "None"),
    ],
)
def test_values_the_drawing_may_tell_apart_have_other_keys(a: Any, b: Any) -> None:
    assert chart_cache.canonical({"data": [a]}) != chart_cache.canonical({"data": [b]})


def test_a_figure_holding_another_type_is_drawn_not_cached() -> None:
    import numpy

    assert chart_cache.canonical({"data": [{"x": numpy.array([1, 2])}]}) is None
    assert chart_cache.canonical({"data": [{"x": numpy.float64(1.0)}]}) is None
    assert chart_cache.canonical({1: "a key that is no text"}) is None


def test_the_drawings_settings_and_fonts_are_in_the_key() -> None:
    before = chart_cache.surroundings.__wrapped__()
    assert "matplotlib " in before
    assert "font DejaVu Sans normal" in before
    with matplotlib.rc_context({"lines.linewidth": 7.5}):  # as a user's matplotlibrc would
        assert chart_cache.surroundings.__wrapped__() != before
    assert chart_cache.surroundings.__wrapped__() == before


def test_the_fingerprint_covers_the_drawing_code_and_every_other_file() -> None:
    from tests.conftest import ROOT

    names = {p.relative_to(ROOT / "budget").as_posix() for p in cache.sources()}
    assert {
        "report/render/chart_image.py",  # what draws a chart
        "app/chart_cache.py",
        "edge/readers.py",  # what reads a workbook, and what it calls
        "core/money.py",
        "diagnostics.py",
        "report/templates/report.html.j2",
    } <= names
    assert not any("__pycache__" in name for name in names)
