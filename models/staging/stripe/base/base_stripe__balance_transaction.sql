{#- a large stream: each run stages only new and re-delivered rows (macros/staging/incremental_batch.sql) -#}
{{ config(**kpi_layer.stream_config()) }}

{% set raw = source('stripe', 'balance_transaction') %}

{#-
    balance_transaction has no livemode: a transaction whose source object (charge, refund, dispute, transfer,
    payout) is test mode is test mode too; it moved no real money.
-#}
with source as (

    {{ kpi_layer.typed_source(
        'stripe', 'balance_transaction',
        incremental_key='id',
        parents=[
            ('source', ref('base_stripe__charge'), 'charge_id'),
            ('source', ref('base_stripe__refund'), 'refund_id'),
            ('source', ref('base_stripe__dispute'), 'dispute_id'),
            ('source', ref('base_stripe__transfer'), 'transfer_id'),
            ('source', ref('base_stripe__payout'), 'payout_id'),
        ],
    ) }}

),

renamed as (

    select
        id as balance_transaction_id,
        lower(type) as balance_transaction_type,
        lower(reporting_category) as reporting_category,
        lower(status) as balance_transaction_status,
        source as source_id,
        {{ kpi_layer.source_column(raw, 'payout_id', 'varchar') }} as payout_id,
        {{ kpi_layer.source_column(raw, 'connected_account_id', 'varchar') }} as connected_account_id,
        amount,
        fee as fee_amount,
        net as net_amount,
        lower(currency) as currency,
        cast({{ kpi_layer.source_column(raw, 'exchange_rate', 'numeric(18,6)') }} as numeric(18, 6)) as exchange_rate,
        description,
        created as created_at,
        available_on as available_at,
        _fivetran_synced,
        _dq_contract_reason
    from source

),

judged as (

    {{ kpi_layer.inherit_test_mode('renamed', 'source_id', [
        ('base_stripe__charge', 'charge_id'),
        ('base_stripe__refund', 'refund_id'),
        ('base_stripe__dispute', 'dispute_id'),
        ('base_stripe__transfer', 'transfer_id'),
        ('base_stripe__payout', 'payout_id'),
    ]) }}

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'judged',
        key_columns=['balance_transaction_id'],
        latest_by='_fivetran_synced',
        checks=[
            ('test_mode', '_dq_has_test_mode_parent'),
        ],
    ) }}

)

select * from flagged
