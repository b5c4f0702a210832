"""Stripe (module billing, every seed): renders the payments and subscriptions that the domains registered as the
Fivetran Stripe connector lands them.

It runs last. Every `Payment` becomes a charge (and, when it succeeded, a balance transaction; later a refund, a
dispute, a Connect transfer when the domain asked for them). Every `Subscription` becomes a subscription with one
item, its invoices (creation, each cycle, plan changes with proration lines), invoice lines, the charges that pay
them (renewals fail now and then and are retried; a few end in cancellation), a discount when the subscription
has one, and refunds of a few last payments. Daily automatic payouts settle the available balance.

The tables are a snapshot as of the end of the period (`ctx.end`): a subscription's status, an invoice's status,
a dispute's status are what they are then; the history lives in invoices, charges and balance transactions.
"""

from __future__ import annotations

import calendar
import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from .core import PLANS, REPORTING_CURRENCY, Context, Payment, Plan, Subscription, processing_fee, to_datetime

SOURCE = "stripe"
LOADED_AT = "_fivetran_synced"

# Leaf tables (nothing references their rows) may also lose their key in transit; others only get duplicates.
TABLE_FAULTS = {"invoice_line_item": ("duplicate", "null_key"), "discount": ("duplicate", "null_key")}
DEFAULT_FAULTS = ("duplicate",)
TABLES = ("customer", "product", "price", "coupon", "discount", "subscription", "subscription_item", "invoice",
          "invoice_line_item", "charge", "refund", "dispute", "transfer", "payout", "balance_transaction")

RENEWAL_FAILURE_RATE = 0.065  # first attempt of a renewal fails
RETRY_SUCCESS = (0.8, 0.6)  # second and third attempts succeed with these odds; after that: cancelled
CANCEL_AT_PERIOD_END_SHARE = 0.75  # voluntary cancellations that run to the end of the paid period
SUBSCRIPTION_REFUND_SHARE = 0.3  # last payment refunded when the customer cancels within 14 days of it
REPEATING_COUPON_SHARE = 0.3  # discounts that last three months (the others: forever)
DISPUTE_FEE = 1500  # USD minor units
DISPUTE_WIN_RATE = 0.35
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)

FAILURE_CODES = ("card_declined", "insufficient_funds", "expired_card", "processing_error")
FAILURE_CODE_P = (0.5, 0.3, 0.15, 0.05)
FAILURE_MESSAGES = {
    "card_declined": "Your card was declined.",
    "insufficient_funds": "Your card has insufficient funds.",
    "expired_card": "Your card has expired.",
    "incorrect_cvc": "Your card's security code is incorrect.",
    "processing_error": "An error occurred while processing your card. Try again in a little bit.",
    "fraudulent": "Your card was declined.",
    "lost_card": "Your card was declined.",
    "stolen_card": "Your card was declined.",
}
DISPUTE_REASONS = ("fraudulent", "product_not_received", "product_unacceptable", "unrecognized", "duplicate", "general")
DISPUTE_REASON_P = (0.45, 0.2, 0.15, 0.1, 0.05, 0.05)
FIRST_NAMES = ("Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn", "Maya",
               "Noah", "Lena", "Omar", "Yuki", "Ines", "Lucas", "Priya", "Chen", "Sofia")
LAST_NAMES = ("Smith", "Garcia", "Martin", "Dubois", "Rossi", "Kim", "Nguyen", "Silva", "Brown", "Müller",
              "Tremblay", "Patel", "Wilson", "Lopez", "Cohen", "Novak")
TEST_PLAN = Plan("test_monthly", "internal", "Test plan", "usd", 1000, "month")


# ----------------------------------------------------------------------------------------------- helpers

def add_interval(anchor: datetime, interval: str, n: int) -> datetime:
    """The n-th period boundary after `anchor`, the way Stripe counts: months keep the anchor's day of month,
    clamped to the month's last day (Jan 31 -> Feb 28 -> Mar 31)."""
    if interval == "week":
        return anchor + timedelta(weeks=n)
    if interval == "day":
        return anchor + timedelta(days=n)
    months = n * (12 if interval == "year" else 1)
    y, m = divmod(anchor.month - 1 + months, 12)
    year, month = anchor.year + y, m + 1
    return anchor.replace(year=year, month=month, day=min(anchor.day, calendar.monthrange(year, month)[1]))


def round_half_away(x: float) -> int:
    return int(math.floor(abs(x) + 0.5)) * (1 if x >= 0 else -1)


def midnight(t: datetime) -> datetime:
    return t.replace(hour=0, minute=0, second=0, microsecond=0)


def money(amount: int, currency: str) -> str:
    return f"{currency.upper()} {amount / 100:,.2f}"


class _Draws:
    """Scalar draws from a numpy generator, served from pre-drawn blocks: numpy's per-call overhead would otherwise
    dominate a renderer that makes a few draws per row. Same interface as the Generator methods it replaces."""

    def __init__(self, rng: np.random.Generator, block: int = 8192):
        self.rng = rng
        self.block = block
        self._u: list[float] = []
        self._i = 0

    def random(self) -> float:
        if self._i >= len(self._u):
            self._u = self.rng.random(self.block).tolist()
            self._i = 0
        self._i += 1
        return self._u[self._i - 1]

    def integers(self, low: int, high: int | None = None) -> int:
        if high is None:
            low, high = 0, low
        return low + min(int(self.random() * (high - low)), high - low - 1)

    def choice(self, n: int, p: tuple[float, ...]) -> int:
        u, acc = self.random(), 0.0
        for i, w in enumerate(p):
            acc += w
            if u < acc:
                return i
        return n - 1


def _json(**fields: str | None) -> str:
    """dumps_json for a flat object of strings (sorted keys, compact), without building an encoder per call."""
    return "{" + ",".join(f"{json.dumps(k)}:{json.dumps(fields[k])}" for k in sorted(fields)) + "}"


@dataclass
class _Customer:
    id: str
    domain: str
    ref: str
    email: str | None
    country: str | None
    created: datetime
    livemode: bool = True
    currency: str | None = None
    balance: int = 0  # negative: credit owed to the customer
    delinquent: bool = False
    last_change: datetime | None = None
    invoice_prefix: str = ""
    invoice_seq: int = 0


@dataclass
class _Invoice:
    id: str
    created: datetime
    amount_due: int
    status: str
    charge_id: str | None = None
    charge_amount: int = 0
    payment_intent_id: str | None = None
    paid_at: datetime | None = None
    uncollectible_at: datetime | None = None  # dunning exhausted: the subscription is cancelled then
    open_at_end: bool = False  # a retry is still scheduled after the end of the period
    last_change: datetime | None = None


@dataclass
class _SubState:
    sub: Subscription
    customer: _Customer
    plan: Plan
    item_id: str
    livemode: bool
    quantity: int
    discount_percent: int = 0
    discount_end: datetime | None = None
    invoices: list[_Invoice] = field(default_factory=list)
    charges: list[dict[str, Any]] = field(default_factory=list)  # written last: a refund updates them
    last_change: datetime | None = None

    def discount_active(self, t: datetime) -> bool:
        return self.discount_percent > 0 and t >= self.sub.start_at and (self.discount_end is None or t < self.discount_end)


# ----------------------------------------------------------------------------------------------- renderer

class _Stripe:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.end = ctx.end
        self.rng_customers = _Draws(ctx.rng(SOURCE, "customers"))
        self.rng_subs = _Draws(ctx.rng(SOURCE, "subscriptions"))
        self.rng_pay = _Draws(ctx.rng(SOURCE, "payments"))
        self.rng_sync = _Draws(ctx.rng(SOURCE, "synced"))
        self.rng_test = ctx.rng(SOURCE, "test_mode")
        self.customers: dict[tuple[str, str], _Customer] = {}
        self.plans: dict[str, Plan] = dict(PLANS)
        self.price_ids: dict[str, str] = {}
        self.product_names: dict[str, str] = {}
        self.coupons: dict[str, dict[str, Any]] = {}
        # balance transactions, written after the payouts are known:
        # (id, created, available_on, amount, fee, net, exchange_rate, type, reporting_category, source, description)
        self.bts: list[tuple] = []
        self.counts_by_kind: dict[str, int] = {}

    # output ------------------------------------------------------------------------------------------
    def synced(self, t: datetime) -> datetime:
        """_fivetran_synced: the connector writes a row minutes to hours after its last change."""
        return t + timedelta(minutes=self.rng_sync.integers(5, 360))

    def write(self, table: str, row: dict[str, Any], livemode: bool = True) -> None:
        if livemode:
            self.ctx.emit(SOURCE, table, row, key="id", loaded_at=LOADED_AT,
                          faults=TABLE_FAULTS.get(table, DEFAULT_FAULTS))
        else:
            # a whole test-mode object graph: every row is set aside by staging (livemode = false, or for
            # subscription items, whose table has no livemode, through their subscription)
            self.ctx.sink(SOURCE, table).write(row)
            self.ctx.faults.record(SOURCE, table, "test_mode", row["id"])

    def add_bt(self, created: datetime, available_on: datetime, amount: int, fee: int, exchange_rate: float | None,
               type_: str, category: str, source: str, description: str | None) -> str:
        bt_id = self.ctx.next_id("txn", 12)
        self.bts.append((bt_id, created, available_on, amount, fee, amount - fee, exchange_rate, type_, category,
                         source, description))
        return bt_id

    def to_usd(self, amount: int, currency: str, when: datetime) -> tuple[int, float | None]:
        currency = currency.lower()
        if currency == REPORTING_CURRENCY:
            return amount, None
        rate = self.ctx.fx_rate(currency, when)
        return round_half_away(amount * rate), rate

    # customers ---------------------------------------------------------------------------------------
    def prepare_customers(self) -> None:
        """One Stripe customer per (domain, app customer): created just before the first thing it paid for."""
        first: dict[tuple[str, str], list] = {}
        for p in self.ctx.payments:
            t = to_datetime(p.created_at) - (2 * HOUR if p.invoiced else timedelta(0))
            self._seen(first, (p.domain, p.customer_ref), t, p.customer_email, p.customer_country,
                       p.currency if p.invoiced else None)
        for s in self.ctx.subscriptions:
            self._seen(first, (s.domain, s.customer_ref), to_datetime(s.start_at), s.customer_email,
                       s.customer_country, PLANS[s.plan_code].currency)
        rng = self.rng_customers
        for key, (t, email, country, currency_t, currency) in first.items():
            created = t - timedelta(minutes=int(rng.integers(1, 90)))
            if created < self.ctx.start <= t:
                created = self.ctx.start
            self.customers[key] = _Customer(
                id=self.ctx.next_id("cus", 8), domain=key[0], ref=key[1], email=email,
                country=country.upper() if country else None, created=created, currency=currency,
                last_change=created, invoice_prefix="".join("0123456789ABCDEF"[rng.integers(16)] for _ in range(8)))

    @staticmethod
    def _seen(first: dict, key: tuple[str, str], t: datetime, email, country, currency) -> None:
        cur = first.get(key)
        if cur is None:
            first[key] = [t, email, country, t if currency else None, currency]
            return
        if t < cur[0]:
            cur[0] = t
        cur[1] = cur[1] or email
        cur[2] = cur[2] or country
        if currency and (cur[3] is None or t < cur[3]):
            cur[3], cur[4] = t, currency

    def customer_row(self, c: _Customer) -> dict[str, Any]:
        rng = self.rng_customers
        name = f"{FIRST_NAMES[int(rng.integers(len(FIRST_NAMES)))]} {LAST_NAMES[int(rng.integers(len(LAST_NAMES)))]}"
        phone = f"+1{int(rng.integers(2_000_000_000, 9_999_999_999))}" if rng.random() < 0.4 else None
        return {
            "id": c.id, "_fivetran_synced": self.synced(c.last_change or c.created),
            "address_country": c.country, "balance": c.balance, "created": c.created, "currency": c.currency,
            "delinquent": c.delinquent, "description": None, "email": c.email, "invoice_prefix": c.invoice_prefix,
            "is_deleted": False, "livemode": c.livemode,
            "metadata": _json(app=c.domain, app_customer_id=c.ref),
            "name": name, "phone": phone, "tax_exempt": "none",
        }

    def touch(self, c: _Customer, t: datetime) -> None:
        if c.last_change is None or t > c.last_change:
            c.last_change = t

    # catalogue ---------------------------------------------------------------------------------------
    def write_catalogue(self) -> None:
        created = self.ctx.start - timedelta(days=180)
        products: dict[tuple[str, str], str] = {}
        for plan in PLANS.values():
            key = (plan.product_line, plan.name)
            if key not in products:
                products[key] = self.ctx.next_id("prod", 6)
                self.write("product", self._product_row(products[key], plan, created, True))
            self.price_ids[plan.code] = self.ctx.next_id("price", 6)
            self.product_names[plan.code] = plan.name
            self.write("price", self._price_row(self.price_ids[plan.code], products[key], plan, created, True))

    def write_test_catalogue(self, created: datetime) -> None:
        product_id = self.ctx.next_id("prod", 6)
        self.write("product", self._product_row(product_id, TEST_PLAN, created, False), livemode=False)
        self.plans[TEST_PLAN.code] = TEST_PLAN
        self.price_ids[TEST_PLAN.code] = self.ctx.next_id("price", 6)
        self.product_names[TEST_PLAN.code] = TEST_PLAN.name
        self.write("price", self._price_row(self.price_ids[TEST_PLAN.code], product_id, TEST_PLAN, created, False),
                   livemode=False)

    def _product_row(self, product_id: str, plan: Plan, created: datetime, livemode: bool) -> dict[str, Any]:
        return {
            "id": product_id, "_fivetran_synced": self.synced(created), "active": True, "created": created,
            "description": f"{plan.product_line.title()} plan: {plan.name}", "is_deleted": False,
            "livemode": livemode, "name": plan.name, "type": "service",
            "unit_label": "box" if plan.product_line == "storefront" else "seat", "updated": created,
        }

    def _price_row(self, price_id: str, product_id: str, plan: Plan, created: datetime, livemode: bool) -> dict:
        return {
            "id": price_id, "_fivetran_synced": self.synced(created), "active": True, "billing_scheme": "per_unit",
            "created": created, "currency": plan.currency, "is_deleted": False, "livemode": livemode,
            "metadata": _json(plan_code=plan.code, product_line=plan.product_line),
            "nickname": plan.code, "product_id": product_id, "recurring_interval": plan.interval,
            "recurring_interval_count": 1, "recurring_usage_type": "licensed", "unit_amount": plan.unit_amount,
        }

    # charges -----------------------------------------------------------------------------------------
    def charge_row(self, *, charge_id: str, customer: _Customer, amount: int, currency: str, created: datetime,
                   succeeded: bool, failure_code: str | None, invoice_id: str | None, payment_intent_id: str,
                   metadata: str, description: str | None, email: str | None, country: str | None,
                   bt_id: str | None, amount_refunded: int = 0, transfer_group: str | None = None,
                   last_change: datetime | None = None, livemode: bool = True) -> dict[str, Any]:
        code = None if succeeded else (failure_code or "card_declined")
        outcome = "authorized" if succeeded else ("blocked" if code == "fraudulent" else "issuer_declined")
        return {
            "id": charge_id, "_fivetran_synced": self.synced(max(created, last_change or created)),
            "amount": amount, "amount_refunded": amount_refunded, "balance_transaction_id": bt_id,
            "billing_detail_address_country": country, "captured": succeeded, "connected_account_id": None,
            "created": created, "currency": currency, "customer_id": customer.id, "description": description,
            "failure_code": code, "failure_message": FAILURE_MESSAGES.get(code, "Your card was declined.") if code else None,
            "invoice_id": invoice_id, "livemode": livemode, "metadata": metadata, "outcome_type": outcome,
            "paid": succeeded, "payment_intent_id": payment_intent_id, "receipt_email": email if succeeded else None,
            "refunded": succeeded and amount_refunded >= amount, "status": "succeeded" if succeeded else "failed",
            "transfer_group": transfer_group,
        }

    def charge_bt(self, charge_id: str, amount: int, currency: str, created: datetime, description: str | None) -> str:
        usd, rate = self.to_usd(amount, currency, created)
        fee, _ = self.to_usd(processing_fee(amount), currency, created)
        return self.add_bt(created, midnight(created) + 2 * DAY, usd, fee, rate, "charge", "charge", charge_id,
                           description)

    def refund(self, *, charge_id: str, payment_intent_id: str, amount: int, currency: str, at: datetime,
               reason: str = "requested_by_customer") -> None:
        refund_id = self.ctx.next_id("re", 8)
        usd, rate = self.to_usd(amount, currency, at)
        bt_id = self.add_bt(at, at, -usd, 0, rate, "refund", "refund", refund_id, "REFUND FOR CHARGE")
        self.write("refund", {
            "id": refund_id, "_fivetran_synced": self.synced(at), "amount": amount, "balance_transaction_id": bt_id,
            "charge_id": charge_id, "created": at, "currency": currency, "failure_reason": None, "metadata": "{}",
            "payment_intent_id": payment_intent_id, "reason": reason, "status": "succeeded",
        })

    # payments ----------------------------------------------------------------------------------------
    def render_payment(self, p: Payment) -> None:
        rng = self.rng_pay
        c = self.customers[(p.domain, p.customer_ref)]
        created = to_datetime(p.created_at)
        currency = p.currency.lower()
        description = p.description or f"{p.object_type} {p.object_id}"
        metadata = _json(app=p.domain, object_type=p.object_type, object_id=p.object_id)
        pi = self.ctx.next_id("pi", 12)
        last = created
        bt_id = None
        if p.succeeded:
            bt_id = self.charge_bt(p.charge_id, p.amount, currency, created, description)

        refunded = 0
        refund_at = to_datetime(p.refund_at) if p.refund_at is not None else None
        if p.succeeded and p.refund_amount > 0 and refund_at is not None:
            refunded = min(p.refund_amount, p.amount)
            refund_at = max(refund_at, created + timedelta(minutes=1))
            self.refund(charge_id=p.charge_id, payment_intent_id=pi, amount=refunded, currency=currency, at=refund_at)
            last = max(last, refund_at)

        if p.succeeded and p.dispute_at is not None:
            last = max(last, self.dispute(p, created, max(to_datetime(p.dispute_at), created + HOUR), currency))

        group = None
        if p.succeeded and p.transfer_destination and p.transfer_amount > 0:
            group = f"group_{p.charge_id}"
            self.transfer(p, created + timedelta(minutes=int(rng.integers(1, 60))), currency, group,
                          reversed_at=refund_at if refunded >= p.amount else None)

        invoice_id = None
        if p.invoiced:
            invoice_id = self.payment_invoice(p, c, created, currency, pi, metadata, description)
        self.touch(c, last)
        self.write("charge", self.charge_row(
            charge_id=p.charge_id, customer=c, amount=p.amount, currency=currency, created=created,
            succeeded=p.succeeded, failure_code=p.failure_code, invoice_id=invoice_id, payment_intent_id=pi,
            metadata=metadata, description=description, email=p.customer_email, country=c.country, bt_id=bt_id,
            amount_refunded=refunded, transfer_group=group, last_change=last))

    def dispute(self, p: Payment, charge_created: datetime, at: datetime, currency: str) -> datetime:
        """A chargeback: the amount and a fee leave the balance when it opens; won disputes give both back."""
        rng = self.rng_pay
        dispute_id = self.ctx.next_id("dp", 8)
        usd, rate = self.to_usd(p.amount, currency, at)
        bt_id = self.add_bt(at, at, -usd, DISPUTE_FEE, rate, "adjustment", "dispute", dispute_id,
                            f"Chargeback withdrawal for {p.charge_id}")
        due_by = midnight(at) + 14 * DAY
        close_at = at + timedelta(days=int(rng.integers(45, 76)), hours=int(rng.integers(0, 24)))
        responded = rng.random() < 0.8
        won = responded and rng.random() < DISPUTE_WIN_RATE / 0.8
        if self.end < due_by and not responded:
            status, last = "needs_response", at
        elif self.end < close_at:
            status, last = ("under_review", at + timedelta(days=int(rng.integers(1, 14)))) if responded \
                else ("needs_response", at)
            last = min(last, self.end - timedelta(minutes=1))
        else:
            status, last = ("won" if won else "lost"), close_at
            if won:
                back, back_rate = self.to_usd(p.amount, currency, close_at)
                self.add_bt(close_at, close_at, back, -DISPUTE_FEE, back_rate, "adjustment", "dispute_reversal",
                            dispute_id, f"Chargeback reversal for {p.charge_id}")
        reason = DISPUTE_REASONS[int(rng.choice(len(DISPUTE_REASONS), p=DISPUTE_REASON_P))]
        self.write("dispute", {
            "id": dispute_id, "_fivetran_synced": self.synced(last), "amount": p.amount,
            "balance_transaction": bt_id, "charge_id": p.charge_id, "connected_account_id": None, "created": at,
            "currency": currency, "evidence_details_due_by": due_by,
            "evidence_details_has_evidence": status in ("under_review", "won") or (status == "lost" and responded),
            "is_charge_refundable": False, "livemode": True, "metadata": "{}", "reason": reason, "status": status,
        })
        return last

    def transfer(self, p: Payment, at: datetime, currency: str, group: str, reversed_at: datetime | None) -> None:
        """Connect: the owner's / tutor's share goes to their connected account; reversed if the charge is refunded
        in full."""
        transfer_id = self.ctx.next_id("tr", 10)
        amount = min(p.transfer_amount, p.amount)
        usd, rate = self.to_usd(amount, currency, at)
        bt_id = self.add_bt(at, at, -usd, 0, rate, "transfer", "transfer", transfer_id, f"Transfer to {p.transfer_destination}")
        last = at
        if reversed_at is not None:
            reversed_at = max(reversed_at, at + timedelta(minutes=1))
            back, back_rate = self.to_usd(amount, currency, reversed_at)
            self.add_bt(reversed_at, reversed_at, back, 0, back_rate, "transfer_refund", "transfer_reversal",
                        transfer_id, f"Transfer reversal for {p.charge_id}")
            last = reversed_at
        self.write("transfer", {
            "id": transfer_id, "_fivetran_synced": self.synced(last), "amount": amount,
            "amount_reversed": amount if reversed_at is not None else 0, "balance_transaction_id": bt_id,
            "created": at, "currency": currency, "description": f"{p.object_type} {p.object_id}",
            "destination": p.transfer_destination, "destination_payment_id": self.ctx.next_id("py", 10),
            "livemode": True,
            "metadata": _json(app=p.domain, object_type=p.object_type, object_id=p.object_id),
            "reversed": reversed_at is not None, "source_transaction": p.charge_id, "source_type": "card",
            "transfer_group": group,
        })

    def payment_invoice(self, p: Payment, c: _Customer, charged: datetime, currency: str, pi: str, metadata: str,
                        description: str) -> str:
        """An app invoice with one line, paid by the payment's charge (marketplace contracts)."""
        rng = self.rng_pay
        invoice_id = self.ctx.next_id("in", 10)
        created = max(c.created, charged - timedelta(minutes=int(rng.integers(10, 120))))
        finalized = min(created + timedelta(minutes=1), charged)
        c.invoice_seq += 1
        status, paid_at, voided_at = ("paid", charged, None) if p.succeeded else ("open", None, None)
        if not p.succeeded and charged + 30 * DAY < self.end:
            status, voided_at = "void", charged + 30 * DAY
        last = voided_at or charged
        if not p.succeeded:
            c.delinquent = status == "open"
            self.touch(c, last)
        line_id = self.ctx.next_id("il", 12)
        self.write("invoice_line_item", {
            "id": line_id, "_fivetran_synced": self.synced(created), "amount": p.amount, "currency": currency,
            "description": description, "discountable": True, "invoice_id": invoice_id,
            "invoice_item_id": self.ctx.next_id("ii", 10), "livemode": True, "metadata": "{}",
            "period_end": created, "period_start": created, "plan_id": None, "price_id": None, "proration": False,
            "quantity": 1, "subscription_id": None, "subscription_item_id": None, "type": "invoiceitem",
        })
        self.write("invoice", {
            "id": invoice_id, "_fivetran_synced": self.synced(last), "amount_due": p.amount,
            "amount_paid": p.amount if p.succeeded else 0, "amount_remaining": 0 if p.succeeded else p.amount,
            "attempt_count": 1, "attempted": True, "auto_advance": status == "open",
            "billing": "charge_automatically", "billing_reason": "manual", "charge_id": p.charge_id,
            "created": created, "currency": currency, "customer_id": c.id, "description": description,
            "due_date": None, "ending_balance": 0, "is_deleted": False, "livemode": True, "metadata": metadata,
            "next_payment_attempt": None, "number": f"{c.invoice_prefix}-{c.invoice_seq:04d}", "paid": p.succeeded,
            "payment_intent_id": pi, "period_end": created, "period_start": created, "starting_balance": 0,
            "status": status, "status_transitions_finalized_at": finalized,
            "status_transitions_marked_uncollectible_at": None, "status_transitions_paid_at": paid_at,
            "status_transitions_voided_at": voided_at, "subscription_id": None, "subtotal": p.amount, "tax": None,
            "total": p.amount,
        })
        return invoice_id

    # subscriptions -----------------------------------------------------------------------------------
    def line(self, st: _SubState, *, amount: int, description: str, start: datetime, end: datetime, plan: Plan,
             proration: bool, type_: str, created: datetime) -> dict[str, Any]:
        return {
            "id": self.ctx.next_id("il", 12), "_fivetran_synced": self.synced(created), "amount": amount,
            "currency": plan.currency, "description": description, "discountable": True, "invoice_id": None,
            "invoice_item_id": self.ctx.next_id("ii", 10) if type_ == "invoiceitem" else None,
            "livemode": st.livemode, "metadata": "{}", "period_end": end, "period_start": start,
            "plan_id": self.price_ids[plan.code], "price_id": self.price_ids[plan.code], "proration": proration,
            "quantity": st.quantity, "subscription_id": st.sub.subscription_id, "subscription_item_id": st.item_id,
            "type": type_,
        }

    def period_line(self, st: _SubState, plan: Plan, start: datetime, end: datetime, created: datetime,
                    trial: bool = False) -> dict[str, Any]:
        if trial:
            return self.line(st, amount=0, description=f"Trial period for {plan.name}", start=start, end=end,
                             plan=plan, proration=False, type_="subscription", created=created)
        return self.line(st, amount=plan.unit_amount * st.quantity, start=start, end=end, plan=plan,
                         description=f"{st.quantity} × {plan.name} (at {money(plan.unit_amount, plan.currency)} / {plan.interval})",
                         proration=False, type_="subscription", created=created)

    def sub_invoice(self, st: _SubState, *, created: datetime, reason: str, lines: list[dict[str, Any]],
                    accrual: tuple[datetime, datetime], finalize_after: timedelta, dunning: bool,
                    stop_at: datetime | None) -> _Invoice:
        """A subscription invoice: discount, customer credit, finalisation (draft until then), payment attempts
        (renewals fail now and then and are retried 1-5 days later; the third failure ends in cancellation)."""
        rng = self.rng_subs
        c = st.customer
        invoice_id = self.ctx.next_id("in", 10)
        currency = st.plan.currency
        subtotal = sum(line["amount"] for line in lines)
        discount = 0
        if st.discount_active(created):
            discount = sum(round_half_away(line["amount"] * st.discount_percent / 100) for line in lines
                           if line["discountable"])
        total = subtotal - discount
        finalized = created + finalize_after
        draft = finalized >= self.end
        starting = c.balance
        due = max(0, total + starting)
        ending = None if draft else min(0, total + starting)
        if not draft:
            c.balance = ending
        pi = self.ctx.next_id("pi", 12) if due > 0 else None
        inv = _Invoice(invoice_id, created, due, "draft", last_change=created)
        attempts: list[tuple[datetime, bool, str | None]] = []
        next_attempt = None
        if not draft:
            inv.status = "paid" if due == 0 else "open"
            if due == 0:
                inv.paid_at = finalized
            else:
                t = finalized + timedelta(seconds=int(rng.integers(5, 600)))
                fails = dunning and st.livemode and rng.random() < RENEWAL_FAILURE_RATE
                n = 0
                while True:
                    if t >= self.end:
                        next_attempt = t
                        inv.open_at_end = True
                        break
                    if stop_at is not None and t >= stop_at:  # cancelled while unpaid: the invoice is voided
                        inv.status = "void"
                        inv.last_change = stop_at
                        break
                    if not fails:
                        attempts.append((t, True, None))
                        inv.status, inv.paid_at = "paid", t
                        break
                    code = FAILURE_CODES[int(rng.choice(len(FAILURE_CODES), p=FAILURE_CODE_P))]
                    attempts.append((t, False, code))
                    if n >= len(RETRY_SUCCESS):
                        inv.status, inv.uncollectible_at = "uncollectible", t
                        break
                    fails = rng.random() >= RETRY_SUCCESS[n]
                    n += 1
                    t = t + timedelta(days=int(rng.integers(1, 6)), minutes=int(rng.integers(0, 240)))
        if inv.open_at_end:
            c.delinquent = True
        elif inv.status == "paid" and dunning:
            c.delinquent = False

        sub_id = st.sub.subscription_id
        charge_id = None
        for t, ok, code in attempts:
            charge_id = self.ctx.next_id("ch", 10)
            desc = "Subscription creation" if reason == "subscription_create" else "Subscription update"
            bt_id = self.charge_bt(charge_id, due, currency, t, desc) if ok and st.livemode else None
            st.charges.append(self.charge_row(
                charge_id=charge_id, customer=c, amount=due, currency=currency, created=t, succeeded=ok,
                failure_code=code, invoice_id=invoice_id, payment_intent_id=pi, metadata="{}", description=desc,
                email=c.email, country=c.country, bt_id=bt_id, livemode=st.livemode))
            inv.last_change = t
            if ok:
                inv.charge_id, inv.charge_amount, inv.payment_intent_id = charge_id, due, pi
        for line in lines:
            line["invoice_id"] = invoice_id
            self.write("invoice_line_item", line, livemode=st.livemode)
        if not draft:
            c.invoice_seq += 1
            inv.last_change = max(inv.last_change, finalized)
        if inv.uncollectible_at:
            inv.last_change = inv.uncollectible_at
        self.touch(c, inv.last_change)
        st.last_change = max(st.last_change or created, inv.last_change)
        self.write("invoice", {
            "id": invoice_id, "_fivetran_synced": self.synced(inv.last_change), "amount_due": due,
            "amount_paid": due if inv.status == "paid" else 0,
            "amount_remaining": 0 if inv.status == "paid" else due,
            "attempt_count": len(attempts), "attempted": bool(attempts) or inv.status == "paid",
            "auto_advance": inv.status in ("draft", "open"), "billing": "charge_automatically",
            "billing_reason": reason, "charge_id": charge_id, "created": created, "currency": currency,
            "customer_id": c.id, "description": None, "due_date": None, "ending_balance": ending, "is_deleted": False,
            "livemode": st.livemode, "metadata": "{}", "next_payment_attempt": next_attempt,
            "number": None if draft else f"{c.invoice_prefix}-{c.invoice_seq:04d}", "paid": inv.status == "paid",
            "payment_intent_id": pi, "period_end": accrual[1], "period_start": accrual[0], "starting_balance": starting,
            "status": inv.status, "status_transitions_finalized_at": None if draft else finalized,
            "status_transitions_marked_uncollectible_at": inv.uncollectible_at,
            "status_transitions_paid_at": inv.paid_at,
            "status_transitions_voided_at": inv.last_change if inv.status == "void" else None,
            "subscription_id": sub_id, "subtotal": subtotal, "tax": None, "total": total,
        }, livemode=st.livemode)
        st.invoices.append(inv)
        return inv

    def render_subscription(self, sub: Subscription, livemode: bool = True) -> None:
        rng = self.rng_subs
        end = self.end
        c = self.customers[(sub.domain, sub.customer_ref)]
        plan = self.plans[sub.plan_code]
        start = to_datetime(sub.start_at)
        st = _SubState(sub, c, plan, self.ctx.next_id("si", 8), livemode, max(1, int(sub.quantity)),
                       last_change=start)
        if livemode and sub.discount_percent > 0:
            self.subscription_discount(st, start)
        cancel_req = to_datetime(sub.cancelled_at) if sub.cancelled_at is not None else None
        if cancel_req is not None and cancel_req >= end:
            cancel_req = None
        if cancel_req is not None:
            cancel_req = max(cancel_req, start + timedelta(minutes=1))
        at_period_end = cancel_req is not None and rng.random() < CANCEL_AT_PERIOD_END_SHARE
        stop_at = cancel_req if cancel_req is not None and not at_period_end else None
        changes = []
        for ch in sorted(sub.changes, key=lambda ch: ch.at):
            at = to_datetime(ch.at)
            if start < at < end and (cancel_req is None or at < cancel_req) and ch.plan_code in self.plans:
                if self.plans[ch.plan_code].currency != plan.currency:
                    raise ValueError(f"{sub.subscription_id}: Stripe cannot change a subscription's currency "
                                     f"({sub.plan_code} -> {ch.plan_code})")
                changes.append((at, self.plans[ch.plan_code]))

        trial_end = start + timedelta(days=int(sub.trial_days)) if sub.trial_days and sub.trial_days > 0 else None
        if trial_end is not None:
            anchor, k, ps, pe = trial_end, 0, start, trial_end
            inv = self.sub_invoice(st, created=start, reason="subscription_create",
                                   lines=[self.period_line(st, plan, start, trial_end, start, trial=True)],
                                   accrual=(start, start), finalize_after=timedelta(0), dunning=False, stop_at=None)
        else:
            anchor, k, ps = start, 1, start
            pe = add_interval(anchor, plan.interval, 1)
            inv = self.sub_invoice(st, created=start, reason="subscription_create",
                                   lines=[self.period_line(st, plan, ps, pe, start)], accrual=(start, start),
                                   finalize_after=timedelta(0), dunning=False, stop_at=None)
        ended_at = canceled_at = cancel_at = None
        involuntary = False
        past_due = False
        stop = None  # dunning exhausted: the subscription is cancelled then (may be after the next renewal: weekly)
        ci = 0
        while True:
            while ci < len(changes) and changes[ci][0] < pe and (stop is None or changes[ci][0] < stop):
                at, new = changes[ci]
                ci += 1
                if new.code == st.plan.code:
                    continue
                old = st.plan
                in_trial = trial_end is not None and at < trial_end
                st.plan = new
                if in_trial:
                    continue  # a plan switch during the trial is free; the first paid invoice uses the new plan
                fraction = (pe - at).total_seconds() / (pe - ps).total_seconds()
                credit = self.line(st, amount=-round_half_away(old.unit_amount * st.quantity * fraction),
                                   description=f"Unused time on {st.quantity} × {old.name} after {at:%d %b %Y}",
                                   start=at, end=pe, plan=old, proration=True, type_="invoiceitem", created=at)
                if new.interval == old.interval:
                    debit = self.line(st, amount=round_half_away(new.unit_amount * st.quantity * fraction),
                                      description=f"Remaining time on {st.quantity} × {new.name} after {at:%d %b %Y}",
                                      start=at, end=pe, plan=new, proration=True, type_="invoiceitem", created=at)
                else:  # a new interval resets the billing cycle: the new plan's full period starts now
                    anchor, k, ps = at, 1, at
                    pe = add_interval(anchor, new.interval, 1)
                    debit = self.period_line(st, new, ps, pe, at)
                self.sub_invoice(st, created=at, reason="subscription_update", lines=[credit, debit],
                                 accrual=(at, at), finalize_after=timedelta(0), dunning=False, stop_at=stop_at)
            if stop is not None and stop < pe:
                ended_at = canceled_at = stop
                involuntary = True
                break
            if cancel_req is not None and cancel_req < pe:
                canceled_at = cancel_req
                if at_period_end:
                    cancel_at = pe
                    ended_at = pe if pe <= end else None
                else:
                    ended_at = cancel_req
                break
            if pe >= end:
                break
            prev = ps
            ps, k = pe, k + 1
            pe = add_interval(anchor, st.plan.interval, k)
            inv = self.sub_invoice(st, created=ps, reason="subscription_cycle",
                                   lines=[self.period_line(st, st.plan, ps, pe, ps)], accrual=(prev, ps),
                                   finalize_after=HOUR, dunning=True, stop_at=stop_at)
            past_due = past_due or inv.open_at_end
            if inv.uncollectible_at is not None and (stop is None or inv.uncollectible_at < stop):
                stop = inv.uncollectible_at

        # refund of the last payment when the customer cancels soon after paying for it
        if livemode and canceled_at is not None and not involuntary:
            paid = [i for i in st.invoices if i.charge_id and i.paid_at is not None and i.paid_at <= canceled_at]
            if paid and paid[-1].paid_at >= canceled_at - 14 * DAY and rng.random() < SUBSCRIPTION_REFUND_SHARE:
                at = canceled_at + timedelta(hours=int(rng.integers(1, 48)))
                if at < end:
                    self.refund_subscription_charge(paid[-1], st, at)
                    st.last_change = max(st.last_change, at)

        for row in st.charges:
            self.write("charge", row, livemode=livemode)

        if ended_at is not None:
            status = "canceled"
        elif trial_end is not None and trial_end > end:
            status = "trialing"
        elif past_due:
            status = "past_due"
        else:
            status = "active"
        for t in (canceled_at, ended_at):
            if t is not None:
                st.last_change = max(st.last_change, t)
        sub_meta = _json(app=sub.domain, app_customer_id=sub.customer_ref)
        self.write("subscription", {
            "id": sub.subscription_id, "_fivetran_synced": self.synced(st.last_change), "billing": "charge_automatically",
            "billing_cycle_anchor": anchor, "cancel_at": cancel_at, "cancel_at_period_end": at_period_end,
            "canceled_at": canceled_at, "created": start, "current_period_end": pe, "current_period_start": ps,
            "customer_id": c.id, "days_until_due": None, "ended_at": ended_at,
            "latest_invoice_id": st.invoices[-1].id, "livemode": livemode, "metadata": sub_meta,
            "quantity": st.quantity, "start_date": start, "status": status,
            "trial_end": trial_end, "trial_start": start if trial_end is not None else None,
        }, livemode=livemode)
        self.write("subscription_item", {
            "id": st.item_id, "_fivetran_synced": self.synced(st.last_change), "created": start,
            "current_period_end": pe, "current_period_start": ps, "metadata": "{}",
            "plan_id": self.price_ids[st.plan.code], "quantity": st.quantity, "subscription_id": sub.subscription_id,
        }, livemode=livemode)

    def refund_subscription_charge(self, inv: _Invoice, st: _SubState, at: datetime) -> None:
        self.refund(charge_id=inv.charge_id, payment_intent_id=inv.payment_intent_id, amount=inv.charge_amount,
                    currency=st.plan.currency, at=at)
        for row in st.charges:  # Stripe updates the charge; the connector re-syncs it
            if row["id"] == inv.charge_id:
                row["amount_refunded"] = inv.charge_amount
                row["refunded"] = True
                row["_fivetran_synced"] = self.synced(at)

    def subscription_discount(self, st: _SubState, start: datetime) -> None:
        rng = self.rng_subs
        pct = int(st.sub.discount_percent)
        repeating = rng.random() < REPEATING_COUPON_SHARE
        coupon_id = f"{pct}OFF3M" if repeating else f"{pct}OFF"
        coupon = self.coupons.setdefault(coupon_id, {
            "id": coupon_id, "_fivetran_synced": None, "amount_off": None, "created": self.ctx.start - 30 * DAY,
            "currency": None, "duration": "repeating" if repeating else "forever",
            "duration_in_months": 3 if repeating else None, "livemode": True, "max_redemptions": None,
            "metadata": "{}", "name": f"{pct}% off" + (" for 3 months" if repeating else ""), "percent_off": float(pct),
            "redeem_by": None, "times_redeemed": 0, "valid": True,
        })
        coupon["times_redeemed"] += 1
        coupon["_fivetran_synced"] = max(coupon["_fivetran_synced"] or start, self.synced(start))
        st.discount_percent = pct
        st.discount_end = add_interval(start, "month", 3) if repeating else None
        self.write("discount", {
            "id": self.ctx.next_id("di", 8), "_fivetran_synced": self.synced(start), "type": "SUBSCRIPTION",
            "type_id": st.sub.subscription_id, "coupon_id": coupon_id, "customer_id": st.customer.id,
            "end": st.discount_end, "invoice_id": None, "invoice_item_id": None, "promotion_code": None,
            "start": start, "subscription_id": st.sub.subscription_id,
        })

    # test mode ---------------------------------------------------------------------------------------
    def render_test_mode(self) -> None:
        """A few whole test-mode customers (developers trying checkout): livemode = false everywhere, no balance
        transactions. Staging sets all of it aside."""
        if self.ctx.fault_rate <= 0:
            return
        rng = self.rng_test
        n = max(2, round(len(self.customers) * self.ctx.fault_rate * 0.3))
        self.write_test_catalogue(self.ctx.start + timedelta(days=3))
        for i in range(n):
            created = self.ctx.random_time(rng, self.ctx.start + 5 * DAY, self.end - 90 * DAY)
            ref = f"test_{i + 1}"
            c = _Customer(id=self.ctx.next_id("cus", 8), domain="internal_test", ref=ref,
                          email=f"dev+test{i + 1}@example.com", country="US", created=created, livemode=False,
                          currency="usd", last_change=created, invoice_prefix=f"TEST{i + 1:04d}")
            self.customers[("internal_test", ref)] = c
            sub = Subscription(domain="internal_test", customer_ref=ref, customer_email=c.email, customer_country="US",
                               plan_code=TEST_PLAN.code, start_at=created + timedelta(minutes=5),
                               cancelled_at=created + timedelta(days=int(rng.integers(20, 80))))
            sub.subscription_id = self.ctx.next_id("sub", 8)
            self.render_subscription(sub, livemode=False)
            for _ in range(int(rng.integers(1, 4))):
                t = created + timedelta(hours=int(rng.integers(1, 24 * 20)))
                ok = rng.random() < 0.7
                self.write("charge", self.charge_row(
                    charge_id=self.ctx.next_id("ch", 10), customer=c, amount=int(rng.integers(5, 200)) * 100,
                    currency="usd", created=t, succeeded=ok, failure_code=None if ok else "card_declined",
                    invoice_id=None, payment_intent_id=self.ctx.next_id("pi", 12),
                    metadata=_json(app="internal_test", object_type="checkout", object_id=f"t{i}"),
                    description="Test checkout", email=c.email, country="US", bt_id=None, livemode=False),
                    livemode=False)
            self.write("customer", self.customer_row(c), livemode=False)

    # payouts -----------------------------------------------------------------------------------------
    def write_balance_and_payouts(self) -> None:
        """Daily automatic payouts: each day's payout settles every transaction that became available since the
        previous payout (credits and debits); a day whose available balance is not positive pays nothing and
        carries over."""
        ctx = self.ctx
        rng = ctx.rng(SOURCE, "payouts")
        start = ctx.start
        days = ctx.days
        # the payout of day d (created shortly after midnight) settles what was available at midnight of day d
        buckets = np.empty(len(self.bts), dtype=np.int64)
        for i, bt in enumerate(self.bts):
            secs = (bt[2] - start).total_seconds()
            buckets[i] = math.ceil(secs / 86400)
        nets = np.array([bt[5] for bt in self.bts], dtype=np.int64)
        in_range = (buckets >= 0) & (buckets < days)
        by_day = np.bincount(buckets[in_range], weights=nets[in_range], minlength=days).astype(np.int64)
        payout_of_day: list[str | None] = [None] * days
        pending: list[int] = []
        carry = 0
        bank = ctx.next_id("ba", 6)
        payout_bts: list[tuple] = []
        payout_of_bt: dict[str, str] = {}
        for d in range(days):
            carry += int(by_day[d])
            pending.append(d)
            if carry <= 0:
                continue
            created = start + d * DAY + timedelta(minutes=int(rng.integers(5, 90)))
            payout_id = ctx.next_id("po", 6)
            for day in pending:
                payout_of_day[day] = payout_id
            arrival = midnight(created) + 2 * DAY
            bt_id = ctx.next_id("txn", 12)
            payout_bts.append((bt_id, created, created, -carry, 0, -carry, None, "payout", "payout", payout_id,
                               "STRIPE PAYOUT"))
            payout_of_bt[bt_id] = payout_id
            self.write("payout", {
                "id": payout_id, "_fivetran_synced": self.synced(min(arrival, self.end)), "amount": carry,
                "arrival_date": arrival, "automatic": True, "balance_transaction_id": bt_id,
                "connected_account_id": None, "created": created, "currency": REPORTING_CURRENCY,
                "description": "STRIPE PAYOUT", "destination_bank_account_id": bank, "failure_code": None,
                "failure_message": None, "livemode": True, "metadata": "{}", "method": "standard",
                "source_type": "card", "status": "paid" if arrival <= self.end else "in_transit", "type": "bank_account",
            })
            carry = 0
            pending = []
        for i, bt in enumerate(self.bts):
            b = int(buckets[i])
            payout_id = payout_of_day[b] if 0 <= b < days else None
            self.write_bt(bt, payout_id)
        for bt in payout_bts:
            self.write_bt(bt, payout_of_bt[bt[0]])

    def write_bt(self, bt: tuple, payout_id: str | None) -> None:
        bt_id, created, available_on, amount, fee, net, rate, type_, category, source, description = bt
        self.write("balance_transaction", {
            "id": bt_id, "_fivetran_synced": self.synced(created), "amount": amount, "available_on": available_on,
            "connected_account_id": None, "created": created, "currency": REPORTING_CURRENCY,
            "description": description, "exchange_rate": rate, "fee": fee, "net": net, "payout_id": payout_id,
            "reporting_category": category, "source": source,
            "status": "available" if available_on <= self.end else "pending", "type": type_,
        })

    # run ---------------------------------------------------------------------------------------------
    def run(self) -> None:
        for table in TABLES:  # every table of the contract exists, even when no app registered any money
            self.ctx.sink(SOURCE, table)
        self.prepare_customers()
        self.write_catalogue()
        for sub in self.ctx.subscriptions:
            self.render_subscription(sub)
        for p in self.ctx.payments:
            self.render_payment(p)
        self.render_test_mode()
        for coupon in self.coupons.values():
            self.write("coupon", coupon)
        for c in self.customers.values():
            if c.livemode:
                self.write("customer", self.customer_row(c))
        self.write_balance_and_payouts()


def generate(ctx: Context) -> None:
    _Stripe(ctx).run()
