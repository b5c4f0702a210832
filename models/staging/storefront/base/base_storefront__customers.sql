{% set raw = source('storefront', 'customers') %}

with source as (

    {{ kpi_layer.typed_source('storefront', 'customers') }}

),

renamed as (

    select
        customer_id,
        {{ kpi_layer.hash_pii(kpi_layer.source_column(raw, 'email', 'varchar')) }} as email_hash,
        upper(trim(country)) as country_code,
        lower(acquisition_channel) as acquisition_channel,
        created_at,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['customer_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
