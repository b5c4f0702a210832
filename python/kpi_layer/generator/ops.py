"""Ops (seeds 000, 002, 003): service health and support, as the app's log shipper and tools land them.

Tables, in the order they are decided:
- deployments: one row per deployment of a service; a few are rolled back, and a rolled-back deployment sometimes
  opens an incident.
- incidents: the on-call tool's incidents (sev1-sev3), from rolled-back deployments and from elsewhere (infra,
  third parties). Incident windows drive the rest: elevated 5xx and latency in the HTTP request log, failed uptime
  probes, slower page beacons and a burst of support tickets.
- http_requests: the HTTP request log of api / web / redirector (high volume: vectorised, chunked, streamed).
- uptime_probes: one synthetic probe per service per region every N minutes (N chosen per scale).
- web_vitals: LCP and TTI beacons of page views (vectorised).
- help_center_sessions: self-service knowledge-base sessions; some unresolved ones escalate to a ticket.
- support_tickets: the help desk's tickets, with first response, resolution and satisfaction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from .core import Context, to_datetime

SOURCE = "ops"
SERVICES = ["api", "web", "redirector", "worker"]
HTTP_SERVICES = ["api", "web", "redirector"]  # the services that serve HTTP (and are probed)
REGIONS = ["us-east-1", "eu-west-1"]
SEVERITIES = ["sev1", "sev2", "sev3"]
CHUNK_ROWS = 200_000

# Malformed timestamps as broken emitters write them: all unparseable on DuckDB and PostgreSQL.
MALFORMED_TIMESTAMPS = np.array(["not-a-timestamp", "2025-02-30 25:61:00", "31/12/2025 10:00", "undefined", "NaN",
                                 "1741000000"])
# Offsets some emitters write (minutes east of UTC, suffix); the local time is shifted so the instant is the same.
TZ_OFFSETS = [(120, "+02:00"), (-300, "-05:00"), (330, "+05:30"), (540, "+09:00")]


# ----------------------------------------------------------------------------------------------- helpers

def _iso(ts: datetime, rng: np.random.Generator) -> tuple[str, bool]:
    """ISO-8601 text; now and then written with a +02:00 offset (the same instant), as some emitters do."""
    if rng.random() < 0.05:
        return (ts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S+02:00"), True
    return ts.strftime("%Y-%m-%d %H:%M:%S"), False


def _minutes(m: float) -> timedelta:
    return timedelta(seconds=int(round(m * 60)))


def _ids(prefix: str, start: int, n: int, width: int = 10) -> np.ndarray:
    """Vectorised ids prefix_0000000001, ... (object array, so a null key can be set to None)."""
    nums = np.char.zfill(np.arange(start, start + n).astype(str), width)
    return np.char.add(f"{prefix}_", nums).astype(object)


def _day_chunks(counts: np.ndarray, chunk_rows: int = CHUNK_ROWS) -> list[tuple[int, int]]:
    """Consecutive day ranges [d0, d1) holding about chunk_rows rows each."""
    chunks, d0, acc = [], 0, 0
    for d, c in enumerate(counts):
        acc += int(c)
        if acc >= chunk_rows:
            chunks.append((d0, d + 1))
            d0, acc = d + 1, 0
    if d0 < len(counts):
        chunks.append((d0, len(counts)))
    return chunks


def _pick_faults(ctx: Context, rng: np.random.Generator, n: int, kinds: list[str],
                 weights: list[float] | None = None) -> np.ndarray:
    """One fault kind (or '') per row, at ctx.fault_rate: vectorised Faults.pick for the streams."""
    out = np.full(n, "", dtype=object)
    if ctx.fault_rate <= 0 or n == 0:
        return out
    hit = rng.random(n) < ctx.fault_rate
    p = np.ones(len(kinds)) if weights is None else np.asarray(weights, dtype=float)
    out[hit] = np.array(kinds, dtype=object)[rng.choice(len(kinds), size=int(hit.sum()), p=p / p.sum())]
    return out


def _format_ms(t_ms: np.ndarray) -> np.ndarray:
    """datetime64[ms] -> 'YYYY-MM-DDTHH:MM:SS.mmm' (UTC, no offset)."""
    return np.datetime_as_string(t_ms, unit="ms").astype(object)


@dataclass
class Window:
    """A period of trouble on one service: an incident, or a bad hour that never became one."""

    service: str
    start: datetime
    end: datetime
    severity: str  # sev1 | sev2 | sev3 | bad_hour


# How hard each kind of window hits: 5xx probability, latency multiplier, probe failure probability.
WINDOW_EFFECT = {
    "sev1": (0.30, 4.0, 0.90),
    "sev2": (0.12, 2.5, 0.60),
    "sev3": (0.04, 1.6, 0.25),
    "bad_hour": (0.03, 2.5, 0.05),
}


class Windows:
    """Per-service lookup of trouble windows for vectorised timestamps."""

    def __init__(self, windows: list[Window]):
        self.by_service: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        for service in SERVICES:
            ws = sorted((w for w in windows if w.service == service), key=lambda w: w.start)
            starts = np.array([np.datetime64(w.start, "ms") for w in ws], dtype="datetime64[ms]")
            ends = np.array([np.datetime64(w.end, "ms") for w in ws], dtype="datetime64[ms]")
            kinds = np.array([w.severity for w in ws], dtype=object)
            self.by_service[service] = (starts, ends, kinds)

    def lookup(self, services: np.ndarray, t_ms: np.ndarray) -> np.ndarray:
        """The window kind each (service, time) falls in, or '' (latest window started before t, if not ended)."""
        out = np.full(len(t_ms), "", dtype=object)
        for service, (starts, ends, kinds) in self.by_service.items():
            if len(starts) == 0:
                continue
            sel = np.nonzero(services == service)[0]
            if len(sel) == 0:
                continue
            i = np.searchsorted(starts, t_ms[sel], side="right") - 1
            ok = i >= 0
            inside = np.zeros(len(sel), dtype=bool)
            inside[ok] = t_ms[sel][ok] < ends[i[ok]]
            out[sel[inside]] = kinds[i[inside]]
        return out

    def effects(self, kinds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        p5xx = np.zeros(len(kinds))
        latency = np.ones(len(kinds))
        probe_fail = np.zeros(len(kinds))
        for kind, (e5, lat, pf) in WINDOW_EFFECT.items():
            m = kinds == kind
            p5xx[m], latency[m], probe_fail[m] = e5, lat, pf
        return p5xx, latency, probe_fail


def _product_users(ctx: Context) -> tuple[list[str], list[datetime]]:
    """The product's users (id, signed-up time), sorted by sign-up: ctx.shared['product_users'] when the product
    module published it (ids, or dicts / tuples with a time), else a pool of our own usr_ ids."""
    shared = ctx.shared.get("product_users")
    users: list[tuple[str, datetime]] = []
    if shared:
        items = shared.items() if isinstance(shared, dict) else shared
        for item in items:
            uid, at = item, None
            if isinstance(item, dict):
                uid = item.get("user_id") or item.get("id")
                at = item.get("created_at") or item.get("signed_up_at") or item.get("signup_at")
            elif isinstance(item, (tuple, list)):
                uid = item[0]
                at = item[1] if len(item) > 1 else None
                if isinstance(at, dict):
                    at = at.get("created_at") or at.get("signed_up_at")
            if uid is None:
                continue
            at = to_datetime(at) if isinstance(at, (datetime, np.datetime64)) else ctx.start
            users.append((str(uid), at))
    if not users:
        rng = ctx.rng(SOURCE, "users")
        n = max(20, ctx.volume("saas_users"))
        times = ctx.sample_times(rng, n)
        users = [(ctx.next_id("usr"), to_datetime(t)) for t in times]
    users.sort(key=lambda u: u[1])
    return [u[0] for u in users], [u[1] for u in users]


class UserPicker:
    """Picks a user who already existed at a given time (nothing happens before its parent exists)."""

    def __init__(self, ids: list[str], created: list[datetime], rng: np.random.Generator):
        self.ids = ids
        self.created = np.array([np.datetime64(c, "s") for c in created], dtype="datetime64[s]")
        self.rng = rng

    def pick(self, at: datetime) -> tuple[str, datetime]:
        k = int(np.searchsorted(self.created, np.datetime64(at, "s"), side="right"))
        if k == 0:  # nobody yet: the first user, and the event moves after their sign-up
            return self.ids[0], max(at, to_datetime(self.created[0]) + timedelta(minutes=5))
        # recent users are more active than old ones: skew towards the newer half
        i = int(k - 1 - math.floor(k * self.rng.random() ** 1.6))
        return self.ids[max(0, min(k - 1, i))], at


def _emit_versions(ctx: Context, table: str, row: dict[str, Any], earlier: dict[str, Any], key: str,
                   faults: tuple[str, ...] = ("duplicate", "null_key")) -> str | None:
    """Like ctx.emit, but a duplicate delivery is the EARLIER state of the row (an open incident or ticket that
    the loader landed before it was resolved): staging keeps the latest load, the earlier one is a duplicate."""
    s = ctx.sink(SOURCE, table)
    fault = ctx.faults.pick(faults)
    if fault == "duplicate":
        s.write(earlier)
        s.write(row)
        ctx.faults.record(SOURCE, table, "duplicate", row[key])
    elif fault == "null_key":
        s.write({**row, key: None})
        ctx.faults.record(SOURCE, table, "null_key", None)
    else:
        s.write(row)
    return fault


# ----------------------------------------------------------------------------------------------- deployments

@dataclass
class Deployment:
    deployment_id: str
    service: str
    deployed_at: datetime
    status: str
    rolled_back_at: datetime | None
    opens_incident: bool


def deployments(ctx: Context) -> list[Deployment]:
    """About two deployments a day; ~4% rolled back (half of those open an incident), ~2% failed."""
    rng = ctx.rng(SOURCE, "deployments")
    n = max(20, ctx.days * 2)
    out: list[Deployment] = []
    for ts in ctx.sample_times(rng, n):
        deployed_at = to_datetime(ts)
        deployment_id = ctx.next_id("dep")
        service = SERVICES[int(rng.integers(len(SERVICES)))]
        roll = rng.random()
        status = "rolled_back" if roll < 0.04 else ("failed" if roll < 0.06 else "succeeded")
        rolled_back_at = deployed_at + timedelta(minutes=int(rng.integers(12, 90))) if status == "rolled_back" else None
        opens_incident = status == "rolled_back" and rng.random() < 0.5
        text, with_offset = _iso(deployed_at, rng)
        row = {
            "deployment_id": deployment_id,
            "service": service,
            "environment": "production",
            "deployed_at": text,
            "status": status,
            "rolled_back_at": rolled_back_at.strftime("%Y-%m-%d %H:%M:%S") if rolled_back_at else None,
            "_loaded_at": deployed_at + timedelta(minutes=int(rng.integers(1, 30))),
        }
        out.append(Deployment(deployment_id, service, deployed_at, status, rolled_back_at, opens_incident))
        # An incident references this deployment: never make it unusable (null key / malformed), duplicates only.
        if not opens_incident and ctx.faults.roll(0.5):
            row["deployed_at"] = MALFORMED_TIMESTAMPS[int(rng.integers(len(MALFORMED_TIMESTAMPS)))]
            ctx.sink(SOURCE, "deployments").write(row)
            ctx.faults.record(SOURCE, "deployments", "malformed_value", deployment_id)
            continue
        faults = ("duplicate",) if opens_incident else ("duplicate", "null_key")
        fault = ctx.emit(SOURCE, "deployments", row, key="deployment_id", loaded_at="_loaded_at", faults=faults)
        if with_offset and fault is None:
            ctx.faults.record(SOURCE, "deployments", "tz_offset", deployment_id)
    return out


# ----------------------------------------------------------------------------------------------- incidents

def incidents(ctx: Context, deps: list[Deployment]) -> list[Window]:
    """Incidents from rolled-back deployments plus about one a week from elsewhere; MTTR about 30-90 minutes.
    Returns the trouble windows (incidents and bad hours that never became one) for the streams."""
    rng = ctx.rng(SOURCE, "incidents")
    planned: list[tuple[datetime, str, str, str | None, datetime | None]] = []  # start, service, severity, dep, fix
    for d in deps:
        if d.opens_incident:
            start = d.deployed_at + timedelta(minutes=int(rng.integers(2, 10)))
            sev = SEVERITIES[int(rng.choice(3, p=[0.25, 0.45, 0.30]))]
            planned.append((start, d.service, sev, d.deployment_id, d.rolled_back_at))
    n_other = max(4, round(ctx.days / 7))
    for ts in ctx.sample_times(rng, n_other):
        service = SERVICES[int(rng.choice(4, p=[0.4, 0.25, 0.25, 0.1]))]
        sev = SEVERITIES[int(rng.choice(3, p=[0.1, 0.3, 0.6]))]
        planned.append((to_datetime(ts), service, sev, None, None))
    planned.sort(key=lambda p: p[0])

    windows: list[Window] = []
    for start, service, sev, deployment_id, fix_at in planned:
        incident_id = ctx.next_id("inc")
        ack = start + _minutes({"sev1": 3, "sev2": 7, "sev3": 15}[sev] * rng.lognormal(0.0, 0.5))
        # time to recover: lognormal around 45 minutes (mean about an hour), longer for sev1
        ttr = {"sev1": 70.0, "sev2": 45.0, "sev3": 35.0}[sev] * rng.lognormal(0.0, 0.6)
        resolved = start + _minutes(max(ttr, 8.0))
        if fix_at is not None:  # recovered once the rollback landed
            resolved = max(resolved if rng.random() < 0.3 else fix_at + _minutes(rng.uniform(3, 25)),
                           fix_at + timedelta(minutes=2))
        ack = min(ack, resolved)
        windows.append(Window(service, start, resolved, sev))
        is_open = resolved >= ctx.end
        row = {
            "incident_id": incident_id,
            "service": service,
            "severity": sev,
            "status": "open" if is_open else "resolved",
            "started_at": start,
            "acknowledged_at": ack if ack < ctx.end else None,
            "resolved_at": None if is_open else resolved,
            "deployment_id": deployment_id,
            "_loaded_at": min(resolved, ctx.end) + timedelta(minutes=int(rng.integers(2, 20))),
        }
        earlier = {**row, "status": "open", "resolved_at": None,
                   "_loaded_at": min(ack + timedelta(minutes=1), row["_loaded_at"] - timedelta(minutes=1))}
        _emit_versions(ctx, "incidents", row, earlier, key="incident_id", faults=("duplicate",))

    # bad hours: latency spikes and error bursts that nobody declared an incident (about one a month a service)
    brng = ctx.rng(SOURCE, "bad_hours")
    for service in HTTP_SERVICES:
        for ts in ctx.sample_times(brng, max(2, round(ctx.days / 30))):
            start = to_datetime(ts).replace(minute=0, second=0)
            windows.append(Window(service, start, start + timedelta(hours=1), "bad_hour"))
    return windows


# ----------------------------------------------------------------------------------------------- http requests

# (service, method, route, weight within service, latency median ms, 4xx probability, 4xx code)
ROUTES = [
    ("api", "GET", "/api/bookings/:id", 14, 70, 0.03, 404),
    ("api", "GET", "/api/bookings", 10, 110, 0.01, 400),
    ("api", "POST", "/api/bookings", 5, 160, 0.04, 422),
    ("api", "GET", "/api/users/:id", 12, 55, 0.02, 404),
    ("api", "PATCH", "/api/users/:id", 3, 95, 0.03, 422),
    ("api", "POST", "/api/auth/login", 6, 140, 0.08, 401),
    ("api", "GET", "/api/tutors/search", 9, 180, 0.01, 400),
    ("api", "GET", "/api/routes/:id/stats", 7, 120, 0.02, 403),
    ("api", "PUT", "/api/workflows/:id", 3, 130, 0.03, 409),
    ("api", "DELETE", "/api/workflows/:id", 1, 90, 0.04, 404),
    ("api", "POST", "/api/webhooks/stripe", 3, 85, 0.01, 400),
    ("api", "GET", "/api/health", 4, 8, 0.0, 404),
    ("web", "GET", "/", 14, 60, 0.005, 404),
    ("web", "GET", "/pricing", 5, 55, 0.005, 404),
    ("web", "GET", "/dashboard", 9, 120, 0.04, 401),
    ("web", "GET", "/tutors/:id", 8, 90, 0.03, 404),
    ("web", "GET", "/shop/products/:slug", 10, 85, 0.03, 404),
    ("web", "POST", "/checkout", 2, 240, 0.03, 422),
    ("web", "GET", "/static/:asset", 12, 12, 0.01, 404),
    ("redirector", "GET", "/r/:slug", 1, 25, 0.02, 404),
]
SERVICE_SHARE = {"api": 0.5, "web": 0.3, "redirector": 0.2}
BASE_5XX = {"api": 0.006, "web": 0.004, "redirector": 0.0005}
USER_AGENTS = [
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36", 24),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", 12),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", 18),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36", 14),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0", 5),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0", 6),
    ("KpiApp/3.4.1 (iOS 17.5; iPhone15,2)", 8),
    ("KpiApp/3.4.1 (Android 14; Pixel 8)", 6),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 3),
    ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", 1),
    ("curl/8.5.0", 1),
    ("python-requests/2.32.3", 1),
    ("Stripe/1.0 (+https://stripe.com/docs/webhooks)", 1),
]


def _route_table() -> tuple[np.ndarray, ...]:
    services = np.array([r[0] for r in ROUTES], dtype=object)
    weight = np.array([r[3] for r in ROUTES], dtype=float)
    for s, share in SERVICE_SHARE.items():
        m = services == s
        weight[m] = weight[m] / weight[m].sum() * share
    return (services, np.array([r[1] for r in ROUTES], dtype=object), np.array([r[2] for r in ROUTES], dtype=object),
            weight / weight.sum(), np.array([r[4] for r in ROUTES], dtype=float),
            np.array([r[5] for r in ROUTES], dtype=float), np.array([r[6] for r in ROUTES]))


def _ip_pool(rng: np.random.Generator, n: int) -> np.ndarray:
    octets = rng.integers(1, 255, size=(n, 4))
    octets[:, 0] = rng.choice([23, 31, 45, 62, 77, 81, 86, 92, 104, 109, 151, 172, 185, 203, 212], size=n)
    return np.array([f"{a}.{b}.{c}.{d}" for a, b, c, d in octets], dtype=object)


def http_requests(ctx: Context, windows: Windows) -> None:
    """The HTTP request log: vectorised per chunk of days, streamed with write_columns."""
    rng = ctx.rng(SOURCE, "http_requests")
    frng = ctx.rng(SOURCE, "http_requests", "faults")
    sink = ctx.sink(SOURCE, "http_requests")
    n_total = ctx.volume("http_requests")
    r_service, r_method, r_route, r_weight, r_median, r_p4xx, r_4xx = _route_table()
    ips = _ip_pool(rng, max(50, n_total // 15))
    ua = np.array([u[0] for u in USER_AGENTS], dtype=object)
    ua_p = np.array([u[1] for u in USER_AGENTS], dtype=float)
    ua_p /= ua_p.sum()
    base_5xx = np.vectorize(BASE_5XX.get, otypes=[float])
    counts = rng.multinomial(n_total, ctx.day_weights())
    next_id = 1
    for d0, d1 in _day_chunks(counts):
        k = int(counts[d0:d1].sum())
        if k == 0:
            continue
        t = ctx.sample_times(rng, k, ctx.start + timedelta(days=d0), ctx.start + timedelta(days=d1))
        t_ms = t.astype("datetime64[ms]") + rng.integers(0, 1000, k).astype("timedelta64[ms]")
        ridx = rng.choice(len(ROUTES), size=k, p=r_weight)
        service, method = r_service[ridx], r_method[ridx]
        kinds = windows.lookup(service, t_ms)
        w5xx, wlat, _ = windows.effects(kinds)
        p5xx = np.maximum(base_5xx(service), w5xx)

        # status: 5xx, else 4xx, else the route's success code
        u = rng.random(k)
        status = np.where(method == "POST", np.where(rng.random(k) < 0.7, 201, 200), 200)
        status = np.where(method == "DELETE", 204, status)
        status = np.where(service == "redirector", 302, status)
        status = np.where((method == "GET") & (service == "web") & (rng.random(k) < 0.06), 304, status)
        is4 = u < p5xx + r_p4xx[ridx]
        status = np.where(is4, np.where(rng.random(k) < 0.1, 429, r_4xx[ridx]), status)
        is5 = u < p5xx
        code5 = rng.choice([500, 502, 503, 504], size=k, p=[0.5, 0.2, 0.2, 0.1])
        status = np.where(is5, code5, status)

        # latency: lognormal around the route's median, worse in trouble windows; 503 fail fast, 504 time out
        latency = r_median[ridx] * wlat * rng.lognormal(0.0, 0.95, k)
        latency = np.where(is4 & ~is5, latency * 0.4, latency)
        latency = np.where(status == 503, rng.uniform(2, 20, k), latency)
        latency = np.where(status == 504, 30_000 + rng.uniform(0, 50, k), latency)
        latency = np.round(np.maximum(latency, 1.0), 3)

        request_id = _ids("req", next_id, k)
        next_id += k
        requested_at = _format_ms(t_ms)
        loaded = t.astype("datetime64[s]") + rng.integers(30, 1200, k).astype("timedelta64[s]")
        ip = ips[np.minimum(len(ips) - 1, (len(ips) * rng.random(k) ** 2.5).astype(int))]
        agent = ua[rng.choice(len(ua), size=k, p=ua_p)]

        fault = _pick_faults(ctx, frng, k, ["duplicate", "null_key", "malformed_value", "tz_offset", "late_event"],
                             [1, 1, 1, 1.5, 1.5])
        m = fault == "tz_offset"
        if m.any():
            which = frng.integers(len(TZ_OFFSETS), size=int(m.sum()))
            local = np.empty(int(m.sum()), dtype=object)
            for j, (minutes, suffix) in enumerate(TZ_OFFSETS):
                sel = which == j
                shifted = t_ms[m][sel] + np.timedelta64(minutes, "m")
                local[sel] = np.char.add(np.datetime_as_string(shifted, unit="ms"), suffix)
            requested_at[m] = local
        m = fault == "malformed_value"
        requested_at[m] = MALFORMED_TIMESTAMPS[frng.integers(len(MALFORMED_TIMESTAMPS), size=int(m.sum()))]
        m = fault == "late_event"  # the shipper was down: landed one to six days later
        loaded[m] = t[m] + frng.integers(86_400, 6 * 86_400, int(m.sum())).astype("timedelta64[s]")
        for kind in ("tz_offset", "malformed_value", "late_event", "duplicate"):
            ctx.faults.record_many(SOURCE, "http_requests", kind, request_id[fault == kind])
        m = fault == "null_key"
        ctx.faults.record_many(SOURCE, "http_requests", "null_key", [None] * int(m.sum()))
        request_id[m] = None

        cols = {
            "request_id": request_id, "service": service, "method": method, "route": r_route[ridx],
            "status_code": status.astype(np.int64), "latency_ms": latency, "requested_at": requested_at,
            "ip_address": ip, "user_agent": agent, "_loaded_at": loaded,
        }
        # duplicates: the same request shipped again, a few minutes to two days later
        dup = np.nonzero(fault == "duplicate")[0]
        if len(dup):
            again = {c: v[dup] for c, v in cols.items()}
            again["_loaded_at"] = loaded[dup] + frng.integers(300, 172_800, len(dup)).astype("timedelta64[s]")
            cols = {c: np.concatenate([v, again[c]]) for c, v in cols.items()}
        # written in load order, so not in request order (and the late ones at the end of their chunk)
        order = np.argsort(cols["_loaded_at"], kind="stable")
        sink.write_columns({c: v[order] for c, v in cols.items()})


# ----------------------------------------------------------------------------------------------- uptime probes

PROBE_INTERVALS = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440]  # minutes


def probe_interval_minutes(ctx: Context) -> int:
    """The finest probe interval that keeps probes at or under 60% of the request log: every 5 minutes at
    scale l, hourly at s, daily at demo (so the committed demo stays small)."""
    series = len(HTTP_SERVICES) * len(REGIONS)
    budget = 0.6 * ctx.volume("http_requests")
    for minutes in PROBE_INTERVALS:
        if series * ctx.days * 1440 / minutes <= budget:
            return minutes
    return PROBE_INTERVALS[-1]


def uptime_probes(ctx: Context, windows: Windows) -> None:
    """One probe per service per region every N minutes; failures cluster in incidents, plus rare blips."""
    rng = ctx.rng(SOURCE, "uptime_probes")
    frng = ctx.rng(SOURCE, "uptime_probes", "faults")
    sink = ctx.sink(SOURCE, "uptime_probes")
    interval = probe_interval_minutes(ctx)
    per_series = ctx.days * 1440 // interval
    series = [(s, r) for s in HTTP_SERVICES for r in REGIONS]
    phase = {sr: int(rng.integers(0, interval * 60)) for sr in series}  # each check has its own schedule
    base_ms = {"us-east-1": 70.0, "eu-west-1": 95.0}
    steps_per_chunk = max(1, CHUNK_ROWS // len(series))
    next_id = 1
    for s0 in range(0, per_series, steps_per_chunk):
        steps = np.arange(s0, min(per_series, s0 + steps_per_chunk))
        parts = []
        for service, region in series:
            secs = steps * interval * 60 + phase[(service, region)] + rng.integers(0, 5, len(steps))
            parts.append((service, region, np.datetime64(ctx.start, "s") + secs.astype("timedelta64[s]")))
        service = np.concatenate([np.full(len(p[2]), p[0], dtype=object) for p in parts])
        region = np.concatenate([np.full(len(p[2]), p[1], dtype=object) for p in parts])
        t = np.concatenate([p[2] for p in parts])
        order = np.argsort(t, kind="stable")
        service, region, t = service[order], region[order], t[order]
        k = len(t)
        _, _, p_fail = windows.effects(windows.lookup(service, t.astype("datetime64[ms]")))
        failed = rng.random(k) < np.maximum(p_fail, 0.0005)
        ms = np.vectorize(base_ms.get, otypes=[float])(region) * rng.lognormal(0.0, 0.35, k)
        timed_out = failed & (rng.random(k) < 0.7)  # a timeout has no response time; an error response has one
        response_ms = np.where(timed_out, np.nan, np.where(failed, ms * 3, ms)).round(1).astype(object)
        response_ms[timed_out] = None

        probe_id = _ids("prb", next_id, k)
        next_id += k
        loaded = t + rng.integers(60, 300, k).astype("timedelta64[s]")
        fault = _pick_faults(ctx, frng, k, ["duplicate", "null_key"])
        ctx.faults.record_many(SOURCE, "uptime_probes", "duplicate", probe_id[fault == "duplicate"])
        m = fault == "null_key"
        ctx.faults.record_many(SOURCE, "uptime_probes", "null_key", [None] * int(m.sum()))
        probe_id[m] = None
        cols = {"probe_id": probe_id, "service": service, "region": region, "probed_at": t,
                "is_success": ~failed, "response_ms": response_ms, "_loaded_at": loaded}
        dup = np.nonzero(fault == "duplicate")[0]
        if len(dup):
            again = {c: v[dup] for c, v in cols.items()}
            again["_loaded_at"] = loaded[dup] + frng.integers(300, 7200, len(dup)).astype("timedelta64[s]")
            cols = {c: np.concatenate([v, again[c]]) for c, v in cols.items()}
        sink.write_columns(cols)


# ----------------------------------------------------------------------------------------------- web vitals

PAGES = [("/", 20), ("/pricing", 6), ("/dashboard", 14), ("/tutors/:id", 12), ("/shop/products/:slug", 14),
         ("/checkout", 4), ("/search", 10), ("/help/articles/:id", 5)]
DEVICES = [("desktop", 0.55), ("mobile", 0.40), ("tablet", 0.05)]
# median milliseconds per device: LCP, TTI (p75 ends near 2.2 / 3.0 s on desktop, 3.1 / 4.3 s on mobile)
VITALS_MEDIAN = {"desktop": (1600.0, 2200.0), "mobile": (2300.0, 3200.0), "tablet": (2000.0, 2800.0)}


def web_vitals(ctx: Context, windows: Windows) -> None:
    """Page-performance beacons: each page view sends LCP and (nine times in ten) TTI; vectorised."""
    rng = ctx.rng(SOURCE, "web_vitals")
    frng = ctx.rng(SOURCE, "web_vitals", "faults")
    sink = ctx.sink(SOURCE, "web_vitals")
    n_views = max(50, ctx.volume("http_requests") // 16)
    pages = np.array([p[0] for p in PAGES], dtype=object)
    page_p = np.array([p[1] for p in PAGES], dtype=float)
    page_p /= page_p.sum()
    devices = np.array([d[0] for d in DEVICES], dtype=object)
    counts = rng.multinomial(n_views, ctx.day_weights())
    next_id = 1
    for d0, d1 in _day_chunks(counts, CHUNK_ROWS // 2):
        k = int(counts[d0:d1].sum())
        if k == 0:
            continue
        t = ctx.sample_times(rng, k, ctx.start + timedelta(days=d0), ctx.start + timedelta(days=d1))
        page = pages[rng.choice(len(pages), size=k, p=page_p)]
        device = devices[rng.choice(len(devices), size=k, p=[d[1] for d in DEVICES])]
        _, slow, _ = windows.effects(windows.lookup(np.full(k, "web", dtype=object), t.astype("datetime64[ms]")))
        slow = 1.0 + (slow - 1.0) * 0.4  # page loads suffer less than the API in a bad window
        lcp_med = np.vectorize(lambda d: VITALS_MEDIAN[d][0], otypes=[float])(device)
        tti_med = np.vectorize(lambda d: VITALS_MEDIAN[d][1], otypes=[float])(device)
        lcp = lcp_med * slow * rng.lognormal(0.0, 0.45, k)
        tti = np.maximum(lcp * 1.05, tti_med * slow * rng.lognormal(0.0, 0.45, k))
        has_tti = rng.random(k) < 0.9
        # one beacon per metric: LCP when the page settles, TTI a little later
        lcp_at = t + rng.integers(1, 5, k).astype("timedelta64[s]")
        tti_at = t + rng.integers(3, 9, k).astype("timedelta64[s]")
        metric = np.concatenate([np.full(k, "LCP", dtype=object), np.full(int(has_tti.sum()), "TTI", dtype=object)])
        value = np.round(np.concatenate([lcp, tti[has_tti]]), 1)
        recorded = np.concatenate([lcp_at, tti_at[has_tti]])
        page_all = np.concatenate([page, page[has_tti]])
        device_all = np.concatenate([device, device[has_tti]])
        order = np.argsort(recorded, kind="stable")
        metric, value, recorded, page_all, device_all = (a[order] for a in (metric, value, recorded, page_all,
                                                                            device_all))
        n = len(recorded)
        beacon_id = _ids("bcn", next_id, n)
        next_id += n
        loaded = recorded + rng.integers(20, 900, n).astype("timedelta64[s]")
        fault = _pick_faults(ctx, frng, n, ["duplicate", "null_key"])
        ctx.faults.record_many(SOURCE, "web_vitals", "duplicate", beacon_id[fault == "duplicate"])
        m = fault == "null_key"
        ctx.faults.record_many(SOURCE, "web_vitals", "null_key", [None] * int(m.sum()))
        beacon_id[m] = None
        cols = {"beacon_id": beacon_id, "page": page_all, "metric_name": metric, "value_ms": value,
                "device": device_all, "recorded_at": recorded, "_loaded_at": loaded}
        dup = np.nonzero(fault == "duplicate")[0]
        if len(dup):
            again = {c: v[dup] for c, v in cols.items()}
            again["_loaded_at"] = loaded[dup] + frng.integers(300, 86_400, len(dup)).astype("timedelta64[s]")
            cols = {c: np.concatenate([v, again[c]]) for c, v in cols.items()}
        sink.write_columns(cols)


# ----------------------------------------------------------------------------------------------- support

N_ARTICLES = 120


def help_center_sessions(ctx: Context, users: UserPicker) -> list[tuple[str, datetime]]:
    """Knowledge-base sessions (about one per product user over the period); ~70% answer the query. Returns the
    unresolved sessions of signed-in users that escalate to a ticket: (user_id, when)."""
    rng = ctx.rng(SOURCE, "help_center_sessions")
    n = max(30, ctx.volume("saas_users"))
    escalations: list[tuple[str, datetime]] = []
    for ts in ctx.sample_times(rng, n):
        started = to_datetime(ts)
        user_id = None
        if rng.random() < 0.8:  # most readers are signed in
            user_id, started = users.pick(started)
        article = int(min(N_ARTICLES, 1 + math.floor(N_ARTICLES * rng.random() ** 2.2)))  # a few articles dominate
        resolved = bool(rng.random() < 0.72)
        row = {
            "session_id": ctx.next_id("hcs"),
            "user_id": user_id,
            "started_at": started,
            "article_id": f"kb_{article:04d}",
            "resolved_query": resolved,
            "_loaded_at": started + timedelta(minutes=int(rng.integers(5, 90))),
        }
        ctx.emit(SOURCE, "help_center_sessions", row, key="session_id", loaded_at="_loaded_at")
        if not resolved and user_id is not None and rng.random() < 0.5:
            escalations.append((user_id, started + timedelta(minutes=int(rng.integers(2, 45)))))
    return escalations


CHANNELS = ["email", "chat", "phone"]
PRIORITIES = ["low", "normal", "high", "urgent"]
FIRST_CONTACT_RESOLUTION = {"email": 0.70, "chat": 0.85, "phone": 0.90}


def support_tickets(ctx: Context, users: UserPicker, escalations: list[tuple[str, datetime]],
                    windows: list[Window]) -> None:
    """Help-desk tickets: direct ones, escalations from unresolved help-center sessions and a burst after each
    customer-facing sev1/sev2 incident. State is as of the end of the period (open, solved, closed)."""
    rng = ctx.rng(SOURCE, "support_tickets")
    users_scale = max(1.0, ctx.volume("saas_users") / 500)
    planned: list[tuple[datetime, str | None, str | None, bool]] = []  # created, user, channel, incident-related
    for ts in ctx.sample_times(rng, max(20, round(ctx.volume("saas_users") * 0.35))):
        planned.append((to_datetime(ts), None, None, False))
    for user_id, at in escalations:
        if at < ctx.end:
            planned.append((at, user_id, "email" if rng.random() < 0.6 else "chat", False))
    for w in windows:
        if w.severity in ("sev1", "sev2") and w.service in ("api", "web"):
            for _ in range(int(rng.poisson((3.0 if w.severity == "sev1" else 1.0) * users_scale))):
                at = w.start + _minutes(rng.uniform(5, 90))
                if at < ctx.end:
                    planned.append((at, None, None, True))
    planned.sort(key=lambda p: p[0])

    for created, user_id, channel, incident_related in planned:
        if user_id is None:
            user_id, created = users.pick(created)
        if created >= ctx.end:
            continue
        channel = channel or CHANNELS[int(rng.choice(3, p=[0.5, 0.35, 0.15]))]
        priority = PRIORITIES[int(rng.choice(4, p=[0.05, 0.25, 0.45, 0.25] if incident_related
                                             else [0.25, 0.5, 0.2, 0.05]))]
        speed = 0.5 if priority == "urgent" else (0.8 if priority == "high" else 1.0)
        first_delay = {"phone": rng.uniform(0.2, 3.0), "chat": 4.0 * rng.lognormal(0.0, 0.8),
                       "email": 70.0 * rng.lognormal(0.0, 0.9)}[channel] * speed
        first_response = created + _minutes(first_delay)
        fcr = bool(rng.random() < FIRST_CONTACT_RESOLUTION[channel] * (0.8 if incident_related else 1.0))
        resolved = first_response + (_minutes(rng.uniform(0, 10)) if fcr
                                     else _minutes(300.0 * rng.lognormal(0.0, 1.0) * speed))
        score = None
        if rng.random() < 0.35:  # the post-support survey, answered by about a third
            p = [0.01, 0.02, 0.05, 0.20, 0.72] if fcr else [0.04, 0.06, 0.15, 0.35, 0.40]
            score = int(rng.choice(5, p=p)) + 1
        if resolved >= ctx.end:
            status, resolved_at, fcr_flag, score = "open", None, None, None
            last_change = first_response if first_response < ctx.end else created
        else:
            closed = resolved + timedelta(days=4) < ctx.end  # solved tickets close automatically after 4 days
            status, resolved_at, fcr_flag = ("closed" if closed else "solved"), resolved, fcr
            last_change = resolved + timedelta(days=4) if closed else resolved
        ticket_id = ctx.next_id("tkt")
        first_loaded = created + timedelta(minutes=int(rng.integers(2, 10)))
        row = {
            "ticket_id": ticket_id,
            "user_id": user_id,
            "channel": channel,
            "priority": priority,
            "status": status,
            "created_at": created,
            "first_response_at": first_response if first_response < ctx.end else None,
            "resolved_at": resolved_at,
            "resolved_at_first_contact": fcr_flag,
            "satisfaction_score": score,
            "_loaded_at": max(last_change + timedelta(minutes=int(rng.integers(5, 60))),
                              first_loaded + timedelta(minutes=1)),
        }
        earlier = {**row, "status": "open", "first_response_at": None, "resolved_at": None,
                   "resolved_at_first_contact": None, "satisfaction_score": None, "_loaded_at": first_loaded}
        _emit_versions(ctx, "support_tickets", row, earlier, key="ticket_id")


# ----------------------------------------------------------------------------------------------- entry point

def generate(ctx: Context) -> None:
    deps = deployments(ctx)
    trouble = incidents(ctx, deps)
    windows = Windows(trouble)
    http_requests(ctx, windows)
    uptime_probes(ctx, windows)
    web_vitals(ctx, windows)
    ids, created = _product_users(ctx)
    users = UserPicker(ids, created, ctx.rng(SOURCE, "user_picker"))
    escalations = help_center_sessions(ctx, users)
    support_tickets(ctx, users, escalations, trouble)
