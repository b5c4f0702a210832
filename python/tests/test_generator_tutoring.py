"""The tutoring generator: deterministic, coherent (children after and pointing at their parents), paid bookings
and packages registered with Stripe, every fault kind labelled, and the seed's KPIs roughly at their targets."""

from __future__ import annotations

import csv
import filecmp
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from kpi_layer.generator import generate, tutoring
from kpi_layer.generator.core import TUTORING_COMMISSION_RATE, Context, processing_fee

TABLES = ("tutors", "students", "tutor_applications", "tutor_profile_steps", "tutor_availability", "bookings",
          "packages", "messages", "reviews", "audit_events")


def _read(out: Path, table: str) -> list[dict]:
    with open(out / "tutoring" / f"tutoring__{table}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _ts(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """Scale tiny with a high fault rate; keeps the context for the Stripe hand-off."""
    out = tmp_path_factory.mktemp("tutoring_tiny")
    ctx = Context("tiny", 42, 0.05, out, "csv")
    tutoring.generate(ctx)
    counts = ctx.close()
    rows = {t: _read(out, t) for t in TABLES}
    return {"ctx": ctx, "counts": counts, "rows": rows, "faults": ctx.faults.records}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("tutoring_demo")
    generate("demo", seed=42, fault_rate=0.0, out_dir=out, domains=("tutoring",))
    return {t: _read(out, t) for t in ("bookings", "messages", "reviews", "packages", "tutors",
                                       "tutor_applications", "students")}


def test_same_seed_gives_identical_files(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    generate("tiny", seed=3, fault_rate=0.05, out_dir=a, domains=("tutoring",))
    generate("tiny", seed=3, fault_rate=0.05, out_dir=b, domains=("tutoring",))
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert len(files) == len(TABLES) + 2
    for rel in files:
        assert filecmp.cmp(a / rel, b / rel, shallow=False), rel


def test_every_table_is_written(tiny):
    for table in TABLES:
        assert tiny["counts"][("tutoring", table)] > 0, table


def _latest(rows: list[dict], key: str) -> dict[str, dict]:
    """The row a loader's latest delivery holds, per key (rows without a key dropped)."""
    out: dict[str, dict] = {}
    for r in rows:
        if r[key] and (r[key] not in out or r["_loaded_at"] > out[r[key]]["_loaded_at"]):
            out[r[key]] = r
    return out


def test_children_reference_parents_and_come_after_them(tiny):
    rows = tiny["rows"]
    students = _latest(rows["students"], "student_id")
    tutors = _latest(rows["tutors"], "tutor_id")
    bookings = _latest(rows["bookings"], "booking_id")
    packages = _latest(rows["packages"], "package_purchase_id")
    available = {r["tutor_id"]: _ts(r["completed_at"]) for r in rows["tutor_profile_steps"]
                 if r["step"] == "availability_set"}
    for table in ("tutor_applications", "tutor_profile_steps", "tutor_availability"):
        assert all(r["tutor_id"] in tutors for r in rows[table]), table
    for b in bookings.values():
        assert b["student_id"] in students and b["tutor_id"] in tutors
        created = _ts(b["created_at"])
        assert created >= _ts(students[b["student_id"]]["signed_up_at"])
        assert created >= available[b["tutor_id"]], "booked before the tutor set availability"
        if b["package_purchase_id"]:
            p = packages[b["package_purchase_id"]]
            assert p["tutor_id"] == b["tutor_id"] and p["student_id"] == b["student_id"]
            assert _ts(p["purchased_at"]) <= created
        for later in ("confirmed_at", "completed_at", "cancelled_at"):
            assert not b[later] or _ts(b[later]) >= created, later
        if b["session_state"] == "completed":
            assert _ts(b["completed_at"]) > _ts(b["scheduled_at"])
    for p in packages.values():
        assert p["student_id"] in students and p["tutor_id"] in tutors
    for m in rows["messages"]:
        assert m["booking_id"] in bookings
        assert _ts(m["sent_at"]) >= _ts(bookings[m["booking_id"]]["created_at"])
        sender = bookings[m["booking_id"]]["student_id" if m["sender_role"] == "student" else "tutor_id"]
        assert m["sender_id"] == sender
    for r in rows["reviews"]:
        b = bookings[r["booking_id"]]
        assert b["session_state"] == "completed" and _ts(r["created_at"]) >= _ts(b["completed_at"])
    per_package = Counter(b["package_purchase_id"] for b in bookings.values() if b["package_purchase_id"])
    assert all(n <= int(packages[p]["sessions_count"]) for p, n in per_package.items())


def test_amounts_positive_except_labelled_faults(tiny):
    labelled = {k for s, t, f, k, _ in tiny["faults"] if t == "bookings" and f == "non_positive_amount"}
    assert labelled
    for b in tiny["rows"]["bookings"]:
        assert (int(b["price_amount"]) <= 0) == (b["booking_id"] in labelled), b["booking_id"]
    # nothing hangs off a quarantined booking
    assert not labelled & {m["booking_id"] for m in tiny["rows"]["messages"]}
    assert not labelled & {r["booking_id"] for r in tiny["rows"]["reviews"]}
    assert all(int(p["price_amount"]) > 0 for p in tiny["rows"]["packages"])
    assert all(int(t["hourly_rate_amount"]) > 0 for t in tiny["rows"]["tutors"])


def test_paid_objects_are_registered_with_stripe(tiny):
    payments = {p.charge_id: p for p in tiny["ctx"].payments}
    tutors = _latest(tiny["rows"]["tutors"], "tutor_id")
    bookings = _latest(tiny["rows"]["bookings"], "booking_id")
    for b in bookings.values():
        charged = b["payment_state"] in ("captured", "refunded", "failed") and not b["package_purchase_id"]
        assert bool(b["stripe_charge_id"]) == charged, b
        if not charged:
            continue
        p = payments[b["stripe_charge_id"]]
        assert (p.domain, p.object_type, p.object_id) == ("tutoring", "booking", b["booking_id"])
        assert p.customer_ref == b["student_id"] and p.amount == int(b["price_amount"]) > 0
        assert p.currency == b["currency"]
        assert p.succeeded == (b["payment_state"] != "failed")
        assert (p.refund_amount > 0) == (b["payment_state"] == "refunded")
        if p.succeeded:
            assert p.transfer_destination == tutors[b["tutor_id"]]["stripe_account_id"]
            assert p.transfer_amount == (p.amount - round(p.amount * TUTORING_COMMISSION_RATE)
                                         - processing_fee(p.amount)) > 0
    packages = _latest(tiny["rows"]["packages"], "package_purchase_id")
    assert packages
    for pk in packages.values():
        p = payments[pk["stripe_charge_id"]]
        assert (p.object_type, p.object_id, p.amount) == ("package", pk["package_purchase_id"],
                                                          int(pk["price_amount"]))
        assert p.transfer_destination == tutors[pk["tutor_id"]]["stripe_account_id"]
    registered = {p.object_id for p in payments.values()}
    assert registered == {b["booking_id"] for b in bookings.values() if b["stripe_charge_id"]} | set(packages)


def test_every_fault_kind_is_in_the_manifest(tiny):
    kinds = Counter((t, f) for _, t, f, _, _ in tiny["faults"])
    for table, fault in [("audit_events", k) for k in ("duplicate", "null_key", "malformed_value",
                                                       "malformed_json", "tz_offset", "late_event")] + [
            ("bookings", "duplicate"), ("bookings", "non_positive_amount"), ("messages", "duplicate"),
            ("messages", "null_key")]:
        assert kinds[(table, fault)] > 0, (table, fault)
    # null keys only on rows nothing references
    assert {t for t, f in kinds if f == "null_key"} <= {"messages", "reviews", "audit_events"}


def test_faulty_events_are_what_the_manifest_says(tiny):
    events = tiny["rows"]["audit_events"]
    by_id = Counter(e["event_id"] for e in events)
    for _, table, fault, key, _ in tiny["faults"]:
        if table != "audit_events":
            continue
        if fault == "null_key":
            continue
        rows = [e for e in events if e["event_id"] == key]
        if fault == "duplicate":
            assert by_id[key] == 2
        elif fault == "malformed_value":
            assert not rows[0]["occurred_at"][:4].isdigit() or "25:61" in rows[0]["occurred_at"] \
                or rows[0]["occurred_at"].endswith("abc")
        elif fault == "tz_offset":
            assert rows[0]["occurred_at"][-6] in "+-" and rows[0]["occurred_at"][-3] == ":"
        elif fault == "late_event":
            occurred = datetime.fromisoformat(rows[0]["occurred_at"].replace("Z", ""))
            assert (_ts(rows[0]["_loaded_at"]) - occurred).days >= 2
    assert sum(1 for e in events if not e["event_id"]) == sum(
        1 for _, t, f, _, _ in tiny["faults"] if t == "audit_events" and f == "null_key")


def test_kpis_near_the_seed_targets(demo):
    bookings = list(_latest(demo["bookings"], "booking_id").values())
    n = len(bookings)
    confirmed = [b for b in bookings if b["confirmed_at"]]
    settled = [b for b in confirmed if b["session_state"] != "confirmed"]
    completed = [b for b in bookings if b["session_state"] == "completed"]
    assert 1300 <= n <= 1700
    assert 0.62 <= len(confirmed) / n <= 0.78  # booking conversion ~0.70
    assert 0.85 <= len(completed) / len(settled) <= 0.95  # session completion ~0.90
    assert 4.5 <= len(demo["messages"]) / n <= 6.0  # messages per booking 5+
    reviewed = {r["booking_id"] for r in demo["reviews"]}
    assert 0.33 <= len(reviewed) / len(completed) <= 0.48  # review rate ~0.40
    ratings = [int(r["rating"]) for r in demo["reviews"]]
    assert 4.2 <= sum(ratings) / len(ratings) <= 4.7  # average rating ~4.5
    charged = [b for b in bookings if b["stripe_charge_id"]]
    assert 0.02 <= sum(b["payment_state"] == "failed" for b in charged) / len(charged) <= 0.07
    buyers = {p["student_id"] for p in demo["packages"]}
    learners = {b["student_id"] for b in completed}
    assert 0.2 <= len(buyers) / len(learners) <= 0.45  # package purchase rate ~0.30
    approved = sum(a["status"] == "approved" for a in demo["tutor_applications"])
    assert 0.5 <= approved / len(demo["tutor_applications"]) <= 0.75  # tutor approval ~0.60
    # weekly active learners grow: more in the last quarter than in the first
    quarter = Counter((_ts(b["completed_at"]).month - 1) // 3 for b in completed)
    assert quarter[3] > 2 * quarter[0]
