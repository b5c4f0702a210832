{% set raw = source('marketplace', 'listings') %}

with source as (

    {{ kpi_layer.typed_source('marketplace', 'listings') }}

),

renamed as (

    select
        cast(listing_id as {{ dbt.type_string() }}) as listing_id,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        cast(route_id as {{ dbt.type_string() }}) as route_id,
        {{ kpi_layer.source_column(raw, 'title', 'varchar') }} as listing_title,
        lower(status) as listing_status,
        cast(period_price_amount as bigint) as period_price_amount,
        cast(per_click_price_amount as bigint) as per_click_price_amount,
        lower(currency) as currency,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['listing_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
