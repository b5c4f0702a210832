with source as (

    {{ kpi_layer.typed_source('ops', 'incidents') }}

),

renamed as (

    select
        cast(incident_id as {{ dbt.type_string() }}) as incident_id,
        lower(service) as service_name,
        lower(severity) as severity,
        lower(status) as incident_status,
        cast(started_at as {{ dbt.type_timestamp() }}) as started_at,
        cast(acknowledged_at as {{ dbt.type_timestamp() }}) as acknowledged_at,
        cast(resolved_at as {{ dbt.type_timestamp() }}) as resolved_at,
        lower(status) = 'resolved' as is_resolved,
        cast(deployment_id as {{ dbt.type_string() }}) as deployment_id,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['incident_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
