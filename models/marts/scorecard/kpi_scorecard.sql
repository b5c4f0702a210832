{#
    The wall chart: every implemented KPI in long form (int_kpi_values), one row per KPI per grain per period,
    with its target (seed kpi_targets), a status, and its alert rule (var kpi_alert_rules): the thresholds and
    the severity the value reaches, judged by kpi_layer.alert_level like the marts and the threshold tests.
#}
{%- set rules = var('kpi_alert_rules', {}) -%}
with targets as (

    select * from {{ ref('kpi_targets') }}

),

kpi_values as (

    select * from {{ ref('int_kpi_values') }}

),

final as (

    select
        kpi_values.kpi_id,
        kpi_values.grain,
        kpi_values.period_start_date,
        kpi_values.kpi_value,
        kpi_values.unit,
        targets.comparison as target_comparison,
        targets.target_value,
        targets.target_upper_value,
        targets.green_above,
        targets.yellow_from,
        cast(case kpi_values.kpi_id
            {%- for kpi_id, rule in rules.items() %}
                {%- set limit = rule.get('warn_above', rule.get('warn_below')) %}
                {%- if limit is not none %}
                    when '{{ kpi_id }}' then {{ limit }}
                {%- endif %}
            {%- endfor %}
        end as {{ kpi_layer.type_double() }}) as warn_threshold,
        cast(case kpi_values.kpi_id
            {%- for kpi_id, rule in rules.items() %}
                {%- set limit = rule.get('critical_above', rule.get('critical_below')) %}
                {%- if limit is not none %}
                    when '{{ kpi_id }}' then {{ limit }}
                {%- endif %}
            {%- endfor %}
        end as {{ kpi_layer.type_double() }}) as critical_threshold,
        case kpi_values.kpi_id
            {%- for kpi_id in rules %}
                when '{{ kpi_id }}'
                    then {{ kpi_layer.alert_level(kpi_id, 'kpi_values.kpi_value') }}
            {%- endfor %}
        end as alert_severity,
        case
            when targets.kpi_id is null then 'no-target'
            when kpi_values.kpi_value is null then 'no-data'
            when targets.comparison = 'zones'
                then
                    case
                        when kpi_values.kpi_value > targets.green_above then 'green'
                        when kpi_values.kpi_value >= targets.yellow_from then 'yellow'
                        else 'red'
                    end
            when targets.comparison = '>=' and kpi_values.kpi_value >= targets.target_value then 'green'
            when targets.comparison = '>' and kpi_values.kpi_value > targets.target_value then 'green'
            when targets.comparison = '<=' and kpi_values.kpi_value <= targets.target_value then 'green'
            when targets.comparison = '<' and kpi_values.kpi_value < targets.target_value then 'green'
            when
                targets.comparison = 'between'
                and kpi_values.kpi_value between targets.target_value and targets.target_upper_value
                then 'green'
            else 'red'
        end as status
    from kpi_values
    left join targets
        on
            kpi_values.kpi_id = targets.kpi_id
            and kpi_values.grain = targets.grain

)

select * from final
