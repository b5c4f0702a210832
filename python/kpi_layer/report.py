"""Headline numbers from a built warehouse, printed after `make build` so the user sees it worked:
rows per staging and mart relation, rows set aside in quarantine, and a few KPIs when their marts exist."""

from __future__ import annotations

import argparse
import sys

import duckdb


def _relations(con, like: str) -> list[tuple[str, str]]:
    return con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema like ? order by 1, 2", [like]).fetchall()


def report(path: str) -> str:
    con = duckdb.connect(path, read_only=True)
    lines: list[str] = []
    for label, like in (("staging", "%staging"), ("intermediate", "%intermediate"), ("marts", "%marts")):
        rels = _relations(con, like)
        if not rels:
            continue
        lines.append(f"{label}: {len(rels)} relations")
        for schema, name in rels:
            if name.startswith("base_"):
                continue
            n = con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0]
            lines.append(f"  {name:<48} {n:>10,} rows")
    quarantine = [r for r in _relations(con, "%staging") if r[1].endswith("__quarantined_rows")]
    if quarantine:
        union = " union all ".join(f'select source_table, reason from "{s}"."{t}"' for s, t in quarantine)
        rows = con.execute(f"select reason, count(*) from ({union}) group by 1 order by 2 desc").fetchall()
        lines.append("quarantined raw rows by reason: " + ", ".join(f"{r}={n}" for r, n in rows))
    lines.extend(_headline_kpis(con))
    con.close()
    return "\n".join(lines)


# Headline figures, each read from the most finished relation that holds it. Until the KPI marts exist they
# come straight from staging; each is skipped when its relation is missing (a partial build).
HEADLINES = [
    ("mrr_monthly",
     "select month_start_date, mrr_usd, arr_usd, customer_churn_rate, arpu_usd from {rel} "
     "order by month_start_date desc limit 1",
     lambda r: f"MRR {r[0]:%Y-%m}: USD {r[1]:,.2f} (ARR USD {r[2]:,.2f}), customer churn {r[3]:.1%}, "
               f"ARPU USD {r[4]:,.2f}"),
    ("stg_stripe__balance_transaction",
     "select count(*), sum(amount) / 100.0, sum(fee_amount) / 100.0 from {rel} where balance_transaction_type = 'charge'",
     lambda r: f"Stripe charges settled: {r[0]:,} for USD {r[1]:,.2f} gross, USD {r[2]:,.2f} in fees"),
    ("stg_marketplace__clicks",
     "select count(*), avg(case when is_valid then 0.0 else 1.0 end) from {rel}",
     lambda r: f"redirect clicks: {r[0]:,}, invalid-traffic rate {r[1]:.2%}"),
]


def _headline_kpis(con) -> list[str]:
    out = []
    for name, sql, fmt in HEADLINES:
        found = con.execute("select table_schema from information_schema.tables where table_name = ?", [name]).fetchone()
        if not found:
            continue
        row = con.execute(sql.format(rel=f'"{found[0]}"."{name}"')).fetchone()
        if row and row[0] is not None and all(v is not None for v in row):
            out.append(fmt(row))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--duckdb", default="kpi_layer.duckdb")
    a = p.parse_args(argv)
    print(report(a.duckdb))
    return 0


if __name__ == "__main__":
    sys.exit(main())
