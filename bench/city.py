"""make bench (the city's part): the tertial cube over a city's ledgers, polars against DuckDB.

Generates (once, cached under bench/out/city-<rows>/, made again when this generator, the
Parquet layout or polars changes) a city of 31 nämnder × 10 years of validated ledgers as
Parquet, in the layout `budget report --huvudbok` writes (budget/edge/huvudbok.py), one file
per nämnd and year, each generated and written on its own (streaming: one file in memory
at a time). Then measures, each in a fresh process (wall clock, peak RSS by wait4):

1. polars, lazy with the streaming engine: ``huvudbok.cube`` (the product code);
2. polars, lazy with the in-memory engine (only when BENCH_CITY_ENGINES names it);
3. DuckDB, the same cube in SQL (``read_parquet`` over the files), two threads;
4. the internal trade of one year and period (``huvudbok.trade_sums``, the product code
   ``budget stad`` runs), over all the files: the year's filter skips the other years' files;
   and the same scan in DuckDB.

Every engine's cube is checked to be the same: groups, rows and the exact sum. Writes
docs/performance-stad.md. A benchmark, not a test.

Environment: BENCH_CITY_ROWS (default 100 000 000), BENCH_CITY_RUNS (default 1),
BENCH_CITY_ENGINES (default "polars-streaming,duckdb,trade,trade-duckdb"; "polars-memory" too
on request).
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"
PY = sys.executable
YEARS = range(2008, 2018)
NAMNDER = (
    "Rinkeby-Kista stadsdelsnämnd",
    "Spånga-Tensta stadsdelsnämnd",
    "Hässelby-Vällingby stadsdelsnämnd",
    "Bromma stadsdelsnämnd",
    "Kungsholmens stadsdelsnämnd",
    "Norrmalms stadsdelsnämnd",
    "Östermalms stadsdelsnämnd",
    "Södermalms stadsdelsnämnd",
    "Enskede-Årsta-Vantörs stadsdelsnämnd",
    "Skarpnäcks stadsdelsnämnd",
    "Farsta stadsdelsnämnd",
    "Älvsjö-Hägerstens stadsdelsnämnd",
    "Skärholmens stadsdelsnämnd",
    "Arbetsmarknadsnämnden",
    "Exploateringsnämnden",
    "Fastighetsnämnden",
    "Idrottsnämnden",
    "Kulturnämnden",
    "Miljö- och hälsoskyddsnämnden",
    "Servicenämnden",
    "Socialnämnden",
    "Stadsbyggnadsnämnden",
    "Trafiknämnden",
    "Utbildningsnämnden",
    "Äldrenämnden",
    "Överförmyndarnämnden",
    "Kommunstyrelsen",
    "Revisorskollegiet",
    "Valnämnden",
    "Stockholms stads brandförsvarsförbund",
    "Kyrkogårdsnämnden",
)
assert len(NAMNDER) == 31
# polars in memory (engine "polars-memory") is measured only when asked for: at 100 million
# rows it holds every key column in memory.
ENGINES = ("polars-streaming", "duckdb", "trade", "trade-duckdb")


def _recipe() -> str:
    import inspect

    import polars

    digest = hashlib.sha256(inspect.getsource(_file).encode())
    digest.update(repr((NAMNDER, tuple(YEARS))).encode())
    digest.update((ROOT / "budget" / "edge" / "huvudbok.py").read_bytes())
    digest.update(polars.__version__.encode())
    return digest.hexdigest()


def _file(index: int, name: str, year: int, rows: int, target: Path) -> None:
    """One nämnd's ledger for one year: ``rows`` rows, deterministic, in the layout and
    dtypes of budget.edge.huvudbok.SCHEMA."""
    import polars as pl

    from budget.edge.huvudbok import SCHEMA, encode

    seed = index * 100 + (year - 2000)
    h = pl.col("i").hash(seed)
    codes = [f"M{k:02d}" for k in range(len(NAMNDER))] + ["EXT1", "EXT2", "EXT3"]
    klass = (h % 10).cast(pl.Int32)
    konto = (
        pl.when(klass < 2)
        .then(3000 + (h // 10 % 900).cast(pl.Int32))
        .otherwise(4000 + (h // 10 % 3900).cast(pl.Int32))
        .cast(pl.String)
    )
    amount = (h // 1000 % 5_000_000).cast(pl.Int64) * 10_000 + (h // 7 % 100).cast(pl.Int64) * 100
    frame = (
        pl.LazyFrame({"i": pl.int_range(0, rows, dtype=pl.Int64, eager=True)})
        .with_columns(konto.alias("konto"), (h % 997).alias("m"))
        .select(
            pl.lit(name, pl.String).alias("namnd"),
            pl.lit(year, pl.Int16).alias("ar"),
            ((pl.col("i") % 12) + 1).cast(pl.Int8).alias("period"),
            (10000 + (h // 3 % 200)).cast(pl.String).alias("ansvar"),
            (100 + (h // 11 % 60)).cast(pl.String).alias("verksamhet"),
            pl.col("konto"),
            pl.when(pl.col("konto").str.starts_with("3"))
            .then(-amount)
            .otherwise(amount)
            .alias("belopp"),
            pl.when(pl.col("m") < 100)
            .then(pl.lit(pl.Series(codes)).get(pl.col("m") % len(codes)))
            .otherwise(None)
            .cast(pl.String)
            .alias("motpart"),
            pl.lit(f"utfall-{year}.xlsx", pl.String).alias("fil"),
            (pl.col("i") + 5).cast(pl.UInt32).alias("rad"),
        )
        .collect()
    )
    assert frame.schema == pl.Schema(SCHEMA)
    target.write_bytes(encode(frame))


def city(rows: int) -> Path:
    """The generated city (made again when the recipe changed)."""
    from budget.edge.huvudbok import slug

    folder = OUT / f"city-{rows}" / "huvudbok"
    marker = folder.parent / "recipe"
    recipe = _recipe()
    if marker.exists() and marker.read_text() == recipe:
        return folder
    if folder.parent.exists():
        shutil.rmtree(folder.parent)
    folder.mkdir(parents=True)
    files = [(i, n, y) for i, n in enumerate(NAMNDER) for y in YEARS]
    per, extra = divmod(rows, len(files))
    print(
        f"Skapar staden: {len(files)} huvudböcker, {rows:,} rader …".replace(",", " "), flush=True
    )
    start = time.perf_counter()
    for k, (i, name, year) in enumerate(files):
        _file(i, name, year, per + (1 if k < extra else 0), folder / f"{slug(name)}-{year}.parquet")
    size = sum(p.stat().st_size for p in folder.iterdir()) / 1024**2
    print(f"  klart på {time.perf_counter() - start:.0f} s, {size:.0f} MB Parquet", flush=True)
    marker.write_text(recipe)
    return folder


def measure(engine: str, folder: str) -> None:
    """Run in a fresh process: the cube, then one line: groups, rows, exact sum."""
    paths = sorted(Path(folder).glob("*.parquet"))
    if engine.startswith("polars"):
        from budget.edge.huvudbok import cube

        result = cube(paths, 12).collect(
            engine="streaming" if engine == "polars-streaming" else "in-memory"
        )
        groups = result.height
        count = int(result["rader"].sum())
        total = int(result["belopp"].sum())
    elif engine == "trade":
        from budget.edge.huvudbok import trade_sums

        codes = [f"M{k:02d}" for k in range(len(NAMNDER))]
        sums = trade_sums(paths, 2017, 8, codes)
        print(f"{len(sums)} {sum(s[4] for s in sums)} {sum(s[3] for s in sums)}")
        return
    elif engine == "trade-duckdb":
        import duckdb

        con = duckdb.connect(config={"threads": 2, "memory_limit": "6GB"})
        codes = [f"M{k:02d}" for k in range(len(NAMNDER))]
        rows = con.execute(
            """
            SELECT namnd, motpart,
                   CASE WHEN substr(konto, 1, 1) = '3' THEN 'sales' ELSE 'purchases' END AS side,
                   filename, sum(belopp::HUGEINT) AS micro, count(*) AS rows
            FROM read_parquet(?, filename = true)
            WHERE ar = 2017 AND period <= 8 AND list_contains(?, motpart)
              AND substr(konto, 1, 1) IN ('3', '4', '5', '6', '7')
            GROUP BY ALL ORDER BY ALL
            """,
            [[str(p) for p in paths], codes],
        ).fetchall()
        print(f"{len(rows)} {sum(int(r[5]) for r in rows)} {sum(abs(int(r[4])) for r in rows)}")
        return
    else:
        import duckdb

        con = duckdb.connect(config={"threads": 2, "memory_limit": "6GB"})
        files = [str(p) for p in paths]
        result = con.execute(
            """
            SELECT namnd, ar,
                   CASE WHEN period <= 4 THEN 1 WHEN period <= 8 THEN 2 ELSE 3 END AS tertial,
                   verksamhet, substr(konto, 1, 1) AS klass,
                   sum(belopp::HUGEINT) AS belopp, count(*) AS rader
            FROM read_parquet(?)
            WHERE period <= 12
            GROUP BY ALL
            """,
            [files],
        ).fetchall()
        groups = len(result)
        count = sum(int(r[6]) for r in result)
        total = sum(int(r[5]) for r in result)
    print(f"{groups} {count} {total}")


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Wall clock, peak RSS (MB) and stdout of a fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[-2]} misslyckades:\n{err}")
    return elapsed, usage.ru_maxrss / 1024, out.strip()


def machine() -> str:
    cpu = platform.processor() or "okänd"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import polars

    try:
        import duckdb

        duck = f", DuckDB {duckdb.__version__}"
    except ImportError:
        duck = ""
    return (
        f"{os.cpu_count()} kärnor ({cpu}), Python {platform.python_version()}, "
        f"polars {polars.__version__}{duck}"
    )


def sv(value: float, decimals: int = 1) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def main() -> None:
    rows = int(os.environ.get("BENCH_CITY_ROWS", "100000000"))
    runs = int(os.environ.get("BENCH_CITY_RUNS", "1"))
    engines = [e for e in os.environ.get("BENCH_CITY_ENGINES", ",".join(ENGINES)).split(",") if e]
    folder = city(rows)
    results: list[tuple[str, float, float, str]] = []
    for engine in engines:
        for i in range(runs):
            s, mb, out = timed([PY, __file__, "measure", engine, str(folder)])
            print(f"  {engine} #{i + 1}: {s:.1f} s, {mb:.0f} MB ({out})", flush=True)
            results.append((engine, s, mb, out))
    answers = {out for engine, _, _, out in results if not engine.startswith("trade")}
    same = len(answers) <= 1
    print(f"  samma kub i alla motorer: {'ja' if same else 'NEJ'}", flush=True)
    best: dict[str, tuple[float, float]] = {}
    for engine, s, mb, _ in results:
        old = best.get(engine)
        best[engine] = (min(s, old[0]), max(mb, old[1])) if old else (s, mb)
    table = "\n".join(f"| {engine} | {sv(s)} | {mb:.0f} |" for engine, (s, mb) in best.items())
    groups, count, _ = next(iter(answers)).split() if answers else ("0", "0", "0")
    text = (ROOT / "bench" / "performance-stad.md.in").read_text(encoding="utf-8")
    for key, value in {
        "DATE": time.strftime("%Y-%m-%d"),
        "MACHINE": machine(),
        "ROWS": f"{rows:,}".replace(",", " "),
        "FILES": str(len(NAMNDER) * len(YEARS)),
        "TABLE": table,
        "GROUPS": f"{int(groups):,}".replace(",", " "),
        "COUNT": f"{int(count):,}".replace(",", " "),
        "SAME": "ja" if same else "NEJ",
        "LOAD": os.environ.get("BENCH_CITY_NOTE", "").strip(),
    }.items():
        text = text.replace("{" + key + "}", value)
    (ROOT / "docs" / "performance-stad.md").write_text(text, encoding="utf-8")
    print(f"Skrev {ROOT / 'docs' / 'performance-stad.md'}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "measure":
        measure(sys.argv[2], sys.argv[3])
    else:
        main()
