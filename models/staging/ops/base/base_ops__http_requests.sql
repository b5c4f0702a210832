with source as (

    select * from {{ kpi_layer.source_relation('ops', 'http_requests') }}

),

renamed as (

    select
        cast(request_id as {{ dbt.type_string() }}) as request_id,
        lower(service) as service_name,
        upper(method) as http_method,
        route,
        cast(status_code as {{ dbt.type_bigint() }}) as status_code,
        status_code >= 500 as is_server_error,
        cast(latency_ms as {{ kpi_layer.type_double() }}) as latency_ms,
        {{ kpi_layer.to_utc_timestamp('requested_at') }} as requested_at,
        {{ kpi_layer.hash_pii('ip_address') }} as ip_hash,
        user_agent,
        requested_at as _dq_raw_requested_at,
        _loaded_at
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['request_id'],
        latest_by='_loaded_at',
        checks=[
            ('malformed_value', 'requested_at is null and _dq_raw_requested_at is not null'),
        ],
    ) }}

)

select * from flagged
