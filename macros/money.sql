{#
    Money in the billing marts: exact numeric(28,6) (dbt.type_numeric()) on every warehouse, so amounts and
    their sums are exact, a rebuild gives identical figures, and DuckDB and PostgreSQL agree to the digit.

    - Dividing a decimal gives a double on DuckDB and a numeric of unbounded scale on PostgreSQL:
      to_major_units casts the result back.
    - A conversion multiplies by the rate (int_fx_rates_monthly.usd_per_unit) as a double and rounds the
      product to 6 decimals (a millionth of a dollar), so sums of USD amounts are sums of decimals,
      independent of the order a parallel aggregate adds them in.
#}

{#
    Minor units to major units by the currency's own exponent (ISO 4217, as Stripe uses it): two decimals for
    most currencies, none for zero-decimal ones (JPY, KRW, ...), three for BHD, JOD, KWD, OMR and TND.
    Without a currency the amount is in a two-decimal currency (USD amounts, the balance currency).
#}
{% macro zero_decimal_currencies() -%}
    {{ return(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']) }}
{%- endmacro %}

{# Minor currency units to major units, numeric(28,6). #}
{% macro to_major_units(minor_amount, currency=none) -%}
    {%- if currency is none -%}
        cast(cast({{ minor_amount }} as {{ dbt.type_numeric() }}) / 100 as {{ dbt.type_numeric() }})
    {%- else -%}
        cast(
            cast({{ minor_amount }} as {{ dbt.type_numeric() }})
            / {{ kpi_layer.minor_units_per_major(currency) }}
            as {{ dbt.type_numeric() }}
        )
    {%- endif -%}
{%- endmacro %}

{# 1, 100 or 1000: the minor units in one major unit of the currency. #}
{% macro minor_units_per_major(currency) -%}
    case
        when lower({{ currency }}) in (
            {%- for code in kpi_layer.zero_decimal_currencies() %}'{{ code }}'{% if not loop.last %}, {% endif %}{% endfor -%}
        ) then 1
        when lower({{ currency }}) in ('bhd', 'jod', 'kwd', 'omr', 'tnd') then 1000
        else 100
    end
{%- endmacro %}

{# A major-unit amount in USD at a rate of int_fx_rates_monthly (USD per major unit), numeric(28,6). #}
{% macro major_to_usd(major_amount, usd_per_unit) -%}
    cast({{ major_amount }} * cast({{ usd_per_unit }} as {{ kpi_layer.type_double() }}) as {{ dbt.type_numeric() }})
{%- endmacro %}

{# A minor-unit amount of `currency` in USD major units at a rate of int_fx_rates_monthly, numeric(28,6). #}
{% macro to_usd(minor_amount, usd_per_unit, currency=none) -%}
    {{ kpi_layer.major_to_usd(kpi_layer.to_major_units(minor_amount, currency), usd_per_unit) }}
{%- endmacro %}

{# An amount computed from amounts (a sum, a difference, a coalesce) typed back to numeric(28,6). #}
{% macro as_amount(expr) -%}
    cast({{ expr }} as {{ dbt.type_numeric() }})
{%- endmacro %}
