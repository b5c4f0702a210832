{% set raw = source('marketplace', 'domains') %}

with source as (

    {{ kpi_layer.typed_source('marketplace', 'domains') }}

),

renamed as (

    select
        cast(domain_id as {{ dbt.type_string() }}) as domain_id,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        lower({{ kpi_layer.source_column(raw, 'hostname', 'varchar') }}) as hostname,
        lower(verification_status) as verification_status,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(verified_at as {{ dbt.type_timestamp() }}) as verified_at,
        lower(verification_status) = 'verified' as is_verified,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['domain_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
