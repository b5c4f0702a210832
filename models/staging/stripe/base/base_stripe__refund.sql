{#- refund has no livemode (the connector does not land one): a refund of a test-mode charge is test mode. -#}

with source as (

    select * from {{ kpi_layer.source_relation('stripe', 'refund') }}

),

test_charges as (

    select distinct charge_id
    from {{ ref('base_stripe__charge') }}
    where _dq_reason = 'test_mode'

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

judged as (

    select
        renamed.*,
        test_charges.charge_id is not null as _dq_is_test_charge
    from renamed
    left join test_charges
        on renamed.charge_id = test_charges.charge_id

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'judged',
        key_columns=['refund_id'],
        latest_by='_fivetran_synced',
        checks=[
            ('test_mode', '_dq_is_test_charge'),
        ],
    ) }}

)

select * from flagged
