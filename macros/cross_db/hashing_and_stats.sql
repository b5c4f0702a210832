{#
    PII is hashed in staging: sha256 of the salted, trimmed, lower-cased value, as lowercase hex.
    The salt comes from the pii_salt var, so the same address hashes alike across tables (joins still work)
    but not across deployments.
#}
{% macro hash_pii(expr) -%}
    {%- set salted -%}
        case when {{ expr }} is null then null
        else concat('{{ var("pii_salt") }}', lower(trim(cast({{ expr }} as {{ dbt.type_string() }})))) end
    {%- endset -%}
    {{ return(adapter.dispatch('sha256_hex', 'kpi_layer')(salted)) }}
{%- endmacro %}

{% macro sha256_hex(expr) -%}
    {{ return(adapter.dispatch('sha256_hex', 'kpi_layer')(expr)) }}
{%- endmacro %}

{% macro default__sha256_hex(expr) -%}
    lower(to_hex(sha256(to_utf8({{ expr }}))))
{%- endmacro %}

{% macro duckdb__sha256_hex(expr) -%}
    sha256({{ expr }})
{%- endmacro %}

{% macro postgres__sha256_hex(expr) -%}
    encode(sha256(convert_to({{ expr }}, 'UTF8')), 'hex')
{%- endmacro %}

{% macro spark__sha256_hex(expr) -%}
    sha2({{ expr }}, 256)
{%- endmacro %}


{# Continuous percentile (interpolated) as an aggregate: percentile_cont(expr, 0.95). #}
{% macro percentile_cont(expr, fraction) -%}
    {{ return(adapter.dispatch('percentile_cont', 'kpi_layer')(expr, fraction)) }}
{%- endmacro %}

{% macro default__percentile_cont(expr, fraction) -%}
    approx_percentile({{ expr }}, {{ fraction }})
{%- endmacro %}

{% macro duckdb__percentile_cont(expr, fraction) -%}
    quantile_cont({{ expr }}, {{ fraction }})
{%- endmacro %}

{% macro postgres__percentile_cont(expr, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expr }})
{%- endmacro %}

{% macro spark__percentile_cont(expr, fraction) -%}
    percentile({{ expr }}, {{ fraction }})
{%- endmacro %}


{# Regular-expression match, for validity checks in staging. #}
{% macro regex_matches(expr, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'kpi_layer')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(expr, pattern) -%}
    regexp_like({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__regex_matches(expr, pattern) -%}
    regexp_matches({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__regex_matches(expr, pattern) -%}
    ({{ expr }} ~ '{{ pattern }}')
{%- endmacro %}

{% macro spark__regex_matches(expr, pattern) -%}
    ({{ expr }} rlike '{{ pattern }}')
{%- endmacro %}
