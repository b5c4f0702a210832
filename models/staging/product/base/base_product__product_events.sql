{#
    Telemetry is consent-gated (seed 004): an event of a user whose telemetry_consent is not true (false, or
    never answered) is set aside as no_consent. This is the one join in staging: the row's validity depends on
    its parent. A no_consent row keeps only its key, reason and load time: its payload is dropped at the join.
#}
{#- a large stream: each run stages only new and re-delivered rows (macros/staging/incremental_batch.sql) -#}
{{ config(**kpi_layer.stream_config()) }}

with source as (

    {{ kpi_layer.typed_source(
        'product', 'product_events', parse_as={'timestamp': 'timestamp'},
        incremental_key='event_id',
        parents=[('user_id', ref('base_product__users'), 'user_id')],
    ) }}

),

users as (

    select
        user_id,
        has_telemetry_consent
    from {{ ref('stg_product__users') }}

),

joined as (

    -- no payload is kept for an event the user did not consent to: only its key and load time
    select
        source.event_id,
        source._loaded_at,
        coalesce(users.has_telemetry_consent, false) as has_consent,
        case when users.has_telemetry_consent then source.user_id end as user_id,
        case when users.has_telemetry_consent then source.event_type end as event_type,
        case when users.has_telemetry_consent then source.timestamp end as occurred_at,
        case when users.has_telemetry_consent then source.properties end as properties,
        -- a consent-less event is set aside as no_consent whatever its values
        case when users.has_telemetry_consent then source._dq_contract_reason end as _dq_contract_reason
    from source
    left join users
        on source.user_id = users.user_id

),

validated as (

    select
        joined.*,
        {{ kpi_layer.is_valid_json('joined.properties') }} as is_valid_json
    from joined

),

renamed as (

    select
        event_id,
        user_id,
        lower(event_type) as event_type,
        occurred_at,
        case when is_valid_json then properties end as properties,
        case when is_valid_json then {{ kpi_layer.json_extract_text('properties', 'feature') }} end as feature_name,
        case when is_valid_json then {{ kpi_layer.json_extract_text('properties', 'plan') }} end as plan_code,
        case when is_valid_json then {{ kpi_layer.json_extract_text('properties', 'workflow_id') }} end as workflow_id,
        case
            when is_valid_json then {{ kpi_layer.json_extract_text('properties', 'integration') }}
        end as integration_provider,
        case when is_valid_json then {{ kpi_layer.json_extract_text('properties', 'step') }} end as onboarding_step,
        case
            when is_valid_json then {{ kpi_layer.json_extract_text('properties', 'positive') }}
        end as _dq_raw_positive,
        properties as _dq_raw_properties,
        is_valid_json as _dq_is_valid_json,
        has_consent as _dq_has_consent,
        _loaded_at,
        _dq_contract_reason
    from validated

),

typed as (

    select
        event_id,
        user_id,
        event_type,
        occurred_at,
        properties,
        feature_name,
        plan_code,
        workflow_id,
        integration_provider,
        onboarding_step,
        case
            when lower(_dq_raw_positive) = 'true' then true
            when lower(_dq_raw_positive) = 'false' then false
        end as is_positive_rating,
        _loaded_at > {{ dbt.dateadd('hour', 24, 'occurred_at') }} as is_late_arrival,
        _dq_raw_properties,
        _dq_is_valid_json,
        _dq_has_consent,
        _loaded_at,
        _dq_contract_reason
    from renamed

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'typed',
        key_columns=['event_id'],
        latest_by='_loaded_at',
        checks=[
            ('no_consent', 'not _dq_has_consent'),
            ('malformed_json', '_dq_raw_properties is not null and not _dq_is_valid_json'),
        ],
    ) }}

)

select * from flagged
