"""PostgreSQL helpers the end-to-end tests share: a connection as the project's role (failing, never skipping,
when the server does not answer) and the dropping of a test's own schemas."""

from __future__ import annotations

import pytest


def pg_connect():
    import psycopg2

    from kpi_layer import pg_setup

    try:
        pg_setup.ensure()  # the role and database (idempotent)
        s = pg_setup.settings()
        return pg_setup.connect(s, s["user"], s["dbname"])
    except psycopg2.OperationalError as e:
        pytest.fail(f"PostgreSQL is not reachable: {e}")


def pg_drop_schemas(prefix: str) -> None:
    """Drop the schema `prefix` and every schema `prefix_*` (a build's raw, staging and mart schemas)."""
    conn = pg_connect()
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(r"select nspname from pg_namespace where nspname = %s or nspname like %s",
                    (prefix, prefix.replace("_", r"\_") + r"\_%"))
        for (schema,) in cur.fetchall():
            cur.execute(f'drop schema "{schema}" cascade')
    conn.close()
