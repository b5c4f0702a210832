with source as (

    select * from {{ kpi_layer.source_relation('marketplace', 'listing_events') }}

),

renamed as (

    select
        cast(event_id as {{ dbt.type_string() }}) as listing_event_id,
        cast(listing_id as {{ dbt.type_string() }}) as listing_id,
        cast(hirer_id as {{ dbt.type_string() }}) as hirer_id,
        lower(event_type) as event_type,
        {{ kpi_layer.to_utc_timestamp('occurred_at') }} as occurred_at,
        hirer_id is null as is_anonymous,
        occurred_at as _dq_raw_occurred_at,
        _loaded_at
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['listing_event_id'],
        latest_by='_loaded_at',
        checks=[
            ('malformed_value', 'occurred_at is null and _dq_raw_occurred_at is not null'),
        ],
    ) }}

)

select * from flagged
