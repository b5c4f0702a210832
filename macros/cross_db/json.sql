{# JSON validity and extraction of a top-level text field from a JSON text column. #}

{% macro is_valid_json(expr) -%}
    {{ return(adapter.dispatch('is_valid_json', 'kpi_layer')(expr)) }}
{%- endmacro %}

{% macro default__is_valid_json(expr) -%}
    (try(json_parse({{ expr }})) is not null)
{%- endmacro %}

{% macro duckdb__is_valid_json(expr) -%}
    coalesce(json_valid({{ expr }}), false)
{%- endmacro %}

{% macro postgres__is_valid_json(expr) -%}
    {{ target.schema }}.kpi_is_json(cast({{ expr }} as text))
{%- endmacro %}

{% macro spark__is_valid_json(expr) -%}
    (from_json({{ expr }}, 'map<string,string>') is not null)
{%- endmacro %}


{% macro json_extract_text(expr, key) -%}
    {{ return(adapter.dispatch('json_extract_text', 'kpi_layer')(expr, key)) }}
{%- endmacro %}

{% macro default__json_extract_text(expr, key) -%}
    json_extract_scalar({{ expr }}, '$.{{ key }}')
{%- endmacro %}

{% macro duckdb__json_extract_text(expr, key) -%}
    json_extract_string({{ expr }}, '$.{{ key }}')
{%- endmacro %}

{% macro postgres__json_extract_text(expr, key) -%}
    (cast({{ expr }} as jsonb) ->> '{{ key }}')
{%- endmacro %}

{% macro spark__json_extract_text(expr, key) -%}
    get_json_object({{ expr }}, '$.{{ key }}')
{%- endmacro %}


{# A top-level text field of a JSON text column, or null when the column is not valid JSON (never an error). #}
{% macro json_field(expr, key) -%}
    case when {{ kpi_layer.is_valid_json(expr) }} then {{ kpi_layer.json_extract_text(expr, key) }} end
{%- endmacro %}
