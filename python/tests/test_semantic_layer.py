"""The semantic layer and the marts can never drift apart: every KPI metric, queried through MetricFlow at
month grain (and day grain where the KPI is daily), equals the mart's value for the same period, on DuckDB and
on PostgreSQL. Runs against the warehouses `make test` has just built (.build/test.duckdb, schema kpi_ci)."""

from __future__ import annotations

import csv
import math
import os
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from kpi_layer import PROJECT_ROOT

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
TEST_DUCKDB = Path(os.environ.get("KPI_TEST_DUCKDB", PROJECT_ROOT / ".build" / "test.duckdb"))
TEST_PG_SCHEMA = os.environ.get("KPI_TEST_PG_SCHEMA", "kpi_ci")

# KPI metric -> the mart query giving (period, value) for the same KPI. {m} is the marts schema.
MONTHLY = {
    "mrr": "select month_start_date, mrr_usd from {m}.mrr_monthly",
    "arr": "select month_start_date, arr_usd from {m}.mrr_monthly",
    "mrr_growth_rate": "select month_start_date, mrr_growth_rate from {m}.mrr_monthly",
    "mrr_movements_new": "select month_start_date, new_mrr_usd from {m}.mrr_monthly",
    "mrr_movements_expansion": "select month_start_date, expansion_mrr_usd from {m}.mrr_monthly",
    "mrr_movements_contraction": "select month_start_date, contraction_mrr_usd from {m}.mrr_monthly",
    "mrr_movements_churned": "select month_start_date, churned_mrr_usd from {m}.mrr_monthly",
    "mrr_movements_reactivated": "select month_start_date, reactivated_mrr_usd from {m}.mrr_monthly",
    "customer_churn_rate": "select month_start_date, customer_churn_rate from {m}.mrr_monthly",
    "arpu": "select month_start_date, arpu_usd from {m}.mrr_monthly",
    "ltv": "select month_start_date, ltv_usd from {m}.unit_economics_monthly",
    "cac": "select month_start_date, cac_usd from {m}.unit_economics_monthly",
    "ltv_to_cac": "select month_start_date, ltv_to_cac from {m}.unit_economics_monthly",
    "payback_period_months": "select month_start_date, payback_period_months from {m}.unit_economics_monthly",
    "paid_conversion_rate": "select cohort_month, sum(converted_users) * 1.0 / nullif(sum(free_users), 0) "
                            "from {m}.paid_conversion_by_cohort group by cohort_month",
    "refunds_and_chargebacks_refunded": "select month_start_date, sum(refunded_amount_usd) "
                                        "from {m}.refunds_and_chargebacks_monthly group by month_start_date",
    "refunds_and_chargebacks_disputed": "select month_start_date, sum(disputed_amount_usd) "
                                        "from {m}.refunds_and_chargebacks_monthly group by month_start_date",
    "failed_payment_rate": "select month_start_date, failed_payment_rate from {m}.billing_kpis_monthly",
    "revenue_by_geography": "select month_start_date, revenue_usd from {m}.billing_kpis_monthly "
                            "where revenue_usd is not null",
    "revenue_by_geography_international_share": "select month_start_date, international_revenue_share "
                                                "from {m}.billing_kpis_monthly",
    "invoice_totals": "select month_start_date, sum(invoice_totals_usd) "
                      "from {m}.invoice_totals_by_customer_monthly group by month_start_date",
    "invoice_totals_upcoming": "select month_start_date, sum(upcoming_amount_usd) "
                               "from {m}.invoice_totals_by_customer_monthly group by month_start_date",
    "revenue_per_creator": "select month_start_date, revenue_per_creator_usd from {m}.creator_revenue_monthly",
    "creator_revenue_growth_mean": "select month_start_date, mean_creator_revenue_growth_rate "
                                   "from {m}.creator_revenue_monthly",
    "creator_revenue_growth_share_over_1k": "select month_start_date, share_creators_over_1000_usd "
                                            "from {m}.creator_revenue_monthly",
    "creator_revenue_growth_share_over_5k": "select month_start_date, share_creators_over_5000_usd "
                                            "from {m}.creator_revenue_monthly",
    "creator_revenue_growth_share_over_10k": "select month_start_date, share_creators_over_10000_usd "
                                             "from {m}.creator_revenue_monthly",
}
DAILY = {
    "failed_payment_rate": "select date_day, sum(failed_payment_attempts) * 1.0 / sum(payment_attempts) "
                           "from {m}.failed_payments_daily group by date_day having sum(payment_attempts) > 0",
    "cac": "select date_day, sum(acquisition_spend_usd) * 1.0 / nullif(sum(new_paying_customers), 0) "
           "from {i}.int_customer_acquisition_daily group by date_day",
}


def _metrics_defined() -> dict[str, dict]:
    out = {}
    for path in (PROJECT_ROOT / "metrics").rglob("*.yml"):
        for metric in (yaml.safe_load(path.read_text()) or {}).get("metrics", []) or []:
            out[metric["name"]] = metric
    return out


def _catalog_ids() -> set[str]:
    catalog = yaml.safe_load((PROJECT_ROOT.parent / "shared" / "kpi-catalog.yml").read_text())
    return {k["id"] for k in catalog["kpis"]}


def _is_kpi(name: str, catalog: set[str]) -> bool:
    return name in catalog or any(name.startswith(f"{kpi}_") for kpi in catalog)


def _env(warehouse: str) -> dict[str, str]:
    env = dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_ROOT))
    env.pop("DBT_TARGET_PATH", None)  # mf reads the semantic manifest from the project's target/
    if warehouse == "duckdb":
        env.update(KPI_TARGET="duckdb", KPI_DUCKDB_PATH=str(TEST_DUCKDB))
    else:
        env.update(KPI_TARGET="postgres", KPI_PG_SCHEMA=TEST_PG_SCHEMA)
    return env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(cmd, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, " ".join(cmd) + "\n" + result.stdout[-4000:] + result.stderr[-2000:]


def _mf_query(metrics: list[str], grain: str, env: dict[str, str], out: Path) -> dict[tuple[str, str], float]:
    _run([str(BIN / "mf"), "query", "--metrics", ",".join(metrics), "--group-by", f"metric_time__{grain}",
          "--csv", str(out)], env)
    values = {}
    with open(out, newline="") as f:
        for row in csv.DictReader(f):
            period = row.pop(f"metric_time__{grain}")[:10]
            for metric, value in row.items():
                values[(metric, period)] = None if value in ("", None) else float(value)
    return values


def _mart_values(warehouse: str, queries: dict[str, str]) -> dict[tuple[str, str], float]:
    if warehouse == "duckdb":
        import duckdb
        con = duckdb.connect(str(TEST_DUCKDB), read_only=True)
        schemas = {"m": "main_marts", "i": "main_intermediate"}
    else:
        from kpi_layer.pg_setup import connect, settings
        s = settings()
        con = connect(s, s["user"], s["dbname"])
        schemas = {"m": f"{TEST_PG_SCHEMA}_marts", "i": f"{TEST_PG_SCHEMA}_intermediate"}
    out = {}
    try:
        for metric, sql in queries.items():
            cur = con.cursor()
            cur.execute(sql.format(**schemas))
            for period, value in cur.fetchall():
                if isinstance(period, datetime):
                    period = period.date()
                key = (metric, period.isoformat() if isinstance(period, date) else str(period)[:10])
                out[key] = None if value is None else float(value if not isinstance(value, Decimal) else value)
            cur.close()
    finally:
        con.close()
    return out


def _compare(mf: dict, mart: dict, metrics: list[str]) -> list[str]:
    problems = []
    for metric in metrics:
        periods = {p for (m, p) in mart if m == metric} | {p for (m, p) in mf if m == metric}
        assert periods, f"{metric}: no rows in the mart nor in MetricFlow"
        for period in sorted(periods):
            a, b = mf.get((metric, period)), mart.get((metric, period))
            if a is None and b is None:
                continue
            if a is None or b is None or not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6):
                problems.append(f"{metric} {period}: MetricFlow {a} != mart {b}")
    return problems


def test_every_kpi_metric_is_checked_against_its_mart():
    catalog = _catalog_ids()
    kpi_metrics = {name for name in _metrics_defined() if _is_kpi(name, catalog)}
    unchecked = kpi_metrics - set(MONTHLY) - set(DAILY)
    assert not unchecked, f"KPI metrics without a mart comparison: {sorted(unchecked)}"
    unknown = (set(MONTHLY) | set(DAILY)) - set(_metrics_defined())
    assert not unknown, f"compared metrics that are not defined: {sorted(unknown)}"


@pytest.mark.parametrize("warehouse", ["duckdb", "postgres"])
def test_metricflow_equals_the_marts(warehouse, tmp_path):
    if not TEST_DUCKDB.exists():
        pytest.fail(f"{TEST_DUCKDB} is missing: run `make dbt-test-duckdb dbt-test-postgres` (or `make test`) first")
    env = _env(warehouse)
    # the semantic manifest names each mart's relation as the target's: parse for the warehouse queried
    _run([str(BIN / "dbt"), "parse", "--quiet"], env)
    problems = []
    for grain, queries in (("month", MONTHLY), ("day", DAILY)):
        metrics = sorted(queries)
        mf = _mf_query(metrics, grain, env, tmp_path / f"{grain}.csv")
        problems += _compare(mf, _mart_values(warehouse, queries), metrics)
    assert not problems, f"{len(problems)} differences on {warehouse}:\n" + "\n".join(problems[:40])
