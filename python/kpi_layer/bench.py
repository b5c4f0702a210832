"""Benchmarks: print figures, assert nothing (tests assert behaviour; speed is measured here).

    python -m kpi_layer.bench generate --scale s            # generation time and rows/s per table
    python -m kpi_layer.bench build --scale s               # generate -> load -> dbt build -> floor -> new day
    python -m kpi_layer.bench build --scale s --postgres    # the same on PostgreSQL (schema kpi_bench; no floor)

`build` prints, per stage, wall time, the stage's peak resident memory (its process, DuckDB included) and rows/s
over the raw rows, and beside the dbt build a floor: the same staging and the headline aggregations written by
hand as one plain DuckDB script (kpi_layer.floor) on a copy of the same loaded data, run with the same DuckDB
settings (memory limit, threads), and the ratio build / floor. The build runs as `make build` does: staging
and its tests, then the rest, then the reconciliations. Then one new day lands on the large streams (a copy of
each stream's last day under new keys, with re-deliveries of older rows: kpi_layer.increment.next_day) and the
incremental run runs the incremental models (the streams' base models and facts, `dbt run --select
config.materialized:incremental`); its share of the build is printed. Scale l (about 50M clicks, 5M product events, 1M
orders, 0.5M bookings) is the target the generator is built for; it streams to Parquet in chunks and never
holds a whole table in memory. Figures and the machine they were measured on: docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from . import PROJECT_ROOT
from .generator import generate
from .increment import next_day

STAGING = "path:models/staging"
# make build's phases (Makefile): staging and its tests first (on DuckDB one model at a time, so the largest raw
# tables never share memory), then everything else, then the reconciliations
BUILD_PHASES = (
    ["build", "--indirect-selection", "cautious", "--select", STAGING, "--exclude", "tag:threshold"],
    ["build", "--indirect-selection", "cautious", "--exclude", "path:seeds/raw", STAGING, "tag:threshold",
     "tag:reconciliation"],
    ["test", "--select", "tag:reconciliation"],
)


@dataclass
class Stage:
    name: str
    seconds: float
    peak_mb: float
    rows: int
    detail: str = ""

    def line(self) -> str:
        rate = f"{self.rows / self.seconds:>12,.0f} rows/s" if self.rows and self.seconds else " " * 19
        return f"  {self.name:<22} {self.seconds:>8.1f} s  {self.peak_mb:>8,.0f} MB  {rate}  {self.detail}"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str, int]:
    """Run a child process; its wall time, its own peak resident memory (MB), its output and exit code."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as out:
        proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - t0
        out.seek(0)
        return seconds, usage.ru_maxrss / 1024, out.read(), proc.returncode


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


def _generate_stage(scale: str, raw: Path, env: dict[str, str]) -> tuple[Stage, int]:
    code = ("import json, sys; from pathlib import Path; from kpi_layer.generator import generate; "
            f"c = generate({scale!r}, seed=42, fault_rate=0.01, out_dir=Path({str(raw)!r}), fmt='parquet'); "
            "print('ROWS', sum(c.values()))")
    seconds, peak, out, rc = _run([sys.executable, "-c", code], env)
    if rc:
        raise SystemExit(f"generation failed:\n{out[-3000:]}")
    rows = int(next(line.split()[1] for line in out.splitlines() if line.startswith("ROWS ")))
    size = sum(p.stat().st_size for p in raw.rglob("*.parquet"))
    return Stage("generate", seconds, peak, rows, f"{size / 1e6:,.0f} MB of Parquet"), rows


def _load_stage(raw: Path, env: dict[str, str], postgres: bool, db: Path, rows: int) -> Stage:
    target = ["--postgres", "--prefix", "kpi_bench"] if postgres else ["--duckdb", str(db)]
    seconds, peak, out, rc = _run([sys.executable, "-m", "kpi_layer.loader", "--from", str(raw), *target], env)
    if rc:
        raise SystemExit(f"load failed:\n{out[-3000:]}")
    return Stage("load", seconds, peak, rows, "PostgreSQL COPY" if postgres else "DuckDB from Parquet")


def _build_stage(name: str, env: dict[str, str], rows: int) -> tuple[Stage, int, str]:
    dbt = str(Path(sys.executable).with_name("dbt"))
    seconds, peak, summary, worst = 0.0, 0.0, [], 0
    for i, args in enumerate(BUILD_PHASES):
        if i == 0 and env.get("KPI_TARGET") == "duckdb":
            args = [*args, "--threads", os.environ.get("DUCKDB_STAGING_THREADS", "1")]
        s, p, out, rc = _run([dbt, *args], env)
        seconds, peak, worst = seconds + s, max(peak, p), max(worst, rc)
        done = [line.split("Done.", 1)[1].strip() for line in out.splitlines() if "Done." in line]
        summary.append(f"{args[0]} {s:.0f}s: {done[-1] if done else 'no summary, exit ' + str(rc)}")
        summary.append("  slowest: " + _slowest_nodes(Path(env["DBT_TARGET_PATH"]) / "run_results.json"))
        if rc and args[0] == "build":
            failed = [line for line in out.splitlines() if " ERROR " in line or " FAIL " in line]
            summary.extend("    " + line.strip() for line in failed[-10:])
    return Stage(name, seconds, peak, rows, f"exit {worst}"), worst, "\n".join("    " + s for s in summary)


def _increment(postgres: bool, db: Path, step) -> dict[str, int]:
    """Hold back or land the large streams' last day (kpi_layer.increment) in the bench's warehouse."""
    if postgres:
        from .pg_setup import connect, settings

        s = settings()
        con = connect(s, s["user"], s["dbname"])
        con.autocommit = True
        prefix = "kpi_bench"
    else:
        import duckdb

        con, prefix = duckdb.connect(str(db)), "main"
    try:
        return step(con, prefix)
    finally:
        con.close()


def _incremental_stage(env: dict[str, str], rows: int) -> tuple[Stage, str]:
    """The run after one new day lands: the incremental models (the streams' base models and facts) alone."""
    dbt = str(Path(sys.executable).with_name("dbt"))
    seconds, peak, out, rc = _run([dbt, "run", "--select", "config.materialized:incremental"], env)
    try:
        results = json.loads((Path(env["DBT_TARGET_PATH"]) / "run_results.json").read_text())["results"]
        in_models = sum(r.get("execution_time", 0) for r in results if r["unique_id"].startswith("model."))
    except (OSError, ValueError, KeyError):
        in_models = 0.0
    done = [line.split("Done.", 1)[1].strip() for line in out.splitlines() if "Done." in line]
    summary = (f"    {done[-1] if done else 'no summary'}; {in_models:.1f} s inside the models, the rest is dbt's "
               f"start-up\n    slowest: {_slowest_nodes(Path(env['DBT_TARGET_PATH']) / 'run_results.json')}")
    return Stage("incremental run", seconds, peak, rows, f"exit {rc}, {rows:,} new rows"), summary


def _slowest_nodes(run_results: Path, n: int = 4) -> str:
    try:
        results = json.loads(run_results.read_text())["results"]
    except (OSError, ValueError, KeyError):
        return "(no run_results.json)"
    slow = sorted(results, key=lambda r: -r.get("execution_time", 0))[:n]
    return ", ".join(f"{r['unique_id'].split('.')[-1]} {r['execution_time']:.0f}s" for r in slow)


def _floor_stage(db: Path, work: Path, rows: int) -> Stage:
    """The floor runs on a copy of the loaded raw data (the build's file also holds every model by then)."""
    # not floor.duckdb: DuckDB 2.0 would see catalog "floor" and schema "floor" as ambiguous
    floor_db = work / "hand_written.duckdb"
    code = f"""
import duckdb, json, sys, time
from kpi_layer.floor import run_floor
src = duckdb.connect({str(db)!r}, read_only=True)
schemas = [r[0] for r in src.execute("select distinct schema_name from duckdb_tables() where schema_name like 'main_raw_%'").fetchall()]
src.close()
con = duckdb.connect({str(floor_db)!r})
con.execute("attach '{db}' as src (read_only)")
for s in schemas:
    con.execute(f'create schema if not exists "{{s}}"')
    for (t,) in con.execute(f"select table_name from duckdb_tables() where database_name = 'src' and schema_name = '{{s}}'").fetchall():
        con.execute(f'create table "{{s}}"."{{t}}" as select * from src."{{s}}"."{{t}}"')
con.execute("detach src")
con.execute("checkpoint")
{_duckdb_settings_code()}
t0 = time.perf_counter()
steps = run_floor(con)
print("FLOOR", time.perf_counter() - t0, json.dumps(sorted(steps, key=lambda s: -s[1])[:3]))
"""
    _, peak, out, rc = _run([sys.executable, "-c", code], dict(os.environ, PYTHONPATH=str(PROJECT_ROOT / "python")))
    if rc:
        raise SystemExit(f"floor failed:\n{out[-3000:]}")
    line = next(line for line in out.splitlines() if line.startswith("FLOOR "))
    _, seconds, slowest = line.split(" ", 2)
    slow = ", ".join(f"{name} {s:.0f}s" for name, s, _ in json.loads(slowest))
    floor_db.unlink(missing_ok=True)
    return Stage("floor (hand-written)", float(seconds), peak, rows, f"slowest: {slow}")


def _duckdb_settings_code() -> str:
    """The profile's DuckDB settings (profiles.yml), so the floor runs under the same limits as the build."""
    memory = os.environ.get("KPI_DUCKDB_MEMORY_LIMIT", "40%")
    order = os.environ.get("KPI_DUCKDB_PRESERVE_INSERTION_ORDER", "false")
    lines = [f"con.execute(\"set memory_limit = '{memory}'\")",
             f"con.execute(\"set preserve_insertion_order = {order}\")"]
    if os.environ.get("KPI_DUCKDB_THREADS"):
        lines.append(f"con.execute('set threads = {int(os.environ['KPI_DUCKDB_THREADS'])}')")
    return "\n".join(lines)


def bench_build(scale: str, postgres: bool, work: Path, reuse_raw: Path | None = None) -> int:
    raw = reuse_raw or work / "raw"
    db = work / "kpi_layer.duckdb"
    env = dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_ROOT), DBT_TARGET_PATH=str(work / "target"),
               DBT_LOG_PATH=str(work / "logs"), PYTHONPATH=str(PROJECT_ROOT / "python"))
    if postgres:
        env.update(KPI_TARGET="postgres", KPI_PG_SCHEMA="kpi_bench")
        os.environ["KPI_PG_SCHEMA"] = "kpi_bench"
        from .pg_setup import ensure

        ensure(reset_schemas=True)
    else:
        env.update(KPI_TARGET="duckdb", KPI_DUCKDB_PATH=str(db))
    stages = []
    print(f"scale {scale} on {'PostgreSQL' if postgres else 'DuckDB'}, {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; DuckDB memory_limit "
          f"{os.environ.get('KPI_DUCKDB_MEMORY_LIMIT', '40%')}, threads "
          f"{os.environ.get('KPI_DUCKDB_THREADS', 'one per core')}", flush=True)
    if reuse_raw:
        rows = sum(pq.ParquetFile(p).metadata.num_rows for p in raw.rglob("*.parquet"))
        print(f"  generate               (reusing {raw}: {rows:,} rows)", flush=True)
    else:
        stage, rows = _generate_stage(scale, raw, env)
        stages.append(stage)
        print(stage.line(), flush=True)
    stages.append(_load_stage(raw, env, postgres, db, rows))
    print(stages[-1].line(), flush=True)
    build, code, summary = _build_stage("dbt build", env, rows)
    stages.append(build)
    print(build.line() + "\n" + summary, flush=True)
    if not postgres:
        floor = _floor_stage(db, work, rows)
        stages.append(floor)
        print(floor.line(), flush=True)
        print(f"  build / floor: {build.seconds / floor.seconds:.2f}x", flush=True)
    landed = _increment(postgres, db, next_day)
    incremental, summary = _incremental_stage(env, sum(landed.values()))
    stages.append(incremental)
    code = max(code, 0 if incremental.detail.startswith("exit 0") else 1)
    print(incremental.line() + "\n" + summary, flush=True)
    print(f"  incremental / build: {100 * incremental.seconds / build.seconds:.1f}%", flush=True)
    print(f"  disk: {sum(p.stat().st_size for p in work.rglob('*') if p.is_file()) / 1e9:,.1f} GB in {work}")
    return code


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", choices=["generate", "build"])
    p.add_argument("--scale", default="s")
    p.add_argument("--postgres", action="store_true")
    p.add_argument("--out", default=None, help="working folder, kept (default: a temporary one, removed)")
    p.add_argument("--raw", default=None, help="reuse a generated Parquet folder (e.g. <--out of a run>/raw) "
                                               "instead of generating")
    a = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kpi_bench_", dir=os.environ.get("KPI_BENCH_TMP")) as tmp:
        work = Path(a.out) if a.out else Path(tmp)
        if a.out and work.exists():
            for child in work.iterdir():  # a previous run's results, never a --raw folder inside it
                if a.raw is None or child.resolve() != Path(a.raw).resolve():
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
        work.mkdir(parents=True, exist_ok=True)
        if a.what == "generate":
            bench_generate(a.scale, work)
            return 0
        return bench_build(a.scale, a.postgres, work, Path(a.raw) if a.raw else None)


if __name__ == "__main__":
    sys.exit(main())
