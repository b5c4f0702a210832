{% set raw = source('marketplace', 'listings') %}

with source as (

    {{ kpi_layer.typed_source('marketplace', 'listings') }}

),

renamed as (

    select
        listing_id,
        owner_id,
        route_id,
        {{ kpi_layer.source_column(raw, 'title', 'varchar') }} as listing_title,
        lower(status) as listing_status,
        period_price_amount,
        per_click_price_amount,
        lower(currency) as currency,
        created_at,
        updated_at,
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
