{% set raw = source('marketplace', 'domains') %}

with source as (

    {{ kpi_layer.typed_source('marketplace', 'domains') }}

),

renamed as (

    select
        domain_id,
        owner_id,
        lower({{ kpi_layer.source_column(raw, 'hostname', 'varchar') }}) as hostname,
        lower(verification_status) as verification_status,
        created_at,
        verified_at,
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
