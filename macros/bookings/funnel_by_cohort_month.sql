{#
    A funnel as rows: one row per cohort month (the month its members reached the first step) and step, with
    the members who reached the step and every step before it, the conversion from the previous step, and the
    document's target for that step. `steps` is a var list of {step, target}; the members model has one
    `<step>_at` timestamp per step. Requiring every earlier step keeps the counts monotone, so a conversion is
    never above 1. Months run from the first entry to the as-of date: a month without entrants gives zeros and
    null conversions.
#}
{% macro funnel_by_cohort_month(members_model, steps) -%}
{%- set entry_column = steps[0].step ~ '_at' -%}
with members as (

    select * from {{ ref(members_model) }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

cohort_months as (

    select distinct calendar.month_start_date
    from calendar
    where
        calendar.date_day >= (select cast(min(members.{{ entry_column }}) as date) from members)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

cohorts as (

    select
        cast({{ dbt.date_trunc('month', entry_column) }} as date) as month_start_date,
        {%- for step in steps %}
        sum(
            case
                when
                    {% for earlier in steps[:loop.index] -%}
                    {{ earlier.step }}_at is not null{% if not loop.last %} and {% endif %}
                    {%- endfor %}
                    then 1
                else 0
            end
        ) as step_{{ loop.index }}_count{% if not loop.last %},{% endif %}
        {%- endfor %}
    from members
    group by 1

),

steps_counted as (

    {% for step in steps %}
    select
        cohort_months.month_start_date,
        {{ loop.index }} as step_number,
        '{{ step.step }}' as step_name,
        coalesce(cohorts.step_{{ loop.index }}_count, 0) as step_count,
        {% if loop.first -%}
        cast(null as {{ dbt.type_bigint() }}) as previous_step_count,
        cast(null as {{ kpi_layer.type_double() }}) as target_conversion
        {%- else -%}
        coalesce(cohorts.step_{{ loop.index - 1 }}_count, 0) as previous_step_count,
        cast({{ step.target }} as {{ kpi_layer.type_double() }}) as target_conversion
        {%- endif %}
    from cohort_months
    left join cohorts
        on cohort_months.month_start_date = cohorts.month_start_date
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)
{%- endmacro %}
