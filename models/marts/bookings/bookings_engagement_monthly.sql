{#
    One row per month: the engagement KPIs of seed 002 and the tutor approval rate. Each is dated by the
    event it is about: applications by submission, messages by the booking they are about (the request
    month, so a booking's later messages stay with it), reviews and ratings by the session's completion.
    Package purchase rate counts a buyer as active in the month they buy, so the rate is a share (<= 1) even
    when a buyer has no session that month.
#}
with bookings as (

    select * from {{ ref('fct_bookings') }}

),

packages as (

    select * from {{ ref('stg_tutoring__packages') }}

),

applications as (

    select * from {{ ref('stg_tutoring__tutor_applications') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

-- tutors can apply before the first booking exists: the months start at whichever came first
first_activity as (

    select min(created_date) as first_date from bookings

    union all

    select cast(min(submitted_at) as date) as first_date from applications

),

months as (

    select distinct calendar.month_start_date
    from calendar
    where
        calendar.date_day >= (select min(first_activity.first_date) from first_activity)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

application_counts as (

    select
        cast({{ dbt.date_trunc('month', 'submitted_at') }} as date) as month_start_date,
        count(*) as tutor_applications,
        sum(case when is_approved then 1 else 0 end) as approved_applications
    from applications
    group by 1

),

request_messages as (

    select
        cast({{ dbt.date_trunc('month', 'created_date') }} as date) as month_start_date,
        count(*) as booking_requests,
        sum(message_count) as messages
    from bookings
    group by 1

),

completed_reviews as (

    select
        cast({{ dbt.date_trunc('month', 'completed_date') }} as date) as month_start_date,
        count(*) as completed_sessions,
        sum(case when review_count > 0 then 1 else 0 end) as reviewed_sessions,
        sum(review_count) as reviews,
        sum(rating_sum) as rating_sum
    from bookings
    where is_completed
    group by 1

),

active_students as (

    select
        cast({{ dbt.date_trunc('month', 'completed_date') }} as date) as month_start_date,
        student_id,
        0 as is_package_buyer
    from bookings
    where is_completed

    union all

    select
        cast({{ dbt.date_trunc('month', 'purchased_at') }} as date) as month_start_date,
        student_id,
        1 as is_package_buyer
    from packages

),

student_counts as (

    select
        month_start_date,
        count(distinct student_id) as active_students,
        count(distinct case when is_package_buyer = 1 then student_id end) as package_buyers
    from active_students
    group by 1

),

final as (

    select
        months.month_start_date,
        coalesce(application_counts.tutor_applications, 0) as tutor_applications,
        coalesce(application_counts.approved_applications, 0) as approved_applications,
        {{ kpi_layer.safe_divide('application_counts.approved_applications', 'application_counts.tutor_applications') }}
            as tutor_approval_rate,
        coalesce(student_counts.active_students, 0) as active_students,
        coalesce(student_counts.package_buyers, 0) as package_buyers,
        {{ kpi_layer.safe_divide('student_counts.package_buyers', 'student_counts.active_students') }}
            as package_purchase_rate,
        coalesce(request_messages.booking_requests, 0) as booking_requests,
        coalesce(request_messages.messages, 0) as messages,
        {{ kpi_layer.safe_divide('request_messages.messages', 'request_messages.booking_requests') }}
            as messages_per_booking,
        coalesce(completed_reviews.completed_sessions, 0) as completed_sessions,
        coalesce(completed_reviews.reviewed_sessions, 0) as reviewed_sessions,
        {{ kpi_layer.safe_divide('completed_reviews.reviewed_sessions', 'completed_reviews.completed_sessions') }}
            as review_rate,
        coalesce(completed_reviews.reviews, 0) as reviews,
        {{ kpi_layer.safe_divide('completed_reviews.rating_sum', 'completed_reviews.reviews') }} as average_rating
    from months
    left join application_counts
        on months.month_start_date = application_counts.month_start_date
    left join student_counts
        on months.month_start_date = student_counts.month_start_date
    left join request_messages
        on months.month_start_date = request_messages.month_start_date
    left join completed_reviews
        on months.month_start_date = completed_reviews.month_start_date

)

select * from final
