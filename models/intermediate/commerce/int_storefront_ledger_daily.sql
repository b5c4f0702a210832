{#
    One row per finance-ledger day (metrics_daily) in USD major units, with the revenue the ledger implies.
    The ledger carries no revenue column, but its cash balance moves by revenue - COGS - opex each day, so
    revenue = cash change + COGS + opex. That is the only figure of metrics_daily the order-based marts can be
    reconciled with; it is derivable only when the previous calendar day is in the ledger too (the first day
    has no opening balance, and a day missing from the ledger would fold two days into one change).
#}
with ledger as (

    select * from {{ ref('stg_storefront__metrics_daily') }}

),

with_previous as (

    select
        metric_date,
        cogs_amount,
        opex_amount,
        cash_balance_amount,
        lag(metric_date) over (order by metric_date) as previous_metric_date,
        lag(cash_balance_amount) over (order by metric_date) as previous_cash_balance_amount
    from ledger

),

final as (

    select
        metric_date,
        {{ kpi_layer.to_major_units('cogs_amount') }} as cogs_usd,
        {{ kpi_layer.to_major_units('opex_amount') }} as opex_usd,
        {{ kpi_layer.to_major_units('cash_balance_amount') }} as cash_balance_usd,
        -- the conversion wraps the case: PostgreSQL would drop the scale of a numeric(28,6) case branch
        {{ kpi_layer.to_major_units(
            "case
                when previous_metric_date = cast(" ~ dbt.dateadd('day', -1, 'metric_date') ~ " as date)
                    then cash_balance_amount - previous_cash_balance_amount + cogs_amount + opex_amount
            end"
        ) }} as implied_revenue_usd
    from with_previous

)

select * from final
