{{ config(enabled=kpi_layer.using_families(['marketplace', 'stripe'])) }}

{#
    Seed 000's monthly variance report: per month and hirer, what the marketplace app says it collected
    against what Stripe collected (succeeded charges), from the nightly reconciliation. variance = Stripe -
    app; variance_pct = 100 x variance / app (null when the app recorded nothing). Compile with
    `dbt compile --select marketplace_monthly_variance_report` and run the SQL in target/compiled/.
#}
with reconciliation_daily as (

    select * from {{ ref('marketplace_billing_reconciliation_daily') }}

),

monthly as (

    select
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        hirer_id,
        sum(internal_attempt_count) as internal_attempt_count,
        sum(stripe_attempt_count) as stripe_attempt_count,
        sum(internal_succeeded_amount_usd) as internal_amount_usd,
        sum(stripe_succeeded_amount_usd) as stripe_amount_usd,
        0 - sum(difference_amount_usd) as variance_usd,
        sum(case when reconciliation_status <> 'matched' then 1 else 0 end) as unreconciled_day_count
    from reconciliation_daily
    group by 1, 2

),

final as (

    select
        month_start_date,
        hirer_id,
        internal_attempt_count,
        stripe_attempt_count,
        internal_amount_usd,
        stripe_amount_usd,
        variance_usd,
        {{ kpi_layer.safe_divide('100 * variance_usd', 'internal_amount_usd') }} as variance_pct,
        unreconciled_day_count
    from monthly

)

select * from final
order by 1, 2
