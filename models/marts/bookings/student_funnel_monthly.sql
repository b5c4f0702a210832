{#
    student_funnel: one row per cohort month (month of the first landing-page visit) and step of seed 002's
    student journey. Counting by the visit month follows each visitor through the funnel, so a step's
    conversion compares the same people, not the visitors of one month with the sign-ups of another.
#}
{{ kpi_layer.funnel_by_cohort_month('int_visitors_funnelled', var('student_funnel_steps')) }},

final as (

    select
        month_start_date,
        step_number,
        step_name,
        step_count,
        previous_step_count,
        {{ kpi_layer.safe_divide('step_count', 'previous_step_count') }} as step_conversion,
        target_conversion
    from steps_counted

)

select * from final
