"""The floor of the benchmark: a lower bound for the dbt build, on the same loaded DuckDB data.

`python -m kpi_layer.bench build` reports how long `dbt build` takes; on its own that number says little. The
floor is the same work written plainly by hand, as one DuckDB script: each raw table typed, PII hashed, rows
judged (null key, malformed or implausible time, a few checks, older duplicates) and split into a staging table
and a quarantine table, then the headline aggregations over the staged tables. No dbt, no tests, no
documentation, no macros: build time / floor time is what the project's machinery costs on top of the work.

    from kpi_layer.floor import run_floor
    for step, seconds, rows in run_floor(duckdb.connect("bench.duckdb")):
        ...

Everything lands in schema `floor` (dropped first). The floor need not reproduce the marts' numbers (no FX,
no calendar fill, fewer contract checks); it must do comparable work.
"""

from __future__ import annotations

import time

from . import contract

SCHEMA = "floor"
# the project's default pii_salt var: hashing costs the same whatever the salt
PII_SALT = "kpi-layer-demo-salt"
# as the staging contract: nothing happened before the plausible start or after the latest load + clock skew
PLAUSIBLE_START = "2000-01-01"
CLOCK_SKEW_HOURS = 24

# Per raw table: the raw columns of the natural key that its base model passes to flag_and_dedupe (renamed
# there: stripe's id -> charge_id, attempt_id -> certificate_attempt_id, run_id -> workflow_run_id, ...), and
# the main time column, whose bounds are checked.
TABLES: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {
    ("stripe", "balance_transaction"): (("id",), "created"),
    ("stripe", "charge"): (("id",), "created"),
    ("stripe", "refund"): (("id",), "created"),
    ("stripe", "dispute"): (("id",), "created"),
    ("stripe", "payout"): (("id",), "created"),
    ("stripe", "customer"): (("id",), "created"),
    ("stripe", "subscription"): (("id",), "created"),
    ("stripe", "subscription_item"): (("id",), "created"),
    ("stripe", "price"): (("id",), "created"),
    ("stripe", "product"): (("id",), "created"),
    ("stripe", "invoice"): (("id",), "created"),
    ("stripe", "invoice_line_item"): (("id", "invoice_id"), "period_start"),
    ("stripe", "transfer"): (("id",), "created"),
    ("stripe", "coupon"): (("id",), "created"),
    ("stripe", "discount"): (("id", "type"), "start"),
    ("marketplace", "owners"): (("owner_id",), "created_at"),
    ("marketplace", "hirers"): (("hirer_id",), "created_at"),
    ("marketplace", "domains"): (("domain_id",), "created_at"),
    ("marketplace", "routes"): (("route_id",), "created_at"),
    ("marketplace", "listings"): (("listing_id",), "created_at"),
    ("marketplace", "listing_status_history"): (("listing_id", "changed_at"), "changed_at"),
    ("marketplace", "contracts"): (("contract_id",), "started_at"),
    ("marketplace", "contract_charges"): (("contract_charge_id",), "charged_at"),
    ("marketplace", "listing_events"): (("event_id",), "occurred_at"),
    ("marketplace", "disputes"): (("dispute_id",), "opened_at"),
    ("marketplace", "credits"): (("credit_id",), "issued_at"),
    ("marketplace", "certificate_issuance_attempts"): (("attempt_id",), "attempted_at"),
    ("marketplace", "clicks"): (("click_id",), "clicked_at"),
    ("marketplace", "click_rollups"): (("rollup_date", "route_id"), "rollup_date"),
    ("storefront", "customers"): (("customer_id",), "created_at"),
    ("storefront", "orders"): (("order_id",), "created_at"),
    ("storefront", "subscriptions"): (("subscription_id",), "started_at"),
    ("storefront", "spend"): (("spend_date", "platform", "campaign_id"), "spend_date"),
    ("storefront", "events"): (("event_id",), "occurred_at"),
    ("storefront", "metrics_daily"): (("metric_date",), "metric_date"),
    ("tutoring", "tutors"): (("tutor_id",), "created_at"),
    ("tutoring", "students"): (("student_id",), "signed_up_at"),
    ("tutoring", "tutor_applications"): (("application_id",), "submitted_at"),
    ("tutoring", "tutor_profile_steps"): (("tutor_id", "step"), "completed_at"),
    ("tutoring", "tutor_availability"): (("availability_id",), "created_at"),
    ("tutoring", "bookings"): (("booking_id",), "created_at"),
    ("tutoring", "packages"): (("package_purchase_id",), "purchased_at"),
    ("tutoring", "messages"): (("message_id",), "sent_at"),
    ("tutoring", "reviews"): (("review_id",), "created_at"),
    ("tutoring", "audit_events"): (("event_id",), "occurred_at"),
    ("product", "users"): (("user_id",), "signed_up_at"),
    ("product", "product_events"): (("event_id",), "timestamp"),
    ("product", "workflows"): (("workflow_id",), "created_at"),
    ("product", "workflow_runs"): (("run_id",), "started_at"),
    ("product", "integrations"): (("integration_id",), "connected_at"),
    ("product", "conversations"): (("conversation_id",), "started_at"),
    ("product", "survey_responses"): (("response_id",), "sent_at"),
    ("ops", "deployments"): (("deployment_id",), "deployed_at"),
    ("ops", "incidents"): (("incident_id",), "started_at"),
    ("ops", "http_requests"): (("request_id",), "requested_at"),
    ("ops", "uptime_probes"): (("probe_id",), "probed_at"),
    ("ops", "web_vitals"): (("beacon_id",), "recorded_at"),
    ("ops", "help_center_sessions"): (("session_id",), "started_at"),
    ("ops", "support_tickets"): (("ticket_id",), "created_at"),
}

# The model-specific checks of the base models that decide money rows (the rest of the contract is skipped).
CHECKS: dict[tuple[str, str], tuple[str, str]] = {
    ("marketplace", "contract_charges"): ("non_positive_amount", "amount <= 0"),
    ("marketplace", "credits"): ("non_positive_amount", "amount <= 0"),
    ("storefront", "orders"): ("non_positive_amount", "total_cents <= 0"),
    ("storefront", "spend"): ("non_positive_amount", "spend_cents < 0"),
    ("tutoring", "bookings"): ("non_positive_amount", "price_amount <= 0"),
    ("tutoring", "packages"): ("non_positive_amount", "price_amount <= 0 or sessions_count <= 0"),
}

# Column-name rules rather than a list per table: the base models hash these wherever they occur and
# normalise the case of the main categorical columns (keys included: spend's platform, profile steps' step).
PII = {"email", "receipt_email", "ip_address"}
LOWER = {"currency", "status", "device", "service", "platform", "step", "event_type", "reason", "channel"}
UPPER = {"country", "method", "address_country", "billing_detail_address_country"}


def _q(name: str) -> str:
    return f'"{name}"'


def _utc_timestamp(expr: str) -> str:
    # text with an offset or a zone is converted to UTC (the session runs in UTC); ' -0500' needs a colon first
    text = f"trim({expr})"
    return (f"timezone('UTC', coalesce(try_cast({text} as timestamptz), "
            f"try_cast(regexp_replace({text}, '\\s*([+-][0-9]{{2}}):?([0-9]{{2}})$', '\\1:\\2') as timestamptz)))")


def _typed(raw: contract.RawTable) -> tuple[list[str], list[str], list[str]]:
    """select expressions, output column names, and the raw copies of fallible columns (for malformed_value)."""
    exprs, names, fallible = [], [], []
    for col in raw.columns:
        src, dtype = f"r.{_q(col.name)}", col.data_type.lower()
        name = col.name
        if col.name in PII:
            name = f"{col.name}_hash"
            expr = f"case when {src} is not null then sha256(concat('{PII_SALT}', lower(trim({src})))) end"
        elif dtype == "varchar" and col.name.endswith("_at"):
            # the base models parse these text timestamps (typed_source's parse_as)
            expr = _utc_timestamp(src)
            fallible.append(col.name)
        elif (raw.source, raw.name, col.name) == ("product", "product_events", "timestamp"):
            expr = f"make_timestamp(try_cast({src} as bigint) * 1000000)"  # epoch seconds
        else:
            expr = f"try_cast({src} as {col.data_type})"
            if col.name in LOWER:
                expr = f"lower({expr})"
            elif col.name in UPPER:
                expr = f"upper({expr})"
        exprs.append(f"{expr} as {_q(name)}")
        names.append(name)
    exprs += [f"r.{_q(c)} as {_q('_f_raw_' + c)}" for c in fallible]
    return exprs, names, fallible


def _exists(con, schema: str, name: str) -> bool:
    return con.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                       [schema, name]).fetchone()[0] > 0


def _stage(con, raw: contract.RawTable) -> int:
    """Type, judge and split one raw table; returns the rows written (kept + quarantined = rows in)."""
    keys, time_col = TABLES[(raw.source, raw.name)]
    relation = f"{_q('main_raw_' + raw.source)}.{_q(raw.name)}"
    latest = "_fivetran_synced" if raw.source == "stripe" else "_loaded_at"
    target = f"{raw.source}__{raw.name}"
    exprs, names, fallible = _typed(raw)
    column_names = {c.name for c in raw.columns}
    join = ""
    reasons = [("null_key", " or ".join(f"{_q(k)} is null" for k in keys))]
    if fallible:
        reasons.append(("malformed_value", " or ".join(
            f"({_q('_f_raw_' + c)} is not null and {_q(c)} is null)" for c in fallible)))
    reasons.append(("out_of_range", f"{_q(time_col)} < timestamp '{PLAUSIBLE_START}' or {_q(time_col)} > "
                    f"(select max({_q(latest)}) from {relation}) + interval {CLOCK_SKEW_HOURS} hour"))
    if "livemode" in column_names:
        reasons.append(("test_mode", "livemode = false"))
    if "properties" in column_names:
        reasons.append(("malformed_json", "properties is not null and not json_valid(properties)"))
    if (raw.source, raw.name) == ("product", "product_events"):
        # telemetry is consent-gated: the one join of staging (users are staged first, in contract order)
        join = f"left join {SCHEMA}.stg_product__users as u on u.user_id = r.user_id"
        exprs.append("coalesce(u.telemetry_consent, false) as _f_consent")
        reasons.append(("no_consent", "not _f_consent"))
    if (raw.source, raw.name) in CHECKS:
        reasons.append(CHECKS[(raw.source, raw.name)])
    whens = "\n".join(f"            when {cond} then '{reason}'" for reason, cond in reasons)
    key_text = (f"cast({_q(keys[0])} as varchar)" if len(keys) == 1 else
                "concat_ws('|', " + ", ".join(f"coalesce(cast({_q(k)} as varchar), '')" for k in keys) + ")")
    partition = ", ".join(_q(k) for k in keys)
    flagged = f"{SCHEMA}._flagged_{target}"
    # judged once into a scratch table, then split, as dbt's base table feeds the staging and quarantine views;
    # an invalid row never displaces a valid one (the validity is part of the partition)
    con.execute(f"""
        create table {flagged} as
        with typed as (
            select
                {(',' + chr(10) + '                ').join(exprs)}
            from {relation} as r
            {join}
        ),
        checked as (
            select *, case
{whens}
            end as _f_row_reason
            from typed
        )
        select
            *,
            coalesce(_f_row_reason, case when row_number() over (
                partition by {partition}, _f_row_reason is null order by {_q(latest)} desc
            ) > 1 then 'duplicate' end) as _f_reason
        from checked
    """)
    con.execute(f"create table {SCHEMA}.stg_{target} as select {', '.join(_q(n) for n in names)} "
                f"from {flagged} where _f_reason is null")
    con.execute(f"""
        create table {SCHEMA}.quarantine_{target} as
        select '{raw.name}' as source_table, {key_text} as record_key, _f_reason as reason,
            {_q(latest)} as loaded_at
        from {flagged}
        where _f_reason is not null
    """)
    con.execute(f"drop table {flagged}")
    rows_in = con.execute(f"select count(*) from {relation}").fetchone()[0]
    kept = con.execute(f"select count(*) from {SCHEMA}.stg_{target}").fetchone()[0]
    quarantined = con.execute(f"select count(*) from {SCHEMA}.quarantine_{target}").fetchone()[0]
    if rows_in != kept + quarantined:
        raise AssertionError(f"floor: {raw.source}.{raw.name}: {rows_in} rows in, {kept} kept + "
                             f"{quarantined} quarantined")
    return kept + quarantined


# Headline aggregations: (name, staged tables it reads, select). Amounts stay in minor units / 100, no FX.
AGGREGATIONS: list[tuple[str, tuple[str, ...], str]] = [
    ("marketplace_clicks_daily", ("stg_marketplace__clicks",), """
        select
            cast(clicked_at as date) as date_day,
            count(*) as clicks,
            count(*) filter (where is_valid) as valid_clicks,
            count(*) filter (where not is_valid) as invalid_clicks,
            count(*) filter (where not is_valid) / count(*) as ivt_rate,
            count(*) filter (where is_valid and http_status = 302) as billable_clicks
        from floor.stg_marketplace__clicks
        group by 1
    """),
    ("marketplace_gmv_daily", ("stg_marketplace__contract_charges",), """
        select
            cast(charged_at as date) as date_day,
            count(*) as collected_charges,
            sum(amount) filter (where charge_type = 'period') / 100 as period_gmv,
            sum(amount) filter (where charge_type = 'usage') / 100 as usage_gmv,
            sum(amount) / 100 as gmv
        from floor.stg_marketplace__contract_charges
        where status = 'succeeded'
        group by 1
    """),
    ("storefront_revenue_daily", ("stg_storefront__orders",), """
        select
            cast(created_at as date) as date_day,
            count(*) as orders,
            sum(total_cents) / 100 as revenue,
            sum(coalesce(refunded_cents, 0)) / 100 as refunded_revenue,
            sum(total_cents) / 100 / count(*) as aov
        from floor.stg_storefront__orders
        where status <> 'cancelled'
        group by 1
    """),
    ("storefront_ad_spend_daily", ("stg_storefront__spend",), """
        select
            spend_date as date_day,
            sum(spend_cents) / 100 as ad_spend,
            sum(impressions) as impressions,
            sum(clicks) as clicks,
            sum(conversions) as conversions
        from floor.stg_storefront__spend
        group by 1
    """),
    ("tutoring_bookings_monthly", ("stg_tutoring__bookings",), """
        select
            cast(date_trunc('month', created_at) as date) as month_start_date,
            count(*) as booking_requests,
            count(confirmed_at) as confirmed_bookings,
            count(completed_at) as completed_sessions,
            sum(price_amount) filter (where confirmed_at is not null) / 100 as bookings_gmv
        from floor.stg_tutoring__bookings
        group by 1
    """),
    ("product_daily_active_users", ("stg_product__product_events",), """
        select cast("timestamp" as date) as date_day, count(distinct user_id) as active_users
        from floor.stg_product__product_events
        group by 1
    """),
    ("ops_http_daily", ("stg_ops__http_requests",), """
        select
            cast(requested_at as date) as date_day,
            count(*) as requests,
            count(*) filter (where status_code >= 500) / count(*) as server_error_rate,
            quantile_cont(latency_ms, 0.95) as latency_p95_ms
        from floor.stg_ops__http_requests
        group by 1
    """),
    ("stripe_charges_monthly", ("stg_stripe__charge",), """
        select
            cast(date_trunc('month', created) as date) as month_start_date,
            count(*) as charges,
            count(*) filter (where status = 'succeeded') as succeeded_charges,
            sum(amount) filter (where status = 'succeeded') / 100 as succeeded_amount,
            sum(amount_refunded) / 100 as refunded_amount
        from floor.stg_stripe__charge
        group by 1
    """),
    # MRR at each month end: subscriptions live then (started, not ended, out of trial, ever activated), their
    # items at their price's recurring amount normalised to a month. Simpler than the marts' invoice-line price
    # history (no discounts, no plan-change timing, no FX; grouped by currency).
    ("stripe_mrr_monthly", ("stg_stripe__subscription", "stg_stripe__subscription_item", "stg_stripe__price"), """
        with month_ends as (
            select cast(unnest(generate_series(
                date_trunc('month', min(start_date)), date_trunc('month', max(_fivetran_synced)), interval 1 month
            )) + interval 1 month - interval 1 microsecond as timestamp) as month_end_at
            from floor.stg_stripe__subscription
        )
        select
            cast(month_ends.month_end_at as date) as month_end_date,
            p.currency,
            count(distinct s.id) as subscriptions,
            sum(p.unit_amount * coalesce(i.quantity, 1) * case p.recurring_interval
                when 'year' then 1 / 12 when 'week' then 52 / 12 when 'day' then 365 / 12 else 1
            end / coalesce(nullif(p.recurring_interval_count, 0), 1)) / 100 as mrr
        from month_ends
        inner join floor.stg_stripe__subscription as s
            on s.start_date <= month_ends.month_end_at
            and (s.ended_at is null or s.ended_at > month_ends.month_end_at)
            and (s.trial_end is null or s.trial_end <= month_ends.month_end_at)
            and s.status not in ('incomplete', 'incomplete_expired')
        inner join floor.stg_stripe__subscription_item as i on i.subscription_id = s.id
        inner join floor.stg_stripe__price as p on p.id = i.plan_id
        group by 1, 2
    """),
]


def run_floor(con) -> list[tuple[str, float, int]]:
    """Run the hand-written staging and headline aggregations on `con` (a duckdb connection to a database the
    loader filled); returns (step name, seconds, rows written) per step, in order."""
    steps: list[tuple[str, float, int]] = []
    time_zone = con.execute("select current_setting('TimeZone')").fetchone()[0]
    # zoneless text is UTC, as in staging; the caller's session setting is restored at the end
    con.execute("set TimeZone = 'UTC'")
    try:
        con.execute(f"drop schema if exists {SCHEMA} cascade")
        con.execute(f"create schema {SCHEMA}")
        for source in contract.SOURCES:
            for (src, name), raw in contract.load_contract().items():
                if src != source or not _exists(con, f"main_raw_{source}", name):
                    continue
                t0 = time.perf_counter()
                rows = _stage(con, raw)
                steps.append((f"stage {source}.{name}", time.perf_counter() - t0, rows))
        for name, needs, select in AGGREGATIONS:
            if not all(_exists(con, SCHEMA, table) for table in needs):
                continue
            t0 = time.perf_counter()
            con.execute(f"create table {SCHEMA}.agg_{name} as {select}")
            rows = con.execute(f"select count(*) from {SCHEMA}.agg_{name}").fetchone()[0]
            steps.append((f"agg {name}", time.perf_counter() - t0, rows))
    finally:
        con.execute(f"set TimeZone = '{time_zone}'")
    return steps
