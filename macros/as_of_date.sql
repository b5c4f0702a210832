{#
    The date reports are "as of": the as_of_date var when set, else the last day the data reaches. Never the wall
    clock, so a rebuild of the same data gives the same numbers.

    With Stripe on, the last day with a Stripe balance transaction (the ledger is the company's money clock).
    Without it, the latest day of the enabled families' own activity streams (orders, bookings, contract
    charges, product events, HTTP requests): one date for the whole project, so marts of different families
    end on the same day.
#}
{% macro as_of_date() -%}
    {%- if var('as_of_date', none) -%}
        cast('{{ var("as_of_date") }}' as date)
    {%- elif var('using_stripe') -%}
        (select cast(max(created_at) as date) from {{ ref('stg_stripe__balance_transaction') }})
    {%- else -%}
        {%- set clocks = [] -%}
        {%- for family, model, column in [
            ('storefront', 'stg_storefront__orders', 'created_at'),
            ('tutoring', 'stg_tutoring__bookings', 'created_at'),
            ('marketplace', 'stg_marketplace__contract_charges', 'charged_at'),
            ('product', 'stg_product__product_events', 'occurred_at'),
            ('ops', 'stg_ops__http_requests', 'requested_at'),
        ] if var('using_' ~ family) -%}
            {%- do clocks.append('select max(' ~ column ~ ') as latest_at from ' ~ ref(model)) -%}
        {%- endfor -%}
        {%- if clocks -%}
            (select cast(max(latest_at) as date) from ({{ clocks | join(' union all ') }}) as family_clocks)
        {%- else -%}
            cast(null as date)
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
