{#
    The date reports are "as of": the as_of_date var when set, else the last day with a settled Stripe balance
    transaction. Never the wall clock, so a rebuild of the same data gives the same numbers.
#}
{% macro as_of_date() -%}
    {%- if var('as_of_date', none) -%}
        cast('{{ var("as_of_date") }}' as date)
    {%- else -%}
        (select cast(max(created_at) as date) from {{ ref('stg_stripe__balance_transaction') }})
    {%- endif -%}
{%- endmacro %}
