{{ kpi_layer.quarantined_rows([
    'base_tutoring__tutors',
    'base_tutoring__students',
    'base_tutoring__tutor_applications',
    'base_tutoring__tutor_profile_steps',
    'base_tutoring__tutor_availability',
    'base_tutoring__bookings',
    'base_tutoring__packages',
    'base_tutoring__messages',
    'base_tutoring__reviews',
    'base_tutoring__audit_events',
]) }}
