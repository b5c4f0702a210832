"""Billing KPI metrics and the mart queries they must equal (see test_semantic_layer.py)."""

# KPI metric -> the mart query giving (period, value) for the same KPI. {m} is the marts schema.
MONTHLY = {
    "mrr": "select month_start_date, mrr_usd from {m}.mrr_monthly",
    "arr": "select month_start_date, arr_usd from {m}.mrr_monthly",
    "mrr_growth_rate": "select month_start_date, mrr_growth_rate from {m}.mrr_monthly",
    "mrr_movements_new": "select month_start_date, new_mrr_usd from {m}.mrr_monthly",
    "mrr_movements_expansion": "select month_start_date, expansion_mrr_usd from {m}.mrr_monthly",
    "mrr_movements_contraction": "select month_start_date, contraction_mrr_usd from {m}.mrr_monthly",
    "mrr_movements_churned": "select month_start_date, churned_mrr_usd from {m}.mrr_monthly",
    "mrr_movements_reactivated": "select month_start_date, reactivated_mrr_usd from {m}.mrr_monthly",
    "customer_churn_rate": "select month_start_date, customer_churn_rate from {m}.mrr_monthly",
    "arpu": "select month_start_date, arpu_usd from {m}.mrr_monthly",
    "ltv": "select month_start_date, ltv_usd from {m}.unit_economics_monthly",
    "cac": "select month_start_date, cac_usd from {m}.unit_economics_monthly",
    "ltv_to_cac": "select month_start_date, ltv_to_cac from {m}.unit_economics_monthly",
    "payback_period_months": "select month_start_date, payback_period_months from {m}.unit_economics_monthly",
    "paid_conversion_rate": "select cohort_month, sum(converted_users) * 1.0 / nullif(sum(free_users), 0) "
                            "from {m}.paid_conversion_by_cohort group by cohort_month",
    "refunds_and_chargebacks_refunded": "select month_start_date, sum(refunded_amount_usd) "
                                        "from {m}.refunds_and_chargebacks_monthly group by month_start_date",
    "refunds_and_chargebacks_disputed": "select month_start_date, sum(disputed_amount_usd) "
                                        "from {m}.refunds_and_chargebacks_monthly group by month_start_date",
    "failed_payment_rate": "select month_start_date, failed_payment_rate from {m}.billing_kpis_monthly",
    "revenue_by_geography": "select month_start_date, revenue_usd from {m}.billing_kpis_monthly "
                            "where revenue_usd is not null",
    "revenue_by_geography_international_share": "select month_start_date, international_revenue_share "
                                                "from {m}.billing_kpis_monthly",
    "invoice_totals": "select month_start_date, sum(invoice_totals_usd) "
                      "from {m}.invoice_totals_by_customer_monthly group by month_start_date",
    "invoice_totals_upcoming": "select month_start_date, sum(upcoming_amount_usd) "
                               "from {m}.invoice_totals_by_customer_monthly group by month_start_date",
    "revenue_per_creator": "select month_start_date, revenue_per_creator_usd from {m}.creator_revenue_monthly",
    "creator_revenue_growth_mean": "select month_start_date, mean_creator_revenue_growth_rate "
                                   "from {m}.creator_revenue_monthly",
    "creator_revenue_growth_share_over_1k": "select month_start_date, share_creators_over_1000_usd "
                                            "from {m}.creator_revenue_monthly",
    "creator_revenue_growth_share_over_5k": "select month_start_date, share_creators_over_5000_usd "
                                            "from {m}.creator_revenue_monthly",
    "creator_revenue_growth_share_over_10k": "select month_start_date, share_creators_over_10000_usd "
                                             "from {m}.creator_revenue_monthly",
}
DAILY = {
    "failed_payment_rate": "select date_day, sum(failed_payment_attempts) * 1.0 / sum(payment_attempts) "
                           "from {m}.failed_payments_daily group by date_day having sum(payment_attempts) > 0",
    "cac": "select date_day, acquisition_spend_usd * 1.0 / nullif(new_paying_customers, 0) from {m}.cac_daily",
}
