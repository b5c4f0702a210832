"""Load generated Parquet files into a warehouse's raw schemas, the way a loader lands them.

    python -m kpi_layer.loader --from data/generated/l --duckdb kpi_layer.duckdb
    python -m kpi_layer.loader --from data/generated/l --postgres
    python -m kpi_layer.loader --seeds seeds/raw --postgres       # the demo CSVs, as dbt seed would land them
    python -m kpi_layer.loader --seeds seeds/raw --duckdb f.duckdb --families stripe,marketplace

Tables are created with the contract's column types (models/staging/<source>/_<source>__sources.yml) in
schema <prefix>_raw_<source> (prefix: the target schema, main on DuckDB), which is where the sources look by
default; point the project elsewhere with the <source>_schema vars.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import pyarrow.parquet as pq

from . import contract


def raw_schema(prefix: str, source: str) -> str:
    return f"{prefix}_raw_{source}"


def _files(src: Path):
    for path in sorted(src.glob("*/*.parquet")):
        source, table = path.parent.name, path.stem
        yield contract.table(source, table), path


def load_duckdb(src: Path, database: str, prefix: str = "main") -> dict[str, int]:
    import duckdb

    con = duckdb.connect(database)
    counts = {}
    for raw, path in _files(src):
        schema = raw_schema(prefix, raw.source)
        con.execute(f'create schema if not exists "{schema}"')
        cols = ", ".join(f'cast("{c.name}" as {c.data_type}) as "{c.name}"' for c in raw.columns)
        con.execute(f'create or replace table "{schema}"."{raw.name}" as '
                    f"select {cols} from read_parquet(?)", [str(path)])
        counts[f"{schema}.{raw.name}"] = con.execute(f'select count(*) from "{schema}"."{raw.name}"').fetchone()[0]
    con.close()
    return counts


def _seed_tables(seed_dir: Path, families: tuple[str, ...] | None):
    """The demo CSVs (seeds/raw/<source>/<source>__<table>.csv) of the families asked for, with their raw tables."""
    for path in sorted(seed_dir.glob("*/*.csv")):
        source, table = path.stem.split("__", 1)
        if families is None or source in families:
            yield path, contract.table(source, table)


def load_duckdb_seeds(seed_dir: Path, database: str, prefix: str = "main",
                      families: tuple[str, ...] | None = None) -> dict[str, int]:
    """The committed demo CSVs into DuckDB, to the relations and contract types `dbt seed` creates (text cast
    to each column's type, an empty cell null), without a dbt run. `families` loads only those source families."""
    import duckdb

    con = duckdb.connect(database)
    counts = {}
    for path, raw in _seed_tables(seed_dir, families):
        schema = raw_schema(prefix, raw.source)
        types = {c.name: c.data_type for c in raw.columns}
        header = con.execute("select * from read_csv(?, header = true, all_varchar = true) limit 0",
                             [str(path)]).description
        names = [d[0] for d in header]
        con.execute(f'create schema if not exists "{schema}"')
        cols = ", ".join(f'"{c.name}" {c.data_type}' for c in raw.columns)
        con.execute(f'create or replace table "{schema}"."{raw.name}" ({cols})')
        casts = ", ".join(f'cast("{n}" as {types[n]})' for n in names)
        quoted = ", ".join(f'"{n}"' for n in names)
        con.execute(f'insert into "{schema}"."{raw.name}" ({quoted}) '
                    f"select {casts} from read_csv(?, header = true, all_varchar = true)", [str(path)])
        counts[f"{schema}.{raw.name}"] = con.execute(f'select count(*) from "{schema}"."{raw.name}"').fetchone()[0]
    con.close()
    return counts


def load_postgres(src: Path, prefix: str = "kpi", batch_rows: int = 500_000) -> dict[str, int]:
    """COPY each Parquet file into PostgreSQL in batches (streams: never the whole table in memory)."""
    import pyarrow.csv as pacsv
    from psycopg2 import sql

    from .pg_setup import connect, ensure, settings

    ensure()
    s = settings()
    conn = connect(s, s["user"], s["dbname"])
    counts = {}
    with conn, conn.cursor() as cur:
        for raw, path in _files(src):
            schema = raw_schema(prefix, raw.source)
            cur.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
            cur.execute(sql.SQL("drop table if exists {}.{} cascade").format(sql.Identifier(schema), sql.Identifier(raw.name)))
            cols = sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(c.name), sql.SQL(c.data_type)) for c in raw.columns)
            cur.execute(sql.SQL("create table {}.{} ({})").format(sql.Identifier(schema), sql.Identifier(raw.name), cols))
            copy = sql.SQL("copy {}.{} from stdin with (format csv, header true)").format(
                sql.Identifier(schema), sql.Identifier(raw.name)).as_string(cur)
            for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows):
                buf = io.BytesIO()
                pacsv.write_csv(batch, buf)
                buf.seek(0)
                cur.copy_expert(copy, buf)
            cur.execute(sql.SQL("select count(*) from {}.{}").format(sql.Identifier(schema), sql.Identifier(raw.name)))
            counts[f"{schema}.{raw.name}"] = cur.fetchone()[0]
    conn.close()
    return counts


def load_postgres_seeds(seed_dir: Path, prefix: str = "kpi", families: tuple[str, ...] | None = None) -> dict[str, int]:
    """COPY the committed demo CSVs (seeds/raw/<source>/<source>__<table>.csv) into PostgreSQL, to the
    relations `dbt seed` would create, with the contract's column types: the same tables in seconds instead of
    dbt seed's row-by-row inserts. `families` loads only those source families (a company with some sources)."""
    import csv

    from psycopg2 import sql

    from .pg_setup import connect, ensure, settings

    ensure()
    s = settings()
    conn = connect(s, s["user"], s["dbname"])
    counts = {}
    with conn, conn.cursor() as cur:
        for path, raw in _seed_tables(seed_dir, families):
            schema = raw_schema(prefix, raw.source)
            with open(path, newline="", encoding="utf-8") as f:
                header = next(csv.reader(f))
            cur.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
            cur.execute(sql.SQL("drop table if exists {}.{} cascade").format(sql.Identifier(schema), sql.Identifier(raw.name)))
            cols = sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(c.name), sql.SQL(c.data_type)) for c in raw.columns)
            cur.execute(sql.SQL("create table {}.{} ({})").format(sql.Identifier(schema), sql.Identifier(raw.name), cols))
            copy = sql.SQL("copy {}.{} ({}) from stdin with (format csv, header true)").format(
                sql.Identifier(schema), sql.Identifier(raw.name),
                sql.SQL(", ").join(sql.Identifier(c) for c in header)).as_string(cur)
            with open(path, "rb") as f:
                cur.copy_expert(copy, f)
            cur.execute(sql.SQL("select count(*) from {}.{}").format(sql.Identifier(schema), sql.Identifier(raw.name)))
            counts[f"{schema}.{raw.name}"] = cur.fetchone()[0]
    conn.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--from", dest="src", help="a generated Parquet directory")
    src.add_argument("--seeds", help="the demo CSV seeds directory (seeds/raw)")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--duckdb")
    g.add_argument("--postgres", action="store_true")
    p.add_argument("--prefix", default=None, help="schema prefix (default: main on DuckDB, KPI_PG_SCHEMA on PostgreSQL)")
    p.add_argument("--families", help="with --seeds: load only these source families (comma-separated)")
    a = p.parse_args(argv)
    if a.seeds:
        import os
        families = tuple(a.families.split(",")) if a.families else None
        if a.duckdb:
            counts = load_duckdb_seeds(Path(a.seeds), a.duckdb, a.prefix or "main", families)
        else:
            counts = load_postgres_seeds(Path(a.seeds), a.prefix or os.environ.get("KPI_PG_SCHEMA", "kpi"), families)
    elif a.duckdb:
        counts = load_duckdb(Path(a.src), a.duckdb, a.prefix or "main")
    else:
        import os
        counts = load_postgres(Path(a.src), a.prefix or os.environ.get("KPI_PG_SCHEMA", "kpi"))
    for name, n in sorted(counts.items()):
        print(f"{name}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
