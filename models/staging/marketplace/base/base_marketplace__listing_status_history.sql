with source as (

    {{ kpi_layer.typed_source('marketplace', 'listing_status_history') }}

),

renamed as (

    select
        listing_id,
        changed_at,
        _loaded_at,
        _dq_contract_reason,
        lower(status) as listing_status
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['listing_id', 'changed_at'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
