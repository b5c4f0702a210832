{#- refund has no livemode (the connector does not land one): a refund of a test-mode charge is test mode. -#}

with source as (

    {{ kpi_layer.typed_source('stripe', 'refund') }}

),

renamed as (

    select
        id as refund_id,
        charge_id,
        payment_intent_id,
        balance_transaction_id,
        amount,
        created as created_at,
        _fivetran_synced,
        _dq_contract_reason,
        lower(currency) as currency,
        lower(status) as refund_status,
        lower(reason) as refund_reason,
        lower(failure_reason) as failure_reason
    from source

),

judged as (

    {{ kpi_layer.inherit_test_mode('renamed', 'charge_id', [('base_stripe__charge', 'charge_id')]) }}

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'judged',
        key_columns=['refund_id'],
        latest_by='_fivetran_synced',
        checks=[
            ('test_mode', '_dq_has_test_mode_parent'),
        ],
    ) }}

)

select * from flagged
