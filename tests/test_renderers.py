"""The helper process that renders the Word file, its charts drawn by both processes
(``budget.app.renderers``): the same bytes as rendered here, and whatever goes wrong with
it, the files rendered here as before, with the same error; it ignores Ctrl-C and never
outlives its parent's use."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from budget.app import renderers
from budget.checks.prepare import prepare
from budget.edge import inputs as inputs_mod
from budget.report.build import build_report
from budget.report.formats import docx, html, json, workbook
from budget.report.render import chart_image
from tests.conftest import DEMO


@pytest.fixture(autouse=True)
def _no_chart_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every chart drawn, by one process or the other: the helper finds none kept by an
    earlier test (the chart cache has tests of its own, tests/test_chart_cache.py)."""
    monkeypatch.setenv("BUDGET_NO_CACHE", "1")


@pytest.fixture(scope="module")
def report() -> Any:
    loaded = inputs_mod.load(DEMO)
    return build_report(prepare(loaded, None), datetime(2017, 9, 12, 10))


def _files(report: Any) -> list[tuple[str, str | None, Any]]:
    return [
        ("r.html", None, lambda: html.render(report)),
        ("r.json", None, lambda: json.render(report)),
        ("r.xlsx", None, lambda: workbook.render(report)),
        ("r.docx", "docx", lambda: docx.render(report)),
    ]


def _charts(report: Any) -> int:
    """How many charts the report's Word file draws."""
    counted: list[int] = []

    def count(figures: list[dict[str, Any]]) -> list[bytes]:
        counted.append(len(figures))
        return [chart_image.png(figures[0])] * len(figures)

    docx.render(report, draw=count)
    return counted[0]


def _started() -> renderers.Helper:
    helper = renderers.Helper()
    helper.start()
    assert helper.proc is not None
    assert helper.proc.poll() is None
    return helper


def test_the_helper_renders_the_same_bytes_in_the_same_order(report: Any) -> None:
    here = {name: make() for name, _, make in _files(report)}
    helper = _started()
    proc = helper.proc
    try:
        files = renderers.render_all(helper, report, _files(report))
        assert helper.proc is not None, "the helper failed: all was rendered here"
        assert files == here
        assert list(files) == list(here)
    finally:
        helper.close()
    assert proc is not None
    assert proc.poll() is not None


def test_the_charts_are_drawn_by_both_the_same_bytes(report: Any) -> None:
    """This process, with no file of its own, is ready at once: the helper gives it charts
    from the last while it draws from the first, and the Word file is the same bytes."""
    here = docx.render(report)
    helper = _started()
    try:
        files = renderers.render_all(helper, report, [("r.docx", "docx", lambda: b"")])
        assert helper.proc is not None, "the helper failed: all was rendered here"
        assert files == {"r.docx": here}
        assert 0 < helper.drew < _charts(report)
    finally:
        helper.close()


def test_a_chart_this_process_cannot_draw_is_drawn_by_the_helper(
    report: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_figure: Any) -> bytes:
        raise RuntimeError("no chart here")

    monkeypatch.setattr(renderers, "_draw", broken)
    here = docx.render(report)
    helper = _started()
    try:
        files = renderers.render_all(helper, report, [("r.docx", "docx", lambda: b"")])
        assert helper.proc is not None, "the helper failed: all was rendered here"
        assert helper.drew > 0
        assert files == {"r.docx": here}
    finally:
        helper.close()


def test_a_helper_that_dies_while_this_process_draws_leaves_it_all_here(
    report: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    helper = _started()
    proc = helper.proc
    assert proc is not None

    def kill(_figure: Any) -> bytes:
        proc.kill()
        proc.wait()
        return b"not a chart"

    monkeypatch.setattr(renderers, "_draw", kill)
    try:
        files = renderers.render_all(
            helper, report, [("r.docx", "docx", lambda: docx.render(report))]
        )
        assert helper.proc is None
    finally:
        helper.close()
    monkeypatch.undo()
    assert files == {"r.docx": docx.render(report)}


def test_a_dead_helper_leaves_the_files_to_this_process() -> None:
    helper = _started()
    assert helper.proc is not None
    helper.proc.kill()
    helper.proc.wait()
    files = renderers.render_all(
        helper,
        cast(Any, SimpleNamespace()),
        [("r.html", None, lambda: b"h"), ("r.docx", "docx", lambda: b"d")],
    )
    assert files == {"r.html": b"h", "r.docx": b"d"}
    assert helper.proc is None


def test_an_error_in_the_helper_is_raised_here_as_before() -> None:
    """A renderer that fails in the helper is run here, and its own error is raised."""

    def broken() -> bytes:
        raise RuntimeError("renderer failed")

    helper = _started()
    proc = helper.proc
    try:
        with pytest.raises(RuntimeError, match="renderer failed"):
            renderers.render_all(
                helper,
                cast(Any, SimpleNamespace()),
                [("r.html", None, lambda: b"x"), ("r.docx", "docx", broken)],
            )
    finally:
        helper.close()
    assert proc is not None
    assert proc.poll() is not None


def test_ctrl_c_reaches_only_this_process_which_ends_the_helper() -> None:
    """Ctrl-C goes to the terminal's foreground process group: the helper is in a session
    of its own, so only the parent is interrupted (and says "Avbrutet."), and leaving the
    run ends the helper."""
    seen: list[Any] = []

    def interrupted() -> None:
        with renderers.helper(DEMO) as helper:
            if helper.proc is None:  # the demo is small: start one as a big folder would
                helper.start()
            seen.append(helper.proc)
            assert helper.proc is not None
            assert os.getpgid(helper.proc.pid) != os.getpgid(0)
            assert os.getsid(helper.proc.pid) != os.getsid(0)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    assert seen[0].poll() is not None


def test_the_helper_is_started_only_where_it_pays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(renderers.ENV, raising=False)
    (tmp_path / "utfall-2017.xlsx").write_bytes(b"x" * 1000)
    (tmp_path / "budget.xlsx").write_bytes(b"x" * renderers.MIN_LEDGER_BYTES)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert not renderers._wanted(tmp_path)  # small ledgers: the read hides no import
    (tmp_path / "utfall-2016.xlsx").write_bytes(b"x" * renderers.MIN_LEDGER_BYTES)
    assert renderers._wanted(tmp_path)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    assert not renderers._wanted(tmp_path)  # one core: nothing to share
    monkeypatch.setenv(renderers.ENV, "1")
    assert renderers._wanted(tmp_path)
    monkeypatch.setenv(renderers.ENV, "0")
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert not renderers._wanted(tmp_path)


def test_no_python_to_start_renders_everything_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.executable", "")
    helper = renderers.Helper()
    helper.start()
    assert helper.proc is None
    files = renderers.render_all(
        helper,
        cast(Any, SimpleNamespace()),
        [("r.html", None, lambda: b"h"), ("r.docx", "docx", lambda: b"d")],
    )
    assert files == {"r.html": b"h", "r.docx": b"d"}


def test_errors_are_raised_in_the_order_of_the_files() -> None:
    """An error of a file rendered here that comes after one the helper renders: the
    helper's file is rendered first (here, by its own function) and its error raised, as
    when the files were rendered one by one."""

    def broken(message: str) -> Any:
        def make() -> bytes:
            raise RuntimeError(message)

        return make

    helper = _started()
    try:
        with pytest.raises(RuntimeError, match="the Word file"):
            renderers.render_all(
                helper,
                cast(Any, SimpleNamespace()),
                [
                    ("r.html", None, lambda: b"h"),
                    ("r.docx", "docx", broken("the Word file")),
                    ("r-begaran.xlsx", None, broken("the request")),
                    ("r.xlsx", None, lambda: b"w"),
                ],
            )
    finally:
        helper.close()


_SHADOW = """
import pickle, sys
def serve():
    pickle.dump(("files", {"docx": b"other"}), sys.stdout.buffer)
    sys.stdout.flush()
    sys.stdin.buffer.read()
"""


def test_a_helper_that_imports_another_budget_serves_nothing(
    report: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another ``budget`` found first by the helper (a PYTHONPATH, another checkout than
    the one this process runs) could render other bytes: it ends, all is rendered here."""
    shadow = tmp_path / "budget" / "app"
    shadow.mkdir(parents=True)
    (tmp_path / "budget" / "__init__.py").write_text("")
    (shadow / "__init__.py").write_text("")
    (shadow / "renderers.py").write_text(_SHADOW)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    here = {name: make() for name, _, make in _files(report)}
    helper = _started()
    try:
        assert renderers.render_all(helper, report, _files(report)) == here
    finally:
        helper.close()


def test_a_helper_whose_parent_is_gone_ends_without_its_input_ending() -> None:
    """The parent killed (SIGKILL, SIGTERM) mid-render: the helper does not wait for its
    next read to end. Here its input stays open and its parent is another process."""
    import subprocess
    import sys

    other = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    command = [sys.executable, "-P", "-c", renderers._COMMAND, renderers._package()]
    proc = subprocess.Popen([*command, str(other.pid)], stdin=subprocess.PIPE)
    try:
        assert proc.wait(timeout=120) == 0
    finally:
        for p in (proc, other):
            p.kill()
            assert p.stdin is not None
            p.stdin.close()
            p.wait()


def test_a_report_that_cannot_be_pickled_is_rendered_here() -> None:
    """Half a pickle sent, then the error: the helper is ended and all rendered here."""
    helper = _started()
    proc = helper.proc
    try:
        files = renderers.render_all(
            helper,
            cast(Any, SimpleNamespace(big=b"x" * 200_000, f=lambda: 0)),
            [
                ("r.html", None, lambda: b"h"),
                ("r.docx", "docx", lambda: b"d"),
                ("r.xlsx", None, lambda: b"w"),
            ],
        )
    finally:
        helper.close()
    assert files == {"r.html": b"h", "r.docx": b"d", "r.xlsx": b"w"}
    assert proc is not None
    assert proc.poll() is not None
