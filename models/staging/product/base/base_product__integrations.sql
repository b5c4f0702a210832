with source as (

    {{ kpi_layer.typed_source('product', 'integrations') }}

),

renamed as (

    select
        cast(integration_id as {{ dbt.type_string() }}) as integration_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        lower(provider) as integration_provider,
        lower(status) as integration_status,
        lower(status) = 'connected' as is_connected,
        cast(connected_at as {{ dbt.type_timestamp() }}) as connected_at,
        cast(disconnected_at as {{ dbt.type_timestamp() }}) as disconnected_at,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['integration_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
