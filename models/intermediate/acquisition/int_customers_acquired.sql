{#
    When and through which channel each Stripe customer was acquired: the app that bills it, the acquisition
    channel that app recorded for the person, and the first successful charge, which is when a customer
    becomes a paying customer everywhere in the project (CAC's new paying customers, dim_customers, paid
    conversion). An app family that is switched off (var using_<family>) leaves its customers' channel null.
#}
{%- set apps = [] -%}
{%- for app, model, key in [
    ('product', 'stg_product__users', 'user_id'),
    ('storefront', 'stg_storefront__customers', 'customer_id'),
    ('tutoring', 'stg_tutoring__students', 'student_id'),
] if var('using_' ~ app) -%}
    {%- do apps.append((app, model, key)) -%}
{%- endfor %}
with customers as (

    select * from {{ ref('stg_stripe__customer') }}

),

charges as (

    select * from {{ ref('stg_stripe__charge') }}

),

{%- for app, model, _ in apps %}

    {{ app }}_people as (

        select * from {{ ref(model) }}

    ),
{%- endfor %}

first_payments as (

    select
        customer_id,
        min(created_at) as first_paid_at
    from charges
    where charge_status = 'succeeded'
    group by customer_id

),

final as (

    select
        customers.customer_id,
        -- a customer whose metadata names no app (a Stripe account not created by the apps) is unattributed
        coalesce(customers.app_name, 'unattributed') as app_name,
        customers.app_customer_id,
        {%- if apps %}
            case customers.app_name
                {%- for app, _, _ in apps %}
                    when '{{ app }}' then {{ app }}_people.acquisition_channel
                {%- endfor %}
            end
        {%- else %}
        cast(null as {{ dbt.type_string() }})
        {%- endif %} as acquisition_channel,
        first_payments.first_paid_at,
        cast({{ dbt.date_trunc('day', 'first_payments.first_paid_at') }} as date) as first_paid_date
    from customers
    left join first_payments
        on customers.customer_id = first_payments.customer_id
    {%- for app, _, key in apps %}
        left join {{ app }}_people
            on
                customers.app_name = '{{ app }}'
                and customers.app_customer_id = {{ app }}_people.{{ key }}
    {%- endfor %}

)

select * from final
