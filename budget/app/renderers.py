"""The report's files rendered on both cores: a second process writes the Word file while
this one renders the HTML, the JSON and the workbooks, and then the Word file's charts are
drawn by both.

The renderers are pure Python (python-docx, matplotlib, openpyxl, jinja2): threads would
take turns on the GIL, so the work is shared with a helper process instead. It is a fresh
interpreter (``subprocess``: fork and exec, never a bare ``fork`` of this process, whose
polars threads could leave it deadlocked), started as soon as ``budget report`` starts so
that its imports overlap the reading of the inputs; it then waits for the report. At the
write stage the report is sent to it (a small pickle on its standard input), this process
renders its own files meanwhile, and the helper sends back the bytes of its own.

**The charts from both ends.** The Word file's text is the shorter part of its work; its
charts (matplotlib, ``render.chart_image``) the longer, and each is drawn alone. Once this
process has rendered its own files it says so, and the helper hands it charts to draw, one
at a time from the last while it draws from the first, until they meet: each process draws
while it has nothing else to do, whichever is slower or more loaded. A chart's bytes do not
depend on the process that draws it (the same function, matplotlib and fonts).

Over the pipes, each message a pickle: this process sends the report, then ``("ready",)``
once its own files are rendered, then ``("png", i, bytes or None)`` for each chart ``i`` it
was given (None: it could not draw it, the helper draws it itself); the helper sends
``("draw", i, figure)`` for each chart it gives, then ``("files", files)``, the end of the
report's answer.

**The helper can only save time, never change an outcome.** Its files are rendered by the
same functions, so their bytes are the same (``tests/test_renderers.py`` compares them).
Whatever goes wrong with it (it cannot be started, dies, or a renderer raises in it) this
process renders those files itself, as it did before there was a helper, and an error the
renderer raises is raised here, as ever. The helper writes no file: its bytes go to
``write_all`` with the others, whole or not at all. It runs in a session of its own, so
Ctrl-C in the terminal reaches only this process, which says "Avbrutet." and ends it; its
error output goes nowhere (nothing it could say is the user's concern); and it ends when
this process closes its input, or as soon as this process is gone, however it ends
(SIGKILL, SIGTERM: a render in flight is not finished for nobody).

Only for big inputs (the ledgers at least ``MIN_LEDGER_BYTES`` on disk) and two or more
cores: for a small folder the read is too short to hide the helper's imports.
``BUDGET_RENDER_PROCESS=0`` turns it off, ``=1`` uses it for any inputs (tests).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from budget.report.model import Report

ENV = "BUDGET_RENDER_PROCESS"
# Ledgers (utfall*) of at least this many bytes on disk: about 100 000 rows of .xlsx.
MIN_LEDGER_BYTES = 4 * 1024**2
# What the helper renders: the Word file, the heaviest (its text, then its charts drawn by
# both processes). The workbook is rendered here: this process is done with its own files
# before the helper is with the Word file's text, so the workbook costs the run nothing here
# and would delay the charts there.
HELPER_FILES = ("docx",)
# The helper serves only when it imports this very package (its folder in argv[1]): one
# found elsewhere (``python -m budget`` in another checkout than the one installed, a
# PYTHONPATH) could render other bytes, so it ends at once and this process renders all.
_COMMAND = (
    "import os, sys, budget\n"
    "if os.path.dirname(os.path.realpath(budget.__file__)) != sys.argv[1]: sys.exit(0)\n"
    "from budget.app.renderers import serve; serve()"
)


def _package() -> str:
    import budget

    return os.path.dirname(os.path.realpath(budget.__file__))


def _renderers() -> dict[str, Callable[..., bytes]]:
    from budget.app import word_cache

    word_cache.surroundings()  # the cache key's libraries, found while the parent reads
    return {"docx": word_cache.render}  # the Word file from the cache, else rendered


def _draw(figure: Any) -> bytes:
    from budget.report.render import chart_image

    return chart_image.png(figure)


def _wanted(folder: Path) -> bool:
    setting = os.environ.get(ENV, "").strip().lower()
    if setting in ("0", "nej", "false"):
        return False
    if setting in ("1", "ja", "true"):
        return True
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    if cores < 2:
        return False
    size = 0
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            if path.name.lower().startswith("utfall"):
                with contextlib.suppress(OSError):
                    size += path.stat().st_size
    return size >= MIN_LEDGER_BYTES


class _Charts:
    """The Word file's charts of one report, drawn from both ends: the helper takes them
    from the first (``mine``), the parent from the last (``theirs``, once it is ready) until
    they meet. Shared by the helper's render (its ``draw``) and the thread that talks to
    the parent."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.figures: list[dict[str, Any]] | None = None  # set when the render reaches them
        self.over = False  # the render is done (or failed) with the charts: none to give
        self.front = 0  # the next the helper draws
        self.back = 0  # one past the next the parent would draw
        self.given: set[int] = set()
        self.drawn: dict[int, bytes | None] = {}  # the parent's, None where it failed
        self.gone = False  # the parent's messages ended or made no sense: draw them here

    def mine(self) -> int | None:
        with self.changed:
            if self.front >= self.back:
                return None
            self.front += 1
            return self.front - 1

    def theirs(self) -> int | None:
        with self.changed:
            while self.figures is None and not self.over:
                self.changed.wait()
            if self.over or self.front >= self.back:
                return None
            self.back -= 1
            self.given.add(self.back)
            return self.back

    def draw(self, figures: list[dict[str, Any]]) -> list[bytes]:
        """``docx.render``'s draw: each chart drawn here or by the parent, in order."""
        from budget.report.render import chart_image

        with self.changed:
            self.figures, self.back = figures, len(figures)
            self.changed.notify_all()
        pngs: dict[int, bytes] = {}
        while (index := self.mine()) is not None:
            pngs[index] = chart_image.png(figures[index])
        with self.changed:
            while not self.gone and not self.given <= set(self.drawn):
                self.changed.wait()
            theirs = {i: self.drawn.get(i) for i in self.given}
        for index, png in theirs.items():  # the parent's, or drawn here where it failed
            pngs[index] = png if png is not None else chart_image.png(figures[index])
        return [pngs[i] for i in range(len(figures))]

    def end(self) -> None:
        with self.changed:
            self.over = True
            self.changed.notify_all()


def serve() -> None:
    """The helper's main: import the renderers, then render each report read from standard
    input until it ends, answering each with its files (None where any renderer failed:
    the parent renders them itself). Standard output carries only the answers."""
    if len(sys.argv) > 2:  # the parent's pid: end when it is gone, even mid-render
        threading.Thread(target=_watch, args=(int(sys.argv[2]),), daemon=True).start()
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes where the errors go
    try:
        renderers = _renderers()
    except Exception:  # the parent renders everything itself
        renderers = {}
    requests = sys.stdin.buffer
    speaking = threading.Lock()

    def say(message: tuple[Any, ...]) -> None:
        with speaking:
            pickle.dump(message, answers)
            answers.flush()

    while True:
        try:
            report = pickle.load(requests)  # from the parent only: its own pipe
        except Exception:  # the end of the input: the parent is done (or gone)
            return
        charts = _Charts()
        parent = threading.Thread(
            target=_give, args=(charts, requests, say), name="budget-give", daemon=True
        )
        parent.start()
        try:
            files: dict[str, bytes] | None = {
                # Kept by an earlier run where the cache is on (the Word file, else its
                # charts), the charts it lacks drawn from both ends.
                name: renderers[name](report, draw=charts.draw)
                for name in HELPER_FILES
            }
        except Exception:
            files = None
        charts.end()
        try:
            say(("files", files))
        except OSError:
            return
        parent.join()  # it has read the parent's last message of this report
        if charts.gone:
            return


def _give(charts: _Charts, requests: IO[bytes], say: Callable[[tuple[Any, ...]], None]) -> None:
    """The helper's side of the parent's help: once it is ready, a chart to draw at a time
    while any is left, each answered by its PNG (or None). Ends when none is left; marks
    the parent ``gone`` if its messages end or make no sense."""
    try:
        ready = pickle.load(requests)
        if ready != ("ready",):
            raise ValueError(ready)
        while (index := charts.theirs()) is not None:
            assert charts.figures is not None
            say(("draw", index, charts.figures[index]))
            answer = pickle.load(requests)
            kind, got, png = answer
            if kind != "png" or got != index or not isinstance(png, (bytes, type(None))):
                raise ValueError(answer)
            with charts.changed:
                charts.drawn[index] = png
                charts.changed.notify_all()
    except Exception:  # the parent is gone, or said nonsense: the helper draws them all
        with charts.changed:
            charts.gone = True
            charts.changed.notify_all()


def _watch(parent: int) -> None:
    """End the helper once ``parent`` is no longer its parent (killed, SIGTERM): the input's
    end tells it only when it next reads, and a render can take seconds nobody waits for."""
    while os.getppid() == parent:
        time.sleep(0.25)
    os._exit(0)


class Helper:
    """The helper process (``proc`` None: none was started, or it has failed)."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.sender: threading.Thread | None = None
        self.failed = False
        self.drew = 0  # the charts this process drew for the last report (bench, tests)

    def start(self) -> None:
        if not sys.executable:  # an embedded interpreter: no Python to start
            return
        try:
            self.proc = subprocess.Popen(
                # -P: nothing from the working folder shadows a module.
                [sys.executable, "-P", "-c", _COMMAND, _package(), str(os.getpid())],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except (OSError, ValueError, subprocess.SubprocessError):  # all rendered here
            self.proc = None

    def send(self, report: Report) -> None:
        """Hand ``report`` to the helper; ``collect`` takes its answer."""
        proc = self.proc
        if proc is None or proc.stdin is None:
            return
        stdin: IO[bytes] = proc.stdin
        # Sent from a thread: a pickle larger than the pipe's buffer would block until the
        # helper has finished its imports, while this process could be rendering.
        self.failed = False

        def send() -> None:
            try:
                pickle.dump(report, stdin)
                stdin.flush()
            except Exception:  # unpicklable, or the helper is gone
                self.failed = True

        self.sender = threading.Thread(target=send, name="budget-send", daemon=True)
        self.sender.start()

    def collect(self) -> dict[str, bytes] | None:
        """The helper's files for the report sent, or None where it could not render them.
        Meanwhile this process draws the charts the helper gives it."""
        proc, sender, self.sender = self.proc, self.sender, None
        self.drew = 0
        if proc is None or proc.stdin is None or proc.stdout is None or sender is None:
            return None
        sender.join()
        files = None
        if not self.failed:
            with contextlib.suppress(Exception):  # the helper died, or answered nonsense
                files = self._help(proc)
        if not isinstance(files, dict) or set(files) != set(HELPER_FILES):
            self.close()
            return None
        return files

    def _help(self, proc: subprocess.Popen[bytes]) -> Any:
        """Say this process is ready, draw each chart the helper gives, and return what
        its answer ends with (its files)."""
        stdin = proc.stdin
        assert stdin is not None
        assert proc.stdout is not None
        pickle.dump(("ready",), stdin)
        stdin.flush()
        while True:
            kind, *rest = pickle.load(proc.stdout)  # from our own child's pipe
            if kind == "files":
                return rest[0]
            if kind != "draw":
                return None
            index, figure = rest
            try:
                png: bytes | None = _draw(figure)
            except Exception:  # drawn again by the helper, whose error the parent then meets
                png = None
            self.drew += 1
            pickle.dump(("png", index, png), stdin)
            stdin.flush()

    def close(self) -> None:
        """End the helper, at once: it holds nothing but what it was sent, and a run that
        is done (or failed) should not wait for an interpreter to wind down."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        with contextlib.suppress(OSError):
            proc.kill()
        for stream in (proc.stdin, proc.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()
        proc.wait()


@contextlib.contextmanager
def helper(folder: Path) -> Iterator[Helper]:
    """A helper for the report of ``folder`` (started where it pays), ended on leaving."""
    found = Helper()
    try:
        if _wanted(folder):
            found.start()
        yield found
    finally:
        found.close()


def render_all(
    helper: Helper, report: Report, files: list[tuple[str, str | None, Callable[[], bytes]]]
) -> dict[str, bytes]:
    """Every file of the report, in the order given: (file name, what the helper renders
    of it or None, how to render it here). This process renders its own while the helper
    renders the others; what the helper could not render is rendered here, by the same
    function, so that any error it raises is raised here as before."""
    helper.send(report)
    mine: dict[str, bytes] = {}
    failed: tuple[str, Exception] | None = None
    for name, kind, make in files:
        if kind is None:
            try:
                mine[name] = make()
            except Exception as exc:  # raised below, where the order of the files puts it
                failed = (name, exc)
                break
    theirs = helper.collect() or {}
    out: dict[str, bytes] = {}
    for name, kind, make in files:
        if failed is not None and name == failed[0]:
            # As rendered one by one: the files before it were rendered (an error of
            # theirs comes first), those after it never were.
            raise failed[1]
        out[name] = mine[name] if kind is None else theirs[kind] if kind in theirs else make()
    return out


__all__ = ["ENV", "HELPER_FILES", "MIN_LEDGER_BYTES", "Helper", "helper", "render_all", "serve"]
