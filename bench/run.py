"""make bench: the cost of a report against the cost of reading its ledger, measured.

Generates (once, cached under bench/out/) an inputs folder whose current-year
ledger has 1 048 574 rows, then times in fresh processes, several runs each:

1. ``budget report`` end to end, with an empty cache (a first run);
2. reading the same ledger alone with ``polars.read_excel`` (the naive floor), taken in
   turn with 1 so that the ratio 1/2 meets one load (also given pair by pair);
3. the pandas + openpyxl baseline of bench/baseline.py;
4. ``budget report`` again on unchanged inputs (the warm rerun, cache filled);
5. ``budget report`` with every cell read as text (``BUDGET_TEXT_PATH=1``);
6. ``budget report`` on three ledgers of a million rows each (three years).

The ledger's sheet read alone (bench/read_sheet.py: no conversion, no other file) by the
split path (forced) and by the plain path is timed in turn with ``polars.read_excel``: the
split read's own figure against the naive floor.

Then checks that the typed and the text path write byte-identical reports for the
million-row ledger, and the split read (budget.edge.split, forced), one part and the
plain read too; times the ledger as CSV and as SIE against polars' CSV reader on the
same file; and profiles one first run stage by stage (bench/stages.py). Which path each
big ledger took, and why (the cores found free), is printed from the read log
(``BUDGET_READ_LOG``), with the machine's load average during the measurements.

Prints medians, the ratios 1/2, 1/3 and 4/1 and each one's peak RSS, measures
how a first run grows with the ledger (100 k, 300 k, 1 M rows), and writes it
all to docs/performance.md (from bench/performance.md.in) with a description of the
machine. A benchmark, not a test: nothing here asserts a time.

Environment: BENCH_RUNS (default 3), BENCH_BASELINE_RUNS (default 2),
BENCH_SCALE=0 to skip the scaling runs, BENCH_ROWS for a small smoke run.
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
# Excel's 1 048 576 rows less the title row and the header; BENCH_ROWS makes a smaller
# bench (a smoke test of this script: its figures say nothing).
FULL = int(os.environ.get("BENCH_ROWS", "1048574"))


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


def inputs(rows: int, years: int = 1, fmt: str = "xlsx") -> Path:
    """The generated inputs folder (made again when the generator or the demo changed);
    ``fmt`` csv or se: the current year's ledger in that format."""
    suffix = "" if fmt == "xlsx" else f"-{fmt}"
    folder = OUT / f"inputs-{rows}-{years}{suffix}" / "benchnamnd-2017"
    marker = folder.parent / "recipe"
    recipe = _recipe()
    if not marker.exists() or marker.read_text() != recipe:
        if folder.exists():
            shutil.rmtree(folder)
        print(f"Skapar indata: {years} huvudböcker med {grouped(rows)} rader …", flush=True)
        subprocess.run(
            [
                PY,
                str(ROOT / "bench" / "make_inputs.py"),
                str(folder),
                str(rows),
                str(years),
                fmt,
            ],
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


def alternate(runs: int, *what: tuple[str, callable]) -> list[Result]:  # type: ignore[valid-type]
    """Each measurement ``runs`` times, taken in turn (1, 2, 1, 2, …): a ratio between
    them is measured under the same load."""
    results = [Result(label, [], []) for label, _ in what]
    for i in range(runs):
        for (label, make), result in zip(what, results, strict=True):
            cmd, env = make(i)
            s, m = timed(cmd, env)
            result.seconds.append(s)
            result.rss_mb.append(m)
            print(f"  {label} #{i + 1}: {s:.2f} s, {m:.0f} MB", flush=True)
    return results


def load() -> float:
    """The machine's load average over the last minute (other work skews every figure)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def taken(work: Path, tag: str, name: str) -> list[str]:
    """Which path the reads of the runs ``tag`` took for the files whose name starts with
    ``name`` (budget.edge.split's read log), each different one once:
    "utfall-2017.xlsx: delad i 4 delar (…)"."""
    seen: dict[str, None] = {}
    for log in sorted(work.glob(f"route-{tag}-*")):
        for line in log.read_text(encoding="utf-8").splitlines():
            file, _, route = line.partition("\t")
            if file.startswith(name):
                seen[f"{file}: {route}"] = None
    for route in seen:
        print(f"  väg: {route}", flush=True)
    return list(seen)


def same_split(folder: Path, work: Path) -> bool:
    """Whether the split and the plain read write byte-identical reports for ``folder``
    (the split path forced: parts as if both cores were free)."""
    found = []
    for mode in ("0", "1", "en"):
        out = work / f"split-{mode}"
        timed(report_cmd(folder, out), {"BUDGET_NO_CACHE": "1", "BUDGET_SPLIT": mode})
        found.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    return found[0] == found[1] == found[2]


@dataclass
class Extra:
    routes: list[str]
    split_same: bool
    loads: list[float]
    text_ledgers: list[tuple[str, Result, Result]]
    sheet_reads: list[Result]


def plain_read(ledger: Path) -> callable:  # type: ignore[valid-type]
    """The naive floor: ``polars.read_excel`` of the ledger alone, in a fresh process."""
    code = "import polars, sys; polars.read_excel(sys.argv[1], read_options={'header_row': 1})"
    return lambda i: ([PY, "-c", code, str(ledger)], None)


def sheet_reads(runs: int, ledger: Path) -> list[Result]:
    """The ledger's sheet alone read by the split path (forced: as if both cores were
    free), by the plain path, and by ``polars.read_excel``, in turn (the same load)."""

    def sheet(mode: str) -> callable:  # type: ignore[valid-type]
        return lambda i: (
            [PY, str(ROOT / "bench" / "read_sheet.py"), str(ledger)],
            {"BUDGET_SPLIT": mode},
        )

    return alternate(
        runs,
        ("2a bladet läst i delar (påtvingat)", sheet("1")),
        ("2b bladet läst utan delning", sheet("0")),
        ("2c polars.read_excel av huvudboken, i tur med 2a och 2b", plain_read(ledger)),
    )


def text_formats(runs: int, work: Path) -> list[tuple[str, Result, Result]]:
    """The first run with the million-row ledger as CSV and as SIE, each against reading
    that file alone with polars' CSV reader, alternately."""
    out = []
    for fmt, label in (("csv", "CSV"), ("se", "SIE")):
        folder = inputs(FULL, fmt=fmt)
        ledger = folder / f"utfall-2017.{fmt}"
        if fmt == "csv":
            plain = (
                "import polars, sys; polars.read_csv(sys.argv[1], separator=';', "
                "infer_schema=False)"
            )
        else:  # the #TRANS lines as one text column: the least any SIE reader does
            plain = (
                "import polars, sys; polars.read_csv(sys.argv[1], has_header=False, "
                "separator='\\x01', quote_char=None, infer_schema=False, encoding='utf8-lossy')"
            )
        first, read = alternate(
            runs,
            (
                f"{label}: budget report (första körningen)",
                lambda i, f=folder, fmt=fmt: (
                    report_cmd(f, work / f"out-{fmt}"),
                    {"BUDGET_CACHE_DIR": str(work / f"cache-{fmt}-{i}")},
                ),
            ),
            (
                f"{label}: polars.read_csv av huvudboken",
                lambda i, led=ledger, code=plain: ([PY, "-c", code, str(led)], None),
            ),
        )
        out.append((label, first, read))
    return out


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
    loads: list[float] = []
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

        loads.append(load())

        def logged(make: callable, tag: str) -> callable:  # type: ignore[valid-type]
            """The runs of ``make`` with the read log on (which path each ledger took)."""

            def run(i: int) -> tuple[list[str], dict[str, str]]:
                cmd, env = make(i)
                return cmd, {**(env or {}), "BUDGET_READ_LOG": str(work / f"route-{tag}-{i}")}

            return run

        # The first run and the plain read alternate, so that both meet the same load.
        first, read = alternate(
            runs,
            ("1 budget report (första körningen)", logged(cold("0"), "first")),
            ("2 polars.read_excel av huvudboken", plain_read(ledger)),
        )
        routes = taken(work, "first", ledger.name)
        loads.append(load())
        reads = sheet_reads(runs, ledger)
        loads.append(load())
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
            logged(
                lambda i: (
                    report_cmd(three_folder, work / "out-three"),
                    {"BUDGET_CACHE_DIR": str(work / f"cache-three-{i}")},
                ),
                "three",
            ),
        )
        routes += [f"tre huvudböcker: {r}" for r in taken(work, "three", "utfall")]
        loads.append(load())
        identical = same_reports(folder, work)
        print(f"  samma rapport med båda läsvägarna: {'ja' if identical else 'NEJ'}", flush=True)
        split_same = same_split(folder, work)
        print(
            f"  samma rapport delad och oläst i delar: {'ja' if split_same else 'NEJ'}", flush=True
        )
        text_ledgers = text_formats(runs, work)
        loads.append(load())
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
    write_doc(
        first,
        read,
        baseline,
        warm,
        text,
        three,
        identical,
        stages,
        scale,
        Extra(routes, split_same, loads, text_ledgers, reads),
    )


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
    extra: Extra,
) -> None:
    r12 = first.median / read.median
    # Each first run over the plain read taken right after it (the same load).
    paired = statistics.median(a / b for a, b in zip(first.seconds, read.seconds, strict=True))
    r13 = baseline.median / first.median
    r41 = warm.median / first.median
    peak = max(first.peak, warm.peak, three.peak)
    lines = [
        f"1/2 = {sv(r12)}, parvis {sv(paired)} (mål ≤ 1,0)   "
        f"{'uppfyllt' if r12 <= 1.0 else 'ej uppfyllt'}",
        f"3/1 = {sv(r13, 1)}× snabbare än pandas + openpyxl (mål ≥ 20)   "
        f"{'uppfyllt' if r13 >= 20 else 'ej uppfyllt'}",
        f"4/1 = {sv(r41)} (mål ≤ 0,25)   {'uppfyllt' if r41 <= 0.25 else 'ej uppfyllt'}",
        f"högsta RSS = {peak:.0f} MB, tre huvudböcker inräknade (mål < 2 500 MB)   "
        f"{'uppfyllt' if peak < 2500 else 'ej uppfyllt'}",
        f"5/1 = {sv(text.median / first.median)} (allt läst som text mot den typade vägen)",
        f"6/1 = {sv(three.median / first.median)} (tre huvudböcker mot en)",
        f"samma rapport med båda läsvägarna: {'ja' if identical else 'NEJ'}",
        f"samma rapport delad, i en del och utan delning: {'ja' if extra.split_same else 'NEJ'}",
    ]
    if extra.sheet_reads:
        parts, whole, floor = extra.sheet_reads
        lines.append(
            f"2a/2c = {sv(parts.median / floor.median)}, 2b/2c = {sv(whole.median / floor.median)} "
            "(huvudbokens blad ensamt, i delar och utan delning, mot polars.read_excel)"
        )
    for label, cold, plain in extra.text_ledgers:
        lines.append(
            f"{label}: första körningen / polars.read_csv = {sv(cold.median / plain.median)} "
            f"({sv(cold.median)} s mot {sv(plain.median)} s, högsta RSS {cold.peak:.0f} MB)"
        )
    loads = [x for x in extra.loads if x == x]
    load_text = (
        f"belastning (1 min) under mätningen: {sv(min(loads), 1)}–{sv(max(loads), 1)} "
        f"på {os.cpu_count()} kärnor"
        if loads
        else "belastning okänd"
    )
    lines.append(load_text)
    lines += [f"väg: {r}" for r in extra.routes]
    print("\n".join(lines))
    rows = "\n".join(
        f"| {r.label} | {r.median:.2f} | {min(r.seconds):.2f}–{max(r.seconds):.2f} "
        f"| {len(r.seconds)} | {r.peak:.0f} |"
        for r in (
            first,
            read,
            *extra.sheet_reads,
            baseline,
            warm,
            text,
            three,
            *(x for _, cold, plain in extra.text_ledgers for x in (cold, plain)),
        )
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
