{% set raw = source('marketplace', 'routes') %}

with source as (

    {{ kpi_layer.typed_source('marketplace', 'routes') }}

),

renamed as (

    select
        route_id,
        domain_id,
        {{ kpi_layer.source_column(raw, 'path', 'varchar') }} as route_path,
        created_at,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['route_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
