"""The great-expectations checkpoint (python -m kpi_layer.quality) passes on the marts `make test` built and
fails, naming the expectation, on a tampered copy: a duplicated key, a rate of 1.5, a negative amount, a missing
month. On DuckDB (a copy of .build/test.duckdb, or KPI_TEST_DUCKDB) and on PostgreSQL (a tampered copy of one
mart in a scratch schema, read from the test schema kpi_ci, or KPI_TEST_PG_SCHEMA)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kpi_layer import PROJECT_ROOT
from kpi_layer.quality import load_suites, period_columns, periods_in_span

pytestmark = pytest.mark.warehouse

TEST_DUCKDB = Path(os.environ.get("KPI_TEST_DUCKDB", PROJECT_ROOT / ".build" / "test.duckdb"))
TEST_PG_SCHEMA = os.environ.get("KPI_TEST_PG_SCHEMA", "kpi_ci")
SUITES = ["mrr_monthly", "failed_payments_monthly", "fct_charges"]


def _checkpoint(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    path = os.pathsep.join(p for p in (str(PROJECT_ROOT / "python"), os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, PYTHONPATH=path, **env)
    return subprocess.run([sys.executable, "-m", "kpi_layer.quality", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def _suite_args() -> list[str]:
    return [a for s in SUITES for a in ("--suite", s)]


@pytest.fixture(scope="module")
def built_duckdb() -> Path:
    if not TEST_DUCKDB.exists():
        pytest.fail(f"{TEST_DUCKDB} is missing: run `make dbt-test-duckdb` (or `make test`) first, "
                    "or point KPI_TEST_DUCKDB at a built DuckDB file")
    return TEST_DUCKDB


def test_periods_in_span():
    assert periods_in_span(dt.date(2024, 11, 1), dt.date(2025, 2, 1), "month") == 4
    assert periods_in_span(dt.date(2025, 1, 6), dt.date(2025, 1, 27), "week") == 4
    assert periods_in_span(dt.datetime(2025, 1, 30), dt.datetime(2025, 2, 2), "day") == 4
    assert periods_in_span(None, None, "day") == 0


def test_every_suite_is_well_formed():
    suites = load_suites()
    assert suites, "no suite under great_expectations/suites"
    for suite in suites:
        types = {e["type"] for e in suite["expectations"]}
        assert "expect_table_row_count_to_be_between" in types, suite["name"]
        assert types & {"expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"}, (
            f"{suite['name']}: no key expectation")
        period_columns(suite)  # raises on a malformed contiguity check


@pytest.mark.slow
def test_checkpoint_passes_on_built_marts(built_duckdb, tmp_path):
    result = _checkpoint({"KPI_DUCKDB_PATH": str(built_duckdb)}, "--target", "duckdb",
                         "--docs-dir", str(tmp_path / "docs"), *_suite_args())
    assert result.returncode == 0, result.stdout + result.stderr
    for suite in SUITES:
        assert f"ok    {suite}:" in result.stdout, result.stdout
    assert (tmp_path / "docs" / "index.html").exists()


@pytest.mark.slow
def test_checkpoint_fails_on_tampered_duckdb(built_duckdb, tmp_path):
    import duckdb

    copy = tmp_path / "tampered.duckdb"
    shutil.copy(built_duckdb, copy)
    con = duckdb.connect(str(copy))
    con.execute("insert into main_marts.mrr_monthly select * from main_marts.mrr_monthly "
                "order by month_start_date desc limit 1")  # a duplicated key
    con.execute("update main_marts.failed_payments_monthly set failed_payment_rate = 1.5 "
                "where month_start_date = (select max(month_start_date) from main_marts.failed_payments_monthly)")
    con.execute("delete from main_marts.failed_payments_monthly where month_start_date = "
                "(select min(month_start_date) + interval 1 month from main_marts.failed_payments_monthly)")  # a gap
    con.execute("update main_marts.fct_charges set amount = -1 "
                "where charge_id = (select min(charge_id) from main_marts.fct_charges)")
    con.close()
    result = _checkpoint({"KPI_DUCKDB_PATH": str(copy)}, "--target", "duckdb",
                         "--docs-dir", str(tmp_path / "docs"), *_suite_args())
    out = result.stdout
    assert result.returncode != 0, out
    assert "FAIL  mrr_monthly:" in out and "expect_column_values_to_be_unique(month_start_date)" in out, out
    assert "FAIL  failed_payments_monthly:" in out, out
    assert "expect_column_values_to_be_between(failed_payment_rate)" in out, out
    assert "expect_column_unique_value_count_to_be_between(month_start_date)" in out, out
    assert "FAIL  fct_charges:" in out and "expect_column_values_to_be_between(amount)" in out, out
    assert (tmp_path / "docs" / "index.html").exists()


@pytest.mark.slow
def test_checkpoint_fails_on_tampered_postgres(tmp_path):
    from kpi_layer.pg_setup import connect, settings

    s = settings()
    try:
        con = connect(s, s["user"], s["dbname"])
    except Exception as e:  # noqa: BLE001
        pytest.fail(f"cannot reach PostgreSQL: {e}")
    con.autocommit = True
    source = f"{TEST_PG_SCHEMA}_marts"
    scratch = f"kpi_gx_tamper_{os.getpid()}"
    with con.cursor() as cur:
        cur.execute("select 1 from information_schema.tables where table_schema = %s "
                    "and table_name = 'failed_payments_monthly'", (source,))
        if not cur.fetchone():
            pytest.fail(f"{source}.failed_payments_monthly is missing: run `make dbt-test-postgres` first "
                        "(or set KPI_TEST_PG_SCHEMA to a built schema)")
        cur.execute(f'create schema "{scratch}_marts"')
    try:
        with con.cursor() as cur:
            cur.execute(f'create table "{scratch}_marts".failed_payments_monthly as '
                        f'select * from "{source}".failed_payments_monthly')
        good = _checkpoint({"KPI_TARGET": "postgres", "KPI_PG_SCHEMA": scratch}, "--target", "postgres",
                           "--docs-dir", str(tmp_path / "good"), "--suite", "failed_payments_monthly")
        assert good.returncode == 0, good.stdout + good.stderr
        with con.cursor() as cur:
            cur.execute(f'update "{scratch}_marts".failed_payments_monthly set failed_payment_rate = 1.5 '
                        f'where month_start_date = (select max(month_start_date) '
                        f'from "{scratch}_marts".failed_payments_monthly)')
            cur.execute(f'insert into "{scratch}_marts".failed_payments_monthly '
                        f'select * from "{scratch}_marts".failed_payments_monthly limit 1')
        bad = _checkpoint({"KPI_TARGET": "postgres", "KPI_PG_SCHEMA": scratch}, "--target", "postgres",
                          "--docs-dir", str(tmp_path / "bad"), "--suite", "failed_payments_monthly")
        assert bad.returncode != 0, bad.stdout
        assert "FAIL  failed_payments_monthly:" in bad.stdout, bad.stdout
        assert "expect_column_values_to_be_between(failed_payment_rate)" in bad.stdout, bad.stdout
        assert "expect_compound_columns_to_be_unique(month_start_date,app_name)" in bad.stdout, bad.stdout
    finally:
        with con.cursor() as cur:
            cur.execute(f'drop schema "{scratch}_marts" cascade')
        con.close()
