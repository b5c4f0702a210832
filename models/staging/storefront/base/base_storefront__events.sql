{#- a large stream: each run stages only new and re-delivered rows (macros/staging/incremental_batch.sql) -#}
{{ config(**kpi_layer.stream_config()) }}

with source as (

    {{ kpi_layer.typed_source(
        'storefront', 'events',
        parse_as={'occurred_at': 'timestamp'},
        incremental_key='event_id',
    ) }}

),

parsed as (

    select
        source.*,
        {{ kpi_layer.is_valid_json('properties') }} as is_valid_properties
    from source

),

renamed as (

    select
        event_id,
        user_id,
        session_id,
        lower(event_type) as event_type,
        occurred_at,
        case when is_valid_properties then properties end as properties,
        case
            when is_valid_properties then {{ kpi_layer.json_extract_text('properties', 'device') }}
        end as device_type,
        case
            when is_valid_properties then {{ kpi_layer.json_extract_text('properties', 'referrer') }}
        end as referrer,
        case
            when is_valid_properties then {{ kpi_layer.json_extract_text('properties', 'path') }}
        end as page_path,
        case
            when is_valid_properties then {{ kpi_layer.json_extract_text('properties', 'product_id') }}
        end as product_id,
        case
            when is_valid_properties then {{ kpi_layer.json_extract_text('properties', 'endpoint') }}
        end as api_endpoint,
        case
            when is_valid_properties then {{ kpi_layer.json_extract_text('properties', 'method') }}
        end as http_method,
        case
            when is_valid_properties
                then {{ kpi_layer.try_cast(kpi_layer.json_extract_text('properties', 'status_code'), 'bigint') }}
        end as http_status_code,
        case
            when is_valid_properties
                then {{ kpi_layer.try_cast(kpi_layer.json_extract_text('properties', 'latency_ms'), 'bigint') }}
        end as latency_ms,
        properties as _dq_raw_properties,
        _loaded_at,
        _dq_contract_reason
    from parsed

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['event_id'],
        latest_by='_loaded_at',
        checks=[
            ('malformed_json', 'properties is null and _dq_raw_properties is not null'),
        ],
    ) }}

)

select * from flagged
