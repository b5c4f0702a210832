"""Bookings (tutoring, seed 002) KPI metrics and the mart queries they must equal (see test_semantic_layer.py)."""

_STUDENT_STEPS = ["visit", "sign_up", "first_search", "first_booking_request", "first_completed_session",
                  "second_booking"]
_TUTOR_STEPS = ["application", "approved", "profile_complete", "availability_set", "first_booking_received",
                "first_session_completed"]


def _funnel(who: str, steps: list[str]) -> dict[str, str]:
    # the first step is the cohort's size (a count), every later one its conversion from the previous step
    return {
        f"{who}_funnel_{step}": f"select month_start_date, {'step_count' if i == 0 else 'step_conversion'} "
                                f"from {{m}}.{who}_funnel_monthly where step_name = '{step}'"
        for i, step in enumerate(steps)
    }


# KPI metric -> the mart query giving (period, value) for the same KPI. {m} is the marts schema.
MONTHLY = {
    "booking_conversion_rate": "select month_start_date, booking_conversion_rate from {m}.bookings_monthly",
    "session_completion_rate": "select month_start_date, session_completion_rate from {m}.bookings_monthly",
    "bookings_gmv": "select month_start_date, bookings_gmv from {m}.bookings_monthly",
    "bookings_net_revenue": "select month_start_date, bookings_net_revenue from {m}.bookings_monthly",
    "average_session_value": "select month_start_date, average_session_value from {m}.bookings_monthly",
    "tutor_approval_rate": "select month_start_date, tutor_approval_rate from {m}.bookings_engagement_monthly",
    "package_purchase_rate": "select month_start_date, package_purchase_rate from {m}.bookings_engagement_monthly",
    "messages_per_booking": "select month_start_date, messages_per_booking from {m}.bookings_engagement_monthly",
    "review_rate": "select month_start_date, review_rate from {m}.bookings_engagement_monthly",
    "average_rating": "select month_start_date, average_rating from {m}.bookings_engagement_monthly",
    "student_retention_30d": "select month_start_date, student_retention_30d from {m}.retention_30d_monthly",
    "tutor_retention_30d": "select month_start_date, tutor_retention_30d from {m}.retention_30d_monthly",
    **_funnel("student", _STUDENT_STEPS),
    **_funnel("tutor", _TUTOR_STEPS),
}
# The weekly mart has a row of zeros for a week without the event; MetricFlow, reading the fact, has no row for
# it: a zero week is compared as "no row" (nullif), any non-zero value on either side must match.
WEEKLY = {
    "weekly_active_learners": "select week_start_date, nullif(weekly_active_learners, 0) from {m}.bookings_weekly",
    "weekly_active_tutors": "select week_start_date, nullif(weekly_active_tutors, 0) from {m}.bookings_weekly",
    "booking_conversion_rate": "select week_start_date, booking_conversion_rate from {m}.bookings_weekly",
    "session_completion_rate": "select week_start_date, session_completion_rate from {m}.bookings_weekly",
    "bookings_gmv": "select week_start_date, nullif(bookings_gmv, 0) from {m}.bookings_weekly",
}
