"""The route marketplace (seed 000): owners list redirect routes on their domains, hirers hire them.

Raw tables, as the app's loader lands them: owners, hirers, domains, routes, listings (+ status history),
contracts, contract charges, listing events, disputes, credits, certificate issuance attempts, click rollups,
and the edge's click stream (the big one, generated vectorised per day and written in column chunks).

The story, in the order it is generated:
- owners sign up and some finish Stripe Connect onboarding (only connected owners can be hired);
- owners add domains; DNS verification takes minutes to hours (median ~20 min, p95 a few hours); verified
  domains get a TLS certificate (issued, retried on failure, renewed every 60 days);
- routes are created on verified domains and listed; a listing goes live (active) once its owner is connected,
  is paused and resumed, and may be archived;
- hirers view listings, inquire, and check out: a checkout starts a contract on an active listing (one active
  contract per listing at a time; it ends when the listing is paused);
- every redirect through a hired route is a click with an invalid-traffic verdict (IVT ~3-6%); the app rolls
  the redirected clicks up per route and day, with impressions;
- contracts are charged monthly in advance (period) and at month end for valid clicks x per-click price
  (usage); every charge is collected through Stripe (Connect transfer to the owner: amount - 4% take -
  processing fee); a few fail and are retried, a few are refunded or disputed later;
- hirers open disputes; some are settled with a credit or a refund; other credits for outages and IVT.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from .core import MARKETPLACE_TAKE_RATE, Context, Payment, processing_fee, to_datetime

SRC = "marketplace"
DAY = 86400.0

COUNTRIES = np.array(["US", "GB", "DE", "FR", "NL", "ES", "CA"], dtype=object)
COUNTRY_P = np.array([0.50, 0.12, 0.08, 0.06, 0.05, 0.04, 0.15])
CURRENCY_OF = {"US": "usd", "GB": "gbp", "DE": "eur", "FR": "eur", "NL": "eur", "ES": "eur", "CA": "cad"}
# Stripe's minimum charge is about 0.50 in each of these currencies: smaller usage amounts are waived.
MIN_CHARGE = 50

FIRST = ["alex", "sam", "jordan", "maria", "li", "noah", "emma", "lucas", "sofia", "omar", "anna", "ben",
         "chloe", "david", "elena", "felix", "grace", "hugo", "ines", "jack"]
LAST = ["smith", "garcia", "muller", "martin", "chen", "jones", "brown", "dubois", "rossi", "kim", "novak",
        "silva", "taylor", "wilson", "moreau", "schmidt"]
MAIL = ["gmail.com", "outlook.com", "proton.me", "yahoo.com", "icloud.com"]
ADJ = ["bright", "swift", "blue", "north", "clever", "urban", "green", "prime", "bold", "happy", "silver", "lucky",
       "rapid", "quiet", "sunny", "true"]
NOUN = ["harbor", "fox", "peak", "leaf", "pixel", "river", "forge", "nest", "orbit", "spark", "trail", "wave",
        "maple", "stone", "cloud", "field"]
SUFFIX = ["Labs", "Media", "Digital", "Co", "Group", "Studio", "Ventures", "Commerce"]
TLDS = ["com", "io", "co", "net", "shop", "app", "dev"]
SLUGS = ["deal", "promo", "go", "offer", "summer-sale", "launch", "try", "join", "get", "signup", "demo", "app",
         "podcast", "newsletter", "coupon", "shop", "book", "event", "download", "free-trial"]

CERT_ERRORS = np.array(["dns_not_propagated", "challenge_timeout", "acme_rate_limited", "caa_forbidden",
                        "internal_error"], dtype=object)
CERT_ERROR_P = np.array([0.40, 0.25, 0.15, 0.10, 0.10])

DISPUTE_REASONS = ["invalid_traffic", "route_downtime", "billing_error", "not_as_described"]
DISPUTE_REASON_P = [0.45, 0.25, 0.20, 0.10]

# ---------------------------------------------------------------------------------------- click attributes
DEVICES = np.array(["desktop", "mobile", "tablet"], dtype=object)
DEVICE_P = np.array([0.52, 0.42, 0.06])
UA = {
    "desktop": [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 Edg/124.0",
    ],
    "mobile": [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0 Mobile Safari/537.36",
    ],
    "tablet": [
        "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    ],
    "bot": [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0 Safari/537.36",
        "python-requests/2.31.0",
        "curl/8.5.0",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    ],
}
REFERRERS = np.array([None, "https://www.google.com/", "https://t.co/", "https://www.facebook.com/",
                      "https://www.instagram.com/", "https://www.reddit.com/", "https://news.ycombinator.com/",
                      "https://www.linkedin.com/", "https://duckduckgo.com/", "https://www.bing.com/",
                      "https://www.youtube.com/", "https://newsletter.example.com/"], dtype=object)
REFERRER_P = np.array([0.30, 0.22, 0.09, 0.08, 0.07, 0.05, 0.03, 0.04, 0.03, 0.03, 0.04, 0.02])
CLICK_COUNTRIES = np.array(["US", "GB", "DE", "FR", "CA", "IN", "BR", "NL", "ES", "AU", "JP", "MX"], dtype=object)
CLICK_COUNTRY_P = np.array([0.38, 0.09, 0.07, 0.05, 0.06, 0.09, 0.06, 0.03, 0.04, 0.05, 0.04, 0.04])
INVALID_REASONS = np.array(["bot", "datacenter_ip", "duplicate_click", "rate_limited"], dtype=object)
INVALID_REASON_P = np.array([0.45, 0.25, 0.20, 0.10])
SERVER_ERRORS = np.array([500, 502, 503, 504])
TZ_OFFSETS = [(2, "+02:00"), (1, "+01:00"), (-5, "-05:00"), (5.5, "+05:30")]
MALFORMED_TIMES = np.array(["Invalid Date", "0000-00-00T00:00:00.000Z"], dtype=object)
# Click-stream faults, as shares of ctx.fault_rate, among valid clicks (an invalid click is its own label).
CLICK_FAULTS = (("duplicate", 0.25), ("null_key", 0.15), ("malformed_value", 0.10), ("tz_offset", 0.25),
                ("late_event", 0.25))
EVENT_FAULTS = (("duplicate", 0.30), ("null_key", 0.20), ("tz_offset", 0.30), ("late_event", 0.20))


# ---------------------------------------------------------------------------------------- entities
@dataclass
class Owner:
    owner_id: str
    email: str
    country: str
    created_at: datetime
    connected_at: datetime | None
    account_id: str | None


@dataclass
class Hirer:
    hirer_id: str
    email: str
    company: str
    country: str
    created_at: datetime


@dataclass
class Domain:
    domain_id: str
    owner: Owner
    hostname: str
    status: str
    created_at: datetime
    verified_at: datetime | None


@dataclass
class Route:
    route_id: str
    domain: Domain
    path: str
    created_at: datetime


@dataclass
class Listing:
    listing_id: str
    route: Route
    owner: Owner
    title: str
    period_price: int
    click_price: int
    currency: str
    created_at: datetime
    history: list[tuple[str, datetime]] = field(default_factory=list)
    intervals: list[tuple[datetime, datetime | None]] = field(default_factory=list)  # active spans


@dataclass
class Contract:
    contract_id: str
    listing: Listing
    hirer: Hirer
    status: str
    started_at: datetime
    ended_at: datetime | None
    interval_start: datetime
    popularity: float = 1.0
    ivt_share: float = 0.045
    payments: list[tuple[datetime, Payment]] = field(default_factory=list)


def _days(x: float) -> timedelta:
    return timedelta(seconds=int(round(x * DAY)))


def _minutes(x: float) -> timedelta:
    return timedelta(seconds=int(round(x * 60)))


class _Clock:
    """Times that never pass the end of the period: a delay that would is shrunk to land before it."""

    def __init__(self, ctx: Context, rng: np.random.Generator):
        self.end = ctx.end
        self.rng = rng

    def after(self, parent: datetime, delay: timedelta) -> datetime:
        t = parent + delay
        if t < self.end:
            return t
        room = (self.end - parent).total_seconds()
        return parent + timedelta(seconds=int(room * self.rng.uniform(0.05, 0.95)))


def _loaded(rng: np.random.Generator, last_change: datetime) -> datetime:
    """The loader syncs app tables a few minutes to hours after a row last changed."""
    return last_change + timedelta(seconds=int(rng.integers(300, 3 * 3600)))


def _add_months(dt: datetime, k: int) -> datetime:
    m = dt.month - 1 + k
    y = dt.year + m // 12
    m = m % 12 + 1
    return dt.replace(year=y, month=m, day=min(dt.day, calendar.monthrange(y, m)[1]))


# ---------------------------------------------------------------------------------------- owners, hirers
def _owners(ctx: Context) -> list[Owner]:
    rng = ctx.rng(SRC, "owners")
    owners = []
    for ts in ctx.sample_times(rng, ctx.volume("owners")):
        created = to_datetime(ts)
        owner_id = ctx.next_id("own")
        country = str(rng.choice(COUNTRIES, p=COUNTRY_P))
        email = f"{FIRST[rng.integers(len(FIRST))]}.{LAST[rng.integers(len(LAST))]}{owner_id[-4:]}@" \
                f"{MAIL[rng.integers(len(MAIL))]}"
        connected_at = account_id = None
        if rng.random() < 0.7:  # finishes Stripe Connect onboarding: hours, sometimes weeks, after signing up
            t = created + timedelta(seconds=int(rng.lognormal(math.log(6 * 3600), 1.6)))
            if t < ctx.end:
                connected_at = t
                account_id = ctx.next_id("acct", 16)
        owners.append(Owner(owner_id, email, country, created, connected_at, account_id))
        row = {
            "owner_id": owner_id, "email": email, "country": country, "created_at": created,
            "stripe_account_id": account_id, "stripe_connected_at": connected_at,
            "_loaded_at": _loaded(rng, connected_at or created),
        }
        ctx.emit(SRC, "owners", row, key="owner_id", loaded_at="_loaded_at", faults=("duplicate",))
    # The Stripe module renders the Connect accounts these owners were paid out to.
    accounts = ctx.shared.setdefault("connect_accounts", {})
    for o in owners:
        if o.account_id:
            accounts[o.account_id] = {"domain": SRC, "owner_ref": o.owner_id, "email": o.email,
                                      "country": o.country, "created_at": o.connected_at}
    return owners


def _hirers(ctx: Context) -> list[Hirer]:
    rng = ctx.rng(SRC, "hirers")
    hirers = []
    for ts in ctx.sample_times(rng, ctx.volume("hirers")):
        created = to_datetime(ts)
        hirer_id = ctx.next_id("hir")
        adj, noun = ADJ[rng.integers(len(ADJ))], NOUN[rng.integers(len(NOUN))]
        company = f"{adj.title()} {noun.title()} {SUFFIX[rng.integers(len(SUFFIX))]}"
        mailbox = ["billing", "ads", "marketing", "growth", "finance"][int(rng.integers(5))]
        email = f"{mailbox}@{adj}{noun}{hirer_id[-4:]}.{TLDS[rng.integers(len(TLDS))]}"
        country = str(rng.choice(COUNTRIES, p=COUNTRY_P))
        hirers.append(Hirer(hirer_id, email, company, country, created))
        row = {"hirer_id": hirer_id, "email": email, "company_name": company, "country": country,
               "created_at": created, "_loaded_at": _loaded(rng, created)}
        ctx.emit(SRC, "hirers", row, key="hirer_id", loaded_at="_loaded_at", faults=("duplicate",))
    return hirers


# ---------------------------------------------------------------------------------------- domains, routes
def _domains(ctx: Context, owners: list[Owner]) -> list[Domain]:
    rng = ctx.rng(SRC, "domains")
    clock = _Clock(ctx, rng)
    domains, hostnames = [], set()
    for owner in owners:
        t = owner.created_at
        for k in range(1 + int(rng.poisson(0.7))):
            delay = _minutes(rng.exponential(120)) if k == 0 else _days(rng.exponential(30))
            t = clock.after(t, delay)
            host = f"{ADJ[rng.integers(len(ADJ))]}{NOUN[rng.integers(len(NOUN))]}.{TLDS[rng.integers(len(TLDS))]}"
            while host in hostnames:
                host = f"{rng.integers(10, 99)}{host}"
            hostnames.add(host)
            roll = rng.random()
            status, verified_at = ("failed", None) if roll < 0.06 else ("pending", None) if roll < 0.12 else \
                ("verified", None)
            if status == "verified":
                # DNS propagation: median ~20 minutes, p95 a few hours
                verified_at = t + timedelta(seconds=int(60 * rng.lognormal(math.log(20), 1.45)) + 30)
                if verified_at >= ctx.end:
                    status, verified_at = "pending", None
            d = Domain(ctx.next_id("dom"), owner, host, status, t, verified_at)
            domains.append(d)
            row = {"domain_id": d.domain_id, "owner_id": owner.owner_id, "hostname": host,
                   "verification_status": status, "created_at": t, "verified_at": verified_at,
                   "_loaded_at": _loaded(rng, verified_at or t)}
            ctx.emit(SRC, "domains", row, key="domain_id", loaded_at="_loaded_at", faults=("duplicate",))
    return domains


def _certificates(ctx: Context, domains: list[Domain]) -> None:
    """ACME issuance on verification, retried on failure, renewed every ~60 days."""
    rng = ctx.rng(SRC, "certificates")
    for d in domains:
        if d.verified_at is None:
            continue
        t = d.verified_at + timedelta(seconds=int(rng.integers(30, 600)))
        renewal, tries = False, 0
        while t < ctx.end:
            failed = rng.random() < (0.05 if renewal else 0.10)
            attempt_id = ctx.next_id("cert")
            row = {"attempt_id": attempt_id, "domain_id": d.domain_id, "attempted_at": t,
                   "status": "failed" if failed else "succeeded",
                   "error_code": str(rng.choice(CERT_ERRORS, p=CERT_ERROR_P)) if failed else None,
                   "_loaded_at": _loaded(rng, t)}
            ctx.emit(SRC, "certificate_issuance_attempts", row, key="attempt_id", loaded_at="_loaded_at")
            if failed:
                tries += 1
                t += _minutes(rng.exponential(20)) if tries < 4 else timedelta(days=1)
            else:
                tries, renewal = 0, True
                t += _days(60 + rng.uniform(-0.5, 0.5))


def _routes(ctx: Context, domains: list[Domain]) -> list[Route]:
    rng = ctx.rng(SRC, "routes")
    clock = _Clock(ctx, rng)
    verified = [d for d in domains if d.verified_at is not None]
    if not verified:
        return []
    age = np.array([(ctx.end - d.verified_at).total_seconds() / DAY + 3.0 for d in verified])
    picks = rng.choice(len(verified), size=ctx.volume("routes"), p=age / age.sum())
    per_domain = np.bincount(picks, minlength=len(verified))
    routes = []
    for d, n in zip(verified, per_domain):
        t, paths = d.verified_at, set()
        for k in range(int(n)):
            t = clock.after(t, _minutes(rng.exponential(240)) if k == 0 else _days(rng.exponential(6)))
            path = f"/{SLUGS[rng.integers(len(SLUGS))]}"
            while path in paths:
                path = f"{path}-{rng.integers(2, 99)}"
            paths.add(path)
            routes.append(Route(ctx.next_id("rte"), d, path, t))
    routes.sort(key=lambda r: (r.created_at, r.route_id))
    for r in routes:
        row = {"route_id": r.route_id, "domain_id": r.domain.domain_id, "path": r.path, "created_at": r.created_at,
               "_loaded_at": _loaded(rng, r.created_at)}
        ctx.emit(SRC, "routes", row, key="route_id", loaded_at="_loaded_at", faults=("duplicate",))
    return routes


# ---------------------------------------------------------------------------------------- listings
def _listings(ctx: Context, routes: list[Route]) -> list[Listing]:
    rng = ctx.rng(SRC, "listings")
    clock = _Clock(ctx, rng)
    listings = []
    for r in routes:
        if rng.random() > 0.88:
            continue
        owner = r.domain.owner
        created = clock.after(r.created_at, _minutes(rng.exponential(360)))
        currency = CURRENCY_OF[owner.country]
        roll = rng.random()
        period = 0 if roll < 0.15 else int(round(rng.lognormal(math.log(4900), 0.6), -2))
        per_click = 0 if roll > 0.90 else int(np.clip(round(rng.lognormal(math.log(25), 0.6)), 5, 250))
        lst = Listing(ctx.next_id("lst"), r, owner, f"{r.domain.hostname}{r.path}", max(period, 0), per_click,
                      currency, created, [("draft", created)])
        # live once the owner can be paid out; paused and resumed now and then; maybe archived
        if owner.connected_at is not None:
            live = max(created + _minutes(rng.exponential(24 * 60)),
                       owner.connected_at + _minutes(rng.exponential(120)))
            if live < ctx.end:
                t, start = live, live
                lst.history.append(("active", live))
                while True:
                    t = t + _days(1 + rng.exponential(150))
                    if t >= ctx.end:
                        lst.intervals.append((start, None))
                        break
                    lst.intervals.append((start, t))
                    if rng.random() < 0.35:
                        lst.history.append(("archived", t))
                        break
                    lst.history.append(("paused", t))
                    t = t + _days(0.1 + rng.exponential(12))
                    if t >= ctx.end:
                        break
                    if rng.random() < 0.2:
                        lst.history.append(("archived", t))
                        break
                    lst.history.append(("active", t))
                    start = t
        elif rng.random() < 0.3:
            t = created + _days(1 + rng.exponential(60))
            if t < ctx.end:
                lst.history.append(("archived", t))
        listings.append(lst)
        status, updated = lst.history[-1]
        row = {"listing_id": lst.listing_id, "owner_id": owner.owner_id, "route_id": r.route_id,
               "title": lst.title, "status": status, "period_price_amount": lst.period_price,
               "per_click_price_amount": lst.click_price, "currency": currency, "created_at": created,
               "updated_at": updated, "_loaded_at": _loaded(rng, updated)}
        ctx.emit(SRC, "listings", row, key="listing_id", loaded_at="_loaded_at", faults=("duplicate",))
        for status, changed_at in lst.history:
            hrow = {"listing_id": lst.listing_id, "status": status, "changed_at": changed_at,
                    "_loaded_at": _loaded(rng, changed_at)}
            _emit_composite(ctx, "listing_status_history", hrow, f"{lst.listing_id}|{changed_at:%Y-%m-%d %H:%M:%S}")
    return listings


def _emit_composite(ctx: Context, table: str, row: dict, record_key: str) -> None:
    """A row of a table keyed by several columns: only duplicates (its key parts are parents' keys)."""
    sink = ctx.sink(SRC, table)
    sink.write(row)
    if ctx.faults.pick(("duplicate",)):
        again = dict(row)
        again["_loaded_at"] = row["_loaded_at"] + timedelta(minutes=int(ctx.faults.rng.integers(5, 2880)))
        sink.write(again)
        ctx.faults.record(SRC, table, "duplicate", record_key)


# ---------------------------------------------------------------------------------------- contracts
def _contracts(ctx: Context, listings: list[Listing], hirers: list[Hirer]) -> list[Contract]:
    rng = ctx.rng(SRC, "contracts")
    # about 60% of hirers ever hire; the others only browse
    buyers = [h for h in hirers if rng.random() < 0.6]
    buyer_times = np.array([(h.created_at - ctx.start).total_seconds() for h in buyers])
    specs = []
    for lst in listings:
        for a, b in lst.intervals:
            stop = b or ctx.end
            t = a + _days(rng.exponential(10))
            while t < stop:
                cutoff = (t - ctx.start).total_seconds() - 3600
                n_eligible = int(np.searchsorted(buyer_times, cutoff))
                if n_eligible == 0:
                    t += _days(rng.exponential(10))
                    continue
                recent = int(np.searchsorted(buyer_times, cutoff - 30 * DAY))
                lo = recent if (rng.random() < 0.5 and recent < n_eligible) else 0
                hirer = buyers[int(rng.integers(lo, n_eligible))]
                cancelled = rng.random() < 0.1
                duration = _days(rng.uniform(1, 25)) if cancelled else _days(rng.lognormal(math.log(70), 0.7))
                end = t + duration
                if end >= stop:
                    if b is None:
                        status, ended = "active", None
                    else:  # the owner paused or archived the listing: the hire ends just before
                        status = "ended"
                        ended = max(t + timedelta(minutes=1), b - timedelta(seconds=int(rng.integers(60, 3600))))
                    specs.append((t, lst, hirer, status, ended, a))
                    break
                specs.append((t, lst, hirer, "cancelled" if cancelled else "ended", end, a))
                t = end + _days(rng.exponential(12))
    specs.sort(key=lambda s: (s[0], s[1].listing_id))
    contracts = []
    for started, lst, hirer, status, ended, a in specs:
        c = Contract(ctx.next_id("ctr"), lst, hirer, status, started, ended, a,
                     popularity=float(rng.lognormal(0.0, 1.0)), ivt_share=float(rng.beta(4.5, 95.5)))
        contracts.append(c)
        row = {"contract_id": c.contract_id, "listing_id": lst.listing_id, "hirer_id": hirer.hirer_id,
               "status": status, "started_at": started, "ended_at": ended, "period_amount": lst.period_price,
               "per_click_amount": lst.click_price, "currency": lst.currency,
               "_loaded_at": _loaded(rng, ended or started)}
        ctx.emit(SRC, "contracts", row, key="contract_id", loaded_at="_loaded_at", faults=("duplicate",))
    return contracts


# ---------------------------------------------------------------------------------------- streams helpers
def _pick_faults(rng: np.random.Generator, rate: float, eligible: np.ndarray, kinds) -> np.ndarray:
    """One fault per row as a code (0: none, k: the k-th of `kinds`), at `rate` among eligible rows, split by the
    kinds' shares."""
    n = len(eligible)
    out = np.zeros(n, dtype=np.int8)
    if rate <= 0 or n == 0:
        return out
    u = rng.random(n)
    lo = 0.0
    for code, (_, share) in enumerate(kinds, start=1):
        hi = lo + rate * share
        out[eligible & (u >= lo) & (u < hi)] = code
        lo = hi
    return out


def _iso_ms(ms: np.ndarray) -> np.ndarray:
    """Epoch milliseconds to ISO-8601 UTC text as JavaScript writes it: 2025-03-01T14:22:03.123Z (room left for
    a local time with its offset)."""
    return np.datetime_as_string(ms.astype("datetime64[ms]"), unit="ms", timezone="UTC").astype("U32")


def _seq_ids(prefix: str, start: int, n: int, width: int) -> np.ndarray:
    """Sequential ids (prefix + zero-padded number), built as bytes without a Python loop."""
    nums = np.arange(start, start + n, dtype=np.int64)
    buf = np.empty((n, len(prefix) + width), dtype=np.uint8)
    buf[:, :len(prefix)] = np.frombuffer(prefix.encode(), dtype=np.uint8)
    buf[:, len(prefix):] = (nums[:, None] // 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)) % 10 + 48
    return buf.view(f"S{len(prefix) + width}").ravel().astype(f"U{len(prefix) + width}")


class _Chunked:
    """Collects the columns of small batches (days at scale s) and writes them in chunks of at most `rows` rows
    (a busy day at scale l is split), so row groups are of one size and memory stays bounded."""

    def __init__(self, sink, rows: int = 200_000):
        self.sink, self.rows, self.parts, self.n = sink, rows, [], 0

    def add(self, cols: dict[str, np.ndarray]) -> None:
        self.parts.append(cols)
        self.n += len(next(iter(cols.values())))
        if self.n >= self.rows:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            cols = {k: np.concatenate([p[k] for p in self.parts]) for k in self.parts[0]}
            for s in range(0, self.n, self.rows):
                self.sink.write_columns({k: v[s:s + self.rows] for k, v in cols.items()})
        self.parts, self.n = [], 0


def _with_offset(ms: np.ndarray, rng: np.random.Generator, unit: str) -> np.ndarray:
    """The same instants written in a local time with its offset (e.g. 16:22:03+02:00 for 14:22:03Z)."""
    which = rng.integers(len(TZ_OFFSETS), size=len(ms))
    out = np.empty(len(ms), dtype=object)
    for k, (hours, suffix) in enumerate(TZ_OFFSETS):
        m = which == k
        if m.any():
            local = (ms[m] + int(hours * 3600_000)).astype("datetime64[ms]")
            out[m] = np.char.add(np.datetime_as_string(local, unit=unit), suffix).astype(object)
    return out


def _ip_pool(rng: np.random.Generator, n: int, first_octets: list[int], ipv6_share: float = 0.0) -> np.ndarray:
    a = rng.choice(first_octets, n)
    b, c = rng.integers(0, 256, (2, n))
    d = rng.integers(1, 255, n)
    pool = [f"{a[i]}.{b[i]}.{c[i]}.{d[i]}" for i in range(n)]
    v6 = np.flatnonzero(rng.random(n) < ipv6_share)
    words = rng.integers(0, 65536, (len(v6), 4))
    for j, i in enumerate(v6):
        pool[i] = f"2a0{words[j, 0] % 10}:{words[j, 1]:x}:{words[j, 2]:x}:{c[i]:x}00::{words[j, 3]:x}"
    return np.array(pool, dtype=object)


# ---------------------------------------------------------------------------------------- clicks
def _clicks(ctx: Context, contracts: list[Contract]) -> np.ndarray:
    """The click stream and the app's daily rollups; returns valid redirected clicks per (contract, month).

    Vectorised per day: attributes are drawn as integer codes and turned into text once, in the order written.
    """
    rng = ctx.rng(SRC, "clicks")
    n_months = (ctx.end.year - ctx.start.year) * 12 + ctx.end.month - ctx.start.month + 1
    usage = np.zeros((len(contracts), n_months), dtype=np.int64)
    if not contracts:
        return usage
    t0 = ctx.start
    cs = np.array([(c.started_at - t0).total_seconds() for c in contracts])
    ce = np.array([((c.ended_at or ctx.end) - t0).total_seconds() for c in contracts])
    pop = np.array([c.popularity for c in contracts])
    ivt = np.array([c.ivt_share for c in contracts])
    route_ids = np.array([c.listing.route.route_id for c in contracts], dtype=object)
    listing_ids = np.array([c.listing.listing_id for c in contracts], dtype=object)
    hirer_ids = np.array([c.hirer.hirer_id for c in contracts], dtype=object)
    ctr = np.clip(rng.lognormal(math.log(0.03), 0.5, len(contracts)), 0.005, 0.2)  # per hire: the embed's CTR
    # a hire's traffic follows the week and the season; the business's growth comes from the number of hires
    dayw = ctx.day_weights() / np.exp(np.arange(ctx.days) * math.log(3.0) / 365.0)

    def overlap(d):
        ds, de = d * DAY, (d + 1) * DAY
        idx = np.flatnonzero((cs < de) & (ce > ds))
        lo, hi = np.maximum(cs[idx], ds), np.minimum(ce[idx], de)
        return idx, lo, hi

    total = 0.0
    for d in range(ctx.days):
        idx, lo, hi = overlap(d)
        total += float((pop[idx] * (hi - lo) / DAY).sum() * dayw[d])
    scale = ctx.volume("clicks") / total if total > 0 else 0.0

    # who clicks: one pool of addresses (residential, then datacenter, then a few abusive ones), reused across days
    n_res = int(np.clip(ctx.volume("clicks") // 4, 1000, 400_000))
    ips = np.concatenate([
        _ip_pool(rng, n_res, [24, 50, 67, 68, 71, 73, 76, 81, 86, 90, 94, 109, 151, 176, 185, 212], ipv6_share=0.15),
        _ip_pool(rng, 2000, [3, 13, 18, 34, 35, 52, 54, 104, 138, 157, 167]),
        _ip_pool(rng, 60, [45, 91, 185, 193]),
    ])
    device_names = np.array(["desktop", "mobile", "tablet", "bot"], dtype=object)
    uas = np.array([ua for k in device_names for ua in UA[k]], dtype=object)
    ua_size = np.array([len(UA[k]) for k in device_names])
    ua_offset = np.cumsum(ua_size) - ua_size
    reason_names = np.concatenate([[None], INVALID_REASONS]).astype(object)  # code 0: valid
    bot, datacenter_ip, duplicate_click, rate_limited = 1, 2, 3, 4
    fault_names = [k for k, _ in CLICK_FAULTS]
    f_dup, f_null, f_malformed, f_tz, f_late = (fault_names.index(k) + 1 for k in
                                                ("duplicate", "null_key", "malformed_value", "tz_offset",
                                                 "late_event"))
    # a few incidents a year: 10-40 minutes during which a share of redirects fail with 5xx
    n_inc = max(1, ctx.days // 30)
    inc_start = rng.uniform(0, ctx.days * DAY, n_inc)
    inc_end = inc_start + rng.uniform(600, 2400, n_inc)
    month_of_day = np.array([((t0 + timedelta(days=d)).year - t0.year) * 12 + (t0 + timedelta(days=d)).month
                             - t0.month for d in range(ctx.days)])
    start_ms = int(np.datetime64(t0, "ms").astype("int64"))
    clicks, rollups = _Chunked(ctx.sink(SRC, "clicks")), _Chunked(ctx.sink(SRC, "click_rollups"))
    next_id = 1

    for d in range(ctx.days):
        idx, lo, hi = overlap(d)
        if len(idx) == 0:
            continue
        lam = scale * pop[idx] * (hi - lo) / DAY * dayw[d]
        counts = rng.poisson(lam)
        n = int(counts.sum())
        local = np.repeat(np.arange(len(idx)), counts)
        ci = idx[local]
        lo_r, hi_r = lo[local], hi[local]
        sec = d * DAY + (rng.normal(14.0, 4.5, n) % 24.0) * 3600.0
        out = (sec < lo_r) | (sec >= hi_r)
        sec[out] = lo_r[out] + rng.random(int(out.sum())) * (hi_r[out] - lo_r[out])

        # traffic and its verdict, as codes
        invalid = rng.random(n) < ivt[ci]
        reason = np.zeros(n, dtype=np.int64)
        reason[invalid] = 1 + rng.choice(len(INVALID_REASONS), size=int(invalid.sum()), p=INVALID_REASON_P)
        device = rng.choice(3, size=n, p=DEVICE_P)
        device[reason == bot] = 3
        ua = ua_offset[device] + (rng.random(n) * ua_size[device]).astype(np.int64)
        ip = rng.integers(0, n_res, n)
        m = (reason == datacenter_ip) | ((reason == bot) & (rng.random(n) < 0.5))
        ip[m] = n_res + rng.integers(0, 2000, int(m.sum()))
        m = reason == rate_limited
        ip[m] = n_res + 2000 + rng.integers(0, 60, int(m.sum()))
        country = rng.choice(len(CLICK_COUNTRIES), size=n, p=CLICK_COUNTRY_P)
        referrer = rng.choice(len(REFERRERS), size=n, p=REFERRER_P)
        # a duplicate click is the same visitor again within seconds on the same route
        dup = np.flatnonzero(reason == duplicate_click)
        if len(dup):
            block_start = (np.cumsum(counts) - counts)[local[dup]]
            first = block_start + rng.integers(0, counts[local[dup]])
            for col in (ip, ua, device, country, referrer):
                col[dup] = col[first]
            sec[dup] = np.minimum(sec[first] + rng.uniform(1, 20, len(dup)), hi_r[dup] - 0.001)

        status = np.full(n, 302, dtype=np.int64)
        p_5xx = np.full(n, 0.00003)
        for a, b in zip(inc_start, inc_end):
            if a < (d + 1) * DAY and b > d * DAY:
                p_5xx[(sec >= a) & (sec < b)] = 0.3
        u = rng.random(n)
        status[u < p_5xx] = rng.choice(SERVER_ERRORS, size=int((u < p_5xx).sum()))
        status[(u >= p_5xx) & (u < p_5xx + 0.00005)] = 404  # the edge's route lookup failed

        # what the app counts: redirected clicks, per hire (usage) and per route and day (rollups)
        redirected = status == 302
        valid_c = np.bincount(local[redirected & ~invalid], minlength=len(idx))
        invalid_c = np.bincount(local[redirected & invalid], minlength=len(idx))
        usage[idx, month_of_day[d]] += valid_c
        _write_rollups(ctx, rng, rollups, d, route_ids[idx], valid_c, invalid_c, lam, ctr[idx])
        if n == 0:
            continue

        # as the edge writes them, with the faults a stream has (an invalid click is already its own label)
        ms = start_ms + np.floor(sec * 1000.0).astype(np.int64)
        ids = _seq_ids("clk_", next_id, n, 11)
        next_id += n
        text = _iso_ms(ms)
        loaded_ms = ms + rng.integers(30_000, 20 * 60_000, n)
        fault = _pick_faults(ctx.faults.rng, ctx.fault_rate, ~invalid, CLICK_FAULTS)
        m = fault == f_tz
        text[m] = _with_offset(ms[m], rng, "ms")
        m = fault == f_malformed
        text[m] = MALFORMED_TIMES[rng.integers(len(MALFORMED_TIMES), size=int(m.sum()))]
        m = fault == f_late
        loaded_ms[m] = ms[m] + rng.integers(2 * 3600_000, 5 * 86400_000, int(m.sum()))
        for code, kind in ((f_tz, "tz_offset"), (f_malformed, "malformed_value"), (f_late, "late_event"),
                           (f_dup, "duplicate")):
            ctx.faults.record_many(SRC, "clicks", kind, ids[fault == code].tolist())
        ctx.faults.record_many(SRC, "clicks", "invalid_click", ids[invalid].tolist())
        ctx.faults.record_many(SRC, "clicks", "null_key", [None] * int((fault == f_null).sum()))
        # a duplicate is delivered again by a later batch; rows are written as loaded, out of click order
        again = np.flatnonzero(fault == f_dup)
        rows = np.concatenate([np.arange(n), again])
        loaded_all = np.concatenate([loaded_ms, loaded_ms[again] + rng.integers(5 * 60_000, 2 * 86400_000,
                                                                                 len(again))])
        order = np.argsort(loaded_all, kind="stable")
        r = rows[order]
        key = ids[r]
        lost = (fault[r] == f_null) & (order < n)  # the second delivery of a duplicate keeps its key
        if lost.any():
            key = key.astype(object)
            key[lost] = None
        c = ci[r]
        clicks.add({
            "click_id": key, "route_id": route_ids[c], "listing_id": listing_ids[c], "hirer_id": hirer_ids[c],
            "clicked_at": text[r], "ip_address": ips[ip[r]], "user_agent": uas[ua[r]],
            "country": CLICK_COUNTRIES[country[r]], "device": device_names[device[r]],
            "referrer": REFERRERS[referrer[r]], "http_status": status[r], "is_valid": ~invalid[r],
            "invalid_reason": reason_names[reason[r]],
            "_loaded_at": loaded_all[order].astype("datetime64[ms]").astype("datetime64[us]"),
        })
    clicks.flush()
    rollups.flush()
    return usage


def _write_rollups(ctx, rng, sink, d, routes, valid_c, invalid_c, lam, ctr) -> None:
    """One row per hired route and day, with impressions from the embed's CTR. A recomputed day is delivered
    twice: the first delivery (computed before a few late clicks were counted) is older and smaller."""
    uniq, inv = np.unique(routes, return_inverse=True)
    valid = np.bincount(inv, weights=valid_c, minlength=len(uniq)).astype(np.int64)
    invalid = np.bincount(inv, weights=invalid_c, minlength=len(uniq)).astype(np.int64)
    expected = np.bincount(inv, weights=lam, minlength=len(uniq))
    route_ctr = np.bincount(inv, weights=ctr, minlength=len(uniq)) / np.bincount(inv, minlength=len(uniq))
    clicked = valid + invalid
    impressions = clicked + rng.poisson(np.maximum(expected, clicked) * (1.0 / route_ctr - 1.0))
    day = (ctx.start + timedelta(days=d)).date()
    day_end_ms = int(np.datetime64(ctx.start + timedelta(days=d + 1), "ms").astype("int64"))
    loaded = day_end_ms + rng.integers(3600_000, 3 * 3600_000, len(uniq))
    fault = _pick_faults(ctx.faults.rng, ctx.fault_rate, np.ones(len(uniq), dtype=bool), (("duplicate", 1.0),))
    again = np.flatnonzero(fault == 1)
    for j in again:
        ctx.faults.record(SRC, "click_rollups", "duplicate", f"{day:%Y-%m-%d}|{uniq[j]}")
    rows = np.concatenate([np.arange(len(uniq)), again])
    sink.add({
        "rollup_date": np.array([day] * len(rows), dtype=object),
        "route_id": uniq[rows],
        "valid_clicks": np.concatenate([valid, valid[again] - rng.binomial(valid[again], 0.02)]),
        "invalid_clicks": invalid[rows],
        "impressions": impressions[rows],
        "_loaded_at": np.concatenate([loaded, np.full(len(again), day_end_ms + 1_800_000)])
        .astype("datetime64[ms]").astype("datetime64[us]"),
    })


# ---------------------------------------------------------------------------------------- listing events
def _listing_events(ctx: Context, listings: list[Listing], contracts: list[Contract], hirers: list[Hirer]) -> None:
    """Views (anonymous or by a signed-in hirer), inquiries and checkouts (one per contract)."""
    rng = ctx.rng(SRC, "listing_events")
    t0 = ctx.start
    end_s = (ctx.end - t0).total_seconds()
    hirer_times = np.array([(h.created_at - t0).total_seconds() for h in hirers])
    hirer_ids = np.array([h.hirer_id for h in hirers], dtype=object)
    parts_t, parts_l, parts_h, parts_e = [], [], [], []

    def add(times, listing_id, who, kind):
        parts_t.append(np.asarray(times, dtype=float))
        parts_l.append(np.full(len(times), listing_id, dtype=object))
        parts_h.append(np.asarray(who, dtype=object))
        parts_e.append(np.full(len(times), kind, dtype=object))

    # browsing while a listing is live
    for lst in listings:
        rate = rng.lognormal(math.log(1.2), 0.7)  # views per day
        for a, b in lst.intervals:
            a_s, b_s = (a - t0).total_seconds(), ((b or ctx.end) - t0).total_seconds()
            n = int(rng.poisson(rate * (b_s - a_s) / DAY))
            if n == 0:
                continue
            times = a_s + rng.random(n) * (b_s - a_s)
            available = np.searchsorted(hirer_times, times)
            signed_in = (rng.random(n) < 0.35) & (available > 0)
            who = np.full(n, None, dtype=object)
            who[signed_in] = hirer_ids[(rng.random(int(signed_in.sum())) * available[signed_in]).astype(int)]
            add(times, lst.listing_id, who, "view")
            asks = np.flatnonzero(signed_in & (rng.random(n) < 0.06))
            add(np.minimum(times[asks] + rng.uniform(60, 3600, len(asks)), end_s - 1), lst.listing_id, who[asks],
                "inquiry")
    # the path to each hire: a few views, maybe an inquiry, then the checkout that started the contract
    for c in contracts:
        start_s = (c.started_at - t0).total_seconds()
        floor_s = max((c.hirer.created_at - t0).total_seconds(), (c.interval_start - t0).total_seconds(),
                      start_s - 14 * DAY)
        checkout = start_s - rng.uniform(60, 900)
        checkout = max(checkout, floor_s)
        k = 1 + int(rng.poisson(2))
        views = floor_s + rng.random(k) * max(checkout - floor_s, 0.0)
        add(views, c.listing.listing_id, [c.hirer.hirer_id] * k, "view")
        if rng.random() < 0.4:
            add([floor_s + rng.random() * max(checkout - floor_s, 0.0)], c.listing.listing_id, [c.hirer.hirer_id],
                "inquiry")
        add([checkout], c.listing.listing_id, [c.hirer.hirer_id], "checkout")
    if not parts_t:
        return
    t = np.concatenate(parts_t)
    lid, hid, kind = np.concatenate(parts_l), np.concatenate(parts_h), np.concatenate(parts_e)
    order = np.argsort(t, kind="stable")
    t, lid, hid, kind = t[order], lid[order], hid[order], kind[order]
    n = len(t)
    ms = int(np.datetime64(t0, "ms").astype("int64")) + (np.floor(t) * 1000).astype(np.int64)
    ids = _seq_ids("lev_", 1, n, 10).astype(object)
    text = np.datetime_as_string(ms.astype("datetime64[ms]").astype("datetime64[s]"), unit="s")
    text = np.char.replace(text, "T", " ").astype(object)
    loaded_ms = ms + rng.integers(60_000, 30 * 60_000, n)
    fault = _pick_faults(ctx.faults.rng, ctx.fault_rate, np.ones(n, dtype=bool), EVENT_FAULTS)
    code = {k: i + 1 for i, (k, _) in enumerate(EVENT_FAULTS)}
    m = fault == code["tz_offset"]
    text[m] = _with_offset(ms[m], rng, "s")
    m = fault == code["late_event"]  # sent hours to days later (an app offline, a retried batch)
    loaded_ms[m] += rng.integers(3600_000, 3 * 86400_000, int(m.sum()))
    for k in ("tz_offset", "late_event", "duplicate"):
        ctx.faults.record_many(SRC, "listing_events", k, ids[fault == code[k]].tolist())
    ctx.faults.record_many(SRC, "listing_events", "null_key", [None] * int((fault == code["null_key"]).sum()))
    key = ids.copy()
    key[fault == code["null_key"]] = None
    again = np.flatnonzero(fault == code["duplicate"])
    rows = np.concatenate([np.arange(n), again])
    loaded_all = np.concatenate([loaded_ms, loaded_ms[again] + rng.integers(5 * 60_000, 2 * 86400_000, len(again))])
    sink = ctx.sink(SRC, "listing_events")
    chunk = 200_000
    for s in range(0, len(rows), chunk):
        part = rows[s:s + chunk]
        lpart = loaded_all[s:s + chunk]
        o = np.argsort(lpart, kind="stable")  # each batch written as it was loaded, not in event order
        sink.write_columns({
            "event_id": key[part[o]], "listing_id": lid[part[o]], "hirer_id": hid[part[o]],
            "event_type": kind[part[o]], "occurred_at": text[part[o]],
            "_loaded_at": lpart[o].astype("datetime64[ms]").astype("datetime64[us]"),
        })


# ---------------------------------------------------------------------------------------- money
def _charges(ctx: Context, contracts: list[Contract], usage: np.ndarray) -> None:
    """Period charges monthly in advance, usage charges at month end; each collected through Stripe."""
    rng = ctx.rng(SRC, "contract_charges")
    specs = []  # (charged_at, contract index, charge_type, amount, period_start, period_end)
    for i, c in enumerate(contracts):
        stop = c.ended_at or ctx.end
        if c.listing.period_price > 0:
            k = 0
            while True:
                ps = _add_months(c.started_at, k)
                if ps >= stop or ps >= ctx.end:
                    break
                charged = ps + timedelta(seconds=int(rng.integers(30, 1800)))
                if charged < ctx.end:
                    specs.append((charged, i, "period", c.listing.period_price, ps, _add_months(c.started_at, k + 1)))
                k += 1
        if c.listing.click_price > 0:
            for m in np.flatnonzero(usage[i]):
                month_start = _add_months(ctx.start, int(m))
                month_end = _add_months(ctx.start, int(m) + 1)
                amount = int(usage[i, m]) * c.listing.click_price
                charged = month_end + timedelta(seconds=int(rng.integers(3600, 6 * 3600)))
                if amount < MIN_CHARGE or charged >= ctx.end:
                    continue  # below Stripe's minimum (waived), or not charged yet
                specs.append((charged, i, "usage", amount, max(month_start, c.started_at), min(month_end, stop)))
    specs.sort(key=lambda s: (s[0], s[1], s[2]))
    # a failed charge is retried a few days later as a new charge
    retries = []
    for spec in specs:
        _charge(ctx, rng, contracts, spec, retries)
    while retries:
        retries.sort(key=lambda s: (s[0], s[1], s[2]))
        batch, retries = retries, []
        for spec in batch:
            _charge(ctx, rng, contracts, spec, retries, retry=True)


def _charge(ctx, rng, contracts, spec, retries, retry=False) -> None:
    charged, i, charge_type, amount, ps, pe = spec
    c = contracts[i]
    failed = (not retry) and rng.random() < 0.03
    charge_id = ctx.next_id("cch")
    payment = Payment(
        domain=SRC, object_type="contract_charge", object_id=charge_id, customer_ref=c.hirer.hirer_id,
        customer_email=c.hirer.email, customer_country=c.hirer.country, amount=int(amount),
        currency=c.listing.currency, created_at=charged, succeeded=not failed,
        failure_code=str(rng.choice(["card_declined", "insufficient_funds", "expired_card"])) if failed else None,
        transfer_destination=c.listing.owner.account_id,
        transfer_amount=int(amount) - int(round(amount * MARKETPLACE_TAKE_RATE)) - processing_fee(int(amount)),
        invoiced=True, description=f"{charge_type} charge, contract {c.contract_id}",
    )
    if not failed:
        roll = rng.random()
        later = charged + _days(rng.uniform(5, 45))
        if roll < 0.012 and later < ctx.end:
            payment.refund_amount = int(amount) if rng.random() < 0.6 else int(amount) // 2
            payment.refund_at = later
        elif roll < 0.016 and later < ctx.end:
            payment.dispute_at = later
    stripe_charge_id = ctx.add_payment(payment)
    if not failed:
        c.payments.append((charged, payment))
    row = {"contract_charge_id": charge_id, "contract_id": c.contract_id, "hirer_id": c.hirer.hirer_id,
           "charge_type": charge_type, "status": "failed" if failed else "succeeded", "amount": int(amount),
           "currency": c.listing.currency, "period_start": ps, "period_end": pe, "charged_at": charged,
           "stripe_charge_id": stripe_charge_id, "_loaded_at": _loaded(rng, charged)}
    ctx.emit(SRC, "contract_charges", row, key="contract_charge_id", loaded_at="_loaded_at", faults=("duplicate",))
    if failed:
        again = charged + _days(rng.uniform(1, 3))
        if again < ctx.end:
            retries.append((again, i, charge_type, amount, ps, pe))


def _disputes_and_credits(ctx: Context, contracts: list[Contract]) -> None:
    rng = ctx.rng(SRC, "disputes")
    credits = []  # (issued_at, contract, amount, reason)
    for c in contracts:
        stop = c.ended_at or ctx.end
        span = (stop - c.started_at).total_seconds() / DAY
        if span < 3:
            continue
        if rng.random() < 0.04 + c.ivt_share:  # high-IVT hires are disputed more often
            opened = c.started_at + _days(rng.uniform(2, span))
            closed = opened + _days(rng.lognormal(math.log(5), 0.8))
            reason = str(rng.choice(DISPUTE_REASONS, p=DISPUTE_REASON_P))
            is_closed = closed < ctx.end
            row = {"dispute_id": ctx.next_id("dsp"), "contract_id": c.contract_id, "hirer_id": c.hirer.hirer_id,
                   "status": "closed" if is_closed else "open", "reason": reason, "opened_at": opened,
                   "closed_at": closed if is_closed else None, "_loaded_at": _loaded(rng, closed if is_closed else opened)}
            ctx.emit(SRC, "disputes", row, key="dispute_id", loaded_at="_loaded_at", faults=("duplicate",))
            if is_closed:
                outcome = rng.random()
                paid = [p for t, p in c.payments if t <= opened and not p.refund_amount and p.dispute_at is None]
                if outcome < 0.5:
                    base = paid[-1].amount if paid else 2000
                    credits.append((closed + timedelta(minutes=int(rng.integers(1, 120))), c,
                                    max(100, int(base * rng.uniform(0.1, 0.5))), "dispute_resolution"))
                elif outcome < 0.65 and paid:
                    paid[-1].refund_amount = paid[-1].amount
                    paid[-1].refund_at = closed
        for reason, p in (("service_outage", 0.03), ("ivt_adjustment", 0.02), ("goodwill", 0.02)):
            if rng.random() < p:
                credits.append((c.started_at + _days(rng.uniform(1, span)), c,
                                int(round(rng.lognormal(math.log(1500), 0.6), -1)), reason))
    credits.sort(key=lambda x: (x[0], x[1].contract_id))
    for issued, c, amount, reason in credits:
        credit_id = ctx.next_id("crd")
        row = {"credit_id": credit_id, "hirer_id": c.hirer.hirer_id, "contract_id": c.contract_id,
               "amount": amount, "currency": c.listing.currency, "reason": reason, "issued_at": issued,
               "_loaded_at": _loaded(rng, issued)}
        if ctx.faults.roll():  # a zero or negative amount from an admin-tool bug
            row["amount"] = 0 if rng.random() < 0.5 else -amount
            ctx.sink(SRC, "credits").write(row)
            ctx.faults.record(SRC, "credits", "non_positive_amount", credit_id)
            continue
        ctx.emit(SRC, "credits", row, key="credit_id", loaded_at="_loaded_at")


# ---------------------------------------------------------------------------------------- entry point
def generate(ctx: Context) -> None:
    owners = _owners(ctx)
    hirers = _hirers(ctx)
    domains = _domains(ctx, owners)
    _certificates(ctx, domains)
    routes = _routes(ctx, domains)
    listings = _listings(ctx, routes)
    contracts = _contracts(ctx, listings, hirers)
    _listing_events(ctx, listings, contracts, hirers)
    usage = _clicks(ctx, contracts)
    _charges(ctx, contracts, usage)
    _disputes_and_credits(ctx, contracts)
