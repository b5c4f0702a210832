{#
    revenue, aov and new_customers per day, with revenue's 30/90/365-day trailing trends (seed 001). One
    row per day from the first order to the as-of date, so a day without orders is a zero, not a gap, and
    the trailing windows are windows of calendar days. A trailing sum is null until its window has a full
    history: a 365-day figure over three months of data would read as a collapse, not a trend.
#}
with orders as (

    select * from {{ ref('int_storefront_orders_converted') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

daily as (

    select
        created_date as date_day,
        count(*) as orders,
        sum(total_usd) as revenue,
        sum(refunded_usd) as refunded_revenue,
        sum(case when is_first_order then 1 else 0 end) as new_customers
    from orders
    where is_collected
    group by created_date

),

days as (

    select calendar.date_day
    from calendar
    where
        calendar.date_day >= (select min(orders.created_date) from orders)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

filled as (

    select
        days.date_day,
        coalesce(daily.orders, 0) as orders,
        {{ kpi_layer.as_amount('coalesce(daily.revenue, 0)') }} as revenue,
        {{ kpi_layer.as_amount('coalesce(daily.refunded_revenue, 0)') }} as refunded_revenue,
        coalesce(daily.new_customers, 0) as new_customers
    from days
    left join daily
        on days.date_day = daily.date_day

),

final as (

    select
        date_day,
        orders,
        revenue,
        refunded_revenue,
        {{ kpi_layer.as_amount('revenue - refunded_revenue') }} as net_revenue,
        {{ kpi_layer.safe_divide('revenue', 'orders') }} as aov,
        new_customers,
        -- typed outside the case: PostgreSQL drops the scale of a numeric(28,6) case branch
        {{ kpi_layer.as_amount(
            'case when count(*) over window_30d = 30 then sum(revenue) over window_30d end'
        ) }} as revenue_trailing_30d,
        {{ kpi_layer.as_amount(
            'case when count(*) over window_90d = 90 then sum(revenue) over window_90d end'
        ) }} as revenue_trailing_90d,
        {{ kpi_layer.as_amount(
            'case when count(*) over window_365d = 365 then sum(revenue) over window_365d end'
        ) }} as revenue_trailing_365d
    from filled
    window
        window_30d as (order by date_day rows between 29 preceding and current row),
        window_90d as (order by date_day rows between 89 preceding and current row),
        window_365d as (order by date_day rows between 364 preceding and current row)

)

select * from final
