{#
    tutor_funnel: one row per cohort month (month of the first application) and step of seed 002's
    tutor journey. Counting by the application month follows each applicant through the funnel, so a step's
    conversion compares the same people, not the applicants of one month with the approvals of another.
#}
{{ kpi_layer.funnel_by_cohort_month('int_tutor_applicants_funnelled', var('tutor_funnel_steps')) }},

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
