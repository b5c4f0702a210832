{% set raw = source('stripe', 'payout') %}

with source as (

    {{ kpi_layer.typed_source('stripe', 'payout') }}

),

renamed as (

    select
        id as payout_id,
        balance_transaction_id,
        destination_bank_account_id,
        {{ kpi_layer.source_column(raw, 'connected_account_id', 'varchar') }} as connected_account_id,
        amount,
        lower(currency) as currency,
        lower(status) as payout_status,
        lower(type) as payout_type,
        lower(method) as payout_method,
        lower(source_type) as source_type,
        automatic as is_automatic,
        lower(failure_code) as failure_code,
        failure_message,
        description,
        livemode as is_livemode,
        created as created_at,
        cast(arrival_date as date) as arrival_date,
        _fivetran_synced,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['payout_id'],
        latest_by='_fivetran_synced',
        checks=[
            ('test_mode', 'is_livemode = false'),
        ],
    ) }}

)

select * from flagged
