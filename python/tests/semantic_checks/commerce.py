"""Commerce (storefront, seed 001) KPI metrics and the mart queries they must equal (see test_semantic_layer.py)."""

_SOURCES = {"shopify": "Shopify", "api": "API", "marketplace": "Marketplace", "partnerships": "Partnerships"}


def _trailing(days: int) -> str:
    # The mart's trailing sum where it has one. Where it says null (before a full window of history) and after
    # the as-of date (MetricFlow's cumulative metric runs on until the window has passed the last order),
    # compare with revenue_daily's days summed over the same window of dim_dates' calendar.
    return (f"select calendar.date_day, coalesce(max(mart.revenue_trailing_{days}d), sum(days.revenue)) "
            f"from {{m}}.dim_dates as calendar "
            f"inner join {{m}}.revenue_daily as days "
            f"on days.date_day between calendar.date_day - {days - 1} and calendar.date_day "
            f"left join {{m}}.revenue_daily as mart on mart.date_day = calendar.date_day "
            f"group by calendar.date_day")


# KPI metric -> the mart query giving (period, value) for the same KPI. {m} is the marts schema.
MONTHLY = {
    "revenue": "select month_start_date, revenue from {m}.revenue_monthly",
    "aov": "select month_start_date, aov from {m}.revenue_monthly",
    "new_customers": "select month_start_date, new_customers from {m}.revenue_monthly",
    "revenue_by_source": "select month_start_date, sum(revenue) from {m}.revenue_by_source_monthly "
                         "group by month_start_date",
    **{f"revenue_by_source_{part}": f"select month_start_date, revenue from {{m}}.revenue_by_source_monthly "
                                    f"where order_source = '{source}'" for part, source in _SOURCES.items()},
    "gross_margin": "select month_start_date, gross_margin from {m}.financial_health_monthly",
    "gross_margin_rate": "select month_start_date, gross_margin_rate from {m}.financial_health_monthly",
    "operating_expenses": "select month_start_date, operating_expenses from {m}.financial_health_monthly",
    "runway_months": "select month_start_date, runway_months from {m}.financial_health_monthly",
    "cac_by_channel": "select month_start_date, sum(acquisition_spend_usd) * 1.0 / nullif(sum(new_paying_customers), 0) "
                      "from {m}.cac_by_channel_monthly group by month_start_date",
}
DAILY = {
    "revenue": "select date_day, revenue from {m}.revenue_daily",
    "aov": "select date_day, aov from {m}.revenue_daily",
    "new_customers": "select date_day, new_customers from {m}.revenue_daily",
    "revenue_trailing_30d": _trailing(30),
    "revenue_trailing_90d": _trailing(90),
    "revenue_trailing_365d": _trailing(365),
    "revenue_by_source": "select date_day, sum(revenue) from {m}.revenue_by_source_daily group by date_day",
    **{f"revenue_by_source_{part}": f"select date_day, revenue from {{m}}.revenue_by_source_daily "
                                    f"where order_source = '{source}'" for part, source in _SOURCES.items()},
    "ad_spend": "select date_day, ad_spend from {m}.ad_spend_daily",
    "roas": "select date_day, roas from {m}.ad_spend_daily",
    "cpc": "select date_day, cpc from {m}.ad_spend_daily",
    "cpa": "select date_day, cpa from {m}.ad_spend_daily",
    "sessions": "select date_day, sessions from {m}.conversion_funnel_daily",
    "conversion_rate": "select date_day, conversion_rate from {m}.conversion_funnel_daily",
    "add_to_cart_rate": "select date_day, add_to_cart_rate from {m}.conversion_funnel_daily",
    "cart_abandonment_rate": "select date_day, cart_abandonment_rate from {m}.conversion_funnel_daily",
    "gross_margin": "select date_day, gross_margin from {m}.gross_margin_daily",
    "gross_margin_rate": "select date_day, gross_margin_rate from {m}.gross_margin_daily",
}
