with source as (

    {{ kpi_layer.typed_source('marketplace', 'listing_events', parse_as={'occurred_at': 'timestamp'}) }}

),

renamed as (

    select
        cast(event_id as {{ dbt.type_string() }}) as listing_event_id,
        cast(listing_id as {{ dbt.type_string() }}) as listing_id,
        cast(hirer_id as {{ dbt.type_string() }}) as hirer_id,
        lower(event_type) as event_type,
        occurred_at,
        hirer_id is null as is_anonymous,
        _loaded_at,
        _dq_contract_reason
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
