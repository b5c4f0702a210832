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

    -- NaN and +/-Infinity are numeric values to PostgreSQL, not numbers to a KPI: null, like text that does not parse.
    create or replace function {{ target.schema }}.kpi_try_numeric(value text) returns numeric
    language plpgsql immutable as $fn$
    declare
        parsed numeric;
    begin
        parsed := btrim(value)::numeric;
        if parsed::text in ('NaN', 'Infinity', '-Infinity') then
            return null;
        end if;
        return parsed;
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

    -- Text without a zone is UTC already; text with one (any spelling, see to_utc_timestamp) is converted to UTC.
    create or replace function {{ target.schema }}.kpi_try_utc_timestamp(value text) returns timestamp
    language plpgsql immutable as $fn$
    declare
        zoned text;
    begin
        if btrim(value) ~ '{{ zoneless_timestamp_pattern() }}' then
            return btrim(value)::timestamp;
        end if;
        zoned := {{ normalised_zone_text('value') }};
        return (zoned::timestamptz) at time zone 'UTC';
    exception when others then
        return null;
    end;
    $fn$
{%- endmacro %}
