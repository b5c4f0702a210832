{#
    Every Connect transfer of an owner's or a tutor's share of a charge to their connected account, with
    any reversal. The payee is found through the connected account the apps store. The transferred amount
    converts to USD at the transfer's month, the reversed amount at the month of the first reversal.
#}
with transfers as (

    select * from {{ ref('stg_stripe__transfer') }}

),

balance_transactions as (

    select * from {{ ref('stg_stripe__balance_transaction') }}

),

owners as (

    select * from {{ ref('stg_marketplace__owners') }}

),

tutors as (

    select * from {{ ref('stg_tutoring__tutors') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

reversals as (

    select
        source_id as transfer_id,
        min(created_at) as first_reversed_at
    from balance_transactions
    where reporting_category = 'transfer_reversal'
    group by source_id

),

final as (

    select
        transfers.transfer_id,
        transfers.balance_transaction_id,
        transfers.charge_id,
        transfers.transfer_group,
        transfers.destination_account_id,
        case
            when owners.owner_id is not null then 'owner'
            when tutors.tutor_id is not null then 'tutor'
        end as payee_type,
        coalesce(owners.owner_id, tutors.tutor_id) as payee_id,
        transfers.app_name,
        transfers.app_object_type,
        transfers.app_object_id,
        transfers.currency,
        {{ kpi_layer.to_major_units('transfers.amount') }} as amount,
        {{ kpi_layer.to_major_units('coalesce(transfers.reversed_amount, 0)') }} as reversed_amount,
        {{ kpi_layer.to_major_units('transfers.amount - coalesce(transfers.reversed_amount, 0)') }}
            as net_transferred_amount,
        {{ kpi_layer.to_usd('transfers.amount', 'transfer_fx.usd_per_unit') }} as amount_usd,
        {{ kpi_layer.to_usd(
            'coalesce(transfers.reversed_amount, 0)',
            'coalesce(reversal_fx.usd_per_unit, transfer_fx.usd_per_unit)'
        ) }} as reversed_amount_usd,
        transfers.is_reversed,
        transfers.created_at,
        cast(transfers.created_at as date) as created_date,
        reversals.first_reversed_at
    from transfers
    left join reversals
        on transfers.transfer_id = reversals.transfer_id
    left join owners
        on transfers.destination_account_id = owners.stripe_account_id
    left join tutors
        on transfers.destination_account_id = tutors.stripe_account_id
    left join fx_rates as transfer_fx
        on
            transfers.currency = transfer_fx.currency
            and cast({{ dbt.date_trunc('month', 'transfers.created_at') }} as date) = transfer_fx.month_start_date
    left join fx_rates as reversal_fx
        on
            transfers.currency = reversal_fx.currency
            and cast({{ dbt.date_trunc('month', 'reversals.first_reversed_at') }} as date)
            = reversal_fx.month_start_date

)

select * from final
