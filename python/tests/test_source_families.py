"""Source families are switches: a company that has only some of the sources builds the project with the others
switched off (vars using_<family>), and `dbt build` passes with the part it has.

Each subset the issue names is built from the demo data with only its families' raw schemas loaded, on DuckDB
(the demo CSVs of those families COPYed in; for the storefront subset `dbt seed`, which must load the seeds of
the enabled families only) and on PostgreSQL (COPY, schemas kpi_fam_<subset>*): Stripe only; storefront only; tutoring + Stripe; product + ops;
marketplace + Stripe. The sixth, every family, is `make test`'s own build on both warehouses
(make dbt-test-duckdb, dbt-test-postgres). Two builds run at a time (the machine has two cores); then each
warehouse is checked:
only its families' raw schemas exist, the marts of switched-off families are absent, the scorecard holds only
enabled families' KPIs, and a family's figures do not depend on which other families are on.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import duckdb
import pytest

from dbt_helpers import DBT, SCENARIO_EXCLUDE
from kpi_layer import PROJECT_ROOT
from kpi_layer.contract import SOURCES
from pg_helpers import pg_connect, pg_drop_schemas

pytestmark = pytest.mark.slow

OUT = PROJECT_ROOT / ".build" / "families"

SUBSETS: dict[str, tuple[str, ...]] = {
    "stripe": ("stripe",),
    "storefront": ("storefront",),
    "tutoring_stripe": ("tutoring", "stripe"),
    "product_ops": ("product", "ops"),
    "marketplace_stripe": ("marketplace", "stripe"),
}

DBT_SEEDED = "storefront"
LARGEST_FIRST = ("marketplace_stripe", "product_ops", "tutoring_stripe", "stripe", "storefront")
assert sorted(LARGEST_FIRST) == sorted(SUBSETS)

# One mart per family with marts, to see that it is built exactly when its families are on.
MART_OF = {
    "mrr_monthly": ("stripe",),
    "revenue_daily": ("storefront",),
    "bookings_monthly": ("tutoring",),
    "click_quality_daily": ("marketplace",),
    "gmv_daily": ("marketplace", "stripe"),
    "cac_daily": ("storefront", "stripe"),
    "paid_conversion_by_cohort": ("stripe", "product"),
}

# A KPI of each family, to see the scorecard follows the switches.
KPI_OF = {"mrr": ("stripe",), "revenue": ("storefront",), "bookings_gmv": ("tutoring",),
          "ivt_rate": ("marketplace",), "cac": ("storefront", "stripe")}


def _vars(families: tuple[str, ...]) -> str:
    return "{" + ", ".join(f"using_{f}: {'true' if f in families else 'false'}" for f in SOURCES) + "}"


def _commands(name: str, families: tuple[str, ...]) -> tuple[dict[str, str], list[list[str]]]:
    db = OUT / f"{name}.duckdb"
    env = dict(os.environ, KPI_TARGET="duckdb", KPI_DUCKDB_PATH=str(db), DBT_PROFILES_DIR=str(PROJECT_ROOT),
               DBT_TARGET_PATH=str(OUT / f"target-{name}"), DBT_LOG_PATH=str(OUT / f"logs-{name}"))
    v = _vars(families)
    # One subset loads through `dbt seed`, which must seed the enabled families only; the others are COPYed in
    # like the PostgreSQL ones (the same relations and types, without a dbt run).
    load = ([DBT, "seed", "--select", "path:seeds/raw", "--vars", v, "--quiet"] if name == DBT_SEEDED else
            [sys.executable, "-m", "kpi_layer.loader", "--seeds", "seeds/raw", "--duckdb", str(db),
             "--families", ",".join(families)])
    return env, [load, [DBT, "build", "--exclude", *SCENARIO_EXCLUDE, "--vars", v]]


def _pg_prefix(name: str) -> str:
    return f"kpi_fam_{name}"


def _pg_commands(name: str, families: tuple[str, ...]) -> tuple[dict[str, str], list[list[str]]]:
    prefix = _pg_prefix(name)
    env = dict(os.environ, KPI_TARGET="postgres", KPI_PG_SCHEMA=prefix, DBT_PROFILES_DIR=str(PROJECT_ROOT),
               DBT_TARGET_PATH=str(OUT / f"target-pg-{name}"), DBT_LOG_PATH=str(OUT / f"logs-pg-{name}"))
    return env, [
        [sys.executable, "-m", "kpi_layer.loader", "--seeds", "seeds/raw", "--postgres", "--prefix", prefix,
         "--families", ",".join(families)],
        [DBT, "build", "--exclude", *SCENARIO_EXCLUDE, "--vars", _vars(families)],
    ]


def _run_subset(name: str, families: tuple[str, ...], warehouse: str) -> subprocess.Popen:
    env, (load, build) = (_commands if warehouse == "duckdb" else _pg_commands)(name, families)
    for path in (OUT / f"{name}.duckdb", OUT / f"{name}.duckdb.wal"):
        if warehouse == "duckdb":
            path.unlink(missing_ok=True)
    log = open(OUT / f"{warehouse}-{name}.log", "w")
    # load then build, one shell per subset so two subsets run at once
    script = " && ".join(subprocess.list2cmdline(c) for c in (load, build))
    return subprocess.Popen(script, shell=True, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def built() -> dict[tuple[str, str], int]:
    OUT.mkdir(parents=True, exist_ok=True)
    pg_drop_schemas("kpi_fam")
    codes: dict[tuple[str, str], int] = {}
    # two at a time, the next starting as soon as one ends; the largest subsets first so none is left alone at
    # the end
    pending = [(w, name) for name in LARGEST_FIRST for w in ("postgres", "duckdb")]
    running: dict[tuple[str, str], subprocess.Popen] = {}
    while pending or running:
        while pending and len(running) < 2:
            run = pending.pop(0)
            running[run] = _run_subset(run[1], SUBSETS[run[1]], run[0])
        time.sleep(0.2)
        for run, proc in list(running.items()):
            if proc.poll() is not None:
                codes[run] = running.pop(run).returncode
    yield codes
    pg_drop_schemas("kpi_fam")


def _tail(name: str, warehouse: str = "duckdb") -> str:
    lines = (OUT / f"{warehouse}-{name}.log").read_text().splitlines()
    bad = [line for line in lines if " ERROR " in line or " FAIL " in line or "Error" in line]
    return "\n".join(bad[-20:] + lines[-15:])


def _query(name: str, sql: str) -> list[tuple]:
    con = duckdb.connect(str(OUT / f"{name}.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _tables(name: str) -> set[tuple[str, str]]:
    return set(_query(name, "select schema_name, table_name from duckdb_tables() "
                            "union all select schema_name, view_name from duckdb_views() where not internal"))


def _pg_query(name: str, sql: str) -> list[tuple]:
    conn = pg_connect()
    try:
        with conn.cursor() as cur:
            cur.execute(sql.replace("main_", f"{_pg_prefix(name)}_"))
            return cur.fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("warehouse", ["duckdb", "postgres"])
@pytest.mark.parametrize("name", list(SUBSETS))
def test_subset_builds(built, name, warehouse):
    assert built[(warehouse, name)] == 0, \
        f"dbt build on {warehouse} with only {SUBSETS[name]} failed:\n{_tail(name, warehouse)}"


@pytest.mark.parametrize("name", list(SUBSETS))
def test_postgres_subset_equals_duckdb(built, name):
    """The same marts, with the same KPI values, on both warehouses (the scorecard, rounded to 6 places)."""
    sql = ("select kpi_id, grain, cast(period_start_date as varchar), round(cast(kpi_value as numeric), 6) "
           "from main_marts.kpi_scorecard")
    assert sorted(_pg_query(name, sql), key=str) == sorted(_query(name, sql.replace("numeric", "decimal(38, 6)")),
                                                           key=str)
    pg_marts = {r[0] for r in _pg_query(name, "select table_name from information_schema.tables "
                                              "where table_schema = 'main_marts'")}
    duck_marts = {t for s, t in _tables(name) if s == "main_marts"}
    assert pg_marts == duck_marts


@pytest.mark.parametrize("name", list(SUBSETS))
def test_only_the_subsets_raw_schemas_are_loaded(built, name):
    raw = {schema.removeprefix("main_raw_") for schema, _ in _tables(name) if schema.startswith("main_raw_")}
    assert raw == set(SUBSETS[name])


@pytest.mark.parametrize("name", list(SUBSETS))
def test_marts_follow_their_families(built, name):
    marts = {table for schema, table in _tables(name) if schema == "main_marts"}
    for mart, needs in MART_OF.items():
        expected = all(f in SUBSETS[name] for f in needs)
        assert (mart in marts) == expected, f"{mart} (needs {needs}) built={mart in marts} with {SUBSETS[name]}"
    # the shared marts are always there, the scorecard empty rather than missing when no KPI mart is on
    assert {"dim_dates", "kpi_scorecard", "kpi_alerts"} <= marts


@pytest.mark.parametrize("name", list(SUBSETS))
def test_scorecard_holds_only_enabled_families(built, name):
    kpis = {row[0] for row in _query(name, "select distinct kpi_id from main_marts.kpi_scorecard")}
    for kpi, needs in KPI_OF.items():
        assert (kpi in kpis) == all(f in SUBSETS[name] for f in needs), (kpi, SUBSETS[name])


def test_stripe_figures_do_not_depend_on_other_families(built):
    """MRR, its movements and churn are the same with Stripe alone and with tutoring beside it."""
    sql = ("select month_start_date, mrr_usd, new_mrr_usd, churned_mrr_usd, customer_churn_rate "
           "from main_marts.mrr_monthly order by 1")
    alone = _query("stripe", sql)
    assert alone and alone == _query("tutoring_stripe", sql) == _query("marketplace_stripe", sql)


def test_storefront_revenue_without_stripe_converts_with_reference_rates(built):
    """Without Stripe, non-USD orders convert with the reference seed's rates: every collected order counts."""
    missing = _query("storefront", "select count(*) from main_intermediate.int_storefront_orders_converted "
                                   "where total_usd is null")
    assert missing == [(0,)]
    rates = {row[0] for row in _query("storefront", "select distinct rate_source "
                                                    "from main_intermediate.int_fx_rates_monthly")}
    assert rates == {"reference", "identity"}


def test_cac_is_absent_without_storefront_spend(built):
    """Stripe alone: the acquisition inputs exist, the spend does not, so CAC is null, never zero or an error."""
    rows = _query("stripe", "select count(*), count(acquisition_spend_usd), sum(new_paying_customers) "
                            "from main_intermediate.int_customer_acquisition_daily")
    total, with_spend, customers = rows[0]
    assert total > 0 and with_spend == 0 and customers > 0
    cac = _query("stripe", "select count(cac_usd) from main_marts.unit_economics_monthly")
    assert cac == [(0,)]


@pytest.mark.parametrize("name", ["stripe", "storefront"])
def test_quality_suites_of_switched_off_marts_are_skipped(built, name):
    """The great-expectations checkpoint runs the suites of the marts the subset built and lists the rest as off."""
    env = dict(os.environ, KPI_DUCKDB_PATH=str(OUT / f"{name}.duckdb"))
    result = subprocess.run(
        [sys.executable, "-m", "kpi_layer.quality", "--target", "duckdb",
         "--manifest", str(OUT / f"target-{name}" / "manifest.json"), "--docs-dir", str(OUT / f"ge-{name}")],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    lines = {line.split()[1].rstrip(":"): line.split()[0] for line in result.stdout.splitlines()
             if line.split() and line.split()[0] in ("ok", "off", "FAIL", "ERROR")}
    assert lines["gmv_daily"] == "off"
    assert lines["mrr_monthly"] == ("ok" if name == "stripe" else "off")
    assert lines["revenue_daily"] == ("ok" if name == "storefront" else "off")


def test_a_missing_table_is_named_with_its_vars_or_read_as_empty(built, tmp_path):
    """Stripe alone, on a sync without the coupon table (optional: read as empty) and without charge (required:
    the build stops at its staging model with a message naming the table and the vars, no catalog error)."""
    import shutil

    db = tmp_path / "kpi_layer_missing.duckdb"
    shutil.copy(OUT / "stripe.duckdb", db)
    con = duckdb.connect(str(db))
    con.execute("drop table main_raw_stripe.coupon")
    con.execute("drop table main_raw_stripe.charge")
    con.close()
    env, _ = _commands("stripe", SUBSETS["stripe"])
    env.update(KPI_DUCKDB_PATH=str(db), DBT_TARGET_PATH=str(tmp_path / "target"), DBT_LOG_PATH=str(tmp_path))
    result = subprocess.run([DBT, "run", "--select", "base_stripe__coupon", "base_stripe__charge",
                             "--vars", _vars(SUBSETS["stripe"])],
                            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 1
    out = " ".join(result.stdout.split())
    assert 'the stripe table "charge" was not found in' in out
    assert "stripe_schema" in out and "using_stripe: false" in out
    assert "Catalog Error" not in out
    assert "optional source table stripe.coupon is not in" in out and "read as empty" in out
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from main_staging.base_stripe__coupon").fetchone() == (0,)
    con.close()
