"""One new day of data, for the incremental-run benchmark and the incremental = full refresh test.

`hold_back` moves every raw table's rows loaded in the last day (by its loader's load time, `_loaded_at` or
`_fivetran_synced`) into a side schema, as if the loader had not run that day yet: what is left is a
consistent snapshot of the day before. `land` puts them back: the loader's next sync. STREAMS are the raw
tables whose base models are incremental (macros/staging/incremental_batch.sql); the test checks this list
against the project's manifest. Works on a DuckDB connection and on a psycopg2 one (autocommit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from . import contract


@dataclass(frozen=True)
class Stream:
    source: str
    table: str
    key: str  # the raw key column
    loaded_at: str  # the source's loaded_at_field

    @property
    def model(self) -> str:
        return f"base_{self.source}__{self.table}"


STREAMS = (
    Stream("marketplace", "clicks", "click_id", "_loaded_at"),
    Stream("storefront", "events", "event_id", "_loaded_at"),
    Stream("product", "product_events", "event_id", "_loaded_at"),
    Stream("tutoring", "audit_events", "event_id", "_loaded_at"),
    Stream("tutoring", "messages", "message_id", "_loaded_at"),
    Stream("ops", "http_requests", "request_id", "_loaded_at"),
    Stream("ops", "uptime_probes", "probe_id", "_loaded_at"),
    Stream("stripe", "balance_transaction", "id", "_fivetran_synced"),
    Stream("stripe", "charge", "id", "_fivetran_synced"),
)


def raw_table(prefix: str, stream: Stream) -> str:
    return f'"{prefix}_raw_{stream.source}"."{stream.table}"'


def held_table(prefix: str, stream: Stream) -> str:
    return f'"{prefix}_held"."{stream.source}__{stream.table}"'


def _execute(con, sql: str) -> list[tuple]:
    cur = con.cursor()
    cur.execute(sql)
    try:
        return cur.fetchall()
    except Exception:  # a statement without a result (psycopg2 raises, DuckDB returns [])
        return []


def raw_tables() -> list[Stream]:
    """Every raw table of the contract, with its key (first column) and its loader's load-time column."""
    tables = []
    for (source, table), raw in sorted(contract.load_contract().items()):
        loaded_at = "_fivetran_synced" if "_fivetran_synced" in raw.column_names else "_loaded_at"
        tables.append(Stream(source, table, raw.column_names[0], loaded_at))
    return tables


def _exists(con, schema: str, table: str) -> bool:
    return bool(_execute(con, "select count(*) from information_schema.tables "
                              f"where table_schema = '{schema}' and table_name = '{table}'")[0][0])


def hold_back(con, prefix: str, days: int = 1) -> dict[str, int]:
    """Move every raw row loaded after one cut, `days` before the data's last sync, into <prefix>_held; rows moved
    per table. One cut for all tables, so what stays is the data as of a sync earlier. The last sync is the median
    of the tables' latest loads: a few streams run on with late arrivals after the others' last load."""
    present = [t for t in raw_tables() if _exists(con, f"{prefix}_raw_{t.source}", t.table)]
    latest = sorted(v for t in present
                    if (v := _execute(con, f"select max({t.loaded_at}) from {raw_table(prefix, t)}")[0][0]))
    cutoff = f"cast('{latest[len(latest) // 2] - timedelta(days=days)}' as timestamp)"
    _execute(con, f'create schema if not exists "{prefix}_held"')
    moved = {}
    for t in present:
        raw, held = raw_table(prefix, t), held_table(prefix, t)
        _execute(con, f"drop table if exists {held}")
        _execute(con, f"create table {held} as select * from {raw} where {t.loaded_at} > {cutoff}")
        _execute(con, f"delete from {raw} where {t.loaded_at} > {cutoff}")
        moved[f"{t.source}.{t.table}"] = _execute(con, f"select count(*) from {held}")[0][0]
    return moved


def land(con, prefix: str) -> dict[str, int]:
    """Append the held rows to their raw tables (the next sync); rows landed per table."""
    landed = {}
    for t in raw_tables():
        if not _exists(con, f"{prefix}_held", f"{t.source}__{t.table}"):
            continue
        raw, held = raw_table(prefix, t), held_table(prefix, t)
        landed[f"{t.source}.{t.table}"] = _execute(con, f"select count(*) from {held}")[0][0]
        _execute(con, f"insert into {raw} select * from {held}")
        _execute(con, f"drop table {held}")
    return landed


def next_day(con, prefix: str, redelivered_share: float = 0.01) -> dict[str, int]:
    """Land one more day on every stream (the benchmark's new day, after a build of complete data): a copy of a
    full day of the stream (a week before its latest load) under new keys, loaded after everything else, plus
    re-deliveries of older rows (one per 1 / redelivered_share new rows, picked by hash) that the run must judge
    again with their keys' history."""
    landed = {}
    for s in STREAMS:
        raw = raw_table(prefix, s)
        names = contract.table(s.source, s.table).column_names
        (latest,) = _execute(con, f"select max({s.loaded_at}) from {raw}")[0]
        if latest is None:
            continue
        # a stream's last days are its tail of late arrivals: the day copied is a full one, a week earlier
        day_from = f"cast('{latest - timedelta(days=8)}' as timestamp)"
        day_to = f"cast('{latest - timedelta(days=7)}' as timestamp)"
        new_load = f"cast('{latest + timedelta(days=1)}' as timestamp)"
        columns = ", ".join(f'"{n}"' for n in names)

        def copy(replace: dict[str, str], where: str) -> str:
            select = ", ".join(replace.get(n, f'"{n}"') for n in names)
            return f"insert into {raw} ({columns}) select {select} from {raw} where {where}"

        before = _execute(con, f"select count(*) from {raw}")[0][0]
        _execute(con, copy({s.key: f"{s.key} || '_next'", s.loaded_at: f"{s.loaded_at} + interval '8 day'"},
                           f"{s.loaded_at} >= {day_from} and {s.loaded_at} < {day_to}"))
        new_rows = _execute(con, f"select count(*) from {raw}")[0][0] - before
        redelivered = int(new_rows * redelivered_share)
        if redelivered:
            _execute(con, copy({s.loaded_at: new_load},
                               f"{s.key} in (select {s.key} from {raw} where {s.loaded_at} < {day_from} "
                               f"and {s.key} is not null order by md5({s.key}) limit {redelivered})"))
        landed[f"{s.source}.{s.table}"] = _execute(con, f"select count(*) from {raw}")[0][0] - before
    return landed
