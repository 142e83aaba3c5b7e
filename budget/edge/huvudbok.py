"""The validated ledger as Parquet, for the city (contract §10): one file per nämnd and year,
``<out>/huvudbok/<nämnd>-<år>.parquet``, written by ``budget report`` from the rows it has
checked, and rewritten only when those rows change. The city reads them lazily (polars
``scan_parquet``): a city of 31 nämnder × 10 years is far more than fits in memory as rows.

Amounts are exact micro-kronor (Int64: ±9,2 × 10^12 kr a row) and summed as Int128, so a
sum over a hundred million rows is exact. ``fil`` and ``rad`` name the workbook row each
ledger row came from.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import polars as pl

from budget.core.money import MICRO_PER_ORE
from budget.diagnostics import Diagnostic

FOLDER = "huvudbok"
SCHEMA: dict[str, pl.DataType] = {
    "namnd": pl.String(),
    "ar": pl.Int16(),
    "period": pl.Int8(),
    "ansvar": pl.String(),
    "verksamhet": pl.String(),
    "konto": pl.String(),
    "belopp": pl.Int64(),  # micro-kronor, ledger signs
    "motpart": pl.String(),
    "fil": pl.String(),
    "rad": pl.UInt32(),
}
# What the city needs of a file: the rest is carried for drill-down.
NEEDED = ("namnd", "ar", "period", "konto", "belopp", "motpart")
_MICRO_MAX = 2**63 - 1


def slug(name: str) -> str:
    """A nämnd's name as a file name: ``Skärholmens stadsdelsnämnd`` ->
    ``skarholmens-stadsdelsnamnd``."""
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "namnd"


def frames(ledger: pl.DataFrame, namnd: str) -> dict[int, pl.DataFrame]:
    """The ledger rows per year in the Parquet layout, in the order read."""
    if ledger.is_empty():
        return {}
    amount = pl.col("amount")
    table = ledger.select(
        pl.lit(namnd, pl.String).alias("namnd"),
        pl.col("year").cast(pl.Int16).alias("ar"),
        pl.col("period").cast(pl.Int8),
        pl.col("ansvar"),
        pl.col("verksamhet"),
        pl.col("konto"),
        pl.when(amount.abs() <= _MICRO_MAX).then(amount).otherwise(None).alias("belopp"),
        pl.col("motpart"),
        pl.col("file").alias("fil"),
        pl.col("row").alias("rad"),
    )
    out = {}
    for (year,), part in table.group_by("ar", maintain_order=True):
        out[int(year)] = part
    return out


def encode(frame: pl.DataFrame) -> bytes:
    """The file's bytes: the same rows give the same bytes."""
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd", statistics=True, row_group_size=1_000_000)
    return buffer.getvalue()


def files_to_write(out_dir: Path, ledger: pl.DataFrame, namnd: str) -> dict[str, bytes]:
    """The Parquet files whose rows changed (or that are missing), by their name in
    ``out_dir/huvudbok``; a year whose file holds the same rows is not written again."""
    folder = out_dir / FOLDER
    changed: dict[str, bytes] = {}
    for year, frame in sorted(frames(ledger, namnd).items()):
        name = f"{slug(namnd)}-{year}.parquet"
        if frame["belopp"].null_count():
            continue  # a row beyond ±9,2 × 10^12 kr: no city file for the year (W327)
        data = encode(frame.with_columns(pl.col("belopp").cast(pl.Int64)))
        target = folder / name
        try:
            if target.is_file() and target.read_bytes() == data:
                continue
        except OSError:
            pass
        changed[name] = data
    return changed


def parquet_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.parquet") if p.is_file() and not p.name.startswith("."))


def check_files(paths: list[Path]) -> list[Diagnostic]:
    """Each file must be Parquet with the columns the city reads, of the right kind."""
    diags: list[Diagnostic] = []
    for path in paths:
        try:
            schema = pl.read_parquet_schema(path)
        except Exception as exc:  # polars raises several kinds for a file that is no Parquet
            diags.append(
                Diagnostic(
                    "E028",
                    f"filen kan inte läsas som Parquet ({type(exc).__name__})",
                    file=f"{FOLDER}/{path.name}",
                    expected="en huvudbok som budget report har skrivit (huvudbok/*.parquet)",
                )
            )
            continue
        for name in NEEDED:
            found = schema.get(name)
            wanted = SCHEMA[name]
            if found is None or found != wanted:
                diags.append(
                    Diagnostic(
                        "E028",
                        f"kolumnen {name} saknas"
                        if found is None
                        else f"kolumnen {name} har fel typ",
                        file=f"{FOLDER}/{path.name}",
                        column=name,
                        value=None if found is None else str(found),
                        expected=f"{name} av typen {wanted}",
                    )
                )
    return diags


def _side() -> pl.Expr:
    klass = pl.col("konto").str.slice(0, 1)
    return (
        pl.when(klass == "3")
        .then(pl.lit("sales"))
        .when(klass.is_in(["4", "5", "6", "7"]))
        .then(pl.lit("purchases"))
        .otherwise(None)
    )


class Unreadable(Exception):
    """A ledger file whose schema read but whose data did not (E028)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def trade_sums(
    paths: list[Path], year: int, period: int, codes: list[str]
) -> list[tuple[str, str, str, int, int, str]]:
    """Per nämnd, internal motpart, side and file: the sum (positive öre, exact) and the rows
    of the report year up to ``period``. Sales are class 3 (revenue: −belopp), purchases
    classes 4–7 (cost: +belopp). Read lazily: only the rows and columns needed."""
    if not paths or not codes:
        return []
    lazy = (
        pl.scan_parquet(paths, include_file_paths="__file")
        .select(*NEEDED, "__file")
        .filter(
            (pl.col("ar") == year) & (pl.col("period") <= period) & pl.col("motpart").is_in(codes)
        )
        .with_columns(_side().alias("side"))
        .filter(pl.col("side").is_not_null())
        .group_by("namnd", "motpart", "side", "__file")
        .agg(
            pl.col("belopp").cast(pl.Int128).sum().alias("micro"),
            pl.len().alias("rows"),
        )
        .sort("namnd", "motpart", "side", "__file")
    )
    try:
        summed = lazy.collect(engine="streaming")
    except Exception as exc:  # a damaged page in a file whose footer read: polars' own kinds
        raise Unreadable(
            Diagnostic(
                "E028",
                f"huvudböckerna kan inte läsas ({type(exc).__name__}: {str(exc)[:200]})",
                file=FOLDER,
                expected="de Parquet-filer som budget report --huvudbok har skrivit",
            )
        ) from exc
    out = []
    for row in summed.iter_rows(named=True):
        micro = int(row["micro"])
        sign = -1 if row["side"] == "sales" else 1
        ore = _round(sign * micro)
        out.append(
            (
                row["namnd"],
                row["motpart"],
                row["side"],
                ore,
                int(row["rows"]),
                f"{FOLDER}/{Path(row['__file']).name}",
            )
        )
    return out


ROWS_SHOWN = 200  # ledger rows listed per side of an unmatched pair


def trade_rows(
    paths: list[Path], year: int, period: int, wanted: list[tuple[str, str, str]]
) -> dict[tuple[str, str, str], list[tuple[str, int, int, str, int, str]]]:
    """The ledger rows behind pairs that do not match, in one lazy scan: for each
    (nämnd, motpart code, side) in ``wanted``, up to ROWS_SHOWN rows, largest first, as
    (workbook, row, period, konto, öre positive, parquet file)."""
    if not wanted or not paths:
        return {}
    keys = pl.LazyFrame(
        {
            "namnd": [w[0] for w in wanted],
            "motpart": [w[1] for w in wanted],
            "side": [w[2] for w in wanted],
        }
    )
    amount = pl.when(pl.col("side") == "sales").then(-pl.col("belopp")).otherwise(pl.col("belopp"))
    lazy = (
        pl.scan_parquet(paths, include_file_paths="__file")
        .filter((pl.col("ar") == year) & (pl.col("period") <= period))
        .with_columns(_side().alias("side"))
        .join(keys, on=["namnd", "motpart", "side"], how="inner")
        .with_columns(amount.alias("belopp"))
        .sort(["belopp", "fil", "rad"], descending=[True, False, False], nulls_last=True)
        .group_by("namnd", "motpart", "side", maintain_order=True)
        .head(ROWS_SHOWN)
    )
    try:
        found = lazy.collect(engine="streaming")
    except Exception as exc:  # as in trade_sums
        raise Unreadable(
            Diagnostic("E028", f"huvudböckerna kan inte läsas ({type(exc).__name__})", file=FOLDER)
        ) from exc
    out: dict[tuple[str, str, str], list[tuple[str, int, int, str, int, str]]] = {}
    for r in found.iter_rows(named=True):
        out.setdefault((r["namnd"], r["motpart"], r["side"]), []).append(
            (
                str(r["fil"] or ""),
                int(r["rad"] or 0),
                int(r["period"]),
                str(r["konto"]),
                _round(int(r["belopp"])),
                f"{FOLDER}/{Path(r['__file']).name}",
            )
        )
    return out


def _round(micro: int) -> int:
    """Micro-kronor to öre, half away from zero."""
    q, r = divmod(abs(micro), MICRO_PER_ORE)
    if 2 * r >= MICRO_PER_ORE:
        q += 1
    return q if micro >= 0 else -q


def cube(paths: list[Path], period: int) -> pl.LazyFrame:
    """The city's tertial cube: per nämnd, year, tertial (up to ``period``'s month of each
    year), verksamhet and account class, the exact sum and the rows. The bench measures it."""
    tertial = (
        pl.when(pl.col("period") <= 4)
        .then(pl.lit(1, pl.Int8))
        .when(pl.col("period") <= 8)
        .then(pl.lit(2, pl.Int8))
        .otherwise(pl.lit(3, pl.Int8))
    )
    return (
        pl.scan_parquet(paths)
        .filter(pl.col("period") <= period)
        .group_by(
            "namnd",
            "ar",
            tertial.alias("tertial"),
            "verksamhet",
            pl.col("konto").str.slice(0, 1).alias("klass"),
        )
        .agg(pl.col("belopp").cast(pl.Int128).sum().alias("belopp"), pl.len().alias("rader"))
    )
