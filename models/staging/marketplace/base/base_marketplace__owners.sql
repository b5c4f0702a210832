{% set raw = source('marketplace', 'owners') %}

with source as (

    {{ kpi_layer.typed_source('marketplace', 'owners') }}

),

renamed as (

    select
        owner_id,
        {{ kpi_layer.hash_pii(kpi_layer.source_column(raw, 'email', 'varchar')) }} as email_hash,
        upper({{ kpi_layer.source_column(raw, 'country', 'varchar') }}) as country_code,
        stripe_account_id,
        created_at,
        stripe_connected_at,
        stripe_connected_at is not null as is_stripe_connected,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['owner_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
