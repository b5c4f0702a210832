"""Benchmarks: print figures, assert nothing (tests assert behaviour; speed is measured here).

    python -m kpi_layer.bench generate --scale s            # generation time and rows/s per table
    python -m kpi_layer.bench build --scale s               # generate -> load into DuckDB -> dbt build, timed
    python -m kpi_layer.bench build --scale s --postgres    # the same on PostgreSQL (schema kpi_bench)

Scale l (about 50M clicks, 5M product events, 1M orders, 0.5M bookings) is the target the generator is
built for; it streams to Parquet in chunks and never holds a whole table in memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import PROJECT_ROOT
from .generator import generate


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_generate(scale: str, out: Path, seed: int = 42) -> dict:
    t0 = time.perf_counter()
    counts = generate(scale, seed=seed, fault_rate=0.01, out_dir=out, fmt="parquet")
    seconds = time.perf_counter() - t0
    total = sum(counts.values())
    print(f"generate scale={scale}: {len(counts)} tables, {total:,} rows in {seconds:.1f}s "
          f"({total / max(seconds, 1e-9):,.0f} rows/s), peak RSS {_peak_rss_mb():,.0f} MB")
    for (source, table), n in sorted(counts.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {source}.{table:<32} {n:>12,}")
    size = sum(p.stat().st_size for p in out.rglob("*.parquet"))
    print(f"  parquet on disk: {size / 1e6:,.1f} MB")
    return {"seconds": seconds, "rows": total}


def bench_build(scale: str, postgres: bool, work: Path) -> None:
    raw = work / "raw"
    bench_generate(scale, raw)
    env = dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_ROOT), DBT_TARGET_PATH=str(work / "target"),
               DBT_LOG_PATH=str(work / "logs"))
    t0 = time.perf_counter()
    if postgres:
        from .loader import load_postgres

        env.update(KPI_TARGET="postgres", KPI_PG_SCHEMA="kpi_bench")
        os.environ["KPI_PG_SCHEMA"] = "kpi_bench"
        from .pg_setup import ensure

        ensure(reset_schemas=True)
        load_postgres(raw, prefix="kpi_bench")
    else:
        from .loader import load_duckdb

        db = work / "bench.duckdb"
        env.update(KPI_TARGET="duckdb", KPI_DUCKDB_PATH=str(db))
        load_duckdb(raw, str(db))
    print(f"load into {'PostgreSQL' if postgres else 'DuckDB'}: {time.perf_counter() - t0:.1f}s")
    dbt = str(Path(sys.executable).with_name("dbt"))
    t0 = time.perf_counter()
    run = subprocess.run([dbt, "build", "--exclude", "path:seeds/raw", "tag:threshold"], cwd=PROJECT_ROOT, env=env,
                         capture_output=True, text=True)
    print(f"dbt build: {time.perf_counter() - t0:.1f}s, exit code {run.returncode}")
    for line in run.stdout.splitlines():
        if "Done." in line:
            print("  " + line.split("Done.", 1)[1].strip())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", choices=["generate", "build"])
    p.add_argument("--scale", default="s")
    p.add_argument("--postgres", action="store_true")
    p.add_argument("--out", default=None, help="working folder (default: a temporary one)")
    a = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kpi_bench_") as tmp:
        work = Path(a.out) if a.out else Path(tmp)
        if a.what == "generate":
            bench_generate(a.scale, work)
        else:
            bench_build(a.scale, a.postgres, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
