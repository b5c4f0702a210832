{#
    One row per refund that moved (or is moving) money back to the customer, in major units and in USD at the
    rate of the month the refund happened: a refund is reported in its own month, not its charge's.
#}
with refunds as (

    select * from {{ ref('stg_stripe__refund') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

final as (

    select
        refunds.refund_id,
        refunds.charge_id,
        refunds.balance_transaction_id,
        refunds.refund_status,
        refunds.refund_reason,
        refunds.currency,
        {{ kpi_layer.to_major_units('refunds.amount', 'refunds.currency') }} as amount,
        {{ kpi_layer.to_usd('refunds.amount', 'fx_rates.usd_per_unit', 'refunds.currency') }} as amount_usd,
        refunds.created_at,
        cast({{ dbt.date_trunc('month', 'refunds.created_at') }} as date) as month_start_date
    from refunds
    left join fx_rates
        on
            refunds.currency = fx_rates.currency
            and cast({{ dbt.date_trunc('month', 'refunds.created_at') }} as date) = fx_rates.month_start_date
    -- failed and canceled refunds gave nothing back
    where refunds.refund_status not in ('failed', 'canceled')

)

select * from final
