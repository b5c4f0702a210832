{#-
    Run-wide warehouse settings the profile cannot express. On DuckDB: its own thread count, one per core
    unless KPI_DUCKDB_THREADS says otherwise. The profile's settings need a value, and DuckDB has none meaning
    "one per core", so the thread count is set here, once per run (it is a setting of the database, not of a
    connection). Elsewhere: nothing to set.
-#}
{% macro warehouse_settings() -%}
    {{ return(adapter.dispatch('warehouse_settings', 'kpi_layer')()) }}
{%- endmacro %}

{% macro default__warehouse_settings() -%}
    select 1
{%- endmacro %}

{% macro duckdb__warehouse_settings() -%}
    {%- set threads = env_var('KPI_DUCKDB_THREADS', '') -%}
    {%- if threads -%}
        set threads = {{ threads | int }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
