"""make bench: the cost of a report against the cost of reading its ledger, measured.

Generates (once, cached under bench/out/) an inputs folder whose current-year
ledger has 1 048 574 rows, then times in fresh processes, several runs each:

1. ``budget report`` end to end, with an empty cache (a first run);
2. reading the same ledger alone with ``polars.read_excel`` (the naive floor);
3. the pandas + openpyxl baseline of bench/baseline.py;
4. ``budget report`` again on unchanged inputs (the warm rerun, cache filled);
5. ``budget report`` with every cell read as text (``BUDGET_TEXT_PATH=1``);
6. ``budget report`` on three ledgers of a million rows each (three years).

Then checks that the typed and the text path write byte-identical reports for the
million-row ledger, and profiles one first run stage by stage (bench/stages.py).

Prints medians, the ratios 1/2, 1/3 and 4/1 and each one's peak RSS, measures
how a first run grows with the ledger (100 k, 300 k, 1 M rows), and writes it
all to docs/performance.md (from bench/performance.md.in) with a description of the
machine. A benchmark, not a test: nothing here asserts a time.

Environment: BENCH_RUNS (default 3), BENCH_BASELINE_RUNS (default 2),
BENCH_SCALE=0 to skip the scaling runs.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable
FULL = 1_048_574  # Excel's 1 048 576 rows less the title row and the header


@dataclass
class Result:
    label: str
    seconds: list[float]
    rss_mb: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.rss_mb)


def _recipe() -> str:
    """What the generated inputs depend on: the generator and the demo's files."""
    import hashlib

    digest = hashlib.sha256((ROOT / "bench" / "make_inputs.py").read_bytes())
    for path in sorted((ROOT / "inputs" / "skarholmen-2017").iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def inputs(rows: int, years: int = 1) -> Path:
    """The generated inputs folder (made again when the generator or the demo changed)."""
    folder = OUT / f"inputs-{rows}-{years}" / "benchnamnd-2017"
    marker = folder.parent / "recipe"
    recipe = _recipe()
    if not marker.exists() or marker.read_text() != recipe:
        if folder.exists():
            shutil.rmtree(folder)
        print(f"Skapar indata: {years} huvudböcker med {grouped(rows)} rader …", flush=True)
        subprocess.run(
            [PY, str(ROOT / "bench" / "make_inputs.py"), str(folder), str(rows), str(years)],
            check=True,
        )
        marker.write_text(recipe)
    return folder


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(cmd)} avslutades med {code}:\n{stderr}")
    return elapsed, usage.ru_maxrss / 1024


def same_reports(folder: Path, work: Path) -> bool:
    """Whether the typed and the text path write byte-identical reports for ``folder``."""
    found = []
    for text in ("0", "1"):
        out = work / f"same-{text}"
        env = {"BUDGET_NO_CACHE": "1", "BUDGET_TEXT_PATH": text}
        timed(report_cmd(folder, out), env)
        found.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    return found[0] == found[1]


def profile(folder: Path) -> str:
    """bench/stages.py's seconds per stage of one first run, as Swedish text."""
    done = subprocess.run(
        [PY, str(ROOT / "bench" / "stages.py"), str(folder)],
        check=True,
        capture_output=True,
        text=True,
    )
    parts = [line.split() for line in done.stdout.splitlines() if line.strip()]
    return ", ".join(f"{name} {sv(float(sec), 1)} s" for name, sec, _ in parts)


def report_cmd(folder: Path, out: Path) -> list[str]:
    return [
        PY,
        "-c",
        "from budget.cli import main; main()",
        "report",
        str(folder),
        "--out",
        str(out),
        "--generated-at",
        "2017-09-12T10:00",
    ]


def measure(label: str, runs: int, make: callable) -> Result:  # type: ignore[valid-type]
    seconds, rss = [], []
    for i in range(runs):
        cmd, env = make(i)
        s, m = timed(cmd, env)
        seconds.append(s)
        rss.append(m)
        print(f"  {label} #{i + 1}: {s:.2f} s, {m:.0f} MB", flush=True)
    return Result(label, seconds, rss)


def machine() -> str:
    cpu = platform.processor() or "okänd"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        mem = 0.0
    import fastexcel
    import polars

    return (
        f"{os.cpu_count()} kärnor ({cpu}), {mem:.0f} GB minne, Python "
        f"{platform.python_version()}, polars {polars.__version__}, fastexcel "
        f"{fastexcel.__version__}, {platform.system()} {platform.release()}"
    )


def main() -> None:
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    base_runs = int(os.environ.get("BENCH_BASELINE_RUNS", "2"))
    folder = inputs(FULL)
    ledger = folder / "utfall-2017.xlsx"
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:

        def cold(text: str) -> callable:  # type: ignore[valid-type]
            def make(i: int) -> tuple[list[str], dict[str, str]]:
                cache = work / f"cache-cold-{text}-{i}"
                env = {"BUDGET_CACHE_DIR": str(cache), "BUDGET_TEXT_PATH": text}
                return report_cmd(folder, work / "out"), env

            return make

        first = measure("1 budget report (första körningen)", runs, cold("0"))
        read = measure(
            "2 polars.read_excel av huvudboken",
            runs,
            lambda i: (
                [
                    PY,
                    "-c",
                    "import polars, sys; polars.read_excel(sys.argv[1], "
                    "read_options={'header_row': 1})",
                    str(ledger),
                ],
                None,
            ),
        )
        baseline = measure(
            "3 pandas + openpyxl",
            base_runs,
            lambda i: (
                [PY, str(ROOT / "bench" / "baseline.py"), str(folder), str(work / "base.json")],
                None,
            ),
        )
        warm_cache = work / "cache-warm"
        timed(report_cmd(folder, work / "out"), {"BUDGET_CACHE_DIR": str(warm_cache)})
        warm = measure(
            "4 budget report igen (oförändrade filer)",
            runs,
            lambda i: (report_cmd(folder, work / "out"), {"BUDGET_CACHE_DIR": str(warm_cache)}),
        )
        text = measure("5 budget report, allt läst som text", runs, cold("1"))
        three_folder = inputs(FULL, years=3)
        three = measure(
            "6 budget report, tre huvudböcker à en miljon rader",
            max(1, runs - 1),
            lambda i: (
                report_cmd(three_folder, work / "out-three"),
                {"BUDGET_CACHE_DIR": str(work / f"cache-three-{i}")},
            ),
        )
        identical = same_reports(folder, work)
        print(f"  samma rapport med båda läsvägarna: {'ja' if identical else 'NEJ'}", flush=True)
        stages = profile(folder)
        scale: list[tuple[int, float, float]] = []
        if os.environ.get("BENCH_SCALE", "1") != "0":
            for rows in (100_000, 300_000, FULL):
                f = folder if rows == FULL else inputs(rows)
                s, m = timed(
                    report_cmd(f, work / "out-scale"),
                    {"BUDGET_CACHE_DIR": str(work / f"cache-scale-{rows}")},
                )
                scale.append((rows, s, m))
                print(f"  skala {rows:>9}: {s:.2f} s, {m:.0f} MB", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_doc(first, read, baseline, warm, text, three, identical, stages, scale)


def sv(value: float, decimals: int = 2) -> str:
    """A figure with a decimal comma, as in the rest of the Swedish documentation."""
    return f"{value:.{decimals}f}".replace(".", ",")


def grouped(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def write_doc(
    first: Result,
    read: Result,
    baseline: Result,
    warm: Result,
    text: Result,
    three: Result,
    identical: bool,
    stages: str,
    scale: list[tuple[int, float, float]],
) -> None:
    r12 = first.median / read.median
    r13 = baseline.median / first.median
    r41 = warm.median / first.median
    peak = max(first.peak, warm.peak, three.peak)
    lines = [
        f"1/2 = {sv(r12)} (mål ≤ 1,3)   {'uppfyllt' if r12 <= 1.3 else 'ej uppfyllt'}",
        f"3/1 = {sv(r13, 1)}× snabbare än pandas + openpyxl (mål ≥ 20)   "
        f"{'uppfyllt' if r13 >= 20 else 'ej uppfyllt'}",
        f"4/1 = {sv(r41)} (mål ≤ 0,25)   {'uppfyllt' if r41 <= 0.25 else 'ej uppfyllt'}",
        f"högsta RSS = {peak:.0f} MB, tre huvudböcker inräknade (mål < 2 500 MB)   "
        f"{'uppfyllt' if peak < 2500 else 'ej uppfyllt'}",
        f"5/1 = {sv(text.median / first.median)} (allt läst som text mot den typade vägen)",
        f"6/1 = {sv(three.median / first.median)} (tre huvudböcker mot en)",
        f"samma rapport med båda läsvägarna: {'ja' if identical else 'NEJ'}",
    ]
    print("\n".join(lines))
    rows = "\n".join(
        f"| {r.label} | {r.median:.2f} | {min(r.seconds):.2f}–{max(r.seconds):.2f} "
        f"| {len(r.seconds)} | {r.peak:.0f} |"
        for r in (first, read, baseline, warm, text, three)
    )
    scale_rows = "\n".join(f"| {grouped(n)} | {sv(s)} | {m:.0f} |" for n, s, m in scale)
    scale_rows += f"\n| 3 × {grouped(FULL)} | {sv(three.median)} | {three.peak:.0f} |"
    doc = (ROOT / "bench" / "performance.md.in").read_text(encoding="utf-8")
    for key, value in {
        "DATE": time.strftime("%Y-%m-%d"),
        "MACHINE": machine(),
        "FULL": grouped(FULL),
        "ROWS": rows,
        "RATIOS": "\n".join(lines),
        "SCALE": scale_rows,
        "STAGES": stages,
        "FIRST": sv(first.median),
        "READ": sv(read.median),
        "TEXT": sv(text.median),
    }.items():
        doc = doc.replace("{" + key + "}", value)
    (ROOT / "docs" / "performance.md").write_text(doc, encoding="utf-8")
    print(f"Skrev {ROOT / 'docs' / 'performance.md'}")


if __name__ == "__main__":
    main()
