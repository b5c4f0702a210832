"""Every incremental model, after a run on one new day, equals a full refresh of the same data: on DuckDB and on
PostgreSQL, with late, re-delivered and re-judged rows in the new day.

Generated data (scale tiny, 5% faults) is loaded with each large stream's last day held back
(kpi_layer.increment). The incremental models and what they read are built from scratch; then the day lands
with, for every stream, re-deliveries of old rows, a late event (an old event time, loaded today) and a
null-key row, plus rows that change an old row's verdict: a click re-delivered with a late invalid-traffic
verdict, a charge re-delivered as test mode (its old balance transaction is test mode too), a user
withdrawing telemetry consent (their old product events become no_consent), and a click whose clock ran ahead
(out_of_range on the first run, in range once the new day's loads catch up). An incremental run must then
leave every incremental model equal, row for row, to a --full-refresh, with rows in = rows kept + rows
quarantined for every stream.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from dbt_helpers import DBT
from kpi_layer import PROJECT_ROOT, contract
from kpi_layer.generator import generate
from kpi_layer.increment import STREAMS, hold_back, land, raw_table

pytestmark = pytest.mark.slow

PG_PREFIX = "kpi_incr"
INCREMENTAL = "config.materialized:incremental"
FUTURE_CLICK = "clk_clock_ahead"
UNTOUCHED = "staged_before_the_new_day"


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("incr_raw")
    generate("tiny", seed=11, fault_rate=0.05, out_dir=out, fmt="parquet")
    return out


class DuckDB:
    def __init__(self, work: Path, raw_dir: Path):
        import duckdb

        from kpi_layer.loader import load_duckdb

        self.path = str(work / "incr.duckdb")
        load_duckdb(raw_dir, self.path)
        self.prefix, self.staging, self.marts = "main", "main_staging", "main_marts"
        self.env = {"KPI_TARGET": "duckdb", "KPI_DUCKDB_PATH": self.path}
        self._duckdb = duckdb

    def connect(self):
        return self._duckdb.connect(self.path)


class Postgres:
    def __init__(self, work: Path, raw_dir: Path):
        from kpi_layer import pg_setup
        from kpi_layer.loader import load_postgres
        from pg_helpers import pg_connect, pg_drop_schemas

        pg_drop_schemas(PG_PREFIX)
        load_postgres(raw_dir, prefix=PG_PREFIX)
        self.prefix, self.staging, self.marts = PG_PREFIX, f"{PG_PREFIX}_staging", f"{PG_PREFIX}_marts"
        self.env = {"KPI_TARGET": "postgres", "KPI_PG_SCHEMA": PG_PREFIX}
        self._connect, self._pg_setup = pg_connect, pg_setup

    def connect(self):
        conn = self._connect()
        conn.autocommit = True
        return conn


def _query(wh, sql: str) -> list[tuple]:
    con = wh.connect()
    try:
        cur = con.cursor()
        cur.execute(sql)
        return cur.fetchall() if cur.description else []
    finally:
        con.close()


def _dbt(wh, work: Path, *args: str) -> dict:
    env = dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_ROOT), DBT_TARGET_PATH=str(work / "target"),
               DBT_LOG_PATH=str(work / "logs"), **wh.env)
    result = subprocess.run([DBT, *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return json.loads((work / "target" / "run_results.json").read_text())


def _copy(wh, source: str, table: str, where: str, **replace: str) -> str:
    """insert ... select: copies of the rows matching `where`, some columns replaced by SQL expressions."""
    names = contract.table(source, table).column_names
    cols = ", ".join(replace.get(n, f'"{n}"') + f' as "{n}"' for n in names)
    target = f'"{wh.prefix}_raw_{source}"."{table}"'
    return f"insert into {target} ({', '.join(chr(34) + n + chr(34) for n in names)}) select {cols} from {target} where {where}"


def _ts(at: datetime) -> str:
    return f"cast('{at:%Y-%m-%d %H:%M:%S.%f}' as timestamp)"


def _one(wh, sql: str):
    rows = _query(wh, sql)
    assert rows and rows[0][0] is not None, sql
    return rows[0][0]


def _first_load(wh) -> dict:
    """Hold back each stream's last day; add a click whose clock runs ahead of every load so far (by more than the
    clock skew var allows: 30 h after the latest load)."""
    con = wh.connect()
    moved = hold_back(con, wh.prefix)
    con.close()
    assert all(moved.get(f"{s.source}.{s.table}") for s in STREAMS), moved
    clicks = f"{wh.prefix}_raw_marketplace.clicks"
    latest = _one(wh, f"select max(_loaded_at) from {clicks}")
    ahead = (latest + timedelta(hours=30)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    model = _one(wh, f"select min(click_id) from {clicks} where is_valid")
    _query(wh, _copy(wh, "marketplace", "clicks", f"click_id = '{model}'",
                     click_id=f"'{FUTURE_CLICK}'", clicked_at=f"'{ahead}'",
                     # loaded before the next run's lookback: only its out_of_range verdict brings it back
                     _loaded_at=_ts(latest - timedelta(days=5))))
    return moved


def _new_day(wh) -> dict:
    """The held day lands, with re-deliveries, late and null-key rows and re-judged verdicts; what was picked."""
    con = wh.connect()
    landed = land(con, wh.prefix)
    con.close()
    assert all(landed.get(f"{s.source}.{s.table}") for s in STREAMS), landed
    picked = {}
    for s in STREAMS:
        raw = raw_table(wh.prefix, s)
        latest = _one(wh, f"select max({s.loaded_at}) from {raw}")
        new = _ts(latest + timedelta(minutes=1))
        old = f"{s.loaded_at} < {_ts(latest - timedelta(days=10))} and {s.key} is not null"
        first, last = _query(wh, f"select min({s.key}), max({s.key}) from {raw} where {old}")[0]
        picked[s.table] = (first, last)
        # two old rows delivered again unchanged, a late event (an old event under a new key), a row without a key
        for q in (_copy(wh, s.source, s.table, f"{s.key} in ('{first}', '{last}')", **{s.loaded_at: new}),
                  _copy(wh, s.source, s.table, f"{s.key} = '{first}'", **{s.key: f"{s.key} || '_late'", s.loaded_at: new}),
                  _copy(wh, s.source, s.table, f"{s.key} = '{first}'", **{s.key: "null", s.loaded_at: new})):
            _query(wh, q)
    # a valid click from weeks ago, re-delivered with the invalid-traffic verdict it got late
    clicks = f"{wh.prefix}_raw_marketplace.clicks"
    latest = _one(wh, f"select max(_loaded_at) from {clicks}")
    picked["late_verdict"] = _one(wh, f"select min(click_id) from {clicks} where is_valid and http_status = 302 "
                                      f"and _loaded_at < {_ts(latest - timedelta(days=10))} "
                                      f"and click_id not in ('{picked['clicks'][0]}', '{picked['clicks'][1]}')")
    _query(wh, _copy(wh, "marketplace", "clicks", f"click_id = '{picked['late_verdict']}'",
                     is_valid="false", invalid_reason="'bot'", device="'bot'", _loaded_at=_ts(latest)))
    # a charge with a balance transaction, re-delivered as test mode
    charges, txns = f"{wh.prefix}_raw_stripe.charge", f"{wh.prefix}_raw_stripe.balance_transaction"
    synced = _one(wh, f"select max(_fivetran_synced) from {charges}")
    picked["test_mode_charge"] = _one(wh, f"select min(c.id) from {charges} as c inner join {txns} as t "
                                          f"on t.source = c.id where c.livemode and c._fivetran_synced < "
                                          f"{_ts(synced - timedelta(days=10))}")
    _query(wh, _copy(wh, "stripe", "charge", f"id = '{picked['test_mode_charge']}'",
                     livemode="false", _fivetran_synced=_ts(synced)))
    # a user withdrawing telemetry consent, with product events loaded long ago
    users, events = f"{wh.prefix}_raw_product.users", f"{wh.prefix}_raw_product.product_events"
    loaded = _one(wh, f"select max(_loaded_at) from {events}")
    picked["withdrawn_user"] = _one(wh, f"select min(u.user_id) from {users} as u inner join {events} as e "
                                        f"on e.user_id = u.user_id where u.telemetry_consent "
                                        f"and e._loaded_at < {_ts(loaded - timedelta(days=10))}")
    _query(wh, _copy(wh, "product", "users", f"user_id = '{picked['withdrawn_user']}'",
                     telemetry_consent="false", _loaded_at=_ts(loaded)))
    return picked


def _snapshot(wh, models: list[str]) -> dict[str, list[tuple]]:
    out = {}
    for model in models:
        schema = wh.staging if model.startswith("base_") else wh.marts
        rows = _query(wh, f"select * from {schema}.{model}")
        out[model] = sorted(tuple(str(v) for v in row) for row in rows)
    return out


def _incremental_models(work: Path) -> list[str]:
    """The project's incremental models, from the manifest of the run that built them."""
    nodes = json.loads((work / "target" / "manifest.json").read_text())["nodes"].values()
    return sorted(n["name"] for n in nodes
                  if n["resource_type"] == "model" and n["config"].get("materialized") == "incremental"
                  and n["config"].get("enabled", True))


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def runs(request, raw_dir, tmp_path_factory):
    work = tmp_path_factory.mktemp(f"incr_{request.param}")
    wh = (DuckDB if request.param == "duckdb" else Postgres)(work, raw_dir)
    held = _first_load(wh)
    build = ["run", "--select", f"+{INCREMENTAL}", "--exclude", "path:seeds/raw"]
    _dbt(wh, work, *build)
    models = _incremental_models(work)
    before = _snapshot(wh, models)
    future_first = _query(wh, f"select _dq_reason from {wh.staging}.base_marketplace__clicks "
                              f"where click_id = '{FUTURE_CLICK}'")
    picked = _new_day(wh)
    # every row staged so far is marked; a row the incremental run rewrites loses the mark
    for s in STREAMS:
        _query(wh, f"update {wh.staging}.{s.model} set _dq_source_table = '{UNTOUCHED}'")
    _dbt(wh, work, *build)
    rewritten = {}
    for s in STREAMS:
        rewritten[s.model] = _query(wh, f"select sum(case when _dq_source_table = '{UNTOUCHED}' then 0 else 1 end), "
                                        f"count(*) from {wh.staging}.{s.model}")[0]
        _query(wh, f"update {wh.staging}.{s.model} set _dq_source_table = '{s.table}' "
                   f"where _dq_source_table = '{UNTOUCHED}'")
    incremental = _snapshot(wh, models)
    verdicts = _verdicts(wh, picked)
    accounting = {s.model: _query(wh, f"select sum(case when _dq_reason is null then 1 else 0 end), "
                                      f"sum(case when _dq_reason is null then 0 else 1 end) "
                                      f"from {wh.staging}.{s.model}")[0] for s in STREAMS}
    raw_rows = {s.model: _one(wh, f"select count(*) from {raw_table(wh.prefix, s)}") for s in STREAMS}
    # the incremental models rebuilt from scratch (and the staging view fct_clicks reads, which a full refresh
    # of its base model drops on PostgreSQL)
    _dbt(wh, work, "run", "--select", INCREMENTAL, "stg_marketplace__clicks", "--full-refresh")
    full = _snapshot(wh, models)
    yield {"wh": wh, "models": models, "before": before, "incremental": incremental, "full": full,
           "rewritten": rewritten, "future_first": future_first, "picked": picked, "held": held, "verdicts": verdicts,
           "accounting": accounting,
           "raw_rows": raw_rows}
    if request.param == "postgres":
        from pg_helpers import pg_drop_schemas

        pg_drop_schemas(PG_PREFIX)


def test_the_streams_are_the_incremental_base_models(runs):
    assert sorted(s.model for s in STREAMS) == [m for m in runs["models"] if m.startswith("base_")]
    assert {"fct_clicks", "clicks_by_route_daily"} <= set(runs["models"])


@pytest.mark.parametrize("model", [s.model for s in STREAMS] + ["fct_clicks", "clicks_by_route_daily"])
def test_incremental_run_equals_full_refresh(runs, model):
    assert runs["incremental"][model] == runs["full"][model]
    assert runs["incremental"][model] != runs["before"][model]


def test_the_run_was_incremental(runs):
    """Each base model rewrote its batch (the new day and the keys it touches), not its whole table."""
    for s in STREAMS:
        rewritten, total = runs["rewritten"][s.model]
        held = runs["held"][f"{s.source}.{s.table}"]
        assert held <= rewritten < total / 2, (s.model, held, rewritten, total)


def test_rows_in_equal_rows_kept_plus_quarantined(runs):
    """After the incremental run each base model holds every raw row once: kept, or quarantined with a reason."""
    for s in STREAMS:
        kept, quarantined = runs["accounting"][s.model]
        assert kept and quarantined, s.model
        assert kept + quarantined == runs["raw_rows"][s.model], s.model


def test_verdicts_that_changed_in_the_new_day(runs):
    """Read after the incremental run (before the full refresh)."""
    v, picked = runs["verdicts"], runs["picked"]
    # the clock that ran ahead is in range once the loads caught up
    assert runs["future_first"] == [("out_of_range",)]
    assert v["future_click"] == [(None,)]
    # the late invalid-traffic verdict reached the fact
    assert v["late_verdict"] in ([(False,)], [(0,)])
    # the test-mode charge's old balance transaction is test mode
    assert v["test_mode_transactions"] and all(r == "test_mode" for (r,) in v["test_mode_transactions"])
    # the withdrawn consent reached the user's old events
    assert any(picked["withdrawn_user"] in row for row in runs["before"]["base_product__product_events"])
    assert v["withdrawn_user_kept_events"] == 0
    # a re-delivered row: the new delivery wins, the older ones are duplicates
    for model, reasons in v["redelivered"].items():
        assert len(reasons) >= 2 and reasons[0] in (None, "test_mode"), (model, reasons)
        assert all(r in ("duplicate", "test_mode") for r in reasons[1:]), (model, reasons)


def _verdicts(wh, picked: dict) -> dict:
    return {
        "future_click": _query(wh, f"select _dq_reason from {wh.staging}.base_marketplace__clicks "
                                   f"where click_id = '{FUTURE_CLICK}'"),
        "late_verdict": _query(wh, f"select is_valid from {wh.marts}.fct_clicks "
                                   f"where click_id = '{picked['late_verdict']}'"),
        "test_mode_transactions": _query(wh, f"select _dq_reason from {wh.staging}.base_stripe__balance_transaction "
                                             f"where source_id = '{picked['test_mode_charge']}'"),
        "withdrawn_user_kept_events": _one(wh, f"select count(*) from {wh.staging}.base_product__product_events "
                                               f"where user_id = '{picked['withdrawn_user']}' and _dq_reason is null"),
        "redelivered": {
            s.model: [r for (r,) in _query(wh, f"select _dq_reason from {wh.staging}.{s.model} "
                                               f"where _dq_record_key = '{picked[s.table][1]}' "
                                               f"order by _dq_loaded_at desc")]
            for s in STREAMS
        },
    }
