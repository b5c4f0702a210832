{#
    hirer_ctr and hirer_cost_per_click, one row per hirer, route and month: what the hirer dashboard shows per
    route. Cost per click is the month's usage charges (in USD, by the month the clicks were made) over the
    valid clicks the event stream recorded for the hirer on the route that month, so it is null for a month
    without valid clicks and zero for a flat-fee (period-only) hire.
#}
with daily as (

    select * from {{ ref('hirer_ctr_by_route_daily') }}

),

usage_charges as (

    select * from {{ ref('int_clicks_usage_charges_monthly') }}

),

monthly as (

    select
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        route_id,
        hirer_id,
        sum(valid_clicks) as valid_clicks,
        sum(impressions) as impressions
    from daily
    group by 1, 2, 3

),

final as (

    select
        coalesce(monthly.month_start_date, usage_charges.month_start_date) as month_start_date,
        coalesce(monthly.route_id, usage_charges.route_id) as route_id,
        coalesce(monthly.hirer_id, usage_charges.hirer_id) as hirer_id,
        coalesce(monthly.valid_clicks, 0) as valid_clicks,
        coalesce(monthly.impressions, 0) as impressions,
        {{ kpi_layer.safe_divide('monthly.valid_clicks', 'monthly.impressions') }} as hirer_ctr,
        {{ kpi_layer.as_amount('coalesce(usage_charges.usage_charges_usd, 0)') }} as usage_charges_usd,
        {{ kpi_layer.as_amount(
            kpi_layer.safe_divide('coalesce(usage_charges.usage_charges_usd, 0)', 'monthly.valid_clicks')
        ) }} as hirer_cost_per_click
    from monthly
    full outer join usage_charges
        on
            monthly.month_start_date = usage_charges.month_start_date
            and monthly.route_id = usage_charges.route_id
            and monthly.hirer_id is not distinct from usage_charges.hirer_id

)

select * from final
