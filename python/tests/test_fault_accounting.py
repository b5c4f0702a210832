"""End to end: generate a small dataset with faults at a high rate, load it as a loader would, dbt build on
DuckDB, and check that every injected fault is quarantined (or deduplicated, or kept) exactly as labelled,
that clean rows all survive, and that a second run leaves identical tables."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from dbt_helpers import DBT, SCENARIO_EXCLUDE
from kpi_layer import PROJECT_ROOT, contract
from kpi_layer.generator import generate
from kpi_layer.loader import load_duckdb

pytestmark = pytest.mark.slow

FAULT_RATE = 0.05


def _dbt(args: list[str], db: Path, work: Path) -> None:
    env = dict(os.environ, KPI_TARGET="duckdb", KPI_DUCKDB_PATH=str(db), DBT_PROFILES_DIR=str(PROJECT_ROOT),
               DBT_TARGET_PATH=str(work / "target"), DBT_LOG_PATH=str(work / "logs"))
    result = subprocess.run([DBT, *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]


def _table_fingerprints(db: Path) -> dict[str, tuple]:
    con = duckdb.connect(str(db), read_only=True)
    rels = con.execute("select table_schema, table_name from information_schema.tables "
                       "where table_schema not like '%raw%' and table_schema <> 'information_schema' "
                       "order by 1, 2").fetchall()
    out = {}
    for schema, name in rels:
        q = (f'select count(*), md5(coalesce(string_agg(cast(t as varchar), \'|\' order by cast(t as varchar)), \'\')) '
             f'from "{schema}"."{name}" as t')
        out[f"{schema}.{name}"] = con.execute(q).fetchone()
    con.close()
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    work = tmp_path_factory.mktemp("faults")
    raw_dir = work / "raw"
    counts = generate("tiny", seed=7, fault_rate=FAULT_RATE, out_dir=raw_dir, fmt="parquet")
    db = work / "faulty.duckdb"
    load_duckdb(raw_dir, str(db))
    _dbt(["build", "--exclude", *SCENARIO_EXCLUDE], db, work)
    first = _table_fingerprints(db)
    # the re-run is about the models (a stored test failure is rewritten by the test, not by a model)
    _dbt(["run", "--exclude", "path:seeds/raw"], db, work)
    second = _table_fingerprints(db)
    with open(raw_dir / "_fault_manifest.tsv", newline="", encoding="utf-8") as f:
        manifest = list(csv.DictReader(f, delimiter="\t"))
    return {"db": db, "work": work, "counts": counts, "manifest": manifest, "first": first, "second": second}


def _quarantine(con) -> Counter:
    rels = con.execute("select table_schema, table_name from information_schema.tables "
                       "where table_name like 'stg_%__quarantined_rows'").fetchall()
    got = Counter()
    for schema, name in rels:
        source = name[len("stg_"):].split("__")[0]
        for table, reason, n in con.execute(
                f'select source_table, reason, count(*) from "{schema}"."{name}" group by 1, 2').fetchall():
            got[(source, table, reason)] += n
    return got


def test_faults_were_injected(built):
    kinds = Counter(r["fault"] for r in built["manifest"])
    assert kinds["duplicate"] > 0 and kinds["null_key"] > 0, kinds


def test_every_quarantined_fault_is_quarantined_with_its_reason(built):
    expected = Counter()
    for r in built["manifest"]:
        if r["expected"].startswith("quarantined:"):
            expected[(r["source"], r["table"], r["expected"].split(":", 1)[1])] += 1
    con = duckdb.connect(str(built["db"]), read_only=True)
    got = _quarantine(con)
    con.close()
    assert got == expected


def test_clean_rows_all_survive(built):
    """Rows in staging = rows landed - rows the manifest says staging must set aside, per raw table."""
    set_aside = Counter((r["source"], r["table"]) for r in built["manifest"] if r["expected"] != "kept")
    con = duckdb.connect(str(built["db"]), read_only=True)
    for (source, table), landed in built["counts"].items():
        schema = con.execute("select table_schema from information_schema.tables where table_name = ? "
                             "and table_schema like '%staging'", [f"stg_{source}__{table}"]).fetchone()
        assert schema, f"no staging model for {source}.{table}"
        kept = con.execute(f'select count(*) from "{schema[0]}"."stg_{source}__{table}"').fetchone()[0]
        assert kept == landed - set_aside[(source, table)], f"{source}.{table}"
    con.close()


def test_kept_faults_are_in_staging(built):
    """Bot clicks, late events and offset timestamps are data, not errors: their rows are kept."""
    con = duckdb.connect(str(built["db"]), read_only=True)
    for r in built["manifest"]:
        if r["expected"] != "kept":
            continue
        raw = contract.table(r["source"], r["table"])
        key = raw.column_names[0]
        schema = con.execute("select table_schema from information_schema.tables where table_name = ?",
                             [f"stg_{r['source']}__{r['table']}"]).fetchone()[0]
        staged_key = con.execute(
            f"select column_name from information_schema.columns where table_schema = ? and table_name = ? "
            f"order by ordinal_position limit 1", [schema, f"stg_{r['source']}__{r['table']}"]).fetchone()[0]
        n = con.execute(f'select count(*) from "{schema}"."stg_{r["source"]}__{r["table"]}" '
                        f'where cast("{staged_key}" as varchar) = ?', [r["record_key"]]).fetchone()[0]
        assert n == 1, f"{r['fault']} row {r['record_key']} of {r['source']}.{r['table']} ({key}) not kept once"
    con.close()


def test_a_second_build_leaves_identical_tables(built):
    assert built["first"] and built["first"] == built["second"]


def _manifest(built) -> dict:
    import json

    return json.loads((built["db"].parent / "target" / "manifest.json").read_text())


def test_every_staging_and_mart_model_and_column_is_documented(built):
    """Every column a staging or mart relation actually has is described in YAML (base models excepted:
    they are the staging models' inputs and are described as a whole)."""
    manifest = _manifest(built)
    con = duckdb.connect(str(built["db"]), read_only=True)
    missing, checked = [], 0
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model":
            continue
        in_marts = node["original_file_path"].startswith("models/marts/")
        if not (in_marts or node["name"].startswith(("stg_", "fct_", "dim_"))):
            continue
        checked += 1
        if not node["description"].strip():
            missing.append(node["name"])
        documented = {c.lower() for c, v in node["columns"].items() if v["description"].strip()}
        actual = [r[0] for r in con.execute("select column_name from information_schema.columns where table_name = ?",
                                            [node["alias"]]).fetchall()]
        missing += [f"{node['name']}.{c}" for c in actual if c.lower() not in documented]
    con.close()
    assert checked >= 59, checked
    assert not missing, missing


def test_every_staging_model_has_a_tested_primary_key(built):
    manifest = _manifest(built)
    tested: dict[str, set] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] == "test" and node.get("test_metadata"):
            attached = node.get("attached_node") or ""
            tested.setdefault(attached, set()).add(node["test_metadata"]["name"])
    checked = 0
    for uid, node in manifest["nodes"].items():
        if node["resource_type"] == "model" and node["name"].startswith("stg_") \
                and not node["name"].endswith("__quarantined_rows"):
            checked += 1
            kinds = tested.get(uid, set())
            assert ("unique" in kinds and "not_null" in kinds) or "unique_combination_of_columns" in kinds, node["name"]
            assert "rows_accounted_for" in kinds, node["name"]
    assert checked == len(contract.load_contract())


def test_report_prints_rows_and_headline_figures(built):
    from kpi_layer.report import report

    text = report(str(built["db"]))
    assert "stg_stripe__charge" in text
    assert "quarantined raw rows by reason" in text


def test_threshold_tests_report_exactly_the_marts_alerts(built):
    """The threshold tests (tag:threshold) and the marts' alert columns read one rule: every period a mart flags
    is listed as a breach at the same level, and nothing else is."""
    from kpi_layer import thresholds

    work, db = built["work"], built["db"]
    env = dict(os.environ, KPI_TARGET="duckdb", KPI_DUCKDB_PATH=str(db), DBT_PROFILES_DIR=str(PROJECT_ROOT),
               DBT_TARGET_PATH=str(work / "target-thresholds"), DBT_LOG_PATH=str(work / "logs"))
    run = subprocess.run([sys.executable, "-m", "kpi_layer.thresholds", "--limit", "0"], cwd=PROJECT_ROOT, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "0 could not run" in run.stdout, run.stdout[-2000:]

    old = {k: os.environ.get(k) for k in ("KPI_TARGET", "KPI_DUCKDB_PATH")}
    os.environ.update(KPI_TARGET="duckdb", KPI_DUCKDB_PATH=str(db))
    try:
        outcomes = thresholds.read_results(work / "target-thresholds")
        thresholds.fetch_breaches(outcomes)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    by_test = {o.test: o for o in outcomes}

    def breaches(fragment: str) -> set:
        [o] = [o for t, o in by_test.items() if fragment in t]
        cols = o.columns
        return {(str(dict(zip(cols, r))["month_start_date" if "month_start_date" in cols else "date_day"]),
                 dict(zip(cols, r)).get("app_name"), dict(zip(cols, r))["alert_level"]) for r in o.breaches}

    con = duckdb.connect(str(db), read_only=True)
    flagged_daily = {(str(d), a, s) for d, a, s in con.execute(
        "select date_day, app_name, failed_payment_rate_status from main_marts.failed_payments_daily "
        "where failed_payment_rate_status in ('warn', 'critical')").fetchall()}
    churn = {(str(m), None, "critical") for (m,) in con.execute(
        "select month_start_date from main_marts.mrr_monthly where is_customer_churn_alert").fetchall()}
    drops = {(str(m), None, "critical") for (m,) in con.execute(
        "select month_start_date from main_marts.mrr_monthly where is_mrr_drop_alert").fetchall()}
    con.close()
    assert breaches("failed_payments_daily_failed_payment_rate") == flagged_daily
    assert breaches("mrr_monthly_customer_churn_rate") == churn
    assert breaches("mrr_monthly_mrr_growth_rate") == drops
    assert flagged_daily or churn or drops, "the tiny data set breaches no rule: the comparison proves nothing"
