with source as (

    select * from {{ source('stripe', 'refund') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as refund_id,
        charge_id,
        payment_intent_id,
        balance_transaction_id,
        cast(amount as {{ dbt.type_bigint() }}) as amount,
        lower(currency) as currency,
        lower(status) as refund_status,
        lower(reason) as refund_reason,
        lower(failure_reason) as failure_reason,
        cast(created as {{ dbt.type_timestamp() }}) as created_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as _fivetran_synced
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['refund_id'],
        latest_by='_fivetran_synced',
    ) }}

)

select * from flagged
