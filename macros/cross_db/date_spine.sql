{#
    One row per `datepart` (day, week, month) from start_date to end_date inclusive, as a column named
    `date_<datepart>` of type date. start_date / end_date are SQL date expressions.
#}
{% macro date_spine(datepart, start_date, end_date) -%}
    {{ return(adapter.dispatch('date_spine', 'kpi_layer')(datepart, start_date, end_date)) }}
{%- endmacro %}

{% macro default__date_spine(datepart, start_date, end_date) -%}
    select cast(spine_value as date) as date_{{ datepart }}
    from unnest(sequence(cast({{ start_date }} as date), cast({{ end_date }} as date), interval '1' {{ datepart }}))
        as spine (spine_value)
{%- endmacro %}

{% macro duckdb__date_spine(datepart, start_date, end_date) -%}
    select cast(generate_series as date) as date_{{ datepart }}
    from generate_series(
        cast({{ start_date }} as timestamp), cast({{ end_date }} as timestamp), interval '1 {{ datepart }}'
    )
{%- endmacro %}

{% macro postgres__date_spine(datepart, start_date, end_date) -%}
    select cast(spine_value as date) as date_{{ datepart }}
    from generate_series(
        cast({{ start_date }} as timestamp), cast({{ end_date }} as timestamp), interval '1 {{ datepart }}'
    ) as spine (spine_value)
{%- endmacro %}

{% macro spark__date_spine(datepart, start_date, end_date) -%}
    select explode(sequence(to_date({{ start_date }}), to_date({{ end_date }}), interval 1 {{ datepart }}))
        as date_{{ datepart }}
{%- endmacro %}
