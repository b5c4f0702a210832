with source as (

    {{ kpi_layer.typed_source('ops', 'uptime_probes') }}

),

renamed as (

    select
        cast(probe_id as {{ dbt.type_string() }}) as probe_id,
        lower(service) as service_name,
        lower(region) as region,
        cast(probed_at as {{ dbt.type_timestamp() }}) as probed_at,
        is_success,
        cast(response_ms as {{ kpi_layer.type_double() }}) as response_ms,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['probe_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
