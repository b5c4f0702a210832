{#
    One row per alert: a KPI value of kpi_scorecard that breaches its rule in var kpi_alert_rules, evaluated by
    kpi_layer.alert_level, the macro the marts' alert columns and the kpi_alert threshold tests use. The
    scorecard is company level, so an alert here is the company's; a threshold test on a sliced mart (failed
    payments per app) can list breaches of a single app that the company figure does not show.
#}
{%- set rules = var('kpi_alert_rules', {}) -%}

with scorecard as (

    select * from {{ ref('kpi_scorecard') }}

),

evaluated as (

    select
        kpi_id,
        grain,
        period_start_date,
        kpi_value,
        unit,
        case kpi_id
            {%- for kpi_id in rules %}
                when '{{ kpi_id }}'
                    then {{ kpi_layer.alert_level(kpi_id, 'kpi_value') }}
            {%- endfor %}
        end as severity
    from scorecard

),

final as (

    select
        kpi_id,
        grain,
        period_start_date,
        kpi_value,
        unit,
        severity,
        case kpi_id
            {%- for kpi_id in rules %}
                when '{{ kpi_id }}'
                    then {{ kpi_layer.alert_limit(kpi_id, 'severity') }}
            {%- endfor %}
        end as threshold
    from evaluated
    where severity in ('warn', 'critical')

)

select * from final
