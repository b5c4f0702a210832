{#
    A minor-unit amount in USD major units at a rate of int_fx_rates_monthly: kpi_layer.major_amount times the
    rate as a double. The rate column is a 4-byte float on DuckDB (dbt.type_float()), and DuckDB keeps
    decimal x float in 4 bytes (7 significant digits: cents are lost above some 100,000 USD); a double keeps
    15 on both warehouses.
#}
{% macro to_usd(minor_amount, usd_per_unit, decimals=2) -%}
    {{ kpi_layer.major_amount(minor_amount, decimals) }} * cast({{ usd_per_unit }} as double precision)
{%- endmacro %}
