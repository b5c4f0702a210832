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
    con.close()
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--duckdb", default="kpi_layer.duckdb")
    a = p.parse_args(argv)
    print(report(a.duckdb))
    return 0


if __name__ == "__main__":
    sys.exit(main())
