{#- a large stream: each run stages only new and re-delivered rows (macros/staging/incremental_batch.sql) -#}
{{ config(**kpi_layer.stream_config()) }}

{% set raw = source('ops', 'http_requests') %}

with source as (

    {{ kpi_layer.typed_source(
        'ops', 'http_requests',
        parse_as={'requested_at': 'timestamp'},
        incremental_key='request_id',
    ) }}

),

renamed as (

    select
        request_id,
        lower(service) as service_name,
        upper(method) as http_method,
        route,
        status_code,
        status_code >= 500 as is_server_error,
        cast(latency_ms as {{ kpi_layer.type_double() }}) as latency_ms,
        requested_at,
        {{ kpi_layer.hash_pii(kpi_layer.source_column(raw, 'ip_address', 'varchar')) }} as ip_hash,
        {{ kpi_layer.source_column(raw, 'user_agent', 'varchar') }} as user_agent,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['request_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
