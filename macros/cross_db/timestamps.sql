{#
    Timestamps are normalised to UTC and stored without a time zone.
    A text value with an offset ('...+02:00', '...Z') is converted to UTC; a value without one is taken as UTC
    already (loaders such as Fivetran land UTC), never as the session's local time zone.
    A value that does not parse becomes null, so staging can quarantine it instead of failing the run.
#}

{% macro to_utc_timestamp(expr) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'kpi_layer')(expr)) }}
{%- endmacro %}

{% macro default__to_utc_timestamp(expr) -%}
    case
        when regexp_like(cast({{ expr }} as varchar), '{{ tz_offset_pattern() }}')
            then cast(from_iso8601_timestamp(cast({{ expr }} as varchar)) at time zone 'UTC' as timestamp)
        else try_cast(cast({{ expr }} as varchar) as timestamp)
    end
{%- endmacro %}

{% macro duckdb__to_utc_timestamp(expr) -%}
    case
        when regexp_matches(cast({{ expr }} as varchar), '{{ tz_offset_pattern() }}')
            then cast(timezone('UTC', try_cast(cast({{ expr }} as varchar) as timestamptz)) as timestamp)
        else try_cast(cast({{ expr }} as varchar) as timestamp)
    end
{%- endmacro %}

{% macro postgres__to_utc_timestamp(expr) -%}
    {{ target.schema }}.kpi_try_utc_timestamp(cast({{ expr }} as text))
{%- endmacro %}

{% macro spark__to_utc_timestamp(expr) -%}
    to_utc_timestamp(try_cast(cast({{ expr }} as string) as timestamp), 'UTC')
{%- endmacro %}


{# A time of day followed by an offset: 'Z', '+02', '+0200' or '+02:00' (a bare date's '-01' is not one). #}
{% macro tz_offset_pattern() -%}
    [0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$
{%- endmacro %}


{# Unix epoch seconds (integer or text) to a UTC timestamp without time zone. #}
{% macro epoch_to_timestamp(expr) -%}
    {{ return(adapter.dispatch('epoch_to_timestamp', 'kpi_layer')(expr)) }}
{%- endmacro %}

{% macro default__epoch_to_timestamp(expr) -%}
    cast(from_unixtime(cast({{ expr }} as bigint)) as timestamp)
{%- endmacro %}

{% macro duckdb__epoch_to_timestamp(expr) -%}
    make_timestamp(cast({{ expr }} as bigint) * 1000000)
{%- endmacro %}

{% macro postgres__epoch_to_timestamp(expr) -%}
    (to_timestamp(cast({{ expr }} as bigint)) at time zone 'UTC')
{%- endmacro %}
