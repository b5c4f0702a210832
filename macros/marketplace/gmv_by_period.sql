{#
    The body of gmv_weekly and gmv_monthly: one definition, by period (grain 'week' or 'month', the
    period column `<grain>_start_date` of dim_dates). Each model states its own grain in its header.
#}
{% macro gmv_by_period(grain) %}
with gmv_days as (

    select * from {{ ref('gmv_daily') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

final as (

    select
        calendar.{{ grain }}_start_date,
        count(*) as day_count,
        sum(gmv_days.collected_charge_count) as collected_charge_count,
        {{ kpi_layer.as_amount('sum(gmv_days.period_gmv_usd)') }} as period_gmv_usd,
        {{ kpi_layer.as_amount('sum(gmv_days.usage_gmv_usd)') }} as usage_gmv_usd,
        {{ kpi_layer.as_amount('sum(gmv_days.gmv_usd)') }} as gmv_usd,
        {{ kpi_layer.as_amount('sum(gmv_days.platform_revenue_usd)') }} as platform_revenue_usd,
        {{ kpi_layer.as_amount('sum(gmv_days.processing_fees_usd)') }} as processing_fees_usd,
        {{ kpi_layer.as_amount('sum(gmv_days.owner_payouts_usd)') }} as owner_payouts_usd,
        {{ kpi_layer.as_amount('sum(gmv_days.refunded_usd)') }} as refunded_usd
    from gmv_days
    inner join calendar
        on gmv_days.date_day = calendar.date_day
    group by 1

)

select * from final
{% endmacro %}
