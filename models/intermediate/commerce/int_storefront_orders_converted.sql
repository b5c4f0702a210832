{#
    One row per storefront order with its amounts in USD and the flags every commerce mart filters on, so
    revenue, AOV, new customers, ROAS and gross margin all count the same orders the same way.

    - Collected = not cancelled: a cancelled order is a failed payment, never revenue.
    - USD at the order month's rate of int_fx_rates_monthly (the rate billing uses for the same charges).
    - The refund stays on the order's own day: the orders table holds the latest state without a refund
      date (Stripe's refunds are billing's record), so net revenue restates the day the order was placed.
    - A customer's first collected order (earliest created_at, then order_id) makes a new customer.
#}
with orders as (

    select * from {{ ref('stg_storefront__orders') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

converted as (

    select
        orders.order_id,
        orders.customer_id,
        {{ kpi_layer.known_or_other('orders.order_source', 'stg_storefront__orders', 'order_source') }} as order_source,
        orders.order_status,
        orders.campaign_id,
        orders.is_ad_attributed,
        orders.currency,
        orders.created_at,
        cast({{ dbt.date_trunc('day', 'orders.created_at') }} as date) as created_date,
        orders.order_status <> 'cancelled' as is_collected,
        {{ kpi_layer.to_major_units('orders.total_amount', 'orders.currency') }} as total_amount,
        {{ kpi_layer.to_major_units('orders.refunded_amount', 'orders.currency') }} as refunded_amount,
        {{ kpi_layer.to_usd('orders.total_amount', 'fx_rates.usd_per_unit', 'orders.currency') }} as total_usd,
        {{ kpi_layer.to_usd('orders.refunded_amount', 'fx_rates.usd_per_unit', 'orders.currency') }} as refunded_usd
    from orders
    left join fx_rates
        on
            orders.currency = fx_rates.currency
            and cast({{ dbt.date_trunc('month', 'orders.created_at') }} as date) = fx_rates.month_start_date

),

ranked as (

    select
        *,
        case
            when is_collected
                then row_number() over (partition by customer_id, is_collected order by created_at, order_id)
        end as collected_order_number
    from converted

),

final as (

    select
        order_id,
        customer_id,
        order_source,
        order_status,
        campaign_id,
        is_ad_attributed,
        currency,
        created_at,
        created_date,
        is_collected,
        coalesce(collected_order_number = 1, false) as is_first_order,
        total_amount,
        refunded_amount,
        total_usd,
        refunded_usd,
        {{ kpi_layer.as_amount('total_usd - refunded_usd') }} as net_usd
    from ranked

)

select * from final
