{#
    Money in the billing marts: exact numeric(28,6) (dbt.type_numeric()) on every warehouse, so amounts and
    their sums are exact, a rebuild gives identical figures, and DuckDB and PostgreSQL agree to the digit.

    - Dividing a decimal gives a double on DuckDB and a numeric of unbounded scale on PostgreSQL:
      to_major_units casts the result back.
    - A conversion multiplies by the rate (int_fx_rates_monthly.usd_per_unit) as a double and rounds the
      product to 6 decimals (a millionth of a dollar), so sums of USD amounts are sums of decimals,
      independent of the order a parallel aggregate adds them in.
#}

{# Minor currency units (cents) to major units, numeric(28,6). #}
{% macro to_major_units(minor_amount, decimals=2) -%}
    cast(cast({{ minor_amount }} as {{ dbt.type_numeric() }}) / {{ 10 ** decimals }} as {{ dbt.type_numeric() }})
{%- endmacro %}

{# A major-unit amount in USD at a rate of int_fx_rates_monthly, numeric(28,6). #}
{% macro major_to_usd(major_amount, usd_per_unit) -%}
    cast({{ major_amount }} * cast({{ usd_per_unit }} as {{ kpi_layer.type_double() }}) as {{ dbt.type_numeric() }})
{%- endmacro %}

{# A minor-unit amount in USD major units at a rate of int_fx_rates_monthly, numeric(28,6). #}
{% macro to_usd(minor_amount, usd_per_unit, decimals=2) -%}
    {{ kpi_layer.major_to_usd(kpi_layer.to_major_units(minor_amount, decimals), usd_per_unit) }}
{%- endmacro %}

{# An amount computed from amounts (a sum, a difference, a coalesce) typed back to numeric(28,6). #}
{% macro as_amount(expr) -%}
    cast({{ expr }} as {{ dbt.type_numeric() }})
{%- endmacro %}
