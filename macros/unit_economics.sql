{#
    Unit-economics formulas, one definition each, shared by the commerce and billing marts. All return a
    double, null when a denominator is zero or null (kpi_layer.safe_divide), never an error or a fake zero.
#}

{# cac (catalog): acquisition spend / new paying customers acquired, over the same slice. #}
{% macro cac(acquisition_spend, new_paying_customers) -%}
    {{ kpi_layer.safe_divide(acquisition_spend, new_paying_customers) }}
{%- endmacro %}

{# ltv (catalog, seed 003): ARPU x gross margin % / monthly churn rate. #}
{% macro ltv(arpu, gross_margin_rate, churn_rate) -%}
    {{ kpi_layer.safe_divide('(' ~ arpu ~ ') * (' ~ gross_margin_rate ~ ')', churn_rate) }}
{%- endmacro %}

{# payback_period_months (catalog, seed 004): CAC / (ARPU x gross margin %). #}
{% macro payback_period_months(cac, arpu, gross_margin_rate) -%}
    {{ kpi_layer.safe_divide(cac, '(' ~ arpu ~ ') * (' ~ gross_margin_rate ~ ')') }}
{%- endmacro %}
