"""Marketplace (seed 000) KPI metrics and the mart queries they must equal (see test_semantic_layer.py).

Flows whose mart keeps a zero row for a period without events (gmv_daily, disputes) are compared on the
periods that had events: MetricFlow has no row for an empty period. A mart value without a MetricFlow value
(or the reverse) on those periods still fails. invoice_totals (hirers) is billing's metric, checked there.
"""

# KPI metric -> the mart query giving (period, value) for the same KPI. {m} is the marts schema.
MONTHLY = {
    "gmv": "select month_start_date, gmv_usd from {m}.gmv_monthly where collected_charge_count > 0",
    "platform_revenue": "select month_start_date, platform_revenue_usd from {m}.gmv_monthly "
                        "where collected_charge_count > 0",
    "owner_payouts": "select month_start_date, owner_payouts_usd from {m}.gmv_monthly "
                     "where collected_charge_count > 0",
    "owner_earnings": "select month_start_date, sum(owner_earnings_usd) from {m}.owner_earnings_monthly "
                      "group by month_start_date having sum(collected_charge_count) > 0",
    "owner_earnings_period": "select month_start_date, sum(period_earnings_usd) from {m}.owner_earnings_monthly "
                             "group by month_start_date having sum(period_charges_usd) > 0",
    "owner_earnings_usage": "select month_start_date, sum(usage_earnings_usd) from {m}.owner_earnings_monthly "
                            "group by month_start_date having sum(usage_charges_usd) > 0",
    # stocks: the value at the month's last day in the mart (the as-of date for the current month)
    "active_listings": "select month_start_date, active_listings from {m}.active_supply_daily as s "
                       "inner join {m}.dim_dates as d on s.date_day = d.date_day "
                       "where s.date_day = (select max(x.date_day) from {m}.active_supply_daily as x "
                       "inner join {m}.dim_dates as y on x.date_day = y.date_day "
                       "where y.month_start_date = d.month_start_date)",
    "verified_domains": "select month_start_date, verified_domains from {m}.active_supply_daily as s "
                        "inner join {m}.dim_dates as d on s.date_day = d.date_day "
                        "where s.date_day = (select max(x.date_day) from {m}.active_supply_daily as x "
                        "inner join {m}.dim_dates as y on x.date_day = y.date_day "
                        "where y.month_start_date = d.month_start_date)",
    "dns_verification_minutes_p50": "select month_start_date, dns_verification_minutes_p50 "
                                    "from {m}.dns_verification_monthly",
    "dns_verification_minutes_p95": "select month_start_date, dns_verification_minutes_p95 "
                                    "from {m}.dns_verification_monthly",
    "owner_activation_rate": "select cohort_month_start_date, owner_activation_rate "
                             "from {m}.activation_cohorts_monthly",
    "hirer_activation_rate": "select cohort_month_start_date, hirer_activation_rate "
                             "from {m}.activation_cohorts_monthly",
    "listing_views_to_inquiry": "select month_start_date, listing_views_to_inquiry from {m}.listing_funnel_monthly",
    "listing_views_to_checkout": "select month_start_date, listing_views_to_checkout "
                                 "from {m}.listing_funnel_monthly",
    "disputes_opened": "select month_start_date, disputes_opened from {m}.disputes_and_credits_monthly "
                       "where disputes_opened > 0",
    "disputes_closed": "select month_start_date, disputes_closed from {m}.disputes_and_credits_monthly "
                       "where disputes_closed > 0",
    "credits_issued": "select month_start_date, credits_issued_usd from {m}.disputes_and_credits_monthly",
}
DAILY = {
    "gmv": "select date_day, gmv_usd from {m}.gmv_daily where collected_charge_count > 0",
    "platform_revenue": "select date_day, platform_revenue_usd from {m}.gmv_daily where collected_charge_count > 0",
    "owner_payouts": "select date_day, owner_payouts_usd from {m}.gmv_daily where collected_charge_count > 0",
    "active_listings": "select date_day, active_listings from {m}.active_supply_daily",
    "verified_domains": "select date_day, verified_domains from {m}.active_supply_daily",
}
# Week grain (Monday start) against the weekly marts. test_semantic_layer.py queries month and day only; this
# dict is picked up once it also queries metric_time__week (checked by hand on DuckDB: all equal).
WEEKLY = {
    "gmv": "select week_start_date, gmv_usd from {m}.gmv_weekly where collected_charge_count > 0",
    "platform_revenue": "select week_start_date, platform_revenue_usd from {m}.gmv_weekly "
                        "where collected_charge_count > 0",
    "owner_payouts": "select week_start_date, owner_payouts_usd from {m}.gmv_weekly where collected_charge_count > 0",
    "dns_verification_minutes_p50": "select week_start_date, dns_verification_minutes_p50 "
                                    "from {m}.dns_verification_weekly",
    "dns_verification_minutes_p95": "select week_start_date, dns_verification_minutes_p95 "
                                    "from {m}.dns_verification_weekly",
    "listing_views_to_inquiry": "select week_start_date, listing_views_to_inquiry from {m}.listing_funnel_weekly",
    "listing_views_to_checkout": "select week_start_date, listing_views_to_checkout from {m}.listing_funnel_weekly",
    "disputes_opened": "select week_start_date, disputes_opened from {m}.disputes_and_credits_weekly "
                       "where disputes_opened > 0",
    "disputes_closed": "select week_start_date, disputes_closed from {m}.disputes_and_credits_weekly "
                       "where disputes_closed > 0",
}
