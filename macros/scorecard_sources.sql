{#
    Where each implemented KPI lives: one entry per KPI (or part of a composite KPI) per grain, naming the mart,
    its period column and the value column (an aggregate with group_by: true, for marts with a finer grain
    than the company). kpi_scorecard and kpi_alerts read this list; a new KPI mart adds its entries here.
#}
{% macro scorecard_sources() %}
    {%- set sources = [] -%}

    {#- billing (each domain's entries only while its source families are on: var using_<family>) -#}
    {%- if kpi_layer.using_families(['stripe']) -%}
    {%- for kpi_id, column, unit in [
        ('mrr', 'mrr_usd', 'money'), ('arr', 'arr_usd', 'money'), ('mrr_growth_rate', 'mrr_growth_rate', 'ratio'),
        ('mrr_movements_new', 'new_mrr_usd', 'money'), ('mrr_movements_expansion', 'expansion_mrr_usd', 'money'),
        ('mrr_movements_contraction', 'contraction_mrr_usd', 'money'),
        ('mrr_movements_churned', 'churned_mrr_usd', 'money'),
        ('mrr_movements_reactivated', 'reactivated_mrr_usd', 'money'),
        ('customer_churn_rate', 'customer_churn_rate', 'ratio'), ('arpu', 'arpu_usd', 'money'),
    ] -%}
        {%- do sources.append({'kpi_id': kpi_id, 'grain': 'month', 'model': 'mrr_monthly',
            'period': 'month_start_date', 'value': column, 'unit': unit}) -%}
    {%- endfor -%}
    {%- for kpi_id, column, unit in [
        ('ltv', 'ltv_usd', 'money'), ('ltv_to_cac', 'ltv_to_cac', 'ratio'),
        ('payback_period_months', 'payback_period_months', 'months'),
    ] -%}
        {%- do sources.append({'kpi_id': kpi_id, 'grain': 'month', 'model': 'unit_economics_monthly',
            'period': 'month_start_date', 'value': column, 'unit': unit}) -%}
    {%- endfor -%}
    {%- for kpi_id, column, unit in [
        ('failed_payment_rate', 'failed_payment_rate', 'ratio'),
        ('revenue_by_geography', 'revenue_usd', 'money'),
        ('revenue_by_geography_international_share', 'international_revenue_share', 'ratio'),
        ('invoice_totals', 'invoice_totals_usd', 'money'),
        ('invoice_totals_upcoming', 'upcoming_amount_usd', 'money'),
    ] -%}
        {%- do sources.append({'kpi_id': kpi_id, 'grain': 'month', 'model': 'billing_kpis_monthly',
            'period': 'month_start_date', 'value': column, 'unit': unit}) -%}
    {%- endfor -%}
    {%- do sources.append({'kpi_id': 'failed_payment_rate', 'grain': 'day', 'model': 'failed_payments_daily',
        'period': 'date_day', 'group_by': true, 'unit': 'ratio',
        'value': kpi_layer.safe_divide('sum(failed_payment_attempts)', 'sum(payment_attempts)')}) -%}
    {%- for kpi_id, column in [('refunds_and_chargebacks_refunded', 'refunded_amount_usd'),
                               ('refunds_and_chargebacks_disputed', 'disputed_amount_usd')] -%}
        {%- do sources.append({'kpi_id': kpi_id, 'grain': 'month', 'model': 'refunds_and_chargebacks_monthly',
            'period': 'month_start_date', 'value': 'sum(' ~ column ~ ')', 'group_by': true, 'unit': 'money'}) -%}
    {%- endfor -%}
    {#- paid conversion and creator revenue need the product app's users as well -#}
    {%- if kpi_layer.using_families(['product']) -%}
    {%- do sources.append({'kpi_id': 'paid_conversion_rate', 'grain': 'cohort_month',
        'model': 'paid_conversion_by_cohort', 'period': 'cohort_month', 'group_by': true, 'unit': 'ratio',
        'value': kpi_layer.safe_divide('sum(converted_users)', 'sum(free_users)')}) -%}
    {%- for kpi_id, column, unit in [
        ('revenue_per_creator', 'revenue_per_creator_usd', 'money'),
        ('creator_revenue_growth_mean', 'mean_creator_revenue_growth_rate', 'ratio'),
        ('creator_revenue_growth_share_over_1k', 'share_creators_over_1000_usd', 'ratio'),
        ('creator_revenue_growth_share_over_5k', 'share_creators_over_5000_usd', 'ratio'),
        ('creator_revenue_growth_share_over_10k', 'share_creators_over_10000_usd', 'ratio'),
    ] -%}
        {%- do sources.append({'kpi_id': kpi_id, 'grain': 'month', 'model': 'creator_revenue_monthly',
            'period': 'month_start_date', 'value': column, 'unit': unit}) -%}
    {%- endfor -%}
    {%- endif -%}

    {%- endif -%}

    {#- commerce; CAC needs Stripe's paying customers as well -#}
    {%- if kpi_layer.using_families(['storefront']) -%}
    {%- if kpi_layer.using_families(['stripe']) -%}
    {%- for grain, model, period in [('day', 'cac_daily', 'date_day'), ('week', 'cac_weekly', 'week_start_date'),
                                     ('month', 'cac_monthly', 'month_start_date')] -%}
        {%- do sources.append({'kpi_id': 'cac', 'grain': grain, 'model': model, 'period': period,
            'value': 'cac', 'unit': 'money'}) -%}
    {%- endfor -%}
    {#- the seed 001 alerts' measures, parts of cac and ad_spend -#}
    {%- do sources.append({'kpi_id': 'cac_wow_growth', 'grain': 'week', 'model': 'cac_weekly',
        'period': 'week_start_date', 'value': 'cac_wow_growth', 'unit': 'ratio'}) -%}
    {%- endif -%}
    {%- do sources.append({'kpi_id': 'ad_spend_without_revenue', 'grain': 'day', 'model': 'ad_spend_daily',
        'period': 'date_day', 'value': 'ad_spend_without_revenue', 'unit': 'money'}) -%}
    {%- for kpi_id, column, unit in [
        ('revenue', 'revenue', 'money'), ('revenue_trailing_30d', 'revenue_trailing_30d', 'money'),
        ('revenue_trailing_90d', 'revenue_trailing_90d', 'money'),
        ('revenue_trailing_365d', 'revenue_trailing_365d', 'money'), ('aov', 'aov', 'money'),
        ('new_customers', 'new_customers', 'count'),
    ] -%}
        {%- do sources.append({'kpi_id': kpi_id, 'grain': 'day', 'model': 'revenue_daily',
            'period': 'date_day', 'value': column, 'unit': unit}) -%}
    {%- endfor -%}
    {%- for kpi_id, column, unit in [('revenue', 'revenue', 'money'), ('new_customers', 'new_customers', 'count')] -%}
        {%- do sources.append({'kpi_id': kpi_id, 'grain': 'month', 'model': 'revenue_monthly',
            'period': 'month_start_date', 'value': column, 'unit': unit}) -%}
    {%- endfor -%}
    {%- for kpi_id, column, unit in [
        ('sessions', 'sessions', 'count'), ('conversion_rate', 'conversion_rate', 'ratio'),
        ('add_to_cart_rate', 'add_to_cart_rate', 'ratio'), ('cart_abandonment_rate', 'cart_abandonment_rate', 'ratio'),
    ] -%}
        {%- do sources.append({'kpi_id': kpi_id, 'grain': 'day', 'model': 'conversion_funnel_daily',
            'period': 'date_day', 'value': column, 'unit': unit}) -%}
    {%- endfor -%}
    {%- for kpi_id, column, unit in [
        ('ad_spend', 'ad_spend', 'money'), ('roas', 'roas', 'ratio'), ('cpc', 'cpc', 'money'), ('cpa', 'cpa', 'money'),
    ] -%}
        {%- do sources.append({'kpi_id': kpi_id, 'grain': 'day', 'model': 'ad_spend_daily',
            'period': 'date_day', 'value': column, 'unit': unit}) -%}
    {%- endfor -%}
    {%- for kpi_id, column, unit in [('gross_margin', 'gross_margin', 'money'),
                                     ('gross_margin_rate', 'gross_margin_rate', 'ratio')] -%}
        {%- do sources.append({'kpi_id': kpi_id, 'grain': 'day', 'model': 'gross_margin_daily',
            'period': 'date_day', 'value': column, 'unit': unit}) -%}
    {%- endfor -%}
    {%- for kpi_id, column, unit in [
        ('gross_margin', 'gross_margin', 'money'), ('gross_margin_rate', 'gross_margin_rate', 'ratio'),
        ('operating_expenses', 'operating_expenses', 'money'), ('runway_months', 'runway_months', 'months'),
    ] -%}
        {%- do sources.append({'kpi_id': kpi_id, 'grain': 'month', 'model': 'financial_health_monthly',
            'period': 'month_start_date', 'value': column, 'unit': unit}) -%}
    {%- endfor -%}

    {%- endif -%}

    {#- bookings -#}
    {%- if kpi_layer.using_families(['tutoring']) -%}
    {%- for kpi_id, column, unit in [
        ('weekly_active_learners', 'weekly_active_learners', 'count'),
        ('weekly_active_tutors', 'weekly_active_tutors', 'count'),
        ('booking_conversion_rate', 'booking_conversion_rate', 'ratio'),
        ('session_completion_rate', 'session_completion_rate', 'ratio'), ('bookings_gmv', 'bookings_gmv', 'money'),
    ] -%}
        {%- do sources.append({'kpi_id': kpi_id, 'grain': 'week', 'model': 'bookings_weekly',
            'period': 'week_start_date', 'value': column, 'unit': unit}) -%}
    {%- endfor -%}
    {%- for kpi_id, column, unit in [
        ('booking_conversion_rate', 'booking_conversion_rate', 'ratio'),
        ('session_completion_rate', 'session_completion_rate', 'ratio'), ('bookings_gmv', 'bookings_gmv', 'money'),
        ('bookings_net_revenue', 'bookings_net_revenue', 'money'),
        ('average_session_value', 'average_session_value', 'money'),
    ] -%}
        {%- do sources.append({'kpi_id': kpi_id, 'grain': 'month', 'model': 'bookings_monthly',
            'period': 'month_start_date', 'value': column, 'unit': unit}) -%}
    {%- endfor -%}
    {%- for kpi_id in ['student_retention_30d', 'tutor_retention_30d'] -%}
        {%- do sources.append({'kpi_id': kpi_id, 'grain': 'month', 'model': 'retention_30d_monthly',
            'period': 'month_start_date', 'value': kpi_id, 'unit': 'ratio'}) -%}
    {%- endfor -%}
    {%- for kpi_id, unit in [
        ('tutor_approval_rate', 'ratio'), ('package_purchase_rate', 'ratio'), ('messages_per_booking', 'ratio'),
        ('review_rate', 'ratio'), ('average_rating', 'score'),
    ] -%}
        {%- do sources.append({'kpi_id': kpi_id, 'grain': 'month', 'model': 'bookings_engagement_monthly',
            'period': 'month_start_date', 'value': kpi_id, 'unit': unit}) -%}
    {%- endfor -%}

    {%- endif -%}

    {#- marketplace -#}
    {%- if kpi_layer.using_families(['marketplace']) -%}
    {#- the money KPIs: GMV and payouts need Stripe's fees, refunds and rates -#}
    {%- if kpi_layer.using_families(['stripe']) -%}
    {%- for grain, model, period in [('day', 'gmv_daily', 'date_day'), ('week', 'gmv_weekly', 'week_start_date'),
                                     ('month', 'gmv_monthly', 'month_start_date')] -%}
        {%- for kpi_id, column in [('gmv', 'gmv_usd'), ('platform_revenue', 'platform_revenue_usd'),
                                   ('owner_payouts', 'owner_payouts_usd')] -%}
            {%- do sources.append({'kpi_id': kpi_id, 'grain': grain, 'model': model, 'period': period,
                'value': column, 'unit': 'money'}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- endif -%}
    {%- for kpi_id in ['active_listings', 'verified_domains'] -%}
        {%- do sources.append({'kpi_id': kpi_id, 'grain': 'day', 'model': 'active_supply_daily',
            'period': 'date_day', 'value': kpi_id, 'unit': 'count'}) -%}
    {%- endfor -%}
    {%- for grain, period, suffix in [('week', 'week_start_date', 'weekly'), ('month', 'month_start_date', 'monthly')] -%}
        {%- for kpi_id in ['dns_verification_minutes_p50', 'dns_verification_minutes_p95'] -%}
            {%- do sources.append({'kpi_id': kpi_id, 'grain': grain, 'model': 'dns_verification_' ~ suffix,
                'period': period, 'value': kpi_id, 'unit': 'minutes'}) -%}
        {%- endfor -%}
        {%- for kpi_id in ['listing_views_to_inquiry', 'listing_views_to_checkout'] -%}
            {%- do sources.append({'kpi_id': kpi_id, 'grain': grain, 'model': 'listing_funnel_' ~ suffix,
                'period': period, 'value': kpi_id, 'unit': 'ratio'}) -%}
        {%- endfor -%}
        {%- for kpi_id, column, unit in [('disputes_opened', 'disputes_opened', 'count'),
                                         ('disputes_closed', 'disputes_closed', 'count'),
                                         ('credits_issued', 'credits_issued_usd', 'money')] -%}
            {%- do sources.append({'kpi_id': kpi_id, 'grain': grain, 'model': 'disputes_and_credits_' ~ suffix,
                'period': period, 'value': column, 'unit': unit}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for kpi_id in ['owner_activation_rate', 'hirer_activation_rate'] -%}
        {%- do sources.append({'kpi_id': kpi_id, 'grain': 'cohort_month', 'model': 'activation_cohorts_monthly',
            'period': 'cohort_month_start_date', 'value': kpi_id, 'unit': 'ratio'}) -%}
    {%- endfor -%}
    {#- owner earnings net Stripe's fees and refunds -#}
    {%- if kpi_layer.using_families(['stripe']) -%}
    {%- for kpi_id, column in [('owner_earnings', 'owner_earnings_usd'),
                               ('owner_earnings_period', 'period_earnings_usd'),
                               ('owner_earnings_usage', 'usage_earnings_usd')] -%}
        {%- do sources.append({'kpi_id': kpi_id, 'grain': 'month', 'model': 'owner_earnings_monthly',
            'period': 'month_start_date', 'value': 'sum(' ~ column ~ ')', 'group_by': true, 'unit': 'money'}) -%}
    {%- endfor -%}
    {%- endif -%}

    {#- marketplace clicks and redirect health -#}
    {%- for grain, period, suffix in [('day', 'date_day', 'daily'), ('week', 'week_start_date', 'weekly'),
                                      ('month', 'month_start_date', 'monthly')] -%}
        {%- for kpi_id, unit in [('valid_clicks', 'count'), ('invalid_clicks', 'count'), ('ivt_rate', 'ratio')] -%}
            {%- do sources.append({'kpi_id': kpi_id, 'grain': grain, 'model': 'click_quality_' ~ suffix,
                'period': period, 'value': kpi_id, 'unit': unit}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- do sources.append({'kpi_id': 'redirect_error_rate', 'grain': 'day', 'model': 'redirect_errors_daily',
        'period': 'date_day', 'value': 'redirect_error_rate', 'unit': 'ratio'}) -%}
    {%- do sources.append({'kpi_id': 'certificate_issuance_failures', 'grain': 'day',
        'model': 'certificate_issuance_failures_daily', 'period': 'date_day',
        'value': 'certificate_issuance_failures', 'unit': 'count'}) -%}
    {%- do sources.append({'kpi_id': 'hirer_ctr', 'grain': 'day', 'model': 'hirer_ctr_by_route_daily',
        'period': 'date_day', 'group_by': true, 'unit': 'ratio',
        'value': kpi_layer.safe_divide('sum(valid_clicks)', 'sum(impressions)')}) -%}
    {%- do sources.append({'kpi_id': 'hirer_ctr', 'grain': 'month', 'model': 'hirer_route_performance_monthly',
        'period': 'month_start_date', 'group_by': true, 'unit': 'ratio',
        'value': kpi_layer.safe_divide('sum(valid_clicks)', 'sum(impressions)')}) -%}
    {%- do sources.append({'kpi_id': 'hirer_cost_per_click', 'grain': 'month',
        'model': 'hirer_route_performance_monthly', 'period': 'month_start_date', 'group_by': true, 'unit': 'money',
        'value': kpi_layer.safe_divide('sum(usage_charges_usd)', 'sum(valid_clicks)')}) -%}

    {%- endif -%}

    {{ return(sources) }}
{% endmacro %}
