"""The click fact and rollup are incremental: an incremental run after new data lands must leave exactly the
tables a full refresh builds, on DuckDB and on PostgreSQL.

Hand-built raw clicks (a few routes, eight days) are written into the raw schema the sources read. The first
run builds days 1-6. Then a second batch lands: days 7-8, late-arriving events for days 1 and 5 (clicked then,
loaded on day 8) and a re-delivery of a day-2 click flagged invalid late. An incremental run of fct_clicks and
clicks_by_route_daily must then equal a --full-refresh of the same data, row for row and column for column.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kpi_layer import PROJECT_ROOT, contract

pytestmark = pytest.mark.slow

DBT = str(Path(sys.executable).with_name("dbt"))
MODELS = ["fct_clicks", "clicks_by_route_daily"]
PG_SCHEMA = "kpi_test_clicks_incr"
DAY0 = datetime(2025, 3, 1)
LATE_INVALID_CLICK = "clk_d2_r1_0"


def _click(day: int, route: int, i: int, **over) -> dict:
    at = DAY0 + timedelta(days=day - 1, hours=8 + i, minutes=7 * route)
    invalid = (day + route + i) % 5 == 0
    row = {
        "click_id": f"clk_d{day}_r{route}_{i}", "route_id": f"rte_{route}", "listing_id": f"lst_{route}",
        "hirer_id": f"hir_{route % 2}", "clicked_at": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "ip_address": f"10.0.{route}.{i}", "user_agent": "Mozilla/5.0",
        "country": [None, "US", "GB"][(day + i) % 3], "device": "bot" if invalid else ["desktop", "mobile"][i % 2],
        "referrer": [None, "https://t.co/"][(route + i) % 2],
        "http_status": 503 if (day * 7 + route + i) % 11 == 0 else 302,
        "is_valid": not invalid, "invalid_reason": "bot" if invalid else None,
        "_loaded_at": at + timedelta(minutes=5),
    }
    row.update(over)
    return row


def _batch_one() -> list[dict]:
    return [_click(d, r, i) for d in range(1, 7) for r in range(1, 4) for i in range(3 + (d + r) % 3)]


def _batch_two() -> list[dict]:
    day8 = DAY0 + timedelta(days=7, hours=12)
    rows = [_click(d, r, i) for d in range(7, 9) for r in range(1, 4) for i in range(4)]
    # late-arriving events: clicked on days 1 and 5, landed on day 8
    rows += [_click(5, r, 10 + r, _loaded_at=day8 + timedelta(minutes=r)) for r in range(1, 4)]
    rows += [_click(1, 2, 12, _loaded_at=day8 + timedelta(minutes=9))]
    # a day-2 click re-delivered with the invalid-traffic verdict it got late
    rows += [_click(2, 1, 0, is_valid=False, invalid_reason="bot", device="bot",
                    _loaded_at=day8 + timedelta(minutes=30))]
    return rows


def _dbt(args: list[str], env: dict, work: Path) -> dict:
    result = subprocess.run([DBT, *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return json.loads((work / "target" / "run_results.json").read_text())


def _env(work: Path, **extra) -> dict:
    return dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_ROOT), DBT_TARGET_PATH=str(work / "target"),
                DBT_LOG_PATH=str(work / "logs"), KPI_THREADS="1", **extra)


class DuckDB:
    name = "duckdb"

    def __init__(self, work: Path):
        import duckdb

        self.path = str(work / "clicks.duckdb")
        self.env = _env(work, KPI_TARGET="duckdb", KPI_DUCKDB_PATH=self.path)
        self.duckdb = duckdb
        self.raw = "main_raw_marketplace"

    def execute(self, statements: list[tuple[str, list]]) -> None:
        con = self.duckdb.connect(self.path)
        for q, params in statements:
            con.execute(q, params)
        con.close()

    def query(self, q: str) -> list[tuple]:
        con = self.duckdb.connect(self.path, read_only=True)
        rows = con.execute(q).fetchall()
        con.close()
        return rows

    def relation(self, model: str) -> str:
        return f"main_marts.{model}"


class Postgres:
    name = "postgres"

    def __init__(self, work: Path):
        from kpi_layer import pg_setup

        self.env = _env(work, KPI_TARGET="postgres", KPI_PG_SCHEMA=PG_SCHEMA)
        saved = os.environ.get("KPI_PG_SCHEMA")
        os.environ["KPI_PG_SCHEMA"] = PG_SCHEMA
        try:
            pg_setup.ensure(reset_schemas=True)
            self.settings = pg_setup.settings()
        finally:
            if saved is None:
                os.environ.pop("KPI_PG_SCHEMA")
            else:
                os.environ["KPI_PG_SCHEMA"] = saved
        self.connect = lambda: pg_setup.connect(self.settings, self.settings["user"], self.settings["dbname"])
        self.raw = f"{PG_SCHEMA}_raw_marketplace"

    def execute(self, statements: list[tuple[str, list]]) -> None:
        conn = self.connect()
        with conn, conn.cursor() as cur:
            for q, params in statements:
                cur.execute(q.replace("?", "%s"), params)
        conn.close()

    def query(self, q: str) -> list[tuple]:
        conn = self.connect()
        with conn, conn.cursor() as cur:
            cur.execute(q)
            rows = cur.fetchall()
        conn.close()
        return rows

    def relation(self, model: str) -> str:
        return f"{PG_SCHEMA}_marts.{model}"


def _land(wh, rows: list[dict], create: bool) -> None:
    raw = contract.table("marketplace", "clicks")
    names = raw.column_names
    statements = []
    if create:
        cols = ", ".join(f"{c.name} {c.data_type}" for c in raw.columns)
        statements += [(f"create schema if not exists {wh.raw}", []),
                       (f"drop table if exists {wh.raw}.clicks", []),
                       (f"create table {wh.raw}.clicks ({cols})", [])]
    insert = f"insert into {wh.raw}.clicks ({', '.join(names)}) values ({', '.join('?' for _ in names)})"
    statements += [(insert, [r.get(n) for n in names]) for r in rows]
    wh.execute(statements)


def _snapshot(wh) -> dict[str, list[tuple]]:
    out = {}
    for model in MODELS:
        rows = wh.query(f"select * from {wh.relation(model)}")
        out[model] = sorted(tuple(str(v) for v in row) for row in rows)
    return out


def _rows_affected(results: dict, model: str):
    for r in results["results"]:
        if r["unique_id"] == f"model.kpi_layer.{model}":
            return (r.get("adapter_response") or {}).get("rows_affected")
    return None


@pytest.fixture(params=["duckdb", "postgres"])
def warehouse(request, tmp_path):
    return DuckDB(tmp_path) if request.param == "duckdb" else Postgres(tmp_path)


def test_incremental_run_equals_full_refresh(warehouse, tmp_path):
    wh = warehouse
    select = ["--select", *MODELS, "stg_marketplace__clicks", "base_marketplace__clicks"]
    _land(wh, _batch_one(), create=True)
    _dbt(["run", *select, "--full-refresh"], wh.env, tmp_path)
    before = _snapshot(wh)
    assert before["fct_clicks"] and before["clicks_by_route_daily"]

    second = _batch_two()
    _land(wh, second, create=False)
    results = _dbt(["run", *select], wh.env, tmp_path)
    incremental = _snapshot(wh)

    # the run was incremental: it rewrote the window's clicks, not the whole table
    affected = _rows_affected(results, "fct_clicks")
    if isinstance(affected, int) and affected >= 0:
        assert affected < len(incremental["fct_clicks"]), affected

    # the late invalid verdict and the late events are in
    flagged = wh.query(f"select is_valid from {wh.relation('fct_clicks')} where click_id = '{LATE_INVALID_CLICK}'")
    assert [bool(v) for (v,) in flagged] == [False]
    assert len(incremental["fct_clicks"]) == len(before["fct_clicks"]) + len(second) - 1
    day2 = wh.query(f"select sum(invalid_clicks), sum(valid_clicks) from {wh.relation('clicks_by_route_daily')} "
                    f"where click_date = '2025-03-02'")
    day2_before = [r for r in before["clicks_by_route_daily"] if r[0] == "2025-03-02"]
    assert int(day2[0][0]) > 0 and day2_before

    _dbt(["run", *select, "--full-refresh"], wh.env, tmp_path)
    full = _snapshot(wh)
    assert incremental["fct_clicks"] == full["fct_clicks"]
    assert incremental["clicks_by_route_daily"] == full["clicks_by_route_daily"]
    assert incremental != before
