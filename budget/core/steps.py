"""Where a run spends its time: stages and files, timed by an injected clock.

A run is read -> check -> compute -> write; reading is one step per file, and the
files are read in worker threads. ``Steps`` times each and tells an optional listener
when one starts and ends, which is how the terminal shows progress; ``validate --json``
reports the times. Nothing here touches a terminal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

# The stages in order, with what the terminal says while each runs.
STAGES = {
    "read": "Läser indata",
    "check": "Kontrollerar",
    "compute": "Beräknar",
    "write": "Skriver rapporten",
    # budget underlag, samla and sie
    "write_underlag": "Skriver arbetsböckerna",
    "returned": "Läser de inlämnade underlagen",
    "write_prognos": "Skriver prognos.xlsx",
    "sie": "Läser SIE-filen",
    "write_workbook": "Skriver arbetsboken",
}

# (event, what, detail): ("start" | "end", "stage" | "file", a stage key or a file name).
Listener = Callable[[str, str, str], None]


@dataclass
class Steps:
    # The caller's clock (time.perf_counter): the core reads none itself.
    clock: Callable[[], float]
    listener: Listener | None = None
    stages: dict[str, float] = field(default_factory=dict)
    files: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @contextmanager
    def stage(self, key: str) -> Iterator[None]:
        assert key in STAGES, key
        with self._timed("stage", key, self.stages):
            yield

    @contextmanager
    def file(self, name: str) -> Iterator[None]:
        with self._timed("file", name, self.files):
            yield

    @contextmanager
    def _timed(self, what: str, key: str, into: dict[str, float]) -> Iterator[None]:
        self._tell("start", what, key)
        start = self.clock()
        try:
            yield
        finally:
            with self._lock:
                into[key] = into.get(key, 0.0) + self.clock() - start
            self._tell("end", what, key)

    def _tell(self, event: str, what: str, key: str) -> None:
        if self.listener is not None:
            self.listener(event, what, key)

    def as_dict(self) -> dict[str, object]:
        """Seconds per stage and per file, to the millisecond (``validate --json``)."""
        return {
            "stages": {k: round(v, 3) for k, v in self.stages.items()},
            "files": {k: round(v, 3) for k, v in sorted(self.files.items())},
        }
