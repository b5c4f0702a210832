{#
    What moved each balance transaction and the app it belongs to. A transaction's source is a charge, a
    refund or a dispute (attributed through their charge), a transfer (its own metadata) or a payout (no app).
#}
with balance_transactions as (

    select * from {{ ref('stg_stripe__balance_transaction') }}

),

charges_attributed as (

    select * from {{ ref('int_charges_attributed') }}

),

refunds as (

    select * from {{ ref('stg_stripe__refund') }}

),

disputes as (

    select * from {{ ref('stg_stripe__dispute') }}

),

transfers as (

    select * from {{ ref('stg_stripe__transfer') }}

),

payouts as (

    select * from {{ ref('stg_stripe__payout') }}

),

sourced as (

    select
        balance_transactions.balance_transaction_id,
        transfers.transfer_id,
        transfers.app_name as transfer_app_name,
        transfers.app_object_type as transfer_app_object_type,
        transfers.app_object_id as transfer_app_object_id,
        case
            when charges_attributed.charge_id is not null then 'charge'
            when refunds.refund_id is not null then 'refund'
            when disputes.dispute_id is not null then 'dispute'
            when transfers.transfer_id is not null then 'transfer'
            when payouts.payout_id is not null then 'payout'
        end as source_object_type,
        coalesce(
            charges_attributed.charge_id, refunds.charge_id, disputes.charge_id, transfers.charge_id
        ) as charge_id
    from balance_transactions
    left join charges_attributed
        on balance_transactions.source_id = charges_attributed.charge_id
    left join refunds
        on balance_transactions.source_id = refunds.refund_id
    left join disputes
        on balance_transactions.source_id = disputes.dispute_id
    left join transfers
        on balance_transactions.source_id = transfers.transfer_id
    left join payouts
        on balance_transactions.source_id = payouts.payout_id

),

final as (

    select
        sourced.balance_transaction_id,
        sourced.source_object_type,
        sourced.charge_id,
        sourced.transfer_id,
        charges_attributed.invoice_id,
        case
            when sourced.source_object_type = 'transfer' then sourced.transfer_app_name
            else charges_attributed.app_name
        end as app_name,
        case
            when sourced.source_object_type = 'transfer' then sourced.transfer_app_object_type
            else charges_attributed.app_object_type
        end as app_object_type,
        case
            when sourced.source_object_type = 'transfer' then sourced.transfer_app_object_id
            else charges_attributed.app_object_id
        end as app_object_id
    from sourced
    left join charges_attributed
        on
            sourced.charge_id = charges_attributed.charge_id
            and sourced.source_object_type in ('charge', 'refund', 'dispute')

)

select * from final
