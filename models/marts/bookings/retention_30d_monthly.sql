{#
    One row per cohort month (the month of a student's or a tutor's first completed session). Retained at 30
    days = another session completed within 30 days of the first (day 31 is too late). Only members whose
    30-day window has fully passed by the as-of date are judged, so the latest cohorts are not read as churned
    while their window is still open.
#}
{%- set window_end = dbt.dateadd('day', 30, 'cast(firsts.first_completed_at as date)') -%}
{%- set eligible = window_end ~ ' <= ' ~ kpi_layer.as_of_date() -%}

with bookings as (

    select * from {{ ref('fct_bookings') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

cohort_months as (

    select distinct calendar.month_start_date
    from calendar
    where
        calendar.date_day >= (select min(bookings.completed_date) from bookings)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

student_first_sessions as (

    select
        student_id,
        min(completed_at) as first_completed_at
    from bookings
    where is_completed
    group by 1

),

student_returns as (

    select
        firsts.student_id,
        max(
            case
                when
                    bookings.completed_at > firsts.first_completed_at
                    and {{ dbt.datediff('cast(firsts.first_completed_at as date)', 'bookings.completed_date', 'day') }}
                    <= 30
                    then 1
                else 0
            end
        ) as is_retained
    from student_first_sessions as firsts
    inner join bookings
        on
            firsts.student_id = bookings.student_id
            and bookings.is_completed
    group by 1

),

student_cohorts as (

    select
        cast({{ dbt.date_trunc('month', 'firsts.first_completed_at') }} as date) as month_start_date,
        count(*) as cohort_students,
        sum(case when {{ eligible }} then 1 else 0 end) as eligible_students,
        sum(case when {{ eligible }} then student_returns.is_retained else 0 end) as retained_students
    from student_first_sessions as firsts
    inner join student_returns
        on firsts.student_id = student_returns.student_id
    group by 1

),

tutor_first_sessions as (

    select
        tutor_id,
        min(completed_at) as first_completed_at
    from bookings
    where is_completed
    group by 1

),

tutor_returns as (

    select
        firsts.tutor_id,
        max(
            case
                when
                    bookings.completed_at > firsts.first_completed_at
                    and {{ dbt.datediff('cast(firsts.first_completed_at as date)', 'bookings.completed_date', 'day') }}
                    <= 30
                    then 1
                else 0
            end
        ) as is_retained
    from tutor_first_sessions as firsts
    inner join bookings
        on
            firsts.tutor_id = bookings.tutor_id
            and bookings.is_completed
    group by 1

),

tutor_cohorts as (

    select
        cast({{ dbt.date_trunc('month', 'firsts.first_completed_at') }} as date) as month_start_date,
        count(*) as cohort_tutors,
        sum(case when {{ eligible }} then 1 else 0 end) as eligible_tutors,
        sum(case when {{ eligible }} then tutor_returns.is_retained else 0 end) as retained_tutors
    from tutor_first_sessions as firsts
    inner join tutor_returns
        on firsts.tutor_id = tutor_returns.tutor_id
    group by 1

),

final as (

    select
        cohort_months.month_start_date,
        coalesce(student_cohorts.cohort_students, 0) as cohort_students,
        coalesce(student_cohorts.eligible_students, 0) as eligible_students,
        coalesce(student_cohorts.retained_students, 0) as retained_students,
        {{ kpi_layer.safe_divide('student_cohorts.retained_students', 'student_cohorts.eligible_students') }}
            as student_retention_30d,
        coalesce(tutor_cohorts.cohort_tutors, 0) as cohort_tutors,
        coalesce(tutor_cohorts.eligible_tutors, 0) as eligible_tutors,
        coalesce(tutor_cohorts.retained_tutors, 0) as retained_tutors,
        {{ kpi_layer.safe_divide('tutor_cohorts.retained_tutors', 'tutor_cohorts.eligible_tutors') }}
            as tutor_retention_30d
    from cohort_months
    left join student_cohorts
        on cohort_months.month_start_date = student_cohorts.month_start_date
    left join tutor_cohorts
        on cohort_months.month_start_date = tutor_cohorts.month_start_date

)

select * from final
