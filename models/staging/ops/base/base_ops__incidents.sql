with source as (

    {{ kpi_layer.typed_source('ops', 'incidents') }}

),

renamed as (

    select
        incident_id,
        started_at,
        acknowledged_at,
        resolved_at,
        deployment_id,
        _loaded_at,
        _dq_contract_reason,
        lower(service) as service_name,
        lower(severity) as severity,
        lower(status) as incident_status,
        lower(status) = 'resolved' as is_resolved
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
