{#
    revenue, aov and new_customers per calendar month: the daily figures summed, AOV divided again over the
    month (never an average of daily AOVs).
#}
with revenue_daily as (

    select * from {{ ref('revenue_daily') }}

),

monthly as (

    select
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        sum(orders) as orders,
        sum(revenue) as revenue,
        sum(refunded_revenue) as refunded_revenue,
        sum(new_customers) as new_customers
    from revenue_daily
    group by 1

),

final as (

    select
        month_start_date,
        orders,
        {{ kpi_layer.as_amount('revenue') }} as revenue,
        {{ kpi_layer.as_amount('refunded_revenue') }} as refunded_revenue,
        {{ kpi_layer.as_amount('revenue - refunded_revenue') }} as net_revenue,
        {{ kpi_layer.safe_divide('revenue', 'orders') }} as aov,
        new_customers
    from monthly

)

select * from final
