{#
    Casts that return null instead of failing on a malformed value, so a bad raw row is quarantined with a
    reason rather than breaking the build. PostgreSQL has no try_cast: it uses the functions that
    create_udfs() installs at the start of every run.
#}

{% macro try_cast(expr, type) -%}
    {{ return(adapter.dispatch('try_cast', 'kpi_layer')(expr, type)) }}
{%- endmacro %}

{% macro default__try_cast(expr, type) -%}
    try_cast({{ expr }} as {{ type }})
{%- endmacro %}

{% macro postgres__try_cast(expr, type) -%}
    {%- set t = type | lower | trim -%}
    {%- if t in ('bigint', 'integer', 'int', 'smallint') -%}
        cast({{ target.schema }}.kpi_try_numeric(cast({{ expr }} as text)) as {{ type }})
    {%- elif t.startswith('numeric') or t.startswith('decimal') or t in ('double precision', 'double', 'float', 'real') -%}
        cast({{ target.schema }}.kpi_try_numeric(cast({{ expr }} as text)) as {{ type }})
    {%- elif t == 'boolean' -%}
        {{ target.schema }}.kpi_try_boolean(cast({{ expr }} as text))
    {%- elif t == 'timestamp' -%}
        {{ target.schema }}.kpi_try_utc_timestamp(cast({{ expr }} as text))
    {%- elif t == 'date' -%}
        cast({{ target.schema }}.kpi_try_utc_timestamp(cast({{ expr }} as text)) as date)
    {%- else -%}
        cast({{ expr }} as {{ type }})
    {%- endif -%}
{%- endmacro %}


{# Division that yields null, not an error, when the denominator is zero; always a floating-point result. #}
{% macro safe_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('safe_divide', 'kpi_layer')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as {{ kpi_layer.type_double() }}) / nullif(cast({{ denominator }} as {{ kpi_layer.type_double() }}), 0))
{%- endmacro %}


{#- An 8-byte float everywhere (dbt.type_float() is a 4-byte FLOAT on DuckDB: 7 significant digits). -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'kpi_layer')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double
{%- endmacro %}

{% macro postgres__type_double() -%}
    double precision
{%- endmacro %}



