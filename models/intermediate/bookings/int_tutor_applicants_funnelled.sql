{#
    One row per tutor who applied, with when they first reached each step of seed 002's tutor journey:
    application, approval (the application's decision), profile complete and availability set (onboarding
    steps), first booking received and first session completed. A tutor who applied twice enters once, at
    the first application.
#}
with applications as (

    select * from {{ ref('stg_tutoring__tutor_applications') }}

),

profile_steps as (

    select * from {{ ref('stg_tutoring__tutor_profile_steps') }}

),

bookings as (

    select * from {{ ref('stg_tutoring__bookings') }}

),

applicants as (

    select
        tutor_id,
        min(submitted_at) as application_at,
        min(case when is_approved then decided_at end) as approved_at
    from applications
    group by 1

),

onboarding as (

    select
        tutor_id,
        min(case when profile_step = 'profile_complete' then completed_at end) as profile_complete_at,
        min(case when profile_step = 'availability_set' then completed_at end) as availability_set_at
    from profile_steps
    group by 1

),

tutor_bookings as (

    select
        tutor_id,
        min(created_at) as first_booking_received_at,
        min(completed_at) as first_session_completed_at
    from bookings
    group by 1

),

final as (

    select
        applicants.tutor_id,
        applicants.application_at,
        applicants.approved_at,
        onboarding.profile_complete_at,
        onboarding.availability_set_at,
        tutor_bookings.first_booking_received_at,
        tutor_bookings.first_session_completed_at
    from applicants
    left join onboarding
        on applicants.tutor_id = onboarding.tutor_id
    left join tutor_bookings
        on applicants.tutor_id = tutor_bookings.tutor_id

)

select * from final
