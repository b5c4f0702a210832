"""The storefront generator: deterministic, coherent, and every fault it injects is in the manifest."""

import csv
import filecmp
import json
from collections import Counter
from datetime import datetime, timezone

import pytest

from kpi_layer.generator import generate
from kpi_layer.generator import storefront
from kpi_layer.generator.core import Context

TABLES = ("customers", "orders", "subscriptions", "spend", "events", "metrics_daily")
FAULT_KINDS = {
    "customers": {"duplicate"},
    "orders": {"duplicate", "null_key", "non_positive_amount", "malformed_value", "tz_offset"},
    "subscriptions": {"duplicate"},
    "spend": {"duplicate", "null_key", "non_positive_amount"},
    "events": {"duplicate", "null_key", "malformed_json", "tz_offset", "late_event"},
    "metrics_daily": {"duplicate", "null_key"},
}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Scale tiny with a high fault rate, so every kind shows up; keeps the context for the Stripe hand-off."""
    out = tmp_path_factory.mktemp("storefront")
    ctx = Context("tiny", 7, 0.2, out, "csv")
    storefront.generate(ctx)
    ctx.close()
    rows = {}
    for table in TABLES:
        with open(out / "storefront" / f"storefront__{table}.csv", newline="", encoding="utf-8") as f:
            rows[table] = list(csv.DictReader(f))
    return ctx, rows


def _utc(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def test_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    generate("tiny", seed=3, out_dir=a, domains=("storefront",))
    generate("tiny", seed=3, out_dir=b, domains=("storefront",))
    for path in sorted(a.rglob("*.*")):
        assert filecmp.cmp(path, b / path.relative_to(a), shallow=False), path.name
    c = tmp_path / "c"
    generate("tiny", seed=4, out_dir=c, domains=("storefront",))
    assert not filecmp.cmp(a / "storefront" / "storefront__orders.csv", c / "storefront" / "storefront__orders.csv",
                           shallow=False)


def test_every_fault_kind_is_injected_and_recorded(run):
    ctx, _ = run
    seen = {}
    for source, table, fault, _, _ in ctx.faults.records:
        assert source == "storefront"
        seen.setdefault(table, set()).add(fault)
    assert seen == FAULT_KINDS


def test_children_reference_parents(run):
    _, rows = run
    customers = {r["customer_id"]: r for r in rows["customers"]}
    created = {k: datetime.fromisoformat(r["created_at"]) for k, r in customers.items()}
    for r in rows["orders"]:
        assert r["customer_id"] in customers
        at = _utc(r["created_at"])
        if at is not None:
            assert at >= created[r["customer_id"]]
    for r in rows["subscriptions"]:
        assert r["customer_id"] in customers
        assert datetime.fromisoformat(r["started_at"]) >= created[r["customer_id"]]
        if r["cancelled_at"]:
            assert r["status"] == "cancelled" and r["cancelled_at"] > r["started_at"]
    campaigns = {r["campaign_id"] for r in rows["spend"] if r["campaign_id"]}
    assert {r["utm_campaign"] for r in rows["orders"] if r["utm_campaign"]} <= campaigns
    for r in rows["events"]:
        if not r["user_id"].startswith("anon_"):
            assert r["user_id"] in customers
            at = _utc(r["occurred_at"])
            assert at is not None and at >= created[r["user_id"]]
        assert (r["session_id"] == "") == (r["event_type"] == "api_call")


def test_values_and_amounts(run):
    ctx, rows = run
    bad_orders = {k for _, t, f, k, _ in ctx.faults.records if t == "orders" and f == "non_positive_amount"}
    assert {r["source"] for r in rows["orders"]} == {"Shopify", "API", "Marketplace", "Partnerships"}
    assert {r["status"] for r in rows["orders"]} <= {"paid", "refunded", "partially_refunded", "cancelled"}
    for r in rows["orders"]:
        if int(r["total_cents"]) <= 0:
            assert r["order_id"] in bad_orders and r["stripe_charge_id"] == ""
        assert 0 <= int(r["refunded_cents"]) <= max(int(r["total_cents"]), 0)
    assert sum(int(r["spend_cents"]) < 0 for r in rows["spend"]) == sum(
        1 for _, t, f, _, _ in ctx.faults.records if t == "spend" and f == "non_positive_amount")
    assert {r["platform"] for r in rows["spend"]} == {"meta", "tiktok"}
    event_types = Counter(r["event_type"] for r in rows["events"])
    assert set(event_types) == {"session_start", "page_view", "add_to_cart", "checkout_started", "api_call"}
    # conversion rate and add-to-cart rate of seed 001's shape, over the days the stream covers
    days = {r["occurred_at"][:10] for r in rows["events"] if _utc(r["occurred_at"])}
    orders = sum(1 for r in rows["orders"] if r["created_at"][:10] in days)
    assert 0.015 < orders / event_types["session_start"] < 0.06
    assert 0.06 < event_types["add_to_cart"] / event_types["session_start"] < 0.16
    malformed = {k for _, t, f, k, _ in ctx.faults.records if t == "events" and f == "malformed_json"}
    for r in rows["events"]:
        if r["event_id"] and r["event_id"] not in malformed:
            json.loads(r["properties"])
    lost = sum(1 for _, t, f, _, _ in ctx.faults.records if t == "metrics_daily" and f == "null_key")
    assert len({r["metric_date"] for r in rows["metrics_daily"] if r["metric_date"]}) + lost == ctx.days


def test_late_events_land_days_late_and_out_of_order(run):
    ctx, rows = run
    late = {k for _, t, f, k, _ in ctx.faults.records if t == "events" and f == "late_event"}
    by_id = {r["event_id"]: r for r in rows["events"] if r["event_id"] in late}
    assert by_id
    for r in by_id.values():
        lag = datetime.fromisoformat(r["_loaded_at"]) - _utc(r["occurred_at"])
        assert lag.days >= 2
    occurred = [_utc(r["occurred_at"]) for r in rows["events"]]
    assert any(b < a for a, b in zip(occurred, occurred[1:]) if a and b)


def test_stripe_objects_registered(run):
    ctx, rows = run
    payments = {p.charge_id: p for p in ctx.payments}
    unusable = {k for _, t, f, k, _ in ctx.faults.records
                if t == "orders" and f in ("null_key", "non_positive_amount", "malformed_value")}
    for r in rows["orders"]:
        if r["order_id"] in unusable or not r["order_id"]:
            assert r["stripe_charge_id"] == ""
            continue
        p = payments[r["stripe_charge_id"]]
        assert p.domain == "storefront" and p.object_id == r["order_id"] and p.customer_ref == r["customer_id"]
        assert p.amount == int(r["total_cents"]) and p.currency == r["currency"]
        assert p.succeeded == (r["status"] != "cancelled")
        assert _utc(r["created_at"]) == p.created_at  # a tz_offset value is the same instant
        if r["status"] in ("refunded", "partially_refunded"):
            assert p.refund_amount == int(r["refunded_cents"]) > 0 and p.refund_at > p.created_at
    assert len({r["stripe_charge_id"] for r in rows["orders"] if r["stripe_charge_id"]}) == len(payments)
    subs = {s.subscription_id: s for s in ctx.subscriptions}
    assert subs and {r["stripe_subscription_id"] for r in rows["subscriptions"]} == set(subs)
    for r in rows["subscriptions"]:
        s = subs[r["stripe_subscription_id"]]
        assert s.plan_code == "box_weekly" and s.customer_ref == r["customer_id"]
        assert (s.cancelled_at is not None) == (r["status"] == "cancelled")
