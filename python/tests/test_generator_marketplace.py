"""The marketplace generator: deterministic, coherent (children reference parents, nothing before its parent,
money registered with Stripe), and every fault kind it injects is in the manifest."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from kpi_layer.generator import generate
from kpi_layer.generator import marketplace
from kpi_layer.generator.core import MARKETPLACE_TAKE_RATE, Context, processing_fee

TABLES = ("owners", "hirers", "domains", "routes", "listings", "listing_status_history", "contracts",
          "contract_charges", "listing_events", "disputes", "credits", "certificate_issuance_attempts", "clicks",
          "click_rollups")


def _read(out: Path, table: str) -> list[dict[str, str]]:
    with open(out / "marketplace" / f"marketplace__{table}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _ts(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One tiny run through a Context we keep, so the payments handed to Stripe can be inspected."""
    out = tmp_path_factory.mktemp("mkt")
    ctx = Context("tiny", 42, 0.01, out, "csv")
    marketplace.generate(ctx)
    ctx.close()
    data = {t: _read(out, t) for t in TABLES}
    return ctx, data


def _unique(rows, key):
    """Rows by key, first delivery of duplicates dropped, null keys skipped."""
    return {r[key]: r for r in rows if r[key]}


def test_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    generate("tiny", seed=7, out_dir=a, domains=("marketplace",))
    generate("tiny", seed=7, out_dir=b, domains=("marketplace",))
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files, "nothing written"
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_every_table_written(run):
    _, data = run
    for table in TABLES:
        assert data[table], f"{table} is empty"


def test_children_reference_parents_and_follow_them(run):
    _, data = run
    owners = _unique(data["owners"], "owner_id")
    hirers = _unique(data["hirers"], "hirer_id")
    domains = _unique(data["domains"], "domain_id")
    routes = _unique(data["routes"], "route_id")
    listings = _unique(data["listings"], "listing_id")
    contracts = _unique(data["contracts"], "contract_id")
    for d in domains.values():
        assert _ts(d["created_at"]) >= _ts(owners[d["owner_id"]]["created_at"])
        assert (d["verification_status"] == "verified") == bool(d["verified_at"])
    for r in routes.values():
        parent = domains[r["domain_id"]]
        assert parent["verification_status"] == "verified"
        assert _ts(r["created_at"]) >= _ts(parent["verified_at"])
    for lst in listings.values():
        route = routes[lst["route_id"]]
        assert domains[route["domain_id"]]["owner_id"] == lst["owner_id"]
        assert _ts(lst["created_at"]) >= _ts(route["created_at"])
    for h in data["listing_status_history"]:
        assert h["listing_id"] in listings
    for c in contracts.values():
        lst = listings[c["listing_id"]]
        owner = owners[lst["owner_id"]]
        assert owner["stripe_connected_at"], "an owner without Stripe Connect was hired"
        assert _ts(c["started_at"]) >= _ts(owner["stripe_connected_at"])
        assert _ts(c["started_at"]) >= _ts(hirers[c["hirer_id"]]["created_at"])
        assert (c["status"] == "active") == (not c["ended_at"])
        assert c["period_amount"] == lst["period_price_amount"] and c["currency"] == lst["currency"]
    for ch in data["contract_charges"]:
        c = contracts[ch["contract_id"]]
        assert ch["hirer_id"] == c["hirer_id"] and ch["currency"] == c["currency"]
        assert int(ch["amount"]) > 0
        assert _ts(ch["charged_at"]) >= _ts(c["started_at"])
    for e in data["listing_events"]:
        assert e["listing_id"] in listings
        assert not e["hirer_id"] or e["hirer_id"] in hirers
        v = e["occurred_at"]
        if "+" not in v and not v.endswith("Z") and v.count("-") == 2:  # offsets are a labelled fault
            # an event reaches the warehouse after it happened, and not years later
            lag = _ts(e["_loaded_at"]) - datetime.fromisoformat(v)
            assert 0 <= lag.total_seconds() <= 4 * 86400, (e["event_id"], e["occurred_at"], e["_loaded_at"])
    for t in ("disputes", "credits"):
        for row in data[t]:
            assert contracts[row["contract_id"]]["hirer_id"] == row["hirer_id"]
    for a in data["certificate_issuance_attempts"]:
        assert _ts(a["attempted_at"]) >= _ts(domains[a["domain_id"]]["verified_at"])
    for r in data["click_rollups"]:
        assert r["route_id"] in routes
        assert int(r["impressions"]) >= int(r["valid_clicks"]) + int(r["invalid_clicks"])


def test_clicks_only_on_hired_routes(run):
    _, data = run
    routes_of = {lst["listing_id"]: lst["route_id"] for lst in data["listings"]}
    spans = {}
    for c in _unique(data["contracts"], "contract_id").values():
        end = _ts(c["ended_at"]) if c["ended_at"] else datetime.max
        spans.setdefault((c["listing_id"], c["hirer_id"]), []).append((_ts(c["started_at"]), end))
    checked = 0
    for k in data["clicks"]:
        assert routes_of[k["listing_id"]] == k["route_id"]
        assert (k["is_valid"] == "true") == (not k["invalid_reason"])
        text = k["clicked_at"]
        if not text.endswith("Z") or text.startswith("0000"):
            continue  # offsets and malformed values: staging's job
        t = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")
        assert any(a <= t < b for a, b in spans[(k["listing_id"], k["hirer_id"])]), k["click_id"]
        checked += 1
    assert checked > 0


def test_charges_registered_with_stripe(run):
    ctx, data = run
    payments = {p.charge_id: p for p in ctx.payments}
    accounts = {o["stripe_account_id"] for o in data["owners"] if o["stripe_account_id"]}
    charges = _unique(data["contract_charges"], "contract_charge_id")
    assert charges
    assert {c["stripe_charge_id"] for c in charges.values()} == set(payments)
    for c in charges.values():
        p = payments[c["stripe_charge_id"]]
        assert p.object_id == c["contract_charge_id"] and p.object_type == "contract_charge"
        assert p.amount == int(c["amount"]) and p.currency == c["currency"] and p.invoiced
        assert p.customer_ref == c["hirer_id"]
        assert p.succeeded == (c["status"] == "succeeded")
        assert p.transfer_destination in accounts
        assert p.transfer_amount == p.amount - round(p.amount * MARKETPLACE_TAKE_RATE) - processing_fee(p.amount)
        assert p.transfer_amount > 0
        assert p.refund_amount <= p.amount
    assert set(ctx.shared["connect_accounts"]) == accounts


def test_rollups_count_billable_clicks_and_usage_is_priced_per_click(run):
    """The rollups count every valid redirected click once; usage = valid clicks x the contract's price."""
    _, data = run
    contracts = _unique(data["contracts"], "contract_id")
    for ch in data["contract_charges"]:
        if ch["charge_type"] == "usage":
            assert int(ch["amount"]) % int(contracts[ch["contract_id"]]["per_click_amount"]) == 0
    rollup_valid = sum(int(r["valid_clicks"]) for r in _unique_rollups(data["click_rollups"]))
    billable = sum(1 for k in data["clicks"] if k["is_valid"] == "true" and k["http_status"] == "302")
    dups = Counter(k["click_id"] for k in data["clicks"] if k["click_id"])
    billable -= sum(1 for k in data["clicks"] if k["click_id"] and dups[k["click_id"]] > 1) // 2
    assert rollup_valid == billable


def _unique_rollups(rows):
    latest = {}
    for r in rows:
        key = (r["rollup_date"], r["route_id"])
        if key not in latest or r["_loaded_at"] > latest[key]["_loaded_at"]:
            latest[key] = r
    return latest.values()


def test_every_fault_kind_in_manifest(tmp_path):
    generate("demo", seed=42, fault_rate=0.4, out_dir=tmp_path, domains=("marketplace",))
    with open(tmp_path / "_fault_manifest.tsv", newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["source"] == "marketplace"]
    kinds = {r["fault"] for r in rows}
    assert {"duplicate", "null_key", "malformed_value", "non_positive_amount", "tz_offset", "late_event",
            "invalid_click"} <= kinds
    by_table = {(r["table"], r["fault"]) for r in rows}
    for pair in [("clicks", "malformed_value"), ("clicks", "late_event"), ("clicks", "tz_offset"),
                 ("listing_events", "tz_offset"), ("credits", "non_positive_amount"), ("click_rollups", "duplicate")]:
        assert pair in by_table, pair
    # null keys only on leaf tables, never on a row that others reference
    leaf = {"clicks", "listing_events", "credits", "certificate_issuance_attempts"}
    assert {r["table"] for r in rows if r["fault"] == "null_key"} <= leaf
    # the manifest's invalid clicks are exactly the raw invalid clicks
    clicks = _read(tmp_path, "clicks")
    assert sum(1 for r in rows if r["fault"] == "invalid_click") == sum(1 for k in clicks if k["is_valid"] == "false")
