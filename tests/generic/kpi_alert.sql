{#
    Threshold test: the KPI column breaches its alert rule (var kpi_alert_rules, read through
    kpi_layer.alert_level) in some period. It returns one row per breaching period (the period columns, the
    value, the level and the limit), warns when the worst is `warn` and fails when it is `critical`. Tagged
    `threshold`, so CI can gate on the KPIs with `dbt test --select tag:threshold` while `dbt build --exclude
    tag:threshold` keeps a bad month from skipping the models downstream of the mart.

        columns:
          - name: failed_payment_rate
            data_tests:
              - kpi_layer.kpi_alert:
                  arguments:
                    kpi_id: failed_payment_rate
                    period_columns: [date_day, app_name]
                    numerator: failed_payment_attempts
                    denominator: payment_attempts
#}
{% test kpi_alert(model, column_name, kpi_id, period_columns=[], numerator=none, denominator=none, where=none) %}

{{ config(tags=['threshold'], fail_calc='coalesce(max(breach_level), 0)', warn_if='>= 1', error_if='>= 2') }}

with evaluated as (

    select
        {% for period_column in period_columns %}{{ period_column }},
        {% endfor -%}
        {{ column_name }} as observed_value,
        {{ kpi_layer.alert_level(kpi_id, column_name, numerator, denominator) }} as alert_level
    from {{ model }}
    {% if where %}where {{ where }}{% endif %}

)

select
    '{{ kpi_id }}' as kpi_id,
    evaluated.*,
    {{ kpi_layer.alert_limit(kpi_id, 'evaluated.alert_level') }} as alert_limit,
    case evaluated.alert_level when 'critical' then 2 else 1 end as breach_level
from evaluated
where evaluated.alert_level in ('warn', 'critical')

{% endtest %}
