with source as (

    {{ kpi_layer.typed_source('product', 'integrations') }}

),

renamed as (

    select
        integration_id,
        user_id,
        connected_at,
        disconnected_at,
        _loaded_at,
        _dq_contract_reason,
        lower(provider) as integration_provider,
        lower(status) as integration_status,
        lower(status) = 'connected' as is_connected
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
