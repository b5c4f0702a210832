"""Product analytics (seeds 003, 004): one SaaS company with two product lines.

- creator line (seed 003): creators build coaching programs; their end users talk to them over a web widget,
  the mobile app or messaging (conversations). Plans Basic / Professional / Premium, USD.
- automation line (seed 004): members connect integrations (Shopify, Wave, ...) and build workflows that the
  engine runs. Plans Starter / Pro, CAD.

Tables: users, workflows, integrations (entities, per-row), workflow_runs, conversations, survey_responses and
product_events (streams, vectorised with numpy and written in chunks with write_columns).

The story, per account: sign-up (weekly growth, channel, country), consent to telemetry (explicit opt-in,
most say yes), activation (first workflow / first program, most within 7 days), free -> paid conversion
(mostly within 30 days; some sign up paid), a Stripe subscription per paid period (trials, a few discounts,
upgrades and downgrades, monthly churn of 3-6%, some reactivate later on a new subscription), and a lifetime
of activity: every account is "alive" for a while (many drop out within days, the rest decay slowly) and, while
alive, active on a given day with a personal probability. Activity on a day is a session of events for creators
and members and a conversation for end users. Telemetry (product_events) only exists for users who opted in;
the app tables (runs, conversations) have everyone.

Volumes: `saas_users` accounts; about `product_events` events in total. Workflow runs are sized at 15% of the
events; the activity level is scaled so the event total lands near the volume key (at small scales activity
is thinner; the shapes hold).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np

from .core import PLANS, Context, PlanChange, Subscription

SOURCE = "product"
DAY = 86_400
MONTH_DAYS = 30.44

EVENT_TYPES = [
    "user.signup", "user.activate", "user.convert", "user.churn",
    "workflow.created", "workflow.run", "workflow.success", "workflow.error",
    "integration.connected", "integration.disconnected", "integration.error",
    "api.call", "session.start", "session.end", "message.sent", "feature.used",
    "kb.document_uploaded", "program.created", "onboarding.step_completed", "ai_response.rated",
]
EV = {name: i for i, name in enumerate(EVENT_TYPES)}

CREATOR, END_USER, MEMBER = 0, 1, 2
USER_TYPES = ["creator", "end_user", "member"]

FEATURES = ["program_builder", "multi_channel", "analytics_dashboard", "proactive_engine", "templates", "ai_agents"]
# Per feature: which user type uses it, the share of those who ever adopt it, its weight among feature.used events.
FEATURE_USER_TYPE = np.array([CREATOR, CREATOR, CREATOR, CREATOR, MEMBER, MEMBER])
FEATURE_ADOPTION = np.array([0.88, 0.55, 0.92, 0.66, 0.78, 0.5])
FEATURE_WEIGHT = np.array([0.35, 0.12, 0.38, 0.15, 0.6, 0.4])

PROVIDERS = ["shopify", "wave", "quickbooks", "slack", "gmail"]
PROVIDER_WEIGHTS = np.array([0.32, 0.22, 0.18, 0.15, 0.13])
PROVIDER_ERROR_BUMP = np.array([0.005, 0.02, 0.012, 0.0, 0.004])
WORKFLOW_TEMPLATES = {
    "shopify": ["Shopify orders to Wave invoices", "Shopify low-stock alert", "New Shopify customer welcome email"],
    "wave": ["Wave overdue invoice reminder", "Wave payments to Slack", "Wave monthly statement"],
    "quickbooks": ["QuickBooks expense sync", "QuickBooks weekly P&L digest"],
    "slack": ["Daily sales summary to Slack", "Slack lead notification"],
    "gmail": ["Gmail receipts to QuickBooks", "Gmail support triage"],
}

CHANNELS = ["web_widget", "mobile", "messaging"]
CHANNEL_WEIGHTS = np.array([0.5, 0.3, 0.2])
CHANNEL_MEDIAN_MINUTES = np.array([4.0, 9.0, 2.5])  # lognormal sigma 0.6: means about 5, 12 and 3 minutes
CHANNEL_MESSAGES = np.array([5.0, 7.0, 4.0])  # messages = 1 + Poisson: means 6, 8 and 5

CREATOR_PLANS = ["basic", "professional", "premium"]
MEMBER_PLANS = ["starter", "pro"]
TIER_MONTHLY_CHURN = {"basic": 0.055, "professional": 0.045, "premium": 0.035, "starter": 0.055, "pro": 0.035}

INTERNATIONAL = {
    "creator": (["CA", "GB", "AU", "DE", "IN", "FR", "NL", "BR", "MX", "IE"],
                [0.22, 0.2, 0.12, 0.1, 0.09, 0.08, 0.06, 0.05, 0.04, 0.04]),
    "automation": (["US", "GB", "FR", "AU", "DE", "IN", "NZ", "IE"],
                   [0.45, 0.14, 0.12, 0.09, 0.07, 0.06, 0.04, 0.03]),
}
FIRST_NAMES = ["alex", "sam", "jordan", "taylor", "morgan", "casey", "riley", "jamie", "avery", "quinn", "maya",
               "liam", "noah", "emma", "olivia", "lucas", "chloe", "ethan", "zoe", "amir", "priya", "chen", "sofia",
               "mateo", "isla", "owen", "nina", "leo", "hana", "omar"]
LAST_NAMES = ["smith", "tremblay", "nguyen", "martin", "brown", "roy", "wilson", "gagnon", "lee", "patel", "khan",
              "garcia", "cote", "miller", "singh", "davis", "moreau", "clark", "lopez", "young", "kim", "walker"]
EMAIL_DOMAINS = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "hey.com"]


EPOCH = datetime(1970, 1, 1)


def _epoch(when: datetime) -> int:
    return int((when - EPOCH).total_seconds())


def _dt(seconds: int) -> datetime:
    return EPOCH + timedelta(seconds=int(seconds))


def _dt_array(seconds: np.ndarray) -> np.ndarray:
    return np.asarray(seconds, dtype="int64").astype("datetime64[s]")


def _ids(prefix: str, start: int, n: int, width: int) -> np.ndarray:
    return np.array([f"{prefix}_{i:0{width}d}" for i in range(start + 1, start + n + 1)], dtype=object)


def _ranges(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For integer ranges [lo, hi) per row: (row index, value) of every element, vectorised."""
    lengths = np.maximum(hi - lo, 0)
    rows = np.repeat(np.arange(len(lo)), lengths)
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    values = np.repeat(lo, lengths) + (np.arange(lengths.sum()) - starts)
    return rows, values


class _ProductGenerator:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.t0 = _epoch(ctx.start)
        self.t_end = self.t0 + ctx.days * DAY
        self.fault_rate = ctx.fault_rate
        self.n_events = 0
        self.counters = {"evt": 0, "run": 0, "conv": 0, "rsp": 0, "ses": 0, "doc": 0, "prg": 0}
        weekday = (np.arange(ctx.days) + ctx.start.weekday()) % 7
        self.weekday_factor = np.where(weekday >= 5, 0.7, 1.0)
        # lifecycle events, written at the end: (user index, event type, epoch seconds, properties JSON)
        self.lifecycle: tuple[list, list, list, list] = ([], [], [], [])
        self.csat: list[tuple[np.ndarray, np.ndarray]] = []  # (end user index, conversation end) samples

    # ------------------------------------------------------------------------------------------------ helpers
    def _next(self, prefix: str, n: int, width: int = 10) -> np.ndarray:
        ids = _ids(prefix, self.counters[prefix], n, width)
        self.counters[prefix] += n
        return ids

    def _life(self, u: int, event: str, t: int, props: str) -> None:
        if t < self.t_end:
            self.lifecycle[0].append(u)
            self.lifecycle[1].append(EV[event])
            self.lifecycle[2].append(int(t))
            self.lifecycle[3].append(props)

    def _alive(self, u: np.ndarray, t: np.ndarray) -> np.ndarray:
        return ((self.w0s[u] <= t) & (t < self.w0e[u])) | ((self.w1s[u] <= t) & (t < self.w1e[u]))

    def _alive_between(self, u: np.ndarray, a: int, b: int) -> np.ndarray:
        return ((self.w0s[u] < b) & (self.w0e[u] > a)) | ((self.w1s[u] < b) & (self.w1e[u] > a))

    def _pick_faults(self, rng: np.random.Generator, n: int, n_kinds: int) -> np.ndarray:
        """Per row: -1 (no fault) or the index of one of n_kinds fault kinds; one fault per row at most."""
        hit = rng.random(n) < self.fault_rate
        return np.where(hit, rng.integers(0, n_kinds, n), -1)

    @staticmethod
    def _append_duplicates(cols: dict[str, np.ndarray], dup: np.ndarray, loaded: str,
                           rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Deliver the rows of `dup` a second time, later (the older delivery must be quarantined)."""
        if not dup.any():
            return cols
        out = {k: np.concatenate([v, v[dup]]) for k, v in cols.items()}
        delay = rng.integers(300, 2 * DAY, int(dup.sum()))
        out[loaded][len(dup):] = cols[loaded][dup] + delay
        return out

    # ------------------------------------------------------------------------------------------------ users
    def users(self) -> None:
        ctx = self.ctx
        rng = ctx.rng(SOURCE, "users")
        n = ctx.volume("saas_users")
        signup = ctx.sample_times(rng, n).astype("int64")
        automation = rng.random(n) < 0.4
        utype = np.where(automation, MEMBER, np.where(rng.random(n) < 0.3, CREATOR, END_USER))
        # an end user talks to a creator who signed up before; popular creators attract more end users
        # (the first accounts of the creator line are creators: there is nobody to talk to yet)
        creators = np.flatnonzero(utype == CREATOR)
        first = int(creators[0]) if len(creators) else n
        utype[(utype == END_USER) & (np.arange(n) < first)] = CREATOR
        creators = np.flatnonzero(utype == CREATOR)
        cum_weight = np.cumsum(rng.pareto(1.6, len(creators)) + 0.2)
        end_users = np.flatnonzero(utype == END_USER)
        before = np.searchsorted(creators, end_users)  # creators who signed up earlier: creators[:before]
        pick = np.searchsorted(cum_weight, rng.random(len(end_users)) * cum_weight[before - 1], side="right")
        creator_of = np.full(n, -1)
        creator_of[end_users] = creators[pick]
        line = np.where(utype == MEMBER, "automation", "creator")

        country = np.empty(n, dtype=object)
        for name, home in (("creator", "US"), ("automation", "CA")):
            m = line == name
            abroad = rng.random(n) >= 0.7
            codes, weights = INTERNATIONAL[name]
            country[m] = home
            pick = m & abroad
            country[pick] = rng.choice(codes, int(pick.sum()), p=np.array(weights) / sum(weights))

        channel = np.where(
            utype == END_USER,
            rng.choice(["organic", "paid", "referral"], n, p=[0.45, 0.1, 0.45]),
            rng.choice(["organic", "paid", "referral"], n, p=[0.5, 0.3, 0.2]),
        )
        roll = rng.random(n)
        consent = np.where(roll < 0.87, True, np.where(roll < 0.98, False, None)).astype(object)
        consent_at = np.where(consent == None, -1, signup + rng.integers(5, 600, n))  # noqa: E711

        self.n = n
        self.signup = signup
        self.utype = utype
        self.line = line
        self.country = country
        self.channel = channel
        self.consent = consent == True  # noqa: E712  (None counts as no consent)
        self.creator_of = creator_of
        self.uid = np.empty(n, dtype=object)
        self.email = np.empty(n, dtype=object)
        self.plan_at_signup = np.full(n, "free", dtype=object)
        direct_paid = (utype != END_USER) & (rng.random(n) < 0.08)
        for i in np.flatnonzero(direct_paid):
            self.plan_at_signup[i] = self._choose_plan(rng, int(i))

        for i in range(n):
            user_id = ctx.next_id("usr")
            self.uid[i] = user_id
            first = FIRST_NAMES[int(rng.integers(len(FIRST_NAMES)))]
            last = LAST_NAMES[int(rng.integers(len(LAST_NAMES)))]
            email = f"{first}.{last}{i + 1}@{EMAIL_DOMAINS[int(rng.integers(len(EMAIL_DOMAINS)))]}"
            self.email[i] = email
            shown = email
            r = rng.random()
            if r < 0.03:
                shown = email.capitalize()
            elif r < 0.05:
                shown = f" {email} "
            row = {
                "user_id": user_id,
                "email": shown,
                "country": country[i],
                "signed_up_at": _dt(signup[i]),
                "user_type": USER_TYPES[utype[i]],
                "product_line": line[i],
                "plan_at_signup": self.plan_at_signup[i],
                "acquisition_channel": channel[i],
                "telemetry_consent": None if consent[i] is None else bool(consent[i]),
                "consent_updated_at": _dt(consent_at[i]) if consent_at[i] >= 0 else None,
                "_loaded_at": _dt(max(signup[i], consent_at[i]) + int(rng.integers(60, 1800))),
            }
            # users are parents of every other table: only re-deliveries, never a lost key
            ctx.emit(SOURCE, "users", row, key="user_id", loaded_at="_loaded_at", faults=("duplicate",))

    def _choose_plan(self, rng: np.random.Generator, i: int, tier: str | None = None) -> str:
        if tier is None:
            if self.utype[i] == CREATOR:
                tier = CREATOR_PLANS[int(rng.choice(3, p=[0.5, 0.35, 0.15]))]
            else:
                tier = MEMBER_PLANS[int(rng.choice(2, p=[0.65, 0.35]))]
        interval = "annual" if rng.random() < 0.2 else "monthly"
        return f"{tier}_{interval}"

    # ------------------------------------------------------------------------------------------------ lifecycle
    def lifecycle_and_billing(self) -> None:
        """Activation, conversion, subscriptions and each account's alive windows."""
        ctx = self.ctx
        rng = ctx.rng(SOURCE, "lifecycle")
        n = self.n
        self.activated_at = np.full(n, -1, dtype="int64")
        self.w0s = self.signup.copy()
        self.w0e = np.zeros(n, dtype="int64")
        self.w1s = np.full(n, -1, dtype="int64")
        self.w1e = np.full(n, -1, dtype="int64")
        self.cancelled_for_good = np.full(n, -1, dtype="int64")  # paid accounts that left and did not come back
        self.paid = np.zeros(n, dtype=bool)

        drop = np.array([0.2, 0.35, 0.25])[self.utype]
        mean_life = np.array([160.0, 70.0, 140.0])[self.utype]
        early = rng.random(n) < drop
        life_days = np.where(early, rng.uniform(0.2, 2.5, n), 3.0 + rng.exponential(mean_life))
        self.q = np.clip(np.where(self.utype == END_USER, rng.beta(3, 5, n), rng.beta(6, 4, n)), 0.05, 0.95)

        for i in range(n):
            s = int(self.signup[i])
            alive_end = s + int(life_days[i] * DAY)
            t = self.utype[i]
            if t == END_USER:
                self.w0e[i] = min(alive_end, self.t_end)
                continue
            month = (s - self.t0) / (MONTH_DAYS * DAY)
            # activation: first workflow (members) / first program (creators), mostly within 7 days
            p_act = 0.57 + 0.06 * math.sin(2 * math.pi * month / 12 + 1.0) + (0.08 if t == CREATOR else 0.0)
            p_act += {"referral": 0.05, "paid": -0.04}.get(self.channel[i], 0.0)
            if self.plan_at_signup[i] != "free":
                p_act += 0.15
            if rng.random() < p_act:
                act = s + int(min(6.9, 0.01 + rng.gamma(1.4, 1.1)) * DAY)
            elif rng.random() < 0.2:
                act = s + int(rng.uniform(7.0, 60.0) * DAY)
            else:
                act = -1
            if 0 <= act < self.t_end:
                self.activated_at[i] = act
                alive_end = max(alive_end, act + DAY)
            activated_7d = 0 <= act < s + 7 * DAY

            # conversion: direct paid at sign-up, else free -> paid mostly within 30 days
            if self.plan_at_signup[i] != "free":
                conv, plan = s, self.plan_at_signup[i]
            else:
                rate = 0.18 + 0.03 * math.sin(2 * math.pi * month / 12)
                p30 = rate * (1.45 if activated_7d else 0.45)
                if rng.random() < p30:
                    delay = min(29.5, 0.3 + rng.gamma(1.6, 5.0))
                    if activated_7d:
                        delay = min(29.9, max(delay, (act - s) / DAY + rng.uniform(0.05, 2.0)))
                    conv = s + int(delay * DAY)
                elif rng.random() < 0.06:
                    conv = s + int(rng.uniform(30.5, 150.0) * DAY)
                else:
                    conv = -1
                plan = self._choose_plan(rng, i) if conv >= 0 else None
            if conv < 0 or conv >= self.t_end:
                self.w0e[i] = min(alive_end, self.t_end)
                continue

            self.paid[i] = True
            end1 = self._subscribe(rng, i, conv, plan, reactivation=False)
            if end1 is None:
                self.w0e[i] = min(max(alive_end, conv + 21 * DAY), self.t_end)
                continue
            self.w0e[i] = min(end1 + int(rng.uniform(0, 7) * DAY), self.t_end)
            # some churned customers come back later, on a new subscription
            back = end1 + int(rng.uniform(30, 120) * DAY)
            if rng.random() < 0.2 and back < self.t_end:
                tier = plan.rsplit("_", 1)[0]
                end2 = self._subscribe(rng, i, back, self._choose_plan(rng, i, tier), reactivation=True)
                self.w1s[i] = back - int(rng.uniform(0, 3) * DAY)
                self.w1e[i] = self.t_end if end2 is None else min(end2 + int(rng.uniform(0, 7) * DAY), self.t_end)
                if end2 is not None:
                    self.cancelled_for_good[i] = end2
            else:
                self.cancelled_for_good[i] = end1

    def _subscribe(self, rng: np.random.Generator, i: int, start: int, plan_code: str,
                   reactivation: bool) -> int | None:
        """Register one subscription with Stripe and emit its lifecycle events; return its cancel time."""
        tier, interval = plan_code.rsplit("_", 1)
        tiers = CREATOR_PLANS if self.utype[i] == CREATOR else MEMBER_PLANS
        trial_days = 14 if (not reactivation and rng.random() < 0.35) else 0
        discount = 20 if rng.random() < 0.07 else 0
        hazard = TIER_MONTHLY_CHURN[tier] * (0.35 if interval == "annual" else 1.0)
        if trial_days and rng.random() < 0.12:
            cancel = start + int(rng.uniform(2, 14) * DAY)  # cancelled during the trial
        else:
            cancel = start + trial_days * DAY + int(rng.exponential(1.0 / hazard) * MONTH_DAYS * DAY)
        cancel_at = cancel if cancel < self.t_end else None
        horizon = cancel_at if cancel_at is not None else self.t_end

        changes: list[PlanChange] = []
        current = plan_code
        k = tiers.index(tier)
        first_bill = start + trial_days * DAY
        roll = rng.random()
        move = +1 if (roll < 0.15 and k < len(tiers) - 1) else (-1 if (roll > 0.95 and k > 0) else 0)
        if move:
            at = first_bill + int(rng.uniform(14, 150) * DAY)
            if at < horizon - DAY:
                current = f"{tiers[k + move]}_{interval}"
                changes.append(PlanChange(at=_dt(at), plan_code=current))

        self.ctx.add_subscription(Subscription(
            domain="product",
            customer_ref=self.uid[i],
            customer_email=self.email[i],
            customer_country=self.country[i],
            plan_code=plan_code,
            start_at=_dt(start),
            trial_days=trial_days,
            discount_percent=discount,
            changes=changes,
            cancelled_at=_dt(cancel_at) if cancel_at is not None else None,
        ))
        plan = PLANS[plan_code]
        self._life(i, "user.convert", start,
                   f'{{"plan":"{plan_code}","interval":"{plan.interval}","currency":"{plan.currency}",'
                   f'"trial_days":{trial_days},"reactivation":{"true" if reactivation else "false"}}}')
        if cancel_at is not None:
            self._life(i, "user.churn", cancel_at,
                       f'{{"plan":"{current}","in_trial":{"true" if cancel_at < first_bill else "false"}}}')
        return cancel_at

    # ------------------------------------------------------------------------------------------------ entities
    def signup_and_onboarding(self) -> None:
        rng = self.ctx.rng(SOURCE, "onboarding")
        for i in range(self.n):
            s = int(self.signup[i])
            self._life(i, "user.signup", s,
                       f'{{"plan":"{self.plan_at_signup[i]}","channel":"{self.channel[i]}",'
                       f'"product_line":"{self.line[i]}","user_type":"{USER_TYPES[self.utype[i]]}"}}')
            if self.utype[i] == END_USER:
                continue
            self._life(i, "onboarding.step_completed", s + int(rng.integers(30, 900)), '{"step":"profile_completed"}')
            if self.utype[i] == CREATOR:
                act = int(self.activated_at[i])
                if act >= 0 or rng.random() < 0.75:
                    if act < 0:
                        kb = s + int(rng.uniform(0.01, 3.0) * DAY)
                    else:
                        kb = max(s + 60, act - int(rng.integers(600, 7200)))
                    doc, size = self._next("doc", 1)[0], int(rng.integers(20, 4000))
                    self._life(i, "kb.document_uploaded", kb, f'{{"document_id":"{doc}","size_kb":{size}}}')
                    self._life(i, "onboarding.step_completed", kb + 5, '{"step":"kb_uploaded"}')
                if act >= 0:
                    prg = self._next("prg", 1)[0]
                    self._life(i, "program.created", act, f'{{"program_id":"{prg}"}}')
                    self._life(i, "user.activate", act, f'{{"program_id":"{prg}"}}')
                    self._life(i, "onboarding.step_completed", act + 5, '{"step":"program_created"}')
                    if rng.random() < 0.8:
                        first_chat = act + int(rng.uniform(0.05, 6.0) * DAY)
                        self._life(i, "onboarding.step_completed", first_chat, '{"step":"first_user_interaction"}')

    def integrations_and_workflows(self) -> None:
        ctx = self.ctx
        rng = ctx.rng(SOURCE, "workflows")
        wf_owner, wf_provider, wf_start, wf_stop, wf_err_base, wf_int_error_at, wf_ids = [], [], [], [], [], [], []
        for i in np.flatnonzero(self.utype == MEMBER):
            i = int(i)
            s, act = int(self.signup[i]), int(self.activated_at[i])
            horizon = int(max(self.w0e[i], self.w1e[i]))
            if act < 0 and rng.random() >= 0.3:
                continue
            n_int = 1 + int(rng.binomial(2, 0.35)) if act >= 0 else 1
            providers = rng.choice(len(PROVIDERS), n_int, replace=False, p=PROVIDER_WEIGHTS)
            integrations = []  # (provider index, connected, disconnected, error_at)
            for j, p in enumerate(providers):
                if j == 0:
                    if act >= 0:
                        conn = max(s + 30, act - int(rng.integers(60, 1800)))
                    else:
                        conn = s + int(rng.uniform(0.01, 10) * DAY)
                else:
                    conn = int(rng.uniform(max(act, s), max(act, s) + max(DAY, horizon - max(act, s))))
                if conn >= self.t_end:
                    continue
                roll = rng.random()
                disc = err = -1
                if roll < 0.12 or (self.cancelled_for_good[i] >= 0 and roll < 0.5):
                    lo = max(conn + 3600, int(self.cancelled_for_good[i]))
                    disc = int(rng.uniform(lo, self.t_end)) if lo < self.t_end else -1
                elif roll < 0.18:
                    err = int(rng.uniform(conn + 3600, self.t_end)) if conn + 3600 < self.t_end else -1
                status = "disconnected" if disc >= 0 else ("error" if err >= 0 else "connected")
                integration_id = ctx.next_id("int")
                row = {
                    "integration_id": integration_id,
                    "user_id": self.uid[i],
                    "provider": PROVIDERS[p],
                    "status": status,
                    "connected_at": _dt(conn),
                    "disconnected_at": _dt(disc) if disc >= 0 else None,
                    "_loaded_at": _dt(max(conn, disc, err) + int(rng.integers(60, 1800))),
                }
                ctx.emit(SOURCE, "integrations", row, key="integration_id", loaded_at="_loaded_at")
                props = f'{{"integration":"{PROVIDERS[p]}","integration_id":"{integration_id}"}}'
                self._life(i, "integration.connected", conn, props)
                if disc >= 0:
                    self._life(i, "integration.disconnected", disc, props)
                if err >= 0:
                    self._life(i, "integration.error", err, props[:-1] + ',"error":"credentials_rejected"}')
                integrations.append((int(p), conn, disc, err))
            if act < 0 or not integrations:
                continue
            n_wf = 1 + int(rng.poisson(0.8)) + (int(rng.poisson(1.0)) if self.paid[i] else 0)
            for k in range(n_wf):
                created = act if k == 0 else int(rng.uniform(act, max(act + DAY, horizon)))
                if created >= self.t_end:
                    continue
                usable = [x for x in integrations if x[1] <= created and not 0 <= x[2] <= created] or integrations[:1]
                p, conn, disc, err = usable[int(rng.integers(len(usable)))]
                roll = rng.random()
                status, changed = "active", -1
                if roll < 0.1:
                    status, changed = "deleted", int(rng.uniform(created, self.t_end))
                elif roll < 0.2:
                    status, changed = "paused", int(rng.uniform(created, self.t_end))
                gone = int(self.cancelled_for_good[i])
                if gone >= 0 and status == "active" and gone > created:
                    status, changed = "paused", gone  # the plan lapsed: the workflow stops
                stop = min(x for x in (changed, disc, self.t_end) if x >= 0)
                workflow_id = ctx.next_id("wf")
                provider = PROVIDERS[p]
                names = WORKFLOW_TEMPLATES[provider]
                name = names[int(rng.integers(len(names)))]
                if rng.random() < 0.15:
                    name += [" (copy)", " v2", " - test"][int(rng.integers(3))]
                row = {
                    "workflow_id": workflow_id,
                    "user_id": self.uid[i],
                    "name": name,
                    "status": status,
                    "created_at": _dt(created),
                    "_loaded_at": _dt(max(created, changed) + int(rng.integers(60, 1800))),
                }
                # workflows are parents of runs: only re-deliveries
                ctx.emit(SOURCE, "workflows", row, key="workflow_id", loaded_at="_loaded_at", faults=("duplicate",))
                self._life(i, "workflow.created", created,
                           f'{{"workflow_id":"{workflow_id}","integration":"{provider}",'
                           f'"from_template":{"true" if rng.random() < 0.6 else "false"}}}')
                if k == 0:
                    self._life(i, "user.activate", created, f'{{"workflow_id":"{workflow_id}"}}')
                    self._life(i, "onboarding.step_completed", conn + 5, '{"step":"integration_connected"}')
                    self._life(i, "onboarding.step_completed", created + 5, '{"step":"workflow_created"}')
                wf_ids.append(workflow_id)
                wf_owner.append(i)
                wf_provider.append(p)
                wf_start.append(created)
                wf_stop.append(max(stop, created))
                wf_err_base.append(float(rng.beta(1.2, 30)) + PROVIDER_ERROR_BUMP[p])
                wf_int_error_at.append(err if err >= 0 else self.t_end + DAY)
        self.wf_ids = np.array(wf_ids, dtype=object)
        self.wf_owner = np.array(wf_owner, dtype="int64")
        self.wf_provider = np.array(wf_provider, dtype="int64")
        self.wf_start = np.array(wf_start, dtype="int64")
        self.wf_stop = np.array(wf_stop, dtype="int64")
        self.wf_err_base = np.array(wf_err_base, dtype=float)
        self.wf_int_error_at = np.array(wf_int_error_at, dtype="int64")

    # ------------------------------------------------------------------------------------------------ streams
    def workflow_runs(self) -> None:
        ctx = self.ctx
        rng = ctx.rng(SOURCE, "workflow_runs")
        frng = ctx.rng(SOURCE, "workflow_runs", "faults")
        nwf = len(self.wf_ids)
        target = max(30, int(0.15 * ctx.volume("product_events")))
        if nwf == 0:
            return
        freq = rng.lognormal(0.0, 0.9, nwf)
        window = (self.wf_stop - self.wf_start) / DAY
        scale = target / max(1e-9, float((freq * window).sum()))
        n_runs = rng.poisson(freq * window * scale)
        sink = ctx.sink(SOURCE, "workflow_runs")
        bounds = np.searchsorted(np.cumsum(n_runs), np.arange(150_000, int(n_runs.sum()) + 150_000, 150_000))
        lo = 0
        for hi in list(bounds) + [nwf]:
            hi = int(min(max(hi + 1, lo), nwf))
            if hi <= lo:
                continue
            w = np.repeat(np.arange(lo, hi), n_runs[lo:hi])
            lo = hi
            m = len(w)
            if m == 0:
                continue
            started = self.wf_start[w] + (rng.random(m) * (self.wf_stop[w] - self.wf_start[w])).astype("int64")
            p_err = np.where(started >= self.wf_int_error_at[w], 0.6, self.wf_err_base[w])
            error = rng.random(m) < p_err
            dur = np.where(error, rng.lognormal(math.log(8), 1.2, m), rng.lognormal(math.log(4), 0.9, m))
            finished = started + np.maximum(1, dur.astype("int64"))
            run_ids = self._next("run", m)
            provider = np.array(PROVIDERS, dtype=object)[self.wf_provider[w]]
            cols = {
                "run_id": run_ids.copy(),
                "workflow_id": self.wf_ids[w],
                "integration": provider,
                "status": np.where(error, "error", "success").astype(object),
                "started_at": started,
                "finished_at": finished,
                "_loaded_at": finished + rng.integers(60, 900, m),
            }
            fault = self._pick_faults(frng, m, 2)
            cols["run_id"][fault == 1] = None
            ctx.faults.record_many(SOURCE, "workflow_runs", "null_key", [None] * int((fault == 1).sum()))
            ctx.faults.record_many(SOURCE, "workflow_runs", "duplicate", run_ids[fault == 0])
            cols = self._append_duplicates(cols, fault == 0, "_loaded_at", frng)
            for c in ("started_at", "finished_at", "_loaded_at"):
                cols[c] = _dt_array(cols[c])
            sink.write_columns(cols)

            # telemetry of the runs of users who opted in: workflow.run, then workflow.success / error
            owner = self.wf_owner[w]
            ok = self.consent[owner]
            props = np.array([f'{{"workflow_id":"{a}","run_id":"{b}","integration":"{c}"}}'
                              for a, b, c in zip(self.wf_ids[w][ok], run_ids[ok], provider[ok])], dtype=object)
            k = int(ok.sum())
            self._write_events(
                np.concatenate([owner[ok], owner[ok]]),
                np.concatenate([np.full(k, EV["workflow.run"]),
                                np.where(error[ok], EV["workflow.error"], EV["workflow.success"])]),
                np.concatenate([started[ok], finished[ok]]),
                np.concatenate([props, props]),
            )

    def activity(self) -> None:
        """Daily activity while alive: sessions of events (creators, members), conversations (end users)."""
        ctx = self.ctx
        rng = ctx.rng(SOURCE, "activity")
        n = self.n
        day_of = lambda t: (np.asarray(t) - self.t0) // DAY  # noqa: E731
        # candidate days per account: the alive windows, signup day included
        lo0, hi0 = day_of(self.w0s), np.minimum(day_of(np.maximum(self.w0e - 1, self.w0s)) + 1, ctx.days)
        has1 = self.w1s >= 0
        lo1 = np.where(has1, day_of(np.maximum(self.w1s, self.t0)), 0)
        hi1 = np.where(has1, np.minimum(day_of(np.maximum(self.w1e - 1, self.w1s)) + 1, ctx.days), 0)
        lo1 = np.maximum(lo1, hi0)  # windows never overlap
        hi1 = np.maximum(hi1, lo1)
        cand = (hi0 - lo0) + (hi1 - lo1)

        # events per active day: creators 2 + 4, members 2 + 3, end users 2 + ~3.2 messages + 0.25 ratings
        mid_mean = np.array([4.0, 0.0, 3.0])
        per_day = np.array([6.0, 5.6, 5.0])[self.utype]
        expected = float((cand * self.q * 0.914 * per_day)[self.consent].sum())
        budget = ctx.volume("product_events") - self.n_events - sum(
            int(self.consent[u]) for u in self.lifecycle[0])
        budget = max(budget, 0.1 * ctx.volume("product_events"))
        self.k = min(1.0, budget / max(expected, 1.0))

        # per account: preferred hour, preferred channel, adopted features
        pref_hour = rng.normal(14.0, 3.0, n)
        pref_channel = rng.choice(3, n, p=CHANNEL_WEIGHTS)
        adopted = rng.random((n, len(FEATURES))) < FEATURE_ADOPTION
        adopted &= FEATURE_USER_TYPE[None, :] == self.utype[:, None]
        none = ~adopted.any(axis=1) & (self.utype != END_USER)
        adopted[none & (self.utype == CREATOR), 2] = True
        adopted[none & (self.utype == MEMBER), 4] = True
        feature_cum = np.cumsum(adopted * FEATURE_WEIGHT[None, :], axis=1)
        leak_p = min(1.0, 3 * self.fault_rate)

        order = np.arange(n)
        bounds = np.searchsorted(np.cumsum(cand), np.arange(250_000, int(cand.sum()) + 250_000, 250_000))
        start = 0
        for stop in list(bounds) + [n]:
            stop = int(min(max(stop + 1, start), n))
            if stop <= start:
                continue
            users = order[start:stop]
            start = stop
            r0, d0 = _ranges(lo0[users], hi0[users])
            r1, d1 = _ranges(lo1[users], hi1[users])
            cu = users[np.concatenate([r0, r1])]
            cd = np.concatenate([d0, d1])
            p = self.k * self.q[cu] * self.weekday_factor[cd]
            active = rng.random(len(cu)) < p
            cu, cd = cu[active], cd[active]
            if len(cu) == 0:
                continue
            hour = (rng.normal(pref_hour[cu], 2.5) % 24.0)
            t0 = self.t0 + cd * DAY + (hour * 3600).astype("int64")
            t0 = np.maximum(t0, self.signup[cu] + 60)
            # telemetry from users who opted in; a misbehaving client also leaks a few days of the others
            leaked = ~self.consent[cu] & (rng.random(len(cu)) < leak_p)
            sends = self.consent[cu] | leaked

            end_user = self.utype[cu] == END_USER
            self._sessions(rng, cu[~end_user], t0[~end_user], sends[~end_user], leaked[~end_user],
                           mid_mean, feature_cum)
            self._conversations(rng, cu[end_user], t0[end_user], sends[end_user], leaked[end_user], pref_channel)

    def _sessions(self, rng, cu, t0, sends, leaked, mid_mean, feature_cum) -> None:
        cu, t0, leaked = cu[sends], t0[sends], leaked[sends]
        m = len(cu)
        if m == 0:
            return
        dur = np.maximum(30, rng.lognormal(math.log(12 * 60), 0.8, m).astype("int64"))
        t1 = np.minimum(t0 + dur, self.t_end - 1)
        t0 = np.minimum(t0, t1)
        sid = self._next("ses", m)
        n_mid = rng.poisson(mid_mean[self.utype[cu]])
        rep = np.repeat(np.arange(m), n_mid)
        mu = cu[rep]
        mt = t0[rep] + (rng.random(len(rep)) * (t1[rep] - t0[rep])).astype("int64")
        creator = self.utype[mu] == CREATOR
        r = rng.random(len(rep))
        creator_type = np.select(
            [r < 0.45, r < 0.65, r < 0.8, r < 0.97],
            [EV["feature.used"], EV["kb.document_uploaded"], EV["api.call"], EV["message.sent"]],
            EV["program.created"])
        member_type = np.where(r < 0.5, EV["api.call"], EV["feature.used"])
        mtype = np.where(creator, creator_type, member_type)
        props = np.empty(len(rep), dtype=object)
        msid = sid[rep]

        f = mtype == EV["feature.used"]
        cum = feature_cum[mu[f]]
        pick = (cum < (rng.random(int(f.sum())) * cum[:, -1])[:, None]).sum(axis=1)
        props[f] = [f'{{"feature":"{FEATURES[a]}","session_id":"{b}"}}' for a, b in zip(pick, msid[f])]
        a = mtype == EV["api.call"]
        endpoints = np.array(["/v1/workflows", "/v1/runs", "/v1/programs", "/v1/contacts", "/v1/webhooks"])
        ep = endpoints[rng.integers(0, len(endpoints), int(a.sum()))]
        code = np.where(rng.random(int(a.sum())) < 0.985, 200, 500)
        props[a] = [f'{{"endpoint":"{e}","status_code":{c},"session_id":"{s}"}}' for e, c, s in zip(ep, code, msid[a])]
        d = mtype == EV["kb.document_uploaded"]
        docs = self._next("doc", int(d.sum()))
        size = rng.integers(20, 4000, int(d.sum()))
        props[d] = [f'{{"document_id":"{x}","size_kb":{y}}}' for x, y in zip(docs, size)]
        g = mtype == EV["program.created"]
        props[g] = [f'{{"program_id":"{x}"}}' for x in self._next("prg", int(g.sum()))]
        s = mtype == EV["message.sent"]
        props[s] = [f'{{"audience":"program","session_id":"{x}"}}' for x in msid[s]]

        plat = np.where(rng.random(m) < 0.8, "web", "mobile")
        start_props = np.array([f'{{"session_id":"{a}","platform":"{b}"}}' for a, b in zip(sid, plat)], dtype=object)
        end_props = np.array([f'{{"session_id":"{a}","duration_s":{b}}}' for a, b in zip(sid, t1 - t0)], dtype=object)
        self._write_events(
            np.concatenate([cu, mu, cu]),
            np.concatenate([np.full(m, EV["session.start"]), mtype, np.full(m, EV["session.end"])]),
            np.concatenate([t0, mt, t1]),
            np.concatenate([start_props, props, end_props]),
            np.concatenate([leaked, leaked[rep], leaked]),
        )

    def _conversations(self, rng, cu, t0, sends, leaked, pref_channel) -> None:
        ctx = self.ctx
        m = len(cu)
        if m == 0:
            return
        channel = np.where(rng.random(m) < 0.8, pref_channel[cu], rng.choice(3, m, p=CHANNEL_WEIGHTS))
        dur = np.maximum(20, (rng.lognormal(0.0, 0.6, m) * CHANNEL_MEDIAN_MINUTES[channel] * 60).astype("int64"))
        t1 = np.minimum(t0 + dur, self.t_end - 1)
        t0 = np.minimum(t0, t1)
        messages = 1 + rng.poisson(CHANNEL_MESSAGES[channel])
        r = rng.random(m)
        p_abandon = np.where(messages <= 2, 0.45, 0.12)
        closure = np.where(r < p_abandon, "abandoned", np.where(r < p_abandon + 0.06, "escalated", "completed"))
        conv_ids = self._next("conv", m)
        creator = self.creator_of[cu]
        cols = {
            "conversation_id": conv_ids.copy(),
            "creator_id": self.uid[creator],
            "end_user_id": self.uid[cu],
            "channel": np.array(CHANNELS, dtype=object)[channel],
            "started_at": t0,
            "ended_at": t1,
            "message_count": messages,
            "closure_status": closure.astype(object),
            "_loaded_at": t1 + rng.integers(60, 3600, m),
        }
        frng = ctx.rng(SOURCE, "conversations", "faults", self.counters["conv"])
        fault = self._pick_faults(frng, m, 2)
        cols["conversation_id"][fault == 1] = None
        ctx.faults.record_many(SOURCE, "conversations", "null_key", [None] * int((fault == 1).sum()))
        ctx.faults.record_many(SOURCE, "conversations", "duplicate", conv_ids[fault == 0])
        cols = self._append_duplicates(cols, fault == 0, "_loaded_at", frng)
        for c in ("started_at", "ended_at", "_loaded_at"):
            cols[c] = _dt_array(cols[c])
        ctx.sink(SOURCE, "conversations").write_columns(cols)

        # some conversations are followed by a CSAT survey
        survey = rng.random(m) < 0.12
        self.csat.append((cu[survey], t1[survey]))

        # telemetry: session.start, the end user's messages, maybe a rating of the AI's answer, session.end
        sel = sends
        cu, t0, t1, channel, leaked, conv_ids = cu[sel], t0[sel], t1[sel], channel[sel], leaked[sel], conv_ids[sel]
        messages = messages[sel]
        k = len(cu)
        if k == 0:
            return
        ch = np.array(CHANNELS)[channel]
        base = np.array([f'{{"conversation_id":"{a}","channel":"{b}"}}' for a, b in zip(conv_ids, ch)], dtype=object)
        sent = (messages + 1) // 2
        rep = np.repeat(np.arange(k), sent)
        mt = t0[rep] + (rng.random(len(rep)) * (t1[rep] - t0[rep])).astype("int64")
        rated = np.flatnonzero(rng.random(k) < 0.25)
        positive = rng.random(len(rated)) < 0.87
        rt = t0[rated] + (rng.random(len(rated)) * (t1[rated] - t0[rated])).astype("int64")
        rprops = np.array([f'{{"conversation_id":"{a}","positive":{"true" if b else "false"}}}'
                           for a, b in zip(conv_ids[rated], positive)], dtype=object)
        self._write_events(
            np.concatenate([cu, cu[rep], cu[rated], cu]),
            np.concatenate([np.full(k, EV["session.start"]), np.full(len(rep), EV["message.sent"]),
                            np.full(len(rated), EV["ai_response.rated"]), np.full(k, EV["session.end"])]),
            np.concatenate([t0, mt, rt, t1]),
            np.concatenate([base, base[rep], rprops, base]),
            np.concatenate([leaked, leaked[rep], leaked[rated], leaked]),
        )

    def write_lifecycle(self) -> None:
        u = np.array(self.lifecycle[0], dtype="int64")
        code = np.array(self.lifecycle[1], dtype="int64")
        t = np.array(self.lifecycle[2], dtype="int64")
        props = np.array(self.lifecycle[3], dtype=object)
        keep = self.consent[u] if len(u) else np.zeros(0, dtype=bool)
        u, code, t, props = u[keep], code[keep], t[keep], props[keep]
        for a in range(0, len(u), 200_000):
            self._write_events(u[a:a + 200_000], code[a:a + 200_000], t[a:a + 200_000], props[a:a + 200_000])

    def _write_events(self, users, codes, ts, props, leaked=None) -> None:
        """One chunk of telemetry: ids, load times, faults (exclusive, recorded), shuffled order."""
        ctx = self.ctx
        m = len(users)
        if m == 0:
            return
        frng = ctx.rng(SOURCE, "product_events", "faults", self.counters["evt"])
        leaked = np.zeros(m, dtype=bool) if leaked is None else np.asarray(leaked, dtype=bool)
        ts = np.minimum(np.asarray(ts, dtype="int64"), self.t_end - 1)
        ids = self._next("evt", m, 12)
        props = np.asarray(props, dtype=object).copy()
        loaded = ts + frng.integers(20, 1800, m)
        fault = np.where(leaked, -1, self._pick_faults(frng, m, 4))
        kinds = ("duplicate", "null_key", "malformed_json", "late_event")
        late = fault == 3
        loaded[late] = ts[late] + frng.integers(2 * DAY, 10 * DAY, int(late.sum()))
        bad = np.flatnonzero(fault == 2)
        props[bad] = [p[: max(1, len(p) // 2)] for p in props[bad]]  # truncated in transit
        ctx.faults.record_many(SOURCE, "product_events", "no_consent", ids[leaked])
        for k, kind in enumerate(kinds):
            ctx.faults.record_many(SOURCE, "product_events", kind,
                                   [None] * int((fault == k).sum()) if kind == "null_key" else ids[fault == k])
        event_ids = ids.copy()
        event_ids[fault == 1] = None
        cols = {
            "event_id": event_ids,
            "user_id": self.uid[users],
            "event_type": np.array(EVENT_TYPES, dtype=object)[codes],
            "timestamp": ts,
            "properties": props,
            "_loaded_at": loaded,
        }
        cols = self._append_duplicates(cols, fault == 0, "_loaded_at", frng)
        shuffle = frng.permutation(len(cols["event_id"]))  # delivered out of order
        cols = {k: v[shuffle] for k, v in cols.items()}
        cols["_loaded_at"] = _dt_array(cols["_loaded_at"])
        ctx.sink(SOURCE, "product_events").write_columns(cols)
        self.n_events += len(shuffle)

    # ------------------------------------------------------------------------------------------------ surveys
    def surveys(self) -> None:
        ctx = self.ctx
        rng = ctx.rng(SOURCE, "surveys")
        uid, stype, sent = [], [], []

        def send(users: np.ndarray, kind: str, at: np.ndarray) -> None:
            ok = at < self.t_end
            uid.append(users[ok])
            stype.append(np.full(int(ok.sum()), kind, dtype=object))
            sent.append(at[ok])

        accounts = np.flatnonzero(self.utype != END_USER)
        for d in (74, 165, 257, 348):  # quarterly NPS, mid-March, June, September, December
            if d >= ctx.days:
                continue
            day = self.t0 + d * DAY
            users = accounts[self.signup[accounts] <= day - 30 * DAY]
            send(users, "nps", day + rng.integers(8 * 3600, 3 * DAY, len(users)))
        creators = np.flatnonzero(self.utype == CREATOR)
        end_users = np.flatnonzero(self.utype == END_USER)
        for month in range(1, 13):
            day = _epoch(datetime(ctx.start.year, month, 1))
            if day <= self.t0 or day >= self.t_end:
                continue
            c = creators[(self.signup[creators] <= day - 14 * DAY) & self._alive_between(creators, day - 30 * DAY, day)]
            send(c, "creator_satisfaction", day + rng.integers(8 * 3600, 2 * DAY, len(c)))
            e = end_users[self._alive_between(end_users, day - 30 * DAY, day) & (rng.random(len(end_users)) < 0.4)]
            send(e, "ai_feedback", day + rng.integers(8 * 3600, 2 * DAY, len(e)))
        for users, ended in self.csat:
            send(users, "csat", ended + rng.integers(60, 1800, len(users)))

        users = np.concatenate(uid).astype("int64") if uid else np.zeros(0, dtype="int64")
        kind = np.concatenate(stype) if stype else np.zeros(0, dtype=object)
        sent_at = np.concatenate(sent).astype("int64") if sent else np.zeros(0, dtype="int64")
        m = len(users)
        if m == 0:
            return
        nps = kind == "nps"
        alive = self._alive(users, sent_at)
        p_resp = np.where(alive, 0.4, 0.2)
        answered_at = sent_at + rng.exponential(1.5 * DAY, m).astype("int64") + 120
        answered = (rng.random(m) < p_resp) & (answered_at < self.t_end)
        nps_score = rng.choice(11, m, p=[0.02, 0.01, 0.01, 0.02, 0.02, 0.04, 0.06, 0.12, 0.18, 0.24, 0.28])
        five = {"csat": [0.04, 0.04, 0.1, 0.3, 0.52], "ai_feedback": [0.04, 0.06, 0.15, 0.35, 0.4],
                "creator_satisfaction": [0.03, 0.05, 0.12, 0.35, 0.45]}
        score = nps_score.copy()
        for name, probs in five.items():
            sel = kind == name
            score[sel] = 1 + rng.choice(5, int(sel.sum()), p=probs)
        score = np.where(answered, score, -1)

        ids = self._next("rsp", m, 8)
        responded = np.array([_dt(x).strftime("%Y-%m-%d %H:%M:%S") if a else None
                              for x, a in zip(answered_at, answered)], dtype=object)
        frng = ctx.rng(SOURCE, "survey_responses", "faults")
        # every row can be re-delivered or lose its key; an answered row can instead carry a malformed answer or
        # one written with an offset (the export's text is messier than its ids: 3x the rate among answers)
        fault = self._pick_faults(frng, m, 2)
        spoil = answered & (fault < 0) & (frng.random(m) < 3 * self.fault_rate)
        fault[spoil] = 2 + frng.integers(0, 2, int(spoil.sum()))
        kinds = ("duplicate", "null_key", "malformed_value", "tz_offset", "out_of_range")
        for i in np.flatnonzero(fault == 2):
            if frng.random() < 0.5:
                responded[i] = frng.choice(["31/02/2025 10:00", "not-a-date", "2025-13-45 25:61:00"])
            else:
                score[i] = 11 if nps[i] else int(frng.integers(6, 11))  # out of the survey's scale
                fault[i] = 4
        for i in np.flatnonzero(fault == 3):
            hours = 2 if frng.random() < 0.6 else -5
            local = _dt(answered_at[i]) + timedelta(hours=hours)
            responded[i] = local.strftime("%Y-%m-%dT%H:%M:%S") + ("+02:00" if hours == 2 else "-05:00")
        for k, name in enumerate(kinds):
            ctx.faults.record_many(SOURCE, "survey_responses", name,
                                   [None] * int((fault == k).sum()) if name == "null_key" else ids[fault == k])
        response_ids = ids.copy()
        response_ids[fault == 1] = None
        cols = {
            "response_id": response_ids,
            "user_id": self.uid[users],
            "survey_type": kind,
            "sent_at": sent_at,
            "responded_at": responded,
            "score": np.array([int(x) if x >= 0 else None for x in score], dtype=object),
            "_loaded_at": np.where(answered, answered_at, sent_at) + rng.integers(3600, DAY, m),
        }
        cols = self._append_duplicates(cols, fault == 0, "_loaded_at", frng)
        order = np.argsort(cols["sent_at"], kind="stable")
        cols = {k: v[order] for k, v in cols.items()}
        cols["sent_at"] = _dt_array(cols["sent_at"])
        cols["_loaded_at"] = _dt_array(cols["_loaded_at"])
        sink = ctx.sink(SOURCE, "survey_responses")
        for a in range(0, len(order), 200_000):
            sink.write_columns({k: v[a:a + 200_000] for k, v in cols.items()})

    # ------------------------------------------------------------------------------------------------ run
    def run(self) -> None:
        self.users()
        self.lifecycle_and_billing()
        self.signup_and_onboarding()
        self.integrations_and_workflows()
        self.workflow_runs()
        self.activity()
        self.write_lifecycle()
        self.surveys()
        # for the ops module (support tickets): the accounts that can open one (creators and members)
        accounts = np.flatnonzero(self.utype != END_USER)
        self.ctx.shared["product_users"] = [(self.uid[i], _dt(self.signup[i])) for i in accounts]


def generate(ctx: Context) -> None:
    _ProductGenerator(ctx).run()
