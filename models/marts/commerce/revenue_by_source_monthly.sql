{# revenue_by_source per calendar month and source: the daily figures summed, the share divided again. #}
with revenue_by_source_daily as (

    select * from {{ ref('revenue_by_source_daily') }}

),

monthly as (

    select
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        order_source,
        sum(orders) as orders,
        sum(revenue) as revenue,
        sum(net_revenue) as net_revenue
    from revenue_by_source_daily
    group by 1, 2

),

final as (

    select
        month_start_date,
        order_source,
        orders,
        {{ kpi_layer.as_amount('revenue') }} as revenue,
        {{ kpi_layer.as_amount('net_revenue') }} as net_revenue,
        {{ kpi_layer.safe_divide('revenue', 'sum(revenue) over (partition by month_start_date)') }}
            as revenue_share
    from monthly

)

select * from final
