"""Storefront (seed 001): customers, orders, the weekly subscription box, Meta / TikTok ad spend, the web and API
event stream and the finance ledger's daily figures, as the app's loader lands them.

Orders and events are the high-volume streams (1M orders and about 5M events at scale l): they are generated
with numpy in chunks and written with `Sink.write_columns`. Customers, subscriptions, spend and metrics_daily
are written row by row.

The business in numbers: about 2.5 orders per customer; order sources Shopify (the web shop, ~58%), API (~14%),
Marketplace (~19%) and Partnerships (~9%); 30% of customers come from paid social ads (their first order
carries the ad's campaign id); 3% of orders fail to pay (cancelled), ~2.5% are refunded and ~2% partly
refunded, usually the month after; a few are disputed. Web sessions are ~25-33x orders, so the conversion rate
is 3-4% and the add-to-cart rate 8-12%. The event stream covers the trailing weeks that fit the scale's
`storefront_events` budget: web tracking "went live" then (see docs/decisions/storefront.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from .core import FX_BASE, Context, Payment, Subscription

SOURCE = "storefront"
EPOCH = datetime(1970, 1, 1)
DAY = 86_400
CHUNK = 200_000

ORDER_SOURCES = ["Shopify", "API", "Marketplace", "Partnerships"]
SHOPIFY, API = 0, 1
# Order source of customers who did not come from an ad (ad customers buy in the web shop), chosen so that the
# overall mix is about Shopify 58%, API 14%, Marketplace 19%, Partnerships 9%.
SOURCE_SHARE_NON_AD = [0.40, 0.20, 0.27, 0.13]
SOURCE_SHARE_ANY = [0.55, 0.15, 0.20, 0.10]
CHANNELS = ["organic", "paid_social", "referral", "direct"]
CHANNEL_SHARE = [0.40, 0.30, 0.15, 0.15]
PAID_SOCIAL, REFERRAL = 1, 2

COUNTRIES = ["US", "CA", "GB", "DE", "FR", "NL", "AU"]
COUNTRY_SHARE = [0.66, 0.10, 0.08, 0.05, 0.04, 0.03, 0.04]
COUNTRY_CURRENCY = ["usd", "cad", "gbp", "eur", "eur", "eur", "usd"]
# The offset some writers add to local times (tz_offset faults): the same instant, local time + offset.
COUNTRY_OFFSET_MIN = [-300, -240, 60, 120, 120, 120, 600]

FIRST_NAMES = ["alex", "sam", "jordan", "taylor", "morgan", "casey", "jamie", "riley", "avery", "quinn", "maria",
               "li", "noah", "emma", "lucas", "mia", "leo", "zoe", "omar", "ines", "hugo", "lena", "ravi", "yuki"]
LAST_NAMES = ["smith", "garcia", "chen", "muller", "martin", "brown", "dubois", "rossi", "tanaka", "kim", "singh",
              "novak", "silva", "jones", "lopez", "walker", "young", "khan", "meyer", "costa"]
EMAIL_DOMAINS = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "hey.com"]

# Ad platforms and their campaigns: (name, first day, last day (inclusive, day index of the year), weight).
PLATFORMS = ["meta", "tiktok"]
PLATFORM_SHARE = [0.65, 0.35]
CAMPAIGNS = {
    "meta": [("Prospecting - Always On", 0, 364, 3.0), ("Retargeting - Always On", 0, 364, 1.5),
             ("Spring Sale", 73, 119, 2.0), ("Black Friday", 318, 335, 4.0)],
    "tiktok": [("Prospecting - Always On", 0, 364, 2.0), ("Creators Summer", 151, 242, 2.0),
               ("Holiday Gifting", 334, 364, 3.0)],
}
CPA_CENTS = {"meta": 3800, "tiktok": 2900}  # spend per ad-attributed order the platforms deliver
CPC_CENTS = {"meta": 110, "tiktok": 70}
CTR = {"meta": 0.012, "tiktok": 0.009}

ORDER_FAULTS = ["duplicate", "null_key", "non_positive_amount", "malformed_value", "tz_offset"]
EVENT_FAULTS = ["duplicate", "null_key", "malformed_json", "tz_offset", "late_event"]
MALFORMED_TIMES = ["2025-02-30T10:00:00", "31/12/2025 10:00", "unknown-date", "2025-06-31 12:00:00",
                   "20251301T000000"]

# Web sessions: pages viewed beyond the landing page, add-to-cart and checkout behaviour.
PV_PROB, PV_EXTRA = 0.25, 0.5  # a non-buying session views more pages with PV_PROB, then 1 + Poisson(PV_EXTRA)
CHECKOUT_AFTER_CART = 0.35  # non-buying sessions with a cart that start a checkout (then abandon it)
EVENT_OFFSETS_MIN = [120, -300, 60, -480]
PAGES = ["/", "/collections/new", "/collections/bestsellers", "/about", "/cart", "/box", "/search"]
DEVICES = ["mobile", "desktop", "tablet"]
DEVICE_SHARE = [0.62, 0.33, 0.05]
REFERRERS = ["google.com", "instagram.com", "facebook.com", "tiktok.com", "newsletter", None]
REFERRER_SHARE = [0.32, 0.14, 0.10, 0.10, 0.06, 0.28]
N_PRODUCTS = 240
API_GET_ENDPOINTS = ["/v1/products", "/v1/products/{sku}", "/v1/inventory", "/v1/orders"]


def _dt(seconds: int) -> datetime:
    return EPOCH + timedelta(seconds=int(seconds))


def _ts(seconds: np.ndarray) -> np.ndarray:
    """Epoch seconds to datetime64[s] (which .tolist() turns into datetimes for the sinks)."""
    return np.asarray(seconds, dtype="int64").astype("datetime64[s]")


def _iso(seconds: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(_ts(seconds), unit="s")


def _iso_with_offset(seconds: np.ndarray, offset_min: np.ndarray) -> np.ndarray:
    """The same instants written as local time with an explicit offset (e.g. 2025-03-01T09:00:00-05:00)."""
    offset_min = np.asarray(offset_min, dtype="int64")
    local = _iso(np.asarray(seconds, dtype="int64") + offset_min * 60)
    sign = np.where(offset_min < 0, "-", "+")
    a = np.abs(offset_min)
    suffix = [f"{s}{h:02d}:{m:02d}" for s, h, m in zip(sign, a // 60, a % 60)]
    return np.char.add(local.astype(str), np.array(suffix, dtype=str))


def _fault_kinds(rng: np.random.Generator, n: int, rate: float, kinds: list[str]) -> np.ndarray:
    """Per row: -1 (no fault) or the index of one of `kinds`; a row gets a fault with probability `rate`."""
    hit = rng.random(n) < rate
    return np.where(hit, rng.integers(0, len(kinds), n), -1)


# ----------------------------------------------------------------------------------------------- the plan

@dataclass
class Plan:
    """The order history, decided once; orders, spend, events and metrics_daily are all derived from it."""

    t: np.ndarray  # order times, epoch seconds, sorted
    cust: np.ndarray  # customer index per order
    first: np.ndarray  # the customer's first order
    src: np.ndarray  # index into ORDER_SOURCES
    is_ad: np.ndarray
    campaign: np.ndarray  # global campaign index (into Plan.campaigns), -1 when not from an ad
    # customers
    customer_ids: list[str]
    first_t: np.ndarray  # first order time per customer (sorted: customers are numbered by first order)
    created: np.ndarray
    country: np.ndarray
    channel: np.ndarray
    emails: list[str]
    # campaigns: (platform, campaign_id, name, first_day, last_day, weight)
    campaigns: list[tuple[str, str, str, int, int, float]]


def _campaigns(ctx: Context, rng: np.random.Generator) -> list[tuple[str, str, str, int, int, float]]:
    out = []
    for platform in PLATFORMS:
        for name, lo, hi, weight in CAMPAIGNS[platform]:
            lo, hi = lo, min(hi, ctx.days - 1)
            if lo > hi:
                continue  # outside a short period (scale tiny)
            if platform == "meta":  # Meta campaign ids: 17 digits starting 2385...
                campaign_id = f"2385{int(rng.integers(10**12, 10**13)):013d}"
            else:  # TikTok campaign ids: 19 digits starting 17...
                campaign_id = f"17{int(rng.integers(10**16, 10**17)):017d}"
            label = "Meta" if platform == "meta" else "TikTok"
            out.append((platform, campaign_id, f"{label} - {name}", lo, hi, weight))
    return out


def _plan(ctx: Context) -> Plan:
    rng = ctx.rng(SOURCE, "plan")
    start_s = int((ctx.start - EPOCH).total_seconds())
    n = ctx.volume("orders")
    t = ctx.sample_times(rng, n).astype("int64")

    # customers: about one per 2.5 orders; a customer's first order makes the account, later ones are repeats
    n_cust = max(1, round(n / 2.5))
    first = np.zeros(n, dtype=bool)
    first[0] = True
    if n_cust > 1:
        first[1 + rng.choice(n - 1, size=n_cust - 1, replace=False)] = True
    seen = np.cumsum(first)  # customers whose first order is at or before this one
    repeat_pick = np.floor(rng.random(n) * seen).astype("int64")
    cust = np.where(first, seen - 1, np.minimum(repeat_pick, seen - 1))
    first_t = t[first]
    # the account exists an hour to a month before the first order (less for the period's first hours)
    lead = np.minimum(rng.integers(3600, 30 * DAY, n_cust), (first_t - start_s) * rng.uniform(0.5, 1.0, n_cust))
    created = first_t - lead.astype("int64")
    country = rng.choice(len(COUNTRIES), n_cust, p=COUNTRY_SHARE)
    channel = rng.choice(len(CHANNELS), n_cust, p=CHANNEL_SHARE)
    primary = rng.choice(len(ORDER_SOURCES), n_cust, p=SOURCE_SHARE_NON_AD)
    primary[channel == PAID_SOCIAL] = SHOPIFY
    platform = rng.choice(len(PLATFORMS), n_cust, p=PLATFORM_SHARE)
    customer_ids = [ctx.next_id("cust") for _ in range(n_cust)]
    fn = rng.integers(0, len(FIRST_NAMES), n_cust)
    ln = rng.integers(0, len(LAST_NAMES), n_cust)
    dom = rng.integers(0, len(EMAIL_DOMAINS), n_cust)
    num = rng.integers(1, 999, n_cust)
    emails = [f"{FIRST_NAMES[a]}.{LAST_NAMES[b]}{c}@{EMAIL_DOMAINS[d]}" for a, b, c, d in zip(fn, ln, num, dom)]

    # order source: mostly the customer's usual one
    src = np.where(rng.random(n) < 0.85, primary[cust], rng.choice(len(ORDER_SOURCES), n, p=SOURCE_SHARE_ANY))
    ad_customer = channel[cust] == PAID_SOCIAL
    is_ad = ad_customer & (first | (rng.random(n) < 0.15))  # acquisition orders + some retargeted repeats
    src[is_ad] = SHOPIFY

    # the campaign behind each ad order: one of the platform's campaigns running that day, by weight
    campaigns = _campaigns(ctx, ctx.rng(SOURCE, "campaigns"))
    day = ((t - start_s) // DAY).astype("int64")
    campaign = np.full(n, -1, dtype="int64")
    for p, name in enumerate(PLATFORMS):
        members = [i for i, c in enumerate(campaigns) if c[0] == name]
        w = np.zeros((ctx.days, len(members)))
        for j, i in enumerate(members):
            _, _, _, lo, hi, weight = campaigns[i]
            w[lo:hi + 1, j] = weight
        cum = np.cumsum(w, axis=1)
        cum = cum / cum[:, -1:]
        sel = np.flatnonzero(is_ad & (platform[cust] == p))
        u = rng.random(len(sel))
        j = (cum[day[sel]] < u[:, None]).sum(axis=1)
        campaign[sel] = np.array(members)[np.minimum(j, len(members) - 1)]

    return Plan(t=t, cust=cust, first=first, src=src, is_ad=is_ad, campaign=campaign, customer_ids=customer_ids,
                first_t=first_t, created=created, country=country, channel=channel, emails=emails,
                campaigns=campaigns)


# ----------------------------------------------------------------------------------------------- customers

def customers(ctx: Context, plan: Plan) -> None:
    rng = ctx.rng(SOURCE, "customers")
    lag = rng.integers(60, 3600, len(plan.customer_ids))
    for i, customer_id in enumerate(plan.customer_ids):
        created = _dt(plan.created[i])
        row = {
            "customer_id": customer_id,
            "email": plan.emails[i],
            "country": COUNTRIES[plan.country[i]],
            "created_at": created,
            "acquisition_channel": CHANNELS[plan.channel[i]],
            "_loaded_at": created + timedelta(seconds=int(lag[i])),
        }
        # customers are parents of orders and subscriptions: only duplicates, never an unusable row
        ctx.emit(SOURCE, "customers", row, key="customer_id", loaded_at="_loaded_at", faults=("duplicate",))


# ----------------------------------------------------------------------------------------------- orders

def orders(ctx: Context, plan: Plan) -> np.ndarray:
    """Write the orders in chunks and register their payments; return the day's revenue in US cents (the
    orders that collected money), which the finance ledger's COGS follows."""
    rng = ctx.rng(SOURCE, "orders")
    sink = ctx.sink(SOURCE, "orders")
    start_s = int((ctx.start - EPOCH).total_seconds())
    end_s = int((ctx.end - EPOCH).total_seconds())
    n = len(plan.t)
    revenue = np.zeros(ctx.days, dtype="float64")
    fx = np.array([FX_BASE[c] for c in COUNTRY_CURRENCY])
    for c0 in range(0, n, CHUNK):
        c1 = min(n, c0 + CHUNK)
        m = c1 - c0
        t = plan.t[c0:c1]
        cust = plan.cust[c0:c1]
        src = plan.src[c0:c1]
        country = plan.country[cust]
        currency = np.array(COUNTRY_CURRENCY)[country]

        # amounts: an order of ~55 USD (B2B sources larger), in the customer's currency
        usd = np.clip(rng.lognormal(math.log(55.0), 0.55, m), 8.0, 900.0)
        usd = usd * np.select([src == API, src == 3], [2.5, 1.8], 1.0)
        total = np.maximum(100, np.round(usd / fx[country] * 100)).astype("int64")

        # payment outcome and later refunds / disputes
        u = rng.random(m)
        cancelled = u < 0.03
        full = (u >= 0.03) & (u < 0.055)
        partial = (u >= 0.055) & (u < 0.075)
        refund_at = t + rng.integers(3 * DAY, 45 * DAY, m)
        refunded = (full | partial) & (refund_at < end_s)
        status = np.where(cancelled, "cancelled", "paid").astype(object)
        status[refunded & full] = "refunded"
        status[refunded & partial] = "partially_refunded"
        refund_amount = np.where(refunded & full, total, 0)
        refund_amount = np.where(refunded & partial, np.round(total * rng.uniform(0.2, 0.6, m)), refund_amount)
        refund_amount = refund_amount.astype("int64")
        dispute_at = t + rng.integers(7 * DAY, 60 * DAY, m)
        disputed = (status == "paid") & (rng.random(m) < 0.004) & (dispute_at < end_s)

        # utm: ads carry the platform and campaign id; other web orders sometimes a search or newsletter visit
        camp = plan.campaign[c0:c1]
        utm_source = np.full(m, None, dtype=object)
        utm_campaign = np.full(m, None, dtype=object)
        web = src == SHOPIFY
        organic = rng.choice(["google", "newsletter", ""], m, p=[0.30, 0.15, 0.55])
        utm_source[web & (organic != "")] = organic[web & (organic != "")]
        referral_first = web & plan.first[c0:c1] & (plan.channel[cust] == REFERRAL)
        utm_source[referral_first] = "referral"
        for i in np.flatnonzero(camp >= 0):
            utm_source[i] = plan.campaigns[camp[i]][0]
            utm_campaign[i] = plan.campaigns[camp[i]][1]

        loaded = np.where(refunded, refund_at, t) + rng.integers(60, 3600, m)
        created_text = _iso(t).astype(object)

        # faults: one per row at most; an unusable order (no key, bad time, impossible amount) has no payment
        kind = _fault_kinds(rng, m, ctx.fault_rate, ORDER_FAULTS)
        k_dup, k_null, k_amount, k_malformed, k_tz = (kind == i for i in range(len(ORDER_FAULTS)))
        tz_text = _iso_with_offset(t[k_tz], np.array(COUNTRY_OFFSET_MIN)[country[k_tz]])
        created_text[k_tz] = tz_text
        created_text[k_malformed] = rng.choice(MALFORMED_TIMES, int(k_malformed.sum()))
        bad_amount = np.where(rng.random(m) < 0.5, 0, -total)
        total_written = np.where(k_amount, bad_amount, total)
        status[k_amount] = "paid"
        refund_amount[k_amount] = 0
        unusable = k_null | k_amount | k_malformed

        order_ids = [ctx.next_id("ord") for _ in range(m)]
        charge_ids: list[str | None] = [None] * m
        for i in range(m):
            if unusable[i]:
                continue
            ci = int(cust[i])
            charge_ids[i] = ctx.add_payment(Payment(
                domain=SOURCE, object_type="order", object_id=order_ids[i],
                customer_ref=plan.customer_ids[ci], customer_email=plan.emails[ci],
                customer_country=COUNTRIES[plan.country[ci]], amount=int(total[i]), currency=str(currency[i]),
                created_at=_dt(t[i]), succeeded=not cancelled[i],
                failure_code="card_declined" if cancelled[i] else None,
                refund_amount=int(refund_amount[i]), refund_at=_dt(refund_at[i]) if refunded[i] else None,
                dispute_at=_dt(dispute_at[i]) if disputed[i] else None,
                description=f"Storefront order {order_ids[i]}",
            ))
        collected = ~unusable & ~cancelled
        day = (t - start_s) // DAY
        revenue += np.bincount(day[collected], weights=(total * fx[country])[collected], minlength=ctx.days)

        cols = {
            "order_id": np.where(k_null, None, np.array(order_ids, dtype=object)),
            "customer_id": np.array(plan.customer_ids, dtype=object)[cust],
            "source": np.array(ORDER_SOURCES, dtype=object)[src],
            "total_cents": total_written,
            "refunded_cents": refund_amount,
            "currency": currency.astype(object),
            "status": status,
            "created_at": created_text,
            "stripe_charge_id": np.array(charge_ids, dtype=object),
            "utm_source": utm_source,
            "utm_campaign": utm_campaign,
            "_loaded_at": _ts(loaded),
        }
        # duplicates: an earlier delivery of the row landed again later; for a refunded order the earlier
        # delivery still shows it paid, as the loader first saw it
        dup = np.flatnonzero(k_dup)
        extra = {k: v[dup].copy() for k, v in cols.items()}
        first_delivery = extra["_loaded_at"] - rng.integers(300, 2 * DAY, len(dup)).astype("timedelta64[s]")
        was_refunded = refunded[dup]
        extra["status"][was_refunded] = "paid"
        extra["refunded_cents"][was_refunded] = 0
        first_delivery = np.where(was_refunded, _ts(t[dup] + 600), first_delivery)
        extra["_loaded_at"] = first_delivery
        sink.write_columns({k: np.concatenate([cols[k], extra[k]]) for k in cols})

        for name, mask in zip(ORDER_FAULTS, (k_dup, k_null, k_amount, k_malformed, k_tz)):
            keys = [None if name == "null_key" else order_ids[i] for i in np.flatnonzero(mask)]
            ctx.faults.record_many(SOURCE, "orders", name, keys)
    return revenue


# ----------------------------------------------------------------------------------------------- subscriptions

def subscriptions(ctx: Context, plan: Plan) -> None:
    rng = ctx.rng(SOURCE, "subscriptions")
    end_s = int((ctx.end - EPOCH).total_seconds())
    n_cust = len(plan.customer_ids)
    n = min(n_cust, 400, max(5, round(n_cust * 0.04)))
    who = rng.choice(n_cust, n, replace=False)
    created = plan.created[who]
    window = np.minimum(end_s - DAY, created + 120 * DAY) - created
    started = created + (rng.random(n) * np.maximum(window, 3600)).astype("int64")
    lifetime = (rng.exponential(60.0, n) * 7 * DAY).astype("int64")  # ~7% monthly churn
    cancelled = started + np.maximum(lifetime, DAY)
    for i in np.argsort(started, kind="stable"):
        ci = int(who[i])
        start_at = _dt(started[i])
        cancelled_at = _dt(cancelled[i]) if cancelled[i] < end_s else None
        stripe_id = ctx.add_subscription(Subscription(
            domain=SOURCE, customer_ref=plan.customer_ids[ci], customer_email=plan.emails[ci],
            customer_country=COUNTRIES[plan.country[ci]], plan_code="box_weekly", start_at=start_at,
            cancelled_at=cancelled_at,
        ))
        row = {
            "subscription_id": ctx.next_id("box"),
            "customer_id": plan.customer_ids[ci],
            "plan_code": "box_weekly",
            "status": "cancelled" if cancelled_at else "active",
            "started_at": start_at,
            "cancelled_at": cancelled_at,
            "stripe_subscription_id": stripe_id,
            "_loaded_at": (cancelled_at or start_at) + timedelta(seconds=int(rng.integers(60, 3600))),
        }
        ctx.emit(SOURCE, "subscriptions", row, key="subscription_id", loaded_at="_loaded_at", faults=("duplicate",))


# ----------------------------------------------------------------------------------------------- spend

def _emit_composite(ctx: Context, table: str, row: dict, key_columns: list[str], null_column: str,
                    loaded_at: str, faults: tuple[str, ...], bad_amount: tuple[str, int] | None = None) -> None:
    """ctx.emit for a table with a composite key: the manifest records the key as staging writes it (parts
    joined by '|', a missing part empty). null_key empties `null_column`; non_positive_amount writes
    `bad_amount`."""
    sink = ctx.sink(SOURCE, table)
    fault = ctx.faults.pick(faults)
    key = "|".join("" if row[k] is None or (fault == "null_key" and k == null_column) else str(row[k])
                   for k in key_columns)
    if fault == "duplicate":
        sink.write(row)
        again = dict(row)
        again[loaded_at] = row[loaded_at] + timedelta(minutes=int(ctx.faults.rng.integers(5, 2880)))
        sink.write(again)
    elif fault == "null_key":
        sink.write({**row, null_column: None})
    elif fault == "non_positive_amount" and bad_amount is not None:
        sink.write({**row, bad_amount[0]: bad_amount[1]})
    else:
        sink.write(row)
    if fault:
        ctx.faults.record(SOURCE, table, fault, key)


def spend(ctx: Context, plan: Plan) -> None:
    """Daily spend per campaign. Each platform's yearly spend is its ad-attributed orders times a CPA; a
    campaign's share of a day follows its weight and the business's growth; the conversions a platform reports
    are the orders its campaign drove that day, give or take its attribution model."""
    rng = ctx.rng(SOURCE, "spend")
    start_s = int((ctx.start - EPOCH).total_seconds())
    day = (plan.t - start_s) // DAY
    n_c = len(plan.campaigns)
    ad = plan.campaign >= 0
    attributed = np.bincount(plan.campaign[ad] * ctx.days + day[ad], minlength=n_c * ctx.days).reshape(n_c, ctx.days)
    dw = ctx.day_weights()
    for platform in PLATFORMS:
        members = [i for i, c in enumerate(plan.campaigns) if c[0] == platform]
        budget = attributed[members].sum() * CPA_CENTS[platform]
        share = np.zeros((len(members), ctx.days))
        for j, i in enumerate(members):
            _, _, _, lo, hi, weight = plan.campaigns[i]
            share[j, lo:hi + 1] = weight * dw[lo:hi + 1]
        share = share / max(share.sum(), 1e-12)
        for j, i in enumerate(members):
            _, campaign_id, name, lo, hi, _ = plan.campaigns[i]
            for d in range(lo, hi + 1):
                cents = max(100, int(round(budget * share[j, d] * rng.lognormal(0.0, 0.2))))
                clicks = max(1, int(round(cents / CPC_CENTS[platform] * rng.lognormal(0.0, 0.15))))
                impressions = int(round(clicks / CTR[platform] * rng.lognormal(0.0, 0.1)))
                a = int(attributed[i, d])
                conversions = a + int(rng.binomial(a, 0.2)) - int(rng.binomial(a, 0.05))
                spend_date = (ctx.start + timedelta(days=d)).date()
                row = {
                    "spend_date": spend_date,
                    "platform": platform,
                    "campaign_id": campaign_id,
                    "campaign_name": name,
                    "spend_cents": cents,
                    "impressions": impressions,
                    "clicks": clicks,
                    "conversions": conversions,
                    "_loaded_at": ctx.start + timedelta(days=d + 1, hours=6, minutes=int(rng.integers(0, 120))),
                }
                _emit_composite(ctx, "spend", row, ["spend_date", "platform", "campaign_id"], "campaign_id",
                                "_loaded_at", ("duplicate", "null_key", "non_positive_amount"),
                                bad_amount=("spend_cents", -cents))


# ----------------------------------------------------------------------------------------------- events

def _tracking_start_day(ctx: Context, sessions: np.ndarray, atc_rate: np.ndarray,
                        shop: np.ndarray, api: np.ndarray) -> int:
    """The first day of the event stream: as many trailing days as the scale's event budget holds."""
    budget = int(ctx.volume("storefront_events") * 0.97)
    nc = sessions - shop
    expected = (nc * (1 + PV_PROB * (1 + PV_EXTRA)) + np.maximum(atc_rate * sessions - shop, 0)
                * (1 + CHECKOUT_AFTER_CART) + shop * 5.5 + api * 3.5)
    from_end = np.cumsum(expected[::-1])
    fits = int(np.searchsorted(from_end, budget, side="right"))  # trailing days that fit
    return max(0, ctx.days - max(fits, 1))


# Properties JSON of the web events, prebuilt once and picked by index (millions of rows at scale l).
_SESSION_PROPS = np.array([
    f'{{"device":"{d}","referrer":{"null" if r is None else chr(34) + r + chr(34)}}}'
    for d in DEVICES for r in REFERRERS], dtype=object)
_PATH_PROPS = np.array([f'{{"path":"{p}"}}' for p in PAGES]
                       + [f'{{"path":"/products/sku-{i:04d}"}}' for i in range(1, N_PRODUCTS + 1)], dtype=object)
_CART_PROPS = np.array([f'{{"product_id":"sku-{i:04d}","quantity":{q}}}'
                        for i in range(1, N_PRODUCTS + 1) for q in (1, 2)], dtype=object)


def events(ctx: Context, plan: Plan) -> None:
    rng = ctx.rng(SOURCE, "events")
    sink = ctx.sink(SOURCE, "events")
    start_s = int((ctx.start - EPOCH).total_seconds())
    end_s = int((ctx.end - EPOCH).total_seconds())
    days = ctx.days
    day = (plan.t - start_s) // DAY
    orders_d = np.bincount(day, minlength=days)
    shop_d = np.bincount(day[plan.src == SHOPIFY], minlength=days)
    api_d = np.bincount(day[plan.src == API], minlength=days)
    conversion = rng.uniform(0.03, 0.04, days)
    sessions_d = np.maximum(shop_d, np.round(orders_d / conversion)).astype("int64")
    atc_rate = rng.uniform(0.08, 0.12, days)
    d_start = _tracking_start_day(ctx, sessions_d, atc_rate, shop_d, api_d)
    track_s = start_s + d_start * DAY
    pool = max(100, int(0.6 * (sessions_d[d_start:] - shop_d[d_start:]).sum()))  # anonymous visitors
    salt = int(rng.integers(1, 2**39))
    customer_ids = np.array(plan.customer_ids, dtype=object)

    d = d_start
    while d < days:
        # a chunk of days holding about CHUNK events
        d1 = d + 1
        while d1 < days and 1.6 * sessions_d[d:d1 + 1].sum() < CHUNK:
            d1 += 1
        lo_s, hi_s = start_s + d * DAY, start_s + d1 * DAY
        i0, i1 = np.searchsorted(plan.t, [lo_s, hi_s])
        t, cust, src = plan.t[i0:i1], plan.cust[i0:i1], plan.src[i0:i1]

        # sessions that end in an order (the web shop's orders) ...
        conv = src == SHOPIFY
        ct, cc = t[conv], cust[conv]
        c_start = ct - rng.integers(180, 2700, len(ct))
        c_end = ct - rng.integers(30, 150, len(ct))
        c_start = np.maximum(c_start, plan.created[cc])  # never before the account exists
        c_end = np.maximum(c_end, c_start)
        tracked = c_start >= track_s  # a session that began before tracking went live is not in the stream
        ct, cc, c_start, c_end = ct[tracked], cc[tracked], c_start[tracked], c_end[tracked]
        n_c = len(ct)
        c_pv = 1 + rng.poisson(1.2, n_c)
        c_atc = 1 + (rng.random(n_c) < 0.25)
        # ... and sessions that do not: anonymous visitors and returning customers browsing
        nc_d = np.maximum(sessions_d[d:d1] - shop_d[d:d1], 0)
        n_nc = int(nc_d.sum())
        nc_start = np.concatenate([
            ctx.sample_times(rng, int(k), ctx.start + timedelta(days=int(dd)), ctx.start + timedelta(days=int(dd) + 1))
            .astype("int64") for dd, k in zip(range(d, d1), nc_d)]) if n_nc else np.zeros(0, dtype="int64")
        p_atc = np.clip((atc_rate[d:d1] * sessions_d[d:d1] - shop_d[d:d1]) / np.maximum(nc_d, 1), 0.0, 1.0)
        nc_atc = (rng.random(n_nc) < np.repeat(p_atc, nc_d)).astype("int64")
        nc_checkout = (nc_atc > 0) & (rng.random(n_nc) < CHECKOUT_AFTER_CART)
        nc_pv = np.where(rng.random(n_nc) < PV_PROB, 1 + rng.poisson(PV_EXTRA, n_nc), 0)
        nc_end = np.minimum(nc_start + rng.integers(30, 1500, n_nc), end_s - 1)
        known = np.searchsorted(plan.first_t, nc_start - DAY)  # customers who bought before the day before
        as_customer = (rng.random(n_nc) < 0.25) & (known > 0)
        nc_cust = np.floor(rng.random(n_nc) * known).astype("int64")
        visitor = rng.integers(0, pool, n_nc)
        nc_user = np.array([f"anon_{(v * 0x9E3779B1 + salt) % 2**40:010x}" for v in visitor], dtype=object)
        nc_user[as_customer] = customer_ids[nc_cust[as_customer]]

        s_start = np.concatenate([c_start, nc_start])
        s_end = np.concatenate([c_end, nc_end])
        s_pv = np.concatenate([c_pv, nc_pv])
        s_atc = np.concatenate([c_atc, nc_atc])
        s_checkout = np.concatenate([np.ones(n_c, dtype=bool), nc_checkout])
        s_user = np.concatenate([customer_ids[cc], nc_user])
        order = np.argsort(s_start, kind="stable")
        s_start, s_end, s_pv, s_atc, s_checkout, s_user = (
            a[order] for a in (s_start, s_end, s_pv, s_atc, s_checkout, s_user))
        n_s = len(s_start)
        s_ids = np.array([ctx.next_id("sess", 10) for _ in range(n_s)], dtype=object)

        # expand sessions into their events, in order: start, page views, add-to-carts, checkout
        n_ev = 1 + s_pv + s_atc + s_checkout
        sess = np.repeat(np.arange(n_s), n_ev)
        offsets = np.cumsum(n_ev) - n_ev
        pos = np.arange(len(sess)) - offsets[sess]
        frac = rng.random(len(sess))
        frac = frac[np.lexsort((frac, sess))]
        frac[pos == 0] = 0.0
        last = pos == (n_ev[sess] - 1)
        frac[last & s_checkout[sess]] = 1.0
        w_t = s_start[sess] + np.floor(frac * (s_end - s_start)[sess]).astype("int64")
        w_type = np.full(len(sess), "page_view", dtype=object)
        w_type[pos == 0] = "session_start"
        w_type[(pos > s_pv[sess]) & (pos <= (s_pv + s_atc)[sess])] = "add_to_cart"
        w_type[last & s_checkout[sess]] = "checkout_started"
        w_props = np.empty(len(sess), dtype=object)
        m_start = w_type == "session_start"
        w_props[m_start] = _SESSION_PROPS[
            rng.choice(len(DEVICES), int(m_start.sum()), p=DEVICE_SHARE) * len(REFERRERS)
            + rng.choice(len(REFERRERS), int(m_start.sum()), p=REFERRER_SHARE)]
        m_pv = w_type == "page_view"
        prod = rng.integers(0, N_PRODUCTS, len(sess))
        page = rng.integers(0, len(PAGES) + 3, len(sess))  # product pages three times as often as one other page
        w_props[m_pv] = _PATH_PROPS[np.where(page < len(PAGES), page, len(PAGES) + prod)[m_pv]]
        m_atc = w_type == "add_to_cart"
        qty = (rng.random(len(sess)) < 0.2).astype("int64")
        w_props[m_atc] = _CART_PROPS[(prod * 2 + qty)[m_atc]]
        m_co = w_type == "checkout_started"
        w_props[m_co] = [f'{{"items":{k}}}' for k in s_atc[sess[m_co]]]
        w_user = s_user[sess]
        w_session = s_ids[sess]

        # API clients: a few reads, then the order itself
        at, ac = t[src == API], cust[src == API]
        n_get = 1 + rng.poisson(1.5, len(at))
        a_idx = np.repeat(np.arange(len(at)), n_get + 1)
        a_pos = np.arange(len(a_idx)) - (np.cumsum(n_get + 1) - (n_get + 1))[a_idx]
        is_post = a_pos == n_get[a_idx]
        a_t = at[a_idx] - np.where(is_post, rng.integers(0, 3, len(a_idx)), rng.integers(5, 900, len(a_idx)))
        endpoint = rng.integers(0, len(API_GET_ENDPOINTS), len(a_idx))
        r = rng.random(len(a_idx))
        status = np.where(is_post, 201, 200)
        status = np.where(~is_post & (r < 0.006), rng.choice([500, 502, 503], len(a_idx)), status)
        status = np.where(~is_post & (r >= 0.006) & (r < 0.021), rng.choice([400, 401, 404, 429], len(a_idx)), status)
        latency = np.round(rng.lognormal(math.log(120.0), 0.5, len(a_idx))).astype("int64")
        a_props = [
            f'{{"endpoint":"{"/v1/orders" if p else API_GET_ENDPOINTS[e]}","latency_ms":{lat},'
            f'"method":"{"POST" if p else "GET"}","status_code":{s}}}'
            for p, e, lat, s in zip(is_post, endpoint, latency, status)]

        occurred = np.concatenate([w_t, a_t])
        user = np.concatenate([w_user, customer_ids[ac[a_idx]]])
        session = np.concatenate([w_session, np.full(len(a_idx), None, dtype=object)])
        etype = np.concatenate([w_type, np.full(len(a_idx), "api_call", dtype=object)])
        props = np.concatenate([w_props, np.array(a_props, dtype=object)])
        keep = (occurred >= track_s) & (occurred < end_s)
        order = np.argsort(occurred[keep], kind="stable")
        occurred, user, session, etype, props = (a[keep][order] for a in (occurred, user, session, etype, props))
        n = len(occurred)
        event_ids = [ctx.next_id("evt", 10) for _ in range(n)]

        # faults, and when each row landed
        kind = _fault_kinds(rng, n, ctx.fault_rate, EVENT_FAULTS)
        k_dup, k_null, k_json, k_tz, k_late = (kind == i for i in range(len(EVENT_FAULTS)))
        text = _iso(occurred).astype(object)
        text[k_tz] = _iso_with_offset(occurred[k_tz], rng.choice(EVENT_OFFSETS_MIN, int(k_tz.sum())))
        props[k_json] = [p[:-1] for p in props[k_json]]  # truncated: the closing brace is lost
        loaded = occurred + rng.integers(5, 1800, n)
        loaded[k_late] = occurred[k_late] + rng.integers(2 * DAY, 9 * DAY, int(k_late.sum()))
        cols = {
            "event_id": np.where(k_null, None, np.array(event_ids, dtype=object)),
            "user_id": user,
            "session_id": session,
            "event_type": etype,
            "occurred_at": text,
            "properties": props,
            "_loaded_at": loaded,
        }
        dup = np.flatnonzero(k_dup)
        extra = {k: v[dup] for k, v in cols.items()}
        extra["_loaded_at"] = extra["_loaded_at"] + rng.integers(300, 2 * DAY, len(dup))
        cols = {k: np.concatenate([cols[k], extra[k]]) for k in cols}
        # written in the order the loader landed them: late events out of time order
        order = np.argsort(cols["_loaded_at"], kind="stable")
        cols = {k: v[order] for k, v in cols.items()}
        cols["_loaded_at"] = _ts(cols["_loaded_at"])
        sink.write_columns(cols)
        for name, mask in zip(EVENT_FAULTS, (k_dup, k_null, k_json, k_tz, k_late)):
            keys = [None if name == "null_key" else event_ids[i] for i in np.flatnonzero(mask)]
            ctx.faults.record_many(SOURCE, "events", name, keys)
        d = d1
    ctx.shared["storefront_tracking_start"] = ctx.start + timedelta(days=d_start)


# ----------------------------------------------------------------------------------------------- ledger

def metrics_daily(ctx: Context, revenue: np.ndarray) -> None:
    """COGS at 35-45% of the day's revenue; opex steadier (payroll, rent), growing slowly; the cash balance moves
    by revenue - COGS - opex from an opening balance that lasts the year. The business burns cash early and
    nears break-even as revenue triples."""
    rng = ctx.rng(SOURCE, "metrics_daily")
    days = ctx.days
    cogs = np.round(revenue * rng.uniform(0.35, 0.45, days))
    recent = revenue[-30:].mean() if days >= 30 else revenue.mean()
    trend = 0.72 * recent * (0.9 + 0.1 * np.arange(days) / max(days - 1, 1))
    opex = np.round(trend * rng.normal(1.0, 0.05, days))
    net = revenue - cogs - opex
    burn = max(0.0, -np.cumsum(net).min())
    opening = math.ceil((1.5 * burn + 30 * trend[0]) / 100_000) * 100_000
    cash = opening + np.cumsum(net)
    for d in range(days):
        metric_date = (ctx.start + timedelta(days=d)).date()
        row = {
            "metric_date": metric_date,
            "cogs_cents": int(cogs[d]),
            "opex_cents": int(opex[d]),
            "cash_balance_cents": int(round(cash[d])),
            "_loaded_at": ctx.start + timedelta(days=d + 1, hours=2, minutes=int(rng.integers(0, 30))),
        }
        ctx.emit(SOURCE, "metrics_daily", row, key="metric_date", loaded_at="_loaded_at")


def generate(ctx: Context) -> None:
    plan = _plan(ctx)
    customers(ctx, plan)
    revenue = orders(ctx, plan)
    subscriptions(ctx, plan)
    spend(ctx, plan)
    events(ctx, plan)
    metrics_daily(ctx, revenue)
