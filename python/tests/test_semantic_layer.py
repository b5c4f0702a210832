"""The semantic layer and the marts can never drift apart: every KPI metric, queried through MetricFlow at
month grain (and week or day grain where the KPI is weekly or daily), equals the mart's value for the same period, on DuckDB and
on PostgreSQL. Runs against the warehouses `make test` has just built (.build/test.duckdb, schema kpi_ci)."""

from __future__ import annotations

import csv
import importlib
import math
import os
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from kpi_layer import PROJECT_ROOT, registry

pytestmark = [pytest.mark.slow, pytest.mark.warehouse]

BIN = Path(sys.executable).parent
TEST_DUCKDB = Path(os.environ.get("KPI_TEST_DUCKDB", PROJECT_ROOT / ".build" / "test.duckdb"))
TEST_PG_SCHEMA = os.environ.get("KPI_TEST_PG_SCHEMA", "kpi_ci")

# Each domain lists its KPI metrics in semantic_checks/<domain>.py: MONTHLY, WEEKLY (optional, ISO weeks
# starting on Monday) and DAILY map a metric to the mart query giving (period, value) for the same KPI; {m} is
# the marts schema, {i} the intermediate one.
MONTHLY: dict[str, str] = {}
WEEKLY: dict[str, str] = {}
DAILY: dict[str, str] = {}
for _module in sorted((Path(__file__).parent / "semantic_checks").glob("*.py")):
    if _module.name.startswith("_"):
        continue
    _checks = importlib.import_module(f"semantic_checks.{_module.stem}")
    for _name, _target in (("MONTHLY", MONTHLY), ("WEEKLY", WEEKLY), ("DAILY", DAILY)):
        _clash = set(_target) & set(getattr(_checks, _name, {}))
        assert not _clash, f"{_module.name}: {_name} metrics listed twice: {sorted(_clash)}"
        _target.update(getattr(_checks, _name, {}))


def _metrics_defined() -> dict[str, dict]:
    out = {}
    for path in (PROJECT_ROOT / "metrics").rglob("*.yml"):
        for metric in (yaml.safe_load(path.read_text()) or {}).get("metrics", []) or []:
            out[metric["name"]] = metric
    return out


def _catalog_ids() -> set[str]:
    return registry.kpi_ids()


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


def _connect(warehouse: str):
    """A connection to the test warehouse and its schemas: m marts, i intermediate, r reference."""
    if warehouse == "duckdb":
        import duckdb
        return duckdb.connect(str(TEST_DUCKDB), read_only=True), {
            "m": "main_marts", "i": "main_intermediate", "r": "main_reference"}
    from kpi_layer.pg_setup import connect, settings
    s = dict(settings(), schema=TEST_PG_SCHEMA)
    return connect(s, s["user"], s["dbname"]), {
        "m": f"{TEST_PG_SCHEMA}_marts", "i": f"{TEST_PG_SCHEMA}_intermediate", "r": f"{TEST_PG_SCHEMA}_reference"}


def _rows(warehouse: str, sql: str) -> list[tuple]:
    con, schemas = _connect(warehouse)
    try:
        cur = con.cursor()
        cur.execute(sql.format(**schemas))
        return [tuple(r) for r in cur.fetchall()]
    finally:
        con.close()


def _mart_values(warehouse: str, queries: dict[str, str]) -> dict[tuple[str, str], float]:
    con, schemas = _connect(warehouse)
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
    unchecked = kpi_metrics - set(MONTHLY) - set(WEEKLY) - set(DAILY)
    assert not unchecked, f"KPI metrics without a mart comparison: {sorted(unchecked)}"
    unknown = (set(MONTHLY) | set(WEEKLY) | set(DAILY)) - set(_metrics_defined())
    assert not unknown, f"compared metrics that are not defined: {sorted(unknown)}"


@pytest.mark.parametrize("warehouse", ["duckdb", "postgres"])
def test_metricflow_equals_the_marts(warehouse, tmp_path):
    if not TEST_DUCKDB.exists():
        pytest.fail(f"{TEST_DUCKDB} is missing: run `make dbt-test-duckdb dbt-test-postgres` (or `make test`) first")
    env = _env(warehouse)
    # the semantic manifest names each mart's relation as the target's: parse for the warehouse queried
    _run([str(BIN / "dbt"), "parse", "--quiet"], env)
    problems = []
    for grain, queries in (("month", MONTHLY), ("week", WEEKLY), ("day", DAILY)):
        metrics = sorted(queries)
        if not metrics:
            continue
        mf = _mf_query(metrics, grain, env, tmp_path / f"{grain}.csv")
        problems += _compare(mf, _mart_values(warehouse, queries), metrics)
    assert not problems, f"{len(problems)} differences on {warehouse}:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("warehouse", ["duckdb", "postgres"])
def test_scorecard_equals_the_marts(warehouse):
    """kpi_scorecard reads the marts; for every KPI the semantic layer checks, its scorecard rows at the same
    grain equal the mart's values, and every implemented KPI with a target is on the scorecard."""
    if not TEST_DUCKDB.exists():
        pytest.fail(f"{TEST_DUCKDB} is missing: run `make dbt-test-duckdb dbt-test-postgres` (or `make test`) first")
    checks = {**{(m, "month"): q for m, q in MONTHLY.items()}, **{(m, "week"): q for m, q in WEEKLY.items()},
              **{(m, "day"): q for m, q in DAILY.items()}}
    scorecard_sql = ("select period_start_date, kpi_value from {m}.kpi_scorecard "
                     "where kpi_id = '%s' and grain = '%s'")
    on_card = _mart_values(warehouse, {f"{m}@{g}": scorecard_sql % (m, g) for (m, g) in checks})
    present = {(key.split("@")[0], key.split("@")[1]) for (key, _) in on_card}
    compared = sorted(present)
    assert len(compared) >= 20, compared
    mart = _mart_values(warehouse, {f"{m}@{g}": checks[(m, g)] for (m, g) in compared})
    # the checks are written for MetricFlow: they leave out empty periods and fill a trailing window the mart
    # leaves null until it is full; compare every period where both sides have a value
    both = [key for key, v in on_card.items() if v is not None and mart.get(key) is not None]
    assert len(both) >= 500, len(both)
    problems = [f"{m} {p}: scorecard {on_card[(m, p)]} != mart {mart[(m, p)]}" for (m, p) in both
                if not math.isclose(on_card[(m, p)], mart[(m, p)], rel_tol=1e-9, abs_tol=1e-6)]
    assert not problems, f"{len(problems)} differences on {warehouse}:\n" + "\n".join(problems[:40])

    implemented = set(_metrics_defined())
    targets = _rows(warehouse, "select distinct kpi_id, grain from {r}.kpi_targets")
    card = set(_rows(warehouse, "select distinct kpi_id, grain from {m}.kpi_scorecard"))
    # sub-daily windows (redirect errors per 10 minutes) stay in their marts: a scorecard period is a date
    scorecard_grains = {"day", "week", "month", "cohort_month"}
    missing = [(k, g) for k, g in targets if k in implemented and g in scorecard_grains and (k, g) not in card]
    assert not missing, f"implemented KPIs with a target missing from kpi_scorecard: {missing}"
