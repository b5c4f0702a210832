{#
    Minor units to major units as numeric(28,6) on every warehouse. kpi_layer.to_major_units divides a
    decimal, which DuckDB turns into a double and PostgreSQL into a numeric of unbounded scale; casting the
    result back to the project's numeric type keeps amounts exact (the division is rounded to 6 decimals, far
    below a cent) and typed alike on both warehouses.
#}
{% macro major_amount(expr, decimals=2) -%}
    cast({{ kpi_layer.to_major_units(expr, decimals) }} as {{ dbt.type_numeric() }})
{%- endmacro %}
