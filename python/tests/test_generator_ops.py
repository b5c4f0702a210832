"""The ops generator: deterministic, coherent, and every injected fault is in the manifest."""

import csv
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kpi_layer.generator import generate
from kpi_layer.generator import ops
from kpi_layer.generator.core import Context

TABLES = ["deployments", "incidents", "http_requests", "uptime_probes", "web_vitals", "help_center_sessions",
          "support_tickets"]
KEYS = {"deployments": "deployment_id", "incidents": "incident_id", "http_requests": "request_id",
        "uptime_probes": "probe_id", "web_vitals": "beacon_id", "help_center_sessions": "session_id",
        "support_tickets": "ticket_id"}


def _rows(out: Path, table: str) -> list[dict]:
    with open(out / "ops" / f"ops__{table}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _manifest(out: Path) -> list[dict]:
    with open(out / "_fault_manifest.tsv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    out = tmp_path_factory.mktemp("ops_tiny")
    generate("tiny", seed=7, out_dir=out, domains=("ops",))
    return out


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """A high fault rate, so that every fault kind shows up even at scale tiny."""
    out = tmp_path_factory.mktemp("ops_faulty")
    generate("tiny", seed=11, fault_rate=0.25, out_dir=out, domains=("ops",))
    return out


def test_deterministic(tiny, tmp_path):
    generate("tiny", seed=7, out_dir=tmp_path, domains=("ops",))
    for table in TABLES:
        name = f"ops/ops__{table}.csv"
        assert (tiny / name).read_bytes() == (tmp_path / name).read_bytes(), table
    assert (tiny / "_fault_manifest.tsv").read_bytes() == (tmp_path / "_fault_manifest.tsv").read_bytes()


def test_every_table_written(tiny):
    for table in TABLES:
        assert _rows(tiny, table), table


def test_incidents_reference_rolled_back_deployments(faulty):
    deployments = {}
    for r in _rows(faulty, "deployments"):
        if r["deployment_id"]:
            deployments.setdefault(r["deployment_id"], []).append(r)
    linked = [r for r in _rows(faulty, "incidents") if r["deployment_id"]]
    assert linked, "no incident came from a deployment"
    for inc in linked:
        versions = deployments[inc["deployment_id"]]  # the parent exists with its key
        dep = versions[-1]
        assert dep["status"] == "rolled_back"
        assert dep["deployed_at"] not in ops.MALFORMED_TIMESTAMPS  # never made unusable
        assert _ts(inc["started_at"]) >= _ts(dep["_loaded_at"]) - timedelta(minutes=30)
        assert _ts(inc["resolved_at"] or "9999-01-01") > _ts(dep["rolled_back_at"])


def test_incident_and_ticket_timelines(tiny):
    for r in _rows(tiny, "incidents"):
        start = _ts(r["started_at"])
        if r["acknowledged_at"]:
            assert _ts(r["acknowledged_at"]) >= start
        if r["status"] == "resolved":
            assert _ts(r["resolved_at"]) >= start
        else:
            assert r["resolved_at"] == ""
    tickets = _rows(tiny, "support_tickets")
    assert {t["status"] for t in tickets} <= {"open", "solved", "closed"}
    for t in tickets:
        created = _ts(t["created_at"])
        assert t["user_id"]
        if t["first_response_at"]:
            assert _ts(t["first_response_at"]) >= created
        if t["resolved_at"]:
            assert _ts(t["resolved_at"]) >= _ts(t["first_response_at"])
        assert (t["status"] == "open") == (t["resolved_at"] == "")
        if t["satisfaction_score"]:
            assert 1 <= int(t["satisfaction_score"]) <= 5


def test_request_log_shape(tiny):
    rows = [r for r in _rows(tiny, "http_requests") if r["request_id"]]
    assert {r["service"] for r in rows} <= set(ops.HTTP_SERVICES)
    latency = sorted(float(r["latency_ms"]) for r in rows)
    assert all(v > 0 for v in latency)
    p50, p95 = latency[len(latency) // 2], latency[int(len(latency) * 0.95)]
    assert 40 <= p50 <= 110 and 200 <= p95 <= 800
    share_5xx = sum(int(r["status_code"]) >= 500 for r in rows) / len(rows)
    assert 0.001 <= share_5xx <= 0.03


def test_product_users_are_used_and_exist_first(tmp_path):
    ctx = Context("tiny", 3, 0.0, tmp_path, "csv")
    users = [{"user_id": f"usr_{i:08d}", "created_at": ctx.start + timedelta(days=i % 100)} for i in range(1, 80)]
    ctx.shared["product_users"] = users
    ops.generate(ctx)
    ctx.close()
    signed_up = {u["user_id"]: u["created_at"] for u in users}
    for table, at in (("support_tickets", "created_at"), ("help_center_sessions", "started_at")):
        rows = [r for r in _rows(tmp_path, table) if r["user_id"]]
        assert rows
        for r in rows:
            assert r["user_id"] in signed_up
            assert _ts(r[at]) >= signed_up[r["user_id"]]


def test_every_fault_kind_is_in_the_manifest(faulty):
    kinds = Counter((r["table"], r["fault"]) for r in _manifest(faulty))
    expected = {("http_requests", k) for k in ("duplicate", "null_key", "malformed_value", "tz_offset", "late_event")}
    expected |= {("deployments", k) for k in ("duplicate", "null_key", "malformed_value", "tz_offset")}
    expected |= {(t, "duplicate") for t in TABLES}
    expected |= {(t, "null_key") for t in ("uptime_probes", "web_vitals", "help_center_sessions", "support_tickets")}
    assert expected <= set(kinds), expected - set(kinds)


def test_manifest_matches_the_data(faulty):
    manifest = _manifest(faulty)
    for table in TABLES:
        rows = _rows(faulty, table)
        key = KEYS[table]
        recorded = Counter(r["fault"] for r in manifest if r["table"] == table)
        assert recorded["null_key"] == sum(1 for r in rows if not r[key]), table
        deliveries = Counter(r[key] for r in rows if r[key])
        assert recorded["duplicate"] == sum(n - 1 for n in deliveries.values()), table
    # a duplicate's older delivery loads first; staging keeps the later one
    tickets = {}
    for r in _rows(faulty, "support_tickets"):
        tickets.setdefault(r["ticket_id"], []).append(r)
    for versions in tickets.values():
        if len(versions) == 2:
            assert versions[0]["_loaded_at"] < versions[1]["_loaded_at"]


def test_tz_offset_is_the_same_instant_and_late_events_are_late(faulty):
    faults = {(r["table"], r["record_key"]): r["fault"] for r in _manifest(faulty)}
    seen = Counter()
    for r in _rows(faulty, "http_requests"):
        kind = faults.get(("http_requests", r["request_id"]))
        if kind not in ("tz_offset", "late_event"):
            continue
        at = datetime.fromisoformat(r["requested_at"])
        if at.tzinfo is not None:
            at = (at - at.utcoffset()).replace(tzinfo=None)
        lag = _ts(r["_loaded_at"]) - at
        if kind == "tz_offset":
            assert r["requested_at"][-6] in "+-"
            assert timedelta(seconds=0) < lag < timedelta(minutes=21)
        else:
            assert lag >= timedelta(days=1)
        seen[kind] += 1
    assert seen["tz_offset"] and seen["late_event"]


def test_probe_interval_scales():
    assert ops.probe_interval_minutes(Context("demo", 1, 0.0, Path("/tmp"), "csv")) == 1440
    assert ops.probe_interval_minutes(Context("l", 1, 0.0, Path("/tmp"), "csv")) == 5
