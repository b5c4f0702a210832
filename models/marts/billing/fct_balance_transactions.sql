{#
    The Stripe ledger: every movement of the balance, in major units of the balance currency and in USD,
    with what moved it and the app it belongs to.
#}
with balance_transactions as (

    select * from {{ ref('stg_stripe__balance_transaction') }}

),

attributed as (

    select * from {{ ref('int_balance_transactions_attributed') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

final as (

    select
        balance_transactions.balance_transaction_id,
        balance_transactions.balance_transaction_type,
        balance_transactions.reporting_category,
        balance_transactions.balance_transaction_status,
        balance_transactions.source_id,
        attributed.source_object_type,
        attributed.charge_id,
        attributed.invoice_id,
        attributed.transfer_id,
        balance_transactions.payout_id,
        attributed.app_name,
        attributed.app_object_type,
        attributed.app_object_id,
        balance_transactions.currency,
        {{ kpi_layer.to_major_units('balance_transactions.amount', 'balance_transactions.currency') }} as amount,
        {{ kpi_layer.to_major_units(
            'balance_transactions.fee_amount', 'balance_transactions.currency'
        ) }} as fee_amount,
        {{ kpi_layer.to_major_units(
            'balance_transactions.net_amount', 'balance_transactions.currency'
        ) }} as net_amount,
        {{ kpi_layer.to_usd(
            'balance_transactions.amount', 'fx_rates.usd_per_unit', 'balance_transactions.currency'
        ) }} as amount_usd,
        {{ kpi_layer.to_usd(
            'balance_transactions.fee_amount', 'fx_rates.usd_per_unit', 'balance_transactions.currency'
        ) }} as fee_amount_usd,
        {{ kpi_layer.to_usd(
            'balance_transactions.net_amount', 'fx_rates.usd_per_unit', 'balance_transactions.currency'
        ) }} as net_amount_usd,
        balance_transactions.exchange_rate,
        balance_transactions.created_at,
        cast(balance_transactions.created_at as date) as created_date,
        balance_transactions.available_at,
        cast(balance_transactions.available_at as date) as available_date
    from balance_transactions
    left join attributed
        on balance_transactions.balance_transaction_id = attributed.balance_transaction_id
    left join fx_rates
        on
            balance_transactions.currency = fx_rates.currency
            and cast({{ dbt.date_trunc('month', 'balance_transactions.created_at') }} as date)
            = fx_rates.month_start_date

)

select * from final
