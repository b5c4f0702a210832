{#
    One row per week (Monday start): the weekly business review of seed 002. Weekly actives are distinct
    students / tutors with a completed session in the week, counted here and never summed into months (a
    learner active in two weeks is one learner). The shared counts come from bookings_period_kpis.
#}
{{ kpi_layer.bookings_period_kpis('week') }},

final as (

    select
        week_start_date,
        active_learners as weekly_active_learners,
        active_tutors as weekly_active_tutors,
        booking_requests,
        confirmed_bookings,
        {{ kpi_layer.safe_divide('confirmed_bookings', 'booking_requests') }} as booking_conversion_rate,
        passed_sessions,
        completed_sessions,
        {{ kpi_layer.safe_divide('completed_sessions', 'passed_sessions') }} as session_completion_rate,
        {{ kpi_layer.alert_level(
            'session_completion_rate',
            numerator='completed_sessions',
            denominator='passed_sessions',
        ) }}
            as session_completion_rate_status,
        {{ kpi_layer.as_amount('bookings_gmv') }} as bookings_gmv
    from joined

)

select * from final
