{#
    The body of click_quality_weekly and click_quality_monthly: one definition, by period (grain 'week' or 'month', the
    period column `<grain>_start_date` of dim_dates). Each model states its own grain in its header.
#}
{% macro click_quality_by_period(grain) %}
with daily as (

    select * from {{ ref('click_quality_daily') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

period_totals as (

    select
        calendar.{{ grain }}_start_date,
        sum(daily.valid_clicks) as valid_clicks,
        sum(daily.invalid_clicks) as invalid_clicks
    from daily
    inner join calendar
        on daily.date_day = calendar.date_day
    group by 1

),

final as (

    select
        {{ grain }}_start_date,
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
    from period_totals

)

select * from final
{% endmacro %}
