{#
    Alert level of failed_payment_rate = failed / attempts (seed 002: warn above 5%, critical above 10%), with
    the thresholds in the failed_payment_warn / failed_payment_critical vars. Compared as failed > attempts x
    threshold in exact arithmetic rather than on the floating-point rate, so a rate of exactly 10% is `warn`
    on every warehouse. Null when there were no attempts.
#}
{% macro failed_payment_rate_status(failed, attempts) -%}
    case
        when coalesce({{ attempts }}, 0) = 0 then null
        when {{ failed }} > {{ attempts }} * {{ var('failed_payment_critical', 0.10) }} then 'critical'
        when {{ failed }} > {{ attempts }} * {{ var('failed_payment_warn', 0.05) }} then 'warn'
        else 'ok'
    end
{%- endmacro %}
