"""Run the KPI threshold tests (dbt tag `threshold`) and list every breach.

The threshold tests are KPI alerts (rules in the `kpi_alert_rules` var), not data-quality checks, so the
project's jobs build with `dbt build --exclude tag:threshold` and run them here afterwards:

    python -m kpi_layer.thresholds            # list breaches; exit 1 only if a test could not run
    python -m kpi_layer.thresholds --gate     # also exit 1 on a critical breach (CI gating on KPIs)

It calls `dbt test --select tag:threshold` with the current environment (KPI_TARGET, KPI_DUCKDB_PATH,
KPI_PG_*, DBT_TARGET_PATH), reads run_results.json and re-runs each failing or warning test's compiled query
to print the breaching periods.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

LEVELS = {"pass": "ok", "warn": "warn", "fail": "critical"}


@dataclass
class Outcome:
    test: str
    status: str  # pass | warn | fail | error | skipped
    compiled_sql: str | None
    breaches: list[tuple] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    @property
    def level(self) -> str:
        return LEVELS.get(self.status, self.status)


def _target_path() -> Path:
    return Path(os.environ.get("DBT_TARGET_PATH", "target"))


def run_dbt(extra: list[str]) -> int:
    dbt = Path(sys.executable).with_name("dbt")
    cmd = [str(dbt) if dbt.exists() else "dbt", "test", "--select", "tag:threshold", *extra]
    return subprocess.run(cmd, check=False).returncode


def read_results(target: Path) -> list[Outcome]:
    results = json.loads((target / "run_results.json").read_text())
    out = []
    for r in results["results"]:
        if not r["unique_id"].startswith("test."):
            continue  # the on-run-start hook
        out.append(Outcome(test=r["unique_id"], status=r["status"], compiled_sql=r.get("compiled_code")))
    return sorted(out, key=lambda o: o.test)


def _connect():
    if os.environ.get("KPI_TARGET", "duckdb") == "postgres":
        from kpi_layer.pg_setup import connect, settings
        s = settings()
        return connect(s, s["user"], s["dbname"])
    import duckdb
    return duckdb.connect(os.environ.get("KPI_DUCKDB_PATH", "kpi_layer.duckdb"), read_only=True)


def fetch_breaches(outcomes: list[Outcome]) -> None:
    pending = [o for o in outcomes if o.status in ("warn", "fail") and o.compiled_sql]
    if not pending:
        return
    con = _connect()
    try:
        for o in pending:
            cur = con.cursor()
            cur.execute(o.compiled_sql)
            o.columns = [d[0] for d in cur.description]
            o.breaches = sorted(cur.fetchall(), key=lambda row: tuple(str(v) for v in row))
            cur.close()
    finally:
        con.close()


def render(outcomes: list[Outcome], limit: int) -> str:
    lines = []
    for o in outcomes:
        name = o.test.split(".")[2] if o.test.count(".") >= 2 else o.test
        lines.append(f"{o.level:<9} {name}")
        for row in o.breaches[:limit]:
            cells = dict(zip(o.columns, row))
            period = ", ".join(f"{k}={v}" for k, v in cells.items()
                               if k not in ("kpi_id", "observed_value", "alert_level", "alert_limit",
                                            "breach_level"))
            lines.append(f"          {cells.get('alert_level')}: {period}: value {cells.get('observed_value')} "
                         f"(limit {cells.get('alert_limit')})")
        if len(o.breaches) > limit:
            lines.append(f"          ... and {len(o.breaches) - limit} more")
    n = {s: sum(o.status == s for o in outcomes) for s in ("pass", "warn", "fail", "error")}
    lines.append(f"threshold tests: {len(outcomes)} run, {n['pass']} ok, {n['warn']} warn, {n['fail']} critical, "
                 f"{n['error']} could not run")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--gate", action="store_true", help="exit non-zero on a critical breach")
    p.add_argument("--limit", type=int, default=5, help="breaching periods shown per test")
    a, extra = p.parse_known_args(argv)
    run_dbt(extra)
    outcomes = read_results(_target_path())
    if not outcomes:
        print("no threshold tests were selected", file=sys.stderr)
        return 1
    fetch_breaches(outcomes)
    print(render(outcomes, a.limit))
    if any(o.status not in ("pass", "warn", "fail") for o in outcomes):
        return 1
    if a.gate and any(o.status == "fail" for o in outcomes):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
