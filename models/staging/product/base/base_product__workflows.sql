{% set raw = source('product', 'workflows') %}

with source as (

    {{ kpi_layer.typed_source('product', 'workflows') }}

),

renamed as (

    select
        cast(workflow_id as {{ dbt.type_string() }}) as workflow_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        {{ kpi_layer.source_column(raw, 'name', 'varchar') }} as workflow_name,
        lower(status) as workflow_status,
        lower(status) = 'active' as is_active,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
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
