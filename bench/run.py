"""make bench: the cost of a report against the cost of reading its ledger, measured.

Generates (once, cached under bench/out/) an inputs folder whose current-year
ledger has 1 048 574 rows, then times in fresh processes, several runs each:

1. ``budget report`` end to end, with an empty cache (a first run);
2. reading the same ledger alone with ``polars.read_excel`` (the naive floor);
3. the pandas + openpyxl baseline of bench/baseline.py;
4. ``budget report`` again on unchanged inputs (the warm rerun, cache filled).

Prints medians, the ratios 1/2, 1/3 and 4/1 and each one's peak RSS, measures
how a first run grows with the ledger (100 k, 300 k, 1 M rows), and writes it
all to docs/performance.md with a description of the machine. A benchmark, not
a test: nothing here asserts a time.

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


def inputs(rows: int) -> Path:
    folder = OUT / f"inputs-{rows}" / "benchnamnd-2017"
    marker = folder / ".complete"
    if not marker.exists():
        if folder.exists():
            shutil.rmtree(folder)
        print(f"Skapar indata med {rows:,} huvudboksrader …".replace(",", " "), flush=True)
        subprocess.run(
            [PY, str(ROOT / "bench" / "make_inputs.py"), str(folder), str(rows)], check=True
        )
        marker.touch()
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

        def cold(i: int) -> tuple[list[str], dict[str, str]]:
            cache = work / f"cache-cold-{i}"
            return report_cmd(folder, work / "out"), {"BUDGET_CACHE_DIR": str(cache)}

        first = measure("1 budget report (första körningen)", runs, cold)
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
    write_doc(first, read, baseline, warm, scale)


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
    scale: list[tuple[int, float, float]],
) -> None:
    r12 = first.median / read.median
    r13 = baseline.median / first.median
    r41 = warm.median / first.median
    lines = [
        f"1/2 = {sv(r12)} (mål ≤ 1,3)   {'uppfyllt' if r12 <= 1.3 else 'ej uppfyllt'}",
        f"3/1 = {sv(r13, 1)}× snabbare än pandas + openpyxl (mål ≥ 20)   "
        f"{'uppfyllt' if r13 >= 20 else 'ej uppfyllt'}",
        f"4/1 = {sv(r41)} (mål ≤ 0,25)   {'uppfyllt' if r41 <= 0.25 else 'ej uppfyllt'}",
        f"högsta RSS = {max(first.peak, warm.peak):.0f} MB (mål < 2 500 MB)   "
        f"{'uppfyllt' if max(first.peak, warm.peak) < 2500 else 'ej uppfyllt'}",
    ]
    print("\n".join(lines))
    rows = "\n".join(
        f"| {r.label} | {r.median:.2f} | {min(r.seconds):.2f}–{max(r.seconds):.2f} "
        f"| {len(r.seconds)} | {r.peak:.0f} |"
        for r in (first, read, baseline, warm)
    )
    scale_rows = "\n".join(f"| {grouped(n)} | {sv(s)} | {m:.0f} |" for n, s, m in scale)
    doc = f"""# Prestanda

Mätt med `make bench` {time.strftime("%Y-%m-%d")} på: {machine()}.

Huvudboken för innevarande år är en .xlsx med {grouped(FULL)} datarader (Excels gräns), genererad
deterministiskt av `bench/make_inputs.py`; övriga indata och tidigare års huvudböcker är demons.
Varje mätning är en ny process; tiden är väggklocka, RSS är processens högsta minnesanvändning.

| mätning | median (s) | spridning (s) | körningar | högsta RSS (MB) |
|---|---|---|---|---|
{rows}

## Kvoter

```text
{chr(10).join(lines)}
```

## Hur kostnaden växer med antalet rader (första körningen)

| rader | tid (s) | högsta RSS (MB) |
|---|---|---|
{scale_rows}

## Vad som begränsar

Profil av en första körning på en miljon rader, i en process (`bench/stages.py`:
tid per steg med `time.perf_counter`): import 0,2 s, inläsning 8,3 s, kontroller 0,2 s,
beräkning 0,2 s, rendering 0,5 s. Inläsningen av den stora huvudboken är i sin tur:
calamines tolkning av bladet (`load_sheet`) 3,4 s och omvandlingen av alla celler till text
1,3 s, tillsammans lika mycket som hela `polars.read_excel`; kontrollen av arbetsboken innan
calamine får se den (`budget/edge/workbook.py`) 1,3 s; resten (rubrik, tomma rader och
summarader, cellreglerna, pandera, cachen) omkring 1,5 s.

Kontrollen av arbetsboken är priset för att ingen fil kan få processen att krascha: varje
zip-del packas upp och räknas (rubrikernas storlekar litar vi inte på), och bladets XML
söks igenom efter cellreferenser utanför Excels gränser och celler utan referens. Den packar
upp 451 MB XML (benchmarkfilen har texten i cellerna, inte i en tabell av delade strängar
som Excel och LibreOffice skriver, så den är ungefär tre gånger större än en vanlig export)
och söker i den med polars reguljära uttryck på båda kärnorna medan nästa bit packas upp.

Två saker till sätter gränsen. fastexcel tolkar om hela bladet vid varje `load_sheet`, också
med `n_rows`, så bladet kan bara läsas en gång, och rubrikraden (som inte behöver ligga på
rad 1) måste hittas bland samma rader; därför läses alla celler som text. Text behövs för
koder med inledande nollor, för exakt tolkning av svensk taltext och för att kunna peka ut
varje fel cell. Tolkningen av bladet går på en kärna; den andra kärnan läser de små
arbetsböckerna och tidigare års huvudböcker under tiden.

Därför nås målet 1,3 × läsgolvet inte, och målet 20 gånger snabbare än pandas + openpyxl nås
inte heller: med calamine som golv krävs att baslinjen tar minst 20 × golvet. En omkörning
på oförändrade filer läser tolkade arbetsböcker från cachen (Parquet, nyckel SHA-256 av
filen och verktygets källkod, kontrollerad vid varje läsning) och betalar bara import,
kontrollsummor, beräkning och rendering; minnet håller sig omkring 1,2 GB för en miljon rader.
"""
    (ROOT / "docs" / "performance.md").write_text(doc, encoding="utf-8")
    print(f"Skrev {ROOT / 'docs' / 'performance.md'}")


if __name__ == "__main__":
    main()
