{#
    hirer_ctr, one row per hirer, route and day with impressions or clicks: the hirer's valid clicks on the
    route over the impressions of the route attributed to the hirer (int_clicks_impressions_attributed).
    Clicks come from the event stream (the click rollup), impressions from the app's rollup, which is the only
    source that has them. hirer_id is null for a route-day no contract covered.
#}
with rollup as (

    select * from {{ ref('clicks_by_route_daily') }}

),

impressions as (

    select * from {{ ref('int_clicks_impressions_attributed') }}

),

clicks as (

    select
        click_date as date_day,
        route_id,
        hirer_id,
        sum(valid_clicks) as valid_clicks
    from rollup
    group by 1, 2, 3

),

final as (

    select
        coalesce(clicks.date_day, impressions.date_day) as date_day,
        coalesce(clicks.route_id, impressions.route_id) as route_id,
        coalesce(clicks.hirer_id, impressions.hirer_id) as hirer_id,
        coalesce(clicks.valid_clicks, 0) as valid_clicks,
        coalesce(impressions.impressions, 0) as impressions,
        {{ kpi_layer.safe_divide('coalesce(clicks.valid_clicks, 0)', 'impressions.impressions') }} as hirer_ctr
    from clicks
    full outer join impressions
        on
            clicks.date_day = impressions.date_day
            and clicks.route_id = impressions.route_id
            and clicks.hirer_id is not distinct from impressions.hirer_id

)

select * from final
