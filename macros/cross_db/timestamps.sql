{#
    Timestamps are normalised to UTC and stored without a time zone.
    Text without a zone ('2025-06-15 10:00:00', '2025-06-15T10:00:00.123', '2025-06-15') is taken as UTC already
    (loaders such as Fivetran land UTC), never as the session's local time zone. Text with a zone is converted
    to UTC, in every spelling a loader writes: 'Z' or 'z', an offset with or without a colon, with or without
    a space before it ('+02:00', '+0200', '+02', ' -0500', ' +1400'), or a named IANA zone
    (' America/New_York', ' UTC'). A value that does not parse, or names a zone that does not exist, becomes
    null, so staging quarantines it as malformed_value instead of failing the run.
#}

{% macro to_utc_timestamp(expr) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'kpi_layer')(expr)) }}
{%- endmacro %}

{% macro default__to_utc_timestamp(expr) -%}
    case
        when regexp_like(trim(cast({{ expr }} as varchar)), '{{ zoneless_timestamp_pattern() }}')
            then try_cast(trim(cast({{ expr }} as varchar)) as timestamp)
        else cast(from_iso8601_timestamp({{ normalised_zone_text(expr) }}) at time zone 'UTC' as timestamp)
    end
{%- endmacro %}

{% macro duckdb__to_utc_timestamp(expr) -%}
    case
        when regexp_full_match(trim(cast({{ expr }} as varchar)), '{{ zoneless_timestamp_pattern() }}')
            then try_cast(trim(cast({{ expr }} as varchar)) as timestamp)
        -- the text as it is first (most zone spellings parse), the normalised spelling only where that fails
        else timezone('UTC', coalesce(
            try_cast(trim(cast({{ expr }} as varchar)) as timestamptz),
            try_cast({{ normalised_zone_text(expr) }} as timestamptz)
        ))
    end
{%- endmacro %}

{% macro postgres__to_utc_timestamp(expr) -%}
    {{ target.schema }}.kpi_try_utc_timestamp(cast({{ expr }} as text))
{%- endmacro %}

{% macro spark__to_utc_timestamp(expr) -%}
    to_utc_timestamp(try_cast(cast({{ expr }} as string) as timestamp), 'UTC')
{%- endmacro %}


{# A date, optionally followed by a time of day, and nothing else: no zone, so UTC. #}
{% macro zoneless_timestamp_pattern() -%}
    ^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?$
{%- endmacro %}


{#
    Text with a zone, spelled the way the warehouse's timestamptz parser reads it: a 'z' after the time as '+00:00',
    no space before a numeric offset ('... +1400' -> '...+14:00').
#}
{% macro normalised_zone_text(expr) -%}
    regexp_replace(
        regexp_replace(trim(cast({{ expr }} as {{ dbt.type_string() }})), '([0-9])[zZ]$', '\1+00:00'),
        '[[:space:]]*([+-][0-9]{2}):?([0-9]{2})$',
        '\1:\2'
    )
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
