"""The generator's framework: scales, time shapes, deterministic randomness, sinks that stream rows to CSV seeds
or Parquet, labelled fault injection, and the hand-off of payments and subscriptions to the Stripe renderer.

Domain modules (marketplace, storefront, tutoring, product, ops) make the business decisions and write their
app tables; they register every payment and subscription with the context. The stripe module runs last and
renders them as the Fivetran Stripe connector lands them (customers, charges, balance transactions, ...).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from .. import contract

# ----------------------------------------------------------------------------------------------- scales

# Volumes over the whole period. `demo` is committed as CSV seeds and must build in seconds; `l` is the
# benchmark scale (about 50M clicks, 5M events, 1M orders, 0.5M bookings) and streams to Parquet.
SCALES: dict[str, dict[str, int]] = {
    "tiny": dict(days=120, clicks=3_000, product_events=2_000, orders=300, bookings=300, http_requests=1_500,
                 saas_users=150, storefront_events=2_500, hirers=12, owners=8, routes=20, tutors=12, students=60),
    "demo": dict(days=365, clicks=15_000, product_events=8_000, orders=2_500, bookings=1_500, http_requests=4_000,
                 saas_users=500, storefront_events=20_000, hirers=30, owners=20, routes=60, tutors=30, students=250),
    "s": dict(days=365, clicks=500_000, product_events=100_000, orders=20_000, bookings=10_000,
              http_requests=100_000, saas_users=3_000, storefront_events=400_000, hirers=200, owners=120, routes=400, tutors=150,
              students=2_000),
    "m": dict(days=365, clicks=5_000_000, product_events=1_000_000, orders=200_000, bookings=100_000,
              http_requests=500_000, saas_users=15_000, storefront_events=4_000_000, hirers=1_000, owners=600, routes=2_000, tutors=600,
              students=10_000),
    "l": dict(days=365, clicks=50_000_000, product_events=5_000_000, orders=1_000_000, bookings=500_000,
              http_requests=2_000_000, saas_users=50_000, storefront_events=10_000_000, hirers=5_000, owners=3_000, routes=10_000,
              tutors=3_000, students=50_000),
}

START_DATE = date(2025, 1, 1)
REPORTING_CURRENCY = "usd"

# Fault kinds. `expected` is what staging must do with the row: quarantine it with that reason, or keep it.
FAULT_OUTCOMES = {
    "duplicate": "quarantined:duplicate",  # an older delivery of a row delivered again later
    "null_key": "quarantined:null_key",
    "test_mode": "quarantined:test_mode",  # Stripe livemode = false
    "malformed_json": "quarantined:malformed_json",
    "malformed_value": "quarantined:malformed_value",  # an unparseable timestamp or number
    "out_of_range": "quarantined:out_of_range",  # a value outside its column's bounds (a score off the scale)
    "non_positive_amount": "quarantined:non_positive_amount",
    "no_consent": "quarantined:no_consent",  # product events of users who did not opt in (seed 004)
    "invalid_click": "kept",  # bots and other invalid traffic are data: kept, with the verdict
    "late_event": "kept",  # landed days after it happened
    "tz_offset": "kept",  # a timestamp written with a time-zone offset; staging converts it to UTC
}


def stable_int(*parts: Any) -> int:
    """A stable 32-bit integer from any parts (Python's hash() is salted per process)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "little")


# ----------------------------------------------------------------------------------------------- sinks

_ARROW_TYPES = {
    "varchar": pa.string(), "text": pa.string(), "bigint": pa.int64(), "integer": pa.int64(),
    "boolean": pa.bool_(), "timestamp": pa.timestamp("us"), "date": pa.date32(),
    "double precision": pa.float64(), "double": pa.float64(),
}


def arrow_type(data_type: str) -> pa.DataType:
    t = data_type.lower().strip()
    if t.startswith("numeric") or t.startswith("decimal"):
        return pa.float64()
    return _ARROW_TYPES[t]


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float):
        return repr(round(value, 6))
    return value


class Sink:
    """Streams the rows of one raw table to a CSV seed or a Parquet file, in the contract's column order.

    `write(row)` takes a dict with exactly the contract's columns; `write_columns(cols)` takes whole columns
    (lists or numpy arrays) for the high-volume streams. Rows are flushed every `chunk_rows` rows, so a
    scale-L table never sits in memory whole.
    """

    def __init__(self, raw: contract.RawTable, path: Path, fmt: str, chunk_rows: int = 200_000):
        self.raw = raw
        self.path = path
        self.fmt = fmt
        self.chunk_rows = chunk_rows
        self.names = raw.column_names
        self._name_set = set(self.names)
        self.schema = pa.schema([(c.name, arrow_type(c.data_type)) for c in raw.columns])
        self.rows_written = 0
        self._buffer: dict[str, list] = {n: [] for n in self.names}
        self._buffered = 0
        self._writer = None
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            self._file = open(path, "w", newline="", encoding="utf-8")
            self._csv = csv.writer(self._file, lineterminator="\n")
            self._csv.writerow(self.names)

    def write(self, row: dict[str, Any]) -> None:
        if row.keys() != self._name_set:
            missing = sorted(set(self.names) - set(row))
            extra = sorted(set(row) - set(self.names))
            raise ValueError(f"{self.raw.source}.{self.raw.name}: missing {missing}, unexpected {extra}")
        for n in self.names:
            self._buffer[n].append(row[n])
        self._buffered += 1
        if self._buffered >= self.chunk_rows:
            self.flush()

    def write_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self.write(row)

    def write_columns(self, columns: dict[str, Any]) -> None:
        if set(columns) != set(self.names):
            raise ValueError(f"{self.raw.source}.{self.raw.name}: columns {sorted(set(columns) ^ set(self.names))}")
        self.flush()
        n = len(next(iter(columns.values())))
        if self.fmt == "csv":
            self._emit({k: (v.tolist() if isinstance(v, np.ndarray) else list(v)) for k, v in columns.items()}, n)
        else:
            # Straight from numpy to Arrow: no Python objects per value on the high-volume streams.
            self._write_parquet(pa.table({name: self._arrow_array(name, columns[name]) for name in self.names},
                                         schema=self.schema), n)

    def flush(self) -> None:
        if self._buffered:
            self._emit(self._buffer, self._buffered)
            self._buffer = {n: [] for n in self.names}
            self._buffered = 0

    def _emit(self, cols: dict[str, list], n: int) -> None:
        if self.fmt == "csv":
            for i in range(n):
                self._csv.writerow([_csv_value(cols[name][i]) for name in self.names])
        else:
            batch = pa.table({name: pa.array(cols[name], type=self.schema.field(name).type) for name in self.names},
                             schema=self.schema)
            self._write_parquet(batch, 0)
        self.rows_written += n

    def _arrow_array(self, name: str, values: Any) -> pa.Array:
        target = self.schema.field(name).type
        if isinstance(values, np.ndarray) and values.dtype != object:
            if pa.types.is_timestamp(target) and values.dtype.kind == "M":
                return pa.array(values.astype("datetime64[us]"), type=target)
            if values.dtype.kind in "iufb" or (values.dtype.kind == "U" and pa.types.is_string(target)):
                return pa.array(values, type=target) if values.dtype.kind != "U" else pa.array(values.astype(object), type=target)
        return pa.array(values if not isinstance(values, np.ndarray) else values.tolist(), type=target)

    def _write_parquet(self, batch: pa.Table, n: int) -> None:
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, self.schema, compression="zstd")
        self._writer.write_table(batch)
        self.rows_written += n

    def close(self) -> None:
        self.flush()
        if self.fmt == "csv":
            self._file.close()
        else:
            if self._writer is None:
                self._writer = pq.ParquetWriter(self.path, self.schema, compression="zstd")
            self._writer.close()


# ----------------------------------------------------------------------------------------------- faults

class Faults:
    """Injects faults at a configurable rate and labels every one in a manifest, so tests can count them."""

    def __init__(self, rng: np.random.Generator, rate: float):
        self.rng = rng
        self.rate = rate
        self.records: list[tuple[str, str, str, str, str]] = []

    def roll(self, weight: float = 1.0) -> bool:
        """True with probability rate * weight."""
        return self.rate > 0 and self.rng.random() < self.rate * weight

    def pick(self, kinds: list[str] | tuple[str, ...], weight: float = 1.0) -> str | None:
        """With probability rate * weight, one of `kinds` chosen uniformly; otherwise None."""
        if not kinds or not self.roll(weight):
            return None
        return kinds[int(self.rng.integers(len(kinds)))]

    def record(self, source: str, table: str, fault: str, record_key: Any) -> None:
        if fault not in FAULT_OUTCOMES:
            raise ValueError(f"unknown fault kind {fault!r}")
        key = "" if record_key is None else str(record_key)
        self.records.append((source, table, fault, key, FAULT_OUTCOMES[fault]))

    def record_many(self, source: str, table: str, fault: str, record_keys: Iterable[Any]) -> None:
        for key in record_keys:
            self.record(source, table, fault, key)

    def write_manifest(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, delimiter="\t", lineterminator="\n")
            w.writerow(["source", "table", "fault", "record_key", "expected"])
            w.writerows(sorted(self.records))


# ----------------------------------------------------------------------------------------------- money hand-off

@dataclass
class Payment:
    """A one-off payment the app collected through Stripe (an order, a booking, a contract charge, ...).

    The stripe module renders it as a charge (and a balance transaction when it succeeded), a later refund
    and dispute when asked, and a Connect transfer to the owner or tutor when `transfer_destination` is set.
    """

    domain: str
    object_type: str
    object_id: str
    customer_ref: str  # the app's own id of the payer (hirer, storefront customer, student)
    customer_email: str | None
    customer_country: str
    amount: int  # minor units, > 0
    currency: str
    created_at: datetime
    succeeded: bool = True
    failure_code: str | None = None
    refund_amount: int = 0
    refund_at: datetime | None = None
    dispute_at: datetime | None = None
    transfer_destination: str | None = None  # Connect account id (acct_...) of the owner / tutor
    transfer_amount: int = 0
    invoiced: bool = False  # billed through a Stripe invoice (marketplace contracts), not a bare charge
    description: str | None = None
    charge_id: str = ""  # set by Context.add_payment


@dataclass
class PlanChange:
    at: datetime
    plan_code: str


@dataclass
class Subscription:
    """A recurring subscription the app sold; the stripe module renders subscription, items, invoices,
    invoice lines, charges (with failures and retries), balance transactions and refunds."""

    domain: str
    customer_ref: str
    customer_email: str | None
    customer_country: str
    plan_code: str  # a key of PLANS
    start_at: datetime
    trial_days: int = 0
    quantity: int = 1
    discount_percent: int = 0
    changes: list[PlanChange] = field(default_factory=list)  # upgrades / downgrades
    cancelled_at: datetime | None = None
    subscription_id: str = ""  # set by Context.add_subscription


@dataclass(frozen=True)
class Plan:
    code: str
    product_line: str
    name: str
    currency: str
    unit_amount: int  # minor units per interval
    interval: str  # month | year | week


# SaaS plans of seeds 003 (Basic 39, Professional 99, Premium 299 USD) and 004 (Starter, Pro in CAD), with annual
# variants priced at ten months; and the storefront's weekly subscription box (seed 001).
PLANS: dict[str, Plan] = {p.code: p for p in [
    Plan("basic_monthly", "creator", "Basic", "usd", 3900, "month"),
    Plan("professional_monthly", "creator", "Professional", "usd", 9900, "month"),
    Plan("premium_monthly", "creator", "Premium", "usd", 29900, "month"),
    Plan("basic_annual", "creator", "Basic", "usd", 39000, "year"),
    Plan("professional_annual", "creator", "Professional", "usd", 99000, "year"),
    Plan("premium_annual", "creator", "Premium", "usd", 299000, "year"),
    Plan("starter_monthly", "automation", "Starter", "cad", 4900, "month"),
    Plan("pro_monthly", "automation", "Pro", "cad", 9900, "month"),
    Plan("starter_annual", "automation", "Starter", "cad", 49000, "year"),
    Plan("pro_annual", "automation", "Pro", "cad", 99000, "year"),
    Plan("box_weekly", "storefront", "Weekly box", "usd", 2500, "week"),
]}

# Stripe's standard card pricing, the one processing-fee formula of the demo company (minor units of the
# charge's currency). Domains that pay owners / tutors out use it to size Connect transfers
# (payout = amount - platform fee - processing fee); the stripe module uses it for balance-transaction fees.
def processing_fee(amount: int) -> int:
    return int(round(amount * 0.029)) + 30


# Marketplace take rate (seed 000: 4%) and tutoring commission (seed 002: net revenue 1.5K on 10K GMV).
MARKETPLACE_TAKE_RATE = 0.04
TUTORING_COMMISSION_RATE = 0.15

# Units of reporting currency (USD) per unit of currency, at the start of the period; drifts slowly.
FX_BASE = {"usd": 1.0, "cad": 0.73, "eur": 1.08, "gbp": 1.27}


# ----------------------------------------------------------------------------------------------- context

class Context:
    """Everything a domain module needs: scale, period, randomness, sinks, faults and the money hand-off."""

    def __init__(self, scale: str, seed: int, fault_rate: float, out_dir: Path, fmt: str):
        if scale not in SCALES:
            raise ValueError(f"unknown scale {scale!r}; one of {sorted(SCALES)}")
        self.scale_name = scale
        self.volumes = SCALES[scale]
        self.seed = seed
        self.fault_rate = fault_rate
        self.out_dir = Path(out_dir)
        self.fmt = fmt
        self.start = datetime.combine(START_DATE, datetime.min.time())
        self.days = self.volumes["days"]
        self.end = self.start + timedelta(days=self.days)  # exclusive
        self.faults = Faults(self.rng("faults"), fault_rate)
        self.payments: list[Payment] = []
        self.subscriptions: list[Subscription] = []
        self.shared: dict[str, Any] = {}  # cross-domain facts (e.g. owners' Connect accounts)
        self._sinks: dict[tuple[str, str], Sink] = {}
        self._counters: dict[str, int] = {}
        self._day_weights: np.ndarray | None = None

    # randomness ------------------------------------------------------------------------------------
    def rng(self, *stream: Any) -> np.random.Generator:
        """An independent, deterministic generator per named stream (a domain, a table, ...)."""
        return np.random.default_rng([self.seed, stable_int(*stream)])

    def volume(self, key: str) -> int:
        return int(self.volumes[key])

    # ids -------------------------------------------------------------------------------------------
    def next_id(self, prefix: str, width: int = 8) -> str:
        n = self._counters.get(prefix, 0) + 1
        self._counters[prefix] = n
        return f"{prefix}_{n:0{width}d}"

    def next_ids(self, prefix: str, n: int, width: int = 8) -> list[str]:
        """n consecutive ids at once, for the vectorised streams (same sequence as n next_id calls)."""
        start = self._counters.get(prefix, 0)
        self._counters[prefix] = start + n
        return [f"{prefix}_{i:0{width}d}" for i in range(start + 1, start + n + 1)]

    # time ------------------------------------------------------------------------------------------
    def day_weights(self) -> np.ndarray:
        """Relative activity per day: steady growth (about 3x over a year), weekly seasonality (quieter
        weekends) and a December lift. Sums to 1."""
        if self._day_weights is None:
            d = np.arange(self.days)
            growth = np.exp(d * math.log(3.0) / 365.0)
            weekday = np.array([(self.start + timedelta(days=int(i))).weekday() for i in d])
            weekly = np.where(weekday >= 5, 0.7, 1.0)
            month = np.array([(self.start + timedelta(days=int(i))).month for i in d])
            seasonal = np.where(month == 12, 1.25, 1.0)
            w = growth * weekly * seasonal
            self._day_weights = w / w.sum()
        return self._day_weights

    def sample_times(self, rng: np.random.Generator, n: int, start: datetime | None = None,
                     end: datetime | None = None) -> np.ndarray:
        """n timestamps (numpy datetime64[s], sorted) following the activity shape, within [start, end)."""
        w = self.day_weights()
        lo = 0 if start is None else max(0, (start - self.start).days)
        hi = self.days if end is None else min(self.days, max(lo + 1, math.ceil((end - self.start).total_seconds() / 86400)))
        w = w[lo:hi] / w[lo:hi].sum()
        days = rng.choice(np.arange(lo, hi), size=n, p=w)
        # busier in the day than at night: a smooth hour-of-day profile peaking mid-afternoon (UTC)
        hours = (rng.normal(14.0, 4.5, size=n) % 24.0)
        seconds = (days * 86400 + hours * 3600).astype("int64")
        t = np.datetime64(self.start, "s") + seconds.astype("timedelta64[s]")
        if start is not None:
            t = np.maximum(t, np.datetime64(start, "s"))
        if end is not None:
            t = np.minimum(t, np.datetime64(end, "s") - np.timedelta64(1, "s"))
        return np.sort(t)

    def random_time(self, rng: np.random.Generator, start: datetime | None = None,
                    end: datetime | None = None) -> datetime:
        return to_datetime(self.sample_times(rng, 1, start, end)[0])

    def fx_rate(self, currency: str, when: datetime) -> float:
        """Units of the reporting currency (USD) per unit of `currency` on that day: deterministic drift."""
        base = FX_BASE[currency]
        if currency == REPORTING_CURRENCY:
            return 1.0
        day = (when - self.start).days
        return round(base * (1.0 + 0.03 * math.sin(day / 45.0 + stable_int(currency) % 7)), 6)

    # output ----------------------------------------------------------------------------------------
    def sink(self, source: str, table: str) -> Sink:
        key = (source, table)
        if key not in self._sinks:
            raw = contract.table(source, table)
            if self.fmt == "csv":
                path = self.out_dir / source / f"{raw.seed_name}.csv"
            else:
                path = self.out_dir / source / f"{table}.parquet"
            self._sinks[key] = Sink(raw, path, "csv" if self.fmt == "csv" else "parquet")
        return self._sinks[key]

    def emit(self, source: str, table: str, row: dict[str, Any], key: str | list[str], loaded_at: str,
             faults: tuple[str, ...] = ("duplicate", "null_key"), weight: float = 1.0) -> str | None:
        """Write a row, maybe with one of the generic faults; return the fault injected, if any.

        `key` is the natural key's column, or columns for a composite key (recorded as 'a|b|c', the way
        staging's _dq_record_key writes it; null_key then nulls the first of them).

        duplicate: the row is delivered twice; the first delivery is older and must be quarantined.
        null_key:  the row's key is lost in transit.
        test_mode: (Stripe) the object was created in test mode (livemode = false).
        """
        s = self.sink(source, table)
        keys = [key] if isinstance(key, str) else list(key)
        record_key = "|".join("" if row[k] is None else str(row[k]) for k in keys)
        fault = self.faults.pick(faults, weight)
        if fault == "duplicate":
            s.write(row)
            again = dict(row)
            again[loaded_at] = row[loaded_at] + timedelta(minutes=int(self.faults.rng.integers(5, 2880)))
            s.write(again)
            self.faults.record(source, table, "duplicate", record_key)
        elif fault == "null_key":
            bad = dict(row)
            bad[keys[0]] = None
            s.write(bad)
            self.faults.record(source, table, "null_key", None)
        elif fault == "test_mode":
            bad = dict(row)
            bad["livemode"] = False
            s.write(bad)
            self.faults.record(source, table, "test_mode", record_key)
        else:
            s.write(row)
        return fault

    # money hand-off ------------------------------------------------------------------------------------
    def add_payment(self, payment: Payment) -> str:
        if payment.amount <= 0:
            raise ValueError("a payment's amount must be positive")
        payment.charge_id = self.next_id("ch", 10)
        self.payments.append(payment)
        return payment.charge_id

    def add_subscription(self, sub: Subscription) -> str:
        if sub.plan_code not in PLANS:
            raise ValueError(f"unknown plan {sub.plan_code!r}")
        sub.subscription_id = self.next_id("sub", 8)
        self.subscriptions.append(sub)
        return sub.subscription_id

    def close(self) -> dict[tuple[str, str], int]:
        counts = {}
        for key, s in sorted(self._sinks.items()):
            s.close()
            counts[key] = s.rows_written
        return counts


def to_datetime(value: Any) -> datetime:
    """numpy datetime64 / datetime to a naive UTC datetime (whole seconds)."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    return datetime.utcfromtimestamp(int(value.astype("datetime64[s]").astype("int64")))


def write_seeds_yaml(counts: dict[tuple[str, str], int], path: Path) -> None:
    """The seed configs for the CSV seeds: each lands in schema raw_<source> under its raw table name, with
    the loader's column types from the contract (dbt would otherwise guess them)."""
    seeds = []
    for (source, table), _ in sorted(counts.items()):
        raw = contract.table(source, table)
        seeds.append({
            "name": raw.seed_name,
            "description": f"Demo raw data: {source}.{table}, as a loader would land it (generated).",
            "config": {
                "schema": f"raw_{source}",
                "alias": table,
                "column_types": {c.name: c.data_type for c in raw.columns},
            },
        })
    header = "# Generated by `make demo-data` (python -m kpi_layer.generate); do not edit by hand.\n"
    path.write_text(header + yaml.safe_dump({"version": 2, "seeds": seeds}, sort_keys=False, width=120))


def dumps_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)
