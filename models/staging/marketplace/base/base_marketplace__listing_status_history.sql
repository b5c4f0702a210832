with source as (

    {{ kpi_layer.typed_source('marketplace', 'listing_status_history') }}

),

renamed as (

    select
        cast(listing_id as {{ dbt.type_string() }}) as listing_id,
        lower(status) as listing_status,
        cast(changed_at as {{ dbt.type_timestamp() }}) as changed_at,
        _loaded_at,
        _dq_contract_reason
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
