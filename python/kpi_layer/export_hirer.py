"""Write one hirer's validated clicks and invoice lines for a date range to a CSV file.

    python -m kpi_layer.export_hirer --hirer-id hir_00000004 --start 2025-06-01 --end 2025-06-30 --out hirer.csv

The query is the dbt analysis analyses/hirer_click_export.sql (one definition): this command compiles it with
the hirer and the dates as vars (`dbt compile`), runs the compiled SQL on the warehouse of the current
environment (KPI_TARGET duckdb with KPI_DUCKDB_PATH, or postgres with the KPI_PG_* settings, as
kpi_layer.thresholds does) and writes every row, with a header, to --out. The marts it reads (fct_clicks,
fct_invoice_lines, dim_customers) must have been built. Dates are inclusive UTC days.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from . import PROJECT_ROOT

ANALYSIS = "hirer_click_export"
_ID = re.compile(r"^[A-Za-z0-9_.:-]+$")


def compile_sql(hirer_id: str, start: date, end: date) -> str:
    """The analysis compiled for one hirer and date range (dbt compile into a temporary target path)."""
    if not _ID.match(hirer_id):
        raise ValueError(f"not a hirer id: {hirer_id!r}")
    if end < start:
        raise ValueError(f"--end {end} is before --start {start}")
    dbt = Path(sys.executable).with_name("dbt")
    variables = {"export_hirer_id": hirer_id, "export_start_date": start.isoformat(),
                 "export_end_date": end.isoformat()}
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, DBT_TARGET_PATH=tmp)
        env.setdefault("DBT_PROFILES_DIR", str(PROJECT_ROOT))
        cmd = [str(dbt) if dbt.exists() else "dbt", "compile", "--select", ANALYSIS, "--vars", json.dumps(variables)]
        result = subprocess.run(cmd, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"dbt compile failed:\n{result.stdout[-4000:]}{result.stderr[-2000:]}")
        compiled = next(Path(tmp).glob(f"compiled/*/analyses/{ANALYSIS}.sql"))
        return compiled.read_text()


def _connect():
    if os.environ.get("KPI_TARGET", "duckdb") == "postgres":
        from .pg_setup import connect, settings

        s = settings()
        return connect(s, s["user"], s["dbname"])
    import duckdb

    return duckdb.connect(os.environ.get("KPI_DUCKDB_PATH", "kpi_layer.duckdb"), read_only=True)


def run_to_csv(sql: str, out: Path, connection=None) -> int:
    """Run the SQL and write its rows, header first, to `out`; returns the number of data rows."""
    con = connection or _connect()
    try:
        cur = con.cursor()
        cur.execute(sql)
        header = [d[0] for d in cur.description]
        rows = cur.fetchall()
    finally:
        if connection is None:
            con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--hirer-id", required=True, help="the marketplace hirer_id, e.g. hir_00000004")
    p.add_argument("--start", required=True, type=date.fromisoformat, help="first day, YYYY-MM-DD (inclusive)")
    p.add_argument("--end", required=True, type=date.fromisoformat, help="last day, YYYY-MM-DD (inclusive)")
    p.add_argument("--out", required=True, type=Path, help="the CSV file to write")
    a = p.parse_args(argv)
    try:
        sql = compile_sql(a.hirer_id, a.start, a.end)
    except ValueError as exc:
        p.error(str(exc))
    n = run_to_csv(sql, a.out)
    print(f"{a.out}: {n} rows (validated clicks and invoice lines of {a.hirer_id}, {a.start} to {a.end})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
