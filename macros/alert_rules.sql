{#
    The specification's alert rules live in one var, `kpi_alert_rules` (dbt_project.yml): per KPI id, levels
    warn / critical, each a limit the value must not go strictly above (`*_above`) or below (`*_below`).
    These macros are the only readers, so a mart's alert column, the `kpi_alert` threshold test and the
    kpi_alerts mart can never disagree about a rule.
#}

{% macro alert_rule(kpi_id) -%}
    {%- set rules = var('kpi_alert_rules', {}) -%}
    {%- if kpi_id not in rules -%}
        {{ exceptions.raise_compiler_error("kpi_alert_rules has no rule for KPI '" ~ kpi_id ~ "'") }}
    {%- endif -%}
    {%- set rule = rules[kpi_id] -%}
    {%- for key in rule -%}
        {%- if key not in ['warn_above', 'critical_above', 'warn_below', 'critical_below'] -%}
            {{ exceptions.raise_compiler_error("kpi_alert_rules." ~ kpi_id ~ ": unknown key '" ~ key ~ "'") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(rule) }}
{%- endmacro %}


{#
    SQL expression: 'critical', 'warn', 'ok' or null (no value) for a KPI value under its rule. With
    `numerator` and `denominator`, the value is their ratio and the comparison is done in exact arithmetic
    (numerator > denominator x limit), so a rate of exactly the limit is not a breach on any warehouse; a
    zero or null denominator gives null.
#}
{% macro alert_level(kpi_id, value=none, numerator=none, denominator=none) -%}
    {%- set rule = kpi_layer.alert_rule(kpi_id) -%}
    case
        {%- if denominator is not none %}
        when coalesce({{ denominator }}, 0) = 0 or ({{ numerator }}) is null then null
        {%- else %}
        when {{ value }} is null then null
        {%- endif %}
        {%- for level in ['critical', 'warn'] %}
            {%- for side, op in [('above', '>'), ('below', '<')] %}
                {%- set limit = rule.get(level ~ '_' ~ side) %}
                {%- if limit is not none %}
                    {%- if denominator is not none %}
        when ({{ numerator }}) {{ op }} ({{ denominator }}) * {{ limit }} then '{{ level }}'
                    {%- else %}
        when {{ value }} {{ op }} {{ limit }} then '{{ level }}'
                    {%- endif %}
                {%- endif %}
            {%- endfor %}
        {%- endfor %}
        else 'ok'
    end
{%- endmacro %}


{# SQL expression: the limit that a value at `level_expression` ('warn' / 'critical') breached, or null. #}
{% macro alert_limit(kpi_id, level_expression) -%}
    {%- set rule = kpi_layer.alert_rule(kpi_id) -%}
    case {{ level_expression }}
        {%- for level in ['critical', 'warn'] %}
            {%- set limit = rule.get(level ~ '_above', rule.get(level ~ '_below')) %}
            {%- if limit is not none %}
        when '{{ level }}' then {{ limit }}
            {%- endif %}
        {%- endfor %}
    end
{%- endmacro %}
