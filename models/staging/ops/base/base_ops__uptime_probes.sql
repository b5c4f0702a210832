{#- a large stream: each run stages only new and re-delivered rows (macros/staging/incremental_batch.sql) -#}
{{ config(**kpi_layer.stream_config()) }}

with source as (

    {{ kpi_layer.typed_source('ops', 'uptime_probes', incremental_key='probe_id') }}

),

renamed as (

    select
        probe_id,
        lower(service) as service_name,
        lower(region) as region,
        probed_at,
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
