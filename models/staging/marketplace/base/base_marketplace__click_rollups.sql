with source as (

    {{ kpi_layer.typed_source('marketplace', 'click_rollups') }}

),

renamed as (

    select
        cast(rollup_date as date) as rollup_date,
        route_id,
        valid_clicks,
        invalid_clicks,
        impressions,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['rollup_date', 'route_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
