{#
    Every charge attempt with what became of it: the Stripe fee and net from its balance transaction, the
    refunds and the dispute against it, and the app it belongs to.
#}
with charges as (

    select * from {{ ref('stg_stripe__charge') }}

),

charges_attributed as (

    select * from {{ ref('int_charges_attributed') }}

),

balance_transactions as (

    select * from {{ ref('stg_stripe__balance_transaction') }}

),

refunds as (

    select * from {{ ref('int_refunds_converted') }}

),

disputes as (

    select * from {{ ref('int_disputes_converted') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

refunds_per_charge as (

    select
        charge_id,
        count(*) as refund_count,
        sum(amount) as refunded_amount,
        sum(amount_usd) as refunded_amount_usd,
        min(created_at) as first_refunded_at
    from refunds
    group by charge_id

),

-- Stripe allows one dispute per charge; the latest is kept should a sync ever hold more
disputes_ranked as (

    select
        *,
        row_number() over (partition by charge_id order by opened_at desc, dispute_id desc) as recency
    from disputes

),

final as (

    select
        charges.charge_id,
        charges.customer_id,
        charges.invoice_id,
        charges.payment_intent_id,
        charges.balance_transaction_id,
        charges.charge_status,
        charges.charge_status = 'succeeded' as is_successful,
        charges.failure_code,
        charges.outcome_type,
        charges.billing_country_code,
        charges_attributed.app_name,
        charges_attributed.app_object_type,
        charges_attributed.app_object_id,
        charges_attributed.attribution_source,
        charges.currency,
        {{ kpi_layer.to_major_units('charges.amount', 'charges.currency') }} as amount,
        {{ kpi_layer.to_usd('charges.amount', 'charge_fx.usd_per_unit', 'charges.currency') }} as amount_usd,
        {{ kpi_layer.to_usd(
            'balance_transactions.fee_amount', 'balance_fx.usd_per_unit', 'balance_transactions.currency'
        ) }} as fee_amount_usd,
        {{ kpi_layer.to_usd(
            'balance_transactions.net_amount', 'balance_fx.usd_per_unit', 'balance_transactions.currency'
        ) }} as net_amount_usd,
        coalesce(refunds_per_charge.refund_count, 0) as refund_count,
        {{ kpi_layer.as_amount('coalesce(refunds_per_charge.refunded_amount, 0)') }} as refunded_amount,
        {{ kpi_layer.as_amount('coalesce(refunds_per_charge.refunded_amount_usd, 0)') }} as refunded_amount_usd,
        refunds_per_charge.first_refunded_at,
        disputes_ranked.dispute_id is not null as is_disputed,
        disputes_ranked.dispute_id,
        disputes_ranked.amount as disputed_amount,
        disputes_ranked.amount_usd as disputed_amount_usd,
        disputes_ranked.dispute_status,
        disputes_ranked.opened_at as dispute_opened_at,
        charges.created_at,
        cast(charges.created_at as date) as created_date
    from charges
    left join charges_attributed
        on charges.charge_id = charges_attributed.charge_id
    left join balance_transactions
        on charges.balance_transaction_id = balance_transactions.balance_transaction_id
    left join refunds_per_charge
        on charges.charge_id = refunds_per_charge.charge_id
    left join disputes_ranked
        on
            charges.charge_id = disputes_ranked.charge_id
            and disputes_ranked.recency = 1
    left join fx_rates as charge_fx
        on
            charges.currency = charge_fx.currency
            and cast({{ dbt.date_trunc('month', 'charges.created_at') }} as date) = charge_fx.month_start_date
    left join fx_rates as balance_fx
        on
            balance_transactions.currency = balance_fx.currency
            and cast({{ dbt.date_trunc('month', 'balance_transactions.created_at') }} as date)
            = balance_fx.month_start_date

)

select * from final
