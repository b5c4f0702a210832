{% set raw = source('product', 'workflows') %}

with source as (

    {{ kpi_layer.typed_source('product', 'workflows') }}

),

renamed as (

    select
        workflow_id,
        user_id,
        {{ kpi_layer.source_column(raw, 'name', 'varchar') }} as workflow_name,
        lower(status) as workflow_status,
        lower(status) = 'active' as is_active,
        created_at,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['workflow_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
