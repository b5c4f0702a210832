"""The source doctor (python -m kpi_layer.doctor) on small raw warehouses: missing tables and columns, wrong
types, freshness, which KPIs can be computed, the exit status, and that it never writes.

dbt parse takes ~10 s, so it runs once per warehouse (a module fixture runs the real command line); the other
cases build their own DuckDB file and reuse that manifest (--manifest). Every DuckDB file is named raw.duckdb so
the manifest's database (the file's stem) matches them all.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import psycopg2
import pytest
from psycopg2 import sql

from kpi_layer import PROJECT_ROOT, contract, doctor

OTHER_FAMILIES = ("marketplace", "storefront", "tutoring", "product", "ops")
STRIPE_ONLY = "{" + ", ".join(f"using_{f}: false" for f in OTHER_FAMILIES) + "}"
AS_OF = "2025-06-30"  # freshness is judged at its end: 2025-07-01 00:00 UTC
SYNCED = "2025-06-30 12:00:00"  # so every table is 12 h old, fresh (warn after 24 h)
PG_PREFIX = "kpi_doctor"


def stripe_tables() -> list[contract.RawTable]:
    return [t for (source, _), t in sorted(contract.load_contract().items()) if source == "stripe"]


Cells = dict[tuple[str, str], str]  # (table, column) -> a type or a value


def build_duckdb(path: Path, skip_tables: tuple[str, ...] = (), skip_columns: dict[str, set[str]] | None = None,
                 types: Cells | None = None, values: Cells | None = None) -> Path:
    """A raw DuckDB file with the Stripe tables of the contract, one row each (loaded at SYNCED)."""
    skip_columns, types, values = skip_columns or {}, types or {}, values or {}
    con = duckdb.connect(str(path))
    con.execute("create schema main_raw_stripe")
    for t in stripe_tables():
        if t.name in skip_tables:
            continue
        cols = [c for c in t.columns if c.name not in skip_columns.get(t.name, set())]
        ddl = ", ".join(f'"{c.name}" {types.get((t.name, c.name), c.data_type)}' for c in cols)
        con.execute(f'create table main_raw_stripe."{t.name}" ({ddl})')
        row = {"_fivetran_synced": SYNCED, **{c: v for (tn, c), v in values.items() if tn == t.name}}
        names = ", ".join(f'"{c}"' for c in row)
        con.execute(f'insert into main_raw_stripe."{t.name}" ({names}) values ({", ".join("?" for _ in row)})',
                    list(row.values()))
    con.close()
    return path


def fingerprint(path: Path) -> tuple[int, int, str]:
    st = path.stat()
    return st.st_mtime_ns, st.st_size, hashlib.sha256(path.read_bytes()).hexdigest()


def kpi(report: dict, kpi_id: str) -> dict:
    return next(k for k in report["kpis"] if k["kpi_id"] == kpi_id)


def table(report: dict, family: str, name: str) -> dict:
    fam = next(f for f in report["families"] if f["family"] == family)
    return next(t for t in fam["tables"] if t["name"] == name)


@pytest.fixture(scope="module")
def stripe_only(tmp_path_factory):
    """The real command line (dbt parse included) on a complete Stripe warehouse, the other families off."""
    tmp = tmp_path_factory.mktemp("doctor")
    db = build_duckdb(tmp / "raw.duckdb")
    before = fingerprint(db)
    env = {**os.environ, "KPI_DUCKDB_PATH": str(db), "KPI_TARGET": "duckdb",
           "PYTHONPATH": str(PROJECT_ROOT / "python")}
    done = subprocess.run(
        [sys.executable, "-m", "kpi_layer.doctor", "--vars", STRIPE_ONLY, "--as-of", AS_OF, "--json",
         "--target-path", str(tmp / "target")],
        cwd=tmp, env=env, capture_output=True, text=True, timeout=300)
    assert done.stdout.strip(), done.stderr
    return {"db": db, "before": before, "after": fingerprint(db), "returncode": done.returncode,
            "report": json.loads(done.stdout), "manifest": tmp / "target" / "manifest.json"}


def run_doctor(monkeypatch, capsys, db: Path, manifest: Path, *extra: str) -> tuple[int, str]:
    monkeypatch.setenv("KPI_DUCKDB_PATH", str(db))
    code = doctor.main(["--manifest", str(manifest), "--vars", STRIPE_ONLY, "--as-of", AS_OF, *extra])
    return code, capsys.readouterr().out


def test_stripe_only_complete_passes_and_reports_kpis(stripe_only):
    report = stripe_only["report"]
    assert stripe_only["returncode"] == 0
    assert report["summary"]["families_checked"] == ["stripe"]
    assert report["summary"]["families_off"] == list(OTHER_FAMILIES)
    assert report["summary"]["required_tables_missing"] == []
    assert kpi(report, "mrr")["status"] == "computable"
    assert kpi(report, "failed_payment_rate")["status"] == "computable"
    gmv = kpi(report, "gmv")
    assert gmv["status"] == "off" and gmv["reasons"] == ["off: using_marketplace is false"]
    charge = table(report, "stripe", "charge")
    assert (charge["present"], charge["rows"]) == (True, 1)
    assert (charge["database"], charge["schema"]) == ("raw", "main_raw_stripe")
    assert charge["freshness"]["status"] == "pass" and charge["freshness"]["age_hours"] == 12.0
    assert 0 < report["summary"]["kpis_computable"] < report["summary"]["kpis_total"]


def test_doctor_never_writes(stripe_only):
    assert stripe_only["after"] == stripe_only["before"]
    assert not Path(str(stripe_only["db"]) + ".wal").exists()


def test_missing_required_table_fails_and_names_the_fix(stripe_only, tmp_path, monkeypatch, capsys):
    db = build_duckdb(tmp_path / "raw.duckdb", skip_tables=("charge",))
    code, out = run_doctor(monkeypatch, capsys, db, stripe_only["manifest"])
    assert code == 1
    assert "MISSING  charge: required" in out
    assert "stripe_schema" in out and "using_stripe: false" in out
    assert "raw.main_raw_stripe" in out  # where it looked
    assert "needs stripe.charge, missing (raw.main_raw_stripe.charge)" in out
    code, out = run_doctor(monkeypatch, capsys, db, stripe_only["manifest"], "--json")
    report = json.loads(out)
    assert report["summary"]["required_tables_missing"] == ["stripe.charge"]
    assert kpi(report, "failed_payment_rate")["status"] == "blocked"


def test_missing_optional_tables_are_read_as_empty(stripe_only, tmp_path, monkeypatch, capsys):
    db = build_duckdb(tmp_path / "raw.duckdb", skip_tables=("coupon", "discount", "transfer"))
    code, out = run_doctor(monkeypatch, capsys, db, stripe_only["manifest"])
    assert code == 0
    for name in ("coupon", "discount", "transfer"):
        assert f"absent   {name}: optional, read as empty" in out
    assert "optional missing (read as empty): stripe.coupon, stripe.discount, stripe.transfer" in out
    code, out = run_doctor(monkeypatch, capsys, db, stripe_only["manifest"], "--json")
    report = json.loads(out)
    # the KPIs reading an absent optional table stay computable, with a note
    noted = [k for k in report["kpis"] if "reads stripe.discount as empty" in k["notes"]]
    assert noted and all(k["status"] == "computable" for k in noted)
    assert kpi(report, "mrr")["status"] == "computable"


def test_missing_optional_column_is_reported_not_failing(stripe_only, tmp_path, monkeypatch, capsys):
    db = build_duckdb(tmp_path / "raw.duckdb", skip_columns={"charge": {"outcome_type"}})
    code, out = run_doctor(monkeypatch, capsys, db, stripe_only["manifest"])
    assert code == 0
    assert "missing optional columns (read as null): outcome_type" in out


def test_missing_required_column_fails(stripe_only, tmp_path, monkeypatch, capsys):
    db = build_duckdb(tmp_path / "raw.duckdb", skip_columns={"charge": {"amount"}})
    code, out = run_doctor(monkeypatch, capsys, db, stripe_only["manifest"])
    assert code == 1
    assert "missing required columns: amount" in out


def test_wrong_column_types_are_reported(stripe_only, tmp_path, monkeypatch, capsys):
    db = build_duckdb(tmp_path / "raw.duckdb",
                      types={("charge", "amount"): "varchar", ("charge", "created"): "bigint"},
                      values={("charge", "amount"): "12 USD", ("charge", "created"): "1719745200"})
    code, out = run_doctor(monkeypatch, capsys, db, stripe_only["manifest"], "--json")
    assert code == 0  # a type warning does not fail: the build tells whether the cast works
    issues = {i["column"]: i for i in table(json.loads(out), "stripe", "charge")["type_issues"]}
    amount = issues["amount"]
    assert (amount["kind"], amount["sampled"], amount["failing"]) == ("text", 1, 1)
    assert issues["created"]["kind"] == "mismatch"
    code, out = run_doctor(monkeypatch, capsys, db, stripe_only["manifest"])
    assert "type: amount is VARCHAR, declared bigint: 1 of 1 sampled values do not cast" in out
    assert "type: created is BIGINT, declared timestamp: will not cast" in out


def test_freshness_is_judged_against_as_of(stripe_only, monkeypatch, capsys):
    code, out = run_doctor(monkeypatch, capsys, stripe_only["db"], stripe_only["manifest"],
                           "--json", "--as-of", "2025-07-01")  # 36 h after SYNCED
    charge = table(json.loads(out), "stripe", "charge")
    assert code == 0 and charge["freshness"]["status"] == "warn" and charge["freshness"]["age_hours"] == 36.0


@pytest.mark.parametrize("declared, actual, verdict", [
    ("bigint", "DECIMAL(18,2)", "ok"), ("numeric(18,6)", "bigint", "ok"),
    ("timestamp", "TIMESTAMP WITH TIME ZONE", "ok"),
    ("timestamp", "character varying", "probe"), ("bigint", "text", "probe"), ("boolean", "VARCHAR", "probe"),
    ("varchar", "BIGINT", "ok"), ("timestamp", "bigint", "mismatch"), ("boolean", "double precision", "mismatch"),
])
def test_type_compatibility(declared, actual, verdict):
    assert doctor.compatibility(declared, actual) == verdict


def test_disabled_metric_names_the_family_that_switched_it_off():
    """dbt leaves a disabled node unlinked (empty depends_on): the family comes from its enabled config or,
    failing that, from the names it refers to (measure -> semantic model -> model -> sources)."""
    model = {"resource_type": "model", "name": "fct_clicks", "unique_id": "model.p.fct_clicks",
             "refs": [], "sources": [["marketplace", "clicks"]], "depends_on": {"nodes": []}}
    semantic = {"resource_type": "semantic_model", "name": "clicks", "unique_id": "semantic_model.p.clicks",
                "measures": [{"name": "click_count"}], "refs": [{"name": "fct_clicks"}],
                "depends_on": {"nodes": []}}
    metric = {"resource_type": "metric", "name": "valid_clicks", "unique_id": "metric.p.valid_clicks",
              "config": {"enabled": False}, "unrendered_config": {},
              "type_params": {"input_measures": [{"name": "click_count"}]}, "depends_on": {"nodes": []}}
    manifest = {"metrics": {}, "semantic_models": {}, "nodes": {}, "sources": {}, "parent_map": {},
                "disabled": {n["unique_id"]: [n] for n in (model, semantic, metric)}}
    switches = {"stripe": True, "marketplace": False, "ops": False}
    assert doctor.off_families_of_disabled(manifest, metric, switches) == ["marketplace"]
    configured = {**metric, "unrendered_config": {"enabled": "{{ kpi_layer.using_families(['ops', 'stripe']) }}"}}
    assert doctor.off_families_of_disabled(manifest, configured, switches) == ["ops"]
    [report] = doctor.assess_kpis(manifest, switches, {})
    assert (report.kpi_id, report.status) == ("valid_clicks", "off")
    assert report.reasons == ["off: using_marketplace is false"]


# ------------------------------------------------------------------------------------------------ PostgreSQL
@pytest.fixture
def pg_stripe(monkeypatch):
    """Schema <prefix>_raw_stripe with the Stripe tables but the optional dispute, charge.amount as text."""
    monkeypatch.setenv("KPI_PG_SCHEMA", PG_PREFIX)
    from kpi_layer.pg_setup import connect, ensure, settings

    ensure(reset_schemas=True)  # fails, never skips, when PostgreSQL is down
    s = settings()
    conn = connect(s, s["user"], s["dbname"])
    schema = f"{PG_PREFIX}_raw_stripe"
    with conn, conn.cursor() as cur:
        cur.execute(sql.SQL("create schema {}").format(sql.Identifier(schema)))
        for t in stripe_tables():
            if t.name == "dispute":
                continue
            types = {c.name: c.data_type for c in t.columns}
            if t.name == "charge":
                types["amount"] = "text"
            cols = sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(ty))
                                      for c, ty in types.items())
            rel = sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(t.name))
            cur.execute(sql.SQL("create table {} ({})").format(rel, cols))
            cur.execute(sql.SQL("insert into {} (_fivetran_synced) values (%s)").format(rel), [SYNCED])
        cur.execute(sql.SQL("update {}.charge set amount = '1250'").format(sql.Identifier(schema)))
    yield conn, schema
    conn.close()
    ensure(reset_schemas=True)


def test_postgres(pg_stripe, tmp_path, monkeypatch, capsys):
    conn, schema = pg_stripe
    code = doctor.main(["--target", "postgres", "--vars", STRIPE_ONLY, "--as-of", AS_OF,
                        "--target-path", str(tmp_path / "target")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "PostgreSQL" in out and f"stripe: looked in kpi_layer.{schema}" in out
    assert "absent   dispute: optional, read as empty" in out
    assert "type: amount is text, declared bigint: text, casting may fail (1 sampled values cast)" in out
    assert "fresh: _fivetran_synced 2025-06-30 12:00, 12.0 h old" in out

    with conn, conn.cursor() as cur:
        cur.execute(sql.SQL("drop table {}.charge").format(sql.Identifier(schema)))
    code = doctor.main(["--manifest", str(tmp_path / "target" / "manifest.json"), "--vars", STRIPE_ONLY,
                        "--as-of", AS_OF, "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["summary"]["required_tables_missing"] == ["stripe.charge"]
    assert kpi(report, "failed_payment_rate")["status"] == "blocked"
