{#
    The booking KPIs that bookings_weekly and bookings_monthly share, at one grain ('week' or 'month'): one
    definition, so a week and the month it falls in can never disagree on what a conversion or a completion
    is. Each KPI is dated by the event it is about:
    - booking_conversion_rate: requests created in the period, and how many of them were ever confirmed;
    - session_completion_rate: confirmed sessions scheduled in the period that have passed, and how many of
      them were completed (a booking cancelled after confirmation counts against it);
    - bookings_gmv: confirmed bookings' value on the day they were confirmed (the card is charged then);
    - average_session_value: completed, captured sessions on the day they ended (seed 002's SQL).
    Periods run from the first booking to the as-of date, so a period without bookings is a row of zeros
    and null rates, not a gap.
#}
{% macro bookings_period_kpis(grain) -%}
{%- set period_column = grain ~ '_start_date' -%}
with bookings as (

    select * from {{ ref('fct_bookings') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

periods as (

    select distinct calendar.{{ period_column }}
    from calendar
    where
        calendar.date_day >= (select min(bookings.created_date) from bookings)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

requests as (

    select
        calendar.{{ period_column }},
        count(*) as booking_requests,
        sum(case when bookings.is_confirmed then 1 else 0 end) as confirmed_bookings
    from bookings
    inner join calendar
        on bookings.created_date = calendar.date_day
    group by 1

),

sessions as (

    select
        calendar.{{ period_column }},
        sum(case when bookings.is_session_passed then 1 else 0 end) as passed_sessions,
        sum(case when bookings.is_completed then 1 else 0 end) as completed_sessions
    from bookings
    inner join calendar
        on bookings.scheduled_date = calendar.date_day
    group by 1

),

confirmations as (

    select
        calendar.{{ period_column }},
        sum(bookings.price_amount_usd) as bookings_gmv
    from bookings
    inner join calendar
        on bookings.confirmed_date = calendar.date_day
    group by 1

),

completions as (

    select
        calendar.{{ period_column }},
        count(distinct bookings.student_id) as active_learners,
        count(distinct bookings.tutor_id) as active_tutors,
        sum(case when bookings.is_completed_and_captured then 1 else 0 end) as captured_completed_sessions,
        sum(case when bookings.is_completed_and_captured then bookings.price_amount_usd end)
            as captured_completed_value
    from bookings
    inner join calendar
        on bookings.completed_date = calendar.date_day
    where bookings.is_completed
    group by 1

),

joined as (

    select
        periods.{{ period_column }},
        coalesce(requests.booking_requests, 0) as booking_requests,
        coalesce(requests.confirmed_bookings, 0) as confirmed_bookings,
        coalesce(sessions.passed_sessions, 0) as passed_sessions,
        coalesce(sessions.completed_sessions, 0) as completed_sessions,
        coalesce(completions.active_learners, 0) as active_learners,
        coalesce(completions.active_tutors, 0) as active_tutors,
        coalesce(completions.captured_completed_sessions, 0) as captured_completed_sessions,
        completions.captured_completed_value,
        coalesce(confirmations.bookings_gmv, 0) as bookings_gmv
    from periods
    left join requests
        on periods.{{ period_column }} = requests.{{ period_column }}
    left join sessions
        on periods.{{ period_column }} = sessions.{{ period_column }}
    left join confirmations
        on periods.{{ period_column }} = confirmations.{{ period_column }}
    left join completions
        on periods.{{ period_column }} = completions.{{ period_column }}

)
{%- endmacro %}
