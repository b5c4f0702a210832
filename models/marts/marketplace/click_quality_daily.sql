{#
    valid_clicks, invalid_clicks and ivt_rate, one row per day from the first click to the as-of date. Counts
    come from the click rollup (redirected clicks, as the app's own rollup counts them), so the trend and the
    route slices add up to the same totals; a day without clicks is a row with zero clicks and no rate.
#}
with rollup as (

    select * from {{ ref('clicks_by_route_daily') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

daily as (

    select
        click_date as date_day,
        sum(valid_clicks) as valid_clicks,
        sum(invalid_clicks) as invalid_clicks
    from rollup
    group by 1

),

days as (

    select calendar.date_day
    from calendar
    where
        calendar.date_day >= (select min(daily.date_day) from daily)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

final as (

    select
        days.date_day,
        coalesce(daily.valid_clicks, 0) as valid_clicks,
        coalesce(daily.invalid_clicks, 0) as invalid_clicks,
        coalesce(daily.valid_clicks + daily.invalid_clicks, 0) as redirected_clicks,
        {{ kpi_layer.safe_divide('daily.invalid_clicks', 'daily.valid_clicks + daily.invalid_clicks') }}
            as ivt_rate,
        {{ kpi_layer.alert_level(
            'ivt_rate',
            numerator='daily.invalid_clicks',
            denominator='(daily.valid_clicks + daily.invalid_clicks)',
        ) }}
            as ivt_rate_status
    from days
    left join daily
        on days.date_day = daily.date_day

)

select * from final
