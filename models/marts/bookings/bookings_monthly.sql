{#
    One row per month: the booking and revenue KPIs of seed 002. Net revenue is GMV times the commission
    rate (var bookings_commission_rate), the platform's share of what students paid; the average session
    value divides the value of completed, captured sessions by their number (seed 002's SQL), so a month
    without such sessions has none rather than zero. The shared counts come from bookings_period_kpis.
#}
{{ kpi_layer.bookings_period_kpis('month') }},

final as (

    select
        month_start_date,
        active_learners as monthly_active_learners,
        active_tutors as monthly_active_tutors,
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
        {{ kpi_layer.as_amount('bookings_gmv') }} as bookings_gmv,
        {{ kpi_layer.as_amount('bookings_gmv * ' ~ var('bookings_commission_rate')) }} as bookings_net_revenue,
        captured_completed_sessions,
        {{ kpi_layer.as_amount(kpi_layer.safe_divide('captured_completed_value', 'captured_completed_sessions')) }}
            as average_session_value
    from joined

)

select * from final
