"""The Stripe renderer: deterministic, coherent (children reference parents, nothing before its parent, amounts that
add up), every registered payment and subscription rendered, every injected fault kind in the manifest.

The other domains register the payments and subscriptions; until they land, `register_demo_money` stands in for
them with a realistic mix (orders, marketplace contract invoices with Connect transfers, tutoring bookings, SaaS
and subscription-box subscriptions with trials, discounts, plan changes and cancellations).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from kpi_layer.generator import stripe
from kpi_layer.generator.core import (MARKETPLACE_TAKE_RATE, PLANS, TUTORING_COMMISSION_RATE, Context, Payment,
                                      PlanChange, Subscription, processing_fee, to_datetime)

COUNTRIES = ["US", "US", "US", "CA", "GB", "FR", "DE", "US", "CA", "AU"]
CURRENCY_OF = {"CA": "cad", "GB": "gbp", "FR": "eur", "DE": "eur"}


def register_demo_money(ctx: Context) -> None:
    """A realistic set of payments and subscriptions, sized from the scale's volumes."""
    rng = ctx.rng("test", "stripe-fixture")

    def country() -> str:
        return COUNTRIES[int(rng.integers(len(COUNTRIES)))]

    # storefront orders (seed 001): one-off charges, a few failures, refunds and disputes
    n_orders = max(40, ctx.volume("orders") // 3)
    for i, t in enumerate(ctx.sample_times(rng, n_orders)):
        ref = f"sc_{int(rng.integers(1, max(10, n_orders // 3)))}"
        cc = country()
        created = to_datetime(t)
        ok = rng.random() > 0.03
        p = Payment("storefront", "order", f"ord_{i + 1}", ref, f"{ref}@shop.example", cc,
                    int(rng.integers(1500, 25000)), CURRENCY_OF.get(cc, "usd"), created, succeeded=ok,
                    failure_code=None if ok else ["card_declined", "insufficient_funds"][int(rng.integers(2))])
        if ok and rng.random() < 0.05:
            p.refund_amount = p.amount if rng.random() < 0.6 else p.amount // 2
            p.refund_at = created + timedelta(days=int(rng.integers(1, 40)))
        elif ok and rng.random() < 0.01:
            p.dispute_at = created + timedelta(days=int(rng.integers(5, 60)))
        ctx.add_payment(p)

    # marketplace contract charges (seed 000): invoiced, owner paid out through Connect
    owners = [f"acct_owner{i:04d}" for i in range(ctx.volume("owners"))]
    for h in range(ctx.volume("hirers")):
        first = ctx.random_time(rng, end=ctx.start + timedelta(days=ctx.days // 2))
        months = int((ctx.end - first).days // 30)
        for m in range(months):
            created = first + timedelta(days=30 * m, hours=int(rng.integers(0, 5)))
            amount = int(rng.integers(20, 200)) * 1000
            ok = rng.random() > 0.04
            fee = int(round(amount * MARKETPLACE_TAKE_RATE)) + processing_fee(amount)
            ctx.add_payment(Payment("marketplace", "contract_charge", f"cc_{h}_{m}", f"hirer_{h}", f"hirer{h}@corp.example",
                                    "US", amount, "usd", created, succeeded=ok, invoiced=True,
                                    transfer_destination=owners[int(rng.integers(len(owners)))] if ok else None,
                                    transfer_amount=amount - fee if ok else 0,
                                    description=f"Route rental, month {m + 1}"))

    # tutoring bookings (seed 002): tutor paid out through Connect
    tutors = [f"acct_tutor{i:04d}" for i in range(ctx.volume("tutors"))]
    for i, t in enumerate(ctx.sample_times(rng, max(30, ctx.volume("bookings") // 2))):
        s = int(rng.integers(ctx.volume("students")))
        amount = int(rng.integers(3, 12)) * 1000
        ok = rng.random() > 0.05
        p = Payment("tutoring", "booking", f"bk_{i + 1}", f"student_{s}", f"student{s}@mail.example", "US", amount,
                    "usd", to_datetime(t), succeeded=ok,
                    transfer_destination=tutors[int(rng.integers(len(tutors)))] if ok else None,
                    transfer_amount=amount - int(round(amount * TUTORING_COMMISSION_RATE)) - processing_fee(amount) if ok else 0)
        if ok and rng.random() < 0.03:
            p.refund_amount, p.refund_at = amount, p.created_at + timedelta(days=int(rng.integers(1, 10)))
        if ok and not p.refund_amount and rng.random() < 0.01:
            p.dispute_at = p.created_at + timedelta(days=int(rng.integers(5, 60)))
        ctx.add_payment(p)

    # SaaS subscriptions (seeds 003 creator plans in USD, 004 automation plans in CAD)
    creator = ["basic_monthly", "professional_monthly", "premium_monthly", "basic_annual", "professional_annual"]
    automation = ["starter_monthly", "pro_monthly", "starter_annual"]
    upgrade = {"basic_monthly": "professional_monthly", "professional_monthly": "premium_monthly",
               "starter_monthly": "pro_monthly", "basic_annual": "professional_annual",
               "premium_monthly": "professional_monthly", "pro_monthly": "starter_monthly",
               "professional_annual": "premium_annual", "starter_annual": "pro_annual"}
    n_subs = max(20, ctx.volume("saas_users") * 2 // 5)
    for i, t in enumerate(ctx.sample_times(rng, n_subs)):
        plans = creator if rng.random() < 0.6 else automation
        weights = np.array([0.5, 0.25, 0.1, 0.1, 0.05][:len(plans)])
        code = plans[int(rng.choice(len(plans), p=weights / weights.sum()))]
        start = to_datetime(t)
        sub = Subscription("product", f"user_{i + 1}", f"user{i + 1}@app.example", country(), code, start,
                           trial_days=14 if rng.random() < 0.5 else 0,
                           quantity=int(rng.integers(2, 6)) if rng.random() < 0.1 else 1,
                           discount_percent=20 if rng.random() < 0.1 else 0)
        if rng.random() < 0.15:
            at = start + timedelta(days=int(rng.integers(20, 200)))
            if at < ctx.end:
                sub.changes.append(PlanChange(at, upgrade[code]))
        if rng.random() < 0.02 and PLANS[code].interval == "month":  # monthly -> annual of the same plan
            annual = code.replace("_monthly", "_annual")
            if annual in PLANS:
                sub.changes.append(PlanChange(start + timedelta(days=int(rng.integers(40, 120))), annual))
        if rng.random() < 0.35:
            sub.cancelled_at = start + timedelta(days=int(rng.integers(3, 300)))
        ctx.add_subscription(sub)

    # the storefront's weekly subscription box (seed 001)
    for i, t in enumerate(ctx.sample_times(rng, max(10, ctx.volume("orders") // 60))):
        start = to_datetime(t)
        sub = Subscription("storefront", f"sc_box_{i + 1}", f"box{i + 1}@shop.example", country(), "box_weekly", start)
        if rng.random() < 0.4:
            sub.cancelled_at = start + timedelta(days=int(rng.integers(10, 200)))
        ctx.add_subscription(sub)


def build(out: Path, scale: str = "tiny", seed: int = 7, fault_rate: float = 0.02) -> Context:
    ctx = Context(scale, seed, fault_rate, out, "csv")
    register_demo_money(ctx)
    stripe.generate(ctx)
    ctx.counts = ctx.close()
    ctx.faults.write_manifest(out / "_fault_manifest.tsv")
    return ctx


def read(out: Path, table: str) -> list[dict[str, str]]:
    path = out / "stripe" / f"stripe__{table}.csv"
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def live_latest(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """What staging keeps: non-null key, live, latest delivery per id."""
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        if not r["id"] or r.get("livemode") == "false":
            continue
        if r["id"] not in out or r["_fivetran_synced"] > out[r["id"]]["_fivetran_synced"]:
            out[r["id"]] = r
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("stripe")
    ctx = build(out)
    tables = {t: read(out, t) for t in ["balance_transaction", "charge", "refund", "dispute", "payout", "customer",
                                         "subscription", "subscription_item", "price", "product", "invoice",
                                         "invoice_line_item", "transfer", "coupon", "discount"]}
    return ctx, out, tables


def test_deterministic(tmp_path, generated):
    _, out, _ = generated
    build(tmp_path)
    for path in sorted(out.rglob("*.csv")) + [out / "_fault_manifest.tsv"]:
        assert path.read_bytes() == (tmp_path / path.relative_to(out)).read_bytes(), path.name


def test_every_table_written(generated):
    ctx, _, tables = generated
    for name, rows in tables.items():
        assert rows, f"{name} is empty"


def test_registered_ids_are_rendered(generated):
    ctx, _, t = generated
    charges = live_latest(t["charge"])
    subs = live_latest(t["subscription"])
    for p in ctx.payments:
        assert p.charge_id in charges
        ch = charges[p.charge_id]
        assert int(ch["amount"]) == p.amount and ch["status"] == ("succeeded" if p.succeeded else "failed")
        assert bool(ch["balance_transaction_id"]) == p.succeeded
        assert bool(ch["invoice_id"]) == p.invoiced
    for s in ctx.subscriptions:
        assert s.subscription_id in subs


def test_children_reference_parents(generated):
    _, _, t = generated
    ids = {name: {r["id"] for r in rows if r["id"]} for name, rows in t.items()}
    checks = [("charge", "customer_id", "customer"), ("invoice", "customer_id", "customer"),
              ("invoice_line_item", "invoice_id", "invoice"), ("subscription_item", "subscription_id", "subscription"),
              ("refund", "charge_id", "charge"), ("dispute", "charge_id", "charge"),
              ("balance_transaction", "payout_id", "payout"), ("price", "product_id", "product"),
              ("subscription", "customer_id", "customer"), ("discount", "coupon_id", "coupon"),
              ("discount", "subscription_id", "subscription"), ("charge", "invoice_id", "invoice"),
              ("invoice", "charge_id", "charge"), ("subscription_item", "plan_id", "price"),
              ("transfer", "source_transaction", "charge"), ("charge", "balance_transaction_id", "balance_transaction"),
              ("refund", "balance_transaction_id", "balance_transaction"), ("payout", "balance_transaction_id", "balance_transaction")]
    for child, column, parent in checks:
        missing = {r[column] for r in t[child] if r[column]} - ids[parent]
        assert not missing, f"{child}.{column} -> {parent}: {sorted(missing)[:3]}"
    # live rows reference live parents only
    test_customers = {r["id"] for r in t["customer"] if r["livemode"] == "false"}
    assert test_customers
    assert not {r["customer_id"] for r in t["charge"] if r["livemode"] == "true"} & test_customers


def test_nothing_before_its_parent(generated):
    _, _, t = generated
    customers = live_latest(t["customer"])
    charges = live_latest(t["charge"])
    for r in live_latest(t["charge"]).values():
        assert r["created"] >= customers[r["customer_id"]]["created"]
    for r in live_latest(t["invoice"]).values():
        assert r["created"] >= customers[r["customer_id"]]["created"]
        if r["charge_id"]:
            assert charges[r["charge_id"]]["created"] >= r["created"]
    for r in live_latest(t["refund"]).values():
        assert r["created"] > charges[r["charge_id"]]["created"]
    for r in live_latest(t["dispute"]).values():
        assert r["created"] > charges[r["charge_id"]]["created"]


def test_amounts_add_up(generated):
    ctx, _, t = generated
    for r in live_latest(t["charge"]).values():
        assert int(r["amount"]) > 0 and 0 <= int(r["amount_refunded"]) <= int(r["amount"])
    for r in live_latest(t["refund"]).values():
        assert int(r["amount"]) > 0
    bts = live_latest(t["balance_transaction"])
    for r in bts.values():
        assert int(r["net"]) == int(r["amount"]) - int(r["fee"])
        assert r["currency"] == "usd"
        sign = {"charge": 1, "refund": -1, "transfer": -1, "payout": -1, "transfer_refund": 1}.get(r["type"])
        if sign:
            assert int(r["amount"]) * sign > 0, r
    # a payout pays out exactly the net of what it settled
    settled = defaultdict(int)
    for r in bts.values():
        if r["payout_id"] and r["type"] != "payout":
            settled[r["payout_id"]] += int(r["net"])
    for p in live_latest(t["payout"]).values():
        assert settled[p["id"]] == int(p["amount"]) > 0
    # invoices: lines sum to the subtotal, total = subtotal - discount, amount_due >= 0
    lines = defaultdict(int)
    seen = set()
    for r in t["invoice_line_item"]:
        key = (r["id"], r["invoice_id"], r["amount"])
        if key in seen:
            continue
        seen.add(key)
        lines[r["invoice_id"]] += int(r["amount"])
    discounted = 0
    for r in live_latest(t["invoice"]).values():
        assert lines[r["id"]] == int(r["subtotal"])
        assert int(r["amount_due"]) >= 0
        assert int(r["total"]) <= int(r["subtotal"]) or int(r["subtotal"]) < 0
        discounted += int(r["total"]) < int(r["subtotal"])
        if r["billing_reason"] == "subscription_create" and r["amount_due"] == "0":
            assert not r["charge_id"]  # trials: a zero invoice and no charge
    assert discounted > 0


def test_subscription_lifecycle(generated):
    _, _, t = generated
    subs = live_latest(t["subscription"])
    statuses = {r["status"] for r in subs.values()}
    assert {"active", "canceled"} <= statuses
    reasons = {r["billing_reason"] for r in live_latest(t["invoice"]).values()}
    assert {"subscription_create", "subscription_cycle", "subscription_update", "manual"} <= reasons
    lines = live_latest(t["invoice_line_item"]).values()
    assert any(r["proration"] == "true" and int(r["amount"]) < 0 for r in lines)
    failed = [r for r in live_latest(t["charge"]).values() if r["status"] == "failed" and r["invoice_id"]]
    assert failed and all(r["failure_code"] for r in failed)
    retried = [r for r in live_latest(t["invoice"]).values() if int(r["attempt_count"]) > 1]
    assert retried


def test_fault_kinds_in_manifest(generated):
    _, out, _ = generated
    with open(out / "_fault_manifest.tsv", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    kinds = {r["fault"] for r in rows}
    assert {"duplicate", "null_key", "test_mode"} <= kinds
    tables_with_test_mode = {r["table"] for r in rows if r["fault"] == "test_mode"}
    assert {"customer", "charge", "subscription", "subscription_item", "invoice", "invoice_line_item"} <= tables_with_test_mode


def test_billing_periods_keep_the_anchor_day():
    from datetime import datetime

    jan31 = datetime(2025, 1, 31, 10, 0)
    assert [stripe.add_interval(jan31, "month", k).day for k in (1, 2, 3)] == [28, 31, 30]
    assert stripe.add_interval(jan31, "year", 1) == datetime(2026, 1, 31, 10, 0)
    assert stripe.add_interval(jan31, "week", 2) == datetime(2025, 2, 14, 10, 0)


def test_every_contract_table_exists_without_app_money(tmp_path):
    from kpi_layer import contract

    ctx = Context("tiny", 7, 0.01, tmp_path, "csv")
    stripe.generate(ctx)
    ctx.close()
    declared = {name for (source, name) in contract.load_contract() if source == "stripe"}
    assert declared == set(stripe.TABLES)
    for name in declared:
        assert (tmp_path / "stripe" / f"stripe__{name}.csv").exists(), name
