{#
    sessions, conversion_rate, add_to_cart_rate and cart_abandonment_rate per day (seed 001). sessions is the
    document's own definition, COUNT(DISTINCT user_id) of the day's web events: visitors, not visits, so an
    event without a user id is not counted there (web_sessions, distinct session ids, keeps it). API calls
    are not visits and are left out. The funnel's orders are web-shop orders (var
    storefront_web_order_sources, Shopify): Marketplace, API and Partnerships orders never pass through a web
    session or a cart, and counting them would inflate both rates. One row per day from the first tracked day
    (the event stream starts when web tracking went live) to the as-of date.
#}
{%- set web_sources = var('storefront_web_order_sources', ['Shopify']) -%}

with events as (

    select * from {{ ref('stg_storefront__events') }}

),

orders as (

    select * from {{ ref('int_storefront_orders_converted') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

web_events as (

    select
        cast({{ dbt.date_trunc('day', 'occurred_at') }} as date) as date_day,
        user_id,
        session_id,
        event_type
    from events
    where event_type <> 'api_call'

),

daily_events as (

    select
        date_day,
        count(distinct user_id) as sessions,
        count(distinct session_id) as web_sessions,
        sum(case when event_type = 'add_to_cart' then 1 else 0 end) as add_to_carts,
        sum(case when event_type = 'checkout_started' then 1 else 0 end) as checkouts_started
    from web_events
    group by date_day

),

daily_orders as (

    select
        created_date as date_day,
        count(*) as web_orders
    from orders
    where
        is_collected
        and order_source in ({% for source in web_sources %}'{{ source }}'{{ ', ' if not loop.last }}{% endfor %})
    group by created_date

),

days as (

    select calendar.date_day
    from calendar
    where
        calendar.date_day >= (select min(daily_events.date_day) from daily_events)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

filled as (

    select
        days.date_day,
        coalesce(daily_events.sessions, 0) as sessions,
        coalesce(daily_events.web_sessions, 0) as web_sessions,
        coalesce(daily_events.add_to_carts, 0) as add_to_carts,
        coalesce(daily_events.checkouts_started, 0) as checkouts_started,
        coalesce(daily_orders.web_orders, 0) as web_orders
    from days
    left join daily_events
        on days.date_day = daily_events.date_day
    left join daily_orders
        on days.date_day = daily_orders.date_day

),

final as (

    select
        date_day,
        sessions,
        web_sessions,
        add_to_carts,
        checkouts_started,
        web_orders,
        {{ kpi_layer.safe_divide('web_orders', 'sessions') }} as conversion_rate,
        {{ kpi_layer.safe_divide('add_to_carts', 'sessions') }} as add_to_cart_rate,
        {{ kpi_layer.safe_divide('add_to_carts - web_orders', 'add_to_carts') }} as cart_abandonment_rate
    from filled

)

select * from final
