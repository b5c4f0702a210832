{#
    redirect_error_rate per day, one row per day from the first redirect request to the as-of date, plus how
    many of the day's 10-minute windows breached the alert rule (the target is set per window; a day's rate
    can be fine while a few windows were not). A day without requests has no rate.
#}
with windows as (

    select * from {{ ref('redirect_errors_10min') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

daily as (

    select
        date_day,
        sum(redirect_requests) as redirect_requests,
        sum(redirect_errors) as redirect_errors,
        count(*) as windows_with_requests,
        sum(case when redirect_error_rate_status in ('warn', 'critical') then 1 else 0 end) as windows_breached
    from windows
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
        coalesce(daily.redirect_requests, 0) as redirect_requests,
        coalesce(daily.redirect_errors, 0) as redirect_errors,
        coalesce(daily.windows_with_requests, 0) as windows_with_requests,
        coalesce(daily.windows_breached, 0) as windows_breached,
        {{ kpi_layer.safe_divide('daily.redirect_errors', 'daily.redirect_requests') }} as redirect_error_rate,
        {{ kpi_layer.alert_level(
            'redirect_error_rate',
            numerator='daily.redirect_errors',
            denominator='daily.redirect_requests',
        ) }}
            as redirect_error_rate_status
    from days
    left join daily
        on days.date_day = daily.date_day

)

select * from final
