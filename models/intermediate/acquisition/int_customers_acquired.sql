{#
    When and through which channel each Stripe customer was acquired: the app that bills it, the acquisition
    channel that app recorded for the person, and the first successful charge, which is when a customer
    becomes a paying customer everywhere in the project (CAC's new paying customers, dim_customers, paid
    conversion).
#}
with customers as (

    select * from {{ ref('stg_stripe__customer') }}

),

charges as (

    select * from {{ ref('stg_stripe__charge') }}

),

product_users as (

    select * from {{ ref('stg_product__users') }}

),

storefront_customers as (

    select * from {{ ref('stg_storefront__customers') }}

),

tutoring_students as (

    select * from {{ ref('stg_tutoring__students') }}

),

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
        customers.app_name,
        customers.app_customer_id,
        case customers.app_name
            when 'product' then product_users.acquisition_channel
            when 'storefront' then storefront_customers.acquisition_channel
            when 'tutoring' then tutoring_students.acquisition_channel
        end as acquisition_channel,
        first_payments.first_paid_at,
        cast({{ dbt.date_trunc('day', 'first_payments.first_paid_at') }} as date) as first_paid_date
    from customers
    left join first_payments
        on customers.customer_id = first_payments.customer_id
    left join product_users
        on
            customers.app_name = 'product'
            and customers.app_customer_id = product_users.user_id
    left join storefront_customers
        on
            customers.app_name = 'storefront'
            and customers.app_customer_id = storefront_customers.customer_id
    left join tutoring_students
        on
            customers.app_name = 'tutoring'
            and customers.app_customer_id = tutoring_students.student_id

)

select * from final
