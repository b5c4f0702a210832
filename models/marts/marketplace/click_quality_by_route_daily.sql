{#
    valid_clicks, invalid_clicks and ivt_rate per route, one row per route and day with at least one click
    event: the owner dashboard's clicks by route (valid / invalid) and where invalid traffic concentrates.
    Only days with traffic get a row: a spine of every route x day would be mostly empty rows.
#}
with rollup as (

    select * from {{ ref('clicks_by_route_daily') }}

),

by_route as (

    select
        click_date as date_day,
        route_id,
        sum(click_events) as click_events,
        sum(valid_clicks) as valid_clicks,
        sum(invalid_clicks) as invalid_clicks
    from rollup
    group by 1, 2

),

final as (

    select
        date_day,
        route_id,
        click_events,
        valid_clicks,
        invalid_clicks,
        valid_clicks + invalid_clicks as redirected_clicks,
        {{ kpi_layer.safe_divide('invalid_clicks', 'valid_clicks + invalid_clicks') }} as ivt_rate,
        {{ kpi_layer.alert_level(
            'ivt_rate',
            numerator='invalid_clicks',
            denominator='(valid_clicks + invalid_clicks)',
        ) }}
            as ivt_rate_status
    from by_route

)

select * from final
