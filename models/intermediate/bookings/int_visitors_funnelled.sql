{#
    One row per visitor of the landing page (anonymous visitor id), with when they first reached each step of
    seed 002's student journey. Visitors are the funnel's entry, so a sign-up is credited to the visitor id it
    carries (user.signup's visitor_id); a student who signed up without a recorded visit never enters the
    funnel. Later steps are the student's own firsts; the second booking is the student's second request.
#}
with events as (

    select * from {{ ref('stg_tutoring__audit_events') }}

),

bookings as (

    select * from {{ ref('stg_tutoring__bookings') }}

),

visits as (

    select
        actor_id as visitor_id,
        min(occurred_at) as visit_at
    from events
    where
        event_name = 'page.landing'
        and actor_role = 'visitor'
    group by 1

),

sign_ups as (

    select
        visitor_id,
        min(actor_id) as student_id,
        min(occurred_at) as sign_up_at
    from events
    where
        event_name = 'user.signup'
        and actor_role = 'student'
        and visitor_id is not null
    group by 1

),

searches as (

    select
        actor_id as student_id,
        min(occurred_at) as first_search_at
    from events
    where
        event_name = 'search.performed'
        and actor_role = 'student'
    group by 1

),

bookings_ranked as (

    select
        student_id,
        created_at,
        completed_at,
        row_number() over (partition by student_id order by created_at, booking_id) as booking_number
    from bookings

),

student_bookings as (

    select
        student_id,
        min(case when booking_number = 1 then created_at end) as first_booking_request_at,
        min(completed_at) as first_completed_session_at,
        min(case when booking_number = 2 then created_at end) as second_booking_at
    from bookings_ranked
    group by 1

),

final as (

    select
        visits.visitor_id,
        sign_ups.student_id,
        visits.visit_at,
        sign_ups.sign_up_at,
        searches.first_search_at,
        student_bookings.first_booking_request_at,
        student_bookings.first_completed_session_at,
        student_bookings.second_booking_at
    from visits
    left join sign_ups
        on visits.visitor_id = sign_ups.visitor_id
    left join searches
        on sign_ups.student_id = searches.student_id
    left join student_bookings
        on sign_ups.student_id = student_bookings.student_id

)

select * from final
