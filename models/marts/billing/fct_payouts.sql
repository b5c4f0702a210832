{#
    Every payout of the balance to the bank, with the balance transactions it settled (its own transaction,
    which also carries the payout id, is not one of them). The settled net equals the payout amount.
#}
with payouts as (

    select * from {{ ref('stg_stripe__payout') }}

),

balance_transactions as (

    select * from {{ ref('stg_stripe__balance_transaction') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

settled as (

    select
        balance_transactions.payout_id,
        count(*) as settled_transaction_count,
        sum(balance_transactions.amount) as settled_gross_amount,
        sum(balance_transactions.fee_amount) as settled_fee_amount,
        sum(balance_transactions.net_amount) as settled_net_amount
    from balance_transactions
    inner join payouts
        on balance_transactions.payout_id = payouts.payout_id
    where balance_transactions.balance_transaction_id <> payouts.balance_transaction_id
    group by balance_transactions.payout_id

),

final as (

    select
        payouts.payout_id,
        payouts.balance_transaction_id,
        payouts.destination_bank_account_id,
        payouts.payout_status,
        payouts.payout_type,
        payouts.payout_method,
        payouts.is_automatic,
        payouts.failure_code,
        payouts.currency,
        {{ kpi_layer.to_major_units('payouts.amount', 'payouts.currency') }} as amount,
        {{ kpi_layer.to_usd('payouts.amount', 'fx_rates.usd_per_unit', 'payouts.currency') }} as amount_usd,
        coalesce(settled.settled_transaction_count, 0) as settled_transaction_count,
        {{ kpi_layer.to_major_units(
            'coalesce(settled.settled_gross_amount, 0)', 'payouts.currency'
        ) }} as settled_gross_amount,
        {{ kpi_layer.to_major_units(
            'coalesce(settled.settled_fee_amount, 0)', 'payouts.currency'
        ) }} as settled_fee_amount,
        {{ kpi_layer.to_major_units(
            'coalesce(settled.settled_net_amount, 0)', 'payouts.currency'
        ) }} as settled_net_amount,
        {{ kpi_layer.to_usd('coalesce(settled.settled_net_amount, 0)', 'fx_rates.usd_per_unit', 'payouts.currency') }}
            as settled_net_amount_usd,
        payouts.created_at,
        cast(payouts.created_at as date) as created_date,
        payouts.arrival_date
    from payouts
    left join settled
        on payouts.payout_id = settled.payout_id
    left join fx_rates
        on
            payouts.currency = fx_rates.currency
            and cast({{ dbt.date_trunc('month', 'payouts.created_at') }} as date) = fx_rates.month_start_date

)

select * from final
