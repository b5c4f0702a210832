"""The product generator (seeds 003, 004): deterministic, coherent, every fault labelled, subscriptions handed to
Stripe. Scales tiny and demo, a few seconds."""

import csv
import json
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kpi_layer.generator import generate
from kpi_layer.generator import product
from kpi_layer.generator.core import PLANS, Context

TABLES = ("users", "product_events", "workflows", "workflow_runs", "integrations", "conversations",
          "survey_responses")


def _read(out: Path, table: str) -> list[dict]:
    with open(out / "product" / f"product__{table}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _ts(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One demo-scale run with a high fault rate, so every fault kind shows up even in the survey table; the
    context is kept for the Stripe checks."""
    out = tmp_path_factory.mktemp("product")
    ctx = Context("demo", 7, 0.05, out, "csv")
    product.generate(ctx)
    ctx.close()
    ctx.faults.write_manifest(out / "_fault_manifest.tsv")
    tables = {t: _read(out, t) for t in TABLES}
    return ctx, tables


def test_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    generate("tiny", 42, 0.01, a, domains=("product",))
    generate("tiny", 42, 0.01, b, domains=("product",))
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert any(str(p).endswith("product__product_events.csv") for p in files)
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_children_reference_parents_and_come_after_them(run):
    _, t = run
    users = {u["user_id"]: u for u in t["users"]}
    workflows = {w["workflow_id"]: w for w in t["workflows"]}
    for w in t["workflows"]:
        u = users[w["user_id"]]
        assert u["user_type"] == "member" and _ts(w["created_at"]) >= _ts(u["signed_up_at"])
    for i in t["integrations"]:
        assert users[i["user_id"]]["user_type"] == "member"
        if i["status"] == "disconnected":
            assert _ts(i["disconnected_at"]) > _ts(i["connected_at"])
    for r in t["workflow_runs"]:
        w = workflows[r["workflow_id"]]
        assert _ts(r["started_at"]) >= _ts(w["created_at"]) and _ts(r["finished_at"]) >= _ts(r["started_at"])
    for c in t["conversations"]:
        creator, end_user = users[c["creator_id"]], users[c["end_user_id"]]
        assert creator["user_type"] == "creator" and end_user["user_type"] == "end_user"
        assert _ts(c["started_at"]) >= _ts(end_user["signed_up_at"]) >= _ts(creator["signed_up_at"])
        assert _ts(c["ended_at"]) >= _ts(c["started_at"]) and int(c["message_count"]) >= 1
    for s in t["survey_responses"]:
        assert _ts(s["sent_at"]) >= _ts(users[s["user_id"]]["signed_up_at"])
    for e in t["product_events"]:
        u = users[e["user_id"]]
        assert int(e["timestamp"]) >= (_ts(u["signed_up_at"]) - datetime(1970, 1, 1)).total_seconds()


def test_telemetry_only_from_consenting_users_except_labelled_leaks(run):
    ctx, t = run
    consent = {u["user_id"]: u["telemetry_consent"] == "true" for u in t["users"]}
    leaked = {key for (_, table, fault, key, _) in ctx.faults.records if fault == "no_consent"}
    assert leaked
    for e in t["product_events"]:
        assert consent[e["user_id"]] == (e["event_id"] not in leaked)
    # workflow runs and conversations are app tables: every user, consenting or not
    owners = {w["workflow_id"]: w["user_id"] for w in t["workflows"]}
    assert any(not consent[owners[r["workflow_id"]]] for r in t["workflow_runs"])


def test_subscriptions_registered_for_paid_users(run):
    ctx, t = run
    users = {u["user_id"]: u for u in t["users"]}
    subs = ctx.subscriptions
    assert subs and all(s.subscription_id.startswith("sub_") for s in subs)
    by_user = Counter(s.customer_ref for s in subs)
    for s in subs:
        u = users[s.customer_ref]
        assert u["user_type"] in ("creator", "member") and s.domain == "product"
        line = "creator" if u["user_type"] == "creator" else "automation"
        assert PLANS[s.plan_code].product_line == line
        assert all(PLANS[c.plan_code].product_line == line for c in s.changes)
        assert s.start_at >= _ts(u["signed_up_at"]) and s.customer_country == u["country"]
        if s.cancelled_at is not None:
            assert s.cancelled_at > s.start_at
            assert all(s.start_at < c.at < s.cancelled_at for c in s.changes)
    for u in t["users"]:
        if u["plan_at_signup"] != "free":
            assert u["plan_at_signup"] in PLANS and by_user[u["user_id"]] >= 1
    # a user's subscriptions never overlap: a reactivation starts after the previous one was cancelled
    for user_id, n in by_user.items():
        mine = sorted((s for s in subs if s.customer_ref == user_id), key=lambda s: s.start_at)
        for a, b in zip(mine, mine[1:]):
            assert a.cancelled_at is not None and b.start_at > a.cancelled_at
    # user.convert / user.churn telemetry: one event per subscription start / cancellation of a consenting user
    consenting = {u["user_id"] for u in t["users"] if u["telemetry_consent"] == "true"}
    epoch = datetime(1970, 1, 1)

    def events(kind):
        return {(e["user_id"], int(e["timestamp"])) for e in t["product_events"] if e["event_type"] == kind}

    assert events("user.convert") == {(s.customer_ref, int((s.start_at - epoch).total_seconds()))
                                      for s in subs if s.customer_ref in consenting}
    assert events("user.churn") == {(s.customer_ref, int((s.cancelled_at - epoch).total_seconds()))
                                    for s in subs if s.customer_ref in consenting and s.cancelled_at}
    assert 0.1 <= sum(PLANS[s.plan_code].interval == "year" for s in subs) / len(subs) <= 0.35


def test_every_fault_kind_is_in_the_manifest(run):
    ctx, t = run
    kinds = Counter((table, fault) for (_, table, fault, _, _) in ctx.faults.records)
    for kind in ("duplicate", "null_key", "malformed_json", "no_consent", "late_event"):
        assert kinds[("product_events", kind)] > 0, kind
    for kind in ("duplicate", "null_key", "malformed_value", "tz_offset"):
        assert kinds[("survey_responses", kind)] > 0, kind
    assert kinds[("workflow_runs", "duplicate")] > 0 and kinds[("workflow_runs", "null_key")] > 0
    # parents only ever get re-delivered, never a lost key
    assert {f for (tb, f) in kinds if tb in ("users", "workflows")} <= {"duplicate"}
    # rows on disk agree with the manifest
    events = t["product_events"]
    assert sum(1 for e in events if not e["event_id"]) == kinds[("product_events", "null_key")]
    ids = Counter(e["event_id"] for e in events if e["event_id"])
    assert sum(n - 1 for n in ids.values()) == kinds[("product_events", "duplicate")]
    bad = 0
    for e in events:
        try:
            json.loads(e["properties"])
        except ValueError:
            bad += 1
    assert bad == kinds[("product_events", "malformed_json")]
    late = {k for (_, tb, f, k, _) in ctx.faults.records if f == "late_event"}
    for e in events:
        if e["event_id"] in late:
            loaded = _ts(e["_loaded_at"])
            assert loaded - datetime(1970, 1, 1) >= timedelta(seconds=int(e["timestamp"]), days=2)


def test_shared_users_for_ops(run):
    ctx, t = run
    shared = ctx.shared["product_users"]
    accounts = {u["user_id"]: _ts(u["signed_up_at"]) for u in t["users"] if u["user_type"] != "end_user"}
    assert {uid for uid, _ in shared} == set(accounts)
    assert all(accounts[uid] == at for uid, at in shared)
