{#
    Installed by on-run-start. PostgreSQL lacks try_cast and a JSON validity test (IS JSON arrives in 16),
    so small functions give staging the same "null when malformed" behaviour that DuckDB's try_cast and
    json_valid have. Other warehouses need nothing.
#}
{% macro create_udfs() -%}
    {{ return(adapter.dispatch('create_udfs', 'kpi_layer')()) }}
{%- endmacro %}

{% macro default__create_udfs() -%}
    select 1
{%- endmacro %}

{% macro postgres__create_udfs() -%}
    create schema if not exists {{ target.schema }};

    create or replace function {{ target.schema }}.kpi_is_json(value text) returns boolean
    language plpgsql immutable as $fn$
    begin
        if value is null then return false; end if;
        perform value::jsonb;
        return true;
    exception when others then
        return false;
    end;
    $fn$;

    create or replace function {{ target.schema }}.kpi_try_numeric(value text) returns numeric
    language plpgsql immutable as $fn$
    begin
        return value::numeric;
    exception when others then
        return null;
    end;
    $fn$;

    create or replace function {{ target.schema }}.kpi_try_boolean(value text) returns boolean
    language plpgsql immutable as $fn$
    begin
        return value::boolean;
    exception when others then
        return null;
    end;
    $fn$;

    -- A value with an explicit offset is converted to UTC; one without is taken as UTC already.
    create or replace function {{ target.schema }}.kpi_try_utc_timestamp(value text) returns timestamp
    language plpgsql immutable as $fn$
    begin
        if value ~ '{{ tz_offset_pattern() }}' then
            return (value::timestamptz) at time zone 'UTC';
        end if;
        return value::timestamp;
    exception when others then
        return null;
    end;
    $fn$
{%- endmacro %}
