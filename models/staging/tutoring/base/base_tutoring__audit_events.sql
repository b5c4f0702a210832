{#- a large stream: each run stages only new and re-delivered rows (macros/staging/incremental_batch.sql) -#}
{{ config(**kpi_layer.stream_config()) }}

with source as (

    {{ kpi_layer.typed_source(
        'tutoring', 'audit_events',
        parse_as={'occurred_at': 'timestamp'},
        incremental_key='event_id',
    ) }}

),

parsed as (

    select
        event_id,
        lower(event_name) as event_name,
        actor_id,
        lower(actor_role) as actor_role,
        occurred_at,
        case when {{ kpi_layer.is_valid_json('properties') }} then properties end as properties,
        properties as _dq_raw_properties,
        _loaded_at,
        _dq_contract_reason
    from source

),

renamed as (

    select
        event_id,
        event_name,
        actor_id,
        actor_role,
        occurred_at,
        properties,
        {{ kpi_layer.json_extract_text('properties', 'booking_id') }} as booking_id,
        {{ kpi_layer.json_extract_text('properties', 'tutor_id') }} as tutor_id,
        {{ kpi_layer.json_extract_text('properties', 'package_purchase_id') }} as package_purchase_id,
        {{ kpi_layer.json_extract_text('properties', 'visitor_id') }} as visitor_id,
        _loaded_at > {{ dbt.dateadd('hour', 24, 'occurred_at') }} as is_late_arriving,
        _dq_raw_properties,
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
