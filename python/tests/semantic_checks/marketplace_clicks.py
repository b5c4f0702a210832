"""Click-quality, redirect-health and hirer KPI metrics and the mart queries they must equal."""

MONTHLY = {
    "valid_clicks": "select month_start_date, valid_clicks from {m}.click_quality_monthly",
    "invalid_clicks": "select month_start_date, invalid_clicks from {m}.click_quality_monthly",
    "ivt_rate": "select month_start_date, ivt_rate from {m}.click_quality_monthly",
    "hirer_cost_per_click": "select month_start_date, sum(usage_charges_usd) * 1.0 / nullif(sum(valid_clicks), 0) "
                            "from {m}.hirer_route_performance_monthly group by month_start_date",
    "hirer_ctr": "select month_start_date, sum(valid_clicks) * 1.0 / nullif(sum(impressions), 0) "
                 "from {m}.hirer_route_performance_monthly group by month_start_date",
}
DAILY = {
    "ivt_rate": "select date_day, ivt_rate from {m}.click_quality_daily",
    "redirect_error_rate": "select date_day, redirect_error_rate from {m}.redirect_errors_daily",
    "certificate_issuance_failures": "select date_day, certificate_issuance_failures "
                                     "from {m}.certificate_issuance_failures_daily",
}
