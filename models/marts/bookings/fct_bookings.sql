{#
    One row per booking request, the fact every booking KPI reads, with what the KPIs ask of it: whether it was ever confirmed (a booking
    cancelled after confirmation stays confirmed, so conversion does not drop when a session later falls
    through), whether its session has passed (confirmed and no longer waiting), its price in major units and
    in USD, and its messages and reviews. Package sessions keep their per-session value, so a package used
    across months counts in the months its sessions are booked, not the month it was bought.
#}
with bookings as (

    select * from {{ ref('stg_tutoring__bookings') }}

),

messages as (

    select * from {{ ref('stg_tutoring__messages') }}

),

reviews as (

    select * from {{ ref('stg_tutoring__reviews') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

messages_per_booking as (

    select
        booking_id,
        count(*) as message_count
    from messages
    group by booking_id

),

reviews_per_booking as (

    select
        booking_id,
        count(*) as review_count,
        sum(rating) as rating_sum
    from reviews
    group by booking_id

),

final as (

    select
        bookings.booking_id,
        bookings.student_id,
        bookings.tutor_id,
        bookings.package_purchase_id,
        bookings.is_package_session,
        bookings.session_state,
        bookings.payment_state,
        bookings.stripe_charge_id,
        bookings.created_at,
        bookings.confirmed_at,
        bookings.scheduled_at,
        bookings.completed_at,
        bookings.cancelled_at,
        cast(bookings.created_at as date) as created_date,
        cast(bookings.confirmed_at as date) as confirmed_date,
        cast(bookings.scheduled_at as date) as scheduled_date,
        cast(bookings.completed_at as date) as completed_date,
        bookings.confirmed_at is not null as is_confirmed,
        -- a confirmed session still in state confirmed has not happened yet: it is no completion failure
        bookings.confirmed_at is not null and bookings.session_state <> 'confirmed' as is_session_passed,
        bookings.session_state = 'completed' as is_completed,
        bookings.session_state = 'completed' and bookings.payment_state = 'captured' as is_completed_and_captured,
        bookings.currency,
        {{ kpi_layer.to_major_units('bookings.price_amount', 'bookings.currency') }} as price_amount,
        -- the card is charged at confirmation: the rate of that month, as fct_charges converts the charge
        {{ kpi_layer.to_usd(
            'bookings.price_amount', 'fx_rates.usd_per_unit', 'bookings.currency'
        ) }} as price_amount_usd,
        coalesce(messages_per_booking.message_count, 0) as message_count,
        coalesce(reviews_per_booking.review_count, 0) as review_count,
        reviews_per_booking.rating_sum
    from bookings
    left join messages_per_booking
        on bookings.booking_id = messages_per_booking.booking_id
    left join reviews_per_booking
        on bookings.booking_id = reviews_per_booking.booking_id
    left join fx_rates
        on
            bookings.currency = fx_rates.currency
            and cast({{ dbt.date_trunc('month', 'coalesce(bookings.confirmed_at, bookings.created_at)') }} as date)
            = fx_rates.month_start_date

)

select * from final
