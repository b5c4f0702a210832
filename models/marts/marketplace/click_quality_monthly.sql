{#
    valid_clicks, invalid_clicks and ivt_rate, one row per month: the daily counts summed and the rate taken
    on the sums (not an average of daily rates, which would weigh a quiet day like a busy one).
#}
with daily as (

    select * from {{ ref('click_quality_daily') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

monthly as (

    select
        calendar.month_start_date,
        sum(daily.valid_clicks) as valid_clicks,
        sum(daily.invalid_clicks) as invalid_clicks
    from daily
    inner join calendar
        on daily.date_day = calendar.date_day
    group by 1

),

final as (

    select
        month_start_date,
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
    from monthly

)

select * from final
