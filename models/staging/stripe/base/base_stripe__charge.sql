{#- a large stream: each run stages only new and re-delivered rows (macros/staging/incremental_batch.sql) -#}
{{ config(**kpi_layer.stream_config()) }}

{% set raw = source('stripe', 'charge') %}

with source as (

    {{ kpi_layer.typed_source('stripe', 'charge', incremental_key='id') }}

),

renamed as (

    select
        id as charge_id,
        customer_id,
        invoice_id,
        payment_intent_id,
        balance_transaction_id,
        {{ kpi_layer.source_column(raw, 'connected_account_id', 'varchar') }} as connected_account_id,
        amount,
        amount_refunded as refunded_amount,
        lower(currency) as currency,
        lower(status) as charge_status,
        paid as is_paid,
        captured as is_captured,
        refunded as is_refunded,
        lower(failure_code) as failure_code,
        failure_message,
        lower({{ kpi_layer.source_column(raw, 'outcome_type', 'varchar') }}) as outcome_type,
        description,
        {{ kpi_layer.hash_pii('receipt_email') }} as receipt_email_hash,
        upper({{ kpi_layer.source_column(raw, 'billing_detail_address_country', 'varchar') }}) as billing_country_code,
        {{ kpi_layer.source_column(raw, 'transfer_group', 'varchar') }} as transfer_group,
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
        key_columns=['charge_id'],
        latest_by='_fivetran_synced',
        checks=[
            ('test_mode', 'is_livemode = false'),
        ],
    ) }}

)

select * from flagged
