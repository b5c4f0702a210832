with source as (

    {{ kpi_layer.typed_source('stripe', 'transfer') }}

),

renamed as (

    select
        id as transfer_id,
        balance_transaction_id,
        source_transaction as charge_id,
        destination as destination_account_id,
        destination_payment_id,
        transfer_group,
        amount,
        amount_reversed as reversed_amount,
        lower(currency) as currency,
        reversed as is_reversed,
        lower(source_type) as source_type,
        description,
        {{ kpi_layer.json_field('metadata', 'app') }} as app_name,
        {{ kpi_layer.json_field('metadata', 'object_type') }} as app_object_type,
        {{ kpi_layer.json_field('metadata', 'object_id') }} as app_object_id,
        livemode as is_livemode,
        created as created_at,
        _fivetran_synced,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['transfer_id'],
        latest_by='_fivetran_synced',
        checks=[
            ('test_mode', 'is_livemode = false'),
        ],
    ) }}

)

select * from flagged
