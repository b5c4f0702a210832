{% set raw = source('marketplace', 'hirers') %}

with source as (

    {{ kpi_layer.typed_source('marketplace', 'hirers') }}

),

renamed as (

    select
        hirer_id,
        {{ kpi_layer.hash_pii(kpi_layer.source_column(raw, 'email', 'varchar')) }} as email_hash,
        {{ kpi_layer.source_column(raw, 'company_name', 'varchar') }} as company_name,
        upper({{ kpi_layer.source_column(raw, 'country', 'varchar') }}) as country_code,
        created_at,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['hirer_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
