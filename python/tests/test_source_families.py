"""Source families are switches: a company that has only some of the sources builds the project with the others
switched off (vars using_<family>), and `dbt build` passes with the part it has.

Each subset the issue names is built on DuckDB from the demo data with only its families' raw schemas loaded
(`dbt seed` loads the seeds of the enabled families only): Stripe only; storefront only; tutoring + Stripe;
product + ops; marketplace + Stripe. The sixth, every family, is `make test`'s own DuckDB build
(make dbt-test-duckdb). Two builds run side by side (the machine has two cores); then each warehouse is checked:
only its families' raw schemas exist, the marts of switched-off families are absent, the scorecard holds only
enabled families' KPIs, and a family's figures do not depend on which other families are on.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from kpi_layer import PROJECT_ROOT
from kpi_layer.contract import SOURCES

pytestmark = pytest.mark.slow

DBT = str(Path(sys.executable).with_name("dbt"))
OUT = PROJECT_ROOT / ".build" / "families"

SUBSETS: dict[str, tuple[str, ...]] = {
    "stripe": ("stripe",),
    "storefront": ("storefront",),
    "tutoring_stripe": ("tutoring", "stripe"),
    "product_ops": ("product", "ops"),
    "marketplace_stripe": ("marketplace", "stripe"),
}

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
    for path in (db, db.with_suffix(".duckdb.wal")):
        path.unlink(missing_ok=True)
    env = dict(os.environ, KPI_TARGET="duckdb", KPI_DUCKDB_PATH=str(db), DBT_PROFILES_DIR=str(PROJECT_ROOT),
               DBT_TARGET_PATH=str(OUT / f"target-{name}"), DBT_LOG_PATH=str(OUT / f"logs-{name}"))
    v = _vars(families)
    return env, [
        [DBT, "seed", "--select", "path:seeds/raw", "--vars", v, "--quiet"],
        [DBT, "build", "--exclude", "path:seeds/raw", "tag:threshold", "--vars", v],
    ]


def _run_subset(name: str, families: tuple[str, ...]) -> subprocess.Popen:
    env, (seed, build) = _commands(name, families)
    log = open(OUT / f"{name}.log", "w")
    # seed then build, one shell per subset so two subsets run at once
    script = " && ".join(subprocess.list2cmdline(c) for c in (seed, build))
    return subprocess.Popen(script, shell=True, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def built() -> dict[str, int]:
    OUT.mkdir(parents=True, exist_ok=True)
    codes: dict[str, int] = {}
    names = list(SUBSETS)
    for i in range(0, len(names), 2):
        running = {name: _run_subset(name, SUBSETS[name]) for name in names[i:i + 2]}
        for name, proc in running.items():
            codes[name] = proc.wait()
    return codes


def _tail(name: str) -> str:
    lines = (OUT / f"{name}.log").read_text().splitlines()
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


@pytest.mark.parametrize("name", list(SUBSETS))
def test_subset_builds(built, name):
    assert built[name] == 0, f"dbt build with only {SUBSETS[name]} failed:\n{_tail(name)}"


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
