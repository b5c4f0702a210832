with source as (

    {{ kpi_layer.typed_source('ops', 'web_vitals') }}

),

renamed as (

    select
        beacon_id,
        page,
        lower(metric_name) as metric_name,
        cast(value_ms as {{ kpi_layer.type_double() }}) as value_ms,
        lower(device) as device_type,
        recorded_at,
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
