{#
    revenue_by_source per day: every day from the first order to the as-of date times every order source
    the app has used (Shopify, API, Marketplace, Partnerships), so a source without sales on a day is a zero
    and the sources of a day add up to revenue_daily.
#}
with orders as (

    select * from {{ ref('int_storefront_orders_converted') }}

),

revenue_daily as (

    select * from {{ ref('revenue_daily') }}

),

sources as (

    select distinct order_source from orders

),

daily as (

    select
        created_date as date_day,
        order_source,
        count(*) as orders,
        sum(total_usd) as revenue,
        sum(refunded_usd) as refunded_revenue
    from orders
    where is_collected
    group by created_date, order_source

),

final as (

    select
        revenue_daily.date_day,
        sources.order_source,
        coalesce(daily.orders, 0) as orders,
        {{ kpi_layer.as_amount('coalesce(daily.revenue, 0)') }} as revenue,
        {{ kpi_layer.as_amount('coalesce(daily.revenue, 0) - coalesce(daily.refunded_revenue, 0)') }}
            as net_revenue,
        {{ kpi_layer.safe_divide('coalesce(daily.revenue, 0)', 'revenue_daily.revenue') }} as revenue_share
    from revenue_daily
    cross join sources
    left join daily
        on
            revenue_daily.date_day = daily.date_day
            and sources.order_source = daily.order_source

)

select * from final
