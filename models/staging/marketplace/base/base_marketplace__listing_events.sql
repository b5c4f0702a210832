with source as (

    {{ kpi_layer.typed_source('marketplace', 'listing_events', parse_as={'occurred_at': 'timestamp'}) }}

),

renamed as (

    select
        event_id as listing_event_id,
        listing_id,
        hirer_id,
        occurred_at,
        _loaded_at,
        _dq_contract_reason,
        lower(event_type) as event_type,
        hirer_id is null as is_anonymous
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['listing_event_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
