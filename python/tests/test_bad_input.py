"""Real-world bad input, on both warehouses: ordinary business data never halts the pipeline, and a bad value
never passes silently (docs/decisions.md, "Bad input").

The demo data is loaded into a DuckDB file and a PostgreSQL schema (kpi_bad*), then faults beyond the
generator's are written into the raw tables, the way a company's own loader would land them: a new category
value, orphans (an order of an unknown customer, a click on an unknown route, a hard-deleted tutor), numbers
landed as text ('12.50', '12,50', '', 'N/A'), NaN and Infinity, implausible values (a booking of 10^9 minor
units, a 150% coupon, clicks dated 1970 and 2099), timestamps in every offset spelling and a column typed
TIMESTAMPTZ read under another session time zone, two versions of one row in one load, an amount in a
currency without an FX rate, an optional column the loader never created, an empty spend table. Both
warehouses are built as `make build` builds (staging first, then the rest, then the reconciliations between
systems; the DuckDB build under TZ=America/New_York, the PostgreSQL one with PGTZ=America/New_York): the builds
must pass, and the one reconciliation the faults legitimately break (revenue against the finance ledger) must
fail with its rows stored. Then, for every injected
fault, the row's fate is asserted (kept, with which value, or quarantined, with which reason), the data-quality
marts report what staging kept but could not place, and rows in = rows kept + rows quarantined holds for every
raw table that was touched. Last, a renamed required column stops the build with a message that names the
table, the column and the fix.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime

import duckdb
import pytest

from dbt_helpers import DBT, NO_UNIT_TESTS
from kpi_layer import PROJECT_ROOT
from pg_helpers import pg_connect, pg_drop_schemas

pytestmark = pytest.mark.slow

OUT = PROJECT_ROOT / ".build" / "bad_input"
PG_PREFIX = "kpi_bad"
STAGING = "path:models/staging"


# ----------------------------------------------------------------------------------------------- set-up

class Warehouse:
    """One warehouse under test: how to reach its raw and built relations and how to run dbt on it."""

    def __init__(self, name: str):
        self.name = name
        self.db = OUT / "bad.duckdb"
        if name == "duckdb":
            self.env = dict(os.environ, KPI_TARGET="duckdb", KPI_DUCKDB_PATH=str(self.db), TZ="America/New_York")
        else:
            self.env = dict(os.environ, KPI_TARGET="postgres", KPI_PG_SCHEMA=PG_PREFIX, PGTZ="America/New_York")
        self.env.update(DBT_PROFILES_DIR=str(PROJECT_ROOT), DBT_TARGET_PATH=str(OUT / f"target-{name}"),
                        DBT_LOG_PATH=str(OUT / f"logs-{name}"))
        self._con = None

    def raw(self, source: str, table: str) -> str:
        prefix = "main" if self.name == "duckdb" else PG_PREFIX
        return f'"{prefix}_raw_{source}"."{table}"'

    def rel(self, layer: str, name: str) -> str:
        prefix = "main" if self.name == "duckdb" else PG_PREFIX
        return f'"{prefix}_{layer}"."{name}"'

    def connect(self):
        if self._con is None:
            if self.name == "duckdb":
                self._con = duckdb.connect(str(self.db))
            else:
                self._con = pg_connect()
                self._con.autocommit = True
        return self._con

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def execute(self, query: str) -> None:
        con = self.connect()
        if self.name == "duckdb":
            con.execute(query)
        else:
            with con.cursor() as cur:
                cur.execute(query)

    def rows(self, query: str) -> list[tuple]:
        con = self.connect()
        if self.name == "duckdb":
            return con.execute(query).fetchall()
        with con.cursor() as cur:
            cur.execute(query)
            return cur.fetchall()

    def one(self, query: str):
        result = self.rows(query)
        return result[0][0] if result else None

    def columns(self, source: str, table: str) -> list[str]:
        schema = ("main" if self.name == "duckdb" else PG_PREFIX) + f"_raw_{source}"
        return [r[0] for r in self.rows(
            f"select column_name from information_schema.columns where table_schema = '{schema}' "
            f"and table_name = '{table}' order by ordinal_position")]

    def copy_row(self, source: str, table: str, key_column: str, key: str, overrides: dict[str, str]) -> None:
        """Insert a copy of one raw row with some columns replaced by SQL expressions."""
        cols = self.columns(source, table)
        exprs = [overrides.get(c, f'"{c}"') for c in cols]
        self.execute(f'insert into {self.raw(source, table)} ({", ".join(chr(34) + c + chr(34) for c in cols)}) '
                     f"select {', '.join(exprs)} from {self.raw(source, table)} where \"{key_column}\" = '{key}'")

    def dbt(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([DBT, *args], cwd=PROJECT_ROOT, env=self.env, capture_output=True, text=True)

    def build_command(self) -> str:
        """The phases of `make build`: staging and its tests, then everything else but the reconciliations (unit
        tests aside: they read no data)."""
        phases = [
            [DBT, "build", "--indirect-selection", "cautious", "--select", STAGING, "--exclude", "tag:threshold",
             NO_UNIT_TESTS],
            [DBT, "build", "--indirect-selection", "cautious", "--exclude", "path:seeds/raw", STAGING,
             "tag:threshold", "tag:reconciliation", NO_UNIT_TESTS],
        ]
        return " && ".join(subprocess.list2cmdline(p) for p in phases)


def _load(wh: Warehouse) -> None:
    if wh.name == "duckdb":
        for path in (wh.db, wh.db.with_suffix(".duckdb.wal")):
            path.unlink(missing_ok=True)
        run = wh.dbt("seed", "--select", "path:seeds/raw", "--quiet")
        assert run.returncode == 0, run.stdout[-3000:]
    else:
        pg_drop_schemas(PG_PREFIX)
        run = subprocess.run([sys.executable, "-m", "kpi_layer.loader", "--seeds", "seeds/raw", "--postgres",
                              "--prefix", PG_PREFIX], cwd=PROJECT_ROOT, env=wh.env, capture_output=True, text=True)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


# ----------------------------------------------------------------------------------------------- the faults

def _pick(wh: Warehouse, source: str, table: str, key: str, where: str, n: int) -> list[str]:
    """n keys delivered once, matching `where`, in key order: the same keys on both warehouses."""
    return [r[0] for r in wh.rows(
        f'select "{key}" from {wh.raw(source, table)} where "{key}" is not null and ({where}) '
        f'group by "{key}" having count(*) = 1 order by "{key}" limit {n}')]


def _inject(wh: Warehouse) -> dict:
    """Write every fault into the raw tables; return the keys each one touched."""
    k: dict = {}
    pg = wh.name == "postgres"
    nan, inf = ("'NaN'::float8", "'Infinity'::float8") if pg else ("'nan'::double", "'inf'::double")
    orders = wh.raw("storefront", "orders")

    # storefront orders: the loader landed total_cents as text
    wh.execute(f"alter table {orders} alter column total_cents type varchar")
    o = _pick(wh, "storefront", "orders", "order_id",
              "status = 'paid' and utm_campaign is null and currency = 'usd' and created_at like '2025-0%'", 14)
    k["orders"] = o
    for key, value in zip(o[:4], ["12.50", "12,50", "", "N/A"]):
        wh.execute(f"update {orders} set total_cents = '{value}' where order_id = '{key}'")
    wh.execute(f"update {orders} set source = 'TikTok Shop' where order_id = '{o[4]}'")
    wh.execute(f"update {orders} set customer_id = 'cust_deleted' where order_id = '{o[5]}'")
    for key, text in zip(o[6:9], ["2025-06-15 00:00:00 +1400", "2025-06-15 08:00:00 America/New_York",
                                  "2025-06-15T08:00:00z"]):
        wh.execute(f"update {orders} set created_at = '{text}' where order_id = '{key}'")
    wh.execute(f"update {orders} set currency = 'jpy', total_cents = '5000' where order_id = '{o[9]}'")
    # two versions of one order in the same load
    wh.copy_row("storefront", "orders", "order_id", o[10], {"total_cents": "'99999'"})
    # an optional column the loader never created
    wh.execute(f"alter table {orders} drop column utm_source")
    # the spend table is empty
    wh.execute(f"delete from {wh.raw('storefront', 'spend')}")

    # tutoring: created_at typed TIMESTAMPTZ (read under another session zone), bad prices, a new state, a
    # hard-deleted tutor
    bookings = wh.raw("tutoring", "bookings")
    k["booking_created"] = dict(wh.rows(
        f"select booking_id, created_at from {bookings} where booking_id in "
        f"(select booking_id from {bookings} group by booking_id having count(*) = 1) order by booking_id limit 20"))
    wh.execute(f"alter table {bookings} alter column created_at type timestamptz "
               f"using created_at at time zone 'UTC'")
    b = _pick(wh, "tutoring", "bookings", "booking_id",
              "session_state = 'completed' and price_amount > 0 and booking_id not in "
              f"({', '.join(repr(x) for x in k['booking_created'])})", 2)
    k["bookings"] = b
    wh.execute(f"update {bookings} set price_amount = 1000000000 where booking_id = '{b[0]}'")
    wh.execute(f"update {bookings} set session_state = 'rescheduled' where booking_id = '{b[1]}'")
    tutor = wh.one(f"select min(tutor_id) from {bookings} where session_state = 'completed' and tutor_id in "
                   f"(select tutor_id from {wh.raw('tutoring', 'tutors')} group by tutor_id having count(*) = 1)")
    k["deleted_tutor"] = tutor
    k["deleted_tutor_bookings"] = [r[0] for r in wh.rows(
        f"select distinct booking_id from {bookings} where tutor_id = '{tutor}' order by 1")]
    wh.execute(f"delete from {wh.raw('tutoring', 'tutors')} where tutor_id = '{tutor}'")

    # stripe coupons: 150% off and NaN% off
    wh.copy_row("stripe", "coupon", "id", "20OFF", {"id": "'BAD150'", "percent_off": "150"})
    wh.copy_row("stripe", "coupon", "id", "20OFF", {"id": "'BADNAN'", "percent_off": nan})

    # marketplace clicks: dated 1970 and 2099, on an unknown route, from a new device type
    c = _pick(wh, "marketplace", "clicks", "click_id",
              "clicked_at like '2025-%' and clicked_at not like '%+%' and is_valid", 4)
    k["clicks"] = c
    clicks = wh.raw("marketplace", "clicks")
    wh.execute(f"update {clicks} set clicked_at = '2099-01-01 00:00:00' where click_id = '{c[0]}'")
    wh.execute(f"update {clicks} set clicked_at = '1970-01-01 00:00:00' where click_id = '{c[1]}'")
    wh.execute(f"update {clicks} set route_id = 'route_gone' where click_id = '{c[2]}'")
    wh.execute(f"update {clicks} set device = 'smart_tv' where click_id = '{c[3]}'")

    # ops: NaN and Infinity latencies
    r = _pick(wh, "ops", "http_requests", "request_id", "latency_ms > 0", 2)
    k["requests"] = r
    requests = wh.raw("ops", "http_requests")
    wh.execute(f"update {requests} set latency_ms = {nan} where request_id = '{r[0]}'")
    wh.execute(f"update {requests} set latency_ms = {inf} where request_id = '{r[1]}'")
    return k


@pytest.fixture(scope="module")
def built():
    OUT.mkdir(parents=True, exist_ok=True)
    warehouses = [Warehouse("duckdb"), Warehouse("postgres")]
    keys = {}
    for wh in warehouses:
        _load(wh)
        keys[wh.name] = _inject(wh)
        wh.close()  # the build needs the DuckDB file to itself
    # both builds at once: the machine has two cores
    procs = {}
    for wh in warehouses:
        log = open(OUT / f"build-{wh.name}.log", "w")
        procs[wh.name] = (subprocess.Popen(wh.build_command(), shell=True, cwd=PROJECT_ROOT, env=wh.env,
                                           stdout=log, stderr=subprocess.STDOUT), log)
    codes = {}
    for name, (proc, log) in procs.items():
        codes[name] = proc.wait()
        log.close()
    # the last phase: reconciliations between systems, once every model is built
    reconciliations = {wh.name: wh.dbt("test", "--select", "tag:reconciliation") for wh in warehouses}
    yield {"warehouses": {wh.name: wh for wh in warehouses}, "keys": keys, "codes": codes,
           "reconciliations": reconciliations}
    for wh in warehouses:
        wh.close()


@pytest.fixture(params=["duckdb", "postgres"])
def wh(request, built):
    return built["warehouses"][request.param], built["keys"][request.param]


def _reason(wh: Warehouse, source: str, table: str, key: str) -> list[str]:
    return sorted(r[0] for r in wh.rows(
        f"select reason from {wh.rel('staging', f'stg_{source}__quarantined_rows')} "
        f"where source_table = '{table}' and record_key = '{key}'"))


def _staged(wh: Warehouse, model: str, key_column: str, key: str, columns: str) -> list[tuple]:
    return wh.rows(f"select {columns} from {wh.rel('staging', model)} where {key_column} = '{key}'")


# ----------------------------------------------------------------------------------------------- outcomes

def test_the_build_passes_on_both_warehouses(built):
    """Nothing injected halts the pipeline: both phases of the build pass on both warehouses."""
    for name, code in built["codes"].items():
        log = (OUT / f"build-{name}.log").read_text()
        assert code == 0, f"{name} build failed:\n{log[-6000:]}"
        assert "ERROR=0" in log and "SKIP=0" in log, log[-3000:]
        # the empty spend table is reported by name, not only through its orphans
        assert any("WARN 1 stg_storefront__spend_is_not_empty" in line for line in log.splitlines()), log[-3000:]


def test_a_failing_reconciliation_names_and_stores_its_rows(built):
    """Quarantined orders and a conflicting duplicate move the storefront's revenue away from the finance
    ledger: the reconciliation fails after every model was built, and keeps the days it failed on."""
    for name, run in built["reconciliations"].items():
        wh = built["warehouses"][name]
        out = run.stdout
        failed = [line for line in out.splitlines() if "Failure in test" in line]
        assert run.returncode == (1 if failed else 0), out[-3000:]
        assert any("gross_margin_daily_revenue_reconciles_with_ledger" in line for line in failed), out[-3000:]
        stored = wh.one(f"select count(*) from {wh.rel('dbt_test__audit', 'gross_margin_daily_revenue_reconciles_with_ledger')}")
        assert stored > 0 and "dbt_test__audit" in out


def test_malformed_numbers_are_quarantined_never_rounded(wh):
    wh, k = wh
    for key in k["orders"][:4]:  # '12.50', '12,50', '', 'N/A' in a whole-number column
        assert _reason(wh, "storefront", "orders", key) == ["malformed_value"], key
        assert _staged(wh, "stg_storefront__orders", "order_id", key, "order_id") == []
    for key in k["requests"]:  # NaN and Infinity latencies
        assert _reason(wh, "ops", "http_requests", key) == ["malformed_value"], key
    assert _reason(wh, "stripe", "coupon", "BADNAN") == ["malformed_value"]


def test_implausible_values_are_quarantined_out_of_range(wh):
    wh, k = wh
    assert _reason(wh, "tutoring", "bookings", k["bookings"][0]) == ["out_of_range"]  # 10^9 minor units
    assert _reason(wh, "stripe", "coupon", "BAD150") == ["out_of_range"]  # 150% off
    for key in k["clicks"][:2]:  # dated 2099 and 1970
        assert _reason(wh, "marketplace", "clicks", key) == ["out_of_range"], key
    # the click calendar is not stretched to 1970 or 2099
    first, last = wh.rows(f"select min(date_day), max(date_day) from {wh.rel('marts', 'click_quality_daily')}")[0]
    assert str(first) >= "2024-01-01" and str(last) <= "2026-12-31", (first, last)
    # GMV is not inflated by the 10^9 booking
    assert wh.one(f"select count(*) from {wh.rel('marts', 'fct_bookings')} "
                  f"where booking_id = '{k['bookings'][0]}'") == 0


def test_unknown_categories_are_kept_reported_and_bucketed(wh):
    wh, k = wh
    assert _staged(wh, "stg_storefront__orders", "order_id", k["orders"][4], "order_source") == [("TikTok Shop",)]
    assert _staged(wh, "stg_tutoring__bookings", "booking_id", k["bookings"][1], "session_state") == [("rescheduled",)]
    assert _staged(wh, "stg_marketplace__clicks", "click_id", k["clicks"][3], "device_type") == [("smart_tv",)]
    reported = {(m, c, v): n for m, c, v, n in wh.rows(
        f"select model_name, column_name, unknown_value, row_count from "
        f"{wh.rel('marts', 'unknown_category_values')}")}
    assert reported[("stg_storefront__orders", "order_source", "TikTok Shop")] == 1
    assert reported[("stg_tutoring__bookings", "session_state", "rescheduled")] == 1
    assert reported[("stg_marketplace__clicks", "device_type", "smart_tv")] == 1
    # the mart that enumerates order sources counts it under 'other'
    sources = {r[0] for r in wh.rows(f"select distinct order_source from {wh.rel('marts', 'revenue_by_source_daily')}")}
    assert "other" in sources and "TikTok Shop" not in sources


def test_orphans_are_kept_and_reported(wh):
    wh, k = wh
    assert _staged(wh, "stg_storefront__orders", "order_id", k["orders"][5], "customer_id") == [("cust_deleted",)]
    assert wh.one(f"select count(*) from {wh.rel('intermediate', 'int_storefront_orders_converted')} "
                  f"where order_id = '{k['orders'][5]}'") == 1
    assert _staged(wh, "stg_marketplace__clicks", "click_id", k["clicks"][2], "route_id") == [("route_gone",)]
    assert wh.one(f"select count(*) from {wh.rel('marts', 'fct_clicks')} where click_id = '{k['clicks'][2]}'") == 1
    # the hard-deleted tutor's bookings are all still there, down to the bookings fact
    kept = wh.one(f"select count(*) from {wh.rel('staging', 'stg_tutoring__bookings')} "
                  f"where tutor_id = '{k['deleted_tutor']}'")
    assert kept > 0 and kept <= len(k["deleted_tutor_bookings"])
    assert wh.one(f"select count(*) from {wh.rel('marts', 'fct_bookings')} "
                  f"where tutor_id = '{k['deleted_tutor']}'") == kept
    orphans = {(m, c): (n, e) for m, c, n, e in wh.rows(
        f"select child_model, child_column, orphan_rows, example_orphan_key from {wh.rel('marts', 'orphaned_rows')}")}
    assert orphans[("stg_storefront__orders", "customer_id")] == (1, "cust_deleted")
    assert orphans[("stg_marketplace__clicks", "route_id")] == (1, "route_gone")
    assert orphans[("stg_tutoring__bookings", "tutor_id")][0] == kept
    # an empty spend table: every ad-attributed order's campaign is an orphan, not a failed build
    attributed = wh.one(f"select count(*) from {wh.rel('staging', 'stg_storefront__orders')} "
                        f"where campaign_id is not null")
    assert attributed > 0 and orphans[("stg_storefront__orders", "campaign_id")][0] == attributed


def test_every_offset_spelling_and_timestamptz_become_utc(wh):
    wh, k = wh
    expected = [datetime(2025, 6, 14, 10, 0), datetime(2025, 6, 15, 12, 0), datetime(2025, 6, 15, 8, 0)]
    for key, utc in zip(k["orders"][6:9], expected):
        assert _staged(wh, "stg_storefront__orders", "order_id", key, "created_at") == [(utc,)], key
    # created_at typed TIMESTAMPTZ, built under a New York session zone: the same UTC times as landed
    landed = k["booking_created"]
    staged = dict(wh.rows(f"select booking_id, created_at from {wh.rel('staging', 'stg_tutoring__bookings')} "
                          f"where booking_id in ({', '.join(repr(x) for x in landed)})"))
    assert staged and all(staged[key] == landed[key] for key in staged), (staged, landed)


def test_conflicting_duplicates_have_one_deterministic_winner(wh):
    wh, k = wh
    key = k["orders"][10]
    assert len(_staged(wh, "stg_storefront__orders", "order_id", key, "total_amount")) == 1
    assert _reason(wh, "storefront", "orders", key) == ["conflicting_duplicate"]


def test_a_currency_without_a_rate_is_kept_and_reported(wh):
    wh, k = wh
    key = k["orders"][9]
    assert _staged(wh, "stg_storefront__orders", "order_id", key, "currency, total_amount") == [("jpy", 5000)]
    month = wh.one(f"select cast(date_trunc('month', created_at) as date) from "
                   f"{wh.rel('staging', 'stg_storefront__orders')} where order_id = '{key}'")
    assert wh.rows(f"select row_count from {wh.rel('marts', 'currencies_without_fx_rate')} "
                   f"where model_name = 'stg_storefront__orders' and currency = 'jpy' "
                   f"and month_start_date = '{month}'") == [(1,)]
    # JPY has no minor unit: 5000 yen is 5000.00 of the currency, not 50.00
    assert wh.one(f"select total_amount from {wh.rel('intermediate', 'int_storefront_orders_converted')} "
                  f"where order_id = '{key}'") == 5000


def test_a_missing_optional_column_reads_as_null(wh):
    wh, _ = wh
    assert wh.one(f"select count(*) from {wh.rel('staging', 'stg_storefront__orders')} "
                  f"where utm_source is not null") == 0
    assert wh.one(f"select count(*) from {wh.rel('staging', 'stg_storefront__orders')}") > 2000


def test_rows_in_equal_rows_kept_plus_quarantined(wh):
    wh, _ = wh
    touched = [("storefront", "orders", "stg_storefront__orders"), ("storefront", "spend", "stg_storefront__spend"),
               ("tutoring", "bookings", "stg_tutoring__bookings"), ("tutoring", "tutors", "stg_tutoring__tutors"),
               ("stripe", "coupon", "stg_stripe__coupon"), ("marketplace", "clicks", "stg_marketplace__clicks"),
               ("ops", "http_requests", "stg_ops__http_requests")]
    for source, table, model in touched:
        landed = wh.one(f"select count(*) from {wh.raw(source, table)}")
        kept = wh.one(f"select count(*) from {wh.rel('staging', model)}")
        quarantined = wh.one(f"select count(*) from {wh.rel('staging', f'stg_{source}__quarantined_rows')} "
                             f"where source_table = '{table}'")
        assert landed == kept + quarantined, (table, landed, kept, quarantined)


def test_the_scorecard_was_rebuilt(wh):
    wh, _ = wh
    assert wh.one(f"select count(*) from {wh.rel('marts', 'kpi_scorecard')}") > 0


def test_the_conflicting_duplicate_winner_does_not_follow_row_order(built):
    """The same two deliveries, landed in the opposite physical order, elect the same winner."""
    wh = built["warehouses"]["duckdb"]
    key = built["keys"]["duckdb"]["orders"][10]
    winner = _staged(wh, "stg_storefront__orders", "order_id", key, "total_amount")
    orders = wh.raw("storefront", "orders")
    first = wh.rows(f"select rowid, total_cents from {orders} where order_id = '{key}' order by rowid")
    wh.execute(f"create or replace table {orders} as select * from {orders} order by order_id, rowid desc")
    assert wh.rows(f"select total_cents from {orders} where order_id = '{key}' order by rowid") == \
        [(t,) for _, t in reversed(first)]
    wh.close()
    run = wh.dbt("run", "--select", "base_storefront__orders", "stg_storefront__orders")
    assert run.returncode == 0, run.stdout[-3000:]
    assert _staged(wh, "stg_storefront__orders", "order_id", key, "total_amount") == winner


def test_a_missing_required_column_names_table_column_and_fix(built):
    """Last, because it breaks the raw table: the message says what is missing and what to do."""
    for wh in built["warehouses"].values():
        wh.execute(f"alter table {wh.raw('storefront', 'orders')} rename column source to order_origin")
        wh.close()
        run = wh.dbt("run", "--select", "base_storefront__orders")
        assert run.returncode != 0
        out = run.stdout
        assert '"orders"' in out and '"source"' in out and "storefront_schema" in out, out[-3000:]
        assert "using_storefront" in out and "STRUCT" not in out, out[-3000:]
