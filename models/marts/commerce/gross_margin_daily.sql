{#
    gross_margin per day (seed 001: revenue - COGS from metrics_daily), as an amount and as a share of
    revenue. Revenue is revenue_daily's (collected orders, gross of later refunds, USD), the same revenue the
    ledger books COGS against; the ledger's own implied revenue sits beside it for the reconciliation test.
    A day missing from the ledger has no COGS, so no gross margin (null), rather than a margin of 100%.
#}
with revenue_daily as (

    select * from {{ ref('revenue_daily') }}

),

ledger as (

    select * from {{ ref('int_storefront_ledger_daily') }}

),

final as (

    select
        revenue_daily.date_day,
        revenue_daily.revenue,
        ledger.cogs_usd as cogs,
        {{ kpi_layer.as_amount('revenue_daily.revenue - ledger.cogs_usd') }} as gross_margin,
        {{ kpi_layer.safe_divide('revenue_daily.revenue - ledger.cogs_usd', 'revenue_daily.revenue') }}
            as gross_margin_rate,
        ledger.opex_usd as operating_expenses,
        ledger.cash_balance_usd as cash_balance,
        ledger.implied_revenue_usd as ledger_revenue
    from revenue_daily
    left join ledger
        on revenue_daily.date_day = ledger.metric_date

)

select * from final
