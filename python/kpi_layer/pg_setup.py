"""Make sure the PostgreSQL role and database the project's profile uses exist (idempotent).

Connects as an administrator (KPI_PG_ADMIN_USER, default postgres; trust auth on the project's machines),
creates the role KPI_PG_USER and the database KPI_PG_DATABASE if missing. With --reset-schemas it drops the
schemas of KPI_PG_SCHEMA (the test suite's, e.g. kpi_ci and kpi_ci_*) so a test build starts clean.
Fails loudly, never skips, when the server cannot be reached.
"""

from __future__ import annotations

import argparse
import os
import sys

import psycopg2
from psycopg2 import sql


def settings() -> dict[str, str]:
    return {
        "host": os.environ.get("KPI_PG_HOST", "127.0.0.1"),
        "port": os.environ.get("KPI_PG_PORT", "5432"),
        "user": os.environ.get("KPI_PG_USER", "kpi_layer"),
        "password": os.environ.get("KPI_PG_PASSWORD", ""),
        "dbname": os.environ.get("KPI_PG_DATABASE", "kpi_layer"),
        "schema": os.environ.get("KPI_PG_SCHEMA", "kpi"),
        "admin_user": os.environ.get("KPI_PG_ADMIN_USER", "postgres"),
        "admin_db": os.environ.get("KPI_PG_ADMIN_DATABASE", "postgres"),
    }


def connect(s: dict[str, str], user: str, dbname: str):
    return psycopg2.connect(host=s["host"], port=s["port"], user=user, dbname=dbname,
                            password=s["password"] or None, connect_timeout=10)


def _role_timezone(cur, user: str) -> bool:
    cur.execute("select 1 from pg_db_role_setting as s join pg_roles as r on r.oid = s.setrole "
                "where r.rolname = %s and s.setdatabase = 0 and 'TimeZone=UTC' = any(s.setconfig)", (user,))
    return cur.fetchone() is not None


def _pin_timezone(cur, user: str) -> None:
    """The builder's sessions run in UTC whatever the server's default: staging converts every zone explicitly,
    and a session zone must never leak into a cast (docs/decisions.md, "Bad input"). Idempotent, and safe when
    two loaders set up at once (the second one's update would conflict with the first's)."""
    import psycopg2

    if _role_timezone(cur, user):
        return
    try:
        cur.execute(sql.SQL("alter role {} set timezone to 'UTC'").format(sql.Identifier(user)))
    except psycopg2.Error:
        if not _role_timezone(cur, user):
            raise


def _create_once(cur, exists: str, name: str, create) -> None:
    """Create a role or database unless it exists; another process creating it at the same moment is fine."""
    cur.execute(exists, (name,))
    if cur.fetchone():
        return
    try:
        cur.execute(create)
    except psycopg2.Error:
        cur.execute(exists, (name,))
        if not cur.fetchone():
            raise


def ensure(reset_schemas: bool = False) -> None:
    s = settings()
    admin = connect(s, s["admin_user"], s["admin_db"])
    admin.autocommit = True
    with admin.cursor() as cur:
        # make test sets up from several processes at once: whoever creates second finds it made
        _create_once(cur, "select 1 from pg_roles where rolname = %s", s["user"],
                     sql.SQL("create role {} login createdb").format(sql.Identifier(s["user"])))
        _pin_timezone(cur, s["user"])
        _create_once(cur, "select 1 from pg_database where datname = %s", s["dbname"],
                     sql.SQL("create database {} owner {}").format(sql.Identifier(s["dbname"]),
                                                                  sql.Identifier(s["user"])))
    admin.close()
    if reset_schemas:
        conn = connect(s, s["user"], s["dbname"])
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("select nspname from pg_namespace where nspname = %s or nspname like %s",
                        (s["schema"], s["schema"] + "\\_%"))
            for (name,) in cur.fetchall():
                cur.execute(sql.SQL("drop schema {} cascade").format(sql.Identifier(name)))
        conn.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--reset-schemas", action="store_true")
    a = p.parse_args(argv)
    try:
        ensure(a.reset_schemas)
    except psycopg2.OperationalError as e:
        print(f"FATAL: cannot reach PostgreSQL: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
