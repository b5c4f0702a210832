"""Tutoring marketplace (seed 002): tutors and their onboarding, students, bookings, lesson packages, messages,
reviews and the audit / analytics event stream, as the app's database replication and event collector land them.

The shape follows the seed's funnels and KPIs, a little above or below each target:

  student funnel  visit -> sign up (0.285) -> first search (0.52) -> first booking request (0.42)
                  -> first completed session (0.72) -> second booking (0.48)
  tutor funnel    application -> approved (0.62) -> profile complete (0.78) -> availability set (0.74)
                  -> first booking (about 0.55) -> first session completed (about 0.9)
  bookings        confirmed / requested ~ 0.70, completed / confirmed ~ 0.89, ~5 messages per booking,
                  ~40 % of completed sessions reviewed (mean rating ~4.5), failed charges ~4 % of attempts

Students who come back after their first session (the retained learners) carry almost all the sessions; the
scale's `bookings` volume is spread over them in proportion to how long they stay and how keen they are.
Entities (tutors, students, onboarding, packages) are written row by row; bookings, messages, reviews and the
event stream are built with numpy per chunk of students and written with `write_columns`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import islice

import numpy as np

from .core import FX_BASE, TUTORING_COMMISSION_RATE, Context, Payment, processing_fee

SOURCE = "tutoring"
DAY = 86_400
HOUR = 3_600
MINUTE = 60

# funnel and behaviour rates (see the module docstring)
P_VISIT_TO_SIGNUP = 0.285
P_SEARCH = 0.52
P_BOOK = 0.42
P_FIRST_COMPLETED = 0.72
P_SECOND = 0.48
P_APPROVE = 0.62
P_PROFILE_STARTED = 0.97
P_PROFILE_COMPLETE = 0.80  # of profiles started (0.78 of approved tutors)
P_AVAILABILITY = 0.74
P_BOOKABLE = 0.55  # of tutors with availability: students find and book them
P_FLAKY = 0.10  # of bookable tutors: their first bookings fail, they are suspended
P_SUSPENDED_OTHER = 0.03
P_PACKAGE_BUYER = 0.65  # of retained learners
P_PACKAGE_AGAIN = 0.60
P_PRIMARY_TUTOR = 0.88
P_REVIEW = 0.41
P_COMPLETED_REFUND = 0.015
P_DISPUTE = 0.003
RATING_P = np.array([0.02, 0.03, 0.07, 0.20, 0.68])  # ratings 1..5, mean ~4.49

# booking outcome classes and their shares (before time truncation at the period end)
C_DECLINED, C_PAY_FAILED, C_COMPLETED, C_STUDENT_NO_SHOW, C_TUTOR_NO_SHOW, C_LATE_CANCEL = range(6)
CLASS_P = np.array([0.27, 0.03, 0.70 * 0.895, 0.70 * 0.03, 0.70 * 0.015, 0.70 * 0.06])
CHURN_CLASS_P = np.where(np.arange(6) == C_COMPLETED, 0.0, CLASS_P)
CHURN_CLASS_P = CHURN_CLASS_P / CHURN_CLASS_P.sum()
FAILURE_CODES = ["card_declined", "insufficient_funds", "expired_card", "processing_error"]

COUNTRIES = ["US", "GB", "CA", "DE", "FR", "ES", "NL", "IE"]
COUNTRY_CURRENCY = {"US": "usd", "GB": "gbp", "CA": "cad", "DE": "eur", "FR": "eur", "ES": "eur", "NL": "eur",
                    "IE": "eur"}
TUTOR_COUNTRY_P = [0.40, 0.15, 0.10, 0.10, 0.08, 0.07, 0.05, 0.05]
STUDENT_COUNTRIES = COUNTRIES + ["MX", "BR", "IN", "JP"]
STUDENT_COUNTRY_P = [0.38, 0.12, 0.09, 0.08, 0.06, 0.05, 0.03, 0.03, 0.05, 0.04, 0.04, 0.03]
CHANNELS = ["organic", "paid_search", "social", "referral", "content"]
CHANNEL_P = [0.35, 0.20, 0.20, 0.15, 0.10]
SUBJECTS = ["math", "english", "spanish", "physics", "chemistry", "programming", "music", "french"]
FIRST = ["alex", "sam", "maria", "li", "noah", "emma", "omar", "ana", "lucas", "mia", "ivan", "zoe", "raj",
         "lena", "tom", "sara", "yuki", "leo", "nina", "ben", "eva", "ali", "jon", "ella"]
LAST = ["smith", "garcia", "chen", "muller", "rossi", "novak", "silva", "kim", "brown", "martin", "patel",
        "jones", "lopez", "dubois", "khan", "berg"]
DOMAINS = ["example.com", "example.org", "example.net"]
MALFORMED_TIMES = ["not-a-timestamp", "2025-02-30 25:61:00", "??", "1714070000abc"]
OFFSETS = [(2, "+02:00"), (-5, "-05:00"), (5.5, "+05:30"), (1, "+01:00")]


# ----------------------------------------------------------------------------------------------- helpers

class _Clock:
    """Times are int64 seconds since the period start; this turns them into what the sinks want."""

    def __init__(self, ctx: Context):
        self.start = ctx.start
        self.base = np.datetime64(ctx.start, "s")
        self.end = ctx.days * DAY
        self.start_weekday = ctx.start.weekday()

    def py(self, secs) -> datetime | None:
        if secs is None or secs < 0:
            return None
        return self.start + timedelta(seconds=int(secs))

    def dt64(self, secs: np.ndarray) -> np.ndarray:
        """datetime64[s]; negative seconds (our 'missing') become NaT."""
        secs = np.asarray(secs, dtype=np.int64)
        out = self.base + secs.astype("timedelta64[s]")
        return np.where(secs >= 0, out, np.datetime64("NaT", "s"))

    def text(self, secs: np.ndarray) -> np.ndarray:
        """'YYYY-MM-DDTHH:MM:SS' text."""
        return np.datetime_as_string(self.base + np.asarray(secs, dtype=np.int64).astype("timedelta64[s]"),
                                     unit="s")

    def secs(self, t64: np.ndarray) -> np.ndarray:
        return (t64.astype("datetime64[s]") - self.base).astype(np.int64)

    def weekday(self, secs: np.ndarray) -> np.ndarray:
        return (self.start_weekday + np.asarray(secs) // DAY) % 7


NA = -1  # a missing time, in seconds since the start


def _ids(ctx: Context, prefix: str, n: int, width: int = 8) -> np.ndarray:
    return np.array([ctx.next_id(prefix, width) for _ in range(n)], dtype=object)


def _email(rng: np.random.Generator, n: int) -> str:
    first = FIRST[int(rng.integers(len(FIRST)))]
    last = LAST[int(rng.integers(len(LAST)))]
    text = f"{first}.{last}{n}@{DOMAINS[int(rng.integers(len(DOMAINS)))]}"
    # people type their address as they like; staging lower-cases and trims before hashing
    return text.capitalize() if rng.random() < 0.1 else text


def _exact(rng: np.random.Generator, mask: np.ndarray, p: float) -> np.ndarray:
    """A random subset of `mask` of exactly round(p * size): funnel steps keep their rate even at small scales."""
    idx = np.flatnonzero(mask)
    out = np.zeros(len(mask), dtype=bool)
    out[rng.permutation(idx)[: int(round(p * len(idx)))]] = True
    return out


# ----------------------------------------------------------------------------------------------- events

class _Events:
    """Collects audit / analytics events of one chunk, then writes them with faults, ids, offsets and lags."""

    KINDS = ("duplicate", "null_key", "malformed_value", "malformed_json", "tz_offset", "late_event")

    def __init__(self, ctx: Context, clock: _Clock):
        self.ctx = ctx
        self.clock = clock
        self.rng = ctx.rng(SOURCE, "audit_events")
        self.parts: list[tuple] = []
        self.rows = 0

    def add(self, name: str, actor_ids, role, secs, props, frontend: bool = False) -> None:
        secs = np.asarray(secs, dtype=np.int64)
        n = len(secs)
        if n == 0:
            return
        keep = (secs >= 0) & (secs < self.clock.end)
        actor_ids = np.asarray(actor_ids, dtype=object)
        roles = np.full(n, role, dtype=object) if isinstance(role, str) else np.asarray(role, dtype=object)
        props = np.asarray(props, dtype=object)
        self.parts.append((np.full(keep.sum(), name, dtype=object), actor_ids[keep], roles[keep], secs[keep],
                           props[keep], np.full(keep.sum(), frontend)))

    def flush(self) -> None:
        if not self.parts:
            return
        names, actors, roles, secs, props, front = (np.concatenate(c) for c in zip(*self.parts))
        self.parts = []
        n = len(secs)
        order = np.argsort(secs, kind="stable")
        names, actors, roles, secs, props, front = (a[order] for a in (names, actors, roles, secs, props, front))
        ids = _ids(self.ctx, "evt", n, 10)
        rng, clock, faults = self.rng, self.clock, self.ctx.faults
        lag = np.where(front, rng.integers(60, 3 * HOUR, n), rng.integers(5, 30 * MINUTE, n))
        loaded = secs + lag
        text = clock.text(secs)
        occurred = np.where(front, np.char.add(text, "Z"), np.char.replace(text, "T", " ")).astype(object)
        fault = np.full(n, "", dtype=object)
        hit = faults.rng.random(n) < faults.rate
        kind = faults.rng.integers(len(self.KINDS), size=n)
        fault[hit] = np.array(self.KINDS, dtype=object)[kind[hit]]
        record = self.ctx.faults.record
        for i in np.flatnonzero(hit):
            k = fault[i]
            if k == "null_key":
                record(SOURCE, "audit_events", k, None)
                ids[i] = None
                continue
            record(SOURCE, "audit_events", k, ids[i])
            if k == "malformed_value":
                occurred[i] = MALFORMED_TIMES[int(rng.integers(len(MALFORMED_TIMES)))]
            elif k == "malformed_json":
                props[i] = props[i][:-1]  # truncated in transit
            elif k == "tz_offset":
                hours, suffix = OFFSETS[int(rng.integers(len(OFFSETS)))]
                local = clock.text(np.array([secs[i] + int(hours * HOUR)]))[0]
                occurred[i] = f"{local}{suffix}"
            elif k == "late_event":
                loaded[i] = secs[i] + int(rng.integers(2 * DAY, 10 * DAY))
        dup = np.flatnonzero(fault == "duplicate")
        # the older delivery stays where it is; the later one lands minutes to two days after it
        cols = {
            "event_id": np.concatenate([ids, ids[dup]]),
            "event_name": np.concatenate([names, names[dup]]),
            "actor_id": np.concatenate([actors, actors[dup]]),
            "actor_role": np.concatenate([roles, roles[dup]]),
            "occurred_at": np.concatenate([occurred, occurred[dup]]),
            "properties": np.concatenate([props, props[dup]]),
            "_loaded_at": np.concatenate([loaded, loaded[dup] + rng.integers(5 * MINUTE, 2 * DAY, len(dup))]),
        }
        # delivered in batches, not in time order
        perm = rng.permutation(len(cols["event_id"]))
        cols = {k: v[perm] for k, v in cols.items()}
        cols["_loaded_at"] = clock.dt64(cols["_loaded_at"])
        self.ctx.sink(SOURCE, "audit_events").write_columns(cols)
        self.rows += n


def _props(template: str, *columns) -> list[str]:
    """JSON text per row from a %-template of trusted ids and numbers."""
    return [template % values for values in zip(*columns)]


# ----------------------------------------------------------------------------------------------- tutors

def _tutors(ctx: Context, clock: _Clock) -> dict:
    """Draw every tutor's onboarding path. Tutors are written later, once suspensions are known."""
    rng = ctx.rng(SOURCE, "tutors")
    n = max(4, ctx.volume("tutors"))
    end = clock.end
    n_found = max(2, round(n * 0.3))  # the founding cohort, recruited before launch week
    founding = np.sort(rng.integers(0, min(21 * DAY, end // 4), n_found))
    later = clock.secs(ctx.sample_times(rng, n - n_found))
    created = np.concatenate([founding, later]).astype(np.int64)

    submitted = created + rng.integers(5 * MINUTE, 2 * HOUR, n)
    decided = submitted + (rng.exponential(3 * DAY, n) + 12 * HOUR).astype(np.int64)
    started = decided + rng.integers(10 * MINUTE, 2 * DAY, n)
    complete = started + (rng.exponential(2 * DAY, n) + HOUR).astype(np.int64)
    available = complete + (rng.exponential(1.5 * DAY, n) + 30 * MINUTE).astype(np.int64)
    approved = _exact(rng, decided < end, P_APPROVE)
    has_started = _exact(rng, approved & (started < end), P_PROFILE_STARTED)
    has_complete = _exact(rng, has_started & (complete < end), P_PROFILE_COMPLETE)
    has_available = _exact(rng, has_complete & (available < end), P_AVAILABILITY)
    bookable = _exact(rng, has_available, P_BOOKABLE)
    flaky = _exact(rng, bookable, P_FLAKY)

    # a marketplace needs tutors: the first founding tutors always make it through onboarding
    needed = max(2, round(n * 0.05)) - int((bookable & ~flaky).sum())
    for i in range(n_found):
        if needed <= 0:
            break
        if not (bookable[i] and not flaky[i]) and available[i] < end:
            approved[i] = has_started[i] = has_complete[i] = has_available[i] = bookable[i] = True
            flaky[i] = False
            needed -= 1

    status = np.where(decided < end, np.where(approved, "approved", "rejected"), "applied").astype(object)
    approved_ok = approved
    country = rng.choice(COUNTRIES, size=n, p=TUTOR_COUNTRY_P)
    currency = np.array([COUNTRY_CURRENCY[c] for c in country], dtype=object)
    usd_rate = np.clip(rng.lognormal(np.log(40.0), 0.3, n), 20, 150)
    rate = np.array([int(round(r / FX_BASE[c] / 5.0) * 500) for r, c in zip(usd_rate, currency)], dtype=np.int64)
    ids = _ids(ctx, "tut", n)
    accounts = np.array([ctx.next_id("acct") if a else None for a in approved_ok], dtype=object)
    emails = np.array([_email(rng, i + 1) for i in range(n)], dtype=object)

    # weekly slots (0 = Monday); the first ones are published when availability is set
    slots = []
    for i in np.flatnonzero(has_available):
        k_init = int(rng.integers(2, 5))
        k_more = int(rng.integers(0, 3))
        weekdays = rng.permutation(7)[: k_init + k_more]
        for j, wd in enumerate(weekdays):
            start_min = int(rng.integers(14, 41)) * 30  # 07:00 .. 20:00
            length = int(rng.integers(2, 9)) * 30  # 1 .. 4 hours
            end_min = min(start_min + length, 23 * 60 + 30)
            at = int(available[i]) if j < k_init else int(available[i] + rng.integers(DAY, 45 * DAY))
            if at >= end:
                continue
            slots.append((i, int(wd), start_min, end_min, at, j < k_init))
    return dict(n=n, ids=ids, emails=emails, country=country, currency=currency, rate=rate, created=created,
                submitted=submitted, decided=decided, status=status, approved=approved_ok, started=started,
                complete=complete, available=available, has_started=has_started, has_complete=has_complete,
                has_available=has_available, bookable=bookable, flaky=flaky, accounts=accounts, slots=slots,
                popularity=rng.lognormal(0.0, 0.8, n), rng=rng)


def _write_tutors(ctx: Context, clock: _Clock, t: dict, suspended_at: dict[int, int], events: _Events) -> None:
    rng = t["rng"]
    end = clock.end
    signup_actor, signup_t, signup_props = [], [], []
    app_actor, app_t, app_props = [], [], []
    appr_t, appr_props = [], []
    avail_actor, avail_t, avail_props = [], [], []
    for i in range(t["n"]):
        tid = t["ids"][i]
        status = t["status"][i]
        last = t["decided"][i] if status != "applied" else t["submitted"][i]
        if i in suspended_at:
            status = "suspended"
            last = suspended_at[i]
        elif t["approved"][i] and not t["bookable"][i] and rng.random() < P_SUSPENDED_OTHER:
            at = int(t["decided"][i] + rng.integers(20 * DAY, 120 * DAY))
            if at < end:
                status, last = "suspended", at
        row = {
            "tutor_id": tid,
            "email": t["emails"][i],
            "country": t["country"][i],
            "created_at": clock.py(t["created"][i]),
            "status": status,
            "approved_at": clock.py(t["decided"][i]) if t["approved"][i] else None,
            "hourly_rate_amount": int(t["rate"][i]),
            "currency": t["currency"][i],
            "stripe_account_id": t["accounts"][i],
            "_loaded_at": clock.py(last + int(rng.integers(MINUTE, HOUR))),
        }
        ctx.emit(SOURCE, "tutors", row, key="tutor_id", loaded_at="_loaded_at", faults=("duplicate",))

        app_id = ctx.next_id("app")
        decided_in = status != "applied"
        row = {
            "application_id": app_id,
            "tutor_id": tid,
            "submitted_at": clock.py(t["submitted"][i]),
            "status": ("approved" if t["approved"][i] else "rejected") if decided_in else "pending",
            "decided_at": clock.py(t["decided"][i]) if decided_in else None,
            "_loaded_at": clock.py((t["decided"][i] if decided_in else t["submitted"][i])
                                   + int(rng.integers(MINUTE, HOUR))),
        }
        ctx.emit(SOURCE, "tutor_applications", row, key="application_id", loaded_at="_loaded_at",
                 faults=("duplicate",))
        signup_actor.append(tid)
        signup_t.append(t["created"][i])
        signup_props.append('{"role":"tutor"}')
        app_actor.append(tid)
        app_t.append(t["submitted"][i])
        app_props.append('{"application_id":"%s","tutor_id":"%s"}' % (app_id, tid))
        if t["approved"][i]:
            appr_t.append(t["decided"][i])
            appr_props.append('{"application_id":"%s","tutor_id":"%s"}' % (app_id, tid))

        for step, done, at in (("profile_started", t["has_started"], t["started"]),
                               ("profile_complete", t["has_complete"], t["complete"]),
                               ("availability_set", t["has_available"], t["available"])):
            if not done[i]:
                continue
            row = {
                "tutor_id": tid,
                "step": step,
                "completed_at": clock.py(at[i]),
                "_loaded_at": clock.py(at[i] + int(rng.integers(MINUTE, HOUR))),
            }
            if ctx.faults.roll():
                sink = ctx.sink(SOURCE, "tutor_profile_steps")
                sink.write(row)
                again = dict(row, _loaded_at=row["_loaded_at"] + timedelta(minutes=int(rng.integers(5, 2880))))
                sink.write(again)
                ctx.faults.record(SOURCE, "tutor_profile_steps", "duplicate", f"{tid}|{step}")
            else:
                ctx.sink(SOURCE, "tutor_profile_steps").write(row)
        if t["has_available"][i]:
            avail_actor.append(tid)
            avail_t.append(t["available"][i])
            avail_props.append('{"tutor_id":"%s"}' % tid)

    for i, wd, start_min, end_min, at, _initial in t["slots"]:
        row = {
            "availability_id": ctx.next_id("avl"),
            "tutor_id": t["ids"][i],
            "weekday": wd,
            "start_time": f"{start_min // 60:02d}:{start_min % 60:02d}",
            "end_time": f"{end_min // 60:02d}:{end_min % 60:02d}",
            "created_at": clock.py(at),
            "_loaded_at": clock.py(at + int(rng.integers(MINUTE, HOUR))),
        }
        ctx.emit(SOURCE, "tutor_availability", row, key="availability_id", loaded_at="_loaded_at",
                 faults=("duplicate",))

    events.add("user.signup", signup_actor, "tutor", signup_t, signup_props)
    events.add("tutor.application", app_actor, "tutor", app_t, app_props)
    events.add("tutor.approved", ["adm_0001"] * len(appr_t), "admin", appr_t, appr_props)
    events.add("tutor.availability_set", avail_actor, "tutor", avail_t, avail_props)


# ----------------------------------------------------------------------------------------------- students

def _students(ctx: Context, clock: _Clock, t: dict, events: _Events) -> dict:
    rng = ctx.rng(SOURCE, "students")
    n = ctx.volume("students")
    end = clock.end
    signed_up = clock.secs(ctx.sample_times(rng, n))
    ids = _ids(ctx, "stu", n)
    country = rng.choice(STUDENT_COUNTRIES, size=n, p=STUDENT_COUNTRY_P)
    channel = rng.choice(CHANNELS, size=n, p=CHANNEL_P)
    emails = np.array([_email(rng, i + 1) for i in range(n)], dtype=object)

    first_search = signed_up + (rng.exponential(DAY, n) + 2 * MINUTE).astype(np.int64)
    searched = _exact(rng, first_search < end - HOUR, P_SEARCH)
    t1 = first_search + (rng.exponential(2 * DAY, n) + 30 * MINUTE).astype(np.int64)

    # bookable tutors, in the order they became available; a booker picks among those available by then
    pool = np.flatnonzero(t["bookable"] & ~t["flaky"])
    pool = pool[np.argsort(t["available"][pool], kind="stable")]
    pool_from = t["available"][pool]
    pool_cum = np.cumsum(t["popularity"][pool])
    t1 = np.maximum(t1, pool_from[0] + rng.integers(HOUR, 3 * DAY, n))
    booked = _exact(rng, searched & (t1 < end - HOUR), P_BOOK)
    completes = _exact(rng, booked, P_FIRST_COMPLETED)
    retained = _exact(rng, completes, P_SECOND)

    def pick(at):
        """A tutor available by then: by popularity, or (a third of the time) one of the three newest."""
        k = np.searchsorted(pool_from, at, side="right")
        k = np.maximum(k, 1)
        u = rng.random(len(at)) * pool_cum[k - 1]
        popular = np.minimum(np.searchsorted(pool_cum, u, side="right"), k - 1)
        newest = k - 1 - (rng.random(len(at)) * np.minimum(k, 3)).astype(np.int64)
        return pool[np.where(rng.random(len(at)) < 0.35, newest, popular)]

    primary = pick(t1)
    secondary = pick(t1)

    # how many bookings each booker makes: churners 1-2, one-off learners 1, retained learners share the rest
    n_book = np.zeros(n, dtype=np.int64)
    churner = booked & ~completes
    n_book[churner] = 1 + (rng.random(churner.sum()) < 0.3)
    n_book[completes & ~retained] = 1
    n_book[retained] = 2
    lifetime = (14 * DAY + rng.exponential(300 * DAY, n)).astype(np.int64)
    w_end = np.minimum(end - HOUR, t1 + lifetime)
    window = np.maximum(w_end - t1, HOUR)
    keen = rng.lognormal(0.0, 0.35, n)

    # tutors who let their first students down, then get suspended
    flaky_rows = []
    suspended_at = {}
    for i in np.flatnonzero(t["flaky"]):
        last = None
        for _ in range(int(rng.integers(1, 3))):
            at = int(t["available"][i] + rng.integers(DAY, 20 * DAY))
            candidates = np.flatnonzero(booked & (t1 < at - DAY))
            if at >= end - DAY or len(candidates) == 0:
                continue
            flaky_rows.append((int(candidates[int(rng.integers(len(candidates)))]), int(i), at))
            last = max(last or 0, at)
        if last is not None and last + 10 * DAY < end:
            suspended_at[int(i)] = last + int(rng.integers(3 * DAY, 10 * DAY))

    remaining = ctx.volume("bookings") - int(n_book.sum()) - len(flaky_rows)
    if remaining > 0 and retained.any():
        w = (keen * window)[retained]
        n_book[retained] += rng.multinomial(remaining, w / w.sum())

    for i in range(n):
        row = {
            "student_id": ids[i],
            "email": emails[i],
            "country": country[i],
            "signed_up_at": clock.py(signed_up[i]),
            "acquisition_channel": channel[i],
            "_loaded_at": clock.py(signed_up[i] + int(rng.integers(MINUTE, HOUR))),
        }
        ctx.emit(SOURCE, "students", row, key="student_id", loaded_at="_loaded_at", faults=("duplicate",))

    # top of the funnel: landing visits (converted and not), sign-ups, searches, abandoned booking starts
    n_visitors = int(round(n / P_VISIT_TO_SIGNUP))
    visitor_ids = _ids(ctx, "anon", n_visitors, 10)
    visit_t = np.concatenate([
        np.maximum(0, signed_up - rng.integers(MINUTE, 3 * DAY, n)),
        clock.secs(ctx.sample_times(rng, n_visitors - n)),
    ])
    events.add("page.landing", visitor_ids, "visitor", visit_t,
               _props('{"referrer":"%s"}', list(channel) + list(rng.choice(CHANNELS, n_visitors - n))),
               frontend=True)
    events.add("user.signup", ids, "student", signed_up,
               _props('{"acquisition_channel":"%s","role":"student","visitor_id":"%s"}', channel,
                      visitor_ids[:n]))
    s_idx = np.flatnonzero(searched)
    extra = rng.poisson(1.0, len(s_idx))
    srch_student = np.concatenate([s_idx, np.repeat(s_idx, extra)])
    srch_t = np.concatenate([first_search[s_idx],
                             np.repeat(first_search[s_idx], extra)
                             + (rng.random(extra.sum()) * (end - np.repeat(first_search[s_idx], extra))).astype(np.int64)])
    subject = rng.choice(SUBJECTS, len(srch_t))
    events.add("page.search", ids[srch_student], "student", srch_t - rng.integers(5, 120, len(srch_t)),
               ['{}'] * len(srch_t), frontend=True)
    events.add("search.performed", ids[srch_student], "student", srch_t,
               _props('{"results_count":%d,"subject":"%s"}', rng.integers(0, 40, len(srch_t)), subject),
               frontend=True)
    abandon = s_idx[~booked[s_idx] & (rng.random(len(s_idx)) < 0.3)]
    ab_tutor = t["ids"][pick(first_search[abandon] + 10 * MINUTE)]
    events.add("page.tutor_profile", ids[abandon], "student", first_search[abandon] + 5 * MINUTE,
               _props('{"tutor_id":"%s"}', ab_tutor), frontend=True)
    events.add("booking.started", ids[abandon], "student", first_search[abandon] + 10 * MINUTE,
               _props('{"tutor_id":"%s"}', ab_tutor), frontend=True)
    events.flush()

    return dict(n=n, ids=ids, emails=emails, country=country, signed_up=signed_up, t1=t1, w_end=w_end,
                n_book=n_book, completes=completes, retained=retained, primary=primary, secondary=secondary,
                flaky_rows=flaky_rows, suspended_at=suspended_at, rng=rng)


# ----------------------------------------------------------------------------------------------- bookings

def _bookings(ctx: Context, clock: _Clock, t: dict, s: dict, events: _Events, chunk_bookings: int = 50_000):
    rng = ctx.rng(SOURCE, "bookings")
    # tutors' initial weekly slots, padded per tutor, for scheduling sessions into them
    slot_wd = np.zeros((t["n"], 4), dtype=np.int64)
    slot_min = np.zeros((t["n"], 4), dtype=np.int64)
    n_slots = np.zeros(t["n"], dtype=np.int64)
    for i, wd, start_min, _end_min, _at, initial in t["slots"]:
        if initial and n_slots[i] < 4:
            slot_wd[i, n_slots[i]] = wd
            slot_min[i, n_slots[i]] = start_min
            n_slots[i] += 1

    flaky_by_student: dict[int, list[tuple[int, int]]] = {}
    for st, tu, at in s["flaky_rows"]:
        flaky_by_student.setdefault(st, []).append((tu, at))
    bookers = np.flatnonzero(s["n_book"] > 0)
    sizes = s["n_book"][bookers] + np.array([len(flaky_by_student.get(int(b), ())) for b in bookers], dtype=np.int64)
    cuts = np.flatnonzero(np.diff(np.cumsum(sizes) // chunk_bookings)) + 1
    for chunk in np.split(bookers, cuts):
        if len(chunk):
            _booking_chunk(ctx, clock, t, s, events, rng, chunk, flaky_by_student, slot_wd, slot_min, n_slots)
            events.flush()


def _booking_chunk(ctx, clock, t, s, events, rng, chunk, flaky_by_student, slot_wd, slot_min, n_slots):
    end = clock.end
    counts = s["n_book"][chunk]
    student = np.repeat(chunk, counts)
    n = len(student)
    first_pos = np.concatenate([[0], np.cumsum(counts)[:-1]])
    is_first = np.zeros(n, dtype=bool)
    is_first[first_pos] = True
    t1 = s["t1"][student]
    w_end = s["w_end"][student]
    created = t1 + (rng.random(n) * (w_end - t1)).astype(np.int64)
    # churners come back once within two weeks; requests cluster in the afternoon and shy away from weekends
    churner = ~s["completes"][student]
    created = np.where(churner, t1 + rng.integers(DAY, 14 * DAY, n), created)
    day = created // DAY
    wd = clock.weekday(created)
    shift = (wd >= 5) & (rng.random(n) < 0.3)
    day = np.where(shift, day + 7 - wd, day)
    created = np.where(~is_first, day * DAY + (rng.normal(15.0, 4.0, n) % 24 * HOUR).astype(np.int64), t1)
    created = np.where(is_first, t1, np.clip(created, t1 + 10 * MINUTE, end - MINUTE))
    tutor = np.where(rng.random(n) < P_PRIMARY_TUTOR, s["primary"][student], s["secondary"][student])
    is_flaky = np.zeros(n, dtype=bool)
    extra = [(st, tu, at) for st in chunk for tu, at in flaky_by_student.get(int(st), ())]
    if extra:
        e_st, e_tu, e_at = (np.array(c, dtype=np.int64) for c in zip(*extra))
        student = np.concatenate([student, e_st])
        created = np.concatenate([created, e_at])
        tutor = np.concatenate([tutor, e_tu])
        is_first = np.concatenate([is_first, np.zeros(len(e_st), dtype=bool)])
        is_flaky = np.concatenate([is_flaky, np.ones(len(e_st), dtype=bool)])
        churner = np.concatenate([churner, np.zeros(len(e_st), dtype=bool)])
        n = len(student)
    order = np.lexsort((created, student))
    student, created, tutor, is_first, is_flaky, churner = (a[order] for a in (student, created, tutor, is_first,
                                                                              is_flaky, churner))
    # (the flaky bookings are never a student's first: they come after t1)
    booking_id = _ids(ctx, "bk", n, 9)

    # outcome class
    cls = rng.choice(6, size=n, p=CLASS_P)
    cls = np.where(churner, rng.choice(6, size=n, p=CHURN_CLASS_P), cls)
    cls = np.where(is_first & s["completes"][student], C_COMPLETED, cls)
    cls = np.where(is_flaky, np.where(rng.random(n) < 0.5, C_DECLINED, C_TUTOR_NO_SHOW), cls)

    # packages: some retained learners prepay a bundle of sessions with their tutor, and buy again
    package_of = np.full(n, None, dtype=object)
    pkg_rows = []
    rate = t["rate"]
    starts = np.flatnonzero(np.r_[True, student[1:] != student[:-1]])
    bounds = np.r_[starts, n]
    for a, b in zip(bounds[:-1], bounds[1:]):
        st = student[a]
        if not s["retained"][st] or b - a < 4 or rng.random() >= P_PACKAGE_BUYER:
            continue
        pos = a + int(rng.integers(1, 4))
        while pos < b:
            tu = tutor[pos]
            size = 5 if rng.random() < 0.6 else 10
            covered = list(islice((j for j in range(pos, b) if tutor[j] == tu and not is_flaky[j]), size))
            if not covered:
                break
            discount = 0.90 if size == 5 else 0.85
            price = int(round(rate[tu] * size * discount / 100.0)) * 100
            pid = ctx.next_id("pkg")
            bought = int(created[pos] - rng.integers(MINUTE, 30 * MINUTE))
            package_of[covered] = pid
            pkg_rows.append((pid, st, tu, size, price, bought, covered))
            if len(covered) < size or rng.random() >= P_PACKAGE_AGAIN:
                break
            pos = next((j for j in range(covered[-1] + 1, b) if tutor[j] == tu), b)
    in_pkg = package_of != None  # noqa: E711 (object array)
    cls = np.where(in_pkg & (cls == C_PAY_FAILED), C_DECLINED, cls)

    # schedule into one of the tutor's weekly slots, at least 12 hours ahead
    k = (rng.random(n) * np.maximum(n_slots[tutor], 1)).astype(np.int64)
    earliest = created + 12 * HOUR + rng.exponential(2 * DAY, n).astype(np.int64)
    day0 = earliest // DAY
    ahead = (slot_wd[tutor, k] - clock.weekday(earliest)) % 7
    scheduled = (day0 + ahead) * DAY + slot_min[tutor, k] * MINUTE
    scheduled = np.where(scheduled < earliest, scheduled + 7 * DAY, scheduled)
    lag = rng.integers(15 * MINUTE, 48 * HOUR, n)
    decision = created + np.minimum(lag, (scheduled - created) // 2)

    # states, given the class and the period end
    confirmed_at = np.full(n, NA, dtype=np.int64)
    completed_at = np.full(n, NA, dtype=np.int64)
    cancelled_at = np.full(n, NA, dtype=np.int64)
    refund_at = np.full(n, NA, dtype=np.int64)
    attempt_at = np.full(n, NA, dtype=np.int64)
    session = np.full(n, "requested", dtype=object)
    decided = decision < end
    declined = decided & (cls == C_DECLINED)
    session[declined] = "cancelled"
    cancelled_at[declined] = decision[declined]
    failed = decided & (cls == C_PAY_FAILED)
    attempt_at[failed] = decision[failed]
    session[failed] = "cancelled"
    cancelled_at[failed] = np.minimum(decision[failed] + rng.integers(MINUTE, 10 * MINUTE, failed.sum()), end - 1)
    conf = decided & (cls >= C_COMPLETED)
    confirmed_at[conf] = decision[conf]
    attempt_at[conf] = decision[conf]
    session[conf] = "confirmed"
    session_end = scheduled + HOUR
    done = conf & (session_end < end)
    m = done & (cls == C_COMPLETED)
    session[m] = "completed"
    completed_at[m] = session_end[m]
    m = done & ((cls == C_STUDENT_NO_SHOW) | (cls == C_TUTOR_NO_SHOW))
    session[m] = "no_show"
    late = (confirmed_at + (rng.uniform(0.1, 0.95, n) * (scheduled - confirmed_at)).astype(np.int64))
    m = conf & (cls == C_LATE_CANCEL) & (late < end)
    session[m] = "cancelled"
    cancelled_at[m] = late[m]

    payment = np.full(n, "pending", dtype=object)
    payment[conf] = "captured"
    payment[failed] = "failed"
    tutor_fault = (session == "no_show") & (cls == C_TUTOR_NO_SHOW)
    refund_candidate = np.where(tutor_fault, session_end + rng.integers(HOUR, 3 * DAY, n), NA)
    refund_candidate = np.where((session == "cancelled") & conf, cancelled_at + MINUTE, refund_candidate)
    unhappy = (session == "completed") & ~in_pkg & (rng.random(n) < P_COMPLETED_REFUND)
    refund_candidate = np.where(unhappy, completed_at + rng.integers(DAY, 30 * DAY, n), refund_candidate)
    refunded = (refund_candidate >= 0) & (refund_candidate < end)
    payment[refunded] = "refunded"
    refund_at[refunded] = refund_candidate[refunded]

    currency = t["currency"][tutor]
    price = rate[tutor].copy()
    pkg_index = {}
    for row in pkg_rows:
        pkg_index[row[0]] = row
        price[row[6]] = int(round(row[4] / row[3]))

    # faults on bookings: an older delivery of the row (as first requested), or a zero / negative price on a
    # row nothing hangs off (never confirmed, no package, not a first booking, no messages written below)
    frng = ctx.faults.rng
    u = frng.random(n)
    eligible = ~conf & ~failed & ~in_pkg & ~is_first & ~is_flaky
    non_positive = eligible & (u < ctx.faults.rate * 2)
    duplicate = ~non_positive & (u > 1 - ctx.faults.rate * 0.6)
    price = np.where(non_positive, np.where(frng.random(n) < 0.6, 0, -price), price)
    ctx.faults.record_many(SOURCE, "bookings", "non_positive_amount", booking_id[non_positive])
    ctx.faults.record_many(SOURCE, "bookings", "duplicate", booking_id[duplicate])

    # Stripe: every charge attempt of a session paid on its own; every package purchase
    charge = np.full(n, None, dtype=object)
    sid = s["ids"]
    accounts = t["accounts"]
    dispute = rng.random(n) < P_DISPUTE
    for i in np.flatnonzero((attempt_at >= 0) & ~in_pkg):
        amount = int(price[i])
        ok = not failed[i]
        dispute_at = None
        if ok and payment[i] == "captured" and dispute[i] and completed_at[i] >= 0:
            at = int(completed_at[i] + rng.integers(5 * DAY, 40 * DAY))
            dispute_at = clock.py(at) if at < end else None
        charge[i] = ctx.add_payment(Payment(
            domain="tutoring", object_type="booking", object_id=booking_id[i], customer_ref=sid[student[i]],
            customer_email=s["emails"][student[i]], customer_country=str(s["country"][student[i]]),
            amount=amount, currency=currency[i], created_at=clock.py(attempt_at[i]), succeeded=ok,
            failure_code=None if ok else FAILURE_CODES[int(rng.integers(len(FAILURE_CODES)))],
            refund_amount=amount if payment[i] == "refunded" else 0,
            refund_at=clock.py(refund_at[i]) if payment[i] == "refunded" else None, dispute_at=dispute_at,
            transfer_destination=accounts[tutor[i]] if ok else None,
            transfer_amount=(amount - int(round(amount * TUTORING_COMMISSION_RATE)) - processing_fee(amount))
            if ok else 0,
            description=f"Tutoring session {booking_id[i]}",
        ))

    pk_sink_rows = []
    pk_events = []
    for pid, st, tu, size, pprice, bought, covered in pkg_rows:
        used = sum(1 for j in covered if payment[j] == "captured")
        last_use = max(int(created[j]) for j in covered)
        refund_amount, refund_time = 0, None
        if used < size and s["w_end"][st] < end - 30 * DAY and rng.random() < 0.3:
            at = last_use + int(rng.integers(14 * DAY, 30 * DAY))
            if at < end:
                refund_amount = int(round(pprice * (size - used) / size))
                refund_time = at
        ch = ctx.add_payment(Payment(
            domain="tutoring", object_type="package", object_id=pid, customer_ref=sid[st],
            customer_email=s["emails"][st], customer_country=str(s["country"][st]), amount=pprice,
            currency=t["currency"][tu], created_at=clock.py(bought), refund_amount=refund_amount,
            refund_at=clock.py(refund_time) if refund_time is not None else None,
            transfer_destination=accounts[tu],
            transfer_amount=pprice - int(round(pprice * TUTORING_COMMISSION_RATE)) - processing_fee(pprice),
            description=f"Lesson package {pid} ({size} sessions)",
        ))
        pk_sink_rows.append({
            "package_purchase_id": pid, "student_id": sid[st], "tutor_id": t["ids"][tu], "sessions_count": size,
            "price_amount": pprice, "currency": t["currency"][tu], "purchased_at": clock.py(bought),
            "stripe_charge_id": ch, "_loaded_at": clock.py(bought + int(rng.integers(MINUTE, HOUR))),
        })
        pk_events.append((pid, st, tu, size, pprice, bought, ch, refund_time, refund_amount))
    for row in pk_sink_rows:
        ctx.emit(SOURCE, "packages", row, key="package_purchase_id", loaded_at="_loaded_at", faults=("duplicate",))

    # the bookings rows: latest state, loaded after its last change; duplicates' older delivery as requested
    last_change = np.maximum.reduce([created, confirmed_at, cancelled_at, completed_at, refund_at,
                                     np.where(session == "no_show", session_end, NA)])
    loaded = last_change + rng.integers(MINUTE, HOUR, n)
    loaded = np.maximum(loaded, created + 15 * MINUTE)
    tutor_ids = t["ids"][tutor]
    student_ids = sid[student]
    cols = {
        "booking_id": booking_id,
        "student_id": student_ids,
        "tutor_id": tutor_ids,
        "package_purchase_id": package_of,
        "session_state": session,
        "payment_state": payment,
        "price_amount": price,
        "currency": currency,
        "created_at": created,
        "confirmed_at": confirmed_at,
        "scheduled_at": scheduled,
        "completed_at": completed_at,
        "cancelled_at": cancelled_at,
        "stripe_charge_id": charge,
        "_loaded_at": loaded,
    }
    d = np.flatnonzero(duplicate)
    older = {k: v[d].copy() for k, v in cols.items()}
    older["session_state"][:] = "requested"
    older["payment_state"][:] = "pending"
    for col in ("confirmed_at", "completed_at", "cancelled_at"):
        older[col][:] = NA
    older["stripe_charge_id"][:] = None
    older["_loaded_at"] = created[d] + rng.integers(MINUTE, 10 * MINUTE, len(d))
    out = {k: np.concatenate([v, older[k]]) for k, v in cols.items()}
    for col in ("created_at", "confirmed_at", "scheduled_at", "completed_at", "cancelled_at", "_loaded_at"):
        out[col] = clock.dt64(out[col])
    ctx.sink(SOURCE, "bookings").write_columns(out)

    # messages: ~6 per confirmed booking, ~2.6 otherwise, between the request and the session
    lam = np.where(conf, 6.3, 2.6)
    n_msg = np.where(non_positive, 0, rng.poisson(lam))
    b_of = np.repeat(np.arange(n), n_msg)
    j_of = np.arange(len(b_of)) - np.repeat(np.cumsum(n_msg) - n_msg, n_msg)
    span_end = np.where(conf, session_end, np.where(cancelled_at >= 0, cancelled_at, created + 2 * DAY))
    span_end = np.minimum(span_end, end - 1)
    lo = created[b_of] + MINUTE
    sent = lo + (rng.random(len(b_of)) * np.maximum(span_end[b_of] - lo, 0)).astype(np.int64)
    sent = np.where(j_of == 0, created[b_of] + rng.integers(MINUTE, 30 * MINUTE, len(b_of)), sent)
    sent = np.clip(sent, created[b_of], end - 1)
    by_student = (j_of == 0) | (rng.random(len(b_of)) < 0.5)
    sender = np.where(by_student, student_ids[b_of], tutor_ids[b_of])
    role = np.where(by_student, "student", "tutor").astype(object)
    msg_id = _ids(ctx, "msg", len(b_of), 10)
    _write_leaf(ctx, clock, "messages", "message_id", {
        "message_id": msg_id, "booking_id": booking_id[b_of], "sender_id": sender, "sender_role": role,
        "sent_at": sent, "_loaded_at": sent + rng.integers(MINUTE, HOUR, len(b_of)),
    }, ("sent_at", "_loaded_at"))

    # reviews of completed sessions
    rv = np.flatnonzero((session == "completed") & (rng.random(n) < P_REVIEW))
    rv_at = completed_at[rv] + (rng.exponential(20 * HOUR, len(rv)) + 10 * MINUTE).astype(np.int64)
    keep = rv_at < end
    rv, rv_at = rv[keep], rv_at[keep]
    rating = rng.choice(np.arange(1, 6), size=len(rv), p=RATING_P)
    rv_id = _ids(ctx, "rev", len(rv), 9)
    _write_leaf(ctx, clock, "reviews", "review_id", {
        "review_id": rv_id, "booking_id": booking_id[rv], "student_id": student_ids[rv],
        "tutor_id": tutor_ids[rv], "rating": rating, "created_at": rv_at,
        "_loaded_at": rv_at + rng.integers(MINUTE, HOUR, len(rv)),
    }, ("created_at", "_loaded_at"))

    # the event stream of these bookings
    pk_json = np.array(['"%s"' % p if p else "null" for p in package_of], dtype=object)
    ev = events.add
    ev("page.tutor_profile", student_ids[is_first], "student", created[is_first] - rng.integers(
        21 * MINUTE, 29 * MINUTE, is_first.sum()), _props('{"tutor_id":"%s"}', tutor_ids[is_first]), True)
    ev("booking.started", student_ids, "student", created - rng.integers(2 * MINUTE, 20 * MINUTE, n),
       _props('{"tutor_id":"%s"}', tutor_ids), True)
    ev("page.booking", student_ids, "student", created - rng.integers(70, 110, n),
       _props('{"tutor_id":"%s"}', tutor_ids), True)
    ev("booking.submitted", student_ids, "student", created - rng.integers(1, 60, n),
       _props('{"booking_id":"%s","tutor_id":"%s"}', booking_id, tutor_ids), True)
    ev("booking.requested", student_ids, "student", created,
       _props('{"booking_id":"%s","package_purchase_id":%s,"price_amount":%d,"tutor_id":"%s"}',
              booking_id, pk_json, price, tutor_ids))
    paid = np.flatnonzero((attempt_at >= 0) & ~in_pkg)
    ev("payment.initiated", student_ids[paid], "student", attempt_at[paid],
       _props('{"amount":%d,"booking_id":"%s","charge_id":"%s","currency":"%s"}', price[paid], booking_id[paid],
              charge[paid], currency[paid]))
    ok = paid[~failed[paid]]
    ev("payment.completed", ["system"] * len(ok), "system", attempt_at[ok] + rng.integers(1, 20, len(ok)),
       _props('{"amount":%d,"booking_id":"%s","charge_id":"%s","currency":"%s"}', price[ok], booking_id[ok],
              charge[ok], currency[ok]))
    c = np.flatnonzero(confirmed_at >= 0)
    ev("booking.confirmed", tutor_ids[c], "tutor", confirmed_at[c] - 1,
       _props('{"booking_id":"%s","tutor_id":"%s"}', booking_id[c], tutor_ids[c]))
    used = np.flatnonzero(in_pkg & (confirmed_at >= 0))
    ev("package.session_used", student_ids[used], "student", confirmed_at[used],
       _props('{"booking_id":"%s","package_purchase_id":"%s"}', booking_id[used], package_of[used]))
    c = np.flatnonzero(completed_at >= 0)
    ev("booking.completed", ["system"] * len(c), "system", completed_at[c],
       _props('{"booking_id":"%s","tutor_id":"%s"}', booking_id[c], tutor_ids[c]))
    c = np.flatnonzero(cancelled_at >= 0)
    reason = np.where(failed, "payment_failed", np.where(conf, "late_cancel", np.where(
        rng.random(n) < 0.6, "declined", "withdrawn"))).astype(object)
    by = np.where(reason == "payment_failed", "system", np.where(
        reason == "declined", "tutor", np.where(rng.random(n) < 0.7, "student", "tutor"))).astype(object)
    actor = np.where(by == "student", student_ids, np.where(by == "tutor", tutor_ids, "system"))
    ev("booking.cancelled", actor[c], by[c], cancelled_at[c],
       _props('{"booking_id":"%s","reason":"%s"}', booking_id[c], reason[c]))
    r = np.flatnonzero((refund_at >= 0) & ~in_pkg)
    ev("payment.refunded", ["system"] * len(r), "system", refund_at[r],
       _props('{"amount":%d,"booking_id":"%s","charge_id":"%s"}', price[r], booking_id[r], charge[r]))
    ev("message.sent", sender, role, sent,
       _props('{"booking_id":"%s","message_id":"%s"}', booking_id[b_of], msg_id), True)
    ev("review.submitted", student_ids[rv], "student", rv_at,
       _props('{"booking_id":"%s","rating":%d,"review_id":"%s"}', booking_id[rv], rating, rv_id), True)
    for pid, st, tu, size, pprice, bought, ch, refund_time, refund_amount in pk_events:
        props = ('{"amount":%d,"charge_id":"%s","currency":"%s","package_purchase_id":"%s","sessions_count":%d,'
                 '"tutor_id":"%s"}' % (pprice, ch, t["currency"][tu], pid, size, t["ids"][tu]))
        ev("package.purchased", [sid[st]], "student", [bought], [props])
        ev("payment.initiated", [sid[st]], "student", [bought],
           ['{"amount":%d,"charge_id":"%s","package_purchase_id":"%s"}' % (pprice, ch, pid)])
        ev("payment.completed", ["system"], "system", [bought + 5],
           ['{"amount":%d,"charge_id":"%s","package_purchase_id":"%s"}' % (pprice, ch, pid)])
        if refund_time is not None:
            ev("payment.refunded", ["system"], "system", [refund_time],
               ['{"amount":%d,"charge_id":"%s","package_purchase_id":"%s"}' % (refund_amount, ch, pid)])


def _write_leaf(ctx: Context, clock: _Clock, table: str, key: str, cols: dict, time_cols: tuple[str, ...]) -> None:
    """Write a leaf table (nothing references its rows) with duplicate and null_key faults, vectorised."""
    faults = ctx.faults
    n = len(cols[key])
    hit = faults.rng.random(n) < faults.rate
    dup_kind = faults.rng.random(n) < 0.5
    dup = np.flatnonzero(hit & dup_kind)
    nul = np.flatnonzero(hit & ~dup_kind)
    cols = {k: np.asarray(v, dtype=object if np.asarray(v).dtype.kind in "OUS" else None) for k, v in cols.items()}
    faults.record_many(SOURCE, table, "duplicate", cols[key][dup])
    for _ in nul:
        faults.record(SOURCE, table, "null_key", None)
    cols[key] = cols[key].copy()
    cols[key][nul] = None
    later = cols["_loaded_at"][dup] + faults.rng.integers(5 * MINUTE, 2 * DAY, len(dup))
    out = {k: np.concatenate([v, v[dup]]) for k, v in cols.items()}
    out["_loaded_at"] = np.concatenate([cols["_loaded_at"], later])
    for col in time_cols:
        out[col] = clock.dt64(out[col])
    ctx.sink(SOURCE, table).write_columns(out)


# ----------------------------------------------------------------------------------------------- entry point

def generate(ctx: Context) -> None:
    clock = _Clock(ctx)
    events = _Events(ctx, clock)
    t = _tutors(ctx, clock)
    s = _students(ctx, clock, t, events)
    _write_tutors(ctx, clock, t, s["suspended_at"], events)
    events.flush()
    _bookings(ctx, clock, t, s, events)
    events.flush()
