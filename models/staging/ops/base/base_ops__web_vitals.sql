with source as (

    {{ kpi_layer.typed_source('ops', 'web_vitals') }}

),

renamed as (

    select
        cast(beacon_id as {{ dbt.type_string() }}) as beacon_id,
        page,
        lower(metric_name) as metric_name,
        cast(value_ms as {{ kpi_layer.type_double() }}) as value_ms,
        lower(device) as device_type,
        cast(recorded_at as {{ dbt.type_timestamp() }}) as recorded_at,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['beacon_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
