"""Unit tests must not depend on the user's vars: a user who sets as_of_date (as the README invites), tunes an
alert rule, the take rate or a target must still see every dbt unit test pass, because each unit test pins the
vars its model reads (`overrides: vars:`).

Runs every unit test against `make test`'s DuckDB build (.build/test.duckdb) with every tunable var changed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kpi_layer import PROJECT_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.warehouse]

DBT = str(Path(sys.executable).with_name("dbt"))
TEST_DUCKDB = Path(os.environ.get("KPI_TEST_DUCKDB", PROJECT_ROOT / ".build" / "test.duckdb"))


def _a_users_vars() -> dict:
    project = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())["vars"]
    # every alert rule still present (the marts need one per KPI), every limit moved
    rules = {kpi: {level: (limit * 7 if limit else 0.5) for level, limit in rule.items()}
             for kpi, rule in project["kpi_alert_rules"].items()}
    return {
        "as_of_date": "2031-06-30",
        "kpi_alert_rules": rules,
        "marketplace_take_rate": 0.5,
        "bookings_commission_rate": 0.5,
        "incremental_lookback_days": 10,
        "paid_conversion_window_days": 7,
        "ad_spend_attribution": {"app_name": "nobody", "acquisition_channel": "nowhere"},
        "mrr_growth_green_above": 0.9,
        "mrr_growth_yellow_from": 0.8,
        "international_revenue_share_target": 0.99,
        "plan_customer_churn_rate_targets": [],
        "subscription_gross_margin_rate": 0.1,
        "storefront_web_order_sources": ["Nowhere"],
        "storefront_break_even_horizon_months": 1,
        "home_country": "GB",
        "pii_salt": "another-salt",
    }


def test_unit_tests_pass_whatever_the_users_vars():
    assert TEST_DUCKDB.exists(), f"{TEST_DUCKDB} is missing: run `make dbt-test-duckdb` first"
    env = dict(os.environ, KPI_TARGET="duckdb", KPI_DUCKDB_PATH=str(TEST_DUCKDB), DBT_PROFILES_DIR=str(PROJECT_ROOT),
               DBT_TARGET_PATH=str(PROJECT_ROOT / "target" / "unit-tests-users-vars"))
    result = subprocess.run([DBT, "test", "--select", "test_type:unit", "--vars", json.dumps(_a_users_vars())],
                            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    failed = [line for line in result.stdout.splitlines() if " FAIL " in line or " ERROR " in line]
    assert result.returncode == 0, "unit tests that depend on the user's vars:\n" + "\n".join(failed[-30:]) \
        + "\n" + result.stdout[-1500:]
    assert "PASS=" in result.stdout
